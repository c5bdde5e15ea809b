"""Tesseract's command line as an OCR engine: the fallback when the library (tesserocr) is missing or
does not load (`extractors.ocr.engine`).

The page is handed over as an uncompressed TIFF in a RAM-backed temporary file and the TSV read
from stdout (the format of pytesseract's `image_to_data`). CPU seconds for one 300-dpi page
(encoding plus Tesseract, median of 3 runs): uncompressed TIFF file 2.42, Pillow's default PNG as
pytesseract writes it 2.74 (0.2 of it compressing), PGM on stdin 2.74 (Tesseract reads stdin one
character at a time, and leptonica's PNM reader is slow). pytesseract itself is not used: it writes
that PNG (`bench/README.md`, "OCR engine").
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
from extractors.ocr.tesseract_output import INSTALL_HINT, TesseractFailed, osd_rotation, tsv_words
from schemas import Word

TESSERACT = "tesseract"


def tesseract_env() -> dict[str, str]:
    # Each Tesseract runs single-threaded: its OpenMP threads only help on an idle machine and burn
    # ~5x the CPU when pages already run in parallel on every core.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


@lru_cache(maxsize=None)
def cli_languages() -> frozenset[str]:
    """Language codes the tesseract program has data for, asked once per process.

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


@lru_cache(maxsize=None)
def cli_version() -> str:
    try:
        done = subprocess.run([TESSERACT, "--version"], capture_output=True, env=tesseract_env(), check=False)
    except OSError:
        return "missing"
    first = (done.stdout or done.stderr).decode("utf-8", "replace").splitlines()
    return first[0].split()[-1] if first else "unknown"


def fast_temp_dir() -> Optional[str]:
    """/dev/shm (RAM) when there is one: the page image is written and read back once."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def run_tesseract(pixels: np.ndarray, dpi: int, args: Sequence[str]) -> str:
    """Run Tesseract on a grayscale page; its stdout (TSV, or the OSD report) as text."""
    from PIL import Image

    with tempfile.NamedTemporaryFile(suffix=".tif", dir=fast_temp_dir()) as image_file:
        Image.fromarray(pixels).save(image_file, format="TIFF", dpi=(dpi, dpi))
        image_file.flush()
        command = [TESSERACT, image_file.name, "stdout", "--dpi", str(dpi), *args]
        try:
            done = subprocess.run(command, capture_output=True, env=tesseract_env(), check=False)
        except FileNotFoundError as e:
            raise TesseractFailed(f"the tesseract program is not installed ({INSTALL_HINT})") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractFailed(f"tesseract exited with {done.returncode}: {message[-1] if message else 'no message'}")
    return done.stdout.decode("utf-8", "replace")


class CommandLineEngine:
    """One `tesseract` process per page (and per orientation check)."""

    name = "cli"

    def identity(self) -> str:
        return f"tesseract-cli {cli_version()}"

    def languages(self) -> frozenset[str]:
        return cli_languages()

    def read(self, pixels: np.ndarray, dpi: int, lang: str) -> list[Word]:
        return tsv_words(run_tesseract(pixels, dpi, ["-l", lang, "tsv"]), 72.0 / dpi)

    def orientation(self, pixels: np.ndarray, dpi: int) -> int:
        """Clockwise degrees that make the page upright (`osd_rotation`); 0 if OSD cannot say."""
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
        return osd_rotation(rotate, confidence)
