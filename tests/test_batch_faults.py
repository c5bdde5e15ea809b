"""bilan batch under faults: every failure of one input is that document's status, never the run's;
a write failure is a non-zero exit that keeps the previous dataset; workers die with the batch."""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.batch.run import run_batch, settings_key
from extractors.batch.workers import TaskFault, WorkerPool
from extractors.options import IngestOptions
from tests.conftest import BILAN, CORPUS, ROOT, run_bilan, seed

TEXT_ONLY = IngestOptions(ocr="never")


def statuses(out: Path) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(out / "bilan.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT d.doc_id, d.status, coalesce(min(e.message), '') FROM documents d "
                           "LEFT JOIN errors e ON e.doc_id = d.doc_id AND e.level = 'error' "
                           "GROUP BY ALL ORDER BY d.doc_id").fetchall()
    return {doc_id: (status, message) for doc_id, status, message in rows}


@pytest.fixture()
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("003"), folder / "communiques.txt")
    return folder


# --- entries that cannot be read ----------------------------------------------------------------


def test_special_and_broken_entries_are_their_own_documents(folder, tmp_path):
    os.mkfifo(folder / "pipe.txt")  # read, it would block the batch forever
    (folder / "dangling.pdf").symlink_to(folder / "gone.pdf")
    (folder / "loop_a.pdf").symlink_to(folder / "loop_b.pdf")
    (folder / "loop_b.pdf").symlink_to(folder / "loop_a.pdf")
    out = tmp_path / "out"
    result = run_bilan("batch", folder, "-o", out, "--ocr", "never", "--workers", "2", timeout=300)
    assert result.returncode == 12, result.stderr
    assert result.stdout.splitlines()[0].endswith("1 ok, 0 partial, 3 failed, 1 skipped")
    found = statuses(out)
    assert found["communiques.txt"][0] == "success"
    assert found["pipe.txt"][0] == "skipped"
    assert found["dangling.pdf"] == ("failed", f"broken symbolic link (to {folder / 'gone.pdf'})")
    assert found["loop_a.pdf"] == found["loop_b.pdf"] == ("failed", "symbolic link loop")
    assert "Traceback" not in result.stderr


def test_unreadable_file_fails_alone(folder, tmp_path, monkeypatch):
    """No permission to read one file: that document failed, the others are read."""
    secret = folder / "secret.txt"
    secret.write_text("Le Pôle de coordination", encoding="utf-8")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads everything: the refusal any other user gets, injected
        real_open = os.open

        def refusing(path, flags, *args, **kwargs):
            if Path(path) == secret:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing)
    summary = run_batch(folder, tmp_path / "out", TEXT_ONLY, executor="inline")
    monkeypatch.undo()
    assert [(o.doc_id, o.status, o.reason) for o in summary.outcomes] == [
        ("communiques.txt", "success", ""), ("secret.txt", "failed", "cannot read: Permission denied")]
    assert statuses(tmp_path / "out")["secret.txt"] == ("failed", "cannot read: Permission denied")


# --- the worker pool -----------------------------------------------------------------------------


def test_pool_fails_only_the_task_whose_worker_dies_or_runs_out_of_time():
    # Functions of the standard library: a worker starts running them at once (a function of this
    # module would first import it, and its imports, in the worker: seconds of the time limit).
    results = {}
    with WorkerPool(2, timeout=3) as pool:
        tasks = [("a", abs, (-1,)), ("killed", os.abort, ()), ("b", abs, (-2,)),
                 ("stuck", time.sleep, (60,)), ("c", abs, (-3,))]
        started = time.monotonic()
        while tasks or pool.busy:
            while tasks and pool.idle:
                step, function, args = tasks.pop(0)
                pool.submit(step, function, args)
            for step, result in pool.wait():
                results[step] = result
        assert time.monotonic() - started < 30
    assert results["a"] == 1 and results["b"] == 2 and results["c"] == 3
    assert results["killed"] == TaskFault("the worker process reading it was killed by SIGABRT")
    assert results["stuck"] == TaskFault("stopped after 3 s (--timeout-per-doc)")


