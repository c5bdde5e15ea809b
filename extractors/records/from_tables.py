"""Measures from tables: plans and reports that print one measure (or action) per table row.

`tables_to_measures(document, tables)` reads the boxed pages of a Document (text layer or OCR)
and returns one `Measure` per row of every measure table. Driven by layout, never by knowing a
document:

1. **Pages** (`extractors.records.measure_pages`): OCR noise dropped, a scan's skew turned out of its word
   boxes, running heads and feet set aside; drawn rules come from `Page.rulings` (a born-digital
   page's from its PDF, a scanned page's found in its image by OCR).
2. **Header and columns** (`extractors.records.measure_columns`): a header row names three or more column
   roles from general French vocabularies (number, title, lead and partners, indicators, deadline,
   resources, progress, axis ...), one of them the title. Column bounds come from vertical rules,
   else from the whitespace valleys of the body under the header; a column of text left of the
   first heading whose heading was not read is the number or axis column.
3. **Bars and rows** (`extractors.records.measure_rows`): a line running over a column boundary as one
   heading (`AXE 1 – ...`, `1. Information`; `(suite)` stripped) is a theme bar, and an axis
   heading printed just above a table names its theme too. Rows start at an id in the number
   column; without one, at a horizontal rule across the title column, at an id or bullet opening
   the title cell, after a bar, or where the title and another column start again after a gap
   wider than the lines of one cell. Other lines continue the row above, so multi-line cells stay
   whole and a row cut by a page break is joined again.
4. **Pages after the first**: a repeated header with the same roles (one heading misread by OCR
   allowed, and completed from the page before) continues the table; so do lines at the head of
   the next page that fit its columns. Row-spanning columns (axis, objective) are read as blocks
   given to the rows their merged cell covers (rules, top alignment, or midpoints between blocks);
   cells centred vertically whose first lines went to the row above are put back; ids OCR damaged
   are set from the sequence (`extractors.records.measure_mend`). A table without theme bars gives its
   axis column to `theme`.
5. **Fields** (`extractors.records.measure_fields`): organisations split into lead and partners (the bold
   names of a shared cell lead; without font weight, the first name), indicators with the deadline
   printed under each and, when the heading speaks of targets, the quantity they aim at; progress
   percentage, status and parts; ids with their parent (`2.3` -> `2`); a bold title over a plain
   description in one cell is split.

Each measure gets a confidence from how many of the table's roles its row filled (the title and,
when the table numbers its rows, the id weigh most), lowered for poorly read OCR words; below
`FLAG_BELOW` it is flagged, never dropped. `provenance` is the file, the first page of the row and
the box of its words on that page (page coordinates as ingested).

`tables` (from `extractors.tables.detect.document_tables`) is used where the line-based header search finds
nothing on a page: a detected table's header cells are classified the same way.
"""
from __future__ import annotations

import re
import statistics
from typing import Optional, Sequence

from extractors.layout import union_bbox
from extractors.records.measure_cells import Frag, measure_id_of, cell_paragraphs, MeasureRow, same_lines, soft_breaks, ReadState
from extractors.records.measure_columns import (
    Column,
    Header,
    add_unheaded,
    classify,
    completed,
    find_headers,
    same_layout,
    set_bounds,
)
from extractors.records.measure_fields import (
    clean,
    indicators_of,
    join_lines,
    lead_and_partners,
    organisations,
    paragraph_text,
    parent_of,
    progress_of,
    split_id,
    strip_bullet,
    weight,
)
from extractors.records.measure_mend import repair_ids
from extractors.records.measure_pages import mark_margins, prepare_page, PageView
from extractors.records.measure_rows import bar_text, heading_above, read_rows
from extractors.records.progress import cell_commentary, status_of
from schemas import Document
from schemas.records import Action, Measure, Provenance
from schemas.table import Table

FLAG_BELOW = 0.6


# --- Public API -----------------------------------------------------------------------------------


