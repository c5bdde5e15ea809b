"""Where an extraction differs from its golden file, record by record and field by field.

The pairing and the field comparison are those of `bilan validate` (extractors/validation.py), so a
field marked here is one the validator counts as wrong, and an unmarked one it counts as right.
"""
from __future__ import annotations

from typing import Any

from extractors.validation import KINDS, Report, compare_records, pair, record_similarity, records_of, score_fields


def golden_marks(extracted: dict[str, list[dict]], golden: dict) -> dict[str, Any]:
    """For every extracted record (by kind, in order): the golden record it pairs with and the
    fields that differ, with the golden value; the golden records nothing was paired with; the
    validator's field F1. Kinds the golden file leaves out (or the validator does not score) are
    not compared."""
    gold_records = records_of(golden)
    kinds = [kind for kind in KINDS if kind in extracted and kind in gold_records]
    records: dict[str, list[dict]] = {}
    missing: dict[str, list[dict]] = {}
    for kind in kinds:
        gold, pred = gold_records.get(kind) or [], extracted[kind]
        pairs = dict((j, i) for i, j in pair(gold, pred, record_similarity(kind)))
        records[kind] = []
        for j, record in enumerate(pred):
            if j not in pairs:
                records[kind].append({"paired": False, "differs": {}})
                continue
            report = Report()
            score_fields(report, kind, "", kind, gold[pairs[j]], record)
            names = sorted({d.field.split(".")[1] for d in report.differences})
            records[kind].append({"paired": True, "differs": {name: gold[pairs[j]].get(name) for name in names}})
        missing[kind] = [gold[i] for i in range(len(gold)) if i not in pairs.values()]
    total = compare_records(gold_records, extracted, kinds).total
    return {"kinds": kinds, "records": records, "missing": missing,
            "f1": round(total.f1, 4), "precision": round(total.precision, 4), "recall": round(total.recall, 4)}
