"""Every table of a document, and each table as CSV.

`document_tables_of` is the one place that says where the tables come from: `Document.tables`,
filled by the tables stage (extractors.tables.stage).
"""
from __future__ import annotations

import csv
import io

from schemas import Document
from schemas.table import Table


def document_tables_of(document: Document) -> list[Table]:
    """The document's tables, first page first."""
    return list(document.tables)


def table_csv(table: Table) -> str:
    """The table's grid as CSV (RFC 4180, CRLF line ends as the RFC says): one line per grid row,
    header rows first; a spanning cell's text sits in its top-left slot, the others are empty;
    lines inside a cell stay in the cell (quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(table.grid())
    return out.getvalue()


def table_file_names(tables: list[Table]) -> list[str]:
    """`<page>-<n>.csv`: the table's first page and its rank among the tables starting there (the
    names the batch dataset uses for `OUT/tables/<document>/`)."""
    names, seen = [], {}
    for table in tables:
        seen[table.page] = seen.get(table.page, 0) + 1
        names.append(f"{table.page}-{seen[table.page]}.csv")
    return names
