"""Drawn table rules of a scanned page, found in its image while OCR has it (for `Page.rulings`).

OCR gives words and no lines, so a scanned table's rules must come from the image. They are
searched along the text's own skew `a` (measured from the words' baselines, clockwise positive):
in the frame turned by `a`, where each pixel (x, y) goes to (x cos a + y sin a, -x sin a + y cos a),
the rules of a skewed table are level. Dark pixels are binned `bin` pixels across a rule, and a bin
whose dark pixels run on without a break of more than `max_break` pixels over `min_rule` points,
at least `filled` of the way, is a rule. Letters never do: their strokes are a few pixels long
along any line.

For speed (every OCR'd page pays for it: ~0.05 s of CPU against 0.3-0.6 s for turning every dark
pixel), the turn is done as a shear of whole columns (rows, for vertical rules) by whole pixels,
which is the same to a fraction of a pixel at scan skews; the ends and position of each rule found
are then turned exactly.

`Page.rulings` are in the page's own frame, like its word boxes: each rule is given straightened
about its centre (`page_frame`), as Tesseract gives the upright box of a skewed word. A reader that
levels the page's words, turning each box about its centre (`extractors.tables.level`),
levels the rules by the same turn.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from extractors.layout import baseline_skew
from extractors.ocr.settings import SETTINGS, RulingSettings
from schemas import Word
from schemas.table import Ruling

# Words that measure the skew: read with some confidence, three characters or more, on lines of at
# least four of them spanning 120 points (the table reader measures it on the same lines).
SKEW_MIN_CONFIDENCE = 50.0
SKEW_MIN_WORDS = 4
SKEW_MIN_SPAN = 120.0
SKEW_MIN_LINES = 3


def text_skew(words: Sequence[Word]) -> float:
    """Angle (radians, clockwise positive) of the text lines of a scan, from the baselines of the
    words read with some confidence."""
    kept = [w for w in words if w.bbox is not None and (w.confidence is None or w.confidence >= SKEW_MIN_CONFIDENCE)]
    return baseline_skew(kept, SKEW_MIN_WORDS, SKEW_MIN_SPAN, SKEW_MIN_LINES)


def rulings_of_scan(pixels: np.ndarray, dpi: float, words: Sequence[Word],
                 settings: RulingSettings = SETTINGS.rulings) -> list[Ruling]:
    """The drawn rules of a scanned page in its own frame (points), given its OCR'd words."""
    angle = text_skew(words)
    return page_frame(rulings_in_image(pixels, dpi, angle, settings), angle)


