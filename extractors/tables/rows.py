"""Rows of a table region (step 4 of `extractors.tables.detect`).

Horizontal rulings across at least one column make bands. A band is one row when the table is
ruled row by row, or when its lines are one row of multi-line cells; otherwise, and in unruled
tables, a line opens a row when it has text in the key column (the leftmost column filled on most
lines), and continues the row above when it has none, so multi-line cells stay whole. When a
column holds numbered items ("1.1 Mettre en place ...") only its numbers open rows. Wrapped labels
(after a connector: "Axe 2 –", "of"; a line in lower case) are joined. In the header, a heading
centred over two cells or over a spanner rule opens a row of group headers and spans its group.
"""
from __future__ import annotations

import re
import statistics
from typing import Optional

from extractors.tables.geometry import CONNECTOR_END, NUMBERING, SegmentLine, parse_number, overlap, Rule, Segment
from extractors.tables.settings import SETTINGS


def _starts_lower(text: str) -> bool:
    first = text.lstrip("\"'«“(").strip()
    return bool(first) and first[0].islower()


def line_columns(line: SegmentLine) -> set[int]:
    return {s.col0 for s in line.segs}


def key_column(views: dict[int, SegmentLine], n_cols: int) -> int:
    occupancy = [0] * n_cols
    for line in views.values():
        for c in line_columns(line):
            occupancy[c] += 1
    top = max(occupancy) if occupancy else 0
    return next((c for c in range(n_cols) if occupancy[c] >= SETTINGS.segments.key_occupancy * top), 0)




def _group_header(upper: SegmentLine, lower: SegmentLine, hs: list[Rule], zone: set[int], key: int,
                  after: Optional[SegmentLine] = None) -> list[tuple[Segment, int, int]]:
    """Segments of `upper` heading a group of two or more cells of `lower` ("2007" over "n" and
    "% Pos"; "Total" over a spanner rule that underlines "PK-12 PK-8 9-12"), with the columns of
    the group. `after`, the line below `lower`, completes it when header cells wrap ("Margin of" /
    "error" beside a one-line "Estimate" set lower)."""
    out = []
    if upper.segs[0].line not in zone or any(s.col0 == key for s in lower.segs):
        return out
    below = list(lower.segs)
    if after is not None and after.segs[0].line in zone and after.top - lower.bottom < 0.8 * lower.height:
        below += [s for s in after.segs if not any(overlap(s.x0, s.x1, t.x0, t.x1) > 0 for t in lower.segs)]
    below.sort(key=lambda s: s.x0)
    if len(below) < 2:
        return out
    spanners = [h for h in hs if upper.bottom - 1.5 <= h.pos <= lower.top + 1.5]
    for t in upper.segs:
        if parse_number(t.text) is not None and not re.fullmatch(r"(?:19|20)\d\d", t.text.strip()):
            continue  # a value, not a heading (years head columns)
        cx = (t.x0 + t.x1) / 2
        under = []
        for h in spanners:
            if h.lo - 1 <= cx <= h.hi + 1:
                under = [s for s in below if h.lo - 2 <= (s.x0 + s.x1) / 2 <= h.hi + 2]
                if len(under) >= 2:
                    break
                under = []
        if not under:
            for a, b in zip(below, below[1:]):
                mid = (a.x1 + b.x0) / 2
                if (b.col0 == a.col1 + 1 and a.col0 <= t.col0 and t.col1 <= b.col1 and a.x1 - 1 <= cx <= b.x0 + 1
                        and abs(cx - mid) <= 0.25 * (b.x1 - a.x0) and t.x0 < b.x0 and t.x1 > a.x1):
                    under = [a, b]
                    break
        if len(under) >= 2:
            out.append((t, min(s.col0 for s in under), max(s.col1 for s in under)))
    return out


def _numbered(text: str) -> bool:
    """'1.2 Mettre en place ...', 'a) ...': an item number followed by words (a bare number is a value)."""
    tokens = text.split()
    return len(tokens) >= 2 and bool(NUMBERING.match(tokens[0])) and tokens[1][:1].isalpha()


