"""Writing the site's files: atomically (a reader sees the old file or the new one, never half of
one) but without fsync. The site is rebuilt from the extraction at will, and an fsync per file
cost 12 s of the 45 s a 1,000-page document took to review again (bench/README.md, "Review site");
`extractors.atomic` (with fsync) stays for outputs that are the only copy of their data."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from extractors.errors import OutputError


def write_atomic(path: Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(path, f"cannot write here: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, f"cannot write: {e.strerror or e}") from e


def write_if_changed(path: Path, text: str) -> bool:
    """Write unless the file already holds exactly this text (a second review of the same
    extraction rewrites nothing); True when written."""
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
