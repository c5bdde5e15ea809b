"""hOCR 1.2 (XHTML): pages, content areas, paragraphs, lines and words with their boxes and
confidence, in reading order (`extractors.export.layout`).

Coordinates are pixels of the page image at `dpi` (`scan_res`), in the frame the page was read
in. A repaired word carries what was read before repair as an hOCR alternative:
`<span class="alternatives"><ins class="alt">repaired</ins><del class="alt">read</del></span>`
(readers that take the text content of a word would see both, so the PDF text layer is fed
without alternatives: `alternatives=False`). Tables are `ocr_table` floats whose cells are
content areas.
"""
from __future__ import annotations

from typing import Iterator, Optional
from xml.sax.saxutils import escape, quoteattr

from extractors.export.layout import LayoutBlock, LayoutLine, PageLayout, display_bbox, page_layout
from extractors.version import __version__
from schemas import BBox, Document, Page
from schemas.table import Table

DEFAULT_DPI = 300.0

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">
 <head>
  <title>{title}</title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name="ocr-system" content="bilan {version}"/>
  <meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_table ocrp_wconf"/>
 </head>
 <body>
"""
TAIL = " </body>\n</html>\n"


class _Ids:
    def __init__(self, page: int) -> None:
        self.page, self.counts = page, {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}_{self.page}_{self.counts[kind]}"


class _Frame:
    """Boxes of the page as read, written as hOCR pixel boxes (`scale` pixels per point); with
    `rotation`, in the frame of the page as displayed (`extractors.export.layout.display_bbox`)."""

    def __init__(self, scale: float, page: Page, displayed: bool) -> None:
        self.scale, self.page = scale, page
        self.rotation = page.rotation if displayed else 0

    def __call__(self, box: BBox) -> str:
        if self.rotation:
            box = display_bbox(box, self.rotation, self.page.width or 0, self.page.height or 0)
        x0, top, x1, bottom = (round(v * self.scale) for v in box)
        return f"bbox {x0} {top} {max(x1, x0 + 1)} {max(bottom, top + 1)}"

    def size(self) -> tuple[int, int]:
        width, height = self.page.width or 0, self.page.height or 0
        if self.rotation in (90, 270):
            width, height = height, width
        return round(width * self.scale), round(height * self.scale)

    def line_extra(self) -> str:
        # hOCR textangle: counter-clockwise degrees of the line; a page turned r degrees clockwise
        # to be read prints its lines r degrees counter-clockwise.
        return f"; textangle {self.rotation}" if self.rotation else ""


def _word(page: Page, i: int, frame: _Frame, ids: _Ids, alternatives: bool) -> str:
    word = page.words[i]
    title = frame(word.bbox)
    if word.confidence is not None:
        title += f"; x_wconf {round(word.confidence)}"
    if alternatives and word.original is not None and word.original != word.text:
        text = (f'<span class="alternatives"><ins class="alt">{escape(word.text)}</ins>'
                f'<del class="alt">{escape(word.original)}</del></span>')
    else:
        text = escape(word.text)
    return f'<span class="ocrx_word" id="{ids("word")}" title={quoteattr(title)}>{text}</span>'


def _line(page: Page, line: LayoutLine, frame: _Frame, ids: _Ids, alternatives: bool) -> str:
    words = " ".join(_word(page, i, frame, ids, alternatives) for i in line.word_ids)
    return f'<span class="ocr_line" id="{ids("line")}" title="{frame(line.bbox)}{frame.line_extra()}">{words}</span>'


def _par(page: Page, lines: list[LayoutLine], box: Optional[BBox], frame: _Frame, ids: _Ids, alternatives: bool,
         indent: str) -> Iterator[str]:
    title = f' title="{frame(box)}"' if box else ""
    yield f'{indent}<p class="ocr_par" id="{ids("par")}"{title}>'
    for line in lines:
        yield f"{indent} {_line(page, line, frame, ids, alternatives)}"
    yield f"{indent}</p>"


def page_hocr_body(layout: PageLayout, scale: float, image: str = "", alternatives: bool = True,
                   displayed: bool = False) -> Iterator[str]:
    """The `ocr_page` div of one page, line by line; `scale` = image pixels per point. Boxes are
    in the frame the page was read in, or with `displayed` in the frame of the page as displayed
    (a sideways scan's lines then carry their `textangle`)."""
    page = layout.page
    ids = _Ids(page.number)
    frame = _Frame(scale, page, displayed)
    width, height = frame.size()
    dpi = round(72 * scale)
    name = image.replace('"', "")
    title = (f'image "{name}"; bbox 0 0 {width} {height}; '
             f"ppageno {page.number - 1}; scan_res {dpi} {dpi}")
    yield f'  <div class="ocr_page" id="page_{page.number}" title={quoteattr(title)}>'
    for item in layout.items:
        if isinstance(item, LayoutBlock):
            yield f'   <div class="ocr_carea" id="{ids("block")}" title="{frame(item.bbox)}">'
            yield from _par(page, item.lines, item.bbox, frame, ids, alternatives, "    ")
            yield "   </div>"
            continue
        yield f'   <div class="ocr_table" id="{ids("table")}" title="{frame(item.bbox)}">'
        for cell in item.cells:
            box = f' title="{frame(cell.bbox)}"' if cell.bbox else ""
            yield f'    <div class="ocr_carea" id="{ids("cell")}"{box}>'
            if cell.lines:
                yield from _par(page, cell.lines, cell.bbox, frame, ids, alternatives, "     ")
            yield "    </div>"
        yield "   </div>"
    yield "  </div>"


def hocr_document(pages: list[str], title: str) -> str:
    return HEAD.format(title=escape(title), version=__version__) + "\n".join(pages) + "\n" + TAIL


def document_hocr(document: Document, tables: list[Table], dpi: float = DEFAULT_DPI, alternatives: bool = True) -> str:
    """The whole document as one hOCR file, every page at `dpi`."""
    scale = dpi / 72
    pages = ["\n".join(page_hocr_body(page_layout(page, tables), scale, alternatives=alternatives))
             for page in document.pages if page.width and page.height]
    return hocr_document(pages, document.source.path)
