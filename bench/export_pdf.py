"""The searchable PDF (`bilan export --to pdf`): its three writers side by side (`direct`: bilan
writes the layer with pikepdf; `sandwich`: OCRmyPDF grafts the text-only pages the engine plugin
writes; `hocr`: OCRmyPDF's renderer places the hOCR the plugin hands it). Reads `bilan extract`
JSON files (extract them first; OCR is not timed here).

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/export_pdf.py DOC.json [DOC.json ...] [--runs 3] [--pdfa]

Runs are interleaved (direct, sandwich, hocr, direct, ...), one OCRmyPDF worker. For each
document and writer: median seconds per layered page; over every word pdftotext -bbox reads on
the layered pages, the share within 2 pt of bilan's box on all four edges and the worst edge
error; reading order against bilan's text (`extractors.export.text`): the share of words in the
longest common subsequence, for pdftotext's default and -raw modes and pdfium's
get_text_range; any message poppler or pdfium writes. With --pdfa, PDF/A-2b output checked by
pikepdf's validator and qpdf's syntax check.
"""
from __future__ import annotations

import argparse
import difflib
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from lxml import etree

from extractors.export.dispatch import load_document
from extractors.export.layout import display_bbox
from extractors.export.pdf import WRITERS, export_pdf, layer_pages
from extractors.export.tables import document_tables_of
from extractors.export.text import page_text

TOLERANCE = 2.0


def pdftotext(pdf: Path, number: int, *flags: str) -> tuple[str, str]:
    run = subprocess.run(["pdftotext", *flags, "-f", str(number), "-l", str(number), str(pdf), "-"],
                         capture_output=True, text=True)
    return run.stdout, run.stderr


def box_errors(page, pdf: Path) -> tuple[list[float], str]:
    """Per word pdftotext reads, its largest edge error against the nearest box of that word."""
    out, err = pdftotext(pdf, page.number, "-bbox")
    boxes: dict[str, list] = {}
    for word in page.words:
        if word.bbox is not None:
            boxes.setdefault(word.text, []).append(display_bbox(word.bbox, page.rotation, page.width, page.height))
    errors = []
    for w in etree.fromstring(out.encode(), etree.XMLParser(recover=True)).iterfind(".//{*}word"):
        got = [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
        candidates = boxes.get(w.text) or [[float("inf")] * 4]
        errors.append(min(max(abs(a - b) for a, b in zip(box, got)) for box in candidates))
    return errors, err


def agreement(expected: list[str], got: list[str]) -> float:
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(expected), 1)


def measure(document, pdf: Path) -> dict:
    import pypdfium2 as pdfium

    tables = document_tables_of(document)
    errors, expected, default, raw, fium, messages = [], [], [], [], [], ""
    with pdfium.PdfDocument(str(pdf)) as opened:
        for page in layer_pages(document):
            page_errors, err = box_errors(page, pdf)
            errors += page_errors
            messages += err
            expected += page_text(page, tables).split()
            for words, flags in ((default, ()), (raw, ("-raw",))):
                out, err = pdftotext(pdf, page.number, *flags)
                words += out.split()
                messages += err
            fium += opened[page.number - 1].get_textpage().get_text_range().split()
    return {"words": len(errors), "within": sum(e <= TOLERANCE for e in errors) / max(len(errors), 1),
            "worst": max(errors, default=0.0), "default": agreement(expected, default),
            "raw": agreement(expected, raw), "pdfium": agreement(expected, fium), "messages": messages.strip()}


def pdfa_verdict(pdf: Path) -> str:
    import pikepdf
    from pikepdf import pdfa

    report = pdfa.validate_written(pdf, "2b")
    with pikepdf.open(pdf) as opened:
        syntax = opened.check_pdf_syntax()
    return f"pikepdf PDF/A-2b {'approved' if report.passed else 'refused'}, qpdf {'clean' if not syntax else syntax[:2]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("documents", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdfa", action="store_true")
    parser.add_argument("--writers", default=",".join(WRITERS))
    args = parser.parse_args()
    writers = args.writers.split(",")
    for path in args.documents:
        document = load_document(path)
        tables = document_tables_of(document)
        layered = max(len(layer_pages(document)), 1)
        seconds: dict[str, list[float]] = {w: [] for w in writers}
        with tempfile.TemporaryDirectory() as scratch:
            for _ in range(args.runs):
                for writer in writers:
                    target = Path(scratch) / f"{writer}.pdf"
                    started = time.perf_counter()
                    export_pdf(document, tables, target, pdfa=args.pdfa, writer=writer)
                    seconds[writer].append(time.perf_counter() - started)
            for writer in writers:
                target = Path(scratch) / f"{writer}.pdf"
                m = measure(document, target)
                verdict = f"; {pdfa_verdict(target)}" if args.pdfa else ""
                print(f"{path.name} {writer}: {statistics.median(seconds[writer]) / layered:.2f} s/page "
                      f"({layered} pages); {m['words']} words, {m['within']:.1%} within {TOLERANCE:g} pt on all "
                      f"four edges, worst {m['worst']:.2f} pt; order: default {m['default']:.2%}, raw {m['raw']:.2%}, "
                      f"pdfium {m['pdfium']:.2%}; messages: {m['messages'] or 'none'}{verdict}", flush=True)


if __name__ == "__main__":
    main()
