"""Rows of a measure table (steps 3 and 4 of `extractors.records.from_tables`).

`read_rows` goes down the body lines of one page under a header: theme bars (`bar_text`), row starts
(an id in the number column; else an id or bullet opening the title, a horizontal rule across the
title column, the line after a bar or header, or the title and another column starting again after
a gap, `_restarts`), and the end of the table (running text, a caption, a wide empty space). A
heading printed just above a table names its theme (`heading_above`). A one-line "row" holding
only a number and a few words, in a table whose rows fill other columns, is a bar OCR cut in two
(`_demote_bar`).
"""
from __future__ import annotations

import re
import statistics
from typing import Optional

from extractors.records.measure_cells import BULLETS, Frag, fragments, measure_id_of, MeasureRow, set_limits, ReadState
from extractors.records.measure_columns import Column, Header
from extractors.records.measure_fields import clean, fold, split_id
from extractors.records.measure_mend import SPANNING, assign_spans, mend_straddles
from extractors.records.measure_pages import PageView
from extractors.tables.geometry import CAPTION, SegmentLine, overlap

END_GAP = 3.0  # text heights of empty space that end a table
CONTINUED = re.compile(r"\s*[(\[]?\s*(?:suite(?:\s+et\s+fin)?|cont(?:inued|\.)|fin)\s*[)\]]?\s*$", re.IGNORECASE)
# A heading set above a table rather than as a bar inside it ("AXE 2 – Mobilité", "Orientation 3 :",
# "2. Loisirs"), matched on its first words.
AXIS_HEADING = re.compile(r"^(?:axe|orientation|objectif|volet|theme|enjeu|chantier|priorite|section|partie|domaine)s?"
                          r"\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\b")
NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\w")


def heading_above(view: PageView, header: Header) -> Optional[str]:
    """The axis heading printed just above a table's header, if any (see AXIS_HEADING)."""
    if not header.lines:
        return None
    below = header.top
    for k in range(header.lines[0] - 1, max(-1, header.lines[0] - 4), -1):
        if k in view.margin:
            continue
        line = view.lines[k]
        if below - line.bottom > 3 * view.unit:
            return None
        text = " ".join(s.text for s in line.segs)
        folded = fold(text)
        letters = [ch for ch in text if ch.isalpha()]
        emphasised = all(s.bold is not False for s in line.segs) and any(s.bold for s in line.segs) or \
            (letters and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters))
        if len(text.split()) <= 18 and (AXIS_HEADING.match(folded) or (NUMBERED_HEADING.match(text) and emphasised)):
            return _theme_text(text)
        below = line.top
    return None


def bar_text(line: SegmentLine, header: Header, unit: float) -> Optional[str]:
    """The text of a theme bar, else None: a line running over a column boundary inside one
    segment, either alone on its line or with other segments that read as the same heading
    (all bold, or all in capitals: OCR may cut a bar at a wide space)."""
    bounds = [c.right for c in header.columns[:-1]]
    crossing = [s for s in line.segs if any(s.x0 + 0.5 * unit < b < s.x1 - 0.5 * unit for b in bounds)]
    words = sum(s.n_words for s in line.segs)
    if not crossing or words > 25:
        return None
    if len(line.segs) > 1:
        text = " ".join(s.text for s in line.segs)
        letters = [ch for ch in text if ch.isalpha()]
        capitals = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
        bold = all(s.bold is not False for s in line.segs) and any(s.bold for s in line.segs)
        if not (capitals or bold) or any(s.x0 - r.x1 > 4 * unit for r, s in zip(line.segs, line.segs[1:])):
            return None
    first = line.segs[0].text.split()[0]
    if re.fullmatch(r"\d{1,3}", first) and "number" in header.roles:
        return None  # "1 Mettre ..." read as one segment: a numbered row, not a bar
    return " ".join(s.text for s in line.segs)


