"""The `--jobs` path of a batch (`batch.run_batch`): both passes over a pool of worker processes.

The workers are forked from the process that loaded the engine, so they share it (spaCy is loaded
once, not once per worker). Pass 1 analyzes each file in a worker and returns the entity-table
registrations it made; they are merged in file order and handed to pass 2's workers, forked once pass 1
is over, in memory (they are the values redacted: never written to disk), so every worker replays the
same table and names every entity identically. A streamed log's windows are spread over the workers in
both passes; the main process writes its output. A worker that dies costs no file that does not kill
it again (`_Pool.renew`). A worker's life apart from its work (signals, its main process's end, the
file in hand) is `workers.py`.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from . import stream, workers
from .batch import (SHIPPED_FORMATS, STATUS_DRY, BatchOptions, FileOutcome, Progress, _fail, _relearn,
                    _size, analyze_file, finish_file, open_document, tune_gc, unchanged_since_read)
from .documents import Document
from .engine import Engine
from .entities import LEARNED
from .errors import FileError, WorkerError
from .session import Session

A = TypeVar("A")
R = TypeVar("R")
T = TypeVar("T")

# Worker side: the parent's engine, inherited by fork.
_W: dict[str, object] = {}
# the entity table's registrations (entity, value, family), in order: replayed by workers
LogEntries = list[tuple[str, str, str | None]]
# what pass 1 returns per file: its outcome, its table registrations, the document if shipped
Pass1 = tuple[FileOutcome, LogEntries, Document | None]


def _w_init(engine: Engine, key: bytes, opt: BatchOptions, busy: Any, log: LogEntries | None = None) -> None:
    """A worker's start. `log`: pass 1's registrations, for pass 2's workers (inherited by fork)."""
    workers.enter(busy)   # stop signals, the main process's end, the file in hand (`workers.py`)
    tune_gc()
    _W["engine"] = engine
    _W["key"] = key
    _W["options"] = opt
    _W["log"] = log


def _w_analyze(args: tuple[int, Path, Path]) -> Pass1:
    session = Session(_W["engine"], _W["key"])  # type: ignore[arg-type]
    opt: BatchOptions = _W["options"]  # type: ignore[assignment]
    with workers.busy_with(args[0]):
        outcome, doc = analyze_file(session, *args, keep_images=opt.keep_images, max_line_chars=opt.max_line_chars)
    shipped = doc if doc is not None and doc.format in SHIPPED_FORMATS else None
    return outcome, session.table.log(), shipped


def _w_session() -> Session:
    """The batch-wide session, rebuilt once per pass-2 worker from pass 1's registrations."""
    session = _W.get("session")
    if session is None:
        session = _W["session"] = _replayed(_W["engine"], _W["key"], _W["log"])  # type: ignore[arg-type]
    return session  # type: ignore[return-value]


def _w_prepare(_: object) -> None:
    _w_session()


def _replayed(engine: Engine, key: bytes, log: LogEntries) -> Session:
    session = Session(engine, key)
    session.replay(log)
    session.book.assign_all()
    return session


def _relearned(engine: Engine, key: bytes, log: LogEntries, outcomes: list[FileOutcome]) -> LogEntries:
    """The pass-1 log with `_relearn`'s registrations, when some file taught a domain."""
    if not any(entity == LEARNED for entity, _, _ in log):
        for outcome in outcomes:
            outcome.kept_names = set()
        return log
    session = Session(engine, key)
    session.replay(log)
    _relearn(session, outcomes)
    return session.table.log()


def _w_analyze_window(args: tuple[Path, stream.Window]) -> tuple[list[stream.Row], LogEntries]:
    """Pass 1 for one window of a streamed file: its findings and what it registered."""
    path, window = args
    session = Session(_W["engine"], _W["key"])  # type: ignore[arg-type]
    seeded = len(session.table.log())          # the profile's own entries: every log has them
    rows = stream.analyze_window(session, path, window)
    return rows, session.table.log()[seeded:]


def _w_finish_window(args: tuple[Path, stream.Window, list[stream.Row], bool]) -> stream.Piece:
    """Pass 2 for one window of a streamed file, from the start of its own region."""
    path, window, rows, verify = args
    return stream.finish_window(_w_session(), path, window, rows, window.own_start, None, verify)


