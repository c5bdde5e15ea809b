"""Long inputs: joining a paragraph's lines, and reading deeply nested HTML, as the input grows.

Line joining: the old way (join_wrapped folded over the lines, each step copying the text so far)
against join_wrapped_lines (one pass), interleaved, on a paragraph of N lines of seed 001 wrapped at
70 columns. HTML: extractors.ingest.html on N nested <div> levels (the recursive reader raised
RecursionError from ~970 levels).

    .venv/bin/python bench/long_inputs.py [--reps 3]

Prints the median seconds of each for each size; a linear step doubles with the size.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.french.line_join import join_wrapped, join_wrapped_lines  # noqa: E402
from extractors.ingest.html import html_to_document  # noqa: E402


def folded(lines: list[str]) -> str:
    out = ""
    for line in lines:
        out = join_wrapped(out, line)
    return out


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    reps = parser.parse_args().reps
    words = next((ROOT / "corpus" / "seeds").glob("001_*.txt")).read_text(encoding="utf-8").replace(".", ",")
    join_wrapped_lines(["com-", "pétences"])  # load the lexicon before timing
    print("lines   fold (s)   one pass (s)")
    for copies in (20, 80, 160):
        lines = textwrap.wrap(" ".join(words.split()) * copies, 70)
        old, new = [], []
        for _ in range(reps):  # interleaved: ABAB
            old.append(timed(folded, lines))
            new.append(timed(join_wrapped_lines, lines))
        assert folded(lines) == join_wrapped_lines(lines)
        print(f"{len(lines):6d}  {statistics.median(old):9.3f}  {statistics.median(new):12.4f}")
    print("levels  html (s)")
    with tempfile.TemporaryDirectory() as folder:
        for depth in (1000, 2000, 4000):
            page = Path(folder) / "nested.html"
            page.write_text("<div>" * depth + "<p>Le Pôle</p>" + "</div>" * depth, encoding="utf-8")
            print(f"{depth:6d}  {statistics.median(timed(html_to_document, page) for _ in range(reps)):8.3f}")


if __name__ == "__main__":
    main()
