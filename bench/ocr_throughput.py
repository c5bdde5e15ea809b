"""Scanned-page throughput: `bilan extract` against the bare `tesseract` CLI, side by side.

    .venv/bin/python bench/ocr_throughput.py [--pages-per-scan 3] [--repeats 5] [--workers 2] [--profile]

Both sides OCR the same pages with the same engine and settings (`-l fra+eng`, 300 dpi, one
single-threaded Tesseract per core, `OMP_THREAD_LIMIT=1`):

* bilan: one `bilan extract --ocr auto` call on a PDF holding the chosen scanned pages (taken
  from corpus/*_scan.pdf), so its figure includes process start-up, imports, triage, rendering
  each page from the PDF, the worker pool, JSON output;
* tesseract: the same pages pre-rendered to 300-dpi grayscale PNGs (rendering not timed), then
  `tesseract page.png out -l fra+eng tsv`, as many processes at once as bilan has workers.

The two alternate within each repetition (the order flips every repetition, so neither always
runs on a warmer machine), and medians over the repetitions are reported with the ratio
pages/s bilan ÷ pages/s tesseract. `--profile` also prints where bilan's time goes per page.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DPI = 300
LANG = "fra+eng"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def bilan_command() -> list[str]:
    script = Path(sys.executable).with_name("bilan")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from extractors.cli import app; app()"]


def build_inputs(work: Path, pages_per_scan: int) -> tuple[Path, list[Path]]:
    """One PDF with the first pages of every corpus scan, and the same pages as PNGs."""
    import pypdfium2 as pdfium

    scans = sorted(CORPUS.glob("*_scan.pdf"))
    if not scans:
        sys.exit("no corpus/*_scan.pdf: run `python corpus/make_corpus.py` first")
    bundle = pdfium.PdfDocument.new()
    for scan in scans:
        with pdfium.PdfDocument(str(scan)) as source:
            count = min(pages_per_scan, len(source))
            bundle.import_pages(source, list(range(count)))
    pdf_path = work / "scans.pdf"
    bundle.save(str(pdf_path))
    bundle.close()
    pngs = []
    with pdfium.PdfDocument(str(pdf_path)) as pdf:
        for index in range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            png = work / f"page{index + 1:02d}.png"
            image.save(png, dpi=(DPI, DPI))
            pngs.append(png)
            page.close()
    return pdf_path, pngs


def run_bilan(pdf_path: Path, out: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of bilan and everything it started)."""
    command = [*bilan_command(), "extract", str(pdf_path), "-o", str(out), "--ocr", "auto", "--lang", LANG, "--workers", str(workers)]
    cpu, started = cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bilan failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, cpu_seconds() - cpu


