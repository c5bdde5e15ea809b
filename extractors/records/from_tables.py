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
`FLAG_BELOW` it is flagged, never dropped. `provenance` is the file, the page of the row's first
cell and the box of its cells on that page.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional, Sequence

from extractors.layout import union_bbox
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
from extractors.tables.roles import AXIS_HEADING, YEAR_HEADER, fiche_labels, header_tokens, is_measure_table
from extractors.tables.values import clean, fold, strip_bullet
from schemas import Document
from schemas.records import Action, Indicator, Measure, Provenance
from schemas.table import Cell, Table

FLAG_BELOW = 0.6
CONTINUED = re.compile(r"\s*[(\[]?\s*(?:suite(?:\s+et\s+fin)?|cont(?:inued|\.)|fin)\s*[)\]]?\s*$", re.IGNORECASE)
SPANNING = ("theme", "group")  # column roles whose values carry down to the rows under them


@dataclass
class RowRecord:
    """One measure being read: its cells by role (a row cut by a page break adds the rest)."""

    cells: dict[str, CellText]
    raw: dict[str, list[Cell]]
    theme: Optional[str]
    group: Optional[str]
    raw_id: Optional[str] = None
    measure_id: Optional[str] = None
    actions: list[Action] = field(default_factory=list)
    dated_targets: list[Indicator] = field(default_factory=list)  # an indicator's target in each period column


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
                numbered[number] = _theme_text(heading)
        if table.headings:
            context = _heading_context(table.headings)
        if not is_measure_table(table):
            continue
        if table.provenance.method == "shading":
            measures.extend(_read_cards(table, reader, document, context))
            continue
        labels = fiche_labels(table)
        if labels is not None:
            measure = _read_fiche(table, labels, reader, document, context)
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
    texts = [_theme_text(h) for h in headings]
    if len(texts) >= 2 and (_sectioned(headings[-2]) or not _sectioned(headings[-1])):
        return texts[-2], texts[-1]
    return texts[-1], None  # a document's title over a section heading: the section is the theme


def _sectioned(heading: str) -> bool:
    """A heading that names a section by number or by an axis word ("6.1. ...", "Orientation 2 :")."""
    return _heading_number(heading) is not None or bool(AXIS_HEADING.match(fold(heading)))


