"""OCR of PDF pages and image frames with Tesseract, in parallel over pages.

Design, for throughput on a small machine:

* One job = one page. A job carries only the file path and the page (or frame) index: pdfium
  objects and decoded images are not picklable, and sending 8 Mpx per page through a pipe costs
  more than letting each worker open the file itself.
* Pages are rendered by pdfium straight to 8-bit grayscale (a page that is just a scan at the
  requested resolution has its image decoded instead: 0.04 s of CPU instead of 0.11 s) and handed
  to Tesseract as an uncompressed TIFF in a RAM-backed temporary file, TSV read from its stdout
  (the format of pytesseract's `image_to_data`). CPU seconds for one 300-dpi page (encoding plus
  Tesseract, median of 3 runs): uncompressed TIFF file 2.42, Pillow's default PNG as pytesseract
  writes it 2.74 (0.2 of it compressing), PGM on stdin 2.74 (Tesseract reads stdin one character
  at a time, and leptonica's PNM reader is slow).
* Each Tesseract runs single-threaded (`OMP_THREAD_LIMIT=1`): its OpenMP threads only help on an
  idle machine and burn ~5x the CPU when pages already run in parallel on every core.
* Workers come from one process pool kept alive for the life of the process, so a batch of
  documents pays the pool start-up once.
* Orientation detection (Tesseract OSD, `--psm 0`) runs only when the first pass looks bad, so
  upright pages, nearly all of them, pay nothing for it.
"""
from __future__ import annotations

import time
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Callable, Iterator, Literal, Optional, Sequence

from extractors.french.language import language_of
from extractors.ocr.bold import estimate_bold
from extractors.ocr.engine import TesseractFailed, detect_rotation, looks_bad, ocr_pixels, osd_available, quality
from extractors.ocr.pool import shared_pool, shutdown_pool
from extractors.ocr.render import load_image_for_ocr, render_pdf_page, rotate_clockwise
from extractors.options import AUTO_LANG, ENGLISH_PAGE_LANG, FIRST_LANG
from schemas import Word

@dataclass(frozen=True)
class OcrJob:
    """One page to OCR: what a worker needs to find it again (all plain, picklable data)."""

    kind: Literal["pdf", "image"]
    path: str
    index: int  # 0-based page of a PDF, or frame of an image
    number: int  # 1-based page number reported in the Document
    dpi: int
    lang: str
    password: Optional[str] = None


@dataclass
class OcrResult:
    number: int
    width: float = 0.0  # points, in the frame the page was read in (after `rotation`)
    height: float = 0.0
    rotation: int = 0
    words: list[Word] = field(default_factory=list)
    error: Optional[str] = None
    seconds: dict[str, float] = field(default_factory=dict)  # render / ocr / osd, for profiling


def reads_english(words: list[Word]) -> bool:
    """Do a page's OCR'd words read as English (by their function words)?"""
    return language_of(" ".join(w.text for w in words)).is_english


def ocr_job(job: OcrJob) -> OcrResult:
    """Render (or load) one page and OCR it. Never raises: failures come back in `error`."""
    result = OcrResult(number=job.number)
    try:
        started = time.perf_counter()
        tell_dpi = True
        if job.kind == "pdf":
            pixels, width, height = render_pdf_page(job.path, job.index, job.dpi, job.password)
            grey, dpi = pixels, float(job.dpi)
        else:
            # colour kept for Tesseract; an unrecorded resolution is left for it to measure
            pixels, grey, dpi, tell_dpi = load_image_for_ocr(job.path, job.index)
            height, width = (n * 72.0 / dpi for n in grey.shape)
        rendered = time.perf_counter()
        result.seconds["render"] = rendered - started
        lang = FIRST_LANG if job.lang == AUTO_LANG else job.lang
        words = ocr_pixels(pixels, round(dpi), lang, tell_dpi)
        if job.lang == AUTO_LANG and reads_english(words):
            lang = ENGLISH_PAGE_LANG  # an English page: the French model alone loses 1 word in 3 more
            words = ocr_pixels(pixels, round(dpi), lang, tell_dpi)
        read = grey
        result.seconds["ocr"] = time.perf_counter() - rendered
        if looks_bad(words) and osd_available():
            osd_started = time.perf_counter()
            rotation = detect_rotation(pixels, round(dpi))
            if rotation:
                turned = ocr_pixels(rotate_clockwise(pixels, rotation), round(dpi), lang, tell_dpi)
                # Keep the turned reading if it looks right or reads more confident text than the
                # first pass (OSD can be fooled by pictures). Tesseract can read a sideways page
                # as well as the turned one, so a tie goes to the turned one, with usable boxes.
                if not looks_bad(turned) or len(turned) * quality(turned) > len(words) * quality(words):
                    words = turned
                    read = rotate_clockwise(grey, rotation)
                    result.rotation = rotation
                    if rotation in (90, 270):
                        width, height = height, width
            result.seconds["osd"] = time.perf_counter() - osd_started
        bold_started = time.perf_counter()
        words = estimate_bold(read, words, dpi)
        result.seconds["bold"] = time.perf_counter() - bold_started
        result.words, result.width, result.height = words, width, height
    except TesseractFailed as e:
        result.error = str(e)
    except Exception as e:  # one unreadable page must not take the document down
        result.error = f"{type(e).__name__}: {e}"
    return result


