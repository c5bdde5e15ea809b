"""Tesseract's answers, whichever engine gave them (`extractors.ocr.engine`): TSV rows as words, the
orientation report as a rotation, and its failure."""
from __future__ import annotations

from extractors.ocr.settings import SETTINGS, OcrSettings
from schemas import Word

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd"


class TesseractFailed(RuntimeError):
    pass


def tsv_words(tsv: str, scale: float) -> list[Word]:
    """Words of Tesseract's TSV output; pixel boxes times `scale` (72/dpi) give points."""
    words = []
    for row in tsv.splitlines():
        cells = row.split("\t", 11)
        if len(cells) < 12 or cells[0] != "5":  # level 5 = word (the header row says "level")
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


def osd_rotation(rotate: int, confidence: float, settings: OcrSettings = SETTINGS) -> int:
    """Clockwise degrees (0/90/180/270) that make the page upright, from OSD's `Rotate`; 0 if unsure."""
    return rotate % 360 if confidence >= settings.orientation.min_osd_confidence else 0
