"""The worker processes of `bilan batch`: one task at a time each, so that a fault is the task's own.

A `concurrent.futures` pool cannot say which task a dead worker was running (every pending future
gets BrokenProcessPool, and the pool is unusable), nor stop one task that runs too long. Here each
worker has its own pipe and runs one task at a time, so:
* a worker that dies (killed, out of memory, a crash in a C library) fails the task it was running,
  named, and a new worker takes its place;
* a task that runs past its time limit is stopped (its worker and the worker's children, e.g.
  Tesseract, are killed as one process group) and fails with that reason;
* workers die with the batch process (extractors.processes.die_with_parent), even after kill -9;
* Ctrl-C reaches the batch process only (workers are in their own process group), which stops the
  workers itself.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Hashable, Iterator, Optional

from extractors.processes import die_with_parent

STOP_GRACE_SECONDS = 2.0
INTERRUPTS = {signal.SIGINT, signal.SIGTERM}
READY = "ready"
MAX_FAILED_STARTS = 3  # workers in a row that die before they are ready: something is broken


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C or SIGTERM in the middle of starting a worker would leave it without its start-up data
    (it prints "EOFError: Ran out of input" under the batch's one-line message): the interrupt is
    held until the start is done, then handled as it would have been. (A signal mask would not do:
    any thread of the process, DuckDB's or Arrow's, may take the signal.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: caught.append(signum)) for number in INTERRUPTS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught and callable(previous[caught[0]]):
            previous[caught[0]](caught[0], None)
        elif caught and previous[caught[0]] == signal.SIG_DFL:
            os.kill(os.getpid(), caught[0])  # what it would have done: end the process


@contextmanager
def main_script_hidden() -> Iterator[None]:
    """A spawned process runs the parent's main script again (as `__mp_main__`) unless that has no
    file: for `bilan`, its console script, which imports the whole command line (typer and the
    rest, ~0.2 CPU-s a worker) for nothing. Workers need nothing from it (their functions live in
    modules), so the file is hidden while a worker starts."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not hasattr(main, "__file__"):
        yield  # started with -m (the child imports the module by name) or no script at all
        return
    path = main.__file__
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


@dataclass(frozen=True)
class TaskFault:
    """Why a task has no result: its worker died or it ran out of time."""

    reason: str


def worker_main(connection: Connection, parent_pid: int, warm_up: Optional[Callable[[], None]]) -> None:
    """Runs in a worker process: tasks in, results (or the task's exception as text) out."""
    os.setpgrp()  # Ctrl-C goes to the batch, which stops us; a timeout kills our children with us
    die_with_parent(parent_pid)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one single-threaded Tesseract per worker
    if warm_up is not None:
        warm_up()  # imports and caches paid before the first task's clock starts
    connection.send(READY)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, args = message
        try:
            reply = (True, function(*args))
        except Exception as e:  # the task functions catch their own errors; this is a last guard
            reply = (False, f"{type(e).__name__}: {e}")
        connection.send(reply)


@dataclass(eq=False)  # compared and hashed by identity
class Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    step: Optional[Hashable] = None  # the task it runs, None when idle
    deadline: float = float("inf")
    ready: bool = False  # started and warmed up

    def kill(self) -> None:
        for target in (lambda s: os.killpg(self.process.pid, s), lambda s: os.kill(self.process.pid, s)):
            try:
                target(signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.join(STOP_GRACE_SECONDS)
        self.connection.close()


def death_reason(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return f"the worker process reading it was killed by {name}{hint}"
    return f"the worker process reading it died (exit code {exitcode})"


class WorkerPool:
    """`size` worker processes, each running one task at a time, each task with a time limit."""

    def __init__(self, size: int, timeout: Optional[float] = None, warm_up: Optional[Callable[[], None]] = None):
        self.size = size
        self.timeout = timeout
        self.warm_up = warm_up
        self.failed_starts = 0
        self.context = multiprocessing.get_context("spawn")  # no inherited open PDFs or threads
        self.workers: list[Worker] = [self._start() for _ in range(size)]

    def _start(self) -> Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=worker_main, args=(theirs, os.getpid(), self.warm_up), daemon=True,
                                       name="bilan-worker")
        with interrupts_held(), main_script_hidden():
            process.start()
        theirs.close()
        return Worker(process, ours)

    @property
    def idle(self) -> int:
        return sum(w.ready and w.step is None for w in self.workers)

    @property
    def busy(self) -> int:
        return sum(w.step is not None for w in self.workers)

    def submit(self, step: Hashable, function: Callable, args: tuple) -> None:
        worker = next(w for w in self.workers if w.ready and w.step is None)
        worker.step = step
        worker.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
        try:
            worker.connection.send((function, args))
        except OSError:  # died while idle: its replacement takes the task
            self._replace(worker)
            self.submit(step, function, args)

    def wait(self) -> list[tuple[Hashable, Any]]:
        """Block until some task ends or a worker becomes ready; (step, result or TaskFault) of each
        task that ended."""
        watched = [w for w in self.workers if w.step is not None or not w.ready]
        if not watched:
            return []
        waits = {}
        for worker in watched:
            waits[worker.connection] = worker
            waits[worker.process.sentinel] = worker
        running = [w for w in watched if w.step is not None]
        nearest = min((w.deadline for w in running), default=float("inf"))
        timeout = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
        ready = wait(list(waits), timeout)
        ended: list[tuple[Hashable, Any]] = []
        for worker in dict.fromkeys(waits[r] for r in ready):
            if worker.ready:
                ended.append(self._collect(worker))
            else:
                self._starting(worker)
        now = time.monotonic()
        for worker in running:
            if worker.step is not None and worker.deadline <= now:
                step = worker.step
                self._replace(worker)
                ended.append((step, TaskFault(f"stopped after {self.timeout:g} s (--timeout-per-doc)")))
        return ended

    def _starting(self, worker: Worker) -> None:
        """A worker not ready yet said something: ready, or it died starting."""
        try:
            if worker.connection.poll() and worker.connection.recv() == READY:
                worker.ready = True
                self.failed_starts = 0
                return
        except (EOFError, OSError):
            pass
        worker.process.join(STOP_GRACE_SECONDS)
        self.failed_starts += 1
        if self.failed_starts >= MAX_FAILED_STARTS:
            raise RuntimeError(f"worker processes die as they start ({death_reason(worker.process.exitcode)})")
        self._replace(worker)

    def _collect(self, worker: Worker) -> tuple[Hashable, Any]:
        step = worker.step
        try:
            if worker.connection.poll():
                ok, value = worker.connection.recv()
                worker.step, worker.deadline = None, float("inf")
                return step, value if ok else TaskFault(f"internal error: {value}")
        except (EOFError, OSError):
            pass
        worker.process.join(STOP_GRACE_SECONDS)
        reason = death_reason(worker.process.exitcode)
        self._replace(worker)
        return step, TaskFault(reason)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        """Idle workers are asked to stop; busy ones (an interrupted run) and those still starting
        (a batch with nothing to do) are killed."""
        stopping = [w for w in self.workers if w.ready and w.step is None]
        for worker in stopping:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in self.workers:
            if worker in stopping:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()  # a worker still starting has nothing to lose
        self.workers = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