def _ahead(pool: _Pool | ProcessPoolExecutor, fn: Callable[[A], R], items: Iterable[tuple[T, A]],
           depth: int) -> Iterator[tuple[T, R]]:
    """`fn(arg)` in the pool for each `(tag, arg)`, at most `depth` submitted ahead of the one
    waited for (memory stays flat); `(tag, result)` in the order of `items`."""
    pending: deque[tuple[T, Future[R]]] = deque()
    try:
        for tag, arg in items:
            pending.append((tag, pool.submit(fn, arg)))
            if len(pending) >= depth:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()
    finally:
        for _, future in pending:
            future.cancel()


def _analyze_streamed(pool: _Pool, engine: Engine, key: bytes, index: int, path: Path,
                      rel: Path, opt: BatchOptions, split: bool) -> Pass1:
    """Pass 1 of a streamed file with its windows spread over the pool. The registrations
    come back in window order, as one process analyzing the file would make them."""
    session = Session(engine, key)   # reads the file's windows, analyzes its name
    log: LogEntries = []
    seen: set[tuple[str, str, str | None]] = set()

    def analyzed(windows: Iterator[stream.Window]) -> Iterator[tuple[stream.Window, list[stream.Row]]]:
        tasks = ((w, (path, w)) for w in windows)
        for w, (rows, entries) in _ahead(pool, _w_analyze_window, tasks, 2 * opt.jobs):
            for entry in entries:
                if entry not in seen:
                    seen.add(entry)
                    log.append(entry)
            yield w, rows

    outcome, doc = analyze_file(session, index, path, rel, keep_images=opt.keep_images,
                                max_line_chars=opt.max_line_chars, analyzed=analyzed, split=split)
    return outcome, log + session.table.log(), doc   # the stream's handle stays in this process


def _finish_streamed_in(pool: _Pool, session: Session, outcome: FileOutcome, doc: Document,
                        outdir: Path | None, opt: BatchOptions) -> None:
    """Pass 2 of a streamed file with its windows finished ahead in the pool; this process
    checks each piece against what it wrote so far and writes it (`stream.finish_stream`)."""
    def finished(tasks: Iterator[tuple[stream.Window, list[stream.Row]]]
                 ) -> Iterator[tuple[stream.Window, list[stream.Row], stream.Piece]]:
        work = (((w, rows), (outcome.source, w, rows, outdir is not None)) for w, rows in tasks)
        for (w, rows), piece in _ahead(pool, _w_finish_window, work, 2 * opt.jobs):
            yield w, rows, piece

    finish_file(session, outcome, doc, outdir, resume=opt.resume, finished=finished)


def _w_finish(args: tuple[FileOutcome, Path | None, Document | None]) -> FileOutcome:
    outcome, outdir, doc = args
    opt: BatchOptions = _W["options"]  # type: ignore[assignment]
    session = _w_session()
    with workers.busy_with(outcome.index):
        try:
            unchanged_since_read(outcome)   # pass 1 read it, maybe in another worker
            if doc is None:                 # read it again (cheap for these formats)
                doc = open_document(outcome.source, keep_images=opt.keep_images, max_line_chars=0)
        except FileError as exc:
            _fail(outcome, exc)
            return outcome
        finish_file(session, outcome, doc, outdir, resume=opt.resume)
    return outcome


