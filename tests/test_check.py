"""`redactor check`: exit codes, masked previews, formats, allow-listing, and the real
pre-commit framework running our hook in a temporary git repository."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
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


def _big_report(lines: int) -> str:
    """Leaks on most lines, some allowed inline, CRLF and non-ASCII text, and a long line with a marker."""
    users = ["tnowak", "smarquez", "praman"]
    out = []
    for i in range(lines):
        if i % 7 == 3:
            out.append("<!-- redactor: allow-next-line -->\n")
        tail = "  <!-- redactor: allow -->" if i % 5 == 0 else ""
        end = "\r\n" if i % 4 == 0 else "\n"
        out.append(f"{i} Zoë saw user={users[i % 3]} on OSL-WS-{1000 + i} (C2 185.174.136.17){tail}{end}")
    return "".join(out)


def test_a_big_file_is_checked_in_windows_as_it_is_read_whole(engine, tmp_path, monkeypatch):
    """Over STREAM_BYTES a text is checked in `redact`'s windows (memory stays flat): the same findings,
    lines, columns, fingerprints and allowances as reading it whole, whatever the window size. A marker on
    a line longer than a window's context margin is not seen there: the finding is reported (stricter)."""
    from redactor import check as chk
    from redactor import stream
    from redactor.session import Session

    path = tmp_path / "big.log"
    long_line = "redactor: allow " + "x " * 1_000 + "user=tnowak\n"
    path.write_bytes((_big_report(60) + long_line + _big_report(40)).encode())
    whole_session = Session(engine, b"k")
    first = chk.check_documents(whole_session, [("big.log", path)], chk.Baseline(b"s" * 16, set()))
    hosts = [f for f in first.findings if f.entity_type == "HOSTNAME"]
    baseline = chk.Baseline(b"s" * 16, {("big.log", f.entity_type, f.fingerprint) for f in hosts[1::4]})
    whole = chk.check_documents(Session(engine, b"k"), [("big.log", path)], baseline).findings
    assert {f.allowed_by for f in whole} == {None, "inline", "inline-next-line", "baseline"}
    at_long = [i for i, f in enumerate(whole) if f.column > 2_000]
    assert len(at_long) == 1 and whole[at_long[0]].allowed_by == "inline"
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    for size in (700, 1_500, 10**6):
        monkeypatch.setattr(stream, "WINDOW_CHARS", size)
        result = chk.check_documents(Session(engine, b"k"), [("big.log", path)], baseline)
        assert not result.errors and not result.not_listed and result.files == 1
        streamed = result.findings
        if size < 2_000:   # the long line is never whole in a window
            assert streamed[at_long[0]].allowed_by is None
            streamed[at_long[0]].allowed_by = "inline"
        assert streamed == whole, size
    assert not list(tmp_path.glob(stream.CACHE_PREFIX + "*"))


def test_a_big_file_lists_its_first_findings_and_counts_the_rest(tmp_path, monkeypatch):
    """Past MAX_LISTED a streamed file's findings are counted, not listed (text, JSON, SARIF say so); one
    reported among them fails the check though every listed one is allowed, and --update-baseline
    takes them all in."""
    import gc

    from click.testing import CliRunner

    from redactor import stream
    from redactor.cli import main

    monkeypatch.setattr(stream, "STREAM_BYTES", 1_000)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    monkeypatch.setattr(stream, "MAX_LISTED", 3)
    path = tmp_path / "big.log"
    path.write_text("user=tnowak  # redactor: allow\n" * 3 + _big_report(30))
    base = tmp_path / "baseline.json"
    thresholds = gc.get_threshold()

    def check(*args: str) -> tuple[int, str]:
        res = CliRunner().invoke(main, ["check", "--no-ner", "--config", CFG, str(path), *args])
        return res.exit_code, res.output

    try:
        code, out = check("--show-allowed")
        assert code == 1 and out.count("ALLOWED (inline)") == 3 and "USERNAME" in out
        assert f"{path}: " in out and "more finding(s) not listed" in out and "allowed" in out
        code, out = check()
        listed = [line for line in out.splitlines() if line.startswith(f"{path}:") and "not listed" not in line]
        assert code == 1 and not listed
        data = json.loads(check("--format", "json")[1])
        assert data["findings"] == [] and data["not_listed"][0]["path"] == str(path)
        more = data["not_listed"][0]["findings"]
        assert more > 30 and data["not_listed"][0]["allowed"]["inline"] > 0
        sarif = json.loads(check("--format", "sarif")[1])
        note, = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert f"{more:,} more finding(s) not listed" in note["message"]["text"]
        code, out = check("--baseline", str(base), "--update-baseline")
        assert code == 0 and f"now allows {more} finding(s)" in out
        assert "tnowak" not in base.read_text() and len(json.loads(base.read_text())["allowed"]) > 10
        assert check("--baseline", str(base)) == (0, "")
        path.write_text(path.read_text() + "new leak: user=jdoe7 on OSL-WS-9999\n")
        code, out = check("--baseline", str(base))
        assert code == 1 and out.startswith(f"{path}: 2 more finding(s) not listed"), out   # a user and a host
    finally:
        gc.set_threshold(*thresholds)
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{stream.CACHE_PREFIX}{os.getpid()}-*"))


