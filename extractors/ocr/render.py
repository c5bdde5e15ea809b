"""Page images: a PDF page rendered (or its scan decoded as it is) and an image frame loaded, as
8-bit grayscale pixels, and turned a quarter at a time."""
from __future__ import annotations

import os
from typing import Optional

import numpy as np

from extractors.ocr.settings import SETTINGS

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
        if abs(pixels - points * dpi / 72) > SETTINGS.native_size_tolerance * points * dpi / 72:
            return None
    bitmap = image.get_bitmap(render=False)  # freed with the page; copied out below
    if bitmap.n_channels == 1:
        return np.array(bitmap.to_numpy(), copy=True)
    return np.array(bitmap.to_pil().convert("L"))



# Resolution assumed for an image frame that records none (or an implausible one), when its size
# says nothing either; otherwise the frame is taken for a page whose short side is A4's (8.27 in)
# (a 1588x2000 archive scan is ~190 dpi), which places its words in points. Tesseract itself is not
# told any resolution then: it measures the letters, which reads better than any guess, 300 or this
# one (bench/README.md, "OCR language").
DEFAULT_DPI = 300.0
PAGE_SHORT_SIDE_INCHES = 8.27
# Recorded resolutions outside this range are junk (72 "dpi" screenshots are fine; 1 dpi is a
# writer that stored 0 or a ratio) and would give absurd page sizes in points.
PLAUSIBLE_DPI = (50.0, 2400.0)


def frame_dpi(image) -> float:
    """The frame's horizontal resolution in dpi; when absent or implausible, estimated from its size."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
        return value
    estimate = round(min(image.size) / PAGE_SHORT_SIDE_INCHES)
    return float(estimate) if PLAUSIBLE_DPI[0] <= estimate <= 600 else DEFAULT_DPI


def load_image_frame(path: str, index: int) -> tuple[np.ndarray, float]:
    """Grayscale pixels of one image frame and its resolution in dpi (estimated when not recorded)."""
    _, grey, dpi, _ = load_image_for_ocr(path, index)
    return grey, dpi


# Planning an image file decodes every frame once, so that a truncated file fails as the
# document's error, not as a page's (extractors.ingest.image.check_decodes); the OCR job then needs
# the same frame, nearly always in the same process (a one-page document is read where it is
# planned). Decoding a real scan costs ~0.05 CPU-s, 3 % of its OCR: planning keeps the last
# single-frame file's pixels here (one slot, so at most one frame's memory), and the job takes them
# if the file is still the same one (path, inode, size and modification time).
_kept_frame: dict[tuple, tuple] = {}


def file_identity(path: str, index: int) -> tuple:
    st = os.stat(path)
    return (os.path.abspath(path), index, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def keep_decoded(path: str, index: int, image) -> None:
    """Convert `image` (a Pillow image, its frame `index` decoded) for OCR and keep it for the next
    load_image_for_ocr of that frame in this process."""
    _kept_frame.clear()
    _kept_frame[file_identity(path, index)] = frame_for_ocr(image)


def load_image_for_ocr(path: str, index: int) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """One image frame as Tesseract reads it best, its grey pixels (for ink measures), its dpi, and
    whether the file records that dpi (the frame planning kept, when it is this one)."""
    from PIL import Image

    if _kept_frame:
        kept = _kept_frame.pop(file_identity(path, index), None)
        _kept_frame.clear()
        if kept is not None:
            return kept
    # image_to_document checked every frame's header against --max-pixels before queueing the
    # job; Pillow's own guard (default ~89 Mpx warning) would only add noise here.
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(path) as image:
        image.seek(index)
        return frame_for_ocr(image)


def frame_for_ocr(frame) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """(pixels for Tesseract, grey pixels, dpi, dpi recorded?) of an open Pillow frame.

    Colour is kept for Tesseract: its own grey conversion and thresholding read real archive scans
    better than Pillow's grey (bench/README.md, "OCR language": 5% fewer word errors on 8 pages).
    """
    from PIL import Image

    dpi = frame_dpi(frame)
    recorded = recorded_dpi(frame)
    if (frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info) and not opaque(frame):
        # Transparent pixels are black underneath; text drawn on them would vanish.
        rgba = frame.convert("RGBA")
        frame = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame.alpha_composite(rgba)
    if frame.mode.startswith("I;16") or frame.mode == "I":
        # 16-bit scans: scale to 8 bits instead of letting convert("L") clip at 255.
        wide = np.asarray(frame, dtype=np.float64)
        top = wide.max() or 1.0
        grey = (wide * (255.0 / top)).astype(np.uint8)
        return grey, grey, dpi, recorded
    grey = np.asarray(frame.convert("L"))
    if frame.mode in ("L", "1", "LA"):
        return grey, grey, dpi, recorded
    # an RGB frame as it is (convert("RGB") would copy it first)
    return np.asarray(frame if frame.mode == "RGB" else frame.convert("RGB")), grey, dpi, recorded


def opaque(frame) -> bool:
    """Is every pixel of an RGBA or LA frame fully opaque? (Many scans saved as PNG carry an alpha
    channel of 255 throughout: dropping it gives the composite on white for a tenth of the cost.)"""
    return frame.mode in ("RGBA", "LA") and "transparency" not in frame.info and frame.getchannel("A").getextrema()[0] == 255


def recorded_dpi(image) -> bool:
    dpi = image.info.get("dpi")
    try:
        return bool(dpi) and PLAUSIBLE_DPI[0] <= float(dpi[0]) <= PLAUSIBLE_DPI[1]
    except (TypeError, ValueError, IndexError):
        return False



def rotate_clockwise(pixels: np.ndarray, degrees: int) -> np.ndarray:
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(pixels, k=-(degrees // 90)))
