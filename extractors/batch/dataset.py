"""Documents -> a queryable dataset: an embedded DuckDB file, Parquet files and CSV files, and a CSV
per table found in the documents (OUT/tables/<document>/<page>-<n>.csv).

The dataset is always rebuilt from the per-document JSON files, sorted by document id, so a batch
that was killed and resumed ends with exactly the bytes of an uninterrupted run: nothing in the
dataset depends on the order in which documents finished. The files are read one at a time and
only their rows are kept, so memory grows with rows (one per page, measure, repair...), not with
the words of every page.

Every table comes from one entry of `TABLES`, a function from one document to its rows (see
extractors.batch.tables); adding a table is adding an entry there.

Written as one set: the files go to a new folder OUT/.datasets/<n>, are read back and checked
(every table present in DuckDB, Parquet and CSV, each with the row count the documents gave), and
only then does OUT/dataset, a symbolic link, point at the new folder (one rename). A full disk, or
any other write error, leaves the previous dataset in place and raises OutputError. OUT/bilan.duckdb,
OUT/parquet, OUT/csv and OUT/measures.csv are fixed links into OUT/dataset.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from extractors.batch.tables import TABLES, DocumentRows
from extractors.errors import InputNotFound, OutputError
from schemas import Document

DATASET_LINK = "dataset"
GRIDS_DIR = "tables"  # a CSV per table found: tables/<document>/<page>-<n>.csv (the `csv_path` of `tables`)
DATASETS_DIR = ".datasets"  # the written sets; OUT/dataset points at the current one
DUCKDB_FILE = "bilan.duckdb"
# Fixed links at the top of OUT, for the paths users and scripts know.
TOP_LINKS = {DUCKDB_FILE: f"{DATASET_LINK}/{DUCKDB_FILE}", "parquet": f"{DATASET_LINK}/parquet",
             "csv": f"{DATASET_LINK}/csv", "measures.csv": f"{DATASET_LINK}/csv/measures.csv",
             GRIDS_DIR: f"{DATASET_LINK}/{GRIDS_DIR}"}


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


def write_table_csvs(tables: pa.Table, cells: pa.Table, folder: Path) -> None:
    """<folder>/tables/<document>/<page>-<n>.csv for every table (n counts the tables that start on a
    page, from 1), written with the rest of the set."""
    by_table: dict[str, list[dict]] = {}
    for c in cells.to_pylist():
        by_table.setdefault(c["table_record_id"], []).append(c)
    (folder / GRIDS_DIR).mkdir()
    for t in tables.to_pylist():
        target = folder / t["csv_path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(table_csv(t["n_rows"], t["n_cols"], by_table.get(t["record_id"], [])), encoding="utf-8")


def read_documents(files: Iterable[tuple[str, Path]]) -> Iterator[tuple[str, Document]]:
    """(doc_id, Document) of each (doc_id, JSON file), in doc_id order, one file read at a time."""
    for doc_id, path in sorted(files, key=lambda pair: pair[0]):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise OutputError(path, f"cannot read: {e.strerror or e}") from e
        yield doc_id, Document.model_validate_json(text)


def collect(documents: Iterable[tuple[str, Document]], run: dict | None = None) -> dict[str, pa.Table]:
    """Tables of the documents, in the order given (read_documents sorts by doc_id); each Document
    is dropped once its rows are taken. `run`: the one row of the `runs` table."""
    columns: dict[str, list[dict]] = {table.name: [] for table in TABLES}
    for doc_id, document in documents:
        entry = DocumentRows(doc_id, document)
        for table in TABLES:
            if table.name != "runs":
                columns[table.name].extend(table.rows(entry))
    if run is not None:
        columns["runs"].append(run)
    return {table.name: pa.Table.from_pylist(columns[table.name], schema=table.schema) for table in TABLES}


def csv_text(table: pa.Table) -> str:
    """Spreadsheet-friendly: lists as JSON arrays, UTF-8 with BOM so Excel shows accents."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else ("" if v is None else v)
                         for v in row.values()])
    return out.getvalue()


