"""Field F1 of the records read from the real documents of golden/real/ (issue 12), and of seed
004's recommendations and statistics, with `bilan extract` run in-process on each file.

    .venv/bin/python bench/prose_real.py            # one line per document
    .venv/bin/python bench/prose_real.py --details  # and every differing field

The figures go in bench/README.md ("Records from prose").
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.pipeline import file_to_document  # noqa: E402
from extractors.validation import compare_records, golden_for  # noqa: E402


def score(golden_path: Path, kinds=None):
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    path = ROOT / "corpus" / golden["document"]
    document = file_to_document(path).model_dump(mode="json")
    report = compare_records(golden_for(golden, document), document["records"], kinds or golden["records"].keys())
    return golden, report


def kind_f1(report, kind: str) -> str:
    from extractors.validation import Counts

    counts = Counts()
    for name, c in report.fields.items():
        if name.startswith(kind + "."):
            counts.add(c)
    return f"{counts.f1:.3f}" if counts.gold or counts.pred else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    rows = [(p, None) for p in sorted((ROOT / "golden" / "real").glob("*.json"))]
    rows.append((ROOT / "golden" / "004_advice.json", ("recommendations", "statistics")))
    print(f"{'document':58s} {'F1':>6s} {'P':>6s} {'R':>6s}  measures recs  stats   records (gold/pred/paired)")
    for path, kinds in rows:
        golden, report = score(path, kinds)
        t = report.total
        name = golden["document"] + (" (recs+stats)" if kinds else "")
        print(f"{name:58s} {t.f1:6.3f} {t.precision:6.3f} {t.recall:6.3f}  {kind_f1(report, 'measures'):>8s} "
              f"{kind_f1(report, 'recommendations'):>5s} {kind_f1(report, 'statistics'):>6s}   "
              f"{ {k: v for k, v in report.records.items()} }")
        if args.details:
            for d in report.differences:
                print(f"    {d.key[:48]:48s} {d.field:30s} G={str(d.gold)[:80]!r} P={str(d.pred)[:80]!r}")


if __name__ == "__main__":
    main()