class _Pool:
    """The worker pool of one run, made again when a worker dies. `busy`: per file, the workers
    processing it now (`workers.busy_with`), in memory the workers share."""

    def __init__(self, engine: Engine, key: bytes, opt: BatchOptions, size: int, files: int,
                 outdir: Path | None, log: LogEntries | None = None) -> None:
        self.context = get_context("fork")
        self.busy = self.context.RawArray("i", files)
        self.outdir = outdir
        self.deaths_unnamed = 0
        self._initargs = (engine, key, opt, self.busy, log)
        self._size = size
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self._size, mp_context=self.context, initializer=_w_init,
                                   initargs=self._initargs)   # forked: initargs are inherited, not pickled

    def submit(self, fn: Callable[[A], R], arg: A) -> Future[R]:
        return self.executor.submit(fn, arg)

    def renew(self, suspects: set[int]) -> None:
        """After a worker died: the pool has stopped the others (each removed the temp output it was
        writing); the temp output a killed one left is removed and a new pool made. `suspects`: the
        files that were in hand, each to be done again alone."""
        if workers.stop_requested():   # Ctrl-C or SIGTERM to the whole group: the workers stopped, they did not die
            raise KeyboardInterrupt
        self.executor.shutdown(wait=True, cancel_futures=True)
        workers.remove_left_temp_files(self.outdir)
        for i in range(len(self.busy)):
            self.busy[i] = 0
        if not suspects:
            self.deaths_unnamed += 1
            if self.deaths_unnamed > DEATHS_UNNAMED:
                raise WorkerError(f"worker processes died {self.deaths_unnamed} times with no file in hand "
                                  "(killed: out of memory, or a signal); the files not finished were not written")
        self.executor = self._new()

    def in_hand(self) -> set[int]:
        return workers.in_hand(self.busy)


# A worker that dies (the out-of-memory killer, a signal) stops no file that does not kill it again: the
# files it and the others had in hand are done again, one at a time, alone in a new pool; a file whose
# worker dies then is failed (no output), the others go on. Deaths with no file in hand (an idle worker
# killed) are survived this many times, then the run stops (`WorkerError`).
DEATHS_UNNAMED = 3


