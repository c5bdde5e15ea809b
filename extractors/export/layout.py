"""One page's words as blocks of lines in reading order: the structure every archival format
(ALTO, hOCR, the PDF text layer, plain text) writes out.

Reading order comes from the records reader's rows (`extractors.records.layout`): words on
deskewed baselines, two-column blocks read column by column. Unlike that reader, nothing is
dropped here: running headers, page numbers and specks are words of the page too, and an
archival format that lost them could not give back the text as read. Words the row builder
leaves out (specks, words without text) join the row nearest their centre, or stand alone.

Words inside a table's box (`schemas.table.Table`, cell by cell) leave the flow and become the
table's cells, so ALTO can write the table as a ComposedBlock and Markdown as a pipe table.

Coordinates stay in the frame the page was read in (`Page.width`/`height`, after
`Page.rotation`); `display_bbox` turns a box back into the frame of the page as displayed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from extractors.layout import union_bbox
from extractors.records.layout import page_rows, split_columns
from schemas import BBox, Page
from schemas.table import Table

# A new block starts when the white above a line is taller than this many line heights.
BLOCK_GAP = 0.9


@dataclass
class LayoutLine:
    word_ids: list[int]
    bbox: BBox


@dataclass
class LayoutBlock:
    lines: list[LayoutLine]
    bbox: BBox
    column: Optional[str] = None


@dataclass
class LayoutCell:
    row: int
    col: int
    row_span: int
    col_span: int
    header: bool
    lines: list[LayoutLine]
    bbox: Optional[BBox]


@dataclass
class LayoutTable:
    table: Table
    index: int  # position in the document's table list
    bbox: BBox  # the part on this page
    cells: list[LayoutCell] = field(default_factory=list)


@dataclass
class PageLayout:
    """Blocks and tables of one page, in reading order (`items` interleaves them)."""

    page: Page
    items: list[LayoutBlock | LayoutTable] = field(default_factory=list)

    def lines(self) -> list[LayoutLine]:
        out = []
        for item in self.items:
            if isinstance(item, LayoutBlock):
                out.extend(item.lines)
            else:
                for cell in item.cells:
                    out.extend(cell.lines)
        return out

    def word_ids(self) -> list[int]:
        return [i for line in self.lines() for i in line.word_ids]


def line_text(page: Page, line: LayoutLine, original: bool = False) -> str:
    words = (page.words[i] for i in line.word_ids)
    return " ".join((w.original if original and w.original is not None else w.text) for w in words)


def _rows_as_lines(page: Page) -> list[tuple[LayoutLine, Optional[str]]]:
    """Every boxed word of the page in a line, lines in reading order, with their column."""
    index = {id(w): i for i, w in enumerate(page.words)}
    rows = split_columns(page_rows(page), page.width or 600)
    lines: list[tuple[LayoutLine, Optional[str], float]] = []
    for row in rows:
        ids = [index[id(w)] for w in row.words]
        lines.append((LayoutLine(ids, union_bbox([page.words[i].bbox for i in ids])), row.column, row.yc))
    placed = {i for line, _, _ in lines for i in line.word_ids}
    for i, word in enumerate(page.words):
        if i in placed or word.bbox is None:
            continue
        yc = (word.bbox[1] + word.bbox[3]) / 2
        home = next((line for line, _, _ in lines if line.bbox[1] <= yc <= line.bbox[3]
                     and line.bbox[0] - 30 <= word.bbox[0] <= line.bbox[2] + 30), None)
        if home is not None:
            home.word_ids.append(i)
            home.word_ids.sort(key=lambda k: page.words[k].bbox[0])
            home.bbox = union_bbox([home.bbox, word.bbox])
        else:
            at = next((n for n, (_, _, y) in enumerate(lines) if y > yc), len(lines))
            lines.insert(at, (LayoutLine([i], word.bbox), None, yc))
    return [(line, column) for line, column, _ in lines]


def _table_part(page: Page, table: Table) -> Optional[BBox]:
    if table.page == page.number:
        return table.bbox
    return next((s.bbox for s in table.provenance.segments if s.page == page.number), None)


def _layout_table(page: Page, table: Table, number: int, box: BBox) -> LayoutTable:
    """The table's cells on this page, each cell's words as lines (top to bottom, left to right)."""
    out = LayoutTable(table, number, box)
    for cell in table.cells:
        if cell.page != page.number:
            continue
        ids = [i for i in cell.word_ids if i < len(page.words) and page.words[i].bbox is not None]
        ids.sort(key=lambda i: ((page.words[i].bbox[1] + page.words[i].bbox[3]) / 2, page.words[i].bbox[0]))
        lines: list[LayoutLine] = []
        for i in ids:
            box_i = page.words[i].bbox
            last = lines[-1] if lines else None
            if last is not None and abs((box_i[1] + box_i[3]) / 2 - (last.bbox[1] + last.bbox[3]) / 2) < 0.5 * (box_i[3] - box_i[1]):
                last.word_ids.append(i)
                last.bbox = union_bbox([last.bbox, box_i])
            else:
                lines.append(LayoutLine([i], box_i))
        for line in lines:
            line.word_ids.sort(key=lambda k: page.words[k].bbox[0])
        out.cells.append(LayoutCell(cell.row, cell.col, cell.row_span, cell.col_span, cell.header, lines,
                                    cell.bbox or (union_bbox([l.bbox for l in lines]) if lines else None)))
    out.cells.sort(key=lambda c: (c.row, c.col))
    return out


def _blocks(lines: list[tuple[LayoutLine, Optional[str]]]) -> list[LayoutBlock]:
    blocks: list[LayoutBlock] = []
    prev: Optional[tuple[LayoutLine, Optional[str]]] = None
    for line, column in lines:
        new = prev is None or column != prev[1]
        if not new:
            above = prev[0].bbox
            height = max(line.bbox[3] - line.bbox[1], above[3] - above[1], 1.0)
            gap = line.bbox[1] - above[3]
            overlaps = min(line.bbox[2], above[2]) > max(line.bbox[0], above[0])
            new = gap > BLOCK_GAP * height or gap < -0.5 * height or not overlaps
        if new:
            blocks.append(LayoutBlock([line], line.bbox, column))
        else:
            blocks[-1].lines.append(line)
            blocks[-1].bbox = union_bbox([blocks[-1].bbox, line.bbox])
        prev = (line, column)
    return blocks


def page_layout(page: Page, tables: Sequence[Table] = ()) -> PageLayout:
    """The page's words as blocks and tables in reading order. A table stands where its first line
    would have stood; every boxed word appears exactly once."""
    layout = PageLayout(page)
    if not any(w.bbox is not None for w in page.words):
        return layout
    parts = []
    for number, table in enumerate(tables):
        box = _table_part(page, table)
        if box is not None:
            parts.append(_layout_table(page, table, number, box))
    part_of = {i: n for n, part in enumerate(parts) for cell in part.cells for line in cell.lines for i in line.word_ids}
    flow: list[tuple[LayoutLine, Optional[str]] | LayoutTable] = []
    pending = set(range(len(parts)))
    for line, column in _rows_as_lines(page):
        kept = [i for i in line.word_ids if i not in part_of]
        for n in sorted({part_of[i] for i in line.word_ids if i in part_of} & pending):
            flow.append(parts[n])
            pending.discard(n)
        if kept:
            if len(kept) != len(line.word_ids):
                line = LayoutLine(kept, union_bbox([page.words[i].bbox for i in kept]))
            flow.append((line, column))
    flow.extend(parts[n] for n in sorted(pending))  # a table with no boxed word on this page
    run: list[tuple[LayoutLine, Optional[str]]] = []
    for item in flow:
        if isinstance(item, LayoutTable):
            layout.items.extend(_blocks(run))
            layout.items.append(item)
            run = []
        else:
            run.append(item)
    layout.items.extend(_blocks(run))
    return layout


def display_bbox(box: BBox, rotation: int, width: float, height: float) -> BBox:
    """A box of the frame the page was read in (width x height, after turning the page `rotation`
    degrees clockwise) in the frame of the page as displayed."""
    x0, top, x1, bottom = box
    if rotation == 90:
        return (top, width - x1, bottom, width - x0)
    if rotation == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    if rotation == 270:
        return (height - bottom, x0, height - top, x1)
    return box
