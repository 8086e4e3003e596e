"""Large plain-text files (logs) in windows, so memory stays flat whatever the file size.

A file above `STREAM_BYTES` is never held whole. Both passes cut it into the same windows: an
*own* region of about `window_chars(size)` (at most `WINDOW_CHARS`; at least 8 windows, a
multiple of 4, so the workers get equal shares) that ends at a line break (else at white space,
else anywhere), analyzed together with `CONTEXT_CHARS` before and after it, so a value that
crosses a window edge is seen whole. A finding belongs to the window where it starts; a
replacement that runs past the edge moves the next window's start behind it.

Pass 1 only feeds the entity table (and keeps each window's findings for pass 2). Pass 2
plans each window, replaces, verifies the window's output (with the tail of the previous
output as context) and appends it to the temporary file; any failure leaves no output (the
caller removes the temp file). Windows are independent but for that tail and a replacement
that runs across an edge, so with `--jobs` both passes run them in worker processes
(`batch`), and this process writes the pieces in order, finishing a window again itself when
its piece is not exactly what running in order gives.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from recognizers.tables import table_header

from . import workers
from .documents.base import replacement_spans
from .documents.text import SUFFIXES, encoding_for, undecodable
from .errors import ExtractionError, VerificationError
from .findings import REPLACE, Finding
from .naming import SECRET_TOKEN
from .session import Session, apply, edits_of, kept_rows

# text files larger than this are streamed: memory stays flat, and with `--jobs` one such file
# uses every core (a 7 MB log: 18.6 s in memory, 12.5 s streamed with --jobs 2; one core ~8 %
# slower streamed, 35 % less memory)
STREAM_BYTES = 4 * 2**20
# ... and with `--jobs`, from this size when whole files would keep the workers this uneven (`split_for_workers`)
SPLIT_BYTES = 512 * 2**10
UNEVEN = 1.25
WINDOW_CHARS = 1_000_000       # own region per window, at most
MIN_WINDOWS = 8                # ... but a file is cut into at least this many, and a multiple of
WINDOWS_MULTIPLE = 4           # this many (`window_chars`), down to MIN_WINDOW_CHARS
MIN_WINDOW_CHARS = 256_000
CONTEXT_CHARS = 4_000          # seen on each side of it
READ_CHARS = 1 << 20
MAX_LISTED = 10_000            # findings listed one by one in the report per streamed file (over STREAM_BYTES)
MAX_LINE_CHARS = 1_000_000     # default refusal limit for one line (spaCy's own limit is 1M)


def is_streamed(path: Path) -> bool:
    try:
        return path.suffix.lower() in SUFFIXES and path.stat().st_size > STREAM_BYTES
    except OSError:
        return False   # the reader reports it


def split_for_workers(files: Sequence[Path], sizes: Sequence[int], jobs: int) -> set[int]:
    """With `jobs` workers, the text files (by index) read in windows although they fit in memory, so that
    one core does not work on alone while the others wait: when the batch's files, whole and biggest
    first, would keep the busiest worker at it over `UNEVEN` times an even share (a lone 2 MB file: 2x on
    2 cores), every text file from `SPLIT_BYTES` up. Their windows are spread over the workers as a big
    log's are; output and report are those of reading them whole (a lone 2 MB report with NER, --jobs 2:
    28 s -> 17 s). Bytes stand for work; a streamed file (over STREAM_BYTES) is shared evenly."""
    if jobs < 2:
        return set()
    text = [path.suffix.lower() in SUFFIXES for path in files]
    streamed = [is_text and size > STREAM_BYTES for is_text, size in zip(text, sizes)]
    loads = [0] * jobs
    for size in sorted((size for size, shared in zip(sizes, streamed) if not shared), reverse=True):
        loads[loads.index(min(loads))] += size
    shared = sum(size for size, shared in zip(sizes, streamed) if shared)
    if (max(loads) + shared / jobs) * jobs <= UNEVEN * sum(sizes):
        return set()
    return {i for i, size in enumerate(sizes) if text[i] and SPLIT_BYTES <= size <= STREAM_BYTES}


def window_chars(size: int, encoding: str) -> int:
    """The own region per window for a file of `size` bytes: at most `WINDOW_CHARS`, chosen so
    the file makes a multiple of `WINDOWS_MULTIPLE` windows, at least `MIN_WINDOWS`, of about
    equal size (a file under 2 MB split for the workers: 4, 2 or 1, of `MIN_WINDOW_CHARS` or more).
    With `--jobs` the windows are shared by the workers, and equal shares finish together: a 5 MB log
    made 5 windows and a sliver, 3 rounds on 2 cores (2.7 s of pass 1 with --no-ner), now 8 windows,
    4 rounds of 2/3 the size (1.9 s). The windows depend only on the file: both passes, and every
    `--jobs`, cut it alike."""
    chars = size // 2 if encoding == "utf-16" else size     # UTF-8: at most one char per byte
    count = max(MIN_WINDOWS, -(-chars // WINDOW_CHARS))
    count = -(-count // WINDOWS_MULTIPLE) * WINDOWS_MULTIPLE
    if -(-chars // count) < MIN_WINDOW_CHARS:   # a smaller file (`split_for_workers`): fewer windows, still
        fit = chars // MIN_WINDOW_CHARS          # equal (a 1 MB report: 4 of 262k, not 4 and a sliver)
        count = fit - fit % WINDOWS_MULTIPLE if fit >= WINDOWS_MULTIPLE else max(1, fit - fit % 2)
    return min(WINDOW_CHARS, -(-chars // count))


def encoding_of(path: Path) -> str:
    """The in-memory reader's choice (`documents.text.encoding_for`), from the first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc
    return encoding_for(head)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc
    return h.hexdigest()


