"""The `bilan` command line. The only place where exceptions become exit codes and one-line messages.

Exit codes: extractors.errors.ExitCode (the README's table is checked against it). Every expected
failure, usage errors included, is one line on stderr: `bilan: FILE: problem`.
"""
from __future__ import annotations

import os
import signal
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from extractors.version import __version__
from extractors.errors import BilanError, ExitCode
from extractors.options import DEFAULT_MAX_OUTPUT_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_PER_DOC

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn French government publications (PDF, scans, images, HTML, OCR text dumps) into structured data.",
)


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def fail(message: str, code: ExitCode) -> None:
    typer.echo(f"bilan: {message}", err=True)
    raise typer.Exit(int(code))


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def run_guarded(action, interrupted: str = "interrupted"):
    """Run a command body: typed errors -> one line + documented code; anything else -> code 1."""
    try:
        return action()
    except typer.Exit:
        raise
    except BilanError as e:
        fail(one_line(e), e.exit_code)
    except KeyboardInterrupt:
        fail(interrupted, ExitCode.INTERRUPTED)
    except Exception as e:  # a bug: say so in one line; BILAN_DEBUG=1 shows the traceback
        if os.environ.get("BILAN_DEBUG"):
            traceback.print_exc()
        fail(one_line(f"internal error: {type(e).__name__}: {e} (set BILAN_DEBUG=1 for the traceback)"),
             ExitCode.INTERNAL_ERROR)


def terminate_as_interrupt(signum, frame) -> None:
    """SIGTERM (a scheduler stopping the job, `kill`) ends a run as Ctrl-C does: workers stopped,
    what is written kept, exit 130."""
    raise KeyboardInterrupt


def run(args: Optional[list[str]] = None) -> None:
    """The `bilan` entry point: click's usage errors become one line too, not a box."""
    signal.signal(signal.SIGTERM, terminate_as_interrupt)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="bilan", standalone_mode=False)
    except typer.TyperException as e:  # click's usage errors, as Typer bundles click
        ctx = getattr(e, "ctx", None)
        if type(e).__name__ != "NoArgsIsHelpError":  # that one has printed the help already
            where = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
            typer.echo(f"bilan: {one_line(e.format_message())}{where}", err=True)
        code = e.exit_code
    except typer.Exit as e:
        code = e.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("bilan: interrupted", err=True)
        code = ExitCode.INTERRUPTED
    sys.exit(int(code or 0))


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"bilan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Print the version."),
) -> None:
    pass


QUIET = typer.Option(False, "-q", "--quiet", help="Only errors on stderr: no progress, no warnings.")
VERBOSE = typer.Option(False, "-v", "--verbose", help="A line per step on stderr, even when it is not a terminal.")


