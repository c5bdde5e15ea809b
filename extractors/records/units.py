"""A Document's pages as a flat sequence of text units (paragraphs, list items, headings, table
rows) in reading order: what the record readers work on, whatever the input was.

* HTML pages: their Blocks, one unit each (table rows become row units with cells).
* Text pages (dumps, web text): blank lines, list markers and tabs cut units; hard-wrapped lines
  are joined when the next one continues the sentence.
* Pages with word boxes (born-digital, OCR): rows from `records_layout`, grouped into paragraphs
  by line pitch, indentation, font size and weight, and list markers.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from schemas import Document, Page

from extractors.french import vocabulary as vocab
from extractors.french.line_join import join_wrapped_lines
from extractors.records.layout import Row, document_rows

# Bullets that may open on a figure ("• 40 % avec une entente"): real bullets and dashes of running
# text. The pointers ► ▸ are not among them today (no list of running text here opens on one).
FIGURE_BULLETS = (vocab.ROUND_BULLETS + vocab.MIDDLE_DOT_BULLETS + vocab.DASH_BULLETS + vocab.ARROW_CHECK_BULLETS
                  + vocab.MORE_DINGBAT_BULLETS + "*")
# Before a word, also what OCR makes of a bullet (*, +, ¢, °, e, o; ">" for an arrow): a letter
# after them is evidence enough, and "e"/"o" are taken only before a capital (`split_marker`).
BULLETS = FIGURE_BULLETS + vocab.OCR_BULLET_LOOKALIKES + ">" + vocab.OCR_BULLET_LETTERS
# A number followed by a month is a date, not a list marker ("1 mars").
MONTHS = vocab.MONTH_PATTERN
NUMBER_MARKER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)]|\s*[-–—:])?$")
OCR_NUMBER_MARKER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3}),$")  # "5," read for "5."
NOT_AFTER_NUMBER = re.compile(rf"^(%|\$|M\$|G\$|k\$|millions?|milliards?|{MONTHS}|ans?\b|h\b|fois\b)", re.I)
TERMINAL = re.compile(r"[.!?:;»]\s*$")
LETTERS = re.compile(r"[^\W\d_]")
# A line ending on one of these words runs on to the next line.
DANGLING = re.compile(r"(?:^|\s)(?:de|des|du|d['’]|la|le|les|l['’]|et|ou|à|au|aux|en|pour|par|sur|dans|avec|un|une|que|"
                      r"qui|qu['’]|son|sa|ses|leur|leurs|ce|cette|ces|entre|sans|vers|chez|selon|dont|,)$", re.I)


@dataclass
class Unit:
    text: str
    # "para", "item" (list item), "heading", "row" (table-like cells), "number" (a bare number), "note" (footnote)
    kind: str = "para"
    marker: Optional[str] = None  # "•", "-", "1.", "2.3" as printed
    number: Optional[str] = None  # the marker's number without its trailing dot
    indent: float = 0.0  # x (points) or leading spaces of the first line
    level: Optional[int] = None  # heading level (HTML), list depth
    size: Optional[float] = None  # font size (row height) for boxed pages
    bold: Optional[bool] = None
    gap_before: bool = True  # blank line or paragraph gap before the unit
    cells: Optional[list[str]] = None
    cell_x: Optional[list[tuple[float, float]]] = None  # (x0, x1) of each cell, boxed pages
    page: int = 1
    line: int = 0
    bbox: Optional[tuple[float, float, float, float]] = None
    origin: str = "text"
    repeated: bool = False  # its text recurs (running header / footer of a text dump)
    lines: list[str] = field(default_factory=list)


def _caps(text: str) -> bool:
    letters = LETTERS.findall(text)
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def split_marker(text: str) -> tuple[Optional[str], Optional[str], str]:
    """'1. Identifier…' -> ('1.', '1', 'Identifier…'); '• Texte' -> ('•', None, 'Texte')."""
    stripped = text.strip()
    first, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if not rest:
        return None, None, stripped
    if len(first) == 1 and first in BULLETS and (LETTERS.match(rest) or rest[:1] in "«\"(“"
                                                 or (first in FIGURE_BULLETS and rest[:1].isdigit())):
        if first in "oe" and not rest[:1].isupper():
            return None, None, stripped
        return first, None, rest
    m = NUMBER_MARKER.match(first)
    if m and not NOT_AFTER_NUMBER.match(rest) and (LETTERS.match(rest) or rest[:1] in "«\"("):
        return first, m.group(1), rest
    m = OCR_NUMBER_MARKER.match(first)
    if m and rest[:1].isupper() and not NOT_AFTER_NUMBER.match(rest):
        return first, m.group(1), rest
    return None, None, stripped


# --- text pages ----------------------------------------------------------------------------------


FIELD_START = re.compile(r"^[A-ZÀ-Ý][\w'’ ()/-]{1,40}?\s?:\s")  # "Responsable : …" starts its own line


def _continues(prev: str, line: str, wrap: float) -> bool:
    """Does `line` continue the sentence of `prev` (a hard-wrapped line)?"""
    if not prev or not line or FIELD_START.match(line.lstrip()):
        return False
    first = line.lstrip()[:1]
    if first.islower() or first in "(,;":
        return True
    if re.search(r"[^\W\d_]-$", prev.rstrip()):
        return True
    prev_letters, line_letters = LETTERS.findall(prev), LETTERS.findall(line)
    caps = lambda ls: len(ls) >= 2 and sum(c.isupper() for c in ls) >= 0.85 * len(ls)  # noqa: E731
    if caps(prev_letters) and caps(line_letters) and not TERMINAL.search(prev):
        return True
    return len(prev.rstrip()) >= 0.75 * wrap and not TERMINAL.search(prev)


def text_units(page: Page) -> list[Unit]:
    lines = [line.text.replace("\u00a0", " ").rstrip() for line in page.lines]
    # A hard-wrapped dump has most of its longer lines close to one width; then a line that
    # reaches that width without ending its sentence runs on. Otherwise length says nothing.
    long = sorted(len(t.strip()) for t in lines if len(t.strip()) > 40)
    wrap = float("inf")
    if len(long) >= 10:
        width = long[int(0.75 * (len(long) - 1))]
        if sum(1 for n in long if 0.8 * width <= n <= 1.1 * width) >= 0.5 * len(long):
            wrap = width
    units: list[Unit] = []
    current: Optional[Unit] = None
    gap = True
    for n, raw in enumerate(lines):
        if not raw.strip():
            current, gap = None, True
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        body = raw.strip()
        if "\t" in body or "\t" in raw[:indent]:
            cells = [c.strip() for c in raw.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if len([c for c in cells if c]) >= 2:
                units.append(Unit(" ".join(c for c in cells if c), "row", cells=cells, indent=indent, page=page.number,
                                  line=n, gap_before=gap, lines=[raw]))
                current, gap = None, False
                continue
        body = re.sub(r"\s+", " ", body)
        marker, number, rest = split_marker(body)
        bare = NUMBER_MARKER.match(body)
        if bare and not marker:
            units.append(Unit(body, "number", marker=body, number=bare.group(1), indent=indent, page=page.number, line=n,
                              gap_before=gap, lines=[raw]))
            current, gap = None, False
            continue
        if current is not None and not marker and current.kind != "number" and _continues(current.lines[-1], body, wrap):
            current.lines.append(body)  # joined into its text at the end (joined_texts)
            continue
        current = Unit(rest, "item" if marker else "para", marker=marker, number=number, indent=indent, page=page.number,
                       line=n, gap_before=gap, lines=[body])
        units.append(current)
        gap = False
    return joined_texts(units)


# --- pages with word boxes -------------------------------------------------------------------------


def _row_marker(row: Row) -> tuple[Optional[str], Optional[str], str, float]:
    marker, number, rest = split_marker(row.text)
    if marker and len(row.words) > 1:
        return marker, number, rest, row.boxes[1][0]
    return None, None, row.text, row.x0


@dataclass
class _Page:
    """What the grouping of a document's boxed rows needs to know about their layout."""

    origin: str
    body: float  # body text size (median row height)
    pitch: float  # line pitch of body text
    right: float  # right edge of the text

    @property
    def ocr(self) -> bool:
        return self.origin != "text-layer"


