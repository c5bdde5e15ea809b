"""Cards: boxes of one size, shaded, set out in rows and columns, each holding a short text (an
objective with its heading, a key figure with its label). No rule is drawn and the text of two
cards side by side interleaves line by line in the text layer, so neither the ruled nor the
aligned-text reading sees them; the shading does. Each box is a cell of a grid whose rows and
columns are the boxes' tops and lefts.
"""
from __future__ import annotations

from typing import Sequence

from extractors.layout import union_bbox
from extractors.tables.geometry import SegmentLine
from extractors.tables.settings import SETTINGS
from schemas import Page
from schemas.table import Cell, Shade, Table, TableProvenance, TableSegment



def card_tables(page: Page, lines: list[SegmentLine], shades: Sequence[Shade], unit: float) -> list[Table]:
    """Grids of same-size shaded boxes holding words (see the module docstring)."""
    boxes = [s for s in shades if s.x1 - s.x0 >= 6 * unit and s.bottom - s.top >= 3 * unit]
    segs = [s for line in lines for s in line.segs]
    holding = []
    for b in boxes:
        inside = [s for s in segs if b.x0 <= (s.x0 + s.x1) / 2 <= b.x1 and b.top <= (s.top + s.bottom) / 2 <= b.bottom]
        # a card holds one block of text set flush left: a shaded row of a table holds several cells
        if inside and max(s.x0 for s in inside) - min(s.x0 for s in inside) <= 2 * unit:
            holding.append(b)
    tables = []
    used: set[int] = set()
    for i, box in enumerate(holding):
        if i in used:
            continue
        group = [j for j, other in enumerate(holding) if j not in used and _same_size(box, other)]
        if len(group) < SETTINGS.pages.min_cards:
            continue
        cards = [holding[j] for j in group]
        lefts = _clusters([c.x0 for c in cards])
        tops = _clusters([c.top for c in cards])
        if len(lefts) * len(tops) < len(cards) or (len(lefts) < 2 and len(tops) < 2):
            continue  # not a grid: overlapping or scattered boxes
        used.update(group)
        tables.append(_table(page, segs, cards, lefts, tops))
    return tables


def _same_size(a: Shade, b: Shade) -> bool:
    wa, ha, wb, hb = a.x1 - a.x0, a.bottom - a.top, b.x1 - b.x0, b.bottom - b.top
    return abs(wa - wb) <= SETTINGS.pages.card_size_tolerance * max(wa, wb) and abs(ha - hb) <= SETTINGS.pages.card_size_tolerance * max(ha, hb)


def _clusters(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SETTINGS.pages.card_align:
            out.append(v)
    return out


def _index(value: float, clusters: list[float]) -> int:
    return min(range(len(clusters)), key=lambda k: abs(clusters[k] - value))


def _table(page: Page, segs, cards: list[Shade], lefts: list[float], tops: list[float]) -> Table:
    cells = []
    for card in cards:
        inside = sorted((s for s in segs if card.x0 <= (s.x0 + s.x1) / 2 <= card.x1 and card.top <= (s.top + s.bottom) / 2 <= card.bottom),
                        key=lambda s: (s.line, s.x0))
        text, last = "", None
        for s in inside:
            text += ("" if last is None else (" " if s.line == last else "\n")) + s.text
            last = s.line
        cells.append(Cell(row=_index(card.top, tops), col=_index(card.x0, lefts), text=text, page=page.number,
                          bbox=(card.x0, card.top, card.x1, card.bottom), word_ids=[i for s in inside for i in s.ids],
                          fill=card.color))
    cells.sort(key=lambda c: (c.row, c.col))
    bbox = union_bbox([(c.x0, c.top, c.x1, c.bottom) for c in cards])
    edges = lefts + [max(c.x1 for c in cards)]
    return Table(page=page.number, bbox=bbox, n_rows=len(tops), n_cols=len(lefts), cells=cells,
                 provenance=TableProvenance(method="shading", notes=[f"{len(cards)} shaded cards"],
                                            segments=[TableSegment(page=page.number, bbox=bbox, first_row=0, n_rows=len(tops),
                                                                   col_edges=edges)]))
