"""The tables of the dataset, one entry each: a name, typed columns, and a function from one
document to its rows.

To add a table, write its rows function and decorate it with `@dataset_table(name, columns)`: it is
then written to DuckDB, Parquet and CSV and checked after writing (extractors.batch.dataset).

Record ids are stable: the first 16 hex digits of the file's sha256, the record kind and its place
in the document (`26e5804148e3a3ac-measure-4`, its indicators `...-measure-4-indicator-0`). The same
file gives the same ids in every run and under any name; two copies of one file (same bytes, two
paths) share them, so a row is identified by (doc_id, record_id). No column is an SQL keyword
(tests/test_batch.py checks DuckDB's list).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable

import pyarrow as pa

from schemas import Document

STR, INT, FLT, BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()
LIST_STR = pa.list_(pa.string())


@dataclass(frozen=True)
class DocumentRows:
    """One document as the rows functions see it."""

    doc_id: str
    document: Document

    def record_id(self, kind: str, position: int) -> str:
        return f"{self.document.source.sha256[:16]}-{kind}-{position}"


@dataclass(frozen=True)
class DatasetTable:
    name: str
    columns: dict[str, pa.DataType]
    rows: Callable[[DocumentRows], Iterable[dict]]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(list(self.columns.items()))


TABLES: list[DatasetTable] = []


def dataset_table(name: str, columns: dict[str, pa.DataType]):
    def register(rows: Callable[[DocumentRows], Iterable[dict]]):
        TABLES.append(DatasetTable(name, columns, rows))
        return rows

    return register


# Where a record was read: page and box (PDF points, origin top-left), or the line for inputs without boxes.
PLACE = {"page": INT, "x0": FLT, "top": FLT, "x1": FLT, "bottom": FLT, "line": INT}


def place(provenance) -> dict:
    box = provenance.bbox or (None, None, None, None)
    return {"page": provenance.page, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
            "line": provenance.line}


@dataset_table("documents", {
    "doc_id": STR, "path": STR, "sha256": STR, "kind": STR, "page_count": INT, "pages_read": INT, "status": STR,
    "n_errors": INT, "n_repairs": INT, "n_measures": INT, "n_recommendations": INT, "n_announcements": INT,
    "n_stat_tables": INT, "n_statistics": INT})
def document_rows(entry: DocumentRows):
    d = entry.document
    yield {"doc_id": entry.doc_id, "path": d.source.path, "sha256": d.source.sha256, "kind": d.source.kind,
           "page_count": d.source.page_count, "pages_read": len(d.pages), "status": d.status,
           "n_errors": sum(e.level == "error" for e in d.errors), "n_repairs": len(d.repairs),
           "n_measures": len(d.records.measures), "n_recommendations": len(d.records.recommendations),
           "n_announcements": len(d.records.announcements), "n_stat_tables": len(d.records.tables),
           "n_statistics": len(d.records.statistics)}


@dataset_table("pages", {
    "doc_id": STR, "page": INT, "origin": STR, "width": FLT, "height": FLT, "rotation": INT, "n_words": INT,
    "n_lines": INT, "mean_confidence": FLT, "triage_decision": STR, "triage_reason": STR})
def page_rows(entry: DocumentRows):
    for page in entry.document.pages:
        confidences = [w.confidence for w in page.words if w.confidence is not None]
        yield {"doc_id": entry.doc_id, "page": page.number, "origin": page.origin, "width": page.width,
               "height": page.height, "rotation": page.rotation, "n_words": len(page.words), "n_lines": len(page.lines),
               "mean_confidence": sum(confidences) / len(confidences) if confidences else None,
               "triage_decision": page.triage.decision if page.triage else None,
               "triage_reason": page.triage.reason if page.triage else None}


@dataset_table("page_texts", {"doc_id": STR, "page": INT, "text": STR})
def page_text_rows(entry: DocumentRows):
    for page in entry.document.pages:
        yield {"doc_id": entry.doc_id, "page": page.number, "text": page.text}


@dataset_table("measures", {
    "record_id": STR, "doc_id": STR, "position": INT, "measure_id": STR, "parent_id": STR, "theme": STR,
    "group_name": STR, "title": STR, "description": STR, "lead": LIST_STR, "collaborators": LIST_STR,
    "deadline": STR, "resources": STR, "progress_percent": FLT, "status_text": STR, "status": STR,
    "status_inferred": BOOL, "confidence": FLT, "flagged": BOOL, **PLACE})
def measure_rows(entry: DocumentRows):
    for position, m in enumerate(entry.document.records.measures):
        yield {"record_id": entry.record_id("measure", position), "doc_id": entry.doc_id, "position": position,
               "measure_id": m.measure_id, "parent_id": m.parent_id, "theme": m.theme, "group_name": m.group,
               "title": m.title, "description": m.description, "lead": m.lead, "collaborators": m.collaborators,
               "deadline": m.deadline, "resources": m.resources, "progress_percent": m.progress_percent,
               "status_text": m.status_text, "status": m.status, "status_inferred": m.status_inferred,
               "confidence": m.confidence, "flagged": m.flagged, **place(m.provenance)}


def measure_children(entry: DocumentRows, kind: str, field: str):
    """(row start, item) of each indicator, action or progress part, under its measure."""
    for key, m in enumerate(entry.document.records.measures):
        parent = entry.record_id("measure", key)
        for position, item in enumerate(getattr(m, field)):
            yield {"record_id": f"{parent}-{kind}-{position}", "measure_record_id": parent, "doc_id": entry.doc_id,
                   "measure_id": m.measure_id, "position": position}, item


CHILD = {"record_id": STR, "measure_record_id": STR, "doc_id": STR, "measure_id": STR, "position": INT}


@dataset_table("indicators", {**CHILD, "text": STR, "target": STR, "deadline": STR})
def indicator_rows(entry: DocumentRows):
    for row, indicator in measure_children(entry, "indicator", "indicators"):
        yield {**row, "text": indicator.text, "target": indicator.target, "deadline": indicator.deadline}


@dataset_table("actions", {**CHILD, "action_id": STR, "text": STR, "lead": LIST_STR})
def action_rows(entry: DocumentRows):
    for row, action in measure_children(entry, "action", "actions"):
        yield {**row, "action_id": action.action_id, "text": action.text, "lead": action.lead}


@dataset_table("progress_parts", {**CHILD, "percent": FLT, "label": STR, "status": STR})
def progress_rows(entry: DocumentRows):
    for row, part in measure_children(entry, "progress", "progress"):
        yield {**row, "percent": part.percent, "label": part.label, "status": part.status}


@dataset_table("recommendations", {
    "record_id": STR, "doc_id": STR, "position": INT, "recommendation_id": STR, "title": STR, "items": LIST_STR,
    "confidence": FLT, "flagged": BOOL, **PLACE})
def recommendation_rows(entry: DocumentRows):
    for position, r in enumerate(entry.document.records.recommendations):
        yield {"record_id": entry.record_id("recommendation", position), "doc_id": entry.doc_id,
               "position": position, "recommendation_id": r.id, "title": r.title, "items": r.items,
               "confidence": r.confidence, "flagged": r.flagged, **place(r.provenance)}


@dataset_table("announcements", {
    "record_id": STR, "doc_id": STR, "position": INT, "date": STR, "place": STR, "title": STR,
    "ministers": LIST_STR, "amount_text": STR, "amount_dollars": FLT, "confidence": FLT, "flagged": BOOL, **PLACE})
def announcement_rows(entry: DocumentRows):
    for position, a in enumerate(entry.document.records.announcements):
        yield {"record_id": entry.record_id("announcement", position), "doc_id": entry.doc_id, "position": position,
               "date": a.date, "place": a.place, "title": a.title, "ministers": a.ministers,
               "amount_text": a.amount_text, "amount_dollars": a.amount_dollars, "confidence": a.confidence,
               "flagged": a.flagged, **place(a.provenance)}


@dataset_table("announcement_counts", {
    "record_id": STR, "announcement_record_id": STR, "doc_id": STR, "position": INT, "value": FLT, "text": STR})
def announcement_count_rows(entry: DocumentRows):
    for key, a in enumerate(entry.document.records.announcements):
        parent = entry.record_id("announcement", key)
        for position, count in enumerate(a.counts):
            yield {"record_id": f"{parent}-count-{position}", "announcement_record_id": parent, "doc_id": entry.doc_id,
                   "position": position, "value": count.value, "text": count.text}


@dataset_table("stat_tables", {
    "record_id": STR, "doc_id": STR, "position": INT, "title": STR, "n_rows": INT, "confidence": FLT,
    "flagged": BOOL, **PLACE})
def stat_table_rows(entry: DocumentRows):
    for position, t in enumerate(entry.document.records.tables):
        yield {"record_id": entry.record_id("stat_table", position), "doc_id": entry.doc_id, "position": position,
               "title": t.title, "n_rows": len(t.rows), "confidence": t.confidence, "flagged": t.flagged,
               **place(t.provenance)}


@dataset_table("stat_rows", {
    "record_id": STR, "stat_table_record_id": STR, "doc_id": STR, "position": INT, "label": STR,
    "column_label": STR, "value": FLT, "unit": STR})
def stat_row_rows(entry: DocumentRows):
    for key, t in enumerate(entry.document.records.tables):
        parent = entry.record_id("stat_table", key)
        for position, row in enumerate(t.rows):
            yield {"record_id": f"{parent}-row-{position}", "stat_table_record_id": parent, "doc_id": entry.doc_id,
                   "position": position, "label": row.label, "column_label": row.column, "value": row.value,
                   "unit": row.unit}


@dataset_table("statistics", {
    "record_id": STR, "doc_id": STR, "position": INT, "value": FLT, "unit": STR, "subject": STR, "statement": STR,
    "confidence": FLT, "flagged": BOOL, **PLACE})
def statistic_rows(entry: DocumentRows):
    """The figures the document's prose reports as results, one row each."""
    for position, s in enumerate(entry.document.records.statistics):
        yield {"record_id": entry.record_id("statistic", position), "doc_id": entry.doc_id, "position": position,
               "value": s.value, "unit": s.unit, "subject": s.subject, "statement": s.statement,
               "confidence": s.confidence, "flagged": s.flagged, **place(s.provenance)}


