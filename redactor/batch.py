"""A batch over files and folders (DESIGN.md flow): read -> analyze all -> number ->
plan/replace -> write to a temp file -> verify the written file -> atomic rename.

One file's failure fails that file only (no output for it); the others go on. With
`jobs > 1` both passes run in worker processes that build their engine once each and replay
the same entity registrations, so every worker names every entity identically.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .documents import Document, adapter_for, is_supported, read_document, verification_text
from .engine import Engine, build_engine
from recognizers.base import PatternTimeoutError

from .errors import FileError, ProfileError, RedactorError
from .findings import REPLACE, Finding
from .profile import Profile
from .session import Session, apply

STATUS_WRITTEN, STATUS_DRY, STATUS_FAILED, STATUS_REFUSED, STATUS_SKIPPED, STATUS_CURRENT = (
    "written", "dry-run", "failed", "refused", "skipped", "current")
MANIFEST = ".redactor-manifest.json"


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
    line_starts: list[int] = field(default_factory=list, repr=False)
    # pseudonym -> originals, for the optional vault only; never in reports
    mapping: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @property
    def replaced(self) -> Counter[str]:
        return Counter(f.entity_type for f in self.findings if f.decision == REPLACE)

    @property
    def kept(self) -> Counter[str]:
        return Counter(f.entity_type for f in self.findings if f.decision != REPLACE)


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

def analyze_file(session: Session, index: int, path: Path, rel: Path, *,
                 keep_images: bool = False) -> tuple[FileOutcome, Document | None]:
    outcome = FileOutcome(index=index, source=path, relative=rel)
    try:
        doc = read_document(path, keep_images=keep_images)
        text = doc.text
        outcome.chars = len(text)
        outcome.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        session.policy.check_tlp(text, path)
        outcome.findings = session.analyze(text)
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
    except Exception as exc:  # noqa: BLE001 - fail this file closed, never the batch
        _fail(outcome, FileError(path, f"internal error while analyzing ({type(exc).__name__}: {exc}); "
                                       f"nothing written — please report this"))
        return outcome, None


def finish_file(session: Session, outcome: FileOutcome, doc: Document, outdir: Path | None,
                target: Path | None = None, resume: dict[str, str] | None = None) -> None:
    """Plan, replace, write atomically and verify one analyzed document.

    The output goes to `target`, else to `outdir` / the sanitized relative name; with
    neither, nothing is written (dry run).
    """
    try:
        planned = session.plan(doc.text, outcome.findings)
        outcome.findings = planned
        edits = [(f.start, f.end, f.replacement) for f in planned
                 if f.decision == REPLACE and f.replacement is not None]
        seg_edits = doc.segment_edits(edits)  # type: ignore[arg-type]
        new_segments = doc.apply(seg_edits)
        replacements = {e[2] for e in edits if e[2]}
        text = doc.text
        for f in planned:
            if f.decision == REPLACE and f.replacement and f.replacement != "[SECRET]":
                outcome.mapping.setdefault(f.replacement, set()).add(text[f.start:f.end])
        outcome.line_starts = _line_starts(doc.text)
        if target is None:
            if outdir is None:
                outcome.status = STATUS_DRY
                return
            target = outdir / sanitize_relative(session, outcome.relative, doc.output_suffix)
            if resume is not None and resume.get(str(target.relative_to(outdir))) == outcome.sha256 \
                    and target.is_file():
                outcome.output, outcome.status = target, STATUS_CURRENT
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".redactor-tmp-", suffix=target.suffix, dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            adapter_for(outcome.source).write(doc, new_segments, tmp, seg_edits)
            written = verification_text(tmp)
            # when the file reads back as exactly the text we made, we know where each
            # replacement sits; otherwise verification finds the replacement strings itself
            exact = doc.output_spans(seg_edits) if written == "\n".join(new_segments) else None
            session.verify(written, replacements, outcome.source, protected=exact)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        outcome.output = target
        outcome.status = STATUS_WRITTEN
    except FileError as exc:
        _fail(outcome, exc)
    except OSError as exc:
        _fail(outcome, FileError(outcome.source, f"cannot write output ({exc.strerror or exc})"))
    except Exception as exc:  # noqa: BLE001 - fail this file closed, never the batch
        _fail(outcome, FileError(outcome.source, f"internal error while writing ({type(exc).__name__}); "
                                                 f"nothing written — please report this"))


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
    outcome.status = STATUS_REFUSED if exc.reason == "refused" else STATUS_FAILED
    outcome.error_kind = exc.reason
    outcome.reason = exc.message
    outcome.findings = []


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    return starts


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
    progress: Progress | None = None              # called once per file per pass
    on_done: Callable[[FileOutcome], None] | None = None   # called as each file finishes


def run_batch(engine_or_profile: Engine | Profile, key: bytes, files: list[tuple[Path, Path]],
              outdir: Path | None, options: BatchOptions | None = None) -> list[FileOutcome]:
    """Both passes over `files`. On KeyboardInterrupt (SIGINT/SIGTERM) no temp file is left;
    `on_done` has already been told of every file that finished."""
    opt = options or BatchOptions()
    tick = opt.progress or (lambda: None)
    done = opt.on_done or (lambda o: None)
    if opt.jobs > 1 and len(files) > 1:
        profile = engine_or_profile.profile if isinstance(engine_or_profile, Engine) else engine_or_profile
        return _run_parallel(profile, key, files, outdir, opt, tick, done)
    engine = engine_or_profile if isinstance(engine_or_profile, Engine) else \
        build_engine(engine_or_profile, use_ner=opt.use_ner)
    session = Session(engine, key)
    analyzed = []
    for i, (path, rel) in enumerate(files):
        analyzed.append(analyze_file(session, i, path, rel, keep_images=opt.keep_images))
        tick()
    session.book.assign_all()
    for outcome, doc in analyzed:
        if doc is not None:
            finish_file(session, outcome, doc, outdir, resume=opt.resume)
        done(outcome)
        tick()
    return [o for o, _ in analyzed]


# Worker side: one engine per process, built by the initializer.
_W: dict[str, object] = {}


def _w_init(profile: Profile, key: bytes, opt: BatchOptions) -> None:
    _W["engine"] = build_engine(profile, use_ner=opt.use_ner)
    _W["key"] = key
    _W["options"] = opt


def _w_analyze(args: tuple[int, Path, Path]) -> tuple[FileOutcome, list[tuple[str, str, str | None]]]:
    session = Session(_W["engine"], _W["key"])  # type: ignore[arg-type]
    opt: BatchOptions = _W["options"]  # type: ignore[assignment]
    outcome, _ = analyze_file(session, *args, keep_images=opt.keep_images)
    return outcome, session.table.log()


def _w_session(log_path: str) -> Session:
    """The batch-wide session, rebuilt once per worker from the pass-1 log."""
    cached = _W.get("session")
    if isinstance(cached, tuple) and cached[0] == log_path:
        return cached[1]  # type: ignore[no-any-return]
    session = Session(_W["engine"], _W["key"])  # type: ignore[arg-type]
    with open(log_path, "rb") as fh:
        session.table.replay(pickle.load(fh))
    session.book.assign_all()
    _W["session"] = (log_path, session)
    return session


def _w_finish(args: tuple[FileOutcome, str, Path | None]) -> FileOutcome:
    outcome, log_path, outdir = args
    opt: BatchOptions = _W["options"]  # type: ignore[assignment]
    session = _w_session(log_path)
    try:
        doc = read_document(outcome.source, keep_images=opt.keep_images)
    except FileError as exc:
        _fail(outcome, exc)
        return outcome
    finish_file(session, outcome, doc, outdir, resume=opt.resume)
    return outcome


def _run_parallel(profile: Profile, key: bytes, files: list[tuple[Path, Path]], outdir: Path | None,
                  opt: BatchOptions, tick: Progress, done: Callable[[FileOutcome], None]) -> list[FileOutcome]:
    worker_opt = BatchOptions(jobs=opt.jobs, use_ner=opt.use_ner, keep_images=opt.keep_images,
                              resume=opt.resume)  # callbacks stay in this process
    pool = ProcessPoolExecutor(max_workers=opt.jobs, mp_context=get_context("fork"), initializer=_w_init,
                               initargs=(profile, key, worker_opt))
    futures: list[Future[FileOutcome]] = []
    finished: dict[int, FileOutcome] = {}
    log_path: str | None = None   # 0600 temp file holding the pass-1 registrations; always removed
    try:
        analyzed = []
        log: list[tuple[str, str, str | None]] = []
        for outcome, entries in pool.map(_w_analyze, [(i, p, r) for i, (p, r) in enumerate(files)]):
            analyzed.append(outcome)
            log.extend(entries)
            tick()
        for outcome in analyzed:
            if outcome.status != STATUS_DRY:
                done(outcome)
        fd, log_path = tempfile.mkstemp(prefix="redactor-log-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:  # the table's registrations, read once by each worker
            pickle.dump(log, fh)
        futures = [pool.submit(_w_finish, (o, log_path, outdir)) for o in analyzed if o.status == STATUS_DRY]
        for future in as_completed(futures):
            outcome = future.result()
            finished[outcome.index] = outcome
            done(outcome)
            tick()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # running files finish or clean up; no new ones
        _remove(log_path)
        for future in futures:      # account for the files that did finish
            if future.done() and not future.cancelled() and future.exception() is None:
                outcome = future.result()
                if outcome.index not in finished:
                    done(outcome)
        raise
    pool.shutdown(wait=True)
    _remove(log_path)
    return [finished.get(o.index, o) for o in analyzed]


def _remove(path: str | None) -> None:
    if path and os.path.exists(path):
        os.unlink(path)