def tables_to_measures(document: Document, tables: Sequence[Table]) -> list[Measure]:
    views = [prepare_page(p) for p in document.pages if p.words and any(w.bbox is not None for w in p.words)]
    mark_margins(views)
    measures: list[Measure] = []
    state: Optional[ReadState] = None
    for view in views:
        headers = find_headers(view.lines, view.margin, view.unit, state.header if state is not None else None)
        if not headers:
            headers = _headers_from_tables(view, [t for t in tables if t.page == view.page.number])
        starts = [h.lines[0] for h in headers]
        for n, header in enumerate(headers):
            end = starts[n + 1] if n + 1 < len(headers) else len(view.lines)
            add_unheaded(header, [view.lines[k] for k in range(header.lines[-1] + 1, end) if k not in view.margin], view.unit)
        # the head of the page, before its first header: the table of the previous page going on
        first = starts[0] if starts else len(view.lines)
        if state is not None:
            body = [k for k in range(first) if k not in view.margin]
            if body and _fits(view, body[0], state.header):
                header = _shifted(state.header, view, body)
                if not read_rows(view, header, body, state):
                    measures.extend(_finish(state, document))
                    state = None
            elif body:
                measures.extend(_finish(state, document))
                state = None
        for n, header in enumerate(headers):
            end = starts[n + 1] if n + 1 < len(headers) else len(view.lines)
            body = [k for k in range(header.lines[-1] + 1, end) if k not in view.margin]
            set_bounds(header, [view.lines[k] for k in body], view.vs, view.unit, view.page.width or 1e6)
            if state is None or not same_layout(state.header, header):
                if state is not None:
                    measures.extend(_finish(state, document))
                state = ReadState(header)
            else:
                header = completed(state.header, header)
                set_bounds(header, [view.lines[k] for k in body], view.vs, view.unit, view.page.width or 1e6)
            state.header = header
            heading = heading_above(view, header)
            if heading:
                state.theme, state.bars = heading, True
            if not read_rows(view, header, body, state):
                measures.extend(_finish(state, document))
                state = None
    if state is not None:
        measures.extend(_finish(state, document))
    return measures


# --- Pages and headers ----------------------------------------------------------------------------


def _headers_from_tables(view: PageView, tables: Sequence[Table]) -> list[Header]:
    out = []
    for table in tables:
        cells = sorted((c for c in table.cells if c.header and c.page == view.page.number and c.bbox), key=lambda c: c.bbox[0])
        if len(cells) < 3:
            continue
        columns = []
        for c in cells:
            role, targets = classify(c.text)
            columns.append(Column(role, c.text.replace("\n", " "), c.bbox[0], c.bbox[2], targets))
        roles = [c.role for c in columns if c.role]
        if "title" not in roles or len(set(roles)) < 3:
            continue
        bottom = max(c.bbox[3] for c in cells)
        lines = [k for k, l in enumerate(view.lines) if l.top < bottom - 1 and l.bottom > min(c.bbox[1] for c in cells) + 1]
        if lines:
            out.append(Header(lines, columns, min(c.bbox[1] for c in cells), bottom, ["from a detected table"]))
    return out


def _fits(view: PageView, k: int, header: Header) -> bool:
    """Whether a line at the head of a page keeps to the columns of the table above."""
    line = view.lines[k]
    return len(line.segs) >= 2 or bar_text(line, header, view.unit) is not None or line.segs[0].x0 > header.columns[0].x1


def _shifted(header: Header, view: PageView, body: list[int]) -> Header:
    columns = [Column(c.role, c.text, c.x0, c.x1, c.targets) for c in header.columns]
    copy = Header([], columns, view.lines[body[0]].top, view.lines[body[0]].top, ["continued without header"])
    set_bounds(copy, [view.lines[k] for k in body], view.vs, view.unit, view.page.width or 1e6)
    return copy


# --- Records ----------------------------------------------------------------------------------------


def _finish(state: ReadState, document: Document) -> list[Measure]:
    repair_ids(state.rows)
    out = []
    for row in state.rows:
        measure = _measure(row, state, document)
        if measure is not None:
            out.append(measure)
    return out


