"""The text of a table cell as the field readers want it (for `extractors.records.from_tables`).

A `Cell` of `schemas.table` keeps the indices of its words; here they become lines of `(text, bold)`
words (`CellText.lines`), cut into paragraphs where a bullet opens a line or the gap above a line is
wider than the cell's usual leading (`paragraphs`), with, for each line, whether the typesetter
broke it because the next word did not fit (`soft`), which decides whether a line break may end an
organisation's name. Geometry is read on the levelled page (`extractors.tables.level`), so the
lines of a skewed scan are level.
"""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from extractors.french import vocabulary as vocab
from extractors.tables.level import level_page
from schemas import Document, Page, Word
from schemas.table import Cell

# Glyphs that open a paragraph of a cell wherever they stand first on a line.
BULLETS = set(vocab.ROUND_BULLETS + vocab.POINTER_BULLETS + vocab.ARROW_CHECK_BULLETS)
DASHES = set(vocab.DASH_BULLETS) | {"*"}  # a dash alone before the words of a line opens a list item
# What OCR makes of a bullet when it stands alone before a word ("e" and "o" only when unsure).
OCR_BULLETS = set(vocab.OCR_BULLET_LOOKALIKES)
OCR_BULLET_LETTERS = set(vocab.OCR_BULLET_LETTERS)

WordTuple = tuple[str, Optional[bool]]


@dataclass
class TextLine:
    top: float
    bottom: float
    x0: float
    x1: float
    page: int
    words: list[WordTuple]
    confidences: list[float] = field(default_factory=list)


@dataclass
class CellText:
    """The lines of one cell (or of several cells read as one, a row cut by a page break)."""

    lines: list[TextLine] = field(default_factory=list)
    unit: float = 10.0
    right: float = float("inf")  # right edge of the column's text, per the widest line of the column

    @property
    def empty(self) -> bool:
        return not any(line.words for line in self.lines)

    def word_lines(self) -> list[list[WordTuple]]:
        return [line.words for line in self.lines]

    def breaks(self) -> list[bool]:
        """For each line, whether a paragraph starts with it: a bullet, a gap wider than the cell's
        usual leading, or a sentence ended at a page break."""
        gaps = [b.top - a.bottom for a, b in zip(self.lines, self.lines[1:]) if b.page == a.page and b.top >= a.bottom - 1]
        leading = statistics.median(gaps) if gaps else 0.25 * self.unit
        out = []
        prev = None
        for line in self.lines:
            first = line.words[0][0] if line.words else ""
            bullet = first in BULLETS or (first in DASHES and len(line.words) > 1)
            if prev is None:
                out.append(True)
            elif line.page != prev.page:
                out.append(bullet or prev.words[-1][0].endswith((".", ":")))
            else:
                out.append(bullet or line.top - prev.bottom > max(leading, 0) + 0.3 * self.unit)
            prev = line
        return out

    def paragraphs(self) -> list[list[list[WordTuple]]]:
        out: list[list[list[WordTuple]]] = []
        for line, new in zip(self.lines, self.breaks()):
            if new or not out:
                out.append([line.words])
            else:
                out[-1].append(line.words)
        return out

    def soft(self) -> list[bool]:
        """For each line, whether the typesetter broke it because the next word would not fit (the
        line reaches the column's right edge) rather than to start a paragraph."""
        breaks = self.breaks()
        out = []
        for n, (a, b) in enumerate(zip(self.lines, self.lines[1:])):
            first = len(b.words[0][0]) * 0.5 * self.unit if b.words else 0.0
            out.append(a.page == b.page and a.x1 + 0.3 * self.unit + first > self.right - 0.5 and not breaks[n + 1])
        return out + [False]

    def confidences(self) -> list[float]:
        return [c for line in self.lines for c in line.confidences]

    def extend(self, other: "CellText") -> None:
        self.lines.extend(other.lines)


def is_symbol(text: str) -> bool:
    """One pictogram ("●", "◐", "✔", "★"): what a status column holds where it shows icons."""
    return len(text) == 1 and unicodedata.category(text) in ("So", "Sm") and text not in "+<=>|~"


