"""Plain text: every page's words in reading order, repaired, one line per printed line; pages
separated by a form feed (as pdftotext does), blocks by a blank line."""
from __future__ import annotations

from extractors.export.layout import LayoutBlock, line_text, page_layout
from schemas import Document, Page
from schemas.table import Table


def page_text(page: Page, tables: list[Table]) -> str:
    if not any(w.bbox is not None for w in page.words):
        return page.text  # text dumps and web pages: their lines are the reading order already
    layout = page_layout(page, tables)
    chunks = []
    for item in layout.items:
        if isinstance(item, LayoutBlock):
            chunks.append("\n".join(line_text(page, line) for line in item.lines))
        else:  # a table: row by row, cells separated by a tab
            rows: dict[int, list[str]] = {}
            for cell in item.cells:
                rows.setdefault(cell.row, []).append(" ".join(line_text(page, line) for line in cell.lines))
            chunks.append("\n".join("\t".join(cells) for _, cells in sorted(rows.items())))
    return "\n\n".join(chunks)


def document_text(document: Document, tables: list[Table]) -> str:
    return "\f".join(page_text(page, tables) for page in document.pages) + "\n"
