"""`bilan repair` and repair inside `bilan extract`, on real inputs and bad ones."""
from __future__ import annotations

import json
import subprocess

from tests.conftest import BILAN, ROOT, run_bilan, seed
from extractors.pipeline import file_to_document
from extractors.options import IngestOptions


def run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BILAN), "repair", "-", *args], input=data, capture_output=True, cwd=ROOT, timeout=120)


def test_repair_file_to_stdout_with_explanations(tmp_path):
    source = seed("000")
    explain = tmp_path / "changes.jsonl"
    done = run_bilan("repair", source, "--explain", explain)
    assert done.returncode == 0, done.stderr
    original = source.read_text(encoding="utf-8")
    assert done.stdout.count("\n") == original.count("\n")
    assert "Pôle de coordination pour l'accès à la" in done.stdout
    lines = original.split("\n")
    changes = [json.loads(line) for line in explain.read_text(encoding="utf-8").splitlines()]
    assert len(changes) > 200
    for change in changes:
        assert set(change) >= {"line", "column", "before", "after", "rule", "score"}
        if "\n" not in change["before"]:
            assert lines[change["line"] - 1][change["column"] :].startswith(change["before"])


def test_repair_stdin_to_output_file(tmp_path):
    out = tmp_path / "out.txt"
    done = run_stdin(seed("000").read_bytes(), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert "ministère" in out.read_text(encoding="utf-8")


def test_repair_leaves_clean_text_identical():
    data = seed("002").read_bytes()
    done = run_stdin(data)
    assert done.returncode == 0 and done.stdout == data


def test_repair_bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run_bilan("repair", empty)
    assert done.returncode == 7 and "empty" in done.stderr

    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    done = run_bilan("repair", binary)
    assert done.returncode == 4 and "binary" in done.stderr

    done = run_bilan("repair", tmp_path / "missing.txt")
    assert done.returncode == 3

    # cp1252 (an old Windows dump): decoded with a stated fallback, then repaired
    legacy = ("Le ministére de l’Éducation " * 40 + "\n").encode("cp1252")
    done = run_stdin(legacy)
    assert done.returncode == 0
    assert b"cp1252" in done.stderr
    assert "l’Éducation".encode() in done.stdout

    english = b"The committee reviewed the annual report and approved the budget for the next fiscal year.\n"
    done = run_stdin(english)
    assert done.returncode == 0 and done.stdout == english and b"does not look like French" in done.stderr


def test_extract_repairs_text_dumps_and_keeps_originals():
    document = file_to_document(seed("000"))
    assert document.repairs and all(r.page == 1 for r in document.repairs)
    page = document.pages[0]
    changed = [w for w in page.words if w.original is not None]
    assert changed and all(w.text != w.original for w in changed)
    assert any(w.original == "ministére" and w.text == "ministère" for w in changed)
    texts = [w.text for w in page.words]
    assert "interministériel" in texts and "tériel" not in texts
    # Lines still point at their words after a hyphen join removed one
    for line in page.lines:
        assert all(0 <= i < len(page.words) for i in line.word_ids)
    assert "Pôle de coordination pour l'accès à la" in page.text


def test_extract_no_repair_and_clean_documents():
    raw = file_to_document(seed("000"), IngestOptions(repair=False))
    assert raw.repairs == [] and all(w.original is None for w in raw.pages[0].words)
    clean = file_to_document(seed("001"))
    assert clean.repairs == []


def test_extract_cli_no_repair_flag(tmp_path):
    out = tmp_path / "doc.json"
    done = run_bilan("extract", seed("000"), "--no-repair", "-o", out)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["repairs"] == []
    done = run_bilan("extract", seed("000"), "-o", out)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["repairs"]) > 200
