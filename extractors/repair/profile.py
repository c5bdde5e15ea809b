"""What one document tells about its own OCR damage, and the choice of a repair for a word.

The same misreading is damage in one document and correct in another: `siécle` is how 18th-century
printers spelled it, and a document OCR'd with an English model writes it for `siècle` because its
model has no `è`. So no rule here knows a word; each reads the *document's own evidence*:

* `present` — how often each accented letter occurs in the document;
* `restorable` — how many of its tokens would need that letter to be valid (or to be the more
  frequent reading of their letters);
* `lost` — letters the document (almost) never writes although many tokens need them: its OCR
  could not produce them (seed 000 has 801 `é` and no `è`, `à`, `ô`, `ê`, `ç` at all). Restoring a
  lost letter is believable; adding a letter the document uses freely is not, unless...
* `evidence` — ...the same form is spelled correctly elsewhere in the document: that wins.
* `reach` — how many damaged tokens each form could be the reading of (`Pôle` is reachable from
  `Pole`, `Péle`, `Pdle`, `Pble`, `Poéle`; `Pèle` only from `Péle`).
"""
from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from extractors.french.acronyms_qc import QUEBEC_ACRONYMS
from extractors.french.lexicon import Lexicon, skeleton
from extractors.repair.words import Candidate, candidates

# A letter is lost when at least this many tokens need it and the document writes it for fewer than
# LOST_SHARE of them. Clean French writes nearly all of them; seed 000 writes none.
LOST_MIN_TOKENS = 3
# Too short a text (a receipt, a caption) says nothing about what its OCR could write.
MIN_WORDS_FOR_LOST = 120
LOST_SHARE = 0.15
# Diacritics French words (almost) never carry: a Tesseract French model adds them by mistake (plüs).
RARE_DIACRITICS = set("üÿäöãñáíóúìòÜŸÄÖ")  # not ë, ï: French writes them (naïf, nuë in old print)
# Glyphs that are never letters: a token containing one is damaged whatever the document.
ALWAYS_BELIEVED_GLYPHS = {"(>û", "&>à", "&>ê", "&>ë", "&>é", "€>é", "€>e", "|>l", "|>i", "1>l", "l>I",
                          "eé>é", "eé>ée"}
ACCENT_FAMILIES = (set("àèù"), set("âêîôû"), set("ÀÈÙ"), set("ÂÊÎÔÛ"))
# Below this share of French words a text is left alone (another language, or not prose at all).
MIN_FRENCH_SHARE = 0.55
# Below this share the text is archaic or not prose: only evidence and impossible glyphs repair it.
STRICT_BELOW = 0.8
# Candidates must beat the runner-up by this much (Zipf units, 0.5 = 3x as frequent), evidence included.
MARGIN = 0.5


@dataclass
class Profile:
    words: int = 0
    french_words: int = 0
    present: Counter = field(default_factory=Counter)
    restorable: Counter = field(default_factory=Counter)
    evidence: Counter = field(default_factory=Counter)
    reach: Counter = field(default_factory=Counter)
    acronyms: set = field(default_factory=set)
    lost: frozenset = frozenset()

    @property
    def damaged(self) -> bool:
        """The OCR visibly lacked French letters: only then are document-evidence repairs safe
        (a period printer's `pere` next to `père` is what the page says, not OCR damage)."""
        return bool(self.lost) and not self.strict

    @property
    def strict(self) -> bool:
        """Too few words in the modern lexicon (old French, receipts, heavy damage): evidence only."""
        return self.words >= 30 and self.french_share < STRICT_BELOW

    @property
    def french_share(self) -> float:
        return self.french_words / self.words if self.words else 0.0

    def describe(self) -> str:
        lost = "".join(sorted(self.lost)) or "none"
        return f"{self.words} words, {self.french_share:.0%} in the French lexicon; letters the OCR lost: {lost}"


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and word[:1].isupper() and not word.istitle()


def accented(c: str) -> bool:
    return c.isalpha() and not c.isascii() and unicodedata.normalize("NFD", c) != c or c in "œŒæÆ"


def _added_letters(candidate: Candidate) -> list[str]:
    letters = []
    for op in candidate.accent_ops:
        kind, _, rest = op.partition(":")
        if kind in ("add", "swap"):
            letters.append(rest[-1])
    for op in candidate.glyph_ops:
        printed = op.split(">")[1]
        if printed in ("ô", "œ", "û", "ç", "è", "à", "ê", "ë"):
            letters.append(printed)
    return letters


