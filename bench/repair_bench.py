"""Every figure of the OCR-damage repair stage, in one command (see bench/README.md, "Repair").

    .venv/bin/python bench/repair_bench.py                 # all figures, about a minute
    .venv/bin/python bench/repair_bench.py --details       # plus every remaining error
    .venv/bin/python bench/repair_bench.py --context-methods   # also a/à by spaCy and Grammalecte
    .venv/bin/python bench/repair_bench.py --long-line 5000000 # only: the seeds as one line, up to 5 MB

Inputs: bench/devset/ (Tesseract eng and fra output of typeset scans of seeds 001-004, made by
bench/make_devset.py), golden/000_first_pages.txt (hand-corrected), ../shared/seeds,
../shared/datasets/real-pdfs/francais.gt.txt, ../shared/datasets/icdar-postocr-fr, and Tesseract's
reading of 49 real scanned French pages with hand transcriptions (bench/scans.py; OCR cached by
bench/scan_lang_bench.py; skipped with a message when absent).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from extractors.french.lexicon import load_lexicon  # noqa: E402
from extractors.repair.stage import repair_text  # noqa: E402
from extractors.repair.evaluate import AccentScore, BagScore, accent_score, bag_score, strip_accents, word_errors, word_pairs  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEVSET = ROOT / "bench" / "devset"
GOLDEN = ROOT / "golden" / "000_first_pages.txt"
ICDAR = SHARED / "datasets" / "icdar-postocr-fr"
CLEAN_EXTRA = SHARED / "datasets" / "real-pdfs" / "francais.gt.txt"
GOLDEN_SEED_LINES = 170  # the golden is the hand-corrected first 170 lines of seed 000


def seed_text(prefix: str) -> str:
    return sorted(SEEDS.glob(f"{prefix}_*.txt"))[0].read_text(encoding="utf-8")


def show_errors(gold: str, before: str, after: str, label: str) -> None:
    for word, bw, aw in word_pairs(gold, before, after):
        if bw is None and aw is None:
            continue
        if aw != word and (bw != aw or any(not c.isascii() for c in word)):
            kind = "HARM" if bw == word else "MISS"
            print(f"    {label} {kind} {bw!r} -> {aw!r} (gold {word!r})")


def devset(details: bool, corpus: bool = False) -> dict[str, AccentScore]:
    """Typeset pages (bench/devset) or the corpus generator's scans (bench/devset/corpus, gold = seed)."""
    totals = {"eng": AccentScore(), "fra": AccentScore()}
    for prefix in ("001", "002", "003", "004"):
        folder = DEVSET / "corpus" if corpus else DEVSET
        if not (folder / f"{prefix}.eng.txt").exists():
            continue
        gold = seed_text(prefix) if corpus else (DEVSET / f"{prefix}.gold.txt").read_text(encoding="utf-8")
        for model in ("eng", "fra"):
            ocr = (folder / f"{prefix}.{model}.txt").read_text(encoding="utf-8")
            repaired = repair_text(ocr).text
            score = accent_score(gold, ocr, repaired)
            totals[model].add(score)
            if details:
                show_errors(gold, ocr, repaired, f"{'scan' if corpus else 'page'}-{prefix}.{model}")
    return totals


def golden(details: bool) -> AccentScore:
    gold = GOLDEN.read_text(encoding="utf-8")
    seed = seed_text("000")
    before = "\n".join(seed.split("\n")[:GOLDEN_SEED_LINES])
    # Repair sees the whole report (its evidence is document-wide); the golden's lines are compared.
    after = "\n".join(repair_text(seed).text.split("\n")[: gold.count("\n") + 1])
    if details:
        show_errors(gold, before, after, "000")
    return accent_score(gold, before, after)


def clean_changes() -> dict[str, int]:
    out = {}
    for prefix in ("001", "002", "003", "004"):
        out[f"seed {prefix}"] = len(repair_text(seed_text(prefix)).repairs)
    if CLEAN_EXTRA.exists():
        out[CLEAN_EXTRA.name] = len(repair_text(CLEAN_EXTRA.read_text(encoding="utf-8")).repairs)
    return out


