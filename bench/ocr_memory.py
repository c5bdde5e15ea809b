"""Memory of one OCR worker over a long batch: does a warm Tesseract API grow page after page?

    .venv/bin/python bench/ocr_memory.py [--pages 1000] [--dpi 300] [--every 50]

Runs what a batch worker runs for each scanned page (`extractors.ocr.jobs.ocr_job`: render or
decode, OCR with the process's warm Tesseract, bold, rulings), in one process, over --pages pages
taken in turn from corpus/*_scan.pdf, and prints this process's resident memory (VmRSS) and peak
(VmHWM) every --every pages. A worker also holds the rest of its document's work (repair, records,
JSON), which `bench/batch_bench.py memory` measures on whole batches. `--dpi 150` renders the
pages at half resolution (a quarter of the OCR time) for a quicker check of growth per page.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def status() -> dict[str, int]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--lang", default="fra+eng")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pypdfium2 as pdfium

    from extractors.ocr.engine import ocr_engine
    from extractors.ocr.jobs import OcrJob, ocr_job

    pages = []
    for path in sorted((ROOT / "corpus").glob("*_scan.pdf")):
        with pdfium.PdfDocument(str(path)) as pdf:
            pages += [(str(path), index) for index in range(len(pdf))]
    print(f"engine {ocr_engine().identity()}; {len(pages)} distinct pages, {args.pages} reads at {args.dpi} dpi; "
          f"start {status()} MB", flush=True)
    started, words = time.process_time(), 0
    for n in range(1, args.pages + 1):
        path, index = pages[(n - 1) % len(pages)]
        result = ocr_job(OcrJob(kind="pdf", path=path, index=index, number=index + 1, dpi=args.dpi, lang=args.lang))
        if result.error:
            sys.exit(f"{path} page {index + 1}: {result.error}")
        words += len(result.words)
        if n % args.every == 0 or n == 1:
            print(f"  page {n:5}: RSS {status()['VmRSS']:5} MB, peak {status()['VmHWM']:5} MB; "
                  f"CPU {time.process_time() - started:7.1f} s, {words} words", flush=True)


if __name__ == "__main__":
    main()
