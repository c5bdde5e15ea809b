"""An invisible text layer written word by word, each word where its box is, for the searchable PDF.

What a reader sees is what poppler (pdftotext) and pdfium compute from the text operators, so the
layer is written for them:
- a word's left and right edges are its glyph origins and advances: each word gets its own text
  matrix at its box's left edge and a horizontal scaling (`Tz`) that makes its advance its box's
  width;
- its top and bottom are `base - ascent x size` and `base - descent x size`, with the ascent and
  descent its font's descriptor declares. With one font (what OCRmyPDF's graft of an engine's
  text-only page accepts: `single_font=True`) a word's height is tied to its size, so sizes follow
  the box heights, kept equal along a line where every word can still be placed within
  EDGE_ALLOWANCE. With several fonts (`single_font=False`, the layer bilan writes itself) each
  word gets a font whose ascent and descent put its top and bottom on its box while every word of
  a line keeps one size and, as far as its box allows, one baseline;
- pdftotext builds its lines from words whose baselines lie within half a font size of each other
  and of equal size: one size and one baseline per printed line is what keeps its reading order;
  the words are written in bilan's reading order, so `pdftotext -raw` and pdfium, which follow the
  content stream, read exactly that order;
- a space glyph after each word but a line's last ends the word for both readers, and the gap
  before the next word is widened to MIN_GAP font sizes (trimming each facing edge by at most
  MAX_TRIM) so pdftotext's spacing rules never glue two words ("travailComité").

The font is OCRmyPDF's glyphless Occulta (Apache-2.0, shipped in the ocrmypdf package) as a
Type0/CIDFontType2 font: code = Unicode (BMP), every code drawn with the same 500-unit blank glyph,
a ToUnicode map giving the text back; text render mode 3 (invisible).

Coordinates: a page's words are placed in the frame bilan read the page in (`Page.width` x
`Page.height`, y down); `read_to_displayed` turns that frame into the page as displayed, so a
sideways scan's words run the way its lines are printed.
"""
from __future__ import annotations

import importlib.resources
import statistics
from dataclasses import dataclass
from typing import Sequence

from extractors.export.layout import PageLayout
from schemas import Page

# Each edge of a word is placed within this many points of its box (issue 15 asks for 2 pt).
EDGE_ALLOWANCE = 1.75
# Gap kept between two words of a line, in font sizes (pdftotext -raw joins words closer than 0.15).
MIN_GAP = 0.2
# pdftotext -raw starts a new line when a word begins further left than this many font sizes
# before the previous one's end.
OVERLAP_BREAK = 0.2
# At most this many points are trimmed off a word's edge to make that gap.
MAX_TRIM = 1.5
# The glyph every code is drawn with: Occulta's `blank1`, 500/1000 em wide.
GLYPH_ID = 4
GLYPH_ADVANCE = 0.5
# Occulta's own ascent and descent (thousandths of the size): the single font declares them.
SINGLE_FONT_METRICS = (800, -200)
# Largest move of a word's top or bottom edge from rounding its font's ascent and descent.
METRIC_ROUNDING = 0.75
# poppler ignores an ascent or descent of 3 em or more, or of 0.
MAX_METRIC = 2990
SINGLE_FONT_NAME = "/F1"  # the name OCRmyPDF's graft of a text-only page looks for


@dataclass(frozen=True)
class PlacedWord:
    text: str
    x: float  # left edge, points, frame the page was read in (y down)
    width: float
    base: float  # baseline, y down
    size: float
    ascent: int  # font metrics in thousandths of the size (descent negative)
    descent: int

    @property
    def font(self) -> tuple[int, int]:
        return self.ascent, self.descent


def _trim_gaps(boxes: list[list[float]], sizes: Sequence[float]) -> None:
    """Widen the gap between neighbours towards MIN_GAP sizes, trimming each facing edge by at
    most MAX_TRIM. Boxes overlapping by more than OVERLAP_BREAK sizes (an OCR box swallowing the
    next word's) are left as they are: pdftotext -raw starts a new line between such words,
    which separates them, where a trimmed overlap would glue them."""
    for k in range(len(boxes) - 1):
        gap = boxes[k + 1][0] - boxes[k][2]
        size = max(sizes[k], sizes[k + 1])
        need = MIN_GAP * size
        if -OVERLAP_BREAK * size <= gap < need:
            cut = min((need - gap) / 2, MAX_TRIM)
            boxes[k][2] = max(boxes[k][2] - cut, boxes[k][0] + 0.1)
            boxes[k + 1][0] = min(boxes[k + 1][0] + cut, boxes[k + 1][2] - 0.1)


