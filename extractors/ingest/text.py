"""Plain-text inputs such as legacy OCR dumps: lines kept as they are, pages split on form feeds."""
from __future__ import annotations

import re
from pathlib import Path

from extractors.errors import CorruptInput, LexiconUnavailable, UnsupportedInput
from extractors.french.lexicon import load_lexicon
from extractors.options import IngestOptions, parse_pages
from extractors.ingest.source import looks_binary, make_source
from schemas import Document, Line, Page, StageError, Word


# Single-byte encodings French text dumps come in: Windows, old Macs, DOS, ISO Latin-9. Every byte
# decodes in each of them (cp1252 aside, whose five holes make it fail), so the text says which one
# it was: the one whose accented words the French lexicon knows best.
LEGACY_ENCODINGS = ("cp1252", "mac_roman", "cp850", "iso8859_15")


def decode_text(path: Path, data: bytes) -> tuple[str, list[StageError]]:
    """UTF-8 first (with or without BOM); otherwise the legacy encoding with the best lexicon score."""
    if looks_binary(data[:4096]):
        raise UnsupportedInput(path, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        bad_byte = e.start
    decoded = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise CorruptInput(path, f"not UTF-8 (byte {bad_byte}) nor a single-byte French encoding")
    scores = {encoding: accented_words_score(text) for encoding, text in decoded.items()}
    # Ties (no accented word decodes into French in any of them) go to the most common, cp1252.
    best = max(decoded, key=lambda enc: (scores[enc], -LEGACY_ENCODINGS.index(enc)))
    known, total = scores[best]
    note = StageError(stage="decode", level="warning",
                      message=f"not valid UTF-8 at byte {bad_byte}; decoded as {best} "
                              f"({known} of {total} accented words in the French lexicon)")
    return decoded[best], [note]


ACCENTED_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")


def accented_words_score(text: str, limit: int = 2000) -> tuple[int, int]:
    """(accented words the French lexicon knows, accented words) among the first `limit` of them."""
    try:
        lexicon = load_lexicon()
    except LexiconUnavailable:
        return 0, 0
    known = total = 0
    for word in ACCENTED_WORD.findall(text):
        total += 1
        known += lexicon.is_valid(word)
        if total >= limit:
            break
    return known, total


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
