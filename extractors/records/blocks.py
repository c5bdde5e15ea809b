"""The body of a measure (or of several measures printed side by side) once its head is known:
description, ACTIONS / INDICATEURS sections, numbered sub-lists with their lead in a trailing
parenthesis, inline fields ("Responsable : …", "Échéance : …").

Where a flattened layout printed two measures' ACTIONS and INDICATEURS lists together (actions of
the first, then of the second, with the indicators somewhere among or after them), the lists are
given back in order: a new action run starts a new measure, and indicators that come all together
are split between the measures by the words they share with each one (order kept).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractors.records.fields import clean_text, split_orgs, target_phrase, trailing_orgs
from extractors.records.units import Unit

SECTION_WORDS = {
    "actions": r"actions?(?: prévues| à réaliser| prioritaires?)?|moyens? d['’]action|activités(?: prévues)?|interventions?|"
               r"priorités? d['’]action",
    "indicators": r"indicateurs?(?: de (?:performance|résultats?|suivi|réussite))?|résultats? attendus?|mesures? de suivi",
    "targets": r"cibles?(?: visées?)?",
    "deadline": r"échéances?|échéanciers?|calendrier|date de réalisation|horizon",
    "lead": r"responsables?|porteurs?|maître d['’]œuvre|ministère responsable|(?:m/o|ministères?|organismes?) responsables?",
    "collaborators": r"partenaires?|collaborateurs?|(?:m/o |ministères? |organismes? )?collaborateurs?|partenaires associés",
    "resources": r"ressources(?: financières)?|budget|investissements?|coûts?|financement prévu",
    "description": r"description|objectifs? de la mesure|contexte",
}
SECTION_RE = {k: re.compile(rf"^(?:{v})\s*(?:\(s\))?\s*:?$", re.I) for k, v in SECTION_WORDS.items()}
FIELD_RE = {k: re.compile(rf"^(?:{v})\s*(?:\(s\))?\s*:\s*(.+)$", re.I) for k, v in SECTION_WORDS.items()}
STOP = {"dans", "pour", "avec", "des", "les", "une", "sur", "par", "aux", "qui", "que", "est", "sont", "nombre", "ayant",
        "cette", "ces", "leur", "leurs", "mesure", "mesures", "personnes", "taux", "proportion", "suite"}


def section_of(unit: Unit) -> Optional[str]:
    if unit.kind in ("item", "row", "number"):
        return None
    text = unit.text.strip()
    for kind, regex in SECTION_RE.items():
        if regex.match(text):
            return kind
    return None


def field_of(unit: Unit) -> Optional[tuple[str, str]]:
    if unit.kind == "row" and unit.cells and len([c for c in unit.cells if c]) == 2:
        label, value = [c for c in unit.cells if c]
        for kind, regex in SECTION_RE.items():
            if regex.match(label.strip()) and kind != "description":
                return kind, value
    for kind, regex in FIELD_RE.items():
        if kind != "description" and (m := regex.match(unit.text.strip())):
            return kind, m.group(1).strip()
    return None


def is_prose(unit: Unit) -> bool:
    """A running paragraph (caption, comment), not a list entry such as an indicator."""
    text = unit.text.strip()
    sentences = len(re.findall(r"[.!?](?:\s+[A-ZÀ-Ý«]|$)", text))
    return len(text) > 260 or sentences >= 2 or (text.endswith(".") and len(text) > 140)


def _entry_like(text: str) -> bool:
    return len(text.split()) >= 3 and not re.search(r"\bwww\.|https?://|@\w", text)


@dataclass
class Entry:
    kind: str  # "action" / "indicator"
    unit: Unit
    more: list[str] = field(default_factory=list)  # its wrapped lines the layout printed apart
    target: Optional[str] = None  # from a row of targets printed beside it
    deadline: Optional[str] = None

    @property
    def text(self) -> str:
        return " ".join([self.unit.text, *self.more])


TARGET_CELL = re.compile(r"^(?:[+\-−–]?\s?\d[\d  ]*(?:,\d+)?\s?(?:%|M|G|k|M\$|\$|heures?|minutes?|jours?|semaines?|mois)?|[–—-])$")
PERIOD_CELL = re.compile(r"^(?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)?\d\d)?$")
NUMBERED_CELL = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")


def _cells(unit: Unit) -> list[str]:
    return [c.strip() for c in unit.cells or [] if c.strip()]


def _indicator_table_line(unit: Unit, entries: list["Entry"], periods: list[str]) -> bool:
    """Lines of an indicators table read as text (targets by period beside each indicator): a row
    of periods, a row of targets (the last one printed is the indicator's target, for the last
    period), a row that opens a numbered indicator, a wrapped line of the indicator. Consumed here."""
    cells = _cells(unit)
    if unit.kind == "row" and cells and all(PERIOD_CELL.match(c) for c in cells):
        periods[:] = cells
        return True
    if unit.kind == "row" and cells and all(re.fullmatch(r"cibles?", c, re.I) for c in cells):
        return True
    if unit.kind == "row" and cells and (m := NUMBERED_CELL.match(cells[0])) and not TARGET_CELL.match(m.group(2)):
        entries.append(Entry("indicators", Unit(m.group(2), "item", marker=m.group(1) + ".", number=m.group(1),
                                                page=unit.page, line=unit.line, bbox=unit.bbox, origin=unit.origin)))
        return True
    last = entries[-1] if entries and entries[-1].kind == "indicators" else None
    if last is None:
        return False
    if unit.kind == "row" and cells:
        k = len(cells)
        while k > 0 and TARGET_CELL.match(cells[k - 1]):
            k -= 1
        words, targets = cells[:k], cells[k:]
        if words and not (words[0][:1].islower() and last.unit.number):
            return False
        if words:
            last.more.append(" ".join(words))  # the indicator's wrapped line, its targets beside it
        if targets and last.target is None:
            printed = [c for c in targets if re.search(r"\d", c)]
            last.target = printed[-1] if printed else None
            if periods and len(targets) == len(periods) and printed:
                last.deadline = periods[max(j for j, c in enumerate(targets) if re.search(r"\d", c))]
        return True
    if unit.kind == "para" and last.unit.number:
        # a numbered indicators table: a wrapped line goes on in lower case under the indicator's text;
        # anything else is a piece of a target cell ("+ 1 % par", "rapport à") or a note
        if unit.text[:1].islower() and not unit.gap_before and abs(unit.indent - (last.unit.bbox or (0,))[0]) < 40:
            last.more.append(unit.text.strip())
        return not unit.text.startswith("*")
    return False


@dataclass
class Body:
    """What the reader found for one measure."""

    description: list[Unit] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    collaborators: list[str] = field(default_factory=list)
    deadline: Optional[str] = None
    resources: Optional[str] = None
    structured: bool = False  # keyword sections, fields or an action list were seen
    labelled: bool = False  # a labelled part ("Action prioritaire : …", "Responsable : …") was seen
    split_by_content: bool = False


def action_of(unit: Unit, numbered: bool) -> dict:
    text, leads = trailing_orgs(clean_text(unit.text))
    if not leads:
        text = text.rstrip(" ;")
    return {"action_id": unit.number if numbered and unit.number else None, "text": text, "lead": leads}


def indicator_of(text: str) -> dict:
    text = clean_text(text).rstrip(" ;")
    return {"text": text, "target": target_phrase(text), "deadline": None}


def description_text(units: list[Unit]) -> Optional[str]:
    parts: list[str] = []
    for unit in units:
        text = clean_text(unit.text)
        if unit.kind == "item":
            parts.append(("\n" if parts else "") + "- " + text)
        else:
            parts.append(("\n\n" if parts else "") + text)
    return "".join(parts) or None


def read_body(units: list[Unit], uses_keywords: bool, sub_items: set[int]) -> tuple[Body, list[Entry], bool]:
    """One measure's own units: description, fields, and the entries of its keyword sections.
    Returns the body, the section entries (to be shared out when several measures share them),
    and whether the units held a keyword section."""
    body = Body()
    entries: list[Entry] = []
    section: Optional[str] = None
    had_section = False
    seen_kinds: list[str] = []
    loose: list[Unit] = []
    periods: list[str] = []
    for unit in units:
        if unit.kind == "note":  # a footnote closes the lists above it
            section = None if section in ("actions", "indicators") else section
            continue
        if unit.repeated and not section_of(unit):
            continue
        kind = section_of(unit)
        if kind:
            if kind != "description":
                section, had_section = kind, True
                seen_kinds.append(kind)
                body.structured = True
            continue
        if f := field_of(unit):
            _set_field(body, *f)
            continue
        if section == "indicators" and _indicator_table_line(unit, entries, periods):
            continue
        if section in ("actions", "indicators"):
            if unit.kind == "item" or (unit.kind in ("para", "heading") and not is_prose(unit) and _entry_like(unit.text)):
                entries.append(Entry(section, unit))
            continue
        if not _set_section_value(body, section, unit):
            loose.append(unit)
    _read_loose(body, loose, uses_keywords, sub_items, had_section)
    entries = _settle_styles(entries, seen_kinds)
    return body, entries, had_section


def _set_field(body: Body, name: str, value: str) -> None:
    """A labelled field ("Échéance : 2025", "Responsable : DINUM") into the body."""
    body.structured = body.labelled = True
    if name == "lead":
        body.lead.extend(split_orgs(value))
    elif name == "collaborators":
        body.collaborators.extend(split_orgs(value))
    elif name == "deadline":
        body.deadline = value
    elif name == "resources":
        body.resources = value
    elif name == "indicators":
        body.indicators.append(indicator_of(value))
    elif name == "targets" and body.indicators:
        body.indicators[-1]["target"] = value
    elif name == "targets":
        body.indicators.append({"text": value, "target": value, "deadline": None})
    elif name == "actions":
        body.actions.append({"action_id": None, "text": clean_text(value), "lead": []})


def _set_section_value(body: Body, section: Optional[str], unit: Unit) -> bool:
    """A line under a keyword section that holds one value (organisations, deadline, target,
    resources) into the body; False when the section is none of those."""
    if section in ("lead", "collaborators"):
        getattr(body, section).extend(split_orgs(clean_text(unit.text)))
    elif section == "deadline":
        body.deadline = clean_text(unit.text)
    elif section == "targets":
        if body.indicators:
            body.indicators[-1]["target"] = clean_text(unit.text)
    elif section == "resources":
        body.resources = clean_text(unit.text)
    else:
        return False
    return True


def _read_loose(body: Body, loose: list[Unit], uses_keywords: bool, sub_items: set[int], had_section: bool) -> None:
    """The units under no section: the description, and without keyword sections, a numbered (or
    bulleted) list after the description holds the actions."""
    description: list[Unit] = []
    for k, unit in enumerate(loose):
        listed = id(unit) in sub_items or (unit.kind == "item" and not uses_keywords and not _introduced(loose, k))
        if listed and not had_section:
            body.actions.append(action_of(unit, numbered=unit.number is not None))
            body.structured = True
        elif not body.actions:
            description.append(unit)
    body.description = description


def _settle_styles(entries: list[Entry], seen_kinds: list[str]) -> list[Entry]:
    """Seed layouts print the ACTIONS list as dashes and the INDICATEURS list as plain lines, and
    sometimes both keywords before any entry: then the style says which list an entry is in.
    Otherwise a section keeps the entries in the style of its first one (a caption under a
    bullet list is no entry)."""
    style = lambda e: "item" if e.unit.kind == "item" else "para"  # noqa: E731
    first: dict[str, str] = {}
    for entry in entries:
        first.setdefault(entry.kind, style(entry))
    mixed = len({style(e) for e in entries}) >= 2
    if {"actions", "indicators"} <= set(seen_kinds) and mixed and (len(set(first.values())) == 2 or len(first) == 1):
        kinds = [seen_kinds[0], "indicators" if seen_kinds[0] == "actions" else "actions"]
        lead_style = style(entries[0])
        for entry in entries:
            entry.kind = kinds[0] if style(entry) == lead_style else kinds[1]
        return entries
    return [e for e in entries if style(e) == first[e.kind]]


def _introduced(units: list[Unit], k: int) -> bool:
    """Is item k part of a list that a sentence ending with ':' introduces (a description's list)?"""
    j = k
    while j > 0 and units[j - 1].kind == "item":
        j -= 1
    return j > 0 and units[j - 1].text.rstrip().endswith(":")


def tokens(text: str) -> set[str]:
    words = re.findall(r"[^\W\d_]{4,}", text.lower())
    return {w[:6] for w in words if w not in STOP}


def share_out(bodies: list[Body], texts: list[str], entries: list[Entry]) -> None:
    """Give the entries of one keyword block to the measures printed before it, in order."""
    if len(bodies) == 1:
        segments = [entries]
    else:
        segments: list[list[Entry]] = [[]]
        for entry in entries:
            prev = segments[-1][-1] if segments[-1] else None
            if entry.kind == "actions" and prev is not None and (prev.kind == "indicators" or entry.unit.gap_before):
                segments.append([])
            segments[-1].append(entry)
    if len(segments) != len(bodies):
        # Not one run per measure: keep the order and share everything out by content.
        segments = _partition(entries, texts)
        for body in bodies:
            body.split_by_content = len(bodies) > 1
    else:
        # Indicators printed all together after the last action run: share them out by content.
        inds = [[e for e in seg if e.kind == "indicators"] for seg in segments]
        if len(bodies) > 1 and sum(1 for i in inds if i) == 1 and not inds[0] and len(inds[-1]) >= 2:
            pooled = inds[-1]
            segments = [[e for e in seg if e.kind == "actions"] for seg in segments]
            vocab = [text + " " + _action_text(seg) for text, seg in zip(texts, segments)]
            for k, part in enumerate(_partition(pooled, vocab)):
                segments[k].extend(part)
            for body in bodies:
                body.split_by_content = True
    for body, seg in zip(bodies, segments):
        for entry in seg:
            if entry.kind == "actions":
                body.actions.append(action_of(entry.unit, numbered=entry.unit.number is not None))
            else:
                indicator = indicator_of(entry.text)
                if entry.target is not None:
                    indicator.update(target=entry.target, deadline=entry.deadline)
                body.indicators.append(indicator)
        body.structured = body.structured or bool(seg)


def _action_text(entries: list[Entry]) -> str:
    return " ".join(e.unit.text for e in entries)


def _partition(entries: list[Entry], texts: list[str]) -> list[list[Entry]]:
    """Split entries, in order, into len(texts) consecutive runs maximising word overlap."""
    n, g = len(entries), len(texts)
    vocab = [tokens(t) for t in texts]
    score = [[len(tokens(e.unit.text) & v) / (len(tokens(e.unit.text)) or 1) for v in vocab] for e in entries]
    best = [[float("-inf")] * (g + 1) for _ in range(n + 1)]
    back = [[0] * (g + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(1, g + 1):
        for i in range(n + 1):
            for k in range(i + 1):
                if best[k][j - 1] == float("-inf"):
                    continue
                value = best[k][j - 1] + sum(score[t][j - 1] for t in range(k, i))
                if value > best[i][j]:
                    best[i][j], back[i][j] = value, k
    cuts, i = [], n
    for j in range(g, 0, -1):
        k = back[i][j]
        cuts.append((k, i))
        i = k
    return [entries[a:b] for a, b in reversed(cuts)]
