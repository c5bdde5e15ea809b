"""Scanned twins of the real born-digital documents of corpus/real (`<name>_scan.pdf`).

    .venv/bin/python corpus/real/make_scans.py        # from the project root

Each page is rendered and degraded exactly as corpus/make_corpus.py makes the corpus scans
(300 dpi grey, turned by 0.2-1.5°, specks, grey paper and ink, noise, blur, JPEG), with its own
fixed seed, and written as an image-only PDF: no real scan of these plan tables was found, so
these stand for one. The real scans of corpus/real are the two `*_scan.pdf` that have no
born-digital twin (Pierrefonds, Putanges). Deterministic for fixed versions of pypdfium2,
Pillow/libjpeg and numpy.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # corpus/: the corpus generator's scan functions

from make_corpus import scan_pdf, write_scan_pdf  # noqa: E402

# born-digital documents given a scanned twin (the ones whose goldens are scored on scans)
TWINS = [
    "ceeac_psimt_chronogramme",
    "tete_referentiel_cae",
    "dinum_plan_annuel_2020",
    "msss_tableau_synoptique",
    "ceeac_prasmes_fiche",
    "cclo_subventions_2025",
    "pierrefonds_budget_2024",
]


def main() -> None:
    for name in TWINS:
        pages = scan_pdf(HERE / f"{name}.pdf", f"real/{name}")
        write_scan_pdf(HERE / f"{name}_scan.pdf", pages)
        print(name, (HERE / f"{name}_scan.pdf").stat().st_size)


if __name__ == "__main__":
    main()
