"""`redactor check --jobs N`: pass 1 of the files (read, extract, analyze) over worker processes.

Pass 1 is what a check costs: extraction, NER, the patterns. Its pass 2 only plans (nothing is
written or verified), so it stays in the main process, in file order. The workers are forked from
the process that loaded the engine, so they share it. Each analyzes a file with a session of its own
and returns the text, the findings and the entity table's registrations, which the main process
replays in file order, as `redact --jobs` does (`parallel.py`): the findings are those of one
process. The main process meanwhile analyzes what is not shipped: a text file over
`stream.STREAM_BYTES` (its windows go to a cache file) and the text read from stdin. A few small
files (a pre-commit hook's usual lot) are not worth forking for: under `POOL_FROM_BYTES` in all,
every file is analyzed in the main process. A worker that dies (the out-of-memory killer, a signal)
costs nothing but time: the files not yet back are analyzed in the main process, one at a time.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from recognizers import prefilter as hyperscan_prefilter

from . import stream, workers
from .batch import PREFILTERS_FROM_BYTES, _size, tune_gc
from .engine import Engine
from .session import Session

F = TypeVar("F")   # what pass 1 gives for one item (`check.first_pass`)
FirstPass = Callable[[Session, Path | str], F]

POOL_FROM_BYTES = 64_000   # below this in all (a few small files), forking the workers costs more than it gains

# Worker side: the engine and key, inherited by fork.
_W: dict[str, Any] = {}


def _w_init(engine: Engine, key: bytes) -> None:
    workers.enter(None)   # stop signals and the main process's end (`workers.py`)
    tune_gc()
    _W["engine"], _W["key"] = engine, key


def _w_first(first_pass: FirstPass[F], src: Path) -> tuple[F, list[tuple[str, str, str | None]]]:
    session = Session(_W["engine"], _W["key"])
    return first_pass(session, src), session.table.log()


def first_passes(session: Session, items: list[tuple[str, Path | str]], jobs: int,
                 first_pass: FirstPass[F]) -> Iterator[tuple[str, F]]:
    """(shown name, `first_pass(session, src)`) of each item, in order, with `session`'s table holding
    every registration of the items before it, as if one process had analyzed them all."""
    shipped = {i for i, (_, src) in enumerate(items) if not isinstance(src, str) and not stream.is_streamed(src)}
    sizes = [_size(items[i][1]) for i in shipped]   # type: ignore[arg-type]
    if jobs < 2 or len(shipped) < 2 or sum(sizes) < POOL_FROM_BYTES:
        for shown, src in items:
            yield shown, first_pass(session, src)
        return
    engine = session.engine
    if sum(sizes) >= PREFILTERS_FROM_BYTES or max(sizes) >= hyperscan_prefilter.COMPILE_FROM_CHARS:
        engine.build_prefilters()   # once, here, before the fork: not once per worker
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(shipped)), mp_context=get_context("fork"),
                               initializer=_w_init, initargs=(engine, session.key))
    try:
        futures: dict[int, Future[tuple[F, list[tuple[str, str, str | None]]]]] = {
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
            yield shown, first_pass(session, src)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
