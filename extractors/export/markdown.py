"""Markdown: the document's text units (`extractors.records.units`: headings, paragraphs, list
items in reading order, running headers and footers left out), every table as a pipe table where
it stands, and the records found as a short summary at the end.

Heading levels: an HTML page's own; for pages read from boxes, the largest heading type size
gets `#`, the next `##`, everything smaller `###`.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.records.units import Unit, document_units
from schemas import Document
from schemas.table import Table

MAX_LEVEL = 3
# Characters that would start Markdown structure at the head of a paragraph, or break a table cell.
LEADING_MARKUP = re.compile(r"^([#>*+\-=]|\d+[.)])(\s)")


def escape_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def pipe_table(table: Table) -> str:
    grid = table.grid()
    if not grid:
        return ""
    header_rows = max(table.header_rows, 1)
    # Several header rows are joined cell by cell: Markdown tables have exactly one.
    header = [" ".join(filter(None, (grid[r][c].strip() for r in range(min(header_rows, len(grid))))))
              for c in range(table.n_cols)]
    lines = ["| " + " | ".join(escape_cell(h) for h in header) + " |", "|" + "---|" * table.n_cols]
    for row in grid[header_rows:]:
        lines.append("| " + " | ".join(escape_cell(c) for c in row) + " |")
    return "\n".join(lines)


def _heading_levels(units: list[Unit]) -> dict[float, int]:
    sizes = sorted({round(u.size, 1) for u in units if u.kind == "heading" and u.size}, reverse=True)
    return {size: min(n + 1, MAX_LEVEL) for n, size in enumerate(sizes)}


def _table_at(unit: Unit, tables: list[Table]) -> Optional[int]:
    """Index of the table whose box on the unit's page holds the unit's centre."""
    if unit.bbox is None:
        return None
    xc, yc = (unit.bbox[0] + unit.bbox[2]) / 2, (unit.bbox[1] + unit.bbox[3]) / 2
    for n, table in enumerate(tables):
        boxes = [s.bbox for s in table.provenance.segments if s.page == unit.page]
        if table.page == unit.page:
            boxes.append(table.bbox)
        if any(b[0] - 2 <= xc <= b[2] + 2 and b[1] - 2 <= yc <= b[3] + 2 for b in boxes):
            return n
    return None


def _unit_markdown(unit: Unit, levels: dict[float, int]) -> str:
    text = " ".join(unit.text.split())
    if unit.kind == "heading":
        level = unit.level or levels.get(round(unit.size or 0, 1), MAX_LEVEL)
        return "#" * min(max(level, 1), 6) + " " + text
    if unit.kind == "item":
        marker = unit.marker or "-"
        if unit.number:
            return f"{unit.number}. {text}" if "." not in unit.number else f"- {unit.number} {text}"
        return f"- {text}" if marker != "#" else f"1. {text}"
    return LEADING_MARKUP.sub(r"\\\1\2", text)


def records_summary(document: Document) -> str:
    records = document.records
    lines = []
    for m in records.measures:
        parts = [f"lead: {', '.join(m.lead)}" if m.lead else "",
                 f"progress: {m.progress_percent:g} %" if m.progress_percent is not None else "",
                 m.status_text or "", f"p. {m.provenance.page}" if m.provenance.page else ""]
        number = f"{m.measure_id}. " if m.measure_id else ""
        lines.append(f"- Measure {number}{' '.join(m.title.split())}" + (f" ({'; '.join(p for p in parts if p)})" if any(parts) else ""))
    for r in records.recommendations:
        lines.append(f"- Recommendation {r.id + '. ' if r.id else ''}{' '.join(r.title.split())} ({len(r.items)} items)")
    for a in records.announcements:
        extra = "; ".join(p for p in (a.date or "", a.amount_text or "", ", ".join(a.ministers)) if p)
        lines.append(f"- Announcement: {' '.join(a.title.split())}" + (f" ({extra})" if extra else ""))
    for t in records.tables:
        lines.append(f"- Statistics: {t.title or 'untitled table'} ({len(t.rows)} values, p. {t.provenance.page})")
    if not lines:
        return ""
    counts = (f"{len(records.measures)} measures, {len(records.recommendations)} recommendations, "
              f"{len(records.announcements)} announcements, {len(records.tables)} statistics tables")
    return "## Records found by bilan\n\n" + counts + "\n\n" + "\n".join(lines)


def rows_table(rows: list[list[str]]) -> str:
    """Consecutive table-like rows that no detected table holds (an HTML table, a two-cell
    row of a page) as a pipe table, the first row as its header."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(escape_cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(escape_cell(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def document_markdown(document: Document, tables: list[Table]) -> str:
    units = [u for u in document_units(document) if not u.repeated]
    levels = _heading_levels(units)
    chunks: list[str] = []
    written: set[int] = set()
    previous = ""  # kind of the unit before: list items and loose rows run together
    rows: list[list[str]] = []
    for unit in units:
        if rows and unit.kind != "row":
            chunks.append(rows_table(rows) if len(rows) > 1 else " | ".join(escape_cell(c) for c in rows[0] if c))
            rows = []
        table = _table_at(unit, tables)
        if table is not None:
            if table not in written:
                written.add(table)
                chunks.append(pipe_table(tables[table]))
            previous = "table"
            continue
        if unit.kind == "row" and unit.cells:
            rows.append(list(unit.cells))
            previous = "row"
            continue
        text = _unit_markdown(unit, levels)
        if not text:
            continue
        if unit.kind == "item" and previous == "item":
            chunks[-1] += "\n" + text  # one list, no blank line between its items
        else:
            chunks.append(text)
        previous = unit.kind
    if rows:
        chunks.append(rows_table(rows) if len(rows) > 1 else " | ".join(escape_cell(c) for c in rows[0] if c))
    chunks += [pipe_table(t) for n, t in enumerate(tables) if n not in written]  # no unit fell in its box
    summary = records_summary(document)
    if summary:
        chunks.append(summary)
    return "\n\n".join(chunks) + "\n"