# --- Page-level scheduling by `bilan batch` ---------------------------------------------------------
# A batch worker reads one document with one core, so a folder holding one long scan would keep
# one core busy. The batch extracts such a document in two passes instead: inside defer_ocr(),
# extraction stops where OCR would start and hands back its page jobs (OcrDeferred); the batch
# runs them as tasks of its own pool, then extracts again inside prepared_ocr(), where the same
# jobs are answered from those results. Triage over the whole file, errors, status, repair and
# records all run the ordinary single-document code, so the Document is the one unsplit extraction
# gives. Context variables, not globals: a Dask worker runs several tasks in threads of one process.

_DEFER: ContextVar[bool] = ContextVar("bilan_defer_ocr", default=False)
_PREPARED: ContextVar[Optional[dict[OcrJob, OcrResult]]] = ContextVar("bilan_prepared_ocr", default=None)


class OcrDeferred(BaseException):
    """Raised by submit_ocr_jobs inside defer_ocr() when a document has two or more pages to OCR.

    A BaseException, like GeneratorExit: it is control flow, not a failure, and a broad
    `except Exception` between the OCR call and the batch must not record it as a page error.
    """

    def __init__(self, jobs: Sequence[OcrJob]):
        super().__init__(f"OCR of {len(jobs)} pages deferred to the batch")
        self.jobs = list(jobs)


@contextmanager
def defer_ocr(enabled: bool = True) -> Iterator[None]:
    token = _DEFER.set(enabled)
    try:
        yield
    finally:
        _DEFER.reset(token)


@contextmanager
def prepared_ocr(pairs: Sequence[tuple[OcrJob, OcrResult]]) -> Iterator[None]:
    """OCR jobs equal to one of `pairs` get its result instead of running (others still run)."""
    token = _PREPARED.set(dict(pairs))
    try:
        yield
    finally:
        _PREPARED.reset(token)


def submit_ocr_jobs(jobs: Sequence[OcrJob], workers: int) -> Callable[[], list[OcrResult]]:
    """Start OCR of every job; the returned function waits and gives results in job order.

    The caller can do other work (the text-layer pages of a mixed PDF) while workers OCR. With
    one page or one worker there is no pool: the work runs when the results are asked for. A
    crashed worker (killed for memory, say) fails the pages it had not finished, not the document.
    """
    prepared = _PREPARED.get()
    if prepared is not None:  # pages read beforehand by `bilan batch`; see defer_ocr
        return lambda: [prepared[job] if job in prepared else ocr_job(job) for job in jobs]
    if _DEFER.get() and len(jobs) >= 2:
        raise OcrDeferred(jobs)
    if len(jobs) <= 1 or workers <= 1:
        return lambda: [ocr_job(job) for job in jobs]
    pool = shared_pool(workers)
    futures = [pool.submit(ocr_job, job) for job in jobs]

    def collect() -> list[OcrResult]:
        results = []
        for job, future in zip(jobs, futures):
            try:
                results.append(future.result())
            except BrokenProcessPool as e:
                results.append(OcrResult(number=job.number, error=f"OCR worker died: {e}"))
        if any(r.error and r.error.startswith("OCR worker died") for r in results):
            shutdown_pool()  # a broken pool cannot be reused
        return results

    return collect


def run_ocr_jobs(jobs: Sequence[OcrJob], workers: int) -> list[OcrResult]:
    """OCR every job, in parallel when there is more than one page and more than one worker."""
    return submit_ocr_jobs(jobs, workers)()
