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

from typing import Optional, Sequence

from extractors.layout import union_bbox
from extractors.tables.geometry import CAPTION, SegmentLine, overlap, Region, Rule, Segment
from extractors.tables.rows import group_rows
from extractors.tables.settings import SETTINGS
from extractors.tables.slots import SlotGrid, fill_slots, merge_under_groups, merge_unruled_columns, merge_unruled_rows
from schemas import BBox, Page, Word
from schemas.table import Cell, Shade, Table, TableProvenance, TableSegment

# --- Structure --------------------------------------------------------------------------------


def _text_cores(lines: list[SegmentLine], x0: float, x1: float, unit: float) -> list[list[float]]:
    """x-runs covered by enough segments: the columns of an unruled table.

    A segment on a one-segment line counts a fifth (a section label centred over the table, or a
    wrapped line of a long cell, should not fill a gap the other lines leave open); a run left open by all but ~12% of the
    multi-segment lines is still a gap, so a few spanning headers do not join two columns.
    """
    tolerances = SETTINGS.grid
    step = tolerances.cover_step
    n = max(1, int((x1 - x0) / step) + 1)
    cover = [0.0] * n
    for line in lines:
        mark = tolerances.single_segment_cover if len(line.segs) < 2 and len(lines) > 3 else 1.0
        for s in line.segs:
            a = max(0, int((s.x0 - x0) / step))
            b = min(n - 1, int((s.x1 - x0) / step))
            for i in range(a, b + 1):
                cover[i] += mark
    n_multi = sum(1 for l in lines if len(l.segs) >= 2)
    threshold = max(tolerances.min_open_cover, tolerances.open_share * n_multi)
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
        if merged and c[0] - merged[-1][1] < SETTINGS.segments.min_separator * unit:
            merged[-1][1] = c[1]
        else:
            merged.append(c)
    return merged


def _columns(lines: list[SegmentLine], x0: float, x1: float, vcuts: list[float], unit: float) -> tuple[list[tuple[float, float]], set[int], set[int]]:
    """Column intervals, the indices of column boundaries drawn as vertical rulings, and the
    ruled columns that hold no text (kept: a chronogram's year columns may be empty on a page).

    Ruled tables take their columns from the rulings; a ruled column holding two aligned text
    columns (a partly ruled table) is split again at its whitespace.
    """
    if not vcuts:
        return [(a, b) for a, b in _text_cores(lines, x0, x1, unit)], set(), set()
    bounds = [x0] + sorted(vcuts) + [x1]
    cols: list[tuple[float, float]] = []
    ruled: set[int] = set()
    empty: set[int] = set()
    for a, b in zip(bounds, bounds[1:]):
        sub = [SegmentLine(l.top, l.bottom, [s for s in l.segs if a <= (s.x0 + s.x1) / 2 <= b]) for l in lines]
        sub = [l for l in sub if l.segs]
        if not sub and b - a < SETTINGS.grid.min_empty_column * unit:
            continue  # the gap between a double rule
        if cols:
            ruled.add(len(cols) - 1)  # boundary between the previous column and this one
        if not sub:
            empty.add(len(cols))
            cols.append((a, b))
            continue
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
    keep = [i for i, c in enumerate(cols) if c[1] - c[0] > 0.2]
    index = {old: new for new, old in enumerate(keep)}
    return [cols[i] for i in keep], {index[i] for i in ruled if i in index and i + 1 in index}, {index[i] for i in empty if i in index}




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




