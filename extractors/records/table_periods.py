"""Time in a measure table's columns (for `extractors.records.from_tables`): a chronogram's shaded
year cells as a deadline, and an indicator's targets per period column ("CIBLE 2023-2024")."""
from __future__ import annotations

import re
from typing import Optional

from extractors.french.vocabulary import CHECK_MARKS
from extractors.records.measure_fields import join_lines, split_id
from extractors.records.table_cells import CellReader, CellText, TextLine
from extractors.tables.roles import YEAR_HEADER
from extractors.tables.values import clean, fold
from schemas.records import Indicator
from schemas.table import Cell, Table


def timeline_deadline(table: Table, r: int, own: dict[int, Cell], roles: dict[int, str]) -> Optional[CellText]:
    """A chronogram row's deadline: the years of its shaded (or marked) timeline cells, first to
    last ("2021", "2021-2023")."""
    cols = [c for c, role in roles.items() if role == "timeline"]
    if not cols:
        return None
    labels = {c.col: clean(c.text) for c in table.cells if c.row < table.header_rows and c.col in cols}
    marked = [c for c in sorted(cols) if c in own and own[c].row == r and (own[c].fill or fold(own[c].text.strip()) in CHECK_MARKS)]
    years = [labels[c] for c in marked if c in labels and YEAR_HEADER.match(fold(labels[c]))]
    if not years:
        return None
    text = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return CellText([synthetic_line(text, own[marked[0]])])


PERIOD = re.compile(r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?")
# The baseline printed under an indicator ("Mesure de départ : 71,3 %"): neither the statement nor a target.
BASELINE = re.compile(r"^(?:mesure|valeur|point|situation|donnee|niveau|annee)s?\s+de\s+(?:depart|reference|base)\b")
NOTHING = {"–", "-", "—", "n/a", "s.o.", "so", "nd", "n.d."}


def dated_targets(table: Table, r: int, own: dict[int, Cell], roles: dict[int, str], reader: CellReader) -> list[Indicator]:
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
    statement = indicator_statement(reader.read(own[statement_col]))
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


def indicator_statement(cell: CellText) -> str:
    """An indicator's statement: its number, baseline line and footnote call left out."""
    lines = [line for line in cell.lines if not BASELINE.match(fold(" ".join(t for t, _ in line.words)))]
    text = join_lines([" ".join(t for t, _ in line.words) for line in lines])
    _, text = split_id(text)
    text = re.sub(r"^\d{1,3}\.\s*", "", text)
    return re.sub(r"\s*\*+$", "", clean(text))


def synthetic_line(text: str, cell: Cell) -> TextLine:
    box = cell.bbox or (0.0, 0.0, 0.0, 0.0)
    return TextLine(box[1], box[3], box[0], box[2], cell.page, [(text, None)])


