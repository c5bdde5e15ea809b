"""Kinds of damage an old OCR text layer shows, counted with the French lexicon, for triage.

An invisible text layer made by an old digitisation programme is French, but not as printed:

* `accents-stripped` — 7-bit programmes dropped every accent: `eleve`, `Etat`, `a` for `à`. A
  lower-case token counts when the lexicon does not know it as written but knows it with accents
  (`eleve` -> `élève`); valid words without accent (`a`, `ou`, `des`) and capitalised words (a
  printer's `Etat`) do not count, so clean text scores ~0;
* `glued` — spaces lost between words: `grandplaisirque`, `dela`. A token counts when it is no
  word, not even on the web, and splits into two or three frequent French words;
* `digits-for-letters` — `5ooo` (5000), `i9i9` (1919), `l0`: a number with letters for its digits;
* `english-model` — what an English OCR model writes for French (`ministére`, `ceuvre`, `I'Office`),
  found by the patterns of extractors/ingest/triage.py.

English sentences (told by their function words) are not counted: an English word is no French.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from extractors.french.language import english_spans
from extractors.french.lexicon import Lexicon, skeleton

KINDS = ("english-model", "accents-stripped", "glued", "digits-for-letters")
EDGE_PUNCT = ".,;:!?»«\"“”()[]{}'’*•–—-/"
# Parts of a glued token: frequent words only (`de`, `la`, `que`, `plaisir`), so that a rare word
# the lexicon lacks is not read as two common ones by chance. Each part has 2 letters or more.
GLUE_PART_ZIPF = 3.5
GLUE_MIN_LENGTH = 5
GLUE_MAX_LENGTH = 30
DIGITS_FOR_LETTERS = re.compile(r"^(?=.*\d)(?=.*[oOlIi])[\doOlIi]{3,}$")
APOSTROPHE = re.compile(r"['’]")


@dataclass
class LayerDamage:
    tokens: int = 0
    accented: int = 0  # tokens written with an accent: the layer can write them
    counts: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in KINDS})
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def damaged(self) -> int:
        return sum(self.counts.values())

    @property
    def share(self) -> float:
        return self.damaged / self.tokens if self.tokens else 0.0

    def kind_share(self, *kinds: str) -> float:
        return sum(self.counts[k] for k in kinds) / self.tokens if self.tokens else 0.0

    @property
    def accents_lost(self) -> float:
        """Of the words that need an accent, the share written without: ~0 in clean text or
        English-model OCR (it writes é), ~1 in a stripped layer."""
        stripped = self.counts["accents-stripped"]
        return stripped / (stripped + self.accented) if stripped else 0.0

    def note(self, kind: str, token: str) -> None:
        self.counts[kind] += 1
        seen = self.examples.setdefault(kind, [])
        if len(seen) < 3 and token not in seen:
            seen.append(token)


def _glued(word: str, lexicon: Lexicon, parts_left: int = 3) -> bool:
    """Two or three frequent French words written without spaces."""
    if parts_left < 2:
        return False
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if not (lexicon.is_valid(head) and lexicon.zipf(head) >= GLUE_PART_ZIPF):
            continue
        if lexicon.is_valid(tail) and lexicon.zipf(tail) >= GLUE_PART_ZIPF:
            return True
        if parts_left > 2 and len(tail) >= 4 and _glued(tail, lexicon, parts_left - 1):
            return True
    return False


def _accents_stripped(word: str, lexicon: Lexicon) -> bool:
    """A lower-case word the lexicon knows only with accents. Capitalised words do not count:
    printers long left capitals unaccented by choice (`Etat`, `STRATEGIQUE`), and names vary."""
    if not word.isascii() or not word.islower():
        return False
    return any(form != word and not form.isascii() and lexicon.has_lower_entry(form)
               for form in lexicon.same_skeleton(skeleton(word)))


def measure_damage(text: str, lexicon: Lexicon, english_model: Callable[[str], bool]) -> LayerDamage:
    """Count the tokens of `text` showing each kind of damage (a token counts once, first kind first)."""
    result = LayerDamage()
    english = english_spans(text)
    english_starts = [a for a, _ in english]
    for match in re.finditer(r"\S+", text):
        at = bisect.bisect_right(english_starts, match.start()) - 1
        if at >= 0 and match.start() < english[at][1]:
            continue
        token = match.group()
        core = token.strip(EDGE_PUNCT)
        if sum(c.isalpha() for c in core) < 2 and not core.isdigit():
            continue
        if core.isdigit():
            continue  # plain numbers are no evidence either way
        result.tokens += 1
        result.accented += not core.isascii() and any(c.isalpha() and not c.isascii() for c in core)
        kind = classify(token, core, lexicon, english_model)
        if kind:
            result.note(kind, core)
    return result


def classify(token: str, core: str, lexicon: Lexicon, english_model: Callable[[str], bool]) -> Optional[str]:
    if english_model(token):
        return "english-model"
    if DIGITS_FOR_LETTERS.match(core) and not core.isalpha():
        return "digits-for-letters"
    if not core.isalpha():
        # elided words (l'etat) are judged by the word after the apostrophe
        pieces = APOSTROPHE.split(core)
        core = pieces[-1]
        if not core.isalpha():
            return None
    if lexicon.is_valid(core):
        return None
    if _accents_stripped(core, lexicon):  # before the web test: the web writes `etat` too
        return "accents-stripped"
    if lexicon.known(core):
        return None
    if GLUE_MIN_LENGTH <= len(core) <= GLUE_MAX_LENGTH and core.islower() and _glued(core, lexicon):
        return "glued"
    return None