def test_a_window_looks_for_inline_markers_in_whole_lines_only():
    """A line cut by the window's edge might show `redactor: allow` of a cut `allow-next-line` (or lose
    a marker): such a line is not consulted, so the finding is reported."""
    from redactor.check import _lines_around

    text = "a redactor: allow-next-line\nuser=tnowak here\nend"
    at = text.index("tnowak")
    start = text.index("user")
    assert _lines_around(text, start, at, first=True, last=True) == ("user=tnowak here", "a redactor: allow-next-line")
    assert _lines_around(text, start, at, first=False, last=True) == ("user=tnowak here", None)   # cut before
    whole = ("user=tnowak here", "a redactor: allow-next-line")
    assert _lines_around(text[:-3], start, at, first=True, last=False) == whole
    assert _lines_around(text[:start + 9], start, at, first=True, last=False) == (None, "a redactor: allow-next-line")
    assert _lines_around(text[:start + 9], start, at, first=True, last=True)[0] == "user=tnow"   # the file's end
    assert _lines_around(text, -5, at, first=True, last=True) == (None, None)   # it began before the window
    assert _lines_around(text, 0, 2, first=True, last=True) == ("a redactor: allow-next-line", None)


def test_a_big_file_that_changes_between_the_passes_is_not_checked(engine, tmp_path, monkeypatch):
    """Pass 1's findings are positions in what it read: a file replaced before pass 2 reads it again is an
    error (exit 1, nothing listed for it), not findings placed on the wrong text; the other files are checked.
    No window cache is left, and the one a check killed outright left is removed."""
    from redactor import check as chk
    from redactor import stream
    from redactor.session import Session

    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    big, other = tmp_path / "big.log", tmp_path / "other.log"
    big.write_text(_big_report(30))
    other.write_text(_big_report(3))
    session = Session(engine, b"k")
    relearn = session.relearn

    def between_the_passes(kept) -> None:   # type: ignore[no-untyped-def]
        big.write_text("quiet now\n" * 300)
        relearn(kept)

    monkeypatch.setattr(session, "relearn", between_the_passes)
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"{stream.CACHE_PREFIX}{dead.pid}-x.pickle"   # a killed check's
    stale.write_bytes(b"")
    result = chk.check_documents(session, [("big.log", big), ("other.log", other)], chk.Baseline(b"s" * 16, set()))
    assert result.errors == [("big.log", "the input changed during the check; run it again")]
    assert result.files == 1 and {f.path for f in result.findings} == {"other.log"} and result.failed
    assert not stale.exists() and not list(Path(tempfile.gettempdir()).glob(stream.CACHE_PREFIX + "*"))


# --- --jobs: pass 1 over worker processes (redactor/check_workers.py) -----------------------------

PROPAGATES_FROM = "Logon by HALVORSEN\\mkowalczyk from OSL-WS-2231.example at 02:14; ticket raised by Dagny Fosse.\n"
PROPAGATES_TO = "Later mkowalczyk phoned the desk, and Fosse closed the ticket; see OSL-WS-2231 too.\n"


