"""Tesseract's command line as an OCR engine: the fallback when the library (tesserocr) is missing or
does not load (`extractors.ocr.engine`).

The page is written as an uncompressed TIFF to a RAM-backed temporary file and its path given to
pytesseract, which runs `tesseract` on it and reads back the TSV (`image_to_data`) or the
orientation report (`image_to_osd`). Given a path, pytesseract writes no image of its own: it
measured as fast as calling `tesseract` by hand (CPU per page 1.01x, `bench/README.md`, "OCR
engine"); given a Pillow image it would write a compressed PNG per page (0.14-0.2 CPU-s). An
uncompressed TIFF file beat the other ways of handing a page over (one 300-dpi page, encoding plus
Tesseract, CPU-s: TIFF file 2.42, PNG 2.74, PGM on stdin 2.74: Tesseract reads stdin one character
at a time, and leptonica's PNM reader is slow).
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

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


def page_file(pixels: np.ndarray, dpi: int):
    """The page as an uncompressed TIFF in RAM, deleted when the `with` block ends; `dpi` 0: no
    resolution recorded (Tesseract then estimates it)."""
    from PIL import Image

    image_file = tempfile.NamedTemporaryFile(suffix=".tif", dir=fast_temp_dir())
    Image.fromarray(pixels).save(image_file, format="TIFF", **({"dpi": (dpi, dpi)} if dpi else {}))
    image_file.flush()
    return image_file


def tesseract_call(function, *args, **kwargs) -> str:
    """A pytesseract call, its failures as TesseractFailed."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract passes this process's environment on (see tesseract_env)
    try:
        return function(*args, **kwargs)
    except pytesseract.TesseractNotFoundError as e:
        raise TesseractFailed(f"the tesseract program is not installed ({INSTALL_HINT})") from e
    except pytesseract.TesseractError as e:
        message = str(e.message).strip().splitlines() if e.message else []
        raise TesseractFailed(f"tesseract exited with {e.status}: {message[-1] if message else 'no message'}") from e


class CommandLineEngine:
    """One `tesseract` process per page (and per orientation check), through pytesseract."""

    name = "cli"

    def identity(self) -> str:
        return f"tesseract-cli {cli_version()}"

    def languages(self) -> frozenset[str]:
        return cli_languages()

    def read(self, pixels: np.ndarray, dpi: int, lang: str, alternatives: bool = False, tell_dpi: bool = True) -> list[Word]:
        """The page's words; `alternatives` is not available from the command line's TSV."""
        import pytesseract

        told = dpi if tell_dpi else 0
        with page_file(pixels, told) as image_file:
            tsv = tesseract_call(pytesseract.image_to_data, image_file.name, lang=lang, config=f"--dpi {told}" if told else "")
        return tsv_words(tsv, 72.0 / dpi)

    def orientation(self, pixels: np.ndarray, dpi: int, tell_dpi: bool = True) -> int:
        """Clockwise degrees that make the page upright (`osd_rotation`); 0 if OSD cannot say."""
        import pytesseract

        told = dpi if tell_dpi else 0
        try:
            with page_file(pixels, told) as image_file:
                report = tesseract_call(pytesseract.image_to_osd, image_file.name, config=f"--dpi {told}" if told else "")
        except TesseractFailed:  # "Too few characters" and the like: nothing to act on
            return 0
        fields = dict(line.split(":", 1) for line in report.splitlines() if ":" in line)
        try:
            rotate = int(fields.get("Rotate", "0").strip())
            confidence = float(fields.get("Orientation confidence", "0").strip())
        except ValueError:
            return 0
        return osd_rotation(rotate, confidence)
