"""Tables from the word boxes of a page: detection and structure, helped by ruling lines when drawn.

Works on `schemas.Page` words only (text layer or OCR), so born-digital pages and scans share it;
ruling lines (`schemas.table.Ruling`, e.g. from `extractors.ingest.pdf_chars.page_rulings`) sharpen the result
when the PDF draws them. Measured end to end on the ICDAR 2013 table set: `bench/icdar2013_tables.py`
and the "Table structure (ICDAR 2013)" section of `bench/README.md`. The steps:

1. **Segments.** Each reading line (`extractors.layout.words_to_lines`) is cut into segments where
   the gap between two words is wider than `SegmentSettings.segment_gap` text heights (word spaces
   are ~0.3) or a vertical ruling passes between them; a bullet stays with its text. A segment is the part of a
   line that belongs to one cell.
2. **Regions.** (a) Ruled boxes: connected horizontal and vertical rulings around text.
   (b) Text alignment, in the spirit of the text-edge analysis behind camelot's stream mode
   (Nurminen 2013): consecutive lines of two or more segments whose gaps overlap form the body of
   a table; one-segment lines that cross no gap (a wrapped cell, a section label, also one flush
   left or centred over the table) stay inside it; running text, captions ("Table 3 ...", "Tableau
   4"), wide vertical gaps end it. Header lines right above the body join it while they stay inside
   its width and below its top rule; the last row's wrapped lines right under it too.
3. **Columns** are the x-runs most segments cover (a few spanning headers do not close a gap);
   vertical rulings crossing the region cut columns, and a ruled column holding two aligned text
   columns is cut again. A segment over several columns spans them, unless a wide word gap lies in
   the whitespace between them (tight right-aligned headers), where it is cut.
4. **Rows.** Horizontal rulings across at least one column make bands. A band is one row when
   the table is ruled row by row, or when its lines are one row of multi-line cells; otherwise,
   and in unruled tables, a line opens a row when it has text in the key column (the leftmost
   column filled on most lines), and continues the row above when it has none, so multi-line cells
   stay whole. When a column holds numbered items ("1.1 Mettre en place ...") only its numbers open
   rows. Wrapped labels (after a connector: "Axe 2 –", "of"; a line in lower case) are joined.
   In the header, a heading centred over two cells or over a spanner rule opens a row of group
   headers and spans its group; stub headers beside it span both header rows.
5. **Cells.** In ruled tables, neighbouring slots no ruling separates are one cell (row and column
   spans); empty rows and columns are dropped. Header rows are those above the first row with a
   key-column entry, or a bold or ruled-off first row.
6. **Plausibility.** Chart axes (numbers falling by a constant step), rotated text read as letter
   stacks, numbered or bulleted lists, and text set in columns are not tables.

`document_tables` runs the page function over a document and `merge_continued_tables` joins a
table continued on the next page (same columns; header repeated, "(suite)"/"continued" near it,
or a page filled to its foot) into one `Table`. `cell_runs` cuts a cell's text where the weight
changes, so a bold lead organisation and its plain partners in one cell come apart.

Modules: `geometry` (parameters, segments, rulings; step 1), `regions` (steps 2 and 6), `grid`
(step 3 and one region to a `Table`, as named steps), `rows` (step 4), `slots` (step 5, the slot
grid and its merges); this module keeps the public API and the continuation of tables over pages.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from rapidfuzz import fuzz

from extractors.tables.geometry import (
    CONTINUED,
    SegmentLine,
    merge_rules,
    overlap,
    Region,
    ruled_boxes,
    page_segments,
    page_unit,
)
from extractors.tables.cards import card_tables
from extractors.tables.grid import build_table
from extractors.tables.regions import plausible_table, text_regions
from extractors.tables.settings import SETTINGS
from schemas import BBox, Page, Word
from schemas.table import Cell, Ruling, Shade, Table, TableProvenance, TableSegment

# --- Public API -------------------------------------------------------------------------------


def page_to_tables(page: Page, rulings: Optional[Sequence[Ruling]] = None, shades: Sequence[Shade] = ()) -> list[Table]:
    """Tables found on one page, top to bottom. `rulings`: drawn lines of the page, if known;
    `shades`: its filled rectangles (cell backgrounds), if known."""
    if not any(w.bbox is not None for w in page.words):
        return []
    unit = page_unit(page)
    hs = merge_rules(list(rulings or []) + shade_edges(shades, unit), horizontal=True)
    vs = merge_rules(rulings or [], horizontal=False)
    lines = page_segments(page, vs, unit)
    if not lines:
        return []
    page_width = page.width or max(l.x1 for l in lines)
    tables: list[Table] = []
    taken: set[int] = set()  # id() of segments used by a ruled table
    boxes = sorted(ruled_boxes(hs, vs), key=lambda b: (b[0][2] - b[0][0]) * (b[0][3] - b[0][1]))
    for box, _, _ in boxes:
        inside = [k for k, l in enumerate(lines)
                  if any(id(s) not in taken and box[0] - 1 <= (s.x0 + s.x1) / 2 <= box[2] + 1
                         and box[1] - 1 <= (s.top + s.bottom) / 2 <= box[3] + 1 for s in l.segs)]
        if len(inside) < 2:
            continue
        clipped = [SegmentLine(l.top, l.bottom, [s for s in l.segs if id(s) not in taken and box[1] - 1 <= (s.top + s.bottom) / 2 <= box[3] + 1])
                   for l in lines]
        table = build_table(page, clipped, Region(inside, box=box, method="ruling"), hs, vs, unit, shades)
        if table is not None:
            tables.append(table)
            taken.update(id(s) for k in inside for s in clipped[k].segs
                         if box[0] - 1 <= (s.x0 + s.x1) / 2 <= box[2] + 1)
    for table in card_tables(page, [SegmentLine(l.top, l.bottom, [x for x in l.segs if id(x) not in taken]) for l in lines], shades, unit):
        tables.append(table)
        for cell in table.cells:
            x0, top, x1, bottom = cell.bbox
            taken.update(id(x) for l in lines for x in l.segs if x0 <= (x.x0 + x.x1) / 2 <= x1 and top <= (x.top + x.bottom) / 2 <= bottom)
    residual: list[Optional[SegmentLine]] = []
    for l in lines:
        segs = [s for s in l.segs if id(s) not in taken]
        residual.append(SegmentLine(min(s.top for s in segs), max(s.bottom for s in segs), segs) if segs else None)
    for region in text_regions(residual, unit, page_width, hs):
        table = build_table(page, residual, region, hs, vs, unit, shades)
        if table is not None:
            tables.append(table)
    tables = [t for t in tables if t.provenance.method == "shading" or plausible_table(t)]
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


def shade_edges(shades: Sequence[Shade], unit: float) -> list[Ruling]:
    """The top and bottom edges of shaded bands, as horizontal rules: where a shaded header or row
    ends, a row ends (producers shade rows instead of ruling them). Shades of one colour that
    touch are one area (a word processor shades a cell line by line): only the edges where the
    colour changes count."""
    wide = [s for s in shades if s.x1 - s.x0 >= 3 * unit]
    out = []
    for s in wide:
        for y in (s.top, s.bottom):
            inside = any(o.color == s.color and o.x0 - 1 <= s.x0 and s.x1 <= o.x1 + 1 and o.top + 1 < y < o.bottom - 1
                         or o is not s and o.color == s.color and abs(o.x0 - s.x0) <= 1 and abs(o.x1 - s.x1) <= 1
                         and (abs(o.top - y) <= 1 or abs(o.bottom - y) <= 1) and not (abs(o.top - s.top) <= 1 and abs(o.bottom - s.bottom) <= 1)
                         for o in wide)
            if not inside:
                out.append(Ruling(x0=s.x0, top=y, x1=s.x1, bottom=y))
    return out


def document_tables(pages: Sequence[Page], rulings: Optional[dict[int, Sequence[Ruling]]] = None) -> list[Table]:
    """Tables of a whole document; a table continued on the next page comes back as one `Table`.

    `rulings` maps page numbers to that page's drawn lines (pages missing from it have none).
    """
    rulings = rulings or {}
    found = [t for page in pages for t in page_to_tables(page, rulings.get(page.number))]
    return merge_continued_tables(found, pages)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_texts(table: Table, n: int) -> list[list[str]]:
    grid = table.grid()
    return [[_norm(t) for t in row] for row in grid[:n]]


def _column_lefts(table: Table) -> list[float]:
    lefts = []
    for c in range(table.n_cols):
        xs = [cell.bbox[0] for cell in table.cells if cell.col == c and cell.col_span == 1 and cell.bbox is not None]
        lefts.append(min(xs) if xs else float("nan"))
    return lefts


def _continued_marker(page: Page, table: Table) -> Optional[str]:
    """'(suite)', 'continued', '(cont.)' on one of the three lines just above the table, or in its
    first row."""
    above = [l for l in page.lines if l.bbox is not None and l.bbox[3] <= table.bbox[1] + 1]
    above.sort(key=lambda l: l.bbox[3])
    candidates = [l.text for l in above[-3:]]
    candidates += [c.text for c in table.cells if c.row == 0]
    for text in candidates:
        m = CONTINUED.search(text)
        if m:
            return m.group(0)
    return None


def _last_part(table: Table) -> tuple[int, BBox]:
    """Page and box of the last page a table is printed on."""
    if table.provenance.segments:
        seg = table.provenance.segments[-1]
        return seg.page, seg.bbox
    return table.page, table.bbox


def _continues(first: Table, second: Table, pages: dict[int, Page]) -> tuple[bool, int, Optional[str]]:
    """Whether `second` (top of the next page) continues `first`; with the number of header rows
    `second` repeats, and the continuation marker seen."""
    last_page, last_box = _last_part(first)
    if second.page != last_page + 1 or second.n_cols != first.n_cols:
        return False, 0, None
    a0, _, a1, a_bottom = last_box
    b0, b_top, b1, _ = second.bbox
    if overlap(a0, a1, b0, b1) < 0.8 * min(a1 - a0, b1 - b0):
        return False, 0, None
    page = pages.get(second.page)
    if page is not None and _new_heading_above(page, second, pages.get(first.page), first):
        return False, 0, None  # "6.3. INTEGRATION ...": a new section, a new table
    repeated = 0
    if first.header_rows and second.n_rows > first.header_rows:
        a, b = _header_texts(first, first.header_rows), _header_texts(second, first.header_rows)
        if a == b or fuzz.ratio(" ".join(map(" ".join, a)), " ".join(map(" ".join, b))) >= SETTINGS.pages.repeated_header_match:
            repeated = first.header_rows
    marker = _continued_marker(page, second) if page is not None else None
    if repeated or marker:
        return True, repeated, marker
    # no repeated header and no marker: a table that ends its page (it fills it, or nothing but a
    # page foot follows it) and one that opens the next with the same columns and no header
    first_page = pages.get(last_page)
    from extractors.tables.roles import values_row

    if first_page is None or page is None or not first_page.height or not page.height:
        return False, 0, None
    if second.header_rows and not values_row([c.text for c in second.cells if c.row == 0]):
        return False, 0, None  # a header of its own: another table
    if _closed(first):
        return False, 0, None
    width = max(a1 - a0, 1.0)
    la, lb = _column_lefts(first), _column_lefts(second)
    aligned = all(abs(x - y) <= 0.05 * width for x, y in zip(la, lb) if x == x and y == y)
    fills = a_bottom >= 0.75 * first_page.height and b_top <= 0.25 * page.height
    ends = _text_between(first_page, a_bottom, SETTINGS.pages.margin * first_page.height, below=True) == 0
    opens = _text_between(page, b_top, SETTINGS.pages.margin * page.height, below=False) == 0
    return (fills and aligned) or (ends and opens), 0, None


TOTAL = re.compile(r"^(?:total|totaux|total general|grand total)\b", re.IGNORECASE)


def _closed(table: Table) -> bool:
    """A table whose last row is its total is finished (the next page's table is another)."""
    last = [c for c in table.cells if c.row + c.row_span == table.n_rows and c.text.strip()]
    first = min(last, key=lambda c: c.col) if last else None
    return first is not None and bool(TOTAL.match(first.text.strip()))


def _text_between(page: Page, y: float, margin: float, below: bool) -> int:
    """Words of the lines between a table and the page's foot (`below`) or head, margins left out."""
    height = page.height or 0.0
    n = 0
    for line in page.lines:
        if line.bbox is None:
            continue
        if below and line.bbox[1] >= y - 1 and line.bbox[1] < height - margin:
            n += len(line.text.split())
        elif not below and line.bbox[3] <= y + 1 and line.bbox[3] > margin:
            n += len(line.text.split())
    return n


def _new_heading_above(page: Page, table: Table, first_page: Optional[Page], first: Table) -> bool:
    """A heading over `table` that is not the one over `first` (a page title repeated on every
    page is not new), nor a "(suite)" of it: a new section, so a new table."""
    from extractors.tables.roles import heading_above

    mine = [h for h in heading_above(table, page) if not CONTINUED.search(h)]
    theirs = heading_above(first, first_page) if first_page is not None else []
    return bool(mine) and [_norm(h) for h in mine] != [_norm(h) for h in theirs[-len(mine):]]


def merge_continued_tables(tables: Sequence[Table], pages: Sequence[Page]) -> list[Table]:
    """Join each table with its continuation on the next page (see `_continues`): the last table
    of a page and the first of the next, same columns, and a repeated header, a "(suite)" /
    "continued" marker, or a page filled to the foot."""
    by_number = {p.number: p for p in pages}
    ordered = sorted(tables, key=lambda t: (t.page, t.bbox[1]))
    out: list[Table] = []
    for table in ordered:
        if out:
            last = out[-1]
            page_no, box = _last_part(last)
            last_on_its_page = not any(t.page == page_no and t.bbox[1] > box[1] for t in ordered)
            first_on_its_page = not any(t.page == table.page and t.bbox[1] < table.bbox[1] for t in ordered)
            if last_on_its_page and first_on_its_page:
                ok, repeated, marker = _continues(last, table, by_number)
                if ok:
                    out[-1] = _append(last, table, repeated, marker)
                    continue
        out.append(table)
    return out


def _append(first: Table, second: Table, repeated: int, marker: Optional[str]) -> Table:
    offset = first.n_rows - repeated
    cells = list(first.cells)
    for c in second.cells:
        if c.row < repeated:
            continue
        cells.append(c.model_copy(update={"row": c.row + offset, "header": False}))
    n_rows = first.n_rows + second.n_rows - repeated
    segments = list(first.provenance.segments) + [
        TableSegment(page=second.page, bbox=second.bbox, first_row=first.n_rows, n_rows=second.n_rows - repeated,
                     repeated_header_rows=repeated, continued_marker=marker)
    ]
    method = first.provenance.method if first.provenance.method == second.provenance.method else "mixed"
    notes = list(first.provenance.notes) + [f"continued on page {second.page}"]
    return first.model_copy(update={
        "n_rows": n_rows,
        "cells": cells,
        "provenance": TableProvenance(method=method, segments=segments, notes=notes),
    })


# --- Reading cells ------------------------------------------------------------------------------


def cell_words(page: Page, cell: Cell) -> list[Word]:
    """The words of a cell, in reading order (`page` must be the cell's page)."""
    if page.number != cell.page:
        raise ValueError(f"cell is on page {cell.page}, not {page.number}")
    return [page.words[i] for i in cell.word_ids]


def cell_runs(page: Page, cell: Cell) -> list[tuple[Optional[bool], str]]:
    """The cell's text cut where the weight changes: [(True, 'MIFI'), (False, 'MES, MTESS')].

    A bold lead organisation and its plain partners printed in one cell come apart this way.
    """
    runs: list[tuple[Optional[bool], list[str]]] = []
    for w in cell_words(page, cell):
        if runs and runs[-1][0] == w.bold:
            runs[-1][1].append(w.text)
        else:
            runs.append((w.bold, [w.text]))
    return [(bold, " ".join(texts)) for bold, texts in runs]