def page_legend(page: Page) -> dict[str, str]:
    """The legend printed on a page ("● Réalisé ◐ En cours ○ Non débuté"): symbol -> label, the
    words after each symbol up to the next one."""
    legend: dict[str, str] = {}
    for line in page.lines:
        words = [page.words[i].text for i in line.word_ids]
        marks = [n for n, w in enumerate(words) if is_symbol(w)]
        # a legend lists several symbols on a line, or one per short line (not a table row with an icon)
        if not (len({words[n] for n in marks}) >= 2 or (marks == [0] and len(words) <= 4)):
            continue
        for a, b in zip(marks, marks[1:] + [len(words)]):
            label = " ".join(words[a + 1:b]).strip(" :=–-")
            if label and len(label.split()) <= 5 and words[a] not in legend:
                legend[words[a]] = label
    return legend


class CellReader:
    """Cells of a document's tables read into `CellText`, pages levelled once each."""

    def __init__(self, document: Document) -> None:
        self.pages = {p.number: p for p in document.pages}
        self._level: dict[int, Page] = {}
        self._unit: dict[int, float] = {}
        self._legends: dict[int, dict[str, str]] = {}

    def page(self, number: int) -> Page:
        if number not in self._level:
            from extractors.tables.geometry import page_unit

            self._level[number] = level_page(self.pages[number])[0]
            self._unit[number] = page_unit(self._level[number])
        return self._level[number]

    def unit(self, number: int) -> float:
        self.page(number)
        return self._unit[number]

    def legend(self, number: int) -> dict[str, str]:
        """Symbols explained on a page (`page_legend`), else on the nearest page that explains them
        (a legend printed under a table that ran on to the next page)."""
        for n in self.pages:
            if n not in self._legends:
                self._legends[n] = page_legend(self.pages[n])
        merged: dict[str, str] = {}
        for n in sorted(self.pages, key=lambda n: (abs(n - number), n)):
            for symbol, label in self._legends[n].items():
                merged.setdefault(symbol, label)
        return merged

    def read(self, cell: Optional[Cell], right: float = float("inf")) -> CellText:
        """The cell's lines; `right`: the right edge of its column's text on its page."""
        if cell is None or not cell.word_ids:
            return CellText()
        page = self.page(cell.page)
        words = [(page.words[i], self.pages[cell.page].words[i]) for i in cell.word_ids if page.words[i].text.strip()]
        return CellText(_lines(words, cell.page), self.unit(cell.page), right)

    def right_edge(self, cell: Cell) -> float:
        """Right edge of a cell's words on the levelled page."""
        page = self.page(cell.page)
        xs = [page.words[i].bbox[2] for i in cell.word_ids if page.words[i].bbox is not None and page.words[i].text.strip()]
        return max(xs) if xs else float("-inf")


def _lines(words: list[tuple[Word, Word]], page: int) -> list[TextLine]:
    """Words (levelled, original) grouped into lines: a word whose box overlaps a line's by half
    its height joins it; lines top to bottom, words left to right."""
    lines: list[list[tuple[Word, Word]]] = []
    for pair in sorted(words, key=lambda p: (p[0].bbox[1] + p[0].bbox[3]) / 2):
        w = pair[0]
        h = w.bbox[3] - w.bbox[1]
        for line in lines:
            top = min(x.bbox[1] for x, _ in line)
            bottom = max(x.bbox[3] for x, _ in line)
            if min(bottom, w.bbox[3]) - max(top, w.bbox[1]) > 0.5 * min(h, bottom - top):
                line.append(pair)
                break
        else:
            lines.append([pair])
    out = []
    for line in lines:
        line.sort(key=lambda p: p[0].bbox[0])
        texts: list[WordTuple] = [(w.text, w.bold) for w, _ in line]
        first = line[0][0]
        if len(line) > 1 and first.origin == "ocr" and (
                first.text in OCR_BULLETS or (first.text in OCR_BULLET_LETTERS and (first.confidence or 100) < 60)):
            texts[0] = ("•", first.bold)
        out.append(TextLine(min(w.bbox[1] for w, _ in line), max(w.bbox[3] for w, _ in line), min(w.bbox[0] for w, _ in line),
                            max(w.bbox[2] for w, _ in line), page, texts, [w.confidence for w, _ in line if w.confidence is not None]))
    out.sort(key=lambda l: l.top)
    return out