def _mixed_items(folder: Path) -> list[tuple[str, Path | str]]:
    """The samples, a PDF, a DOCX, a file that cannot be read, a log read in windows, stdin's text, and
    files whose user name and surname are found only because another file names them (pass 1's table)."""
    import docx
    from pdfmaker import make_pdf, page_stream

    folder.mkdir()
    (folder / "a.md").write_text(PROPAGATES_TO)     # before the file that names them: found by pass 1's table
    (folder / "b.md").write_text(PROPAGATES_FROM)
    make_pdf(folder / "c.pdf", [page_stream(["Incident on OSL-SRV-0042 (10.14.2.21) by HALVORSEN\\tnowak."])])
    d = docx.Document()
    d.add_paragraph("Marcus Webb reset the password of svc_deploy on OSL-WS-1187.")
    d.save(str(folder / "d.docx"))
    (folder / "e.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "f.log").write_text(_big_report(120) + PROPAGATES_TO)   # over STREAM_BYTES in the tests below
    items: list[tuple[str, Path | str]] = [(str(p), p) for p in sorted((ROOT / "samples" / "reports").iterdir())]
    items += [(str(p), p) for p in sorted(folder.iterdir())]
    return items + [("-", "user=tnowak on OSL-WS-1187\n")]


def _small_windows(monkeypatch) -> None:   # type: ignore[no-untyped-def]
    """f.log (~8 KB) is read in windows, 8 of them, as a log over 4 MB is."""
    from redactor import stream

    monkeypatch.setattr(stream, "STREAM_BYTES", 6_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 500)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)


