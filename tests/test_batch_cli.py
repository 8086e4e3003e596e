"""`redactor redact` behaviour: layout, skips, fail closed per file, TLP gate, dry run, eml."""
from __future__ import annotations

import base64
import email
import email.policy
import json
from email.message import EmailMessage

import pytest

from conftest import run_cli

CFG = "samples/redactor.yaml"


def make_tree(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.md").write_text("# A\nTomasz Nowak used fs01.hb.local from 10.14.7.88\n")
    (src / "sub" / "b.log").write_text("ts=1 host=fs01 user=tnowak dst=185.174.136.17\n")
    (src / "c.bin").write_bytes(b"\x00\x01")
    (src / "broken.txt").write_bytes(b"caf\xe9 au lait \xff\xfe for tnowak")  # not UTF-8
    (src / "nul.log").write_bytes(b"PK\x03\x04\x00\x00binary")
    (src / "red.md").write_text("TLP:RED\nosl-srv-0042 details\n")
    return src


def test_a_kubernetes_secret_and_an_event_export_are_read_as_text(tmp_path):
    """A report's folder holds what it quotes: `kubectl get secret -o yaml` (every data value is a secret,
    whatever its key: a key, a connection string), Event Viewer's XML export. Same format out."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "payroll-db.yaml").write_text(
        "apiVersion: v1\ndata:\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lC\n"
        "  DB_URL: cG9zdGdyZXM6Ly9wYXlyb2xsOlN1cDNyUzNjcmV0IUBkYjAx\nkind: Secret\nmetadata:\n  name: payroll-db\n")
    (src / "4624.xml").write_text('<Event><EventData><Data Name="TargetUserName">tnowak</Data>'
                                  '<Data Name="IpAddress">10.14.7.88</Data></EventData></Event>\n')
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--no-ner", "--jobs", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    assert (out / "payroll-db.yaml").read_text() == ("apiVersion: v1\ndata:\n  tls.key: [SECRET]\n  DB_URL: [SECRET]\n"
                                                     "kind: Secret\nmetadata:\n  name: payroll-db\n")
    xml = (out / "4624.xml").read_text()
    assert "tnowak" not in xml and "10.14.7.88" not in xml and xml.startswith('<Event><EventData><Data Name="Target')


def test_batch_mirrors_layout_fails_closed_and_continues(tmp_path):
    src = make_tree(tmp_path)
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--report", str(tmp_path / "r.json"),
                  "--jobs", "1")
    assert res.returncode == 1, res.stdout + res.stderr
    assert (out / "a.md").is_file() and (out / "sub" / "b.log").is_file()
    assert not (out / "broken.txt").exists() and not (out / "nul.log").exists()
    assert not (out / "red.md").exists()
    assert not list(out.rglob(".redactor-tmp-*"))
    a = (out / "a.md").read_text()
    b = (out / "sub" / "b.log").read_text()
    assert "Nowak" not in a and "fs01" not in a and "10.14.7.88" not in a
    assert "fs01" not in b and "tnowak" not in b and "185.174.136.17" in b
    # same entity, same pseudonym across files ("found once, found everywhere")
    host = next(w for w in b.split() if w.startswith("host=")).split("=", 1)[1]
    assert host.lower() in a.lower()
    assert "REFUSED" in res.stdout and "TLP:RED" in res.stdout
    assert "broken.txt" in res.stdout and "UTF-8" in res.stdout
    assert "skipped (unsupported format)" in res.stdout and "c.bin" in res.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["report_version"] == 1
    statuses = sorted(f["status"] for f in report["files"])
    assert statuses == ["failed", "failed", "refused", "written", "written"]
    assert report["summary"]["skipped"] == 1


def test_quiet_prints_no_summary_but_names_each_file_not_written(tmp_path):
    src = make_tree(tmp_path)
    res = run_cli("redact", str(src), "-o", str(tmp_path / "out"), "--config", CFG, "--jobs", "1", "--quiet")
    assert res.returncode == 1 and res.stdout == ""
    lines = [line for line in res.stderr.splitlines() if "FAILED" in line or "REFUSED" in line]
    assert len(lines) == 3, res.stderr
    assert any("REFUSED" in line and "red.md" in line and "TLP:RED" in line for line in lines)
    assert any("FAILED" in line and "broken.txt" in line and "UTF-8" in line for line in lines)


def test_dry_run_writes_nothing(tmp_path):
    src = make_tree(tmp_path)
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--dry-run", "--jobs", "1")
    assert res.returncode == 1  # the broken files still fail
    assert not out.exists()
    assert "analyzed (dry run)" in res.stdout


def test_usage_errors_exit_2(tmp_path):
    res = run_cli("redact", "samples/reports")
    assert res.returncode == 2 and "--output" in res.stderr
    res = run_cli("redact", str(tmp_path / "nope"), "-o", str(tmp_path / "o"))
    assert res.returncode == 2


def test_output_names_are_sanitized(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "tnowak_OSL-WS-1187 triage.txt").write_text("Triage of OSL-WS-1187 for tnowak.\n")
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1")
    assert res.returncode == 0, res.stdout
    (written,) = [p for p in out.iterdir() if not p.name.startswith('.')]
    assert "tnowak" not in written.name and "OSL-WS-1187" not in written.name  # (pseudonym digits may hold "1187")
    assert written.name.startswith("USER-") and "_HOST-" in written.name
    assert written.name.endswith(" triage.txt")


def test_eml_bodies_are_decoded_and_attachments_dropped(tmp_path):
    msg = EmailMessage()
    msg["From"] = "Priya Raman <priya.raman@halvorsen-bank.com>"
    msg["To"] = "soc@halvorsen-bank.com"
    msg["Subject"] = "tnowak VPN"
    msg.set_content("Host OSL-WS-1187 was reached from 45.153.160.140 by tnowak.\n", cte="base64")
    msg.add_alternative("<p>tnowak on <b>OSL-WS-1187</b></p>", subtype="html", cte="quoted-printable")
    msg.add_attachment(b"secret doc for tnowak", maintype="application", subtype="octet-stream",
                       filename="tnowak.bin")
    src = tmp_path / "in"
    src.mkdir()
    (src / "thread.eml").write_bytes(msg.as_bytes())
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--report", str(tmp_path / "r.json"),
                  "--jobs", "1")
    assert res.returncode == 0, res.stdout
    raw = (out / "thread.eml").read_bytes()
    for needle in (b"tnowak", b"OSL-WS-1187", b"Priya", b"halvorsen",
                   base64.b64encode(b"Host OSL-WS-1187")[:12]):
        assert needle not in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    bodies = [p.get_content() for p in parsed.walk() if p.get_content_maintype() == "text"]
    assert any("45.153.160.140" in b for b in bodies)
    assert not [p for p in parsed.walk() if p.get_content_maintype() == "application"]
    notes = json.loads((tmp_path / "r.json").read_text())["files"][0]["notes"]
    assert any("attachment dropped" in n for n in notes)


def test_our_processes_collect_less_often_and_a_library_callers_is_left_alone(bare, bare_engine, tmp_path):
    """The CLI and the pool's workers raise the collector's thresholds (a dense log made it run
    thousands of times); a bot calling the library keeps its own."""
    import gc
    import multiprocessing

    from click.testing import CliRunner

    from redactor.batch import GC_THRESHOLDS, BatchOptions
    from redactor.parallel import _w_init
    from redactor.cli import main

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert "10.14.7.88" not in bare.redact_text("from 10.14.7.88 as user=tnowak").text
        assert gc.get_threshold() == (700, 10, 10)
        assert CliRunner().invoke(main, ["redact", "--help"]).exit_code == 0
        assert gc.get_threshold() == GC_THRESHOLDS != (700, 10, 10)
        gc.set_threshold(700, 10, 10)
    finally:
        gc.set_threshold(*before)
    context = multiprocessing.get_context("fork")
    seen = context.SimpleQueue()

    def worker() -> None:   # forked, as the pool's are: `_w_init` sets handlers that end the process
        gc.set_threshold(700, 10, 10)
        _w_init(bare_engine, b"key", BatchOptions(jobs=2), [0])
        seen.put(gc.get_threshold())

    process = context.Process(target=worker)
    process.start()
    assert seen.get() == GC_THRESHOLDS
    process.join(timeout=60)
    assert process.exitcode == 0


def test_our_commands_leave_the_last_collections_nothing_to_walk():
    """At exit, the interpreter's last collections would walk every object of the engine (~0.25 s of every
    command: a cold `check` of 5 KB took 1.4-1.5 s, now 1.15-1.2 s, with --no-ner): the CLI freezes the heap
    once its exit handlers start, and they still run. A library caller's process is left as it is."""
    import subprocess
    import sys

    program = ("import atexit, gc, sys\n"
               "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
               "from redactor.cli import main\n"
               "if sys.argv[1] == 'cli':\n"
               "    main(['check', '--help'])\n"
               "from redactor import Redactor\n")
    for how, frozen in (("cli", True), ("library", False)):
        res = subprocess.run([sys.executable, "-c", program, how], capture_output=True, text=True, timeout=120)
        assert f"frozen at exit: {frozen}" in res.stdout, res.stdout + res.stderr


