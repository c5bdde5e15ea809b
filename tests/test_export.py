"""Archival outputs (`bilan export`, `bilan batch --export`) on real inputs: a corpus scan, the
legacy-OCR PDF, a born-digital PDF, a real scan from ../shared, and bad inputs.

The searchable PDF is checked the way a user would: pdftotext gives the repaired words, each of
the four edges of each word within 2 pt of bilan's box, in bilan's reading order (`-raw`, which
follows the content stream, and pdfium exactly; the default mode exactly on an unskewed page);
poppler and pdfium open it without a word on stderr; PDF/A passes pikepdf's validator.
ALTO is checked against the shipped ALTO 4.4 schema, and its alternatives against an extraction
of the same pages without repair.
"""
from __future__ import annotations

import csv
import difflib
import io
import shutil
import subprocess
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

import extractors
from extractors.export.alto import alto_errors, document_alto, text_before_repair
from extractors.export.dispatch import export_document, ExportSettings
from extractors.export.layout import display_bbox, page_layout
from extractors.export.pdf import layer_pages
from extractors.export.tables import document_tables_of, table_csv
from extractors.export.text import document_text, page_text
from schemas import Document
from tests.conftest import CORPUS, REAL_PDFS, data_file, run_bilan, shared_file

pytest.importorskip("ocrmypdf", reason="the searchable PDF needs OCRmyPDF (pip install 'bilan[pdf]')")

# The criterion of issue 15: each word of the text layer within this many points of its box.
BOX_TOLERANCE = 2.0


@lru_cache(maxsize=None)
def extracted(path: Path, pages: str | None = None, lang: str = "fra+eng", repair: bool = True) -> Document:
    return extractors.extract(path, pages=pages, lang=lang, repair=repair, workers=2)


def save(document: Document, folder: Path, name: str = "doc.json") -> Path:
    path = folder / name
    path.write_text(document.model_dump_json(), encoding="utf-8")
    return path


def pdftotext_words(pdf: Path, first: int, last: int) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, the words pdftotext reads with their boxes (points, origin top-left); stderr must be empty."""
    run = subprocess.run(["pdftotext", "-bbox", "-f", str(first), "-l", str(last), str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    assert run.stderr == "", run.stderr
    root = etree.fromstring(run.stdout.encode(), etree.XMLParser(recover=True))
    pages = {}
    for number, page in enumerate(root.iterfind(".//{*}page"), start=first):
        pages[number] = [(w.text, tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                         for w in page.iterfind("{*}word")]
    return pages


def opens_cleanly(pdf: Path, pages: int) -> None:
    """poppler renders every page without a message; pdfium opens it and finds the same page count."""
    import pypdfium2 as pdfium

    for tool in (["pdftoppm", "-r", "20", "-png", str(pdf), str(pdf.with_suffix(""))], ["pdfinfo", str(pdf)]):
        run = subprocess.run(tool, capture_output=True, text=True)
        assert run.returncode == 0 and run.stderr == "", (tool[0], run.stderr)
    with pdfium.PdfDocument(pdf) as document:
        assert len(document) == pages
        for page in document:
            page.get_textpage().get_text_range()
            page.render(scale=0.1).close()


def pdftotext_text(pdf: Path, number: int, *flags: str) -> list[str]:
    run = subprocess.run(["pdftotext", *flags, "-f", str(number), "-l", str(number), str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    assert run.stderr == "", run.stderr
    return run.stdout.split()


def pdfium_words(pdf_page) -> list[str]:
    """The words pdfium reads on a page; it joins a word cut by a hyphen at a line's end with a
    U+FFFE mark, split here again as printed."""
    return pdf_page.get_textpage().get_text_range().replace("\ufffe", "- ").split()


def edge_error(page, text: str, box: tuple[float, float, float, float]) -> float:
    """The largest of the four edge distances between a word pdftotext read and the nearest box
    bilan has for that word (in the frame of the page as displayed)."""
    boxes = [display_bbox(w.bbox, page.rotation, page.width, page.height) for w in page.words
             if w.text == text and w.bbox is not None]
    return min(max(abs(a - b) for a, b in zip(candidate, box)) for candidate in boxes)


def check_layer(document: Document, pdf: Path) -> None:
    """Every word of every layered page is in the PDF's text, in bilan's repaired spelling, with
    each of its four edges within BOX_TOLERANCE of bilan's box as pdftotext -bbox reads it; the
    content stream is in bilan's reading order: pdftotext -raw reads it so on upright pages; pdfium
