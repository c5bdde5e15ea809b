"""OCR'd pages of a document still being read, kept on disk until the document is done.

A batch killed in the middle of a long scan would otherwise OCR every page of it again on
`--resume` (the document cache only holds finished documents). Each page a worker OCRs is written
here, atomically, under the file's hash, the settings key and the page number; a resumed batch
takes those pages as they are and OCRs only the rest. Tesseract is deterministic, so the finished
document is the same as if nothing had been interrupted. Once the document is written its pages
are deleted: the document cache covers them from then on.

Only the local executor uses it: Dask workers may not share the output folder's disk.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Optional

from extractors.atomic import write_text_atomic
from extractors.ocr.jobs import OcrResult


@cache  # building the adapter costs more than using it: once a process
def _adapter():
    from pydantic import TypeAdapter

    return TypeAdapter(OcrResult)


@dataclass(frozen=True)
class PageCache:
    root: Path  # OUT/.cache/pages
    key: str  # the batch's settings key: other settings, other pages

    def path(self, sha256: str, number: int) -> Path:
        return self.root / f"{sha256}-{self.key}-p{number}.json"

    def save(self, sha256: str, result: OcrResult) -> None:
        """In the worker, after OCR. A page that failed is not kept: the next run tries it again."""
        if result.error is None:
            write_text_atomic(self.path(sha256, result.number), _adapter().dump_json(result).decode())

    def load(self, sha256: str, number: int) -> Optional[OcrResult]:
        path = self.path(sha256, number)
        try:
            return _adapter().validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:  # a page written by another version, or damaged: OCR it again
            path.unlink(missing_ok=True)
            return None

    def forget(self, sha256: str) -> None:
        """Once the document is written, the document cache covers its pages."""
        if self.root.is_dir():
            for path in self.root.glob(f"{sha256}-{self.key}-p*.json"):
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        """After a run that finished every document, no page is waiting for its document."""
        if self.root.is_dir():
            for path in self.root.glob("*.json"):
                path.unlink(missing_ok=True)
