"""The real third-party corpus (../shared/corpus/real) through `redactor redact`: every file is
written and passes verification, or is refused with a clear reason. No crash, no traceback.
Skipped cleanly where ../shared is absent (a user's clone)."""
from __future__ import annotations

import json
import time

import pytest

from conftest import SHARED, run_cli

CORPUS = SHARED / "corpus" / "real"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/real not present")

CLEAR_REASONS = ("no text layer", "password", "not a valid DOCX", "not a PDF", "cannot extract the PDF")


def test_whole_corpus_written_or_clearly_refused(tmp_path):
    inputs = [str(CORPUS / d) for d in ("text", "docx", "pdf")]
    started = time.monotonic()
    # --no-ner keeps the suite inside its time budget; `make bench` runs the corpus with NER
    res = run_cli("redact", *inputs, "-o", str(tmp_path / "out"), "--jobs", "2", "--no-ner",
                  "--report", str(tmp_path / "r.json"), env={"REDACTOR_KEY": "corpus"})
    seconds = time.monotonic() - started
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    files = report["files"]
    assert len(files) == 75
    problems = []
    for f in files:
        if f["status"] == "written":
            assert (tmp_path / "out" / f["output"]).is_file()
        elif not any(r in f["error"]["message"] for r in CLEAR_REASONS):
            problems.append(f["error"])
    assert problems == []
    # the image-only PDF is refused; at most a few files fail at all
    assert sum(f["status"] == "written" for f in files) >= 72
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    pages = sum(int(n.split("(")[1].split()[0]) for f in files for n in f.get("notes", [])
                if n.startswith("PDF converted"))
    print(f"\ncorpus: {len(files)} files, {size / 2**20:.1f} MB, {pages} PDF pages in {seconds:.0f}s: "
          f"{size / 2**20 / seconds:.2f} MB/s, {pages / seconds:.1f} pages/s (2 jobs)")