def _line_with_variants(boxes: list[list[float]]) -> list[tuple[float, float, int, int]]:
    """(size, base, ascent, descent) per word: the line's median height as size, the baseline
    near the median bottom (a fifth of the size above it), clamped into each word's box."""
    size = max(statistics.median_high(b[3] - b[1] for b in boxes), 1.0)
    target = statistics.median(b[3] for b in boxes) - 0.2 * size
    # Metrics are rounded to a step that moves no edge by more than METRIC_ROUNDING: coarse
    # steps mean fewer fonts (each is checked on its own by the PDF/A validator).
    step = next(s for s in (100, 50, 20, 10) if s / 2000 * size <= METRIC_ROUNDING or s == 10)
    out = []
    for top, bottom in ((b[1], b[3]) for b in boxes):
        own = max(size, (bottom - top) / 2.5)  # a word far taller than its line gets a larger size
        inset = 0.05 * own
        base = min(max(target, top + inset), bottom - inset) if bottom - top > 2 * inset else (top + bottom) / 2
        ascent = min(max(round((base - top) / own * 1000 / step) * step, step), MAX_METRIC)
        descent = max(min(-round((bottom - base) / own * 1000 / step) * step, -step), -MAX_METRIC)
        out.append((own, base, ascent, descent))
    return out


def _line_single_font(boxes: list[list[float]], page_height: float) -> list[tuple[float, float, int, int]]:
    """(size, base, ascent, descent) per word with one font: the box height is ascent - descent
    times the size, so the line takes the page's usual height where every word fits it within
    EDGE_ALLOWANCE, its own middle height otherwise, and a word that fits neither its own; each
    baseline is then as near the line's common one as its box allows."""
    ascent, descent = SINGLE_FONT_METRICS
    span = (ascent - descent) / 1000
    heights = [b[3] - b[1] for b in boxes]
    slack = 2 * EDGE_ALLOWANCE
    if all(abs(h - page_height) <= slack for h in heights):
        line_height = page_height
    elif max(heights) - min(heights) <= 2 * slack:
        line_height = (max(heights) + min(heights)) / 2
    else:
        line_height = statistics.median(heights)
    sizes = [max(line_height if abs(h - line_height) <= slack else h, 1.0) / span for h in heights]
    windows = []
    for (top, bottom), size in zip(((b[1], b[3]) for b in boxes), sizes):
        low = max(top - EDGE_ALLOWANCE + ascent / 1000 * size, bottom - EDGE_ALLOWANCE + descent / 1000 * size)
        high = min(top + EDGE_ALLOWANCE + ascent / 1000 * size, bottom + EDGE_ALLOWANCE + descent / 1000 * size)
        windows.append((low, high) if low <= high else ((low + high) / 2,) * 2)
    common = (max(w[0] for w in windows) + min(w[1] for w in windows)) / 2
    return [(size, min(max(common, low), high), ascent, descent) for size, (low, high) in zip(sizes, windows)]


def usual_height(page: Page, layout: PageLayout) -> float:
    """The word height most words of the page are within 2 x EDGE_ALLOWANCE of."""
    heights = sorted(page.words[i].bbox[3] - page.words[i].bbox[1] for i in layout.word_ids())
    if not heights:
        return 10.0
    candidates = [heights[0] + 0.25 * k for k in range(int((heights[-1] - heights[0]) / 0.25) + 1)]
    return max(candidates, key=lambda c: sum(abs(h - c) <= 2 * EDGE_ALLOWANCE for h in heights))


def place_words(page: Page, layout: PageLayout, single_font: bool) -> list[list[PlacedWord]]:
    """The page's words, line by line in reading order, as they are to be written."""
    page_height = usual_height(page, layout) if single_font else 0.0
    lines = []
    for line in layout.lines():
        ids = [i for i in line.word_ids if page.words[i].text]
        if not ids:
            continue
        boxes = [list(page.words[i].bbox) for i in ids]
        spec = _line_single_font(boxes, page_height) if single_font else _line_with_variants(boxes)
        _trim_gaps(boxes, [s[0] for s in spec])
        lines.append([PlacedWord(page.words[i].text, b[0], b[2] - b[0], base, size, ascent, descent)
                      for i, b, (size, base, ascent, descent) in zip(ids, boxes, spec)])
    return lines


