"""Text layers read with pdfium (extractors.ingest.pdf_chars) against pdfplumber, which read them before.

pdfium is several times faster, so the words must come out as pdfplumber's did wherever
pdfplumber was right: same words in the same order on the corpus and on real PDFs from other
producers, the same drawn lines, rotated pages in the same coordinates. Where they differ on
purpose (ligatures, turned text), the test says which is right.
"""
from __future__ import annotations

import pdfplumber
import pypdfium2 as pdfium
import pytest

from tests.conftest import CORPUS, DATA, ICDAR_TABLES, committed, data_file, shared_file
from extractors.ingest.pdf_chars import PageTransform, page_chars, page_rulings
from extractors.ingest.text_layer import glue_split_words, page_words

# Producers: reportlab (corpus), Word (PV), a municipal by-law, a zoning table.
SAME_WORDS = [CORPUS / f"{name}.pdf" for name in ("000_report", "001_plan", "002_plan", "003_communiques")] + [
    DATA / name for name in ("2023-06-20-PV.pdf", "RGL-1310-Identification-Maple-Leaf-adoption.pdf", "zonage_crlf.pdf")
]


def plumber_words(page) -> list[tuple[str, tuple[float, ...], str]]:
    """What bilan read with pdfplumber before pdfium (same word grouping parameters)."""
    raw = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance_ratio=0.15,
                             extra_attrs=["fontname", "size"])
    return [(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"])) for w in glue_split_words(raw)]


def pdfium_words(pdf, index: int) -> list[tuple[str, tuple[float, ...]]]:
    page = pdf[index]
    try:
        return [(w.text, w.bbox) for w in page_words(page)]
    finally:
        page.close()


@pytest.mark.parametrize("path", SAME_WORDS, ids=lambda p: p.name)
def test_same_words_as_pdfplumber(path):
    committed(path)
    with pdfplumber.open(path) as plumber, pdfium.PdfDocument(str(path)) as pdf:
        for index, plumber_page in enumerate(plumber.pages):
            expected = plumber_words(plumber_page)
            got = pdfium_words(pdf, index)
            assert [text for text, _ in got] == [text for text, _ in expected], f"page {index + 1}"
            for (text, box), (_, want) in zip(got, expected):
                # Within a point: along a long line pdfium's glyph positions drift up to 0.65 pt from
                # pdfminer's (rounded /Widths against the font program's own advances).
                assert max(abs(a - b) for a, b in zip(box, want)) < 1.0, (path.name, index + 1, text, box, want)


def test_drawn_lines_match_pdfplumber_on_the_ruled_annex():
    path = CORPUS / "000_report.pdf"
    with pdfplumber.open(path) as plumber, pdfium.PdfDocument(str(path)) as pdf:
        for index in (7, 8, 9):  # the annex table, ruled, over three pages
            want = sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in plumber.pages[index].lines)
            want += sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in plumber.pages[index].rects
                           if min(r["width"], r["height"]) <= 3.0)
            got = sorted((r.x0, r.top, r.x1, r.bottom) for r in page_rulings(pdf[index]))
            assert len(got) == len(want) > 10
            for a, b in zip(got, sorted(want)):
                assert max(abs(x - y) for x, y in zip(a, b)) < 0.2


@pytest.mark.shared
def test_a_rotated_page_is_read_as_displayed():
    """/Rotate 90 (ICDAR eu-015): coordinates of the page as shown, like pdfplumber's."""
    path = shared_file(ICDAR_TABLES / "competition-dataset-eu" / "eu-015.pdf")
    with pdfplumber.open(path) as plumber, pdfium.PdfDocument(str(path)) as pdf:
        transform = PageTransform.of(pdf[0])
        assert (transform.width, transform.height) == (plumber.pages[0].width, plumber.pages[0].height)
        want = [c for c in plumber.pages[0].chars if not c["text"].isspace()][:200]
        got = [c for c in page_chars(pdf[0]) if not c["text"].isspace()][:200]
        assert [c["text"] for c in got] == [c["text"] for c in want]
        for a, b in zip(got, want):
            # top within a point: on turned pages the box comes from pdfium's loose glyph box
            assert abs(a["x0"] - b["x0"]) < 0.05 and abs(a["top"] - b["top"]) < 1.0


def test_ligatures_are_spelled_out_inside_their_word():
    """pdfium splits the glyph "ﬁ" into letters sharing one origin; the word must stay whole."""
    with pdfium.PdfDocument(str(data_file("fr_olap.pdf"))) as pdf:
        texts = [text for text, _ in pdfium_words(pdf, 0)]
    assert "efficacement" in " ".join(texts) or any(t.startswith("efficac") for t in texts)
    assert not any(t in ("effi", "ﬁ", "ﬃ") for t in texts)


def test_turned_text_is_read_along_its_direction():
    """issue-71 page 19 has a table header turned a quarter left; pdfplumber gave one letter per
    word there, pdfium's direction gives the words."""
    with pdfium.PdfDocument(str(data_file("issue-71-duplicate-chars-2.pdf"))) as pdf:
        texts = [text for text, _ in pdfium_words(pdf, 18)]
    assert "Item" in texts and "265" in texts
    single_letters = sum(len(t) == 1 and t.isalpha() for t in texts)
    assert single_letters < 10
