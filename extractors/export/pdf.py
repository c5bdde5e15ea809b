"""The original PDF (or scanned image) with an invisible text layer of bilan's words: repaired,
at their boxes, on the pages bilan OCR'd (image-only pages, and pages whose old text layer was
judged untrustworthy: that old layer is removed). Born-digital pages are left as they are.

Three writers (bench/README.md, "Searchable PDF export", measures them side by side):
- `direct` (the default): bilan writes the layer onto the original pages itself with pikepdf
  (`extractors.export.pdflayer`, `extractors.export.textlayer`): every word within 2 pt of its
  box on all four edges, one size and baseline per printed line so pdftotext keeps the reading
  order. With `pdfa=True` the layered file then goes through OCRmyPDF for its PDF/A-2b
  conversion (pages that now have text are skipped: nothing is rasterised), checked by pikepdf's
  PDF/A validator;
- `sandwich`: OCRmyPDF does the PDF work (`--redo-ocr` removal of old invisible text, grafting,
  PDF/A) and asks the OCR-engine plugin (`extractors.export.ocrmypdf_plugin`) for each page's
  text-only PDF, which bilan writes with the same placement but one font (all OCRmyPDF's graft
  takes), so word heights follow the font size and lines keep fewer common baselines;
- `hocr`: the plugin hands OCRmyPDF bilan's words as hOCR and OCRmyPDF's renderer places them
  (a line's words on one band as tall as the line: top and bottom edges off on skewed scans).

Before anything is written the source is checked: still where the JSON says, the same bytes
(sha256), openable (a password-protected PDF needs its password). The output is written to a
temporary file beside the target and renamed, so a failure leaves nothing half-written.
"""
from __future__ import annotations

import json
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
from extractors.export.textlayer import place_words, read_to_displayed, text_operators
from schemas import Document, Page
from schemas.table import Table

# hOCR handed to OCRmyPDF is written at this resolution: pixel boxes 0.1 pt apart, so rounding
# them to whole pixels moves no word by more than 0.05 pt.
HANDOVER_DPI = 720.0
PLUGIN = "extractors.export.ocrmypdf_plugin"
WRITERS = ("direct", "sandwich", "hocr")


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


def write_handover(document: Document, pages: list[Page], tables: list[Table], directory: Path, writer: str) -> None:
    """What the OCRmyPDF plugin hands over for each layered page: hOCR, or the text operators of
    its text-only page (`sandwich`)."""
    from extractors.export.ocrmypdf_plugin import hocr_file, layer_file

    scale = HANDOVER_DPI / 72
    for page in pages:
        layout = page_layout(page, tables)
        if writer == "hocr":
            body = "\n".join(page_hocr_body(layout, scale, alternatives=False, displayed=True))
            hocr_file(directory, page.number - 1).write_text(hocr_document([body], document.source.path), encoding="utf-8")
            continue
        width, height = page.width or 0, page.height or 0
        shown = (height, width) if page.rotation in (90, 270) else (width, height)
        operators = text_operators(place_words(page, layout, single_font=True), height, single_font=True)
        layer_file(directory, page.number - 1).write_text(json.dumps({
            "width": shown[0], "height": shown[1], "frame": read_to_displayed(page.rotation, width, height),
            "operators": operators}), encoding="utf-8")


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


