"""Tables stage: a Document -> every table in it (`Document.tables`), with the role of each column.

Each page with word boxes (text layer or OCR) is read by `extractors.tables.detect.page_to_tables`
with its drawn rules and shaded cells; a scan is levelled first (`extractors.tables.level`) and its
rules come from its image. Tables continued over pages are joined, every column gets a role from
its header and its cells (`extractors.tables.roles`), and a heading printed just above a table
("AXE 2 – Mobilité", "6.1. COOPERATION ...") is kept with it.
"""
from __future__ import annotations

from typing import Optional

from extractors.tables.detect import merge_continued_tables, page_to_tables
from extractors.tables.level import level_page, level_rulings, unlevel_table
from extractors.tables.roles import assign_roles, heading_above, is_measure_table, with_header
from schemas import Document, Page
from schemas.table import Ruling, Table

# A rule found this far inside an OCR word's box (points) runs through the word: OCR boxes hug the
# ink loosely, a real rule close above a word can touch its box.
WORD_CLEARANCE = -0.5
# A scanned page is searched for drawn rules only when this many of its lines are cut into two or
# more cells (reading the image again costs about as much as a third of its OCR).
MIN_TABLE_LINES = 3


def document_to_tables(document: Document) -> list[Table]:
    """Every table of the document's pages with word boxes, in page order."""
    found: list[Table] = []
    pages = [p for p in document.pages if any(w.bbox is not None for w in p.words)]
    for page in pages:
        level, angle = level_page(page)
        rulings = page_rulings(document, page, level, angle)
        tables = page_to_tables(level, rulings, page.shades)
        found.extend(with_header(unlevel_table(t, angle)) for t in tables)
    merged = merge_continued_tables(found, pages)
    by_number = {p.number: p for p in pages}
    out = []
    for table in merged:
        table = assign_roles(table.model_copy(update={"headings": heading_above(table, by_number[table.page])}), by_number)
        out.append(table.model_copy(update={"measures": is_measure_table(table)}))
    return out


def page_rulings(document: Document, page: Page, level: Page, angle: float) -> list[Ruling]:
    """The drawn rules of a page in the levelled frame: `Page.rulings`, else, for a scan that
    seems to hold a table, the rules found in its image (the one place that reads them there; the
    OCR step is to put them in `Page.rulings`)."""
    if page.rulings:
        return level_rulings(page.rulings, angle)
    if page.origin != "ocr" or not _looks_tabular(level):
        return []
    return bridge_short_gaps(clear_of_words(_rulings_from_image(document, page, angle) or [], level), level)


def bridge_short_gaps(rulings: list[Ruling], page: Page) -> list[Ruling]:
    """A scan's horizontal rule that stops short of a vertical one: the piece between them is shorter
    than the shortest rule the image search can see (`extractors.ocr.rulings.MIN_RULE`), so it was
    not seen; the rule goes on to the vertical (a narrow "N°" column keeps the rules of its rows),
    unless a word lies across the piece."""
    from extractors.ocr.rulings import MIN_RULE

    boxes = [w.bbox for w in page.words if w.bbox is not None and w.text.strip()]

    def clear(a: float, b: float, at: float, horizontal: bool) -> bool:
        """No word lies across the piece of rule from a to b (a bar's text stops a vertical rule)."""
        if horizontal:
            return not any(b0[0] < b and b0[2] > a and b0[1] - WORD_CLEARANCE < at < b0[3] + WORD_CLEARANCE for b0 in boxes)
        return not any(b0[1] < b and b0[3] > a and b0[0] - WORD_CLEARANCE < at < b0[2] + WORD_CLEARANCE for b0 in boxes)

    out = []
    for r in rulings:
        if not r.horizontal:
            out.append(r)  # rows are often shorter than a rule the search can see: a vertical
            continue       # rule missing across one is more likely not drawn (a bar) than not seen
        across = [c for c in rulings if c.horizontal != r.horizontal]
        lo, hi = (r.x0, r.x1) if r.horizontal else (r.top, r.bottom)
        at = (r.top + r.bottom) / 2 if r.horizontal else (r.x0 + r.x1) / 2

        def crossing(c: Ruling) -> tuple[float, float, float]:
            if r.horizontal:
                return (c.x0 + c.x1) / 2, c.top, c.bottom
            return (c.top + c.bottom) / 2, c.x0, c.x1

        stops = sorted(pos for pos, a, b in map(crossing, across) if a - 2 <= at <= b + 2)
        further = [pos for pos in stops if lo - MIN_RULE <= pos < lo - 3 and clear(pos, lo, at, r.horizontal)]
        lo = min(further) if further else lo
        further = [pos for pos in stops if hi + 3 < pos <= hi + MIN_RULE and clear(hi, pos, at, r.horizontal)]
        hi = max(further) if further else hi
        if r.horizontal:
            out.append(r.model_copy(update={"x0": lo, "x1": hi}))
        else:
            out.append(r.model_copy(update={"top": lo, "bottom": hi}))
    return out


def clear_of_words(rulings: list[Ruling], page: Page) -> list[Ruling]:
    """Rules found in a scan that do not run through a word: a drawn rule never crosses glyphs,
    but a shaded band with light text (a dark header row) leaves rule-like runs of ink between
    and through its letters; its two edges are what count."""
    boxes = [w.bbox for w in page.words if w.bbox is not None and w.text.strip()]
    out = []
    for r in rulings:
        if r.horizontal:
            y = (r.top + r.bottom) / 2
            crossed = any(b[1] - WORD_CLEARANCE < y < b[3] + WORD_CLEARANCE and b[0] < r.x1 and b[2] > r.x0 for b in boxes)
        else:
            x = (r.x0 + r.x1) / 2
            crossed = any(b[0] + 1 < x < b[2] - 1 and b[1] < r.bottom and b[3] > r.top for b in boxes)
        if not crossed:
            out.append(r)
    return out


def _looks_tabular(page: Page) -> bool:
    """Text set in columns somewhere on the page (what the aligned-text search finds), the cheap
    sign that its image is worth searching for rules."""
    from extractors.tables.geometry import page_segments, page_unit
    from extractors.tables.regions import text_regions

    unit = page_unit(page)
    lines = page_segments(page, [], unit)
    if sum(1 for line in lines if len(line.segs) >= 2) < MIN_TABLE_LINES:
        return False
    return bool(text_regions(lines, unit, page.width or max(l.x1 for l in lines), []))


def _rulings_from_image(document: Document, page: Page, angle: float) -> Optional[list[Ruling]]:
    from extractors.ocr.rulings import page_pixels, rulings_in_image

    read = page_pixels(document.source.path, document.source.kind, page)
    if read is None:
        return None
    try:
        return rulings_in_image(read[0], read[1], angle)
    except (ValueError, MemoryError):  # an image too odd to search: the page keeps no rules
        return None
