"""Geometry shared by table detection and structure (`extractors.tables.detect`): the segments a reading
line is cut into, and drawn rulings; the tolerances are in `extractors.tables.settings`.

All lengths are in multiples of the page's median word height (`page_unit`) unless said otherwise.
**Segments** (step 1 of `extractors.tables.detect`): each reading line (`extractors.layout.words_to_lines`)
is cut into segments where the gap between two words is wider than `SegmentSettings.segment_gap`
text heights (word spaces are ~0.3) or a vertical ruling passes between them; a bullet stays with its text. A segment
is the part of a line that belongs to one cell. **Rulings**: drawn lines of a page
(`extractors.ingest.pdf_chars.page_rulings`), merged into horizontal and vertical rules (`merge_rules`); connected
rules with two or more of each direction are ruled boxes (`ruled_boxes`).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Iterable, Optional

from extractors.french import vocabulary as vocab
from extractors.layout import union_bbox, words_to_lines
from extractors.tables.settings import SETTINGS
from schemas import BBox, Page, Word
from schemas.table import Ruling


# --- Patterns and glyphs (the tolerances are in extractors.tables.settings) -------------------
# Glyphs that are only ever bullets: a word of one of them keeps the text after it in its segment
# however wide the gap ("•   text" is one list item, not two cells).
BULLET_GLYPHS = set(vocab.ROUND_BULLETS + vocab.POINTER_BULLETS + vocab.ARROW_CHECK_BULLETS)
# Also bullets when they open a line's first segment (or make up a column of markers): dashes, "*",
# "o" (a word processor's white bullet in a text font, as "o" in the text layer) and "§"; alone
# further right they are values ("-" for nothing).
BULLETS = BULLET_GLYPHS | set(vocab.DASH_BULLETS) | {"*", "o", "§"}
NUMBERING = re.compile(r"^(?:\(?\d{1,3}(?:[.)]\d{1,3})*[.)]?|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])$")
CAPTION = re.compile(r"^(?i:table|tableau|figure|graphique|graph|chart|exhibit|annexe?)\s*(?:\d|[IVXLC]+\b|[A-Z](?=[-.:\s\d]|$))")
CONTINUED = re.compile(r"\(?\b(?:suite|cont(?:inued|'d|\.)?|continuation)\b\)?", re.IGNORECASE)
CONNECTOR_END = re.compile(r"(?:[,;/&(\-–]|\b(?:and|or|of|the|to|for|in|with|et|ou|de|des|du|la|le|les|à|au|aux|pour|par|en|sur))$", re.IGNORECASE)

# --- Internal geometry ------------------------------------------------------------------------


@dataclass
class Segment:
    x0: float
    top: float
    x1: float
    bottom: float
    ids: list[int]
    text: str
    bold: Optional[bool]
    line: int = -1
    col0: int = -1
    col1: int = -1

    @property
    def n_words(self) -> int:
        return len(self.ids)


@dataclass
class SegmentLine:
    top: float
    bottom: float
    segs: list[Segment]

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.segs)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.segs)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def gaps(self) -> list[tuple[float, float]]:
        return [(a.x1, b.x0) for a, b in zip(self.segs, self.segs[1:])]


@dataclass
class Region:
    lines: list[int]
    box: Optional[BBox] = None  # the ruled box, when the region comes from rulings
    method: str = "text-alignment"
    notes: list[str] = field(default_factory=list)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


# --- Rulings ----------------------------------------------------------------------------------


@dataclass
class Rule:
    pos: float  # y of a horizontal rule, x of a vertical one
    lo: float  # extent along the rule
    hi: float


def merge_rules(rulings: Iterable[Ruling], horizontal: bool) -> list[Rule]:
    raw = []
    for r in rulings:
        if r.horizontal != horizontal:
            continue
        if horizontal:
            raw.append(Rule((r.top + r.bottom) / 2, min(r.x0, r.x1), max(r.x0, r.x1)))
        else:
            raw.append(Rule((r.x0 + r.x1) / 2, min(r.top, r.bottom), max(r.top, r.bottom)))
    raw.sort(key=lambda r: (r.pos, r.lo))
    # group by position, then join overlapping / touching extents
    groups: list[list[Rule]] = []
    for r in raw:
        if groups and abs(r.pos - groups[-1][-1].pos) <= 1.5:
            groups[-1].append(r)
        else:
            groups.append([r])
    merged = []
    for g in groups:
        pos = statistics.fmean(r.pos for r in g)
        g.sort(key=lambda r: r.lo)
        cur = Rule(pos, g[0].lo, g[0].hi)
        for r in g[1:]:
            if r.lo <= cur.hi + SETTINGS.rulings.meet_tolerance:
                cur.hi = max(cur.hi, r.hi)
            else:
                merged.append(cur)
                cur = Rule(pos, r.lo, r.hi)
        merged.append(cur)
    return [r for r in merged if r.hi - r.lo >= SETTINGS.rulings.min_length]


def ruled_boxes(hs: list[Rule], vs: list[Rule]) -> list[tuple[BBox, list[Rule], list[Rule]]]:
    """Connected groups of horizontal and vertical rules with at least two of each."""
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    t = SETTINGS.rulings.meet_tolerance
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - t <= v.pos <= h.hi + t and v.lo - t <= h.pos <= v.hi + t:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    boxes = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue
        x0 = min([h.lo for h in gh] + [v.pos for v in gv])
        x1 = max([h.hi for h in gh] + [v.pos for v in gv])
        top = min([h.pos for h in gh] + [v.lo for v in gv])
        bottom = max([h.pos for h in gh] + [v.hi for v in gv])
        boxes.append(((x0, top, x1, bottom), gh, gv))
    return boxes


# --- Lines and segments -----------------------------------------------------------------------


def is_bullet(text: str) -> bool:
    return text in BULLETS


def page_segments(page: Page, vs: list[Rule], unit: float) -> list[SegmentLine]:
    words = page.words
    lines = []
    for line in words_to_lines(words):
        ids = [i for i in line.word_ids if words[i].text.strip() and not _turned(words[i])]
        if not ids:
            continue
        ids.sort(key=lambda i: words[i].bbox[0])
        heights = [words[i].bbox[3] - words[i].bbox[1] for i in ids]
        h = max(min(statistics.median(heights), 2.5 * unit), 0.5 * unit)
        groups: list[list[int]] = [[ids[0]]]
        for prev, cur in zip(ids, ids[1:]):
            a, b = words[prev].bbox, words[cur].bbox
            gap = b[0] - a[2]
            split = gap > SETTINGS.segments.segment_gap * h
            if split and is_bullet(words[prev].text) and len(groups[-1]) == 1 and words[cur].text[:1].isalpha() \
                    and (words[prev].text in BULLET_GLYPHS or len(groups) == 1):
                split = False  # "•   text" is one list item, not two cells; "-" alone is a value
            if not split and gap > 0:
                for v in vs:
                    if a[2] - 1 <= v.pos <= b[0] + 1 and overlap(v.lo, v.hi, a[1], a[3]) > 0:
                        split = True
                        break
            if split:
                groups.append([cur])
            else:
                groups[-1].append(cur)
        segs = []
        for g in groups:
            box = union_bbox([words[i].bbox for i in g])
            bolds = [words[i].bold for i in g if words[i].bold is not None]
            bold = (sum(bolds) * 2 > len(bolds)) if bolds else None
            segs.append(Segment(box[0], box[1], box[2], box[3], g, " ".join(words[i].text for i in g), bold))
        top = min(s.top for s in segs)
        bottom = max(s.bottom for s in segs)
        lines.append(SegmentLine(top, bottom, segs))
    lines.sort(key=lambda l: (l.top + l.bottom) / 2)
    for k, line in enumerate(lines):
        for s in line.segs:
            s.line = k
    return lines


def _turned(word: Word) -> bool:
    """A word set a quarter turn (a chart's axis title, a turned column head): three letters or
    more in a box over twice as tall as wide, which no horizontal word can be. Rows are
    horizontal, so such words are left out of tables."""
    x0, top, x1, bottom = word.bbox
    return len(word.text) >= 3 and bottom - top > 2 * (x1 - x0)


def page_unit(page: Page) -> float:
    hs = [w.bbox[3] - w.bbox[1] for w in page.words
          if w.bbox is not None and w.bbox[3] > w.bbox[1] and w.text.strip() and not _turned(w)]
    return statistics.median(hs) if hs else 10.0



# --- Numbers (values, axis ticks) ----------------------------------------------------------------

NUMBER = re.compile(r"^[-+−]?\d{1,3}(?:[ ,.\u202f\u00a0]?\d{3})*(?:[.,]\d+)?\s*%?$")


def parse_number(text: str) -> Optional[float]:
    t = text.strip().replace("−", "-")
    if not NUMBER.match(t):
        return None
    t = t.rstrip("%").strip()
    # "1.000" / "1,000" / "1 000" as thousands when the group is exactly three digits
    if re.search(r"[ ,.\u202f\u00a0]\d{3}$", t) and not re.search(r"[.,]\d{1,2}$|[.,]\d{4,}$", t):
        t = re.sub(r"[ ,.\u202f\u00a0]", "", t)
    else:
        t = t.replace(" ", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None

