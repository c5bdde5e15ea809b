"""Characters and drawn lines of a born-digital PDF page, read with pdfium.

Why not pdfplumber here: pdfplumber turns every glyph into a dict of ~17 attributes through
pdfminer's Python content-stream interpreter; on the batch bench that was 82 % of the time of a
born-digital page. pdfium's text page (C++) gives the same glyphs several times faster. The dicts
made here have the keys pdfplumber's word grouping reads (text, x0, x1, top, bottom, doctop,
upright, fontname, size) with pdfminer's geometry, so `pdfplumber.utils.text.extract_words`
groups them into the same words as before (checked on every text-layer PDF of the corpus and of
the shared real PDFs: tests/test_pdf_chars.py).

Coordinates are points from the top-left of the page as displayed (/Rotate applied), like the
rest of bilan.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import pypdfium2.raw as pdfium_c

from extractors.tables.settings import SETTINGS as TABLE_SETTINGS
from schemas.table import Ruling, Shade

# "ABCDEF+Arial-BoldMT": six capitals and a plus mark a font subset embedded in the file.
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# pdfium's marker for a hyphen it judged to be a line-end hyphenation; the page shows "-".
PDFIUM_SOFT_HYPHEN = 0x02
NOT_A_CHAR = {0, 0xFFFE, 0xFFFF, 0x0A, 0x0D}


@dataclass(frozen=True)
class PageTransform:
    """Affine map from PDF user space (y up, mediabox origin anywhere) to display points (y down,
    /Rotate applied): xd = a*x + c*y + e, yd = b*x + d*y + f."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    width: float
    height: float

    @classmethod
    def of(cls, page) -> "PageTransform":
        width, height = page.get_size()  # display size, rotation applied
        # pdfium converts page coordinates to device pixels for any rotation; on a device 100
        # times the page size, three points pin the affine map down to 0.01 pt.
        scale = 100
        size_x, size_y = round(width * scale), round(height * scale)
        left, bottom, right, top = page.get_mediabox()
        dx, dy = ctypes.c_int(), ctypes.c_int()

        def device(x: float, y: float) -> tuple[float, float]:
            # rotate=0: pdfium already applies the page's own /Rotate
            pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size_x, size_y, 0, x, y, dx, dy)
            return dx.value / scale, dy.value / scale

        span = max(right - left, top - bottom, 1.0)
        x0, y0 = device(left, bottom)
        x1, y1 = device(left + span, bottom)
        x2, y2 = device(left, bottom + span)
        a, b = (x1 - x0) / span, (y1 - y0) / span
        c, d = (x2 - x0) / span, (y2 - y0) / span
        # snap to the exact 0/±1 of a right-angle rotation (device pixels are integers)
        a, b, c, d = (round(v) if abs(v - round(v)) < 0.01 else v for v in (a, b, c, d))
        e = x0 - a * left - c * bottom
        f = y0 - b * left - d * bottom
        return cls(a, b, c, d, round(e, 2), round(f, 2), width, height)

    @property
    def unrotated(self) -> bool:
        return self.a == 1 and self.d == -1 and self.b == 0 and self.c == 0

    def rotated(self, x: float, y: float) -> tuple[float, float]:
        """A direction vector of user space as displayed, y up (the display is y down)."""
        return self.a * x + self.c * y, -(self.b * x + self.d * y)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, top, x1, bottom) in display points."""
        xs, ys = [], []
        for x, y in ((left, bottom), (right, top)):
            xs.append(self.a * x + self.c * y + self.e)
            ys.append(self.b * x + self.d * y + self.f)
        # pdfium works in single precision: rounded, a 3 pt rule stays 3 pt, not 3.0000001
        return round(min(xs), 3), round(min(ys), 3), round(max(xs), 3), round(max(ys), 3)


def page_chars(page, transform: PageTransform | None = None) -> list[dict[str, Any]]:
    """Every glyph of a pypdfium2 page as a pdfplumber-shaped dict, in content-stream order.

    Spaces pdfium generated between words are kept as zero-width blanks right after the previous
    glyph, so they end words the way a real space character does.
    """
    transform = transform or PageTransform.of(page)
    textpage = page.get_textpage()
    try:
        return _read_chars(textpage.raw, transform)
    finally:
        textpage.close()


GENERATED_CODES = {0x20, 0x0A, 0x0D}


def _all_codes(tp, count: int) -> list[int] | None:
    """Every character code of the text page in one call (one UTF-16 unit per character), or
    None when a character outside the BMP makes units and characters disagree."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(tp, 0, count, buffer)
    units = list(buffer[: max(written - 1, 0)])
    if len(units) != count or any(0xD800 <= u <= 0xDFFF for u in units):
        return None
    return units


