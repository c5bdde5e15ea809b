"""bilan review in a real browser: Debian's chromium driven through chromedriver by selenium.

One review site is built for three documents (the annual report's born-digital PDF, the damaged
legacy-OCR text layer of its other edition repaired, and a PDF whose text is HTML markup) and one
headless Chromium opens it from file://. The checks: no console error, boxes where the JSON puts
them, lazy pages, keys, an edit downloaded as a golden file that `bilan validate` reads, and
document text shown as text. A screenshot of the report is kept in test-artefacts/ (or
$BILAN_TEST_ARTEFACTS). `make test` installs chromium and chromium-driver; without them these
tests skip, saying so.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

import extractors
from extractors.review.site import slug
from schemas import Document
from tests.conftest import CORPUS, ROOT, run_bilan
from tests.markup_pdf import IMAGE, SCRIPT, SVG, write_markup_pdf

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401
except ImportError:  # pragma: no cover - the dev extra installs it
    selenium = None
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER and selenium),
    reason="needs chromium, chromedriver (Debian: chromium chromium-driver; `make test` installs them) and selenium",
)
ARTEFACTS = Path(os.environ.get("BILAN_TEST_ARTEFACTS", ROOT / "test-artefacts"))
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000"]
REPORT, LEGACY, MARKUP = "000_report.pdf", "000_legacy_ocr.pdf", f"{IMAGE}.pdf"
WAIT = 20  # seconds; a shared machine can be slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A batch-shaped folder (documents/*.json) and its review, built by the CLI with the goldens."""
    from extractors.repair.stage import repair_document

    out = tmp_path_factory.mktemp("batch")
    documents = out / "documents"
    documents.mkdir()
    report = extractors.extract(CORPUS / REPORT)
    legacy = extractors.extract(CORPUS / LEGACY, ocr="never", pages="1-4")
    # What bilan does to OCR'd pages (the OCR itself takes minutes): repair, boxes kept.
    legacy = repair_document(legacy.model_copy(update={"pages": [p.model_copy(update={"origin": "ocr"}) for p in legacy.pages]}))
    markup = extractors.extract(write_markup_pdf(out / "markup.pdf"))
    docs = {REPORT: report, LEGACY: legacy, MARKUP: markup}
    for name, document in docs.items():
        (documents / f"{name}.json").write_text(document.model_dump_json(), encoding="utf-8")
    result = run_bilan("review", out, "--golden", ROOT / "golden")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 documents (19 pages)"), result.stdout
    return {"out": out, "review": out / "review", "docs": docs}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait(driver, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(lambda d: condition(d), message=what)


def errors(driver) -> list[dict]:
    """Console errors since the last call (CSP violations, failed loads, exceptions)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_document(driver, site, name: str, fresh: bool = True):
    path = site["review"] / "documents" / f"{slug(name)}.html"
    driver.get(path.as_uri())
    if fresh:  # corrections of an earlier test live in local storage: start clean
        driver.execute_script("localStorage.clear()")
        driver.get(path.as_uri())
    wait(driver, lambda d: d.execute_script("return !!(window.BilanReview && BilanReview.app)"), f"{name} to start")


def press(driver, keys: str):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def select_record(driver, key: str):
    driver.find_element("css selector", f'.record-item[data-key="{key}"]').click()
    wait(driver, lambda d: d.execute_script(f"return !!document.querySelector('.box.record.selected[data-key=\"{key}\"]')"), f"{key} box")


def box_in_points(driver, selector: str, page) -> list[tuple]:
    """Boxes matching `selector` as (x0, top, x1, bottom) in PDF points, measured on the screen."""
    rects = driver.execute_script("""
        return Array.from(document.querySelectorAll(arguments[0])).map((box) => {
          const sheet = box.closest('.sheet').getBoundingClientRect(), r = box.getBoundingClientRect();
          return [r.left - sheet.left, r.top - sheet.top, r.right - sheet.left, r.bottom - sheet.top, sheet.width, sheet.height,
                  box.dataset.key || box.dataset.word];
        });""", selector)
    return [((x0 / w) * page.width, (t / h) * page.height, (x1 / w) * page.width, (b / h) * page.height, ident)
            for x0, t, x1, b, w, h, ident in rects]


def page_image(driver, site, number: int) -> Path:
    """The file the browser shows as page `number` (its src, relative to documents/)."""
    src = driver.execute_script("return document.querySelector(arguments[0]).getAttribute('src')", f"#page-{number} .sheet img")
    return site["review"] / "documents" / src


def ink(image_path: Path, bbox, page) -> float:
    """Share of the pixels inside a box (in points) clearly darker than the page's paper."""
    import numpy as np
    from PIL import Image

    with Image.open(image_path) as image:
        pixels = np.asarray(image.convert("L"))
    sx, sy = pixels.shape[1] / page.width, pixels.shape[0] / page.height
    crop = pixels[round(bbox[1] * sy):round(bbox[3] * sy), round(bbox[0] * sx):round(bbox[2] * sx)]
    paper = float(np.percentile(pixels, 90))
    return float((crop < paper - 60).mean()) if crop.size else 0.0


def test_pages_load_without_console_errors(browser, site):
    browser.get((site["review"] / "index.html").as_uri())
    rows = browser.find_elements("css selector", "#documents tbody tr")
    assert len(rows) == 3 and not errors(browser)
    records_heading = browser.find_elements("css selector", "#documents th button")[4]
    assert records_heading.text == "Records"
    records_heading.click()
    counts = [int(r.find_elements("css selector", "td")[4].text) for r in browser.find_elements("css selector", "#documents tbody tr")]
    assert counts == sorted(counts) and counts[-1] == 16
    for name in site["docs"]:
        open_document(browser, site, name)
        assert not errors(browser), name
    open_document(browser, site, REPORT)
    measure_5 = next(i for i, m in enumerate(site["docs"][REPORT].records.measures) if m.measure_id == "5")
    select_record(browser, f"measures:{measure_5}")
    time.sleep(0.5)  # the page image decodes
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "review-000_report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 50_000
    assert not errors(browser)


def test_record_boxes_land_where_the_json_puts_them(browser, site):
    document: Document = site["docs"][REPORT]
    open_document(browser, site, REPORT)
    for index, measure in enumerate(document.records.measures):
        key = f"measures:{index}"
        select_record(browser, key)
        page = document.pages[measure.provenance.page - 1]
        (box,) = [b for b in box_in_points(browser, ".box.record", page) if b[4] == key]
        assert all(abs(a - b) < 0.5 for a, b in zip(box[:4], measure.provenance.bbox)), (key, box, measure.provenance.bbox)
        assert ink(page_image(browser, site, page.number), measure.provenance.bbox, page) > 0.01, key


def test_repaired_words_boxed_and_explained(browser, site):
    from selenium.webdriver.common.by import By

    document: Document = site["docs"][LEGACY]
    open_document(browser, site, LEGACY)
    for page in document.pages[:2]:
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView()", f"page-{page.number}")
        repaired = {i: w for i, w in enumerate(page.words) if w.original is not None}
        assert repaired, page.number
        wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#page-{page.number} .box.repair")) == len(repaired),
             f"repair boxes of page {page.number}")
        image = page_image(browser, site, page.number)
        for x0, top, x1, bottom, word in box_in_points(browser, f"#page-{page.number} .box.repair", page):
            bbox = repaired[int(word)].bbox
            assert all(abs(a - b) < 0.5 for a, b in zip((x0, top, x1, bottom), bbox)), (word, bbox)
            assert ink(image, bbox, page) > 0.02, repaired[int(word)]
    # Focus (keyboard) shows what changed, by which rule, with what score.
    page = document.pages[0]
    repair = next(r for r in document.repairs if r.page == 1 and r.before == "Pdle")
    word = next(i for i, w in enumerate(page.words) if w.original == "Pdle")
    browser.execute_script("document.getElementById('page-1').scrollIntoView()")
    box = browser.find_element(By.CSS_SELECTOR, f'#page-1 .box.repair[data-word="{word}"]')
    browser.execute_script("arguments[0].focus()", box)
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and tip.text == f"Pdle → Pôle · rule {repair.rule} · score {repair.score:.2f}"


