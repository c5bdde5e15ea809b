"""The documented Python API (extractors/__init__.py, README): the four functions on real inputs."""
from __future__ import annotations

import extractors
from tests.conftest import CORPUS, ROOT


def test_extract_then_validate_against_the_golden():
    document = extractors.extract(CORPUS / "001_plan.pdf", workers=1)
    assert document.status == "success" and len(document.records.measures) == 6
    report = extractors.validate(document, ROOT / "golden" / "001_action_plan.json")
    assert report.total.f1 >= 0.95


def test_repair_text_explains_its_changes():
    damaged = next((CORPUS / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    result = extractors.repair_text(damaged)
    changes = {(r.before, r.after) for r in result.repairs}
    assert {("ceuvre", "œuvre"), ("Péle", "Pôle"), ("ministére", "ministère")} <= changes
    assert "mise en œuvre" in result.text and "ceuvre" not in result.text


def test_run_batch_writes_the_dataset(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "plan.txt").write_bytes((CORPUS / "seeds").glob("001_*.txt").__next__().read_bytes())
    summary = extractors.run_batch(source, tmp_path / "out", workers=1)
    assert summary.count("success") == 1
    assert (tmp_path / "out" / "bilan.duckdb").exists()
