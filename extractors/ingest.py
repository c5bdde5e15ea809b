"""Entry point of the ingestion stage: any supported file -> Document (then OCR-damage repair)."""
from __future__ import annotations

from pathlib import Path

from extractors.options import IngestOptions
from extractors.source import sniff_kind
from schemas import Document


def file_to_document(path: str | Path, options: IngestOptions | None = None) -> Document:
    """Read one input file, whatever its kind (decided from its bytes), into a Document.

    Raises a BilanError subclass naming the file when nothing can be read; page-level failures
    are recorded in Document.errors with status "partial" instead. Unless `options.repair` is off,
    OCR'd pages, legacy text dumps and untrustworthy text layers then get OCR-damage repair: each
    repaired word keeps what was read in Word.original, each change is in Document.repairs.
    """
    options = options or IngestOptions()
    document = read_document(Path(path), options)
    if options.repair:
        from extractors.repair import repair_document

        document = repair_document(document)
    return document


def read_document(path: Path, options: IngestOptions) -> Document:
    kind = sniff_kind(path)
    # Imports are deferred so that reading a text dump does not load pdfium, Tesseract bindings or lxml.
    if kind == "pdf":
        from extractors.pdf_input import pdf_to_document

        return pdf_to_document(path, options)
    if kind == "image":
        from extractors.image_input import image_to_document

        return image_to_document(path, options)
    if kind == "html":
        from extractors.html_input import html_to_document

        return html_to_document(path, options)
    from extractors.text_input import text_to_document

    return text_to_document(path, options)
