"""Shared by the samples test and `make run`-style checks: compare outputs to expectations."""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def output_text(path: Path) -> str:
    """The text a reader of the output sees (email bodies decoded)."""
    if path.suffix == ".eml":
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        parts = [f"{k}: {v}" for k, v in msg.items()]
        parts += [p.get_content() for p in msg.walk() if p.get_content_maintype() == "text"]
        return "\n".join(parts) + "\n" + path.read_text(encoding="utf-8", errors="replace")
    return path.read_text(encoding="utf-8")


def expectations() -> dict[str, dict[str, list[str]]]:
    out = {}
    for f in sorted((SAMPLES / "expected").glob("*.yaml")):
        out[f.name[: -len(".yaml")]] = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return out


def problems(report: dict, outdir: Path) -> list[str]:
    """Leaks and lost indicators, per report, using the audit report's index -> output map."""
    inputs = sorted(p.name for p in (SAMPLES / "reports").iterdir() if not p.name.startswith("."))
    found = []
    exp = expectations()
    for rec in report["files"]:
        name = inputs[rec["index"]]
        if rec["status"] != "written":
            found.append(f"{name}: not written ({rec.get('error')})")
            continue
        text = output_text(outdir / rec["output"])
        low = text.lower()
        for value in map(str, exp[name]["must_remove"]):
            if value.lower() in low:
                found.append(f"{name}: LEAK {value!r}")
        for value in map(str, exp[name]["must_keep"]):
            if value not in text:
                found.append(f"{name}: LOST {value!r}")
    return found