def numbered_column(views: dict[int, SegmentLine], n_cols: int) -> Optional[int]:
    """A column whose entries are numbered items ('1.1 ...', '1.2 ...') with their text wrapping
    over unnumbered lines: its numbers, not its lines, start the rows."""
    for c in range(n_cols):
        starts = [s.text for line in views.values() for s in line.segs if s.col0 == c]
        numbered = sum(1 for t in starts if _numbered(t))
        if numbered >= 2 and numbered >= 0.25 * len(starts) and numbered < len(starts):
            return c
    return None


def text_rows(views: dict[int, SegmentLine], ids: list[int], key: int, numbered_col: Optional[int], usual_gap: float, unit: float,
               hs: list[Rule], zone: set[int]) -> tuple[list[list[int]], set[int]]:
    """Group the lines of one unruled stretch into rows (see the module docstring, step 4).

    Also returns the indices of rows that start under a group header (a row of spanning headers
    above a row of per-column headers): in columns outside the groups, the header cell above and
    the one below are one cell (a stub header such as "Country" spans both header rows).
    """
    rows: list[list[int]] = []
    grouped: set[int] = set()
    row_segs: list[Segment] = []
    for pos, k in enumerate(ids):
        line = views[k]
        key_segs = [s for s in line.segs if s.col0 == key]
        new_row = not rows
        group = False
        if rows:
            prev = views[ids[pos - 1]]
            gap = line.top - prev.bottom
            if numbered_col is not None:
                new_row = any(s.col0 == numbered_col and _numbered(s.text) for s in line.segs)
            elif key_segs:
                new_row = True
                prev_key = [s for s in prev.segs if s.col0 == key]
                if prev_key and gap <= usual_gap + 0.3 * unit:
                    others_now = [s for s in line.segs if s.col0 != key]
                    others_prev = [s for s in prev.segs if s.col0 != key]
                    if CONNECTOR_END.search(prev_key[-1].text.strip()):
                        new_row = False  # "Axe 2 –" / "Reconnaissance des compétences"
                    elif _starts_lower(key_segs[0].text) and (not others_now or not others_prev):
                        new_row = False
                    elif all(_starts_lower(s.text) for s in line.segs):
                        new_row = False  # every cell of the line goes on in lower case: wrapped text
            else:
                if gap > max(1.2 * unit, 2.5 * usual_gap):
                    new_row = True
                else:
                    # a line laid out differently from the row above (a spanning group header
                    # over per-column headers) starts a new row
                    for s in line.segs:
                        for t in row_segs:
                            if overlap(s.x0, s.x1, t.x0, t.x1) > 0 and (t.col0, t.col1) != (s.col0, s.col1):
                                new_row = True
            if numbered_col is None and (new_row or not key_segs):
                heads = _group_header(prev, line, hs, zone, key, views[ids[pos + 1]] if pos + 1 < len(ids) else None)
                if heads and len(rows[-1]) == 1 or (heads and not new_row):
                    for t, c0, c1 in heads:
                        t.col0, t.col1 = min(t.col0, c0), max(t.col1, c1)
                    new_row = True
                    group = True
        if new_row:
            rows.append([k])
            row_segs = list(line.segs)
            if group:
                grouped.add(len(rows) - 1)
        else:
            rows[-1].append(k)
            row_segs.extend(line.segs)
    return rows, grouped


def rules_between(hs: list[Rule], upper: SegmentLine, lower: SegmentLine, x0: float, x1: float) -> list[Rule]:
    """Horizontal rules between two lines; a rule may graze a glyph that pokes out of its line
    (a bullet drawn lower, a descender)."""
    lo = max((upper.top + upper.bottom) / 2, upper.bottom - 0.35 * upper.height - 1.5)
    hi = min((lower.top + lower.bottom) / 2, lower.top + 0.35 * lower.height + 1.5)
    return [h for h in hs if lo <= h.pos <= hi and overlap(h.lo, h.hi, x0, x1) > 0]


def covers(rules: list[Rule], a: float, b: float, share: float = 0.6) -> bool:
    return any(overlap(r.lo, r.hi, a, b) >= share * (b - a) for r in rules)


