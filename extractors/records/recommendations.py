"""Recommendations: numbered ("5.1 Titre", "Recommandation 3 : …"), sections ("Recommandations
pour …") and single paragraphs ("Nous recommandons …", "Le comité recommande …").

* A section whose heading names recommendations ("5. Recommandations du comité") with numbered
  headings right under it: each numbered heading (5.1, 5.2 …) is a recommendation. A heading that
  says so itself ("Recommandation 3 — …") is one too.
* Such a section without numbered headings under it is one recommendation, titled by its heading
  (or by the sub-heading printed right under it, which then names it).
* Outside those sections, a paragraph that recommends in the document's own voice ("Nous
  recommandons", "Il est recommandé", "<the author> recommande", "des axes d'amélioration : …") is
  one recommendation, titled by its recommending sentence. A body recommends someone else's words
  when the subject of "recommande" is a party the document hardly names ("le DIP recommande"): no record.

Items are the body's paragraphs and bullets, whole and in reading order (nested lists flattened):
an item ends where its paragraph ends, also across a page break. Page numbers, footnotes and running
headers are not items; a table of contents is not a recommendation.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from schemas.records import Provenance, Recommendation

from extractors.french.line_join import join_wrapped
from extractors.records.fields import clean_text
from extractors.records.settings import SETTINGS
from extractors.records.units import TERMINAL, Unit

SECTION_RE = re.compile(r"\brecommandations?\b", re.I)
# A heading whose head noun is recommendations ("Recommandations du comité", "Nos recommandations"),
# not a title that also names them ("Avis et recommandations").
SECTION_HEAD = re.compile(r"^(?:(?:nos|les|des|principales|autres|quelques)\s+)?recommandations?\b", re.I)
PREFIX_RE = re.compile(r"^recommandation\s+(?:n[o°]\s*)?(\d+(?:\.\d+)*)\b\.?\s*[—–:.\-]?\s*(.*)$", re.I)
TOC_END = re.compile(r"(?:\.{2,}|\s)\s*\d{1,3}$")
# A paragraph recommending in the document's own voice.
OWN_VOICE = re.compile(r"\b(?:nous\s+recommandons|je\s+recommande|il\s+est\s+(?:donc\s+|également\s+|aussi\s+)?"
                       r"recommandé|(?:axes|pistes)\s+d['’]amélioration\b[^.:]*:)", re.I)
# "<subject> recommande(nt)": the subject is checked against the document's own names.
THIRD_VOICE = re.compile(r"(?:^|[.;:]\s+|,\s*)(?:(?:ainsi|enfin|aussi|donc|également),?\s+)?"
                         r"(?P<subject>(?:le|la|les|l['’])\s*[^\s,.;:]+(?:\s+[^\s,.;:]+){0,4}?)\s+"
                         r"(?:(?:lui-même|elle-même|également|donc|aussi|ainsi)\s+)?recommande(?:nt)?\b", re.I)
# What a recommendation asks for: an action ("recommande … d'adopter", "… que la CPMT facilite"), not a
# thing ("le DIP recommande l'utilisation de …", "les CRPMT recommandent le plan d'action régional").
ASKS_ACTION = re.compile(r"^[^.;:]*?(?:\b(?:de|d['’])\s*[a-zà-ÿ]+(?:er|ir|re|oir)\b|\bque\b|\bqu['’])", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])")


def parse_number(unit: Unit) -> Optional[tuple[int, ...]]:
    if unit.number and unit.kind != "row":
        return tuple(int(p) for p in unit.number.split("."))
    return None


def _is_toc(units: list[Unit], i: int) -> bool:
    """Table-of-contents entries: lines ending with a page number, several in a row."""
    def ends(k: int) -> bool:
        return 0 <= k < len(units) and bool(TOC_END.search(units[k].text.strip())) and len(units[k].text) < 160
    return ends(i) and (ends(i - 1) or ends(i + 1))


def _section_heading(units: list[Unit], i: int) -> bool:
    unit = units[i]
    text = unit.text.strip()
    if not SECTION_HEAD.match(text) or len(text) > 150 or text.endswith((".", ":", ";", ",")) or not text[:1].isupper():
        return False
    if unit.kind == "heading" or (unit.kind in ("para", "item") and parse_number(unit) is not None):
        return True
    # a text dump: a short line standing alone
    nxt = units[i + 1] if i + 1 < len(units) else None
    return unit.kind == "para" and unit.bbox is None and unit.gap_before and (nxt is None or nxt.gap_before) \
        and len(text.split()) <= 12


def _skipped(unit: Unit) -> bool:
    """Not part of any body: footnotes, running headers, page numbers, table rows."""
    return unit.kind in ("note", "number", "row") or unit.repeated


def units_to_recommendations(units: list[Unit], file: str) -> tuple[list[Recommendation], set[int]]:
    heads: list[tuple[int, Optional[str], str, float, int]] = []  # (index, id, title, confidence, body start)
    sections: list[int] = []  # unnumbered recommendation sections
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
            heads.append((i, m.group(1), m.group(2).strip() or text, 0.85, i + 1))
            pending = False
            continue
        if _section_heading(units, i):
            if pending:
                sections.append(last_section)
            section, pending = number, True
            last_section = i
            claimed.add(i)
            continue
        if number is None or unit.kind == "number":
            if pending and unit.kind in ("para", "item") and i - last_section > 3:
                sections.append(last_section)
                pending = False
            continue
        if pending:
            # its first numbered heading, right under it, gives the numbering (5.1 -> section 5)
            if i - last_section <= 3 and (section is None or number[:-1] == section):
                section = number[:-1]
            else:
                sections.append(last_section)
                section = None
            pending = False
        if section is not None:
            if len(number) == len(section) + 1 and number[:-1] == section:
                heads.append((i, ".".join(map(str, number)), text, 0.9, i + 1))
            elif len(number) <= len(section):
                section = None
    if pending:
        sections.append(last_section)
    for s in sections:
        title_at, start = s, s + 1
        nxt = units[start] if start < len(units) else None
        if nxt is not None and nxt.kind == "heading" and not SECTION_RE.search(nxt.text) and len(nxt.text) <= 120 \
                and not TERMINAL.search(nxt.text.strip()):
            title_at, start = start, start + 1  # a sub-heading names the recommendation
        heads.append((s, None, units[title_at].text.strip(), 0.75, start))
    heads.sort()
    recs = []
    for k, (i, ident, title, confidence, start) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(units)
        stop = min(stop, _section_end(units, i, start))
        items = _items(units[start:stop])
        claimed.update(range(i, stop))
        recs.append(_record(units[i], ident, title, items, confidence, file))
    recs.extend(_paragraph_recommendations(units, claimed, file))
    return recs, claimed


def _section_end(units: list[Unit], head: int, start: int) -> int:
    """A recommendation runs to the next numbered heading of its level or above, or to the next
    heading as prominent as its own (for boxed pages: size and weight; for HTML: any heading)."""
    first = parse_number(units[head])
    size = units[head].size
    for k in range(start, len(units)):
        unit = units[k]
        if unit.kind == "row" and k + 1 < len(units) and units[k + 1].kind == "row":
            # a table ends the body, with its caption (a line without a full stop right above it)
            caption = k - 1 >= start and units[k - 1].kind in ("para", "heading") and len(units[k - 1].text) <= 200 \
                and not re.search(r"[.:;]$", units[k - 1].text.strip())
            return k - 1 if caption else k
        if _skipped(unit):
            continue
        number = parse_number(unit)
        if number is not None and first is not None and len(number) <= len(first) and unit.kind != "item":
            return k
        if first is None and unit.bbox is None and unit.origin != "html" and _standalone_line(units, k):
            return k  # a text dump's next heading
        if unit.kind == "heading" and not unit.repeated:
            if unit.origin == "html":
                return k
            if first is None and size and unit.size and unit.size >= size - 0.5 and not _is_toc(units, k):
                return k
    return len(units)


def _standalone_line(units: list[Unit], k: int) -> bool:
    unit, nxt = units[k], units[k + 1] if k + 1 < len(units) else None
    text = unit.text.strip()
    return unit.kind == "para" and unit.gap_before and (nxt is None or nxt.gap_before) and len(text.split()) <= 12 \
        and text[:1].isupper() and not re.search(r"[.:;!?,]$", text)


def _items(body: list[Unit]) -> list[str]:
    """Paragraphs and bullets, whole: a piece that goes on after a page break or a wrapped bullet
    line the layout cut off joins the one before it."""
    items: list[str] = []
    prev: Optional[Unit] = None
    kept = [u for u in body if not _skipped(u) and u.kind in ("para", "item", "heading")]
    for k, unit in enumerate(kept):
        if _running_header(kept, k):
            continue
        text = clean_text(unit.text)
        if not text:
            continue
        if items and prev is not None and _goes_on(prev, unit, items[-1]):
            items[-1] = join_wrapped(items[-1], text)
        else:
            items.append(text)
        prev = unit
    return items


def _running_header(units: list[Unit], k: int) -> bool:
    """A short line without punctuation that interrupts a list (a page's running header, as a text
    dump prints it between two items)."""
    unit = units[k]
    if unit.kind == "item" or len(unit.text.split()) > 8 or re.search(r"[.:;!?,]$", unit.text.strip()):
        return False
    before = next((u for u in reversed(units[:k]) if not _running_header_like(u)), None)
    after = next((u for u in units[k + 1:] if not _running_header_like(u)), None)
    return before is not None and after is not None and before.kind == "item" and after.kind == "item"


def _running_header_like(unit: Unit) -> bool:
    return unit.kind != "item" and len(unit.text.split()) <= 8 and not re.search(r"[.:;!?,]$", unit.text.strip())


def _goes_on(prev: Unit, unit: Unit, last: str) -> bool:
    if unit.marker is not None:
        return False
    if unit.text[:1].islower():
        return True
    # a bullet's second line that the layout did not join (a bold lead, another weight)
    return prev.kind == "item" and not unit.gap_before and not TERMINAL.search(last) and unit.indent > prev.indent


def _record(unit: Unit, ident: Optional[str], title: str, items: list[str], confidence: float, file: str) -> Recommendation:
    return Recommendation(
        id=ident, title=clean_text(title), items=items,
        provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox, line=unit.line if unit.bbox is None else None),
        confidence=confidence, flagged=confidence < 0.6)


def _own_names(units: list[Unit]) -> Counter:
    """How often each capitalised word or acronym is printed: the document's own names recur."""
    counts: Counter = Counter()
    for unit in units:
        for word in re.findall(r"\b[A-ZÀ-Ý][\wÀ-ÿ'’-]+", unit.text):
            counts[word.casefold()] += 1
    return counts


