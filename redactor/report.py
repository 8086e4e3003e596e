"""Reports (DESIGN.md §8): counts by type, positions, scores, recognizers, decisions.

Never an original value: files are named by their position in the batch and their sanitized
output name; the input is identified by its SHA-256 only. No timestamps, so a report of a
keyed run is reproducible byte for byte.
"""
from __future__ import annotations

import bisect
import json
from collections import Counter
from pathlib import Path
from typing import Any

from . import __version__
from .batch import (STATUS_CURRENT, STATUS_DRY, STATUS_FAILED, STATUS_REFUSED, STATUS_WRITTEN, BatchResult,
                    FileOutcome)
from .workers import DONE_AGAIN

REPORT_VERSION = 1


def _position(outcome: FileOutcome, offset: int) -> tuple[int, int]:
    starts = outcome.line_starts or [0]
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def file_record(o: FileOutcome, outdir: Path | None) -> dict[str, Any]:
    rec: dict[str, Any] = {"index": o.index, "status": o.status, "input_sha256": o.sha256,
                           "chars": o.chars}
    if o.output is not None:
        rec["output"] = str(o.output.relative_to(outdir)) if outdir else o.output.name
    if o.reason:
        rec["error"] = {"kind": o.error_kind, "message": o.reason}
    rec["replaced"] = dict(sorted(o.replaced.items()))
    rec["kept"] = dict(sorted(o.kept.items()))
    rec["findings"] = []
    for f in o.findings:
        line, col = _position(o, f.start)
        rec["findings"].append({"type": f.entity_type, "line": line, "column": col,
                                "length": f.end - f.start, "score": f.score,
                                "recognizer": f.recognizer, "decision": f.decision})
    if o.findings_omitted:
        rec["findings_omitted"] = o.findings_omitted   # a streamed file lists its first findings only
    if o.notes:
        rec["notes"] = o.notes
    return rec


def totals(result: BatchResult) -> dict[str, Any]:
    status = Counter(o.status for o in result.outcomes)
    replaced: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for o in result.outcomes:
        replaced.update(o.replaced)
        kept.update(o.kept)
    return {
        "files": len(result.outcomes), "written": status[STATUS_WRITTEN], "dry_run": status[STATUS_DRY],
        "current": status[STATUS_CURRENT],
        "failed": status[STATUS_FAILED], "refused": status[STATUS_REFUSED],
        "skipped": len(result.skipped),
        "replaced_by_type": dict(sorted(replaced.items())), "kept_by_type": dict(sorted(kept.items())),
    }


def to_json(result: BatchResult, outdir: Path | None) -> str:
    doc = {
        "report_version": REPORT_VERSION,
        "tool": {"name": "redactor", "version": __version__},
        "pseudonyms": {"keyed": result.keyed},
        "summary": totals(result),
        "files": [file_record(o, outdir) for o in result.outcomes],
        "skipped_extensions": dict(sorted(Counter(p.suffix.lower() or "(none)" for p in result.skipped).items())),
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"


def problems(result: BatchResult) -> list[str]:
    """One line per file that failed or was refused, with why."""
    return [f"{o.status.upper()}: {o.source}: {o.reason}" for o in result.outcomes
            if o.status in (STATUS_FAILED, STATUS_REFUSED)]


def summary_text(result: BatchResult, seconds: float, jobs: int | None = None) -> str:
    """The CLI's summary; `jobs`: the `--jobs` it ran with (the default is worth seeing: the cores
    this process may use, `redactor.cores`)."""
    t = totals(result)
    chars = sum(o.chars for o in result.outcomes)
    lines = [
        f"redactor: {t['files']} file(s): {t['written']} written, {t['current']} current (--resume), "
        f"{t['dry_run']} analyzed (dry run), "
        f"{t['failed']} failed, {t['refused']} refused, {t['skipped']} skipped "
        f"[{chars / 1000:.1f}k chars in {seconds:.1f}s" + (f", --jobs {jobs}]" if jobs else "]"),
    ]
    if t["replaced_by_type"]:
        lines.append("  replaced: " + ", ".join(f"{k} {v}" for k, v in t["replaced_by_type"].items()))
    if t["kept_by_type"]:
        lines.append("  kept:     " + ", ".join(f"{k} {v}" for k, v in t["kept_by_type"].items()))
    lines += [f"  {line}" for line in problems(result)]
    lines += [f"  done again, alone, after a worker process died: {o.source}" for o in result.outcomes
              if DONE_AGAIN in o.notes]
    for p in result.skipped[:20]:
        why = "symlink, not followed" if p.is_symlink() else "unsupported format"
        lines.append(f"  skipped ({why}): {p}")
    if len(result.skipped) > 20:
        lines.append(f"  ... and {len(result.skipped) - 20} more skipped")
    return "\n".join(lines)
