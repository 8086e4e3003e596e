"""A batch over files and folders (DESIGN.md flow): read -> analyze all -> number ->
plan/replace -> write to a temp file -> verify the written file -> atomic rename.

One file's failure fails that file only (no output for it); the others go on. With
`jobs > 1` both passes run in worker processes (`parallel.py`) that share this process's engine
and replay the same entity registrations, so every worker names every entity identically.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import Document, adapter_for, is_supported, read_document, verification_text
from .engine import Engine, build_engine
from recognizers import prefilter as hyperscan_prefilter
from recognizers.base import PatternTimeoutError

from .errors import FileError, ProfileError, RedactorError, RefusedError
from .findings import REPLACE, Finding
from .naming import SECRET_TOKEN
from .profile import Profile
from . import stream, workers
from .session import Session, apply, edits_of, kept_names

STATUS_WRITTEN, STATUS_DRY, STATUS_FAILED, STATUS_REFUSED, STATUS_SKIPPED, STATUS_CURRENT = (
    "written", "dry-run", "failed", "refused", "skipped", "current")
MANIFEST = ".redactor-manifest.json"
STREAMED = "text-stream"   # Document.format of a large text file handled by `stream`
# A batch this big builds the Hyperscan prefilters before its first file, as one file of
# `prefilter.COMPILE_FROM_CHARS` does: ~0.75 s on 2 cores, repaid after ~160,000 chars of short
# reports (35 corpus reports under 50 KB each, 527 KB: 11.7-12.1 s -> 10.9-11.9 s on one core)
PREFILTERS_FROM_BYTES = 200_000
# with --jobs, the documents pass 1 hands to pass 2 instead of pass 2 reading the file again:
# extracting a PDF costs seconds (pdfminer renders every page); the other formats read again in
# milliseconds, and a DOCX holds live XML objects that do not pickle
SHIPPED_FORMATS = frozenset({"pdf"})
# the collector's thresholds in our own processes (the CLI, pool workers): a document makes a
# hundred thousand short-lived tuples and findings, and the default (700, 10, 10) collected so
# often that it cost ~8 % of a dense log's time (best of 7, 1 MB log: 2.18 -> 1.93 s/MB).
# The full collection still waits for a quarter of the long-lived heap to be new (CPython's rule)
GC_THRESHOLDS = (50_000, 20, 10)


@dataclass
class FileOutcome:
    index: int
    source: Path
    relative: Path
    status: str = STATUS_FAILED
    output: Path | None = None
    reason: str | None = None
    error_kind: str | None = None
    chars: int = 0
    sha256: str | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line_starts: Sequence[int] = field(default_factory=list, repr=False)
    stream: StreamTotals | None = field(default=None, repr=False)   # a large text file, streamed
    # pseudonym -> originals, for the optional vault only; never in reports
    mapping: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # pass 1's kept names (entity, value), for `Session.relearn` between the passes; then emptied
    kept_names: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @property
    def replaced(self) -> Counter[str]:
        if self.stream is not None:
            return self.stream.replaced
        return Counter(f.entity_type for f in self.findings if f.decision == REPLACE)

    @property
    def kept(self) -> Counter[str]:
        if self.stream is not None:
            return self.stream.kept
        return Counter(f.entity_type for f in self.findings if f.decision != REPLACE)

    @property
    def findings_omitted(self) -> int:
        return self.stream.omitted if self.stream is not None else 0


def collect(inputs: Iterable[Path], outdir: Path | None) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(file, relative output path) for supported files, and the unsupported ones skipped.

    Folders are walked recursively in sorted order; symlinks are not followed; the output
    folder is never walked when it lies inside an input folder.
    """
    found: list[tuple[Path, Path]] = []
    skipped: list[Path] = []
    symlinks: list[Path] = []
    out_resolved = outdir.resolve() if outdir else None
    for item in inputs:
        if item.is_dir():
            for dirpath, dirnames, filenames in os.walk(item, followlinks=False):
                here = Path(dirpath)
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and (out_resolved is None or (here / d).resolve() != out_resolved))
                for name in sorted(filenames):
                    path = here / name
                    if name.startswith("."):
                        continue
                    if path.is_symlink():  # never followed: it could point out of the input root
                        symlinks.append(path)
                        continue
                    if is_supported(path):
                        found.append((path, path.relative_to(item)))
                    else:
                        skipped.append(path)
        elif item.is_file():
            if is_supported(item):
                found.append((item, Path(item.name)))
            else:
                skipped.append(item)
        else:
            raise RedactorError(f"{item}: no such file or folder")
    return found, skipped + symlinks


# ---- the work of one file, shared by the in-process and the worker paths --------------

