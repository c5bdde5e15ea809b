"""ALTO 4 XML (schema 4.4, shipped in `schema/` with its licence): pages, text blocks, lines and
words with their boxes in reading order (`extractors.export.layout`).

* `String@CONTENT` is the word as bilan gives it (repaired); a repaired word carries what was read
  before repair as `<ALTERNATIVE PURPOSE="before-repair">`, so the text as read can be rebuilt
  exactly (`text_before_repair`). A hyphenated word that repair joined over a line end keeps the
  two parts in its alternative, line break included.
* `WC` is the OCR confidence (0-1); text-layer words have none.
* Tables are `ComposedBlock TYPE="table"`, one `TextBlock` per cell whose ID says its row and
  column (`..._r2c0`), header cells tagged with the `table-header` structure tag.
* Units are pixels of the page image at `dpi` (300 by default, the resolution bilan OCRs at),
  in the frame the page was read in; `Page@ROTATION` says how far it was turned to be read.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

from lxml import etree

from extractors.export.layout import LayoutBlock, LayoutLine, LayoutTable, page_layout
from extractors.version import __version__
from schemas import BBox, Document, Page
from schemas.table import Table

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
SCHEMA_DIR = Path(__file__).parent / "schema"
# alto-4-4.xsd imports XLink from this address; validation resolves it to the local stand-in.
XLINK_LOCATION = "http://www.loc.gov/standards/xlink/xlink.xsd"
BEFORE_REPAIR = "before-repair"
HEADER_TAG = "table-header"
DEFAULT_DPI = 300.0


def _e(parent: etree._Element, tag: str, **attrs) -> etree._Element:
    return etree.SubElement(parent, f"{{{ALTO_NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None})


def _pos(box: BBox, scale: float) -> dict[str, str]:
    x0, top, x1, bottom = (v * scale for v in box)
    return {"HPOS": f"{x0:.1f}", "VPOS": f"{top:.1f}", "WIDTH": f"{max(x1 - x0, 0):.1f}", "HEIGHT": f"{max(bottom - top, 0):.1f}"}


class _Ids:
    def __init__(self, page: int) -> None:
        self.page, self.counts = page, {}

    def __call__(self, kind: str, suffix: str = "") -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"p{self.page}_{kind}{self.counts[kind]}{suffix}"


def _line(parent: etree._Element, page: Page, line: LayoutLine, scale: float, ids: _Ids) -> None:
    element = _e(parent, "TextLine", ID=ids("l"), **_pos(line.bbox, scale))
    for n, i in enumerate(line.word_ids):
        word = page.words[i]
        if n:
            _e(element, "SP")
        confidence = f"{word.confidence / 100:.2f}" if word.confidence is not None else None
        string = _e(element, "String", ID=ids("w"), CONTENT=word.text, **_pos(word.bbox, scale), WC=confidence)
        if word.original is not None and word.original != word.text:
            _e(string, "ALTERNATIVE", PURPOSE=BEFORE_REPAIR).text = word.original


def _text_block(parent: etree._Element, page: Page, lines: list[LayoutLine], box: Optional[BBox], scale: float,
                ids: _Ids, block_id: str, tags: Optional[str] = None) -> None:
    position = _pos(box, scale) if box else {}
    block = _e(parent, "TextBlock", ID=block_id, TAGREFS=tags, **position)
    for line in lines:
        _line(block, page, line, scale, ids)


def _table(parent: etree._Element, page: Page, item: LayoutTable, scale: float, ids: _Ids) -> None:
    table_id = ids("t")
    composed = _e(parent, "ComposedBlock", ID=table_id, TYPE="table", **_pos(item.bbox, scale))
    for cell in item.cells:
        _text_block(composed, page, cell.lines, cell.bbox, scale, ids, f"{table_id}_r{cell.row}c{cell.col}",
                    HEADER_TAG if cell.header else None)


def _page(layout_parent: etree._Element, page: Page, tables: list[Table], scale: float) -> None:
    width, height = (page.width or 0) * scale, (page.height or 0) * scale
    element = _e(layout_parent, "Page", ID=f"p{page.number}", PHYSICAL_IMG_NR=str(page.number),
                 WIDTH=f"{width:.1f}", HEIGHT=f"{height:.1f}", ROTATION=str(page.rotation) if page.rotation else None)
    space = _e(element, "PrintSpace", HPOS="0", VPOS="0", WIDTH=f"{width:.1f}", HEIGHT=f"{height:.1f}")
    ids = _Ids(page.number)
    for item in page_layout(page, tables).items:
        if isinstance(item, LayoutBlock):
            _text_block(space, page, item.lines, item.bbox, scale, ids, ids("b"))
        else:
            _table(space, page, item, scale, ids)


def document_alto(document: Document, tables: list[Table], dpi: float = DEFAULT_DPI) -> bytes:
    """The document as one ALTO file (UTF-8 bytes), every page with word boxes."""
    scale = dpi / 72
    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap={None: ALTO_NS, "xsi": XSI_NS}, SCHEMAVERSION="4.4")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    description = _e(root, "Description")
    _e(description, "MeasurementUnit").text = "pixel"
    _e(_e(description, "sourceImageInformation"), "fileName").text = document.source.path
    processing = _e(description, "Processing", ID="bilan")
    _e(processing, "processingStepDescription").text = (
        f"read by bilan (text layer or Tesseract OCR), OCR damage repaired; coordinates in pixels at {dpi:g} dpi")
    software = _e(processing, "processingSoftware")
    _e(software, "softwareName").text = "bilan"
    _e(software, "softwareVersion").text = __version__
    if any(cell.header for table in tables for cell in table.cells):
        _e(_e(root, "Tags"), "StructureTag", ID=HEADER_TAG, LABEL="table header cell")
    layout = _e(root, "Layout")
    for page in document.pages:
        if page.width and page.height:
            _page(layout, page, tables, scale)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _LocalSchemas(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url == XLINK_LOCATION or url.endswith("/xlink.xsd"):
            return self.resolve_filename(str(SCHEMA_DIR / "xlink.xsd"), context)
        return None


@lru_cache(maxsize=1)
def alto_schema() -> etree.XMLSchema:
    """The ALTO 4.4 schema, read offline (the parser is forbidden the network)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "alto-4-4.xsd"), parser))


def alto_errors(data: bytes) -> list[str]:
    """Schema violations of an ALTO file ([] when it is valid)."""
    schema = alto_schema()
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def text_before_repair(data: bytes) -> list[list[str]]:
    """Per page, the lines of an ALTO file as read before repair: each String's before-repair
    alternative where it has one, its CONTENT otherwise, words joined by a space."""
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    ns = {"a": ALTO_NS}
    pages = []
    for page in root.iterfind(".//a:Page", ns):
        lines = []
        for line in page.iterfind(".//a:TextLine", ns):
            words = []
            for string in line.iterfind("a:String", ns):
                alternative = string.find(f"a:ALTERNATIVE[@PURPOSE='{BEFORE_REPAIR}']", ns)
                words.append(alternative.text if alternative is not None else string.get("CONTENT"))
            lines.append(" ".join(words))
        pages.append(lines)
    return pages
