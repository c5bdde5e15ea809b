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

import atexit
import os
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Literal, Optional, Sequence

import numpy as np

from extractors.errors import OCRUnavailable
from schemas import Word

TESSERACT = "tesseract"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd"

# A first pass is "bad" (and orientation is checked) below either figure, or when its word boxes
# stand upright. Measured on corpus scans, skew.pdf and c02-22.pdf: upright pages read at mean
# confidence 93-96; turned 180° they read at 43-49; turned 90° Tesseract often reads the words
# anyway (~94) but its boxes are then taller than wide, useless for rebuilding lines.
MIN_WORDS_BEFORE_OSD = 12
MIN_MEAN_CONFIDENCE_BEFORE_OSD = 60.0
# OSD's orientation confidence below which its answer is not acted on; on those pages it printed
# 4.6 (a cover with 16 words) to 31.
MIN_OSD_CONFIDENCE = 1.0


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


# --- Availability -----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def installed_languages() -> frozenset[str]:
    """Language codes Tesseract has data for, asked once per process.

    This is what pytesseract.get_languages() runs (`tesseract --list-langs`), called directly:
    importing pytesseract imports pandas when it is installed, 0.3 s on every `bilan extract`.
    """
    try:
        done = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, env=tesseract_env(), check=False)
    except FileNotFoundError as e:
        raise OCRUnavailable(None, f"the tesseract program is not installed ({INSTALL_HINT})") from e
    except OSError as e:
        raise OCRUnavailable(None, f"tesseract does not run: {e} ({INSTALL_HINT})") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise OCRUnavailable(None, f"`tesseract --list-langs` failed: {message or done.returncode} ({INSTALL_HINT})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    # First line: 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("List of"))


def check_ocr_available(path: str | Path, lang: str) -> None:
    """Raise OCRUnavailable naming the file when Tesseract or a requested language is missing."""
    try:
        languages = installed_languages()
    except OCRUnavailable as e:
        raise OCRUnavailable(path, e.problem) from e
    missing = [code for code in lang.split("+") if code not in languages]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.replace('_', '-').lower()}" for code in missing)
        raise OCRUnavailable(
            path,
            f"Tesseract has no language data for {'+'.join(missing)} (installed: "
            f"{', '.join(sorted(languages)) or 'none'}); apt-get install {packages}",
        )


def osd_available() -> bool:
    try:
        return "osd" in installed_languages()
    except OCRUnavailable:
        return False


# --- Rendering --------------------------------------------------------------------------------


# A page image is used as it is, instead of rendering the page, when its pixel size is within
# this share of the rendered size (a 300-dpi scan rendered at 300 dpi).
NATIVE_SIZE_TOLERANCE = 0.01
# pdfium colour-space codes (FPDF_COLORSPACE_*) of images decoded the way they are rendered:
# DeviceGray, DeviceRGB, DeviceCMYK, CalGray, CalRGB, ICCBased, Indexed.
PLAIN_COLOR_SPACES = {1, 2, 3, 4, 5, 7, 10}


def render_pdf_page(path: str, index: int, dpi: int, password: Optional[str]) -> tuple[np.ndarray, float, float]:
    """Grayscale pixels of one PDF page at `dpi` (pdfium applies /Rotate), and its size in points."""
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(path, password=password) as pdf:
        page = pdf[index]
        width, height = page.get_size()
        pixels = scan_image_pixels(page, width, height, dpi)
        if pixels is None:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            # to_numpy is a view of pdfium's buffer: copy it before the bitmap is freed.
            pixels = np.array(bitmap.to_numpy(), copy=True)
            bitmap.close()
        page.close()
    return pixels, width, height


