"""Measure tables whose columns a text dump flattened (OCR of a landscape annex).

Recognised by their column headers printed again and again as lines of their own ("Nom de la
mesure", "M/O en charge", "Responsable", "Indicateurs, cibles et échéances"…). The dump is read as
a sequence of table pages, each followed by its progress page ("État d'avancement…"):
* a numbered line with a dot ("1. Information") is a theme row and opens a band of the page;
* a heading naming the title column opens a band too when the current one already has one;
* under a heading, the content is that column's cells (`records_annex_columns`): the k-th
  organisation or indicator section of a page goes to the first band of the page that has none;
* a line opening with the next number ("7 Mise en place de…") is a row whose cells the OCR merged
  into its lines (`records_annex_rows`); a bare number ("12") is a row whose name comes later,
  under the next title heading, in order; names with no number left take the next numbers;
* the progress page's blocks map to the page's bands in order (`records_annex_progress`).
Everything is rebuilt from layout cues, so every measure here is flagged (low confidence) for a
human look.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from schemas.records import Indicator, Measure, Provenance

from extractors.records import annex_progress as progress
from extractors.records.measure_fields import fold, join_lines
from extractors.records.annex_columns import distribute, indicator_cells, org_cells
from extractors.records.annex_rows import NAME_JOINS, is_acronym, read_row, split_rows
from extractors.records.fields import clean_text
from extractors.records.settings import SETTINGS
from extractors.records.units import Unit

HEADER = re.compile(r"^(?:n°\s*)?(?:nom de la mesure|mesures?|m/o en charge|m/o collaborateurs|responsables?|en charge|"
                    r"collaborateurs|partenaires|indicateurs?|cibles?|échéances?|état d['’]avancement)\b", re.I)
NAME_HEADER = re.compile(r"^(?:n°\s*)?(?:nom de la mesure|intitulé de la mesure|mesures?$)", re.I)
NUMBER_HEADING = re.compile(r"^(?:n\s*[°o]\.?|no\.?|#|numéro)$", re.I)
CONTINUED = re.compile(r"\s*\(\s*suite\s*\)\s*$", re.I)
# Words of column headings (folded), by the role of the column they name; FILLER joins them.
HEADING_WORDS = {"nom": "title", "mesure": "title", "mesures": "title", "intitule": "title", "m/o": "lead",
                 "charge": "lead", "responsable": "lead", "responsables": "lead", "porteur": "lead",
                 "collaborateur": "partners", "collaborateurs": "partners", "partenaire": "partners",
                 "partenaires": "partners", "indicateur": "indicators", "indicateurs": "indicators",
                 "cible": "indicators", "cibles": "indicators", "echeance": "deadline", "echeances": "deadline",
                 "echeancier": "deadline"}
FILLER = {"de", "la", "le", "les", "des", "du", "et", "en", "ou", "/"}


def is_header(unit: Unit) -> bool:
    return unit.kind in ("para", "heading") and len(unit.text) <= 60 and bool(HEADER.match(unit.text.strip()))


def flattened_table(units: list[Unit]) -> bool:
    headers = [u for u in units if is_header(u)]
    names = [u for u in headers if NAME_HEADER.search(u.text.strip())]
    return len(headers) >= 4 and len(names) >= 2


def heading_roles(unit: Unit) -> set[str]:
    """Roles of the columns a heading line names ("Nom de la mesure M/O collaborateurs" names two)."""
    text = unit.text.strip()
    if unit.kind not in ("para", "heading") or len(text) > 60 or text.endswith("."):
        return set()
    words = re.findall(r"[a-z0-9/°]+", fold(text))
    if not words or any(w not in HEADING_WORDS and w not in FILLER for w in words):
        return set()
    return {HEADING_WORDS[w] for w in words if w in HEADING_WORDS}


@dataclass
class Draft:
    number: int
    theme: Optional[str]
    unit: Unit
    title: list[str] = field(default_factory=list)  # from a title column section
    row_units: list[list[str]] = field(default_factory=list)  # a merged row: lines of each of its units
    orgs: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    progress: Optional[progress.Progress] = None
    title_text: str = ""


@dataclass
class Band:
    theme: Optional[str]
    drafts: list[Draft] = field(default_factory=list)
    titled: bool = False
    org_blocks: Optional[list[list[str]]] = None
    indicator_lines: Optional[list[tuple[str, bool]]] = None


@dataclass
class TablePage:
    bands: list[Band] = field(default_factory=list)
    progress_blocks: list[list[Unit]] = field(default_factory=list)


def _is_theme(unit: Unit) -> bool:
    return bool(unit.number and unit.marker and unit.marker.endswith(".") and "." not in unit.number
                and len(unit.text.strip()) <= 80)


def _row_number(unit: Unit, expected: Optional[int]) -> Optional[int]:
    plain = unit.number and "." not in unit.number and not (unit.marker or "").endswith(".")
    if not plain:
        return None
    number = int(unit.number)
    ok = expected is None or number == expected or (number > expected and number - expected <= 2)
    return number if ok else None


@dataclass
class PageReader:
    """What `read_pages` knows as it walks the units: the table pages so far, whether it is on a
    progress page, the current theme, the row number it expects next, the column section the
    lines go to, and the rows still waiting for their name."""

    pages: list[TablePage] = field(default_factory=lambda: [TablePage()])
    in_progress: bool = False
    theme: Optional[str] = None
    expected: Optional[int] = None
    section: Optional[tuple] = None  # ("titles"|"rows"|"orgs"|"indicators", band[, draft])
    group: Optional[set[str]] = None  # roles of the heading lines read in a row
    waiting: list[Draft] = field(default_factory=list)
    last_title: Optional[Draft] = None

    @property
    def page(self) -> TablePage:
        return self.pages[-1]

    def read(self, unit: Unit) -> None:
        """One unit: a progress heading, a theme row, a column heading, a numbered row, or a line
        of the current column section."""
        text = unit.text.strip()
        if progress.is_heading(unit):
            self.in_progress, self.group, self.section = True, None, None
            self.page.progress_blocks.append([])
            return
        roles = heading_roles(unit)
        theme_row = _is_theme(unit)
        if not roles and not theme_row and unit.repeated and len(text.split()) >= 4:
            return  # running heads and feet, legends printed on every page (not "MESS", "100 %", dates)
        if (roles or theme_row) and self.in_progress:
            self.pages.append(TablePage())
            self.in_progress = False
        if theme_row:
            self.theme = f"{unit.number}. {clean_text(CONTINUED.sub('', text))}"
            self.page.bands.append(Band(self.theme))
            self.group, self.section = None, None
            return
        if roles:
            self.open_section(roles)
            return
        self.group = None
        if self.in_progress:
            if self.page.progress_blocks:
                self.page.progress_blocks[-1].append(unit)
            return
        if self.open_row(unit) or self.section is None:
            return
        self.add_to_section(unit, text)

    def band_for(self, has) -> Band:
        """The page's first band without what `has` looks for, or a new one."""
        for band in self.page.bands:
            if not has(band):
                return band
        self.page.bands.append(Band(self.theme))
        return self.page.bands[-1]

    def last_band(self) -> Band:
        """The page's last band, or a new one when the page has none."""
        if not self.page.bands:
            self.page.bands.append(Band(self.theme))
        return self.page.bands[-1]

    def open_section(self, roles: set[str]) -> None:
        """A column heading: the lines under it are that column's cells, for the first band of the
        page that has none yet (a title heading opens a band when the last one has its titles)."""
        new_group = self.group is None
        group = self.group = (self.group or set()) | roles
        kind = "titles" if "title" in group else "orgs" if group & {"lead", "partners"} else (
            "indicators" if "indicators" in group else None)
        if kind is None or (not new_group and self.section is not None and self.section[0] == kind):
            return  # the heading goes on over a second line
        page = self.page
        if kind == "titles":
            band = page.bands[-1] if page.bands and not page.bands[-1].titled else None
            if band is None:
                band = Band(self.theme)
                page.bands.append(band)
            band.titled = True
        elif kind == "orgs":
            band = self.band_for(lambda b: b.org_blocks is not None or any(d.orgs or d.row_units for d in b.drafts))
            band.org_blocks = band.org_blocks or []
        else:
            band = self.band_for(lambda b: b.indicator_lines is not None)
            band.indicator_lines = band.indicator_lines or []
        self.section = (kind, band)

    def open_row(self, unit: Unit) -> bool:
        """A row with the number expected next: a bare number ("12") whose name comes later under
        the next title heading, or a numbered line whose cells the OCR merged into its lines."""
        if unit.kind == "number" and _row_number(unit, self.expected) is not None:
            band = self.last_band()
            draft = Draft(int(unit.number), band.theme, unit)
            band.drafts.append(draft)
            self.waiting.append(draft)
            self.expected, self.section = draft.number + 1, None
            return True
        number = _row_number(unit, self.expected) if unit.kind == "item" else None
        if number is None:
            return False
        band = self.last_band()
        first = re.sub(r"^\s*\d{1,2}[.)]?\s+", "", unit.lines[0]) if unit.lines else unit.text
        draft = Draft(number, band.theme, unit, row_units=[[first] + unit.lines[1:]])
        band.drafts.append(draft)
        self.expected, self.section = number + 1, ("rows", band, draft)
        return True

    def add_to_section(self, unit: Unit, text: str) -> None:
        """A line under a column heading (or of a merged row) joins that column's cells."""
        kind, band = self.section[0], self.section[1]
        if kind == "rows":
            if unit.kind == "item" and unit.number and len(text) > 150:
                return  # a footnote printed among the rows ("2 Dans le cadre du Plan…")
            self.section[2].row_units.append(list(unit.lines) or [text])
        elif kind == "orgs":
            if unit.gap_before or not band.org_blocks:
                band.org_blocks.append([])
            band.org_blocks[-1].extend(unit.lines or [text])
        elif kind == "indicators":
            band.indicator_lines.extend((line, unit.gap_before and n == 0) for n, line in enumerate(unit.lines or [text]))
        elif kind == "titles" and unit.kind in ("para", "heading", "item"):
            self.add_title(band, unit, text)

    def add_title(self, band: Band, unit: Unit, text: str) -> None:
        """A name under the title heading: the rest of a name cut by a blank line, the name of the
        first bare-numbered row still waiting, or a row of its own with the next number."""
        if self.last_title is not None and text[:1].islower():  # a name cut by a blank line
            self.last_title.title.append(text)
        elif self.waiting:
            self.last_title = self.waiting.pop(0)
            self.last_title.title.append(text)
        elif self.expected is not None:
            self.last_title = Draft(self.expected, band.theme, unit, title=[text])
            band.drafts.append(self.last_title)
            self.expected += 1


