"""Writing the review site: an index of documents, one page per document, its data and page images.

    REVIEW_DIR/index.html                    documents with status, pages, records, flags, repairs
    REVIEW_DIR/documents/<slug>.html         one document: page images, boxes, records, corrections
    REVIEW_DIR/data/<slug>/document.js       its records and page list
    REVIEW_DIR/data/<slug>/p0001.js          one page's words, repairs and table cells (loaded on view)
    REVIEW_DIR/pages/<sha256>/<dpi>/p0001.jpg page images, shared by documents with the same bytes
    REVIEW_DIR/static/                       review.js, index.js, review.css (copied from the package)

Document text reaches the browser only as JSON inside those .js files (with `<`, `>` and `&`
escaped) and in the HTML only through `html.escape`; the scripts put it in the page as text nodes.
A Content-Security-Policy forbids inline scripts and any network access, as a second wall.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Optional

from extractors.review.files import write_if_changed
from extractors.review.images import PAGE_DPI, page_images
from extractors.review.inputs import document_files, find_source, golden_for, iter_documents, load_goldens
from extractors.review.marks import golden_marks
from extractors.review.view import (
    DOUBTFUL_REPAIR,
    detected_tables,
    document_view,
    golden_records,
    page_view,
    pages_tables,
)
from schemas import Document

# No network (default-src 'none'); scripts, styles and images only from files of the site. `file:`
# is listed beside 'self' because browsers that give every file:// page an origin of its own
# (Firefox) would otherwise refuse the site's own scripts.
CSP = ("default-src 'none'; script-src 'self' file:; style-src 'self' file:; img-src 'self' file: blob:; "
       "base-uri 'none'; form-action 'none'")
STATIC_FILES = ("records.js", "review.js", "index.js", "review.css")


@dataclass
class DocumentRow:
    doc_id: str
    slug: Optional[str] = None
    kind: str = ""
    status: str = "unreadable"
    pages: int = 0
    records: int = 0
    flagged: int = 0
    repairs: int = 0
    doubtful: int = 0
    errors: int = 0
    golden_f1: Optional[float] = None
    problem: str = ""  # why the JSON could not be reviewed


@dataclass
class ReviewSummary:
    out_dir: Path
    rows: list[DocumentRow] = field(default_factory=list)
    rendered: int = 0
    reused: int = 0
    without_image: list[tuple[str, int, str]] = field(default_factory=list)  # doc, page, why
    seconds: float = 0.0

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    def line(self) -> str:
        reviewed = [r for r in self.rows if r.slug]
        pages = sum(r.pages for r in reviewed)
        unreadable = len(self.rows) - len(reviewed)
        text = (f"{len(reviewed)} documents ({pages} pages) in {self.seconds:.1f} s: {self.rendered} page images "
                f"rendered, {self.reused} reused, {len(self.without_image)} pages without image")
        if unreadable:
            text += f", {unreadable} files not reviewed"
        return text + f"; open {self.index}"


def default_review_dir(input_path: Path) -> Path:
    """OUT/review for a batch output folder, NAME.review beside a single document JSON."""
    return input_path / "review" if input_path.is_dir() else input_path.with_suffix(".review")


def slug(doc_id: str) -> str:
    """A file name for a document id: readable, safe in a URL, unique (a hash of the id)."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).strip("._-")[:80] or "document"
    return f"{readable}-{hashlib.sha256(doc_id.encode()).hexdigest()[:8]}"


def safe_json(value: Any) -> str:
    """JSON that stays inert inside a script: no `<`, `>`, `&` or JavaScript line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def js_call(function: str, *args: Any) -> str:
    return f"{function}({', '.join(safe_json(a) for a in args)});\n"


def copy_static(out_dir: Path) -> None:
    static = resources.files("extractors.review") / "static"
    for name in STATIC_FILES:
        text = (static / name).read_text(encoding="utf-8")
        write_if_changed(out_dir / "static" / name, text)


def html_page(title: str, body: str, scripts: list[str], root: str) -> str:
    """A page of the site; `body` is already escaped HTML, `scripts` are paths below the site."""
    tags = "\n".join(f'<script src="{html.escape(root + s)}"></script>' for s in scripts)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{html.escape(root)}static/review.css">
</head>
<body>
<noscript><p class="noscript">This review needs JavaScript. It runs on this computer only: nothing is sent anywhere.</p></noscript>
{body}
{tags}
</body>
</html>
"""


def document_page(row: DocumentRow) -> str:
    body = (f'<div id="app" data-root="../" data-base="../data/{html.escape(row.slug)}/" data-index="../index.html">'
            f'<p class="loading">Loading {html.escape(row.doc_id)}…</p></div>')
    return html_page(f"{row.doc_id} · bilan review", body, ["static/records.js", "static/review.js", f"data/{row.slug}/document.js"], "../")


INDEX_COLUMNS = (("doc_id", "Document", "text"), ("kind", "Kind", "text"), ("status", "Status", "text"),
                 ("pages", "Pages", "number"), ("records", "Records", "number"), ("flagged", "Flagged", "number"),
                 ("repairs", "Repairs", "number"), ("doubtful", f"Repairs scored < {DOUBTFUL_REPAIR}", "number"),
                 ("errors", "Errors", "number"), ("golden_f1", "Golden F1", "number"))


