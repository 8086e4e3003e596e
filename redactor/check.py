"""`redactor check`: what `redact` would replace, for hooks and CI (never the values).

Findings can be allowed two ways, both auditable (`--show-allowed` lists them):
- inline: `redactor: allow` on the line, or `redactor: allow-next-line` on the line before;
- a baseline file (`--baseline`, written by `--update-baseline`) holding salted hashes of
  (type, value) per file — like detect-secrets, it never stores a value.

A text file over `stream.STREAM_BYTES` is checked in the windows `redact` streams it in, so memory
stays flat (a 20 MB log, --no-ner: 574 MB -> 238 MB peak); its first `stream.MAX_LISTED` findings are
listed and the rest counted, as in `redact`'s report. An inline marker further from its finding than
a window's context margin (`stream.CONTEXT_CHARS`, on very long lines) may not be seen: the finding is
then reported (stricter, never looser). With `--jobs`, a smaller text file may be read in the same
windows, only to keep the workers even (`check_workers.py`); it lists every finding, as read whole.
"""
from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import os
import re
import secrets
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from . import check_workers, stream
from .errors import FileError, ProfileError
from .findings import REPLACE, Finding
from .session import Session, kept_names

ALLOW = re.compile(r"redactor:\s*allow(?!-next-line)\b")
ALLOW_NEXT = re.compile(r"redactor:\s*allow-next-line\b")
BASELINE_VERSION = 1


def mask(value: str) -> str:
    """A preview that never shows the value: first character and stars (`j***`)."""
    return (value[:1] + "***") if value else "***"


@dataclass
class CheckFinding:
    path: str
    line: int
    column: int
    entity_type: str
    preview: str
    recognizer: str
    score: float
    fingerprint: str
    allowed_by: str | None = None


@dataclass
class CheckResult:
    findings: list[CheckFinding] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    # a streamed file's findings past the first `max_listed`: path -> allowed_by ("" reported) -> count
    not_listed: dict[str, Counter[str]] = field(default_factory=dict)
    # ... and their baseline entries, when asked for (`--update-baseline`)
    not_listed_entries: set[tuple[str, str, str]] = field(default_factory=set)

    @property
    def reported(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.allowed_by is None]

    @property
    def allowed(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.allowed_by is not None]

    @property
    def failed(self) -> bool:
        """Anything reported, listed or not, or a file that could not be checked."""
        return bool(self.reported or self.errors or any(c[""] for c in self.not_listed.values()))


