"""OCR of PDF pages and image frames with Tesseract, in parallel over pages.

Design, for throughput on a small machine:

* One job = one page. A job carries only the file path and the page (or frame) index: pdfium
  objects and decoded images are not picklable, and sending 8 Mpx per page through a pipe costs
  more than letting each worker open the file itself.
* Pages are rendered by pdfium straight to 8-bit grayscale (a page that is just a scan at the
  requested resolution has its image decoded instead: 0.04 s of CPU instead of 0.11 s) and given
  to the OCR engine from memory: Tesseract loaded once per worker (extractors.ocr.engine).
* While the page image is in memory its drawn rules are found too (extractors.ocr.rulings), for
  the table reader: records never open the file again.
* Workers come from one process pool kept alive for the life of the process, so a batch of
  documents pays the pool start-up (and each worker its Tesseract start-up) once.
* Orientation detection (Tesseract OSD) runs only when the first pass looks bad, so upright
  pages, nearly all of them, pay nothing for it.
"""
from __future__ import annotations

import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Literal, Optional, Sequence, Union

from extractors.french.language import language_of
from extractors.ocr.bold import estimate_bold
from extractors.ocr.engine import looks_bad, ocr_engine, osd_available, quality
from extractors.ocr.tesseract_output import TesseractFailed
from extractors.ocr.pool import shared_pool, shutdown_pool
from extractors.ocr.render import load_image_for_ocr, render_pdf_page, rotate_clockwise
from extractors.ocr.rulings import rulings_of_scan
from extractors.options import AUTO_LANG, ENGLISH_PAGE_LANG, FIRST_LANG
from extractors.progress import page_read
from schemas import Word
from schemas.table import Ruling

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
    alternatives: bool = False  # keep Tesseract's runner-up readings (Word.alternatives)


@dataclass
class OcrResult:
    number: int
    width: float = 0.0  # points, in the frame the page was read in (after `rotation`)
    height: float = 0.0
    rotation: int = 0
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)  # drawn rules in the image, in the words' frame
    error: Optional[str] = None
    seconds: dict[str, float] = field(default_factory=dict)  # CPU s of render / ocr / osd / bold / rulings, for profiling


# The results of a document's OCR jobs, in job order, or a function that waits for them (so the
# text-layer pages of a mixed PDF are read while the workers OCR).
OcrResults = Union[Sequence[OcrResult], Callable[[], Sequence[OcrResult]]]


def reads_english(words: list[Word]) -> bool:
    """Do a page's OCR'd words read as English (by their function words)?"""
    return language_of(" ".join(w.text for w in words)).is_english


def ocr_job(job: OcrJob) -> OcrResult:
    """Render (or load) one page, OCR it upright, then find its bold words and drawn rules while its
    image is in memory. Never raises: failures come back in `error`."""
    result = OcrResult(number=job.number)
    try:
        started = time.process_time()
        tell_dpi = True
        if job.kind == "pdf":
            pixels, width, height = render_pdf_page(job.path, job.index, job.dpi, job.password)
            grey, dpi = pixels, float(job.dpi)
        else:
            # colour kept for Tesseract; an unrecorded resolution is left for it to measure
            pixels, grey, dpi, tell_dpi = load_image_for_ocr(job.path, job.index)
            height, width = (n * 72.0 / dpi for n in grey.shape)
        result.seconds["render"] = time.process_time() - started
        words, result.rotation = read_upright(pixels, round(dpi), tell_dpi, job, result.seconds)
        if result.rotation:
            grey = rotate_clockwise(grey, result.rotation)
        if result.rotation in (90, 270):
            width, height = height, width
        bold_started = time.process_time()
        words = estimate_bold(grey, words, dpi)
        rulings_started = time.process_time()
        result.seconds["bold"] = rulings_started - bold_started
        try:
            result.rulings = rulings_of_scan(grey, dpi, words)
        except (ValueError, MemoryError):  # an image too odd to search: the page keeps its words
            result.rulings = []
        result.seconds["rulings"] = time.process_time() - rulings_started
        result.words, result.width, result.height = words, width, height
    except TesseractFailed as e:
        result.error = str(e)
    except Exception as e:  # one unreadable page must not take the document down
        result.error = f"{type(e).__name__}: {e}"
    return result


def read_upright(pixels, dpi: int, tell_dpi: bool, job: OcrJob, seconds: dict[str, float]):
    """(words, clockwise turn applied): the page as it is, or turned the way orientation detection
    says when the first reading looks bad. With --lang auto, a page read in French whose words read
    as English is read again with fra+eng (the French model alone loses 1 word in 3 more there)."""
    engine = ocr_engine()
    started = time.process_time()
    lang = FIRST_LANG if job.lang == AUTO_LANG else job.lang
    words = engine.read(pixels, dpi, lang, job.alternatives, tell_dpi)
    if job.lang == AUTO_LANG and reads_english(words):
        lang = ENGLISH_PAGE_LANG
        words = engine.read(pixels, dpi, lang, job.alternatives, tell_dpi)
    seconds["ocr"] = time.process_time() - started
    if not (looks_bad(words) and osd_available()):
        return words, 0
    started = time.process_time()
    try:
        rotation = engine.orientation(pixels, dpi, tell_dpi)
        if rotation:
            turned = engine.read(rotate_clockwise(pixels, rotation), dpi, lang, job.alternatives, tell_dpi)
            # Keep the turned reading if it looks right or reads more confident text than the
            # first pass (OSD can be fooled by pictures). Tesseract can read a sideways page as
            # well as the turned one, so a tie goes to the turned one, with usable boxes.
            if not looks_bad(turned) or len(turned) * quality(turned) > len(words) * quality(words):
                return turned, rotation
        return words, 0
    finally:
        seconds["osd"] = time.process_time() - started


def submit_ocr_jobs(jobs: Sequence[OcrJob], workers: int) -> Callable[[], list[OcrResult]]:
    """Start OCR of every job; the returned function waits and gives results in job order.

    The caller can do other work (the text-layer pages of a mixed PDF) while workers OCR. With
    one page or one worker there is no pool: the work runs when the results are asked for. A
    crashed worker (killed for memory, say) fails the pages it had not finished, not the document.
    """
    if len(jobs) <= 1 or workers <= 1:
        return lambda: [ocr_job_read(job) for job in jobs]
    pool = shared_pool(workers)
    futures = [pool.submit(ocr_job, job) for job in jobs]

    def collect() -> list[OcrResult]:
        results = []
        for job, future in zip(jobs, futures):
            try:
                results.append(future.result())
            except BrokenProcessPool as e:
                results.append(OcrResult(number=job.number, error=f"OCR worker died: {e}"))
            page_read()
        if any(r.error and r.error.startswith("OCR worker died") for r in results):
            shutdown_pool()  # a broken pool cannot be reused
        return results

    return collect


def ocr_job_read(job: OcrJob) -> OcrResult:
    result = ocr_job(job)
    page_read()  # the CLI's page progress
    return result


def run_ocr_jobs(jobs: Sequence[OcrJob], workers: int) -> list[OcrResult]:
    """OCR every job, in parallel when there is more than one page and more than one worker."""
    return submit_ocr_jobs(jobs, workers)()
