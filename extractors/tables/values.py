"""What a cell's text is, whatever the table: dates and periods, money, percentages, ids, bullets.

Shared by the column roles (`extractors.tables.roles`, where cell contents vote for a role) and
the record readers (`extractors.records.measure_fields`). French vocabularies only, general ones
(months, seasons, "when" phrases); nothing here knows a document.
"""
from __future__ import annotations

import re
import unicodedata

from extractors.french import vocabulary as vocab

# A cell's leading bullet is dropped before its value is judged: typographic bullets and dashes,
# "*" and the section sign "§" that lists of articles open on. No OCR look-alikes: a cell's "+"
# or "°" is a value here.
BULLET_CHARS = vocab.ROUND_BULLETS + vocab.POINTER_BULLETS + vocab.DASH_BULLETS + "*" + vocab.ARROW_CHECK_BULLETS + "§"

# Matched against folded text (`fold`), so the folded names, and the abbreviations of date columns.
MONTHS = tuple(vocab.fold_accents(name) for name in vocab.MONTH_NAMES) + vocab.MONTH_ABBREVIATIONS_FOLDED
SEASONS = tuple(vocab.fold_accents(season) for season in vocab.SEASONS)
WHEN_WORDS = (r"en continu|continu|en cours|annuellement|annuel(?:le)?|permanent(?:e)?|chaque annee|a determiner|"
              r"a venir|court terme|moyen terme|long terme|en permanence|ponctuel(?:lement)?|recurrent(?:e)?|"
              r"trimestriel(?:lement)?|mensuel(?:lement)?|tout au long de l'annee|des maintenant|immediat(?:ement)?")
YEAR = r"(?:19|20)\d\d"
_DATE = (rf"(?:(?:le\s+)?\d{{1,2}}(?:er)?\s+)?(?:{'|'.join(MONTHS)})\.?\s+(?:de\s+|d')?{YEAR}"
         rf"|(?:{'|'.join(SEASONS)})\s+(?:de\s+|d')?{YEAR}"
         rf"|(?:t|q)[1-4]\s+{YEAR}|(?:1er|[2-4]e)\s+trimestre\s+(?:de\s+)?{YEAR}"
         rf"|{YEAR}-\d\d-\d\d|\d{{1,2}}/\d{{1,2}}/{YEAR}|\d{{1,2}}(?:er)?\s+[a-z]{{3,9}}\.?\s+{YEAR}"
         rf"|{YEAR}(?:\s*[-–/à]\s*(?:{YEAR}|\d\d))?")
DEADLINE = re.compile(
    rf"^(?:(?:d'ici|d’ici|des|avant|apres|fin|debut|mi-|a partir de|au plus tard|jusqu'en|jusqu'a|en|au|a l'|a la)\s*)*"
    rf"(?:(?:{_DATE})(?:\s*(?:[-–,;/]|et|a|au)\s*(?:{_DATE}))*|{WHEN_WORDS})"
    rf"(?:\s*\([^)]{{0,30}}\))?\s*[.;]?$"
)


def fold(text: str) -> str:
    """Casefolded, accents dropped, apostrophes straight: for matching vocabulary, never for output."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text)


def strip_bullet(text: str) -> str:
    return re.sub(rf"^[{re.escape(BULLET_CHARS)}]\s*", "", text).strip() if text[:1] in BULLET_CHARS and text[1:2] in (" ", "") else text


def is_deadline(text: str) -> bool:
    t = fold(clean(strip_bullet(text)))
    return bool(t) and len(t) <= 60 and bool(DEADLINE.match(t))


MONEY = re.compile(r"(?:\d[\d\s\u00a0\u202f.,]*\s*(?:k|m|md|g)?\s*(?:\$|€|dollars?|euros?)|\$\s*\d|^\${1,5}$|^€{1,5}$)", re.IGNORECASE)
PERCENT_VALUE = re.compile(r"^-?\d{1,3}(?:[.,]\d+)?\s*%")
ID_VALUE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[A-Z](?:[.-]\d{1,3})+|[A-Z])\.?$")


def is_money(text: str) -> bool:
    """An amount ("45 000 $", "1,2 M$", "17 000,00 €") or a cost scale ("$$", "€€€")."""
    t = clean(text)
    return bool(t) and len(t) <= 40 and bool(MONEY.search(t))


def is_percent(text: str) -> bool:
    return bool(PERCENT_VALUE.match(clean(text)))


def is_id(text: str) -> bool:
    """An item number as printed: "1", "2.3", "1.1.2.0", "A", "B.2"."""
    return bool(ID_VALUE.match(clean(text)))
