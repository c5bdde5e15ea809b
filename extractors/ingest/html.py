"""HTML pages: visible text with headings, list items, paragraphs and tables kept as Blocks.

The whole page becomes one bilan Page (a web page has no pagination). Navigation, scripts,
styles, forms, headers and footers are dropped: they are site chrome, not the publication.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from extractors.errors import CorruptInput
from extractors.options import IngestOptions
from extractors.ingest.source import make_source
from schemas import Block, Document, Line, Page, StageError, Word

CHROME_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "form", "button", "svg", "iframe"]
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = [*HEADINGS, "p", "div", "ul", "ol", "li", "table", "section", "article", "main", "aside",
              "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "address", "details"]
SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def inline_text(node: Tag) -> str:
    return clean(node.get_text(""))


def prepare(soup: BeautifulSoup) -> None:
    """Drop chrome and comments; make <br> and block boundaries spaces so get_text('') never glues
    two cells or paragraphs together, while inline markup (l'<em>Office</em>) stays glued."""
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    for tag in soup.find_all([*BLOCK_TAGS, "td", "th", "tr"]):
        tag.append(" ")


def table_rows(table: Tag) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # rows of a nested table stay inside their cell's text
        cells = [inline_text(cell) for cell in tr.find_all(["th", "td"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def emit_list(list_tag: Tag, blocks: list[Block], depth: int) -> None:
    for item in list_tag.find_all("li", recursive=False):
        nested = [sub for sub in item.find_all(["ul", "ol"]) if sub.find_parent("li") is item]
        for sub in nested:
            sub.extract()
        if text := inline_text(item):
            blocks.append(Block(kind="list_item", level=depth, ordered=list_tag.name == "ol", text=text))
        for sub in nested:
            emit_list(sub, blocks, depth + 1)


def walk(node: Tag, blocks: list[Block]) -> None:
    """Block-level elements in document order; loose inline text between them becomes paragraphs."""
    loose: list[str] = []

    def flush() -> None:
        if text := clean("".join(loose)):
            blocks.append(Block(kind="paragraph", text=text))
        loose.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            loose.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name in HEADINGS:
            flush()
            if text := inline_text(child):
                blocks.append(Block(kind="heading", level=HEADINGS[child.name], text=text))
        elif child.name in ("ul", "ol"):
            flush()
            emit_list(child, blocks, 1)
        elif child.name == "table":
            flush()
            if rows := table_rows(child):
                blocks.append(Block(kind="table", text=" | ".join(" ; ".join(r) for r in rows), rows=rows))
        elif child.find(BLOCK_TAGS):
            flush()
            walk(child, blocks)
        elif child.name in BLOCK_TAGS:
            flush()
            if text := inline_text(child):
                blocks.append(Block(kind="paragraph", text=text))
        else:  # inline markup inside running text
            loose.append(child.get_text(""))
    flush()


def blocks_to_page(blocks: list[Block]) -> Page:
    """Lay blocks out as lines (one per block; one per table row, cells joined by ' | ') and words."""
    words: list[Word] = []
    lines: list[Line] = []
    placed: list[Block] = []
    for block in blocks:
        texts = [" | ".join(row) for row in block.rows] if block.rows else [block.text]
        line_ids = []
        for text in texts:
            first = len(words)
            words.extend(Word(text=t, origin="text") for t in text.split())
            line_ids.append(len(lines))
            lines.append(Line(text=text, word_ids=list(range(first, len(words)))))
        placed.append(block.model_copy(update={"line_ids": line_ids}))
    return Page(number=1, origin="html", words=words, lines=lines, blocks=placed)


def html_to_document(path: Path, options: IngestOptions | None = None) -> Document:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorruptInput(path, f"cannot read: {e.strerror or e}") from e
    # bytes, not str: lets the parser honour <meta charset> and fall back on its own detection.
    soup = BeautifulSoup(data, "lxml")
    title = clean(soup.title.get_text()) if soup.title else ""
    prepare(soup)
    blocks: list[Block] = []
    walk(soup.body or soup, blocks)
    if title and not any(b.kind == "heading" for b in blocks):
        blocks.insert(0, Block(kind="heading", level=1, text=title))
    page = blocks_to_page(blocks)
    errors: list[StageError] = []
    status = "success"
    if not page.words:
        status = "failed"
        errors.append(StageError(stage="ingest", page=1, message="the HTML page has no visible text"))
    return Document(source=make_source(path, "html", 1), pages=[page], status=status, errors=errors)
