"""Measures from tables: plans and reports that print one measure (or action) per table row.

`tables_to_measures(document, tables)` reads the tables of the tables stage (`Document.tables`,
grids from `extractors.tables`, each column with its role from `extractors.tables.roles`) and
returns one `Measure` per body row of every measure table (`is_measure_table`). Rows, columns and
spans are the grid's; what is read here is what the rows mean:

* **Bars and headings.** A row whose only text spans the table, or stands alone in the title
  column in bold with the row's other cells empty, is a bar: it names the `theme` of the rows
  under it, or their `group` when a numbered heading printed above the table ("6.1. COOPERATION
  ...") already names the theme. A measure whose id is hierarchical takes its group and theme
  from the numbered headings above the tables that carry its parent ids ("1.1 Stratégie ..." for
  1.1.2); other measures take the last numbered or axis heading as their theme.
* **Row-spanning cells** of an axis or objective column give their text to every row they span;
  in such a column a value carries down to the rows under it until the next one.
* **Rows continued.** A row with no id (where the table numbers its rows) and no title, or whose
  title goes on in lower case at the head of a page, continues the record above (a row cut by a
  page break); a row whose id extends the previous measure's (`1.1.2` then `1.1.2.3`) is an
  action of it.
* **Fields** (`extractors.records.measure_fields`): organisations split into lead and partners (the
  bold names of a shared cell lead), indicators with the deadline printed under each and, when the
  heading speaks of targets, the quantity they aim at; progress percentage, status and parts; a
  chronogram's deadline from its shaded year cells ("2021-2023"); a bold title over a plain
  description in one cell is split.
* **Ids** OCR damaged are set from the sequence (`repair_ids`), the one thing the grid cannot know.

Each measure gets a confidence from how many of the table's roles its row filled (the title and,
when the table numbers its rows, the id weigh most), lowered for poorly read OCR words; below
`RecordSettings.flag_below` it is flagged, never dropped. `provenance` is the file, the page of the row's first
cell and the box of its cells on that page.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Optional, Sequence

from extractors.records.measure_fields import (
    ID,
    indicators_of,
    join_lines,
    lead_and_partners,
    organisations,
    paragraph_text,
    parent_of,
    progress_of,
    split_id,
    weight,
)
from extractors.records.table_cells import BULLETS, CellReader, CellText, is_symbol
from extractors.records.table_forms import read_cards, read_fiche
from extractors.records.table_periods import dated_targets, timeline_deadline
from extractors.records.table_rows import (
    RowRecord,
    cell_text,
    id_of,
    mend_hierarchical,
    parent_row,
    provenance_of,
    repair_ids,
    theme_text,
)
from extractors.tables.roles import AXIS_HEADING, fiche_labels, is_measure_table
from extractors.tables.values import clean, fold, strip_bullet
from extractors.records.progress import cell_commentary, status_of
from extractors.records.settings import SETTINGS
from schemas import Document
from schemas.records import Action, Indicator, Measure
from schemas.table import Cell, Table

SPANNING = ("theme", "group")  # column roles whose values carry down to the rows under them


# --- Public API -----------------------------------------------------------------------------------


def tables_to_measures(document: Document, tables: Sequence[Table]) -> list[Measure]:
    reader = CellReader(document)
    numbered: dict[str, str] = {}  # numbered headings seen so far: number -> text
    context: tuple[Optional[str], Optional[str]] = (None, None)  # (theme, group) the headings above give
    measures: list[Measure] = []
    for table in tables:
        for heading in table.headings:
            number = _heading_number(heading)
            if number is not None:
                numbered[number] = theme_text(heading)
        if table.headings:
            context = _heading_context(table.headings)
        if not is_measure_table(table):
            continue
        if table.provenance.method == "shading":
            measures.extend(read_cards(table, reader, document, context))
            continue
        labels = fiche_labels(table)
        if labels is not None:
            measure = read_fiche(table, labels, reader, document, context)
            if measure is not None:
                measures.append(measure)
            continue
        rows = _read_table(table, reader, context)
        repair_ids(rows)
        for row in rows:
            _place_under_headings(row, numbered)
            measure = _measure(row, table, document, reader)
            if measure is not None:
                measures.append(measure)
    return measures


def _heading_context(headings: list[str]) -> tuple[Optional[str], Optional[str]]:
    """(theme, group) from the headings above a table: the nearest names the theme; with two,
    the outer one is the theme and the nearer the group ("Enjeu 1 : ..." over "Orientation 1 :
    ..."), unless only the nearer one names a section (the outer is then the document's title)."""
    texts = [theme_text(h) for h in headings]
    if len(texts) >= 2 and (_sectioned(headings[-2]) or not _sectioned(headings[-1])):
        return texts[-2], texts[-1]
    return texts[-1], None  # a document's title over a section heading: the section is the theme


def _sectioned(heading: str) -> bool:
    """A heading that names a section by number or by an axis word ("6.1. ...", "Orientation 2 :")."""
    return _heading_number(heading) is not None or bool(AXIS_HEADING.match(fold(heading)))


def _heading_number(text: str) -> Optional[str]:
    m = re.match(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*[-–—:]?\s+\S", text)
    return m.group(1) if m else None


def _place_under_headings(row: RowRecord, numbered: dict[str, str]) -> None:
    """A hierarchical id finds its group and theme among the numbered headings (`1.1.2` under
    "1.1 ..." under "1 - ..."), where the table itself named neither."""
    parent = parent_of(row.measure_id)
    if parent and parent in numbered and numbered[parent] in (row.group, row.theme, None) or (parent in numbered and row.group is None):
        row.group = numbered[parent]
        grand = parent_of(parent)
        row.theme = numbered[grand] if grand and grand in numbered else (row.theme if row.theme != row.group else None)


# --- Rows ---------------------------------------------------------------------------------------------


@dataclass
class TableView:
    """What every row of a measure table is read against, worked out once per table: the column
    of each role, the cell over each slot, the right edge of each column's text on each page, and
    how the table numbers its rows."""

    roles: dict[int, str]  # column -> role
    by_role: dict[str, int]  # role -> its first column
    grid: dict[tuple[int, int], Cell]  # (row, col) -> the cell over it
    right: dict[tuple[int, int], float]  # (col, page) -> right edge of the column's text
    numbered: bool  # the id column numbers the rows
    hierarchical: bool  # ids of three levels and more
    segment_starts: set[int]  # first rows of the table's pieces (page breaks)

    @property
    def title_col(self) -> int:
        return self.by_role["title"]

    @property
    def id_col(self) -> Optional[int]:
        return self.by_role.get("id")


def _table_view(table: Table, reader: CellReader) -> TableView:
    roles = {c.col: c.role for c in table.columns if c.role}
    by_role: dict[str, int] = {}
    for col, role in sorted(roles.items()):
        by_role.setdefault(role, col)
    id_col = by_role.get("id")
    grid: dict[tuple[int, int], Cell] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                grid[(r, c)] = cell
    right: dict[tuple[int, int], float] = {}
    for cell in table.cells:
        if cell.col_span == 1 and cell.bbox is not None:
            key = (cell.col, cell.page)
            right[key] = max(right.get(key, float("-inf")), reader.right_edge(cell))
    numbered = id_col is not None and sum(
        1 for r in range(table.header_rows, table.n_rows) if id_of(grid.get((r, id_col))) is not None) >= 2
    ids = [id_of(grid.get((r, id_col))) for r in range(table.header_rows, table.n_rows)] if id_col is not None else []
    well_formed = [i for i in ids if i and ID.match(i) and i[:1].isdigit()]
    # ids of three levels and more ("1.1.2", "1.1.2.3"): damaged ones are mended from the sequence
    # as they are read (two-level ids are left to `repair_ids`, which knows the theme bars)
    hierarchical = len(well_formed) >= 3 and sum(1 for i in well_formed if i.count(".") >= 2) >= 0.5 * len(well_formed)
    return TableView(roles, by_role, grid, right, numbered, hierarchical, {s.first_row for s in table.provenance.segments})


def _opening_context(table: Table, view: TableView, reader: CellReader,
                     context: tuple[Optional[str], Optional[str]]) -> tuple[Optional[str], Optional[str], str]:
    """The theme and group of the first rows, and what the table's bars name ("theme" or "group"):
    bars name the theme, or the group under a section heading printed above the table."""
    sections = [h for h in table.headings if _sectioned(h)]
    bars = any(_bar(table, r, *_row_cells(view.grid, r), view.title_col, reader) for r in range(table.header_rows, table.n_rows))
    if bars:
        theme, group = (theme_text(sections[-1]), None) if sections else (None, None)
        return theme, group, "group" if sections else "theme"
    theme, group = context
    if "group" in view.by_role and group is not None:
        theme, group = group, None  # the table names its groups: the nearest heading is the theme
    return theme, group, "theme"


def _read_table(table: Table, reader: CellReader, context: tuple[Optional[str], Optional[str]]) -> list[RowRecord]:
    view = _table_view(table, reader)
    theme, group, bars_level = _opening_context(table, view, reader, context)
    carried: dict[str, Optional[str]] = {}
    rows: list[RowRecord] = []
    last_id: Optional[str] = None
    for r in range(table.header_rows, table.n_rows):
        own, starting = _row_cells(view.grid, r)
        if not starting and not any(cell.row == r and cell.fill for cell in own.values()):
            continue
        bar = _bar(table, r, own, starting, view.title_col, reader)
        if bar is not None:
            if bars_level == "theme":
                theme, group = bar, None
            else:
                group = bar
            carried = {}
            continue
        _carry_spanning(view, own, carried)
        cells, raw = _row_cells_read(view, r, own, reader)
        timeline = timeline_deadline(table, r, own, view.roles)
        dated = dated_targets(table, r, own, view.roles, reader)
        raw_id = _row_id(view, r, own)
        if view.hierarchical and raw_id:
            raw_id = mend_hierarchical(raw_id, last_id)
            last_id = raw_id if ID.match(raw_id) else last_id
        record = RowRecord(cells, raw, carried.get("theme", theme) if "theme" in view.by_role else theme,
                           carried.get("group", group) if "group" in view.by_role else group, raw_id)
        record.dated_targets = dated
        if rows and _continues(view, r, record, timeline):
            _extend(rows[-1], record)
            continue
        if timeline is not None:
            record.cells["deadline"] = timeline
        if view.numbered and raw_id is None:
            record.raw_id = ""  # numbered table, number not read: `repair_ids` gives the expected one
        parent = parent_row(rows, raw_id)
        if parent is not None:
            parent.actions.append(Action(action_id=raw_id, text=_title_text(record.cells.get("title", CellText()))[0] or ""))
            continue
        rows.append(record)
    return rows


def _carry_spanning(view: TableView, own: dict[int, Cell], carried: dict[str, Optional[str]]) -> None:
    """A value of a theme or group column carries down to the rows under it until the next one."""
    for role in SPANNING:
        col = view.by_role.get(role)
        if col is not None and col in own and own[col].text.strip():
            carried[role] = theme_text(join_lines(own[col].text.split("\n")))


def _row_id(view: TableView, r: int, own: dict[int, Cell]) -> Optional[str]:
    """The id printed in row r (not in a cell that spans down from a row above)."""
    id_col = view.id_col
    return id_of(own.get(id_col)) if id_col is not None and own.get(id_col) is not None and own[id_col].row == r else None


def _row_cells_read(view: TableView, r: int, own: dict[int, Cell],
                    reader: CellReader) -> tuple[dict[str, CellText], dict[str, list[Cell]]]:
    """The text of row r's cells by role (empty where a cell spans down from above), and the cells."""
    cells = {role: reader.read(own.get(col), view.right.get((col, own[col].page), float("inf")))
             if own.get(col) is not None and own[col].row == r else CellText()
             for col, role in view.roles.items() if role not in SPANNING}
    raw = {role: [own[col]] for col, role in view.roles.items() if col in own and own[col].row == r}
    return cells, raw


def _continues(view: TableView, r: int, record: RowRecord, timeline: Optional[CellText]) -> bool:
    """Row r goes on with the record above: no id where the table numbers its rows and no title (or
    a title in lower case), no title and no timeline where it does not, or a title going on in lower
    case at the head of a page."""
    title = record.cells.get("title", CellText())
    first_text = title.lines[0].words[0][0] if not title.empty else ""
    return bool((view.numbered and record.raw_id is None and (title.empty or first_text[:1].islower()))
                or (not view.numbered and title.empty and timeline is None)
                or (r in view.segment_starts and first_text[:1].islower()))


def _extend(prev: RowRecord, record: RowRecord) -> None:
    """A row cut by a page break: its cells join the record above."""
    for role, text in record.cells.items():
        prev.cells.setdefault(role, CellText()).extend(text)
    for role, got in record.raw.items():
        prev.raw.setdefault(role, []).extend(got)
    prev.dated_targets.extend(record.dated_targets)


def _row_cells(grid: dict[tuple[int, int], Cell], r: int) -> tuple[dict[int, Cell], list[Cell]]:
    """The cells over each column of row r, and those that start in it with text."""
    own = {c: cell for (rr, c), cell in grid.items() if rr == r}
    starting = [cell for cell in {id(x): x for x in own.values()}.values() if cell.row == r and cell.text.strip()]
    return own, starting


def _bar(table: Table, r: int, own: dict[int, Cell], starting: list[Cell], title_col: int, reader: CellReader) -> Optional[str]:
    """The text of a bar row ("AXE 1 – ...", "ORIENTATION 2 — ...", a bold group row): the row's
    only text, spanning the table, or set in bold or capitals in the first or title column."""
    texts = sorted((c for c in starting if c.text.strip()), key=lambda c: c.col)
    if len(texts) > 1:
        # a bar OCR cut into pieces that fell into neighbouring columns: all in capitals
        joined = " ".join(join_lines(c.text.split("\n")) for c in texts)
        letters = [ch for ch in joined if ch.isalpha()]
        contiguous = all(b.col == a.col + a.col_span for a, b in zip(texts, texts[1:])) and texts[0].col == 0
        others = [c for c in own.values() if c.row == r and c.fill and not c.text.strip()]
        if contiguous and not others and len(joined.split()) <= 25 and len(letters) >= 8 \
                and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
            return theme_text(joined)
        return None
    if not texts:
        return None
    cell = texts[0]
    others = [c for col, c in own.items() if c is not cell and (c.text.strip() or c.fill) and c.row == r]
    if others:
        return None
    text = join_lines(cell.text.split("\n"))
    if len(text.split()) > 25:
        return None
    if cell.col_span >= max(2, table.n_cols - 1):
        return theme_text(text)
    letters = [ch for ch in text if ch.isalpha()]
    capitals = len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    if cell.col in (0, title_col) and table.n_cols >= 2 and (capitals or _all_bold(cell, reader)):
        return theme_text(text)
    return None


def _all_bold(cell: Cell, reader: CellReader) -> bool:
    weights = [b for line in reader.read(cell).lines for _, b in line.words if b is not None]
    return bool(weights) and all(weights)


# --- Records ------------------------------------------------------------------------------------


def _title_text(cell: CellText) -> tuple[str, Optional[str]]:
    """The title, and a description printed under it in the same cell (bold title, plain text)."""
    paragraphs = cell.paragraphs()
    lines = [line for p in paragraphs for line in p]
    weights = [weight(line) for line in lines]
    if weights and weights[0] is True and False in weights:
        cut = weights.index(False)
        title = join_lines([" ".join(t for t, _ in line) for line in lines[:cut]])
        rest = [paragraph_text(p) for p in _split_paragraphs(lines[cut:], cell, cut)]
        return strip_bullet(clean(title)), "\n".join(rest) or None
    title = " ".join(paragraph_text(p) for p in paragraphs)
    title = re.sub(r"^[^\w«\"'(]+", "", strip_bullet(clean(title)))  # OCR debris before the first word
    return title, None


def _split_paragraphs(lines, cell: CellText, offset: int):
    breaks = cell.breaks()[offset:]
    out = []
    for line, new in zip(lines, breaks):
        if new or not out or (line and line[0][0][:1] in "-–" + "".join(BULLETS)):
            out.append([line])
        else:
            out[-1].append(line)
    return out


def _measure(row: RowRecord, table: Table, document: Document, reader: CellReader) -> Optional[Measure]:
    cells = row.cells
    present = {role for role, c in cells.items() if not c.empty}
    title, description = _title_text(cells.get("title", CellText()))
    if "description" in present:
        description = " ".join(paragraph_text(p) for p in cells["description"].paragraphs()) or description
    measure_id = row.measure_id
    if measure_id is None:
        found, rest = split_id(title)
        if found:
            measure_id, title = found, rest
    if measure_id is None and not re.search(r"[^\W\d_]{3}", title):
        return None  # no word: a speck or a rule read as text, not a measure
    lead, partners = _organisations(cells, present)
    indicators = _indicators(row, table, present)
    percent, status, parts, commentary = _progress(cells, present, reader)
    category, inferred = status_of(status, percent, commentary)
    actions = _actions(row, present)
    values = {
        "id": measure_id, "title": title or None, "lead": lead, "partners": partners, "lead_partners": lead or partners,
        "indicators": indicators, "deadline": cell_text(cells.get("deadline")), "timeline": cell_text(cells.get("deadline")),
        "resources": cell_text(cells.get("resources")), "progress": percent if percent is not None else status,
        "status": status, "description": description, "actions": actions,
    }
    confidence = _confidence(row, table, values)
    return Measure(
        measure_id=measure_id, parent_id=parent_of(measure_id), theme=row.theme, group=row.group, title=title or "",
        description=description, lead=lead, collaborators=partners, indicators=indicators,
        deadline=values["deadline"], resources=values["resources"], progress_percent=percent, progress=parts,
        status_text=commentary or status, status=category, status_inferred=inferred, actions=actions,
        provenance=provenance_of(row, document),
        confidence=confidence, flagged=confidence < SETTINGS.flag_below,
    )


def _organisations(cells: dict[str, CellText], present: set[str]) -> tuple[list[str], list[str]]:
    """Lead and partners: from a shared cell (its bold names lead), then from their own columns."""
    lead: list[str] = []
    partners: list[str] = []
    if "lead_partners" in present:
        c = cells["lead_partners"]
        lead, partners = lead_and_partners(c.word_lines(), c.soft())
    if "lead" in present:
        c = cells["lead"]
        lead = lead + [t for t, _ in organisations(c.word_lines(), c.soft())]
    if "partners" in present:
        c = cells["partners"]
        partners = partners + [t for t, _ in organisations(c.word_lines(), c.soft())]
    return lead, partners


def _indicators(row: RowRecord, table: Table, present: set[str]) -> list[Indicator]:
    """The indicators cell (with the quantity aimed at when the heading speaks of targets), or the
    targets of the period columns; a targets column gives a lone indicator its target."""
    cells = row.cells
    indicators: list[Indicator] = []
    if "indicators" in present:
        targets = any("cible" in " ".join(c.evidence) for c in table.columns if c.role == "indicators")
        indicators = indicators_of(cells["indicators"].paragraphs(), targets)
    if row.dated_targets:
        indicators = list(row.dated_targets)
    elif "targets" in present:
        target = cell_text(cells["targets"])
        if indicators and len(indicators) == 1:
            indicators[0] = indicators[0].model_copy(update={"target": target})
        elif not indicators:
            indicators = [Indicator(text=target, target=target)]
    return indicators


def _progress(cells: dict[str, CellText], present: set[str], reader: CellReader) -> tuple:
    """(percent, status, parts, commentary) of the first progress or status cell: a symbol read
    through the page's legend, or the printed percentage, label, parts and commentary."""
    percent, status, parts, commentary = None, None, [], None
    for role in ("progress", "status"):
        if role in present and percent is None and status is None:
            lines = cells[role].word_lines()
            icon = _icon(lines)
            if icon is not None:  # a symbol, read through the legend printed on the page
                status = reader.legend(cells[role].lines[0].page).get(icon, icon)
            else:
                percent, status, parts = progress_of(lines)
                # the commentary under the printed label, whole (issue 12)
                _, commentary = cell_commentary(cells[role].paragraphs())
    return percent, status, parts, commentary


def _actions(row: RowRecord, present: set[str]) -> list[Action]:
    """The actions under the measure: rows numbered under its id, then the actions cell's paragraphs."""
    actions = list(row.actions)
    if "actions" in present:
        for p in row.cells["actions"].paragraphs():
            text = strip_bullet(paragraph_text(p))
            action_id, text = split_id(text)
            if text:
                actions.append(Action(action_id=action_id, text=text))
    return actions


def _icon(lines) -> Optional[str]:
    """The symbol a cell holds alone ("●", "✔"), if it holds nothing else."""
    words = [t for line in lines for t, _ in line]
    return words[0] if len(words) == 1 and is_symbol(words[0]) else None


def _confidence(row: RowRecord, table: Table, values: dict) -> float:
    roles = [c.role for c in table.columns if c.role and c.role not in ("description", "actions", "comment", "theme", "group", "targets")]
    roles = list(dict.fromkeys(roles))
    numbered = row.raw_id is not None
    weights = {"title": 3.0, "id": 2.0 if numbered else 0.0}
    total = sum(weights.get(r, 1.0) for r in roles)
    filled = sum(weights.get(r, 1.0) for r in roles if values.get(r) not in (None, "", []))
    score = 0.3 + 0.7 * (filled / total if total else 0.0)
    title = values.get("title") or ""
    if len(title.split()) < 2 or len(title.split()) > 80:
        score -= 0.2
    ocr = [c for cell in row.cells.values() for c in cell.confidences()]
    if ocr:
        score *= 0.6 + 0.4 * min(1.0, statistics.fmean(ocr) / 90)
    return round(max(0.0, min(1.0, score)), 3)