def _measure(row: MeasureRow, state: ReadState, document: Document) -> Optional[Measure]:
    cols = state.header.columns
    unit = row.view.unit
    cells: dict[str, list[Frag]] = {}
    for f in row.frags:
        if f.role:
            cells.setdefault(f.role, []).append(f)

    def lines_of(role: str) -> list[list[tuple[str, Optional[bool]]]]:
        return [f.words for f in same_lines(cells.get(role, []))]

    def text_of(role: str) -> Optional[str]:
        paragraphs = cell_paragraphs(cells.get(role, []), unit)
        text = " ".join(paragraph_text(p) for p in paragraphs)
        return clean(text) or None

    measure_id = row.measure_id if row.raw_id is not None else (measure_id_of(lines_of("number")[0]) if cells.get("number") else None)
    title_paragraphs = cell_paragraphs(cells.get("title", []), unit)
    description = text_of("description")
    title_lines = [w for p in title_paragraphs for w in p]
    weights = [weight(line) for line in title_lines]
    # a bold title over a plain description in one cell
    if description is None and weights and weights[0] is True and False in weights:
        cut = weights.index(False)
        title = join_lines([" ".join(t for t, _ in line) for line in title_lines[:cut]])
        description = join_lines([" ".join(t for t, _ in line) for line in title_lines[cut:]]) or None
    else:
        title = " ".join(paragraph_text(p) for p in title_paragraphs)
    title = strip_bullet(clean(title))
    title = re.sub(r"^[^\w«\"'(]+", "", title)  # OCR debris before the first word
    if measure_id is None and not re.search(r"[^\W\d_]{3}", title):
        return None  # no word: a speck or a rule read as text, not a measure
    if measure_id is None:
        found, rest = split_id(title)
        if found:
            measure_id, title = found, rest
    if not title and measure_id is None:
        return None
    lead: list[str] = []
    partners: list[str] = []

    def soft(role: str) -> list[bool]:
        return soft_breaks(same_lines(cells.get(role, [])), unit)

    if "responsibles" in cells:
        lead, partners = lead_and_partners(lines_of("responsibles"), soft("responsibles"))
    if "lead" in cells:
        lead = lead + [t for t, _ in organisations(lines_of("lead"), soft("lead"))]
    if "collaborators" in cells:
        partners = partners + [t for t, _ in organisations(lines_of("collaborators"), soft("collaborators"))]
    indicators = []
    if "indicators" in cells:
        targets = any(c.targets for c in cols if c.role == "indicators")
        indicators = indicators_of(cell_paragraphs(cells["indicators"], unit), targets)
    percent, status, parts = progress_of(lines_of("progress")) if "progress" in cells else (None, None, [])
    _, commentary = cell_commentary(cell_paragraphs(cells.get("progress", []), unit))
    category, inferred = status_of(status, percent, commentary)
    actions = []
    for p in cell_paragraphs(cells.get("actions", []), unit):
        text = strip_bullet(paragraph_text(p))
        action_id, text = split_id(text)
        if text:
            actions.append(Action(action_id=action_id, text=text))
    theme, group = row.spans.get("theme") or row.theme, row.spans.get("group")
    if not state.bars and "theme" not in row.spans and group is not None:
        theme, group = group, None  # an axis column under no bar names the theme
    values = {
        "number": measure_id, "title": title or None, "lead": lead, "collaborators": partners,
        "responsibles": lead or partners, "indicators": indicators, "deadline": text_of("deadline"),
        "resources": text_of("resources"), "progress": percent if percent is not None else status,
        "group": group or theme, "theme": theme, "description": description, "actions": actions,
    }
    confidence = _confidence(row, state, values)
    return Measure(
        measure_id=measure_id, parent_id=parent_of(measure_id), theme=theme, group=group, title=title or "",
        description=description, lead=lead, collaborators=partners, indicators=indicators,
        deadline=values["deadline"], resources=values["resources"], progress_percent=percent, progress=parts,
        status_text=commentary or status, status=category, status_inferred=inferred, actions=actions,
        provenance=_provenance(row, document),
        confidence=confidence, flagged=confidence < FLAG_BELOW,
    )


def _confidence(row: MeasureRow, state: ReadState, values: dict) -> float:
    roles = [r for r in state.header.roles if r and r not in ("description", "actions")]
    weights = {"title": 3.0, "number": 2.0 if state.numbered else 0.0}
    total = sum(weights.get(r, 1.0) for r in roles)
    filled = sum(weights.get(r, 1.0) for r in roles if values.get(r) not in (None, "", []))
    score = 0.3 + 0.7 * (filled / total if total else 0.0)
    title = values.get("title") or ""
    if len(title.split()) < 2 or len(title.split()) > 80:
        score -= 0.2
    ocr = [c for f in row.frags for c in f.confidences]
    if ocr:
        score *= 0.6 + 0.4 * min(1.0, statistics.fmean(ocr) / 90)
    return round(max(0.0, min(1.0, score)), 3)


def _provenance(row: MeasureRow, document: Document) -> Provenance:
    page = row.view.page.number
    boxes = [b for f in row.frags if f.page == page for b in f.boxes]
    return Provenance(file=document.source.path, page=page, bbox=union_bbox(boxes) if boxes else None)
