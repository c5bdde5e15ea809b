"""`bilan review` on a 1,000-page document: time to write the site, its size, and what a browser
does with it (time to the first screen, pages loaded, memory, a jump to the last page).

The document is the corpus's born-digital PDFs put end to end until 1,000 pages or more (real
pages; the same content repeated, which changes nothing for the review); its scans are measured
apart for the cost of page images of scanned pages (extracted with --ocr never: only the page
images matter there). Run from the repository root:

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/review_bench.py [--work /tmp/bilan-review-bench] [--repeat 3]

Figures and the date they were taken: bench/README.md, "Review site".
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BILAN = Path(sys.executable).parent / "bilan"
BORN_DIGITAL = ["000_report.pdf", "001_plan.pdf", "002_plan.pdf", "003_communiques.pdf", "004_avis.pdf"]
SCANS = ["000_report_scan.pdf", "001_plan_scan.pdf", "002_plan_scan.pdf", "003_communiques_scan.pdf", "004_avis_scan.pdf"]
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000"]


def concatenated(target: Path, names: list[str], pages: int) -> Path:
    import pypdfium2 as pdfium

    if target.exists():
        return target
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for name in names:
            with pdfium.PdfDocument(str(CORPUS / name)) as source:
                out.import_pages(source)
    out.save(str(target))
    return target


def run(*args) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one bilan command; CPU time says more on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([str(BILAN), *map(str, args)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 10):
        raise SystemExit(f"bilan {' '.join(map(str, args))}: {result.stderr}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def browser_figures(page: Path) -> dict:
    import tempfile as tf

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for flag in HEADLESS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tf.mkdtemp()}")
    options.add_argument("--enable-precise-memory-info")
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        started = time.perf_counter()
        driver.get(page.as_uri())
        WebDriverWait(driver, 120).until(lambda d: d.execute_script("return !!(window.BilanReview && BilanReview.app)"))
        ready = time.perf_counter() - started
        time.sleep(1.0)
        first = driver.execute_script("return [document.querySelectorAll('.sheet img').length, document.querySelectorAll('.page').length,"
                                      " performance.memory.usedJSHeapSize, document.getElementsByTagName('*').length]")
        started = time.perf_counter()
        driver.execute_script("const items = document.querySelectorAll('.record-item'); items[items.length - 1].click()")
        last = driver.execute_script("const items = document.querySelectorAll('.record-item'); return Number(items[items.length - 1].querySelector('.where').textContent.match(/page (\\d+)/)[1])")
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(
            "const img = document.querySelector(`#page-${arguments[0]} .sheet img`); return !!img && img.complete && img.naturalWidth > 0", last))
        jump = time.perf_counter() - started
        after = driver.execute_script("return [document.querySelectorAll('.sheet img').length, performance.memory.usedJSHeapSize]")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    return {"ready_s": ready, "images_at_start": first[0], "pages": first[1], "heap_mb": first[2] / 2**20,
            "elements": first[3], "jump_to_page": last, "jump_s": jump, "images_after_jump": after[0],
            "heap_after_mb": after[1] / 2**20, "console_errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bilan-review-bench")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    big = concatenated(args.work / "born_digital_1000.pdf", BORN_DIGITAL, args.pages)
    scans = concatenated(args.work / "scans_200.pdf", SCANS, 200)
    for pdf, extra in ((big, []), (scans, ["--ocr", "never"])):
        target = pdf.with_suffix(".json")
        if not target.exists():
            print(f"extracting {pdf.name}: {run('extract', pdf, '-o', target, *extra)[0]:.1f} s", flush=True)
    figures: dict = {"cold_s": [], "warm_s": [], "scan_cold_s": []}
    for _ in range(args.repeat):  # cold and warm runs alternate
        for key, source in (("cold_s", big), ("scan_cold_s", scans)):
            site = args.work / f"review-{source.stem}"
            shutil.rmtree(site, ignore_errors=True)
            figures[key].append(run("review", source.with_suffix(".json"), "-o", site))
        figures["warm_s"].append(run("review", big.with_suffix(".json"), "-o", args.work / f"review-{big.stem}"))
    document = json.loads(big.with_suffix(".json").read_text(encoding="utf-8"))
    pages = len(document["pages"])
    records = sum(len(v) for v in document["records"].values())
    site = args.work / f"review-{big.stem}"
    files, size = folder_size(site)
    images = sorted((site / "pages").rglob("*.jpg"))
    data = sorted((site / "data").rglob("p*.js"))
    median = lambda key, i: round(statistics.median(run[i] for run in figures[key]), 1)  # noqa: E731
    summary = {
        "pages": pages, "records": records,
        "review_cold_s": median("cold_s", 0), "review_cold_cpu_s": median("cold_s", 1),
        "review_warm_s": median("warm_s", 0), "review_warm_cpu_s": median("warm_s", 1),
        "scan_pages": 200, "scan_review_cold_s": median("scan_cold_s", 0), "scan_review_cold_cpu_s": median("scan_cold_s", 1),
        "site_files": files, "site_mb": size / 2**20,
        "image_kb_median": statistics.median(p.stat().st_size for p in images) / 1024,
        "page_data_kb_median": statistics.median(p.stat().st_size for p in data) / 1024,
        "document_js_kb": (next((site / "data").iterdir()) / "document.js").stat().st_size / 1024,
        "runs": figures,
    }
    if shutil.which("chromium") and shutil.which("chromedriver"):
        summary["browser"] = browser_figures(next((site / "documents").glob("*.html")))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