def open_document(path: Path, *, keep_images: bool = False, max_line_chars: int = stream.MAX_LINE_CHARS,
                  split: bool = False) -> Document:
    """The document of `path`; a large text file is only opened as a stream (no segments), and so is
    one `split` for the workers (`stream.split_for_workers`). A text file with a line longer than
    `max_line_chars` (0: no limit) is refused."""
    too_big = stream.is_streamed(path)
    if too_big or split:
        encoding = stream.encoding_of(path)
        if max_line_chars and (n := stream.longest_line_over(path, encoding, max_line_chars)):
            raise _long_line(path, n, max_line_chars)
        # the windows are fixed here, once: both passes must cut the file alike; a file split only
        # for the workers lists every finding in the report, as reading it whole does
        return Document(path=path, format=STREAMED, segments=[],
                        meta={"encoding": encoding, "window": stream.window_chars(_size(path), encoding),
                              "max_listed": stream.MAX_LISTED if too_big else None})
    doc = read_document(path, keep_images=keep_images)
    if max_line_chars and doc.format == "text" and stream.longest_line(doc.text) > max_line_chars:
        raise _long_line(path, stream.longest_line(doc.text), max_line_chars)
    return doc


def _long_line(path: Path, length: int, limit: int) -> FileError:
    return RefusedError(path, f"a line of over {min(length, 10**9):,} characters exceeds the "
                              f"{limit:,}-character limit (minified or binary data?); nothing written. "
                              f"Split it, or raise the limit with --max-line-chars")


def unchanged_since_read(outcome: FileOutcome) -> None:
    """Fail the file if its input vanished or changed since pass 1 read it: its findings and
    the entity table describe that content, not this one."""
    try:
        now = stream.sha256_of(outcome.source)
    except FileError:
        raise FileError(outcome.source, "the input vanished or became unreadable during the run; "
                                        "nothing written") from None
    if now != outcome.sha256:
        raise FileError(outcome.source, "the input changed during the run; nothing written "
                                        "(run again to sanitize the new content)")


def analyze_file(session: Session, index: int, path: Path, rel: Path, *, keep_images: bool = False,
                 max_line_chars: int = stream.MAX_LINE_CHARS, analyzed: stream.Analyzer | None = None,
                 split: bool = False) -> tuple[FileOutcome, Document | None]:
    """Pass 1 for one file. `analyzed`: where a streamed file's windows are analyzed; `split`: read
    it in windows although it fits in memory (`stream.split_for_workers`)."""
    outcome = FileOutcome(index=index, source=path, relative=rel)
    try:
        doc = open_document(path, keep_images=keep_images, max_line_chars=max_line_chars, split=split)
        if doc.format == STREAMED:
            outcome.sha256 = stream.sha256_of(path)
            outcome.stream = stream.StreamTotals(cache=stream.new_cache())
            try:
                outcome.chars = stream.analyze_stream(session, path, doc.meta["encoding"],
                                                     outcome.stream.cache, analyzed, doc.meta["window"],
                                                     outcome.kept_names)
            except BaseException:   # interrupted too: never leave the cache behind
                stream.drop_cache(outcome.stream)
                raise
        else:
            text = doc.text
            outcome.chars = len(text)
            outcome.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
            session.policy.check_tlp(text, path)
            outcome.findings = session.analyze(text)
            outcome.kept_names = kept_names(text, outcome.findings)
        for part in rel.parts:
            session.analyze(Path(part).stem, ner=False)
        outcome.notes = list(doc.notes)
        outcome.status = STATUS_DRY
        return outcome, doc
    except FileError as exc:
        _fail(outcome, exc)
        return outcome, None
    except PatternTimeoutError as exc:  # the profile is at fault: stop the run, clearly
        raise ProfileError(str(exc)) from None
    except BrokenProcessPool:   # a worker died under a streamed file's windows: `parallel.py` decides
        raise
    except Exception as exc:  # noqa: BLE001 - fail this file closed, never the batch
        _fail(outcome, FileError(path, f"internal error while analyzing ({type(exc).__name__}: {exc}); "
                                       f"nothing written — please report this"))
        return outcome, None