def _heading_number(text: str) -> Optional[str]:
    m = re.match(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*[-–—:]?\s+\S", text)
    return m.group(1) if m else None


def _theme_text(text: str) -> str:
    text = CONTINUED.sub("", text).strip(" –—-:")
    text = re.sub(r"(?<=[a-zà-ÿ]{4})[¹²³⁴⁵⁶⁷⁸⁹\d]{1,2}$", "", text)  # a footnote call
    return clean(text)


def _place_under_headings(row: RowRecord, numbered: dict[str, str]) -> None:
    """A hierarchical id finds its group and theme among the numbered headings (`1.1.2` under
    "1.1 ..." under "1 - ..."), where the table itself named neither."""
    parent = parent_of(row.measure_id)
    if parent and parent in numbered and numbered[parent] in (row.group, row.theme, None) or (parent in numbered and row.group is None):
        row.group = numbered[parent]
        grand = parent_of(parent)
        row.theme = numbered[grand] if grand and grand in numbered else (row.theme if row.theme != row.group else None)


# --- Rows ---------------------------------------------------------------------------------------------


def _read_table(table: Table, reader: CellReader, context: tuple[Optional[str], Optional[str]]) -> list[RowRecord]:
    roles = {c.col: c.role for c in table.columns if c.role}
    by_role = {}
    for col, role in sorted(roles.items()):
        by_role.setdefault(role, col)
    title_col = by_role["title"]
    id_col = by_role.get("id")
    grid: dict[tuple[int, int], Cell] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                grid[(r, c)] = cell
    right: dict[tuple[int, int], float] = {}  # right edge of each column's text on each page
    for cell in table.cells:
        if cell.col_span == 1 and cell.bbox is not None:
            key = (cell.col, cell.page)
            right[key] = max(right.get(key, float("-inf")), reader.right_edge(cell))
    numbered = id_col is not None and sum(
        1 for r in range(table.header_rows, table.n_rows) if _id_of(grid.get((r, id_col))) is not None) >= 2
    # bars name the theme, or the group under a section heading printed above the table
    sections = [h for h in table.headings if _sectioned(h)]
    bars = any(_bar(table, r, *_row_cells(grid, r), title_col, reader) for r in range(table.header_rows, table.n_rows))
    if bars:
        theme, group = (_theme_text(sections[-1]), None) if sections else (None, None)
        bars_level = "group" if sections else "theme"
    else:
        theme, group = context
        if "group" in by_role and group is not None:
            theme, group = group, None  # the table names its groups: the nearest heading is the theme
        bars_level = "theme"
    carried: dict[str, Optional[str]] = {}
    rows: list[RowRecord] = []
    segment_starts = {s.first_row for s in table.provenance.segments}
    ids = [_id_of(grid.get((r, id_col))) for r in range(table.header_rows, table.n_rows)] if id_col is not None else []
    well_formed = [i for i in ids if i and ID.match(i) and i[:1].isdigit()]
    # ids of three levels and more ("1.1.2", "1.1.2.3"): damaged ones are mended from the sequence
    # as they are read (two-level ids are left to `repair_ids`, which knows the theme bars)
    hierarchical = len(well_formed) >= 3 and sum(1 for i in well_formed if i.count(".") >= 2) >= 0.5 * len(well_formed)
    last_id: Optional[str] = None
    for r in range(table.header_rows, table.n_rows):
        own, starting = _row_cells(grid, r)
        if not starting and not any(cell.row == r and cell.fill for cell in own.values()):
            continue
        bar = _bar(table, r, own, starting, title_col, reader)
        if bar is not None:
            if bars_level == "theme":
                theme, group = bar, None
            else:
                group = bar
            carried = {}
            continue
        for role in SPANNING:
            col = by_role.get(role)
            if col is not None and col in own and own[col].text.strip():
                carried[role] = _theme_text(join_lines(own[col].text.split("\n")))
        cells = {role: reader.read(own.get(col), right.get((col, own[col].page), float("inf")))
                 if own.get(col) is not None and own[col].row == r else CellText()
                 for col, role in roles.items() if role not in SPANNING}
        raw = {role: [own[col]] for col, role in roles.items() if col in own and own[col].row == r}
        timeline = _timeline(table, r, own, roles)
        dated = _dated_targets(table, r, own, roles, reader)
        raw_id = _id_of(own.get(id_col)) if id_col is not None and own.get(id_col) is not None and own[id_col].row == r else None
        if hierarchical and raw_id:
            raw_id = _mend_hierarchical(raw_id, last_id)
            last_id = raw_id if ID.match(raw_id) else last_id
        title = cells.get("title", CellText())
        first_text = title.lines[0].words[0][0] if not title.empty else ""
        continues = rows and (
            (numbered and raw_id is None and (title.empty or first_text[:1].islower()))
            or (not numbered and title.empty and timeline is None)
            or (r in segment_starts and first_text[:1].islower()))
        if continues:
            prev = rows[-1]
            for role, text in cells.items():
                prev.cells.setdefault(role, CellText()).extend(text)
            for role, got in raw.items():
                prev.raw.setdefault(role, []).extend(got)
            prev.dated_targets.extend(dated)
            continue
        record = RowRecord(cells, raw, carried.get("theme", theme) if "theme" in by_role else theme,
                           carried.get("group", group) if "group" in by_role else group, raw_id)
        record.dated_targets = dated
        if timeline is not None:
            record.cells["deadline"] = timeline
        if numbered and raw_id is None:
            record.raw_id = ""  # numbered table, number not read: `repair_ids` gives the expected one
        parent = _parent_row(rows, raw_id)
        if parent is not None:
            parent.actions.append(Action(action_id=raw_id, text=_title_text(title)[0] or ""))
            continue
        rows.append(record)
    return rows


def _row_cells(grid: dict[tuple[int, int], Cell], r: int) -> tuple[dict[int, Cell], list[Cell]]:
    """The cells over each column of row r, and those that start in it with text."""
    own = {c: cell for (rr, c), cell in grid.items() if rr == r}
    starting = [cell for cell in {id(x): x for x in own.values()}.values() if cell.row == r and cell.text.strip()]
    return own, starting


def _id_of(cell: Optional[Cell]) -> Optional[str]:
    """The id a number cell opens with ("1", "2.3", "A"); a short token OCR damaged ("2%", "1,1",
    "l.2") is returned as read and set right by `repair_ids`."""
    if cell is None or not cell.text.strip():
        return None
    text = cell.text.split()[0].strip()
    if len(text) <= 3 and re.fullmatch(r"[0-9lIO|]+\.?", text) and any(ch.isdigit() for ch in text):
        text = text.replace("l", "1").replace("I", "1").replace("|", "1").replace("O", "0")
    if ID.match(text) and (text[0].isdigit() or len(cell.text.split()) == 1):
        return text.rstrip(".")
    if len(text) <= 9 and text[:1].isdigit() and re.fullmatch(r"[0-9lIO|.,:;%'’°-]+", text):
        return text
    return None


def _mend_hierarchical(raw: Optional[str], last: Optional[str]) -> Optional[str]:
    """An id of a hierarchical numbering OCR damaged ("1:11", "11:25", "1-12"): the id that comes
    next in the sequence (a sibling at some level after `last`, or its first child) whose digits
    are the ones read; failing that, the one of as many digits that differs least."""
    if not raw or re.fullmatch(r"\d+(?:\.\d+)+", raw):
        return raw
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return raw
    if last is None or not re.fullmatch(r"\d+(?:\.\d+)+", last):
        return ".".join(digits) if 2 <= len(digits) <= 5 else raw
    parts = [int(p) for p in last.split(".")]
    candidates = [".".join(map(str, parts[:k] + [parts[k] + 1])) for k in range(len(parts) - 1, -1, -1)]
    candidates += [f"{last}.0", f"{last}.1"]
    same = [c for c in candidates if c.replace(".", "") == digits]
    if same:
        return same[0]
    sized = [c for c in candidates if len(c.replace(".", "")) == len(digits)]
    if sized:
        return min(sized, key=lambda c: sum(a != b for a, b in zip(c.replace(".", ""), digits)))
    return raw


def _parent_row(rows: list[RowRecord], raw_id: Optional[str]) -> Optional[RowRecord]:
    """The measure a row is an action of: its id extends the id of the last measure (`1.1.2` ->
    `1.1.2.3`)."""
    if not raw_id or not rows or not rows[-1].raw_id:
        return None
    parent = rows[-1].raw_id
    return rows[-1] if raw_id.startswith(parent + ".") and raw_id.count(".") > parent.count(".") else None


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
            return _theme_text(joined)
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
        return _theme_text(text)
    letters = [ch for ch in text if ch.isalpha()]
    capitals = len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    if cell.col in (0, title_col) and table.n_cols >= 2 and (capitals or _all_bold(cell, reader)):
        return _theme_text(text)
    return None


def _all_bold(cell: Cell, reader: CellReader) -> bool:
    weights = [b for line in reader.read(cell).lines for _, b in line.words if b is not None]
    return bool(weights) and all(weights)


def _timeline(table: Table, r: int, own: dict[int, Cell], roles: dict[int, str]) -> Optional[CellText]:
    """A chronogram row's deadline: the years of its shaded (or marked) timeline cells, first to
    last ("2021", "2021-2023")."""
    cols = [c for c, role in roles.items() if role == "timeline"]
    if not cols:
        return None
    labels = {c.col: clean(c.text) for c in table.cells if c.row < table.header_rows and c.col in cols}
    marked = [c for c in sorted(cols) if c in own and own[c].row == r and (own[c].fill or fold(own[c].text.strip()) in ("x", "✓", "✔", "●", "■", "•"))]
    years = [labels[c] for c in marked if c in labels and YEAR_HEADER.match(fold(labels[c]))]
    if not years:
        return None
    text = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return CellText([_synthetic_line(text, own[marked[0]])])


PERIOD = re.compile(r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?")
# The baseline printed under an indicator ("Mesure de départ : 71,3 %"): neither the statement nor a target.
BASELINE = re.compile(r"^(?:mesure|valeur|point|situation|donnee|niveau|annee)s?\s+de\s+(?:depart|reference|base)\b")
NOTHING = {"–", "-", "—", "n/a", "s.o.", "so", "nd", "n.d."}


def _dated_targets(table: Table, r: int, own: dict[int, Cell], roles: dict[int, str], reader: CellReader) -> list[Indicator]:
    """An indicator with a target per period ("CIBLE 2023-2024" | "CIBLE 2024-2025" ...): one
    `Indicator` per period column with a target printed (a dash is none), the period as its
    deadline."""
    periods = {}
    for c in table.columns:
        if c.role == "targets":
            m = PERIOD.search(c.header)
            if m:
                periods[c.col] = m.group(0)
    if len(periods) < 2:
        return []
    statement_col = next((c for c, role in sorted(roles.items()) if role == "indicators"), None)
    if statement_col is None or statement_col not in own or own[statement_col].row != r:
        return []
    statement = _statement(reader.read(own[statement_col]))
    if not statement:
        return []
    out = []
    for col, period in sorted(periods.items()):
        cell = own.get(col)
        target = clean(" ".join(cell.text.split())) if cell is not None and cell.row == r else ""
        target = re.sub(r"\s*\*+$", "", target)  # a footnote call
        if target and fold(target) not in NOTHING:
            out.append(Indicator(text=statement, target=target, deadline=period))
    return out


def _statement(cell: CellText) -> str:
    """An indicator's statement: its number, baseline line and footnote call left out."""
    lines = [line for line in cell.lines if not BASELINE.match(fold(" ".join(t for t, _ in line.words)))]
    text = join_lines([" ".join(t for t, _ in line.words) for line in lines])
    _, text = split_id(text)
    text = re.sub(r"^\d{1,3}\.\s*", "", text)
    return re.sub(r"\s*\*+$", "", clean(text))


def _synthetic_line(text: str, cell: Cell):
    from extractors.records.table_cells import TextLine

    box = cell.bbox or (0.0, 0.0, 0.0, 0.0)
    return TextLine(box[1], box[3], box[0], box[2], cell.page, [(text, None)])


# --- Cards -----------------------------------------------------------------------------------------

HEADING_SIZE = 1.25  # a card's heading lines are this much taller than its text


def _read_cards(table: Table, reader: CellReader, document: Document, context: tuple[Optional[str], Optional[str]]) -> list[Measure]:
    """One measure per card: its heading (lines set larger, or bold over plain) is the title, the
    rest the description. A card that is only a heading, alone of its kind, names the theme of the
    others ("Horizon 2030" over the objectives)."""
    read = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        text = reader.read(cell)
        if text.empty:
            continue
        heights = [line.bottom - line.top for line in text.lines]
        body = sorted(heights)[len(heights) // 2] if len(heights) > 2 else min(heights)
        cut = 0
        while cut < len(text.lines) and (heights[cut] > HEADING_SIZE * body or weight(text.lines[cut].words) is True and cut < len(text.lines) - 1
                                         and weight(text.lines[-1].words) is False):
            cut += 1
        title = join_lines([" ".join(t for t, _ in line.words) for line in text.lines[:cut]]) if cut else ""
        rest = join_lines([" ".join(t for t, _ in line.words) for line in text.lines[cut:]])
        read.append((cell, title or rest, rest if title else ""))
    headings_only = [r for r in read if not r[2]]
    theme = context[0]
    if len(headings_only) == 1 and len(read) > 2:
        theme = _theme_text(headings_only[0][1])
        read = [r for r in read if r is not headings_only[0]]
    out = []
    for cell, title, description in read:
        row = RowRecord({}, {"card": [cell]}, theme, None)
        out.append(Measure(title=title, description=description or None, theme=theme, provenance=_provenance(row, document),
                           confidence=0.8 if description else 0.5, flagged=not description))
    return out


# --- Project sheets ---------------------------------------------------------------------------------

ACTIVITY_LABEL = ("activit", "action", "tache", "etape")


def _read_fiche(table: Table, labels: dict[int, str], reader: CellReader, document: Document,
                context: tuple[Optional[str], Optional[str]]) -> Optional[Measure]:
    """One measure from a project sheet: each labelled row fills the field its label names; the
    first title row is the title, a later one (an objective) the description when none is given;
    a row of activities is the actions; every indicator row adds its indicators."""
    values: dict[int, CellText] = {}
    raw: dict[str, list[Cell]] = {}
    for cell in table.cells:
        if cell.col == 1 and cell.text.strip():
            values[cell.row] = reader.read(cell)
            raw.setdefault("value", []).append(cell)
    title = description = deadline = resources = None
    lead: list[str] = []
    partners: list[str] = []
    indicators: list[Indicator] = []
    actions: list[Action] = []
    # rows labelled as indicators, when there are some, rather than "Résultats attendus"
    indicator_rows = {row for row, role in labels.items() if role == "indicators"
                      and any(t.startswith("indicat") for c in table.cells if c.col == 0 and c.row == row for t in header_tokens(c.text))}
    for row, role in sorted(labels.items()):
        if role == "indicators" and indicator_rows and row not in indicator_rows:
            continue
        value = values.get(row)
        if value is None or value.empty:
            continue
        label = next(c.text for c in table.cells if c.col == 0 and c.row == row)
        activities = any(t.startswith(ACTIVITY_LABEL) for t in header_tokens(label))
        if role == "title" and title is None:
            title = _text(value)
        elif activities and role in ("title", "description", "actions"):
            for p in value.paragraphs():
                action_id, text = split_id(strip_bullet(paragraph_text(p)))
                if text:
                    actions.append(Action(action_id=action_id, text=text))
        elif role in ("title", "description") and description is None:
            description = _text(value)
        elif role in ("lead", "lead_partners") and not lead:
            lead, more = lead_and_partners(value.word_lines(), value.soft()) if role == "lead_partners" else (
                [t for t, _ in organisations(value.word_lines(), value.soft())], [])
            partners += more
        elif role == "partners":
            partners += [t for t, _ in organisations(value.word_lines(), value.soft())]
        elif role == "indicators":
            indicators += indicators_of(value.paragraphs(), False)
        elif role == "resources" and resources is None:
            resources = _text(value)
        elif role == "deadline" and deadline is None:
            deadline = _text(value)
    if not title:
        return None
    measure_id, title = split_id(title)
    theme, group = context
    row = RowRecord({}, raw, theme, group)
    confidence = 0.9
    return Measure(measure_id=measure_id, parent_id=parent_of(measure_id), theme=theme, group=group, title=title,
                   description=description, lead=lead, collaborators=partners, indicators=indicators, deadline=deadline,
                   resources=resources, actions=actions, provenance=_provenance(row, document), confidence=confidence)


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
    indicators: list[Indicator] = []
    if "indicators" in present:
        targets = any("cible" in " ".join(c.evidence) for c in table.columns if c.role == "indicators")
        indicators = indicators_of(cells["indicators"].paragraphs(), targets)
    if row.dated_targets:
        indicators = list(row.dated_targets)
    elif "targets" in present:
        target = _text(cells["targets"])
        if indicators and len(indicators) == 1:
            indicators[0] = indicators[0].model_copy(update={"target": target})
        elif not indicators:
            indicators = [Indicator(text=target, target=target)]
    percent, status, parts = None, None, []
    for role in ("progress", "status"):
        if role in present and percent is None and status is None:
            lines = cells[role].word_lines()
            icon = _icon(lines)
            if icon is not None:  # a symbol, read through the legend printed on the page
                status = reader.legend(cells[role].lines[0].page).get(icon, icon)
            else:
                percent, status, parts = progress_of(lines)
    actions = list(row.actions)
    if "actions" in present:
        for p in cells["actions"].paragraphs():
            text = strip_bullet(paragraph_text(p))
            action_id, text = split_id(text)
            if text:
                actions.append(Action(action_id=action_id, text=text))
    values = {
        "id": measure_id, "title": title or None, "lead": lead, "partners": partners, "lead_partners": lead or partners,
        "indicators": indicators, "deadline": _text(cells.get("deadline")), "timeline": _text(cells.get("deadline")),
        "resources": _text(cells.get("resources")), "progress": percent if percent is not None else status,
        "status": status, "description": description, "actions": actions,
    }
    confidence = _confidence(row, table, values)
    return Measure(
        measure_id=measure_id, parent_id=parent_of(measure_id), theme=row.theme, group=row.group, title=title or "",
        description=description, lead=lead, collaborators=partners, indicators=indicators,
        deadline=values["deadline"], resources=values["resources"], progress_percent=percent, progress=parts,
        status_text=status, actions=actions, provenance=_provenance(row, document),
        confidence=confidence, flagged=confidence < FLAG_BELOW,
    )


def _icon(lines) -> Optional[str]:
    """The symbol a cell holds alone ("●", "✔"), if it holds nothing else."""
    words = [t for line in lines for t, _ in line]
    return words[0] if len(words) == 1 and is_symbol(words[0]) else None


def _text(cell: Optional[CellText]) -> Optional[str]:
    if cell is None or cell.empty:
        return None
    return clean(" ".join(paragraph_text(p) for p in cell.paragraphs())) or None


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


def _provenance(row: RowRecord, document: Document) -> Provenance:
    cells = [c for got in row.raw.values() for c in got if c.bbox is not None]
    if not cells:
        return Provenance(file=document.source.path)
    page = min(c.page for c in cells)
    return Provenance(file=document.source.path, page=page, bbox=union_bbox([c.bbox for c in cells if c.page == page]))


# --- Ids -------------------------------------------------------------------------------------------


def repair_ids(rows: list[RowRecord]) -> None:
    """Ids OCR damaged or read without their dot ("12" for "1.2", "2%" for "2.1"), set from the
    sequence: the id after the previous row's, or the first of the next series when a new theme
    came between. Ids read well are kept as they are."""
    good = [r.raw_id for r in rows if r.raw_id and ID.match(r.raw_id)]
    dotted = sum(1 for i in good if "." in i) > len(good) / 2
    prev: Optional[RowRecord] = None
    for row in rows:
        raw = row.raw_id
        row.measure_id = raw or None
        if raw is None:
            continue
        fine = bool(raw) and ID.match(raw) is not None and ("." in raw) == dotted
        if not fine:
            expected = None
            if prev is not None and prev.measure_id and re.fullmatch(r"\d+(?:\.\d+)*", prev.measure_id):
                parts = prev.measure_id.split(".")
                if dotted and len(parts) >= 2:
                    if row.theme != prev.theme:
                        expected = f"{int(parts[0]) + 1}.1"
                    else:
                        expected = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])
                elif not dotted:
                    expected = str(int(parts[0]) + 1)
            digits = re.sub(r"\D", "", raw)
            if expected is None and dotted and len(digits) >= 2:
                expected = f"{digits[0]}.{digits[1:]}"
            if expected is not None and (not digits or digits[0] == expected[0]):
                row.measure_id = expected
            elif expected is None and not ID.match(raw):
                row.measure_id = digits or None
        prev = row
