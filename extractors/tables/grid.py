"""Structure of one table region: columns, rows, cells (steps 3-5 of `extractors.tables.detect`).

Columns are the x-runs most segments cover (a few spanning headers do not close a gap); vertical
rulings crossing the region cut columns, and a ruled column holding two aligned text columns is
cut again. A segment over several columns spans them, unless a wide word gap lies in the
whitespace between them (tight right-aligned headers), where it is cut. Rows come from
`extractors.tables.rows`. In ruled tables, neighbouring slots no ruling separates are one cell (row
and column spans); empty rows and columns are dropped. Header rows are those above the first row
with a key-column entry, or a bold or ruled-off first row.
"""
from __future__ import annotations

import statistics
from typing import Optional, Sequence

from extractors.layout import union_bbox
from extractors.tables.geometry import CAPTION, MIN_SEPARATOR, SegmentLine, overlap, Region, Rule, Segment
from extractors.tables.rows import (
    HEADER_ZONE_LINES,
    band_needs_split,
    covers,
    key_column,
    line_columns,
    numbered_column,
    rules_between,
    split_groups,
    text_rows,
)
from schemas import BBox, Page, Word
from schemas.table import Cell, Table, TableProvenance, TableSegment

# --- Structure --------------------------------------------------------------------------------


def _text_cores(lines: list[SegmentLine], x0: float, x1: float, unit: float) -> list[list[float]]:
    """x-runs covered by enough segments: the columns of an unruled table.

    A segment on a one-segment line counts a fifth (a section label centred over the table, or a
    wrapped line of a long cell, should not fill a gap the other lines leave open); a run left open by all but ~12% of the
    multi-segment lines is still a gap, so a few spanning headers do not join two columns.
    """
    step = 0.5
    n = max(1, int((x1 - x0) / step) + 1)
    cover = [0.0] * n
    for line in lines:
        mark = 0.2 if len(line.segs) < 2 and len(lines) > 3 else 1.0
        for s in line.segs:
            a = max(0, int((s.x0 - x0) / step))
            b = min(n - 1, int((s.x1 - x0) / step))
            for i in range(a, b + 1):
                cover[i] += mark
    n_multi = sum(1 for l in lines if len(l.segs) >= 2)
    threshold = max(0.25, 0.12 * n_multi)
    cores: list[list[float]] = []
    start = None
    for i in range(n):
        filled = cover[i] > threshold
        if filled and start is None:
            start = i
        elif not filled and start is not None:
            cores.append([x0 + start * step, x0 + i * step])
            start = None
    if start is not None:
        cores.append([x0 + start * step, x0 + n * step])
    merged: list[list[float]] = []
    for c in cores:
        if merged and c[0] - merged[-1][1] < MIN_SEPARATOR * unit:
            merged[-1][1] = c[1]
        else:
            merged.append(c)
    return merged


def _columns(lines: list[SegmentLine], x0: float, x1: float, vcuts: list[float], unit: float) -> tuple[list[tuple[float, float]], set[int]]:
    """Column intervals, and the indices of column boundaries drawn as vertical rulings.

    Ruled tables take their columns from the rulings; a ruled column holding two aligned text
    columns (a partly ruled table) is split again at its whitespace.
    """
    if not vcuts:
        return [(a, b) for a, b in _text_cores(lines, x0, x1, unit)], set()
    bounds = [x0] + sorted(vcuts) + [x1]
    cols: list[tuple[float, float]] = []
    ruled: set[int] = set()
    for a, b in zip(bounds, bounds[1:]):
        sub = [SegmentLine(l.top, l.bottom, [s for s in l.segs if a <= (s.x0 + s.x1) / 2 <= b]) for l in lines]
        sub = [l for l in sub if l.segs]
        if not sub:
            continue
        if cols:
            ruled.add(len(cols) - 1)  # boundary between the previous column and this one
        # a ruled column is split again only when most of its lines hold two aligned cells (a
        # justified header "Pct  of  FTSE" is not two columns)
        multi = sum(1 for l in sub if len(l.segs) >= 2)
        cores = _text_cores(sub, a, b, unit) if multi >= 3 else []
        if len(cores) <= 1:
            cols.append((a, b))
            continue
        cuts = [(cores[i][1] + cores[i + 1][0]) / 2 for i in range(len(cores) - 1)]
        edges = [a] + cuts + [b]
        cols.extend(zip(edges, edges[1:]))
    return [c for c in cols if c[1] - c[0] > 0.2], ruled