def _by_jobs(engine, items):   # type: ignore[no-untyped-def]
    """`check_documents` of `items` with --jobs 1 and 2: jobs -> its result, and jobs -> the CPU seconds its
    worker processes spent (none with one job)."""
    import resource

    from redactor import check
    from redactor.session import Session

    results, children_cpu = {}, {}
    for jobs in (1, 2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        results[jobs] = check.check_documents(Session(engine, b"k"), items, check.Baseline(b"s", set()), jobs=jobs)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children_cpu[jobs] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return results, children_cpu


def test_check_jobs_find_what_one_process_finds(engine, tmp_path, monkeypatch):
    from redactor import check_workers

    monkeypatch.setattr(check_workers, "POOL_FROM_BYTES", 0)   # small files: the pool all the same
    _small_windows(monkeypatch)
    items = _mixed_items(tmp_path / "in")
    results, children_cpu = _by_jobs(engine, items)
    one, two = results[1], results[2]
    assert two.findings == one.findings and two.errors == one.errors and two.files == one.files
    assert [e[0] for e in one.errors] == [str(tmp_path / "in" / "e.pdf")]
    a = str(tmp_path / "in" / "a.md")
    assert {(f.entity_type, f.recognizer) for f in two.findings if f.path == a} >= {
        ("USERNAME", "EntityTable"), ("PERSON", "EntityTable")}   # b.md's registrations, replayed in pass 1
    assert {f.path for f in two.findings} >= {str(tmp_path / "in" / n) for n in ("c.pdf", "d.docx")} | {"-"}
    f_log = str(tmp_path / "in" / "f.log")
    assert len([f for f in two.findings if f.path == f_log]) > 200
    assert {(f.entity_type, f.recognizer) for f in two.findings if f.path == f_log} >= {
        ("USERNAME", "EntityTable"), ("PERSON", "EntityTable")}
    assert children_cpu[1] < 0.05 and children_cpu[2] > 0.1, children_cpu   # the analysis ran in the workers


def dies_on_b(session, src, analyzed=None, windowed=False):   # type: ignore[no-untyped-def]
    """`check.first_pass`, except that a worker given b.md is killed (SIGKILL) with it in hand."""
    import signal

    from redactor import check

    if not isinstance(src, str) and src.name == "b.md" and os.getpid() != PARENT[0]:
        (src.parent / "killed").write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return check.first_pass(session, src, analyzed, windowed)


PARENT = [os.getpid()]   # the test's process: where b.md is analyzed once its worker died


def test_a_worker_that_dies_costs_the_check_nothing(engine, tmp_path, monkeypatch):
    from redactor import check, check_workers, stream
    from redactor.session import Session

    monkeypatch.setattr(check_workers, "POOL_FROM_BYTES", 0)
    _small_windows(monkeypatch)
    PARENT[0] = os.getpid()
    items = _mixed_items(tmp_path / "in")

    def firsts(jobs: int, first_pass) -> list[tuple[str, object]]:   # type: ignore[no-untyped-def]
        session = Session(engine, b"k")
        got: list[tuple[str, object]] = []
        for shown, first in check_workers.first_passes(session, items, jobs, first_pass):
            if not isinstance(first, str) and isinstance(first[0], check._Streamed):   # its findings: in its cache
                cache = Path(first[0].cache)
                first = (first[0].sha256, cache.read_bytes())
                cache.unlink()
            got.append((shown, first))
        return got + [("table", sorted(session.table.log()))]

    assert firsts(2, dies_on_b) == firsts(1, check.first_pass)
    assert int((tmp_path / "in" / "killed").read_text()) != os.getpid()   # a worker did die with b.md


def test_a_big_file_alone_is_checked_on_every_core(engine, tmp_path, monkeypatch):
    """Its windows are analyzed in the workers (their registrations replayed in window order): the same
    findings as one process, the analysis's CPU time spent in the workers."""
    _small_windows(monkeypatch)
    big = tmp_path / "f.log"
    big.write_text(PROPAGATES_TO + _big_report(120) + PROPAGATES_FROM)   # names it uses first, named last
    results, children_cpu = _by_jobs(engine, [(str(big), big)])
    assert results[2].findings == results[1].findings and results[2].errors == results[1].errors == []
    assert {(f.line, f.entity_type, f.recognizer) for f in results[2].findings if f.line == 1} >= {
        (1, "USERNAME", "EntityTable"), (1, "PERSON", "EntityTable")}   # named only in the last window
    assert children_cpu[1] < 0.05 and children_cpu[2] > 0.1, children_cpu


def test_a_file_that_would_keep_one_core_busy_alone_is_checked_on_every_core(engine, tmp_path, monkeypatch):
    """A text file too small to stream, checked beside a small one: with --jobs its windows are analyzed in
    the workers (`stream.split_for_workers`, as `redact` does), and every finding is listed with the line,
    column and allowance that reading it whole gives, none held back by the big files' listing cap."""
    from redactor import stream

    monkeypatch.setattr(stream, "SPLIT_BYTES", 2_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 500)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    monkeypatch.setattr(stream, "MAX_LISTED", 25)   # for files over STREAM_BYTES only
    big, small = tmp_path / "f.log", tmp_path / "g.md"
    big.write_text(PROPAGATES_TO + _big_report(120) + PROPAGATES_FROM)   # names it uses first, named last
    small.write_text(PROPAGATES_TO)
    items: list[tuple[str, Path | str]] = [(str(big), big), (str(small), small)]
    calls, window_rows = [], stream.window_rows
    monkeypatch.setattr(stream, "window_rows", lambda *a: calls.append(os.getpid()) or window_rows(*a))
    results, children_cpu = _by_jobs(engine, items)
    assert calls == []   # the workers' calls are not seen here, and jobs 1 reads it whole
    assert stream.split_for_workers([big, small], [big.stat().st_size, small.stat().st_size], 2) == {0}
    one, two = results[1], results[2]
    assert two.findings == one.findings and two.errors == one.errors == [] and not two.not_listed
    listed = [f for f in two.findings if f.path == str(big)]
    assert len(listed) > 200 and {f.allowed_by for f in listed} == {None, "inline", "inline-next-line"}
    assert {(f.entity_type, f.recognizer) for f in listed if f.line == 1} >= {
        ("USERNAME", "EntityTable"), ("PERSON", "EntityTable")}   # named only in the last window
    assert children_cpu[1] < 0.05 and children_cpu[2] > 0.1, children_cpu


def test_a_worker_that_dies_under_a_window_costs_the_check_nothing(engine, tmp_path, monkeypatch):
    """The big file is then analyzed again in the main process: the same findings as one process."""
    import signal

    from redactor import check, stream
    from redactor.session import Session

    _small_windows(monkeypatch)
    big = tmp_path / "f.log"
    big.write_text(PROPAGATES_TO + _big_report(120) + PROPAGATES_FROM)
    parent, window_rows = os.getpid(), stream.window_rows

    def dies_in_a_worker(session, w):   # type: ignore[no-untyped-def]
        if os.getpid() != parent and w.start > 0:   # the workers inherit it by fork
            (tmp_path / "killed").write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return window_rows(session, w)

    alone = check.check_documents(Session(engine, b"k"), [(str(big), big)], check.Baseline(b"s", set()), jobs=1)
    monkeypatch.setattr(stream, "window_rows", dies_in_a_worker)
    spread = check.check_documents(Session(engine, b"k"), [(str(big), big)], check.Baseline(b"s", set()), jobs=2)
    assert int((tmp_path / "killed").read_text()) != os.getpid()   # a worker did die with a window
    assert spread.findings == alone.findings and spread.errors == alone.errors == []


def test_a_file_that_cannot_be_read_is_reported_without_redact_words(engine, tmp_path):
    """A reader's refusal ends in "nothing written" for `redact`; `check` writes nothing, and says only why."""
    from redactor import check
    from redactor.session import Session

    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    items: list[tuple[str, Path | str]] = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    errors = dict(check.check_documents(Session(engine, b"k"), items, check.Baseline(b"s", set())).errors)
    assert errors["empty.md"] == "empty file (0 bytes); nothing to sanitize"
    assert errors["broken.pdf"].startswith("cannot extract the PDF (") and errors["broken.pdf"].endswith(")")
    assert not [e for e in errors.values() if "written" in e]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_name_kept_in_a_big_file_is_found_once_another_file_makes_it_ours(engine, tmp_path, monkeypatch, jobs):
    """A log read in windows holds mkowalski@corp.kestrel-maritime.no, kept when pass 1 reads it (nothing says
    that domain is ours yet); the file after it says it is. Between the passes the address is registered, as
    for a file read whole, so the bare user name in the report before the log is found too."""
    from redactor import check, stream
    from redactor.session import Session

    _small_windows(monkeypatch)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("Later that day mkowalski went home.\n")
    (folder / "b.log").write_text("".join(f"2024-05-11T10:{i % 60:02d}:00Z login ok by mkowalski@corp.kestrel-"
                                          f"maritime.no from 185.174.136.{i % 200}\n" for i in range(100)))
    (folder / "c.md").write_text("ipconfig /all\n\n   Connection-specific DNS Suffix  . : corp.kestrel-maritime.no\n")
    items = [(p.name, p) for p in sorted(folder.iterdir())]
    assert stream.is_streamed(folder / "b.log")
    result = check.check_documents(Session(engine, b"k"), items, check.Baseline(b"s", set()), jobs=jobs)
    assert [(f.line, f.column, f.entity_type, f.preview) for f in result.findings if f.path == "a.md"] == [
        (1, 16, "USERNAME", "m***")]
    assert len([f for f in result.findings if f.path == "b.log" and f.entity_type == "EMAIL_ADDRESS"]) == 100


def test_check_lists_exactly_what_redact_replaces(engine, tmp_path):
    """`check` plans without naming (no pseudonym is drawn: pass 1 registered everything), and lists
    every replacement `redact` makes in the same files, at its line and column: the samples, a PDF, a DOCX,
    and files whose names are found only because another file names them."""
    import bisect

    from redactor import check
    from redactor.batch import BatchOptions, collect, run_batch
    from redactor.findings import REPLACE
    from redactor.session import Session

    items = [(shown, src) for shown, src in _mixed_items(tmp_path / "in")
             if isinstance(src, Path) and src.suffix != ".log" and src.name != "e.pdf"]
    files, _ = collect([src for _, src in items], tmp_path / "out")
    replaced = {}
    for o in run_batch(engine, b"k", files, tmp_path / "out", BatchOptions(jobs=1)):
        assert o.output is not None, o.reason
        replaced[str(o.source)] = sorted(
            (bisect.bisect_right(o.line_starts, f.start), f.start - o.line_starts[bisect.bisect_right(
                o.line_starts, f.start) - 1] + 1, f.entity_type) for f in o.findings if f.decision == REPLACE)
    listed = check.check_documents(Session(engine, b"k"), items, check.Baseline(b"s", set()), jobs=1)
    assert not listed.errors and listed.files == len(items) == len(replaced) > 10
    for shown, src in items:
        assert sorted((f.line, f.column, f.entity_type) for f in listed.findings if f.path == shown) == \
            replaced[str(src)], shown
    assert sum(map(len, replaced.values())) > 150
