"""Room on Python's frame stack for deep work that loops, so that it does not pay a system call per call.

CPython 3.11 keeps frames in 16 KB chunks and frees a chunk as soon as the frame that opened it returns.
Code that calls in a loop right at a chunk's edge maps and unmaps a chunk on every call (CPython
gh-142183, fixed in 3.13 and 3.14 by keeping one spare chunk; not in 3.11). Importing Presidio did that:
its URL pattern, compiled at import by the recursive `sre_parse`, sat on an edge, and `redactor check`
paid ~45,000 mmap/munmap pairs, ~0.25 s of a 1.3 s cold start. `with_room(fn)` calls `fn` from a frame
so big that it opens a chunk of its own with ~130 KB free after it: whatever `fn` calls nests there,
far from any edge. Where the interpreter stacks frames otherwise, this only costs a 256 KB chunk once.

Importing this module imports Presidio so (`recognizers/__init__.py` imports it first).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from types import FunctionType
from typing import TypeVar

T = TypeVar("T")

# frame slots (8 bytes each) of the calling frame: a 3.11 chunk is the smallest 16 KB x 2^k holding the frame
# and 1,000 slots more, so 15,400 slots open a 256 KB chunk (32,768 slots) and leave ~17,000 free
ROOM_SLOTS = 15_400


def _call(fn: Callable[[], T]) -> T:
    return fn()


@cache
def _roomy() -> Callable[[Callable[[], T]], T]:
    code = _call.__code__
    spare = tuple(f"_{i}" for i in range(ROOM_SLOTS))   # unused locals: they only size the frame
    return FunctionType(code.replace(co_varnames=code.co_varnames + spare, co_nlocals=code.co_nlocals + len(spare)),
                        globals(), "with_room")


def with_room(fn: Callable[[], T]) -> T:
    """`fn()`, with frame stack to spare under it (see the module's docstring)."""
    return _roomy()(fn)


with_room(lambda: importlib.import_module("presidio_analyzer"))
