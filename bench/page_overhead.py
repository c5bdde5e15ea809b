"""What a `bilan batch` worker spends on a one-page scan besides Tesseract, step by step (CPU s).

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/page_overhead.py --files '/tmp/real51/*' [--every 4]

Runs, in this process, what a worker runs for a one-page image file (extractors.batch.pages):
plan (opening and decoding the image to check it), the OCR job (`render` = getting the pixels,
`ocr` = Tesseract, `bold` and `rulings` from the image), finish (repair, tables, records) and the
validation round trip of `as_done`. The first file warms Tesseract and the lexicon and is not
counted. Per page means over the files counted; the warm loop of batch_bench.py does only the
decode (about what `plan` costs here) and `ocr`.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from extractors.batch.pages import as_done, prepare_worker  # noqa: E402
from extractors.batch.run import make_tasks  # noqa: E402
from extractors.ocr.jobs import ocr_job  # noqa: E402
from extractors.options import IngestOptions  # noqa: E402
from extractors.pipeline import finish_document, plan_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="/tmp/real51/*", help="absolute glob of one-page image files")
    parser.add_argument("--every", type=int, default=4, help="take every n-th file, sorted by name")
    parser.add_argument("--lang", default="fra")
    args = parser.parse_args()
    files = sorted(glob.glob(args.files))[::args.every]
    if len(files) < 2:
        sys.exit(f"fewer than 2 files match {args.files}")
    options = IngestOptions(lang=args.lang)
    prepare_worker(options.model_dump_json())
    tasks = make_tasks([Path(f) for f in files], Path(files[0]).parent)
    totals: dict[str, float] = {}
    for n, task in enumerate(tasks):
        spent: dict[str, float] = {}
        started = time.process_time()
        plan = plan_document(task.path, options)
        spent["plan"] = time.process_time() - started
        results = [ocr_job(job) for job in plan.jobs]
        for result in results:
            for step, seconds in result.seconds.items():
                spent[step] = spent.get(step, 0.0) + seconds
        started = time.process_time()
        document = finish_document(plan, results)
        spent["finish"] = time.process_time() - started
        started = time.process_time()
        as_done(task, document, True)
        spent["as_done"] = time.process_time() - started
        if n:  # the first file warms up
            for step, seconds in spent.items():
                totals[step] = totals.get(step, 0.0) + seconds
    counted = len(tasks) - 1
    print(f"{counted} files (every {args.every}th of {args.files}, the first one left out); CPU s per page:")
    for step, seconds in totals.items():
        print(f"  {step:8s} {seconds / counted:.4f}")
    besides = sum(v for k, v in totals.items() if k not in ("ocr", "render", "plan"))
    print(f"  besides Tesseract and the decode: {besides / counted:.4f}")


if __name__ == "__main__":
    main()
