"""What a review is made from: the extracted documents, the files they were read from, and goldens.

A review takes one `bilan extract` JSON or a `bilan batch` output folder (its `documents/*.json`).
Documents are loaded one at a time, so a batch of any size is reviewed in flat memory. The page
images need the source file: `source.path` as recorded (relative to where the extraction ran), or
below `--sources DIR` by that path or by file name. A golden file (golden/README.md) is matched to a
document by the corpus paths it lists in `document` and `variants`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional

from pydantic import ValidationError

from extractors.errors import CorruptInput, InputNotFound, UnsupportedInput
from schemas import Document

DOCUMENTS_DIR = "documents"  # where `bilan batch` writes one JSON per document


@dataclass(frozen=True)
class DocumentFile:
    doc_id: str  # the document's name in the review: its path below documents/, or the JSON's name
    path: Path


def document_files(input_path: Path) -> list[DocumentFile]:
    """The JSON files to review: the file itself, or every documents/**/*.json of a batch output."""
    if not input_path.exists():
        raise InputNotFound(input_path, "no such file or folder")
    if input_path.is_file():
        return [DocumentFile(input_path.stem, input_path)]
    folder = input_path / DOCUMENTS_DIR
    if not folder.is_dir():
        raise UnsupportedInput(input_path, f"is a folder without {DOCUMENTS_DIR}/: give a `bilan extract` JSON or a `bilan batch` output folder")
    found = sorted(folder.rglob("*.json"))
    if not found:
        raise UnsupportedInput(input_path, f"no document JSON in {folder}")
    return [DocumentFile(p.relative_to(folder).with_suffix("").as_posix(), p) for p in found]


def load_document(path: Path) -> Document:
    """A `bilan extract` Document; a typed error naming the file when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CorruptInput(path, f"cannot read: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise CorruptInput(path, f"not UTF-8 JSON: {e.reason}") from e
    try:
        return Document.model_validate_json(text)
    except ValidationError as e:
        first = e.errors()[0]
        if first["type"] == "json_invalid":
            raise CorruptInput(path, f"not JSON: {first['msg']}") from e
        where = ".".join(str(p) for p in first["loc"])
        raise UnsupportedInput(path, f"not a `bilan extract` document ({where}: {first['msg']})") from e


def find_source(document: Document, json_path: Path, sources: Optional[Path]) -> Optional[Path]:
    """The file the document was read from, or None when it cannot be found (pages shown without images)."""
    recorded = Path(document.source.path)
    candidates = [recorded]
    if not recorded.is_absolute():
        # A batch output folder moved with its inputs beside it, or a JSON written next to its input.
        candidates += [json_path.parent / recorded, json_path.parent / recorded.name]
    if sources is not None:
        candidates += [sources / recorded, sources / recorded.name]
        if recorded.is_absolute():
            candidates.append(sources / recorded.relative_to(recorded.anchor))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Golden:
    path: Path
    data: dict


def load_goldens(path: Optional[Path]) -> list[Golden]:
    """One golden file, or every *.json of a folder that looks like one (has `records`)."""
    if path is None:
        return []
    if not path.exists():
        raise InputNotFound(path, "no such golden file or folder")
    files = [path] if path.is_file() else sorted(path.glob("*.json"))
    goldens = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as e:
            if path.is_file():
                raise CorruptInput(file, f"not a golden file: {e}") from e
            continue  # a folder may hold other JSON; only golden-shaped files count
        if isinstance(data, dict) and isinstance(data.get("records"), dict):
            goldens.append(Golden(file, data))
        elif path.is_file():
            raise UnsupportedInput(file, "not a golden file (no `records` object; see golden/README.md)")
    return goldens


def golden_for(document: Document, goldens: list[Golden]) -> Optional[Golden]:
    """The golden that lists the document's source among its `document`/`variants` (paths relative
    to the corpus folder, matched against the end of `source.path`; the longest match wins)."""
    source = PurePosixPath(Path(document.source.path).as_posix())
    best, best_length = None, -1
    for golden in goldens:
        names = [golden.data.get("document"), *(golden.data.get("variants") or [])]
        for name in names:
            if not isinstance(name, str) or not name:
                continue
            parts = PurePosixPath(name).parts
            if source.parts[-len(parts):] == parts and len(parts) > best_length:
                best, best_length = golden, len(parts)
    return best


def iter_documents(files: list[DocumentFile], strict: bool) -> Iterator[tuple[DocumentFile, Optional[Document], Optional[str]]]:
    """(file, document, None), or (file, None, one-line problem) for a file of a batch that is not a
    document: the batch is reviewed without it. `strict` (one file asked for by name): it raises."""
    for file in files:
        try:
            yield file, load_document(file.path), None
        except (CorruptInput, UnsupportedInput) as e:
            if strict:
                raise
            yield file, None, e.problem
