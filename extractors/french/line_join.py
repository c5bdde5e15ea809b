"""Joining a hard-wrapped line to the next one, for every record reader.

A hyphen at the end of a line is either a word cut in two ("com-" / "pétences") or a compound
that happens to break at its hyphen ("libre-" / "service", "main-" / "d'œuvre"). Which one it is
is a question for the dictionary: the cut word joins without the hyphen when it is a French word
and the hyphenated form is not; when the dictionary knows neither, the hyphen stays (as printed).
The lexicon is only loaded the first time a line ends with such a hyphen.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

# No French word has more letters than this (the longest have ~25): only this much of a line's end
# and of the next line's start is looked at, so a join costs the same on a 5 MB line (a longer run
# of letters, cut short, is still no dictionary word, and joins as it would whole).
MAX_WORD = 64
CUT_AT_LINE_END = re.compile(r"([^\W\d_]+)-$")
CONTINUATION = re.compile(r"^([^\W\d_]{1,%d})" % MAX_WORD)
ELISION = re.compile(r"^(?:[dlnmsjtc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def join_wrapped(left: str, right: str) -> str:
    """`left` and the line after it as one string: one space between them, none after a word cut
    by a hyphen. To join many lines, join_wrapped_lines does the same in one pass."""
    left, right = left.rstrip(), right.strip()
    if not left or not right:
        return left or right
    between = separator(left[-(MAX_WORD + 2):], right)
    return left[:-1] + right if between is None else left + between + right


def join_wrapped_lines(lines: Iterable[str]) -> str:
    """The lines as join_wrapped folded over them joins them, in time linear in their length
    (folding copies the text so far at every line: quadratic on a long paragraph)."""
    parts: list[str] = []
    for line in lines:
        right = line.strip()
        if not right:
            continue
        if parts:
            between = separator(_tail(parts), right)
            if between is None:
                parts[-1] = parts[-1][:-1]
            else:
                parts.append(between)
        parts.append(right)
    return "".join(parts)


def separator(tail: str, right: str) -> Optional[str]:
    """What goes between a line ending with `tail` and the next line `right`: None when `tail` ends
    with a word cut by a hyphen (the hyphen goes), "" after a compound broken at its hyphen
    ("libre-service", "main-d'œuvre"), else a space."""
    cut = CUT_AT_LINE_END.search(tail)
    if cut and right[:1].isalpha():
        return None if _is_cut_word(cut.group(1), right) else ""
    return " "


def _tail(parts: list[str]) -> str:
    """The last MAX_WORD + 2 characters (or more) of "".join(parts)."""
    tail = ""
    for part in reversed(parts):
        tail = part + tail
        if len(tail) > MAX_WORD + 1:
            break
    return tail


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