class Baseline:
    def __init__(self, salt: bytes, entries: set[tuple[str, str, str]]) -> None:
        self.salt = salt
        self.entries = entries

    @classmethod
    def load(cls, path: Path | None) -> Baseline:
        if path is None or not path.exists():
            return cls(secrets.token_bytes(16), set())
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != BASELINE_VERSION:
                raise ValueError(f"unsupported baseline version {data.get('version')!r}")
            salt = bytes.fromhex(data["salt"])
            entries = {(e["path"], e["type"], e["hash"]) for e in data["allowed"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ProfileError(f"{path}: not a valid redactor baseline ({exc})") from exc
        return cls(salt, entries)

    def fingerprint(self, entity: str, value: str) -> str:
        return hmac.new(self.salt, f"{entity}\x1f{value}".encode("utf-8"), hashlib.sha256).hexdigest()

    def save(self, path: Path, findings: list[CheckFinding],
             more: set[tuple[str, str, str]] | None = None) -> None:
        """`findings`, then the entries `more` (path, type, hash) of findings not listed, sorted."""
        data = {
            "version": BASELINE_VERSION,
            "generated_by": "redactor check --update-baseline",
            "salt": self.salt.hex(),
            "allowed": [{"path": f.path, "type": f.entity_type, "hash": f.fingerprint}
                        for f in sorted(findings, key=lambda f: (f.path, f.line, f.column))]
                       + [{"path": p, "type": t, "hash": h} for p, t, h in sorted(more or ())],
        }
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def _allowed_by(line: str | None, before: str | None, key: tuple[str, str, str], baseline: Baseline) -> str | None:
    """How a finding on `line` (after line `before`; None: none, or not seen whole) is allowed, if it is."""
    if line is not None and ALLOW.search(line):
        return "inline"
    if before is not None and ALLOW_NEXT.search(before):
        return "inline-next-line"
    return "baseline" if key in baseline.entries else None


def check_text(session: Session, text: str, path: str, baseline: Baseline,
               findings: list[Finding] | None = None) -> list[CheckFinding]:
    """Check one text; `findings` from an earlier `session.analyze(text)` are reused."""
    planned = session.plan(text, session.analyze(text) if findings is None else findings, named=False)
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out = []
    for f in planned:
        if f.decision != REPLACE:
            continue
        value = text[f.start:f.end]
        idx = bisect.bisect_right(starts, f.start) - 1
        fp = baseline.fingerprint(f.entity_type, value)
        cf = CheckFinding(path, idx + 1, f.start - starts[idx] + 1, f.entity_type, mask(value),
                          f.recognizer, f.score, fp)
        cf.allowed_by = _allowed_by(lines[idx], lines[idx - 1] if idx > 0 else None,
                                    (path, f.entity_type, fp), baseline)
        out.append(cf)
    return out


@dataclass
class _Streamed:
    """A large text file after pass 1: its windows' findings wait in `cache` (positions, never values)."""

    path: Path
    encoding: str
    window: int
    sha256: str
    cache: str
    kept: set[tuple[str, str]]   # its kept names, for `Session.relearn` between the passes
    every_finding: bool          # listed, as reading it whole lists them (a file under STREAM_BYTES split for workers)


def _analyze_streamed(session: Session, path: Path, analyzed: stream.Analyzer | None = None) -> _Streamed:
    """Pass 1 window by window, as `redact` streams the file (no TLP refusal: `check` reads every file).
    `analyzed`: the windows' rows from elsewhere (worker processes: `check_workers.py`), in order. A file
    under `STREAM_BYTES` (split for the workers) lists every finding, as reading it whole does."""
    encoding = stream.encoding_of(path)
    sha256 = stream.sha256_of(path)
    window = stream.window_chars(path.stat().st_size, encoding)
    stream.remove_stale_caches()   # what a check or run killed outright left in TMPDIR
    cache, kept = stream.new_cache(), set()
    try:
        stream.analyze_stream(session, path, encoding, cache, analyzed or (
            lambda ws: ((w, stream.window_rows(session, w)) for w in ws)), window, kept)
    except BaseException:
        os.unlink(cache)
        raise
    return _Streamed(path, encoding, window, sha256, cache, kept, not stream.is_streamed(path))


def _check_streamed(session: Session, s: _Streamed, shown: str, baseline: Baseline, result: CheckResult,
                    max_listed: int | None, entries: bool) -> None:
    """Pass 2 window by window: each finding where `redact` would replace it (in the window it starts in,
    unless a replacement before it ran over it), with its line and column counted through the windows."""
    if stream.sha256_of(s.path) != s.sha256:
        raise FileError(s.path, "the input changed during the check; run it again")
    listed, not_listed = 0, result.not_listed.setdefault(shown, Counter())
    line, line_start, done = 1, 0, 0     # the line number at `w.start + pos`, where that line starts
    with closing(stream.cached_windows(s.path, s.encoding, s.cache, s.window)) as windows:
        for w, rows in windows:
            text, pos = w.text, w.own_start
            begin, end, last = max(w.own_start, done - w.start), w.own_end, w.own_end == len(text)
            for f in session.plan(text, [Finding(*r) for r in rows], named=False):
                if f.decision != REPLACE or not begin <= f.start < w.own_end:
                    continue
                if n := text.count("\n", pos, f.start):
                    line, line_start = line + n, w.start + text.rfind("\n", pos, f.start) + 1
                pos, end = f.start, max(end, f.end)
                value = text[f.start:f.end]
                fp = baseline.fingerprint(f.entity_type, value)
                allowed = _allowed_by(*_lines_around(text, line_start - w.start, f.start, w.start == 0, last),
                                      (shown, f.entity_type, fp), baseline)
                if max_listed is None or listed < max_listed:
                    listed += 1
                    result.findings.append(CheckFinding(shown, line, f.start + w.start - line_start + 1,
                                                        f.entity_type, mask(value), f.recognizer, f.score, fp,
                                                        allowed))
                else:
                    not_listed[allowed or ""] += 1
                    if entries and allowed in (None, "baseline"):
                        result.not_listed_entries.add((shown, f.entity_type, fp))
            if n := text.count("\n", pos, w.own_end):
                line, line_start = line + n, w.start + text.rfind("\n", pos, w.own_end) + 1
            done = w.start + end
    if not +not_listed:
        del result.not_listed[shown]


def _lines_around(text: str, start: int, at: int, first: bool, last: bool) -> tuple[str | None, str | None]:
    """The line of `text` that starts at `start` (and holds `at`), and the line before it; None for one
    that the window does not hold whole (an inline marker is looked for in whole lines only)."""
    end = text.find("\n", at)
    line = text[start:end if end != -1 else len(text)] if start >= 0 and (end != -1 or last) else None
    if start <= 0:
        return line, None   # the file's first line (`first`), or one the window does not hold
    before = text.rfind("\n", 0, start - 1) + 1
    return line, text[before:start - 1] if before > 0 or first else None


def first_pass(session: Session, src: Path | str, analyzed: stream.Analyzer | None = None,
               windowed: bool = False) -> tuple[str | _Streamed, list[Finding]] | str:
    """Pass 1 of one item (a file, or the literal text read from stdin): its text and findings (a big
    text file, or one `windowed` for the workers (`stream.split_for_workers`): read in windows, its findings
    cached; `analyzed`: its windows analyzed elsewhere), or why it cannot be checked."""
    from .documents import read_document

    try:
        if not isinstance(src, str) and (windowed or stream.is_streamed(src)):
            return _analyze_streamed(session, src, analyzed), []
        text = src if isinstance(src, str) else read_document(src).text
    except FileError as exc:
        return exc.message
    except OSError as exc:   # the file vanished, or TMPDIR has no room for its window cache
        return f"cannot check it ({exc})"
    return text, session.analyze(text)


def check_documents(session: Session, items: list[tuple[str, Path | str]], baseline: Baseline, *,
                    max_listed: int | None = None, entries: bool = False, jobs: int = 1) -> CheckResult:
    """`items`: (display path, file path or literal text for stdin). A text file over `stream.STREAM_BYTES`
    is read in windows: its first `max_listed` (default `stream.MAX_LISTED`) findings are listed, the rest
    counted (and their baseline entries kept when `entries`). `jobs`: processes for pass 1 (`check_workers.py`);
    the findings are the same."""
    result = CheckResult()
    texts: list[tuple[str, str | _Streamed, list[Finding]]] = []
    try:
        # first pass: the table learns every entity of every file; the findings are kept
        with closing(check_workers.first_passes(session, items, jobs, first_pass)) as firsts:   # its pool ends here
            for shown, first in firsts:
                if isinstance(first, str):
                    result.errors.append((shown, first))
                else:
                    texts.append((shown, *first))
        for _, text, findings in texts:   # in file order, as `redact` does
            session.relearn(sorted(kept_names(text, findings) if isinstance(text, str) else text.kept))
        # no `book.assign_all()`: a check plans without naming (`Session.plan(named=False)`)
        for shown, text, findings in texts:
            if isinstance(text, str):
                result.findings.extend(check_text(session, text, shown, baseline, findings))
            else:
                try:
                    _check_streamed(session, text, shown, baseline, result, None if text.every_finding else
                                    stream.MAX_LISTED if max_listed is None else max_listed, entries)
                except FileError as exc:
                    result.errors.append((shown, exc.message))
                    continue
            result.files += 1
    finally:
        for _, text, _ in texts:
            if isinstance(text, _Streamed):
                os.unlink(text.cache)
    return result