def run_parallel(engine: Engine, key: bytes, files: list[tuple[Path, Path]], outdir: Path | None,
                 opt: BatchOptions, tick: Progress, done: Callable[[FileOutcome], None],
                 split: set[int] | None = None) -> list[FileOutcome]:
    """Both passes over a process pool. The workers are forked from this process, so they
    share its loaded engine (initargs are not pickled under fork). The biggest files go
    first in each pass, so one large file does not finish alone at the end. A worker that
    dies fails only the file that kills it again when done alone (`_Pool.renew`)."""
    worker_opt = BatchOptions(jobs=opt.jobs, use_ner=opt.use_ner, keep_images=opt.keep_images,
                              resume=opt.resume, max_line_chars=opt.max_line_chars)  # callbacks stay in this process
    # a streamed file's windows are spread over the pool too, so one big log uses every core; `split`:
    # the files read in windows only for that (`stream.split_for_workers`)
    split = split or set()
    streamed = {i for i, (path, _) in enumerate(files) if stream.is_streamed(path)} | split
    pool_size = opt.jobs if streamed else min(opt.jobs, len(files))
    pool = _Pool(engine, key, worker_opt, pool_size, len(files), outdir)
    log: LogEntries = []
    streaming: int | None = None  # the streamed file whose windows the workers have now
    finished: dict[int, FileOutcome] = {}
    results: dict[int, Pass1] = {}
    pass1: dict[Future[Pass1], int] = {}
    pass2: dict[Future[FileOutcome], int] = {}
    here: Session | None = None   # the batch-wide session in this process, for streamed files

    def suspects(done_already: dict[int, Any]) -> set[int]:
        return (pool.in_hand() | ({streaming} if streaming is not None else set())) - done_already.keys()

    def alone(i: int, work: Callable[[], R], died: Callable[[FileError], R],
              outcome_of: Callable[[R], FileOutcome]) -> R:
        """`work` for file `i` alone in the pool; `died`: what it gives if the worker dies again."""
        nonlocal streaming
        try:
            value = work()
        except BrokenProcessPool:
            streaming = None
            pool.renew({i})
            return died(FileError(files[i][0], workers.DIED_ALONE))
        notes = outcome_of(value).notes
        if workers.DONE_AGAIN not in notes:
            notes.append(workers.DONE_AGAIN)
        return value

    def analyze(i: int) -> Pass1:
        nonlocal streaming
        if i not in streamed:
            return pool.submit(_w_analyze, (i, *files[i])).result()
        streaming = i
        result = _analyze_streamed(pool, engine, key, i, *files[i], opt, i in split)
        streaming = None
        return result

    def analyze_failed(i: int, exc: FileError) -> Pass1:
        outcome = FileOutcome(index=i, source=files[i][0], relative=files[i][1])
        _fail(outcome, exc)
        return outcome, [], None

    def finish(outcome: FileOutcome) -> FileOutcome:
        nonlocal streaming, here
        if outcome.index not in streamed:
            return pool.submit(_w_finish, (outcome, outdir, results[outcome.index][2])).result()
        here = here or _replayed(engine, key, log)
        streaming = outcome.index
        _finish_streamed_in(pool, here, outcome, results[outcome.index][2], outdir, opt)
        streaming = None
        return outcome

    def finish_failed(outcome: FileOutcome, exc: FileError) -> FileOutcome:
        _fail(outcome, exc)
        return outcome

    def finished_one(outcome: FileOutcome) -> None:
        finished[outcome.index] = outcome
        done(outcome)
        tick()

    try:
        by_size = sorted(range(len(files)), key=lambda i: -_size(files[i][0]))
        while len(results) < len(files):
            try:
                pass1 = {pool.submit(_w_analyze, (i, *files[i])): i for i in by_size
                         if i not in streamed and i not in results}
                for i in by_size:
                    if i in streamed and i not in results:
                        results[i] = analyze(i)
                        tick()
                for future in as_completed(pass1):
                    results[pass1[future]] = future.result()
                    tick()
            except BrokenProcessPool:
                for i, result in _harvest(pass1):
                    if i not in results:
                        results[i] = result
                        tick()
                redo = suspects(results)
                streaming = None
                pool.renew(redo)
                for i in sorted(redo, key=by_size.index):
                    results[i] = alone(i, lambda: analyze(i), lambda exc: analyze_failed(i, exc), lambda r: r[0])
                    tick()
        analyzed = [results[i][0] for i in range(len(files))]
        log = [e for i in range(len(files)) for e in results[i][1]]
        log = _relearned(engine, key, log, analyzed)
        for outcome in analyzed:
            if outcome.status != STATUS_DRY:
                done(outcome)
        # pass 2's workers are forked now, holding the registrations (never written to disk: they are
        # the values redacted); a worker rebuilds the batch's session from them once
        pool.executor.shutdown(wait=True)
        pool = _Pool(engine, key, worker_opt, pool_size, len(files), outdir, log)
        todo = sorted((o for o in analyzed if o.status == STATUS_DRY), key=lambda o: -o.chars)
        prepared = not streamed
        while len(finished) < len(todo):
            try:
                if not prepared:   # the workers rebuild the batch's session while this process rebuilds its own
                    prepared = True
                    for _ in range(opt.jobs):
                        pool.submit(_w_prepare, None)
                pass2 = {pool.submit(_w_finish, (o, outdir, results[o.index][2])): o.index
                         for o in todo if o.index not in streamed and o.index not in finished}
                for outcome in todo:
                    if outcome.index in streamed and outcome.index not in finished:
                        finished_one(finish(outcome))
                for future in as_completed(pass2):
                    finished_one(future.result())
            except BrokenProcessPool:
                for _, outcome in _harvest(pass2):
                    if outcome.index not in finished:
                        finished_one(outcome)
                redo = suspects(finished)
                streaming = None
                pool.renew(redo)
                for outcome in todo:
                    if outcome.index in redo:
                        finished_one(alone(outcome.index, lambda: finish(outcome),
                                           lambda exc: finish_failed(outcome, exc), lambda o: o))
    except BaseException:
        pool.executor.shutdown(wait=True, cancel_futures=True)  # running files finish or clean up; no new ones
        workers.remove_left_temp_files(outdir)   # a worker killed mid-write (SIGKILL) left its temp output
        for _, result in _harvest(pass1):        # window caches of streamed files analyzed in pass 1
            stream.drop_cache(result[0].stream)
        for i in streamed & results.keys():
            stream.drop_cache(results[i][0].stream)
        for _, outcome in _harvest(pass2):       # account for the files that did finish
            if outcome.index not in finished:
                done(outcome)
        raise
    pool.executor.shutdown(wait=True)
    return [finished.get(o.index, o) for o in analyzed]


def _harvest(futures: dict[Future[R], int]) -> list[tuple[int, R]]:
    """(index, result) of the futures that finished with a result."""
    return [(i, f.result()) for f, i in futures.items()
            if f.done() and not f.cancelled() and f.exception() is None]
