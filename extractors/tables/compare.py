"""A table's grid against a hand-written grid (CSV), cell for cell.

Grid goldens are CSV files named `<page>-<n>.csv` (the n-th table starting on that page), a
spanning cell's text in its top-left slot, other slots empty, the lines of a cell joined with a
space: the layout `bilan batch` writes to OUT/tables/. A table the reader joined over pages is
compared with the goldens of its pages put end to end, a header repeated on the next page left out.

Texts are compared after the normalisation of `extractors.validation` (whitespace, apostrophes and
dashes), otherwise exactly. A slot counts when either side has text there; `right` slots hold the
same text.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from extractors.french.line_join import join_wrapped
from schemas.table import Table


@dataclass
class GridScore:
    name: str
    right: int
    slots: int
    shape: tuple[int, int]
    expected_shape: tuple[int, int]

    @property
    def accuracy(self) -> float:
        return self.right / self.slots if self.slots else 1.0


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip()


def read_csv(path: Path) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))]


def flat(text: str) -> str:
    """A cell's lines as one line: a word cut at a line end joined again, a compound broken at its
    hyphen kept whole ("Cuise-" / "la-Motte"), otherwise one space (`extractors.french.line_join`)."""
    out = ""
    for line in text.split("\n"):
        out = join_wrapped(out, " ".join(line.split()))
    return out


def table_rows(table: Table) -> list[list[str]]:
    """The grid as CSV rows: a spanning cell's text in its top-left slot, lines joined by `flat`."""
    return [[flat(t) for t in row] for row in table.grid()]


def compare_grid(expected: list[list[str]], got: list[list[str]], name: str = "") -> GridScore:
    rows = max(len(expected), len(got))
    cols = max([len(r) for r in expected + got] or [0])
    right = slots = 0
    for r in range(rows):
        for c in range(cols):
            a = _norm(expected[r][c]) if r < len(expected) and c < len(expected[r]) else ""
            b = _norm(got[r][c]) if r < len(got) and c < len(got[r]) else ""
            if a or b:
                slots += 1
                right += a == b
    return GridScore(name, right, slots, (len(got), max((len(r) for r in got), default=0)),
                     (len(expected), max((len(r) for r in expected), default=0)))


def golden_grids(directory: Path) -> dict[tuple[int, int], list[list[str]]]:
    """(page, n) -> rows of every `<page>-<n>.csv` in a folder."""
    out = {}
    for path in sorted(directory.glob("*.csv")):
        page, n = path.stem.split("-")
        out[(int(page), int(n))] = read_csv(path)
    return out


def compare_tables(tables: Sequence[Table], directory: Path) -> list[GridScore]:
    """Every grid golden of a folder against the document's tables: the n-th table starting on the
    golden's page; a golden with no such table scores all its cells as missed, and a golden
    already covered by a table joined over pages is not counted twice."""
    goldens = golden_grids(directory)
    by_start: dict[tuple[int, int], Table] = {}
    counts: dict[int, int] = {}
    for table in tables:
        counts[table.page] = counts.get(table.page, 0) + 1
        by_start[(table.page, counts[table.page])] = table
    scores: list[GridScore] = []
    covered: set[tuple[int, int]] = set()
    for key in sorted(goldens):
        if key in covered:
            continue
        table = by_start.get(key)
        expected = goldens[key]
        if table is not None:
            for segment in table.provenance.segments[1:]:
                nxt = (segment.page, 1)
                if nxt in goldens:
                    covered.add(nxt)
                    expected = expected + goldens[nxt][segment.repeated_header_rows:]
        got = table_rows(table) if table is not None else []
        scores.append(compare_grid(expected, got, f"{key[0]}-{key[1]}"))
    return scores


def total(scores: Sequence[GridScore]) -> Optional[float]:
    slots = sum(s.slots for s in scores)
    return sum(s.right for s in scores) / slots if slots else None
