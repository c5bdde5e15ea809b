"""Which Tesseract reads the pages, whether it has the languages asked for, and when a first reading
calls for an orientation check.

Two engines give the same kind of answer (`read`: words with boxes and confidences; `orientation`:
clockwise degrees that make a page upright):

* `LibraryEngine` (extractors.ocr.tesseract_lib): Tesseract loaded once per worker through
  tesserocr, pages fed from memory. The default: 1.4-1.5x less CPU per page than the command
  line (`bench/README.md`, "OCR engine").
* `CommandLineEngine` (extractors.ocr.tesseract_cli): one `tesseract` process per page, the
  fallback when tesserocr is not installed or does not load.

`BILAN_OCR_ENGINE=cli` (or `library`) forces one; the choice is made once per process.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from extractors.errors import OCRUnavailable
from extractors.ocr.settings import SETTINGS, OcrSettings
from extractors.ocr.tesseract_cli import CommandLineEngine
from extractors.ocr.tesseract_lib import LibraryEngine
from extractors.options import tesseract_languages
from schemas import Word

ENGINE_VARIABLE = "BILAN_OCR_ENGINE"


class OcrEngine(Protocol):
    name: str

    def identity(self) -> str: ...  # engine and Tesseract version: another one may read differently

    def languages(self) -> frozenset[str]: ...

    # `pixels`: grey or RGB. `tell_dpi` False: the file records no resolution, so Tesseract measures
    # it from the letters (`dpi`, a guess from the image size, still turns pixel boxes into points).
    def read(self, pixels: np.ndarray, dpi: int, lang: str, alternatives: bool = False, tell_dpi: bool = True) -> list[Word]: ...

    def orientation(self, pixels: np.ndarray, dpi: int, tell_dpi: bool = True) -> int: ...


@lru_cache(maxsize=None)
def ocr_engine() -> OcrEngine:
    """The library when it loads (unless BILAN_OCR_ENGINE=cli), else the command line."""
    wanted = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower()
    if wanted not in ("auto", "library", "cli"):
        raise OCRUnavailable(None, f"{ENGINE_VARIABLE}={wanted!r}: expected auto, library or cli")
    if wanted != "cli":
        try:
            return LibraryEngine()
        except (ImportError, OSError, RuntimeError) as e:
            if wanted == "library":
                raise OCRUnavailable(None, f"tesserocr does not load: {e} (pip install tesserocr)") from e
    return CommandLineEngine()


def check_ocr_available(path: str | Path, lang: str) -> None:
    """Raise OCRUnavailable naming the file when Tesseract or a requested language is missing."""
    try:
        languages = ocr_engine().languages()
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
        return "osd" in ocr_engine().languages()
    except OCRUnavailable:
        return False


def engine_identity() -> str:
    """What reads the pages here, for cache keys: another engine or version may read other words."""
    try:
        return ocr_engine().identity()
    except OCRUnavailable as e:
        return f"unavailable: {e.problem}"


def quality(words: list[Word]) -> float:
    return sum(w.confidence or 0.0 for w in words) / len(words) if words else 0.0


def looks_bad(words: list[Word], settings: OcrSettings = SETTINGS) -> bool:
    """A first reading that calls for an orientation check (`OrientationSettings`)."""
    if len(words) < settings.orientation.min_words:
        return True
    if quality(words) < settings.orientation.min_mean_confidence:
        return True
    # Tesseract sometimes reads a sideways page by itself, but its boxes then stand upright
    # (taller than wide) in the page's frame, and lines cannot be rebuilt from them.
    long_words = [w.bbox for w in words if len(w.text) >= 3]
    tall = sum(1 for b in long_words if (b[3] - b[1]) > (b[2] - b[0]))
    return bool(long_words) and tall > len(long_words) / 2
