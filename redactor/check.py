"""`redactor check`: what `redact` would replace, for hooks and CI (never the values).

Findings can be allowed two ways, both auditable (`--show-allowed` lists them):
- inline: `redactor: allow` on the line, or `redactor: allow-next-line` on the line before;
- a baseline file (`--baseline`, written by `--update-baseline`) holding salted hashes of
  (type, value) per file — like detect-secrets, it never stores a value.
"""
from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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

    @property
    def reported(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.allowed_by is None]

    @property
    def allowed(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.allowed_by is not None]


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

    def save(self, path: Path, findings: list[CheckFinding]) -> None:
        data = {
            "version": BASELINE_VERSION,
            "generated_by": "redactor check --update-baseline",
            "salt": self.salt.hex(),
            "allowed": [{"path": f.path, "type": f.entity_type, "hash": f.fingerprint}
                        for f in sorted(findings, key=lambda f: (f.path, f.line, f.column))],
        }
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def check_text(session: Session, text: str, path: str, baseline: Baseline,
               findings: list[Finding] | None = None) -> list[CheckFinding]:
    """Check one text; `findings` from an earlier `session.analyze(text)` are reused."""
    planned = session.plan(text, session.analyze(text) if findings is None else findings)
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
        if ALLOW.search(lines[idx]):
            cf.allowed_by = "inline"
        elif idx > 0 and ALLOW_NEXT.search(lines[idx - 1]):
            cf.allowed_by = "inline-next-line"
        elif (path, f.entity_type, fp) in baseline.entries:
            cf.allowed_by = "baseline"
        out.append(cf)
    return out


def check_documents(session: Session, items: list[tuple[str, Path | str]], baseline: Baseline) -> CheckResult:
    """`items`: (display path, file path or literal text for stdin)."""
    from .documents import read_document

    result = CheckResult()
    texts: list[tuple[str, str, list[Finding]]] = []
    for shown, src in items:
        try:
            text = src if isinstance(src, str) else read_document(src).text
        except FileError as exc:
            result.errors.append((shown, exc.message))
            continue
        # first pass: the table learns every entity of every file; the findings are kept
        texts.append((shown, text, session.analyze(text)))
    for _, text, findings in texts:
        session.relearn(kept_names(text, findings))
    session.book.assign_all()
    for shown, text, findings in texts:
        result.findings.extend(check_text(session, text, shown, baseline, findings))
        result.files += 1
    return result
