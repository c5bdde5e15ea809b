"""Survey tables of figures (label + value + unit rows) from table-like rows: tab-separated lines of
a text dump, rows of word boxes with wide gaps, HTML table rows.

A table is a run of at least two value rows (one label cell and figures such as "55%", "-39%",
"12,5"), with its header rows. A header row whose label cell names a section ("Depuis la
pandémie   %") makes that section the column of the figures under it; a header cell naming its
column ("ÉCARTS") is the column of the figures below it; a header cell that is only a unit ("%")
gives the unit. The title is the caption just above the table, or else the header's label cell.
Tables of contents (numbered labels, page numbers) are not tables.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Provenance, StatRow, StatTable

from extractors.layout import union_bbox
from extractors.records.fields import clean_text, parse_number
from extractors.records.units import Unit

VALUE = re.compile(r"^[+\-−–]?\s?\d+(?:[.,]\d+)?\s?(%|\$)?$")
YEAR = re.compile(r"^(?:19|20)\d\d$")
UNIT_WORDS = {"%", "$", "n", "nb", "nombre", "pourcentage", "proportion", "taux"}
NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s")


def _cells(unit: Unit) -> list[tuple[str, tuple[float, float]]]:
    """Cells with their position: (x0, x1) in points when the row has boxes, else (index, index)."""
    cells = unit.cells or []
    if unit.cell_x:
        return list(zip(cells, unit.cell_x))
    return [(c, (float(k), float(k))) for k, c in enumerate(cells)]


def _value_row(unit: Unit) -> Optional[tuple[str, list[tuple[str, float]]]]:
    if unit.kind != "row":
        return None
    cells = [(c.strip(), x) for c, x in _cells(unit) if c.strip()]
    values = [(c, x) for c, x in cells if VALUE.match(c)]
    labels = [c for c, _ in cells if not VALUE.match(c)]
    if not values or len(labels) != 1 or len(labels[0]) > 140 or all(YEAR.match(c) for c, _ in values):
        return None  # (a row of years is the header of yearly columns)
    label = labels[0]
    if NUMBERED.match(label) or re.search(r"\.{3,}$", label):
        return None  # a table of contents line
    if not re.search(r"[^\W\d_]{3}", label):
        return None  # chart axis marks and stray symbols are no label
    return label, values


def _header_row(unit: Unit) -> bool:
    if unit.kind != "row":
        return False
    cells = [c.strip() for c in unit.cells or [] if c.strip()]
    return len(cells) >= 2 and not any(VALUE.match(c) and not YEAR.match(c) for c in cells) \
        and all(len(c) <= 90 and (re.search(r"[^\W\d_]", c) or c in ("%", "$") or YEAR.match(c)) for c in cells) \
        and re.search(r"[^\W\d_]{3}", cells[0]) and not NUMBERED.match(cells[0])


def _slots(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Value columns of a boxed table: the x-ranges where the figures of the rows overlap."""
    slots: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if slots and x0 <= slots[-1][1] + 4:
            slots[-1][1] = max(slots[-1][1], x1)
        else:
            slots.append([x0, x1])
    return [(a, b) for a, b in slots]


def _slot_of(span: tuple[float, float], slots: list[tuple[float, float]]) -> int:
    centre = (span[0] + span[1]) / 2
    return min(range(len(slots)), key=lambda k: abs((slots[k][0] + slots[k][1]) / 2 - centre))


def _header_slots(cells: list[tuple[str, tuple[float, float]]], slots: list[tuple[float, float]],
                  boxed: bool) -> dict[int, str]:
    """Which value column each header cell names."""
    if not boxed:
        return {int(span[0]): text for text, span in cells}
    if len(cells) == len(slots):
        return {k: text for k, (text, _) in enumerate(sorted(cells, key=lambda c: c[1][0]))}
    named: dict[int, str] = {}
    for text, span in cells:
        named.setdefault(_slot_of(span, slots), text)
    return named


