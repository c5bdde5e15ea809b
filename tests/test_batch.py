"""bilan batch: per-document status, resume after kill -9, identical datasets across executors."""
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import time

import duckdb
import pytest

from extractors.batch.run import run_batch
from extractors.batch.tables import table_names
from extractors.options import IngestOptions
from tests.conftest import BILAN, CORPUS, ROOT, run_bilan

TABLES = table_names()  # every table of the dataset, runs included


@pytest.fixture()
def publications(tmp_path):
    """A small publications folder: text dumps, HTML, born-digital PDFs in a sub-folder, bad files."""
    folder = tmp_path / "publications"
    (folder / "plans").mkdir(parents=True)
    for name in ("000_26e5804148e3a3ac.txt", "003_ff4d22469fb54aa4.txt"):
        shutil.copy(CORPUS / "seeds" / name, folder / name)
    shutil.copy(CORPUS / "001_page.html", folder / "001_page.html")
    shutil.copy(CORPUS / "001_plan.pdf", folder / "plans" / "001_plan.pdf")
    shutil.copy(CORPUS / "003_communiques.pdf", folder / "plans" / "003_communiques.pdf")
    shutil.copy(CORPUS / "bad" / "truncated.pdf", folder / "plans" / "truncated.pdf")
    shutil.copy(CORPUS / "bad" / "not_a_pdf.pdf", folder / "not_a_pdf.pdf")
    (folder / "notes.md").write_text("# notes de travail, pas une publication", encoding="utf-8")
    return folder


def dataset(out):
    with duckdb.connect(str(out / "bilan.duckdb"), read_only=True) as con:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in TABLES}


def test_batch_statuses_outputs_and_summary(publications, tmp_path):
    out = tmp_path / "out"
    result = run_bilan("batch", publications, "-o", out, "--ocr", "never", "--workers", "2")
    assert result.returncode == 12, result.stderr  # one document failed
    assert "7 documents (" in result.stdout
    summary = result.stdout.splitlines()[0]
    assert summary.endswith("5 ok, 0 partial, 1 failed, 1 skipped"), summary
    assert "failed: plans/truncated.pdf: truncated or corrupt" in result.stdout
    assert "ignored 1 files that are not publications (.md)" in result.stdout
    columns = ["doc_id", "path", "sha256", "kind", "page_count", "pages_read", "status"]
    statuses = {row[0]: row[columns.index("status")] for row in dataset(out)["documents"]}
    assert statuses["not_a_pdf.pdf"] == "skipped" and statuses["plans/truncated.pdf"] == "failed"
    assert (out / "documents" / "plans" / "001_plan.pdf.json").exists()
    assert json.loads((out / "documents" / "001_page.html.json").read_text())["source"]["kind"] == "html"
    assert (out / "parquet" / "measures.parquet").exists() and (out / "measures.csv").exists()
    query = run_bilan("query", out, "SELECT count(*) FROM pages WHERE origin = 'text-layer'")
    assert query.returncode == 0 and query.stdout.splitlines()[1] == "11"  # 4 + 7 born-digital pages


def test_exclude_globs_leave_files_out(publications, tmp_path):
    summary = run_batch(publications, tmp_path / "out", IngestOptions(ocr="never"), exclude=["plans/*", "*.html"])
    assert [o.doc_id for o in summary.outcomes] == ["000_26e5804148e3a3ac.txt", "003_ff4d22469fb54aa4.txt", "not_a_pdf.pdf"]
    assert summary.ignored == ["notes.md"]


def test_rerun_skips_unchanged_inputs(publications, tmp_path):
    out = tmp_path / "out"
    options = IngestOptions(ocr="never")
    first = run_batch(publications, out, options, workers=1)
    assert not any(o.cached for o in first.outcomes)
    second = run_batch(publications, out, options, workers=1)
    # the failed document is cached too (the file is bad, not the machine)
    assert all(o.cached for o in second.outcomes)
    (publications / "003_ff4d22469fb54aa4.txt").write_text("Un communiqué modifié.", encoding="utf-8")
    third = run_batch(publications, out, options, workers=1)
    assert [o.doc_id for o in third.outcomes if not o.cached] == ["003_ff4d22469fb54aa4.txt"]