def _runs_on(unit: Unit, prev: Row, row: Row, cont_x: float, page: _Page) -> bool:
    """Does `row` continue `unit`, whose last row is `prev`? Line pitch, size, weight, indentation
    and how the previous row ends (a sentence, a short line, a dangling "de") decide."""
    ends = bool(TERMINAL.search(prev.text))
    dangling = bool(DANGLING.search(prev.text))
    lower = row.text[:1].islower() and not ends  # no paragraph starts in lower case
    # size: OCR boxes follow each word's ascenders, so OCR compares size classes (heading / body) of
    # rows long enough to tell, and lets a sentence that visibly goes on run whatever the heights
    tallest = max(row.height, prev.height)
    ratio = abs(row.height - prev.height) / tallest if tallest > 0 else 0.0  # boxes without height: no size to compare
    same_size = ratio <= (0.35 if page.ocr else 0.2)
    both_big = page.ocr and min(prev.height, row.height) > 1.18 * page.body
    if page.ocr:
        big = [r.height > 1.18 * page.body if len(r.words) >= 3 else None for r in (prev, row)]
        caps_run = _caps(row.text) and _caps(prev.text)
        if (unit.kind != "item" or unit.number is not None) and not dangling and not caps_run and None not in big:
            same_size = same_size and big[0] == big[1]
        if dangling or lower:
            same_size = ratio <= 0.5
    same_weight = row.bold is None or prev.bold is None or row.bold == prev.bold
    heading_run = bool(row.bold and prev.bold) or (_caps(row.text) and _caps(prev.text)) or both_big
    width = page.right - unit.indent
    short = prev.column is None and prev.x1 < page.right - 0.12 * width
    if short and (ends or (row.text[:1].isupper() and not dangling and not heading_run)):
        return False  # a short line ends its paragraph
    full = dangling or heading_run or lower or prev.x1 >= page.right - 0.04 * width
    tol = (6.0 if page.ocr else 3.5) * (1 if row.page == prev.page else 2.5)
    aligned = (abs(row.x0 - cont_x) <= tol
               or (len(unit.lines) == 1 and row.x0 < cont_x and unit.kind == "para")  # first-line indent
               or (abs(row.x0 - unit.indent) <= tol and full and not ends))  # back to the marker's x
    if row.page != prev.page:  # a paragraph or item running on to the next page
        step_ok = not ends and row.column == prev.column
    else:
        scale = max(row.height, prev.height) / page.body if page.body else 1
        step_ok = row.column == prev.column and 0 < row.yc - prev.yc <= 1.3 * page.pitch * max(scale, 1)
    # a bold run inside a sentence (a key figure, a lead word) changes the weight, not the paragraph
    same_weight = same_weight or ((lower or dangling) and not ends)
    return step_ok and same_size and same_weight and aligned


