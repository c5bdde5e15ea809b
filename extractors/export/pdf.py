"""The original PDF (or scanned image) with an invisible text layer of bilan's words: repaired,
at their boxes, on the pages bilan OCR'd (image-only pages, and pages whose old text layer was
judged untrustworthy: that old layer is removed). Born-digital pages are left as they are.

OCRmyPDF does the PDF work through an OCR-engine plugin (`extractors.export.ocrmypdf_plugin`)
that hands it bilan's words as hOCR instead of running Tesseract: its text renderer, its
`--redo-ocr` removal of old invisible text, and, with `pdfa=True`, its PDF/A-2b conversion,
checked by pikepdf's PDF/A validator (Ghostscript is never needed).

Before anything is written the source is checked: still where the JSON says, the same bytes
(sha256), openable (a password-protected PDF needs its password). The output is written to a
temporary file beside the target and renamed, so a failure leaves nothing half-written.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from extractors.errors import (
    CorruptInput,
    EncryptedPDF,
    ExportUnavailable,
    InputNotFound,
    OutputError,
    UnsupportedInput,
)
from extractors.export.hocr import hocr_document, page_hocr_body
from extractors.export.layout import page_layout
from schemas import Document, Page
from schemas.table import Table

# hOCR handed to OCRmyPDF is written at this resolution: pixel boxes 0.1 pt apart, so rounding
# them to whole pixels moves no word by more than 0.05 pt.
HANDOVER_DPI = 720.0
PLUGIN = "extractors.export.ocrmypdf_plugin"


def layer_pages(document: Document) -> list[Page]:
    """Pages that get bilan's text layer: read by OCR because they had no trustworthy text
    (image-only, or a damaged old OCR layer). A page OCR'd only because `--ocr always` was asked,
    whose own text layer was fine, keeps its own text: a second layer would double it."""
    return [p for p in document.pages if p.origin == "ocr" and p.words
            and (p.triage is None or p.triage.decision == "ocr")]


def check_source(document: Document, json_path: Optional[Path] = None) -> Path:
    """The file the document was read from, checked to be the same bytes; typed errors otherwise."""
    from extractors.ingest.source import sha256_of

    where = json_path or document.source.path
    if document.source.kind not in ("pdf", "image"):
        raise UnsupportedInput(where, f"no page images to put a text layer on: it was read from "
                                      f"{'a web page' if document.source.kind == 'html' else 'a text dump'} "
                                      f"({document.source.path}); export it as txt or md")
    source = Path(document.source.path)
    if not source.is_file():
        raise InputNotFound(where, f"its source file {source} is gone (moved or deleted?); "
                                   f"extract the file again where it is now")
    if sha256_of(source) != document.source.sha256:
        raise CorruptInput(where, f"its source file {source} has changed since it was extracted (sha256 differs)")
    return source


@contextmanager
def readable_pdf(source: Path, password: Optional[str], scratch: Path) -> Iterator[Path]:
    """The source PDF, or a decrypted copy of it in `scratch` when it is password-protected
    (OCRmyPDF does not open encrypted files)."""
    try:
        import pikepdf
    except ImportError as e:
        raise ExportUnavailable(source, "the searchable PDF needs OCRmyPDF: pip install 'bilan[pdf]'") from e
    try:
        with pikepdf.open(source) as pdf:
            encrypted = pdf.is_encrypted
    except pikepdf.PasswordError:
        encrypted = True
    except pikepdf.PdfError as e:
        raise CorruptInput(source, f"unreadable PDF: {e}") from e
    if not encrypted:
        yield source
        return
    if not password:
        raise EncryptedPDF(source, "password-protected PDF: pass --password")
    try:
        with pikepdf.open(source, password=password) as pdf:
            plain = scratch / "decrypted.pdf"
            pdf.save(plain)
    except pikepdf.PasswordError as e:
        raise EncryptedPDF(source, "wrong password") from e
    yield plain


def write_handover(document: Document, pages: list[Page], tables: list[Table], directory: Path) -> None:
    from extractors.export.ocrmypdf_plugin import hocr_file

    scale = HANDOVER_DPI / 72
    for page in pages:
        body = "\n".join(page_hocr_body(page_layout(page, tables), scale, alternatives=False, displayed=True))
        hocr_file(directory, page.number - 1).write_text(hocr_document([body], document.source.path), encoding="utf-8")


def without_transitions(source: Path, scratch: Path) -> Path:
    """A copy of the PDF without page-transition effects (/Trans, a slide-show setting): pikepdf's
    PDF/A validator does not check that key, so it would refuse an otherwise conforming file."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        if not any("/Trans" in page.obj for page in pdf.pages):
            return source
        for page in pdf.pages:
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        plain = scratch / "without-transitions.pdf"
        pdf.save(plain)
    return plain


def _ocrmypdf(source: Path, partial: Path, target: Path, pages: list[Page], hocr_dir: Path, pdfa: bool, jobs: int) -> None:
    try:
        import ocrmypdf
        from ocrmypdf.exceptions import ExitCode, ExitCodeException
    except ImportError as e:
        raise ExportUnavailable(target, "the searchable PDF needs OCRmyPDF: pip install 'bilan[pdf]'") from e

    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    previous = os.environ.get("BILAN_HOCR_DIR")
    os.environ["BILAN_HOCR_DIR"] = str(hocr_dir)
    try:
        code = ocrmypdf.ocr(
            source, partial, plugins=[PLUGIN], mode="redo", pages=",".join(str(p.number) for p in pages),
            output_type="pdfa-2" if pdfa else "pdf", pdfa_backend="internal", optimize=0, jobs=jobs,
            progress_bar=False, rotate_pages=False, deskew=False, clean=False, language=["fra"])
    except ExitCodeException as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise OutputError(target, f"OCRmyPDF could not write the PDF: {type(e).__name__}: {first_line}") from e
    finally:
        if previous is None:
            os.environ.pop("BILAN_HOCR_DIR", None)
        else:
            os.environ["BILAN_HOCR_DIR"] = previous
    if code != ExitCode.ok:
        what = "the PDF/A was not approved by pikepdf's PDF/A validator" if code == ExitCode.pdfa_conversion_failed \
            else f"OCRmyPDF exit code {int(code)} ({code.name})"
        raise OutputError(target, what)


def export_pdf(document: Document, tables: list[Table], target: Path, pdfa: bool = False,
               password: Optional[str] = None, json_path: Optional[Path] = None, jobs: int = 1) -> Path:
    """Write the searchable PDF to `target` (atomically); returns `target`."""
    source = check_source(document, json_path)
    pages = layer_pages(document)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".bilan-pdf-", dir=target.parent) as scratch_name:
        scratch = Path(scratch_name)
        partial = scratch / "out.pdf"
        if document.source.kind == "pdf":
            context = readable_pdf(source, password, scratch)
        else:
            context = _as_is(source)
        with context as readable:
            if not pages and not pdfa:
                shutil.copyfile(readable, partial)  # nothing to add: the original, byte for byte
            else:
                hocr_dir = scratch / "hocr"
                hocr_dir.mkdir()
                write_handover(document, pages, tables, hocr_dir)
                if pdfa and document.source.kind == "pdf":
                    readable = without_transitions(readable, scratch)
                _ocrmypdf(readable, partial, target, pages, hocr_dir, pdfa, jobs)
        try:
            os.replace(partial, target)
        except OSError as e:
            raise OutputError(target, f"cannot write: {e.strerror or e}") from e
    return target


@contextmanager
def _as_is(source: Path) -> Iterator[Path]:
    yield source
