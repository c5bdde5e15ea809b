"""Tables stage: a Document -> every table in it (`Document.tables`), with the role of each column.

Each page with word boxes (text layer or OCR) is read by `extractors.tables.detect.page_to_tables`
with its drawn rules and shaded cells; a scan is levelled first (`extractors.tables.level`), its
rules (found in its image by OCR, `Page.rulings`) with it. Tables continued over pages are joined, every column gets a role from
its header and its cells (`extractors.tables.roles`), and a heading printed just above a table
("AXE 2 – Mobilité", "6.1. COOPERATION ...") is kept with it.
"""
from __future__ import annotations

import numpy as np

from extractors.ocr.settings import SETTINGS as OCR_SETTINGS
from extractors.tables.detect import merge_continued_tables, page_to_tables
from extractors.tables.level import level_page, level_rulings, unlevel_table
from extractors.tables.roles import assign_roles, heading_above, is_measure_table, with_header
from extractors.tables.settings import SETTINGS
from schemas import Document, Page
from schemas.table import Ruling, Table



def document_to_tables(document: Document) -> list[Table]:
    """Every table of the document's pages with word boxes, in page order."""
    found: list[Table] = []
    pages = [p for p in document.pages if any(w.bbox is not None for w in p.words)]
    for page in pages:
        level, angle = level_page(page)
        rulings = page_rulings(page, level, angle)
        tables = page_to_tables(level, rulings, page.shades)
        found.extend(with_header(unlevel_table(t, angle)) for t in tables)
    merged = merge_continued_tables(found, pages)
    by_number = {p.number: p for p in pages}
    out = []
    for table in merged:
        table = assign_roles(table.model_copy(update={"headings": heading_above(table, by_number[table.page])}), by_number)
        out.append(table.model_copy(update={"measures": is_measure_table(table)}))
    return out


def page_rulings(page: Page, level: Page, angle: float) -> list[Ruling]:
    """The drawn rules of a page in the levelled frame (`Page.rulings`: a born-digital page's from
    its PDF, a scanned page's found in its image by OCR). A scan's are cleared of runs through words
    and carried over the short gaps its image search cannot see."""
    rulings = level_rulings(page.rulings, angle)
    if page.origin != "ocr" or not rulings:
        return rulings
    return bridge_short_gaps(clear_of_words(merge_double_rules(rulings), level), level)


def merge_double_rules(rulings: list[Ruling]) -> list[Ruling]:
    """Two parallel rules closer than `RulingSettings.double_rule_gap` along most of their length are
    one border drawn double (a register's ruled rows; a shaded band's two edges read as rules): one rule at
    their middle, so no sliver row or column opens between them. Each rule joins the first rule
    kept so far that it doubles (numpy over those kept: a page of dense print or pictures can
    have several hundred runs found as rules)."""
    tolerances = SETTINGS.rulings
    out: list[Ruling] = []
    # what is compared, of each rule in `out`: orientation, position across, first and last along
    horizontal = np.zeros(len(rulings), dtype=bool)
    spans = np.zeros((len(rulings), 3))
    for r in sorted(rulings, key=lambda r: (not r.horizontal, r.top if r.horizontal else r.x0)):
        at, lo, hi = rule_span(r)
        kept = len(out)
        o_at, o_lo, o_hi = spans[:kept, 0], spans[:kept, 1], spans[:kept, 2]
        overlap = np.minimum(hi, o_hi) - np.maximum(lo, o_lo)
        doubles = np.flatnonzero((horizontal[:kept] == r.horizontal) & (np.abs(at - o_at) <= tolerances.double_rule_gap)
                                 & (overlap >= tolerances.double_rule_overlap * np.maximum(hi - lo, o_hi - o_lo)))
        if doubles.size:
            k = int(doubles[0])
            mid, lo2, hi2 = (at + float(o_at[k])) / 2, min(lo, float(o_lo[k])), max(hi, float(o_hi[k]))
            out[k] = (Ruling(x0=lo2, top=mid - 0.25, x1=hi2, bottom=mid + 0.25) if r.horizontal
                      else Ruling(x0=mid - 0.25, top=lo2, x1=mid + 0.25, bottom=hi2))
        else:
            k = kept
            out.append(r)
        horizontal[k], spans[k] = out[k].horizontal, rule_span(out[k])
    return out


def rule_span(r: Ruling) -> tuple[float, float, float]:
    """(position across, first, last along) of a rule."""
    return ((r.top + r.bottom) / 2, r.x0, r.x1) if r.horizontal else ((r.x0 + r.x1) / 2, r.top, r.bottom)


def bridge_short_gaps(rulings: list[Ruling], page: Page) -> list[Ruling]:
    """A scan's horizontal rule that stops short of a vertical one: the piece between them is shorter
    than the shortest rule the image search can see (`RulingSettings.min_rule`), so it was
    not seen; the rule goes on to the vertical (a narrow "N°" column keeps the rules of its rows),
    unless a word lies across the piece."""
    MIN_RULE = OCR_SETTINGS.rulings.min_rule
    clearance = SETTINGS.rulings.word_clearance
    boxes = [w.bbox for w in page.words if w.bbox is not None and w.text.strip()]

    def clear(a: float, b: float, at: float, horizontal: bool) -> bool:
        """No word lies across the piece of rule from a to b (a bar's text stops a vertical rule)."""
        if horizontal:
            return not any(b0[0] < b and b0[2] > a and b0[1] - clearance < at < b0[3] + clearance for b0 in boxes)
        return not any(b0[1] < b and b0[3] > a and b0[0] - clearance < at < b0[2] + clearance for b0 in boxes)

    out = []
    for r in rulings:
        if not r.horizontal:
            out.append(r)  # rows are often shorter than a rule the search can see: a vertical
            continue       # rule missing across one is more likely not drawn (a bar) than not seen
        across = [c for c in rulings if c.horizontal != r.horizontal]
        at, lo, hi = rule_span(r)
        # where each rule across it stands along it, and its extent across
        stops = sorted(pos for pos, a, b in map(rule_span, across) if a - 2 <= at <= b + 2)
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
    clearance = SETTINGS.rulings.word_clearance
    out = []
    for r in rulings:
        if r.horizontal:
            y = (r.top + r.bottom) / 2
            crossed = any(b[1] - clearance < y < b[3] + clearance and b[0] < r.x1 and b[2] > r.x0 for b in boxes)
        else:
            x = (r.x0 + r.x1) / 2
            crossed = any(b[0] + 1 < x < b[2] - 1 and b[1] < r.bottom and b[3] > r.top for b in boxes)
        if not crossed:
            out.append(r)
    return out
