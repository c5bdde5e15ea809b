"""SIMULATED old OCR text layers, made from real transcriptions of real scans.

No real PDF with an old accent-stripped text layer could be found (see
../devdocs/scans/oldlayers/README.md for every place searched). So the old-layer material is
built honestly: the page image is a real scan, and its invisible text layer is the page's real hand
transcription damaged the way early digitisation programmes damaged French (the examples in issue
10 come from such a real layer: `eleve`, `franSais`, `tltat`, `grandplaisirque`, `5ooo`, `i9i9`).
Everything made here is labelled simulated, and kept apart from real material.

The damage model, applied with a random generator seeded by the page name (reproducible):

* every accent stripped (7-bit character sets), `œ` written `oe`, `æ` `ae`; except that
  `ç` becomes `S` in 1 case of 4 (`franSais`) and a word-initial `É` becomes `tl` in 1 case of 4
  (`tltat`), the readings of those letters by the OCR of the time;
* 1 space in 25 between two words lost (`grandplaisirque`), never at a line end;
* in numbers, `0` read as `o` and `1` as `i` or `l` in 1 number of 3 (`5ooo`, `i9i9`);
* line breaks kept (layers were written line by line).
"""
from __future__ import annotations

import random
import unicodedata

STRIP_KEEP = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
GLUE_RATE = 1 / 25
CEDILLA_AS_S = 1 / 4
E_ACUTE_AS_TL = 1 / 4
NUMBER_DAMAGE = 1 / 3

def _strip(c: str) -> str:
    if c in STRIP_KEEP:
        return STRIP_KEEP[c]
    return unicodedata.normalize("NFD", c)[0]

def damage(gold: str, seed: str) -> str:
    """The old layer an early programme would have made of this transcription (see above)."""
    rng = random.Random(seed)
    out_lines = []
    for line in unicodedata.normalize("NFC", gold).split("\n"):
        words = line.split(" ")
        damaged_words = []
        for word in words:
            if any(c.isdigit() for c in word) and rng.random() < NUMBER_DAMAGE:
                word = "".join(("o" if c == "0" else rng.choice("il") if c == "1" else c) for c in word)
            chars = []
            for i, c in enumerate(word):
                if c == "ç" and rng.random() < CEDILLA_AS_S:
                    chars.append("S")
                elif c == "É" and i == 0 and rng.random() < E_ACUTE_AS_TL:
                    chars.append("tl")
                else:
                    chars.append(_strip(c))
            damaged_words.append("".join(chars))
        glued = damaged_words[:1]
        for word in damaged_words[1:]:
            if glued and glued[-1] and word and glued[-1][-1].isalpha() and word[0].isalpha() and rng.random() < GLUE_RATE:
                glued[-1] += word
            else:
                glued.append(word)
        out_lines.append(" ".join(glued))
    return "\n".join(out_lines)

def strip_only(gold: str) -> str:
    """Accents stripped, nothing else (the pure re-accentuation case)."""
    return "".join(_strip(c) if not c.isascii() and c.isalpha() else c for c in unicodedata.normalize("NFC", gold))