def longest_line_over(path: Path, encoding: str, limit: int) -> int | None:
    """The length of the first line longer than `limit` chars (counted up to where it was
    found to exceed it), or None. One buffered read, no whole-file copy."""
    current = 0
    for block in _read_chars(path, encoding):
        last = block.rfind("\n")
        if last == -1:
            current += len(block)
        else:
            first = block.find("\n")
            if current + first > limit:
                return current + first
            if last > first and max(map(len, block[first + 1:last].split("\n"))) > limit:
                return limit + 1
            current = len(block) - last - 1
        if current > limit:
            return current
    return None


def longest_line(text: str) -> int:
    return max(map(len, text.split("\n"))) if text else 0


@dataclass
class Window:
    start: int        # absolute offset of `text[0]`
    text: str         # left context + own region + right context
    own_start: int    # own region, relative to `text`
    own_end: int
    header: str = ""  # the file's first line when it is a table header (a CSV's), for later windows


def _read_chars(path: Path, encoding: str) -> Iterator[str]:
    try:
        with open(path, encoding=encoding, newline="") as fh:
            while block := fh.read(READ_CHARS):
                if "\x00" in block and encoding == "utf-8":
                    raise ExtractionError(path, "binary content (NUL bytes) behind a text extension; "
                                                "not processed")
                yield block
    except UnicodeDecodeError as exc:   # found again in the bytes, for the whole-file reader's wording
        raise undecodable(path, encoding, _read_bytes(path), exc) from exc
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc


def _read_bytes(path: Path) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fh:
            while block := fh.read(READ_CHARS):
                yield block
    except OSError:
        return


def cut_point(text: str, lo: int, hi: int) -> int:
    """Where to end a region inside text[lo:hi]: after a line break, else after white space,
    else at `hi` (a single huge line of one token: the context margins see across)."""
    for sep in ("\n", " ", "\t"):
        i = text.rfind(sep, lo, hi)
        if i != -1:
            return i + 1
    return hi