def run_tesseract(pngs: list[Path], out_dir: Path, workers: int) -> tuple[float, float]:
    def one(png: Path) -> None:
        base = out_dir / png.stem
        subprocess.run(["tesseract", str(png), str(base), "-l", LANG, "tsv"], env=ENV, check=True, capture_output=True)

    cpu, started = cpu_seconds(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - started, cpu_seconds() - cpu


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than wall time on a busy box."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def profile(pdf_path: Path, pngs: list[Path], sample: int = 3) -> None:
    """CPU seconds per page of each step, one page at a time, median over `sample` pages."""
    import pytesseract
    from PIL import Image

    from extractors.ocr.render import render_pdf_page
    from extractors.ocr.tesseract_cli import CommandLineEngine
    from extractors.ocr.tesseract_lib import LibraryEngine

    cli, library = CommandLineEngine(), LibraryEngine()
    library.read(render_pdf_page(str(pdf_path), 0, DPI, None)[0], DPI, LANG)  # warm: models loaded once per worker

    os.environ["OMP_THREAD_LIMIT"] = "1"  # for pytesseract's tesseract
    steps = {
        "render page (pdfium, gray)": [],
        "bilan library engine (warm tesserocr)": [],
        "bilan CLI engine: TIFF tmp file + tesseract": [],
        "tesseract CLI on the PNG": [],
        "pytesseract.image_to_data": [],
        "of which PNG encoding": [],
    }
    for index in range(sample):
        started = cpu_seconds()
        pixels, _, _ = render_pdf_page(str(pdf_path), index, DPI, None)
        steps["render page (pdfium, gray)"].append(cpu_seconds() - started)
        started = cpu_seconds()
        library.read(pixels, DPI, LANG)
        steps["bilan library engine (warm tesserocr)"].append(cpu_seconds() - started)
        started = cpu_seconds()
        cli.read(pixels, DPI, LANG)
        steps["bilan CLI engine: TIFF tmp file + tesseract"].append(cpu_seconds() - started)
        with tempfile.TemporaryDirectory() as tmp:
            started = cpu_seconds()
            subprocess.run(["tesseract", str(pngs[index]), f"{tmp}/o", "-l", LANG, "tsv"], env=ENV, check=True, capture_output=True)
            steps["tesseract CLI on the PNG"].append(cpu_seconds() - started)
            image = Image.fromarray(pixels)
            started = cpu_seconds()
            pytesseract.image_to_data(image, lang=LANG, config=f"--dpi {DPI}")
            steps["pytesseract.image_to_data"].append(cpu_seconds() - started)
            started = cpu_seconds()
            image.save(f"{tmp}/x.png")
            steps["of which PNG encoding"].append(cpu_seconds() - started)
    print(f"\nprofile: CPU seconds per page, median of {sample} pages, one at a time")
    for name, values in steps.items():
        print(f"  {name:44} {statistics.median(values):6.3f}")
    started = time.perf_counter()
    subprocess.run([*bilan_command(), "extract", str(ROOT / "corpus" / "bad" / "empty_page.pdf")], capture_output=True)
    print(f"  {'bilan extract of a blank 1-page PDF':36} {time.perf_counter() - started:6.3f} wall (start-up, once per run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages-per-scan", type=int, default=3, help="first N pages of each corpus/*_scan.pdf (default 3: 15 pages)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profile", action="store_true", help="also time the stages of one page")
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        sys.exit("tesseract is not installed")

    with tempfile.TemporaryDirectory(prefix="bilan-bench-") as tmp:
        work = Path(tmp)
        pdf_path, pngs = build_inputs(work, args.pages_per_scan)
        n = len(pngs)
        print(f"{n} scanned pages from corpus/*_scan.pdf, {DPI} dpi, -l {LANG}, {args.workers} workers, {args.repeats} repetitions")
        print(f"bilan: {' '.join(bilan_command())} extract <{n}-page PDF> --workers {args.workers}")
        print(f"tesseract: tesseract <page.png> <out> -l {LANG} tsv, {args.workers} at a time\n")
        times: dict[str, list[float]] = {"bilan": [], "tesseract": []}
        cpus: dict[str, list[float]] = {"bilan": [], "tesseract": []}
        for rep in range(args.repeats):
            order = ["bilan", "tesseract"] if rep % 2 == 0 else ["tesseract", "bilan"]
            for side in order:
                if side == "bilan":
                    seconds, cpu = run_bilan(pdf_path, work / "out.json", args.workers)
                else:
                    out_dir = work / f"tsv{rep}"
                    out_dir.mkdir()
                    seconds, cpu = run_tesseract(pngs, out_dir, args.workers)
                times[side].append(seconds)
                cpus[side].append(cpu)
                print(f"  rep {rep + 1} {side:10} {seconds:7.2f} s  {n / seconds:5.3f} pages/s  (CPU {cpu / n:5.2f} s/page)")
        bilan_rate = n / statistics.median(times["bilan"])
        tess_rate = n / statistics.median(times["tesseract"])
        print(f"\nmedian bilan     {statistics.median(times['bilan']):7.2f} s  {bilan_rate:5.3f} pages/s  CPU {statistics.median(cpus['bilan']) / n:5.2f} s/page")
        print(f"median tesseract {statistics.median(times['tesseract']):7.2f} s  {tess_rate:5.3f} pages/s  CPU {statistics.median(cpus['tesseract']) / n:5.2f} s/page")
        print(f"ratio (pages/s bilan ÷ pages/s tesseract): {bilan_rate / tess_rate:.3f}")
        print(f"CPU ratio (CPU s/page tesseract ÷ bilan, steadier on a shared machine): "
              f"{statistics.median(cpus['tesseract']) / statistics.median(cpus['bilan']):.3f}")
        load = os.getloadavg()[0]
        print(f"load average at the end: {load:.2f} on {os.cpu_count()} cores" + ("  (other work was running: wall figures are noisy)" if load > (os.cpu_count() or 1) + 0.5 else ""))
        if args.profile:
            profile(pdf_path, pngs)


if __name__ == "__main__":
    main()