def read_rows(view: PageView, header: Header, body: list[int], state: ReadState) -> bool:
    """Read body lines into rows of `state`; False when the table ended on this page."""
    cols = header.columns
    roles = header.roles
    unit = view.unit
    num_col = roles.index("number") if "number" in roles else None
    title_col = roles.index("title")
    spanning = {i for i, r in enumerate(roles) if r in SPANNING}
    lines = view.lines
    # number mode: the number column holds ids on this page (or did on an earlier one)
    if num_col is not None:
        for k in body:
            if any(measure_id_of(f.words) for f in fragments(view, lines[k], cols) if f.col == num_col):
                state.numbered = True
                break
    leading = _leading(view, body, cols)
    ruled = _ruled_title(view, body, cols[title_col])
    prev_bottom = header.bottom if header.lines else None
    new_row_pending = bool(header.lines)
    last: dict[int, float] = {}
    page_rows: list[MeasureRow] = []
    span_frags: list[Frag] = []
    bar_prev = False

    def close_page() -> None:
        _demote_bar(state, page_rows)
        if not state.numbered and ruled is None:
            mend_straddles(page_rows, title_col, leading, unit)
        assign_spans(view, page_rows, span_frags, state, leading)
        set_limits(page_rows, view.page.number)

    for k in body:
        line = lines[k]
        if prev_bottom is not None and line.top - prev_bottom > END_GAP * unit and (page_rows or not header.lines):
            close_page()
            return False  # a wide empty space: the table has ended
        if CAPTION.match(line.segs[0].text) or _prose(line, header, unit, prev_bottom):
            close_page()
            return False  # running text or a caption under the table
        bar = bar_text(line, header, unit)
        if bar is not None:
            _demote_bar(state, page_rows)
            text = _theme_text(bar)
            if text:
                if bar_prev and state.theme and prev_bottom is not None and line.top - prev_bottom < 0.6 * unit:
                    state.theme = clean(f"{state.theme} {text}")  # a bar wrapped over two lines
                else:
                    state.theme = text  # "(suite)" is stripped: a continued bar names the same theme
                state.bars = True
            new_row_pending = True
            bar_prev = True
            prev_bottom = line.bottom
            continue
        bar_prev = False
        frags = fragments(view, line, cols)
        span_frags.extend(f for f in frags if f.col in spanning)
        frags = [f for f in frags if f.col not in spanning]
        if not frags:  # only row-spanning text: neither opens nor closes a row
            continue
        start = False
        by_col = {f.col: f for f in frags}
        title = by_col.get(title_col)
        numbered = state.numbered and num_col in by_col and measure_id_of(by_col[num_col].words, loose=True) is not None
        if numbered:
            start = True
        elif state.numbered and title is not None and (new_row_pending or _restarts(line, by_col, last, title_col, leading, unit)):
            start = True  # a numbered row whose number OCR lost
        elif not state.numbered and ruled is not None:
            # ruled rows: a rule across the title column opens a row, whichever cell comes first
            # under it (cells centred vertically start at different heights); so does an id
            # opening the title (a rule too faint to be seen on a scan)
            start = new_row_pending or any(prev_bottom is not None and prev_bottom - 1 <= h <= line.top + 1 for h in ruled) \
                or (title is not None and split_id(" ".join(t for t, _ in title.words))[0] is not None)
        elif not state.numbered and title is not None:
            first_text = title.words[0][0]
            if split_id(" ".join(t for t, _ in title.words))[0] or first_text in BULLETS or new_row_pending:
                start = True
            else:
                start = _restarts(line, by_col, last, title_col, leading, unit)
        if start or (not state.rows):
            _demote_bar(state, page_rows)
            row = MeasureRow(view, line.top, state.theme)
            if num_col is not None and num_col in by_col:
                row.raw_id = measure_id_of(by_col[num_col].words, loose=True)
            if state.numbered and row.raw_id is None:
                row.raw_id = ""  # numbered table, number not read: `repair_ids` gives the expected one
            state.rows.append(row)
            page_rows.append(row)
            last = {}
        row = state.rows[-1]
        row.frags.extend(frags)
        for f in frags:
            last[f.col] = f.bottom
        new_row_pending = False
        prev_bottom = line.bottom
    close_page()
    return True


