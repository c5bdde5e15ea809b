"""The work of `bilan batch`: what a worker runs, and how the tasks are ordered on the pool.

Every document is read in the three steps of `extractors.pipeline` (plan, OCR the planned pages,
finish). One task is one document, except for documents with two or more pages to OCR, which OCR
dominates: their steps are tasks of their own, so that one long scan keeps every core busy.

1. `plan_one` plans the document in a worker: triage over the whole file (it pools OCR-damage
   evidence over all its scanned pages) decides which pages need OCR. With fewer than two, the
   worker OCRs and finishes the document there and then (`Done`); else the plan comes back
   (`Planned`).
2. Each page job is a task: `ocr_page` renders and OCRs one page with the worker's Tesseract.
3. `finish_one` finishes the document from those pages' results: the same `finish_document` as
   `bilan extract`, so the same Document, byte for byte.

Pages of a document already planned go ahead of the documents not started yet (largest first), so
a long scan is spread over the workers early instead of running alone at the end.
"""
from __future__ import annotations

import heapq
import os
import pickle
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

from extractors.errors import BilanError, OCRUnavailable, OutputError, UnsupportedInput
from extractors.ocr.jobs import OcrJob, OcrResult, ocr_job, run_ocr_jobs
from extractors.options import IngestOptions
from extractors.batch.page_cache import PageCache
from extractors.batch.tasks import Task
from extractors.batch.workers import TaskFault, WorkerPool
from extractors.pipeline import DocumentPlan, finish_document, plan_document
from schemas import Document, Source, StageError

# Errors that say something about this machine, not about the file: never cached.
TRANSIENT = (OCRUnavailable, OutputError)
# A document with this many pages to OCR has its pages read as tasks of their own.
PAGES_AS_TASKS = 2


@dataclass(frozen=True)
class Done:
    """A document extracted by a worker: its final JSON text (documents/*.json and the cache hold
    exactly these bytes) and what the batch process needs to report it, so it never parses it."""

    text: str
    status: str
    pages: int
    reason: str  # the first error's message, "" when there is none
    cacheable: bool
    page_pids: tuple[int, ...] = ()  # processes that OCR'd its pages when read as tasks (tests, bench)


@dataclass(frozen=True)
class Planned:
    """A document whose OCR pages are to be read as tasks of their own, then finished."""

    plan: DocumentPlan

    @property
    def jobs(self) -> tuple[OcrJob, ...]:
        return self.plan.jobs


# --- In a worker ------------------------------------------------------------------------------------

def extract_one(task: Task, options_json: str) -> Done:
    """The whole document in this worker: plan, OCR inline, finish. Never raises."""
    return guarded(task, lambda: read_whole(plan_document(task.path, IngestOptions.model_validate_json(options_json))))


def plan_one(task: Task, options_json: str) -> Union[Done, Planned]:
    """Plan the document; with two or more pages to OCR, hand the plan back, else read it whole
    here. Never raises."""
    def plan_or_read() -> Union[Document, Planned]:
        plan = plan_document(task.path, IngestOptions.model_validate_json(options_json))
        return Planned(plan) if len(plan.jobs) >= PAGES_AS_TASKS else read_whole(plan)

    return guarded(task, plan_or_read)


def read_whole(plan: DocumentPlan) -> Document:
    return finish_document(plan, run_ocr_jobs(plan.jobs, workers=1))


def ocr_page(job: OcrJob, sha256: str = "", cache: Optional[PageCache] = None) -> bytes:
    """One page of a planned document. Pickled here, unpickled by finish_one: the batch process
    only passes the bytes on, and never builds the page's words. Kept in `cache` until the document
    is done, so that a resumed batch does not OCR it again."""
    result = ocr_job(job)
    if cache is not None:
        try:
            cache.save(sha256, result)
        except OutputError:
            pass  # only a resume would have used it
    return pickle.dumps((os.getpid(), result))


def cached_page(result) -> bytes:
    """A page taken from the page cache, in ocr_page's form; process id 0 says where it came from."""
    return pickle.dumps((0, result))


def finish_one(task: Task, plan: DocumentPlan, pages: list[bytes]) -> Done:
    """The document of a plan, its pages read: the same finish as an extraction in one go."""
    read = [pickle.loads(page) for page in pages]
    done = guarded(task, lambda: finish_document(plan, [result for _, result in read]))
    return replace(done, page_pids=tuple(pid for pid, _ in read))


def guarded(task: Task, work: Callable[[], Union[Document, Planned]]) -> Union[Done, Planned]:
    """`work`'s document as Done (or its plan), its failure as a failed or skipped document."""
    try:
        result = work()
        return result if isinstance(result, Planned) else as_done(task, result, True)
    except UnsupportedInput as e:
        return as_done(task, failed_document(task, "skipped", "ingest", e.problem), True)
    except BilanError as e:
        return as_done(task, failed_document(task, "failed", "ingest", e.problem), not isinstance(e, TRANSIENT))
    except Exception as e:  # a bug must not stop the batch; it is reported and not cached
        return as_done(task, failed_document(task, "failed", "internal", f"{type(e).__name__}: {e}"), False)