def test_pages_load_on_demand_and_keys_move(browser, site):
    from selenium.webdriver.common.by import By

    document: Document = site["docs"][REPORT]
    open_document(browser, site, REPORT)
    loaded = lambda d: len(d.find_elements(By.CSS_SELECTOR, ".sheet img"))  # noqa: E731
    assert 0 < loaded(browser) < len(document.pages)
    order = [e.get_attribute("data-key") for e in browser.find_elements(By.CSS_SELECTOR, ".record-item")]
    press(browser, "jj")
    assert browser.find_element(By.CSS_SELECTOR, '.record-item[aria-current="true"]').get_attribute("data-key") == order[1]
    assert browser.find_element(By.CSS_SELECTOR, ".box.record.selected").get_attribute("data-key") == order[1]
    browser.execute_script("document.getElementById('pages').scrollTop = 0")
    press(browser, "n")
    wait(browser, lambda d: d.execute_script(
        "return Math.abs(document.getElementById('page-2').getBoundingClientRect().top - document.getElementById('pages').getBoundingClientRect().top) < 30"),
        "page 2 at the top after n")
    press(browser, "?")
    assert browser.find_element(By.ID, "help-dialog").is_displayed()
    press(browser, "\ue00c")  # Escape
    browser.execute_script("const p = document.getElementById('pages'); p.scrollTop = p.scrollHeight")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#page-{len(document.pages)} .sheet img"), "last page image")
    assert not errors(browser)