def page_frame(rulings: Sequence[Ruling], angle: float) -> list[Ruling]:
    """Rules found in the frame turned by `angle`, in the page's frame: each centre turned back,
    the rule kept straight (its length and thickness unchanged)."""
    c, s = math.cos(angle), math.sin(angle)
    out = []
    for r in rulings:
        cx, cy = (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2
        x, y = cx * c - cy * s, cx * s + cy * c
        half_w, half_h = (r.x1 - r.x0) / 2, (r.bottom - r.top) / 2
        out.append(Ruling(x0=x - half_w, top=y - half_h, x1=x + half_w, bottom=y + half_h))
    return out


def ink_and_paper(pixels: np.ndarray) -> tuple[float, float]:
    """Grey levels of ink (1st percentile) and paper (90th), from every 4th pixel of every 4th row:
    a histogram of the whole page costs ~0.14 s, and half a million samples put both within a
    grey level of it."""
    sample = pixels[::4, ::4]
    counts = np.bincount(sample.ravel(), minlength=256)
    cumulative = np.cumsum(counts)
    total = int(cumulative[-1])

    def percentile(q: float) -> float:  # as np.percentile, linear interpolation
        rank = q / 100 * (total - 1)
        below = math.floor(rank)
        lo = int(np.searchsorted(cumulative, below + 1))
        hi = int(np.searchsorted(cumulative, below + 2))
        return lo + (hi - lo) * (rank - below)

    return percentile(1), percentile(90)


def rulings_in_image(pixels: np.ndarray, dpi: float, angle: float,
                     settings: RulingSettings = SETTINGS.rulings) -> list[Ruling]:
    """Horizontal and vertical rules, in points, in the frame turned by `angle` (radians)."""
    while pixels.size > settings.max_pixels:
        pixels, dpi = pixels[::2, ::2], dpi / 2
    ink, paper = ink_and_paper(pixels)
    if paper - ink < 40:
        return []
    dark = pixels < ink + settings.ink * (paper - ink)
    scale = 72.0 / dpi
    c, s, t = math.cos(angle), math.sin(angle), math.tan(angle)
    step = settings.bin * scale
    rulings = []
    # Horizontal rules: each column shifted so that y' = y - x tan a is level. A run in the band at
    # y' from column x0 to x1, turned exactly: ty = y' cos a, tx = x / cos a + y' sin a.
    found = [(pos * c, first / c + pos * s, last / c + pos * s) for pos, first, last in level_runs(dark, t, 1, settings, scale)]
    found = [f for f, fill in zip(found, in_texture(dark, found, True, angle, scale, settings)) if not fill]
    for pos, first, last in merge_bands(found, step, settings):
        rulings.append(Ruling(x0=first, top=pos - 0.25, x1=last, bottom=pos + 0.25))
    # Vertical rules: each row shifted so that x' = x + y tan a is level; tx = x' cos a, ty = y / cos a - x' sin a.
    found = [(pos * c, first / c - pos * s, last / c - pos * s) for pos, first, last in level_runs(dark, -t, 0, settings, scale)]
    found = [f for f, fill in zip(found, in_texture(dark, found, False, angle, scale, settings)) if not fill]
    for pos, first, last in merge_bands(found, step, settings):
        rulings.append(Ruling(x0=pos - 0.25, top=first, x1=pos + 0.25, bottom=last))
    return rulings


TEXTURE_SAMPLES = 40  # points looked at along each side of a run


def in_texture(dark: np.ndarray, runs: Sequence[tuple[float, float, float]], horizontal: bool, angle: float,
               scale: float, settings: RulingSettings) -> np.ndarray:
    """For each run of ink, is it inside a dithered or hatched fill (a grey header band scanned in
    black and white)? Such a run has ink on both sides of it, all along, which a drawn rule does
    not have. A run is (position across, first, last along) in points, in the frame turned by
    `angle`. All runs at once (a page can have hundreds: dense print, pictures)."""
    if not runs:
        return np.zeros(0, dtype=bool)
    pos, first, last = (np.array(column, dtype=float) / scale for column in zip(*runs))
    # np.linspace(first, last, TEXTURE_SAMPLES) of every run, computed as linspace does
    step = (last - first) / (TEXTURE_SAMPLES - 1)
    along = np.arange(TEXTURE_SAMPLES, dtype=float)[None, :] * step[:, None] + first[:, None]
    along[:, -1] = last
    c, s = math.cos(angle), math.sin(angle)
    h, w = dark.shape
    shares = []
    for side in (-settings.texture_side, settings.texture_side):
        across = np.broadcast_to((pos + side)[:, None], along.shape)
        # (along, across) in the turned frame, back to image pixels
        tx, ty = (along, across) if horizontal else (across, along)
        xi = np.rint(tx * c - ty * s).astype(np.int64)
        yi = np.rint(tx * s + ty * c).astype(np.int64)
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        ink = np.zeros(along.shape, dtype=bool)
        ink[inside] = dark[yi[inside], xi[inside]]
        shares.append(ink.sum(axis=1) / TEXTURE_SAMPLES)
    return np.minimum(shares[0], shares[1]) > settings.texture


def level_runs(dark: np.ndarray, slope: float, along: int, settings: RulingSettings,
               scale: float) -> list[tuple[float, float, float]]:
    """(position across, first, last along) in points of the long dark runs along axis `along`
    (1: rows, for horizontal rules; 0: columns), once each line across is shifted by its index
    times `slope` and lines are binned `bin` at a time."""
    height, width = dark.shape
    n_along = dark.shape[along]
    n_across = dark.shape[1 - along]
    shifts = np.round(np.arange(n_along) * slope).astype(np.int64)
    low, high = int(shifts.min()), int(shifts.max())
    bins = -(-(n_across + high - low) // settings.bin)
    sheared = np.zeros((bins * settings.bin, n_along) if along == 1 else (n_along, bins * settings.bin), dtype=bool)
    # line k across goes to k - shift + high: whole blocks of lines along with one shift value
    edges = np.flatnonzero(np.diff(shifts)) + 1
    for lo, hi in zip(np.concatenate(([0], edges)), np.concatenate((edges, [n_along]))):
        top = high - int(shifts[lo])
        if along == 1:
            sheared[top:top + height, lo:hi] = dark[:, lo:hi]
        else:
            sheared[lo:hi, top:top + width] = dark[lo:hi, :]
    if along == 1:
        bands = np.logical_or.reduce([sheared[k::settings.bin] for k in range(settings.bin)])
    else:
        bands = np.logical_or.reduce([sheared[:, k::settings.bin] for k in range(settings.bin)])
        bands = np.ascontiguousarray(bands.T)  # one band a row, like the horizontal case
    # Each band also takes the next one in: a rule lying across the line between two bands (the
    # whole-pixel shear moves it by up to half a pixel along its length) stays whole in one of them.
    bands = bands[:-1] | bands[1:]
    # a break of up to max_break - 1 missing pixels does not cut a run (runs 2 apart still join)
    closed = bands.copy()
    for gap in range(1, settings.max_break):
        closed[:, gap:-gap] |= bands[:, :-2 * gap] & bands[:, 2 * gap:]
    # bands holding a run of at least min_rule: AND of shifted copies (log2 of the length in steps)
    min_run = int(math.ceil(settings.min_rule / scale))
    reach, covered = closed, 1
    while covered < min_run + 1 and reach.shape[1]:
        shift = min(covered, min_run + 1 - covered)
        reach = reach[:, :-shift] & reach[:, shift:]
        covered += shift
    return long_runs(np.flatnonzero(reach.any(axis=1)), closed, bands, min_run, high, settings, scale)


def long_runs(rows: np.ndarray, closed: np.ndarray, bands: np.ndarray, min_run: int, high: int,
              settings: RulingSettings, scale: float) -> list[tuple[float, float, float]]:
    """The runs of `closed` (bands, gaps closed) in `rows` at least `min_run` long and filled
    `settings.filled` of the way in `bands`, in points. All rows at once: a page of dense print
    has a few hundred bands with a long run."""
    if not rows.size:
        return []
    padded = np.zeros((rows.size, closed.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = closed[rows]
    steps = np.diff(padded, axis=1)
    # row-major order: the n-th start of a row and its n-th end are one run
    row, starts = np.nonzero(steps == 1)
    ends = np.nonzero(steps == -1)[1] - 1
    filled = np.zeros((rows.size, closed.shape[1] + 1), dtype=np.int64)
    np.cumsum(bands[rows], axis=1, out=filled[:, 1:])
    length = ends - starts
    keep = (length >= min_run) & (filled[row, ends + 1] - filled[row, starts] >= settings.filled * length)
    found = []
    for r, x0, x1 in zip(row[keep], starts[keep], ends[keep]):
        across = (int(rows[r]) + 1) * settings.bin - high  # back to y - x slope (or x + y slope)
        found.append((across * scale, float(x0) * scale, float(x1) * scale))
    return found


def merge_bands(found: list[tuple[float, float, float]], step: float,
                settings: RulingSettings) -> list[tuple[float, float, float]]:
    """Runs in neighbouring bins are one rule; a band thicker than `thick` (a filled header row) is
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
        if g[-1][0] - g[0][0] > settings.thick:
            out += [(g[0][0], first, last), (g[-1][0], first, last)]
        else:
            out.append((sum(i[0] for i in g) / len(g), first, last))
    return out
