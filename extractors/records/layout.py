"""Rows of words for the records text reader, from pages that have word boxes (born-digital text
layers and OCR'd scans).

A page's own `Line`s are not used as they are: OCR of a slightly rotated scan cuts a printed line
into pieces (and a born-digital page may print two columns on one line). Instead every word is
placed on a deskewed baseline, words are clustered into printed rows, running headers and footers
are dropped, and where a page holds a block of two columns side by side (a gutter that no word
crosses, with words on both sides), the block is read left column first, then right column.
"""
from __future__ import annotations

import bisect
import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz

from extractors.records.settings import SETTINGS
from schemas import Page, Word


@dataclass
class Row:
    """One printed row of words (or one column's part of it), in reading order."""

    words: list[Word]
    page: int
    index: int  # first OCR/text-layer line index the row draws on
    yc: float  # deskewed vertical centre
    height: float
    column: Optional[str] = None  # "left" / "right" inside a two-column block
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # deskewed word boxes

    @property
    def x0(self) -> float:
        return self.boxes[0][0]

    @property
    def x1(self) -> float:
        return max(b[2] for b in self.boxes)

    @property
    def top(self) -> float:
        return self.yc - self.height / 2

    @property
    def bottom(self) -> float:
        return self.yc + self.height / 2

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> Optional[bool]:
        known = [w.bold for w in self.words if w.bold is not None]
        if not known:
            return None
        return sum(known) * 2 > len(known)

    def bbox(self) -> tuple[float, float, float, float]:
        """The row's box in page coordinates as ingested (not deskewed), for provenance."""
        boxes = [w.bbox for w in self.words if w.bbox]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def cells(self) -> list[tuple[str, float, float]]:
        """The row cut where words are far apart (table cells, table-of-contents page numbers)."""
        gap = max(SETTINGS.rows.min_cell_gap, SETTINGS.rows.cell_gap * self.height)
        cells: list[list[int]] = [[0]]
        for i in range(1, len(self.words)):
            if self.boxes[i][0] - self.boxes[i - 1][2] >= gap:
                cells.append([])
            cells[-1].append(i)
        return [(" ".join(self.words[i].text for i in c), self.boxes[c[0]][0], self.boxes[c[-1]][2]) for c in cells]

    def sub(self, keep: list[int], column: Optional[str]) -> "Row":
        return Row([self.words[i] for i in keep], self.page, self.index, self.yc, self.height, column,
                   [self.boxes[i] for i in keep])


def page_skew(page: Page) -> float:
    """Slope (dy/dx) of the page's text lines, from the word centres of its longer lines."""
    slopes = []
    for line in page.lines:
        boxes = [page.words[i].bbox for i in line.word_ids if page.words[i].bbox]
        if len(boxes) < SETTINGS.rows.skew_line_words or boxes[-1][2] - boxes[0][0] < SETTINGS.rows.skew_line_width:
            continue
        xs = [(b[0] + b[2]) / 2 for b in boxes]
        ys = [(b[1] + b[3]) / 2 for b in boxes]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        var = sum((x - mx) ** 2 for x in xs)
        if var:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var)
    return statistics.median(slopes) if len(slopes) >= SETTINGS.rows.skew_lines else 0.0


def _sorted_median(values: list[float]) -> float:
    """statistics.median of an already sorted list."""
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def page_rows(page: Page) -> list[Row]:
    """Words clustered into rows on deskewed baselines, top to bottom, each row left to right."""
    slope = page_skew(page)
    mid = (page.width or 600) / 2
    line_of = {}
    for n, line in enumerate(page.lines):
        for i in line.word_ids:
            line_of.setdefault(i, n)
    placed = []
    for i, word in enumerate(page.words):
        if not word.bbox or not word.text.strip() or (word.origin == "ocr" and SPECK.match(word.text.strip())):
            continue
        x0, top, x1, bottom = word.bbox
        shift = slope * ((x0 + x1) / 2 - mid)
        placed.append((i, (x0, top - shift, x1, bottom - shift)))
    placed.sort(key=lambda p: (p[1][1] + p[1][3]) / 2)
    # Each open cluster keeps its words' centres and sorted heights, so that its mean centre and
    # median height cost one fsum and one lookup per word instead of a pass over the cluster.
    clusters: list[tuple[list[tuple[int, tuple]], list[float], list[float]]] = []
    row_reach = SETTINGS.rows.row_reach
    for i, box in placed:
        yc, h = (box[1] + box[3]) / 2, box[3] - box[1]
        best = None
        for cluster in clusters[-3:]:
            members, centres, heights = cluster
            lyc = math.fsum(centres) / len(centres)  # = statistics.fmean
            lh = _sorted_median(heights)
            # a speck or a squashed OCR box takes the row's height; a big word at most twice it
            reach = row_reach * (lh if h < lh else min(h, 2 * lh))
            if abs(yc - lyc) < reach and (best is None or abs(yc - lyc) < best[0]):
                best = (abs(yc - lyc), cluster)
        if best:
            members, centres, heights = best[1]
            members.append((i, box))
            centres.append(yc)
            bisect.insort(heights, h)
        else:
            clusters.append(([(i, box)], [yc], [h]))
    rows = []
    for cluster, _, _ in clusters:
        cluster.sort(key=lambda p: p[1][0])
        heights = [b[3] - b[1] for _, b in cluster]
        yc = statistics.fmean((b[1] + b[3]) / 2 for _, b in cluster)
        rows.append(Row([page.words[i] for i, _ in cluster], page.number, min(line_of.get(i, 0) for i, _ in cluster),
                        yc, statistics.median(heights), None, [b for _, b in cluster]))
    return rows