def table_places(document: Document) -> list[int]:
    """For each table of `Document.tables`, its number among the tables starting on its page (from 1)."""
    on_page: dict[int, int] = {}
    out = []
    for table in document.tables:
        on_page[table.page] = on_page.get(table.page, 0) + 1
        out.append(on_page[table.page])
    return out


# Every table found (`Document.tables`), measure table or not (a list of grants, a budget): a row
# per table, and its grid cell for cell in `table_cells`; `csv_path` is the table's own CSV file
# under OUT (extractors.batch.dataset.write_table_csvs).
@dataset_table("tables", {
    "record_id": STR, "doc_id": STR, "table_key": INT, "page": INT, "n": INT, "pages": pa.list_(INT),
    "n_rows": INT, "n_cols": INT, "header_rows": INT, "method": STR, "headings": LIST_STR, "roles": LIST_STR,
    "measures": BOOL, "csv_path": STR, "x0": FLT, "top": FLT, "x1": FLT, "bottom": FLT})
def table_rows(entry: DocumentRows):
    for key, (table, n) in enumerate(zip(entry.document.tables, table_places(entry.document))):
        yield {"record_id": entry.record_id("table", key), "doc_id": entry.doc_id, "table_key": key,
               "page": table.page, "n": n, "pages": [s.page for s in table.provenance.segments] or [table.page],
               "n_rows": table.n_rows, "n_cols": table.n_cols, "header_rows": table.header_rows,
               "method": table.provenance.method, "headings": table.headings,
               "roles": [c.role or "" for c in table.columns], "measures": table.measures,
               "csv_path": f"tables/{entry.doc_id}/{table.page}-{n}.csv", "x0": table.bbox[0], "top": table.bbox[1],
               "x1": table.bbox[2], "bottom": table.bbox[3]}


