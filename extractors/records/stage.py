"""Records stage: a Document -> Records (measures, recommendations, announcements, stat tables).

Two readers, chosen by what the layout offers rather than by knowing the document:
* `from_tables.tables_to_measures`: the measure tables among the document's tables
  (`Document.tables`, from the tables stage), rows read by the roles of their columns;
* `from_text.lines_to_records`: documents whose layout is flattened (OCR dumps, web text) or
  that are prose: numbering, headings, keywords and order rebuild the records.
When both find measures, the reading with the higher total confidence wins, except when both find
the same measures (a plan that states its measures in prose sections and again in a closing
synoptic table): then the text's records are kept, for their descriptions and their place under the
plan's own headings, each completed with the fields only the table gives. Recommendations,
announcements, stat tables and statistics come from the text reader.
"""
from __future__ import annotations

from typing import Optional, Sequence

from schemas import Document, Records
from schemas.records import Measure
from schemas.table import Table


def document_to_records(document: Document, tables: Optional[Sequence[Table]] = None) -> Records:
    from extractors.records.from_tables import tables_to_measures
    from extractors.records.from_text import lines_to_records

    if tables is None:
        tables = document.tables
    from_tables = tables_to_measures(document, tables)
    from_text = lines_to_records(document)
    measures = from_text.measures
    if same_measures(from_text.measures, from_tables):
        measures = completed(from_text.measures, from_tables)
    elif sum(m.confidence for m in from_tables) >= sum(m.confidence for m in from_text.measures):
        measures = from_tables
    return from_text.model_copy(update={"measures": measures})


# Share of the ids of each reading that the other one has for both to be the same measures.
SAME_MEASURES = 0.8


def same_measures(text: Sequence[Measure], table: Sequence[Measure]) -> bool:
    """Both readers found the same numbered measures (ids, in the same number)."""
    a = [m.measure_id for m in text if m.measure_id]
    b = [m.measure_id for m in table if m.measure_id]
    if not a or not b or len(a) < SAME_MEASURES * len(text) or len(b) < SAME_MEASURES * len(table):
        return False
    shared = set(a) & set(b)
    return len(shared) >= SAME_MEASURES * max(len(set(a)), len(set(b)))


def completed(text: Sequence[Measure], table: Sequence[Measure]) -> list[Measure]:
    """The text's measures, each given the fields it left empty from the table's measure of its id."""
    by_id = {m.measure_id: m for m in table if m.measure_id}
    out = []
    for measure in text:
        other = by_id.get(measure.measure_id)
        if other is None:
            out.append(measure)
            continue
        empty = {name: getattr(other, name) for name in COMPLETED_FIELDS
                 if getattr(measure, name) in (None, [], "") and getattr(other, name) not in (None, [], "")}
        out.append(measure.model_copy(update=empty) if empty else measure)
    return out


# What a table row may add to a measure the text read: its parties, figures and dates, never its
# title, description or place in the plan (the text's own headings).
COMPLETED_FIELDS = ("lead", "collaborators", "indicators", "deadline", "resources", "progress_percent", "progress",
                    "status_text", "status", "status_inferred", "actions")