def test_deep_work_with_room_pays_no_system_call_per_call():
    """CPython 3.11 maps and unmaps a 16 KB frame-stack chunk on every call made right at a chunk's edge: a loop
    there costs a page fault per call (importing Presidio paid ~45,000, ~0.25 s of a cold `check`). Under
    `with_room` no depth a deep import reaches is at an edge. Presidio is imported so (`recognizers` first)."""
    import resource

    from recognizers.stackroom import with_room

    def leaf() -> None:   # a frame bigger than `dive`'s: as the depth grows, every chunk's edge falls under it once
        a = b = c = d = e = f = g = h = i = j = k = m = n = o = p = q = r = s = t = u = v = w = x = y = z = 0
        del a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r, s, t, u, v, w, x, y, z

    def faults(depth: int) -> int:
        """Page faults of 2,000 calls to `leaf` made `depth` calls below this one."""
        def dive(n: int) -> int:
            if n:
                return dive(n - 1)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(2_000):
                leaf()
            return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
        return dive(depth)

    assert max(faults(depth) for depth in range(400)) >= 2_000    # an edge within 400 calls: a fault per call
    assert with_room(lambda: max(faults(depth) for depth in range(400))) < 100
    assert with_room(lambda: "result") == "result"
    with pytest.raises(KeyError):
        with_room(lambda: {}["missing"])


