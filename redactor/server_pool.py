"""`redactor serve --workers N`: each request's text is redacted in one of N worker processes.

The server's event loop only speaks HTTP; the redaction of a text is pure Python and holds the GIL,
so a thread pool (`--workers 1`) uses one core however many requests wait. The workers are forked
from the server once it has built the engine, before its event loop starts (one thread: nothing
half-held is copied), so they share the loaded model instead of loading it N times, and each
request goes to whichever worker is free: no client, keep-alive or not, is tied to one.

`redact_text` and `check_text` are pure functions of the text (the key is the server's, shared by
fork), so which worker answers does not change the answer. A worker that dies (the out-of-memory
killer, a signal) breaks the pool: it is forked again from the server, and the requests it broke are
run once more on the new one; one that breaks that too gets 503 and no text. Ctrl-C reaches the
workers too but does not stop them: the server finishes the requests in hand, then stops them.
"""
from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import TypeVar

from . import workers
from .api import Redactor
from .batch import tune_gc

R = TypeVar("R")
DIED = "a worker process died while redacting this text (killed: out of memory, or a signal)"

# Worker side: the server's Redactor, inherited by fork.
_W: dict[str, Redactor] = {}


class WorkerDied(Exception):
    """A worker died while it had this request, and again when it was run once more (or the server
    is stopping: it is not run again)."""


def _w_init(redactor: Redactor) -> None:
    workers.enter(None)   # SIGTERM ends it, its server's end too (`workers.py`)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C: the server finishes what is in hand first
    tune_gc()
    _W["redactor"] = redactor


def _w_call(fn: Callable[[Redactor, str], R], text: str) -> R:
    return fn(_W["redactor"], text)


def _w_ready() -> None:
    pass


class ServerPool:
    """N forked workers holding the server's engine; `run` sends one call to whichever is free."""

    def __init__(self, redactor: Redactor, size: int, stopping: Callable[[], bool] = lambda: False) -> None:
        self._redactor = redactor
        self.size = size
        self._stopping = stopping
        redactor.engine.build_prefilters()   # once, here (~25 ms from the cache), not in each worker
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(max_workers=self.size, mp_context=get_context("fork"),
                                       initializer=_w_init, initargs=(self._redactor,))
        try:
            for ready in [executor.submit(_w_ready) for _ in range(self.size)]:   # every worker forked now
                ready.result()
        except BrokenProcessPool:   # one died already
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        return executor

    def _renew(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for `broken`, unless another request made one already. If one of its workers dies
        at once too, the broken pool stays, and the next request that meets it tries again."""
        if broken is not self._executor:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        try:
            self._executor = self._new()
        except BrokenProcessPool:
            pass

    async def run(self, fn: Callable[[Redactor, str], R], text: str) -> R:
        """`fn(redactor, text)` in a worker. Raises WorkerDied when a worker died with it twice
        (or once while the server stops)."""
        loop = asyncio.get_running_loop()
        for _ in (1, 2):
            executor = self._executor
            try:
                return await loop.run_in_executor(executor, _w_call, fn, text)
            except BrokenProcessPool:
                if self._stopping():
                    raise WorkerDied(f"{DIED}; the server is stopping: nothing returned") from None
                self._renew(executor)
        raise WorkerDied(f"{DIED}, and again when it was run once more: nothing returned")

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
