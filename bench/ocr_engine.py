"""bilan's two OCR engines on the same page images: same words? how accurate? how much CPU?

    .venv/bin/python bench/ocr_engine.py [--images GLOB] [--corpus] [--lang fra+eng] [--limit N]

For every page image (default: the 51 transcribed real scans of devdocs/scans/transcribed/, with
ground truth; `--corpus`: the pages of corpus/*_scan.pdf instead, no ground truth), the page is
decoded to grey once (as bilan does) and read by
* the library engine (tesserocr, Tesseract kept loaded in this process: extractors.ocr.tesseract_lib),
* the command-line engine (the `tesseract` program through pytesseract, one process per page:
  extractors.ocr.tesseract_cli), alternating which goes first;
then their words are compared (text and box, in order) and, where there is ground truth, each
reading's character error rate is measured (NFC, ’→', ¬→-, `_` and `~~~` marks dropped, spaces
collapsed: the normalisation devdocs/scans/README.md suggests). CPU seconds per page are this
process's plus its children's (getrusage), so the command line's model loading counts.

`--fallback N`: instead, the command-line engine's two ways of running `tesseract` on N corpus
pages, alternating, CPU per page: pytesseract given the uncompressed TIFF's path (what bilan does)
against the hand-written call it replaced (`tesseract TIFF stdout --dpi 300 -l LANG tsv`).

Run it with another environment's Python (one whose tesserocr was built against the system's
libtesseract: `pip install --no-binary tesserocr tesserocr` with Debian's libtesseract-dev) to
check that the two engines agree word for word when the Tesseract is the same.
"""
from __future__ import annotations

import argparse
import difflib
import glob
import re
import resource
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TRANSCRIBED = ROOT.parent / "devdocs" / "scans" / "transcribed"  # beside the repository
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("¬", "-").replace("~~~", "")
    text = re.sub(r"(^|\s)_", r"\1", text)
    return " ".join(text.split())


def page_text(words) -> str:
    """Words in Tesseract's reading order (block, paragraph, line): the order of the ground truth
    for multi-column pages, which rebuilt lines across the columns would not follow."""
    return " ".join(w.text for w in words)


def pages(args):
    """(name, grey pixels, dpi, ground truth or None) of every page image."""
    import numpy as np

    from extractors.ocr.render import load_image_frame, render_pdf_page

    if args.corpus:
        import pypdfium2 as pdfium

        for path in sorted((ROOT / "corpus").glob("*_scan.pdf")):
            with pdfium.PdfDocument(str(path)) as pdf:
                count = len(pdf)
            for index in range(count):
                yield f"{path.stem}-p{index + 1}", render_pdf_page(str(path), index, 300, None)[0], 300, None
        return
    found = sorted(p for p in (Path(p) for p in glob.glob(args.images)) if p.suffix.lower() in IMAGE_SUFFIXES)
    if not found:
        sys.exit(f"no page image matches {args.images}: the real scans are in devdocs/scans/transcribed/, "
                 "on the development machine only (or use --corpus)")
    for path in found:
        pixels, dpi = load_image_frame(str(path), 0)
        truth = path.with_name(path.name.rsplit(".", 1)[0] + ".gt.txt")
        yield path.name, np.ascontiguousarray(pixels), round(dpi), truth.read_text(encoding="utf-8") if truth.exists() else None