def windows(path: Path, encoding: str, size: int | None = None,
            context: int | None = None) -> Iterator[Window]:
    """The file's windows, identical on every call (both passes must agree)."""
    size = size or WINDOW_CHARS
    context = context or CONTEXT_CHARS
    buf = ""            # text from `buf_start` on, not yet owned by a window
    buf_start = 0
    left = ""           # up to `context` chars before `buf_start`
    chars = _read_chars(path, encoding)
    eof = False
    header = None       # the first line, if a table header: later windows read their rows under it
    while True:
        while not eof and len(buf) < size + context:
            try:
                buf += next(chars)
            except StopIteration:
                eof = True
        if not buf:
            return
        if eof and len(buf) <= size + context:
            end = len(buf)
        else:
            end = cut_point(buf, size // 2, size)
        right = buf[end:end + context]
        if header is None:
            header = table_header(buf[:buf.find("\n")] if "\n" in buf else "")
            yield Window(buf_start - len(left), left + buf[:end] + right, len(left), len(left) + end)
        else:
            yield Window(buf_start - len(left), left + buf[:end] + right, len(left), len(left) + end, header)
        owned = left + buf[:end]
        left = owned[-context:]
        buf, buf_start = buf[end:], buf_start + end


@dataclass
class StreamTotals:
    """What a streamed file's report carries: full counts, the first findings listed."""

    replaced: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    listed: list[Finding] = field(default_factory=list)
    line_starts: array = field(default_factory=lambda: array("q", [0]))
    omitted: int = 0
    cache: str | None = None     # pass 1's findings per window (a temp file), until pass 2 ends
    max_listed: int | None = MAX_LISTED   # None: every finding, as for a file read whole (`split_for_workers`)


CACHE_PREFIX = "redactor-windows-"   # ... and the pid of the process that made it


def new_cache() -> str:
    """A 0600 temp file for one streamed file's window findings (positions, never values), named after
    this process, so that a run killed outright leaves none behind for long (`remove_stale_caches`)."""
    fd, name = tempfile.mkstemp(prefix=f"{CACHE_PREFIX}{os.getpid()}-", suffix=".pickle")
    os.close(fd)
    return name


def remove_stale_caches() -> None:
    """Before a run: the window caches (in TMPDIR, ~0.8 bytes per byte of a dense log) that runs killed
    outright left there (SIGKILL, the out-of-memory killer: nothing ran in them to remove their own).
    Only those whose process is gone: a run at work now, ours or another user's, keeps its own."""
    workers.remove_files_of(Path(tempfile.gettempdir()).glob(CACHE_PREFIX + "*.pickle"), CACHE_PREFIX,
                            lambda run: not workers.running(run))


def drop_cache(totals: StreamTotals | None) -> None:
    if totals is not None and totals.cache:
        try:
            os.unlink(totals.cache)
        except FileNotFoundError:
            pass
        totals.cache = None


Row = tuple[object, ...]     # a Finding as a plain tuple (`as_row`): cheap to pickle and cache
# what runs the windows of one pass, in order: in this process, or spread over worker processes
Analyzer = Callable[[Iterator[Window]], Iterator[tuple[Window, list[Row]]]]
Finisher = Callable[[Iterator[tuple[Window, list[Row]]]], Iterator[tuple[Window, list[Row], "Piece"]]]


# a Finding's fields in order, as a tuple (C speed: a dense log has ~27,000 findings per MB)
as_row: Callable[[Finding], Row] = attrgetter("entity_type", "start", "end", "score", "recognizer",
                                              "decision", "priority", "replacement")


def analyze_window(session: Session, path: Path, w: Window) -> list[Row]:
    """Pass 1 for one window: its findings (registered in `session`'s table); a TLP the profile refuses stops it."""
    session.policy.check_tlp(w.text, path)
    return window_rows(session, w)


def window_rows(session: Session, w: Window) -> list[Row]:
    """One window's findings, read under the file's table header if it has one (`redactor check`: no TLP refusal)."""
    return list(map(as_row, session.analyze(w.text, preamble=w.header)))


def cached_windows(path: Path, encoding: str, cache: str,
                   size: int | None) -> Generator[tuple[Window, list[Row]], None, None]:
    """Pass 2's windows, each with the findings pass 1 kept for it in `cache` (both passes cut the file alike)."""
    with open(cache, "rb") as fh:
        for w in windows(path, encoding, size):
            yield w, pickle.load(fh)


def analyze_stream(session: Session, path: Path, encoding: str, cache: str | None = None,
                   analyzed: Analyzer | None = None, size: int | None = None,
                   kept: set[tuple[str, str]] | None = None) -> int:
    """Pass 1: register every entity of every window; returns the number of characters.
    With `cache` (a 0600 temp file), each window's findings — types, offsets, scores,
    decisions; never values — are kept there for pass 2, which then skips re-analysis.
    `analyzed`: runs the windows elsewhere (worker processes), yielding them in order.
    `size`: the windows' own size (`window_chars`; pass 2 must be given the same).
    `kept`: gets the file's kept names (`session.kept_names`), for `Session.relearn` between
    the passes, as a file read whole gives them."""
    chars = 0
    run = analyzed or (lambda ws: ((w, analyze_window(session, path, w)) for w in ws))
    with open(cache, "wb") if cache else nullcontext() as fh:
        for w, rows in run(windows(path, encoding, size)):
            if fh is not None:
                pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
            if kept is not None:
                kept.update(kept_rows(w.text, rows))
            chars += w.own_end - w.own_start
    return chars


@dataclass
class Piece:
    """One window's share of the output: input `text[begin:end]` of the window, rewritten."""

    begin: int          # relative to the window's text
    end: int
    output: str
    rows: list[Row]     # the findings that start in it, planned (window-relative)
    context: str        # the output just before it that verification read ("" if none)
    leak: VerificationError | None = None   # what verification found, when finished ahead


def finish_window(session: Session, path: Path, w: Window, rows: list[Row], begin: int,
                  tail: str | None, verify: bool) -> Piece:
    """Pass 2 for one window, from `begin` (after what earlier windows wrote) to the end of
    its own region (or of a replacement that runs past it): plan, replace, verify.

    Verification reads `tail` before the piece: the end of the output already written. With
    `tail` None (a worker that does not have it), the window's own left context, rewritten by
    this window's plan, stands in; the caller checks that it is what was really written,
    and raises `leak` only if so (a piece that starts in the middle of a value the previous
    window replaced fails its verification, and is finished again in order instead)."""
    planned = session.plan(w.text, [Finding(*r) for r in rows])
    mine = [f for f in planned if begin <= f.start < w.own_end]
    end = max([w.own_end] + [f.end for f in mine if f.decision == REPLACE])
    output = apply(w.text[begin:end], mine, offset=begin)
    result = Piece(begin, end, output, list(map(as_row, mine)), "")
    if verify:
        context = tail if tail is not None else \
            _whole_lines(apply(w.text[:begin], [f for f in planned if f.end <= begin]), w.start > 0)[-CONTEXT_CHARS:]
        result.context = context
        spans = replacement_spans([(s - begin, e - begin, r) for s, e, r in edits_of(mine)])
        try:
            session.verify(context + output, {f.replacement for f in mine if f.replacement}, path,
                           protected=[(s + len(context), e + len(context)) for s, e in spans],
                           after=len(context), preamble=w.header, source=w.text)
        except VerificationError as exc:
            if tail is not None:
                raise
            result.leak = exc
    return result


def _whole_lines(context: str, cut: bool) -> str:
    """A rewritten left context without its first line when the window starts mid-file (`cut`): that
    line may begin inside a value (`…arquez` of `user=smarquez`), which this window cannot replace,
    so the context would not be what was written there and the piece would be finished again in order.
    Only when at least half of `CONTEXT_CHARS` is left: verification still reads the lines before the piece."""
    if cut and (i := context.find("\n")) != -1 and len(context) - i - 1 >= CONTEXT_CHARS // 2:
        return context[i + 1:]
    return context


def finish_stream(session: Session, path: Path, encoding: str, out: object | None,
                  totals: StreamTotals, mapping: dict[str, set[str]], cache: str | None = None,
                  finished: Finisher | None = None, size: int | None = None) -> None:
    """Pass 2: plan, replace and verify window by window; write to the open text file `out`
    (None: dry run, nothing written or verified). `cache`: pass 1's findings per window;
    `size`: the windows' own size pass 1 used.

    `finished` runs windows ahead elsewhere (worker processes), each from the start of its own
    region and verified against its own rewritten left context. A piece is taken as it is
    only when that is exactly what running here in order gives: it starts where the output
    written so far ends, and its verification context is the end of that output; otherwise
    (a replacement ran across the edge) the window is finished again here."""
    verify = out is not None
    done = 0            # absolute offset up to which the input has been written
    tail = ""           # the end of the output written so far (verification context)
    lines_seen = 0      # absolute offset up to which line starts are recorded
    tasks = cached_windows(path, encoding, cache, size) if cache else \
        ((w, analyze_window(session, path, w)) for w in windows(path, encoding, size))
    pieces = finished(tasks) if finished else ((w, rows, None) for w, rows in tasks)
    with closing(tasks):   # the cache is closed here, whatever happens
        for w, rows, piece in pieces:
            begin = max(w.own_start, done - w.start)
            if piece is None or piece.begin != begin or not tail.endswith(piece.context):
                piece = finish_window(session, path, w, rows, begin, tail, verify)
            elif piece.leak is not None:
                raise piece.leak
            lines_seen = _take(w, piece, out, totals, mapping, lines_seen)
            done = w.start + piece.end
            if out is not None:
                tail = (tail + piece.output)[-CONTEXT_CHARS:]


def _take(w: Window, piece: Piece, out: object | None, totals: StreamTotals,
          mapping: dict[str, set[str]], lines_seen: int) -> int:
    """Account for and write one piece; returns how far line starts are recorded. Works on
    the rows as they are (a dense log has ~27,000 per MB: no objects made but those listed)."""
    rows = piece.rows
    # room for every row (and line starts recorded) while listing; listing all: always
    room = len(rows) + 1 if totals.max_listed is None else totals.max_listed - len(totals.listed)
    if room > 0:
        lines_seen = _record_lines(totals, w, piece.begin, piece.end, lines_seen)
        totals.listed.extend(_shift(Finding(*r), w.start) for r in rows[:room])  # type: ignore[arg-type]
    totals.omitted += max(0, len(rows) - max(room, 0))
    totals.replaced.update(r[0] for r in rows if r[5] == REPLACE)  # type: ignore[misc]
    totals.kept.update(r[0] for r in rows if r[5] != REPLACE)  # type: ignore[misc]
    text = w.text
    for r in rows:
        if r[5] == REPLACE and r[7] and r[7] != SECRET_TOKEN:
            mapping.setdefault(r[7], set()).add(text[r[1]:r[2]])  # type: ignore[arg-type, index, misc]
    if out is not None:
        out.write(piece.output)  # type: ignore[attr-defined]
    return lines_seen


def _shift(f: Finding, by: int) -> Finding:
    return Finding(f.entity_type, f.start + by, f.end + by, f.score, f.recognizer, f.decision, f.priority,
                   f.replacement)


def _record_lines(totals: StreamTotals, w: Window, begin: int, end: int, seen: int) -> int:
    """Line starts of the input, for the report's line/column, while findings are listed."""
    lo = max(begin, seen - w.start)
    text = w.text
    i = text.find("\n", lo, end)
    while i != -1:
        totals.line_starts.append(w.start + i + 1)
        i = text.find("\n", i + 1, end)
    return w.start + end
