"""The pieces a table row is made of, and the text of its cells (for `extractors.records.from_tables`).

A `Frag` is the words of one line that fall in one column; a `MeasureRow` collects the fragments of one
measure, over pages if need be; a `ReadState` is a table being read. Fragments of one cell are joined
again where a skewed scan left a word on a line of its own (`same_lines`), cut into paragraphs at
bullets and at gaps wider than the cell's usual line gap (`_breaks`), and told apart as lines the
typesetter wrapped or broke on purpose (`soft_breaks`), which decides whether a line break ends an
organisation's name.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from extractors.records.measure_columns import Column, Header, column_of
from extractors.records.measure_fields import ID
from extractors.records.measure_pages import PageView
from extractors.tables.geometry import SegmentLine

BULLETS = set("•▪‣◦●○■□►▸➢✓")
# What OCR makes of a bullet when it stands alone before a word ("e" and "o" only when unsure).
OCR_BULLETS = {"*", "¢", "©", "+", "°", "·", "»", "®"}


@dataclass
class Frag:
    """The words of one line that fall in one column."""

    col: int
    role: Optional[str]
    top: float
    bottom: float
    page: int
    words: list[tuple[str, Optional[bool]]]
    confidences: list[float]
    boxes: list[tuple[float, float, float, float]]  # as ingested (before deskewing)
    limit: float = float("inf")  # right edge of the column's text on this page


@dataclass
class MeasureRow:
    view: PageView
    top: float
    theme: Optional[str]
    spans: dict[str, str] = field(default_factory=dict)  # row-spanning columns: role -> text
    frags: list[Frag] = field(default_factory=list)
    raw_id: Optional[str] = None  # the number cell as read, when it opened the row
    measure_id: Optional[str] = None  # after `repair_ids`


@dataclass
class ReadState:
    header: Header
    rows: list[MeasureRow] = field(default_factory=list)
    theme: Optional[str] = None
    carried: dict[str, str] = field(default_factory=dict)  # row-spanning values going on past a page break
    bars: bool = False
    numbered: bool = False


def fragments(view: PageView, line: SegmentLine, cols: list[Column]) -> list[Frag]:
    by_col: dict[int, list[int]] = {}
    for seg in line.segs:
        for i in seg.ids:
            w = view.words[i]
            by_col.setdefault(column_of(w.bbox[0], w.bbox[2], cols), []).append(i)
    out = []
    for c in sorted(by_col):
        ids = sorted(by_col[c], key=lambda i: view.words[i].bbox[0])
        words = [view.words[i] for i in ids]
        if len(words) == 1 and len(words[0].text) <= 2 and not any(ch.isdigit() for ch in words[0].text) \
                and (words[0].confidence or 100) < 80:
            continue  # a speck read as a letter
        texts = [(w.text, w.bold) for w in words]
        first = words[0]
        if len(words) > 1 and (first.text in OCR_BULLETS or (first.text in ("e", "o") and (first.confidence or 100) < 60)) \
                and first.origin == "ocr":
            texts[0] = ("•", first.bold)
        out.append(Frag(c, cols[c].role, min(w.bbox[1] for w in words), max(w.bbox[3] for w in words), view.page.number,
                         texts, [w.confidence for w in words if w.confidence is not None],
                         [view.page.words[view.orig[i]].bbox for i in ids]))
    return out


def measure_id_of(words: list[tuple[str, Optional[bool]]], loose: bool = False) -> Optional[str]:
    """The id a number cell opens with ("1", "2.3", "A"); with `loose`, also a short token OCR
    damaged ("2%", "1,1", "l.2"), returned as read and set right by `repair_ids`."""
    if not words:
        return None
    text = words[0][0].strip()
    if len(text) <= 3 and re.fullmatch(r"[0-9lIO|]+\.?", text) and any(ch.isdigit() for ch in text):
        text = text.replace("l", "1").replace("I", "1").replace("|", "1").replace("O", "0")
    if ID.match(text) and (text[0].isdigit() or len(words) == 1):
        return text.rstrip(".")
    if loose and len(text) <= 5 and text[:1].isdigit() and re.fullmatch(r"[0-9lIO|.,:;%'’°]+", text):
        return text
    return None


def same_lines(frags: list[Frag]) -> list[Frag]:
    """Fragments of one cell that share a printed line (a skewed scan's line grouping can leave a
    word on a line of its own) joined again, words left to right."""
    out: list[Frag] = []
    for f in frags:
        prev = out[-1] if out else None
        if prev is not None and prev.page == f.page and \
                min(prev.bottom, f.bottom) - max(prev.top, f.top) > 0.5 * min(prev.bottom - prev.top, f.bottom - f.top):
            order = sorted(range(len(prev.words) + len(f.words)), key=lambda i: (prev.boxes + f.boxes)[i][0])
            words, boxes = prev.words + f.words, prev.boxes + f.boxes
            out[-1] = Frag(prev.col, prev.role, min(prev.top, f.top), max(prev.bottom, f.bottom), prev.page,
                            [words[i] for i in order], prev.confidences + f.confidences, [boxes[i] for i in order])
        else:
            out.append(f)
    return out


def _breaks(frags: list[Frag], unit: float) -> list[bool]:
    """For each fragment of a cell (after `same_lines`), whether a paragraph starts with it: a
    bullet, a gap wider than the cell's usual line gap, or a sentence ended at a page break."""
    gaps = [b.top - a.bottom for a, b in zip(frags, frags[1:]) if b.top >= a.bottom - 1]
    leading = statistics.median(gaps) if gaps else 0.25 * unit
    out = []
    prev = None
    for f in frags:
        if prev is not None and f.page != prev.page:
            out.append(f.words[0][0] in BULLETS or prev.words[-1][0].endswith((".", ":")))
        else:
            out.append(prev is None or f.words[0][0] in BULLETS or f.top - prev.bottom > max(leading, 0) + 0.3 * unit)
        prev = f
    return out


def cell_paragraphs(frags: list[Frag], unit: float) -> list[list[list[tuple[str, Optional[bool]]]]]:
    frags = same_lines(frags)
    paragraphs: list[list[list[tuple[str, Optional[bool]]]]] = []
    for f, new in zip(frags, _breaks(frags, unit)):
        if new:
            paragraphs.append([f.words])
        else:
            paragraphs[-1].append(f.words)
    return paragraphs


def soft_breaks(frags: list[Frag], unit: float) -> list[bool]:
    """For each line of a cell, whether the typesetter broke it because the next word would not
    fit (the line reaches the column's right edge) rather than to start a paragraph."""
    out = []
    breaks = _breaks(frags, unit)
    for n, (a, b) in enumerate(zip(frags, frags[1:])):
        right = max(x[2] for x in a.boxes)
        first = b.boxes[0][2] - b.boxes[0][0]
        out.append(a.page == b.page and right + 0.3 * unit + first > a.limit - 0.5 and not breaks[n + 1])
    return out + [False]


def set_limits(rows: list[MeasureRow], page: int) -> None:
    """Right edge of each column's text on the page, to tell wrapped lines from broken ones."""
    edge: dict[int, float] = {}
    for row in rows:
        for f in row.frags:
            if f.page == page:
                edge[f.col] = max(edge.get(f.col, float("-inf")), max(b[2] for b in f.boxes))
    for row in rows:
        for f in row.frags:
            if f.page == page and f.col in edge:
                f.limit = edge[f.col]
