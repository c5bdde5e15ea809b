"""Measures of plans written as an outline without numbers: headings in one style, each followed by
the list of what will be done ("DÉFINIR UNE POLITIQUE DU NUMÉRIQUE : — L'OCSIN choisit de publier…"),
under bigger headings that are their themes.

The level that carries measures is found from the document: the heading style (size, weight,
capitals) whose headings are, most of them, followed right away by a bulleted list, with at least
three such headings. Each heading is a measure (title without its closing colon), its bullets are
its actions (a paragraph printed under a bullet at the bullet's text indent belongs to it), the
paragraphs between the heading and its list its description, the nearest bigger heading above it
its theme. Used only when the numbered-plan readers found nothing.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Action, Measure, Provenance

from extractors.french.line_join import join_wrapped
from extractors.records.fields import clean_text
from extractors.records.settings import SETTINGS
from extractors.records.units import Unit


def _style(unit: Unit) -> tuple:
    letters = re.findall(r"[^\W\d_]", unit.text)
    caps = bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)
    return (round(unit.size or 0), bool(unit.bold), caps)


def _is_heading(unit: Unit) -> bool:
    text = unit.text.strip()
    return unit.kind == "heading" and not unit.repeated and 0 < len(text) <= 200 and not text.endswith((".", ";", ","))


def _body(units: list[Unit], start: int, stop: int) -> tuple[list[str], list[str]]:
    """(description paragraphs, actions) of one heading's units."""
    description: list[str] = []
    actions: list[str] = []
    item_indent: Optional[float] = None
    for unit in units[start:stop]:
        if unit.kind in ("note", "number", "row") or unit.repeated:
            continue
        text = clean_text(unit.text)
        if unit.kind == "item":
            actions.append(text)
            item_indent = unit.indent
        elif actions and item_indent is not None and unit.indent > item_indent + 4:
            actions[-1] = join_wrapped(actions[-1], text)  # a further paragraph of the bullet
        elif not actions:
            description.append(text)
        else:
            break  # prose after the list: not this measure's
    return description, actions


def units_to_outline_measures(units: list[Unit], file: str, skip: set[int]) -> list[Measure]:
    headings = [i for i, u in enumerate(units) if i not in skip and _is_heading(u)]
    if not headings:
        return []
    by_style: dict[tuple, list[int]] = {}
    for i in headings:
        by_style.setdefault(_style(units[i]), []).append(i)
    best: Optional[tuple] = None
    for style, members in by_style.items():
        listed = [i for i in members if i + 1 < len(units) and units[i + 1].kind == "item"
                  and units[i + 1].number is None]
        if len(listed) >= SETTINGS.min_measures and len(listed) * 3 >= len(members) * 2:
            if best is None or len(listed) > len(best[1]):
                best = (style, listed)
    if best is None:
        return []
    style, members = best
    size = style[0]
    measures = []
    for k, i in enumerate(members):
        nxt = next((j for j in range(i + 1, len(units)) if units[j].kind == "heading"
                    and (_style(units[j]) == style or (units[j].size or 0) > size + 1)), len(units))
        description, actions = _body(units, i + 1, nxt)
        theme_at = next((j for j in range(i - 1, -1, -1) if units[j].kind == "heading" and not units[j].repeated
                         and (units[j].size or 0) > size + 1), None)
        unit = units[i]
        measures.append(Measure(
            title=clean_text(unit.text).rstrip(" :"), theme=clean_text(units[theme_at].text) if theme_at is not None else None,
            description="\n\n".join(description) or None,
            actions=[Action(text=a) for a in actions],
            provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox, line=unit.line if unit.bbox is None else None),
            confidence=0.6, flagged=False))
    return measures
