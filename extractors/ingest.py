"""Entry point of the ingestion stage: any supported file -> Document."""
from __future__ import annotations

from pathlib import Path

from extractors.options import IngestOptions
from extractors.source import sniff_kind
from schemas import Document


def file_to_document(path: str | Path, options: IngestOptions | None = None) -> Document:
    """Read one input file, whatever its kind (decided from its bytes), into a Document.

    Raises a BilanError subclass naming the file when nothing can be read; page-level failures
    are recorded in Document.errors with status "partial" instead.
    """
    path = Path(path)
    options = options or IngestOptions()
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
