"""Scanned pages made ready for the table reader: skew turned out of the word boxes, OCR noise set
aside.

A scan is rarely level: at 1.5° the rows of a table 700 points wide drift 18 points from one side
to the other, enough to put the cells of one row on three reading lines. The skew is measured from
the baselines of the page's long lines (`skew_of`) and every word box is turned about the page
origin by it (`level_page`). Words OCR makes of drawn rules and specks (`|`, `—_`, `ee` read
unsure) are blanked, so they neither open cells nor join lines. The levelled page keeps every word
at its index, so a cell's `word_ids` still index `Page.words`; `unlevel_table` turns a table
found on it back into the page's own frame.
"""
from __future__ import annotations

import math
import re

from extractors.layout import baseline_skew
from extractors.tables.settings import SETTINGS
from schemas import Page, Word
from schemas.table import Ruling, Table

NOISE = re.compile(r"^[|¦\[\]{}_~]+$")


def is_noise(word: Word) -> bool:
    """What OCR makes of a drawn rule, a shaded band's edge or a speck: rule glyphs, and short
    'words' read unsure ("ee", "ER", "—_"); an unsure long word or number is kept."""
    text = word.text.strip()
    if not text or NOISE.match(text):
        return True
    if word.confidence is None:
        return False
    tolerances = SETTINGS.level
    if word.confidence < tolerances.min_word_confidence:
        return True
    if not any(ch.isalnum() for ch in text):
        return word.confidence < tolerances.symbol_confidence  # "=", "—", "~" read unsure off a rule
    return (word.confidence < tolerances.short_word_confidence and sum(ch.isalpha() for ch in text) <= tolerances.short_word_letters
            and not any(ch.isdigit() for ch in text))


def _speck(word: Word, words: list[Word]) -> bool:
    """A speck or a rule's edge read as a letter or two ("ee", "i"), unsure, with no word beside it
    on its line: no cell holds a lone letter read so."""
    text = word.text.strip()
    if len(text) > 2 or any(ch.isdigit() for ch in text) or word.confidence is None or word.confidence >= SETTINGS.level.symbol_confidence:
        return False
    x0, top, x1, bottom = word.bbox
    h = bottom - top
    return not any(o is not word and o.bbox is not None and o.text.strip() and min(bottom, o.bbox[3]) - max(top, o.bbox[1]) > 0.3 * h
                   and (abs(o.bbox[0] - x1) < 1.5 * h or abs(x0 - o.bbox[2]) < 1.5 * h) for o in words)


def skew_of(words: list[Word]) -> float:
    """Angle (radians, clockwise positive) of the text lines of a scan, from word baselines."""
    level = SETTINGS.level
    return baseline_skew(words, level.skew_line_words, level.skew_line_width, level.skew_lines)


def turn(x: float, y: float, angle: float) -> tuple[float, float]:
    """A point of the page in the levelled frame (the inverse of `unturn`)."""
    c, s = math.cos(angle), math.sin(angle)
    return x * c + y * s, -x * s + y * c


def unturn(x: float, y: float, angle: float) -> tuple[float, float]:
    c, s = math.cos(angle), math.sin(angle)
    return x * c - y * s, x * s + y * c


def level_page(page: Page) -> tuple[Page, float]:
    """An OCR'd page with its skew turned out of the word boxes and its noise words blanked (same
    word indices), and the angle turned; other pages come back as they are, angle 0."""
    if page.origin != "ocr" or not any(w.origin == "ocr" for w in page.words[:50]):
        return page, 0.0
    noise = {i for i, w in enumerate(page.words) if w.bbox is not None and (is_noise(w) or _speck(w, page.words))}
    kept = [w for i, w in enumerate(page.words) if w.bbox is not None and i not in noise]
    angle = skew_of(kept)
    words = []
    for i, w in enumerate(page.words):
        if i in noise:
            w = w.model_copy(update={"text": ""})
        if abs(angle) > SETTINGS.level.min_skew and w.bbox is not None:
            x0, top, x1, bottom = w.bbox
            cx, cy = turn((x0 + x1) / 2, (top + bottom) / 2, angle)
            hw, hh = (x1 - x0) / 2, (bottom - top) / 2
            w = w.model_copy(update={"bbox": (cx - hw, cy - hh, cx + hw, cy + hh)})
        words.append(w)
    return page.model_copy(update={"words": words, "lines": []}), (angle if abs(angle) > SETTINGS.level.min_skew else 0.0)


def level_rulings(rulings: list[Ruling], angle: float) -> list[Ruling]:
    """Rulings given in the page's frame, turned into the levelled frame (a rule drawn along the
    skew becomes level: its two ends are turned, its thickness kept)."""
    if not angle:
        return list(rulings)
    out = []
    for r in rulings:
        horizontal = r.horizontal
        if horizontal:
            y = (r.top + r.bottom) / 2
            (ax, ay), (bx, by) = turn(r.x0, y, angle), turn(r.x1, y, angle)
            out.append(Ruling(x0=min(ax, bx), top=(ay + by) / 2 - 0.25, x1=max(ax, bx), bottom=(ay + by) / 2 + 0.25))
        else:
            x = (r.x0 + r.x1) / 2
            (ax, ay), (bx, by) = turn(x, r.top, angle), turn(x, r.bottom, angle)
            out.append(Ruling(x0=(ax + bx) / 2 - 0.25, top=min(ay, by), x1=(ax + bx) / 2 + 0.25, bottom=max(ay, by)))
    return out


def _unturn_box(box, angle: float):
    corners = [unturn(x, y, angle) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


def unlevel_table(table: Table, angle: float) -> Table:
    """A table found on a levelled page, with its boxes back in the page's frame."""
    if not angle:
        return table
    cells = [c.model_copy(update={"bbox": _unturn_box(c.bbox, angle) if c.bbox else None}) for c in table.cells]
    segments = [s.model_copy(update={"bbox": _unturn_box(s.bbox, angle), "col_edges": [
        round(unturn(x, (s.bbox[1] + s.bbox[3]) / 2, angle)[0], 2) for x in s.col_edges]}) for s in table.provenance.segments]
    notes = table.provenance.notes + [f"found on the page levelled by {math.degrees(angle):.2f}°"]
    provenance = table.provenance.model_copy(update={"segments": segments, "notes": notes})
    return table.model_copy(update={"bbox": _unturn_box(table.bbox, angle), "cells": cells, "provenance": provenance})
