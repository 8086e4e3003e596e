"""Output formats of `redactor check`: text lines, JSON, SARIF 2.1.0 (GitHub code scanning)."""
from __future__ import annotations

import json
from collections import Counter

from . import __version__
from .check import CheckResult
from .stream import MAX_LISTED, STREAM_BYTES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_text(result: CheckResult, *, show_allowed: bool = False) -> str:
    lines = [f"{f.path}:{f.line}:{f.column} {f.entity_type} {f.preview}" for f in result.reported]
    if show_allowed:
        lines += [f"{f.path}:{f.line}:{f.column} {f.entity_type} {f.preview} ALLOWED ({f.allowed_by})"
                  for f in result.allowed]
    lines += [f"{path}: {_not_listed(counts, show_allowed)}" for path, counts in result.not_listed.items()
              if counts[""] or show_allowed]
    lines += [f"{path}: ERROR {message}" for path, message in result.errors]
    return "\n".join(lines)


def _not_listed(counts: Counter[str], show_allowed: bool) -> str:
    allowed = sum(n for by, n in counts.items() if by)
    return (f"{counts['']:,} more finding(s) not listed" + (f", {allowed:,} allowed" if show_allowed else "")
            + f" (a file over {STREAM_BYTES // 2**20} MB lists its first {MAX_LISTED:,})")


def as_json(result: CheckResult, *, show_allowed: bool = False) -> str:
    keep = result.findings if show_allowed else result.reported
    return json.dumps({
        "format_version": 1,
        "files_checked": result.files,
        "findings": [{"path": f.path, "line": f.line, "column": f.column, "type": f.entity_type,
                      "preview": f.preview, "recognizer": f.recognizer, "score": f.score,
                      "allowed_by": f.allowed_by} for f in keep],
        "errors": [{"path": p, "message": m} for p, m in result.errors],
        "not_listed": [{"path": p, "findings": c[""], "allowed": {by: n for by, n in sorted(c.items()) if by}}
                       for p, c in result.not_listed.items()],
    }, indent=2)


def as_sarif(result: CheckResult) -> str:
    types = sorted({f.entity_type for f in result.reported})
    rules = [{"id": t, "name": t.title().replace("_", ""),
              "shortDescription": {"text": f"{t} that identifies the reporting organisation"},
              "defaultConfiguration": {"level": "error"}} for t in types]
    results = [{
        "ruleId": f.entity_type,
        "ruleIndex": types.index(f.entity_type),
        "level": "error",
        "message": {"text": f"{f.entity_type} ({f.preview}) would be replaced by redactor before sharing"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f.path.lstrip("./") if f.path != "-" else "stdin"},
            "region": {"startLine": f.line, "startColumn": f.column},
        }}],
        "partialFingerprints": {"redactorFinding/v1": f.fingerprint},
    } for f in result.reported]
    run: dict[str, object] = {
        "tool": {"driver": {"name": "redactor", "version": __version__, "rules": rules}},
        "results": results,
    }
    notes = [{"level": "warning", "message": {"text": _not_listed(counts, False)},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": path.lstrip("./")}}}]}
             for path, counts in result.not_listed.items() if counts[""]]
    if notes:   # results left out for size: said where a reader of the log sees it
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notes}]
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
