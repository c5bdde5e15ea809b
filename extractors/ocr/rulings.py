"""Drawn table rules of a scanned page, found in its image (for `extractors.records.from_tables`).

OCR gives words and no lines, so a scanned table has no `Page.rulings`; its rules are still in the
image. They are found along the text's own skew, in the frame the table reader turns the words
into: each dark pixel (x, y) is taken to (x cos a + y sin a, -x sin a + y cos a) (a, the skew
measured from the words' baselines, clockwise positive; the same turn as the words'), pixels are
binned on the turned y (horizontal rules) or x (vertical rules), and a bin whose dark pixels run on
without a break of more than `MAX_BREAK` pixels over `MIN_RULE` points is a rule. Letters never
do: their strokes are a few pixels long along any line.

The page image comes from the source file (`extractors.ocr.render.render_pdf_page` for PDFs, the image
frame for image files); when the file cannot be read again, the page simply has no rules.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from schemas import Page
from schemas.table import Ruling

DPI = 300  # the usual scan resolution: the image is decoded, not rendered again (`render_pdf_page`)
MIN_RULE = 40.0  # points
MAX_BREAK = 4  # pixels: a rule broken by JPEG noise or too faint to be ink all along (letters of a line in capitals leave wider gaps)
BIN = 3  # pixels across a rule at 300 dpi (a rule is 1-4 pixels thick; the skew is known to ~0.05°)
THICK = 2.5  # points: thicker dark bands are filled boxes, not rules
MIN_INKED = 0.75  # share of a rule's length found as ink (a faint rule is found in pieces)
INK = 0.85  # darker than this share of the way from ink to paper is ink (thin light-grey rules blur pale)


def page_pixels(path: str, kind: str, page: Page) -> Optional[tuple[np.ndarray, float]]:
    """Grey pixels of a page as OCR read it (turned like its words), and their resolution."""
    try:
        if kind == "pdf":
            from extractors.ocr.render import render_pdf_page

            pixels, _, _ = render_pdf_page(path, page.number - 1, DPI, None)
            dpi = float(DPI)
        elif kind == "image":
            from extractors.ocr.render import load_image_frame

            pixels, dpi = load_image_frame(path, page.number - 1)
        else:
            return None
    except Exception:  # moved, encrypted, unreadable: no rules rather than no measures
        return None
    if page.rotation:
        from extractors.ocr.render import rotate_clockwise

        pixels = rotate_clockwise(pixels, page.rotation)
    return pixels, dpi


MAX_PIXELS = 12_000_000  # larger images (A3 and up at 300 dpi) are read at half resolution


def rulings_in_image(pixels: np.ndarray, dpi: float, angle: float) -> list[Ruling]:
    """Horizontal and vertical rules, in points, in the frame turned by `angle` (radians)."""
    while pixels.size > MAX_PIXELS:
        pixels, dpi = pixels[::2, ::2], dpi / 2
    sample = pixels[::4, ::4]  # levels from a sample: the same percentiles at a sixteenth of the cost
    paper = float(np.percentile(sample, 90))
    ink = float(np.percentile(sample, 1))
    if paper - ink < 40:
        return []
    dark = pixels < ink + INK * (paper - ink)
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return []
    c, s = math.cos(angle), math.sin(angle)
    tx = xs * c + ys * s
    ty = -xs * s + ys * c
    scale = 72.0 / dpi
    min_run = MIN_RULE / scale
    out = []
    for along, across, horizontal in ((tx, ty, True), (ty, tx, False)):
        found: list[tuple[float, float, float]] = []
        # bins shifted by half a bin too: a rule whose skew differs a little from the text's
        # drifts from one bin into the next, and is whole in neither. Pixels are sorted once into
        # half bins; a bin at either offset is two neighbouring half bins.
        half = np.floor(across / (BIN / 2)).astype(np.int64)
        order = np.lexsort((along, half))
        h, a = half[order], np.round(along[order])
        keys, starts = np.unique(h, return_index=True)
        ends = np.append(starts[1:], len(h))
        slices = {int(k): (int(s0), int(e0)) for k, s0, e0 in zip(keys, starts, ends)}
        for k in slices:
            lo, hi = slices[k]
            nxt = slices.get(k + 1)
            size = (hi - lo) + ((nxt[1] - nxt[0]) if nxt else 0)
            if size < min_run * 0.5:
                continue
            run = np.unique(np.concatenate((a[lo:hi], a[nxt[0]:nxt[1]])) if nxt else a[lo:hi])
            breaks = np.flatnonzero(np.diff(run) > MAX_BREAK)
            edges = np.concatenate(([0], breaks + 1, [len(run)]))
            for e0, e1 in zip(edges, edges[1:]):
                if run[e1 - 1] - run[e0] >= min_run and (e1 - e0) >= MIN_INKED * (run[e1 - 1] - run[e0]):
                    found.append(((k + 1) * (BIN / 2) * scale, run[e0] * scale, run[e1 - 1] * scale))
        found = [f for f in found if not _in_texture(dark, f, horizontal, angle, scale)]
        for pos, first, last in _edges(found, BIN * scale):
            if horizontal:
                out.append(Ruling(x0=first, top=pos - 0.25, x1=last, bottom=pos + 0.25))
            else:
                out.append(Ruling(x0=pos - 0.25, top=first, x1=pos + 0.25, bottom=last))
    return out


SIDE = 5  # pixels beside a rule that are looked at to tell it from a texture
TEXTURE = 0.35  # share of ink on both sides of a run above which it is a dithered or hatched fill


def _in_texture(dark: np.ndarray, run: tuple[float, float, float], horizontal: bool, angle: float, scale: float) -> bool:
    """A run of ink inside a dithered or hatched fill (a grey header band scanned in black and
    white): ink on both sides of it, all along, which a drawn rule does not have."""
    pos, first, last = (v / scale for v in run)
    c, s = math.cos(angle), math.sin(angle)
    h, w = dark.shape
    t = np.linspace(first, last, 40)
    shares = []
    for side in (-SIDE, SIDE):
        # (along, across) in the turned frame, back to image pixels
        tx, ty = (t, np.full_like(t, pos + side)) if horizontal else (np.full_like(t, pos + side), t)
        xi = np.rint(tx * c - ty * s).astype(np.int64)
        yi = np.rint(tx * s + ty * c).astype(np.int64)
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        shares.append(dark[yi[inside], xi[inside]].sum() / len(t))
    return min(shares) > TEXTURE


def _edges(found: list[tuple[float, float, float]], step: float) -> list[tuple[float, float, float]]:
    """Runs in neighbouring bins are one rule; a band thicker than THICK (a filled header row) is
    given as its two edges, as a PDF's filled rectangle would be."""
    found.sort()
    groups: list[list[tuple[float, float, float]]] = []
    for item in found:
        for g in groups:
            last = g[-1]
            if item[0] - last[0] <= 1.5 * step and min(item[2], last[2]) - max(item[1], last[1]) > 0:
                g.append(item)
                break
        else:
            groups.append([item])
    out = []
    for g in groups:
        first, last = min(i[1] for i in g), max(i[2] for i in g)
        if g[-1][0] - g[0][0] > THICK:
            out += [(g[0][0], first, last), (g[-1][0], first, last)]
        else:
            out.append((sum(i[0] for i in g) / len(g), first, last))
    return out