def read_pages(units: list[Unit], start: int, skip: set[int]) -> list[TablePage]:
    """The table pages of a flattened annex from unit `start` on (units in `skip`, table rows
    and notes left out), each with its bands of rows and its progress blocks."""
    reader = PageReader()
    for i in range(start, len(units)):
        if i in skip or units[i].kind in ("row", "note"):
            continue
        reader.read(units[i])
    return reader.pages


def _vocabulary(pages: list[TablePage]) -> frozenset[str]:
    """Acronyms the document uses inside measure names ("des PFE au cours…"): an acronym followed
    by a lower-case word (not "et") is part of a sentence, not an organisation cell."""
    found = set()
    for page in pages:
        for band in page.bands:
            for draft in band.drafts:
                lines = draft.title + [line for unit in draft.row_units for line in unit]
                for line in lines:
                    tokens = line.split() + [""]
                    for a, b, c in zip(tokens, tokens[1:], tokens[2:] + [""]):
                        named = fold(b) in NAME_JOINS and c[:1].isupper()  # "MRC des Collines" is a name
                        if is_acronym(a) and not a.endswith((",", ";")) and b[:1].islower() and b not in ("et", "ou") \
                                and not named:
                            found.add(fold(a.strip(".")))
    return frozenset(found)


def _fill(pages: list[TablePage]) -> list[Draft]:
    vocabulary = _vocabulary(pages)
    drafts: list[Draft] = []
    for page in pages:
        for band in page.bands:
            rows = [d for d in band.drafts if d.row_units]
            for draft, units in zip(rows, split_rows([d.row_units for d in rows], vocabulary)):
                cells = None
                for lines in units:
                    cells = read_row(lines, vocabulary, cells)
                draft.title = cells.title
                draft.orgs = cells.organisations()
                draft.indicators = cells.indicator_records()
            if band.org_blocks:
                without = [d for d in band.drafts if not d.orgs]
                for draft, names in zip(without, org_cells(band.org_blocks, len(without))):
                    draft.orgs = names
            for draft in band.drafts:
                draft.title_text = clean_text(join_lines(draft.title))
            drafts.extend(band.drafts)
    corpus = [d.title_text for d in drafts]
    for page in pages:
        _place_progress(page)  # first pass: indicators read from rows only
        for band in page.bands:
            if band.indicator_lines:
                without = [d for d in band.drafts if not d.indicators]
                contexts = [d.title_text + " " + (d.progress.text if d.progress else "") for d in without]
                runs = distribute(indicator_cells(band.indicator_lines), contexts, corpus + contexts)
                for draft, run in zip(without, runs):
                    draft.indicators = run
        _place_progress(page)  # again, now that every row has its indicators (parts are labelled by them)
    return drafts


