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
* `signatures` — tokens only an OCR that lacks French letters writes, whatever the period: `ce`
  for `œ` (`ceuvre`), `é` for `è`/`ê`/`ô` before a consonant and a final mute e (`ministére`, `Péle`)
  *in a text that never writes the right letter*, glyphs that are never letters (`qualit€`). A text
  too short to count its letters (a sentence, a caption) that shows one has lost the letters it
  needs and never writes.
* `stripped` — the text writes (almost) no accent at all although many of its words need one: an
  old text layer or dump whose accents were stripped. It is re-accented even when its other damage
  (glued words, digits for letters) keeps its lexicon coverage low.
* capitals: a document that writes accented capitals (`État`, `ÉDUCATION`), or whose OCR lost two
  letters or more, gets its capitals' accents back; a clean document that never accents capitals
  keeps them as printed (`Etat` in a 1921 book).
* `habitual` — letters (è, î, ç) the document writes wherever its words need them: a token without
  one is a good OCR's slip (`frontiéres` among forty `-ière`), except spellings printers used
  before the 1878 reform (`siége`). And `é` for `ê` (`méme`, `étre`) is no French of any period.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from extractors.french.lexicon import Lexicon, skeleton
from extractors.repair.words import Candidate, candidates

# A letter is lost when at least this many tokens need it and the document writes it for fewer than
# LOST_SHARE of them. Clean French writes nearly all of them; seed 000 writes none.
LOST_MIN_TOKENS = 3
# Too short a text (a receipt, a caption) says nothing about what its OCR could write.
MIN_WORDS_FOR_LOST = 120
LOST_SHARE = 0.15
FRENCH_ACCENTED = "àâçéèêëîïôùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŸŒÆ"
# Diacritics French words (almost) never carry: a Tesseract French model adds them by mistake (plüs).
RARE_DIACRITICS = set("üÿäöãñáíóúìòÜŸÄÖ")  # not ë, ï: French writes them (naïf, nuë in old print)
# Glyphs that are never letters: a token containing one is damaged whatever the document.
ALWAYS_BELIEVED_GLYPHS = {"(>û", "&>à", "&>ê", "&>ë", "&>é", "€>é", "€>e", "|>l", "|>i", "l>I",
                          "eé>é", "eé>ée"}
