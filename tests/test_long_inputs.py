"""Inputs built to hang or crash a reader: a multi-megabyte single line, a paragraph of tens of
thousands of wrapped lines, HTML nested 1,000 levels deep, degenerate word boxes. Each must be read
(in linear time: a batch with a time limit reads them all), never raise."""
from __future__ import annotations

import shutil
import textwrap

import duckdb
import pytest

from extractors.french.line_join import join_wrapped, join_wrapped_lines
from extractors.ingest.html import html_to_document
from extractors.options import IngestOptions
from extractors.pipeline import file_to_document
from extractors.records.stage import document_to_records
from tests.conftest import CORPUS, committed, run_bilan, seed


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_joining_lines_in_one_pass_is_folding_join_wrapped(prefix):
    lines = seed(prefix).read_text(encoding="utf-8").splitlines()
    folded = ""
    for line in lines:
        folded = join_wrapped(folded, line)
    assert join_wrapped_lines(lines) == folded


def test_a_run_of_letters_longer_than_any_word_joins_as_it_would_whole():
    run = "a" * 5_000_000 + "-"
    assert join_wrapped(run, "bc de") == run + "bc de"  # no French word: the hyphen stays, no space
    assert join_wrapped_lines(["x", run, "bc de"]) == "x " + run + "bc de"
    assert join_wrapped("la reconnaissance des com-", "pétences") == "la reconnaissance des compétences"


def nested(tag: str, inner: str, depth: int, item: str = "") -> str:
    return (f"<{tag}>{item}" * depth) + inner + (f"</{tag}>" * depth)


def test_html_nested_a_thousand_levels(tmp_path):
    page = tmp_path / "nested.html"
    lists = "".join(f"<ul><li>niveau {n}" for n in range(1, 1001)) + "</li></ul>" * 1000
    page.write_text("<html><body>" + nested("div", "<p>Le Pôle de coordination</p>", 1000) + lists
                    + nested("table", "<tr><td>cellule</td></tr>", 300, "<tr><td>") + "</body></html>", encoding="utf-8")
    document = html_to_document(page)
    blocks = document.pages[0].blocks
    assert blocks[0].kind == "paragraph" and blocks[0].text == "Le Pôle de coordination"
    items = [b for b in blocks if b.kind == "list_item"]
    assert [(b.level, b.text) for b in items] == [(n, f"niveau {n}") for n in range(1, 1001)]
    assert blocks[-1].kind == "table" and "cellule" in blocks[-1].text


def test_corpus_html_reads_as_before():
    """The stack-based reading gives the blocks the recursive one gave on the corpus page."""
    document = html_to_document(committed(CORPUS / "001_page.html"))
    kinds = [b.kind for b in document.pages[0].blocks]
    assert kinds.count("heading") >= 3 and kinds.count("list_item") >= 5
    assert not any("  " in b.text or b.text != b.text.strip() for b in document.pages[0].blocks)


@pytest.mark.parametrize("shape", ["point", "flat", "zero"])
def test_degenerate_word_boxes_do_not_break_the_records_stage(shape):
    """Boxes without height or width (a broken text layer, an OCR engine's empty box): the records
    stage reads what it can, no ZeroDivisionError (extractors.records.units)."""
    document = file_to_document(committed(CORPUS / "004_avis.pdf"), IngestOptions(ocr="never", records=False))
    pages = []
    for page in document.pages:
        words = []
        for word in page.words:
            x0, top, x1, _ = word.bbox
            box = {"point": (x0, top, x0, top), "flat": (x0, top, x1, top), "zero": (0.0, 0.0, 0.0, 0.0)}[shape]
            words.append(word.model_copy(update={"bbox": box}))
        pages.append(page.model_copy(update={"words": words}))
    document_to_records(document.model_copy(update={"pages": pages}))


def test_long_inputs_are_read_within_a_time_limit(tmp_path):
    """A batch where each document has two minutes: a quadratic step on these inputs would take
    far longer (seconds each in linear time)."""
    folder = tmp_path / "in"
    folder.mkdir()
    words = seed("001").read_text(encoding="utf-8").split()
    text = " ".join(words)
    (folder / "one_line.txt").write_text((text + " ") * (1_000_000 // len(text)), encoding="utf-8")
    paragraph = textwrap.wrap((text.replace(".", ",") + " ") * 40, 70)  # one paragraph, ~20,000 lines
    (folder / "paragraph.txt").write_text("\n".join(paragraph), encoding="utf-8")
    (folder / "nested.html").write_text(nested("div", "<p>Le Pôle</p>", 1000), encoding="utf-8")
    shutil.copy(seed("003"), folder / "communiques.txt")
    out = tmp_path / "out"
    result = run_bilan("batch", folder, "-o", out, "--no-repair", "--timeout-per-doc", "120", "--workers", "2",
                       timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(out / "bilan.duckdb"), read_only=True) as con:
        assert dict(con.execute("SELECT doc_id, status FROM documents").fetchall()) == {
            "communiques.txt": "success", "nested.html": "success", "one_line.txt": "success",
            "paragraph.txt": "success"}
