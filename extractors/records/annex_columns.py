"""Columns of a flattened measure table printed one after the other: under a column heading, the
cells of that column for every row of the band, in the rows' order, separated by blank lines.

* **Organisation cells** (`org_cells`): one block per row; a lead printed apart from its partners
  gives two blocks, so when there are more blocks than rows, a block listing several names goes
  with the block above it (the partners under their lead).
* **Indicator cells** (`indicator_cells`): each indicator is followed by its deadline line (the
  heading says "Indicateurs, cibles et échéances"); what follows the last deadline is page
  furniture (running feet, legends) and is dropped. Rows may have several indicators: the
  indicators, in order, are cut into one run per row (`distribute`), each row getting at least
  one, choosing the cut whose indicators share the most words with their row's name and progress
  text, rarer words counting more.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from schemas.records import Indicator

from extractors.records.measure_fields import fold, is_deadline, join_lines, target_of
from extractors.records.annex_rows import split_names

WORD = re.compile(r"[a-z0-9]{4,}")
COMMON = {"dans", "pour", "avec", "leur", "leurs", "sont", "cette", "entre", "selon", "ainsi", "plus", "tous", "toutes"}


def org_cells(blocks: list[list[str]], rows: int) -> list[list[str]]:
    """Organisation names of each row (lead first) from the column's blocks."""
    cells = [split_names(join_lines(block)) for block in blocks]
    cells = [c for c in cells if c]
    k = 1
    while len(cells) > rows and k < len(cells):
        if len(cells[k]) >= 2:
            cells[k - 1:k + 1] = [cells[k - 1] + cells[k]]
        else:
            k += 1
    while len(cells) > rows:  # still too many: the surplus goes with the last row
        cells[-2:] = [cells[-2] + cells[-1]]
    return cells


def indicator_cells(lines: list[tuple[str, bool]]) -> list[Indicator]:
    """Indicators with their deadlines from (line, blank line before) pairs of one column section."""
    out: list[Indicator] = []
    pending: list[str] = []
    has_deadlines = any(is_deadline(text) for text, _ in lines)
    for text, _ in lines:
        if is_deadline(text) and (pending or not out):
            statement = join_lines(pending).strip(" ,;")
            if statement:
                out.append(Indicator(text=statement, target=target_of(statement), deadline=text.strip()))
            pending = []
        elif not is_deadline(text):
            pending.append(text)
    if pending and not has_deadlines:
        statement = join_lines(pending)
        out.append(Indicator(text=statement, target=target_of(statement), deadline=None))
    return out


def _words(text: str) -> set[str]:
    return {w[:6] for w in WORD.findall(fold(text))} - {w[:6] for w in COMMON}


def distribute(indicators: list[Indicator], contexts: list[str], corpus: list[str]) -> list[list[Indicator]]:
    """Cut the indicators, in order, into one non-empty run per row (fewer indicators than rows:
    one each, the last rows get none)."""
    n, m = len(contexts), len(indicators)
    if m <= n:
        return [[i] for i in indicators] + [[] for _ in range(n - m)]
    documents = [_words(t) for t in corpus]
    bags = [_words(c) for c in contexts]
    words = [_words(i.text) for i in indicators]

    def weight(word: str) -> float:
        seen = sum(1 for d in documents if word in d)
        return math.log((1 + len(documents)) / (1 + seen)) + 0.1

    score = [[sum(weight(w) for w in words[i] & bags[r]) for r in range(n)] for i in range(m)]

    @lru_cache(maxsize=None)
    def best(i: int, r: int) -> tuple[float, tuple[int, ...]]:
        """Best cut of indicators[i:] over rows[r:]: (score, run lengths)."""
        if r == n - 1:
            return sum(score[k][r] for k in range(i, m)), (m - i,)
        options = []
        for size in range(1, m - i - (n - r - 1) + 1):
            head = sum(score[k][r] for k in range(i, i + size))
            rest, sizes = best(i + size, r + 1)
            options.append((head + rest, (size,) + sizes))
        return max(options, key=lambda o: (round(o[0], 9), [-s for s in o[1]]))

    _, sizes = best(0, 0)
    out, k = [], 0
    for size in sizes:
        out.append(indicators[k:k + size])
        k += size
    return out


