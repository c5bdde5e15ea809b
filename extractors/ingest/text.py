"""Plain-text inputs such as legacy OCR dumps: lines kept as they are, pages split on form feeds."""
from __future__ import annotations

from pathlib import Path

from extractors.errors import CorruptInput, UnsupportedInput
from extractors.options import IngestOptions, parse_pages
from extractors.ingest.source import looks_binary, make_source
from schemas import Document, Line, Page, StageError, Word


def decode_text(path: Path, data: bytes) -> tuple[str, list[StageError]]:
    """UTF-8 first (with or without BOM); old Windows dumps fall back to cp1252, said in a warning."""
    if looks_binary(data[:4096]):
        raise UnsupportedInput(path, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise CorruptInput(path, f"not UTF-8 (byte {e.start}) nor cp1252 text") from e
        note = StageError(stage="decode", message=f"not valid UTF-8 at byte {e.start}; decoded as cp1252", level="warning")
        return text, [note]


def text_page(number: int, text: str) -> Page:
    words: list[Word] = []
    lines: list[Line] = []
    for raw in text.split("\n"):
        raw = raw.rstrip("\r")
        tokens = raw.split()
        first = len(words)
        words.extend(Word(text=t, origin="text") for t in tokens)
        lines.append(Line(text=raw, word_ids=list(range(first, len(words)))))
    # A trailing newline at the end of a page is a terminator, not an empty last line.
    if lines and lines[-1].text == "" and text.endswith("\n"):
        lines.pop()
    return Page(number=number, origin="text", words=words, lines=lines)


def text_to_document(path: Path, options: IngestOptions | None = None) -> Document:
    options = options or IngestOptions()
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorruptInput(path, f"cannot read: {e.strerror or e}") from e
    text, warnings = decode_text(path, data)
    page_texts = text.split("\f")
    if page_texts and page_texts[-1].strip() == "" and len(page_texts) > 1:
        page_texts.pop()  # a dump that ends with a form feed has no extra page
    chosen = parse_pages(options.pages, len(page_texts))
    pages = [text_page(n, page_texts[n - 1]) for n in chosen]
    source = make_source(path, "text", len(page_texts))
    status = "success" if any(p.words for p in pages) else "failed"
    errors = list(warnings)
    if status == "failed":
        errors.append(StageError(stage="ingest", message="no text in the selected pages"))
    return Document(source=source, pages=pages, status=status, errors=errors)