def test_workers_do_not_run_the_main_script_again(tmp_path):
    """A spawned worker runs its parent's main script again unless told otherwise; `bilan`'s is the
    whole command line (~0.2 CPU-s a worker), so WorkerPool starts its workers without it."""
    marks = tmp_path / "imported"
    script = tmp_path / "main_script.py"
    script.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"open({str(marks)!r}, 'a').write(__name__ + '\\n')\n"
        "from extractors.batch.workers import WorkerPool\n"
        "if __name__ == '__main__':\n"
        "    with WorkerPool(1) as pool:\n"
        "        while not pool.idle:\n"
        "            pool.wait()\n"
        "        pool.submit('pid', os.getpid, ())\n"
        "        print(pool.wait())\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "('pid', " in done.stdout
    assert marks.read_text().split() == ["__main__"]  # not "__mp_main__" too


def test_copy_atomic_links_and_leaves_no_temporary(tmp_path, monkeypatch):
    from extractors.atomic import copy_atomic, write_text_atomic

    source = write_text_atomic(tmp_path / "a" / "doc.json", "{}")
    target = copy_atomic(source, tmp_path / "b" / "doc.json")
    assert target.read_text() == "{}" and os.path.samefile(source, target)
    copy_atomic(target, source)  # both names one file already: rename() does nothing
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "doc.json", "doc.json"]

    def no_links(*args):
        raise OSError(errno.EXDEV, "cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    copied = copy_atomic(source, tmp_path / "c" / "doc.json")
    assert copied.read_text() == "{}" and not os.path.samefile(source, copied)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.ocr
def test_a_killed_worker_fails_its_page_and_the_batch_goes_on(folder, tmp_path):
    shutil.copy(CORPUS / "001_plan_scan.pdf", folder / "scan.pdf")  # 4 pages to OCR, one task each
    out = tmp_path / "out"
    # The command-line engine, so that a worker reading a page shows as the parent of a `tesseract`
    # process (the warm library engine reads inside the worker, where nothing tells it from idle).
    process = subprocess.Popen([str(BILAN), "batch", str(folder), "-o", str(out), "--workers", "2", "--no-repair"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "OMP_THREAD_LIMIT": "1", "BILAN_OCR_ENGINE": "cli"})
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline and process.poll() is None:
        for worker in children(process.pid):
            # Tesseract reading a page (not `tesseract --list-langs`, which triage runs)
            if any(command_of(c).startswith("tesseract") and "tsv" in command_of(c) for c in children(worker)):
                victim = worker
                break
        time.sleep(0.05)
    assert victim is not None, "no worker was seen running Tesseract"
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 10, stderr  # the scan is partial, nothing failed
    found = statuses(out)
    assert found["communiques.txt"][0] == "success"
    status, message = found["scan.pdf"]
    assert status == "partial" and message == "the worker process reading it was killed by SIGKILL (out of memory?)"


def stacked_scan(path: Path) -> None:
    """The four pages of a corpus scan one under the other, as one tall image: one OCR task that
    takes several times as long as any page (the text document beside it takes a fraction of one)."""
    import pypdfium2 as pdfium
    from PIL import Image

    with pdfium.PdfDocument(str(CORPUS / "001_plan_scan.pdf")) as pdf:
        pages = [pdf[i].render(scale=300 / 72, grayscale=True).to_pil() for i in range(len(pdf))]
    tall = Image.new("L", (max(p.width for p in pages), sum(p.height for p in pages)), 255)
    top = 0
    for page in pages:
        tall.paste(page, (0, top))
        top += page.height
    tall.save(path, dpi=(300, 300))


@pytest.mark.ocr
def test_time_limit_fails_the_slow_document_only(folder, tmp_path):
    stacked_scan(folder / "scan.png")
    out = tmp_path / "out"
    result = run_bilan("batch", folder, "-o", out, "--workers", "2", "--timeout-per-doc", "4", "--no-repair",
                       timeout=300)
    assert result.returncode == 12 and "Traceback" not in result.stderr, result.stderr
    found = statuses(out)
    assert found["communiques.txt"][0] == "success"
    assert found["scan.png"] == ("failed", "stopped after 4 s (--timeout-per-doc)")


def all_gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(p) for p in pids)