@dataclass(frozen=True)
class _Style:
    """What every glyph of one pdfium text object shares (one font, size and matrix per object)."""

    font: str | None
    handle: Any  # FPDF_FONT
    font_size: float  # the Tf size; the matrix scales it
    scale_x: float  # advance widths are in text space: x scale of the glyph matrix
    upright: bool
    size: float  # pdfminer's "size": the height of the glyph box
    descent: float  # baseline -> bottom of the box, user space (negative)
    direction: str  # how the glyphs follow each other on the page: ltr, ttb (turned right), btt (turned left)
    simple: bool  # upright on an unrotated page: the fast box computation applies


def clean_font_name(name: Optional[str]) -> Optional[str]:
    return SUBSET_PREFIX.sub("", name) if name else None


def _read_chars(tp, transform: PageTransform) -> list[dict[str, Any]]:
    # The loop calls pdfium 4-5 times a glyph; everything shared by a text object is read once.
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_object, get_origin = pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDFText_GetCharOrigin
    get_width, get_loose = pdfium_c.FPDFFont_GetGlyphWidth, pdfium_c.FPDFText_GetLooseCharBox
    loose = pdfium_c.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    advance = ctypes.c_float()
    styles: dict[int, _Style] = {}
    widths: dict[tuple[int, int], float] = {}  # (text object, code) -> advance at size 1, 0 if unknown
    chars: list[dict[str, Any]] = []
    last_object, last_origin = None, None
    x_shift, y_flip = transform.e, transform.f  # display = (x + e, f - y) on an unrotated page
    count = pdfium_c.FPDFText_CountChars(tp)
    codes = _all_codes(tp, count)
    for i in range(count):
        code = codes[i] if codes is not None else get_unicode(tp, i)
        if code == 0xFFFE:  # GetText writes pdfium's line-end hyphen marker so; ask for the letter
            code = get_unicode(tp, i)
        # pdfium only generates spaces and line breaks, so other letters skip the question
        if code in GENERATED_CODES and is_generated(tp, i):
            if code == 0x20 and chars and not chars[-1]["text"].isspace():
                prev = chars[-1]
                chars.append({**prev, "text": " ", "x0": prev["x1"]})
            continue
        if code == PDFIUM_SOFT_HYPHEN:
            code = 0x2D
        if code in NOT_A_CHAR:
            continue
        handle = get_object(tp, i)
        text_object = ctypes.cast(handle, ctypes.c_void_p).value
        get_origin(tp, i, origin_x, origin_y)
        ox, oy = origin_x.value, origin_y.value
        if text_object == last_object and (ox, oy) == last_origin and chars and not chars[-1]["text"].isspace():
            # One glyph, several letters: pdfium splits a ligature (ﬁ, ﬃ) into letters that share
            # the glyph's origin; pdfplumber keeps the glyph and spells it out. Same here.
            get_loose(tp, i, loose)
            prev = chars[-1]
            prev["text"] += chr(code)
            prev["x1"] = max(prev["x1"], transform.box(loose.left, loose.bottom, loose.right, loose.top)[2])
            continue
        last_object, last_origin = text_object, (ox, oy)
        style = styles.get(text_object)
        if style is None:
            style = styles[text_object] = _style(tp, i, handle, transform)
        if style.simple:
            width = widths.get((text_object, code))
            if width is None:
                ok = get_width(style.handle, code, 1.0, advance)
                width = widths[(text_object, code)] = advance.value if ok and advance.value > 0 else 0.0
            if width:
                x0, x1 = ox, ox + width * style.font_size * style.scale_x
            else:  # pdfium normalised the letter (a soft hyphen read as "-"): the font has no width for it
                get_loose(tp, i, loose)
                x0, x1 = ox, max(loose.right, ox)
            bottom = y_flip - (oy + style.descent)
            top = bottom - style.size
            x0, x1 = round(x0 + x_shift, 3), round(x1 + x_shift, 3)
            top, bottom = round(top, 3), round(bottom, 3)
        else:
            get_loose(tp, i, loose)
            x0, top, x1, bottom = transform.box(loose.left, loose.bottom, loose.right, loose.top)
            if style.upright:
                top = bottom - style.size
        chars.append({"text": chr(code), "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
                      "upright": style.upright, "fontname": style.font, "size": style.size,
                      "direction": style.direction, "width": x1 - x0, "height": bottom - top})
    return chars


