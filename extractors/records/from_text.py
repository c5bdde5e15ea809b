"""Records read from a Document's text in reading order: measures of numbered plans,
recommendations, press-release announcements, survey tables of percentages and the statistics
sentences report.

Works on any input kind through `records_units` (text dumps, web text and HTML, born-digital
and OCR'd PDF pages): numbering, headings, keywords and order rebuild the records. Every record
carries a confidence; records under 0.6 are flagged, never dropped.
"""
from __future__ import annotations

from schemas import Document, Records

from extractors.records.announcements import units_to_announcements
from extractors.records.annex import units_to_annex_measures
from extractors.records.figures import units_to_statistics
from extractors.records.outline import units_to_outline_measures
from extractors.records.plans import units_to_measures
from extractors.records.recommendations import units_to_recommendations
from extractors.records.stats import units_to_tables
from extractors.records.units import document_units, mark_footnotes


def units_in_measure_tables(units: list, document: Document) -> set[int]:
    """Indices of the units whose box lies inside a measure table of `Document.tables`."""
    boxes = []
    for table in document.tables:
        if table.measures:  # a table over pages: each page's part
            boxes += [(s.page, s.bbox) for s in table.provenance.segments] or [(table.page, table.bbox)]
    inside = set()
    for i, unit in enumerate(units):
        if unit.bbox is None:
            continue
        cx, cy = (unit.bbox[0] + unit.bbox[2]) / 2, (unit.bbox[1] + unit.bbox[3]) / 2
        pages = [b for page, b in boxes if page == unit.page]
        if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in pages):
            inside.add(i)
    return inside


def lines_to_records(document: Document) -> Records:
    units = document_units(document)
    mark_footnotes(units)
    file = document.source.path
    recommendations, claimed = units_to_recommendations(units, file)
    tables, table_units = units_to_tables(units, file)
    skip = claimed | table_units
    measures = (units_to_measures(units, file, skip) or units_to_annex_measures(units, file, skip)
                or units_to_outline_measures(units, file, skip))
    announcements = units_to_announcements(units, file)
    # A figure printed in a measure table is part of that measure (its progress, its commentary):
    # statistics are what the prose reports.
    statistics = units_to_statistics(units, file, table_units | units_in_measure_tables(units, document))
    return Records(measures=measures, recommendations=recommendations, announcements=announcements, tables=tables,
                   statistics=statistics)
