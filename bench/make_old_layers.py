"""PDFs with a real scan and a SIMULATED old OCR text layer (bench/old_layers.py says why and how).

    .venv/bin/python bench/make_old_layers.py                       # every transcribed scan -> bench/.cache/oldlayers/
    .venv/bin/python bench/make_old_layers.py --pages an96ap_journal_0003 --out tests/data

Each PDF is one page: the page image as it is (JPEG bytes embedded unchanged; PNGs losslessly), and
over it, invisible (text render mode 3, as OCR layers are), each transcription line damaged by
old_layers.damage(), placed on the line's box from the ALTO file and stretched to its width, as an
OCR program places its lines. Named `<page>.oldlayer.pdf` to say what it is.
"""
from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from old_layers import damage  # noqa: E402
from scans import ScanPage, require  # noqa: E402

OUT = ROOT / "bench" / ".cache" / "oldlayers"
FONT = "Helvetica"


def alto_lines(xml: Path) -> list[tuple[float, float, float, float]]:
    """(left, baseline y, width, height) in pixels of every TextLine, in document order."""
    boxes = []
    for element in ET.parse(xml).getroot().iter():
        if element.tag.rsplit("}", 1)[-1] != "TextLine":
            continue
        left, top = float(element.get("HPOS", 0)), float(element.get("VPOS", 0))
        width, height = float(element.get("WIDTH", 0)), float(element.get("HEIGHT", 0))
        baseline = element.get("BASELINE")
        base_y = top + height * 0.8
        if baseline:
            numbers = [float(n) for n in baseline.replace(",", " ").split()]
            if len(numbers) >= 2:
                base_y = sum(numbers[1::2]) / len(numbers[1::2])
        boxes.append((left, base_y, width, height))
    return boxes


def make_pdf(page: ScanPage, out_dir: Path) -> Path:
    from PIL import Image
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    with Image.open(page.image) as image:
        width_px, height_px = image.size
        dpi = float(image.info.get("dpi", (0, 0))[0] or 0) or 200.0
    scale = 72.0 / dpi
    width, height = width_px * scale, height_px * scale
    layer = damage(page.gold, page.name).split("\n")
    boxes = alto_lines(page.gold_path.with_name(page.name + ".xml"))
    out = out_dir / f"{page.name}.oldlayer.pdf"
    pdf = canvas.Canvas(str(out), pagesize=(width, height), pageCompression=1)
    pdf.setCreator("bilan bench/make_old_layers.py: real scan, SIMULATED old OCR layer")
    pdf.drawImage(str(page.image), 0, 0, width=width, height=height)  # a JPEG is embedded as it is
    for text, (left, base_y, line_width, line_height) in zip(layer, boxes):
        text = text.encode("cp1252", "replace").decode("cp1252")
        if not text.strip():
            continue
        size = max(4.0, line_height * scale * 0.7)
        natural = stringWidth(text, FONT, size) or 1.0
        chunk = pdf.beginText()
        chunk.setTextRenderMode(3)  # invisible, like an OCR layer
        chunk.setFont(FONT, size)
        chunk.setHorizScale(100.0 * line_width * scale / natural)
        chunk.setTextOrigin(left * scale, height - base_y * scale)
        chunk.textOut(text)
        pdf.drawText(chunk)
    pdf.showPage()
    pdf.save()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    pages = require()
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p.name in wanted]
    args.out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        path = make_pdf(page, args.out)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
