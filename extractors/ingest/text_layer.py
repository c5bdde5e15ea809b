"""Words of a born-digital PDF page, read from its text layer.

The glyphs come from pdfium (`extractors.ingest.pdf_chars`, several times faster than pdfminer); they are
grouped into words by pdfplumber's word extractor, which works on plain dicts. The caller opens
the PDF once (`pypdfium2.PdfDocument`) and passes pages here one at a time.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from extractors.layout import words_to_lines
from schemas import Line, Word

# Weight words in PostScript / TrueType names: Arial-BoldMT, Helvetica-Black, HelveticaLTStd-BlkCond,
# Roboto-SemiBold, Futura-Heavy, MinionPro-Bd, "Arial,Bold" and "Arial,B" (TrueType style
# suffixes), CMBX10 (TeX bold extended), NimbusRomNo9L-Medi (URW's Times bold, LaTeX's default).
BOLD_NAME = re.compile(
    r"(bold|black|heavy|blk|extrab|ultrab|fett|gras"  # weight words (fett, gras: German, French)
    r"|[,-](?:b|bd|bdit|bi|medi|mediital)$"  # short style suffixes: Arial,B  MinionPro-Bd  Foo-BI
    r"|[a-z]bd$)",  # suffix glued to the family: HelveticaBd
    re.IGNORECASE,
)
TEX_BOLD = re.compile(r"^cmbx|^cmb\d", re.IGNORECASE)
# Pieces of one word that pdfplumber split because font or size changed inside it (a small-caps
# "C" + "hapitre", a bold first letter) touch each other; real word gaps are a space wide.
MAX_GLUE_GAP = 0.5  # points


def is_bold(font: Optional[str]) -> Optional[bool]:
    if not font:
        return None
    # Weight words come after the family name, so the first letter is skipped: "Blackadder" is
    # a script family, "ArialBlack" and "Arial-Black" are heavy cuts.
    return bool(BOLD_NAME.search(font[1:]) or TEX_BOLD.search(font))


def glue_split_words(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join fragments of one word split on a font/size change (small capitals: a larger first
    letter, "P" + "ORTAIL"), keeping the longer piece's font. The fragment it continues is looked
    for among the words of its line, not only the word before it: pdfplumber lists the words of
    one size before those of another."""
    glued: list[dict[str, Any]] = []
    for word in raw:
        at = next((i for i in range(len(glued) - 1, max(-1, len(glued) - 1 - GLUE_LOOKBACK), -1)
                   if _continues_word(glued[i], word)), None)
        if at is not None:
            prev = glued[at]
            longer = word if len(word["text"]) > len(prev["text"]) else prev
            glued[at] = {
                **longer,
                "text": prev["text"] + word["text"],
                "x0": prev["x0"],
                "x1": word["x1"],
                "top": min(prev["top"], word["top"]),
                "bottom": max(prev["bottom"], word["bottom"]),
            }
        else:
            glued.append(word)
    return glued


GLUE_LOOKBACK = 40  # words: the fragments of one line are listed within this many


def _continues_word(prev: dict[str, Any], word: dict[str, Any]) -> bool:
    """`word` starts where `prev` ends, on the same line: one word split in two."""
    return (-MAX_GLUE_GAP <= word["x0"] - prev["x1"] <= MAX_GLUE_GAP
            and min(word["bottom"], prev["bottom"]) > max(word["top"], prev["top"])  # same line
            and word.get("upright", True) == prev.get("upright", True))


DEDUPE_TOLERANCE = 1.0  # points; pdfplumber's dedupe_chars default


def has_doubled_glyphs(chars: list[dict[str, Any]]) -> bool:
    """Whether some glyph is drawn twice at (nearly) the same place.

    pdfplumber's dedupe_chars costs more than parsing the page itself (4.8 s of 10 on the
    14-page corpus report), while most PDFs have nothing to dedupe; this check is a sort.
    """
    seen: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for char in chars:
        row = int(char["top"] // DEDUPE_TOLERANCE)
        for near in (row - 1, row, row + 1):  # a twin within tolerance lies in a neighbouring row bucket
            for x0, top in seen.get((char["text"], near), ()):
                if abs(x0 - char["x0"]) <= DEDUPE_TOLERANCE and abs(top - char["top"]) <= DEDUPE_TOLERANCE:
                    return True
        seen.setdefault((char["text"], row), []).append((char["x0"], char["top"]))
    return False


def page_words(page, transform=None) -> list[Word]:
    """Words of one pypdfium2 page, boxes clipped to the page, in points from the top-left."""
    from pdfplumber.utils.text import dedupe_chars, extract_words

    from extractors.ingest.pdf_chars import PageTransform, page_chars

    transform = transform or PageTransform.of(page)
    chars = page_chars(page, transform)
    # Some producers draw each glyph twice (fake bold, shadows): issue-71-duplicate-chars-2.pdf.
    if has_doubled_glyphs(chars):
        chars = dedupe_chars(chars, tolerance=DEDUPE_TOLERANCE, extra_attrs=("fontname", "size"))
    raw = []
    # Turned text (a vertical table header) is read along its own direction: upwards when turned
    # left, downwards when turned right.
    for direction in ("ltr", "ttb", "btt"):
        group = [c for c in chars if c["direction"] == direction]
        if group:
            raw.extend(
                extract_words(
                    group,
                    keep_blank_chars=False,
                    # use_text_flow=False: characters are grouped by position, which survives
                    # content streams that draw a line's characters out of order.
                    use_text_flow=False,
                    # Word gaps are measured against the font size: LaTeX justification squeezes
                    # spaces to ~0.25 em (2.5 pt at 10 pt), under pdfplumber's fixed 3 pt default,
                    # which glued "JulienAligon" in fr_olap.pdf; 0.15 em restores 90% of pdfium's
                    # words there and changes nothing on the other real PDFs.
                    x_tolerance_ratio=0.15,
                    char_dir_rotated="btt" if direction == "btt" else "ttb",
                    extra_attrs=["fontname", "size"],
                )
            )
    width, height = transform.width, transform.height
    words = []
    for item in glue_split_words(raw):
        font = item.get("fontname")
        x0 = min(max(item["x0"], 0.0), width)
        x1 = min(max(item["x1"], 0.0), width)
        top = min(max(item["top"], 0.0), height)
        bottom = min(max(item["bottom"], 0.0), height)
        words.append(
            Word(
                text=item["text"],
                bbox=(x0, top, x1, bottom),
                font=font,
                bold=is_bold(font),
                origin="text-layer",
            )
        )
    return words


def read_text_layer(page, transform=None) -> tuple[list[Word], list[Line]]:
    words = page_words(page, transform)
    return words, words_to_lines(words)