def _style(tp, i: int, handle, transform: PageTransform) -> _Style:
    name_buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(tp, i, name_buffer, len(name_buffer), flags)
    name = name_buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace") if length else None
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(tp, i, matrix)
    font_size = pdfium_c.FPDFText_GetFontSize(tp, i)
    # Upright as displayed: the glyph's matrix, then the page rotation (y up, like pdfminer).
    a, b = transform.rotated(matrix.a, matrix.b)
    c, d = transform.rotated(matrix.c, matrix.d)
    upright = a * d > 0 and b * c <= 0
    size = round(font_size * (abs(d) if upright else abs(a * d - b * c) ** 0.5), 4)
    loose = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(tp, i, loose)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(tp, i, origin_x, origin_y)
    # pdfminer's box (kept so words group as before): the advance width from the origin, and one
    # font size up from the descent line; pdfium's loose box spans the outline and the ascent.
    simple = upright and transform.unrotated and matrix.b == 0 and matrix.c == 0
    direction = "ltr" if upright else ("btt" if b > 0 else "ttb")
    font = pdfium_c.FPDFTextObj_GetFont(handle)
    descent = loose.bottom - origin_y.value
    font_descent = ctypes.c_float()
    if simple and pdfium_c.FPDFFont_GetDescent(font, 1.0, font_descent):
        # The font's descent, not this glyph's box: the loose box of a letter pdfium rewrote (a
        # soft hyphen read as "-") is its outline, which would lift it off the line.
        descent = font_descent.value * font_size * matrix.d
    return _Style(font=clean_font_name(name), handle=font, font_size=font_size,
                  scale_x=matrix.a, upright=upright, size=size, descent=descent,
                  direction=direction, simple=simple)


# --- Drawn lines -------------------------------------------------------------------------------

