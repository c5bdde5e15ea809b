"""Records stage: a Document -> Records (measures, recommendations, announcements, stat tables).

Two readers, chosen by what the layout offers rather than by knowing the document:
* `records_tables.tables_to_measures`: measure tables found from word boxes (born-digital pages
  and OCR'd scans), with columns identified from their header words;
* `records_text.lines_to_records`: documents whose layout is flattened (OCR dumps, web text) or
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
        from extractors.tables.detect import document_tables

        boxed = [page for page in document.pages if page.words and page.words[0].bbox is not None]
        tables = document_tables(boxed, {page.number: page.rulings for page in boxed}) if boxed else []
    from_tables = tables_to_measures(document, tables)
    from_text = lines_to_records(document)
    measures = from_text.measures
    if sum(m.confidence for m in from_tables) >= sum(m.confidence for m in from_text.measures):
        measures = from_tables
    return from_text.model_copy(update={"measures": measures})