@app.command()
def extract(
    input: str = typer.Argument(..., help="PDF, image (PNG/JPEG/TIFF), HTML page or text dump; - for standard input."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the JSON here (atomically); stdout if absent."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="auto: OCR image-only and untrustworthy pages; always; never."),
    lang: str = typer.Option("auto", "--lang", help="Tesseract languages; auto: French, English pages read again with fra+eng."),
    pages: Optional[str] = typer.Option(None, "--pages", help="Pages to read, e.g. 2-5,8."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of an encrypted PDF."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=1, help="OCR processes (one single-threaded Tesseract each)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep OCR'd and text-dump pages exactly as read (no OCR-damage repair)."),
    max_pages: int = typer.Option(DEFAULT_MAX_PAGES, "--max-pages", min=1, help="Refuse files with more pages than this."),
    max_output_mb: int = typer.Option(DEFAULT_MAX_OUTPUT_MB, "--max-output-mb", min=1, help="Refuse to write a JSON larger than this."),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Read one document and write it as JSON (schemas/json/document.schema.json)."""

    def body():
        from pydantic import ValidationError

        from extractors.atomic import write_text_atomic
        from extractors.errors import BadOption
        from extractors.options import IngestOptions, check_output_size
        from extractors.progress import on_pages

        try:
            options = IngestOptions(ocr=ocr.value, lang=lang, pages=pages, password=password, workers=workers,
                                    repair=not no_repair, max_pages=max_pages, max_output_mb=max_output_mb)
        except ValidationError as e:
            raise BadOption(input, e.errors()[0]["msg"]) from e
        with PageProgress(live=not quiet and sys.stderr.isatty(), lines=verbose and not quiet) as progress:
            with on_pages(progress.update):
                document = extract_input(input, options)
        text = document.model_dump_json(indent=1) + "\n"
        check_output_size(input, text, options)
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)
        for error in document.errors:
            if quiet and error.level == "warning":
                continue
            where = f" page {error.page}" if error.page else ""
            typer.echo(f"bilan: {input}:{where} {error.level} at {error.stage}: {one_line(error.message)}", err=True)
        if document.status == "partial":
            raise typer.Exit(ExitCode.PARTIAL)
        if document.status == "failed":
            raise typer.Exit(ExitCode.FAILED)

    run_guarded(body)


def extract_input(input: str, options):
    """`bilan extract`'s input: a path, or `-` for the bytes of standard input (kept in a private
    temporary file while they are read; the Document names its source `-`)."""
    from extractors.pipeline import file_to_document

    if input != "-":
        return file_to_document(Path(input), options)
    import tempfile

    from extractors.batch.pages import document_text
    from schemas import Document

    with tempfile.TemporaryDirectory(prefix="bilan-stdin-") as folder:
        path = Path(folder) / "stdin"
        with path.open("wb") as handle:
            while chunk := sys.stdin.buffer.read(1 << 20):
                handle.write(chunk)
        document = file_to_document(path, options)
        return Document.model_validate_json(document_text(document, "-"))


class PageProgress:
    """Pages read so far by `bilan extract`: a bar on a terminal, lines with -v, else nothing."""

    def __init__(self, live: bool, lines: bool) -> None:
        self.live, self.lines = live and not lines, lines
        self.progress = None
        self.task = None
        self.started = 0.0

    def __enter__(self):
        import time

        self.started = time.perf_counter()
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                     transient=True, console=_stderr_console())
            self.progress.__enter__()
            self.task = self.progress.add_task("extract", total=None)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def update(self, done: int, total: Optional[int]) -> None:
        import time

        if self.progress is not None:
            self.progress.update(self.task, completed=done, total=total)
        elif self.lines and done:
            of = f"/{total}" if total else ""
            typer.echo(f"bilan: page {done}{of} read ({time.perf_counter() - self.started:.1f} s)", err=True)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@app.command()
def repair(
    input: str = typer.Argument(..., help="Text file (UTF-8, or a legacy encoding said on stderr), or - for standard input."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the repaired text here (atomically); stdout if absent."),
    explain: Optional[Path] = typer.Option(None, "--explain", help="Write every change as JSON lines: line, column, before, after, rule, score."),
    reaccent: bool = typer.Option(False, "--reaccent", help="The text's accents are known to be stripped (an old text layer or dump): restore them."),
) -> None:
    """Repair OCR damage in French text; every line break is kept except where a hyphenated word is joined."""

    def body():
        from extractors.atomic import write_text_atomic
        from extractors.errors import CorruptInput, EmptyDocument, InputNotFound
        from extractors.repair.stage import repair_text
        from extractors.ingest.text import decode_text

        if input == "-":
            name, data = Path("<stdin>"), sys.stdin.buffer.read()
        else:
            name = Path(input)
            if not name.is_file():
                raise InputNotFound(name, "no such file")
            try:
                data = name.read_bytes()
            except OSError as e:
                raise CorruptInput(name, f"cannot read: {e.strerror or e}") from e
        text, warnings = decode_text(name, data)
        for warning in warnings:
            typer.echo(f"bilan: {name}: warning: {warning.message}", err=True)
        if not text.strip():
            raise EmptyDocument(name, "empty input: nothing to repair")
        result = repair_text(text, reaccent=reaccent)
        for note in result.notes:
            typer.echo(f"bilan: {name}: {note}", err=True)
        if explain is not None:
            write_text_atomic(explain, "".join(r.model_dump_json() + "\n" for r in result.repairs))
        if output is None:
            sys.stdout.write(result.text)
        else:
            write_text_atomic(output, result.text)

    run_guarded(body)


@app.command()
def export(
    input: Path = typer.Argument(..., help="`bilan extract` JSON, or a `bilan batch` output folder (every document)."),
    to: str = typer.Option(..., "--to", help="pdf, alto, hocr, md, txt or csv; several separated by commas."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File (folder for csv, or for a batch folder); beside the JSON if absent."),
    pdfa: bool = typer.Option(False, "--pdfa", help="PDF/A-2b instead of a plain PDF (checked by pikepdf's PDF/A validator)."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of a password-protected source PDF."),
    workers: int = typer.Option(1, "--workers", min=1, help="OCRmyPDF worker processes for --to pdf."),
) -> None:
    """Write archival outputs: searchable PDF with the repaired text, ALTO 4, hOCR, Markdown, text, tables as CSV."""

    def body():
        from extractors.export.dispatch import ExportSettings, export_path, parse_formats

        settings = ExportSettings(pdfa=pdfa, password=password, jobs=workers)
        for path in export_path(input, parse_formats(to), output, settings):
            typer.echo(str(path))

    run_guarded(body)


class Executor(str, Enum):
    local = "local"
    dask = "dask"
    inline = "inline"


@app.command()
def batch(
    input_dir: Path = typer.Argument(..., help="Folder of publications (sub-folders too)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output folder: documents/, bilan.duckdb, parquet/, measures.csv."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=1, help="Worker processes (one single-threaded Tesseract each)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run (documents already done are reused)."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="auto: OCR image-only and untrustworthy pages; always; never."),
    lang: str = typer.Option("auto", "--lang", help="Tesseract languages; auto: French, English pages read again with fra+eng."),
    executor: Executor = typer.Option(Executor.local, "--executor", help="local worker processes, a Dask cluster, or inline (this process, one document after the other: for debugging)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786."),
    abort_on_error: bool = typer.Option(False, "--abort-on-error", help="Stop at the first failed document."),
    no_repair: bool = typer.Option(False, "--no-repair", help="No OCR-damage repair."),
    exclude: list[str] = typer.Option([], "--exclude", help="Glob of paths to leave out, relative to the folder (repeatable), e.g. 'drafts/*'."),
    timeout_per_doc: float = typer.Option(DEFAULT_TIMEOUT_PER_DOC, "--timeout-per-doc", min=1,
                                          help="Seconds one document (or one OCR'd page of a long scan) may take before it is stopped and failed."),
    max_pages: int = typer.Option(DEFAULT_MAX_PAGES, "--max-pages", min=1, help="Fail files with more pages than this."),
    max_output_mb: int = typer.Option(DEFAULT_MAX_OUTPUT_MB, "--max-output-mb", min=1, help="Fail documents whose JSON would be larger than this."),
    export: Optional[str] = typer.Option(None, "--export", help="Also write these formats beside each JSON: pdf,alto,hocr,md,txt,csv (see `bilan export`)."),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Extract every document of a folder, resumably, into per-document JSON and a DuckDB/Parquet dataset.

    Exit code 0 when every document succeeded or was skipped, 10 when some are partial, 12 when some failed,
    9 when an output could not be written, 130 when interrupted (continue with --resume).
    """

    def body():
        from extractors.batch.run import run_batch
        from extractors.errors import BadOption
        from extractors.options import IngestOptions

        if executor == Executor.dask and not scheduler:
            raise BadOption(None, "--executor dask needs --scheduler tcp://HOST:PORT")
        from extractors.export.dispatch import parse_formats

        formats = parse_formats(export) if export else []
        options = IngestOptions(ocr=ocr.value, lang=lang, repair=not no_repair, max_pages=max_pages,
                                max_output_mb=max_output_mb)
        if (out / "documents").exists() and not resume and not quiet:
            typer.echo(f"bilan: {out} holds an earlier run; unchanged documents are reused (pass --resume to say so)", err=True)
        progress = BatchProgress(quiet=quiet, verbose=verbose)
        with progress:
            summary = run_batch(input_dir, out, options, workers=workers, executor=executor.value, scheduler=scheduler,
                                abort_on_error=abort_on_error, exclude=exclude, on_progress=progress.update,
                                on_start=progress.start, timeout_per_doc=timeout_per_doc, export=formats)
        typer.echo(summary.line())
        if summary.ignored and not quiet:
            suffixes = sorted({Path(p).suffix or "(none)" for p in summary.ignored})
            typer.echo(f"  ignored {len(summary.ignored)} files that are not publications ({', '.join(suffixes)})")
        for outcome in summary.outcomes:
            if outcome.status == "failed":
                typer.echo(f"  failed: {outcome.doc_id}: {one_line(outcome.reason)}")
        for problem in summary.export_failures:
            typer.echo(f"  export failed: {one_line(problem)}")
        typer.echo(f"dataset: {out / 'bilan.duckdb'} (query it with: bilan query {out} \"SELECT ...\")")
        if summary.count("failed"):
            raise typer.Exit(ExitCode.FAILED)
        if summary.count("partial"):
            raise typer.Exit(ExitCode.PARTIAL)

    run_guarded(body, interrupted="interrupted; the documents done are kept: run the same command with --resume to continue")


class BatchProgress:
    """A live bar (documents, pages, pages/s, time left) on a terminal; plain lines otherwise
    (or with -v); nothing with -q."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty() and not quiet and not verbose
        self.pages = 0
        self.pages_worked = 0
        self.started = 0.0
        self.progress = None

    def __enter__(self):
        import time

        self.started = time.perf_counter()
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[pages]} pages, {task.fields[rate]:.1f} pages/s"),
                                     TimeRemainingColumn(), transient=True, console=_stderr_console())
            self.progress.__enter__()
            self.task = self.progress.add_task("batch", total=None, pages=0, rate=0.0)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def start(self, total: int, cached: int) -> None:
        if self.quiet:
            return
        if self.progress is not None:
            self.progress.update(self.task, total=total)
        else:
            typer.echo(f"bilan: {total} documents, {cached} already done", err=True)

    def update(self, outcome, done: int, total: int) -> None:
        import time

        self.pages += outcome.pages
        if not outcome.cached:  # the rate is of work done now, not of documents found done
            self.pages_worked += outcome.pages - outcome.reused_pages
        rate = self.pages_worked / max(time.perf_counter() - self.started, 1e-9)
        if self.quiet:
            return
        if self.progress is not None:
            self.progress.update(self.task, completed=done, pages=self.pages, rate=rate)
        else:
            note = " (cached)" if outcome.cached else ""
            if outcome.reused_pages:
                note = f" ({outcome.reused_pages} OCR'd pages taken over from the interrupted run)"
            typer.echo(f"bilan: [{done}/{total}] {outcome.doc_id}: {outcome.status}, {outcome.pages} pages{note}; "
                       f"{self.pages} pages, {rate:.1f} pages/s", err=True)


@app.command()
def query(
    out: Path = typer.Argument(..., help="Output folder of `bilan batch`."),
    sql: str = typer.Argument(..., help='SQL on the tables documents, pages, page_texts, measures, indicators, actions, progress_parts, recommendations, announcements, announcement_counts, stat_tables, stat_rows, statistics, tables, table_cells, repairs, errors, runs.'),
    as_csv: bool = typer.Option(False, "--csv", help="CSV instead of a table."),
) -> None:
    """Run SQL on the DuckDB dataset of a batch (read-only; no other file, network or extension)."""

    def body():
        import csv

        from extractors.batch.dataset import query as run_query

        columns, rows = run_query(out, sql)
        if as_csv or not sys.stdout.isatty():
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)

    run_guarded(body)


@app.command()
def validate(
    output: Path = typer.Argument(..., help="`bilan extract` JSON (or bare records) to check."),
    golden: Path = typer.Option(..., "--golden", help="Hand-verified golden file (golden/<name>.json)."),
    min_f1: float = typer.Option(0.95, "--min-f1", min=0, max=1, help="Exit 14 when the overall field F1 is below this."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    show: int = typer.Option(20, "--show", help="How many differing fields to print side by side."),
) -> None:
    """Score extracted records against a golden file, field by field."""

    def body():
        import json

        from extractors.errors import CorruptInput, InputNotFound
        from extractors.validation import compare_records, golden_for, records_of

        def load(path: Path) -> dict:
            if not path.is_file():
                raise InputNotFound(path, "no such file")
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise CorruptInput(path, f"not JSON: {e}") from e

        extracted = load(output)
        report = compare_records(golden_for(load(golden), extracted), records_of(extracted))
        total = report.total
        if as_json:
            payload = {"f1": total.f1, "precision": total.precision, "recall": total.recall,
                       "records": {k: dict(zip(("gold", "predicted", "paired"), v)) for k, v in report.records.items()},
                       "fields": {n: {"f1": c.f1, "precision": c.precision, "recall": c.recall, "gold": c.gold,
                                      "predicted": c.pred, "matched": c.tp} for n, c in sorted(report.fields.items())}}
            typer.echo(json.dumps(payload, indent=1, ensure_ascii=False))
        else:
            print_report(report, show)
        verdict = "ok" if total.f1 >= min_f1 else f"below --min-f1 {min_f1}"
        typer.echo(f"{output}: field F1 {total.f1:.3f} (P {total.precision:.3f}, R {total.recall:.3f}) against {golden}: {verdict}",
                   err=as_json)
        if total.f1 < min_f1:
            raise typer.Exit(ExitCode.BELOW_THRESHOLD)

    run_guarded(body)


def print_report(report, show: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 120))
    for kind, (gold, predicted, paired) in report.records.items():
        console.print(f"{kind}: {gold} in golden, {predicted} extracted, {paired} paired")
    table = Table("field", "golden", "extracted", "matched", "P", "R", "F1")
    for name, c in sorted(report.fields.items()):
        table.add_row(name, str(c.gold), str(c.pred), str(c.tp), f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}")
    console.print(table)
    if report.differences and show:
        diff = Table("record", "field", "golden", "extracted", title=f"differences ({min(show, len(report.differences))} of {len(report.differences)})")
        for d in report.differences[:show]:
            diff.add_row(d.key, d.field, str(d.gold)[:200], str(d.pred)[:200])
        console.print(diff)


@app.command()
def review(
    input: Path = typer.Argument(..., help="`bilan extract` JSON, or a `bilan batch` output folder."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Review folder (default: OUT/review, or DOC.review beside the JSON)."),
    golden: Optional[Path] = typer.Option(None, "--golden", help="Golden file (for every document) or folder of goldens (matched by source path): differences are marked."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Where to find source files moved since extraction (for the page images)."),
    dpi: int = typer.Option(100, "--dpi", min=36, max=300, help="Resolution of the page images."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of encrypted source PDFs."),
) -> None:
    """Write a static review site (opens from file://, no network): records, tables and repairs over the page images; corrections become a golden file."""

    def body():
        from extractors.review import build_review

        summary = build_review(input, output, golden=golden, sources=sources, dpi=dpi, password=password)
        for doc_id, page, why in summary.without_image[:5]:
            typer.echo(f"bilan: {doc_id}: page {page} without image: {why}", err=True)
        if len(summary.without_image) > 5:
            typer.echo(f"bilan: ... and {len(summary.without_image) - 5} more pages without image", err=True)
        for row in summary.rows:
            if not row.slug:
                typer.echo(f"bilan: {row.doc_id}: not reviewed: {row.problem}", err=True)
        typer.echo(summary.line())

    run_guarded(body)


@app.command()
def schema(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder to write into (default: the package's schemas/json)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if the files on disk differ from the models."),
) -> None:
    """Export the JSON Schemas of the models passed between stages."""

    def body():
        from schemas.export import SCHEMA_DIR, render_schemas, write_schemas

        directory = out or SCHEMA_DIR
        if check:
            stale = [n for n, t in render_schemas().items() if not (directory / n).exists() or (directory / n).read_text(encoding="utf-8") != t]
            if stale:
                fail(f"stale JSON Schemas in {directory}: {', '.join(stale)} (run `bilan schema`)", ExitCode.INTERNAL_ERROR)
            typer.echo(f"JSON Schemas in {directory} are up to date")
            return
        for path in write_schemas(directory):
            typer.echo(str(path))

    run_guarded(body)


if __name__ == "__main__":
    run()
