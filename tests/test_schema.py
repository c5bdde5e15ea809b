import pytest
from pydantic import ValidationError

from schemas import Word
from schemas.export import SCHEMA_DIR, render_schemas
from tests.conftest import run_bilan


def test_committed_json_schemas_match_the_models():
    for name, text in render_schemas().items():
        path = SCHEMA_DIR / name
        assert path.exists(), f"{path} missing: run `bilan schema`"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `bilan schema`"


def test_schema_check_command_detects_staleness(tmp_path):
    assert run_bilan("schema", "--out", tmp_path).returncode == 0
    assert run_bilan("schema", "--check", "--out", tmp_path).returncode == 0
    (tmp_path / "document.schema.json").write_text("{}", encoding="utf-8")
    result = run_bilan("schema", "--check", "--out", tmp_path)
    assert result.returncode == 1 and "stale" in result.stderr


def test_models_are_frozen():
    word = Word(text="Pôle", origin="text")
    with pytest.raises(ValidationError):
        word.text = "Pole"
    with pytest.raises(ValidationError):
        Word(text="x", origin="ocr", confidence=140)
