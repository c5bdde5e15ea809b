"""`bilan export`: a Document (its JSON) to an archival format, written atomically.

| format | file beside `NAME.json` | what |
|---|---|---|
| pdf  | `NAME.searchable.pdf` | the source pages + an invisible layer of the repaired words (`pdf`) |
| alto | `NAME.alto.xml` | ALTO 4.4, reading before repair as ALTERNATIVE (`alto`) |
| hocr | `NAME.hocr` | hOCR 1.2 (`hocr`) |
| md   | `NAME.md` | headings, lists, pipe tables, records summary (`markdown`) |
| txt  | `NAME.txt` | reading order, repaired (`text`) |
| csv  | `NAME.tables/<page>-<n>.csv` | every table (`tables`) |
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.atomic import write_text_atomic
from extractors.errors import BadOption, CorruptInput, InputNotFound, OutputError, UnsupportedInput
from schemas import Document

FORMATS = ("pdf", "alto", "hocr", "md", "txt", "csv")
BOXED_FORMATS = ("pdf", "alto", "hocr")  # formats that place words on a page
SUFFIXES = {"pdf": ".searchable.pdf", "alto": ".alto.xml", "hocr": ".hocr", "md": ".md", "txt": ".txt", "csv": ".tables"}


@dataclass(frozen=True)
class ExportSettings:
    pdfa: bool = False  # PDF/A-2b instead of a plain PDF
    password: Optional[str] = None  # of a password-protected source PDF
    dpi: float = 300.0  # pixel unit of ALTO and hOCR
    jobs: int = 1  # OCRmyPDF worker processes


def parse_formats(text: str) -> list[str]:
    """'pdf,alto' -> ['pdf', 'alto']; BadOption names an unknown one."""
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BadOption(None, f"unknown export format {', '.join(unknown) or repr(text)} (choose from {', '.join(FORMATS)})")
    return list(dict.fromkeys(formats))


def load_document(path: Path) -> Document:
    """A `bilan extract` JSON file as a Document; typed errors for a missing or foreign file."""
    from pydantic import ValidationError

    if not path.is_file():
        raise InputNotFound(path, "no such file")
    try:
        return Document.model_validate_json(path.read_bytes())
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorruptInput(path, f"not a bilan document JSON ({where}: {first['msg']})") from e


def has_boxes(document: Document) -> bool:
    return any(w.bbox is not None for page in document.pages for w in page.words[:1])


def export_target(json_path: Path, fmt: str) -> Path:
    name = json_path.name[:-5] if json_path.name.endswith(".json") else json_path.name
    return json_path.with_name(name + SUFFIXES[fmt])


def export_document(document: Document, fmt: str, target: Path, settings: ExportSettings = ExportSettings(),
                    json_path: Optional[Path] = None) -> list[Path]:
    """Write `document` as `fmt` to `target` (a folder for csv); returns the files written."""
    from extractors.export.tables import document_tables_of

    if target.resolve() == Path(document.source.path).resolve():
        raise OutputError(target, "would overwrite the document's source file; choose another -o")
    if fmt in ("alto", "hocr") and not has_boxes(document):  # pdf: check_source says why
        raise UnsupportedInput(json_path or document.source.path,
                               f"no word boxes to write as {fmt}: it was read from a {document.source.kind} "
                               f"source ({document.source.path}); export it as txt or md")
    tables = document_tables_of(document)
    if fmt == "pdf":
        from extractors.export.pdf import export_pdf

        return [export_pdf(document, tables, target, pdfa=settings.pdfa, password=settings.password,
                           json_path=json_path, jobs=settings.jobs)]
    if fmt == "csv":
        from extractors.export.tables import table_csv, table_file_names

        written = []
        for table, name in zip(tables, table_file_names(tables)):
            write_text_atomic(target / name, table_csv(table))
            written.append(target / name)
        return written
    if fmt == "alto":
        from extractors.export.alto import document_alto

        write_text_atomic(target, document_alto(document, tables, settings.dpi).decode("utf-8"))
    elif fmt == "hocr":
        from extractors.export.hocr import document_hocr

        write_text_atomic(target, document_hocr(document, tables, settings.dpi))
    elif fmt == "md":
        from extractors.export.markdown import document_markdown

        write_text_atomic(target, document_markdown(document, tables))
    elif fmt == "txt":
        from extractors.export.text import document_text

        write_text_atomic(target, document_text(document, tables))
    else:
        raise BadOption(None, f"unknown export format {fmt!r}")
    return [target]


def documents_in(path: Path) -> list[Path]:
    """The document JSON files a path names: itself, or every `documents/**/*.json` of a batch
    output folder."""
    if path.is_dir():
        folder = path / "documents"
        if not folder.is_dir():
            raise InputNotFound(path, "not a `bilan batch` output folder (no documents/ inside)")
        return sorted(p for p in folder.rglob("*.json") if not p.name.startswith("."))
    if not path.exists():
        raise InputNotFound(path, "no such file or folder")
    return [path]


def export_path(path: Path, formats: list[str], output: Optional[Path] = None,
                settings: ExportSettings = ExportSettings()) -> list[Path]:
    """Export one document JSON (to `output`, or beside it) or every document of a batch output
    folder (beside each JSON, or under the folder `output` keeping their relative names)."""
    jsons = documents_in(path)
    if output is not None and len(formats) > 1 and len(jsons) == 1 and not path.is_dir():
        raise BadOption(None, "-o names one file: give one --to format, or leave -o out to write beside the JSON")
    written = []
    for json_path in jsons:
        document = load_document(json_path)
        for fmt in formats:
            if output is None:
                target = export_target(json_path, fmt)
            elif path.is_dir():
                target = export_target(output / json_path.relative_to(path / "documents"), fmt)
            else:
                target = output
            written += export_document(document, fmt, target, settings, json_path)
    return written


def export_batch_document(json_path: Path, formats: list[str], stamps: Path,
                          settings: ExportSettings = ExportSettings()) -> list[str]:
    """`bilan batch --export`: write the formats beside one document's JSON. A format already
    written from the same JSON bytes (its stamp in `stamps` holds their sha256) is not written
    again, so a resumed batch redoes nothing. Formats that place words on a page are skipped for
    documents without word boxes (text dumps, web pages). Returns one line per failed format."""
    import hashlib

    from extractors.errors import BilanError

    digest = hashlib.sha256(json_path.read_bytes()).hexdigest()
    problems = []
    document = None
    for fmt in formats:
        target = export_target(json_path, fmt)
        stamp = stamps / f"{json_path.name}.{fmt}"
        if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
            continue
        try:
            document = document or load_document(json_path)
            if fmt in BOXED_FORMATS and not has_boxes(document):
                continue  # a text dump or a web page has no page to place words on
            export_document(document, fmt, target, settings, json_path)
            write_text_atomic(stamp, digest)
        except BilanError as e:
            problems.append(f"{fmt}: {e}")
    return problems
