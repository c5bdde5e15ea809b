"""Candidates for one word: valid French forms the OCR could have misread as it, and what it would
have had to get wrong (the *operations*) for each.

Two kinds of misreading, both general:

* accents: the same letters with other accents (`ministére`, `acces`, `Etat`, `plüs`), found through
  the lexicon's accent-insensitive index at no cost;
* glyph confusions of OCR engines reading French (`GLYPH_CONFUSIONS`): ô read as d/b/é/oé/6, œ as
  `ce`, û as `(`, ç as g, à as `&`, é as `€`, è as `eé`/`ée`, ù as t/w (où as ot), a capital I as l,
  l as 1. At most two per word.

Whether an operation is believable in a given document is decided elsewhere (repair_profile):
here a candidate only lists its operations.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractors.french.lexicon import Lexicon, skeleton

# (what OCR wrote, what was printed). Each is something an OCR engine writes for a French letter
# that its model lacks or confuses; none of them is ever needed to spell a valid word.
GLYPH_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("d", "ô"), ("b", "ô"), ("é", "ô"), ("oé", "ô"), ("db", "ô"), ("bd", "ô"), ("éb", "ô"),
    ("ce", "œ"),
    ("(", "û"),
    ("g", "ç"),
    ("&", "à"), ("&", "ê"), ("&", "ë"), ("&", "é"), ("€", "é"), ("€", "e"),
    ("eé", "è"), ("ée", "è"), ("eé", "é"), ("eé", "ée"),
    ("|", "l"), ("|", "i"), ("1", "l"), ("6", "ô"),
    ("t", "ù"), ("w", "ù"),  # où read as ot, ow
)
MAX_GLYPH_OPS = 2
MAX_WORD_LENGTH = 40  # longer runs are not words (URLs without scheme, base64, tables glued together)
NON_LETTERS_THAT_ARE_GLYPHS = set("(|&€16")


@dataclass(frozen=True)
class Candidate:
    form: str  # lower case, as in the lexicon
    glyph_ops: tuple[str, ...]  # e.g. ("d>ô",)
    accent_ops: tuple[str, ...]  # e.g. ("add:è",), ("swap:é>è",), ("drop:ü",); chars in the token's case
    capital_from_l: bool = False  # a word-initial `l` was a capital I (lmmigration -> Immigration)


def _base(c: str) -> str:
    return unicodedata.normalize("NFD", c)[0]


def accent_ops(variant: str, form: str, cased: str) -> tuple[str, ...] | None:
    """Accent differences between a variant (lower case) and a form of the same skeleton.

    `cased` is the token's case pattern applied to the form, so an op on an initial capital names
    the capital (`add:É`). None when they differ in a ligature only (oeuvre/œuvre: a typographic
    choice, not damage).
    """
    ops = []
    v = variant.replace("æ", "ae")
    f = form.replace("æ", "ae")
    if "œ" in f and "œ" not in v:
        if "oe" not in v:
            return None
        ops.append("lig:œ")  # a typographic choice, believed only where the OCR lost œ
        f = f.replace("œ", "oe")
    if len(v) != len(f):
        return None
    for i, (a, b) in enumerate(zip(v, f)):
        if a == b:
            continue
        if _base(a) != _base(b):
            return None
        target = cased[i] if i < len(cased) else b
        if a == _base(a):
            ops.append(f"add:{target}")
        elif b == _base(b):
            ops.append(f"drop:{a}")
        else:
            ops.append(f"swap:{a}>{target}")
    return tuple(ops)


def _variants(word: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """The word and its readings with up to MAX_GLYPH_OPS glyph confusions undone (lower case)."""
    out = [(word, (), False)]
    frontier = [(word, (), False, 0)]
    for _ in range(MAX_GLYPH_OPS):
        nxt = []
        for text, ops, cap, floor in frontier:
            for read, printed in GLYPH_CONFUSIONS:
                start = text.find(read, floor)
                while start != -1:
                    new = text[:start] + printed + text[start + len(read) :]
                    item = (new, ops + (f"{read}>{printed}",), cap, start + len(printed))
                    nxt.append(item)
                    start = text.find(read, start + 1)
        # A word-initial l read for a capital I (l'lmmigration): only with a consonant after it.
        for text, ops, cap, floor in frontier:
            if text.startswith("l") and len(text) > 2 and text[1] in "mnrst" and not cap:
                nxt.append(("i" + text[1:], ops + ("l>I",), True, 1))
        out.extend((t, o, c) for t, o, c, _ in nxt)
        frontier = nxt
    return out


@lru_cache(maxsize=200_000)
def _candidates_cached(lexicon_id: int, word: str) -> tuple[Candidate, ...]:
    lexicon = _LEXICONS[lexicon_id]
    lower = word.lower()
    has_glyph_junk = any(c in NON_LETTERS_THAT_ARE_GLYPHS for c in lower)
    found: dict[str, Candidate] = {}
    for variant, ops, cap in _variants(lower):
        if any(c in NON_LETTERS_THAT_ARE_GLYPHS for c in variant):
            continue
        for form in lexicon.same_skeleton(skeleton(variant)):
            if form == lower and not ops:
                continue
            cased = form
            if word[:1].isupper() or cap:
                cased = form[:1].upper() + form[1:]
            if word.isupper() and len(word) > 1:
                cased = form.upper()
            accents = accent_ops(variant, form, cased)
            if accents is None or (not accents and not ops):
                continue
            printed = {op.split(">")[1].lower() for op in ops}
            if any(a.split(":")[1][:1].lower() in printed for a in accents if not a.startswith("add:")):
                continue  # undoing a confusion only to take its accent off again (Pdle -> Pole)
            candidate = Candidate(form, ops, accents, cap)
            best = found.get(form)
            if best is None or len(candidate.glyph_ops) < len(best.glyph_ops) or (
                len(candidate.glyph_ops) == len(best.glyph_ops) and len(candidate.accent_ops) < len(best.accent_ops)
            ):
                found[form] = candidate
    if has_glyph_junk:
        found = {f: c for f, c in found.items() if c.glyph_ops}
    return tuple(found.values())


_LEXICONS: dict[int, Lexicon] = {}


def candidates(lexicon: Lexicon, word: str) -> tuple[Candidate, ...]:
    if len(word) > MAX_WORD_LENGTH or len(word) < 1:
        return ()
    _LEXICONS[id(lexicon)] = lexicon
    return _candidates_cached(id(lexicon), word)


def render(candidate: Candidate, token: str) -> str:
    """The candidate written in the token's case (Pdle -> Pôle, MINISTERE -> MINISTÈRE, lmmigration -> Immigration)."""
    form = candidate.form
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return form.upper()
    if token[:1].isupper() or candidate.capital_from_l:
        return form[:1].upper() + form[1:]
    return form
