"""Character-level repairs made before any word is read: mojibake undone (ftfy), NFC, ligatures.

Both give whole-chunk edits on the original text; stage.plan composes the word repairs made on
their result back onto the original (stage._compose).
"""
from __future__ import annotations

import bisect
import re
import unicodedata

from extractors.repair.plan import Edit

LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")


# Characters that begin UTF-8 read as cp1252 or Latin-1 (ministÃ¨re, lâ€™État): only chunks holding
# one are shown to ftfy, whose own badness test then decides.
MOJIBAKE_HINT = re.compile("[ÃÂÅâÄËÐÎÏïÆ€]")
# ftfy fixes encodings only: quotes, ligatures, widths, HTML entities and line breaks are the text's own.
_FTFY_CONFIG = None


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        from ftfy import TextFixerConfig

        _FTFY_CONFIG = TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
            uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=True)
    return _FTFY_CONFIG


def mojibake_edits(text: str) -> list[Edit]:
    """UTF-8 text once decoded in the wrong encoding (ministÃ¨re -> ministère), undone by ftfy.

    ftfy reads a run of suspicious chunks with one neighbour on each side (a mojibake `à` can be
    `Ã` and a space); the edit is trimmed to the characters that change.
    """
    if not MOJIBAKE_HINT.search(text):
        return []
    import ftfy
    from ftfy.badness import is_bad

    spans = [m.span() for m in re.finditer(r"[^ \t\n\r\f\v]+", text)]
    flagged = [i for i, (a, b) in enumerate(spans) if MOJIBAKE_HINT.search(text, a, b) and is_bad(text[a:b] + " ")]
    groups: list[list[int]] = []
    for i in flagged:
        lo, hi = max(0, i - 1), min(len(spans) - 1, i + 1)
        while lo < i and "\n" in text[spans[lo][1] : spans[i][0]]:
            lo += 1  # never across a line break
        while hi > i and "\n" in text[spans[i][1] : spans[hi][0]]:
            hi -= 1
        if groups and lo <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], hi)
        else:
            groups.append([lo, hi])
    edits = []
    for lo, hi in groups:
        start, end = spans[lo][0], spans[hi][1]
        before = text[start:end]
        fixed = unicodedata.normalize("NFC", ftfy.fix_and_explain(before, _ftfy_config()).text)
        if fixed == before:
            continue
        pieces, fixed_pieces = before.split(" "), fixed.split(" ")
        if len(pieces) != len(fixed_pieces):  # a space was part of a character (Ã + nbsp = à)
            pieces, fixed_pieces = [before], [fixed]
        offset = start
        for piece, fixed_piece in zip(pieces, fixed_pieces):
            if piece != fixed_piece:
                edits.append(trimmed(offset, piece, fixed_piece))
            offset += len(piece) + 1
    return edits


def trimmed(start: int, before: str, after: str) -> Edit:
    """An edit replacing `before` (at `start`) by `after`, without their common ends."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return Edit(start + head, start + len(before) - tail, after[head : len(after) - tail], "mojibake", 0.95)


def nfc_edits(text: str, skip: list[Edit] = ()) -> list[Edit]:
    """Whole-chunk edits that make the text NFC and spell out typographic fi/fl ligatures."""
    edits = []
    taken = sorted((e.start, e.end) for e in skip)
    taken_starts = [a for a, _ in taken]
    for match in re.finditer(r"\S+", text):
        chunk = match.group()
        if chunk.isascii():
            continue
        at = bisect.bisect_left(taken_starts, match.end()) - 1  # the last skipped edit starting inside or before
        if at >= 0 and taken[at][1] > match.start():
            continue
        fixed = LIGATURE.sub(lambda m: LIGATURES[m.group()], unicodedata.normalize("NFC", chunk))
        if fixed != chunk:
            rule = "nfc" if unicodedata.normalize("NFC", chunk) != chunk else "ligature"
            edits.append(Edit(match.start(), match.end(), fixed, rule, 1.0))
    return edits
