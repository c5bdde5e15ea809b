"""Worker processes that never outlive the process that started them.

A batch killed with -9 cannot stop its workers itself, and each holds ~250 MB (pdfium, the
lexicon, Tesseract's models). On Linux the kernel sends a worker SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG); elsewhere a thread of the worker watches its parent's pid. Either way a
parent that died before the worker got here is noticed at once.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_SECONDS = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a worker: the worker ends when `parent_pid` does."""
    if not _kernel_kills_orphans():
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="bilan-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the watch was set up
        os._exit(1)


def _kernel_kills_orphans() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