def _place_progress(page: TablePage) -> None:
    bands = [b for b in page.bands if b.drafts]
    blocks = [b for b in page.progress_blocks if b]
    if not bands or not blocks:
        return
    if len(blocks) != len(bands):  # no one-to-one layout: read the page as one block for all its rows
        blocks = [[u for b in blocks for u in b]]
        bands = [Band(None, [d for b in bands for d in b.drafts])]
    for band, block in zip(bands, blocks):
        placed = progress.assign(block, [len(d.indicators) for d in band.drafts],
                                 [[i.text for i in d.indicators] for d in band.drafts])
        for draft, found in zip(band.drafts, placed):
            draft.progress = found


def units_to_annex_measures(units: list[Unit], file: str, skip: set[int]) -> list[Measure]:
    if not flattened_table(units):
        return []
    i = next(k for k, u in enumerate(units) if is_header(u) and NAME_HEADER.search(u.text.strip()))
    while i > 0 and (is_header(units[i - 1]) or units[i - 1].kind == "number" or NUMBER_HEADING.match(units[i - 1].text.strip())
                     or (units[i - 1].number and (units[i - 1].marker or "").endswith("."))):
        i -= 1  # the other headers, the numbers column and the theme row printed above it
    measures = []
    for draft in _fill(read_pages(units, i, skip)):
        if not draft.title_text:
            continue
        lead, partners = (draft.orgs[:1], draft.orgs[1:]) if draft.orgs else ([], [])
        found = draft.progress
        measures.append(Measure(
            measure_id=str(draft.number), theme=draft.theme, title=draft.title_text, lead=lead,
            collaborators=partners, indicators=draft.indicators,
            progress_percent=found.percent if found else None, progress=found.parts if found else [],
            status_text=found.commentary if found else None, status=found.status if found else None,
            status_inferred=found.inferred if found else False,
            provenance=Provenance(file=file, page=draft.unit.page, bbox=draft.unit.bbox,
                                  line=draft.unit.line if draft.unit.bbox is None else None),
            confidence=SETTINGS.annex_confidence, flagged=True))
    return measures
