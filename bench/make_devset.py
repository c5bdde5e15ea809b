"""Build the OCR-repair development set: scanned pages of clean seeds, read by Tesseract's English
and French models, cached as small text files under bench/devset/ so the benchmark never re-runs OCR.

For each of seeds 001-004 the first PAGES pages of its text are typeset (DejaVu Serif 10 pt at
300 dpi, lines wrapped at the page width, no hyphenation) into greyscale page images with a light
blur and noise, like a flatbed scan. The typeset lines are the gold (`<seed>.gold.txt`); Tesseract
writes `<seed>.eng.txt` (an English model reading French, the damage legacy archives carry) and
`<seed>.fra.txt`.

With `--corpus`, it reads instead the corpus generator's image-only scans of seeds 001-004
(`corpus/00[1-4]_*_scan.pdf`, 41 pages): each page's JPEG is taken out with `pdfimages -j` and read
by Tesseract with both models into `bench/devset/corpus/<seed>.{eng,fra}.txt` (pages separated by
form feeds); the gold is the whole seed text.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/make_devset.py            # typeset pages, ~2 minutes
    OMP_THREAD_LIMIT=1 .venv/bin/python bench/make_devset.py --corpus   # corpus scans, ~6 minutes
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "bench" / "devset"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
DPI = 300
PAGE_W, PAGE_H = int(8.5 * DPI), int(11 * DPI)
MARGIN = DPI  # one inch
FONT_PX = int(10 / 72 * DPI)  # 10 pt
LINE_PX = int(FONT_PX * 1.45)
PAGES = 3


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current = words[0]
        for word in words[1:]:
            trial = f"{current} {word}"
            if font.getlength(trial) <= width:
                current = trial
            else:
                lines.append(current)
                current = word
        lines.append(current)
    # Runs of blank lines typeset as one.
    squeezed: list[str] = []
    for line in lines:
        if line == "" and (not squeezed or squeezed[-1] == ""):
            continue
        squeezed.append(line)
    return squeezed


def typeset(lines: list[str], font: ImageFont.FreeTypeFont, seed: int) -> list[tuple[Image.Image, list[str]]]:
    per_page = (PAGE_H - 2 * MARGIN) // LINE_PX
    rng = random.Random(seed)
    pages = []
    for start in range(0, len(lines), per_page):
        chunk = lines[start : start + per_page]
        image = Image.new("L", (PAGE_W, PAGE_H), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(chunk):
            draw.text((MARGIN, MARGIN + i * LINE_PX), line, font=font, fill=0)
        image = image.filter(ImageFilter.GaussianBlur(0.7))
        # Gaussian grain (sd 12 grey levels) centred on 0: ImageChops.add computes a + b - 128.
        image = ImageChops.add(image, Image.effect_noise((PAGE_W, PAGE_H), 12), 1.0, -128)
        image = image.rotate(rng.uniform(-0.4, 0.4), fillcolor=255, resample=Image.BICUBIC)
        pages.append((image, chunk))
        if len(pages) == PAGES:
            break
    return pages


def ocr(image_path: Path, lang: str) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(
        ["tesseract", str(image_path), "stdout", "-l", lang, "--dpi", str(DPI), "--psm", "4"],
        capture_output=True, text=True, env=env, check=True,
    )
    return out.stdout


def corpus_devset() -> int:
    out = OUT / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    with tempfile.TemporaryDirectory() as tmp:
        for prefix in ("001", "002", "003", "004"):
            scans = sorted((ROOT / "corpus").glob(f"{prefix}_*_scan.pdf"))
            if not scans:
                print(f"no corpus/{prefix}_*_scan.pdf: run `make corpus` first", file=sys.stderr)
                return 1
            subprocess.run(["pdfimages", "-j", str(scans[0]), f"{tmp}/{prefix}"], check=True)
            for number, image in enumerate(sorted(Path(tmp).glob(f"{prefix}-*")), 1):
                for lang in ("eng", "fra"):
                    jobs.append((prefix, number, lang, image))
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda job: (job, ocr(job[3], job[2])), jobs))
    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for (prefix, number, lang, _path), text in results:
        texts.setdefault((prefix, lang), []).append((number, text.rstrip("\f\n")))
    for (prefix, lang), pages in texts.items():
        pages.sort()
        (out / f"{prefix}.{lang}.txt").write_text("\f".join(t for _, t in pages) + "\n", encoding="utf-8")
        print(f"{(out / prefix).relative_to(ROOT)}.{lang}.txt: {len(pages)} pages")
    return 0


def main() -> int:
    if "--corpus" in sys.argv[1:]:
        return corpus_devset()
    font = ImageFont.truetype(str(FONT), FONT_PX)
    OUT.mkdir(parents=True, exist_ok=True)
    jobs = []
    with tempfile.TemporaryDirectory() as tmp:
        for prefix in ("001", "002", "003", "004"):
            path = sorted(SEEDS.glob(f"{prefix}_*.txt"))[0]
            lines = wrap(path.read_text(encoding="utf-8"), font, PAGE_W - 2 * MARGIN)
            pages = typeset(lines, font, seed=int(prefix))
            gold = []
            for number, (image, chunk) in enumerate(pages, 1):
                image_path = Path(tmp) / f"{prefix}-{number}.png"
                image.save(image_path, dpi=(DPI, DPI))
                gold.append("\n".join(chunk))
                for lang in ("eng", "fra"):
                    jobs.append((prefix, number, lang, image_path))
            (OUT / f"{prefix}.gold.txt").write_text("\f".join(gold) + "\n", encoding="utf-8")
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda job: (job, ocr(job[3], job[2])), jobs))
    texts: dict[tuple[str, str], list[str]] = {}
    for (prefix, parse_number, lang, _path), text in results:
        texts.setdefault((prefix, lang), []).append(text.rstrip("\f\n"))
    for (prefix, lang), pages in texts.items():
        (OUT / f"{prefix}.{lang}.txt").write_text("\f".join(pages) + "\n", encoding="utf-8")
        print(f"{OUT.relative_to(ROOT)}/{prefix}.{lang}.txt: {sum(len(p.split()) for p in pages)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