def _assign_columns(seg: Segment, cols: list[tuple[float, float]]) -> tuple[int, int]:
    """Columns a segment covers: those whose core it overlaps by more than a quarter of the
    narrower of the two (a right-aligned header sticking out over the column to its left does
    not span it)."""
    width = seg.x1 - seg.x0
    hit = [j for j, (a, b) in enumerate(cols) if overlap(seg.x0, seg.x1, a, b) > max(min(1.0, 0.3 * width), 0.25 * min(width, b - a))]
    if not hit:
        cx = (seg.x0 + seg.x1) / 2
        j = min(range(len(cols)), key=lambda j: min(abs(cx - cols[j][0]), abs(cx - cols[j][1])))
        return j, j
    return hit[0], hit[-1]


# A word gap this wide (text heights; word spaces are ~0.3) that falls between two columns of the
# table splits a segment: tight, right-aligned headers leave less than SEGMENT_GAP between them.
COLUMN_SPLIT_GAP = 0.45


def _split_at_columns(seg: Segment, cols: list[tuple[float, float]], words: Sequence[Word], unit: float) -> list[Segment]:
    """Cut a segment where a wide word gap lies in the whitespace between two columns (`cols`:
    the x-extent of each column's cells)."""
    if len(seg.ids) < 2 or len(cols) < 2:
        return [seg]
    pieces: list[list[int]] = [[seg.ids[0]]]
    for a, b in zip(seg.ids, seg.ids[1:]):
        ga, gb = words[a].bbox[2], words[b].bbox[0]
        cut = gb - ga >= COLUMN_SPLIT_GAP * unit and any(
            cols[j][1] - 0.5 <= ga and gb <= cols[j + 1][0] + 0.5 for j in range(len(cols) - 1))
        if cut:
            pieces.append([b])
        else:
            pieces[-1].append(b)
    if len(pieces) == 1:
        return [seg]
    out = []
    for ids in pieces:
        box = union_bbox([words[i].bbox for i in ids])
        bolds = [words[i].bold for i in ids if words[i].bold is not None]
        out.append(Segment(box[0], box[1], box[2], box[3], ids, " ".join(words[i].text for i in ids),
                        (sum(bolds) * 2 > len(bolds)) if bolds else None, line=seg.line))
    return out



