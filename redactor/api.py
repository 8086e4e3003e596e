"""The library surface: build once, call from many threads.

    from redactor import Redactor
    r = Redactor.from_profile("redactor.yaml")      # or None: ./redactor.yaml or zero-config
    r.redact_text("jdoe logged on to fs01").text
    conv = r.conversation()                          # consistent pseudonyms across messages
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .batch import (STATUS_WRITTEN, BatchOptions, BatchResult, FileOutcome, analyze_file, collect,
                    finish_file, run_batch)
from .engine import Engine, build_engine
from .errors import FileError
from .findings import REPLACE, Finding
from .profile import Profile
from .session import Session, load_key


@dataclass(frozen=True)
class Result:
    text: str
    findings: tuple[Finding, ...]

    @property
    def replaced(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.decision == REPLACE)


class Conversation:
    """Consistent pseudonyms across many texts (a chat thread, a ticket's comments)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def redact_text(self, text: str) -> Result:
        self._session.policy.check_tlp(text, "<text>")
        out, planned = self._session.redact(text)
        return Result(out, tuple(planned))


class Redactor:
    def __init__(self, engine: Engine, *, key: bytes | None = None, keyed: bool | None = None) -> None:
        self.engine = engine
        if key is None:
            key, is_keyed = load_key(engine.profile)
        else:
            is_keyed = True
        self.key = key
        self.keyed = is_keyed if keyed is None else keyed

    @classmethod
    def from_profile(cls, path: str | os.PathLike[str] | None = None, *, use_ner: bool | None = None,
                     key: bytes | None = None) -> Redactor:
        profile = Profile.load(Path(path) if path is not None else None)
        return cls(build_engine(profile, use_ner=use_ner), key=key)

    @property
    def profile(self) -> Profile:
        return self.engine.profile

    def conversation(self) -> Conversation:
        return Conversation(Session(self.engine, self.key))

    def redact_text(self, text: str) -> Result:
        """Sanitize one text. Raises RefusedError for a refused TLP marking."""
        return self.conversation().redact_text(text)

    def check_text(self, text: str) -> list[Finding]:
        """What `redact_text` would replace, without replacing it."""
        session = Session(self.engine, self.key)
        return [f for f in session.plan(text, session.analyze(text)) if f.decision == REPLACE]

    def redact_file(self, path: str | os.PathLike[str], out: str | os.PathLike[str]) -> FileOutcome:
        """Sanitize one file into `out` (a file path). Raises FileError if it fails."""
        session = Session(self.engine, self.key)
        src = Path(path)
        outcome, doc = analyze_file(session, 0, src, Path(src.name))
        if doc is not None:
            session.book.assign_all()
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            finish_file(session, outcome, doc, None, target=Path(out))
        if outcome.status != STATUS_WRITTEN:
            raise FileError(src, outcome.reason or "failed")
        return outcome

    def redact_batch(self, inputs: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str] | None,
                     *, options: BatchOptions | None = None) -> BatchResult:
        """Sanitize files and folders into `outdir` (None: dry run, nothing written)."""
        out = Path(outdir) if outdir is not None else None
        files, skipped = collect([Path(i) for i in inputs], out)
        opt = options or BatchOptions()
        opt.use_ner = self.engine.use_ner
        outcomes = run_batch(self.engine, self.key, files, out, opt)
        return BatchResult(outcomes=outcomes, skipped=skipped, keyed=self.keyed)
