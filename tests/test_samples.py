"""The whole samples batch through the real CLI: zero leaks, zero indicators lost."""
from __future__ import annotations

import json

from conftest import ROOT, run_cli
from samples_check import expectations, problems


def test_samples_batch_no_leaks_no_lost_indicators(tmp_path):
    out = tmp_path / "out"
    res = run_cli("redact", "samples/reports", "-o", str(out), "--config", "samples/redactor.yaml",
                  "--report", str(tmp_path / "report.json"), "--jobs", "2",
                  env={"REDACTOR_KEY": "samples-test"})
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["written"] == len(expectations()) >= 8
    assert problems(report, out) == []


def test_report_never_holds_original_values(tmp_path):
    out = tmp_path / "out"
    res = run_cli("redact", "samples/reports", "-o", str(out), "--config", "samples/redactor.yaml",
                  "--report", str(tmp_path / "report.json"), "--jobs", "1")
    assert res.returncode == 0, res.stderr
    report_text = (tmp_path / "report.json").read_text().lower()
    for name, exp in expectations().items():
        for value in exp["must_remove"]:
            if len(value) >= 5:
                assert value.lower() not in report_text, f"{name}: {value!r} in report"


def test_summary_lists_counts_and_says_when_not_keyed(tmp_path):
    res = run_cli("redact", "samples/reports", "-o", str(tmp_path / "o"), "--config",
                  "samples/redactor.yaml", "--jobs", "1")
    assert res.returncode == 0
    assert "9 written" in res.stdout and "PERSON" in res.stdout
    assert res.stderr.count("stable within this run only") == 1


def test_keyed_runs_are_byte_identical_and_jobs_do_not_matter(tmp_path):
    outs = []
    for i, jobs in enumerate(("1", "2", "2")):
        out = tmp_path / f"o{i}"
        res = run_cli("redact", "samples/reports", "-o", str(out), "--config", "samples/redactor.yaml",
                      "--jobs", jobs, "--report", str(out / "report.json"), env={"REDACTOR_KEY": "k1"})
        assert res.returncode == 0, res.stderr
        outs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outs[0] == outs[1] == outs[2]
    other = tmp_path / "other"
    run_cli("redact", "samples/reports", "-o", str(other), "--config", "samples/redactor.yaml",
            "--jobs", "1", env={"REDACTOR_KEY": "k2"})
    changed = [rel for rel, data in outs[0].items()
               if rel.name != "report.json" and (other / rel).read_bytes() != data]
    assert len(changed) >= 8  # another key, other pseudonyms


def test_originals_are_untouched(tmp_path):
    reports = ROOT / "samples" / "reports"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in reports.iterdir()}
    run_cli("redact", str(reports), "-o", str(tmp_path / "o"), "--config", "samples/redactor.yaml",
            "--jobs", "1")
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in reports.iterdir()}
    assert before == after