def build_table(page: Page, lines: list[SegmentLine], region: Region, hs: list[Rule], vs: list[Rule], unit: float) -> Optional[Table]:
    clip0, clip1 = (region.box[0] - 1, region.box[2] + 1) if region.box else (float("-inf"), float("inf"))
    views: dict[int, SegmentLine] = {}
    for k in sorted(region.lines):
        segs = [s for s in lines[k].segs if clip0 <= (s.x0 + s.x1) / 2 <= clip1]
        if segs and CAPTION.match(segs[0].text):
            continue  # "Table 3 ..." drawn inside the frame is not a row
        # nor a figure caption (and the title after it) sharing a line with a row beside it
        cut = next((i for i, s in enumerate(segs) if CAPTION.match(s.text)), len(segs))
        segs = segs[:cut]
        if segs:
            views[k] = SegmentLine(min(s.top for s in segs), max(s.bottom for s in segs), segs)
    ids = sorted(views, key=lambda k: (views[k].top + views[k].bottom) / 2)
    if len(ids) < 2:
        return None
    segs = [s for k in ids for s in views[k].segs]
    if region.box is not None:
        x0, top, x1, bottom = region.box
    else:
        x0, x1 = min(s.x0 for s in segs), max(s.x1 for s in segs)
        top, bottom = min(s.top for s in segs), max(s.bottom for s in segs)
    height = bottom - top
    # vertical rulings crossing at least half the table (pieces at one x add up: a rule is often
    # drawn cell by cell, or broken where a thick horizontal rule crosses it)
    covered: dict[float, float] = {}
    for v in vs:
        if x0 + 2 < v.pos < x1 - 2:
            pos = next((p for p in covered if abs(p - v.pos) <= 1.5), v.pos)
            covered[pos] = covered.get(pos, 0.0) + max(0.0, overlap(v.lo, v.hi, top, bottom))
    vcuts = sorted(p for p, length in covered.items() if length >= 0.5 * height)
    cols, ruled_cols = _columns([views[k] for k in ids], x0, x1, vcuts, unit)
    if len(cols) < 2:
        return None
    for s in segs:
        s.col0, s.col1 = _assign_columns(s, cols)
    # where the cells of each column actually lie (one-column segments): a segment spanning
    # columns is cut at a wide word gap in the whitespace between two of them
    extents = []
    for c in range(len(cols)):
        own = [s for s in segs if s.col0 == s.col1 == c]
        extents.append((min(s.x0 for s in own), max(s.x1 for s in own)) if own else cols[c])
    for k in ids:
        pieces = []
        for s in views[k].segs:
            pieces.extend(_split_at_columns(s, extents, page.words, unit) if s.col1 > s.col0 else [s])
        views[k].segs = pieces
    segs = [s for k in ids for s in views[k].segs]
    for s in segs:  # again, against where the cells are rather than the column bounds
        s.col0, s.col1 = _assign_columns(s, extents)
    for k in ids:
        # a section label alone on its line, flush left, belongs to the first column even when
        # it runs on over the next one
        only = views[k].segs[0]
        if len(views[k].segs) == 1 and only.col0 == 0 and only.x0 <= x0 + 2 * unit:
            only.col1 = 0
    n_cols = len(cols)
    key = key_column(views, n_cols)
    numbered_col = numbered_column(views, n_cols)
    gaps = [max(0.0, views[b].top - views[a].bottom) for a, b in zip(ids, ids[1:])]
    usual_gap = statistics.median(gaps) if gaps else 0.0

    # bands between horizontal rulings that cross at least one column
    bands: list[list[int]] = [[ids[0]]]
    band_rules: list[list[Rule]] = []
    for a, b in zip(ids, ids[1:]):
        rules = rules_between(hs, views[a], views[b], x0, x1)
        if rules and any(covers(rules, c0, c1, 0.8) for c0, c1 in cols):
            bands.append([b])
            band_rules.append(rules)
        else:
            bands[-1].append(b)
    rows: list[list[int]] = []
    rules_above: list[Optional[list[Rule]]] = []
    under_group: set[int] = set()
    zone = {views[k].segs[0].line for k in ids[:HEADER_ZONE_LINES]}
    # rules under (nearly) every row: each band is one row, whatever its lines look like
    # (rules in the header, spanners and the rule under the header, do not count)
    stub_lines = min(sum(1 for k in ids if key in line_columns(views[k])), sum(1 for k in ids if 0 in line_columns(views[k])))
    body_rules = sum(1 for band in bands[1:] if ids.index(band[0]) >= HEADER_ZONE_LINES)
    row_ruled = body_rules >= 3 and body_rules >= 0.25 * stub_lines
    for n, band in enumerate(bands):
        grouped: set[int] = set()
        if len(bands) == 1 or (not row_ruled and band_needs_split(views, band, key)):
            parts, grouped = text_rows(views, band, key, numbered_col, usual_gap, unit, hs, zone)
        else:
            parts, grouped = split_groups(views, band, hs, zone, key)
        for m, part in enumerate(parts):
            if m in grouped:
                under_group.add(len(rows))
            rows.append(part)
            rules_above.append(band_rules[n - 1] if (m == 0 and n > 0) else None)
    if len(rows) < 2:
        return None

    # slot grid: groups are rectangles (r0, r1, c0, c1) with their segments
    n_rows = len(rows)
    groups: list[list] = []  # [r0, r1, c0, c1, segs]
    owner = [[-1] * n_cols for _ in range(n_rows)]
    for r, part in enumerate(rows):
        for k in part:
            for s in views[k].segs:
                hit = {owner[r][c] for c in range(s.col0, s.col1 + 1) if owner[r][c] >= 0}
                if hit:
                    g = groups[min(hit)]
                    for h in sorted(hit - {min(hit)}):
                        other = groups[h]
                        g[4].extend(other[4])
                        g[2], g[3] = min(g[2], other[2]), max(g[3], other[3])
                        other[4] = []
                        other[2] = other[3] = -1
                    g[2], g[3] = min(g[2], s.col0), max(g[3], s.col1)
                    g[4].append(s)
                    gi = min(hit)
                else:
                    groups.append([r, r, s.col0, s.col1, [s]])
                    gi = len(groups) - 1
                for c in range(groups[gi][2], groups[gi][3] + 1):
                    owner[r][c] = gi
    row_span = [(min(views[k].top for k in part), max(views[k].bottom for k in part)) for part in rows]

    def group_at(r: int, c: int) -> tuple[int, list]:
        gi = owner[r][c]
        if gi < 0:
            groups.append([r, r, c, c, []])
            gi = len(groups) - 1
            owner[r][c] = gi
        return gi, groups[gi]

    def try_merge(ga: int, gb: int) -> None:
        a, b = groups[ga], groups[gb]
        if ga == gb:
            return
        r0, r1 = min(a[0], b[0]), max(a[1], b[1])
        c0, c1 = min(a[2], b[2]), max(a[3], b[3])
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area != (a[1] - a[0] + 1) * (a[3] - a[2] + 1) + (b[1] - b[0] + 1) * (b[3] - b[2] + 1):
            return  # the union would not be a rectangle
        a[0], a[1], a[2], a[3] = r0, r1, c0, c1
        a[4] = a[4] + b[4]
        b[4] = []
        b[0] = b[1] = b[2] = b[3] = -1
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[r][c] = ga

    # ruled tables: neighbouring slots with no ruling between them are one cell
    for j in sorted(ruled_cols):
        xa, xb = cols[j][1], cols[j + 1][0]  # differ when an empty ruled column was dropped
        for r in range(n_rows):
            ytop, ybot = row_span[r]
            crossing = [v for v in vs if xa - 3 <= v.pos <= xb + 3 and overlap(v.lo, v.hi, ytop, ybot) >= 0.5 * (ybot - ytop)]
            if not crossing:
                ga, _ = group_at(r, j)
                gb, _ = group_at(r, j + 1)
                if bool(groups[ga][4]) != bool(groups[gb][4]):
                    try_merge(ga, gb)
    # (a column crossed by one rule only, the one under the header, is an unruled stub, not one
    # tall cell)
    ruled_rows_in = [sum(1 for rules in rules_above if rules and covers(rules, cols[c][0], cols[c][1], 0.5)) >= 2
                     for c in range(n_cols)]
    for r in range(1, n_rows):
        rules = rules_above[r]
        if not rules:
            continue
        for c in range(n_cols):
            if ruled_rows_in[c] and not covers(rules, cols[c][0], cols[c][1], 0.5):
                ga, _ = group_at(r - 1, c)
                gb, _ = group_at(r, c)
                if groups[ga][4] or groups[gb][4]:
                    try_merge(ga, gb)
    # header rows split by a group header: outside the groups, a header cell above is one cell
    # with the one below it
    for r in sorted(under_group):
        for c in range(n_cols):
            ga = owner[r - 1][c]
            if ga < 0 or not groups[ga][4] or groups[ga][2] != groups[ga][3]:
                continue
            gb, _ = group_at(r, c)
            try_merge(ga, gb)

    live = [g for g in groups if g[4]]
    # drop rows and columns where no cell starts
    keep_rows = sorted({g[0] for g in live})
    keep_cols = sorted({g[2] for g in live})
    if len(keep_rows) < 2 or len(keep_cols) < 2:
        return None
    row_index = {r: i for i, r in enumerate(keep_rows)}
    col_index = {c: i for i, c in enumerate(keep_cols)}

    def last_kept(index: dict[int, int], keep: list[int], upto: int) -> int:
        return max(index[x] for x in keep if x <= upto)

    cells = []
    header_rows = _header_rows(rows, views, key, hs, (x0, top, x1, bottom))
    for g in sorted(live, key=lambda g: (g[0], g[2])):
        r0, c0 = row_index[g[0]], col_index[g[2]]
        r1, c1 = last_kept(row_index, keep_rows, g[1]), last_kept(col_index, keep_cols, g[3])
        gsegs = g[4]
        cells.append(Cell(
            row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1, text=_text_of(gsegs), page=page.number,
            bbox=union_bbox([(s.x0, s.top, s.x1, s.bottom) for s in gsegs]),
            word_ids=[i for s in sorted(gsegs, key=lambda s: (s.line, s.x0)) for i in s.ids],
            header=g[0] < header_rows,
        ))
    header_rows = sum(1 for r in keep_rows if r < header_rows)
    bbox = (x0, top, x1, bottom)
    method = region.method
    if method == "text-alignment" and (vcuts or any(rules_above)):
        method = "mixed"
    return Table(
        page=page.number, bbox=bbox, n_rows=len(keep_rows), n_cols=len(keep_cols), header_rows=header_rows, cells=cells,
        provenance=TableProvenance(
            method=method,
            segments=[TableSegment(page=page.number, bbox=bbox, first_row=0, n_rows=len(keep_rows))],
            notes=region.notes,
        ),
    )