@dataset_table("table_cells", {
    "table_record_id": STR, "doc_id": STR, "table_key": INT, "row": INT, "col": INT, "row_span": INT,
    "col_span": INT, "header": BOOL, "text": STR, "fill": STR, "page": INT})
def table_cell_rows(entry: DocumentRows):
    for key, table in enumerate(entry.document.tables):
        parent = entry.record_id("table", key)
        for c in table.cells:
            yield {"table_record_id": parent, "doc_id": entry.doc_id, "table_key": key, "row": c.row, "col": c.col,
                   "row_span": c.row_span, "col_span": c.col_span, "header": c.header, "text": c.text,
                   "fill": c.fill, "page": c.page}


@dataset_table("repairs", {
    "doc_id": STR, "page": INT, "line": INT, "column_number": INT, "before": STR, "after": STR, "rule": STR,
    "score": FLT})
def repair_rows(entry: DocumentRows):
    for r in entry.document.repairs:
        yield {"doc_id": entry.doc_id, "page": r.page, "line": r.line, "column_number": r.column, "before": r.before,
               "after": r.after, "rule": r.rule, "score": r.score}


@dataset_table("errors", {"doc_id": STR, "stage": STR, "page": INT, "level": STR, "message": STR})
def error_rows(entry: DocumentRows):
    for e in entry.document.errors:
        yield {"doc_id": entry.doc_id, "stage": e.stage, "page": e.page, "level": e.level, "message": e.message}


# Not from a document: the one row describing the run that made the dataset (extractors.batch.provenance).
@dataset_table("runs", {
    "settings_key": STR, "bilan": STR, "python": STR, "tesseract": STR, "tessdata": STR, "hunspell_fr": STR,
    "libraries": STR, "options": STR, "documents": INT})
def no_document_rows(entry: DocumentRows):
    return ()


def run_row(facts: dict, key: str, documents: int) -> dict:
    """The `runs` row of a run's facts (extractors.batch.provenance.environment)."""
    return {"settings_key": key, "bilan": facts["bilan"], "python": facts["python"], "tesseract": facts["tesseract"],
            "tessdata": json.dumps(facts["tessdata"], sort_keys=True), "hunspell_fr": facts["hunspell_fr"],
            "libraries": json.dumps(facts["libraries"], sort_keys=True),
            "options": json.dumps(facts["options"], sort_keys=True), "documents": documents}


def table_names() -> list[str]:
    return [table.name for table in TABLES]