reads every word (it reorders a few on its own on a skewed page: its order is checked on the
corpus scan and on a sideways page)."""
    import pypdfium2 as pdfium

    tables = document_tables_of(document)
    layered = layer_pages(document)
    assert layered
    numbers = [p.number for p in layered]
    read = pdftotext_words(pdf, min(numbers), max(numbers))
    with pdfium.PdfDocument(pdf) as opened:
        for page in layered:
            found = read[page.number]
            assert Counter(t for t, _ in found) == Counter(w.text for w in page.words if w.bbox is not None), page.number
            worst = max((edge_error(page, text, box), text) for text, box in found)
            assert worst[0] <= BOX_TOLERANCE, (page.number, worst)
            expected = page_text(page, tables).split()
            if page.rotation == 0:
                assert pdftotext_text(pdf, page.number, "-raw") == expected, page.number
                assert Counter(pdfium_words(opened[page.number - 1])) == Counter(expected), page.number
            else:  # -raw compares x edges whatever the text's direction: its spaces are wrong on vertical lines
                assert pdfium_words(opened[page.number - 1]) == expected, page.number


def check_alto(document: Document, unrepaired: Document) -> bytes:
    data = document_alto(document, document_tables_of(document))
    assert alto_errors(data) == []
    # The alternatives give back the words as read, page by page, exactly (hyphen joins split again).
    for lines, page, raw in zip(text_before_repair(data), document.pages, unrepaired.pages):
        assert Counter(" ".join(lines).split()) == Counter(w.text for w in raw.words if w.bbox is not None), page.number
    return data


# --- born-digital ---------------------------------------------------------------------------------


def test_born_digital_pdf_is_left_as_it_is(tmp_path):
    document = extracted(CORPUS / "001_plan.pdf")
    json_path = save(document, tmp_path)
    run = run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "out.pdf")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out.pdf").read_bytes() == (CORPUS / "001_plan.pdf").read_bytes()


def test_born_digital_alto_hocr_txt_md_csv(tmp_path):
    document = extracted(CORPUS / "001_plan.pdf")
    tables = document_tables_of(document)
    assert tables, "001_plan.pdf prints a table"
    check_alto(document, document)
    data = document_alto(document, tables)
    root = etree.fromstring(data)
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    assert len(root.findall(".//a:ComposedBlock[@TYPE='table']", ns)) == len(tables)
    # every boxed word exactly once, in ALTO and in the reading-order layout
    strings = root.findall(".//a:String", ns)
    assert len(strings) == sum(1 for p in document.pages for w in p.words if w.bbox is not None)
    for page in document.pages:
        assert sorted(page_layout(page, tables).word_ids()) == [i for i, w in enumerate(page.words) if w.bbox]
    # a broken ALTO is caught by the schema
    broken = data.replace(b' CONTENT="', b' CONTENTS="', 1)
    assert alto_errors(broken)

    written = {}
    for fmt in ("hocr", "txt", "md", "csv"):
        target = tmp_path / ("tables" if fmt == "csv" else f"out.{fmt}")
        written[fmt] = export_document(document, fmt, target)
    etree.parse(str(written["hocr"][0]))  # well-formed XHTML
    text = written["txt"][0].read_text(encoding="utf-8")
    assert "Objectifs du plan d'action\n" in text and text.count("\f") == len(document.pages) - 1
    markdown = written["md"][0].read_text(encoding="utf-8")
    assert "\n|---|" in markdown and markdown.count("## ") >= 2
    for table, path in zip(tables, written["csv"]):
        assert list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) == table.grid()


def test_csv_keeps_cell_lines_and_quotes():
    document = extracted(CORPUS / "001_plan.pdf")
    table = document_tables_of(document)[0]
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert len(rows) == table.n_rows and all(len(r) == table.n_cols for r in rows)


# --- scans: the text layer ------------------------------------------------------------------------


@pytest.mark.ocr
def test_corpus_scan_read_with_english_ocr_gets_the_repaired_words(tmp_path):
    """An English-model OCR damages the accents; the PDF's text layer has them repaired."""
    scan = CORPUS / "001_plan_scan.pdf"
    document = extracted(scan, pages="1-2", lang="eng")
    unrepaired = extracted(scan, pages="1-2", lang="eng", repair=False)
    repaired = [w for p in document.pages for w in p.words if w.original]
    assert len(repaired) >= 10, "English OCR of French should need repairs"
    json_path = save(document, tmp_path)
    run = run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "scan.pdf")
    assert run.returncode == 0, run.stderr
    check_layer(document, tmp_path / "scan.pdf")
    opens_cleanly(tmp_path / "scan.pdf", 4)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(tmp_path / "scan.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert all(w.text in text for w in repaired)
    # pdftotext's default mode rebuilds lines from baselines: bilan's order but for a word whose
    # box is off its line (page 2's footer has a 1-pt speck read as ':' 9 pt above the line's
    # baseline, which poppler sets on a line of its own, above)
    matcher = difflib.SequenceMatcher(None, document_text(document, []).split(), text.split(), autojunk=False)
    moved = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert sum(op[2] - op[1] for op in moved if op[0] in ("delete", "replace")) <= 1, moved
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(tmp_path / "scan.pdf") as opened:  # and pdfium's, on these pages
        read = [w for n in (0, 1) for w in pdfium_words(opened[n])]
    matcher = difflib.SequenceMatcher(None, document_text(document, []).split(), read, autojunk=False)
    moved = [(op, document_text(document, []).split()[op[1]:op[2]], read[op[3]:op[4]]) for op in matcher.get_opcodes() if op[0] != "equal"]
    assert sum(op[2] - op[1] for op, _, _ in moved) <= 2, moved
    check_alto(document, unrepaired)


@pytest.mark.ocr
def test_legacy_ocr_pdf_loses_its_old_layer_and_passes_pdfa(tmp_path):
    import pikepdf
    from pikepdf import pdfa

    document = extracted(CORPUS / "000_legacy_ocr.pdf", pages="1-2")
    assert all(p.triage.decision == "ocr" for p in document.pages)
    json_path = save(document, tmp_path)
    run = run_bilan("export", json_path, "--to", "pdf", "--pdfa", "-o", tmp_path / "legacy.pdf")
    assert run.returncode == 0, run.stderr
    check_layer(document, tmp_path / "legacy.pdf")  # the damaged old words are gone: same multiset
    opens_cleanly(tmp_path / "legacy.pdf", 14)
    report = pdfa.validate_written(tmp_path / "legacy.pdf", "2b")
    assert report.passed, report
    with pikepdf.open(tmp_path / "legacy.pdf") as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's structural check


@pytest.mark.ocr
def test_real_scan(tmp_path):
    source = data_file("francais.pdf")  # OCRmyPDF's test page (tests/data/README.md)
    document = extracted(source)
    json_path = save(document, tmp_path)
    for fmt in ("pdf", "alto"):
        run = run_bilan("export", json_path, "--to", fmt, "-o", tmp_path / f"real.{fmt}")
        assert run.returncode == 0, run.stderr
    check_layer(document, tmp_path / "real.pdf")
    opens_cleanly(tmp_path / "real.pdf", 1)
    assert alto_errors((tmp_path / "real.alto").read_bytes()) == []


@pytest.mark.ocr
@pytest.mark.shared
def test_skewed_real_scan_words_at_their_boxes(tmp_path):
    """A real scan turned about 1.5 degrees: a printed line drifts up to 13 pt across the page,
    more than the pitch between lines, yet every word is within 2 pt of its box and the content
    order is bilan's. pdftotext's default mode groups words into lines by baseline and cannot
    follow such a drift everywhere: most of the order survives (measured 90%, bench/README.md)."""
    source = shared_file(REAL_PDFS / "skew.pdf")
    document = extracted(source)
    json_path = save(document, tmp_path)
    run = run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "skew.pdf")
    assert run.returncode == 0, run.stderr
    check_layer(document, tmp_path / "skew.pdf")
    opens_cleanly(tmp_path / "skew.pdf", 1)
    expected = page_text(document.pages[0], document_tables_of(document)).split()
    matcher = difflib.SequenceMatcher(None, expected, pdftotext_text(tmp_path / "skew.pdf", 1), autojunk=False)
    assert sum(b.size for b in matcher.get_matching_blocks()) / len(expected) >= 0.85


