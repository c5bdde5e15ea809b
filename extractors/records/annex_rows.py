"""Rows of a flattened measure table whose cells the OCR merged into single lines.

A landscape table read by OCR line by line gives, on one line, the n-th line of every cell of a
row: "5 Reconnaissance des compétences de CPMT 275 personnes admises à la RCMO" is the name cell,
the organisations cell and the indicator cell side by side. The cells are cut apart from the shape
of what is in them, never from knowing the document:
* **organisations** (`org_list`): acronyms (`CPMT`, `Q2`), names opened by a general head noun
  (`Office des professions`, `Fédération des cégeps`, `Comités sectoriels`, `Tous les partenaires
  du Pôle`), lists of them joined by commas and `et`, a qualifying parenthesis kept on its name. An
  acronym that the document uses inside measure names (`PFE` in "Informer les PFE des conditions")
  is vocabulary of the names, not an organisation;
* **deadlines**: a date, season, year or "En continu" closing the line;
* a word cut by a hyphen with more text after it on the same line ("l'implanta- Fédération")
  ends the name cell;
* after the organisations, a capital or a digit opens an indicator; lower case goes on with the
  indicator left open.
Text with no cue of its own goes on with the left-most cell that was open on the line before
(the name first), or with the organisations when it opens on "de", "du"... under a line of
organisations. Rows of such tables are often printed vertically centred, so a cell taller than
the name comes out before the row's number: a second organisation list after the row's list was
complete starts the next row's cells (`split_rows`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from schemas.records import Indicator

from extractors.records.measure_fields import fold, is_deadline, join_lines, target_of
from extractors.records.fields import ACRONYM, HYPHENATED_NAME, split_orgs
from extractors.records.settings import SETTINGS

# Head nouns of organisation names (folded prefixes), the words a public body's name opens with.
ORG_HEADS = ("ministere", "office", "federation", "commission", "conseil", "comite", "bureau", "secretariat",
             "direction", "societe", "regie", "agence", "institut", "ordre", "association", "centre", "cegep",
             "college", "universite", "ville", "municipalite", "fondation", "chambre", "corporation", "reseau",
             "regroupement", "organisme", "etablissement", "partenaire", "tous", "toutes", "ensemble", "syndicat",
             "caisse", "service")
# Small words inside a name ("Office des professions du Québec").
NAME_JOINS = {"de", "des", "du", "d'", "la", "le", "les", "l'"}
# Lower-case words that never go on a name: they open another complement or a sentence.
NAME_STOPS = {"à", "a", "au", "aux", "en", "pour", "qui", "que", "dans", "sur", "avec", "entre", "par", "afin", "selon",
              "est", "sont", "ont", "soit", "d'un", "d'une"}
NOISE = re.compile(r"^[^\w(«\"]+$")  # OCR specks read as tokens (". )", "]", "|")


def split_names(text: str) -> list[str]:
    """Organisation names of a cell: split at commas and "et", except where "et" goes on with a
    complement of the same name ("Ministère des Transports et de la Mobilité durable")."""
    out: list[str] = []
    for part in split_orgs(text):
        if out and fold(part.split()[0]) in NAME_JOINS and re.search(rf"\bet\s+{re.escape(part)}", text):
            out[-1] = f"{out[-1]} et {part}"
        else:
            out.append(part)
    return out


def _core(token: str) -> str:
    return token.strip(",;.")


def _sep(token: str) -> bool:
    return token.endswith((",", ";"))


def is_acronym(token: str, vocabulary: frozenset[str] = frozenset()) -> bool:
    word = _core(token)
    shaped = sum(c.isupper() for c in word) >= 2 or any(c.isdigit() for c in word)  # "CIQ", "Q2"
    return bool(ACRONYM.match(word)) and shaped and fold(word) not in vocabulary


def is_head(token: str) -> bool:
    word = _core(token)
    return word[:1].isupper() and fold(word).startswith(ORG_HEADS)


def _name_end(tokens: list[str], i: int, listed: bool, vocabulary: frozenset[str]) -> Optional[int]:
    """End (exclusive) of one organisation name starting at tokens[i], or None."""
    n, token = len(tokens), tokens[i]
    if is_acronym(token, vocabulary):
        j = i + 1
        while j < n and not _sep(tokens[j - 1]):
            if HYPHENATED_NAME.match(_core(tokens[j])):
                j += 1  # "CERAC Marie-Victorin"
            elif j + 1 < n and fold(tokens[j]) in NAME_JOINS and tokens[j + 1][:1].isupper():
                j += 2  # "MRC des Collines", "CISSS de Laval"
            else:
                break
    elif is_head(token):
        j, words = i + 1, 1
        while j < n and not _sep(tokens[j - 1]) and words < SETTINGS.max_name_words:
            word, prev = fold(_core(tokens[j])), fold(_core(tokens[j - 1]))
            if word in NAME_JOINS or word.startswith(("d'", "l'")) and word not in NAME_STOPS:
                j += 1
            elif tokens[j][:1].isupper() and prev in NAME_JOINS:
                j += 1  # "du Québec"
            elif tokens[j][:1].islower() and word not in NAME_STOPS and word != "et":
                j += 1
            else:
                break
            words += 1
        while j > i + 1 and fold(_core(tokens[j - 1])) in NAME_JOINS and j < n:
            j -= 1  # a name does not end on "des" inside a line
    elif listed and token[:1].islower() and fold(_core(token)) not in NAME_JOINS | NAME_STOPS:
        j = i + 1  # "ordres professionnels" after a comma: a short lower-case name
        if j < n and not _sep(token) and tokens[j][:1].islower() and fold(_core(tokens[j])) not in NAME_JOINS | NAME_STOPS:
            j += 1
    else:
        return None
    if j < n and not _sep(tokens[j - 1]) and tokens[j].startswith("("):  # "BCI (et les établissements)"
        k = j
        while k < n and ")" not in tokens[k]:
            k += 1
        if k < n:
            j = k + 1
    return j


def org_list(tokens: list[str], i: int, vocabulary: frozenset[str], listed: bool = False) -> Optional[int]:
    """End (exclusive) of a list of organisation names starting at tokens[i], or None."""
    j = _name_end(tokens, i, listed, vocabulary)
    if j is None:
        return None
    while j < len(tokens):
        if _sep(tokens[j - 1]):
            nxt = _name_end(tokens, j, True, vocabulary)
        elif tokens[j] == "et" and j + 1 < len(tokens):
            nxt = _name_end(tokens, j + 1, True, vocabulary)
        else:
            break
        if nxt is None:
            break
        j = nxt
    return j


@dataclass
class Segment:
    kind: str  # "lead" (no cue of its own), "cut" (after a hyphen cut), "orgs", "after" (after orgs), "deadline"
    text: str


def _deadline_suffix(tokens: list[str]) -> int:
    """Index where a deadline closing the line starts (len(tokens) if none)."""
    for size in range(min(5, len(tokens)), 0, -1):
        start = len(tokens) - size
        words = tokens[start:]
        while words and NOISE.match(words[0]):
            words = words[1:]
        if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
            continue
        if start and words[0][:1].isdigit() and (fold(tokens[start - 1]) in NAME_JOINS | NAME_STOPS
                                                 or tokens[start - 1][:1].isdigit()):
            continue  # "pour atteindre 2 115 participants en 2022": the year is in the sentence
        if is_deadline(" ".join(words)):
            return start
    return len(tokens)


def _cell_ends(tokens: list[str], i: int, j: int) -> bool:
    """Does the name list tokens[i:j] end its cell? Yes at the line's end, before a capital or a
    digit (the next column), after a trailing comma (the list goes on below, the line on to the next
    column), and for a list of several names opening the line."""
    if j == len(tokens) or tokens[j][:1].isupper() or tokens[j][:1].isdigit() or _sep(tokens[j - 1]):
        return True
    return i == 0 and len(split_names(" ".join(tokens[i:j]))) >= 2


def split_line(text: str, vocabulary: frozenset[str], org_open: bool) -> list[Segment]:
    """Cut one merged line into cell segments. `org_open`: the organisation list above ended on a
    comma, so a line may open with the rest of it."""
    tokens = text.split()
    while tokens and NOISE.match(tokens[0]):
        tokens = tokens[1:]
    end = _deadline_suffix(tokens)
    deadline = [t for t in tokens[end:] if not NOISE.match(t)]
    tokens = tokens[:end]
    segments: list[Segment] = []
    start = 0
    if org_open and tokens:
        j = org_list(tokens, 0, vocabulary, listed=True)
        if j is not None:
            segments.append(Segment("orgs", " ".join(tokens[:j])))
            start = j
    i = start
    while i < len(tokens):
        if i > start and tokens[i - 1].endswith("-") and tokens[i - 1][-2:-1].isalpha():
            segments.append(Segment("lead" if not segments else "after", " ".join(tokens[start:i])))
            start = i  # what follows a hyphen cut is the next cell
        j = org_list(tokens, i, vocabulary) if not tokens[i].startswith("(") else None
        if j is not None and _cell_ends(tokens, i, j):
            if i > start:
                kind = "lead" if not segments else ("cut" if segments[-1].kind in ("lead", "cut") else "after")
                segments.append(Segment(kind, " ".join(tokens[start:i])))
            segments.append(Segment("orgs", " ".join(tokens[i:j])))
            start = i = j
            if j < len(tokens):
                break  # the indicator column is right of the organisations: no name after it
            continue
        i += 1
    if start < len(tokens):
        kind = "lead" if not segments else ("after" if segments[-1].kind == "orgs" else "cut")
        segments.append(Segment(kind, " ".join(tokens[start:])))
    if deadline:
        segments.append(Segment("deadline", " ".join(deadline)))
    return [s for s in segments if s.text.strip(" ,;")]


@dataclass
class RowCells:
    """What the lines of one row give, before it becomes a Measure."""

    title: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)  # name-list fragments in reading order
    indicators: list[list] = field(default_factory=list)  # [lines, deadline]
    last: set[str] = field(default_factory=lambda: {"title"})  # cells present on the line read last

    @property
    def org_open(self) -> bool:
        return bool(self.orgs) and self.orgs[-1].rstrip().endswith((",", ";"))

    def add_org(self, text: str) -> None:
        if self.orgs and (text[:1].islower() or self.org_open):
            self.orgs[-1] = f"{self.orgs[-1]} {text}"
        else:
            self.orgs.append(text)

    def indicator_open(self) -> bool:
        return bool(self.indicators) and self.indicators[-1][1] is None

    def organisations(self) -> list[str]:
        return [name for fragment in self.orgs for name in split_names(fragment)]

    def indicator_records(self) -> list[Indicator]:
        out = []
        for lines, deadline in self.indicators:
            text = join_lines(lines).strip(" ,;")
            if text:
                out.append(Indicator(text=text, target=target_of(text), deadline=deadline))
        return out


def read_row(lines: list[str], vocabulary: frozenset[str], cells: Optional[RowCells] = None) -> RowCells:
    """The cells of one row from its lines (the first one without its number)."""
    cells = cells or RowCells()
    before = cells.last
    for n, line in enumerate(lines):
        present: set[str] = set()
        for seg in split_line(line, vocabulary, cells.org_open):
            text = seg.text.strip()
            if seg.kind == "orgs":
                cells.add_org(text)
                present.add("orgs")
            elif seg.kind == "deadline":
                if cells.indicator_open():
                    cells.indicators[-1][1] = text
                elif cells.indicators and cells.indicators[-1][1] is None:
                    cells.indicators[-1][1] = text
                present.add("deadline")
            elif seg.kind == "after" and (text[:1].isupper() or text[:1].isdigit() or not cells.indicator_open()):
                cells.indicators.append([[text], None])
                present.add("indicators")
            elif seg.kind == "after":
                cells.indicators[-1][0].append(text)
                present.add("indicators")
            else:
                target = _continued(seg.kind, text, before, cells, first=(n == 0 and not cells.title))
                if target == "title":
                    cells.title.append(text)
                elif target == "orgs":
                    cells.add_org(text)
                elif target == "indicators" and cells.indicator_open() and not text[:1].isupper():
                    cells.indicators[-1][0].append(text)
                else:
                    cells.indicators.append([[text], None])
                present.add(target)
        before = cells.last = present
    return cells


def _continued(kind: str, text: str, before: set[str], cells: RowCells, first: bool) -> str:
    """Which cell a segment with no cue of its own goes on with."""
    if first:
        return "title"
    lower = not (text[:1].isupper() or text[:1].isdigit())
    if kind == "cut":  # right of a cut name line: the next column that was there
        return "orgs" if "orgs" in before and lower else "indicators"
    if not lower:
        return "indicators"
    if "title" in before:
        return "title"
    if before == {"orgs"} or ("orgs" in before and text.endswith((",", ";"))):
        return "orgs"  # under a line of names only, or a list going on
    if "orgs" in before and fold(text.split()[0]) in NAME_JOINS and not cells.indicator_open():
        return "orgs"
    if cells.indicator_open() and ("indicators" in before or "orgs" in before):
        return "indicators"
    return "title"


def starts_org_cell(text: str, vocabulary: frozenset[str]) -> bool:
    """A unit opening on a list of two names or more ("Office, CIQ, ordres…")."""
    tokens = text.split()
    if not tokens or not tokens[0][:1].isupper():
        return False
    end = org_list(tokens, 0, vocabulary)
    return end is not None and len(split_names(" ".join(tokens[:end]))) >= 2


def _opens_indicator(lines: list[str], vocabulary: frozenset[str]) -> bool:
    """A unit that starts a statement (a capital, no name list) and has no deadline yet."""
    tokens = lines[0].split()
    return bool(tokens) and tokens[0][:1].isupper() and org_list(tokens, 0, vocabulary) is None and not any(
        is_deadline(line) for line in lines)


def split_rows(units_of_rows: list[list[list[str]]], vocabulary: frozenset[str]) -> list[list[list[str]]]:
    """Units (each a list of lines) of each row, in order, with the cells printed above a row's
    number moved to it: once a row's organisations hold a lead and partners, a unit opening a new
    list of names, and the units opening indicators just before it, belong to the next row."""
    out = [list(units) for units in units_of_rows]
    for r in range(len(out) - 1):
        units = out[r]
        cells = read_row(units[0], vocabulary)
        move_from = None
        for k in range(1, len(units)):
            if len(cells.organisations()) >= 2 and not cells.org_open and starts_org_cell(units[k][0], vocabulary):
                move_from = k
                while move_from > 1 and _opens_indicator(units[move_from - 1], vocabulary):
                    move_from -= 1
                break
            cells = read_row(units[k], vocabulary, cells)
        if move_from is not None:
            out[r + 1] = out[r + 1][:1] + units[move_from:] + out[r + 1][1:]
            out[r] = units[:move_from]
    return out