def test_workers_die_with_the_batch_process(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):  # enough work to keep both workers busy for a while
        shutil.copy(seed("000"), folder / f"{i}.txt")
    process = subprocess.Popen([str(BILAN), "batch", str(folder), "-o", str(tmp_path / "out"), "--workers", "2"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers = []
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = [c for c in children(process.pid) if alive(c)]
        time.sleep(0.05)
    assert len(workers) >= 2  # the two workers (and multiprocessing's resource tracker)
    process.kill()  # kill -9: the batch cannot stop them itself
    process.wait()
    assert all_gone(workers)


def test_interrupted_batch_says_how_to_resume(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        shutil.copy(seed("000"), folder / f"{i}.txt")
    process = subprocess.Popen([str(BILAN), "batch", str(folder), "-o", str(tmp_path / "out"), "--workers", "2"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len([c for c in children(process.pid) if alive(c)]) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        "bilan: interrupted; the documents done are kept: run the same command with --resume to continue")
    assert all_gone(workers)


# --- writing the dataset -------------------------------------------------------------------------


def limit_file_size(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_keeps_the_previous_dataset_and_fails_the_run(folder, tmp_path):
    """A file-size limit (what a nearly full disk does to one write) that the documents' JSON fits
    under but the DuckDB file does not: exit 9, one line, the previous dataset intact."""
    out = tmp_path / "out"
    first = run_bilan("batch", folder, "-o", out, "--ocr", "never", "--workers", "1")
    assert first.returncode == 0, first.stderr
    before = statuses(out)
    shutil.copy(seed("001"), folder / "plan.txt")
    json_size = len(run_bilan("extract", folder / "plan.txt", "--ocr", "never").stdout.encode())
    duckdb_size = (out / "bilan.duckdb").stat().st_size
    limit = max(json_size, 400_000) + 100_000
    assert limit < duckdb_size
    result = subprocess.run([str(BILAN), "batch", str(folder), "-o", str(out), "--ocr", "never", "--workers", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size(limit))
    assert result.returncode == 9, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert "cannot write the dataset" in lines[-1] and "the previous one is kept" in lines[-1]
    assert "Traceback" not in result.stderr
    assert (out / "documents" / "plan.txt.json").exists()  # the document was written
    assert statuses(out) == before  # the dataset is the previous one, whole
    assert [p.name for p in (out / ".datasets").iterdir()] == [os.readlink(out / "dataset").split("/")[-1]]
    again = run_bilan("batch", folder, "-o", out, "--ocr", "never", "--workers", "1")
    assert again.returncode == 0 and set(statuses(out)) == {"communiques.txt", "plan.txt"}


def test_a_dataset_that_does_not_read_back_is_not_swapped_in(folder, tmp_path, monkeypatch):
    """Injected fault: the DuckDB file is written empty (as a failed checkpoint left it)."""
    import extractors.batch.dataset as dataset

    out = tmp_path / "out"
    run_batch(folder, out, TEXT_ONLY, executor="inline")
    before = statuses(out)
    real = dataset.write_files

    def lossy(tables, staging):
        real(tables, staging)
        (staging / "bilan.duckdb").unlink()
        duckdb.connect(str(staging / "bilan.duckdb")).close()

    monkeypatch.setattr(dataset, "write_files", lossy)
    shutil.copy(seed("001"), folder / "plan.txt")
    from extractors.errors import OutputError

    with pytest.raises(OutputError, match="does not read back: DuckDB table documents has no rows"):
        run_batch(folder, out, TEXT_ONLY, executor="inline")
    assert statuses(out) == before


# --- the dataset ---------------------------------------------------------------------------------


def test_dataset_tables_ids_runs_and_csv(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for prefix, name in (("000", "rapport.txt"), ("003", "communiques.txt"), ("004", "avis.txt")):
        shutil.copy(seed(prefix), folder / name)
    out = tmp_path / "out"
    options = IngestOptions(ocr="never", repair=False)  # repair is not what this test is about
    run_batch(folder, out, options, executor="inline")
    with duckdb.connect(str(out / "bilan.duckdb"), read_only=True) as con:
        def rows(sql):
            return con.execute(sql).fetchall()

        counts = dict(rows("SELECT doc_id, n_announcements FROM documents"))
        assert counts["communiques.txt"] >= 1
        assert rows("SELECT count(*) FROM announcements")[0][0] == sum(counts.values())
        assert rows("SELECT count(*) FROM recommendations WHERE doc_id = 'avis.txt'")[0][0] >= 1
        assert rows("SELECT count(*) FROM page_texts WHERE doc_id = 'communiques.txt' AND text LIKE '%ministre%'")[0][0] == 1
        sha = rows("SELECT sha256 FROM documents WHERE doc_id = 'rapport.txt'")[0][0]
        ids = [r[0] for r in rows("SELECT record_id FROM measures WHERE doc_id = 'rapport.txt' ORDER BY position")]
        assert ids[:2] == [f"{sha[:16]}-measure-0", f"{sha[:16]}-measure-1"]
        assert rows("SELECT count(*) FROM indicators i JOIN measures m ON i.measure_record_id = m.record_id")[0][0] == \
            rows("SELECT count(*) FROM indicators")[0][0] > 0
        [run] = rows("SELECT settings_key, bilan, tesseract, tessdata, hunspell_fr, options, documents FROM runs")
        assert run[6] == 3 and json.loads(run[5])["ocr"] == "never" and json.loads(run[3])
        assert run[0] == settings_key(options)
        reserved = {k for (k,) in rows("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'")}
        columns = rows("SELECT table_name, column_name FROM duckdb_columns()")
    assert not [c for c in columns if c[1].lower() in reserved]
    # the same file gives the same ids in another run, under another name
    again = tmp_path / "again"
    shutil.copytree(folder, again)
    (again / "rapport.txt").rename(again / "renamed.txt")
    run_batch(again, tmp_path / "out2", options, executor="inline")
    with duckdb.connect(str(tmp_path / "out2" / "bilan.duckdb"), read_only=True) as con:
        assert [r[0] for r in con.execute("SELECT record_id FROM measures WHERE doc_id = 'renamed.txt' "
                                          "ORDER BY position").fetchall()] == ids
    # CSV: a file per table, lists as JSON arrays
    with (out / "csv" / "measures.csv").open(encoding="utf-8-sig") as handle:
        import csv

        first = next(csv.DictReader(handle))
    assert isinstance(json.loads(first["lead"]), list)
    assert (out / "measures.csv").read_bytes() == (out / "csv" / "measures.csv").read_bytes()


def test_cache_key_follows_versions_and_data(monkeypatch):
    import extractors.batch.provenance as provenance

    key = settings_key(TEXT_ONLY)
    assert settings_key(TEXT_ONLY) == key
    assert settings_key(IngestOptions(ocr="never", dpi=200)) != key
    facts = provenance.tesseract_facts("fra+eng")
    monkeypatch.setattr(provenance, "tesseract_facts", lambda lang: {**facts, "tesseract": "tesseract 6.0.0"})
    assert settings_key(TEXT_ONLY) != key
    monkeypatch.undo()
    monkeypatch.setattr(provenance, "dictionary_facts", lambda: {"hunspell_fr": "other"})
    assert settings_key(TEXT_ONLY) != key


def test_query_is_read_only_and_offline(folder, tmp_path):
    out = tmp_path / "out"
    run_batch(folder, out, TEXT_ONLY, executor="inline")
    parquet = (out / "parquet" / "documents.parquet").read_bytes()
    for sql in (f"COPY documents TO '{out / 'parquet' / 'documents.parquet'}' (FORMAT parquet)",
                f"COPY documents TO '{tmp_path / 'leak.csv'}'",
                "SELECT * FROM read_csv('/etc/passwd')",
                "INSTALL spatial", "LOAD httpfs",
                "SET enable_external_access = true",
                "DROP TABLE documents"):
        result = run_bilan("query", out, sql)
        assert result.returncode == 2, (sql, result.stdout)
        assert len(result.stderr.strip().splitlines()) == 1 and "SQL error" in result.stderr, result.stderr
    assert (out / "parquet" / "documents.parquet").read_bytes() == parquet
    assert not (tmp_path / "leak.csv").exists()
    ok = run_bilan("query", out, "SELECT count(*) AS n FROM documents")
    assert ok.returncode == 0 and ok.stdout.splitlines() == ["n", "1"]


def test_query_help_and_readme_name_every_table():
    """A table added to extractors/batch/tables.py is named where users look for it."""
    import re

    from extractors.batch.tables import table_names
    from tests.conftest import ROOT

    cli = (ROOT / "extractors" / "cli.py").read_text(encoding="utf-8")
    assert re.search(r"SQL on the tables ([^.]*)\.", cli).group(1).split(", ") == table_names()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in table_names())
