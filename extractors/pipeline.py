"""Entry point of the ingestion stage: any supported file -> Document (then OCR-damage repair and records),
as three steps a batch can spread over its workers: plan, OCR the planned pages, finish."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from extractors.ocr.jobs import OcrJob, OcrResults, submit_ocr_jobs
from extractors.options import IngestOptions
from extractors.ingest.source import sniff_kind
from schemas import Document


@dataclass(frozen=True)
class DocumentPlan:
    """What reading one file takes, decided before any page is OCR'd.

    `jobs` are its pages to OCR (plain, picklable data); `reading` is what the kind's reader needs
    to finish the document once their results are in (`PdfPlan`, `ImagePlan`; None for HTML and
    text, which have no OCR and are read whole in `finish_document`). A batch runs the jobs as
    tasks of their own, so one long scan keeps every core busy; `file_to_document` runs them on
    the worker pool. Both then finish with the same function, so both give the same Document.
    """

    path: Path
    kind: str
    options: IngestOptions
    jobs: tuple[OcrJob, ...] = ()
    reading: Any = None


def plan_document(path: str | Path, options: IngestOptions | None = None) -> DocumentPlan:
    """Sniff the file and plan its reading: PDF pages triaged over the whole file (OCR-damage
    evidence is pooled over its pages), image frames checked. Raises a BilanError subclass naming
    the file when nothing can be read."""
    options = options or IngestOptions()
    path = Path(path)
    kind = sniff_kind(path)
    # Imports are deferred so that reading a text dump does not load pdfium, Tesseract bindings or lxml.
    if kind == "pdf":
        from extractors.ingest.pdf import plan_pdf

        reading = plan_pdf(path, options)
        return DocumentPlan(path, kind, options, reading.jobs, reading)
    if kind == "image":
        from extractors.ingest.image import plan_image

        reading = plan_image(path, options)
        return DocumentPlan(path, kind, options, reading.jobs, reading)
    return DocumentPlan(path, kind, options)


def finish_document(plan: DocumentPlan, results: OcrResults = ()) -> Document:
    """The Document of a planned file, given the results of its OCR jobs (in job order, or a
    function that waits for them): pages, errors and status; then OCR-damage repair (unless
    `options.repair` is off: each repaired word keeps what was read in Word.original, each change
    is in Document.repairs) and records (unless `options.records` is off)."""
    options = plan.options
    if plan.kind == "pdf":
        from extractors.ingest.pdf import finish_pdf

        document = finish_pdf(plan.reading, options, results)
    elif plan.kind == "image":
        from extractors.ingest.image import finish_image

        document = finish_image(plan.reading, options, results)
    elif plan.kind == "html":
        from extractors.ingest.html import html_to_document

        document = html_to_document(plan.path, options)
    else:
        from extractors.ingest.text import text_to_document

        document = text_to_document(plan.path, options)
    if options.repair:
        from extractors.repair.stage import repair_document

        document = repair_document(document)
    if options.records and document.pages:
        document = add_tables(document)
        document = add_records(document)
    return document


def file_to_document(path: str | Path, options: IngestOptions | None = None) -> Document:
    """Read one input file, whatever its kind (decided from its bytes), into a Document.

    Plan, OCR on the worker pool (`options.workers`; the text-layer pages of a mixed PDF are read
    meanwhile), finish. Raises a BilanError subclass naming the file when nothing can be read;
    page-level failures are recorded in Document.errors with status "partial" instead.
    """
    options = options or IngestOptions()
    plan = plan_document(path, options)
    return finish_document(plan, submit_ocr_jobs(plan.jobs, options.workers))


def add_tables(document: Document) -> Document:
    """Every table of the pages with word boxes, with the role of each column (`Document.tables`).
    A failure is recorded as an error of the tables stage (`with_stage_result`)."""
    from extractors.tables.stage import document_to_tables

    return with_stage_result(document, "tables", "tables", document_to_tables)


def add_records(document: Document) -> Document:
    """Measures, recommendations, announcements, stat tables and statistics from the (repaired)
    pages. A failure is recorded as an error of the records stage (`with_stage_result`)."""
    from extractors.records.stage import document_to_records

    return with_stage_result(document, "records", "records", document_to_records)


def with_stage_result(document: Document, stage: str, field: str, read: Callable[[Document], Any]) -> Document:
    """The document with `field` set to what `read` makes of it. A failure here must not lose the
    pages already read: it is recorded as an error of `stage` and the document becomes partial."""
    from schemas import StageError

    try:
        return document.model_copy(update={field: read(document)})
    except Exception as e:  # a bug in a reader; the pages are still worth having
        error = StageError(stage=stage, message=f"{type(e).__name__}: {e}")
        status = "partial" if document.status == "success" else document.status
        return document.model_copy(update={"errors": [*document.errors, error], "status": status})