def test_a_long_file_or_a_big_batch_builds_the_prefilters_first_and_once(tmp_path):
    """A batch with a file of 50,000 chars or more, or of 200 KB in all: every prefilter is built
    before the first file (and before the workers fork, so they share them instead of each
    building its own); a batch of a few short files (a pre-commit run) builds none."""
    from pathlib import Path

    from redactor.batch import BatchOptions, collect, run_batch
    from redactor.engine import build_engine
    from redactor.profile import Profile

    profile = Profile.load(Path(__file__).resolve().parents[1] / "samples" / "redactor.yaml")
    line = "2024-03-02T10:00:01Z allow src=10.14.7.88 user=mberg dst=185.220.101.4:443\n"
    for name, sizes, jobs in (("short", [3, 5], 2), ("long", [3, 5, 700], 2), ("many", [600] * 5, 1)):
        engine = build_engine(profile, use_ner=False)
        for i, lines in enumerate(sizes):
            (tmp_path / name / f"{i}.log").parent.mkdir(exist_ok=True)
            (tmp_path / name / f"{i}.log").write_text(line * lines)
        files, _ = collect([tmp_path / name], tmp_path / f"out-{name}")
        assert 200_000 < sum(p.stat().st_size for p, _ in files) < 250_000 or name != "many"
        outcomes = run_batch(engine, b"key", files, tmp_path / f"out-{name}", BatchOptions(jobs=jobs))
        assert [o.status for o in outcomes] == ["written"] * len(sizes)
        assert all("10.14.7.88" not in o.output.read_text() for o in outcomes)
        built = [rec.prefilter._built for rec in engine.recognizers if getattr(rec, "prefilter", None)]
        assert len(built) > 20 and all(built) == (name != "short") and any(built) == (name != "short")