def csv_rows(path: Path) -> int:
    csv.field_size_limit(2**31 - 1)  # a page's text can be megabytes; the default limit is 128 KB
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def write_files(tables: dict[str, pa.Table], folder: Path) -> None:
    """Parquet, CSV and DuckDB files of the tables into `folder`, each flushed to disk."""
    import duckdb

    (folder / "parquet").mkdir(parents=True)
    (folder / "csv").mkdir()
    for name, table in tables.items():
        pq.write_table(table, folder / "parquet" / f"{name}.parquet")
        (folder / "csv" / f"{name}.csv").write_text(csv_text(table), encoding="utf-8")
    with duckdb.connect(str(folder / DUCKDB_FILE)) as con:
        for name in tables:
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(folder / "parquet" / f"{name}.parquet")])
        con.execute("CHECKPOINT")
    write_table_csvs(tables["tables"], tables["table_cells"], folder)
    for path in folder.rglob("*"):
        if path.is_file():
            fsync(path)
    for directory in (*(p for p in (folder / GRIDS_DIR).rglob("*") if p.is_dir()), folder / GRIDS_DIR,
                      folder / "parquet", folder / "csv", folder):
        fsync(directory)


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_files(folder: Path, expected: dict[str, int]) -> None:
    """Every table in DuckDB, Parquet and CSV, each with the expected number of rows; else OutputError."""
    import duckdb

    found: dict[str, dict[str, int]] = {}
    try:
        with duckdb.connect(str(folder / DUCKDB_FILE), read_only=True) as con:
            present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            found["DuckDB"] = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in expected if n in present}
        found["Parquet"] = {n: pq.ParquetFile(folder / "parquet" / f"{n}.parquet").metadata.num_rows for n in expected}
        found["CSV"] = {n: csv_rows(folder / "csv" / f"{n}.csv") for n in expected}
    except (OSError, duckdb.Error, pa.ArrowException) as e:
        raise OutputError(folder, f"the dataset written does not read back: {str(e).splitlines()[0]}") from e
    for kind, counts in found.items():
        for name, rows in expected.items():
            if counts.get(name) != rows:
                raise OutputError(folder, f"the dataset written does not read back: {kind} table {name} has "
                                          f"{counts.get(name, 'no')} rows, the documents gave {rows}")


def write_dataset(files: Iterable[tuple[str, Path]], out_dir: Path, run: dict | None = None) -> dict[str, int]:
    """From (doc_id, per-document JSON file) pairs, write the dataset as one set (module docstring);
    return row counts. Raises OutputError, the previous dataset kept, when it cannot be written."""
    files = list(files)
    tables = collect(read_documents(files), run)
    expected = {name: table.num_rows for name, table in tables.items()}
    if expected["documents"] != len(files):
        raise OutputError(out_dir, f"{len(files)} document files gave {expected['documents']} document rows")
    sets = out_dir / DATASETS_DIR
    staging = sets / f".new-{uuid.uuid4().hex[:12]}"
    try:
        sets.mkdir(parents=True, exist_ok=True)
        write_files(tables, staging)
        check_files(staging, expected)
        final = sets / uuid.uuid4().hex[:12]
        staging.rename(final)
        swap_link(out_dir / DATASET_LINK, Path(DATASETS_DIR) / final.name)
        make_top_links(out_dir)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(out_dir, f"cannot write the dataset: {e.strerror or e}; the previous one is kept") from e
    except OutputError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as e:  # DuckDB and Arrow raise their own errors for a full disk
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(out_dir, f"cannot write the dataset: {str(e).splitlines()[0]}; the previous one is kept") from e
    remove_old_sets(sets, keep=final.name)
    return expected


def swap_link(link: Path, target: Path) -> None:
    """Point `link` at `target` in one rename (readers see the old set or the new one, never none)."""
    tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex[:8]}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    fsync(link.parent)


def make_top_links(out_dir: Path) -> None:
    """OUT/bilan.duckdb and the others, once; files of an older bilan (no links) are replaced."""
    for name, target in TOP_LINKS.items():
        path = out_dir / name
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        swap_link(path, Path(target))


def remove_old_sets(sets: Path, keep: str) -> None:
    """Sets no longer pointed at, and half-written ones of a killed run (called under the batch lock)."""
    for path in sets.iterdir():
        if path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """SQL on the dataset, read-only, without access to other files or the network: `COPY ... TO`,
    `read_csv('/etc/...')`, `ATTACH` and extension downloads are refused."""
    import duckdb

    from extractors.errors import BadOption

    if not out_dir.is_dir():
        raise InputNotFound(out_dir, "no such folder")
    path = out_dir / DUCKDB_FILE
    if not path.exists():
        raise InputNotFound(path, "no dataset here (run `bilan batch` first)")
    config = {"enable_external_access": False, "autoinstall_known_extensions": False,
              "autoload_known_extensions": False, "allow_community_extensions": False,
              "lock_configuration": True}
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as e:
        raise OutputError(path, f"cannot open the dataset: {str(e).splitlines()[0]}") from e
    with con:
        try:
            cursor = con.execute(sql)
            return [d[0] for d in cursor.description or []], cursor.fetchall()
        except duckdb.Error as e:
            raise BadOption(path, f"SQL error: {str(e).splitlines()[0]}") from e
