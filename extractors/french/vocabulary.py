"""French vocabularies and typographic glyph sets, each defined once, that several stages match
text against: month names, seasons, list bullets, check marks.

Each stage derives the set it needs from these as a named combination (see the stage's module):
a table's cell splitter, a list-item reader and OCR repair do not want the same bullets, and the
comment beside each combination says why. General French only; nothing here knows a document.
"""
from __future__ import annotations

import unicodedata


def fold_accents(word: str) -> str:
    """The word without its accents (février -> fevrier): how a text with stripped accents, or a
    matcher that folds its input, spells it."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


# --- Months -----------------------------------------------------------------------------------
# The twelve month names as French spells them, lower case, with their number.
MONTH_NUMBERS = {"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
                 "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12}
MONTH_NAMES = tuple(MONTH_NUMBERS)
# Every spelling a month is met under in running text: as printed, and without its accents (old
# text layers, OCR with an English model, typists without accented capitals). Each accented name
# is followed by its folded twin, so a regex alternation built from it lists both.
MONTH_SPELLINGS = {spelling: number for name, number in MONTH_NUMBERS.items()
                   for spelling in dict.fromkeys((name, fold_accents(name)))}
# A regex alternation of those spellings, for patterns compiled with re.IGNORECASE.
MONTH_PATTERN = "|".join(MONTH_SPELLINGS)
# Abbreviations tables print in date columns ("janv. 2024", "sept. 2025"), accents folded;
# "mars", "mai", "juin", "août" are short enough to be printed whole.
MONTH_ABBREVIATIONS_FOLDED = ("janv", "fevr", "sept", "oct", "nov", "dec")

# --- Seasons ----------------------------------------------------------------------------------
# Plans date actions by season ("printemps 2025").
SEASONS = ("hiver", "printemps", "été", "automne")

# --- List bullets -----------------------------------------------------------------------------
# A list item opens on a glyph; which glyphs count depends on what may be mistaken for one, so
# the sets come in groups that each stage combines.
# The round, square and triangular bullets of text fonts (U+2022, U+25AA, U+2023, U+25E6, U+25CF,
# U+25CB, U+25A0, U+25A1): never anything else at the start of a line.
ROUND_BULLETS = "•▪‣◦●○■□"
# Pointers word processors offer as bullets (U+25BA, U+25B8).
POINTER_BULLETS = "►▸"
# Dingbat arrow and check mark bullets (U+27A2, U+2713), common in tables of actions.
ARROW_CHECK_BULLETS = "➢✓"
# Further dingbats (U+27A4 arrow, U+2756 diamond) seen in running text's lists.
MORE_DINGBAT_BULLETS = "➤❖"
# Middle dots (U+00B7, U+2219): a bullet in some fonts, a small bullet as OCR reads it.
MIDDLE_DOT_BULLETS = "·∙"
# Hyphen, en dash, em dash: list markers in French typography, but also "nothing" in a table cell
# and a minus sign, so each stage says when a dash opens an item.
DASH_BULLETS = "-–—"
# What OCR makes of a bullet standing alone before a word (its blot read as a symbol); "e" and
# "o" too, but those are words' letters, so stages accept them only with more evidence.
OCR_BULLET_LOOKALIKES = "*¢©+°·»®"
OCR_BULLET_LETTERS = "oe"

# --- Check marks ------------------------------------------------------------------------------
# What a cell holds to say "yes, this column applies" (a period ticked in a schedule, a partner
# marked in a responsibility matrix), compared with folded cell text.
CHECK_MARKS = ("x", "✓", "✔", "●", "■", "•")
