"""Measuring OCR-damage repair against a gold text: word-level accent errors and harm done.

Used by bench/repair_bench.py and the tests. Words are runs of letters (`l'Office` is `l` and
`Office`); a text and its gold are aligned on accent-insensitive keys (difflib), so OCR that drops
or splits a word elsewhere does not shift every later comparison.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from extractors.french.lexicon import skeleton

WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text))


def has_accent(word: str) -> bool:
    return any(not c.isascii() for c in word)


def align(gold: list[str], other: list[str]) -> list[int | None]:
    """For each gold word, the index of the word of `other` it corresponds to (or None)."""
    keys_gold = [skeleton(w) for w in gold]
    keys_other = [skeleton(w) for w in other]
    mapping: list[int | None] = [None] * len(gold)
    matcher = SequenceMatcher(None, keys_gold, keys_other, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                mapping[i1 + k] = j1 + k
    return mapping


@dataclass
class AccentScore:
    gold_words: int = 0
    accented: int = 0  # gold words bearing an accent or a ligature, among those the OCR produced
    errors_before: int = 0  # accented gold words not written exactly so before repair
    errors_after: int = 0
    false_accents_before: int = 0  # unaccented gold words written with an accent (là, plüs)
    false_accents_after: int = 0
    unaligned: int = 0  # gold words the OCR did not produce (lost, or too garbled to align)
    harmed: int = 0  # words right before repair, wrong after
    fixed: int = 0  # words wrong before repair, right after

    def add(self, other: "AccentScore") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def reduction(self) -> float:
        return 1 - self.errors_after / self.errors_before if self.errors_before else 1.0


def word_pairs(gold_text: str, before_text: str, after_text: str) -> list[tuple[str, str | None, str | None]]:
    """(gold word, OCR word, repaired word) for every gold word; None where a text has no counterpart.

    The repaired text is mapped through the OCR text (they differ in a few words only): aligning it
    to the gold anew would let difflib pick other anchors in a long interleaved page and count
    unchanged words as changed. A gold word the OCR split (a hyphen join) is matched directly.
    """
    gold, before, after = words(gold_text), words(before_text), words(after_text)
    to_before = align(gold, before)
    before_to_after = _align_near(before, after)
    direct = align(gold, after)
    became: dict[int, list[int]] = {}  # repaired word -> the OCR words it came from
    for j, k in enumerate(before_to_after):
        if k is not None:
            became.setdefault(k, []).append(j)
    out = []
    for i, word in enumerate(gold):
        j = to_before[i]
        b = before[j] if j is not None else None
        k = before_to_after[j] if j is not None else direct[i]
        a = after[k] if k is not None else None
        if j is None and a is not None:  # both halves of a hyphen join
            b = "".join(before[x] for x in became.get(k, []))
        out.append((word, b or None, a))
    return out


def accent_score(gold_text: str, before_text: str, after_text: str) -> AccentScore:
    """Accent errors among the gold words the OCR produced (a word the OCR lost is no accent error)."""
    score = AccentScore(gold_words=0)
    for word, b, a in word_pairs(gold_text, before_text, after_text):
        score.gold_words += 1
        if b is None and a is None:
            score.unaligned += 1
            continue
        if has_accent(word):
            score.accented += 1
            score.errors_before += b != word
            score.errors_after += a != word
        else:
            score.false_accents_before += b is not None and b != word and has_accent(b)
            score.false_accents_after += a is not None and a != word and has_accent(a)
        if b is not None and a is not None:
            score.harmed += b == word and a != word
            score.fixed += b != word and a == word
    return score


def _align_near(before: list[str], after: list[str]) -> list[int | None]:
    """Word correspondence between a text and its repair: equal words, and equal-length runs of changed ones."""
    mapping: list[int | None] = [None] * len(before)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                mapping[i1 + k] = j1 + k
        elif tag == "replace":  # a hyphen join: two fragments became one word
            keys = [skeleton(w) for w in after[j1:j2]]
            for k in range(i1, i2):
                for m, key in enumerate(keys):
                    if key.startswith(skeleton(before[k])) or skeleton(before[k]) in key:
                        mapping[k] = j1 + m
                        break
    return mapping


def strip_accents(text: str) -> str:
    """Every accent removed; œ/æ kept (they are letters, not accents)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def word_errors(gold_text: str, text: str) -> tuple[int, int]:
    """(words of the gold not written exactly so in `text`, gold words): the re-accentuation measure."""
    gold, other = words(gold_text), words(text)
    mapping = align(gold, other)
    errors = sum(1 for i, w in enumerate(gold) if mapping[i] is None or other[mapping[i]] != w)
    return errors, len(gold)


# --- order-independent scoring of a page against its transcription --------------------------------

TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Runs of letters and digits (`l'Office` is `l` and `Office`, `1914` is one token)."""
    return TOKEN.findall(unicodedata.normalize("NFC", text))


def letters_key(word: str) -> str:
    """A word without its accents, ligatures spelled out, case kept: what an accent error leaves equal."""
    return strip_accents(word).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")


@dataclass
class BagScore:
    """Words of a page against its transcription, as bags (reading order does not count).

    Pages read by different engines or laid out differently (columns, tables whose transcription
    is in cell order) cannot be aligned word by word; comparing bags of words can. A gold word whose
    letters the text has but with other accents (or œ as oe) is an *accent error*; a gold word whose
    letters the text lacks is *missing*; a word of the text whose letters the gold lacks is *extra*.
    A misread word is one missing and one extra.
    """

    gold_words: int = 0
    accented: int = 0  # gold words bearing an accent or a ligature
    accent_errors: int = 0
    missing: int = 0
    extra: int = 0

    @property
    def word_errors(self) -> int:
        """Errors other than accents: gold words not read plus words read that are not there."""
        return self.missing + self.extra

    def add(self, other: "BagScore") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def bag_score(gold_text: str, text: str) -> BagScore:
    from collections import Counter

    gold, other = tokens(gold_text), tokens(text)
    score = BagScore(gold_words=len(gold), accented=sum(1 for w in gold if has_accent(w)))
    by_key_gold: dict[str, Counter] = {}
    by_key_other: dict[str, Counter] = {}
    for word in gold:
        by_key_gold.setdefault(letters_key(word), Counter())[word] += 1
    for word in other:
        by_key_other.setdefault(letters_key(word), Counter())[word] += 1
    for key, forms in by_key_gold.items():
        read = by_key_other.get(key, Counter())
        n_gold, n_read = sum(forms.values()), sum(read.values())
        exact = sum(min(count, read[form]) for form, count in forms.items())
        matched = min(n_gold, n_read)
        score.accent_errors += max(0, matched - exact)
        score.missing += n_gold - matched
    for key, read in by_key_other.items():
        n_gold = sum(by_key_gold.get(key, {}).values()) if key in by_key_gold else 0
        score.extra += max(0, sum(read.values()) - n_gold)
    return score
