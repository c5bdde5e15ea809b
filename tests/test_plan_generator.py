"""The generator of varied synthetic plan tables (tests/plans/plan_tables.py): every family, typeset
from its ground truth and read back, reaches its target; the generator is deterministic."""
from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import ROOT
from extractors.options import IngestOptions
from extractors.pipeline import file_to_document
from extractors.validation import compare_records

import sys

sys.path.insert(0, str(ROOT / "tests" / "plans"))
from plan_tables import FAMILIES, make  # noqa: E402

BORN_DIGITAL = [f for f in FAMILIES if f != "scan"]


def f1(pdf, golden) -> float:
    document = file_to_document(pdf, IngestOptions(workers=2))
    gold = json.loads(golden.read_text(encoding="utf-8"))["records"]
    return compare_records(gold, document.records.model_dump()).total.f1


@pytest.mark.parametrize("family", BORN_DIGITAL)
@pytest.mark.parametrize("seed", [0, 1])
def test_family_reads_back(family, seed, tmp_path):
    pdf, golden = make(family, seed, tmp_path)
    assert f1(pdf, golden) >= 0.95


@pytest.mark.ocr
def test_scanned_family_reads_back(tmp_path):
    pdf, golden = make("scan", 0, tmp_path)
    assert f1(pdf, golden) >= 0.85


def test_generator_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for out in (first, second):
        make("spans", 3, out)
    for made in sorted(first.iterdir()):
        assert hashlib.sha256(made.read_bytes()).digest() == hashlib.sha256((second / made.name).read_bytes()).digest(), made.name
