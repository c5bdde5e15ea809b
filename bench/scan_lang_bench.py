"""OCR language and bilan's text against `tesseract -l fra`, on real scans with transcriptions.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/scan_lang_bench.py            # OCR what is not cached, then score
    OMP_THREAD_LIMIT=1 .venv/bin/python bench/scan_lang_bench.py --repeats 3 --only-cpu   # timing only

Pages: bench/scans.py (51 real French pages, 4 sources; 49 scored, the Argus pair timed only), and
8 English control pages (real US/EU government PDFs of ICDAR 2013, rendered at 300 dpi; their
text layer is the transcription): do they need another model, and does detection find them?
Contenders, run on the same page images, one process at a time, interleaved (the order turns with
every page), CPU seconds of the process and its children (steadier than wall time on a shared machine):

* `tesseract-fra`, `tesseract-fra+eng`, `tesseract-eng`: the CLI, `tesseract IMAGE stdout -l LANG`;
* `detect (fra, then eng)` / `(fra, then fra+eng)`: per-page language detection: `fra` first; a
  page whose text reads as English by its function words (extractors/french/language.py) is read
  again with `eng` / `fra+eng` (its CPU counts both readings; the second is bilan's `--lang auto`);
* `bilan` / `bilan-fra+eng`: `bilan extract IMAGE --workers 1 --no-repair` with its default language
  (`auto`: French, pages that read as English read again with fra+eng) / `--lang fra+eng`, then bilan's repair stage on that Document in this process (timed and added),
  so cached OCR can be repaired again when repair changes. This is the text `bilan extract` gives.

Scores (extractors/repair/evaluate.bag_score, order-independent, after bench/scans.normalise):
accent errors (gold words whose letters were read with other accents) and other word errors (gold
words not read plus words read that are not on the page). OCR outputs are cached under
bench/.cache/scans/ (delete a contender's folder to run it again).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scans import ScanPage, english_pages, normalise, require  # noqa: E402

from extractors.french.language import language_of  # noqa: E402
from extractors.repair.evaluate import BagScore, bag_score  # noqa: E402

CACHE = ROOT / "bench" / ".cache" / "scans"
BILAN = Path(sys.executable).parent / "bilan"
TESSERACT_LANGS = ("fra", "fra+eng", "eng")
# bilan's default (`--lang auto`: French, English pages read again with fra+eng) and the old default.
BILAN_CONTENDERS = {"bilan": [], "bilan-fra+eng": ["--lang", "fra+eng"]}
OCR_CONTENDERS = tuple(f"tesseract-{lang}" for lang in TESSERACT_LANGS) + tuple(BILAN_CONTENDERS)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cpu, wall = children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return done, children_cpu() - cpu, time.perf_counter() - wall


def ocr_once(contender: str, page: ScanPage) -> dict:
    if contender.startswith("tesseract-"):
        lang = contender.split("-", 1)[1]
        done, cpu, wall = run_timed(["tesseract", str(page.image), "stdout", "-l", lang])
        if done.returncode != 0:
            raise RuntimeError(f"{contender} {page.name}: {done.stderr.strip()}")
        return {"text": done.stdout, "cpu": cpu, "wall": wall}
    extra = BILAN_CONTENDERS[contender]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.json"
        done, cpu, wall = run_timed([str(BILAN), "extract", str(page.image), "-o", str(out), "--workers", "1",
                                     "--no-repair", *extra])
        if done.returncode != 0:
            raise RuntimeError(f"{contender} {page.name}: {done.stderr.strip()}")
        return {"document": json.loads(out.read_text(encoding="utf-8")), "cpu": cpu, "wall": wall}


def cache_path(contender: str, page: ScanPage) -> Path:
    return CACHE / contender / f"{page.name}.json"


def run_ocr(all_pages: list[ScanPage], repeats: int, only_cpu: bool) -> None:
    """OCR every page by every contender not yet cached (or `repeats` times for timing)."""
    for n, page in enumerate(all_pages):
        order = list(OCR_CONTENDERS[n % len(OCR_CONTENDERS):] + OCR_CONTENDERS[: n % len(OCR_CONTENDERS)])
        for contender in order:
            path = cache_path(contender, page)
            cached = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
            runs = len(cached["cpu"]) if cached else 0
            want = repeats if only_cpu else max(1, repeats)
            while runs < want:
                result = ocr_once(contender, page)
                if cached is None:
                    cached = {k: v for k, v in result.items() if k not in ("cpu", "wall")}
                    cached.update(cpu=[], wall=[])
                cached["cpu"].append(round(result["cpu"], 3))
                cached["wall"].append(round(result["wall"], 3))
                runs += 1
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
                print(f"  {page.name:26} {contender:18} cpu {result['cpu']:6.2f} s", flush=True)


def cached(contender: str, page: ScanPage) -> dict:
    return json.loads(cache_path(contender, page).read_text(encoding="utf-8"))


def document_texts(document: dict) -> tuple[str, str]:
    """(text as OCR read it, text after bilan's repair stage) of a cached no-repair Document."""
    from extractors.repair.stage import repair_document
    from schemas import Document

    doc = Document.model_validate(document)
    raw = "\n\f".join(p.text for p in doc.pages)
    repaired = repair_document(doc)
    return raw, "\n\f".join(p.text for p in repaired.pages)


def texts_and_cpu(page: ScanPage) -> dict[str, tuple[str, float]]:
    """Contender -> (text, median CPU seconds) for one page, with `detect` and bilan's repair added."""
    out = {}
    for lang in TESSERACT_LANGS:
        entry = cached(f"tesseract-{lang}", page)
        out[f"tesseract-{lang}"] = (entry["text"], statistics.median(entry["cpu"]))
    fra_text, fra_cpu = out["tesseract-fra"]
    for retry in ("eng", "fra+eng"):
        if language_of(fra_text).is_english:
            out[f"detect (fra, then {retry})"] = (out[f"tesseract-{retry}"][0], fra_cpu + out[f"tesseract-{retry}"][1])
        else:
            out[f"detect (fra, then {retry})"] = (fra_text, fra_cpu)
    for contender in BILAN_CONTENDERS:
        entry = cached(contender, page)
        started = time.process_time()
        raw, repaired = document_texts(entry["document"])
        repair_cpu = time.process_time() - started
        out[contender + " (no repair)"] = (raw, statistics.median(entry["cpu"]))
        out[contender] = (repaired, statistics.median(entry["cpu"]) + repair_cpu)
    return out


def score(all_pages: list[ScanPage], details: bool, title: str) -> dict[str, BagScore]:
    totals: dict[str, BagScore] = {}
    cpu: dict[str, float] = {}
    by_source: dict[tuple[str, str], BagScore] = {}
    for page in all_pages:
        results = texts_and_cpu(page)
        gold = normalise(page.gold)
        for contender, (text, seconds) in results.items():
            cpu[contender] = cpu.get(contender, 0.0) + seconds
            if not page.scored:
                continue
            s = bag_score(gold, normalise(text))
            totals.setdefault(contender, BagScore()).add(s)
            by_source.setdefault((contender, page.source), BagScore()).add(s)
            if details and contender in ("tesseract-fra", "bilan"):
                print(f"    {page.name:26} {contender:16} accent {s.accent_errors:3} missing {s.missing:4} extra {s.extra:4}")
    scored = sum(p.scored for p in all_pages)
    first = next(iter(totals.values()))
    print(f"{title}: {scored} scored pages ({first.gold_words} gold words, {first.accented} accented), "
          f"CPU over all {len(all_pages)} pages:")
    print(f"  {'contender':28} {'accent errors':>13} {'other word errors':>17} {'(missing+extra)':>16} {'CPU s':>8}")
    for contender, s in totals.items():
        print(f"  {contender:28} {s.accent_errors:13} {s.word_errors:17} {f'{s.missing}+{s.extra}':>16} {cpu[contender]:8.1f}")
    sources = sorted({src for _, src in by_source})
    if len(sources) > 1:
        print("  by source (accent errors / other word errors):")
        print("  " + " " * 28 + "".join(f"{src[:22]:>24}" for src in sources))
        for contender in totals:
            cells = [by_source.get((contender, src)) for src in sources]
            print(f"  {contender:28}" + "".join(f"{f'{c.accent_errors} / {c.word_errors}':>24}" for c in cells if c))
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=1, help="OCR runs per page and contender (CPU medians)")
    parser.add_argument("--only-cpu", action="store_true", help="only add timing runs")
    parser.add_argument("--no-ocr", action="store_true", help="score the cache only")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--no-english", action="store_true", help="skip the English control pages")
    args = parser.parse_args()
    french = require()
    english = [] if args.no_english else english_pages()
    if args.pages:
        wanted = set(args.pages.split(","))
        french = [p for p in french if p.name in wanted]
        english = [p for p in english if p.name in wanted]
    if not args.no_ocr:
        run_ocr(french + english, args.repeats, args.only_cpu)
    from extractors.french.lexicon import load_lexicon

    load_lexicon()
    if french:
        score(french, args.details, "French scans with transcriptions")
    if english:
        score(english, args.details, "English control pages (ICDAR 2013 PDFs rendered, their text layer as transcription)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