def failed_document(task: Task, status: str, stage: str, message: str) -> Document:
    kind = Path(task.path).suffix.lower().lstrip(".")
    kind = kind if kind in ("pdf", "html", "text") else ("image" if kind in ("png", "jpg", "jpeg", "tif", "tiff") else "text")
    source = Source(path=task.path, sha256=task.sha256, kind=kind, page_count=0)
    return Document(source=source, status=status, errors=[StageError(stage=stage, message=message)])


def as_done(task: Task, document: Document, cacheable: bool) -> Done:
    # One validation round trip before the final text, as when the batch process re-read each
    # worker's JSON: the pipeline's model_copy(update=...) skips validation, and this guarantees
    # the documents/*.json bytes stay those of validated data whatever an update put in. It costs
    # ~3-8 ms a page, in the workers, in parallel (it used to be paid in the batch process).
    document = Document.model_validate_json(document.model_dump_json())
    return Done(document_text(document, task.path), document.status, len(document.pages),
                first_error(document), cacheable)


def document_text(document: Document, path: str) -> str:
    if document.source.path != path:  # same bytes met under another name: every path it names
        data = document.model_dump()
        old = data["source"]["path"]
        data["source"]["path"] = path
        _rename_provenance(data["records"], old, path)
        document = Document.model_validate(data)
    return document.model_dump_json(indent=1) + "\n"


def _rename_provenance(node, old: str, new: str) -> None:
    """Records carry the file they were read from (`provenance.file`); a copy read from the
    cache must name itself, or a rerun would write other bytes than the first run."""
    if isinstance(node, dict):
        provenance = node.get("provenance")
        if isinstance(provenance, dict) and provenance.get("file") == old:
            provenance["file"] = new
        for value in node.values():
            _rename_provenance(value, old, new)
    elif isinstance(node, list):
        for value in node:
            _rename_provenance(value, old, new)


def first_error(document: Document) -> str:
    return next((e.message for e in document.errors if e.level == "error"), "")


# --- Scheduling on a local process pool -------------------------------------------------------------

# Queue order: finishing a planned document (its pages are held here until then), then pages of
# planned documents, then documents not started, each in the order given (largest first).
FINISH, PAGE, DOCUMENT = 0, 1, 2


@dataclass
class PlannedDocument:
    plan: DocumentPlan
    pages: list[Optional[bytes]]
    left: int


@dataclass
class WorkQueue:
    tasks: list[Task]
    options_json: str
    cache: Optional[PageCache] = None
    heap: list[tuple[int, int, int]] = field(default_factory=list)  # (step, document index, page index)
    planned: dict[int, PlannedDocument] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.heap = [(DOCUMENT, index, 0) for index in range(len(self.tasks))]

    def __bool__(self) -> bool:
        return bool(self.heap)

    def add_pages(self, index: int, planned: Planned) -> None:
        jobs = planned.jobs
        pending = self.planned[index] = PlannedDocument(planned.plan, [None] * len(jobs), len(jobs))
        sha256 = self.tasks[index].sha256
        for page, job in enumerate(jobs):
            kept = self.cache.load(sha256, job.number) if self.cache is not None else None
            if kept is not None:  # OCR'd by a run that was stopped before the document was done
                pending.pages[page] = cached_page(kept)
                pending.left -= 1
            else:
                heapq.heappush(self.heap, (PAGE, index, page))
        if not pending.left:
            heapq.heappush(self.heap, (FINISH, index, 0))

    def pop(self) -> tuple[tuple, tuple[int, int, int]]:
        """(function and arguments, step) of the next task."""
        step = heapq.heappop(self.heap)
        kind, index, page = step
        task = self.tasks[index]
        if kind == DOCUMENT:
            return (plan_one, task, self.options_json), step
        pending = self.planned[index]
        if kind == PAGE:
            return (ocr_page, pending.plan.jobs[page], task.sha256, self.cache), step
        return (finish_one, task, pending.plan, pending.pages), step

    def settle(self, step: tuple[int, int, int], result) -> Optional[tuple[Task, Done]]:
        """Record a finished task; a finished document is returned."""
        kind, index, page = step
        if kind == DOCUMENT and isinstance(result, Planned):
            self.add_pages(index, result)
            return None
        if kind == PAGE:
            pending = self.planned[index]
            pending.pages[page] = result
            pending.left -= 1
            if not pending.left:
                heapq.heappush(self.heap, (FINISH, index, 0))
            return None
        self.planned.pop(index, None)
        return self.tasks[index], result

    def fail(self, step: tuple[int, int, int], reason: str) -> Optional[tuple[Task, Done]]:
        """A task that ended without a result (its worker died, or it ran out of time): a page of a
        split scan becomes that page's error, anything else fails the document."""
        kind, index, page = step
        task = self.tasks[index]
        if kind == PAGE:
            number = self.planned[index].plan.jobs[page].number
            return self.settle(step, pickle.dumps((-1, OcrResult(number=number, error=reason))))
        self.planned.pop(index, None)
        return task, as_done(task, failed_document(task, "failed", "batch", reason), False)


