"""Is this stretch of text French or English? Told from function words, which every sentence has.

French reports quote English (a title, a partner's abstract, a paragraph of an international
agreement). Repairing those as French does harm (`in a process` -> `in à process`), and OCR can read
a page of English better with an English model. Content words would need two lexicons and still
mislead (French borrows `email`, `marketing`); function words are a closed class, short, frequent
and almost disjoint between the two languages. Words written the same in both (`a`, `on`, `as`,
`or`, `but`, `son`, `me`, `plus`, `sur`...) are in neither list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

ENGLISH_FUNCTION_WORDS = frozenset(
    """the of and to is are was were with for that this these those from by which have has had been be
    being it its their they them we our you your not at in into will would should could can may must
    shall than then there here what when where who whom whose how also only such any each other about
    over after before between through under upon within without while because if do does did
    he she his her him my""".split()
)
FRENCH_FUNCTION_WORDS = frozenset(
    """le la les de des du et est un une dans pour que qui par au aux ce cette ces pas ne sont il elle
    ils elles nous vous leur leurs sa ses se été être entre sans sous mais où donc car comme aussi très
    avec ont était sont cet lui leur dont aux du lors selon chez vers pendant depuis afin ainsi toute
    tous tout toutes quand puis qu l d j n c m""".split()
)
# A stretch is English when it has at least this many English function words and English ones
# outnumber French ones by this factor. Two, so that a French sentence quoting a short English
# title (`le rapport "State of the Union"`) stays French.
MIN_ENGLISH_MARKERS = 3
ENGLISH_OVER_FRENCH = 2.0

WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageCount:
    english: int
    french: int

    @property
    def is_english(self) -> bool:
        return self.english >= MIN_ENGLISH_MARKERS and self.english >= ENGLISH_OVER_FRENCH * max(self.french, 1)

    @property
    def is_french(self) -> bool:
        return self.french >= MIN_ENGLISH_MARKERS and self.french >= ENGLISH_OVER_FRENCH * max(self.english, 1)


def count_markers(words: Iterable[str]) -> LanguageCount:
    english = french = 0
    for word in words:
        lower = word.lower()
        english += lower in ENGLISH_FUNCTION_WORDS
        french += lower in FRENCH_FUNCTION_WORDS
    return LanguageCount(english, french)


def language_of(text: str) -> LanguageCount:
    return count_markers(WORD.findall(text))


# Sentences end at . ! ? followed by a space, or at a blank line (a paragraph or heading ends).
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-ÖØ-Þ0-9])|\n[ \t]*\n")


def english_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text` that are English; adjacent ones merged."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in list(SENTENCE_END.finditer(text)) + [None]:
        end = boundary.start() if boundary else len(text)
        if language_of(text[start:end]).is_english:
            if spans and not text[spans[-1][1] : start].strip():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        start = boundary.end() if boundary else len(text)
    return spans
