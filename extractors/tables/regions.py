"""Where the tables of a page are: runs of lines whose segments keep to common columns (step 2 of
`extractors.tables.detect`), and the plausibility checks that reject what aligned text also produces
(step 6: chart axes, rotated text, numbered lists, text set in columns).

Ruled boxes come from `extractors.tables.geometry.ruled_boxes`; this module finds the unruled
(text-alignment) regions among the lines no ruled table took.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractors.tables.geometry import (
    CAPTION,
    NUMBERING,
    is_bullet,
    SegmentLine,
    parse_number,
    overlap,
    Region,
    Rule,
    Segment,
)
from extractors.tables.settings import SETTINGS
from schemas.table import Cell, Table

# --- Region detection -------------------------------------------------------------------------


def _is_prose_line(line: SegmentLine, width: float) -> bool:
    if len(line.segs) != 1:
        return False
    s = line.segs[0]
    return s.n_words >= SETTINGS.segments.prose_words and (s.x1 - s.x0) >= SETTINGS.segments.prose_width * width


def _is_caption(line: SegmentLine) -> bool:
    return bool(CAPTION.match(line.segs[0].text))


def _crossed_gaps(seg: Segment, gaps: list[tuple[float, float]], unit: float) -> int:
    n = 0
    for g0, g1 in gaps:
        mid0, mid1 = g0 + 0.1 * (g1 - g0), g1 - 0.1 * (g1 - g0)
        if seg.x0 < mid1 and seg.x1 > mid0 and overlap(seg.x0, seg.x1, g0, g1) > 0.25 * unit:
            n += 1
    return n


def _gaps_link(a: list[tuple[float, float]], b: list[tuple[float, float]], unit: float) -> int:
    n = 0
    for g in b:
        if any(overlap(g[0], g[1], h[0], h[1]) >= SETTINGS.segments.min_separator * unit for h in a):
            n += 1
    return n


def text_regions(lines: list[Optional[SegmentLine]], unit: float, page_width: float, hs: list[Rule]) -> list[Region]:
    """Runs of lines whose segments keep to common columns (`None`: a line used by a ruled table)."""
    present = [l for l in lines if l is not None]
    text_width = (max(l.x1 for l in present) - min(l.x0 for l in present)) if present else page_width
    chains = RegionChain(lines, unit, hs, text_width)
    prev_bottom = None
    for k, line in enumerate(lines):
        if line is None:
            chains.close()
            prev_bottom = None
            continue
        if prev_bottom is not None and chains.gap_ends_table(prev_bottom, line):
            chains.close()
        # lines that overlap (a superscript, a cell set lower) keep the lower bottom
        if prev_bottom is not None and line.top < prev_bottom:
            prev_bottom = max(prev_bottom, line.bottom)
        else:
            prev_bottom = line.bottom
        if len(line.segs) >= 2:
            chains.add_multi(k, line)
        elif chains.chain:
            chains.add_single(k, line)
    chains.close()
    return chains.regions


@dataclass
class RegionChain:
    """The run of lines `text_regions` is building: its rows of two or more cells (`chain`), the
    one-cell lines waiting to be known inside the table or not (`pending`), and the column gaps of
    its recent rows (`ref_gaps`). `close` ends the run, a region when it has enough rows."""

    lines: list[Optional[SegmentLine]]
    unit: float
    hs: list[Rule]
    text_width: float
    regions: list[Region] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    chain: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    ref_gaps: list[tuple[float, float]] = field(default_factory=list)  # gaps of the chain's recent multi-segment lines
    n_multi: int = 0

    def close(self) -> None:
        lines, chain, unit = self.lines, self.chain, self.unit
        if self.n_multi >= SETTINGS.segments.min_text_rows:
            # the last row's wrapped cells: one-cell lines right under it, set tight, away from
            # the first column (a note under the table starts at its left edge)
            left = min(lines[c].x0 for c in chain)
            for k in self.pending:
                if lines[k].top - lines[chain[-1]].bottom > SETTINGS.regions.trailing_gap * unit or lines[k].x0 <= left + 2 * unit:
                    break
                chain.append(k)
            full = _extend_up(lines, chain, self.used, unit, self.hs, self.text_width) + chain
            self.regions.append(Region(full))
            self.used.update(full)
        self.chain, self.pending, self.ref_gaps, self.n_multi = [], [], [], 0

    def gap_ends_table(self, prev_bottom: float, line: SegmentLine) -> bool:
        """The gap above the line is wider than a table's, and no rule across the table bridges it
        (ruled rows are set with more padding)."""
        gap, unit = line.top - prev_bottom, self.unit
        return gap > SETTINGS.segments.max_line_gap * unit and not (
            self.chain and gap <= SETTINGS.regions.ruled_line_gap * unit
            and _rule_between(self.hs, prev_bottom, line.top, self.lines, self.chain))

    def add_multi(self, k: int, line: SegmentLine) -> None:
        """A line of two or more segments: a row when its gaps line up with the run's, else the
        start of a new run (or the end of one: prose, a caption)."""
        lines, unit = self.lines, self.unit
        if self.chain and _ruled_bar(line, min(lines[c].x0 for c in self.chain), max(lines[c].x1 for c in self.chain), unit, self.hs):
            self.pending.append(k)  # a section bar OCR cut in pieces: inside the table, not a row of cells
            return
        gaps = line.gaps()
        wide_prose = all(s.n_words >= SETTINGS.segments.prose_words for s in line.segs)
        if wide_prose or _is_caption(line):  # "Table 3.    Title" splits in two at its gap
            self.close()
            return
        if self.chain and _gaps_link(self.ref_gaps, gaps, unit) >= 1:
            self.chain.extend(self.pending)
            self.pending = []
            self.chain.append(k)
            self.n_multi += 1
            self.ref_gaps = _merge_gaps(self.ref_gaps, gaps, unit)
        else:
            self.close()
            self.chain, self.ref_gaps, self.n_multi = [k], gaps, 1

    def add_single(self, k: int, line: SegmentLine) -> None:
        """A one-segment line under a run: pending (a bar, a label, a wrapped cell) when it keeps
        to the run's columns, else the end of the run (prose, a caption)."""
        lines, unit = self.lines, self.unit
        chain_x0 = min(lines[c].x0 for c in self.chain)
        chain_x1 = max(lines[c].x1 for c in self.chain)
        if _ruled_bar(line, chain_x0, chain_x1, unit, self.hs) or section_bar(line, chain_x0, unit):
            self.pending.append(k)
            return
        if _is_prose_line(line, self.text_width) or _is_caption(line):
            self.close()
            return
        if _fits_columns(line.segs[0], chain_x0, chain_x1, self.ref_gaps, unit):
            self.pending.append(k)
        else:
            self.close()


