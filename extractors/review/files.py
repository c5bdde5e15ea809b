"""Writing the site's files: atomically (a reader sees the old file or the new one, never half of
one) but without fsync. The site is rebuilt from the extraction at will, and an fsync per file
cost 12 s of the 45 s a 1,000-page document took to review again (bench/README.md, "Review site");
`extractors.atomic` writes them, with fsync for outputs that are the only copy of their data."""
from __future__ import annotations

from pathlib import Path

from extractors import atomic


def write_atomic(path: Path, data: bytes | str) -> None:
    atomic.write_atomic(path, data, durable=False)


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