# A digit for a letter is believed where the OCR visibly lost letters (1a is `la` there, and a
# sub-item `1a` in a clean text), or inside a word, where no number has it (m1nistère).
DIGIT_GLYPHS = {"1>l"}
ACCENT_FAMILIES = (set("àèù"), set("âêîôû"), set("ÀÈÙ"), set("ÂÊÎÔÛ"))
# Below this share of French words a text is left alone (another language, or not prose at all).
MIN_FRENCH_SHARE = 0.55
# Below this share the text is archaic or not prose: only evidence and impossible glyphs repair it.
STRICT_BELOW = 0.8
# Candidates must beat the runner-up by this much (Zipf units, 0.5 = 3x as frequent), evidence included.
MARGIN = 0.5
# A text is accent-stripped when it writes fewer accented letters than this share of the accents its
# words need, and needs at least STRIPPED_MIN_NEEDS of them (clean French writes nearly all of them;
# French-model OCR, 19th-century print and seed 000 write most; a stripped layer none).
STRIPPED_SHARE = 0.05
STRIPPED_MIN_NEEDS = 12
# A letter is habitual in a document that writes it at least HABIT_MIN times and HABIT_RATIO times as
# often as its words lack it: a good OCR that slips now and then (frontiéres among forty -ière
# words, garcon beside façon). A period text that writes `maniére` and `pere` throughout is not.
HABIT_MIN = 5
HABIT_RATIO = 8
# Letters a good OCR drops now and then; not é, which every French text writes so often that any
# fragment (`ble` of `ta-ble`) would find a reading with it.
HABIT_LETTERS = set("èîç")
# é where è is written today, but printers wrote é until the 1878 reform (siége, collége, complétement):
# a slip of the OCR only where the document never does so.
PERIOD_GRAVE = re.compile(r"é(?=ge[s]?$|gent$|[bcdfghjklmnpqrstvz]ement)")
# Words common enough (Zipf) for a good OCR's slip to be repaired without the document's evidence.
COMMON_ZIPF = 3.5
# Signature tokens (é for è where è is never written, ce for œ...) that show an OCR wrote wrong
# letters, not a writer who wrote none: a text showing this many is not archaic, whatever its coverage.
MIN_SIGNATURES_NOT_STRICT = 3
# A document accents its capitals when it writes at least this many accented capitals, and at least
# this share of the accented capitals its words need.
MIN_ACCENTED_CAPITALS = 2
CAPITALS_SHARE = 0.8
# é standing for è, ê or ô before consonants and a final mute e, or for ê before a final t
# (ministére, problémes, Péle, prét): the signature of an OCR without those letters.
SIGNATURE_E = re.compile(r"[éÉ](?=[bcdfghjklmnpqrstvwxzç]+[eE][sS]?$|[tT][sS]?$)")


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
    signatures: int = 0
    reaccent: bool = False  # asked for: the text is known to be accent-stripped
    habitual: frozenset = frozenset()  # letters written (nearly) wherever the document's words need them

    @property
    def stripped(self) -> bool:
        """Accents stripped from the whole text (an old layer, a dump): re-accent it."""
        if self.reaccent:
            return True
        needs = sum(n for c, n in self.restorable.items() if c.islower())
        written = sum(n for c, n in self.present.items() if c.islower())
        return needs >= STRIPPED_MIN_NEEDS and written < STRIPPED_SHARE * needs

    @property
    def accents_capitals(self) -> bool:
        """Writes accented capitals, and most of those its words need: a 19th-century book that
        accents a few (`Évangile`) and leaves most (`Ecole`, `Etat`) is not such a document."""
        written = sum(n for c, n in self.present.items() if c.isupper())
        needed = sum(n for c, n in self.restorable.items() if c.isupper())
        return written >= MIN_ACCENTED_CAPITALS and written >= CAPITALS_SHARE * (written + needed)

    @property
    def damaged(self) -> bool:
        """The OCR visibly lacked French letters: only then are document-evidence repairs safe
        (a period printer's `pere` next to `père` is what the page says, not OCR damage)."""
        return bool(self.lost) and not self.strict

    @property
    def lacks_french_letters(self) -> bool:
        """Its OCR could not write two French letters or more (an English model), or its accents
        were stripped: it dropped accents everywhere, on capitals and names too."""
        return self.stripped or (self.damaged and sum(1 for c in self.lost if c.islower()) >= 2)

    @property
    def strict(self) -> bool:
        """Too few words in the modern lexicon (old French, receipts, heavy damage): evidence only.
        Not a stripped text, nor one whose OCR visibly lacked two French letters or more and wrote
        others for them (an English model on a poor typescript: `frére`, `méme`): their coverage is
        low because of the damage repair undoes. A medieval register that writes `maniere` and
        `grace` lacks letters too, but never writes a wrong one: it stays strict."""
        misread = sum(1 for c in self.lost if c.islower()) >= 2 and self.signatures >= MIN_SIGNATURES_NOT_STRICT
        return self.words >= 30 and self.french_share < STRICT_BELOW and not self.stripped and not misread

    @property
    def french_share(self) -> float:
        return self.french_words / self.words if self.words else 0.0

    def describe(self) -> str:
        lost = "".join(sorted(self.lost)) or "none"
        stripped = "; accents stripped: re-accented" if self.stripped else ""
        return f"{self.words} words, {self.french_share:.0%} in the French lexicon; letters the OCR lost: {lost}{stripped}"


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


