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
    return write_atomic(path, text)


def write_atomic(path: str | Path, data: bytes | str, durable: bool = True) -> Path:
    """Write `data` (text as UTF-8) to `path` through a temporary file renamed over it. `durable`:
    flushed to disk before the rename; files that can be made again at will (the review site) skip
    that (an fsync per file cost 12 s of a 45-s review)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(path, f"cannot write here: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, f"cannot write: {e.strerror or e}") from e
    return path


def copy_atomic(source: str | Path, path: str | Path) -> Path:
    """`path` as a copy of the file `source`, atomically: a hard link where the file system allows
    one (no second write; files are only ever replaced whole, never changed in place), else the
    bytes written again."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        os.link(source, tmp)
        os.replace(tmp, path)
        # rename() does nothing when both names are links to one file already (a resumed batch
        # linking a document to the cache entry it came from): the temporary name is left over.
        tmp.unlink(missing_ok=True)
        return path
    except OSError:
        pass  # no hard links here (another file system, FAT, some network shares)
    try:
        data = Path(source).read_bytes()
    except OSError as e:
        raise OutputError(path, f"cannot copy {source}: {e.strerror or e}") from e
    return write_atomic(path, data)
