"""Tesseract as a library (tesserocr): one initialised API per worker, fed page images from memory.

The command line loads its language models again for every page (with `fra+eng`, ~0.4 CPU-s on a
blank page) and is handed the page through a file. Here each worker process (each thread, for a
Dask worker running tasks in threads) keeps one API per language list for its whole life, and gets
the page's 8-bit grey pixels as they are (`SetImageBytes`: no file, no image encoding). Orientation
detection runs in the same process, with its own API loaded on first use (`osd` data, a few MB).

The words are read back as Tesseract's own TSV (`GetTSVText`), the text the command line prints
with `tsv`, so both engines' words go through one parser. With the same libtesseract the two give
identical words, boxes and confidences (`bench/README.md`, "OCR engine").

tesserocr's wheel bundles its own libtesseract (5.5 when this was written); the language data are
the system's (Debian's `/usr/share/tesseract-ocr/5/tessdata`, or $TESSDATA_PREFIX).
"""
from __future__ import annotations

import glob
import os
import threading
from functools import lru_cache
from typing import Optional

import numpy as np

from extractors.ocr.tesseract_output import TesseractFailed, osd_rotation, tsv_words
from schemas import Word

# Where Debian and most distributions put Tesseract's language data, newest first; the wheel's own
# compiled-in default ("./") holds none.
TESSDATA_CANDIDATES = ("/usr/share/tesseract-ocr/*/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata")


@lru_cache(maxsize=None)
def tessdata_dir() -> Optional[str]:
    """The folder of *.traineddata files: $TESSDATA_PREFIX (as the command line reads it), else the
    first system folder that holds some."""
    wanted = os.environ.get("TESSDATA_PREFIX")
    candidates = [wanted] if wanted else [p for pattern in TESSDATA_CANDIDATES for p in sorted(glob.glob(pattern), reverse=True)]
    for folder in candidates:
        if folder and glob.glob(os.path.join(folder, "*.traineddata")):
            return folder.rstrip("/") + "/"
    return None


# A runner-up character is kept as an alternative reading from this confidence (per cent) on; most
# are at 0.0, and the few that count (é/è, '/’, l/I) score 1 to 80.
MIN_RUNNER_UP = 1.0
MAX_ALTERNATIVES = 5


def alternative_readings(text: str, symbols: list[list[tuple[str, float]]]) -> list[str]:
    """The word with one character replaced by a runner-up of at least MIN_RUNNER_UP, most likely first."""
    if any(not choices or not choices[0][0] for choices in symbols) or "".join(c[0][0] for c in symbols) != text:
        return []  # characters and word do not line up (ligatures, dropped symbols): nothing safe to say
    ranked = []
    offset = 0
    for choices in symbols:
        best = choices[0][0]
        for other, confidence in choices[1:]:
            if confidence >= MIN_RUNNER_UP and other and other != best:
                ranked.append((-confidence, text[:offset] + other + text[offset + len(best):]))
        offset += len(best)
    readings = []
    for _, reading in sorted(ranked):
        if reading not in readings and reading != text:
            readings.append(reading)
    return readings[:MAX_ALTERNATIVES]


def with_alternatives(words: list[Word], runner_ups, scale: float) -> list[Word]:
    """`words` (from the TSV) with the alternative readings of their characters, matched by box and text."""
    out = []
    for word in words:
        x0, top, x1, bottom = (round(v / scale) for v in word.bbox)
        readings = alternative_readings(word.text, runner_ups.get((x0, top, x1, bottom, word.text), []))
        out.append(word.model_copy(update={"alternatives": readings}) if readings else word)
    return out


