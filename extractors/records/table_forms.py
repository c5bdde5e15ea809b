"""Measure tables that are not one measure per row (for `extractors.records.from_tables`): cards
(one measure per shaded box) and project sheets (one measure for a table of labels and values)."""
from __future__ import annotations

from typing import Optional

from extractors.records.measure_fields import (
    indicators_of,
    join_lines,
    lead_and_partners,
    organisations,
    paragraph_text,
    parent_of,
    split_id,
    weight,
)
from extractors.records.settings import SETTINGS
from extractors.records.table_cells import CellReader, CellText
from extractors.records.table_rows import RowRecord, cell_text, provenance_of, theme_text
from extractors.tables.roles import header_tokens
from extractors.tables.values import strip_bullet
from schemas import Document
from schemas.records import Action, Indicator, Measure
from schemas.table import Cell, Table


def read_cards(table: Table, reader: CellReader, document: Document, context: tuple[Optional[str], Optional[str]]) -> list[Measure]:
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
        while cut < len(text.lines) and (heights[cut] > SETTINGS.heading_size * body or weight(text.lines[cut].words) is True and cut < len(text.lines) - 1
                                         and weight(text.lines[-1].words) is False):
            cut += 1
        title = join_lines([" ".join(t for t, _ in line.words) for line in text.lines[:cut]]) if cut else ""
        rest = join_lines([" ".join(t for t, _ in line.words) for line in text.lines[cut:]])
        read.append((cell, title or rest, rest if title else ""))
    headings_only = [r for r in read if not r[2]]
    theme = context[0]
    if len(headings_only) == 1 and len(read) > 2:
        theme = theme_text(headings_only[0][1])
        read = [r for r in read if r is not headings_only[0]]
    out = []
    for cell, title, description in read:
        row = RowRecord({}, {"card": [cell]}, theme, None)
        out.append(Measure(title=title, description=description or None, theme=theme, provenance=provenance_of(row, document),
                           confidence=0.8 if description else 0.5, flagged=not description))
    return out


# --- Project sheets ---------------------------------------------------------------------------------

ACTIVITY_LABEL = ("activit", "action", "tache", "etape")


def read_fiche(table: Table, labels: dict[int, str], reader: CellReader, document: Document,
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
            title = cell_text(value)
        elif activities and role in ("title", "description", "actions"):
            for p in value.paragraphs():
                action_id, text = split_id(strip_bullet(paragraph_text(p)))
                if text:
                    actions.append(Action(action_id=action_id, text=text))
        elif role in ("title", "description") and description is None:
            description = cell_text(value)
        elif role in ("lead", "lead_partners") and not lead:
            lead, more = lead_and_partners(value.word_lines(), value.soft()) if role == "lead_partners" else (
                [t for t, _ in organisations(value.word_lines(), value.soft())], [])
            partners += more
        elif role == "partners":
            partners += [t for t, _ in organisations(value.word_lines(), value.soft())]
        elif role == "indicators":
            indicators += indicators_of(value.paragraphs(), False)
        elif role == "resources" and resources is None:
            resources = cell_text(value)
        elif role == "deadline" and deadline is None:
            deadline = cell_text(value)
    if not title:
        return None
    measure_id, title = split_id(title)
    theme, group = context
    row = RowRecord({}, raw, theme, group)
    confidence = 0.9
    return Measure(measure_id=measure_id, parent_id=parent_of(measure_id), theme=theme, group=group, title=title,
                   description=description, lead=lead, collaborators=partners, indicators=indicators, deadline=deadline,
                   resources=resources, actions=actions, provenance=provenance_of(row, document), confidence=confidence)


