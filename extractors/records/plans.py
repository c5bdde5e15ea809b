"""Measures of action plans read from the text flow: numbering ("Mesure 1.1 —", "2.3", "1."),
theme headings ("OBJECTIF 2", "Axe 1 :", a section heading above numbered measures), keyword
sections and order. A numbered heading counts as a measure only when its family of headings
shows plan structure (a "Mesure" prefix, ACTIONS / INDICATEURS sections, inline fields, or lists
of actions with their lead in a trailing parenthesis), so that numbered chapters of a report
are left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from schemas.records import Action, Indicator, Measure, Provenance

from extractors.records.blocks import (Body, description_text, field_of, read_body, section_of, share_out)
from extractors.records.fields import clean_text
from extractors.records.units import TERMINAL, Unit

PREFIX_RE = re.compile(r"^(?:mesure|action|chantier|engagement|initiative)\s+(?:n[o°]\s*)?(\d+(?:\.\d+)*)\b\.?"
                       r"\s*[—–:.\-]?\s*(.*)$", re.I)
THEME_RE = re.compile(r"^(objectif|axe|orientation|priorité|volet|enjeu|thème|domaine|section|partie)\s+(?:n[o°]\s*)?"
                      r"(\d+|[IVX]+)\b(?!\.\d)\.?\s*[—–:.\-]?\s*(.*)$", re.I)
# A plan without "Mesure N" headings carries its measures at its deepest numbered level ("Objectif 1.2"
# under "Orientation 1"): those headings are measures, the levels above them themes.
LEVEL_RE = re.compile(r"^(?:objectif|axe|orientation|priorité|volet|enjeu|chantier|action|engagement)\s+(?:n[o°]\s*)?"
                      r"(\d+(?:\.\d+)+)\b\.?\s*[—–:.\-]?\s*(.*)$", re.I)
TOC_LINE = re.compile(r"(?:\.\s*){3,}\s*(?:\d{1,3}|[ivxlc]+)\s*$|\s\d{1,3}$", re.I)


@dataclass
class Head:
    start: int
    end: int  # first unit after the title
    number: tuple[int, ...]
    title: str
    how: str  # "prefix", "bare", "numbered"
    unit: Unit


def _ident(number: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in number)


def title_like(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= 320 and not re.search(r"[;:,]$", text) and not (text.endswith(".") and not text.isupper())


def heading_like(unit: Unit, nxt: Optional[Unit]) -> bool:
    """An unnumbered section heading (a theme for the numbered measures under it)."""
    if unit.repeated or unit.number or unit.kind in ("item", "row", "number") or section_of(unit) or field_of(unit):
        return False
    text = unit.text.strip()
    if not text or TERMINAL.search(text) or text.endswith(",") or len(text) > 150 or not text[:1].isupper():
        return False
    if unit.origin in ("html", "text-layer", "ocr") or unit.kind == "heading":
        return unit.kind == "heading"
    return unit.gap_before and (nxt is None or nxt.gap_before) and len(text) <= 100


def is_toc_line(units: list[Unit], i: int) -> bool:
    """A table-of-contents entry: a line ending with dot leaders and a page number, among others."""
    def toc(k: int) -> bool:
        return 0 <= k < len(units) and len(units[k].text) < 200 and bool(TOC_LINE.search(units[k].text.strip())) \
            and (bool(re.search(r"(?:\.\s*){3,}", units[k].text)) or units[k].kind == "row")
    return toc(i) and (toc(i - 1) or toc(i + 1))


def find_themes(units: list[Unit]) -> list[tuple[int, int, str]]:
    themes = []
    for i, unit in enumerate(units):
        if unit.kind in ("item", "row") or not (m := THEME_RE.match(unit.text.strip())) or is_toc_line(units, i):
            continue
        label, rest = unit.text.strip(), m.group(3).strip()
        end = i + 1
        if not rest and end < len(units) and units[end].kind in ("para", "heading") and title_like(units[end].text):
            themes.append((i, end + 1, f"{label} — {clean_text(units[end].text)}"))
        elif rest:
            themes.append((i, end, clean_text(label)))
    return themes


def find_candidates(units: list[Unit], skip: set[int]) -> dict[int, Head]:
    heads: dict[int, Head] = {}
    prefixed = any(PREFIX_RE.match(u.text.strip()) for u in units if u.marker is None and u.kind != "row")
    for i, unit in enumerate(units):
        if i in skip or unit.kind == "row" or is_toc_line(units, i):
            continue
        text = unit.text.strip()
        if not prefixed and unit.marker is None and unit.kind in ("heading", "para") and (m := LEVEL_RE.match(text)):
            title, end = m.group(2).strip(), i + 1
            if not title and end < len(units) and title_like(units[end].text):
                title, end = units[end].text, end + 1
            if title:
                heads[i] = Head(i, end, tuple(int(p) for p in m.group(1).split(".")), title, "prefix", unit)
            continue
        if unit.marker is None and (m := PREFIX_RE.match(text)):
            number = tuple(int(p) for p in m.group(1).split("."))
            title, end = m.group(2).strip(), i + 1
            if not title and end < len(units) and title_like(units[end].text):
                title, end = units[end].text, end + 1
            if title:
                heads[i] = Head(i, end, number, title, "prefix", unit)
        elif unit.kind == "number" and i + 1 < len(units):
            nxt = units[i + 1]
            if nxt.kind in ("para", "heading") and not nxt.number and title_like(nxt.text) and not section_of(nxt):
                heads[i] = Head(i, i + 2, tuple(int(p) for p in unit.number.split(".")), nxt.text, "bare", unit)
        elif unit.number and unit.kind in ("item", "para", "heading") and title_like(text):
            heads[i] = Head(i, i + 1, tuple(int(p) for p in unit.number.split(".")), text, "numbered", unit)
    return heads


def _signature(unit: Unit) -> tuple:
    indent = round(unit.indent / 6) if unit.bbox else unit.indent  # points, or leading spaces of a dump
    return (unit.kind, unit.bold, round((unit.size or 0) / 1.5), indent, unit.level)


LEAD_END = re.compile(r"\([^()]*\)\s*[;.]?\s*$")


def _head_score(unit: Unit, nxt: Optional[Unit], head: Unit, items: list[Unit]) -> int:
    score = 0
    if items and sum(1 for u in items if LEAD_END.search(u.text)) * 2 >= len(items):
        score += -2 if LEAD_END.search(unit.text) else 2
    if nxt is not None:
        score += 1 if (nxt.kind in ("para", "heading") and not nxt.number) else -1
    if items:
        last = items[-1]
        to_head, to_item = abs(unit.indent - head.indent), abs(unit.indent - last.indent)
        for value, near_head, near_item in (
                (unit.bold, unit.bold == head.bold, unit.bold == last.bold),
                (unit.size, abs((unit.size or 0) - (head.size or 0)) <= 0.08 * (head.size or 1),
                 abs((unit.size or 0) - (last.size or 0)) <= 0.08 * (last.size or 1)),
                (unit.indent, to_head < to_item, to_item < to_head),
                (unit.kind, unit.kind == head.kind, unit.kind == last.kind)):
            if value is None or near_head == near_item:
                continue
            score += 1 if near_head else -1
    return score


def walk_numbering(units: list[Unit], candidates: dict[int, Head], skip: set[int]) -> tuple[list[Head], set[int]]:
    """Tell measure headings from the numbered lists inside them: headings continue their own
    sequence (1, 2, 3 or 1.1, 1.2, 2.1), lists restart at 1 under each heading."""
    outer: dict[int, tuple[int, ...]] = {}
    last_head: dict[int, Unit] = {}
    inner: Optional[int] = None
    inner_units: list[Unit] = []
    heads: list[Head] = []
    sub_items: set[int] = set()
    for i, unit in enumerate(units):
        if i in skip or unit.kind == "row" or not (unit.number or i in candidates):
            continue
        number = candidates[i].number if i in candidates else tuple(int(p) for p in unit.number.split("."))
        depth = len(number)
        prev = outer.get(depth)
        succ = prev is None or (number[:-1] == prev[:-1] and number[-1] == prev[-1] + 1) or (
            number[:-1] > prev[:-1] and number[-1] == 1)
        restart = depth == 1 and ((inner is None and number[0] == 1 and bool(last_head))
                                  or (inner is not None and number[0] == inner + 1))
        head = candidates.get(i)
        if head and succ and head.how in ("prefix", "bare"):
            restart = False
        if head and succ and restart and depth in last_head:
            # Same number fits both: lead parentheses, what follows, and style decide.
            nxt = units[i + 1] if i + 1 < len(units) else None
            if _head_score(unit, nxt, last_head[depth], inner_units) <= 0:
                head = None
        if head and succ:
            heads.append(head)
            outer[depth] = number
            last_head[depth] = unit
            for deeper in [d for d in outer if d > depth]:
                del outer[deeper]
            inner, inner_units = None, []
        elif restart:
            sub_items.add(id(unit))
            inner = number[0]
            inner_units.append(unit)
    return heads, sub_items


def _evidence(head: Head, body: Body, had_section: bool) -> bool:
    if head.how == "prefix" or had_section or body.labelled or body.lead or body.indicators or body.deadline:
        return True
    with_lead = sum(1 for a in body.actions if a["lead"])
    return with_lead >= 2 and with_lead * 2 >= len(body.actions)


def units_to_measures(units: list[Unit], file: str, skip: set[int]) -> list[Measure]:
    themes = find_themes(units)
    theme_spans = {k for start, end, _ in themes for k in range(start, end)}
    candidates = find_candidates(units, skip | theme_spans)
    rejected: set[int] = set()
    accepted_numbers: set[tuple[int, ...]] = set()
    for _ in range(4):  # a rejected family of headings (a breadcrumb, chapters) may hide the real one
        read, sections, sub_items = _read_heads(units, candidates, skip | theme_spans | rejected, themes)
        if not read:
            return []
        accepted: set[int] = set()
        accepted_depths: list[int] = []
        for depth in sorted({len(r[0].number) for r in read}):
            family = [r for r in read if len(r[0].number) == depth]
            if sum(1 for head, body, _, had, _ in family if _evidence(head, body, had)) * 2 > len(family):
                # sub-headings numbered under accepted measures (1.2.1 under 1.2) are parts of them
                nested = [r for r in family if any(r[0].number[:d] in accepted_numbers for d in accepted_depths)]
                if accepted_depths and len(nested) * 2 > len(family):
                    continue
                accepted.update(id(r[0]) for r in family)
                accepted_depths.append(depth)
                accepted_numbers = {r[0].number for r in read if id(r[0]) in accepted}
        if accepted:
            kept = [r for r in read if id(r[0]) in accepted]
            if len(kept) < len(read):
                # the rejected headings (a numbered list inside the measures) no longer cut their bodies
                starts = {r[0].start for r in kept}
                again, sections, sub_items = _read_heads(units, {k: h for k, h in candidates.items() if k in starts},
                                                         skip | theme_spans | rejected, themes)
                if {r[0].start for r in again} == starts:
                    kept = again
            read = kept
            break
        rejected |= {r[0].start for r in read}
    else:
        return []

    # Measures printed one after the other and sharing one ACTIONS / INDICATEURS block.
    pending: list[tuple[Head, Body]] = []
    for k, (head, body, entries, had_section, stop) in enumerate(read):
        next_start = read[k + 1][0].start if k + 1 < len(read) else None
        if entries or had_section:
            group = pending + [(head, body)]
            texts = [h.title + " " + " ".join(u.text for u in b.description) for h, b in group]
            share_out([b for _, b in group], texts, entries)
            pending = []
        elif body.structured or next_start != stop:
            pending = []
        else:
            pending.append((head, body))
    return [_measure(head, body, _theme_of(head.start, themes, sections, units, head.number), file)
            for head, body, *_ in read]


def _read_heads(units: list[Unit], candidates: dict[int, Head], skip: set[int],
                themes: list) -> tuple[list, list[int], set[int]]:
    heads, sub_items = walk_numbering(units, candidates, skip)
    theme_starts = {start for start, _, _ in themes}
    sections = [i for i, u in enumerate(units) if i not in candidates and i not in skip | theme_starts
                and heading_like(u, units[i + 1] if i + 1 < len(units) else None)]
    # With objective / axis labels, the labels are the sections; other short lines are list entries.
    stops = sorted({h.start for h in heads} | theme_starts | (set() if themes else set(sections)) | set(skip) | {len(units)})
    uses_keywords = any(section_of(u) in ("actions", "indicators") for u in units)
    read = []
    for head in heads:
        stop = next(s for s in stops if s >= head.end)
        own = [u for k, u in enumerate(units[head.end:stop], head.end) if k not in skip]
        body, entries, had_section = read_body(own, uses_keywords, sub_items)
        _positional_ids(head, own, body)
        read.append((head, body, entries, had_section, stop))
    return read, sections, sub_items


def _positional_ids(head: Head, own: list[Unit], body: Body) -> None:
    """HTML loses the numbers of an ordered list: the actions of a numbered measure are numbered
    by position (or from the list's own marker when the page says it is ordered)."""
    items = [u for u in own if u.kind == "item" and u.origin == "html"]
    if items and body.actions and all(a["action_id"] is None for a in body.actions) and len(items) == len(body.actions):
        if all(u.marker == "#" for u in items) or (head.how == "numbered" and all(u.marker is None for u in items)):
            for n, action in enumerate(body.actions, 1):
                action["action_id"] = str(n)


def _theme_of(start: int, themes: list[tuple[int, int, str]], sections: list[int], units: list[Unit],
              number: tuple[int, ...] = ()) -> Optional[str]:
    if len(number) > 1:
        # a numbered section above the measure ("1. Accès aux soins" over "1.1 …") is its theme
        parent = ".".join(map(str, number[:-1]))
        above = [u for u in units[:start] if u.number == parent and u.kind in ("item", "heading", "para")]
        if above and not themes:
            unit = above[-1]
            return clean_text(f"{unit.marker} {unit.text}" if unit.marker else unit.text)
    if themes:
        before = [t for t in themes if t[0] < start]
        return before[-1][2] if before else None
    before = [s for s in sections if s < start]
    return clean_text(units[before[-1]].text) if before else None


def _measure(head: Head, body: Body, theme: Optional[str], file: str) -> Measure:
    ident = _ident(head.number)
    confidence = 0.55
    confidence += 0.2 if head.how == "prefix" or body.structured else 0.0
    confidence += 0.1 if theme else 0.0
    confidence += 0.1 if body.actions or body.indicators else 0.0
    confidence -= 0.2 if body.split_by_content else 0.0
    confidence = round(max(0.0, min(1.0, confidence)), 2)
    unit = head.unit
    return Measure(
        measure_id=ident, parent_id=_ident(head.number[:-1]) if len(head.number) > 1 else None, theme=theme,
        title=clean_text(head.title), description=description_text(body.description), lead=body.lead,
        collaborators=body.collaborators, deadline=body.deadline, resources=body.resources,
        indicators=[Indicator(**i) for i in body.indicators],
        actions=[Action(**a) for a in body.actions if a["text"]],
        provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox, line=unit.line if unit.bbox is None else None),
        confidence=confidence, flagged=confidence < 0.6)
