"""Records stage: a Document -> Records (measures, recommendations, announcements, stat tables).

Two readers, chosen by what the layout offers rather than by knowing the document:
* `from_tables.tables_to_measures`: the measure tables among the document's tables
  (`Document.tables`, from the tables stage), rows read by the roles of their columns;
* `from_text.lines_to_records`: documents whose layout is flattened (OCR dumps, web text) or
  that are prose: numbering, headings, keywords and order rebuild the records.
When both find measures, the reading with the higher total confidence wins; recommendations,
announcements and stat tables come from the text reader.
"""
from __future__ import annotations

from typing import Optional, Sequence

from schemas import Document, Records
from schemas.table import Table


def document_to_records(document: Document, tables: Optional[Sequence[Table]] = None) -> Records:
    from extractors.records.from_tables import tables_to_measures
    from extractors.records.from_text import lines_to_records

    if tables is None:
        tables = document.tables
    from_tables = tables_to_measures(document, tables)
    from_text = lines_to_records(document)
    measures = from_text.measures
    if sum(m.confidence for m in from_tables) >= sum(m.confidence for m in from_text.measures):
        measures = from_tables
    return from_text.model_copy(update={"measures": measures})