def index_page(summary: ReviewSummary) -> str:
    head = "".join(f'<th scope="col" data-type="{kind}" aria-sort="none"><button type="button">{html.escape(label)}</button></th>'
                   for _, label, kind in INDEX_COLUMNS)
    rows = []
    for row in summary.rows:
        cells = []
        for name, _, kind in INDEX_COLUMNS:
            value = getattr(row, name)
            shown = "" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
            if name == "doc_id" and row.slug:
                shown_html = f'<a href="documents/{html.escape(row.slug)}.html">{html.escape(shown)}</a>'
            elif name == "status" and row.problem:
                shown_html = f'{html.escape(shown)} <span class="problem">{html.escape(row.problem)}</span>'
            else:
                shown_html = html.escape(shown)
            sort_value = "" if value is None else str(value)
            cells.append(f'<td class="{kind} col-{name}" data-value="{html.escape(sort_value)}">{shown_html}</td>')
        rows.append(f'<tr class="status-{html.escape(row.status)}">{"".join(cells)}</tr>')
    reviewed = [r for r in summary.rows if r.slug]
    body = f"""<header class="index-header"><h1>bilan review</h1>
<p>{len(reviewed)} documents, {sum(r.pages for r in reviewed)} pages, {sum(r.records for r in reviewed)} records
({sum(r.flagged for r in reviewed)} flagged), {sum(r.repairs for r in reviewed)} repairs. Click a column to sort; open a
document to check its records on its pages and correct them into a golden file.</p></header>
<main><table id="documents" class="documents"><thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></main>"""
    return html_page("bilan review", body, ["static/index.js"], "")


def review_document(out_dir: Path, doc_id: str, json_path: Path, document: Document, summary: ReviewSummary,
                    goldens: list, golden_file: bool, sources: Optional[Path], dpi: int,
                    password: Optional[str]) -> DocumentRow:
    row = DocumentRow(doc_id, slug(doc_id), document.source.kind, document.status, len(document.pages))
    source = find_source(document, json_path, sources)
    images = page_images(out_dir, document, source, dpi, password)
    for number, image in images.items():
        if image.outcome == "rendered":
            summary.rendered += 1
        elif image.outcome == "reused":
            summary.reused += 1
        elif image.outcome != "none":
            summary.without_image.append((doc_id, number, image.outcome))
    extracted = golden_records(document)
    golden = goldens[0] if golden_file and goldens else golden_for(document, goldens)
    marks = golden_marks(extracted, golden.data) if golden else None
    name = Path(document.source.path).name
    # What the downloaded golden file says besides its records: the matched golden's own keys
    # (document, variants and any other), else this document as the only variant.
    head = {"document": name, "variants": [name]}
    if golden:
        head.update({key: value for key, value in golden.data.items() if key != "records"})
    view = document_view(doc_id, document, images, head, marks)
    if golden:
        view["golden"]["path"] = str(golden.path)
    base = out_dir / "data" / row.slug
    write_if_changed(base / "document.js", js_call("BilanReview.document", view))
    tables = pages_tables(detected_tables(document))
    repairs: dict[Optional[int], list] = {}
    for repair in document.repairs:
        repairs.setdefault(repair.page, []).append(repair)
    for page in document.pages:
        data = page_view(page, repairs.get(page.number, []), tables.get(page.number, []))
        write_if_changed(base / f"p{page.number:04d}.js", js_call("BilanReview.page", page.number, data))
    write_if_changed(out_dir / "documents" / f"{row.slug}.html", document_page(row))
    row.records = len(view["records"])
    row.flagged = sum(r["flagged"] for r in view["records"])
    row.repairs = len(document.repairs)
    row.doubtful = sum(r.score < DOUBTFUL_REPAIR for r in document.repairs)
    row.errors = sum(e.level == "error" for e in document.errors)
    row.golden_f1 = marks["f1"] if marks else None
    return row


def build_review(input_path: str | Path, out_dir: Optional[str | Path] = None, golden: Optional[str | Path] = None,
                 sources: Optional[str | Path] = None, dpi: int = PAGE_DPI, password: Optional[str] = None,
                 on_document: Optional[Callable[[DocumentRow, int, int], None]] = None) -> ReviewSummary:
    """Write the review site of one `bilan extract` JSON or a `bilan batch` output folder.

    `golden`: a golden file (applied to every document) or a folder of them (matched by the
    document's source path); `sources`: where to look for source files moved since extraction."""
    started = time.perf_counter()
    input_path = Path(input_path)
    files = document_files(input_path)
    out = Path(out_dir) if out_dir is not None else default_review_dir(input_path)
    goldens = load_goldens(Path(golden) if golden is not None else None)
    golden_file = golden is not None and Path(golden).is_file()
    summary = ReviewSummary(out)
    for number, (file, document, problem) in enumerate(iter_documents(files, strict=input_path.is_file()), start=1):
        if document is None:
            row = DocumentRow(file.doc_id, problem=problem or "")
        else:
            row = review_document(out, file.doc_id, file.path, document, summary, goldens, golden_file,
                                  Path(sources) if sources is not None else None, dpi, password)
        summary.rows.append(row)
        if on_document is not None:
            on_document(row, number, len(files))
    copy_static(out)
    write_if_changed(out / "index.html", index_page(summary))
    summary.seconds = time.perf_counter() - started
    return summary