def font_name(metrics: tuple[int, int], single_font: bool) -> str:
    return SINGLE_FONT_NAME if single_font else f"/Ba{metrics[0]}d{-metrics[1]}"


def _codes(text: str) -> str:
    return "".join(f"{ord(c):04X}" if ord(c) < 0x10000 else "FFFD" for c in text)


def text_operators(lines: list[list[PlacedWord]], page_height: float, single_font: bool) -> str:
    """One BT block, a text matrix per word (y up: `page_height` is the read frame's height)."""
    ops = ["BT", "3 Tr"]
    current = None
    for line in lines:
        for n, word in enumerate(line):
            font = (word.font, round(word.size, 3))
            if font != current:
                ops.append(f"{font_name(word.font, single_font)} {word.size:.3f} Tf")
                current = font
            scale = 100 * max(word.width, 0.1) / (len(word.text) * GLYPH_ADVANCE * word.size)
            text = word.text + (" " if n < len(line) - 1 else "")
            ops.append(f"{scale:.3f} Tz 1 0 0 1 {word.x:.3f} {page_height - word.base:.3f} Tm <{_codes(text)}> Tj")
    ops.append("ET")
    return "\n".join(ops)


def read_to_displayed(rotation: int, width: float, height: float) -> tuple[float, ...]:
    """The matrix (a b c d e f, y up) from the frame a page was read in (width x height, turned
    `rotation` degrees clockwise from the page as displayed) to the displayed page; the same
    turn as `extractors.export.layout.display_bbox`."""
    if rotation == 90:
        return (0, 1, -1, 0, height, 0)
    if rotation == 180:
        return (-1, 0, 0, -1, width, height)
    if rotation == 270:
        return (0, -1, 1, 0, 0, width)
    return (1, 0, 0, 1, 0, 0)


def used_fonts(lines: list[list[PlacedWord]]) -> set[tuple[int, int]]:
    return {w.font for line in lines for w in line}


# --- the font -------------------------------------------------------------------------------------


def _to_unicode() -> bytes:
    ranges = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256)]
    chunks = ["\n".join([f"{len(part)} beginbfrange", *part, "endbfrange"])
              for part in (ranges[i:i + 100] for i in range(0, 256, 100))]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange", *chunks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end", ""]).encode()


class GlyphlessFonts:
    """The Type0 fonts of one PDF, one per (ascent, descent), sharing one embedded font program,
    one CID-to-glyph map and one ToUnicode map."""

    def __init__(self, pdf) -> None:
        import pikepdf

        program = (importlib.resources.files("ocrmypdf.data") / "Occulta.ttf").read_bytes()
        self.pdf = pdf
        self.program = pdf.make_stream(program, Length1=len(program))
        self.cid_to_gid = pdf.make_stream(bytes([GLYPH_ID >> 8, GLYPH_ID & 0xFF]) * 65536)
        self.to_unicode = pdf.make_stream(_to_unicode())
        self.fonts: dict[tuple[int, int], pikepdf.Object] = {}

    def get(self, metrics: tuple[int, int]):
        if metrics not in self.fonts:
            self.fonts[metrics] = self._font(*metrics)
        return self.fonts[metrics]

    def _font(self, ascent: int, descent: int):
        from pikepdf import Array, Dictionary, Name, String

        descriptor = self.pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/Occulta"), Flags=4, FontBBox=Array([0, -200, 1000, 800]),
            ItalicAngle=0, Ascent=ascent, Descent=descent, CapHeight=ascent, StemV=80, FontFile2=self.program))
        cid_font = self.pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/Occulta"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
            FontDescriptor=descriptor, DW=round(GLYPH_ADVANCE * 1000), CIDToGIDMap=self.cid_to_gid))
        return self.pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/Occulta"), Encoding=Name("/Identity-H"),
            DescendantFonts=Array([cid_font]), ToUnicode=self.to_unicode))
