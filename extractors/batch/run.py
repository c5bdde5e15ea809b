"""`bilan batch`: a folder of publications -> one JSON per document + a dataset, resumably.

Why it is shaped this way:
* Every output file is written atomically, and each document's JSON is also stored in a
  content-addressed cache (`OUT/.cache/<file sha256>-<settings key>.json`). A rerun, or a run
  resumed after `kill -9`, reuses every document already done and redoes only the rest.
* The dataset (DuckDB, Parquet, CSV) is rebuilt at the end from the per-document JSON, sorted by
  document id (its path relative to the input folder), so it never depends on completion order:
  a resumed run ends with the same dataset as an uninterrupted one, without duplicates.
* The batch process holds no Document: a worker sends the final JSON text with the few fields the
  outcome needs, the text is written as it is, and the dataset reads the JSON files back one at a
  time. Its memory stays flat however many pages the batch has.
* Work is scheduled on a process pool (or a Dask cluster), one task per document, largest files
  first, except that the pages to OCR of a document that has two or more are tasks of their own
  (extractors/batch/pages.py): one long scan keeps every core busy, with one single-threaded
  Tesseract per worker, and its Document is still the one a whole-document extraction gives.
"""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import importlib
import json
import os
import re
import stat
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Optional, Sequence

from extractors.atomic import copy_atomic, write_text_atomic
from extractors.batch.pages import (Done, as_done, document_text, failed_document, run_dask, run_inline, run_local,
                                    start_workers)
from extractors.batch.workers import WorkerPool
from extractors.batch.provenance import environment, settings_digest
from extractors.batch.tasks import Task
from extractors.errors import InputNotFound, OutputError, UnsupportedInput
from extractors.options import DEFAULT_TIMEOUT_PER_DOC, IngestOptions
from extractors.batch.page_cache import PageCache
from schemas import Document

CACHE_DIR = ".cache"
PAGES_DIR = "pages"  # OCR'd pages of documents not finished yet (extractors.batch.page_cache)
DOCUMENTS_DIR = "documents"


@dataclass
class Outcome:
    doc_id: str
    status: str
    pages: int
    reason: str = ""  # one line, for failed and skipped documents
    cached: bool = False
    reused_pages: int = 0  # OCR'd pages taken over from an interrupted run (extractors.batch.page_cache)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    aborted: bool = False
    ignored: list[str] = field(default_factory=list)  # files that are not publications
    export_failures: list[str] = field(default_factory=list)  # "doc_id: format: problem" (--export)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)

    def line(self) -> str:
        return (
            f"{len(self.outcomes)} documents ({self.pages} pages) in {self.seconds:.1f} s: "
            f"{self.count('success')} ok, {self.count('partial')} partial, {self.count('failed')} failed, "
            f"{self.count('skipped')} skipped" + (" (aborted on error)" if self.aborted else "")
        )


def settings_key(options: IngestOptions) -> str:
    """What, besides the file's bytes, decides the output: bilan's version, Tesseract and its language
    data, the dictionary, the libraries that read files, the options (extractors.batch.provenance).
    A change re-extracts every document."""
    return settings_digest(environment(options))


# What a publications folder holds; other files (scripts, spreadsheets of notes, manifests) are
# counted as ignored, not read. Files without a suffix are read, and their bytes decide.
PUBLICATION_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".html", ".htm", ".xhtml", ".txt", ""}


@dataclass
class Discovery:
    files: list[Path]
    ignored: list[Path]


@dataclass(frozen=True)
class Unreadable:
    """A folder entry that cannot be read as a file: its own status, never the run's."""

    task: Task
    status: str  # failed, or skipped for special files (FIFO, socket, device)
    reason: str


def discover(input_dir: Path, out_dir: Path, exclude: Sequence[str] = ()) -> Discovery:
    """Publications below input_dir (sub-folders too); hidden files, the output folder and paths
    matching an --exclude glob (relative to input_dir, e.g. 'bad/*') are left out."""
    out_dir = out_dir.resolve()
    found, ignored = [], []
    for root, dirs, files in os.walk(input_dir):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (root_path / d).resolve() != out_dir)
        for name in sorted(files):
            path = root_path / name
            relative = path.relative_to(input_dir).as_posix()
            if name.startswith(".") or any(fnmatch.fnmatch(relative, pattern) for pattern in exclude):
                continue
            (found if path.suffix.lower() in PUBLICATION_SUFFIXES else ignored).append(path)
    return Discovery(found, ignored)


