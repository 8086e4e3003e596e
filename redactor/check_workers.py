"""`redactor check --jobs N`: pass 1 of the files (read, extract, analyze) over worker processes.

Pass 1 is what a check costs: extraction, NER, the patterns. Its pass 2 only plans (nothing is
written or verified), so it stays in the main process, in file order. The workers are forked from
the process that loaded the engine, so they share it. Each analyzes a file, or one window of a text
file over `stream.STREAM_BYTES` (or of one from `stream.SPLIT_BYTES` that would keep one worker busy
while the others wait: `stream.split_for_workers`, as for `redact --jobs`), with a session of its own,
and returns the findings and the entity table's registrations, which the main process replays in file
and window order, as `redact --jobs` does (`parallel.py`): the findings are those of one process. The
main process reads the big file's windows (and writes their findings to its cache file) and analyzes
the text read from stdin. A few small files (a pre-commit hook's usual lot) are not worth forking for:
under `POOL_FROM_BYTES` in all, with no big file, everything is analyzed in the main process. A worker
that dies (the out-of-memory killer, a signal) costs nothing but time: the files not back, or the big
file whose window it had, are analyzed in the main process, one at a time.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from . import batch, stream, workers
from .batch import _size, tune_gc
from .engine import Engine
from .parallel import _ahead
from .session import Session

F = TypeVar("F")   # what pass 1 gives for one item (`check.first_pass`)
FirstPass = Callable[..., F]   # (session, src, analyzed=None) -> F
LogEntries = list[tuple[str, str, str | None]]

POOL_FROM_BYTES = 64_000   # below this in all (a few small files), forking the workers costs more than it gains

# Worker side: the engine and key, inherited by fork.
_W: dict[str, Any] = {}


def _w_init(engine: Engine, key: bytes) -> None:
    workers.enter(None)   # stop signals and the main process's end (`workers.py`)
    tune_gc()
    _W["engine"], _W["key"] = engine, key


def _w_first(first_pass: FirstPass[F], src: Path) -> tuple[F, LogEntries]:
    session = Session(_W["engine"], _W["key"])
    return first_pass(session, src), session.table.log()


def _w_window(window: stream.Window) -> tuple[list[stream.Row], LogEntries]:
    session = Session(_W["engine"], _W["key"])
    seeded = len(session.table.log())          # the profile's own entries: every log has them
    rows = stream.window_rows(session, window)
    return rows, session.table.log()[seeded:]


def first_passes(session: Session, items: list[tuple[str, Path | str]], jobs: int,
                 first_pass: FirstPass[F]) -> Iterator[tuple[str, F]]:
    """(shown name, `first_pass(session, src)`) of each item, in order, with `session`'s table holding
    every registration of the items before it, as if one process had analyzed them all."""
    files = sorted(i for i, (_, src) in enumerate(items) if not isinstance(src, str))
    sizes = {i: _size(items[i][1]) for i in files}   # type: ignore[arg-type]
    big = {i for i in files if stream.is_streamed(items[i][1])}   # type: ignore[arg-type]
    # ... and the text files read in windows only so that one of them does not keep one core busy alone
    big |= {files[k] for k in stream.split_for_workers([items[i][1] for i in files],   # type: ignore[misc]
                                                       [sizes[i] for i in files], jobs)}
    shipped = set(files) - big
    if jobs < 2 or not big and (len(shipped) < 2 or sum(sizes[i] for i in shipped) < POOL_FROM_BYTES):
        for shown, src in items:
            yield shown, first_pass(session, src)
        return
    engine = session.engine
    batch.prefilters_for(engine, list(sizes.values()))
    pool = ProcessPoolExecutor(max_workers=jobs if big else min(jobs, len(shipped)), mp_context=get_context("fork"),
                               initializer=_w_init, initargs=(engine, session.key))
    try:
        futures: dict[int, Future[tuple[F, LogEntries]]] = {
            i: pool.submit(_w_first, first_pass, items[i][1]) for i in sorted(shipped)}
        for i, (shown, src) in enumerate(items):
            if i in futures:
                try:
                    first, log = futures[i].result()
                except BrokenProcessPool:   # a worker died: what is not back is done here, one at a time
                    pass
                else:
                    session.replay(log)
                    yield shown, first
                    continue
            elif i in big:
                try:
                    first = first_pass(session, src, _spread(pool, session, 2 * jobs), windowed=True)
                except BrokenProcessPool:   # a worker died under one of its windows: the file again, here
                    pass
                else:
                    yield shown, first
                    continue
            yield shown, first_pass(session, src)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _spread(pool: ProcessPoolExecutor, session: Session, depth: int) -> stream.Analyzer:
    """A big file's windows analyzed in the pool, at most `depth` ahead of the one waited for (memory
    stays flat), as `redact --jobs` spreads them; each window's registrations replayed into `session`
    in window order."""
    def analyzed(windows: Iterator[stream.Window]) -> Iterator[tuple[stream.Window, list[stream.Row]]]:
        for w, (rows, log) in _ahead(pool, _w_window, ((w, w) for w in windows), depth):
            session.replay(log)
            yield w, rows

    return analyzed
