"""Documents -> a queryable dataset: Parquet files, an embedded DuckDB file, measures.csv and a CSV
per table found (OUT/tables/<document>/<page>-<n>.csv).

The dataset is always rebuilt from the per-document JSON files, sorted by document id, so a batch
that was killed and resumed ends with exactly the bytes of an uninterrupted run: nothing in the
dataset depends on the order in which documents finished. The files are read one at a time and
only their rows are kept, so memory grows with rows (one per page, measure, repair...), not with
the words of every page.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from extractors.atomic import write_text_atomic
from extractors.errors import OutputError
from schemas import Document

# Column types, fixed so that an empty batch still yields tables with the right columns.
STR, INT, FLT, BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()
LIST_STR = pa.list_(pa.string())
TABLES: dict[str, dict[str, pa.DataType]] = {
    "documents": {"doc_id": STR, "path": STR, "sha256": STR, "kind": STR, "page_count": INT, "pages_read": INT,
                  "status": STR, "n_errors": INT, "n_repairs": INT, "n_measures": INT},
    "pages": {"doc_id": STR, "page": INT, "origin": STR, "width": FLT, "height": FLT, "rotation": INT,
              "n_words": INT, "n_lines": INT, "mean_confidence": FLT, "triage_decision": STR, "triage_reason": STR},
    "measures": {"doc_id": STR, "measure_key": INT, "measure_id": STR, "parent_id": STR, "theme": STR, "group": STR,
                 "title": STR, "description": STR, "lead": LIST_STR, "collaborators": LIST_STR, "deadline": STR,
                 "resources": STR, "progress_percent": FLT, "status_text": STR, "confidence": FLT, "flagged": BOOL,
                 "page": INT, "x0": FLT, "top": FLT, "x1": FLT, "bottom": FLT},
    "indicators": {"doc_id": STR, "measure_key": INT, "measure_id": STR, "position": INT, "text": STR,
                   "target": STR, "deadline": STR},
    "actions": {"doc_id": STR, "measure_key": INT, "measure_id": STR, "position": INT, "action_id": STR,
                "text": STR, "lead": LIST_STR},
    "repairs": {"doc_id": STR, "page": INT, "line": INT, "column": INT, "before": STR, "after": STR,
                "rule": STR, "score": FLT},
    "errors": {"doc_id": STR, "stage": STR, "page": INT, "level": STR, "message": STR},
}
# Every table of every document (`Document.tables`), as a row per table and a row per cell.
GRID_TABLES: dict[str, dict[str, pa.DataType]] = {
    "tables": {"doc_id": STR, "table_key": INT, "page": INT, "n": INT, "pages": pa.list_(INT), "n_rows": INT, "n_cols": INT,
               "header_rows": INT, "method": STR, "headings": LIST_STR, "roles": LIST_STR, "measures": BOOL, "csv": STR,
               "x0": FLT, "top": FLT, "x1": FLT, "bottom": FLT},
    "table_cells": {"doc_id": STR, "table_key": INT, "row": INT, "col": INT, "row_span": INT, "col_span": INT,
                    "header": BOOL, "text": STR, "fill": STR, "page": INT},
}
TABLES.update(GRID_TABLES)


def document_rows(doc_id: str, document: Document) -> dict[str, list[dict]]:
    """One document's rows for every table."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    measures = document.records.measures
    rows["documents"].append({
        "doc_id": doc_id, "path": document.source.path, "sha256": document.source.sha256, "kind": document.source.kind,
        "page_count": document.source.page_count, "pages_read": len(document.pages), "status": document.status,
        "n_errors": sum(e.level == "error" for e in document.errors), "n_repairs": len(document.repairs),
        "n_measures": len(measures),
    })
    for page in document.pages:
        confidences = [w.confidence for w in page.words if w.confidence is not None]
        rows["pages"].append({
            "doc_id": doc_id, "page": page.number, "origin": page.origin, "width": page.width, "height": page.height,
            "rotation": page.rotation, "n_words": len(page.words), "n_lines": len(page.lines),
            "mean_confidence": sum(confidences) / len(confidences) if confidences else None,
            "triage_decision": page.triage.decision if page.triage else None,
            "triage_reason": page.triage.reason if page.triage else None,
        })
    for key, m in enumerate(measures):
        box = m.provenance.bbox or (None, None, None, None)
        rows["measures"].append({
            "doc_id": doc_id, "measure_key": key, "measure_id": m.measure_id, "parent_id": m.parent_id,
            "theme": m.theme, "group": m.group, "title": m.title, "description": m.description, "lead": m.lead,
            "collaborators": m.collaborators, "deadline": m.deadline, "resources": m.resources,
            "progress_percent": m.progress_percent, "status_text": m.status_text, "confidence": m.confidence,
            "flagged": m.flagged, "page": m.provenance.page, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
        })
        for position, indicator in enumerate(m.indicators):
            rows["indicators"].append({"doc_id": doc_id, "measure_key": key, "measure_id": m.measure_id,
                                       "position": position, **indicator.model_dump()})
        for position, action in enumerate(m.actions):
            rows["actions"].append({"doc_id": doc_id, "measure_key": key, "measure_id": m.measure_id,
                                    "position": position, **action.model_dump()})
    rows.update(grid_rows(doc_id, document))
    for r in document.repairs:
        rows["repairs"].append({"doc_id": doc_id, **r.model_dump()})
    for e in document.errors:
        rows["errors"].append({"doc_id": doc_id, "stage": e.stage, "page": e.page, "level": e.level, "message": e.message})
    return rows


