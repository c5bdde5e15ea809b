"""Bad input: one line naming the file and the problem, a documented exit code, no traceback."""
import json

import pytest

from tests.conftest import CORPUS, committed, run_bilan

BAD = CORPUS / "bad"


def assert_one_line_error(result, path, words, code):
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in lines[0]
    for word in words:
        assert word in lines[0].lower()


@pytest.mark.parametrize(
    "name, words, code",
    [
        ("truncated.pdf", ["corrupt"], 5),
        ("not_a_pdf.pdf", ["not a pdf"], 4),
        ("encrypted.pdf", ["encrypted", "--password"], 6),
        ("zero_pages.pdf", ["no pages"], 7),
        ("huge.png", ["pixels"], 8),
        ("empty.txt", ["empty"], 4),
        ("binary.txt", ["binary"], 4),
    ],
)
def test_bad_corpus_files(name, words, code):
    path = committed(BAD / name)
    result = run_bilan("extract", path)
    assert_one_line_error(result, path, words, code)
    assert result.stdout == ""


def test_missing_file():
    assert_one_line_error(run_bilan("extract", "absent.pdf"), "absent.pdf", ["no such file"], 3)


def test_folder_given_instead_of_file(tmp_path):
    assert_one_line_error(run_bilan("extract", tmp_path), tmp_path, ["folder"], 4)


def test_bad_pages_option(tmp_path):
    dump = tmp_path / "a.txt"
    dump.write_text("un\fdeux", encoding="utf-8")
    result = run_bilan("extract", dump, "--pages", "5-3")
    assert result.returncode == 2 and "--pages" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_loses_nothing(tmp_path):
    dump = tmp_path / "a.txt"
    dump.write_text("Le Pôle", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_bilan("extract", dump, "-o", blocker / "out.json")
    assert result.returncode == 9 and "cannot write" in result.stderr
    assert blocker.read_text() == "x"


def test_encrypted_pdf_opens_with_password(tmp_path):
    path = committed(BAD / "encrypted.pdf")
    out = tmp_path / "out.json"
    result = run_bilan("extract", path, "--password", "secret", "-o", out, "--pages", "1")
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    assert document["status"] == "success" and document["pages"][0]["words"]
    wrong = run_bilan("extract", path, "--password", "wrong")
    assert wrong.returncode == 6 and "password" in wrong.stderr


def test_output_is_written_atomically_and_is_valid_json(tmp_path):
    dump = tmp_path / "a.txt"
    dump.write_text("Le Pôle de coordination", encoding="utf-8")
    out = tmp_path / "sub" / "out.json"
    result = run_bilan("extract", dump, "-o", out)
    assert result.returncode == 0
    assert json.loads(out.read_text())["pages"][0]["lines"][0]["text"] == "Le Pôle de coordination"
    assert [p.name for p in out.parent.iterdir()] == ["out.json"]  # no temp file left behind
