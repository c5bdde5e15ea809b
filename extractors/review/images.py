"""Page images for the review: each page of a source rendered once, at a modest resolution.

Images are named by the source's sha256, so a second review into the same folder (or two documents
read from the same bytes) reuses them instead of rendering again. A page is turned like its words
(`Page.rotation`), so word boxes in points land on the image whatever the scan's orientation.
A page that cannot be rendered (moved, encrypted, damaged source) is shown without its image.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.review.files import write_atomic
from schemas import Document, Page

PAGE_DPI = 100  # A4 at ~830 x 1170 px: words readable, ~150 KB a page as JPEG
JPEG_QUALITY = 70
IMAGES_DIR = "pages"


def image_name(document: Document, page: Page, dpi: int) -> str:
    """Path of a page image inside the review folder (POSIX, for use in URLs)."""
    turned = f"-r{page.rotation}" if page.rotation else ""
    return f"{IMAGES_DIR}/{document.source.sha256[:20]}/{dpi}/p{page.number:04d}{turned}.jpg"


def open_pages(source: Path, kind: str, password: Optional[str]):
    """A function page -> PIL image (upright, any resolution) and a function that closes the source."""
    from PIL import Image

    if kind == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(source), password=password)

        def draw(page: Page, dpi: int):
            pdf_page = pdf[page.number - 1]
            bitmap = pdf_page.render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")  # a copy: pdfium's buffer is freed below
            bitmap.close()
            pdf_page.close()
            return image

        return draw, pdf.close
    if kind == "image":
        from extractors.ocr.render import load_image_frame

        def draw(page: Page, dpi: int):
            pixels, native_dpi = load_image_frame(str(source), page.number - 1)
            image = Image.fromarray(pixels)
            if native_dpi > dpi:
                scale = dpi / native_dpi
                image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
            return image

        return draw, lambda: None
    raise ValueError(f"no page images for {kind} sources")


@dataclass
class PageImage:
    name: Optional[str]  # path relative to the review folder; None when the page has no image
    outcome: str  # 'rendered', 'reused', 'none' (a page without geometry), or why it is missing


def page_images(out_dir: Path, document: Document, source: Optional[Path], dpi: int = PAGE_DPI,
                password: Optional[str] = None) -> dict[int, PageImage]:
    """Every page's image, rendered unless already in `out_dir`; page number -> PageImage."""
    images: dict[int, PageImage] = {}
    todo = []
    for page in document.pages:
        if document.source.kind not in ("pdf", "image") or not page.width or not page.height:
            images[page.number] = PageImage(None, "none")
        elif (out_dir / image_name(document, page, dpi)).is_file():
            images[page.number] = PageImage(image_name(document, page, dpi), "reused")
        else:
            todo.append(page)
    if not todo:
        return images
    if source is None:
        images.update({p.number: PageImage(None, "source file not found") for p in todo})
        return images
    try:
        draw, close = open_pages(source, document.source.kind, password)
    except Exception as e:  # encrypted, damaged or replaced source: pages shown without images
        images.update({p.number: PageImage(None, f"cannot open {source}: {type(e).__name__}: {e}") for p in todo})
        return images
    try:
        for page in todo:
            images[page.number] = render_one(out_dir, document, page, draw, dpi)
    finally:
        close()
    return images


def render_one(out_dir: Path, document: Document, page: Page, draw, dpi: int) -> PageImage:
    try:
        image = draw(page, dpi)
        if page.rotation:
            image = image.rotate(-page.rotation, expand=True)  # PIL turns counter-clockwise
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except Exception as e:  # one page that cannot be drawn must not take the review down
        return PageImage(None, f"cannot render page {page.number}: {type(e).__name__}: {e}")
    name = image_name(document, page, dpi)
    write_atomic(out_dir / name, buffer.getvalue())
    return PageImage(name, "rendered")
