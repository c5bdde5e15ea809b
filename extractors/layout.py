"""Geometry helpers shared by the PDF text-layer and OCR paths."""
from __future__ import annotations

import math
from statistics import fmean, median
from typing import Sequence

from schemas import BBox, Line, Word


def union_bbox(boxes: Sequence[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def words_to_lines(words: Sequence[Word]) -> list[Line]:
    """Group boxed words into reading lines.

    Words belong to the same line when their vertical centres lie within half the median word
    height of the line's running centre; that tolerates the baseline drift of a skewed scan without
    merging adjacent lines. Lines are ordered top to bottom, words left to right. Words without a
    box (text inputs) are not handled here.
    """
    boxed = [(i, w) for i, w in enumerate(words) if w.bbox is not None]
    if not boxed:
        return []
    heights = [w.bbox[3] - w.bbox[1] for _, w in boxed if w.bbox[3] > w.bbox[1]]
    tolerance = (median(heights) if heights else 10.0) * 0.5
    boxed.sort(key=lambda iw: ((iw[1].bbox[1] + iw[1].bbox[3]) / 2, iw[1].bbox[0]))
    groups: list[list[tuple[int, Word]]] = []
    centres: list[float] = []
    for i, word in boxed:
        centre = (word.bbox[1] + word.bbox[3]) / 2
        if groups and abs(centre - centres[-1]) <= tolerance:
            groups[-1].append((i, word))
            n = len(groups[-1])
            centres[-1] += (centre - centres[-1]) / n
        else:
            groups.append([(i, word)])
            centres.append(centre)
    lines = []
    for group in groups:
        group.sort(key=lambda iw: iw[1].bbox[0])
        lines.append(
            Line(
                text=" ".join(w.text for _, w in group),
                bbox=union_bbox([w.bbox for _, w in group]),
                word_ids=[i for i, _ in group],
            )
        )
    return lines


def baseline_skew(words: Sequence[Word], min_words: int, min_span: float, min_lines: int) -> float:
    """Angle (radians, clockwise positive) of the text lines of a scan: the median slope of the
    baselines of its lines holding at least `min_words` words of three characters or more spread
    over `min_span` points; 0 when fewer than `min_lines` such lines."""
    slopes = []
    for line in words_to_lines(words):
        boxes = [words[i].bbox for i in line.word_ids if len(words[i].text) >= 3 and words[i].bbox is not None]
        if len(boxes) < min_words or boxes[-1][2] - boxes[0][0] < min_span:
            continue
        xs = [(b[0] + b[2]) / 2 for b in boxes]
        ys = [b[3] for b in boxes]
        mx, my = fmean(xs), fmean(ys)
        den = sum((x - mx) ** 2 for x in xs)
        if den > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den)
    if len(slopes) < min_lines:
        return 0.0
    return math.atan(median(slopes))