def icdar_pair(path: Path) -> tuple[str, str] | None:
    fields = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        for tag in ("[OCR_aligned] ", "[ GS_aligned] "):
            if line.startswith(tag):
                fields[tag] = line[len(tag) :]
    ocr, gold = fields.get("[OCR_aligned] "), fields.get("[ GS_aligned] ")
    if ocr is None or gold is None or len(ocr) != len(gold):
        return None
    kept = [(o, g) for o, g in zip(ocr, gold) if g != "#"]  # '#': no gold for this stretch
    return "".join(o for o, _ in kept).replace("@", ""), "".join(g for _, g in kept).replace("@", "")


def icdar(details: bool) -> dict:
    docs = rose = 0
    edits_before = edits_after = gold_chars = 0
    tokens = changed = 0
    worst = []
    for path in sorted(ICDAR.rglob("*.txt")):
        pair = icdar_pair(path)
        if pair is None or not pair[1].strip():
            continue
        ocr, gold = pair
        result = repair_text(ocr)
        before = Levenshtein.distance(ocr, gold)
        after = Levenshtein.distance(result.text, gold)
        docs += 1
        edits_before += before
        edits_after += after
        gold_chars += len(gold)
        tokens += len(ocr.split())
        changed += len(result.repairs)
        if after > before:
            rose += 1
            worst.append((after - before, path.relative_to(ICDAR), [(r.before, r.after) for r in result.repairs]))
    if details:
        for delta, name, repairs in sorted(worst, reverse=True)[:20]:
            print(f"    ICDAR CER rose by {delta} chars in {name}: {repairs[:12]}")
    return {"docs": docs, "cer_rose_in": rose, "cer_before": edits_before / gold_chars, "cer_after": edits_after / gold_chars,
            "changed_share": changed / tokens if tokens else 0.0, "tokens": tokens, "changed": changed}


def reaccent(details: bool) -> tuple[int, int]:
    errors = total = 0
    for prefix in ("001", "002", "003", "004"):
        gold = seed_text(prefix)
        stripped = strip_accents(gold)
        restored = repair_text(stripped).text
        e, n = word_errors(gold, restored)
        errors += e
        total += n
        if details:
            show_errors(gold, stripped, restored, f"strip-{prefix}")
    return errors, total


def speed() -> tuple[float, float]:
    text = "\n".join(seed_text(p) for p in ("000", "001", "002", "003", "004"))
    lexicon = load_lexicon()
    repair_text(text[:2000], lexicon)
    n_words = len(text.split())
    start = time.perf_counter()
    rounds = 3
    for _ in range(rounds):
        repair_text(text, lexicon)
    rate = rounds * n_words / (time.perf_counter() - start)
    code = "import time; t=time.perf_counter(); from extractors.french.lexicon import load_lexicon; load_lexicon(); print(time.perf_counter()-t)"
    loads = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
             for _ in range(3)]
    return rate, min(loads)


def real_scans(details: bool) -> dict[str, tuple[BagScore, BagScore, int]] | None:
    """Tesseract's reading of the 49 real scanned French pages (bench/scan_lang_bench.py caches it) with
    each model, against their hand transcriptions: (before repair, after, pages) per model."""
    import json

    sys.path.insert(0, str(ROOT / "bench"))
    from scans import SCANS, normalise, pages

    cache = ROOT / "bench" / ".cache" / "scans"
    found = [p for p in pages() if p.scored]
    if not found or not (cache / "tesseract-eng").exists():
        print(f"Real scans: skipped (no transcribed scans under {SCANS} or no OCR cache: run bench/scan_lang_bench.py)")
        return None
    out = {}
    for lang in ("eng", "fra", "fra+eng"):
        before, after, n = BagScore(), BagScore(), 0
        for page in found:
            path = cache / f"tesseract-{lang}" / f"{page.name}.json"
            if not path.exists():
                continue
            ocr = json.loads(path.read_text(encoding="utf-8"))["text"]
            gold = normalise(page.gold)
            repaired = repair_text(ocr).text
            before.add(bag_score(gold, normalise(ocr)))
            after.add(bag_score(gold, normalise(repaired)))
            n += 1
            if details and lang == "eng":
                show_errors(gold, normalise(ocr), normalise(repaired), f"{page.name}.eng")
        out[lang] = (before, after, n)
    return out