def _fits_columns(seg: Segment, chain_x0: float, chain_x1: float, ref_gaps: list[tuple[float, float]], unit: float) -> bool:
    """A one-segment line that may belong to the table above: it crosses none of the table's column
    gaps; or it is a section label set flush left, which may run on over the next column; or one
    centred over the table, which crosses them all (kept only if aligned rows follow)."""
    crossed = _crossed_gaps(seg, ref_gaps, unit)
    width = chain_x1 - chain_x0
    flush_left = seg.x0 <= chain_x0 + 2 * unit and (seg.x1 - seg.x0) < 0.6 * width and crossed <= 2
    centred = (abs((seg.x0 + seg.x1) / 2 - (chain_x0 + chain_x1) / 2) < 0.15 * width
               and (seg.x1 - seg.x0) < 0.7 * width and seg.n_words <= 10)
    return crossed == 0 or flush_left or centred or (crossed == 1 and len(ref_gaps) >= 3 and seg.n_words <= 4)


def _ruled_bar(line: SegmentLine, x0: float, x1: float, unit: float, hs: list[Rule]) -> bool:
    """A section bar inside a table ("ORIENTATION 1 — RÉDUIRE ..."): a line set flush left, bold or
    in capitals, between rules drawn across the table (OCR may cut it at a wide space: its pieces
    are all bold or all capitals, close together)."""
    seg = line.segs[0]
    words = sum(s.n_words for s in line.segs)
    text = " ".join(s.text for s in line.segs)
    if seg.x0 > x0 + 2 * unit or words > 25 or text.rstrip().endswith("."):
        return False
    if any(b.x0 - a.x1 > SETTINGS.regions.bar_piece_gap * unit for a, b in zip(line.segs, line.segs[1:])):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    capitals = len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    if not (all(s.bold for s in line.segs) or capitals) or (len(line.segs) > 1 and not (capitals and words >= 4)):
        return False  # pieces of a bar are in capitals (a bold row of headings is a header)
    width = x1 - x0
    return any(overlap(h.lo, h.hi, x0, x1) >= 0.8 * width and (line.top - 1.2 * unit <= h.pos <= line.top + 0.2 * unit
                                                                or line.bottom - 0.2 * unit <= h.pos <= line.bottom + 1.2 * unit)
               for h in hs)


def section_bar(line: SegmentLine, x0: float, unit: float) -> bool:
    """A section bar of an unruled table: one line set flush left, bold or in capitals, that names
    an axis or a numbered section ("AXE 2 – SANTÉ", "ORIENTATION 3 : ...", "2. Loisirs")."""
    from extractors.tables.roles import AXIS_HEADING, NUMBERED_HEADING
    from extractors.tables.values import fold

    seg = line.segs[0]
    if len(line.segs) != 1 or seg.x0 > x0 + 2 * unit or seg.n_words > 25 or seg.text.rstrip().endswith("."):
        return False
    letters = [ch for ch in seg.text if ch.isalpha()]
    capitals = len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    return bool(seg.bold or capitals) and bool(AXIS_HEADING.match(fold(seg.text)) or NUMBERED_HEADING.match(seg.text))