SPECK = re.compile(r"^[.,:;'`|_~\"^]+$")  # OCR reads dust as punctuation (a text layer's " :" is French spacing)
FURNITURE_DIGITS = re.compile(r"\d+")


def furniture_key(text: str) -> str:
    return FURNITURE_DIGITS.sub("#", re.sub(r"\W+", " ", text.lower())).strip()


def drop_furniture(pages: list[tuple[Page, list[Row]]]) -> list[list[Row]]:
    """Drop running headers and footers: rows in the top or bottom margin that repeat (digits
    aside) on other pages, or that hold no word of three letters (page numbers, rules)."""
    def zone(page: Page, row: Row) -> Optional[str]:
        height = page.height or 792
        if row.bottom < SETTINGS.rows.margin_top * height:
            return "top"
        if row.top > (1 - SETTINGS.rows.margin_bottom) * height:
            return "bottom"
        return None

    margins = [(page.number, z, furniture_key(row.text)) for page, rows in pages for row in rows if (z := zone(page, row))]

    def recurs(number: int, z: str, key: str) -> bool:
        # OCR reads the same header slightly differently from page to page: fuzzy comparison.
        return any(n != number and oz == z and fuzz.ratio(key, other) >= 85 for n, oz, other in margins)

    kept = []
    for page, rows in pages:
        out = []
        for row in rows:
            z = zone(page, row)
            if z and (not re.search(r"[^\W\d_]{3}", row.text) or recurs(page.number, z, furniture_key(row.text))):
                continue
            out.append(row)
        kept.append(out)
    return kept


def _split_at(row: Row, x: float) -> tuple[list[int], list[int]]:
    left = [i for i, b in enumerate(row.boxes) if b[2] <= x]
    right = [i for i, b in enumerate(row.boxes) if b[0] >= x]
    return left, right


def _gutter(row: Row, width: float) -> Optional[float]:
    """x where the row has a wide white gap in the middle band of the page, or None."""
    tolerances = SETTINGS.columns
    band_lo, band_hi = tolerances.gutter_band
    best = None
    for i in range(1, len(row.boxes)):
        gap = row.boxes[i][0] - row.boxes[i - 1][2]
        x = row.boxes[i][0]
        if gap >= max(tolerances.gutter_min, tolerances.gutter_heights * row.height) and band_lo * width <= x <= band_hi * width:
            # Text on both sides (a table row's number cells are no second column).
            words_right = sum(1 for w in row.words[i:] if re.search(r"[^\W\d_]{3}", w.text))
            words_left = sum(1 for w in row.words[:i] if re.search(r"[^\W\d_]{2}", w.text))
            if words_right < 2 or not words_left:
                continue
            if best is None or gap > best[0]:
                best = (gap, x)
    return best[1] if best else None


def split_columns(rows: list[Row], width: float) -> list[Row]:
    """Read two-column blocks column by column. A block is a run of rows that no word crosses at
    the gutter x, with at least two rows holding words on both sides of a wide gap there."""
    tolerances = SETTINGS.columns
    out: list[Row] = []
    i = 0
    while i < len(rows):
        x = _gutter(rows[i], width)
        if x is None:
            out.append(rows[i])
            i += 1
            continue
        # Grow the block while rows are compatible with a gutter at about x.
        j, splits, gx = i, 0, x
        while j < len(rows):
            row = rows[j]
            if j > i and row.top - rows[j - 1].bottom > tolerances.block_row_gap * max(row.height, rows[j - 1].height):
                break
            own = _gutter(row, width)
            if own is not None and abs(own - gx) <= tolerances.gutter_drift:
                splits += 1
                gx = min(gx, own)
                j += 1
                continue
            left, right = _split_at(row, gx - 2)
            if len(left) + len(right) < len(row.words):
                break  # a word crosses the gutter: single-column text again
            if left and right and row.boxes[right[0]][0] - row.boxes[left[-1]][2] < tolerances.running_text_gap * tolerances.gutter_min:
                break  # both sides only a word space apart: running text
            if row.height > tolerances.heading_height * statistics.median(r.height for r in rows[i:j]):
                break  # a heading
            j += 1
        if splits < 2:
            out.append(rows[i])
            i += 1
            continue
        # A header row above the block (one word a side) belongs to it when nothing crosses the gutter.
        while i > 0 and rows[i].top - rows[i - 1].bottom <= tolerances.block_row_gap * rows[i].height:
            left, right = _split_at(rows[i - 1], gx - 2)
            if not (left and right) or len(left) + len(right) < len(rows[i - 1].words) \
                    or rows[i - 1].boxes[right[0]][0] - rows[i - 1].boxes[left[-1]][2] < tolerances.gutter_min:
                break
            i -= 1
            out.pop()
        block = rows[i:j]
        lefts, rights = [], []
        for row in block:
            left, right = _split_at(row, gx - 2)
            if left:
                lefts.append(row.sub(left, "left"))
            if right:
                rights.append(row.sub(right, "right"))
        out.extend(lefts)
        out.extend(rights)
        i = j
    return out


def document_rows(pages: list[Page]) -> list[list[Row]]:
    """Rows of every boxed page, furniture dropped, two-column blocks read column by column."""
    built = [(page, page_rows(page)) for page in pages]
    kept = drop_furniture(built)
    return [split_columns(rows, page.width or 600) for (page, _), rows in zip(built, kept)]