def make_tasks(files: list[Path], input_dir: Path) -> list[Task]:
    """Tasks of readable files; raises on the first entry that cannot be read (see inspect_files)."""
    tasks, unreadable = inspect_files(files, input_dir)
    if unreadable:
        raise UnsupportedInput(unreadable[0].task.path, unreadable[0].reason)
    return tasks


def inspect_files(files: list[Path], input_dir: Path) -> tuple[list[Task], list[Unreadable]]:
    """A task for each regular file, hashed here; an Unreadable for each entry that is not one or
    cannot be read (dangling symlink, symlink loop, no permission, FIFO, socket, device)."""
    tasks, unreadable = [], []
    for path in files:
        doc_id = path.relative_to(input_dir).as_posix()
        try:
            sha256, size = hash_regular_file(path)
        except EntryProblem as e:
            unreadable.append(Unreadable(Task(doc_id, str(path), "", 0), e.status, e.reason))
            continue
        tasks.append(Task(doc_id=doc_id, path=str(path), sha256=sha256, size=size))
    return tasks, unreadable


class EntryProblem(Exception):
    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                 (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def hash_regular_file(path: Path) -> tuple[str, int]:
    """(sha256, size) of a regular file. Opened without blocking, and checked again once open, so a
    FIFO (whose open or read would wait for a writer forever) is never read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise entry_problem(path, e) from e
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        for test, kind in SPECIAL_FILES:
            if test(info.st_mode):
                raise EntryProblem("skipped", f"not a regular file ({kind})")
        os.set_blocking(fd, True)
        digest = hashlib.sha256()
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        except OSError as e:
            raise EntryProblem("failed", f"cannot read: {e.strerror or e}") from e
    return digest.hexdigest(), info.st_size


def entry_problem(path: Path, error: OSError) -> EntryProblem:
    if error.errno == errno.ELOOP:
        return EntryProblem("failed", "symbolic link loop")
    if error.errno == errno.ENOENT and path.is_symlink():
        return EntryProblem("failed", f"broken symbolic link (to {os.readlink(path)})")
    if error.errno == errno.ENOENT:
        return EntryProblem("failed", "vanished while the batch ran")
    return EntryProblem("failed", f"cannot read: {error.strerror or error}")


def document_json_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / DOCUMENTS_DIR / f"{doc_id}.json"


def cache_path(out_dir: Path, task: Task, key: str) -> Path:
    return out_dir / CACHE_DIR / f"{task.sha256}-{key}.json"


def store(out_dir: Path, task: Task, key: str, result: Done, options: Optional[IngestOptions] = None) -> Outcome:
    if options is not None:
        result = within_output_limit(task, result, options)
    written = write_text_atomic(document_json_path(out_dir, task.doc_id), result.text)
    if result.cacheable:
        copy_atomic(written, cache_path(out_dir, task, key))
    return Outcome(task.doc_id, result.status, result.pages, result.reason, cached=False,
                   reused_pages=result.page_pids.count(0))


def within_output_limit(task: Task, result: Done, options: IngestOptions) -> Done:
    """A document whose JSON is above --max-output-mb is written as failed, with the reason."""
    from extractors.errors import InputTooLarge
    from extractors.options import check_output_size

    try:
        check_output_size(task.path, result.text, options)
    except InputTooLarge as e:
        return as_done(task, failed_document(task, "failed", "batch", e.problem), True)
    return result


def split_copies(todo: list[Task]) -> tuple[list[Task], dict[str, list[Task]]]:
    """The first file of each content (by document id) and, by hash, the other files with its bytes."""
    first: dict[str, Task] = {}
    copies: dict[str, list[Task]] = {}
    for task in sorted(todo, key=lambda t: t.doc_id):
        if task.sha256 in first:
            copies.setdefault(task.sha256, []).append(task)
        else:
            first[task.sha256] = task
    return list(first.values()), copies


def renamed(result: Done, copy: Task) -> Done:
    """`result` as if it had been extracted from `copy`, a file with the same bytes."""
    text = document_text(Document.model_validate_json(result.text), copy.path)
    return replace(result, text=text, cacheable=False)  # the cache entry (keyed by the bytes) is written once


def from_cache(out_dir: Path, task: Task, key: str) -> Optional[Outcome]:
    """The cached document written as documents/<doc_id>.json; None when there is none."""
    path = cache_path(out_dir, task, key)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
        fields = json.loads(text)  # plain JSON: only what the outcome needs, no Document held
        reason = next((e["message"] for e in fields["errors"] if e["level"] == "error"), "")
        outcome = Outcome(task.doc_id, fields["status"], len(fields["pages"]), reason, cached=True)
        renamed = fields["source"]["path"] != task.path  # same bytes met under another name (rare)
        if renamed:
            text = document_text(Document.model_validate_json(text), task.path)
    except (ValueError, KeyError, TypeError):  # unreadable cache entry: extract again
        path.unlink(missing_ok=True)
        return None
    if renamed:
        write_text_atomic(document_json_path(out_dir, task.doc_id), text)
    else:
        copy_atomic(path, document_json_path(out_dir, task.doc_id))
    return outcome


@contextmanager
def exclusive(out_dir: Path):
    """One batch per output folder at a time. flock is released by the kernel when the holder dies,
    so a run killed with -9 never leaves a stale lock behind."""
    import fcntl

    try:
        (out_dir / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        handle = (out_dir / ".lock").open("w")
    except OSError as e:
        raise OutputError(out_dir, f"output folder not writable: {e.strerror or e}") from e
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as e:
        handle.close()
        raise OutputError(out_dir, "another bilan batch is writing to this folder") from e
    try:
        yield
    finally:
        handle.close()


def remove_stale_temporaries(out_dir: Path) -> int:
    """Half-written files of a killed run (atomic writes go through '.NAME.*.tmp'); safe under the lock."""
    stale = [p for p in out_dir.rglob(".*.tmp") if p.is_file() or p.is_symlink()]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def run_batch(
    input_dir: Path,
    out_dir: Path,
    options: IngestOptions,
    workers: int = 1,
    executor: str = "local",
    scheduler: Optional[str] = None,
    abort_on_error: bool = False,
    exclude: Sequence[str] = (),
    on_progress: Callable[[Outcome, int, int], None] = lambda outcome, done, total: None,
    on_start: Callable[[int, int], None] = lambda total, cached: None,
    timeout_per_doc: Optional[float] = DEFAULT_TIMEOUT_PER_DOC,
    export: Sequence[str] = (),
) -> Summary:
    """Extract every document below input_dir into out_dir; return the per-document outcomes.

    `executor`: "local" (worker processes; a document that kills its worker or runs past
    `timeout_per_doc` seconds fails alone), "dask" (a cluster at `scheduler`), or "inline" (this
    process, one document after the other: for debugging; no time limit, no fault isolation).
    `export`: archival formats written beside each document's JSON (extractors.export).
    Raises OutputError when an output cannot be written (the previous dataset is kept).
    """
    started = time.perf_counter()
    if not input_dir.exists():
        raise InputNotFound(input_dir, "no such folder")
    if not input_dir.is_dir():
        raise UnsupportedInput(input_dir, "not a folder")
    with exclusive(out_dir):
        remove_stale_temporaries(out_dir)
        run = BatchRun(input_dir, out_dir, options, workers, executor, scheduler, timeout_per_doc)
        summary = run.extract_all(abort_on_error, exclude, on_progress, on_start)
        export_all(out_dir, summary, export)
    summary.seconds = time.perf_counter() - started
    return summary


def export_all(out_dir: Path, summary: Summary, formats: Sequence[str]) -> None:
    """`--export`: the archival formats of every document written (failed ones have none)."""
    if not formats:
        return
    from extractors.export.dispatch import export_batch_document

    for outcome in summary.outcomes:
        if outcome.status in ("success", "partial"):
            json_path = document_json_path(out_dir, outcome.doc_id)
            stamps = out_dir / CACHE_DIR / "exports" / Path(outcome.doc_id).parent
            for problem in export_batch_document(json_path, list(formats), stamps):
                summary.export_failures.append(f"{outcome.doc_id}: {problem}")


@dataclass
class BatchRun:
    input_dir: Path
    out_dir: Path
    options: IngestOptions
    workers: int
    executor: str
    scheduler: Optional[str]
    timeout: Optional[float]

    def worker_options(self) -> str:
        # Inside a worker, OCR runs inline: parallelism comes from the tasks (documents and pages).
        return self.options.model_copy(update={"workers": 1}).model_dump_json()

    def start_workers(self) -> Optional[WorkerPool]:
        """The local executor's workers, started first thing: they warm up (~1 s) while this
        process looks for the files, hashes them and checks the cache."""
        if self.executor != "local":
            return None
        return start_workers(self.worker_options(), self.workers, self.timeout)

    def results(self, todo: list[Task], key: str, pool: Optional[WorkerPool]):
        options_json = self.worker_options()
        if self.executor == "dask":
            return run_dask(todo, options_json, self.scheduler)
        if self.executor == "inline":
            return run_inline(todo, options_json)
        pages = PageCache(self.out_dir / CACHE_DIR / PAGES_DIR, key)
        return run_local(todo, options_json, self.workers, pages, self.timeout, pool)

    def extract_all(self, abort_on_error, exclude, on_progress, on_start) -> Summary:
        pool = self.start_workers()
        try:
            return self.extract_with(pool, abort_on_error, exclude, on_progress, on_start)
        finally:
            if pool is not None:
                pool.close()

    def extract_with(self, pool, abort_on_error, exclude, on_progress, on_start) -> Summary:
        out_dir = self.out_dir
        facts = environment(self.options)
        key = settings_digest(facts)
        found = discover(self.input_dir, out_dir, exclude)
        tasks, unreadable = inspect_files(found.files, self.input_dir)
        summary = Summary(ignored=[p.relative_to(self.input_dir).as_posix() for p in found.ignored])
        total = len(tasks) + len(unreadable)
        todo, cached = [], []
        for task in tasks:
            outcome = from_cache(out_dir, task, key)
            if outcome is None:
                todo.append(task)
            else:
                cached.append(outcome)
        on_start(total, len(cached))
        cached += [store_unreadable(out_dir, entry) for entry in unreadable]
        for outcome in cached:
            summary.outcomes.append(outcome)
            on_progress(outcome, len(summary.outcomes), total)
        todo, copies = split_copies(todo)
        todo.sort(key=lambda t: (-t.size, t.doc_id))  # largest first: a shorter tail on the last worker
        pages = PageCache(out_dir / CACHE_DIR / PAGES_DIR, key)
        with closing(self.results(todo, key, pool)) as results:
            preloads = Preloads()
            for task, result in results:
                preloads.seen(result.text)
                outcomes = [store(out_dir, task, key, result, self.options)]
                pages.forget(task.sha256)  # written: the document cache covers its pages now
                # files with the same bytes are read once; each copy gets the document under its own name
                outcomes += [store(out_dir, copy, key, renamed(result, copy), self.options)
                             for copy in copies.get(task.sha256, ())]
                for outcome in outcomes:
                    summary.outcomes.append(outcome)
                    on_progress(outcome, len(summary.outcomes), total)
                if abort_on_error and result.status == "failed":
                    summary.aborted = True
                    break
        if not summary.aborted:
            pages.clear()  # every document is done: no page waits for one
        if pool is not None:
            pool.close()  # idle now: their memory back before the dataset is built
        from extractors.batch.dataset import write_dataset
        from extractors.batch.tables import run_row

        run = run_row(facts, key, len(summary.outcomes))
        write_dataset([(o.doc_id, document_json_path(out_dir, o.doc_id)) for o in summary.outcomes], out_dir, run)
        summary.outcomes.sort(key=lambda o: o.doc_id)
        return summary


# What writing the dataset imports (pyarrow, DuckDB: ~0.35 CPU-s): imported while the workers
# read, instead of after the last document, when one core would be left idle.
DATASET_MODULES = ("extractors.batch.dataset", "extractors.batch.tables")
# A line of a table cell ending with a word cut by a hyphen, as a document's JSON writes it: that
# cell's CSV joins the word again with the French lexicon's help (extractors.tables.compare.flat),
# which this process would otherwise load after the last document (~0.4 CPU-s).
CUT_LINE_IN_JSON = re.compile(r"[^\W\d_]-\\n[^\W\d_]")


def in_background(*steps: Callable[[], object]) -> None:
    """Run `steps` on a daemon thread, to have their work done when the main thread needs it (an
    import waits for the same import running there, under the import lock; a step that fails stops
    the thread, and fails again, with its message, where it is needed)."""
    def run() -> None:
        for step in steps:
            try:
                step()
            except Exception:
                return

    threading.Thread(target=run, name="bilan-preload", daemon=True).start()


@dataclass
class Preloads:
    """What the end of the batch needs, loaded in the background once the workers are reading."""

    dataset: bool = False
    lexicon: bool = False

    def seen(self, document_json: str) -> None:
        if not self.dataset:
            self.dataset = True
            in_background(*(partial(importlib.import_module, name) for name in DATASET_MODULES))
        if not self.lexicon and CUT_LINE_IN_JSON.search(document_json):
            self.lexicon = True
            in_background(lexicon_for_csv)


def lexicon_for_csv() -> None:
    from extractors.french.lexicon import load_lexicon

    load_lexicon()


def store_unreadable(out_dir: Path, entry: Unreadable) -> Outcome:
    """An entry that could not be read is a document of its own, failed or skipped, never cached."""
    done = as_done(entry.task, failed_document(entry.task, entry.status, "ingest", entry.reason), False)
    write_text_atomic(document_json_path(out_dir, entry.task.doc_id), done.text)
    return Outcome(entry.task.doc_id, entry.status, 0, entry.reason)
