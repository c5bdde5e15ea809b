"""Identify an input file: what kind it really is (by its bytes, not its name) and its hash."""
from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.errors import CorruptInput, InputNotFound, UnsupportedInput
from schemas import Source

IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many C0 control characters: not a text dump."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return len(head) > 0 and controls / len(head) > 0.05


def sniff_kind(path: Path) -> str:
    """Return 'pdf' | 'image' | 'html' | 'text' or raise a typed error naming the file."""
    if not path.exists():
        if path.is_symlink():  # exists() follows links: a dangling one, or a loop
            raise InputNotFound(path, "broken symbolic link, or a loop of them")
        raise InputNotFound(path, "no such file")
    if path.is_dir():
        raise UnsupportedInput(path, "is a folder, not a document (use `bilan batch` for folders)")
    if not path.is_file():  # a FIFO would block the read below forever
        raise UnsupportedInput(path, "not a regular file (a FIFO, socket or device)")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as e:
        raise CorruptInput(path, f"cannot read: {e.strerror or e}") from e
    suffix = path.suffix.lower()
    if not head:
        raise UnsupportedInput(path, "file is empty (0 bytes)")
    # The PDF spec allows junk before the header; readers accept it within the first 1 KiB.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if suffix == ".pdf":
        raise UnsupportedInput(path, f"not a PDF: named .pdf but starts with {head[:8]!r}")
    for magic in IMAGE_MAGIC:
        if head.startswith(magic):
            return "image"
    lowered = head[:512].lstrip().lower()
    if suffix in HTML_SUFFIXES or lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if looks_binary(head):
        raise UnsupportedInput(path, "binary data of an unknown kind (expected PDF, PNG, JPEG, TIFF, HTML or text)")
    return "text"


def make_source(path: Path, kind: str, page_count: int) -> Source:
    return Source(path=str(path), sha256=sha256_of(path), kind=kind, page_count=page_count)
