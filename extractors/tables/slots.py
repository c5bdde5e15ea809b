"""The slot grid of one table region (step 5 of `extractors.tables.detect`): which cell owns each
(row, column) slot, and the merges that make spanning cells.

Every segment first claims the slots of its row and columns; segments claiming the same slot are
one cell. In ruled tables, neighbouring slots that no ruling separates then become one cell (a
header spanning two columns, a theme cell spanning the rows of its measures); under a row of group
headers, a header cell outside the groups is one cell with the one below it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.geometry import Segment, SegmentLine, overlap, Rule
from extractors.tables.rows import covers


@dataclass
class SlotGroup:
    """A rectangle of slots (rows r0..r1, columns c0..c1) and the segments of its cell."""

    r0: int
    r1: int
    c0: int
    c1: int
    segs: list[Segment] = field(default_factory=list)

    def dissolve(self) -> None:
        self.segs = []
        self.r0 = self.r1 = self.c0 = self.c1 = -1


class SlotGrid:
    def __init__(self, n_rows: int, n_cols: int) -> None:
        self.n_rows, self.n_cols = n_rows, n_cols
        self.groups: list[SlotGroup] = []
        self.owner = [[-1] * n_cols for _ in range(n_rows)]

    def place(self, r: int, seg: Segment) -> None:
        """A segment of row `r` claims its columns; cells it touches become one."""
        hit = {self.owner[r][c] for c in range(seg.col0, seg.col1 + 1) if self.owner[r][c] >= 0}
        if hit:
            gi = min(hit)
            g = self.groups[gi]
            for h in sorted(hit - {gi}):
                other = self.groups[h]
                g.segs.extend(other.segs)
                g.c0, g.c1 = min(g.c0, other.c0), max(g.c1, other.c1)
                other.dissolve()
            g.c0, g.c1 = min(g.c0, seg.col0), max(g.c1, seg.col1)
            g.segs.append(seg)
        else:
            self.groups.append(SlotGroup(r, r, seg.col0, seg.col1, [seg]))
            gi = len(self.groups) - 1
        for c in range(self.groups[gi].c0, self.groups[gi].c1 + 1):
            self.owner[r][c] = gi

    def group_at(self, r: int, c: int) -> int:
        """Index of the group owning a slot (an empty one-slot group when none does)."""
        gi = self.owner[r][c]
        if gi < 0:
            self.groups.append(SlotGroup(r, r, c, c))
            gi = len(self.groups) - 1
            self.owner[r][c] = gi
        return gi

    def filled(self, gi: int) -> bool:
        return bool(self.groups[gi].segs)

    def try_merge(self, ga: int, gb: int) -> None:
        """Join two groups when their union is a rectangle."""
        if ga == gb:
            return
        a, b = self.groups[ga], self.groups[gb]
        r0, r1 = min(a.r0, b.r0), max(a.r1, b.r1)
        c0, c1 = min(a.c0, b.c0), max(a.c1, b.c1)
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area != (a.r1 - a.r0 + 1) * (a.c1 - a.c0 + 1) + (b.r1 - b.r0 + 1) * (b.c1 - b.c0 + 1):
            return
        a.r0, a.r1, a.c0, a.c1 = r0, r1, c0, c1
        a.segs = a.segs + b.segs
        b.dissolve()
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self.owner[r][c] = ga

    def live(self) -> list[SlotGroup]:
        return [g for g in self.groups if g.segs]


def fill_slots(rows: list[list[int]], views: dict[int, SegmentLine], n_cols: int) -> SlotGrid:
    grid = SlotGrid(len(rows), n_cols)
    for r, part in enumerate(rows):
        for k in part:
            for s in views[k].segs:
                grid.place(r, s)
    return grid


def merge_unruled_columns(grid: SlotGrid, ruled_cols: set[int], cols: list[tuple[float, float]], row_span: list[tuple[float, float]],
                          vs: list[Rule]) -> None:
    """Ruled tables: a filled slot and an empty neighbour with no vertical ruling between them are
    one cell (a heading spanning two columns); a row no vertical ruling crosses at all is one cell
    (a section bar, even when its words fall into two columns: "1." "Information")."""
    for r in range(grid.n_rows):
        ytop, ybot = row_span[r]
        open_at = [j for j in sorted(ruled_cols)
                   if not any(cols[j][1] - 3 <= v.pos <= cols[j + 1][0] + 3 and overlap(v.lo, v.hi, ytop, ybot) >= 0.5 * (ybot - ytop)
                              for v in vs)]
        filled_cols = {c for c in range(grid.n_cols) if grid.owner[r][c] >= 0 and grid.filled(grid.owner[r][c])}
        bar = len(ruled_cols) >= 2 and len(open_at) == len(ruled_cols) == grid.n_cols - 1 and len(filled_cols) <= 2
        for j in open_at:
            ga, gb = grid.group_at(r, j), grid.group_at(r, j + 1)
            if bar or grid.filled(ga) != grid.filled(gb):
                grid.try_merge(ga, gb)


def merge_unruled_rows(grid: SlotGrid, rules_above: list, cols: list[tuple[float, float]]) -> None:
    """Ruled tables: in a column ruled row by row, a slot with no rule above it goes on the cell
    above (a theme cell spanning the rows of its measures). A column crossed by one rule only, the
    one under the header, is an unruled stub, not one tall cell."""
    ruled_rows_in = [sum(1 for rules in rules_above if rules and covers(rules, cols[c][0], cols[c][1], 0.5)) >= 2
                     for c in range(grid.n_cols)]
    for r in range(1, grid.n_rows):
        rules = rules_above[r]
        if not rules:
            continue
        for c in range(grid.n_cols):
            if ruled_rows_in[c] and not covers(rules, cols[c][0], cols[c][1], 0.5):
                ga, gb = grid.group_at(r - 1, c), grid.group_at(r, c)
                if grid.filled(ga) or grid.filled(gb):
                    grid.try_merge(ga, gb)


def merge_under_groups(grid: SlotGrid, under_group: set[int]) -> None:
    """Header rows split by a group header: outside the groups, a header cell above is one cell
    with the one below it."""
    for r in sorted(under_group):
        for c in range(grid.n_cols):
            ga = grid.owner[r - 1][c]
            if ga < 0 or not grid.filled(ga) or grid.groups[ga].c0 != grid.groups[ga].c1:
                continue
            grid.try_merge(ga, grid.group_at(r, c))