def band_needs_split(views: dict[int, SegmentLine], band: list[int], key: int) -> bool:
    """A ruled band holds several table rows when two or more of its lines have a key-column
    entry and fill (nearly) as many columns as its fullest line: data rows under a header rule,
    not one row of multi-line, vertically centred cells."""
    first = [k for k in band if 0 in line_columns(views[k])]
    if first and first[0] == band[0] and len(first) == 1 and len(band) > 1:
        return False  # one stub entry opening the band, the rest hanging under it: one row of tall cells
    counts = [len(line_columns(views[k])) for k in band]
    most = max(counts)
    full = [k for k, c in zip(band, counts) if c >= 0.8 * most and c >= 2 and key in line_columns(views[k])]
    return len(full) >= 2


def split_groups(views: dict[int, SegmentLine], band: list[int], hs: list[Rule], zone: set[int], key: int) -> tuple[list[list[int]], set[int]]:
    """One row per band, except under a group header (see `_group_header`)."""
    rows = [[band[0]]]
    grouped: set[int] = set()
    for i, (a, b) in enumerate(zip(band, band[1:])):
        heads = _group_header(views[a], views[b], hs, zone, key, views[band[i + 2]] if i + 2 < len(band) else None)
        if heads and len(rows[-1]) == 1:
            for t, c0, c1 in heads:
                t.col0, t.col1 = min(t.col0, c0), max(t.col1, c1)
            rows.append([b])
            grouped.add(len(rows) - 1)
        else:
            rows[-1].append(b)
    return rows, grouped




def _header_zone(views: dict[int, SegmentLine], ids: list[int], n_cols: int) -> set[int]:
    """Lines that may hold group headers: the first lines of the table, up to the first line after
    the first that fills (nearly) every column, a body row (a section bar under the header does
    not push the body into the zone)."""
    zone = set()
    for n, k in enumerate(ids[:SETTINGS.grid.header_zone_lines]):
        if n and len(views[k].segs) >= max(2, 0.8 * n_cols):
            break
        zone.add(views[k].segs[0].line)
    return zone


def _bars_apart(views: dict[int, SegmentLine], bands: list[list[int]], band_rules: list[list[Rule]], x0: float,
                unit: float) -> tuple[list[list[int]], list[list[Rule]]]:
    """A section bar ("AXE 2 – SANTÉ") that shares a band with the row under it (shaded rows
    leave the bar and the first row of its section unseparated) is a row of its own."""
    from extractors.tables.regions import section_bar

    out: list[list[int]] = []
    rules: list[list[Rule]] = []
    for n, band in enumerate(bands):
        if n:
            rules.append(band_rules[n - 1])
        pieces: list[list[int]] = [[]]
        for k in band:
            if len(band) > 1 and section_bar(views[k], x0, unit):
                pieces += [[k], []]
            else:
                pieces[-1].append(k)
        pieces = [p for p in pieces if p]
        out.extend(pieces)
        rules.extend([] for _ in pieces[1:])
    return out, rules


def group_rows(views: dict[int, SegmentLine], ids: list[int], cols: list[tuple[float, float]], hs: list[Rule], unit: float,
               x0: float, x1: float) -> tuple[list[list[int]], list[Optional[list[Rule]]], set[int], int]:
    """The region's lines grouped into rows (see the module docstring).

    Returns the rows (line indices), the horizontal rules above each row (None inside a band),
    the rows that start under a group header, and the key column.
    """
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
    zone = _header_zone(views, ids, n_cols)
    # rules under (nearly) every row: each band is one row, whatever its lines look like
    # (rules in the header, spanners and the rule under the header, do not count)
    stub_lines = min(sum(1 for k in ids if key in line_columns(views[k])), sum(1 for k in ids if 0 in line_columns(views[k])))
    body_rules = sum(1 for band in bands[1:] if ids.index(band[0]) >= SETTINGS.grid.header_zone_lines)
    row_ruled = body_rules >= 3 and body_rules >= 0.25 * stub_lines
    bands, band_rules = _bars_apart(views, bands, band_rules, x0, unit)
    for n, band in enumerate(bands):
        if len(bands) == 1 or (not row_ruled and band_needs_split(views, band, key)):
            parts, grouped = text_rows(views, band, key, numbered_col, usual_gap, unit, hs, zone)
        else:
            parts, grouped = split_groups(views, band, hs, zone, key)
        for m, part in enumerate(parts):
            if m in grouped:
                under_group.add(len(rows))
            rows.append(part)
            rules_above.append(band_rules[n - 1] if (m == 0 and n > 0) else None)
    return rows, rules_above, under_group, key