SEGMENT_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
SEGMENT_LINETO = pdfium_c.FPDF_SEGMENT_LINETO


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner`, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj) -> Matrix | None:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return None
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _paths(container, form: bool, outer: Matrix) -> Iterator[tuple[Any, Matrix]]:
    """Path objects with their matrix to user space, also inside form XObjects (whose objects'
    matrices are relative to the form)."""
    count = pdfium_c.FPDFFormObj_CountObjects(container) if form else pdfium_c.FPDFPage_CountObjects(container)
    for i in range(max(count, 0)):
        obj = pdfium_c.FPDFFormObj_GetObject(container, i) if form else pdfium_c.FPDFPage_GetObject(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue
        own = _matrix(obj)
        if own is None:
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _paths(obj, True, _then(own, outer))
        else:
            yield obj, _then(own, outer)


def _subpaths(path) -> Iterator[tuple[list[tuple[float, float]], bool]]:
    """The path's subpaths as point lists (in the path's own space) and whether each is all lines."""
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    straight = True
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == SEGMENT_MOVETO and points:
            yield points, straight
            points, straight = [], True
        straight = straight and kind in (SEGMENT_MOVETO, SEGMENT_LINETO)
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and points[0] != points[-1]:
            points.append(points[0])
    if points:
        yield points, straight


def page_rulings(page, transform: PageTransform | None = None) -> list[Ruling]:
    """Drawn lines of a pypdfium2 page (table borders, for `Page.rulings`): what bilan kept of
    pdfplumber's lines, rects and curves before, read from pdfium's path objects.

    Per subpath, like pdfminer: a line segment, a rectangle or a curve. Kept: lines and shapes
    thin enough to be a line, and the four sides of stroked rectangles. Filled rectangles without
    a stroke are shading (some producers paint a highlight behind every text line of a cell).
    """
    transform = transform or PageTransform.of(page)
    out: list[Ruling] = []

    def add(x0: float, top: float, x1: float, bottom: float) -> None:
        if max(x1 - x0, bottom - top) >= TABLE_SETTINGS.rulings.min_length and min(x1 - x0, bottom - top) <= TABLE_SETTINGS.rulings.max_thickness:
            out.append(Ruling(x0=x0, top=top, x1=x1, bottom=bottom))

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for path, (a, b, c, d, e, f) in _paths(page.raw, False, IDENTITY):
        pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)
        if not fill_mode.value and not stroke.value:
            continue  # neither filled nor stroked: nothing is drawn
        for points, straight in _subpaths(path):
            # path space -> user space -> display
            if len(points) < 2:
                continue
            user = [(a * px + c * py + e, b * px + d * py + f) for px, py in points]
            xs, ys = [p[0] for p in user], [p[1] for p in user]
            x0, top, x1, bottom = transform.box(min(xs), min(ys), max(xs), max(ys))
            if min(x1 - x0, bottom - top) <= TABLE_SETTINGS.rulings.max_thickness:
                add(x0, top, x1, bottom)
            elif straight and stroke.value and _is_rectangle(user):
                add(x0, top, x1, top)
                add(x0, bottom, x1, bottom)
                add(x0, top, x0, bottom)
                add(x1, top, x1, bottom)
    return out


# Fills lighter than this on every channel are the paper (white boxes behind text), not a shade.
WHITE = 248
# Fills covering more of the page than this are a page background or a frame, not a cell's.
MAX_SHADE_SHARE = 0.5


def page_shades(page, transform: PageTransform | None = None) -> list[Shade]:
    """Filled rectangles of a pypdfium2 page, with their colour (for `Page.shades`): the
    backgrounds of shaded table cells, which may carry what a cell says (a year shaded in a
    chronogram, a status colour). Thin ones are rulings (`page_rulings`), white ones paper."""
    transform = transform or PageTransform.of(page)
    area = transform.width * transform.height
    out: list[Shade] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    for path, (pa, pb, pc, pd, pe, pf) in _paths(page.raw, False, IDENTITY):
        pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)
        if not fill_mode.value or not pdfium_c.FPDFPageObj_GetFillColor(path, r, g, b, a) or a.value == 0:
            continue
        if min(r.value, g.value, b.value) >= WHITE:
            continue
        color = f"#{r.value:02x}{g.value:02x}{b.value:02x}"
        for points, straight in _subpaths(path):
            if len(points) < 4 or not straight:
                continue
            user = [(pa * px + pc * py + pe, pb * px + pd * py + pf) for px, py in points]
            if not _is_rectangle(user):
                continue
            xs, ys = [p[0] for p in user], [p[1] for p in user]
            x0, top, x1, bottom = transform.box(min(xs), min(ys), max(xs), max(ys))
            if min(x1 - x0, bottom - top) <= TABLE_SETTINGS.rulings.max_thickness or (x1 - x0) * (bottom - top) > MAX_SHADE_SHARE * area:
                continue
            out.append(Shade(x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2), color=color))
    return out


def _is_rectangle(points: list[tuple[float, float]]) -> bool:
    """Four corners (a fifth closing one allowed), every side horizontal or vertical."""
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) != 4:
        return False
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]):
        if abs(ax - bx) > 0.01 and abs(ay - by) > 0.01:
            return False
    return True
