"""Entry point of the ingestion stage: any supported file -> Document (then OCR-damage repair)."""
from __future__ import annotations

from pathlib import Path

from extractors.options import IngestOptions
from extractors.ingest.source import sniff_kind
from schemas import Document


def file_to_document(path: str | Path, options: IngestOptions | None = None) -> Document:
    """Read one input file, whatever its kind (decided from its bytes), into a Document.

    Raises a BilanError subclass naming the file when nothing can be read; page-level failures
    are recorded in Document.errors with status "partial" instead. Unless `options.repair` is off,
    OCR'd pages, legacy text dumps and untrustworthy text layers then get OCR-damage repair: each
    repaired word keeps what was read in Word.original, each change is in Document.repairs.
    Then the records stage fills Document.records (unless `options.records` is off).
    """
    options = options or IngestOptions()
    document = read_document(Path(path), options)
    if options.repair:
        from extractors.repair.stage import repair_document

        document = repair_document(document)
    if options.records and document.pages:
        document = add_tables(document)
        document = add_records(document)
    return document


def add_tables(document: Document) -> Document:
    """Every table of the pages with word boxes, with the role of each column (`Document.tables`).

    A failure here must not lose the pages already read: it is recorded as an error of the
    tables stage and the document becomes partial.
    """
    from extractors.tables.stage import document_to_tables
    from schemas import StageError

    try:
        return document.model_copy(update={"tables": document_to_tables(document)})
    except Exception as e:  # a bug in the table reader; the pages are still worth having
        error = StageError(stage="tables", message=f"{type(e).__name__}: {e}")
        status = "partial" if document.status == "success" else document.status
        return document.model_copy(update={"errors": [*document.errors, error], "status": status})


def add_records(document: Document) -> Document:
    """Measures, recommendations, announcements and stat tables from the (repaired) pages.

    A failure here must not lose the pages already read: it is recorded as an error of the
    records stage and the document becomes partial.
    """
    from extractors.records.stage import document_to_records
    from schemas import StageError

    try:
        return document.model_copy(update={"records": document_to_records(document)})
    except Exception as e:  # a bug in a record reader; the pages are still worth having
        error = StageError(stage="records", message=f"{type(e).__name__}: {e}")
        status = "partial" if document.status == "success" else document.status
        return document.model_copy(update={"errors": [*document.errors, error], "status": status})


def read_document(path: Path, options: IngestOptions) -> Document:
    kind = sniff_kind(path)
    # Imports are deferred so that reading a text dump does not load pdfium, Tesseract bindings or lxml.
    if kind == "pdf":
        from extractors.ingest.pdf import pdf_to_document

        return pdf_to_document(path, options)
    if kind == "image":
        from extractors.ingest.image import image_to_document

        return image_to_document(path, options)
    if kind == "html":
        from extractors.ingest.html import html_to_document

        return html_to_document(path, options)
    from extractors.ingest.text import text_to_document

    return text_to_document(path, options)