def grid_rows(doc_id: str, document: Document) -> dict[str, list[dict]]:
    """Rows of `tables` and `table_cells` for one document: every table found, measure table or
    not (a list of grants, a budget), cell for cell; `csv` is where `write_table_csvs` puts it."""
    out: dict[str, list[dict]] = {"tables": [], "table_cells": []}
    on_page: dict[int, int] = {}
    for key, table in enumerate(document.tables):
        on_page[table.page] = on_page.get(table.page, 0) + 1
        n = on_page[table.page]
        pages = [s.page for s in table.provenance.segments] or [table.page]
        out["tables"].append({
            "doc_id": doc_id, "table_key": key, "page": table.page, "n": n, "pages": pages, "n_rows": table.n_rows,
            "n_cols": table.n_cols, "header_rows": table.header_rows, "method": table.provenance.method,
            "headings": table.headings, "roles": [c.role or "" for c in table.columns], "measures": table.measures,
            "csv": f"tables/{doc_id}/{table.page}-{n}.csv", "x0": table.bbox[0], "top": table.bbox[1], "x1": table.bbox[2],
            "bottom": table.bbox[3],
        })
        for c in table.cells:
            out["table_cells"].append({"doc_id": doc_id, "table_key": key, "row": c.row, "col": c.col, "row_span": c.row_span,
                                       "col_span": c.col_span, "header": c.header, "text": c.text, "fill": c.fill, "page": c.page})
    return out


def table_csv(n_rows: int, n_cols: int, cells: Iterable[dict]) -> str:
    """A table's grid as CSV: a spanning cell's text in its top-left slot, other slots empty; the
    lines of a cell joined as one (one CSV row per table row, whatever the cell holds)."""
    from extractors.tables.compare import flat

    grid = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for c in cells:
        grid[c["row"]][c["col"]] = flat(c["text"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grid)
    return out.getvalue()


def write_table_csvs(tables: pa.Table, cells: pa.Table, out_dir: Path) -> None:
    """OUT/tables/<document>/<page>-<n>.csv for every table (n counts the tables that start on a
    page, from 1); a rerun first clears what an earlier run wrote there."""
    import shutil

    root = out_dir / "tables"
    if root.exists():
        shutil.rmtree(root)
    by_table: dict[tuple[str, int], list[dict]] = {}
    for c in cells.to_pylist():
        by_table.setdefault((c["doc_id"], c["table_key"]), []).append(c)
    for t in tables.to_pylist():
        target = out_dir / t["csv"]
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, table_csv(t["n_rows"], t["n_cols"], by_table.get((t["doc_id"], t["table_key"]), [])))


def read_documents(files: Iterable[tuple[str, Path]]) -> Iterator[tuple[str, Document]]:
    """(doc_id, Document) of each (doc_id, JSON file), in doc_id order, one file read at a time."""
    for doc_id, path in sorted(files, key=lambda pair: pair[0]):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise OutputError(path, f"cannot read: {e.strerror or e}") from e
        yield doc_id, Document.model_validate_json(text)


def collect(documents: Iterable[tuple[str, Document]]) -> dict[str, pa.Table]:
    """Tables of the documents, in the order given (read_documents sorts by doc_id); each Document
    is dropped once its rows are taken."""
    columns: dict[str, list[dict]] = {name: [] for name in TABLES}
    for doc_id, document in documents:
        for name, rows in document_rows(doc_id, document).items():
            columns[name].extend(rows)
    return {name: pa.Table.from_pylist(columns[name], schema=pa.schema(list(TABLES[name].items()))) for name in TABLES}


def replace_atomically(target: Path, write) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OutputError(target, f"cannot write: {e.strerror or e}") from e


def measures_csv(table: pa.Table) -> str:
    """Spreadsheet-friendly: lists joined with '; ', UTF-8 with BOM so Excel shows accents."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in row.values()])
    return out.getvalue()


def write_dataset(files: Iterable[tuple[str, Path]], out_dir: Path) -> dict[str, int]:
    """From (doc_id, per-document JSON file) pairs, write OUT/parquet/<table>.parquet,
    OUT/measures.csv and OUT/bilan.duckdb; return row counts."""
    import duckdb

    tables = collect(read_documents(files))
    parquet_dir = out_dir / "parquet"
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        replace_atomically(parquet_dir / f"{name}.parquet", lambda p, t=table: pq.write_table(t, p))
    write_text_atomic(out_dir / "measures.csv", measures_csv(tables["measures"]))
    write_table_csvs(tables["tables"], tables["table_cells"], out_dir)

    def build_duckdb(path: Path) -> None:
        with duckdb.connect(str(path)) as con:
            for name in TABLES:
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(parquet_dir / f"{name}.parquet")])

    replace_atomically(out_dir / "bilan.duckdb", build_duckdb)
    return {name: table.num_rows for name, table in tables.items()}


def query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    import duckdb

    path = out_dir / "bilan.duckdb"
    if not path.exists():
        raise OutputError(path, "no dataset here (run `bilan batch` first)")
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as e:
            from extractors.errors import BadOption

            raise BadOption(path, f"SQL error: {str(e).splitlines()[0]}") from e
        return [d[0] for d in cursor.description or []], cursor.fetchall()