def signature_letter(word: str, candidate: Candidate) -> Optional[str]:
    """The letter a signature token stands for ("" for a glyph that is never a letter), else None."""
    if any(op in ALWAYS_BELIEVED_GLYPHS for op in candidate.glyph_ops):
        return ""
    if "ce>œ" in candidate.glyph_ops and "ce" in word:
        return "œ"  # lower-case only: OE is how some transcriptions write Œ (OEdipe), read as CE
    found = SIGNATURE_E.search(word)
    if found and len(candidate.form) == len(word) and candidate.form[found.start()] in "èêô":
        return candidate.form[found.start()]
    return None


def build_profile(words: Iterable[str], lexicon: Lexicon, reaccent: bool = False,
                  needs: Optional[Counter] = None) -> Profile:
    """`needs`: letters needed by tokens that are no words (a lone `4` or `&` for `à`)."""
    profile = Profile(reaccent=reaccent)
    profile.restorable.update(needs or {})
    signature_letters: list[str] = []
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
        letter = signature_letter(word, best)
        if letter is not None:
            signature_letters.append(letter)
    # `siége` is how 19th-century printers spelled it: é for è is a signature only where è is never written.
    profile.signatures = sum(1 for c in signature_letters if not c or profile.present[c] + profile.present[c.upper()] == 0)
    profile.lost = frozenset(_lost_letters(profile))
    profile.habitual = frozenset(
        c for c, n in profile.present.items()
        if c in HABIT_LETTERS and n >= HABIT_MIN and n >= HABIT_RATIO * profile.restorable[c] and c not in profile.lost)
    return profile


def _lost_letters(profile: Profile) -> set[str]:
    lost = set()
    if profile.stripped:
        return set(FRENCH_ACCENTED)  # every accent is gone, capitals' too, even where no token counted it (où)
    if profile.words >= MIN_WORDS_FOR_LOST:
        for letter, need in profile.restorable.items():
            if need >= LOST_MIN_TOKENS and profile.present[letter] < LOST_SHARE * need:
                lost.add(letter)
    elif profile.signatures:
        # Too short to count, but visibly read by an OCR without French letters: it lost those it
        # needs and never writes.
        lost = {c for c, need in profile.restorable.items() if c.islower() and profile.present[c] == 0}
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
    return lost


def capitals_believed(profile: Profile) -> bool:
    """Is a capital's missing accent (Etat, REGIONAL) damage in this document?

    Yes where the document writes accented capitals (the missing one is a misreading), where its
    OCR visibly lost two letters or more (it lost capitals' accents with them), and in a stripped
    text; no in a clean document that never accents capitals (printers long did without: `Etat`,
    `A Paris`, and till receipts still do: `ESPECES`), nor where one letter only is missing (`à`,
    a worn type).
    """
    return profile.accents_capitals or profile.lacks_french_letters


def op_believed(op: str, candidate: Candidate, profile: Profile, word: str = "") -> bool:
    """Is this misreading credible in this document?"""
    if op in ALWAYS_BELIEVED_GLYPHS:
        return True
    if op in DIGIT_GLYPHS:
        return profile.damaged or not word[:1].isdigit()
    if ">" in op and ":" not in op:  # a glyph confusion: the printed letter must be one the OCR lost
        return op.split(">")[1] in profile.lost
    kind, _, rest = op.partition(":")
    if kind == "lig":  # oeuvre -> œuvre only where the OCR could not write œ
        return "œ" in profile.lost
    if kind == "drop":
        # plüs -> plus; but a name keeps its diaeresis (Maïmouna)
        return rest in RARE_DIACRITICS and word[:1].islower()
    target = rest[-1]
    if kind == "swap" and rest[0] in RARE_DIACRITICS:
        return True  # eüt -> eût: a circumflex read as the diaeresis French hardly writes
    if target.isupper() and capitals_believed(profile):
        return True
    if kind == "swap" and rest == "é>ê" and not profile.strict:
        return True  # méme, étre, préts: no French of any period writes é for ê (choose() wants a common word)
    if target in profile.habitual and not profile.strict and len(word) >= 5 and (
            (kind == "swap" and rest == "é>è" and not PERIOD_GRAVE.search(word.lower())) or (kind == "add" and target in "îç")):
        return True  # the document writes this letter wherever it is needed: a token without it is a slip
    return target in profile.lost or (len(word) > 1 and word.isupper() and target.lower() in profile.lost)