def finish_file(session: Session, outcome: FileOutcome, doc: Document, outdir: Path | None,
                target: Path | None = None, resume: dict[str, str] | None = None,
                finished: stream.Finisher | None = None) -> None:
    """Plan, replace, write atomically and verify one analyzed document.

    The output goes to `target`, else to `outdir` / the sanitized relative name; with
    neither, nothing is written (dry run). `finished`: where a streamed file's windows are
    finished ahead.
    """
    try:
        if doc.format == STREAMED:
            _finish_streamed(session, outcome, doc, outdir, target, resume, finished)
            return
        planned = session.plan(doc.text, outcome.findings)
        outcome.findings = planned
        edits = edits_of(planned)
        seg_edits = doc.segment_edits(edits)  # type: ignore[arg-type]
        new_segments = doc.apply(seg_edits)
        replacements = {e[2] for e in edits if e[2]}
        text = doc.text
        for f in planned:
            if f.decision == REPLACE and f.replacement and f.replacement != SECRET_TOKEN:
                outcome.mapping.setdefault(f.replacement, set()).add(text[f.start:f.end])
        outcome.line_starts = _line_starts(doc.text)
        if target is None:
            if outdir is None:
                outcome.status = STATUS_DRY
                return
            target = _target(session, outcome, outdir, doc.output_suffix, resume)
            if target is None:
                return

        def write(tmp: Path) -> None:
            adapter_for(outcome.source).write(doc, new_segments, tmp, seg_edits)
            written = verification_text(tmp)
            # when the file reads back as exactly the text we made, we know where each
            # replacement sits; otherwise verification finds the replacement strings itself
            exact = doc.output_spans(seg_edits) if written == "\n".join(new_segments) else None
            session.verify(written, replacements, outcome.source, protected=exact, source=doc.text)

        _write_atomically(outcome, target, write)
        outcome.output = target
        outcome.status = STATUS_WRITTEN
    except FileError as exc:
        _fail(outcome, exc)
    except OSError as exc:
        _fail(outcome, FileError(outcome.source, f"cannot write output ({exc.strerror or exc})"))
    except BrokenProcessPool:   # as in `analyze_file`
        raise
    except Exception as exc:  # noqa: BLE001 - fail this file closed, never the batch
        _fail(outcome, FileError(outcome.source, f"internal error while writing ({type(exc).__name__}); "
                                                 f"nothing written — please report this"))


def _finish_streamed(session: Session, outcome: FileOutcome, doc: Document, outdir: Path | None,
                     target: Path | None, resume: dict[str, str] | None,
                     finished: stream.Finisher | None) -> None:
    assert outcome.stream is not None
    cache, outcome.stream.cache = outcome.stream.cache, None
    # the cache is removed below, unless a worker died
    outcome.stream = totals = stream.StreamTotals(cache=cache, max_listed=doc.meta["max_listed"])
    try:
        unchanged_since_read(outcome)   # pass 2 reads the file again
        _write_streamed(session, outcome, doc.meta, totals, outdir, target, resume, finished)
    except BrokenProcessPool:   # a worker died under its windows: `parallel.py` finishes it again, from this cache
        outcome.stream = stream.StreamTotals(cache=cache)
        raise
    finally:
        if outcome.stream is totals:
            stream.drop_cache(totals)


def _write_streamed(session: Session, outcome: FileOutcome, meta: dict[str, Any], totals: stream.StreamTotals,
                    outdir: Path | None, target: Path | None, resume: dict[str, str] | None,
                    finished: stream.Finisher | None) -> None:
    cache, encoding, size = totals.cache, meta["encoding"], meta["window"]
    if target is None:
        if outdir is None:
            stream.finish_stream(session, outcome.source, encoding, None, totals, outcome.mapping, cache,
                                 finished, size)
            _listed(outcome, totals)
            outcome.status = STATUS_DRY
            return
        target = _target(session, outcome, outdir, None, resume)
        if target is None:
            return

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as out:
            stream.finish_stream(session, outcome.source, encoding, out, totals, outcome.mapping, cache,
                                 finished, size)

    _write_atomically(outcome, target, write)
    _listed(outcome, totals)
    outcome.output = target
    outcome.status = STATUS_WRITTEN


def _target(session: Session, outcome: FileOutcome, outdir: Path, suffix: str | None,
            resume: dict[str, str] | None) -> Path | None:
    """The output path under `outdir` (sanitized name); None when `--resume` finds it current."""
    target = outdir / sanitize_relative(session, outcome.relative, suffix)
    if resume is not None and resume.get(str(target.relative_to(outdir))) == outcome.sha256 \
            and target.is_file():
        outcome.output, outcome.status = target, STATUS_CURRENT
        return None
    return target


