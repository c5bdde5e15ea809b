"""Measure tables whose columns a text dump flattened (OCR of a landscape annex): best effort.

Recognised by their column headers printed again and again as lines of their own ("Nom de la
mesure", "M/O en charge", "Responsable", "Indicateurs, cibles et échéances"…). Then:
* a numbered line with a dot ("1. Information") is a theme row;
* a line opening with the next number of the sequence ("7 Mise en place de…"), or a bare number
  ("12"), opens a measure; bare numbers printed together take, in order, the names listed under
  the next "Nom de la mesure" header; names listed there with no number left get the next numbers.
The name cell is often mixed, within lines, with the cells beside it: such titles are kept as read
and every measure here is flagged (low confidence) for a human look. Organisations, indicators and
progress cannot be told apart reliably from a flattened dump and are left out.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Measure, Provenance

from extractors.records_fields import clean_text
from extractors.records_units import Unit

HEADER = re.compile(r"^(?:n°\s*)?(?:nom de la mesure|mesures?|m/o en charge|m/o collaborateurs|responsables?|en charge|"
                    r"collaborateurs|partenaires|indicateurs?|cibles?|échéances?|état d['’]avancement)\b", re.I)
NAME_HEADER = re.compile(r"^(?:n°\s*)?(?:nom de la mesure|intitulé de la mesure|mesures?$)", re.I)
CONTINUED = re.compile(r"\s*\(\s*suite\s*\)\s*$", re.I)
CONFIDENCE = 0.4


def is_header(unit: Unit) -> bool:
    return unit.kind in ("para", "heading") and len(unit.text) <= 60 and bool(HEADER.match(unit.text.strip()))


def flattened_table(units: list[Unit]) -> bool:
    headers = [u for u in units if is_header(u)]
    names = [u for u in headers if NAME_HEADER.search(u.text.strip())]
    return len(headers) >= 4 and len(names) >= 2


def units_to_annex_measures(units: list[Unit], file: str, skip: set[int]) -> list[Measure]:
    if not flattened_table(units):
        return []
    measures: list[dict] = []
    waiting: list[dict] = []  # bare numbers waiting for their names
    theme: Optional[str] = None
    expected = None
    i = next(k for k, u in enumerate(units) if is_header(u) and NAME_HEADER.search(u.text.strip()))
    while i > 0 and (is_header(units[i - 1]) or (units[i - 1].number and (units[i - 1].marker or "").endswith("."))):
        i -= 1  # the other headers and the theme row printed above it
    while i < len(units):
        unit = units[i]
        text = unit.text.strip()
        if i in skip or unit.kind == "row":
            i += 1
            continue
        if unit.number and unit.marker and unit.marker.endswith(".") and "." not in unit.number and len(text) <= 80:
            theme = f"{unit.number}. {clean_text(CONTINUED.sub('', text))}"
            i += 1
            continue
        plain = unit.number and "." not in unit.number and not (unit.marker or "").endswith(".")
        number = int(unit.number) if plain else None
        if number is not None and (expected is None or number == expected or (number > expected and number - expected <= 2)):
            record = {"id": number, "theme": theme, "title": None if unit.kind == "number" else text, "unit": unit}
            measures.append(record)
            if unit.kind == "number":
                waiting.append(record)
            expected = number + 1
            i += 1
            continue
        if is_header(unit) and NAME_HEADER.search(text):
            j = i + 1
            last: Optional[dict] = None
            while j < len(units) and units[j].kind == "para" and not is_header(units[j]) and not units[j].number:
                name = units[j]
                if last is not None and name.text[:1].islower():  # a name cut by a blank line
                    last["title"] = last["title"] + " " + name.text
                    j += 1
                    continue
                if waiting:
                    last = waiting.pop(0)
                    last["title"] = name.text
                elif expected is not None:
                    last = {"id": expected, "theme": theme, "title": name.text, "unit": name}
                    measures.append(last)
                    expected += 1
                j += 1
            i = j
            continue
        i += 1
    return [Measure(measure_id=str(m["id"]), theme=m["theme"], title=clean_text(m["title"]),
                    provenance=Provenance(file=file, page=m["unit"].page, bbox=m["unit"].bbox,
                                          line=m["unit"].line if m["unit"].bbox is None else None),
                    confidence=CONFIDENCE, flagged=True)
            for m in measures if m["title"]]
