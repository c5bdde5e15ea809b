"""Numbered recommendations ("5.1 Titre", "Recommandation 3 : …") with their bullet items.

A recommendation is a numbered heading under a section whose heading names recommendations
(e.g. "5. Recommandations du comité": then 5.1, 5.2 … are its recommendations), or a heading
that says so itself ("Recommandation 3 — …"). Its items are the bullet points of its body, nested
ones flattened in reading order; the paragraphs around them are not items.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Provenance, Recommendation

from extractors.records.fields import clean_text
from extractors.records.units import Unit

SECTION_RE = re.compile(r"\brecommandations?\b", re.I)
PREFIX_RE = re.compile(r"^recommandation\s+(?:n[o°]\s*)?(\d+(?:\.\d+)*)\b\.?\s*[—–:.\-]?\s*(.*)$", re.I)
TOC_END = re.compile(r"(?:\.{2,}|\s)\s*\d{1,3}$")


def parse_number(unit: Unit) -> Optional[tuple[int, ...]]:
    if unit.number and unit.kind != "row":
        return tuple(int(p) for p in unit.number.split("."))
    return None


def _is_toc(units: list[Unit], i: int) -> bool:
    """Table-of-contents entries: numbered lines ending with a page number, several in a row."""
    def ends(k: int) -> bool:
        return 0 <= k < len(units) and bool(TOC_END.search(units[k].text.strip())) and len(units[k].text) < 160
    return ends(i) and (ends(i - 1) or ends(i + 1))


def units_to_recommendations(units: list[Unit], file: str) -> tuple[list[Recommendation], set[int]]:
    heads: list[tuple[int, str, str, float]] = []  # (index, id, title, confidence)
    claimed: set[int] = set()
    section: Optional[tuple[int, ...]] = None
    last_section = -1
    pending = False
    for i, unit in enumerate(units):
        if unit.kind in ("row", "note") or _is_toc(units, i):
            continue
        text = unit.text.strip()
        number = parse_number(unit)
        if m := PREFIX_RE.match(text):
            heads.append((i, m.group(1), m.group(2).strip() or text, 0.85))
            continue
        if SECTION_RE.search(text) and len(text) <= 150 and unit.kind in ("heading", "para", "item") \
                and not text.endswith(".") and (number is not None or unit.kind == "heading"):
            section, pending = number, number is None
            last_section = i
            claimed.add(i)
            continue
        if number is None:
            continue
        if pending:
            # a recommendations heading without a number: its first numbered heading, right under it,
            # gives the numbering (5.1 -> section 5; 1 -> section without number)
            section, pending = (number[:-1] if i - last_section <= 3 else None), False
        if section is not None:
            if len(number) == len(section) + 1 and number[:-1] == section:
                heads.append((i, ".".join(map(str, number)), text, 0.9))
            elif len(number) <= len(section):
                section = None
    recs = []
    for k, (i, ident, title, confidence) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else _section_end(units, i)
        items = [clean_text(u.text) for u in units[i + 1:stop] if u.kind == "item" and not u.number]
        claimed.update(range(i, stop))
        unit = units[i]
        recs.append(Recommendation(
            id=ident, title=clean_text(title), items=items,
            provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox, line=unit.line if unit.bbox is None else None),
            confidence=confidence, flagged=confidence < 0.6))
    return recs, claimed


def _section_end(units: list[Unit], start: int) -> int:
    """The last recommendation runs to the next numbered heading of its level or above, or to a
    heading that is not part of it."""
    first = parse_number(units[start])
    for k in range(start + 1, len(units)):
        unit = units[k]
        number = parse_number(unit)
        if number is not None and first is not None and len(number) <= len(first):
            return k
        if unit.kind == "heading" and not unit.repeated and unit.origin == "html":
            return k
    return len(units)
