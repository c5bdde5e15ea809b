"""Field-by-field comparison of extracted records with a hand-verified golden file.

Scoring, chosen so that a number means the same thing for every record kind:
* Records are paired one to one: by id when both have one (measure_id, recommendation id), else by
  title similarity (rapidfuzz token_sort_ratio >= 60), best pairs first.
* Every non-empty field value is an item. A golden item is recalled, and a predicted item is
  precise, when the paired record's value matches: exactly for ids and numbers, by normalised text
  similarity (>= TEXT_MATCH) for text, one-to-one fuzzy set matching for lists of organisations or
  strings, and element by element (paired by their text) for lists of objects such as indicators,
  whose sub-fields are then scored the same way.
* Statistics have no id and a sentence may hold two: they pair by statement similarity, and a
  statistic whose value is the golden one is preferred.
* Unpaired golden records count all their items as missed, unpaired predictions all theirs as
  spurious. F1 is micro-averaged over all items; per-field figures use the same counts.
* A record kind the golden file does not list is not scored (an empty list means "none").
  `false` is no item (a flag that is not raised says nothing), `true` is one.
* Where variants of one document differ in what they print (a typeset copy adds status labels
  that the original does not print), the golden's `variant_overrides` gives, per variant path,
  field values that replace the golden's for every record of a kind.
Provenance, confidence and flags are not scored: they have no golden value.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from rapidfuzz import fuzz

TEXT_MATCH = 90.0  # rapidfuzz ratio, 0-100, on normalised text
PAIR_BY_TITLE = 60.0
IGNORED = {"provenance", "confidence", "flagged", "page"}
ID_FIELDS = {"measure_id", "parent_id", "id", "action_id"}
# Which field names a record or list element by, per record kind (first present wins).
KEY_FIELDS = {"measures": ("measure_id", "title"), "recommendations": ("id", "title"),
              "announcements": ("date", "title"), "tables": ("title",), "statistics": ("value", "statement")}
TITLE_FIELDS = ("title", "text", "label")
KINDS = ("measures", "recommendations", "announcements", "tables", "statistics")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    text = text.replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()


def empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


def same_scalar(name: str, gold: Any, pred: Any) -> bool:
    if isinstance(gold, bool) or isinstance(pred, bool):
        return gold == pred
    if isinstance(gold, (int, float)) or isinstance(pred, (int, float)):
        try:
            return abs(float(gold) - float(pred)) < 1e-6
        except (TypeError, ValueError):
            return False
    if name in ID_FIELDS:
        return normalise(gold).rstrip(".") == normalise(pred).rstrip(".")
    return fuzz.ratio(normalise(gold), normalise(pred)) >= TEXT_MATCH


@dataclass
class Counts:
    tp: int = 0
    gold: int = 0
    pred: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.pred += other.pred

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Difference:
    kind: str
    key: str
    field: str
    gold: Any
    pred: Any


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    records: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # kind -> (gold, predicted, paired)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total

    def count(self, name: str, counts: Counts) -> None:
        self.fields.setdefault(name, Counts()).add(counts)


def element_title(element: dict) -> str:
    for name in TITLE_FIELDS:
        if not empty(element.get(name)):
            return normalise(element[name])
    return normalise(" ".join(str(v) for v in element.values() if isinstance(v, str)))


def pair(gold: list, pred: list, similarity) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing, best similarity first (ties by position, for stable output)."""
    candidates = sorted(((similarity(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
                        key=lambda c: (-c[0], c[1], c[2]))
    used_gold, used_pred, pairs = set(), set(), []
    for score, i, j in candidates:
        if score <= 0 or i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def string_list_counts(gold: list, pred: list) -> Counts:
    gold = [g for g in gold if not empty(g)]
    pred = [p for p in pred if not empty(p)]
    matched = pair(gold, pred, lambda g, p: fuzz.ratio(normalise(g), normalise(p)) if fuzz.ratio(normalise(g), normalise(p)) >= TEXT_MATCH else 0)
    return Counts(len(matched), len(gold), len(pred))


def score_fields(report: Report, kind: str, key: str, prefix: str, gold: dict, pred: dict) -> None:
    for name in sorted((set(gold) | set(pred)) - IGNORED):
        g, p = gold.get(name), pred.get(name)
        label = f"{prefix}.{name}"
        if empty(g) and empty(p):
            continue
        if isinstance(g, list) or isinstance(p, list):
            g, p = g or [], p or []
            if (g and isinstance(g[0], dict)) or (p and isinstance(p[0], dict)):
                score_elements(report, kind, key, label, g, p)
                continue
            counts = string_list_counts(g, p)
        else:
            counts = Counts(int(not empty(g) and not empty(p) and same_scalar(name, g, p)), int(not empty(g)), int(not empty(p)))
        report.count(label, counts)
        if counts.tp != counts.gold or counts.tp != counts.pred:
            report.differences.append(Difference(kind, key, label, g, p))


def score_elements(report: Report, kind: str, key: str, label: str, gold: list[dict], pred: list[dict]) -> None:
    def similarity(g: dict, p: dict) -> float:
        score = fuzz.ratio(element_title(g), element_title(p))
        return score if score >= PAIR_BY_TITLE else 0

    pairs = pair(gold, pred, similarity)
    for i, j in pairs:
        score_fields(report, kind, f"{key} {label.rsplit('.', 1)[-1]}[{i + 1}]", label, gold[i], pred[j])
    # Unpaired elements are scored against nothing, so their sub-fields count where paired ones do.
    element = label.rsplit(".", 1)[-1]
    for i in sorted(set(range(len(gold))) - {i for i, _ in pairs}):
        score_fields(report, kind, f"{key} {element}[{i + 1}] (missing)", label, gold[i], {})
    for j in sorted(set(range(len(pred))) - {j for _, j in pairs}):
        score_fields(report, kind, f"{key} {element}[+{j + 1}] (spurious)", label, {}, pred[j])


def record_key(kind: str, record: dict) -> str:
    if kind == "statistics":
        return f"value={record.get('value')} {str(record.get('statement') or '')[:60]!r}"
    for name in KEY_FIELDS[kind]:
        if not empty(record.get(name)):
            return f"{name}={record[name]}"
    return "?"


def record_similarity(kind: str):
    id_field = {"measures": "measure_id", "recommendations": "id"}.get(kind)

    def similarity(g: dict, p: dict) -> float:
        if kind == "statistics":
            score = fuzz.token_sort_ratio(normalise(g.get("statement") or ""), normalise(p.get("statement") or ""))
            if score < PAIR_BY_TITLE:
                return 0.0
            same_value = not empty(g.get("value")) and same_scalar("value", g.get("value"), p.get("value"))
            return score + (100.0 if same_value else 0.0)
        if id_field and not empty(g.get(id_field)) and not empty(p.get(id_field)):
            return 1000.0 if same_scalar(id_field, g[id_field], p[id_field]) else 0.0
        score = fuzz.token_sort_ratio(normalise(g.get("title") or ""), normalise(p.get("title") or ""))
        if kind == "announcements" and g.get("date") and g.get("date") == p.get("date"):
            score += 50
        return score if score >= PAIR_BY_TITLE else 0.0

    return similarity


def compare_records(gold: dict, pred: dict, kinds: Iterable[str] = KINDS) -> Report:
    """gold and pred: Records-shaped dicts ({measures: [...], ...})."""
    report = Report()
    for kind in kinds:
        if kind not in gold:
            continue  # the golden says nothing about this kind
        gold_records, pred_records = gold.get(kind) or [], pred.get(kind) or []
        if not gold_records and not pred_records:
            continue
        pairs = pair(gold_records, pred_records, record_similarity(kind))
        report.records[kind] = (len(gold_records), len(pred_records), len(pairs))
        for i, j in pairs:
            score_fields(report, kind, record_key(kind, gold_records[i]), kind, gold_records[i], pred_records[j])
        for i in sorted(set(range(len(gold_records))) - {i for i, _ in pairs}):
            score_fields(report, kind, record_key(kind, gold_records[i]) + " (missing)", kind, gold_records[i], {})
        for j in sorted(set(range(len(pred_records))) - {j for _, j in pairs}):
            score_fields(report, kind, record_key(kind, pred_records[j]) + " (spurious)", kind, {}, pred_records[j])
    return report


def records_of(data: dict) -> dict:
    """Accept a `bilan extract` Document, a golden file, or bare Records."""
    if "records" in data:
        return data["records"]
    return data


def golden_for(golden: dict, extracted: dict) -> dict:
    """The golden's records as the extracted variant should read them: `variant_overrides` whose
    variant path ends the extracted document's source path replace fields of every record of
    their kind."""
    records = records_of(golden)
    source = str(((extracted.get("source") or {}).get("path")) or "").replace("\\", "/")
    for variant, kinds in (golden.get("variant_overrides") or {}).items():
        if not source or not (source == variant or source.endswith("/" + variant)):
            continue
        records = dict(records)
        for kind, values in kinds.items():
            records[kind] = [{**record, **values} for record in records.get(kind) or []]
    return records
