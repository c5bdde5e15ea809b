"""Rows of a measure table as records (for `extractors.records.from_tables`): the record being read,
its ids (as read, mended from the sequence, repaired after the table), its text, its provenance."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractors.layout import union_bbox
from extractors.records.measure_fields import ID, paragraph_text
from extractors.records.table_cells import CellText
from extractors.tables.values import clean
from schemas import Document
from schemas.records import Action, Indicator, Provenance
from schemas.table import Cell

CONTINUED = re.compile(r"\s*[(\[]?\s*(?:suite(?:\s+et\s+fin)?|cont(?:inued|\.)|fin)\s*[)\]]?\s*$", re.IGNORECASE)


@dataclass
class RowRecord:
    """One measure being read: its cells by role (a row cut by a page break adds the rest)."""

    cells: dict[str, CellText]
    raw: dict[str, list[Cell]]
    theme: Optional[str]
    group: Optional[str]
    raw_id: Optional[str] = None
    measure_id: Optional[str] = None
    actions: list[Action] = field(default_factory=list)
    dated_targets: list[Indicator] = field(default_factory=list)  # an indicator's target in each period column


def theme_text(text: str) -> str:
    text = CONTINUED.sub("", text).strip(" –—-:")
    text = re.sub(r"(?<=[a-zà-ÿ]{4})[¹²³⁴⁵⁶⁷⁸⁹\d]{1,2}$", "", text)  # a footnote call
    return clean(text)


def cell_text(cell: Optional[CellText]) -> Optional[str]:
    if cell is None or cell.empty:
        return None
    return clean(" ".join(paragraph_text(p) for p in cell.paragraphs())) or None


def provenance_of(row: RowRecord, document: Document) -> Provenance:
    cells = [c for got in row.raw.values() for c in got if c.bbox is not None]
    if not cells:
        return Provenance(file=document.source.path)
    page = min(c.page for c in cells)
    return Provenance(file=document.source.path, page=page, bbox=union_bbox([c.bbox for c in cells if c.page == page]))



# --- Ids ---------------------------------------------------------------------------------------------


def id_of(cell: Optional[Cell]) -> Optional[str]:
    """The id a number cell opens with ("1", "2.3", "A"); a short token OCR damaged ("2%", "1,1",
    "l.2") is returned as read and set right by `repair_ids`."""
    if cell is None or not cell.text.strip():
        return None
    text = cell.text.split()[0].strip()
    if len(text) <= 3 and re.fullmatch(r"[0-9lIO|]+\.?", text) and any(ch.isdigit() for ch in text):
        text = text.replace("l", "1").replace("I", "1").replace("|", "1").replace("O", "0")
    if ID.match(text) and (text[0].isdigit() or len(cell.text.split()) == 1):
        return text.rstrip(".")
    if len(text) <= 9 and text[:1].isdigit() and re.fullmatch(r"[0-9lIO|.,:;%'’°-]+", text):
        return text
    return None


def mend_hierarchical(raw: Optional[str], last: Optional[str]) -> Optional[str]:
    """An id of a hierarchical numbering OCR damaged ("1:11", "11:25", "1-12", "1.23" for "1.2.3"): the id that comes
    next in the sequence (a sibling at some level after `last`, or its first child) whose digits
    are the ones read; failing that, the one of as many digits that differs least."""
    well_formed = bool(raw) and re.fullmatch(r"\d+(?:\.\d+)+", raw) is not None
    if not raw or well_formed and (last is None or not re.fullmatch(r"\d+(?:\.\d+)+", last)):
        return raw
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return raw
    if last is None or not re.fullmatch(r"\d+(?:\.\d+)+", last):
        return ".".join(digits) if 2 <= len(digits) <= 5 else raw
    parts = [int(p) for p in last.split(".")]
    candidates = [".".join(map(str, parts[:k] + [parts[k] + 1])) for k in range(len(parts) - 1, -1, -1)]
    candidates += [f"{last}.0", f"{last}.1"]
    same = [c for c in candidates if c.replace(".", "") == digits]
    if well_formed:
        # a dot OCR lost ("1.23" after "1.2.2.4" is "1.2.3"): mended only when the id read is not
        # itself next in the sequence and exactly one id that is has its digits
        return same[0] if raw not in candidates and len(same) == 1 else raw
    if same:
        return same[0]
    sized = [c for c in candidates if len(c.replace(".", "")) == len(digits)]
    if sized:
        return min(sized, key=lambda c: sum(a != b for a, b in zip(c.replace(".", ""), digits)))
    return raw


def parent_row(rows: list[RowRecord], raw_id: Optional[str]) -> Optional[RowRecord]:
    """The measure a row is an action of: its id extends the id of the last measure (`1.1.2` ->
    `1.1.2.3`)."""
    if not raw_id or not rows or not rows[-1].raw_id:
        return None
    parent = rows[-1].raw_id
    return rows[-1] if raw_id.startswith(parent + ".") and raw_id.count(".") > parent.count(".") else None


def repair_ids(rows: list[RowRecord]) -> None:
    """Ids OCR damaged or read without their dot ("12" for "1.2", "2%" for "2.1"), set from the
    sequence: the id after the previous row's, or the first of the next series when a new theme
    came between. Ids read well are kept as they are."""
    good = [r.raw_id for r in rows if r.raw_id and ID.match(r.raw_id)]
    dotted = sum(1 for i in good if "." in i) > len(good) / 2
    prev: Optional[RowRecord] = None
    for row in rows:
        raw = row.raw_id
        row.measure_id = raw or None
        if raw is None:
            continue
        fine = bool(raw) and ID.match(raw) is not None and ("." in raw) == dotted
        if not fine:
            expected = None
            if prev is not None and prev.measure_id and re.fullmatch(r"\d+(?:\.\d+)*", prev.measure_id):
                parts = prev.measure_id.split(".")
                if dotted and len(parts) >= 2:
                    if row.theme != prev.theme:
                        expected = f"{int(parts[0]) + 1}.1"
                    else:
                        expected = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])
                elif not dotted:
                    expected = str(int(parts[0]) + 1)
            digits = re.sub(r"\D", "", raw)
            if expected is None and dotted and len(digits) >= 2:
                expected = f"{digits[0]}.{digits[1:]}"
            if expected is not None and (not digits or digits[0] == expected[0]):
                row.measure_id = expected
            elif expected is None and not ID.match(raw):
                row.measure_id = digits or None
        prev = row
