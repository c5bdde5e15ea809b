"""Pages read so far by one extraction, for the CLI's progress bar.

The readers say when they know how many pages they will read (`expect`) and when one is read
(`page_read`); whoever wants to show it sets a callback around the call with `on_pages`. Without
one, both are no-ops. A context variable, not a global: a Dask worker runs tasks in threads.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, Optional

PageCallback = Callable[[int, Optional[int]], None]  # (pages read so far, pages expected or None)

_CALLBACK: ContextVar[Optional[PageCallback]] = ContextVar("bilan_page_progress", default=None)
_STATE: ContextVar[Optional[list]] = ContextVar("bilan_page_progress_state", default=None)


@contextmanager
def on_pages(callback: PageCallback) -> Iterator[None]:
    token, state = _CALLBACK.set(callback), _STATE.set([0, None])
    try:
        yield
    finally:
        _CALLBACK.reset(token)
        _STATE.reset(state)


def expect(total: int) -> None:
    state, callback = _STATE.get(), _CALLBACK.get()
    if state is not None and callback is not None:
        state[1] = total
        callback(state[0], total)


def page_read() -> None:
    state, callback = _STATE.get(), _CALLBACK.get()
    if state is not None and callback is not None:
        state[0] += 1
        callback(state[0], state[1])
