"""Models passed between the ingestion stages (frozen; boxes in PDF points, origin top-left:
`schemas.base`)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from schemas.base import BBox, Frozen
from schemas.records import Records
from schemas.repair import Repair
from schemas.table import Ruling, Shade, Table

SourceKind = Literal["pdf", "image", "html", "text"]
WordOrigin = Literal["text-layer", "ocr", "text"]
PageOrigin = Literal["text-layer", "ocr", "text", "html", "empty"]
Status = Literal["success", "partial", "failed", "skipped"]


class Source(Frozen):
    path: str
    sha256: str
    kind: SourceKind
    page_count: int = Field(ge=0)


class Word(Frozen):
    text: str
    bbox: Optional[BBox] = None
    confidence: Optional[float] = Field(default=None, ge=0, le=100)
    font: Optional[str] = None
    bold: Optional[bool] = None
    origin: WordOrigin
    original: Optional[str] = Field(default=None, description="the text before OCR-damage repair, when repaired")
    alternatives: Optional[list[str]] = Field(default=None, description=(
        "other readings Tesseract weighed for this OCR'd word, most likely first: the word as read with one "
        "character replaced by a runner-up of at least 1 % (only when OCR ran with `ocr_alternatives` on and "
        "the Tesseract library engine; absent otherwise)"))


class Line(Frozen):
    text: str
    bbox: Optional[BBox] = None
    word_ids: list[int] = Field(default_factory=list, description="indices into Page.words")


class Block(Frozen):
    """Structure kept from inputs that carry it (HTML): headings, paragraphs, list items, tables."""

    kind: Literal["heading", "paragraph", "list_item", "table"]
    level: Optional[int] = Field(default=None, description="heading level 1-6, list nesting depth from 1")
    ordered: Optional[bool] = Field(default=None, description="list items: numbered (<ol>) or bulleted (<ul>)")
    text: str = ""
    rows: Optional[list[list[str]]] = Field(default=None, description="table cells, header row first")
    line_ids: list[int] = Field(default_factory=list, description="indices into Page.lines")


class PageTriage(Frozen):
    """Why a PDF page was read from its text layer or sent to OCR."""

    text_chars: int = Field(ge=0, description="characters in the page's text layer")
    image_coverage: float = Field(ge=0, le=1, description="share of the page covered by images")
    tokens: int = Field(ge=0, description="word tokens checked for OCR damage")
    damaged_share: float = Field(ge=0, le=1, description="share of tokens that look like French OCR'd with an English model")
    damage: dict[str, int] = Field(
        default_factory=dict,
        description="tokens showing each kind of damage an old OCR layer leaves (english-model, accents-stripped, "
                    "glued, digits-for-letters), counted with the French lexicon on text layers over scans")
    accented_tokens: int = Field(default=0, ge=0, description="tokens written with an accent (a layer that can write them)")
    decision: Literal["text-layer", "ocr", "empty"]
    reason: str


class Page(Frozen):
    number: int = Field(ge=1)
    width: Optional[float] = None
    height: Optional[float] = None
    rotation: int = Field(default=0, description="clockwise degrees applied to read the page upright")
    origin: PageOrigin
    triage: Optional[PageTriage] = None
    words: list[Word] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    rulings: list[Ruling] = Field(default_factory=list, description=(
        "drawn lines (table borders): of a born-digital page from its PDF; of a scanned page found in its "
        "image by OCR, along the text's skew, each given straightened about its centre in the frame of the "
        "page's word boxes"))
    shades: list[Shade] = Field(default_factory=list, description="filled rectangles of a born-digital page (cell backgrounds)")

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class StageError(Frozen):
    """What went wrong (or was worked around) at one stage; `level` warning means no content was lost."""

    stage: str
    page: Optional[int] = None
    message: str
    level: Literal["error", "warning"] = "error"


class Document(Frozen):
    source: Source
    pages: list[Page] = Field(default_factory=list)
    status: Status
    errors: list[StageError] = Field(default_factory=list)
    repairs: list[Repair] = Field(default_factory=list, description="OCR-damage repairs applied to the pages")
    tables: list[Table] = Field(default_factory=list, description="every table found, as a grid with its column roles")
    records: Records = Field(default_factory=lambda: Records(), description="measures, recommendations, ... found")

    @property
    def text(self) -> str:
        return "\f".join(page.text for page in self.pages)