def long_line(max_bytes: int) -> list[tuple[int, float, float]]:
    """(characters, CPU seconds, words/s) of repair on the seeds flattened to one line, repeated
    up to `max_bytes`: a dump without line breaks (issue 11) must take time linear in its length."""
    one = " ".join(" ".join(seed_text(p).split()) for p in ("000", "001", "002", "003", "004")) + " "
    lexicon = load_lexicon()
    out = []
    copies = 1
    while True:
        text = one * copies
        start = time.process_time()
        repair_text(text, lexicon)
        seconds = time.process_time() - start
        out.append((len(text), seconds, len(text.split()) / seconds))
        if len(text.encode("utf-8")) >= max_bytes:
            return out
        copies = min(copies * 4, max(copies + 1, max_bytes // len(one.encode("utf-8")) + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--details", action="store_true", help="print every remaining error")
    parser.add_argument("--context-methods", action="store_true", help="compare a/à by rules, spaCy and Grammalecte")
    parser.add_argument("--long-line", type=int, metavar="BYTES", help="only the one-line dump check, up to BYTES")
    args = parser.parse_args()
    load_lexicon()
    if args.long_line:
        for chars, seconds, rate in long_line(args.long_line):
            print(f"One line of {chars:>9,} characters: {seconds:7.2f} CPU s, {rate:,.0f} words/s")
        return 0

    for corpus, title in ((True, "corpus scans (bench/devset/corpus: Tesseract output of corpus/00[1-4]_*_scan.pdf, 41 pages)"),
                          (False, "typeset pages (bench/devset: Tesseract output of 12 pages made by bench/make_devset.py)")):
        print(f"Dev set, {title}, accent-bearing words:")
        for model, score in devset(args.details, corpus).items():
            print(f"  {model}-model OCR: {score.accented} accented words read ({score.unaligned} gold words not found in the OCR); "
                  f"errors {score.errors_before} -> {score.errors_after} "
                  f"({score.reduction:.1%} fewer); false accents {score.false_accents_before} -> {score.false_accents_after}; "
                  f"correct words changed: {score.harmed}; words fixed: {score.fixed}")
    g = golden(args.details)
    print(f"Golden (seed 000 first pages, hand-corrected): {g.accented} accented words; errors {g.errors_before} -> "
          f"{g.errors_after} ({g.reduction:.1%} fewer); correct words changed: {g.harmed}; fixed: {g.fixed}")
    print("Changes on clean text (must be 0):", ", ".join(f"{k}: {v}" for k, v in clean_changes().items()))
    ic = icdar(args.details)
    print(f"ICDAR 2017+2019 French post-OCR ({ic['docs']} documents): CER {ic['cer_before']:.4%} -> {ic['cer_after']:.4%}; "
          f"documents whose CER rose: {ic['cer_rose_in']}; tokens changed {ic['changed']}/{ic['tokens']} "
          f"= {ic['changed_share']:.3%}")
    scans = real_scans(args.details)
    for lang, (before, after, n) in (scans or {}).items():
        gone = 1 - after.accent_errors / before.accent_errors if before.accent_errors else 0.0
        print(f"Real scans, Tesseract -l {lang} ({n} pages, {before.accented} accented gold words): accent errors "
              f"{before.accent_errors} -> {after.accent_errors} ({gone:.1%} fewer); other word errors "
              f"{before.word_errors} -> {after.word_errors}")
    errors, total = reaccent(args.details)
    print(f"Re-accentuation (seeds 001-004, every accent stripped): {errors} wrong words / {total} "
          f"= 1 per {total / max(errors, 1):.0f} words")
    rate, load = speed()
    print(f"Speed: {rate:,.0f} words/s on one core once loaded; lexicon load {load:.2f} s (fresh process, best of 3)")
    if args.context_methods:
        from bench.repair_context_methods import compare

        compare()
    return 0


if __name__ == "__main__":
    sys.exit(main())
