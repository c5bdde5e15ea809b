"""An OCRmyPDF OCR-engine plugin that reads nothing: it hands OCRmyPDF the words bilan already has
(repaired, at their boxes), from one file per page written beforehand by `extractors.export.pdf`:
- as hOCR (`generate_ocr`, OCRmyPDF's default renderer places the words: the `hocr` writer);
- as a text-only PDF page that bilan writes itself (`generate_pdf`, OCRmyPDF's `sandwich`
  renderer grafts it: the `sandwich` writer), from the text operators of
  `extractors.export.textlayer` with its single font, as OCRmyPDF's graft takes one font.
OCRmyPDF then grafts the layer onto the original page, strips an old OCR layer (`--redo-ocr`),
and makes and checks PDF/A.

Loaded by OCRmyPDF by module name (`plugins=["extractors.export.ocrmypdf_plugin"]`), in the
worker processes too; the folder of handover files comes through the environment variable
`BILAN_HOCR_DIR`, which the workers inherit. A page without a file gets an empty text layer.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ocrmypdf import hookimpl
from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement
from ocrmypdf.hocrtransform.hocr_parser import HocrParser
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence

from extractors.version import __version__

HANDOVER_VARIABLE = "BILAN_HOCR_DIR"


def hocr_file(directory: Path, page_index: int) -> Path:
    """Where the hOCR of a page (0-based, as OCRmyPDF counts) is written and read."""
    return directory / f"page-{page_index + 1:05d}.hocr"


def layer_file(directory: Path, page_index: int) -> Path:
    """Where the text operators of a page's text-only PDF (JSON: width, height, frame, operators)
    are written and read."""
    return directory / f"page-{page_index + 1:05d}.layer.json"


def write_text_only_page(handover: Path, image: Path, output_pdf: Path) -> None:
    """A one-page PDF the size of the page image, holding only bilan's invisible words."""
    import pikepdf
    from PIL import Image

    from extractors.export.textlayer import SINGLE_FONT_METRICS, SINGLE_FONT_NAME, GlyphlessFonts

    with Image.open(image) as picture:
        pixels = picture.size
        dpi = float(picture.info.get("dpi", (72, 72))[0])
    width, height = (v * 72 / dpi for v in pixels)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(width, height))
    page = pdf.pages[0]
    if handover.exists():
        layer = json.loads(handover.read_text(encoding="utf-8"))
        frame = " ".join(f"{v:.6f}" for v in layer["frame"])
        body = (f"q {width / layer['width']:.6f} 0 0 {height / layer['height']:.6f} 0 0 cm\n"
                f"{frame} cm\n{layer['operators']}\nQ\n")
        page.obj.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary({SINGLE_FONT_NAME: GlyphlessFonts(pdf).get(SINGLE_FONT_METRICS)}))
        page.obj.Contents = pdf.make_stream(body.encode())
    pdf.save(output_pdf)


def _words(element: OcrElement) -> list[str]:
    if element.ocr_class == OcrClass.WORD:
        return [element.text or ""]
    return [w for child in element.children for w in _words(child)]


class BilanWords(OcrEngine):
    @staticmethod
    def version() -> str:
        return __version__

    @staticmethod
    def creator_tag(options) -> str:
        return f"bilan {__version__} (text read and repaired by bilan)"

    def __str__(self) -> str:
        return f"bilan {__version__}"

    @staticmethod
    def languages(options) -> set[str]:
        return set(options.languages or []) | {"fra", "eng"}

    @staticmethod
    def get_orientation(input_file: Path, options) -> OrientationConfidence:
        return OrientationConfidence(angle=0, confidence=0.0)  # pages keep the orientation they have

    @staticmethod
    def get_deskew(input_file: Path, options) -> float:
        return 0.0

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options, page_number: int = 0) -> tuple[OcrElement, str]:
        path = hocr_file(Path(os.environ[HANDOVER_VARIABLE]), page_number)
        if not path.exists():
            from PIL import Image

            with Image.open(input_file) as image:
                width, height = image.size
                dpi = float(image.info.get("dpi", (72, 72))[0])
            empty = OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(left=0, top=0, right=width, bottom=height),
                               dpi=dpi, page_number=page_number)
            return empty, ""
        tree = HocrParser(path).parse()
        return tree, " ".join(_words(tree))

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options) -> None:
        raise NotImplementedError("bilan hands over its words through generate_ocr")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options) -> None:
        # OCRmyPDF names a page's files after its number, from 1: "000003_ocr.png"
        page_index = int(Path(input_file).name.split("_", 1)[0]) - 1
        handover = layer_file(Path(os.environ[HANDOVER_VARIABLE]), page_index)
        write_text_only_page(handover, Path(input_file), Path(output_pdf))
        Path(output_text).write_text("", encoding="utf-8")


@hookimpl
def get_ocr_engine(options):
    return BilanWords()
