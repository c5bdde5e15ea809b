"""Progress pages of a flattened measure table ("État d'avancement des mesures au 31 mars 2024").

Annual reports print the progress column as a facing page laid out like the table: one block per
band of the table (a theme and its rows), in the rows' order. In a text dump each block is a run
of paragraphs under its own "État d'avancement" heading; in it, a measure's entry opens with a
line that is only a percentage ("72 %"), or, for a measure with no percentage, with a paragraph
that says it was not done or had no target ("Mesure non réalisée.", "Il n'y avait pas de cible…").
The paragraphs after the opening line are the entry's text.

* A short line right under the percentage that is not a sentence ("OPTMQ") labels a part; entries
  with labels that follow each other are the parts of one measure.
* When a band has fewer measures than entries, the extra entries are parts of the measures that
  have as many indicators (one part per indicator, labelled by it).
* `status_text`: the entry's paragraphs, the commentary as printed; `status`: the category of the
  label printed after the percentage ("100 % — Réalisée"), else inferred from the percentage or
  the entry's opening sentence (`records.progress`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from schemas.records import ProgressPart

from extractors.records.measure_fields import fold
from extractors.records.progress import join_paragraphs, status_of
from extractors.records.units import Unit

HEADING = re.compile(r"^(?:[ée]tat\s+d['’]\s*avancement|[ée]tat\s+de\s+(?:la\s+)?r[ée]alisation|bilan\s+des\s+mesures|"
                     r"suivi\s+des\s+mesures)\b", re.I)
PERCENT_LINE = re.compile(r"^(-?\d{1,3}(?:[.,]\d+)?)\s*%\s*(?:[-–—:]\s*)?(.*)$")
NOT_DONE = re.compile(r"\b(?:non\s+r[ée]alis[ée]e?s?|pas\s+(?:été\s+)?r[ée]alis[ée]e?s?|abandonn[ée]e?s?|"
                      r"report[ée]e?s?)\b", re.I)
NO_TARGET = re.compile(r"\b(?:pas\s+de\s+cible|aucune\s+cible)\b", re.I)
STATUS_WORDS = ("realise", "non realise", "en cours", "partiellement", "termine", "abandonne", "reporte", "atteint",
                "depasse", "complete", "a venir", "en continu")


def is_heading(unit: Unit) -> bool:
    text = unit.text.strip()
    return len(text) <= 90 and not text.endswith(".") and bool(HEADING.match(text))


@dataclass
class Entry:
    percent: Optional[float] = None
    printed_status: Optional[str] = None
    label: Optional[str] = None
    sentence: Optional[str] = None  # the "not done" / "no target" sentence opening the entry
    text: list[str] = field(default_factory=list)
    parts: list["Entry"] = field(default_factory=list)


@dataclass
class Progress:
    """What a measure gets from its entry."""

    percent: Optional[float]
    status: Optional[str]  # category (schemas.records.STATUS_CATEGORIES)
    inferred: bool  # no status label printed: the category comes from the percentage or a sentence
    parts: list[ProgressPart]
    text: str  # the entry's paragraphs: words for placing indicators
    commentary: Optional[str]  # the same paragraphs as printed, for status_text


def _status_word(text: str) -> bool:
    t = fold(text).strip(" .")
    return any(t == w or t.startswith(w + " ") for w in STATUS_WORDS)


def _label(unit: Unit) -> bool:
    text = unit.text.strip()
    return (not unit.gap_before and len(text) <= 40 and len(text.split()) <= 5 and not text.endswith((".", ":"))
            and not _status_word(text))


def entries(units: list[Unit]) -> tuple[list[str], list[Entry]]:
    """(text before the first entry, entries) of one progress block."""
    preface: list[str] = []
    out: list[Entry] = []
    k = 0
    while k < len(units):
        unit, text = units[k], units[k].text.strip()
        m = PERCENT_LINE.match(text)
        if m and len(m.group(2).split()) <= 4:
            value = float(m.group(1).replace(",", "."))
            entry = Entry(percent=value if value >= 0 else None, printed_status=m.group(2).strip(" -–—:") or None)
            if k + 1 < len(units) and _label(units[k + 1]) and not PERCENT_LINE.match(units[k + 1].text.strip()):
                entry.label = units[k + 1].text.strip()
                k += 1
            out.append(entry)
        elif unit.gap_before and (NOT_DONE.search(_first_sentence(text)) or NO_TARGET.search(_first_sentence(text))) \
                and not _follows_percent(units, k):
            out.append(Entry(sentence=_first_sentence(text), text=[text]))
        elif out:
            out[-1].text.append(text)
        else:
            preface.append(text)
        k += 1
    return preface, _merge_labelled(out)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.;!?])\s", text, maxsplit=1)[0]


def _follows_percent(units: list[Unit], k: int) -> bool:
    return k > 0 and not units[k].gap_before and bool(PERCENT_LINE.match(units[k - 1].text.strip()))


def _merge_labelled(found: list[Entry]) -> list[Entry]:
    """Consecutive labelled entries ("100 %" / "OPTMQ", "100 %" / "OIIAQ") are one measure's parts."""
    out: list[Entry] = []
    for entry in found:
        if entry.label and out and out[-1].label is not None:
            head = out[-1]
            if not head.parts:
                head.parts = [Entry(percent=head.percent, label=head.label, text=head.text)]
            head.parts.append(entry)
            head.text = head.text + entry.text
            continue
        out.append(entry)
    for entry in out:
        if entry.parts:
            entry.label = ""  # a measure of parts, not a part
    return out


def _progress(entries_of_measure: list[Entry], indicator_texts: list[str], preface: list[str]) -> Progress:
    parts_src = [p for e in entries_of_measure for p in (e.parts or [e])] if (
        len(entries_of_measure) > 1 or entries_of_measure[0].parts) else []
    parts = []
    for n, part in enumerate(parts_src):
        label = part.label or (indicator_texts[n] if len(indicator_texts) == len(parts_src) else None)
        if part.percent is not None:
            parts.append(ProgressPart(percent=part.percent, label=label))
    head = entries_of_measure[0]
    percent = head.percent if head.percent is not None else (parts[0].percent if parts else None)
    paragraphs = preface + [t for e in entries_of_measure for t in e.text]
    commentary = join_paragraphs(paragraphs)
    status, inferred = status_of(head.printed_status, percent, head.sentence or commentary)
    return Progress(percent, status, inferred, parts if len(parts) >= 2 else [], " ".join(paragraphs), commentary)


def assign(block: list[Unit], indicator_counts: list[int], indicator_texts: list[list[str]]) -> list[Optional[Progress]]:
    """Progress of each measure of a band (in order) from the band's progress block."""
    preface, found = entries(block)
    n = len(indicator_counts)
    if not found or not n:
        return [None] * n
    groups: list[list[Entry]]
    if len(found) <= n:
        groups = [[e] for e in found]
    elif n == 1:
        groups = [found]
    elif sum(max(c, 1) for c in indicator_counts) == len(found):
        groups, k = [], 0
        for c in indicator_counts:
            groups.append(found[k:k + max(c, 1)])
            k += max(c, 1)
    else:
        groups = [[e] for e in found[:n - 1]] + [found[n - 1:]]
    out: list[Optional[Progress]] = []
    for m in range(n):
        if m < len(groups):
            out.append(_progress(groups[m], indicator_texts[m], preface if m == 0 else []))
        else:
            out.append(None)
    return out