def boxed_units(rows: list[Row], origin: str, body_size: float) -> list[Unit]:
    pitches = [b.yc - a.yc for a, b in zip(rows, rows[1:]) if a.column == b.column
               and abs(a.height - body_size) < 0.2 * body_size and abs(b.height - a.height) < 0.15 * a.height and b.yc > a.yc]
    page = _Page(origin, body_size, statistics.median(pitches) if pitches else 1.4 * body_size,
                 max((r.x1 for r in rows), default=0))
    units: list[Unit] = []
    current: Optional[Unit] = None
    prev: Optional[Row] = None
    cont_x = 0.0
    for row in rows:
        cells = [c for c in row.cells() if re.search(r"[\w%$€]", c[0])]  # OCR specks are no cell
        if not re.search(r"\w\w", row.text):
            continue
        marker, number, rest, text_x = _row_marker(row)
        if (current is not None and prev is not None and current.kind in ("para", "item", "heading") and len(cells) == 1
                and marker is None and _runs_on(current, prev, row, cont_x, page)):
            current.lines.append(row.text)  # joined into its text at the end (joined_texts)
            if row.page == current.page:  # provenance: the box on the unit's first page
                box, (x0, top, x1, bottom) = row.bbox(), current.bbox
                current.bbox = (min(x0, box[0]), min(top, box[1]), max(x1, box[2]), max(bottom, box[3]))
            prev = row
            continue
        gap = (prev is None or row.page != prev.page or row.column != prev.column
               or row.yc - prev.yc > 1.3 * page.pitch * max(row.height / body_size, 1))
        common = dict(indent=row.x0, size=row.height, bold=row.bold, page=row.page, line=row.index, bbox=row.bbox(),
                      origin=origin, gap_before=gap, lines=[row.text])
        if len(cells) >= 2:
            current = Unit(row.text, "row", cells=[c[0] for c in cells], cell_x=[(c[1], c[2]) for c in cells], **common)
            units.append(current)
            prev, cont_x = row, row.x0
            continue
        bare = NUMBER_MARKER.match(row.text.strip())
        if marker:
            current = Unit(rest, "item", marker=marker, number=number, **common)
        elif bare and len(row.words) == 1:
            current = Unit(row.text, "number", marker=row.text.strip(), number=bare.group(1), **common)
        else:
            big = row.height > (1.3 if page.ocr else 1.15) * body_size
            heading = (big or row.bold) and not row.text.rstrip().endswith(".")
            current = Unit(row.text, "heading" if heading else "para", **common)
        units.append(current)
        prev, cont_x = row, text_x
    return joined_texts(units)