def test_edit_download_validate_then_marked(browser, site, tmp_path):
    from selenium.webdriver.common.by import By

    document: Document = site["docs"][REPORT]
    measures = document.records.measures
    edited, rejected = (next(i for i, m in enumerate(measures) if m.measure_id == n) for n in ("5", "16"))
    open_document(browser, site, REPORT)
    select_record(browser, f"measures:{edited}")
    press(browser, "e")
    title = wait(browser, lambda d: d.find_element(By.ID, "edit-title"), "the title editor")
    title.clear()
    title.send_keys("Reconnaissance corrigée à la main")
    press(browser, "\ue00c")  # Escape: back to the record's view
    select_record(browser, f"measures:{rejected}")
    press(browser, "x")
    assert "rejected" in browser.find_element(By.CSS_SELECTOR, f'.record-item[data-key="measures:{rejected}"]').get_attribute("class")
    for old in browser.downloads.glob("*"):
        old.unlink()
    press(browser, "d")  # the real download path: a Blob saved by the browser
    target = browser.downloads / "000_report.golden.json"
    wait(browser, lambda d: target.is_file() and target.stat().st_size > 0 and not list(browser.downloads.glob("*.crdownload")), "the download")
    golden = json.loads(target.read_text(encoding="utf-8"))
    browser.find_element(By.ID, "show-golden").click()
    assert json.loads(browser.find_element(By.ID, "golden-json").get_attribute("value")) == golden

    assert golden["document"] == "000_report.pdf" and "000_report_scan.pdf" in golden["variants"]
    kept = golden["records"]["measures"]
    assert len(kept) == len(measures) - 1 and set(golden["records"]) == {"measures", "recommendations", "announcements", "tables", "statistics"}
    assert [m["title"] for m in kept if m["measure_id"] == "5"] == ["Reconnaissance corrigée à la main"]
    assert all("provenance" not in m and "confidence" not in m and m["page"] for m in kept)

    extracted = tmp_path / "000_report.json"
    extracted.write_text(document.model_dump_json(), encoding="utf-8")
    result = run_bilan("validate", extracted, "--golden", target, "--json", "--min-f1", "0.9")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["records"]["measures"] == {"gold": len(measures) - 1, "predicted": len(measures), "paired": len(measures) - 1}
    assert scores["fields"]["measures.title"]["matched"] == len(measures) - 2  # all but the edited one

    # Reviewed again against that golden: the edit and the rejection are marked.
    marked = run_bilan("review", extracted, "-o", tmp_path / "again", "--golden", target)
    assert marked.returncode == 0, marked.stderr
    browser.get((tmp_path / "again" / "documents" / f"{slug('000_report')}.html").as_uri())
    wait(browser, lambda d: d.execute_script("return !!(window.BilanReview && BilanReview.app)"), "the second review")
    badge = lambda key: browser.find_element(By.CSS_SELECTOR, f'.record-item[data-key="{key}"] .badge').text  # noqa: E731
    assert badge(f"measures:{edited}") == "≠ golden: title"
    assert badge(f"measures:{rejected}") == "not in golden"
    select_record(browser, f"measures:{edited}")
    assert "Reconnaissance corrigée à la main" in browser.find_element(By.CSS_SELECTOR, '#detail dd.differs[data-field="title"]').text
    assert not errors(browser)


def test_document_text_shows_as_text(browser, site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get((site["review"] / "index.html").as_uri())
    assert MARKUP in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#documents td a")]
    open_document(browser, site, MARKUP)
    items = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".record-item .title")]
    assert f"1 · Afficher {SCRIPT} tel quel" in items and f"2 · Refuser {IMAGE} comme balise" in items
    browser.find_element(By.CSS_SELECTOR, ".record-item").click()
    press(browser, "e")
    values = [e.get_attribute("value") for e in browser.find_elements(By.CSS_SELECTOR, "#detail textarea")]
    assert any(SCRIPT in v for v in values) or any(SVG in v for v in values), values
    browser.find_element(By.CSS_SELECTOR, "#page-1 details.reading summary").click()
    reading = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#page-1 .lines").text, "the page's reading")
    assert SCRIPT in reading and IMAGE in reading and SVG in reading
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == MARKUP
    # Nothing was parsed as markup: no alert, no element the text names, only the site's own scripts.
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert not browser.find_elements(By.CSS_SELECTOR, 'img[src="x"], img[src$="/x"], svg, textarea + svg')
    scripts = [s.get_attribute("src") for s in browser.find_elements(By.TAG_NAME, "script")]
    assert all(s and s.startswith("file://") and s.endswith(".js") and "/review/" in s for s in scripts), scripts
    assert not errors(browser)
