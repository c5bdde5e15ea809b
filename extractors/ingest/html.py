"""HTML pages: visible text with headings, list items, paragraphs and tables kept as Blocks.

The whole page becomes one bilan Page (a web page has no pagination). Navigation, scripts,
styles, forms, headers and footers are dropped: they are site chrome, not the publication.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

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


def inline_text(node: Tag, skip: frozenset[int] = frozenset()) -> str:
    return clean(raw_text(node, skip))


# Text is gathered with explicit stacks, never by recursion, and each element is visited once per
# question asked of it: a page nested 1,000 levels deep reads like a flat one, in linear time.
SPACED = frozenset([*BLOCK_TAGS, "td", "th", "tr"])
_SPACE = object()  # marks the end of a block element's content: a space, so two cells never glue


def raw_text(node: Tag, skip: frozenset[int] = frozenset()) -> str:
    """The text of `node` as get_text('') gives it, with a space after each block element (and
    <br>), so two paragraphs or cells never glue while inline markup (l'<em>Office</em>) stays glued.
    Elements whose id() is in `skip` (nested lists) are left out."""
    parts: list[str] = []
    stack: list = [node]
    while stack:
        item = stack.pop()
        if item is _SPACE:
            parts.append(" ")
        elif isinstance(item, Tag):
            if id(item) in skip:
                continue
            if item is not node and item.name in SPACED:
                stack.append(_SPACE)
            stack.extend(reversed(item.contents))
        elif type(item) in (NavigableString, CData):
            parts.append(str(item))
    return "".join(parts)


def prepare(soup: BeautifulSoup) -> None:
    """Drop chrome and comments; make <br> a space (raw_text spaces block boundaries)."""
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for br in soup.find_all("br"):
        br.replace_with(" ")


def elements_holding_blocks(root: Tag) -> set[int]:
    """id() of every element with a block element among its descendants, in one pass."""
    holding: set[int] = set()
    tags = [root, *(d for d in root.descendants if isinstance(d, Tag))]
    for tag in reversed(tags):  # descendants before their ancestors
        if (tag.name in BLOCK_TAGS or id(tag) in holding) and tag is not root and tag.parent is not None:
            holding.add(id(tag.parent))
    return holding


def table_rows(table: Tag) -> list[list[str]]:
    """Rows of `table` (not of tables nested in its cells, whose text stays inside their cell)."""
    rows = []
    for tr in own_descendants(table, "tr", stop={"table"}):
        cells = [inline_text(cell) for cell in tr.find_all(["th", "td"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def own_descendants(node: Tag, names, stop: set[str]) -> list[Tag]:
    """Descendants of `node` named in `names`, in document order, not looking inside elements named
    in `stop` (nor inside those found)."""
    found: list[Tag] = []
    stack = list(reversed([c for c in node.contents if isinstance(c, Tag)]))
    while stack:
        tag = stack.pop()
        if tag.name in names:
            found.append(tag)
            continue
        if tag.name in stop:
            continue
        stack.extend(reversed([c for c in tag.contents if isinstance(c, Tag)]))
    return found


def emit_list(list_tag: Tag, blocks: list[Block], depth: int) -> None:
    """Each item of a list, then its nested lists one level deeper, before the next item."""
    frames = [(list_tag, iter(list_tag.find_all("li", recursive=False)), depth)]
    while frames:
        current, items, level = frames[-1]
        item = next(items, None)
        if item is None:
            frames.pop()
            continue
        nested = own_descendants(item, ("ul", "ol"), stop={"li"})
        if text := inline_text(item, frozenset(id(sub) for sub in nested)):
            blocks.append(Block(kind="list_item", level=level, ordered=current.name == "ol", text=text))
        for sub in reversed(nested):  # the first nested list on top: read next
            frames.append((sub, iter(sub.find_all("li", recursive=False)), level + 1))


def walk(root: Tag, blocks: list[Block]) -> None:
    """Block-level elements in document order; loose inline text between them becomes paragraphs."""
    holding = elements_holding_blocks(root)
    frames = [(iter(root.children), [])]  # (children left, loose text) of each element being walked
    while frames:
        children, loose = frames[-1]
        child = next(children, None)
        if child is None:
            flush(loose, blocks)
            frames.pop()
            continue
        if isinstance(child, NavigableString):
            loose.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name in HEADINGS:
            flush(loose, blocks)
            if text := inline_text(child):
                blocks.append(Block(kind="heading", level=HEADINGS[child.name], text=text))
        elif child.name in ("ul", "ol"):
            flush(loose, blocks)
            emit_list(child, blocks, 1)
        elif child.name == "table":
            flush(loose, blocks)
            if rows := table_rows(child):
                blocks.append(Block(kind="table", text=" | ".join(" ; ".join(r) for r in rows), rows=rows))
        elif id(child) in holding:
            flush(loose, blocks)
            frames.append((iter(child.children), []))
        elif child.name in BLOCK_TAGS:
            flush(loose, blocks)
            if text := inline_text(child):
                blocks.append(Block(kind="paragraph", text=text))
        else:  # inline markup inside running text
            loose.append(raw_text(child))


def flush(loose: list[str], blocks: list[Block]) -> None:
    if text := clean("".join(loose)):
        blocks.append(Block(kind="paragraph", text=text))
    loose.clear()


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