def test_killed_batch_resumes_to_the_same_dataset(publications, tmp_path):
    reference = tmp_path / "reference"
    run_batch(publications, reference, IngestOptions(ocr="never"), workers=1)
    out = tmp_path / "killed"
    process = subprocess.Popen([str(BILAN), "batch", str(publications), "-o", str(out), "--ocr", "never", "--workers", "1"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "documents").rglob("*.json"))) < 2:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((out / "documents").rglob("*.json")))
    assert 2 <= done_before < 7, "the kill should land mid-run"
    assert not (out / "bilan.duckdb").exists()
    resumed = run_bilan("batch", publications, "-o", out, "--ocr", "never", "--resume", "--workers", "1")
    assert resumed.returncode == 12
    assert dataset(out) == dataset(reference)
    assert len(list((out / "documents").rglob("*.json"))) == 7
    assert not list(out.rglob("*.tmp"))


def test_dask_local_cluster_gives_the_local_dataset(publications, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local"
    run_batch(publications, local, IngestOptions(ocr="never"), workers=2)
    with distributed.LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        summary = run_batch(publications, on_dask, IngestOptions(ocr="never"), executor="dask", scheduler=cluster.scheduler_address)
    assert summary.count("failed") == 1
    assert dataset(on_dask) == dataset(local)


def test_unwritable_output_folder(publications, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_bilan("batch", publications, "-o", blocker / "out")
    assert result.returncode == 9 and "not writable" in result.stderr and "Traceback" not in result.stderr


def test_half_written_files_of_a_killed_run_are_cleared(publications, tmp_path):
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    stale = out / "documents" / ".001_page.html.json.k3j2.tmp"
    stale.write_text('{"source": ')  # what kill -9 leaves in the middle of an atomic write
    run_batch(publications, out, IngestOptions(ocr="never"), exclude=["plans/*"])
    assert not stale.exists()


def test_two_batches_cannot_write_the_same_folder(publications, tmp_path):
    from extractors.batch.run import exclusive
    from extractors.errors import OutputError

    out = tmp_path / "out"
    with exclusive(out):
        with pytest.raises(OutputError, match="another bilan batch"):
            run_batch(publications, out, IngestOptions(ocr="never"))


def test_outputs_are_the_bytes_of_single_document_extraction(publications, tmp_path):
    """documents/*.json hold exactly what extracting the file alone gives (validated, indented), the
    Parquet files exactly what the documents' rows give, fresh or from the cache, a copy of a file
    under another name included (the batch process no longer parses or holds Documents)."""
    import io

    import pyarrow.parquet as pq

    from extractors.batch.dataset import collect
    from extractors.errors import BilanError
    from extractors.pipeline import file_to_document
    from schemas import Document

    shutil.copy(publications / "not_a_pdf.pdf", publications / "plans" / "same_bytes.pdf")
    out = tmp_path / "out"
    options = IngestOptions(ocr="never")
    first = run_batch(publications, out, options, workers=2)
    documents = {p.relative_to(out / "documents").as_posix()[:-5]: p.read_bytes()
                 for p in (out / "documents").rglob("*.json")}
    assert sorted(documents) == [o.doc_id for o in first.outcomes]
    expected = {}
    for doc_id in sorted(documents):
        try:
            document = file_to_document(publications / doc_id, options.model_copy(update={"workers": 1}))
        except BilanError:  # failed and skipped files: the batch's own record, checked by status
            document = Document.model_validate_json(documents[doc_id])
            assert document.status in ("failed", "skipped") and document.source.path == str(publications / doc_id)
        expected[doc_id] = Document.model_validate_json(document.model_dump_json())
        assert documents[doc_id].decode() == expected[doc_id].model_dump_json(indent=1) + "\n", doc_id
    for name, table in collect(expected.items()).items():
        if name == "runs":  # not from the documents: tests/test_batch_faults.py
            continue
        written = io.BytesIO()
        pq.write_table(table, written)
        assert (out / "parquet" / f"{name}.parquet").read_bytes() == written.getvalue(), name
    parquet = {p.name: p.read_bytes() for p in (out / "parquet").glob("*.parquet")}

    second = run_batch(publications, out, options, workers=2)
    assert all(o.cached for o in second.outcomes) and second.outcomes == [
        dataclasses.replace(o, cached=True) for o in first.outcomes]
    assert {p.relative_to(out / "documents").as_posix()[:-5]: p.read_bytes()
            for p in (out / "documents").rglob("*.json")} == documents
    assert {p.name: p.read_bytes() for p in (out / "parquet").glob("*.parquet")} == parquet


def fake_ocr(job):
    """A stand-in for Tesseract: a few words per page, page 2 fails and page 4 reads nothing."""
    from extractors.ocr.jobs import OcrResult
    from schemas import Word

    if job.number == 2:
        return OcrResult(number=job.number, error="tesseract exited with 1: fake failure")
    words = [] if job.number == 4 else [
        Word(text=text, bbox=(72.0 + 60 * i, 100.0, 120.0 + 60 * i, 112.0), confidence=91.0, origin="ocr")
        for i, text in enumerate(["Mesure", f"{job.number}", "réalisée", "en", "2024"])]
    return OcrResult(number=job.number, width=595.0, height=842.0, words=words)


def test_planned_scan_merges_pages_errors_and_status_like_whole_extraction(tmp_path, monkeypatch):
    """A scan planned, its OCR pages read as separate tasks, finishes into the Document extraction
    gives in one go: page order, the failed page's error, the empty page's warning, status partial."""
    import pickle

    import extractors.ocr.jobs
    from extractors.batch.run import make_tasks
    from extractors.batch.pages import Planned, as_done, finish_one, plan_one
    from extractors.pipeline import file_to_document

    monkeypatch.setattr(extractors.ocr.jobs, "ocr_job", fake_ocr)
    shutil.copy(CORPUS / "001_plan_scan.pdf", tmp_path / "scan.pdf")
    (task,) = make_tasks([tmp_path / "scan.pdf"], tmp_path)
    options = IngestOptions(workers=1)
    whole = as_done(task, file_to_document(task.path, options), True)
    planned = plan_one(task, options.model_dump_json())
    assert isinstance(planned, Planned) and [job.number for job in planned.jobs] == [1, 2, 3, 4]
    pages = [pickle.dumps((0, fake_ocr(job))) for job in reversed(planned.jobs)][::-1]
    finished = finish_one(task, pickle.loads(pickle.dumps(planned.plan)), pages)  # as a worker gets it
    assert finished.text == whole.text
    assert (finished.status, finished.pages, finished.reason) == ("partial", 3, "tesseract exited with 1: fake failure")
    document = json.loads(finished.text)
    assert [p["number"] for p in document["pages"]] == [1, 3, 4]
    assert [(e["page"], e["level"]) for e in document["errors"]] == [(2, "error"), (4, "warning")]
    # a lone page to OCR is not worth tasks of its own
    single = plan_one(task, IngestOptions(workers=1, pages="3").model_dump_json())
    assert not isinstance(single, Planned) and json.loads(single.text)["pages"][0]["number"] == 3


@pytest.mark.ocr
def test_one_scan_is_read_by_every_worker_and_gives_the_whole_document(tmp_path):
    """A batch of ONE multi-page scan: its pages are OCR'd by both workers (each page is a task),
    locally and on Dask, and the document is byte for byte the one whole-document extraction gives."""
    from extractors.batch.run import make_tasks
    from extractors.batch.pages import as_done, run_local
    from extractors.pipeline import file_to_document

    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(CORPUS / "001_plan_scan.pdf", folder / "scan.pdf")
    options = IngestOptions(workers=1)
    (task,) = make_tasks([folder / "scan.pdf"], folder)
    whole = as_done(task, file_to_document(task.path, options), True)
    assert whole.status == "success" and whole.pages == 4
    [(_, done)] = list(run_local([task], options.model_dump_json(), workers=2))
    assert done.text == whole.text
    assert len(done.page_pids) == 4 and len(set(done.page_pids)) == 2 and os.getpid() not in done.page_pids

    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = run_batch(folder, tmp_path / "dask", IngestOptions(), executor="dask", scheduler=cluster.scheduler_address)
    assert summary.count("success") == 1
    assert (tmp_path / "dask" / "documents" / "scan.pdf.json").read_text(encoding="utf-8") == whole.text


def test_copies_are_read_once_and_each_names_itself(tmp_path, monkeypatch):
    """Two files with the same bytes are extracted once and share one cache entry; each copy's
    JSON is what extracting it alone gives (its records' provenance naming the copy, not the
    other file), and a rerun from the cache writes the same bytes."""
    import extractors.batch.pages
    from extractors.pipeline import file_to_document, plan_document

    folder = tmp_path / "publications"
    (folder / "copie").mkdir(parents=True)
    shutil.copy(CORPUS / "seeds" / "001_d6fa14bbe54c387b.txt", folder / "plan.txt")
    shutil.copy(CORPUS / "seeds" / "001_d6fa14bbe54c387b.txt", folder / "copie" / "plan.txt")
    out = tmp_path / "out"
    options = IngestOptions(ocr="never")
    read = []
    monkeypatch.setattr(extractors.batch.pages, "plan_document",
                        lambda path, opts=None: read.append(path) or plan_document(path, opts))
    summary = run_batch(folder, out, options, executor="inline")  # in this process, where the patch is
    assert len(read) == 1 and summary.count("success") == 2
    first = {p: p.read_bytes() for p in sorted((out / "documents").rglob("*.json"))}
    for name in ("plan.txt", "copie/plan.txt"):
        alone = file_to_document(folder / name, options.model_copy(update={"workers": 1}))
        assert first[out / "documents" / f"{name}.json"].decode() == alone.model_dump_json(indent=1) + "\n"
    run_batch(folder, out, options, executor="inline")
    assert {p: p.read_bytes() for p in sorted((out / "documents").rglob("*.json"))} == first
    for path, text in first.items():
        document = json.loads(text)
        files = {m["provenance"]["file"] for m in document["records"]["measures"]}
        assert files == {document["source"]["path"]}, path


@pytest.mark.ocr
def test_a_scan_killed_midway_resumes_from_its_ocr_pages(tmp_path):
    """kill -9 while a scan's pages are being OCR'd: the resumed batch takes over the pages done
    (extractors.batch.page_cache), OCRs the rest, and writes what single-document extraction gives."""
    from extractors.pipeline import file_to_document

    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(CORPUS / "001_plan_scan.pdf", folder / "plan.pdf")  # 4 image-only pages
    out = tmp_path / "out"
    pages = out / ".cache" / "pages"
    process = subprocess.Popen([str(BILAN), "batch", str(folder), "-o", str(out), "--workers", "2"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not list(pages.glob("*.json")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = list(pages.glob("*.json"))
    assert kept and not (out / "documents" / "plan.pdf.json").exists(), "the kill should land mid-document"

    summary = run_batch(folder, out, IngestOptions(), workers=2)
    [outcome] = summary.outcomes
    assert outcome.status == "success" and outcome.reused_pages == len(kept)
    assert not list(pages.glob("*.json"))  # the document cache covers them now
    alone = file_to_document(folder / "plan.pdf", IngestOptions(workers=1))
    assert (out / "documents" / "plan.pdf.json").read_text() == alone.model_dump_json(indent=1) + "\n"
