"""The life of a `--jobs` worker process, apart from its work (`parallel.py`): how it stops, how it
ends with its main process, what it has in hand, and the temp outputs a stopped run leaves.

- SIGTERM or SIGINT: the worker removes the temp file it is writing and exits at once. (Raising
  KeyboardInterrupt, as the CLI's handler that workers inherited did, hung the run when the pool
  broke: the pool SIGTERMs the other workers and waits for them, and one that was sending a result
  caught the exception and blocked sending it again into a pipe no one read. An idle worker
  interrupted by Ctrl-C printed a traceback.)
- Its main process gone (SIGKILL, the out-of-memory killer): it ends too, within `PARENT_POLL_SECONDS`;
  it used to wait for work forever, holding its memory.
- The file in hand is marked in memory the main process shares, so what a worker that dies had in hand
  is known, and done again alone (`parallel.py`).
- Temp outputs are named after the run's main process, so that what a worker killed mid-write left
  (SIGKILL: nothing runs in it) is found and removed by the main process, and no other run's; and what
  a main process killed outright left is removed by the next run into that folder.
"""
from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PARENT_POLL_SECONDS = 0.5
# a file's note, and its error, when a worker died with it in hand (`parallel.py` does it again, alone)
DONE_AGAIN = ("processed again, alone, after a worker process died (killed: out of memory, or a signal) "
              "while it was in hand; the output is the one an undisturbed run writes")
DIED_ALONE = ("a worker process died (killed: out of memory, or a signal) while processing this file, "
              "again when it was processed alone; nothing written")
TEMP_PREFIX = ".redactor-tmp-"

_writing: set[Path] = set()        # the temp files this process is writing now
_stop_signals: list[int] = []      # in the main process: the stop signals it received (`raise_interrupt`)
_state: dict[str, Any] = {}        # in a worker: "parent" (the main process's pid), "busy" (the shared marks)


def enter(busy: Any) -> None:
    """Called first in each worker (the pool's initializer). `busy`: one counter per file of the batch,
    in memory shared with the main process (`multiprocessing.RawArray`, inherited by fork)."""
    _state["parent"] = os.getppid()
    _state["busy"] = busy
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, _stopped)   # Ctrl-C reaches the whole group: the main process reports it
    threading.Thread(target=_watch_parent, args=(_state["parent"],), name="redactor-parent", daemon=True).start()


@contextmanager
def busy_with(index: int) -> Iterator[None]:
    """File `index` is in this worker's hands meanwhile."""
    busy = _state["busy"]
    busy[index] += 1
    try:
        yield
    finally:
        busy[index] -= 1


def in_hand(busy: Any) -> set[int]:
    """The files some worker had in hand (a dead worker's mark stays)."""
    return {i for i in range(len(busy)) if busy[i] > 0}


@contextmanager
def temp_output(target: Path) -> Iterator[Path]:
    """A new temp file next to `target`, removed on the way out whatever happens (unless the
    caller renamed it into place), and by `_exit` if the worker is stopped meanwhile."""
    fd, name = tempfile.mkstemp(prefix=_run_prefix(), suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    _writing.add(tmp)
    try:
        yield tmp
    finally:
        if tmp.exists():
            tmp.unlink()
        _writing.discard(tmp)


def remove_left_temp_files(outdir: Path | None) -> None:
    """In the main process, once its workers are gone: the temp outputs they left in `outdir`."""
    _remove_temp_outputs(outdir, lambda run: run == _run_pid())


def remove_stale_temp_files(outdir: Path | None) -> None:
    """Before a run: the temp outputs that runs killed outright (SIGKILL, a power cut: nothing ran in them)
    left in `outdir`, written but perhaps never verified. Only those whose run's main process is gone:
    not another run's at work there now."""
    _remove_temp_outputs(outdir, lambda run: not running(run))


def _remove_temp_outputs(outdir: Path | None, of: Callable[[int], bool]) -> None:
    """The temp outputs in `outdir` of each run (its main process's pid) that `of` names."""
    if outdir is not None and outdir.is_dir():
        remove_files_of(outdir.rglob(TEMP_PREFIX + "*"), TEMP_PREFIX, of)


def remove_files_of(paths: Iterable[Path], prefix: str, of: Callable[[int], bool]) -> None:
    """Of `paths`, named `<prefix><pid>-…` after the run that made them (temp outputs, window caches),
    those whose run `of` names."""
    for path in paths:
        run = re.match(re.escape(prefix) + r"(\d+)-", path.name)
        if run is not None and of(int(run.group(1))):
            try:
                path.unlink()
            except OSError:   # gone meanwhile, or not ours to remove (a shared /tmp is sticky)
                pass


def running(pid: int) -> bool:
    """Is process `pid` alive (ours or another user's)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's
        return True
    return True


def raise_interrupt(signum: int, frame: object) -> None:
    """The main process's SIGINT/SIGTERM handler (the CLI's): KeyboardInterrupt, and the signal kept, so
    that workers ending with it are known to have stopped, not died, even where Python swallowed the
    exception (in a destructor)."""
    _stop_signals.append(signum)
    raise KeyboardInterrupt


def stop_requested() -> bool:
    """Did this process receive a stop signal (`raise_interrupt`)?"""
    return bool(_stop_signals)


def _run_pid() -> int:
    """The run's main process: this one, or a worker's parent."""
    return int(_state.get("parent", os.getpid()))


def _run_prefix() -> str:
    return f"{TEMP_PREFIX}{_run_pid()}-"


def _stopped(signum: int, frame: object) -> None:
    _exit(128 + signum)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    _exit(1)


def _exit(code: int) -> None:
    """Remove the temp files this worker is writing, and end the process now (from any thread)."""
    for tmp in list(_writing):
        try:
            tmp.unlink()
        except OSError:
            pass
    os._exit(code)
