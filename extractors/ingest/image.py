"""Scanned pages given as images (PNG, JPEG, multi-page TIFF): every frame is a page, OCR'd."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import CorruptInput, InputTooLarge, UnsupportedInput
from extractors.layout import words_to_lines
from extractors.ocr.engine import check_ocr_available
from extractors.ocr.jobs import OcrJob, OcrResults, submit_ocr_jobs
from extractors.progress import expect
from extractors.ocr.render import frame_dpi, keep_decoded
from extractors.options import IngestOptions, check_page_count, parse_pages
from extractors.ingest.source import make_source
from schemas import Document, Page, Source, StageError

def megapixels(width: int, height: int) -> str:
    return f"{width}×{height} pixels ({width * height / 1e6:.0f} Mpx)"


def bomb_size(error: Exception) -> str:
    """'Image size (900000000 pixels) exceeds limit ...' -> '900000000 pixels (900 Mpx)'."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    return f"{int(found.group(1))} pixels ({int(found.group(1)) / 1e6:.0f} Mpx)" if found else "the image"


def open_image(path: Path, options: IngestOptions):
    """Open lazily: only the header is read here; frame_sizes() checks sizes before decoding."""
    from PIL import Image, UnidentifiedImageError

    # Pillow's own guard raises DecompressionBombError inside Image.open when the first frame is
    # above twice MAX_IMAGE_PIXELS, before we could read the size for a useful message. It is off
    # while the header is read (nothing is decoded), then set to our limit so any later decode in
    # this process is guarded too; the error is caught in case it fires anyway.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None
            try:
                image = Image.open(path)
            finally:
                Image.MAX_IMAGE_PIXELS = options.max_pixels
    except Image.DecompressionBombError as e:
        raise InputTooLarge(path, f"{bomb_size(e)} is above the limit of {options.max_pixels / 1e6:.0f} Mpx") from e
    except UnidentifiedImageError as e:
        raise UnsupportedInput(path, "not an image Pillow can read") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise CorruptInput(path, f"unreadable image: {e}") from e
    return image


def frame_sizes(path: Path, image, options: IngestOptions) -> list[tuple[int, int, float]]:
    """(width px, height px, dpi) of every frame, raising InputTooLarge for an oversized one."""
    from PIL import Image

    sizes = []
    frames = getattr(image, "n_frames", 1)
    try:
        for index in range(frames):
            image.seek(index)
            width, height = image.size
            if width * height > options.max_pixels:
                where = f"frame {index + 1}: " if frames > 1 else ""
                raise InputTooLarge(
                    path,
                    f"{where}{megapixels(width, height)} is above the limit of {options.max_pixels / 1e6:.0f} Mpx",
                )
            sizes.append((width, height, frame_dpi(image)))
    except Image.DecompressionBombError as e:
        raise InputTooLarge(path, f"frame {len(sizes) + 1}: {bomb_size(e)} is above the limit of {options.max_pixels / 1e6:.0f} Mpx") from e
    except (OSError, EOFError, SyntaxError, ValueError) as e:
        raise CorruptInput(path, f"truncated or corrupt image (frame {len(sizes) + 1}): {e}") from e
    return sizes


def check_decodes(path: Path, image, frame_count: int) -> None:
    """Decode every frame once in this process, so truncation is a CorruptInput, not a page error.

    Pillow is lazy and a truncated file would otherwise only fail in a worker, as a page error. A
    single frame, decoded, is kept for its OCR job (extractors.ocr.render.keep_decoded), so the
    check costs nothing when the job runs in this process, as a one-page document's does.
    """
    try:
        for index in range(frame_count):
            image.seek(index)
            image.load()
        if frame_count == 1:  # the OCR job of this frame will take it from there
            keep_decoded(str(path), 0, image)
    except (OSError, EOFError, SyntaxError, ValueError) as e:
        raise CorruptInput(path, f"truncated or corrupt image (frame {index + 1}): {e}") from e


@dataclass(frozen=True)
class ImagePlan:
    """An image file checked (sizes, every frame decodes) with the OCR job of each chosen frame."""

    source: Source
    jobs: tuple[OcrJob, ...]


def plan_image(path: Path, options: IngestOptions | None = None) -> ImagePlan:
    options = options or IngestOptions()
    path = Path(path)
    with open_image(path, options) as image:
        sizes = frame_sizes(path, image, options)
        check_page_count(path, len(sizes), options)
        chosen = parse_pages(options.pages, len(sizes))
        expect(len(chosen))
        if options.ocr != "never":
            check_decodes(path, image, len(sizes))
    source = make_source(path, "image", len(sizes))
    if options.ocr == "never":
        return ImagePlan(source, ())
    check_ocr_available(path, options.lang)
    jobs = tuple(
        OcrJob(kind="image", path=str(path), index=n - 1, number=n, dpi=round(sizes[n - 1][2]), lang=options.lang,
               alternatives=options.ocr_alternatives)
        for n in chosen
    )
    return ImagePlan(source, jobs)


def finish_image(plan: ImagePlan, options: IngestOptions, results: OcrResults) -> Document:
    """The Document of a planned image file, given its OCR jobs' results (in job order)."""
    if options.ocr == "never":
        note = StageError(stage="ocr", message="an image has no text without OCR; skipped because of --ocr never", level="warning")
        return Document(source=plan.source, pages=[], status="skipped", errors=[note])
    pages: list[Page] = []
    errors: list[StageError] = []
    for result in results() if callable(results) else results:
        if result.error:
            errors.append(StageError(stage="ocr", page=result.number, message=result.error))
            continue
        if not result.words:  # a blank frame among others is worth a warning, not a failure
            errors.append(StageError(stage="ocr", page=result.number, message="no text found on this frame", level="warning"))
        pages.append(
            Page(
                number=result.number,
                width=result.width,
                height=result.height,
                rotation=result.rotation,
                origin="ocr",
                words=result.words,
                lines=words_to_lines(result.words),
                rulings=result.rulings,
            )
        )
    if not any(page.words for page in pages):
        status = "failed"
        if not any(e.level == "error" for e in errors):
            errors.append(StageError(stage="ocr", message="no text found in the image (a photo, or a blank page?)"))
    elif any(e.level == "error" for e in errors):
        status = "partial"
    else:
        status = "success"
    return Document(source=plan.source, pages=pages, status=status, errors=errors)


def image_to_document(path: Path, options: IngestOptions | None = None) -> Document:
    options = options or IngestOptions()
    plan = plan_image(path, options)
    return finish_image(plan, options, submit_ocr_jobs(plan.jobs, options.workers))