def _restarts(line: SegmentLine, by_col: dict, last: dict, title_col: int, leading: float, unit: float) -> bool:
    """The title column goes on after a gap wider than the lines of one cell, and another column
    starts again with it (or nothing else is on the line): a new row without a number or rule."""
    if title_col not in last or line.top - last[title_col] <= leading + 0.5 * unit:
        return False
    return len(by_col) == 1 or any(c != title_col and (c not in last or line.top - last[c] > leading + 0.5 * unit) for c in by_col)


def _demote_bar(state: ReadState, page_rows: list[MeasureRow]) -> None:
    """A 'row' of one line with only a number and a few words, in a table whose rows fill other
    columns, is a theme bar whose number OCR set apart ("1." "Information")."""
    if not page_rows or page_rows[-1] is not state.rows[-1]:
        return
    row = page_rows[-1]
    others = {r for r in state.header.roles if r not in (None, "number", "title", "description", "actions") and r not in SPANNING}
    roles = {f.role for f in row.frags}
    if len(others) < 2 or not roles <= {"number", "title"} or "number" not in roles:
        return
    if max(f.top for f in row.frags) - min(f.top for f in row.frags) > 0.5 * row.view.unit:
        return
    words = [t for f in sorted(row.frags, key=lambda f: f.boxes[0][0]) for t, _ in f.words]
    if len(words) > 12 or not re.fullmatch(r"\d{1,2}\.", words[0]):
        return
    state.rows.pop()
    page_rows.pop()
    state.theme = _theme_text(" ".join(words))
    state.bars = True


def _leading(view: PageView, body: list[int], cols: list[Column]) -> float:
    """The usual gap between two lines of one cell."""
    gaps = []
    last: dict[int, float] = {}
    for k in body:
        for f in fragments(view, view.lines[k], cols):
            if f.col in last:
                gap = f.top - last[f.col]
                if 0 <= gap < 1.5 * view.unit:
                    gaps.append(gap)
            last[f.col] = f.bottom
    return statistics.median(gaps) if gaps else 0.25 * view.unit


def _ruled_title(view: PageView, body: list[int], title: Column) -> Optional[list[float]]:
    """y of the horizontal rulings across the title column inside the body, when there are some."""
    if not body or not view.hs:
        return None
    top, bottom = view.lines[body[0]].top, view.lines[body[-1]].bottom
    width = min(title.right, title.x1 + 50) - max(title.left, title.x0 - 50)
    margin = 2 * view.unit
    ys = [h.pos for h in view.hs if top - margin < h.pos < bottom + margin
          and overlap(h.lo, h.hi, title.x0, title.x1) >= 0.5 * min(width, title.x1 - title.x0)]
    inside = [y for y in ys if top < y < bottom]
    # rows ruled one by one: rules between body lines, not only the frame above and below
    return ys if inside and len(ys) >= 3 else None


def _prose(line: SegmentLine, header: Header, unit: float, prev_bottom: Optional[float]) -> bool:
    """Running text under the table: one long segment across several columns."""
    if len(line.segs) != 1:
        return False
    seg = line.segs[0]
    crossed = sum(1 for c in header.columns[:-1] if seg.x0 < c.right < seg.x1)
    if crossed < 2 or seg.bold:
        return False
    gap = line.top - prev_bottom if prev_bottom is not None else 0
    return seg.n_words >= 14 or (seg.n_words >= 8 and gap > 1.5 * unit)


def _theme_text(text: str) -> str:
    text = CONTINUED.sub("", text).strip(" –—-:")
    text = re.sub(r"(?<=[a-zà-ÿ]{4})[¹²³⁴⁵⁶⁷⁸⁹\d]{1,2}$", "", text)  # a footnote call
    return clean(text)