@pytest.mark.ocr
def test_sideways_scan_words_run_along_the_printed_lines(tmp_path):
    """A page scanned sideways (the image turned a quarter, the PDF page not rotated): bilan reads
    it turned back, and the layer's words are written along the printed lines, each within 2 pt
    of its box in the frame of the page as displayed, and pdfium reads them in bilan's order.
    (pdftotext's default mode reads such a page's lines whole but in an order of its own, as it
    does with the hOCR-rendered layer: bench/README.md.)"""
    import img2pdf
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(CORPUS / "001_plan_scan.pdf") as pdf:
        image = pdf[0].render(scale=200 / 72).to_pil().convert("L").rotate(90, expand=True)
    image.save(tmp_path / "page.png", dpi=(200, 200))
    (tmp_path / "sideways.pdf").write_bytes(img2pdf.convert(str(tmp_path / "page.png")))
    document = extractors.extract(tmp_path / "sideways.pdf", workers=1)
    assert document.pages[0].rotation in (90, 270) and document.pages[0].origin == "ocr"
    json_path = save(document, tmp_path)
    run = run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "out.pdf")
    assert run.returncode == 0, run.stderr
    check_layer(document, tmp_path / "out.pdf")
    opens_cleanly(tmp_path / "out.pdf", 1)


