"""Joining a hard-wrapped line to the next one, for every record reader.

A hyphen at the end of a line is either a word cut in two ("com-" / "pétences") or a compound
that happens to break at its hyphen ("libre-" / "service", "main-" / "d'œuvre"). Which one it is
is a question for the dictionary: the cut word joins without the hyphen when it is a French word
and the hyphenated form is not; when the dictionary knows neither, the hyphen stays (as printed).
The lexicon is only loaded the first time a line ends with such a hyphen.
"""
from __future__ import annotations

import re

CUT_AT_LINE_END = re.compile(r"([^\W\d_]+)-$")
CONTINUATION = re.compile(r"^([^\W\d_]+)")
ELISION = re.compile(r"^(?:[dlnmsjtc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def join_wrapped(left: str, right: str) -> str:
    """`left` and the line after it as one string: one space between them, none after a word cut
    by a hyphen."""
    left, right = left.rstrip(), right.strip()
    if not left or not right:
        return left or right
    cut = CUT_AT_LINE_END.search(left)
    if cut and right[:1].isalpha():
        if _is_cut_word(cut.group(1), right):
            return left[:-1] + right
        return left + right  # a compound broken at its hyphen: "libre-service", "main-d'œuvre"
    return left + " " + right


def _is_cut_word(head: str, right: str) -> bool:
    if not right[:1].islower() or ELISION.match(right):
        return False  # "Marie-" / "Victorin", "main-" / "d'œuvre" are compounds
    tail = CONTINUATION.match(right)
    if tail is None:
        return False
    from extractors.errors import LexiconUnavailable
    from extractors.french.lexicon import load_lexicon

    try:
        lexicon = load_lexicon()
    except LexiconUnavailable:  # no French dictionary on this machine: the hyphen stays, as printed
        return False
    whole, compound = head + tail.group(1), f"{head}-{tail.group(1)}"
    return lexicon.is_valid(whole) and not lexicon.is_valid(compound)
