"""Tesseract itself: is it installed, run it on a page image, read its words, ask it which way is up.

Design, for throughput on a small machine:

* One job = one page. A job carries only the file path and the page (or frame) index: pdfium
  objects and decoded images are not picklable, and sending 8 Mpx per page through a pipe costs
  more than letting each worker open the file itself.
* Pages are rendered by pdfium straight to 8-bit grayscale (a page that is just a scan at the
  requested resolution has its image decoded instead: 0.04 s of CPU instead of 0.11 s) and handed
  to Tesseract as an uncompressed TIFF in a RAM-backed temporary file, TSV read from its stdout
  (the format of pytesseract's `image_to_data`). CPU seconds for one 300-dpi page (encoding plus
  Tesseract, median of 3 runs): uncompressed TIFF file 2.42, Pillow's default PNG as pytesseract
  writes it 2.74 (0.2 of it compressing), PGM on stdin 2.74 (Tesseract reads stdin one character
  at a time, and leptonica's PNM reader is slow).
* Each Tesseract runs single-threaded (`OMP_THREAD_LIMIT=1`): its OpenMP threads only help on an
  idle machine and burn ~5x the CPU when pages already run in parallel on every core.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from extractors.errors import OCRUnavailable
from extractors.options import tesseract_languages
from schemas import Word

TESSERACT = "tesseract"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd"

# A first pass is "bad" (and orientation is checked) below either figure, or when its word boxes
# stand upright. Measured on corpus scans, skew.pdf and c02-22.pdf: upright pages read at mean
# confidence 93-96; turned 180° they read at 43-49; turned 90° Tesseract often reads the words
# anyway (~94) but its boxes are then taller than wide, useless for rebuilding lines.
MIN_WORDS_BEFORE_OSD = 12
MIN_MEAN_CONFIDENCE_BEFORE_OSD = 60.0
# OSD's orientation confidence below which its answer is not acted on; on those pages it printed
# 4.6 (a cover with 16 words) to 31.
MIN_OSD_CONFIDENCE = 1.0


# --- Availability -----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def installed_languages() -> frozenset[str]:
    """Language codes Tesseract has data for, asked once per process.

    This is what pytesseract.get_languages() runs (`tesseract --list-langs`), called directly:
    importing pytesseract imports pandas when it is installed, 0.3 s on every `bilan extract`.
    """
    try:
        done = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, env=tesseract_env(), check=False)
    except FileNotFoundError as e:
        raise OCRUnavailable(None, f"the tesseract program is not installed ({INSTALL_HINT})") from e
    except OSError as e:
        raise OCRUnavailable(None, f"tesseract does not run: {e} ({INSTALL_HINT})") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise OCRUnavailable(None, f"`tesseract --list-langs` failed: {message or done.returncode} ({INSTALL_HINT})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    # First line: 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("List of"))


def check_ocr_available(path: str | Path, lang: str) -> None:
    """Raise OCRUnavailable naming the file when Tesseract or a requested language is missing."""
    try:
        languages = installed_languages()
    except OCRUnavailable as e:
        raise OCRUnavailable(path, e.problem) from e
    missing = [code for code in tesseract_languages(lang).split("+") if code not in languages]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.replace('_', '-').lower()}" for code in missing)
        raise OCRUnavailable(
            path,
            f"Tesseract has no language data for {'+'.join(missing)} (installed: "
            f"{', '.join(sorted(languages)) or 'none'}); apt-get install {packages}",
        )


def osd_available() -> bool:
    try:
        return "osd" in installed_languages()
    except OCRUnavailable:
        return False


# --- Tesseract --------------------------------------------------------------------------------


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


class TesseractFailed(RuntimeError):
    pass


def fast_temp_dir() -> Optional[str]:
    """/dev/shm (RAM) when there is one: the page image is written and read back once."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def run_tesseract(pixels: np.ndarray, dpi: int, args: Sequence[str]) -> str:
    """Run Tesseract on a page (grey or colour); its stdout (TSV, or the OSD report) as text.
    `dpi` 0: the resolution is unknown and Tesseract estimates it from the letters."""
    from PIL import Image

    with tempfile.NamedTemporaryFile(suffix=".tif", dir=fast_temp_dir()) as image_file:
        if dpi:
            Image.fromarray(pixels).save(image_file, format="TIFF", dpi=(dpi, dpi))
        else:
            Image.fromarray(pixels).save(image_file, format="TIFF")
        image_file.flush()
        command = [TESSERACT, image_file.name, "stdout", *(["--dpi", str(dpi)] if dpi else []), *args]
        try:
            done = subprocess.run(command, capture_output=True, env=tesseract_env(), check=False)
        except FileNotFoundError as e:
            raise TesseractFailed(f"the tesseract program is not installed ({INSTALL_HINT})") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractFailed(f"tesseract exited with {done.returncode}: {message[-1] if message else 'no message'}")
    return done.stdout.decode("utf-8", "replace")


def tsv_words(tsv: str, scale: float) -> list[Word]:
    """Words of Tesseract's TSV output; pixel boxes times `scale` (72/dpi) give points."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) < 12 or cells[0] != "5":  # level 5 = word
            continue
        text = cells[11].strip()
        conf = float(cells[10])
        if conf < 0 or not text:  # -1 marks block/line rows and empty detections
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        words.append(
            Word(
                text=text,
                bbox=(left * scale, top * scale, (left + width) * scale, (top + height) * scale),
                confidence=min(100.0, conf),
                origin="ocr",
            )
        )
    return words


def ocr_pixels(pixels: np.ndarray, dpi: int, lang: str, tell_dpi: bool = True) -> list[Word]:
    """Words with boxes in points (at `dpi`); `tell_dpi` False lets Tesseract measure the resolution."""
    tsv = run_tesseract(pixels, dpi if tell_dpi else 0, ["-l", lang, "tsv"])
    return tsv_words(tsv, 72.0 / dpi)


def looks_bad(words: list[Word]) -> bool:
    if len(words) < MIN_WORDS_BEFORE_OSD:
        return True
    if quality(words) < MIN_MEAN_CONFIDENCE_BEFORE_OSD:
        return True
    # Tesseract sometimes reads a sideways page by itself, but its boxes then stand upright
    # (taller than wide) in the page's frame, and lines cannot be rebuilt from them.
    long_words = [w.bbox for w in words if len(w.text) >= 3]
    tall = sum(1 for b in long_words if (b[3] - b[1]) > (b[2] - b[0]))
    return bool(long_words) and tall > len(long_words) / 2


def quality(words: list[Word]) -> float:
    return sum(w.confidence or 0.0 for w in words) / len(words) if words else 0.0


def detect_rotation(pixels: np.ndarray, dpi: int) -> int:
    """Clockwise degrees (0/90/180/270) that make the page upright, per Tesseract OSD; 0 if unsure."""
    try:
        report = run_tesseract(pixels, dpi, ["--psm", "0", "-l", "osd"])
    except TesseractFailed:  # "Too few characters" and the like: nothing to act on
        return 0
    fields = dict(line.split(":", 1) for line in report.splitlines() if ":" in line)
    try:
        rotate = int(fields.get("Rotate", "0").strip())
        confidence = float(fields.get("Orientation confidence", "0").strip())
    except ValueError:
        return 0
    return rotate % 360 if confidence >= MIN_OSD_CONFIDENCE else 0