def _figures(body: list[Unit]) -> bool:
    """A table of figures: headed columns, or figures that carry their unit."""
    values = [c for u in body if (found := _value_row(u)) for c, _ in found[1]]
    return any(_header_row(u) for u in body) or sum(1 for v in values if "%" in v or "$" in v) * 2 >= len(values)


def units_to_tables(units: list[Unit], file: str) -> tuple[list[StatTable], set[int]]:
    tables: list[StatTable] = []
    claimed: set[int] = set()
    i = 0
    while i < len(units):
        if not (_header_row(units[i]) or _value_row(units[i])):
            i += 1
            continue
        j, value_rows = i, 0
        while j < len(units):
            unit = units[j]
            if _value_row(unit):
                value_rows += 1
            elif _header_row(unit):
                pass
            elif (j > i and unit.kind in ("para", "heading") and len(unit.text.split()) <= 8 and not unit.gap_before
                  and j + 1 < len(units) and (_value_row(units[j + 1]) or _header_row(units[j + 1]))):
                pass  # the rest of a header cell printed on two lines, or a row whose figure is unreadable
            else:
                break
            j += 1
        if value_rows >= 2 and _figures(units[i:j]):
            tables.append(_table(units, i, j, file))
            claimed.update(range(i, j))
        i = max(j, i + 1)
    return tables, claimed


def _table(units: list[Unit], start: int, stop: int, file: str) -> StatTable:
    body = units[start:stop]
    boxed = any(u.cell_x for u in body)
    value_spans = [span for u in body if (found := _value_row(u)) for _, span in found[1]]
    slots = _slots(value_spans) if boxed else []
    headers: list[tuple[str, dict[int, str]]] = []  # (label cell, value column -> header text)
    sections = sum(1 for u in body if _header_row(u))
    rows: list[StatRow] = []
    missing = 0
    for unit in body:
        if _header_row(unit):
            cells = [(c.strip(), span) for c, span in _cells(unit) if c.strip()]
            headers.append((cells[0][0], _header_slots(cells[1:], slots, boxed)))
            continue
        if not (found := _value_row(unit)):
            if headers and unit.text[:1].islower():  # the rest of the header's label cell
                label, cols = headers[-1]
                headers[-1] = (label + " " + unit.text.strip(), cols)
            elif unit.kind != "row":  # a row whose figure could not be read: kept, without value
                missing += 1
                column = headers[-1][0] if headers and sections >= 2 else None
                rows.append(StatRow(label=clean_text(unit.text), column=column))
            continue
        label, values = found
        for text, span in values:
            slot = _slot_of(span, slots) if boxed else int(span[0])
            name = next((cols[slot] for _, cols in reversed(headers) if slot in cols), None)
            unit_mark = "%" if "%" in text or (name or "").strip() == "%" else ("$" if "$" in text else None)
            column = name if name and name.lower() not in UNIT_WORDS else None
            if column is None and sections >= 2 and headers:
                column = headers[-1][0]
            number = parse_number(re.sub(r"[%$\s]", "", text))
            rows.append(StatRow(label=clean_text(label), column=clean_text(column) if column else None, value=number,
                                unit=unit_mark))
    title = None
    before = units[start - 1] if start > 0 else None
    if before is not None and before.kind in ("para", "heading") and len(before.text) <= 200 \
            and not re.search(r"[.:;]\s*$", before.text) and not before.repeated:
        title = clean_text(before.text)
    elif headers and sections == 1:
        title = clean_text(headers[0][0])
    first = units[start]
    confidence = (0.85 if title and headers else 0.55) - (0.2 if missing else 0.0)
    return StatTable(title=title, rows=rows, confidence=confidence, flagged=confidence < 0.6,
                     provenance=Provenance(file=file, page=first.page, bbox=table_box(body),
                                           line=first.line if first.bbox is None else None))


def table_box(body: list[Unit]) -> Optional[tuple[float, float, float, float]]:
    """The box of a table's rows on its first page (its header row alone hid the rest)."""
    if body[0].bbox is None:
        return None
    return union_bbox([u.bbox for u in body if u.bbox is not None and u.page == body[0].page])