def _split_at_columns(seg: Segment, cols: list[tuple[float, float]], words: Sequence[Word], unit: float) -> list[Segment]:
    """Cut a segment where a wide word gap lies in the whitespace between two columns (`cols`:
    the x-extent of each column's cells)."""
    if len(seg.ids) < 2 or len(cols) < 2:
        return [seg]
    pieces: list[list[int]] = [[seg.ids[0]]]
    for a, b in zip(seg.ids, seg.ids[1:]):
        ga, gb = words[a].bbox[2], words[b].bbox[0]
        cut = gb - ga >= SETTINGS.grid.column_split_gap * unit and any(
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



def build_table(page: Page, lines: list[SegmentLine], region: Region, hs: list[Rule], vs: list[Rule], unit: float,
                shades: Sequence[Shade] = ()) -> Optional[Table]:
    """One region to a `Table`: its lines, columns, rows, slot grid and cells (steps 3-5).
    `shades`: the page's filled rectangles, which give cells their background colour."""
    views = _region_lines(lines, region)
    ids = sorted(views, key=lambda k: (views[k].top + views[k].bottom) / 2)
    if len(ids) < 2:
        return None
    frame = _frame([s for k in ids for s in views[k].segs], region)
    vcuts = _vertical_cuts(vs, frame)
    cols, ruled_cols, empty_cols = _columns([views[k] for k in ids], frame[0], frame[2], vcuts, unit)
    if len(cols) - len(empty_cols) < 2 and not (empty_cols and _shaded(shades, frame)):
        return None
    _place_segments(views, ids, cols, page.words, unit, frame[0], ruled_cols)
    rows, rules_above, under_group, key = group_rows(views, ids, cols, hs, unit, frame[0], frame[2])
    if len(rows) < 2:
        return None
    grid = fill_slots(rows, views, len(cols))
    row_span = [(min(views[k].top for k in part), max(views[k].bottom for k in part)) for part in rows]
    merge_unruled_columns(grid, ruled_cols, cols, row_span, vs)
    merge_unruled_rows(grid, rules_above, cols)
    merge_under_groups(grid, under_group)
    header_rows = _header_rows(rows, views, key, hs, frame)
    method = region.method
    if method == "text-alignment" and (vcuts or any(rules_above)):
        method = "mixed"
    fills = _slot_fills(shades, cols, row_span, frame) if shades else {}
    # an empty ruled column is kept when it is part of the grid: rows ruled across it, or shaded
    # slots (not a figure's place in the frame beside the table)
    empty_cols = {c for c in empty_cols if any(k[1] == c for k in fills) or len({round(h.pos) for h in hs if h.lo <= cols[c][0] + 1
                  and h.hi >= cols[c][1] - 1 and frame[1] - 2 <= h.pos <= frame[3] + 2}) >= SETTINGS.grid.min_rules_across}
    return _assemble(page, grid, header_rows, frame, method, region.notes, fills, empty_cols, cols)


def _region_lines(lines: list[SegmentLine], region: Region) -> dict[int, SegmentLine]:
    """The region's lines, clipped to its ruled box, without captions ("Table 3 ...")."""
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
    return views


def _frame(segs: list[Segment], region: Region) -> BBox:
    """The table's box: the ruled box, else the box of its segments."""
    if region.box is not None:
        return region.box
    return min(s.x0 for s in segs), min(s.top for s in segs), max(s.x1 for s in segs), max(s.bottom for s in segs)


def _vertical_cuts(vs: list[Rule], frame: BBox) -> list[float]:
    """x of the vertical rulings crossing at least half the table (pieces at one x add up: a rule
    is often drawn cell by cell, or broken where a thick horizontal rule crosses it)."""
    x0, top, x1, bottom = frame
    covered: dict[float, float] = {}
    for v in vs:
        if x0 + 2 < v.pos < x1 - 2:
            pos = next((p for p in covered if abs(p - v.pos) <= SETTINGS.grid.rule_join), v.pos)
            covered[pos] = covered.get(pos, 0.0) + max(0.0, overlap(v.lo, v.hi, top, bottom))
    height = bottom - top
    cuts = [pos for pos, length in covered.items() if length >= SETTINGS.grid.rule_cross_share * height]
    return sorted(cuts)


def _place_segments(views: dict[int, SegmentLine], ids: list[int], cols: list[tuple[float, float]], words: Sequence[Word],
                    unit: float, x0: float, ruled_cols: set[int] = frozenset()) -> None:
    """Give every segment its columns (`col0`, `col1`). A segment spanning columns is cut at a
    wide word gap in the whitespace between two of them; a section label alone on its line, flush
    left, belongs to the first column even when it runs on over the next one."""
    segs = [s for k in ids for s in views[k].segs]
    for s in segs:
        s.col0, s.col1 = _assign_columns(s, cols)
    # where the cells of each column actually lie (one-column segments)
    extents = []
    in_rows = [s for k in ids if len(views[k].segs) >= 2 for s in views[k].segs]  # a bar alone on its line is no cell
    for c in range(len(cols)):
        own = [s for s in in_rows if s.col0 == s.col1 == c] or [s for s in segs if s.col0 == s.col1 == c]
        extents.append((min(s.x0 for s in own), max(s.x1 for s in own)) if own else cols[c])
    for j in ruled_cols:  # a drawn rule bounds the cells on both sides of it
        extents[j] = (extents[j][0], min(extents[j][1], cols[j][1]))
        extents[j + 1] = (max(extents[j + 1][0], cols[j + 1][0]), extents[j + 1][1])
    for k in ids:
        pieces = []
        for s in views[k].segs:
            pieces.extend(_split_at_columns(s, extents, words, unit) if s.col1 > s.col0 else [s])
        views[k].segs = pieces
    for k in ids:  # again, against where the cells are rather than the column bounds
        for s in views[k].segs:
            s.col0, s.col1 = _assign_columns(s, extents)
        only = views[k].segs[0]
        if len(views[k].segs) == 1 and only.col0 == 0 and only.x0 <= x0 + 2 * unit:
            only.col1 = 0


def _shaded(shades: Sequence[Shade], frame: BBox) -> bool:
    return any(overlap(s.x0, s.x1, frame[0], frame[2]) > 0 and overlap(s.top, s.bottom, frame[1], frame[3]) > 0 for s in shades)


def _slot_fills(shades: Sequence[Shade], cols: list[tuple[float, float]], row_span: list[tuple[float, float]],
                frame: BBox) -> dict[tuple[int, int], str]:
    """Colour of each shaded slot: the smallest shade under the slot's centre (a cell's own
    background before the table's)."""
    inside = [s for s in shades if overlap(s.x0, s.x1, frame[0], frame[2]) > 0 and overlap(s.top, s.bottom, frame[1], frame[3]) > 0]
    fills = {}
    for r, (top, bottom) in enumerate(row_span):
        y = (top + bottom) / 2
        for c, (a, b) in enumerate(cols):
            x = (a + b) / 2
            under = [s for s in inside if s.x0 <= x <= s.x1 and s.top <= y <= s.bottom]
            if under:
                fills[(r, c)] = min(under, key=lambda s: (s.x1 - s.x0) * (s.bottom - s.top)).color
    return fills


def _assemble(page: Page, grid: SlotGrid, header_rows: int, frame: BBox, method: str, notes: list[str],
              fills: dict[tuple[int, int], str], empty_cols: set[int], cols: list[tuple[float, float]]) -> Optional[Table]:
    """Cells from the slot groups, and cells of shaded slots without text; rows and columns where
    no cell starts are dropped, except ruled columns without text (their slots may be shaded)."""
    live = grid.live()
    shaded = [(r, c) for (r, c), color in sorted(fills.items()) if grid.owner[r][c] < 0 or not grid.filled(grid.owner[r][c])]
    keep_rows = sorted({g.r0 for g in live})
    keep_cols = sorted({g.c0 for g in live} | empty_cols)
    if len(keep_rows) < 2 or len(keep_cols) < 2:
        return None
    row_index = {r: i for i, r in enumerate(keep_rows)}
    col_index = {c: i for i, c in enumerate(keep_cols)}

    def last_kept(index: dict[int, int], keep: list[int], upto: int) -> int:
        return max(index[x] for x in keep if x <= upto)

    cells = []
    for g in sorted(live, key=lambda g: (g.r0, g.c0)):
        r0, c0 = row_index[g.r0], col_index[g.c0]
        r1, c1 = last_kept(row_index, keep_rows, g.r1), last_kept(col_index, keep_cols, g.c1)
        cells.append(Cell(
            row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1, text=_text_of(g.segs), page=page.number,
            bbox=union_bbox([(s.x0, s.top, s.x1, s.bottom) for s in g.segs]),
            word_ids=[i for s in sorted(g.segs, key=lambda s: (s.line, s.x0)) for i in s.ids],
            header=g.r0 < header_rows, fill=fills.get((g.r0, g.c0)),
        ))
    for r, c in shaded:
        if r in row_index and c in col_index:
            cells.append(Cell(row=row_index[r], col=col_index[c], text="", page=page.number, header=r < header_rows, fill=fills[(r, c)]))
    cells.sort(key=lambda c: (c.row, c.col))
    header_rows = sum(1 for r in keep_rows if r < header_rows)
    return Table(
        page=page.number, bbox=frame, n_rows=len(keep_rows), n_cols=len(keep_cols), header_rows=header_rows, cells=cells,
        provenance=TableProvenance(
            method=method,
            segments=[TableSegment(page=page.number, bbox=frame, first_row=0, n_rows=len(keep_rows), col_edges=_edges(cols, keep_cols))],
            notes=notes,
        ),
    )


def _edges(cols: list[tuple[float, float]], keep: list[int]) -> list[float]:
    """Column boundaries: midway between two kept columns, the outer edges at the ends."""
    edges = [round(cols[keep[0]][0], 2)]
    for a, b in zip(keep, keep[1:]):
        edges.append(round((cols[b - 1][1] + cols[b][0]) / 2, 2))
    return edges + [round(cols[keep[-1]][1], 2)]


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
        def rule_under(upper: list[int], lower: list[int]) -> bool:
            below = max(views[k].bottom for k in upper)
            above = min(views[k].top for k in lower)
            return any(below - 1.5 <= h.pos <= above + 1.5 and overlap(h.lo, h.hi, bbox[0], bbox[2]) >= 0.8 * (bbox[2] - bbox[0]) for h in hs)

        # a rule under the first row marks a header only where the other rows are not ruled too
        ruled = rule_under(rows[0], rows[1]) and not rule_under(rows[1], rows[2])
        sentences = any(s.n_words > SETTINGS.grid.max_header_cell_words for s in first) or len(rows[0]) > 4
        if ((bold_first and not bold_second) or ruled) and not sentences:
            n = 1
    return n