def scan_image_pixels(page, width: float, height: float, dpi: int) -> Optional[np.ndarray]:
    """The page's scan decoded as it is, when rendering the page would only reproduce it.

    That is a page holding one upright image that fills it, at (within 1%) the resolution asked
    for, and nothing else visible (an invisible OCR text layer is allowed). Decoding the image
    costs ~0.04 s of CPU against ~0.11 s for rendering the page; anything else is rendered.
    """
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() != 0 or tuple(page.get_cropbox()[:2]) != (0.0, 0.0):
        return None
    image = None
    for obj in page.get_objects(max_depth=0):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE and image is None:
            image = obj
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and (
            pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            continue
        else:
            return None
    if image is None:
        return None
    # Stencil masks (colour space unknown to pdfium) are painted in the fill colour: render them.
    if image.get_metadata().colorspace not in PLAIN_COLOR_SPACES:
        return None
    a, b, c, d, e, f = image.get_matrix().get()
    if b or c or abs(a - width) > 0.5 or abs(d - height) > 0.5 or abs(e) > 0.5 or abs(f) > 0.5:
        return None
    px_width, px_height = image.get_px_size()
    for pixels, points in ((px_width, width), (px_height, height)):
        if abs(pixels - points * dpi / 72) > NATIVE_SIZE_TOLERANCE * points * dpi / 72:
            return None
    bitmap = image.get_bitmap(render=False)  # freed with the page; copied out below
    if bitmap.n_channels == 1:
        return np.array(bitmap.to_numpy(), copy=True)
    return np.array(bitmap.to_pil().convert("L"))


def load_image_frame(path: str, index: int) -> tuple[np.ndarray, float]:
    """Grayscale pixels of one image frame and its resolution in dpi (300 when not recorded)."""
    from PIL import Image

    from extractors.image_input import frame_dpi  # shared rule for the default resolution

    # image_to_document checked every frame's header against --max-pixels before queueing the
    # job; Pillow's own guard (default ~89 Mpx warning) would only add noise here.
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(path) as image:
        image.seek(index)
        dpi = frame_dpi(image)
        frame = image
        if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
            # Transparent pixels are black underneath; text drawn on them would vanish.
            rgba = frame.convert("RGBA")
            frame = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            frame.alpha_composite(rgba)
        if frame.mode.startswith("I;16") or frame.mode == "I":
            # 16-bit scans: scale to 8 bits instead of letting convert("L") clip at 255.
            wide = np.asarray(frame, dtype=np.float64)
            top = wide.max() or 1.0
            return (wide * (255.0 / top)).astype(np.uint8), dpi
        return np.asarray(frame.convert("L")), dpi


# --- Tesseract --------------------------------------------------------------------------------


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


class TesseractFailed(RuntimeError):
    pass


def fast_temp_dir() -> Optional[str]:
    """/dev/shm (RAM) when there is one: the page image is written and read back once."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def run_tesseract(pixels: np.ndarray, dpi: int, args: Sequence[str]) -> str:
    """Run Tesseract on a grayscale page; its stdout (TSV, or the OSD report) as text."""
    from PIL import Image

    with tempfile.NamedTemporaryFile(suffix=".tif", dir=fast_temp_dir()) as image_file:
        Image.fromarray(pixels).save(image_file, format="TIFF", dpi=(dpi, dpi))
        image_file.flush()
        command = [TESSERACT, image_file.name, "stdout", "--dpi", str(dpi), *args]
        try:
            done = subprocess.run(command, capture_output=True, env=tesseract_env(), check=False)
        except FileNotFoundError as e:
            raise TesseractFailed(f"the tesseract program is not installed ({INSTALL_HINT})") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractFailed(f"tesseract exited with {done.returncode}: {message[-1] if message else 'no message'}")
    return done.stdout.decode("utf-8", "replace")


def tsv_words(tsv: str, scale: float) -> list[Word]:
    """Words of Tesseract's TSV output; pixel boxes times `scale` (72/dpi) give points."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) < 12 or cells[0] != "5":  # level 5 = word
            continue
        text = cells[11].strip()
        conf = float(cells[10])
        if conf < 0 or not text:  # -1 marks block/line rows and empty detections
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        words.append(
            Word(
                text=text,
                bbox=(left * scale, top * scale, (left + width) * scale, (top + height) * scale),
                confidence=min(100.0, conf),
                origin="ocr",
            )
        )
    return words


def ocr_pixels(pixels: np.ndarray, dpi: int, lang: str) -> list[Word]:
    tsv = run_tesseract(pixels, dpi, ["-l", lang, "tsv"])
    return tsv_words(tsv, 72.0 / dpi)


def looks_bad(words: list[Word]) -> bool:
    if len(words) < MIN_WORDS_BEFORE_OSD:
        return True
    if quality(words) < MIN_MEAN_CONFIDENCE_BEFORE_OSD:
        return True
    # Tesseract sometimes reads a sideways page by itself, but its boxes then stand upright
    # (taller than wide) in the page's frame, and lines cannot be rebuilt from them.
    long_words = [w.bbox for w in words if len(w.text) >= 3]
    tall = sum(1 for b in long_words if (b[3] - b[1]) > (b[2] - b[0]))
    return bool(long_words) and tall > len(long_words) / 2


def quality(words: list[Word]) -> float:
    return sum(w.confidence or 0.0 for w in words) / len(words) if words else 0.0


def detect_rotation(pixels: np.ndarray, dpi: int) -> int:
    """Clockwise degrees (0/90/180/270) that make the page upright, per Tesseract OSD; 0 if unsure."""
    try:
        report = run_tesseract(pixels, dpi, ["--psm", "0", "-l", "osd"])
    except TesseractFailed:  # "Too few characters" and the like: nothing to act on
        return 0
    fields = dict(line.split(":", 1) for line in report.splitlines() if ":" in line)
    try:
        rotate = int(fields.get("Rotate", "0").strip())
        confidence = float(fields.get("Orientation confidence", "0").strip())
    except ValueError:
        return 0
    return rotate % 360 if confidence >= MIN_OSD_CONFIDENCE else 0


def rotate_clockwise(pixels: np.ndarray, degrees: int) -> np.ndarray:
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(pixels, k=-(degrees // 90)))


def ocr_job(job: OcrJob) -> OcrResult:
    """Render (or load) one page and OCR it. Never raises: failures come back in `error`."""
    result = OcrResult(number=job.number)
    try:
        started = time.perf_counter()
        if job.kind == "pdf":
            pixels, width, height = render_pdf_page(job.path, job.index, job.dpi, job.password)
            dpi = float(job.dpi)
        else:
            pixels, dpi = load_image_frame(job.path, job.index)
            height, width = (n * 72.0 / dpi for n in pixels.shape)
        rendered = time.perf_counter()
        result.seconds["render"] = rendered - started
        words = ocr_pixels(pixels, round(dpi), job.lang)
        read = pixels
        result.seconds["ocr"] = time.perf_counter() - rendered
        if looks_bad(words) and osd_available():
            osd_started = time.perf_counter()
            rotation = detect_rotation(pixels, round(dpi))
            if rotation:
                turned = ocr_pixels(rotate_clockwise(pixels, rotation), round(dpi), job.lang)
                # Keep the turned reading if it looks right or reads more confident text than the
                # first pass (OSD can be fooled by pictures). Tesseract can read a sideways page
                # as well as the turned one, so a tie goes to the turned one, with usable boxes.
                if not looks_bad(turned) or len(turned) * quality(turned) > len(words) * quality(words):
                    words = turned
                    read = rotate_clockwise(pixels, rotation)
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


# --- Bold ---------------------------------------------------------------------------------------

# Tesseract reports no font weight; a bold lead organisation set beside plain partners is told
# apart by its strokes. A word's stroke width is estimated as 2 x ink area / ink perimeter (a
# stroke of width w and length L has area wL and perimeter ~2L; sub-pixel, and the same for every
# letter shape), ink being darker than the middle of the box's paper and darkest ink (white text
# on a dark band is inverted first). It is compared with the median of the page's words of
# similar size (line height within 20 %): bold above BOLD_RATIO, plain below PLAIN_RATIO, unknown
# (None) between, for words of fewer than BOLD_MIN_CHARS letters or digits (punctuation, "en",
# "au" carry too little ink to judge), or on pages with too few peers. Measured on the annex of
# corpus/000_report_scan.pdf against the bold flags of the born-digital twin: bold words read at
# 1.3-2.2, plain ones at 0.8-1.15 (two exceptions out of 2,500).
BOLD_RATIO = 1.3
PLAIN_RATIO = 1.15
BOLD_MIN_CHARS = 3
BOLD_MIN_PEERS = 15


def stroke_width(pixels: np.ndarray, bbox: tuple[float, float, float, float], scale: float) -> Optional[float]:
    """Mean stroke width (pixels) of the ink in a word box given in points; None if unreadable."""
    x0, y0, x1, y1 = (int(round(v * scale)) for v in bbox)
    crop = pixels[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)].astype(np.int16)
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    paper = float(np.median(border))
    if paper < 128:  # light text on a dark band
        crop, paper = 255 - crop, 255 - paper
    ink = float(np.percentile(crop, 3))
    if paper - ink < 40:
        return None
    mask = (crop < (paper + ink) / 2).astype(np.int8)
    area = int(mask.sum())
    if area < 10:
        return None
    perimeter = (int(np.abs(np.diff(mask, axis=1)).sum()) + int(np.abs(np.diff(mask, axis=0)).sum())
                 + int(mask[:, 0].sum() + mask[:, -1].sum() + mask[0].sum() + mask[-1].sum()))
    return 2.0 * area / perimeter if perimeter else None


def estimate_bold(pixels: np.ndarray, words: list[Word], dpi: float) -> list[Word]:
    """`words` with `bold` set where the strokes say so with confidence (see above)."""
    if len(words) < BOLD_MIN_PEERS:
        return words
    from extractors.layout import words_to_lines

    scale = dpi / 72.0
    strokes = np.array([stroke_width(pixels, w.bbox, scale) or np.nan for w in words], dtype=float)
    sizes = np.zeros(len(words))
    for line in words_to_lines(words):
        heights = sorted(words[i].bbox[3] - words[i].bbox[1] for i in line.word_ids)
        for i in line.word_ids:
            sizes[i] = heights[len(heights) * 3 // 4]
    known = ~np.isnan(strokes)
    out = []
    for i, word in enumerate(words):
        if not known[i] or sum(ch.isalnum() for ch in word.text) < BOLD_MIN_CHARS:
            out.append(word)
            continue
        peers = known & (np.abs(sizes - sizes[i]) <= 0.2 * sizes[i])
        if peers.sum() < BOLD_MIN_PEERS:
            out.append(word)
            continue
        ratio = strokes[i] / float(np.median(strokes[peers]))
        bold = True if ratio >= BOLD_RATIO else False if ratio <= PLAIN_RATIO else None
        out.append(word.model_copy(update={"bold": bold}) if bold is not None else word)
    return out


# --- Pool -------------------------------------------------------------------------------------

_pool: Optional[ProcessPoolExecutor] = None
_pool_size = 0


def _worker_init() -> None:
    # Tesseract is started with this in its environment anyway; this covers any other OpenMP user.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process pool, created on first use and kept warm for later documents."""
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        shutdown_pool()
        _pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
        _pool_size = workers
    return _pool


def shutdown_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown_pool)


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
