"""The OCR stage's tolerances, in one place: when orientation is checked, when a stroke is bold, what
counts as a drawn rule in a scan, when a page's own image is used instead of rendering it.

Each figure says where it was measured. `SETTINGS` is what bilan uses; a function that takes
`settings` defaults to it (benchmarks and tests may pass another).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrientationSettings:
    # A first pass is "bad" (and orientation is checked) below either figure, or when its word
    # boxes stand upright. Measured on corpus scans, skew.pdf and c02-22.pdf: upright pages read at
    # mean confidence 93-96; turned 180° they read at 43-49; turned 90° Tesseract often reads the
    # words anyway (~94) but its boxes are then taller than wide, useless for rebuilding lines.
    min_words: int = 12
    min_mean_confidence: float = 60.0
    # OSD's orientation confidence below which its answer is not acted on; on those pages it
    # printed 4.6 (a cover with 16 words) to 31.
    min_osd_confidence: float = 1.0


@dataclass(frozen=True)
class BoldSettings:
    # Tesseract reports no font weight; a bold lead organisation set beside plain partners is told
    # apart by its strokes (`extractors.ocr.bold`). Measured on the annex of
    # corpus/000_report_scan.pdf against the bold flags of the born-digital twin: bold words read
    # at 1.3-2.2 times their peers' stroke width, plain ones at 0.8-1.15 (two exceptions of 2,500).
    bold_ratio: float = 1.3
    plain_ratio: float = 1.15
    min_chars: int = 3  # letters or digits: "en", "au", punctuation carry too little ink to judge
    min_peers: int = 15  # words of similar size on the page to compare with


@dataclass(frozen=True)
class RulingSettings:
    # Drawn table rules in a scan's image (`extractors.ocr.rulings`).
    min_rule: float = 40.0  # points
    max_break: int = 4  # pixels: a rule broken by JPEG noise or too faint to be ink all along (capitals of a line leave wider gaps)
    bin: int = 3  # pixels across a rule at 300 dpi (a rule is 1-4 px thick; the skew is known to ~0.05°)
    thick: float = 2.5  # points: thicker dark bands are filled boxes, not rules
    ink: float = 0.85  # darker than this share of the way from ink to paper is ink (light-grey rules blur pale)
    filled: float = 0.75  # share of a rule's length that must be ink (a faint rule is found in pieces)
    texture_side: int = 5  # pixels beside a rule looked at to tell it from a dithered or hatched fill
    texture: float = 0.35  # share of ink on both sides of a run above which it is such a fill
    max_pixels: int = 12_000_000  # larger images (A3 and up at 300 dpi) are searched at half resolution


@dataclass(frozen=True)
class OcrSettings:
    orientation: OrientationSettings = field(default_factory=OrientationSettings)
    bold: BoldSettings = field(default_factory=BoldSettings)
    rulings: RulingSettings = field(default_factory=RulingSettings)
    # A page image is used as it is, instead of rendering the page, when its pixel size is within
    # this share of the rendered size (a 300-dpi scan rendered at 300 dpi).
    native_size_tolerance: float = 0.01


SETTINGS = OcrSettings()
