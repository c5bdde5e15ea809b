"""What the browser is given: a document's records and page list, and each page's words, table
cells and repairs (loaded when the page scrolls into view).

Everything here is plain data (dicts of str, numbers, lists): the browser builds the page from it
with text nodes only, so no document text is ever parsed as HTML.
"""
from __future__ import annotations

import hashlib
import json
import types
import typing
from typing import Any, Literal, Optional, Sequence, Union

from pydantic import BaseModel

from extractors.validation import IGNORED
from schemas import Document, Page, Records
from schemas.repair import Repair
from schemas.table import Table

# Repairs scored below this are drawn as doubtful (the repair stage keeps changes it scores lower
# than its own thresholds out; what remains between this and 1 is still worth a look).
DOUBTFUL_REPAIR = 0.7
# Record fields the golden format leaves out (extractors/validation.py scores none of them); `page`
# is added back from the provenance.
NOT_IN_GOLDEN = IGNORED - {"page"}
RECORD_KINDS = tuple(Records.model_fields)


def detected_tables(document: Document) -> list[Table]:
    """Tables found on the document's pages (`Document.tables`, filled by the tables stage)."""
    return list(document.tables)


# --- record forms ---------------------------------------------------------------------------------


def field_spec(name: str, annotation: Any, description: Optional[str]) -> dict:
    """How the browser edits one field: text, number, bool, choice, texts (a list of strings, one a
    line), objects (a list of sub-records) or json (anything else, as JSON text)."""
    spec: dict[str, Any] = {"name": name}
    if description:
        spec["description"] = description
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (Union, types.UnionType) and type(None) in args:
        spec["optional"] = True
        rest = [a for a in args if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else annotation
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is str:
        spec["type"] = "text"
    elif annotation is bool:
        spec["type"] = "bool"
    elif annotation in (int, float):
        spec["type"] = "number"
    elif origin is Literal:
        spec.update(type="choice", options=list(args))
    elif origin is list and args and args[0] is str:
        spec["type"] = "texts"
    elif origin is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        spec.update(type="objects", fields=model_specs(args[0]))
    else:
        spec["type"] = "json"
    return spec


def model_specs(model: type[BaseModel]) -> list[dict]:
    return [field_spec(name, info.annotation, info.description)
            for name, info in model.model_fields.items() if name not in NOT_IN_GOLDEN]


def record_forms() -> dict[str, list[dict]]:
    """kind -> the fields a reviewer edits, read from schemas/records.py (a field added there is
    editable here without a change)."""
    forms = {}
    for kind, info in Records.model_fields.items():
        (model,) = typing.get_args(info.annotation)
        forms[kind] = model_specs(model)
    return forms


# --- the document ---------------------------------------------------------------------------------


def golden_record(record: BaseModel) -> dict:
    """A record as golden/README.md writes it: no provenance, confidence or flag; its `page`."""
    fields = record.model_dump(mode="json", exclude=NOT_IN_GOLDEN)
    fields["page"] = record.provenance.page
    return fields


def golden_records(document: Document) -> dict[str, list[dict]]:
    return {kind: [golden_record(r) for r in getattr(document.records, kind)] for kind in RECORD_KINDS}


def record_views(document: Document) -> list[dict]:
    views = []
    for kind in RECORD_KINDS:
        for index, record in enumerate(getattr(document.records, kind)):
            provenance = record.provenance
            views.append({"kind": kind, "index": index, "fields": golden_record(record),
                          "page": provenance.page, "bbox": provenance.bbox, "line": provenance.line,
                          "confidence": record.confidence, "flagged": record.flagged})
    return views


def fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def document_view(doc_id: str, document: Document, images: dict, golden_head: dict, marks: Optional[dict]) -> dict:
    """The data of a document's review page (`static/review.js` reads it)."""
    errors: dict[Optional[int], list[dict]] = {}
    for error in document.errors:
        errors.setdefault(error.page, []).append({"stage": error.stage, "level": error.level, "message": error.message})
    pages = []
    for page in document.pages:
        image = images.get(page.number)
        pages.append({"number": page.number, "width": page.width, "height": page.height, "origin": page.origin,
                      "image": image.name if image else None,
                      "image_problem": image.outcome if image and image.name is None and image.outcome != "none" else None,
                      "boxed": any(w.bbox is not None for w in page.words),
                      "errors": errors.get(page.number, [])})
    records = record_views(document)
    return {"id": doc_id, "source": document.source.model_dump(mode="json"), "status": document.status,
            "errors": errors.get(None, []), "pages": pages, "kinds": list(RECORD_KINDS), "forms": record_forms(),
            "records": records, "fingerprint": fingerprint([r["fields"] for r in records]),
            "repair_count": len(document.repairs),
            "golden": {"head": golden_head, "marks": marks, "path": None},
            "doubtful_repair": DOUBTFUL_REPAIR}


# --- one page -------------------------------------------------------------------------------------


def original_line(page: Page, line_index: int) -> list[tuple[int, int, int]]:
    """(start, end, word index) of the words of a line in its text as read before repair.

    Repair columns count in the original line, where the words stood one space apart (lines are
    built that way from words); a joined hyphenated word keeps only its first line here."""
    spans, cursor = [], 0
    for index in page.lines[line_index].word_ids:
        if index >= len(page.words):
            continue
        word = page.words[index]
        read = (word.original if word.original is not None else word.text).split("\n")[0]
        spans.append((cursor, cursor + len(read), index))
        cursor += len(read) + 1
    return spans


def repairs_by_word(page: Page, repairs: Sequence[Repair]) -> tuple[dict[int, list[Repair]], list[Repair]]:
    """Each repair of the page given to the word it changed; those no word can be found for apart."""
    placed: dict[int, list[Repair]] = {}
    unplaced = []
    for repair in repairs:
        word = None
        if 1 <= repair.line <= len(page.lines):
            spans = original_line(page, repair.line - 1)
            word = next((i for start, end, i in spans if start <= repair.column < end
                         and page.words[i].original is not None), None)
            if word is None:  # spacing differed from one space: the changed word holding `before`
                word = next((i for _, _, i in spans if page.words[i].original is not None
                             and repair.before.split("\n")[0] in page.words[i].original), None)
        if word is None:
            unplaced.append(repair)
        else:
            placed.setdefault(word, []).append(repair)
    return placed, unplaced


def repair_view(repair: Repair) -> dict:
    return {"before": repair.before, "after": repair.after, "rule": repair.rule, "score": repair.score}


def page_view(page: Page, repairs: Sequence[Repair], tables: Sequence[tuple[int, Table]]) -> dict:
    """Words (text, box), lines (word indices), repaired words, table outlines and cells of one page."""
    placed, unplaced = repairs_by_word(page, repairs)
    repaired = []
    for index, word in enumerate(page.words):
        if word.original is None and index not in placed:
            continue
        repaired.append({"word": index, "before": word.original, "after": word.text,
                         "changes": [repair_view(r) for r in placed.get(index, [])]})
    outlines, cells = [], []
    for number, table in tables:
        for segment in table.provenance.segments or []:
            if segment.page == page.number:
                outlines.append({"table": number, "bbox": segment.bbox, "rows": table.n_rows, "cols": table.n_cols,
                                 "method": table.provenance.method})
        if not table.provenance.segments and table.page == page.number:
            outlines.append({"table": number, "bbox": table.bbox, "rows": table.n_rows, "cols": table.n_cols,
                             "method": table.provenance.method})
        for cell in table.cells:
            if cell.page == page.number and cell.bbox is not None:
                cells.append({"table": number, "row": cell.row, "col": cell.col, "row_span": cell.row_span,
                              "col_span": cell.col_span, "header": cell.header, "bbox": cell.bbox, "text": cell.text})
    return {"number": page.number,
            "words": [[w.text, w.bbox] for w in page.words],
            "lines": [line.word_ids for line in page.lines],
            "repaired": repaired, "unplaced_repairs": [repair_view(r) for r in unplaced],
            "tables": outlines, "cells": cells}


def pages_tables(tables: Sequence[Table]) -> dict[int, list[tuple[int, Table]]]:
    """page number -> (table number from 1, table) for every page a table is printed on."""
    by_page: dict[int, list[tuple[int, Table]]] = {}
    for number, table in enumerate(tables, start=1):
        pages = {segment.page for segment in table.provenance.segments} | {table.page} | {c.page for c in table.cells}
        for page in sorted(pages):
            by_page.setdefault(page, []).append((number, table))
    return by_page