def _rule_between(hs: list[Rule], top: float, bottom: float, lines: list[Optional[SegmentLine]], chain: list[int]) -> bool:
    x0 = min(lines[c].x0 for c in chain)
    x1 = max(lines[c].x1 for c in chain)
    return any(top - 1 <= h.pos <= bottom + 1 and overlap(h.lo, h.hi, x0, x1) >= 0.8 * (x1 - x0) for h in hs)




def _extend_up(lines: list[Optional[SegmentLine]], chain: list[int], used: set[int], unit: float, hs: list[Rule],
               text_width: float) -> list[int]:
    """Header lines directly above a table body: inside its width, tight above it, not a caption,
    not running text, and not above a rule across the table (its top rule)."""
    x0 = min(lines[c].x0 for c in chain)
    x1 = max(lines[c].x1 for c in chain)
    width = x1 - x0
    added: list[int] = []
    below = lines[chain[0]]
    k = chain[0] - 1
    while k >= 0 and len(added) < SETTINGS.regions.max_header_lines and k not in used:
        line = lines[k]
        if line is None or below.top - line.bottom > SETTINGS.regions.header_line_gap * unit:
            break
        if line.x0 < x0 - unit or line.x1 > x1 + unit:
            break
        if _is_caption(line) or _is_prose_line(line, text_width) or any(s.n_words >= SETTINGS.segments.prose_words for s in line.segs):
            break
        if any(line.bottom - 1.5 <= h.pos <= below.top + 1.5 and overlap(h.lo, h.hi, x0, x1) >= 0.8 * width for h in hs):
            break
        added.insert(0, k)
        below = line
        k -= 1
    return added


def _merge_gaps(old: list[tuple[float, float]], new: list[tuple[float, float]], unit: float) -> list[tuple[float, float]]:
    """Gaps of the chain so far: intersect overlapping gaps, keep the others (columns may be empty)."""
    out = []
    used = set()
    for g in old:
        hit = None
        for j, h in enumerate(new):
            if j not in used and overlap(g[0], g[1], h[0], h[1]) >= SETTINGS.segments.min_separator * unit:
                hit = j
                break
        if hit is None:
            out.append(g)
        else:
            used.add(hit)
            h = new[hit]
            out.append((max(g[0], h[0]), min(g[1], h[1])))
    out.extend(h for j, h in enumerate(new) if j not in used)
    return sorted(out)


# --- Plausibility ------------------------------------------------------------------------------


def _is_axis(values: list[float]) -> bool:
    """Tick labels of a chart's vertical axis: four or more numbers falling by a constant step."""
    if len(values) < 4:
        return False
    steps = [a - b for a, b in zip(values, values[1:])]
    return steps[0] > 0 and all(abs(s - steps[0]) <= 0.01 * abs(steps[0]) + 1e-9 for s in steps)


def _garbled(text: str) -> bool:
    """Rotated text read as a stack of one-letter words ("r e/von r/u t/li a")."""
    tokens = text.split()
    return len(tokens) >= 3 and sum(1 for t in tokens if len(t) <= 2 and t.isalpha()) >= 0.6 * len(tokens)


def plausible_table(table: Table) -> bool:
    """Reject what aligned text also produces: chart axes and legends, numbered lists."""
    by_col: dict[int, list[Cell]] = {}
    for c in table.cells:
        by_col.setdefault(c.col, []).append(c)
    for col, cells in by_col.items():
        cells.sort(key=lambda c: c.row)
        # runs of numeric cells, top to bottom; a cell holding several stacked ticks counts with
        # each of its lines
        run: list[float] = []
        for c in cells + [None]:
            parts = [parse_number(p) for p in c.text.split("\n")] if c is not None else [None]
            if all(v is not None for v in parts):
                run.extend(parts)
                continue
            if _is_axis(run):
                return False
            run = [v for v in parts if v is not None] if parts and parts[-1] is not None else []
    if sum(1 for c in table.cells if _garbled(c.text)) >= 2:
        return False
    # text set in columns (a two- or three-column page): every column reads as running text
    prose_cols = 0
    for col, cells in by_col.items():
        lines = [ln for c in cells for ln in c.text.split("\n")]
        if len(lines) >= 3 and sum(len(ln.split()) for ln in lines) / len(lines) >= SETTINGS.segments.prose_line_words:
            prose_cols += 1
    if prose_cols == len(by_col):
        return False
    if table.n_cols == 2 and not (table.provenance.method == "ruling" and table.n_rows >= 4):  # a ruled grid is a table
        first = by_col.get(0, [])
        if first and len(first) >= 2 and all(NUMBERING.match(c.text.split()[0]) or is_bullet(c.text.split()[0]) for c in first if c.text.split()) \
                and all(len(c.text.split()) == 1 for c in first):
            return False
    return True


