"""The process pool that OCRs pages in parallel, kept alive for the life of the process so a batch of
documents pays its start-up once, and each worker its Tesseract start-up (extractors.ocr.engine)."""
from __future__ import annotations

import atexit
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

from extractors.processes import die_with_parent

_pool: Optional[ProcessPoolExecutor] = None
_pool_size = 0


def _worker_init(parent_pid: int) -> None:
    die_with_parent(parent_pid)  # a `bilan extract` killed with -9 leaves no worker behind
    # Tesseract is started with this in its environment anyway; this covers any other OpenMP user.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process pool, created on first use and kept warm for later documents."""
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        shutdown_pool()
        _pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
        _pool_size = workers
    return _pool


def shutdown_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown_pool)