# --- bad input: one line, nothing written -----------------------------------------------------------


def assert_one_line_error(run, code: int, *words: str) -> None:
    assert run.returncode == code, (run.returncode, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bilan: "), run.stderr
    assert all(w in lines[0] for w in words), lines[0]


def nothing_written(folder: Path, keep: set[str]) -> bool:
    return {p.name for p in folder.iterdir()} == keep


def test_text_dump_has_no_page_for_a_text_layer(tmp_path):
    document = extracted(CORPUS / "seeds" / "001_d6fa14bbe54c387b.txt")
    json_path = save(document, tmp_path)
    assert_one_line_error(run_bilan("export", json_path, "--to", "pdf"), 4, "doc.json", "no page images")
    assert_one_line_error(run_bilan("export", json_path, "--to", "alto"), 4, "no word boxes")
    assert nothing_written(tmp_path, {"doc.json"})
    assert run_bilan("export", json_path, "--to", "txt,md").returncode == 0


def test_moved_or_changed_source(tmp_path):
    source = tmp_path / "plan.pdf"
    shutil.copyfile(CORPUS / "001_plan.pdf", source)
    document = extractors.extract(source, pages="1")
    json_path = save(document, tmp_path)
    source.rename(tmp_path / "elsewhere.pdf")
    assert_one_line_error(run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "out.pdf"), 3, "moved")
    shutil.copyfile(CORPUS / "002_plan.pdf", source)  # another file under the old name
    assert_one_line_error(run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "out.pdf"), 5, "changed")
    assert nothing_written(tmp_path, {"doc.json", "plan.pdf", "elsewhere.pdf"})


def test_password_protected_source(tmp_path):
    source = CORPUS / "bad" / "encrypted.pdf"
    document = extractors.extract(source, password="secret")
    # a layer page is needed for OCRmyPDF to open the file: pretend page 1 was OCR'd
    page = document.pages[0].model_copy(update={"origin": "ocr", "triage": None})
    document = document.model_copy(update={"pages": [page, *document.pages[1:]]})
    json_path = save(document, tmp_path)
    assert_one_line_error(run_bilan("export", json_path, "--to", "pdf", "-o", tmp_path / "out.pdf"), 6, "password")
    assert nothing_written(tmp_path, {"doc.json"})
    run = run_bilan("export", json_path, "--to", "pdf", "--password", "secret", "-o", tmp_path / "out.pdf")
    assert run.returncode == 0, run.stderr
    words = pdftotext_words(tmp_path / "out.pdf", 1, 1)[1]
    assert len(words) >= len(page.words)  # the page's own text and bilan's layer


def test_not_a_document_json(tmp_path):
    bad = tmp_path / "records.json"
    bad.write_text('{"measures": []}', encoding="utf-8")
    assert_one_line_error(run_bilan("export", bad, "--to", "txt"), 5, "not a bilan document JSON")
    assert_one_line_error(run_bilan("export", bad, "--to", "docx"), 2, "docx")


# --- batch --------------------------------------------------------------------------------------------


def test_batch_export_writes_beside_each_json_and_resumes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(CORPUS / "001_plan.pdf", folder / "plan.pdf")
    shutil.copyfile(CORPUS / "seeds" / "001_d6fa14bbe54c387b.txt", folder / "plan.txt")
    out = tmp_path / "out"
    run = run_bilan("batch", folder, "-o", out, "--workers", "1", "--export", "pdf,alto,md,csv")
    assert run.returncode == 0, run.stderr
    documents = out / "documents"
    names = {p.name for p in documents.iterdir()}
    assert {"plan.pdf.searchable.pdf", "plan.pdf.alto.xml", "plan.pdf.md", "plan.pdf.tables", "plan.txt.md"} <= names
    assert "plan.txt.searchable.pdf" not in names and "plan.txt.alto.xml" not in names  # no page to place words on
    stamp = (documents / "plan.pdf.alto.xml").stat().st_mtime_ns
    run = run_bilan("batch", folder, "-o", out, "--workers", "1", "--resume", "--export", "pdf,alto,md,csv")
    assert run.returncode == 0, run.stderr
    assert (documents / "plan.pdf.alto.xml").stat().st_mtime_ns == stamp  # up to date: not rewritten
    run = run_bilan("export", out, "--to", "txt")
    assert run.returncode == 0 and (documents / "plan.pdf.txt").exists() and (documents / "plan.txt.txt").exists()