def _ocrmypdf(source: Path, partial: Path, target: Path, pages: list[Page], hocr_dir: Path, pdfa: bool, jobs: int,
              writer: str) -> None:
    """OCRmyPDF with bilan's engine plugin: `redo` on the layered pages for the `hocr` and
    `sandwich` writers; for `direct` (a file already layered) `skip`, so only PDF/A is made."""
    try:
        import ocrmypdf
        from ocrmypdf.exceptions import ExitCode, ExitCodeException

        from extractors.export.ocrmypdf_plugin import HANDOVER_VARIABLE
    except ImportError as e:
        raise ExportUnavailable(target, "the searchable PDF needs OCRmyPDF: pip install 'bilan[pdf]'") from e

    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    previous = os.environ.get(HANDOVER_VARIABLE)
    os.environ[HANDOVER_VARIABLE] = str(hocr_dir)
    settings = dict(mode="skip") if writer == "direct" else dict(
        mode="redo", pages=",".join(str(p.number) for p in pages),
        pdf_renderer="sandwich" if writer == "sandwich" else "auto")
    try:
        code = ocrmypdf.ocr(
            source, partial, plugins=[PLUGIN], output_type="pdfa-2" if pdfa else "pdf", pdfa_backend="internal",
            optimize=0, jobs=jobs, progress_bar=False, rotate_pages=False, deskew=False, clean=False,
            language=["fra"], **settings)
    except ExitCodeException as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise OutputError(target, f"OCRmyPDF could not write the PDF: {type(e).__name__}: {first_line}") from e
    finally:
        if previous is None:
            os.environ.pop(HANDOVER_VARIABLE, None)
        else:
            os.environ[HANDOVER_VARIABLE] = previous
    if code != ExitCode.ok:
        what = "the PDF/A was not approved by pikepdf's PDF/A validator" if code == ExitCode.pdfa_conversion_failed \
            else f"OCRmyPDF exit code {int(code)} ({code.name})"
        raise OutputError(target, what)


def write_layers(document: Document, pages: list[Page], tables: list[Table], readable: Path, layered: Path) -> None:
    """The `direct` writer: bilan's layer on each page, the old invisible text removed first."""
    import pikepdf

    from extractors.export.pdflayer import add_text_layer, strip_invisible_text
    from extractors.export.textlayer import GlyphlessFonts

    with pikepdf.open(readable) as pdf:
        fonts = GlyphlessFonts(pdf)
        for page in pages:
            pdf_page = pdf.pages[page.number - 1]
            strip_invisible_text(pdf, pdf_page)
            add_text_layer(pdf, pdf_page, page, page_layout(page, tables), fonts)
        pdf.save(layered)


def image_as_pdf(source: Path, scratch: Path) -> Path:
    """A scanned image as a PDF of its pages (img2pdf: the image data unchanged)."""
    import img2pdf

    plain = scratch / "image.pdf"
    try:
        plain.write_bytes(img2pdf.convert(str(source), rotation=img2pdf.Rotation.ifvalid))
    except Exception as e:  # img2pdf raises plain exceptions for unreadable images
        raise CorruptInput(source, f"cannot turn the image into a PDF page: {e}") from e
    return plain


def export_pdf(document: Document, tables: list[Table], target: Path, pdfa: bool = False,
               password: Optional[str] = None, json_path: Optional[Path] = None, jobs: int = 1,
               writer: str = "direct") -> Path:
    """Write the searchable PDF to `target` (atomically); returns `target`. `writer`: `direct`,
    `sandwich` or `hocr` (see the module's docstring)."""
    if writer not in WRITERS:
        raise ValueError(f"unknown searchable-PDF writer {writer!r}")
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
            elif writer == "direct":
                if document.source.kind != "pdf":
                    readable = image_as_pdf(readable, scratch)
                layered = scratch / "layered.pdf"
                write_layers(document, pages, tables, readable, layered)
                if pdfa:
                    _ocrmypdf(without_transitions(layered, scratch), partial, target, pages, scratch, pdfa, jobs, writer)
                else:
                    os.replace(layered, partial)
            else:
                handover = scratch / "handover"
                handover.mkdir()
                write_handover(document, pages, tables, handover, writer)
                if pdfa and document.source.kind == "pdf":
                    readable = without_transitions(readable, scratch)
                _ocrmypdf(readable, partial, target, pages, handover, pdfa, jobs, writer)
        try:
            os.replace(partial, target)
        except OSError as e:
            raise OutputError(target, f"cannot write: {e.strerror or e}") from e
    return target


@contextmanager
def _as_is(source: Path) -> Iterator[Path]:
    yield source
