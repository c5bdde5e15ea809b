"""Cutting text into the pieces OCR-damage repair looks at, with their offsets in the original.

A *chunk* is a whitespace-separated run; punctuation at its edges is set aside and what remains is
split on hyphens and slashes into *words*, each with an optional elided prefix (`l'`, `d’`, or a
damaged one: `I'`, `|'`, `U'`, a bare `'`). Offsets always point into the original text, so every
repair can say where its `before` stands.

Things repair never changes are recognised here, on the whole chunk: URLs, e-mail addresses, file
names and anything with a digit (numbers, amounts, dates, codes, `COVID-19`, `C-26`), except a
digit standing for a letter where no number has one (`1'Intérieur`, `1a`, `aussit6t`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

APOSTROPHES = "'’"
# Punctuation stripped from chunk edges. `|` and `(` are not: inside or at the end of a word they
# are OCR readings of letters (`MIF|`, `ao(t`), and `|'` is a damaged `l'`.
LEADING_PUNCT = "([{«\"“‘<*•·–—-¿¡"
TRAILING_PUNCT = ")]}».,;:!?\"”…>*’'"

URL = re.compile(r"(?i)(?:^[a-z][a-z0-9+.-]*://|^www\.|^[\w.-]+\.(?:com|org|net|ca|qc|fr|gouv|edu|info|int|be|ch)(?:[/:?#]|$)|\.(?:html?|php|aspx?|pdf|docx?|xlsx?)\b)")
EMAIL = re.compile(r"@")
LETTER = re.compile(r"[^\W\d_]")
# Digits an English-model OCR writes for letters, where no number has them: a `1` for the `l` of an
# elision or a word start (1'Intérieur, 1a), a `6` for ô or a 1 for l inside a word (aussit6t,
# m1nistère). Such a chunk is a word to read, not a number; codes keep a digit elsewhere (1er, C-26).
DIGIT_FOR_LETTER = re.compile(r"^(?:1['’]?[a-zàâçéèêëîïôùûœ][^\W\d_]*|1['’][^\W\d_]{2,}|[^\W\d_]{2,}[16][^\W\d_]{1,})$")
WORD_PIECE = re.compile(r"[^\W\d_]|[(|&€]")
ELISION_HEAD = re.compile(rf"^([^\W\d_]{{0,7}}|[|1])([{APOSTROPHES}]+)(?=.)")


@dataclass(frozen=True)
class Word:
    """One word of a chunk: `text` starts at `start` in the original; `elision` (with its apostrophes) precedes it."""

    start: int
    text: str
    elision: str = ""
    elision_start: int = -1

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Chunk:
    start: int
    text: str  # the whole whitespace-separated run
    core_start: int
    core: str  # without edge punctuation
    protected: Optional[str]  # why repair leaves it alone, or None
    words: tuple[Word, ...]


def protected_reason(core: str) -> Optional[str]:
    if not core:
        return "punctuation"
    if EMAIL.search(core):
        return "e-mail"
    if URL.search(core):
        return "url"
    if any(c.isdigit() for c in core) and not DIGIT_FOR_LETTER.match(core):
        return "number"
    if not LETTER.search(core):
        return "symbols"
    return None


def split_words(core: str, core_start: int) -> tuple[Word, ...]:
    """Hyphens and slashes separate words (main-d’œuvre, et/ou); an apostrophe after a short head is an elision."""
    words = []
    for match in re.finditer(r"[^-/]+", core):
        piece, start = match.group(), core_start + match.start()
        head = ELISION_HEAD.match(piece)
        if head and (head.group(1) == "" or len(head.group(1)) <= 7):
            elision = head.group(0)
            rest = piece[len(elision) :]
            if rest and WORD_PIECE.match(rest):
                words.append(Word(start + len(elision), rest, elision, start))
                continue
        words.append(Word(start, piece))
    return tuple(words)


def chunks(line: str, line_start: int) -> Iterator[Chunk]:
    for match in re.finditer(r"\S+", line):
        text = match.group()
        start = line_start + match.start()
        lead = 0
        while lead < len(text) and text[lead] in LEADING_PUNCT:
            lead += 1
        end = len(text)
        while end > lead and text[end - 1] in TRAILING_PUNCT:
            end -= 1
        core = text[lead:end]
        reason = protected_reason(core)
        words = () if reason else split_words(core, start + lead)
        yield Chunk(start, text, start + lead, core, reason, words)


def case_pattern(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return "none"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    if all(c.islower() for c in letters):
        return "lower"
    return "mixed"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
