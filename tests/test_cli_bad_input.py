"""Bad input: one line naming the file and the problem, a documented exit code, no traceback."""
import json
import shutil

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


# --- exit codes, usage errors, standard input, limits ----------------------------------------------


def test_readme_exit_code_table_is_the_enum():
    from extractors.errors import ExitCode
    from tests.conftest import ROOT

    table = "| code | meaning |\n|---|---|\n" + "".join(f"| {c.value} | {c.meaning} |\n" for c in ExitCode)
    assert table in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, words", [
    (["extract"], "missing argument"),
    (["extract", "x.pdf", "--bogus"], "no such option: --bogus"),
    (["extract", "x.pdf", "--workers", "zero"], "invalid value for '--workers'"),
    (["frobnicate"], "no such command"),
])
def test_usage_errors_are_one_line(args, words):
    result = run_bilan(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bilan: ") and words in lines[0].lower(), result.stderr


def test_query_on_a_missing_folder(tmp_path):
    assert_one_line_error(run_bilan("query", tmp_path / "nowhere", "SELECT 1"), tmp_path / "nowhere",
                          ["no such folder"], 3)
    assert_one_line_error(run_bilan("query", tmp_path, "SELECT 1"), tmp_path, ["no dataset"], 3)


def test_extract_reads_standard_input(tmp_path):
    from tests.conftest import seed

    data = seed("003").read_bytes()
    result = run_bilan("extract", "-", "--ocr", "never", input=data.decode("utf-8"))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["source"]["path"] == "-" and document["status"] == "success"
    assert all(a["provenance"]["file"] == "-" for a in document["records"]["announcements"])
    from_file = json.loads(run_bilan("extract", seed("003"), "--ocr", "never").stdout)
    assert document["pages"] == from_file["pages"] and document["source"]["sha256"] == from_file["source"]["sha256"]
    empty = run_bilan("extract", "-", input="")
    assert empty.returncode == 4 and len(empty.stderr.strip().splitlines()) == 1


def test_extract_page_progress_and_quiet():
    plan = committed(CORPUS / "001_plan.pdf")
    verbose = run_bilan("extract", plan, "--ocr", "never", "-v")
    assert verbose.returncode == 0
    assert [line.split(" (")[0] for line in verbose.stderr.splitlines()] == [
        f"bilan: page {n}/4 read" for n in range(1, 5)]
    scan = committed(CORPUS / "001_plan_scan.pdf")
    warned = run_bilan("extract", scan, "--ocr", "never", "--pages", "1")
    assert "warning" in warned.stderr
    quiet = run_bilan("extract", scan, "--ocr", "never", "--pages", "1", "-q")
    assert quiet.stderr == "" and quiet.returncode == warned.returncode == 0


def write_pdf_claiming(path, count: int) -> None:
    """A valid one-page PDF whose page tree says it has `count` pages."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    data, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(data))


def test_a_pdf_claiming_a_million_pages_is_refused(tmp_path):
    path = tmp_path / "million.pdf"
    write_pdf_claiming(path, 999_999)
    out = tmp_path / "out.json"
    result = run_bilan("extract", path, "-o", out)
    assert_one_line_error(result, path, ["999999 pages", "--max-pages"], 8)
    assert not out.exists()
    batch = run_bilan("batch", tmp_path, "-o", tmp_path / "batch", "--workers", "1")
    assert batch.returncode == 12 and "failed: million.pdf: 999999 pages, above the limit of 10000" in batch.stdout
    assert (tmp_path / "batch" / "documents" / "million.pdf.json").stat().st_size < 10_000


def test_output_size_limit(tmp_path):
    from tests.conftest import seed

    source = seed("000")
    result = run_bilan("extract", source, "--ocr", "never", "--max-output-mb", "1", "-o", tmp_path / "out.json")
    assert_one_line_error(result, source, ["mb", "--max-output-mb"], 8)
    shutil.copy(source, tmp_path / "rapport.txt")
    batch = run_bilan("batch", tmp_path, "-o", tmp_path / "batch", "--max-output-mb", "1", "--workers", "1")
    assert batch.returncode == 12 and "failed: rapport.txt: its JSON would be" in batch.stdout
