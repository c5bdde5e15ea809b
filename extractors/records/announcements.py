"""Press releases: one announcement per dateline ("Montréal, le 4 juillet 2012 –").

The headline is the paragraph just above the dateline; the release runs to the next release's
headline. Ministers are the people a sentence calls minister ("la ministre Kathleen Weil",
"Le ministre de la Justice …, M. Jean-Marc Fournier"), names only; the amount is the first sum of
money ("15,5 M$"); counts are the numbers of things with what they count, each value once.
"""
from __future__ import annotations

import re

from schemas.records import Announcement, Count, Provenance

from extractors.records.fields import MONTH_RE, clean_text, find_amount, iso_date, quantity_phrases
from extractors.records.units import Unit

DATELINE = re.compile(rf"^(?P<place>[A-ZÀ-Ý][\w'’.\- ]{{1,40}}?)(?:\s*\([^)]*\))?,\s+(?:le\s+)?(?:\w+\s+)?"
                      rf"(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{MONTH_RE})\s+(?P<year>\d{{4}})\s*[–—-]+\s*", re.I)
NAME = r"[A-ZÀ-Ý][\wà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][\wà-ÿ'’-]+){1,2}"
MINISTER_NAMED = re.compile(rf"\bministres?\s+({NAME}(?:\s*(?:,|et)\s*{NAME})*)")
MINISTER_TITLED = re.compile(rf"\bministres?\b[^.;«»]{{0,160}}?,\s*(?:Mme|M\.|Madame|Monsieur)\s+({NAME})")


def ministers_in(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for m in MINISTER_NAMED.finditer(text):
        for name in re.split(r"\s*(?:,|\bet\b)\s*", m.group(1)):
            found.append((m.start(1), name.strip()))
    for m in MINISTER_TITLED.finditer(text):
        found.append((m.start(1), m.group(1).strip()))
    names: list[str] = []
    for _, name in sorted(found):
        if name and name not in names and not re.match(r"^(?:Le|La|Les|De|Du|Des)\b", name):
            names.append(name)
    return names


def units_to_announcements(units: list[Unit], file: str) -> list[Announcement]:
    starts = [i for i, u in enumerate(units) if u.kind in ("para", "heading") and DATELINE.match(u.text.strip())]
    announcements = []
    for k, i in enumerate(starts):
        title_at = i - 1
        while title_at >= 0 and (units[title_at].repeated or not units[title_at].text.strip()):
            title_at -= 1
        title = clean_text(units[title_at].text) if title_at >= 0 and not units[title_at].text.rstrip().endswith(".") else ""
        stop = len(units)
        if k + 1 < len(starts):
            stop = starts[k + 1] - 1
            # the next release's kicker (a short label above its headline) is not part of this one
            if stop - 1 > i and len(units[stop - 1].text) < 120 and not units[stop - 1].text.rstrip().endswith("."):
                stop -= 1
        m = DATELINE.match(units[i].text.strip())
        body = [units[i].text.strip()[m.end():]] + [u.text for u in units[i + 1:stop] if not u.repeated]
        body_text = clean_text(" ".join(body))
        amount = find_amount(title) or find_amount(body_text)
        counts: list[Count] = []
        for value, phrase, _ in quantity_phrases(body_text):
            if all(c.value != value for c in counts):
                counts.append(Count(value=value, text=phrase))
        date = iso_date(m.group("day"), m.group("month"), m.group("year"))
        confidence = 0.9 if title else 0.5
        unit = units[title_at] if title else units[i]
        announcements.append(Announcement(
            date=date, place=m.group("place").strip(), title=title or clean_text(units[i].text)[:200],
            ministers=ministers_in(title + " " + body_text), amount_text=amount[0] if amount else None,
            amount_dollars=amount[1] if amount else None, counts=counts,
            provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox, line=unit.line if unit.bbox is None else None),
            confidence=confidence, flagged=confidence < 0.6))
    return announcements
