"""PDF path on real files: text-layer words, fonts and boxes, page selection, typed errors."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.conftest import CORPUS, DATA, committed, data_file
from extractors.errors import (
    BilanError,
    CorruptInput,
    EmptyDocument,
    EncryptedPDF,
    InputTooLarge,
    UnsupportedInput,
)
from extractors.pipeline import file_to_document
from extractors.options import IngestOptions
from extractors.ingest.pdf import pdf_to_document

TEXT_ONLY = IngestOptions(ocr="never")  # these tests must not depend on Tesseract

BORN_DIGITAL = [
    "2023-06-20-PV.pdf",
    "RGL-1310-Identification-Maple-Leaf-adoption.pdf",
    "zonage_crlf.pdf",
    "fr_olap.pdf",
    "issue-71-duplicate-chars-2.pdf",
]


def real_pdf(name: str) -> Path:
    return data_file(name)


def corpus_born_digital() -> list[Path]:
    """corpus/*.pdf except the scans and the legacy-OCR file: typeset with reportlab."""
    return [p for p in sorted(CORPUS.glob("*.pdf")) if not p.name.endswith("_scan.pdf") and "legacy" not in p.name]


def born_digital_pdfs() -> list[Path]:
    real = [DATA / n for n in BORN_DIGITAL]
    return real + corpus_born_digital()


def make_pdf(path: Path, pages: list[list[tuple[str, str]]], **canvas_args) -> Path:
    """A born-digital PDF; each page a list of (font name, text) lines, drawn top to bottom."""
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), **canvas_args)
    for lines in pages:
        y = 750
        for font, text in lines:
            drawing.setFont(font, 12)
            drawing.drawString(72, y, text)
            y -= 20
        drawing.showPage()
    drawing.save()
    return path


# --- words, fonts, bold ------------------------------------------------------------------------


def test_bold_comes_from_the_font_name(tmp_path):
    path = make_pdf(
        tmp_path / "bold.pdf",
        [[("Helvetica-Bold", "Rapport annuel"), ("Helvetica", "Texte courant du rapport"), ("Times-BoldItalic", "Note")]],
    )
    doc = pdf_to_document(path, TEXT_ONLY)
    assert doc.status == "success"
    words = {w.text: w for w in doc.pages[0].words}
    assert words["Rapport"].bold is True and words["annuel"].bold is True
    assert words["Rapport"].font == "Helvetica-Bold"
    assert words["Texte"].bold is False and words["courant"].font == "Helvetica"
    assert words["Note"].bold is True
    assert all(w.origin == "text-layer" and w.confidence is None for w in words.values())
    assert [line.text for line in doc.pages[0].lines] == ["Rapport annuel", "Texte courant du rapport", "Note"]


def test_bold_words_of_real_pdfs():
    doc = pdf_to_document(real_pdf("issue-71-duplicate-chars-2.pdf"), IngestOptions(ocr="never", pages="1"))
    words = doc.pages[0].words
    title = [w for w in words if w.text in ("DÉSORDRES", "ACIDE-BASE")]
    assert title and all(w.bold for w in title)
    assert all(not w.font.startswith(("FEFTMW+",)) for w in words if w.font)  # subset prefix gone
    body = [w for w in words if w.text == "Prescrire"]
    assert body and not any(w.bold for w in body)
    zonage = pdf_to_document(real_pdf("zonage_crlf.pdf"), TEXT_ONLY)
    bold = {w.text for w in zonage.pages[0].words if w.bold}
    assert {"COMMERCIAL", "Lotissement"} <= bold
    assert "dispositions" not in bold


def test_corpus_report_headings_are_bold():
    reports = corpus_born_digital()
    assert len(reports) == 5, reports  # 000-004, committed
    for path in reports:
        try:
            doc = pdf_to_document(path, IngestOptions(ocr="never", pages="1-3"))
        except EncryptedPDF:
            continue
        words = [w for p in doc.pages for w in p.words]
        assert any(w.bold for w in words), path.name
        assert any(w.bold is False for w in words), path.name


def test_duplicate_characters_are_removed():
    doc = pdf_to_document(real_pdf("issue-71-duplicate-chars-2.pdf"), IngestOptions(ocr="never", pages="1"))
    text = doc.pages[0].text
    assert "Circulation" in text and "Métabolismes" in text
    assert "CCiirrccuullaattiioonn" not in text and "MMééttaabboolliissmmeess" not in text


def test_tight_latex_spacing_still_separates_words():
    doc = pdf_to_document(real_pdf("fr_olap.pdf"), IngestOptions(ocr="never", pages="1"))
    texts = {w.text for w in doc.pages[0].words}
    assert "Julien" in texts and "JulienAligon" not in texts


def test_small_caps_pieces_are_glued_into_one_word():
    doc = pdf_to_document(real_pdf("issue-71-duplicate-chars-2.pdf"), IngestOptions(ocr="never", pages="1"))
    assert "Chapitre" in {w.text for w in doc.pages[0].words}


@pytest.mark.parametrize("path", born_digital_pdfs(), ids=lambda p: p.name)
def test_boxes_lie_inside_the_page(path):
    doc = pdf_to_document(committed(path), TEXT_ONLY)
    assert doc.status == "success"
    assert doc.source.kind == "pdf" and doc.source.page_count == len(doc.pages)
    for page in doc.pages:
        assert page.origin == "text-layer" and page.triage.decision == "text-layer"
        assert page.width > 0 and page.height > 0
        for word in page.words:
            x0, top, x1, bottom = word.bbox
            assert 0 <= x0 <= x1 <= page.width + 0.01, (page.number, word)
            assert 0 <= top <= bottom <= page.height + 0.01, (page.number, word)
        for line in page.lines:
            assert line.word_ids and all(0 <= i < len(page.words) for i in line.word_ids)


def test_born_digital_pages_are_not_ocred_under_auto():
    # auto, not never: if triage got this wrong the page would be OCR'd and origin would say so.
    doc = pdf_to_document(real_pdf("RGL-1310-Identification-Maple-Leaf-adoption.pdf"))
    assert [p.origin for p in doc.pages] == ["text-layer", "text-layer"]
    assert "Maple" in doc.text


# --- page selection --------------------------------------------------------------------------


def test_pages_selection():
    path = real_pdf("issue-71-duplicate-chars-2.pdf")
    doc = pdf_to_document(path, IngestOptions(ocr="never", pages="2-3,7"))
    assert [p.number for p in doc.pages] == [2, 3, 7]
    assert doc.source.page_count == 20
    assert doc.pages[0].text.startswith("72 UE 8")
    tail = pdf_to_document(path, IngestOptions(ocr="never", pages="19-"))
    assert [p.number for p in tail.pages] == [19, 20]


def test_pages_beyond_the_end_are_a_bad_option():
    with pytest.raises(BilanError) as caught:
        pdf_to_document(real_pdf("zonage_crlf.pdf"), IngestOptions(pages="5"))
    assert caught.value.exit_code == 2


# --- scans under --ocr never ----------------------------------------------------------------


def test_scan_under_ocr_never_is_skipped_with_a_warning():
    doc = pdf_to_document(real_pdf("francais.pdf"), TEXT_ONLY)
    assert doc.status == "skipped"
    assert [p.origin for p in doc.pages] == ["empty"]
    assert doc.errors and doc.errors[0].level == "warning" and "--ocr never" in doc.errors[0].message


def test_blank_page_is_empty_not_an_error(tmp_path):
    path = make_pdf(tmp_path / "blank.pdf", [[("Helvetica", "Une page de texte courant.")], []])
    doc = pdf_to_document(path)
    assert doc.status == "success"
    assert [p.origin for p in doc.pages] == ["text-layer", "empty"]
    assert [e.level for e in doc.errors] == ["warning"] and doc.errors[0].page == 2


# --- typed errors -------------------------------------------------------------------------------


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt

    path = make_pdf(
        tmp_path / "secret.pdf",
        [[("Helvetica", "Document confidentiel")]],
        encrypt=pdfencrypt.StandardEncryption("motdepasse", ownerPassword="proprio"),
    )
    with pytest.raises(EncryptedPDF, match="give the password with --password"):
        pdf_to_document(path, TEXT_ONLY)
    with pytest.raises(EncryptedPDF, match="is wrong"):
        pdf_to_document(path, IngestOptions(ocr="never", password="faux"))
    doc = pdf_to_document(path, IngestOptions(ocr="never", password="motdepasse"))  # pdfplumber too
    assert doc.text == "Document confidentiel"


def test_truncated_pdf(tmp_path):
    data = real_pdf("RGL-1310-Identification-Maple-Leaf-adoption.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptInput, match="truncated or corrupt PDF"):
        pdf_to_document(path, TEXT_ONLY)


def test_pdf_without_pages(tmp_path):
    path = tmp_path / "zero.pdf"
    pdfium.PdfDocument.new().save(str(path))
    with pytest.raises(EmptyDocument, match="no pages"):
        pdf_to_document(path, TEXT_ONLY)


def test_oversized_scanned_page(tmp_path):
    """A 139-inch image page would be 1.7 Gpx at 300 dpi: refused before rendering."""
    from PIL import Image
    from reportlab.pdfgen import canvas

    image = tmp_path / "tile.png"
    Image.new("L", (50, 50), 255).save(image)
    path = tmp_path / "huge_page.pdf"
    drawing = canvas.Canvas(str(path), pagesize=(10000, 10000))
    drawing.drawImage(str(image), 0, 0, 10000, 10000)
    drawing.showPage()
    drawing.save()
    with pytest.raises(InputTooLarge, match="above the limit"):
        pdf_to_document(path)


# Expected error per file of corpus/bad (see corpus/make_corpus.py, make_bad_inputs).
BAD_EXPECTATIONS = {
    "truncated.pdf": CorruptInput,
    "not_a_pdf.pdf": UnsupportedInput,
    "encrypted.pdf": EncryptedPDF,
    "zero_pages.pdf": EmptyDocument,
}


def bad_pdfs() -> list[Path]:
    return sorted((CORPUS / "bad").glob("*.pdf"))


@pytest.mark.parametrize("path", bad_pdfs(), ids=lambda p: p.name)
def test_bad_corpus_pdfs(path):
    if path.name == "empty_page.pdf":
        doc = file_to_document(path)  # a blank page is a warning, and a document without text fails
        assert [p.origin for p in doc.pages] == ["empty"]
        assert doc.status == "failed"
        assert any(e.level == "warning" and e.page == 1 for e in doc.errors)
        return
    expected = BAD_EXPECTATIONS.get(path.name, BilanError)
    with pytest.raises(BilanError) as caught:
        file_to_document(path)
    assert isinstance(caught.value, expected), (path.name, caught.value)
    assert str(path) in str(caught.value)


def test_corpus_encrypted_pdf_opens_with_its_password():
    path = committed(CORPUS / "bad" / "encrypted.pdf")
    doc = pdf_to_document(path, IngestOptions(password="secret", pages="1"))
    assert doc.status == "success" and doc.pages[0].origin == "text-layer" and doc.pages[0].words


def test_bad_corpus_present():
    """test_bad_corpus_pdfs runs over what is there: every committed bad PDF must be, each with its
    expected error (or the blank page, which reads)."""
    assert {p.name for p in bad_pdfs()} == {*BAD_EXPECTATIONS, "empty_page.pdf"}


def test_doubled_glyph_check_finds_twins_whatever_lies_between():
    from extractors.ingest.text_layer import has_doubled_glyphs

    line = [{"text": "e", "x0": 50.0, "top": 100.0}, {"text": "e", "x0": 80.0, "top": 100.0}]
    assert not has_doubled_glyphs(line)
    # the twin of the first "e", 0.3 pt lower, sorts after the second "e"
    assert has_doubled_glyphs(line + [{"text": "e", "x0": 50.2, "top": 100.3}])
    assert not has_doubled_glyphs(line + [{"text": "a", "x0": 50.2, "top": 100.3}])
    assert has_doubled_glyphs([{"text": "x", "x0": 10.0, "top": 9.95}, {"text": "x", "x0": 10.4, "top": 10.05}])
