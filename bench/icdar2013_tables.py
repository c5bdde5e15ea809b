"""ICDAR 2013 table competition, end to end: table detection plus structure, adjacency-relation F1.

    .venv/bin/python bench/icdar2013_tables.py                 # bilan and camelot, every split
    .venv/bin/python bench/icdar2013_tables.py --methods bilan --only eu-001 --show   # one document, matching details

camelot is a bench-only dependency (`.venv/bin/pip install camelot-py`; its stream flavour needs no
Ghostscript). Splits: `eu` (27 documents, development set), `us-a` (us-001 ... us-020, used for
tuning after the first look at the US documents), `us-b` (us-021 ... us-040, held out: never
inspected document by document while tuning), `us`, `all`.

Data: `<repo>/../shared/datasets/icdar2013-tables/` (67 PDFs with `-str.xml` ground truth; four
`-str.xml` files whose PDF is absent from the set, eu-009b, us-011b, us-031b, us-035b, are skipped).

Scoring (Göbel et al., "A methodology for evaluating algorithms for table understanding in PDF
documents", DocEng 2012; used by the ICDAR 2013 table competition):

* A table is a grid; every cell (spanning cells included) is placed in the slots it covers.
  For every row, scanning left to right, each non-empty cell is related to the next non-empty cell
  that is a different cell (empty slots are skipped, so "blank" cells never break a relation);
  likewise for every column, top to bottom. Duplicates (a spanning cell seen from several rows)
  count once. A relation is (text of cell A, text of cell B, direction).
* Texts are normalised before comparison: every whitespace character removed and case folded
  (the competition compares whitespace-free cell contents), and Unicode NFKD with combining marks
  dropped (as the open re-implementation of Namysl et al. does). Relations are compared as
  multisets.
* End to end: every page of every PDF is given to the method (nothing is taken from the region
  ground truth). In each document, ground-truth tables and detected tables are paired one to one
  by maximum-weight bipartite matching, the weight of a pair being the F1 of its relations, pairs
  allowed only on the same page and with F1 > 0. An unmatched ground-truth table adds all its
  relations as false negatives; an unmatched detected table adds all its relations as false
  positives (false alarms are paid for).
* Aggregation: **micro** (TP, FP, FN summed over all documents, then precision, recall, F1) is
  the headline; the per-document mean F1 is printed beside it.

The same scorer and the same pages are used for camelot's stream flavour (`camelot.read_pdf(...,
flavor="stream", pages="all")`, default settings; every cell of its DataFrame is a 1x1 cell).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "datasets" / "icdar2013-tables"

# --------------------------------------------------------------------------------------------
# Tables as the scorer sees them: cells (row, col, end_row, end_col, text) on one or more pages.


@dataclass
class ScoredTable:
    pages: frozenset[int]
    cells: list[tuple[int, int, int, int, str]]  # start_row, start_col, end_row, end_col (inclusive), text
    label: str = ""
    relations: Counter = field(default_factory=Counter)

    def __post_init__(self):
        if not self.relations:
            self.relations = adjacency_relations(self.cells)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and not ch.isspace())
    return text.casefold()


def adjacency_relations(cells: Iterable[tuple[int, int, int, int, str]]) -> Counter:
    """Multiset of (text A, text B, 'h'|'v') between neighbouring non-empty cells."""
    cells = [(sr, sc, er, ec, normalise(t)) for sr, sc, er, ec, t in cells]
    if not cells:
        return Counter()
    n_rows = max(c[2] for c in cells) + 1
    n_cols = max(c[3] for c in cells) + 1
    grid: list[list[Optional[int]]] = [[None] * n_cols for _ in range(n_rows)]
    for idx, (sr, sc, er, ec, text) in enumerate(cells):
        if not text:
            continue
        for r in range(sr, er + 1):
            for c in range(sc, ec + 1):
                grid[r][c] = idx
    pairs: set[tuple[int, int, str]] = set()
    for r in range(n_rows):
        seq = [grid[r][c] for c in range(n_cols)]
        _scan(seq, "h", pairs)
    for c in range(n_cols):
        seq = [grid[r][c] for r in range(n_rows)]
        _scan(seq, "v", pairs)
    return Counter((cells[a][4], cells[b][4], d) for a, b, d in pairs)


def _scan(seq: list[Optional[int]], direction: str, pairs: set) -> None:
    previous = None
    for idx in seq:
        if idx is None or idx == previous:
            continue
        if previous is not None:
            pairs.add((previous, idx, direction))
        previous = idx


def pair_counts(gt: Counter, res: Counter) -> tuple[int, int, int]:
    tp = sum((gt & res).values())
    return tp, sum(res.values()) - tp, sum(gt.values()) - tp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def max_weight_matching(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Pairs (i, j) maximising the summed weight (Hungarian algorithm on a padded square matrix)."""
    n_a = len(weights)
    n_b = len(weights[0]) if n_a else 0
    if not n_a or not n_b:
        return []
    n = max(n_a, n_b)
    big = max(max(row) for row in weights)
    cost = [[(big - weights[i][j]) if i < n_a and j < n_b else big for j in range(n)] for i in range(n)]
    # Jonker-Volgenant style O(n^3) assignment (1-based arrays as in the classic formulation).
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = []
    for j in range(1, n + 1):
        i = p[j] - 1
        if i < n_a and j - 1 < n_b and weights[i][j - 1] > 0:
            pairs.append((i, j - 1))
    return pairs


