"""What the table reader settles once a page (or the whole table) is read (for
`extractors.records.from_tables`): the row-spanning columns' blocks given to their rows, cells centred
vertically put back together, ids OCR damaged set from their sequence.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.records.measure_cells import Frag, MeasureRow, ReadState
from extractors.records.measure_fields import ID, join_lines
from extractors.records.measure_pages import PageView
from extractors.tables.geometry import overlap

SPANNING = ("theme", "group")  # column roles read as row-spanning blocks


def assign_spans(view: PageView, rows: list[MeasureRow], frags: list[Frag], state: ReadState, leading: float) -> None:
    """Blocks of the row-spanning columns (axis, objective) to the rows of this page (see the
    module docstring, step 4)."""
    unit = view.unit
    for role in SPANNING:
        blocks: list[list[Frag]] = []
        for f in sorted((f for f in frags if f.role == role), key=lambda f: f.top):
            if blocks and f.top - blocks[-1][-1].bottom <= leading + 0.5 * unit and not any(
                    blocks[-1][-1].bottom - 1 <= h.pos <= f.top + 1 and overlap(h.lo, h.hi, min(b[0] for b in f.boxes),
                                                                            max(b[2] for b in f.boxes)) > 0
                    for h in view.hs):
                blocks[-1].append(f)
            else:
                blocks.append([f])
        carried = state.carried.get(role)
        if not blocks:
            for row in rows:
                if carried is not None:
                    row.spans[role] = carried
            continue
        texts = [join_lines([" ".join(t for t, _ in f.words) for f in b]) for b in blocks]
        tops = [b[0].top for b in blocks]
        x0 = min(x[0] for b in blocks for f in b for x in f.boxes)
        x1 = max(x[2] for b in blocks for f in b for x in f.boxes)
        rules = sorted(h.pos for h in view.hs if overlap(h.lo, h.hi, x0, x1) > 0.5 * (x1 - x0))
        if rules:  # a merged cell: its rules above and below bound the rows it spans
            spans = []
            for b in blocks:
                above = [y for y in rules if y <= b[0].top + 1]
                below = [y for y in rules if y >= b[-1].bottom - 1]
                spans.append((above[-1] if above else float("-inf"), below[0] if below else float("inf")))
            for row in rows:
                chosen = carried
                for (lo, hi), text in zip(spans, texts):
                    if lo - 1 <= row.top <= hi:
                        chosen = text
                if chosen is not None:
                    row.spans[role] = chosen
            state.carried[role] = texts[-1]
            continue
        aligned = all(any(abs(t - r.top) <= 1.2 * unit for r in rows) for t in tops)
        for row in rows:
            chosen = carried
            for n, (b, text) in enumerate(zip(blocks, texts)):
                if aligned:  # top-aligned cells: a block starts with its first row
                    if tops[n] <= row.top + 1.2 * unit:
                        chosen = text
                else:  # vertically centred cells: a block owns the rows up to the midpoints
                    lo = (blocks[n - 1][-1].bottom + b[0].top) / 2 if n else float("-inf")
                    if row.top + 0.5 * unit >= lo:
                        chosen = text
            if chosen is not None:
                row.spans[role] = chosen
        state.carried[role] = texts[-1]


def mend_straddles(rows: list[MeasureRow], title_col: int, leading: float, unit: float) -> None:
    """Cells centred vertically in their row start above the row's title: read line by line, their
    first lines went to the row above. A column whose text runs on without a paragraph gap from
    one row into the next is one cell; it goes to the row whose title it is centred on."""
    tight = leading + 0.3 * unit
    for upper, lower in zip(rows, rows[1:]):
        tu = [f for f in upper.frags if f.col == title_col]
        tl = [f for f in lower.frags if f.col == title_col]
        if not tu or not tl or tu[0].page != tl[0].page:
            continue
        cu = (min(f.top for f in tu) + max(f.bottom for f in tu)) / 2
        cl = (min(f.top for f in tl) + max(f.bottom for f in tl)) / 2
        for col in {f.col for f in upper.frags} - {title_col}:
            a = sorted((f for f in upper.frags if f.col == col and f.page == tl[0].page), key=lambda f: f.top)
            b = sorted((f for f in lower.frags if f.col == col and f.page == tl[0].page), key=lambda f: f.top)
            if not a or not b or b[0].top - a[-1].bottom > tight:
                continue
            run = [a[-1]]
            for f in reversed(a[:-1]):
                if run[0].top - f.bottom > tight:
                    break
                run.insert(0, f)
            if len(run) == len(a):
                continue  # the whole cell would move: not a cell cut in two
            centre = (run[0].top + b[-1].bottom) / 2
            if abs(centre - cl) < abs(centre - cu):
                upper.frags = [f for f in upper.frags if not any(f is r for r in run)]
                lower.frags = run + lower.frags


def repair_ids(rows: list[MeasureRow]) -> None:
    """Ids OCR damaged or read without their dot ("12" for "1.2", "2%" for "2.1"), set from the
    sequence: the id after the previous row's, or the first of the next series when a new theme
    bar came between. Ids read well are kept as they are."""
    good = [r.raw_id for r in rows if r.raw_id and ID.match(r.raw_id)]
    dotted = sum(1 for i in good if "." in i) > len(good) / 2
    prev: Optional[MeasureRow] = None
    for row in rows:
        raw = row.raw_id
        row.measure_id = raw or None
        if raw is None:
            continue
        fine = bool(raw) and ID.match(raw) is not None and ("." in raw) == dotted
        if not fine:
            expected = None
            if prev is not None and prev.measure_id and re.fullmatch(r"\d+(?:\.\d+)*", prev.measure_id):
                parts = prev.measure_id.split(".")
                if dotted and len(parts) >= 2:
                    if row.theme != prev.theme:
                        expected = f"{int(parts[0]) + 1}.1"
                    else:
                        expected = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])
                elif not dotted:
                    expected = str(int(parts[0]) + 1)
            digits = re.sub(r"\D", "", raw)
            if expected is None and dotted and len(digits) >= 2:
                expected = f"{digits[0]}.{digits[1:]}"
            if expected is not None and (not digits or digits[0] == expected[0]):
                row.measure_id = expected
            elif expected is None and not ID.match(raw):
                row.measure_id = digits or None
        prev = row