def _recommending(text: str, names: Counter) -> Optional[int]:
    """Where the recommending sentence starts in a paragraph, or None."""
    m = OWN_VOICE.search(text)
    if m is None:
        for found in THIRD_VOICE.finditer(text):
            if not ASKS_ACTION.match(text[found.end():]):
                continue
            words = [w for w in re.findall(r"[\wÀ-ÿ'’-]+", found.group("subject")) if w[:1].isupper() or w.isupper()]
            head = re.sub(r"^(?:l['’])", "", words[-1]).casefold() if words else ""
            if head and names[head] >= SETTINGS.own_names:
                m = found
                break
            if not words and re.search(r"\b(?:comité|conseil|commission|groupe de travail|mission)\b", found.group("subject"), re.I):
                m = found
                break
    if m is None:
        return None
    at = m.start("subject") if "subject" in m.groupdict() else m.start()
    starts = [0] + [s.end() for s in SENTENCE_END.finditer(text)]
    return max(s for s in starts if s <= at)


def _paragraph_recommendations(units: list[Unit], claimed: set[int], file: str) -> list[Recommendation]:
    names = _own_names(units)
    recs = []
    for i, unit in enumerate(units):
        if i in claimed or _skipped(unit) or _is_toc(units, i):
            continue
        if unit.kind not in ("para", "item") and not (unit.kind == "heading" and len(unit.text) > 100):
            continue  # (a page set in large type reads as headings)
        text = clean_text(unit.text)
        at = _recommending(text, names)
        if at is None:
            continue
        item = text[at:].strip()
        sentence = SENTENCE_END.split(item, maxsplit=1)[0]
        items = [item]
        claimed.add(i)
        if item.endswith(":"):  # the bullets it introduces
            k = i + 1
            while k < len(units) and (units[k].kind == "item" or _skipped(units[k])):
                if units[k].kind == "item":
                    items.append(clean_text(units[k].text))
                    claimed.add(k)
                k += 1
        recs.append(_record(unit, None, sentence, items, 0.6, file))
    return recs
