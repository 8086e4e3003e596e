"""`redactor check`: exit codes, masked previews, formats, allow-listing, and the real
pre-commit framework running our hook in a temporary git repository."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

CFG = "samples/redactor.yaml"
LEAKY = "Host OSL-WS-1187 belongs to tnowak.\nC2 was 185.174.136.17 (kept).\n"


def test_exit_codes_and_masked_previews(tmp_path):
    leak = tmp_path / "leak.md"
    leak.write_text(LEAKY)
    clean = tmp_path / "clean.md"
    clean.write_text("C2 185.174.136.17, hash 5f4dcc3b5aa765d61d8327deb882cf99, CVE-2023-20269.\n")
    res = run_cli("check", "--config", CFG, str(leak))
    assert res.returncode == 1
    assert f"{leak}:1:6 HOSTNAME O***" in res.stdout
    assert "OSL-WS-1187" not in res.stdout and "tnowak" not in res.stdout
    assert run_cli("check", "--config", CFG, str(clean)).returncode == 0
    assert run_cli("check", "--config", str(tmp_path / "missing.yaml"), str(clean)).returncode == 2


def test_stdin_and_no_ner(tmp_path):
    exe = Path(sys.executable).with_name("redactor")
    res = subprocess.run([str(exe), "check", "--no-ner", "--config", CFG, "-"], input="user=tnowak\n",
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 1 and "-:1:6 USERNAME t***" in res.stdout


def test_json_and_sarif(tmp_path):
    leak = tmp_path / "leak.md"
    leak.write_text(LEAKY)
    data = json.loads(run_cli("check", "--config", CFG, "--format", "json", str(leak)).stdout)
    assert {f["type"] for f in data["findings"]} == {"HOSTNAME", "USERNAME"}
    sarif = json.loads(run_cli("check", "--config", CFG, "--format", "sarif", str(leak)).stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "redactor"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for r in run["results"]:
        assert r["ruleId"] == rule_ids[r["ruleIndex"]]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert "OSL-WS-1187" not in json.dumps(r) and "tnowak" not in json.dumps(r)


def test_inline_markers_and_baseline(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("user=tnowak  <!-- redactor: allow -->\n<!-- redactor: allow-next-line -->\nhost OSL-WS-1187\n"
                 "Ping Priya Raman\n")
    res = run_cli("check", "--config", CFG, str(f), "--show-allowed")
    assert res.returncode == 1
    assert "USERNAME t*** ALLOWED (inline)" in res.stdout
    assert "HOSTNAME O*** ALLOWED (inline-next-line)" in res.stdout
    base = tmp_path / ".redactor-baseline.json"
    assert run_cli("check", "--config", CFG, str(f), "--baseline", str(base), "--update-baseline").returncode == 0
    stored = base.read_text()
    assert "Priya" not in stored and "Raman" not in stored and '"hash"' in stored
    assert run_cli("check", "--config", CFG, str(f), "--baseline", str(base)).returncode == 0
    f.write_text(f.read_text() + "new leak: Marcus Webb\n")
    res = run_cli("check", "--config", CFG, str(f), "--baseline", str(base))
    assert res.returncode == 1 and "PERSON M***" in res.stdout and "PERSON P***" not in res.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_pre_commit_framework_runs_the_hook(tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    env.pop("REDACTOR_KEY", None)

    def git(*args, cwd):
        return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)

    hooks = tmp_path / "hooks-repo"  # our .pre-commit-hooks.yaml, served from a local git repo
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    git("init", "-q", cwd=hooks)
    git("add", ".", cwd=hooks)
    git("commit", "-qm", "hooks", cwd=hooks)
    rev = git("rev-parse", "HEAD", cwd=hooks).stdout.strip()

    work = tmp_path / "reports"
    work.mkdir()
    git("init", "-q", cwd=work)
    shutil.copy(ROOT / CFG, work / "redactor.yaml")
    for name in ("employees.csv", "customers.txt"):
        shutil.copy(ROOT / "samples" / name, work / name)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n  - id: redactor-check\n")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    (work / "clean.md").write_text("C2 185.174.136.17 and CVE-2023-20269\n")
    git("add", "clean.md", cwd=work)
    ok = subprocess.run([*pre_commit, "run"], cwd=work, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (work / "leak.md").write_text("Nowak logged on to OSL-WS-1187\n")
    git("add", "leak.md", cwd=work)
    bad = subprocess.run([*pre_commit, "run"], cwd=work, env=env, capture_output=True, text=True)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "leak.md:1:" in bad.stdout and "HOSTNAME O***" in bad.stdout
    assert "OSL-WS-1187" not in bad.stdout.replace("leak.md", "")