def _write_atomically(outcome: FileOutcome, target: Path, write: Callable[[Path], None]) -> None:
    """`write` (which also verifies) fills a temp file next to `target`; it is renamed into
    place only if the input is still what pass 1 read. No temp file survives, whatever happens
    (a worker killed mid-write: the main process removes it, `workers.remove_left_temp_files`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with workers.temp_output(target) as tmp:
        write(tmp)
        unchanged_since_read(outcome)
        os.replace(tmp, target)


def _listed(outcome: FileOutcome, totals: stream.StreamTotals) -> None:
    outcome.findings = totals.listed
    outcome.line_starts = totals.line_starts


def sanitize_relative(session: Session, rel: Path, suffix: str | None) -> Path:
    parts = []
    for i, part in enumerate(rel.parts):
        p = Path(part)
        is_last = i == len(rel.parts) - 1
        stem = p.stem if is_last else part
        new_stem = apply(stem, session.plan(stem, session.analyze(stem, ner=False)))
        new_stem = new_stem.replace("/", "_").replace("\\", "_")
        parts.append(new_stem + ((suffix or p.suffix) if is_last else ""))
    return Path(*parts)


def _fail(outcome: FileOutcome, exc: FileError) -> None:
    stream.drop_cache(outcome.stream)
    outcome.status = STATUS_REFUSED if exc.reason == "refused" else STATUS_FAILED
    outcome.error_kind = exc.reason
    outcome.reason = exc.message
    outcome.findings = []


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


_NEWLINE = re.compile("\n")


# ---- orchestration -------------------------------------------------------------------

@dataclass
class BatchResult:
    outcomes: list[FileOutcome]
    skipped: list[Path]
    keyed: bool

    @property
    def ok(self) -> bool:
        return all(o.status in (STATUS_WRITTEN, STATUS_DRY, STATUS_CURRENT) for o in self.outcomes)


Progress = Callable[[], None]


@dataclass
class BatchOptions:
    jobs: int = 1
    use_ner: bool | None = None
    keep_images: bool = False
    resume: dict[str, str] | None = None          # output relative name -> input sha256
    max_line_chars: int = stream.MAX_LINE_CHARS   # a text line longer than this: file refused (0: no limit)
    progress: Progress | None = None              # called once per file per pass
    on_done: Callable[[FileOutcome], None] | None = None   # called as each file finishes


def run_batch(engine_or_profile: Engine | Profile, key: bytes, files: list[tuple[Path, Path]],
              outdir: Path | None, options: BatchOptions | None = None) -> list[FileOutcome]:
    """Both passes over `files`. On KeyboardInterrupt (SIGINT/SIGTERM) no temp file is left;
    `on_done` has already been told of every file that finished."""
    opt = options or BatchOptions()
    tick = opt.progress or (lambda: None)
    done = opt.on_done or (lambda o: None)
    engine = engine_or_profile if isinstance(engine_or_profile, Engine) else \
        build_engine(engine_or_profile, use_ner=opt.use_ner)
    workers.remove_stale_temp_files(outdir)   # what a run killed outright (SIGKILL) left there
    stream.remove_stale_caches()              # ... and in TMPDIR
    sizes = [_size(path) for path, _ in files]
    prefilters_for(engine, sizes)   # first, on every core, before any worker forks (they share them)
    split = stream.split_for_workers([path for path, _ in files], sizes, opt.jobs)
    if opt.jobs > 1 and (len(files) > 1 or split or any(stream.is_streamed(p) for p, _ in files)):
        from .parallel import run_parallel   # its module imports this one
        return run_parallel(engine, key, files, outdir, opt, tick, done, split)
    session = Session(engine, key)
    analyzed: list[tuple[FileOutcome, Document | None]] = []
    try:
        for i, (path, rel) in enumerate(files):
            analyzed.append(analyze_file(session, i, path, rel, keep_images=opt.keep_images,
                                         max_line_chars=opt.max_line_chars))
            tick()
        _relearn(session, [o for o, _ in analyzed])
        session.book.assign_all()
        for outcome, doc in analyzed:
            if doc is not None:
                finish_file(session, outcome, doc, outdir, resume=opt.resume)
            done(outcome)
            tick()
    finally:   # interrupted between the passes: no window cache is left behind
        for outcome, _ in analyzed:
            stream.drop_cache(outcome.stream)
    return [o for o, _ in analyzed]


def tune_gc() -> None:
    """Collect less often in a process of ours (a library caller's process is left as it is)."""
    gc.set_threshold(*GC_THRESHOLDS)

def _relearn(session: Session, outcomes: list[FileOutcome]) -> None:
    """Between the passes, in file order: kept names that a learned domain makes ours."""
    for outcome in outcomes:
        session.relearn(sorted(outcome.kept_names))
        outcome.kept_names = set()


def prefilters_for(engine: Engine, sizes: Sequence[int]) -> None:
    """Build the engine's prefilters now if a batch of files of these sizes would build them anyway (a
    text of `COMPILE_FROM_CHARS`, or `PREFILTERS_FROM_BYTES` in all): once, in the process that forks the
    workers, so that they share them instead of each compiling its own."""
    if max(sizes, default=0) >= hyperscan_prefilter.COMPILE_FROM_CHARS or sum(sizes) >= PREFILTERS_FROM_BYTES:
        engine.build_prefilters()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
