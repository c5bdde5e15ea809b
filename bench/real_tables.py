"""Records and grids from real tables: field F1 of every measure document of corpus/real (born-digital
and its scanned twin) against golden/real, cell-for-cell accuracy of every non-measure grid against
golden/real/tables, the unseen synthetic plans of tests/plans and the generator's families.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/real_tables.py            # everything (OCR: ~10 min)
    .venv/bin/python bench/real_tables.py --no-ocr                      # born-digital only (~1 min)

Each document is read as `bilan extract` reads it (extractors.pipeline.file_to_document).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "plans"))

from extractors.options import IngestOptions  # noqa: E402
from extractors.pipeline import file_to_document  # noqa: E402
from extractors.tables.compare import compare_tables, total  # noqa: E402
from extractors.validation import compare_records  # noqa: E402

REAL = ROOT / "corpus" / "real"
GOLDEN = ROOT / "golden" / "real"
MEASURES = ["ceeac_psimt_chronogramme", "ceeac_prasmes_fiche", "tete_referentiel_cae", "dinum_plan_annuel_2020",
            "msss_tableau_synoptique", "geneve_ocsin_cartes"]
IMAGES = ["dinum_plan_annuel_2021_images"]  # text drawn as images: OCR
GRIDS = ["cclo_subventions_2025", "pierrefonds_budget_2024", "montreal_inventaire_libres"]
REAL_SCANS = ["pierrefonds_deliberations_scan", "putanges_offres_scan"]


def f1(path: Path, golden: Path) -> tuple[float, int]:
    document = file_to_document(path, IngestOptions(workers=2))
    gold = json.loads(golden.read_text(encoding="utf-8"))["records"]
    return compare_records(gold, document.records.model_dump()).total.f1, len(document.records.measures)


def grids(path: Path, folder: Path) -> str:
    document = file_to_document(path, IngestOptions(workers=2))
    scores = compare_tables(document.tables, folder)
    parts = [f"{s.name} {s.right}/{s.slots} {s.shape[0]}x{s.shape[1]} (golden {s.expected_shape[0]}x{s.expected_shape[1]})" for s in scores]
    return f"{total(scores):.3f}  " + "; ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-ocr", action="store_true")
    args = ap.parse_args()
    started = time.time()
    print("real measure tables: field F1 (measures found)")
    for name in MEASURES:
        line = f"  {name:34s} born-digital {'%.3f (%d)' % f1(REAL / f'{name}.pdf', GOLDEN / f'{name}.json')}"
        scan = REAL / f"{name}_scan.pdf"
        if not args.no_ocr and scan.exists():
            line += f"   scan {'%.3f (%d)' % f1(scan, GOLDEN / f'{name}.json')}"
        print(line, flush=True)
    if not args.no_ocr:
        for name in IMAGES:
            print(f"  {name:34s} OCR of text images {'%.3f (%d)' % f1(REAL / f'{name}.pdf', GOLDEN / f'{name}.json')}", flush=True)
    print("non-measure tables: cells right / cells (either side non-empty)")
    for name in GRIDS:
        print(f"  {name:34s} born-digital {grids(REAL / f'{name}.pdf', GOLDEN / 'tables' / name)}", flush=True)
        scan = REAL / f"{name}_scan.pdf"
        if not args.no_ocr and scan.exists():
            print(f"  {'':34s} scan         {grids(scan, GOLDEN / 'tables' / name)}", flush=True)
    if not args.no_ocr:
        for name in REAL_SCANS:
            print(f"  {name:34s} real scan    {grids(REAL / f'{name}.pdf', GOLDEN / 'tables' / name)}", flush=True)
    print("unseen synthetic plans (tests/plans): field F1")
    for name in ("plan_sainte_adele", "plan_val_des_cedres"):
        line = f"  {name:34s} born-digital {f1(ROOT / 'tests' / 'plans' / f'{name}.pdf', ROOT / 'tests' / 'plans' / f'{name}.golden.json')[0]:.3f}"
        if not args.no_ocr:
            line += f"   scan {f1(ROOT / 'tests' / 'plans' / f'{name}_scan.pdf', ROOT / 'tests' / 'plans' / f'{name}.golden.json')[0]:.3f}"
        print(line, flush=True)
    from plan_tables import FAMILIES, make

    print("generated plan tables (tests/plans/plan_tables.py), seeds 0-4: field F1 per seed")
    with tempfile.TemporaryDirectory() as tmp:
        for family in FAMILIES:
            if family == "scan" and args.no_ocr:
                continue
            seeds = range(2) if family == "scan" else range(5)
            scores = [f1(*make(family, seed, Path(tmp)))[0] for seed in seeds]
            print(f"  {family:12s} " + " ".join(f"{s:.3f}" for s in scores) + f"   mean {sum(scores) / len(scores):.3f}", flush=True)
    print(f"wall {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
