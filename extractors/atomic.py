"""Atomic file writes: a reader (or a resumed batch) never sees a half-written output."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from extractors.errors import OutputError


def _default_mode() -> int:
    # mkstemp creates 0600 files; outputs should get the mode a plain open() would give them.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(path, f"cannot write here: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, f"cannot write: {e.strerror or e}") from e
    return path