def fallback(count: int, lang: str) -> None:
    """CPU per page of pytesseract (given a TIFF path) against a hand-written `tesseract` call."""
    import subprocess

    import pypdfium2 as pdfium
    import pytesseract
    from PIL import Image

    from extractors.ocr.render import render_pdf_page
    from extractors.ocr.tesseract_cli import fast_temp_dir, tesseract_env

    chosen = []
    for path in sorted((ROOT / "corpus").glob("*_scan.pdf")):
        with pdfium.PdfDocument(str(path)) as pdf:
            chosen += [(path, index) for index in range(len(pdf))]
    chosen = chosen[:: max(1, len(chosen) // count)][:count]
    import tempfile

    cpu = {"pytesseract": [], "hand-written": []}
    for n, (path, index) in enumerate(chosen):
        pixels = render_pdf_page(str(path), index, 300, None)[0]
        with tempfile.NamedTemporaryFile(suffix=".tif", dir=fast_temp_dir()) as image_file:
            Image.fromarray(pixels).save(image_file, format="TIFF", dpi=(300, 300))
            image_file.flush()
            texts = {}
            for way in (["pytesseract", "hand-written"] if n % 2 == 0 else ["hand-written", "pytesseract"]):
                started = cpu_seconds()
                if way == "pytesseract":
                    texts[way] = pytesseract.image_to_data(image_file.name, lang=lang, config="--dpi 300")
                else:
                    texts[way] = subprocess.run(["tesseract", image_file.name, "stdout", "--dpi", "300", "-l", lang, "tsv"],
                                                capture_output=True, env=tesseract_env(), check=True).stdout.decode()
                cpu[way].append(cpu_seconds() - started)
        same = texts["pytesseract"].strip() == texts["hand-written"].strip()
        print(f"{path.name} p{index + 1}: pytesseract {cpu['pytesseract'][-1]:.2f} s, hand-written "
              f"{cpu['hand-written'][-1]:.2f} s, same TSV {same}", flush=True)
    ratios = [p / h for p, h in zip(cpu["pytesseract"], cpu["hand-written"])]
    print(f"pytesseract / hand-written CPU per page: median {statistics.median(ratios):.3f} over {len(ratios)} pages "
          f"({', '.join(f'{r:.2f}' for r in ratios)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", default=str(TRANSCRIBED / "*" / "*"))
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--lang", default="fra+eng")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--fallback", type=int, default=0, metavar="N")
    args = parser.parse_args()
    import os

    if args.fallback:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        fallback(args.fallback, args.lang)
        return

    from rapidfuzz.distance import Levenshtein

    from extractors.ocr.tesseract_cli import CommandLineEngine, cli_version
    from extractors.ocr.tesseract_lib import LibraryEngine

    os.environ["OMP_THREAD_LIMIT"] = "1"
    engines = {"library": LibraryEngine(), "cli": CommandLineEngine()}
    print(f"library: {engines['library'].identity()}; cli: tesseract {cli_version()}; -l {args.lang}")
    engines["library"].api(args.lang)  # loaded once per worker in bilan: not counted per page
    cpu = {name: [] for name in engines}
    errors = {name: 0 for name in engines}
    truth_chars = 0
    differing = total = pages_differing = identical_pages = 0
    for n, (name, pixels, dpi, truth) in enumerate(pages(args)):
        if args.limit and n >= args.limit:
            break
        read = {}
        for engine in (["library", "cli"] if n % 2 == 0 else ["cli", "library"]):
            started = cpu_seconds()
            read[engine] = engines[engine].read(pixels, dpi, args.lang)
            cpu[engine].append(cpu_seconds() - started)
        a = [(w.text, w.bbox) for w in read["cli"]]
        b = [(w.text, w.bbox) for w in read["library"]]
        ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        diff = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
        same_conf = a == b and [w.confidence for w in read["cli"]] == [w.confidence for w in read["library"]]
        differing += diff
        total += len(a)
        pages_differing += diff > 0
        identical_pages += same_conf
        line = f"{name:30} words {len(a):4} / {len(b):4}, {diff:3} differ{' (identical, confidences too)' if same_conf else ''}"
        line += f"  CPU s cli {cpu['cli'][-1]:.2f} library {cpu['library'][-1]:.2f}"
        if truth:
            gold = normalised(truth)
            truth_chars += len(gold)
            cers = {}
            for engine in engines:
                distance = Levenshtein.distance(normalised(page_text(read[engine])), gold)
                errors[engine] += distance
                cers[engine] = distance / len(gold)
            line += f"  CER cli {cers['cli']:.4f} library {cers['library']:.4f}"
        print(line, flush=True)
    count = len(cpu["cli"])
    print(f"\n{count} pages, {total} words read by the command line: {differing} read otherwise by the library "
          f"({differing / max(total, 1):.2%}), on {pages_differing} pages; {identical_pages} pages identical "
          f"(words, boxes, confidences)")
    for engine in engines:
        print(f"{engine:8} CPU s/page median {statistics.median(cpu[engine]):.3f}, total {sum(cpu[engine]):.1f}"
              + (f"; CER {errors[engine] / truth_chars:.4f} over {truth_chars} characters" if truth_chars else ""))
    ratios = [c / l for c, l in zip(cpu["cli"], cpu["library"])]
    print(f"CPU per page, command line / library: median {statistics.median(ratios):.3f}, "
          f"total {sum(cpu['cli']) / sum(cpu['library']):.3f}")


if __name__ == "__main__":
    main()