@dataclass
class DocScore:
    doc: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    n_gt: int = 0
    n_res: int = 0
    n_matched: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)[2]


def score_document(doc: str, gt: list[ScoredTable], res: list[ScoredTable]) -> DocScore:
    score = DocScore(doc, n_gt=len(gt), n_res=len(res))
    weights = []
    counts = {}
    for i, g in enumerate(gt):
        row = []
        for j, r in enumerate(res):
            w = 0.0
            if g.pages & r.pages:
                c = pair_counts(g.relations, r.relations)
                counts[i, j] = c
                w = prf(*c)[2]
            row.append(w)
        weights.append(row)
    matched_gt, matched_res = set(), set()
    for i, j in max_weight_matching(weights):
        tp, fp, fn = counts[i, j]
        score.tp += tp
        score.fp += fp
        score.fn += fn
        matched_gt.add(i)
        matched_res.add(j)
        score.details.append(f"  {gt[i].label} <-> {res[j].label}: tp {tp} fp {fp} fn {fn} F1 {prf(tp, fp, fn)[2]:.3f}")
    for i, g in enumerate(gt):
        if i not in matched_gt:
            score.fn += sum(g.relations.values())
            score.details.append(f"  {g.label}: MISSED, fn {sum(g.relations.values())}")
    for j, r in enumerate(res):
        if j not in matched_res:
            score.fp += sum(r.relations.values())
            score.details.append(f"  {r.label}: FALSE ALARM, fp {sum(r.relations.values())}")
    score.n_matched = len(matched_gt)
    return score


# --------------------------------------------------------------------------------------------
# Ground truth


def load_ground_truth(str_xml: Path) -> list[ScoredTable]:
    root = ET.parse(str_xml).getroot()
    tables = []
    for t in root.findall("table"):
        cells = []
        pages = set()
        for region in t.findall("region"):
            # A table drawn in several regions (us-035a: one list printed in three column pairs)
            # gives each region's cells relative to its `row-increment` / `col-increment`.
            pages.add(int(region.get("page")))
            dr = int(region.get("row-increment") or 0)
            dc = int(region.get("col-increment") or 0)
            for c in region.findall("cell"):
                sr = int(c.get("start-row"))
                sc = int(c.get("start-col"))
                er = int(c.get("end-row", sr))
                ec = int(c.get("end-col", sc))
                content = c.find("content")
                text = "".join(content.itertext()) if content is not None else ""
                cells.append((sr + dr, sc + dc, er + dr, ec + dc, text))
        tables.append(ScoredTable(frozenset(pages), cells, label=f"gt{t.get('id')}/p{sorted(pages)}"))
    return tables


# eu: the development set. us-a (us-001 ... us-020) was used for tuning after the first look at
# the US documents; us-b (us-021 ... us-040) was never inspected document by document while tuning.
REPORTED_SPLITS = ("eu", "us-a", "us-b", "us", "all")


def in_split(name: str, split: str) -> bool:
    if split == "all":
        return True
    if split in ("eu", "us"):
        return name.startswith(split)
    number = int(name[3:6])
    return name.startswith("us") and (number <= 20 if split == "us-a" else number > 20)


def documents(split: str) -> list[tuple[str, Path, Path]]:
    """(name, pdf, str.xml) for every PDF of the split that has its structure ground truth."""
    out = []
    for sub in ("competition-dataset-eu", "competition-dataset-us"):
        for xml in sorted((DATA / sub).glob("*-str.xml")):
            name = xml.name[: -len("-str.xml")]
            pdf = xml.with_name(name + ".pdf")
            if not pdf.exists():
                continue
            if not in_split(name, split):
                continue
            out.append((name, pdf, xml))
    return out


# --------------------------------------------------------------------------------------------
# Methods


def bilan_pages(pdf_path: Path):
    """(schemas.Page, rulings) of every page, read as `bilan extract` reads a text layer."""
    import pypdfium2 as pdfium

    from extractors.layout import words_to_lines
    from extractors.ingest.pdf_chars import PageTransform, page_rulings
    from extractors.ingest.text_layer import page_words
    from schemas import Page

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in range(1, len(pdf) + 1):
            pp = pdf[number - 1]
            transform = PageTransform.of(pp)
            words = page_words(pp, transform)
            page = Page(number=number, width=transform.width, height=transform.height, origin="text-layer",
                        words=words, lines=words_to_lines(words))
            yield page, page_rulings(pp, transform)
            pp.close()
    finally:
        pdf.close()