def prepare_worker(options_json: str) -> None:
    """What every document needs, loaded when a worker starts, so that the time limit of a task
    counts its own work: the pipeline's modules and, when repair is on, the French lexicon. The
    HTML reader (BeautifulSoup, 0.09 CPU-s) is left to the first web page: most batches have none."""
    import importlib

    for module in ("extractors.pipeline", "extractors.ingest.pdf", "extractors.ingest.image", "extractors.ingest.text",
                   "extractors.repair.stage", "extractors.tables.stage", "extractors.records.stage"):
        importlib.import_module(module)
    if IngestOptions.model_validate_json(options_json).repair:
        from extractors.errors import LexiconUnavailable
        from extractors.french.lexicon import load_lexicon

        try:
            load_lexicon()
        except LexiconUnavailable:
            pass  # each document says so itself


def run_inline(todo: list[Task], options_json: str) -> Iterator[tuple[Task, Done]]:
    """Every document in this process, one after the other (`--executor inline`): for debugging and
    for tests that patch the extraction; no time limit and no fault isolation."""
    for task in todo:
        yield task, extract_one(task, options_json)


def start_workers(options_json: str, workers: int, timeout: Optional[float] = None) -> WorkerPool:
    """`workers` worker processes for run_local, warming up (imports, the lexicon: ~1 CPU-s) while
    the caller does something else."""
    return WorkerPool(workers, timeout, partial(prepare_worker, options_json))


def run_local(todo: list[Task], options_json: str, workers: int, cache: Optional[PageCache] = None,
              timeout: Optional[float] = None, pool: Optional[WorkerPool] = None) -> Iterator[tuple[Task, Done]]:
    """The tasks of `todo` on `workers` worker processes (extractors.batch.workers): a worker that
    dies or a task past `timeout` seconds fails that document (or that page of a split scan), and
    the batch goes on with a new worker. `pool`: workers already started (start_workers with the
    same options), closed by the caller; otherwise they are started and closed here."""
    if not todo:  # everything came from the cache: no worker to start
        return
    if pool is None:
        with start_workers(options_json, workers, timeout) as pool:
            yield from run_local(todo, options_json, workers, cache, timeout, pool)
        return
    queue = WorkQueue(todo, options_json, cache)
    while queue or pool.busy:
        feed(queue, pool)
        finished = []
        for step, result in pool.wait():
            if isinstance(result, TaskFault):
                document = queue.fail(step, result.reason)
            else:
                document = queue.settle(step, result)
            if document is not None:
                finished.append(document)
        # The caller writes each document (two files, one flushed to disk) before asking for
        # the next: idle workers get their next task first.
        feed(queue, pool)
        yield from finished


def feed(queue: WorkQueue, pool: WorkerPool) -> None:
    """Give every idle worker a task, while there are tasks."""
    while queue and pool.idle:
        (function, *args), step = queue.pop()
        pool.submit(step, function, tuple(args))


# --- Scheduling on Dask ----------------------------------------------------------------------------

def run_dask(todo: list[Task], options_json: str, scheduler: str) -> Iterator[tuple[Task, Done]]:
    """The same steps on a Dask cluster: page results go from worker to worker, not through here;
    pages are submitted with a higher priority than the documents still queued."""
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        tasks, every = {}, []
        for i, task in enumerate(todo):
            future = client.submit(plan_one, task, options_json, key=f"bilan-{task.sha256[:12]}-{i}", pure=False)
            tasks[future] = (task, i)
            every.append(future)
        results = as_completed(list(tasks))
        try:
            for future in results:
                task, i = tasks.pop(future)
                result = future.result()
                if isinstance(result, Planned):
                    pages = [client.submit(ocr_page, job, key=f"bilan-{task.sha256[:12]}-{i}-page-{job.number}",
                                           pure=False, priority=1) for job in result.jobs]
                    finish = client.submit(finish_one, task, result.plan, pages,
                                           key=f"bilan-{task.sha256[:12]}-{i}-finish", pure=False, priority=2)
                    tasks[finish] = (task, i)
                    every.extend([*pages, finish])
                    results.add(finish)
                    continue
                yield task, result
        finally:
            client.cancel(every)
