"""The searchable PDF (`bilan export --to pdf`): time per page, and where pdftotext finds each word
against bilan's box. Reads `bilan extract` JSON files (extract them first; OCR is not timed here).

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/export_pdf.py DOC.json [DOC.json ...] [--runs 3]

For each document: median seconds of `export_pdf` over the runs (one OCRmyPDF worker), pages
given a layer, and over every word pdftotext reads on those pages: the largest x-edge error, and
the share of words whose top and bottom edges are within 2 pt of bilan's box.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from lxml import etree

from extractors.export.dispatch import load_document
from extractors.export.pdf import export_pdf, layer_pages
from extractors.export.tables import document_tables_of


def deviations(document, pdf: Path) -> tuple[float, float, int]:
    pages = layer_pages(document)
    worst_x, within, total = 0.0, 0, 0
    for page in pages:
        out = subprocess.run(["pdftotext", "-bbox", "-f", str(page.number), "-l", str(page.number), str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        boxes: dict[str, list] = {}
        for word in page.words:
            boxes.setdefault(word.text, []).append(word.bbox)
        for w in etree.fromstring(out.encode(), etree.XMLParser(recover=True)).iterfind(".//{*}word"):
            x0, top, x1, bottom = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            best = min(boxes[w.text], key=lambda b: abs(b[0] - x0) + abs(b[2] - x1) + abs(b[1] - top))
            worst_x = max(worst_x, abs(best[0] - x0), abs(best[2] - x1))
            within += abs(best[1] - top) <= 2 and abs(best[3] - bottom) <= 2
            total += 1
    return worst_x, within / max(total, 1), total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("documents", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for path in args.documents:
        document = load_document(path)
        tables = document_tables_of(document)
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "out.pdf"
            seconds = []
            for _ in range(args.runs):
                started = time.perf_counter()
                export_pdf(document, tables, target)
                seconds.append(time.perf_counter() - started)
            worst_x, share, words = deviations(document, target)
        layered = len(layer_pages(document))
        print(f"{path.name}: {layered} pages layered, {statistics.median(seconds):.2f} s "
              f"({statistics.median(seconds) / max(layered, 1):.2f} s/page); {words} words: x edges within "
              f"{worst_x:.2f} pt, top and bottom within 2 pt for {share:.1%}")


if __name__ == "__main__":
    main()