def run_bilan(pdf_path: Path) -> list[ScoredTable]:
    from extractors.tables.detect import page_to_tables

    out = []
    for page, rulings in bilan_pages(pdf_path):
        for k, table in enumerate(page_to_tables(page, rulings=rulings)):
            cells = [(c.row, c.col, c.row + c.row_span - 1, c.col + c.col_span - 1, c.text) for c in table.cells]
            out.append(ScoredTable(frozenset({page.number}), cells, label=f"bilan p{page.number}#{k} {table.n_rows}x{table.n_cols}"))
    return out


def run_camelot(pdf_path: Path) -> list[ScoredTable]:
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(pdf_path), pages="all", flavor="stream")
    out = []
    for k, t in enumerate(tables):
        df = t.df
        cells = [(r, c, r, c, str(df.iat[r, c])) for r in range(df.shape[0]) for c in range(df.shape[1])]
        out.append(ScoredTable(frozenset({int(t.page)}), cells, label=f"camelot p{t.page}#{k} {df.shape[0]}x{df.shape[1]}"))
    return out


METHODS: dict[str, Callable[[Path], list[ScoredTable]]] = {"bilan": run_bilan, "camelot": run_camelot}


def _evaluate(job: tuple[str, str, str, str]) -> tuple[str, str, DocScore, float, Optional[str]]:
    method, name, pdf, xml = job
    gt = load_ground_truth(Path(xml))
    start = time.perf_counter()
    error = None
    try:
        res = METHODS[method](Path(pdf))
    except Exception as e:  # a crash on one document costs that document, not the run
        res = []
        error = f"{type(e).__name__}: {e}"
    elapsed = time.perf_counter() - start
    return method, name, score_document(name, gt, res), elapsed, error


def summarise(scores: list[DocScore]) -> dict:
    tp = sum(s.tp for s in scores)
    fp = sum(s.fp for s in scores)
    fn = sum(s.fn for s in scores)
    p, r, f = prf(tp, fp, fn)
    per_doc = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    return {
        "documents": len(scores),
        "gt_tables": sum(s.n_gt for s in scores),
        "detected_tables": sum(s.n_res for s in scores),
        "matched_tables": sum(s.n_matched for s in scores),
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
        "per_document_mean_f1": round(per_doc, 4),
    }


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--methods", default="bilan,camelot")
    ap.add_argument("--split", default="all", choices=list(REPORTED_SPLITS))
    ap.add_argument("--only", default="", help="comma-separated document names (debugging)")
    ap.add_argument("--show", action="store_true", help="print per-document matching details")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="write the summary here")
    args = ap.parse_args(argv)

    docs = documents(args.split)
    if args.only:
        keep = set(args.only.split(","))
        docs = [d for d in docs if d[0] in keep]
    methods = [m for m in args.methods.split(",") if m]
    jobs = [(m, name, str(pdf), str(xml)) for m in methods for name, pdf, xml in docs]
    start = time.perf_counter()
    if args.jobs > 1 and len(jobs) > 1:
        with mp.get_context("spawn").Pool(args.jobs) as pool:
            results = pool.map(_evaluate, jobs, chunksize=1)
    else:
        results = [_evaluate(j) for j in jobs]
    wall = time.perf_counter() - start

    summary = {"wall_seconds": round(wall, 1), "methods": {}}
    for m in methods:
        rows = [(name, s, t, e) for mm, name, s, t, e in results if mm == m]
        if args.show:
            for name, s, t, e in rows:
                print(f"[{m}] {name}: F1 {s.f1:.3f} tp {s.tp} fp {s.fp} fn {s.fn} ({s.n_gt} gt, {s.n_res} detected) {t:.1f}s" + (f" ERROR {e}" if e else ""))
                for d in s.details:
                    print("   ", d)
        per_split = {}
        for split in REPORTED_SPLITS:
            chosen = [s for name, s, _, _ in rows if in_split(name, split)]
            if chosen:
                per_split[split] = summarise(chosen)
        per_split["seconds"] = round(sum(t for _, _, t, _ in rows), 1)
        per_split["errors"] = {name: e for name, _, _, e in rows if e}
        summary["methods"][m] = per_split

    print(f"ICDAR 2013 tables, end to end, adjacency relations ({len(docs)} documents, wall {wall:.0f}s)")
    print(f"{'method':<10}{'split':<7}{'docs':>5}{'gt':>5}{'det':>5}{'match':>6}{'P':>8}{'R':>8}{'F1':>8}{'docF1':>8}{'sec':>7}")
    for m, per_split in summary["methods"].items():
        for split in REPORTED_SPLITS:
            if split in per_split:
                s = per_split[split]
                print(f"{m:<10}{split:<7}{s['documents']:>5}{s['gt_tables']:>5}{s['detected_tables']:>5}{s['matched_tables']:>6}"
                      f"{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['per_document_mean_f1']:>8.3f}"
                      f"{per_split['seconds'] if split == 'all' else '':>7}")
        if per_split["errors"]:
            print(f"  {m} errors: {per_split['errors']}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