def build_profile(words: Iterable[str], lexicon: Lexicon) -> Profile:
    profile = Profile()
    for word in words:
        if not word or not any(c.isalpha() for c in word):
            continue
        if is_acronym(word):
            profile.acronyms.add(word)
            continue
        profile.words += 1
        for c in word:
            if accented(c):
                profile.present[c] += 1
        if lexicon.is_valid(word):
            profile.french_words += 1
            profile.evidence[word.lower()] += 1
            own = lexicon.zipf(word)
            for mate in lexicon.same_skeleton(skeleton(word)):
                # Only a twin more frequent than the word itself says the word may have lost a letter
                # (a/à counts, ou/où does not: a clean report can use `ou` twenty times and `où` never).
                if mate != word.lower() and lexicon.zipf(mate) > own and not mate.replace("œ", "oe") == word.lower():
                    cased = mate[:1].upper() + mate[1:] if word[:1].isupper() else mate
                    for c in set(cased) - set(word):
                        if accented(c):
                            profile.restorable[c] += 1
                    profile.reach[mate] += 1
            continue
        found = candidates(lexicon, word)
        if not found:
            continue
        for candidate in found:
            profile.reach[candidate.form] += 1
        best = max(found, key=lambda c: lexicon.zipf(c.form) - len(c.glyph_ops))
        for letter in set(_added_letters(best)):
            profile.restorable[letter] += 1
    lost = set()
    if profile.words >= MIN_WORDS_FOR_LOST:
        for letter, need in profile.restorable.items():
            if need >= LOST_MIN_TOKENS and profile.present[letter] < LOST_SHARE * need:
                lost.add(letter)
    lower_lost = {c for c in lost if c.islower()}
    # An OCR model lacks accents by family: one that lost two grave (or circumflex) letters lost the
    # others too, even those too rare to be counted (où), unless the document does write them.
    for family in ACCENT_FAMILIES:
        if len(lower_lost & family) >= 2:
            lost |= {c for c in family if profile.present[c] == 0}
    # An OCR whose alphabet visibly lacks French letters (two lower-case ones or more lost by count)
    # lacks every accented letter the document never writes, however few tokens need it (ceuvre,
    # connaitre, façon). Capitals, too: but printers long left capitals unaccented by choice (Etat,
    # A Paris), so a missing É or À alone is never damage.
    if len(lower_lost) >= 2:
        lost |= {c for c, need in profile.restorable.items() if need >= 1 and profile.present[c] == 0}
    else:
        lost = {c for c in lost if not c.isupper()}
    profile.lost = frozenset(lost)
    return profile


def op_believed(op: str, candidate: Candidate, profile: Profile, word: str = "") -> bool:
    """Is this misreading credible in this document?"""
    if op in ALWAYS_BELIEVED_GLYPHS:
        return True
    if ">" in op and ":" not in op:  # a glyph confusion: the printed letter must be one the OCR lost
        return op.split(">")[1] in profile.lost
    kind, _, rest = op.partition(":")
    if kind == "lig":  # oeuvre -> œuvre only where the OCR could not write œ
        return "œ" in profile.lost
    if kind == "drop":
        # plüs -> plus; but a name keeps its diaeresis (Maïmouna)
        return rest in RARE_DIACRITICS and word[:1].islower()
    return rest[-1] in profile.lost or (len(word) > 1 and word.isupper() and rest[-1].lower() in profile.lost)


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    score: float
    rule: str


def _strength(candidate: Candidate, profile: Profile, lexicon: Lexicon) -> float:
    evidenced = profile.damaged and profile.evidence[candidate.form] > 0
    return lexicon.zipf(candidate.form) + math.log10(1 + profile.reach[candidate.form]) + (2.0 if evidenced else 0.0)


def believable(word: str, found: tuple[Candidate, ...], profile: Profile) -> list[Candidate]:
    out = []
    for candidate in found:
        ops = candidate.glyph_ops + candidate.accent_ops
        if profile.damaged and profile.evidence[candidate.form] > 0:
            out.append(candidate)
        elif profile.strict:
            if all(op in ALWAYS_BELIEVED_GLYPHS for op in ops):
                out.append(candidate)
        elif all(op_believed(op, candidate, profile, word) for op in ops):
            out.append(candidate)
    return out


def choose(word: str, found: tuple[Candidate, ...], profile: Profile, lexicon: Lexicon) -> Optional[Choice]:
    """The repair of an invalid word, or None when no reading is clearly believable."""
    # In a damaged document, a form spelled so elsewhere makes any of its misreadings believable.
    believable_ = believable(word, found, profile)
    if not believable_:
        return None
    ranked = sorted(believable_, key=lambda c: -_strength(c, profile, lexicon))
    best = ranked[0]
    # Only believable rivals count: relevé is no rival of relève for `reléve` (an OCR that writes é
    # for a lost è does not also move accents around).
    rivals = [c for c in believable_ if c.form != best.form and c.form != word.lower()]
    strength = _strength(best, profile, lexicon)
    runner = max((_strength(c, profile, lexicon) for c in rivals), default=None)
    if runner is not None and strength - runner < MARGIN:
        return None
    # A token the web uses often (email, covid) stays unless the reading is far more common.
    own = lexicon.web.get(word.lower(), 0) / 10
    evidenced = profile.damaged and profile.evidence[best.form] > 0
    capital_only = all(op[-1].isupper() for op in best.accent_ops) and not best.glyph_ops
    # Restoring letters the OCR visibly lost needs less: the web writes `connaitre` often, but a
    # document that lost î meant `connaître`.
    needed = 0.5 if all(op_believed(op, best, profile, word) for op in best.accent_ops) and profile.lost else 0.8
    if own and not evidenced and not capital_only and lexicon.zipf(best.form) - own < needed:
        return None
    if evidenced:
        rule, score = "evidence", 0.95
    elif best.glyph_ops:
        rule, score = "glyph", 0.85
    else:
        rule, score = "accent", 0.9
    if runner is not None:
        score = min(score, 0.6 + 0.1 * (strength - runner))
    return Choice(best, round(max(0.5, min(score, 0.99)), 2), rule)


def known_acronyms(profile: Profile) -> set[str]:
    return set(profile.acronyms) | set(QUEBEC_ACRONYMS)
