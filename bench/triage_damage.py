"""Calibration of triage's old-layer evidence (extractors/ingest/layer_damage.py, triage.py).

    .venv/bin/python bench/triage_damage.py

For every page with >= 30 tokens of every clean real PDF at hand (../shared/datasets/real-pdfs,
corpus/*.pdf, the real PDFs of ../devdocs/{tables,prose} (the development material beside the repository), the ICDAR 2013 set), of the seeds per 40
lines, and of the SIMULATED old layers of the 51 transcribed scans (bench/old_layers.py), prints the
two measures triage decides on: the share of accent-needing words that lost their accent, and the
share of tokens with lexicon damage (accents stripped, glued, digits for letters). Only French pages
count (an English word is no damaged French): that is how triage measures them too.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from old_layers import damage  # noqa: E402
from scans import pages  # noqa: E402

from extractors.french.language import language_of  # noqa: E402
from extractors.french.lexicon import load_lexicon  # noqa: E402
from extractors.ingest.layer_damage import LayerDamage, measure_damage  # noqa: E402
from extractors.ingest.triage import MIN_TOKENS_FOR_DAMAGE, is_damaged, old_layer_verdict, page_text  # noqa: E402

SHARED = ROOT.parent / "shared"
DEVDOCS = ROOT.parent / "devdocs"  # development material beside the repository (not in it)


def row(damage: LayerDamage) -> tuple[float, float]:
    return damage.accents_lost, damage.kind_share("accents-stripped", "glued", "digits-for-letters")


def clean_pdf_pages():
    import pypdfium2 as pdfium

    pdfs = sorted((SHARED / "datasets" / "real-pdfs").glob("*.pdf")) + sorted((ROOT / "corpus").glob("*.pdf"))
    pdfs += sorted(DEVDOCS.glob("tables/**/*.pdf")) + sorted(DEVDOCS.glob("prose/**/*.pdf"))
    pdfs += sorted((SHARED / "datasets" / "icdar2013-tables").rglob("*.pdf"))
    for path in pdfs:
        if "legacy_ocr" in path.name:
            continue  # English-model OCR layer: damaged on purpose
        try:
            pdf = pdfium.PdfDocument(str(path))
        except Exception:
            continue
        with pdf:
            for index in range(len(pdf)):
                yield f"{path.name} p{index + 1}", page_text(pdf[index])


def main() -> int:
    lexicon = load_lexicon()
    clean = []
    for name, text in clean_pdf_pages():
        if not language_of(text).is_french:
            continue
        found = measure_damage(text, lexicon, is_damaged)
        if found.tokens >= MIN_TOKENS_FOR_DAMAGE:
            clean.append((row(found), name, old_layer_verdict(found), found.examples))
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").split("\n")
        for start in range(0, len(lines), 40):
            found = measure_damage("\n".join(lines[start : start + 40]), lexicon, is_damaged)
            if found.tokens >= MIN_TOKENS_FOR_DAMAGE:
                clean.append((row(found), f"{seed.name[:3]} lines {start + 1}-", old_layer_verdict(found), found.examples))
    print(f"clean French pages and seed chunks: {len(clean)}; called old layers: "
          f"{sum(1 for c in clean if c[2])} {[c[1] for c in clean if c[2]]}")
    for label, key in (("accents lost", 0), ("lexicon damage", 1)):
        worst = sorted(clean, key=lambda c: -c[0][key])[:3]
        print(f"  worst {label}: " + "; ".join(f"{c[1]} {c[0][key]:.3f} {c[3]}" for c in worst))
    simulated = []
    for page in pages():
        found = measure_damage(damage(page.gold, page.name), lexicon, is_damaged)
        simulated.append((row(found), page.name, old_layer_verdict(found)))
    print(f"SIMULATED old layers of real scans: {len(simulated)}; called old layers: "
          f"{sum(1 for s in simulated if s[2])}")
    for label, key in (("accents lost", 0), ("lexicon damage", 1)):
        low = min(simulated, key=lambda s: s[0][key])
        print(f"  lowest {label}: {low[1]} {low[0][key]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