def joined_texts(units: list[Unit]) -> list[Unit]:
    """Each unit's first text and its continuation lines, joined once (joining line by line copies
    the text so far at every line: quadratic on a long paragraph)."""
    for unit in units:
        if len(unit.lines) > 1:
            unit.text = join_wrapped_lines([unit.text, *unit.lines[1:]])
    return units


# --- HTML pages ------------------------------------------------------------------------------------


def html_units(page: Page) -> list[Unit]:
    units = []
    for block in page.blocks:
        line = block.line_ids[0] if block.line_ids else 0
        if block.kind == "table" and block.rows:
            for k, cells in enumerate(block.rows):
                units.append(Unit(" ".join(c for c in cells if c), "row", cells=list(cells), page=page.number,
                                  line=block.line_ids[k] if k < len(block.line_ids) else line, origin="html"))
            continue
        text = re.sub(r"\s+", " ", block.text).strip()
        if not text:
            continue
        marker, number, rest = split_marker(text)
        kind = {"heading": "heading", "list_item": "item"}.get(block.kind, "para")
        ordered = getattr(block, "ordered", None)
        unit = Unit(rest if marker else text, kind, marker=marker, number=number, level=block.level, page=page.number,
                    line=line, origin="html", lines=[text])
        if kind == "item" and not marker and ordered:
            unit.marker = "#"
        units.append(unit)
    return units


def mark_repeated(units: list[Unit]) -> None:
    """Short units whose text recurs three times or more (running headers of a dump)."""
    counts: dict[str, int] = {}
    for unit in units:
        if unit.kind in ("para", "heading") and len(unit.text) <= 80:
            key = unit.text.casefold()
            counts[key] = counts.get(key, 0) + 1
    for unit in units:
        if unit.kind in ("para", "heading") and counts.get(unit.text.casefold(), 0) >= 3:
            unit.repeated = True


def document_units(document: Document) -> list[Unit]:
    units: list[Unit] = []
    boxed = [p for p in document.pages if p.origin != "html" and p.words and p.words[0].bbox is not None]
    rows_of = dict(zip((p.number for p in boxed), document_rows(boxed))) if boxed else {}
    heights = [r.height for rows in rows_of.values() for r in rows for _ in r.words if r.height > 0]
    body = statistics.median(heights) if heights else 10.0  # degenerate boxes (no height) say nothing of size
    origin = boxed[0].origin if boxed else "text"
    if rows_of:
        units.extend(boxed_units([r for rows in rows_of.values() for r in rows], origin, body))
    for page in document.pages:
        if page.origin == "html" or page.blocks:
            units.extend(html_units(page))
        elif page.number not in rows_of:
            units.extend(text_units(page))
    mark_repeated(units)
    return units


def mark_footnotes(units: list[Unit]) -> None:
    """A unit opening with '*' after a word carrying a '*' call (mobilisés*) is that footnote."""
    called = False
    for unit in units:
        if called and unit.marker == "*":
            unit.kind, unit.marker = "note", None
            continue
        if re.search(r"[^\W\d_]\*(?=[\s,.;:)]|$)", unit.text):
            called = True