class LibraryEngine:
    """Warm Tesseract APIs of this process, one per thread and language list."""

    name = "library"

    def __init__(self) -> None:
        import tesserocr  # ImportError when missing: the caller falls back to the command line

        self._tesserocr = tesserocr
        self.datapath = tessdata_dir()
        if self.datapath is None:
            raise RuntimeError("no Tesseract language data found (set TESSDATA_PREFIX)")
        self._local = threading.local()

    def identity(self) -> str:
        return f"tesserocr {self._tesserocr.__version__} {self._tesserocr.tesseract_version().split()[1]}"

    def languages(self) -> frozenset[str]:
        return frozenset(self._tesserocr.get_languages(self.datapath)[1])

    def api(self, lang: str):
        """This thread's API for `lang`, initialised on first use and kept."""
        apis = self._local.__dict__.setdefault("apis", {})
        if lang not in apis:
            tesserocr = self._tesserocr
            if lang == "osd":
                apis[lang] = tesserocr.PyTessBaseAPI(path=self.datapath, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
            else:
                apis[lang] = tesserocr.PyTessBaseAPI(path=self.datapath, lang=lang)
        return apis[lang]

    def set_page(self, api, pixels: np.ndarray, dpi: int, tell_dpi: bool = True) -> None:
        pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
        height, width = pixels.shape[:2]
        channels = pixels.shape[2] if pixels.ndim == 3 else 1  # colour: Tesseract's own thresholding
        api.SetImageBytes(pixels.tobytes(), width, height, channels, width * channels)
        if tell_dpi:  # else the resolution stays 0 and Tesseract estimates it, as the command line does
            api.SetSourceResolution(dpi)  # what the command line's --dpi sets

    def read(self, pixels: np.ndarray, dpi: int, lang: str, alternatives: bool = False, tell_dpi: bool = True) -> list[Word]:
        """The page's words; with `alternatives`, each with the runner-up readings Tesseract weighed."""
        try:
            api = self.api(lang)
        except RuntimeError as e:  # the language data did not load
            raise TesseractFailed(f"Tesseract could not load {lang}: {e}") from e
        try:
            # Tesseract keeps per-character runner-ups only when asked: 2 = summed over each character
            api.SetVariable("lstm_choice_mode", "2" if alternatives else "0")
            self.set_page(api, pixels, dpi, tell_dpi)
            if not api.Recognize():
                raise TesseractFailed("Tesseract could not read the page")
            words = tsv_words(api.GetTSVText(0), 72.0 / dpi)
            return with_alternatives(words, self.runner_ups(api), 72.0 / dpi) if alternatives else words
        finally:
            api.Clear()  # the page and its results; the models stay loaded

    def runner_ups(self, api) -> dict[tuple[int, int, int, int, str], list[list[tuple[str, float]]]]:
        """(pixel box, text) of every word -> its characters' choices, best first, confidences in %."""
        RIL = self._tesserocr.RIL
        found: dict[tuple[int, int, int, int, str], list[list[tuple[str, float]]]] = {}
        iterator = api.GetIterator()
        iterator.Begin()
        symbols: list[list[tuple[str, float]]] = []
        while True:
            if iterator.IsAtBeginningOf(RIL.WORD):
                box = iterator.BoundingBox(RIL.WORD)
                text = (iterator.GetUTF8Text(RIL.WORD) or "").strip()
                symbols = found.setdefault((*box, text), []) if box else []
            choices, chooser = [], iterator.GetChoiceIterator()
            while True:
                choices.append((chooser.GetUTF8Text(), chooser.Confidence()))
                if not chooser.Next():
                    break
            symbols.append(choices)
            if not iterator.Next(RIL.SYMBOL):
                break
        return found

    def orientation(self, pixels: np.ndarray, dpi: int, tell_dpi: bool = True) -> int:
        """Clockwise degrees that make the page upright (`osd_rotation`); 0 if OSD cannot say."""
        try:
            api = self.api("osd")
        except RuntimeError:
            return 0
        try:
            self.set_page(api, pixels, dpi, tell_dpi)
            found = api.DetectOrientationScript()
        finally:
            api.Clear()
        if not found:  # too few characters and the like: nothing to act on
            return 0
        # orient_deg is how far the page is turned clockwise; the command line's "Rotate" (what
        # turns it back) is its complement.
        return osd_rotation((360 - int(found["orient_deg"])) % 360, float(found["orient_conf"]))