def is_signature(word: str, candidate: Candidate, profile: Profile) -> bool:
    """One misreading, and one only an OCR without French letters makes (see Profile.signatures):
    the letter it stands for is never written in the text."""
    if len(candidate.glyph_ops) + len(candidate.accent_ops) != 1:
        return False
    letter = signature_letter(word, candidate)
    return letter is not None and (not letter or profile.present[letter] + profile.present[letter.upper()] == 0)


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    score: float
    rule: str


def _strength(candidate: Candidate, profile: Profile, lexicon: Lexicon) -> float:
    evidenced = profile.damaged and profile.evidence[candidate.form] > 0
    return lexicon.zipf(candidate.form) + math.log10(1 + profile.reach[candidate.form]) + (2.0 if evidenced else 0.0)


def believable(word: str, found: tuple[Candidate, ...], profile: Profile, lexicon: Optional[Lexicon] = None) -> list[Candidate]:
    out = []
    for candidate in found:
        ops = candidate.glyph_ops + candidate.accent_ops
        if profile.damaged and profile.evidence[candidate.form] > 0:
            out.append(candidate)
        elif profile.strict:
            if all(op in ALWAYS_BELIEVED_GLYPHS for op in ops):
                out.append(candidate)
        elif is_signature(word, candidate, profile) or _damaged_name(word, candidate, profile, lexicon):
            out.append(candidate)
        elif all(op_believed(op, candidate, profile, word) for op in ops):
            out.append(candidate)
    return out


def _damaged_name(word: str, candidate: Candidate, profile: Profile, lexicon: Optional[Lexicon]) -> bool:
    """Montreal -> Montréal: a place or person name that has lost an accent, in a document whose
    OCR lacked French letters (it drops accents it can write, too); names are never valid without."""
    return (profile.lacks_french_letters and lexicon is not None and word[:1].isupper() and not word.isupper()
            and not candidate.glyph_ops and len(candidate.accent_ops) == 1
            and candidate.accent_ops[0].startswith("add:") and candidate.accent_ops[0][-1].islower()
            and not lexicon.has_lower_entry(candidate.form))


def choose(word: str, found: tuple[Candidate, ...], profile: Profile, lexicon: Lexicon) -> Optional[Choice]:
    """The repair of an invalid word, or None when no reading is clearly believable."""
    # In a damaged document, a form spelled so elsewhere makes any of its misreadings believable.
    believable_ = believable(word, found, profile, lexicon)
    # eüt: the OCR saw a diacritic; û (eût) is a better reading than none (eut), when there is one
    if any(op.startswith("swap:") and op[5] in RARE_DIACRITICS for c in believable_ for op in c.accent_ops):
        believable_ = [c for c in believable_ if not any(op.startswith("drop:") for op in c.accent_ops)]
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
    if capital_only:
        needed = 0.0  # Etat is common on the web only as État without its accent: État must just be as common
    if own and not evidenced and lexicon.zipf(best.form) - own < needed:
        return None
    if not evidenced and ({"swap:é>ê", "swap:é>è", "add:î", "add:ç"} & set(best.accent_ops)) and not profile.lost \
            and not profile.stripped and lexicon.zipf(best.form) < COMMON_ZIPF:
        return None  # a slip of a good OCR is believed for common words only (méme, étre; not créter)
    if evidenced:
        rule, score = "evidence", 0.95
    elif best.glyph_ops:
        rule, score = "glyph", 0.85
    else:
        rule, score = "accent", 0.9
    if runner is not None:
        score = min(score, 0.6 + 0.1 * (strength - runner))
    return Choice(best, round(max(0.5, min(score, 0.99)), 2), rule)
