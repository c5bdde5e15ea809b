"""Would Tesseract's runner-up readings (Word.alternatives) help OCR-damage repair with accents?

    .venv/bin/python bench/ocr_alternatives.py [--lang fra+eng]

The corpus scans of seeds 001-004 (corpus/00[1-4]_*_scan.pdf, 41 pages; gold: the seed texts in
../shared/seeds, the same dev set as `bench/repair_bench.py`'s "Dev set A") are OCR'd with the
library engine and `alternatives` on; the OCR words are aligned to the gold words
(extractors.repair.evaluate.align) and, for every accented gold word the OCR did not write exactly
so, the bench asks whether that very occurrence's alternatives hold the gold form (an upper bound
of what a repair rule could gain from them). It also counts the words read right whose
alternatives add or drop an accent (what such a rule would have to leave alone), and the CPU cost
of keeping alternatives.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="fra+eng")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if not SEEDS.is_dir():
        sys.exit(f"missing {SEEDS} (the shared datasets, on the development machine)")
    import pypdfium2 as pdfium

    from extractors.ocr.render import render_pdf_page
    from extractors.ocr.tesseract_lib import LibraryEngine
    from extractors.repair.evaluate import WORD, align, has_accent, words

    engine = LibraryEngine()
    accented = errors = recoverable = risky = 0
    cpu = {"plain": 0.0, "alternatives": 0.0}
    examples = []
    for scan in sorted((ROOT / "corpus").glob("00[1-4]_*_scan.pdf")):
        gold = words(sorted(SEEDS.glob(f"{scan.name[:3]}_*.txt"))[0].read_text(encoding="utf-8"))
        tokens, alternatives = [], []
        with pdfium.PdfDocument(str(scan)) as pdf:
            count = len(pdf)
        for index in range(count):
            pixels = render_pdf_page(str(scan), index, 300, None)[0]
            started = time.process_time()
            engine.read(pixels, 300, args.lang)
            cpu["plain"] += time.process_time() - started
            started = time.process_time()
            read = engine.read(pixels, 300, args.lang, alternatives=True)
            cpu["alternatives"] += time.process_time() - started
            for word in read:
                parts = WORD.findall(word.text)
                others = [WORD.findall(a) for a in word.alternatives or []]
                for i, part in enumerate(parts):
                    tokens.append(part)
                    alternatives.append({o[i] for o in others if len(o) == len(parts) and o[i] != part})
        for g, j in enumerate(align(gold, tokens)):
            if j is None:
                continue
            if has_accent(gold[g]):
                accented += 1
                if tokens[j] != gold[g]:
                    errors += 1
                    if gold[g] in alternatives[j]:
                        recoverable += 1
                        examples.append(f"{tokens[j]} -> {gold[g]}")
            if tokens[j] == gold[g] and any(has_accent(a) != has_accent(gold[g]) and a.lower() != gold[g].lower()
                                            for a in alternatives[j]):
                risky += 1
        print(f"{scan.name}: {count} pages", flush=True)
    print(f"\naccented gold words read: {accented}; accent errors in the OCR: {errors}; the gold form among that "
          f"occurrence's alternatives: {recoverable} ({', '.join(examples) or 'none'})")
    print(f"words read right whose alternatives add or drop an accent: {risky}")
    print(f"CPU s for the pages: {cpu['plain']:.1f} without alternatives, {cpu['alternatives']:.1f} with "
          f"({cpu['alternatives'] / cpu['plain']:.2f}x)")


if __name__ == "__main__":
    main()
