"""PDF inputs: each selected page read from its text layer or OCR'd, as triage decides.

pdfium opens the file first (fast, tells encrypted from corrupt from empty) and triages every
page; text-layer pages are read with pdfium too (glyphs, fonts, drawn lines: extractors.ingest.pdf_chars),
and Tesseract only runs for pages triage sends to OCR, in parallel worker processes.

Two steps, so that a batch can run the OCR pages as tasks of their own in between: `plan_pdf`
(open, triage over the whole file, the OCR jobs) and `finish_pdf` (text-layer pages read, OCR
results turned into Pages, errors and status).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from extractors.errors import CorruptInput, EmptyDocument, EncryptedPDF, InputTooLarge
from extractors.layout import words_to_lines
from extractors.ocr.engine import check_ocr_available
from extractors.ocr.jobs import OcrJob, OcrResult, OcrResults, submit_ocr_jobs
from extractors.options import IngestOptions, check_page_count, parse_pages
from extractors.progress import expect, page_read
from extractors.ingest.source import make_source
from extractors.ingest.triage import confirm_scans_with_damaged_text, page_text, triage_page
from schemas import Document, Page, PageTriage, StageError


@dataclass
class PlannedPage:
    number: int
    width: float
    height: float
    triage: PageTriage


def open_pdfium(path: Path, options: IngestOptions):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(str(path), password=options.password)
    except pdfium.PdfiumError as e:
        if loads_without_pages(path, options.password):
            raise EmptyDocument(path, "the PDF has no pages") from e
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            if options.password:
                raise EncryptedPDF(path, "encrypted, and the password given with --password is wrong") from e
            raise EncryptedPDF(path, "encrypted; give the password with --password") from e
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedPDF(path, "encrypted with a security handler bilan cannot open") from e
        raise CorruptInput(path, f"truncated or corrupt PDF: {pdfium_error_text(code)}") from e
    except OSError as e:
        raise CorruptInput(path, f"cannot read: {e.strerror or e}") from e


def loads_without_pages(path: Path, password: str | None) -> bool:
    """True when pdfium can load the file but it has zero pages.

    pypdfium2 raises the same PdfiumError for "no pages" as for a failed load, with pdfium's last
    error code, which a successful load does not reset (it may be a previous file's). Loading
    again through the raw API tells the two apart.
    """
    import pypdfium2.raw as pdfium_c

    secret = None if password is None else (password + "\x00").encode("utf-8")
    handle = pdfium_c.FPDF_LoadDocument((str(path) + "\x00").encode("utf-8"), secret)
    if not handle:
        return False
    try:
        return pdfium_c.FPDF_GetPageCount(handle) == 0
    finally:
        pdfium_c.FPDF_CloseDocument(handle)


def pdfium_error_text(code: Optional[int]) -> str:
    import pypdfium2.raw as pdfium_c

    return {
        pdfium_c.FPDF_ERR_FILE: "file not found or could not be opened",
        pdfium_c.FPDF_ERR_FORMAT: "not in PDF format or corrupted",
        pdfium_c.FPDF_ERR_PAGE: "page not found or content error",
    }.get(code, "pdfium could not load it")


def plan_pages(pdf, numbers: list[int], options: IngestOptions) -> tuple[list[PlannedPage], list[StageError]]:
    """Triage every selected page; a page pdfium cannot load is an error for that page only."""
    import pypdfium2 as pdfium

    planned: list[PlannedPage] = []
    errors: list[StageError] = []
    for number in numbers:
        try:
            page = pdf[number - 1]
        except pdfium.PdfiumError as e:
            errors.append(StageError(stage="triage", page=number, message=f"pdfium cannot load the page: {e}"))
            continue
        try:
            width, height = page.get_size()  # /Rotate applied, like the rendering
            planned.append(PlannedPage(number, width, height, triage_page(page, options, page_text(page))))
        finally:
            page.close()
    # Scanned pages with an OCR text layer: a layer damaged on most pages is damaged on all of
    # them, including pages (tables, lists) with too few words to show it on their own.
    triages = confirm_scans_with_damaged_text([p.triage for p in planned], options)
    for plan, triage in zip(planned, triages):
        plan.triage = triage
    return planned, errors


def rendered_pixels(plan: PlannedPage, dpi: int) -> int:
    return round(plan.width * dpi / 72) * round(plan.height * dpi / 72)


def read_text_layer_pages(path: Path, plans: list[PlannedPage], options: IngestOptions) -> tuple[dict[int, Page], list[StageError]]:
    pages: dict[int, Page] = {}
    errors: list[StageError] = []
    if not plans:
        return pages, errors  # a scanned PDF does not pay for importing the word grouping
    from extractors.ingest.pdf_chars import PageTransform, page_rulings, page_shades
    from extractors.ingest.text_layer import read_text_layer

    with open_pdfium(path, options) as pdf:
        for plan in plans:
            page = None
            try:
                page = pdf[plan.number - 1]
                transform = PageTransform.of(page)
                words, lines = read_text_layer(page, transform)
                rulings = page_rulings(page, transform)  # drawn table borders, for the table reader
                shades = page_shades(page, transform)  # shaded cells, for the table reader
            except Exception as e:  # a broken content stream fails this page only
                errors.append(StageError(stage="text-layer", page=plan.number, message=f"{type(e).__name__}: {e}"))
                continue
            finally:
                if page is not None:
                    page.close()  # pdfium frees the page's objects now, so memory stays flat
                page_read()
            pages[plan.number] = Page(
                number=plan.number,
                width=transform.width,
                height=transform.height,
                origin="text-layer",
                triage=plan.triage,
                words=words,
                lines=lines,
                rulings=rulings,
                shades=shades,
            )
    return pages, errors


def ocr_pages(plans: list[PlannedPage], results: Sequence[OcrResult]) -> tuple[dict[int, Page], list[StageError]]:
    """The OCR'd pages as Pages (their drawn rules found in the image while OCR had it), and their errors."""
    by_number = {p.number: p for p in plans}
    pages: dict[int, Page] = {}
    errors: list[StageError] = []
    for result in results:
        if result.error:
            errors.append(StageError(stage="ocr", page=result.number, message=result.error))
            continue
        if not result.words:
            errors.append(StageError(stage="ocr", page=result.number, message="OCR found no text on this page", level="warning"))
        pages[result.number] = Page(
            number=result.number,
            width=result.width,
            height=result.height,
            rotation=result.rotation,
            origin="ocr",
            triage=by_number[result.number].triage,
            words=result.words,
            lines=words_to_lines(result.words),
            rulings=result.rulings,
        )
    return pages, errors


def empty_page(plan: PlannedPage) -> tuple[Page, StageError]:
    if plan.triage.image_coverage > 0:
        message = "page is an image without a text layer; not OCR'd because of --ocr never"
    else:
        message = "page has no text and no images"
    page = Page(number=plan.number, width=plan.width, height=plan.height, origin="empty", triage=plan.triage)
    return page, StageError(stage="triage", page=plan.number, message=message, level="warning")


@dataclass(frozen=True)
class PdfPlan:
    """A PDF triaged: what each selected page needs, and the OCR jobs of the pages to OCR (plain,
    picklable data, so a batch can run them as tasks of their own before `finish_pdf`)."""

    path: Path
    page_count: int
    numbers: list[int]
    pages: dict[int, Page]  # decided already: empty pages
    errors: list[StageError]
    text_layer: list[PlannedPage]
    to_ocr: list[PlannedPage]
    jobs: tuple[OcrJob, ...]


def plan_pdf(path: Path, options: IngestOptions | None = None) -> PdfPlan:
    """Open and triage the PDF (over the whole file, see `plan_pages`); raises when nothing can be read."""
    options = options or IngestOptions()
    path = Path(path)
    with open_pdfium(path, options) as pdf:
        page_count = len(pdf)
        if page_count == 0:
            raise EmptyDocument(path, "the PDF has no pages")
        check_page_count(path, page_count, options)
        numbers = parse_pages(options.pages, page_count)
        expect(len(numbers))
        plans, errors = plan_pages(pdf, numbers, options)

    pages: dict[int, Page] = {}
    to_ocr: list[PlannedPage] = []
    for plan in plans:
        if plan.triage.decision == "empty":
            page, note = empty_page(plan)
            pages[plan.number] = page
            errors.append(note)
        elif plan.triage.decision == "ocr":
            pixels = rendered_pixels(plan, options.dpi)
            if pixels > options.max_pixels:
                problem = (
                    f"page {plan.number} is {plan.width:.0f}×{plan.height:.0f} pt, {pixels / 1e6:.0f} Mpx at "
                    f"{options.dpi} dpi, above the limit of {options.max_pixels / 1e6:.0f} Mpx"
                )
                if len(numbers) == 1:
                    raise InputTooLarge(path, problem)
                errors.append(StageError(stage="ocr", page=plan.number, message=problem))
                continue
            to_ocr.append(plan)
    if to_ocr:
        check_ocr_available(path, options.lang)
    jobs = tuple(
        OcrJob(kind="pdf", path=str(path), index=p.number - 1, number=p.number, dpi=options.dpi, lang=options.lang,
               password=options.password, alternatives=options.ocr_alternatives)
        for p in to_ocr
    )
    text_layer = [p for p in plans if p.triage.decision == "text-layer"]
    return PdfPlan(path, page_count, numbers, pages, errors, text_layer, to_ocr, jobs)


def finish_pdf(plan: PdfPlan, options: IngestOptions, results: OcrResults) -> Document:
    """The Document of a planned PDF, given its OCR jobs' results (in job order).

    `results` may be a function that waits for them: the text-layer pages of a mixed PDF are read
    first, while workers OCR.
    """
    pages = dict(plan.pages)
    errors = list(plan.errors)
    text_pages, text_errors = read_text_layer_pages(plan.path, plan.text_layer, options)
    ocred, ocr_errors = ocr_pages(plan.to_ocr, results() if callable(results) else results)
    pages.update(text_pages)
    pages.update(ocred)
    errors.extend(text_errors)
    errors.extend(ocr_errors)
    errors.sort(key=lambda e: (e.page or 0))

    ordered = [pages[n] for n in plan.numbers if n in pages]
    status = document_status(ordered, errors)
    if status == "failed" and not any(e.level == "error" for e in errors):
        errors.append(StageError(stage="ingest", message="no text found in the selected pages"))
    return Document(source=make_source(plan.path, "pdf", plan.page_count), pages=ordered, status=status, errors=errors)


def pdf_to_document(path: Path, options: IngestOptions | None = None) -> Document:
    """Plan, OCR (on the worker pool while the text-layer pages are read), finish."""
    options = options or IngestOptions()
    plan = plan_pdf(path, options)
    return finish_pdf(plan, options, submit_ocr_jobs(plan.jobs, options.workers))


def document_status(pages: list[Page], errors: list[StageError]) -> str:
    if any(page.words for page in pages):
        return "partial" if any(e.level == "error" for e in errors) else "success"
    if pages and all(p.origin == "empty" and p.triage and p.triage.image_coverage > 0 for p in pages):
        return "skipped"  # only image pages under --ocr never: nothing was attempted
    return "failed"
