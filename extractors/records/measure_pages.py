"""Pages as the table reader sees them (step 1 of `extractors.records.from_tables`).

Noise words OCR makes of drawn rules and specks are dropped; a scanned page's skew is measured from
its lines' baselines and its word boxes are turned level (`_skew`); lines are cut into segments at
wide word gaps and vertical rulings (`extractors.tables.geometry`). Running heads and feet (a line
near the top or foot of a page whose text recurs on another page, or a bare page number) are set
aside (`mark_margins`). A scanned page's drawn rules (found in its image by OCR, `Page.rulings`) are
levelled with its words.
"""
from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extractors.records.measure_fields import fold
from extractors.tables.geometry import SegmentLine, merge_rules, Rule, page_segments, page_unit
from schemas import Page, Word
from schemas.table import Ruling

NOISE = re.compile(r"^[|¦\[\]{}_~]+$")
MIN_WORD_CONFIDENCE = 20.0  # OCR words read below this are noise (specks, rules, lost letters)
MARGIN_ZONE = 0.09  # share of the page height at its top and foot where running heads and feet sit


@dataclass
class PageView:
    page: Page
    angle: float  # skew turned out of the words (radians)
    words: list[Word]  # deskewed, noise dropped
    orig: list[int]  # index in page.words of each view word
    lines: list[SegmentLine]
    unit: float
    hs: list[Rule]
    vs: list[Rule]
    margin: set[int] = field(default_factory=set)


def prepare_page(page: Page) -> PageView:
    keep = [i for i, w in enumerate(page.words) if w.bbox is not None and not _noise(w)]
    rulings = page.rulings
    words = [page.words[i] for i in keep]
    angle = _skew(words) if any(w.origin == "ocr" for w in words[:50]) else 0.0
    if abs(angle) > 0.0005:
        c, s = math.cos(angle), math.sin(angle)
        turned = []
        for w in words:
            x0, top, x1, bottom = w.bbox
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            nx, ny = cx * c + cy * s, -cx * s + cy * c
            turned.append(w.model_copy(update={"bbox": (nx - (x1 - x0) / 2, ny - (bottom - top) / 2, nx + (x1 - x0) / 2, ny + (bottom - top) / 2)}))
        words = turned
        rulings = [_level(r, c, s) for r in rulings]  # a scan's rules, straightened about their centres like its words
    flat = Page(number=page.number, width=page.width, height=page.height, origin=page.origin, words=words)
    unit = page_unit(flat)
    hs = merge_rules(rulings, horizontal=True)
    vs = merge_rules(rulings, horizontal=False)
    lines = page_segments(flat, vs, unit)
    return PageView(page, angle, words, keep, lines, unit, hs, vs)


def _noise(word: Word) -> bool:
    """What OCR makes of a drawn rule, a shaded band's edge or a speck: rule glyphs, and short
    'words' read unsure ("ee", "ER", "—_"); an unsure long word or number is kept."""
    text = word.text.strip()
    if not text or NOISE.match(text):
        return True
    if word.confidence is None:
        return False
    if word.confidence < MIN_WORD_CONFIDENCE:
        return True
    if not any(ch.isalnum() for ch in text):
        return word.confidence < 80  # "=", "—", "~" read unsure off a rule
    return word.confidence < 50 and sum(ch.isalpha() for ch in text) <= 4 and not any(ch.isdigit() for ch in text)


def _level(r: Ruling, c: float, s: float) -> Ruling:
    cx, cy = (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2
    nx, ny = cx * c + cy * s, -cx * s + cy * c
    return Ruling(x0=nx - (r.x1 - r.x0) / 2, top=ny - (r.bottom - r.top) / 2, x1=nx + (r.x1 - r.x0) / 2, bottom=ny + (r.bottom - r.top) / 2)


def _skew(words: list[Word]) -> float:
    """Angle (radians, clockwise positive) of the text lines of a scan, from word baselines."""
    from extractors.layout import words_to_lines

    slopes = []
    for line in words_to_lines(words):
        boxes = [words[i].bbox for i in line.word_ids if len(words[i].text) >= 3]
        if len(boxes) < 4 or boxes[-1][2] - boxes[0][0] < 120:
            continue
        xs = [(b[0] + b[2]) / 2 for b in boxes]
        ys = [b[3] for b in boxes]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        den = sum((x - mx) ** 2 for x in xs)
        if den > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den)
    if len(slopes) < 3:
        return 0.0
    return math.atan(statistics.median(slopes))


def mark_margins(views: list[PageView]) -> None:
    """Running heads and feet: lines in the top or foot zone whose text recurs on another page."""
    zones: list[list[tuple[int, str]]] = []
    for view in views:
        height = view.page.height or max((l.bottom for l in view.lines), default=0)
        found = []
        for k, line in enumerate(view.lines):
            if line.bottom <= MARGIN_ZONE * height or line.top >= (1 - MARGIN_ZONE) * height:
                text = " ".join(s.text for s in line.segs)
                key = re.sub(r"\d+", "", fold(text)).strip()
                if not key:
                    view.margin.add(k)  # a bare page number
                found.append((k, key))
        zones.append(found)
    for i, view in enumerate(views):
        for k, key in zones[i]:
            if key and any(fuzz.ratio(key, other) >= 85 for j, z in enumerate(zones) if j != i for _, other in z if other):
                view.margin.add(k)