def _text_of(segs: Sequence[Segment]) -> str:
    out: list[str] = []
    last_line = None
    for s in sorted(segs, key=lambda s: (s.line, s.x0)):
        if last_line is None:
            out.append(s.text)
        elif s.line == last_line:
            out.append(" " + s.text)
        else:
            out.append("\n" + s.text)
        last_line = s.line
    return "".join(out)


def _header_rows(rows: list[list[int]], views: dict[int, SegmentLine], key: int, hs: list[Rule], bbox: BBox) -> int:
    """Rows above the first row with a key-column entry; else the first row when it is bold over
    plain rows or sits above a rule across the table."""
    n = 0
    for part in rows:
        if any(s.col0 == key for k in part for s in views[k].segs):
            break
        n += 1
    if n >= len(rows):
        n = 0
    if n == 0 and len(rows) >= 3:
        first = [s for k in rows[0] for s in views[k].segs]
        second = [s for k in rows[1] for s in views[k].segs]
        bold_first = all(s.bold for s in first)
        bold_second = any(s.bold for s in second)
        below = max(views[k].bottom for k in rows[0])
        above = min(views[k].top for k in rows[1])
        ruled = any(below - 1.5 <= h.pos <= above + 1.5 and overlap(h.lo, h.hi, bbox[0], bbox[2]) >= 0.8 * (bbox[2] - bbox[0]) for h in hs)
        if (bold_first and not bold_second) or ruled:
            n = 1
    return n


