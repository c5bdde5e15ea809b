"""An OCRmyPDF OCR-engine plugin that reads nothing: it hands OCRmyPDF the words bilan already has
(repaired, at their boxes) as hOCR, one file per page written beforehand by
`extractors.export.pdf`. OCRmyPDF then does what it is good at: the invisible text layer (its
fpdf2 renderer), grafting it onto the original page, stripping an old OCR layer (`--redo-ocr`),
PDF/A conversion and its checks.

Loaded by OCRmyPDF by module name (`plugins=["extractors.export.ocrmypdf_plugin"]`), in the
worker processes too; the folder of hOCR files comes through the environment variable
`BILAN_HOCR_DIR`, which the workers inherit. A page without a file gets an empty text layer.
"""
from __future__ import annotations

import os
from pathlib import Path

from ocrmypdf import hookimpl
from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement
from ocrmypdf.hocrtransform.hocr_parser import HocrParser
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence

from extractors.version import __version__

HOCR_DIR_VARIABLE = "BILAN_HOCR_DIR"


def hocr_file(directory: Path, page_index: int) -> Path:
    """Where the hOCR of a page (0-based, as OCRmyPDF counts) is written and read."""
    return directory / f"page-{page_index + 1:05d}.hocr"


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
        path = hocr_file(Path(os.environ[HOCR_DIR_VARIABLE]), page_number)
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
        raise NotImplementedError("bilan hands over its words through generate_ocr")


@hookimpl
def get_ocr_engine(options):
    return BilanWords()
