"""Bold words of an OCR'd page, estimated from the ink of their strokes."""
from __future__ import annotations

from typing import Optional

import numpy as np

from extractors.layout import words_to_lines
from extractors.ocr.settings import SETTINGS, BoldSettings
from schemas import Word

# Tesseract reports no font weight; a bold lead organisation set beside plain partners is told
# apart by its strokes. A word's stroke width is estimated as 2 x ink area / ink perimeter (a
# stroke of width w and length L has area wL and perimeter ~2L; sub-pixel, and the same for every
# letter shape), ink being darker than the middle of the box's paper and darkest ink (white text
# on a dark band is inverted first). It is compared with the median of the page's words of
# similar size (line height within 20 %): bold above `bold_ratio`, plain below `plain_ratio`,
# unknown (None) between, for words of fewer than `min_chars` letters or digits, or on pages with
# too few peers (`extractors.ocr.settings.BoldSettings`, where the figures were measured).


def stroke_width(pixels: np.ndarray, bbox: tuple[float, float, float, float], scale: float) -> Optional[float]:
    """Mean stroke width (pixels) of the ink in a word box given in points; None if unreadable."""
    x0, y0, x1, y1 = (int(round(v * scale)) for v in bbox)
    crop = pixels[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    middle = [(len(border) - 1) // 2, len(border) // 2]
    low, high = np.partition(border, middle)[middle]
    paper = (float(low) + float(high)) / 2  # the median
    if paper < 128:  # light text on a dark band
        crop, paper = 255 - crop, 255 - paper
    ink = percentile(crop, 3)
    if paper - ink < 40:
        return None
    mask = crop < (paper + ink) / 2
    area = np.count_nonzero(mask)
    if area < 10:
        return None
    # ink edges: changes along rows and columns, and ink touching the box's sides
    perimeter = (np.count_nonzero(mask[:, 1:] != mask[:, :-1]) + np.count_nonzero(mask[1:] != mask[:-1])
                 + np.count_nonzero(mask[:, 0]) + np.count_nonzero(mask[:, -1])
                 + np.count_nonzero(mask[0]) + np.count_nonzero(mask[-1]))
    return 2.0 * area / perimeter if perimeter else None


def percentile(values: np.ndarray, q: float) -> float:
    """np.percentile(values, q) (linear interpolation), without its overhead: called once a word."""
    flat = values.ravel()
    rank = q / 100 * (flat.size - 1)
    lo = int(rank)
    hi = min(lo + 1, flat.size - 1)
    part = np.partition(flat, [lo, hi])
    return float(part[lo]) + (float(part[hi]) - float(part[lo])) * (rank - lo)


def estimate_bold(pixels: np.ndarray, words: list[Word], dpi: float, settings: BoldSettings = SETTINGS.bold) -> list[Word]:
    """`words` with `bold` set where the strokes say so with confidence (see above)."""
    if len(words) < settings.min_peers:
        return words
    scale = dpi / 72.0
    strokes = np.array([stroke_width(pixels, w.bbox, scale) or np.nan for w in words], dtype=float)
    sizes = np.zeros(len(words))
    for line in words_to_lines(words):
        heights = sorted(words[i].bbox[3] - words[i].bbox[1] for i in line.word_ids)
        for i in line.word_ids:
            sizes[i] = heights[len(heights) * 3 // 4]
    known = ~np.isnan(strokes)
    peer_medians: dict[float, Optional[float]] = {}  # words of one line share a size, so their peers
    out = []
    for i, word in enumerate(words):
        if not known[i] or sum(ch.isalnum() for ch in word.text) < settings.min_chars:
            out.append(word)
            continue
        if sizes[i] not in peer_medians:
            peers = known & (np.abs(sizes - sizes[i]) <= 0.2 * sizes[i])
            peer_medians[sizes[i]] = float(np.median(strokes[peers])) if peers.sum() >= settings.min_peers else None
        typical = peer_medians[sizes[i]]
        if typical is None:
            out.append(word)
            continue
        ratio = strokes[i] / typical
        bold = True if ratio >= settings.bold_ratio else False if ratio <= settings.plain_ratio else None
        out.append(word.model_copy(update={"bold": bold}) if bold is not None else word)
    return out
