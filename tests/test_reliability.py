"""Fail closed and no partial writes: interrupts, resume, odd inputs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

CFG = "samples/redactor.yaml"
LINE = ("At 09:{m:02d} UTC Tomasz Nowak on OSL-WS-{n:04d} (10.14.{a}.{b}) beaconed to 185.174.136.17; "
        "HALVORSEN\\tnowak then reached fs01.hb.local and Priya Raman paged Marcus Webb.\n")


def make_inputs(root: Path, count: int, lines: int) -> None:
    root.mkdir()
    for i in range(count):
        (root / f"r{i:03d}.md").write_text("".join(
            LINE.format(m=j % 60, n=1000 + j, a=i % 250, b=j % 250) for j in range(lines)))


def test_interrupt_leaves_no_partial_output_and_resume_finishes(tmp_path):
    src = tmp_path / "in"
    make_inputs(src, 12, 50)
    env = {**os.environ, "REDACTOR_KEY": "interrupt"}
    full = tmp_path / "full"
    assert run_cli("redact", str(src), "-o", str(full), "--config", CFG, "--jobs", "1",
                   env={"REDACTOR_KEY": "interrupt"}).returncode == 0
    out = tmp_path / "out"
    proc = subprocess.Popen([str(Path(sys.executable).with_name("redactor")), "redact", str(src), "-o", str(out),
                             "--config", CFG, "--jobs", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not list(out.glob("r*.md")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    written = sorted(out.glob("r*.md"))
    assert proc.returncode in (130, 0), err
    assert not list(out.rglob(".redactor-tmp-*"))
    for p in written:  # whatever finished is complete and identical to an uninterrupted run
        assert p.read_bytes() == (full / p.name).read_bytes()
    if proc.returncode == 130:
        assert "interrupted" in err and "--resume" in err
    resumed = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--resume",
                      env={"REDACTOR_KEY": "interrupt"})
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{len(written)} current" in resumed.stdout
    for p in sorted(full.glob("r*.md")):
        assert (out / p.name).read_bytes() == p.read_bytes()


def _workers(pid: int) -> list[int]:
    """The child processes of `pid` (the pool's workers), from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _start_and_wait_for_workers(src: Path, out: Path, *options: str, env: dict[str, str] | None = None,
                                settle: float = 0.5, **popen: object) -> subprocess.Popen[str]:
    """`redactor redact --jobs 2`, returned `settle` seconds after both workers exist (pass 1 is under way)."""
    command = [str(Path(sys.executable).with_name("redactor")), "redact", str(src), "-o", str(out), "--config", CFG,
               "--jobs", "2", *options]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "REDACTOR_KEY": "workers", **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **popen)  # type: ignore[call-overload]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(_workers(proc.pid)) < 2:
        time.sleep(0.02)
    time.sleep(settle)
    return proc


def _alive(pid: int) -> bool:
    """Running, not exited (a zombie whose parent is gone may wait for a reaper that never comes)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _finish(proc: subprocess.Popen[str], workers: list[int]) -> tuple[str, str]:
    """(stdout, stderr) once the run ends (it must, within 2 minutes); its workers are gone too."""
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        for pid in [proc.pid, *workers]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.communicate()
        raise AssertionError("the run hung after its worker died") from None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived the run"
    return out, err


def _done_again(out: str) -> list[str]:
    """The files the summary says were done again alone after a worker died."""
    return [line.split(": ", 1)[1] for line in out.splitlines()
            if line.startswith("  done again, alone, after a worker process died: ")]


def test_a_worker_that_dies_costs_no_file_and_a_stop_signal_stops_the_run(tmp_path):
    """A worker killed (the out-of-memory killer, `kill -9`): the files it and the other worker had in
    hand are done again, one at a time, alone, and the run finishes with every output byte-identical to
    an undisturbed run's (exit 0; the summary names the files done again). It used to stop the run
    (exit 1, `--resume` for the rest), and before that to hang: the pool SIGTERMs the other workers,
    which had inherited the CLI's handler (raise KeyboardInterrupt); one sending its result caught that
    and blocked sending it again. A SIGTERM to the whole process group (a service manager stopping the
    run) ends the workers too, each removing the temp file it was writing, and the run stops (130), not
    taken for a worker that died and done again; so does Ctrl-C (SIGINT to the group), which left an
    idle worker's traceback on stderr."""
    src = tmp_path / "in"
    make_inputs(src, 12, 200)
    full = tmp_path / "full"
    assert run_cli("redact", str(src), "-o", str(full), "--config", CFG, "--jobs", "2",
                   env={"REDACTOR_KEY": "workers"}).returncode == 0

    out = tmp_path / "killed"
    proc = _start_and_wait_for_workers(src, out)   # pass 1 takes seconds: 12 files of 200 lines, with NER
    workers = _workers(proc.pid)
    os.kill(workers[0], signal.SIGKILL)
    stdout, err = _finish(proc, workers)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "12 written, 0 current (--resume), 0 analyzed (dry run), 0 failed" in stdout
    assert 1 <= len(_done_again(stdout)) <= 2, stdout   # what the workers had in hand
    assert set(_done_again(stdout)) <= {str(src / f"r{i:03d}.md") for i in range(12)}
    assert not list(out.rglob(".redactor-tmp-*"))
    assert sorted(p.name for p in out.glob("r*.md")) == sorted(p.name for p in full.glob("r*.md"))
    for p in full.glob("r*.md"):
        assert (out / p.name).read_bytes() == p.read_bytes()

    for stop in (signal.SIGTERM, signal.SIGINT):   # a service manager, Ctrl-C: the whole group
        out = tmp_path / f"stopped-{stop.name}"
        proc = _start_and_wait_for_workers(src, out, start_new_session=True)
        workers = _workers(proc.pid)
        os.killpg(proc.pid, stop)
        stdout, err = _finish(proc, workers)
        assert proc.returncode == 130, err
        assert "interrupted" in err and "--resume" in err and "Traceback" not in err and "died" not in err
        assert not list(out.rglob(".redactor-tmp-*"))
        for p in out.glob("r*.md"):
            assert p.read_bytes() == (full / p.name).read_bytes()


def test_workers_killed_while_writing_leave_no_temp_file_and_their_files_are_written(tmp_path):
    """SIGKILL to both workers while they write outputs (pass 2: written, then verified, then renamed):
    a killed worker cannot clean up, so the main process removes the temp files they left (named after
    the run's main process, so no other run's), and the files are written again, alone. An unverified
    output must never stay in the output folder."""
    src = tmp_path / "in"
    make_inputs(src, 12, 2000)
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out, "--no-ner", settle=0)
    deadline = time.monotonic() + 240
    seen: list[str] = []
    while time.monotonic() < deadline and not seen and proc.poll() is None:
        seen = [e.name for e in os.scandir(out) if e.name.startswith(".redactor-tmp-")] if out.is_dir() else []
    workers = _workers(proc.pid)   # pass 2's (forked once pass 1 is over)
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    stdout, err = _finish(proc, workers)
    assert seen, "no output was being written"
    assert proc.returncode == 0, err
    assert len(_done_again(stdout)) <= 2, stdout   # (a worker may have just renamed its output)
    assert not list(out.rglob(".redactor-tmp-*"))
    assert len(list(out.glob("r*.md"))) == 12
    for p in out.glob("r*.md"):   # each complete: verified before it was renamed into place
        text = p.read_text()
        assert text.count("\n") == 2000 and "Tomasz Nowak" not in text and "tnowak" not in text


def test_workers_end_when_the_main_process_is_killed(tmp_path):
    """`kill -9` on the main process (or the out-of-memory killer choosing it): its workers end within
    a second instead of waiting for work forever, each holding a copy of the engine's memory."""
    src = tmp_path / "in"
    make_inputs(src, 12, 200)
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out)
    workers = _workers(proc.pid)
    proc.kill()
    proc.wait(timeout=60)   # not its pipes: workers that outlived it hold them open
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    lingering = [pid for pid in workers if _alive(pid)]
    for pid in lingering:
        os.kill(pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert len(workers) == 2 and not lingering, "workers outlived their main process"
    assert not list(out.rglob(".redactor-tmp-*"))


def test_a_worker_that_dies_under_a_streamed_log_costs_it_nothing(tmp_path):
    """The same for one big log whose windows the workers share: it is analyzed again, alone, and
    written as an undisturbed run writes it; neither a temp output, a window cache nor the pass-1 log
    is left (each in this run's own TMPDIR)."""
    src = tmp_path / "in"
    src.mkdir()
    line = "2024-05-11T10:00:00Z host=OSL-WS-{n} src_ip=10.14.{a}.{b} dst_ip=185.174.136.17 user=tnowak act=allow\n"
    (src / "fw.log").write_text("".join(line.format(n=1000 + i % 9000, a=i % 256, b=i // 256 % 256)
                                        for i in range(48_000)))      # 5 MB: streamed, in 8 windows
    full = tmp_path / "full"
    assert run_cli("redact", str(src), "-o", str(full), "--config", CFG, "--jobs", "2", "--no-ner",
                   env={"REDACTOR_KEY": "workers"}).returncode == 0
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out, "--no-ner", env={"TMPDIR": str(temp)}, settle=1.0)
    workers = _workers(proc.pid)
    os.kill(workers[-1], signal.SIGKILL)
    stdout, err = _finish(proc, workers)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert _done_again(stdout) == [str(src / "fw.log")], stdout
    assert (out / "fw.log").read_bytes() == (full / "fw.log").read_bytes()
    assert not list(out.rglob(".redactor-tmp-*"))
    assert not list(temp.iterdir())


def _reports_and_a_streamed_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of 5 short reports and a 200 KB log, streamed here in several windows (the threshold and
    the windows lowered)."""
    from redactor import stream

    monkeypatch.setattr(stream, "STREAM_BYTES", 50_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 30_000)
    src = tmp_path / "in"
    make_inputs(src, 5, 60)
    fw = "2024-05-11T10:00:00Z host=OSL-WS-{n} src_ip=10.14.{a}.{b} dst_ip=185.174.136.17 user=tnowak\n"
    (src / "fw.log").write_text("".join(fw.format(n=1000 + i, a=i % 256, b=i // 256) for i in range(2_500)))
    return src


# where a worker is made to die: the function it is in (module, name), and the file it has in hand there
_DEATHS = {"pass 1": ("parallel", "analyze_file", lambda args: args[2]),
           "pass 2": ("parallel", "finish_file", lambda args: args[1].source),
           "a window": ("stream", "analyze_window", lambda args: args[1]),
           "a window in pass 2": ("stream", "finish_window", lambda args: args[1])}


def _dies_in(monkeypatch: pytest.MonkeyPatch, where: str, victim: Path, once: Path | None = None) -> None:
    """SIGKILL in a worker (never in this process, whence the pool forks them) that reaches `where` with
    `victim` in hand: every time, or `once` (the first worker to create that file)."""
    from redactor import parallel, stream

    module_name, name, in_hand = _DEATHS[where]
    module = {"parallel": parallel, "stream": stream}[module_name]
    fn, main = getattr(module, name), os.getpid()

    def wrapped(*args, **kwargs):
        if os.getpid() != main and in_hand(args) == victim:
            try:
                if once is not None:
                    os.close(os.open(once, os.O_CREAT | os.O_EXCL))
                os.kill(os.getpid(), signal.SIGKILL)
            except FileExistsError:
                pass
        return fn(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)


@pytest.mark.parametrize("where", ["pass 1", "pass 2", "a window"])
def test_a_file_that_kills_its_worker_fails_alone_and_the_others_are_written(bare_engine, tmp_path, monkeypatch,
                                                                            where):
    """A file whose worker dies every time (a PDF that exhausts memory, a crash in a parser): it is
    done again alone, its worker dies again, and that file alone fails (no output, no temp file, the
    reason in its outcome); every other file is written as an undisturbed run writes it. The death is
    real (SIGKILL in the worker, forked from this process, as the CLI's are from it); only where it
    strikes is chosen here."""
    from redactor import workers
    from redactor.batch import BatchOptions, collect, run_batch

    src = _reports_and_a_streamed_log(tmp_path, monkeypatch)
    poison = src / ("fw.log" if where == "a window" else "r002.md")
    files, _ = collect([src], tmp_path / "full")
    # what an undisturbed run writes: with the file (pass 2: its names were registered in pass 1), or
    # without it (pass 1: pseudonym numbers are assigned over the names the batch registered)
    expected = files if where == "pass 2" else [f for f in files if f[0] != poison]
    undisturbed = run_batch(bare_engine, b"key", expected, tmp_path / "full", BatchOptions(jobs=2))
    assert [o.status for o in undisturbed] == ["written"] * len(expected)
    _dies_in(monkeypatch, where, poison)
    out = tmp_path / "out"
    outcomes = run_batch(bare_engine, b"key", files, out, BatchOptions(jobs=2))
    failed = [o for o in outcomes if o.status != "written"]
    assert [(o.source, o.status, o.reason) for o in failed] == [(poison, "failed", workers.DIED_ALONE)]
    assert not list(out.rglob(".redactor-tmp-*")) and not list(out.rglob(poison.name))
    written = {o.source: o.output.read_bytes() for o in outcomes if o.source != poison}
    assert written == {o.source: o.output.read_bytes() for o in undisturbed if o.source != poison}
    assert sum(workers.DONE_AGAIN in o.notes for o in outcomes) <= 2   # the other worker's file, the streamed log


@pytest.mark.parametrize("where", ["pass 1", "pass 2", "a window in pass 2"])
def test_a_worker_that_dies_once_changes_no_output(bare_engine, tmp_path, monkeypatch, where):
    """A worker killed once (the out-of-memory killer making room): the files in hand are done again,
    alone, and every output is the one an undisturbed run writes; a streamed log whose window it had
    in pass 2 is finished again from the window cache pass 1 left (it used to be dropped)."""
    from redactor import stream, workers
    from redactor.batch import BatchOptions, collect, run_batch

    src = _reports_and_a_streamed_log(tmp_path, monkeypatch)
    victim = src / ("fw.log" if where == "a window in pass 2" else "r002.md")
    marker, main = tmp_path / "died", os.getpid()
    files, _ = collect([src], tmp_path / "full")
    undisturbed = run_batch(bare_engine, b"key", files, tmp_path / "full", BatchOptions(jobs=2))
    _dies_in(monkeypatch, where, victim, once=marker)
    analyzed_here = []   # windows this process analyzes itself: none while the cache is there
    analyze_window = stream.analyze_window

    def counted(*args):
        if os.getpid() == main:
            analyzed_here.append(args[2])
        return analyze_window(*args)

    monkeypatch.setattr(stream, "analyze_window", counted)
    outcomes = run_batch(bare_engine, b"key", files, tmp_path / "out", BatchOptions(jobs=2))
    assert marker.exists(), "no worker died"
    assert not analyzed_here
    assert [o.status for o in outcomes] == ["written"] * 6
    assert [o.output.read_bytes() for o in outcomes] == [o.output.read_bytes() for o in undisturbed]
    assert workers.DONE_AGAIN in next(o for o in outcomes if o.source == victim).notes
    assert not list((tmp_path / "out").rglob(".redactor-tmp-*"))


def test_resume_redoes_files_whose_input_changed(tmp_path):
    src = tmp_path / "in"
    make_inputs(src, 3, 2)
    env = {"REDACTOR_KEY": "resume"}
    out = tmp_path / "out"
    assert run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", env=env).returncode == 0
    (src / "r001.md").write_text("changed: host fs02 and user=tnowak\n")
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--resume", env=env)
    assert res.returncode == 0 and "1 written, 2 current" in res.stdout
    assert "changed:" in (out / "r001.md").read_text()
    assert run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--resume").returncode == 2  # no key


def test_odd_inputs_fail_closed_each_and_the_rest_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "utf16.txt").write_bytes("host fs01 user=tnowak\n".encode("utf-16"))
    (src / "latin1.txt").write_bytes("Café for tnowak".encode("latin-1"))
    (src / "binary.log").write_bytes(os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00")
    (src / "ok.md").write_text("user=tnowak\n")
    (src / "long.log").write_text(("k=v 10.14.1.2 tnowak " * 30_000).strip())   # one 630 KB line: chunked
    os.symlink("/etc/hostname", src / "link.txt")
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "2", "--no-ner")
    assert res.returncode == 1 and "Traceback" not in res.stdout + res.stderr
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert names == {"utf16.txt", "ok.md", "long.log"}
    assert "tnowak" not in (out / "utf16.txt").read_text(encoding="utf-16")
    assert "tnowak" not in (out / "long.log").read_text() and "10.14.1.2" not in (out / "long.log").read_text()
    assert "empty file" in res.stdout and "not valid utf-8" in res.stdout.lower() and "binary" in res.stdout
    assert "skipped (symlink, not followed)" in res.stdout and "link.txt" in res.stdout


def test_catastrophic_profile_regex_fails_the_run_clearly(tmp_path):
    cfg = tmp_path / "redactor.yaml"
    cfg.write_text("organization:\n  hostname_patterns: ['(a|aa)+$']\n")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("a" * 60 + "b\n")
    started = time.monotonic()
    res = run_cli("redact", str(src), "-o", str(tmp_path / "out"), "--config", str(cfg), "--jobs", "1",
                  "--no-ner")
    assert time.monotonic() - started < 120
    assert res.returncode == 2 and "profile hostname pattern 1" in res.stderr and "backtracks" in res.stderr
    assert not list((tmp_path / "out").glob("*.txt")) if (tmp_path / "out").exists() else True


def test_docx_zip_bomb_is_refused(tmp_path):
    import zipfile

    src = tmp_path / "in"
    src.mkdir()
    with zipfile.ZipFile(src / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (24 * 2**20))   # 24 MiB of zeros, ~1000x ratio
    res = run_cli("redact", str(src), "-o", str(tmp_path / "out"), "--config", CFG, "--jobs", "1", "--no-ner")
    assert res.returncode == 1 and "zip bomb" in res.stdout
    assert not (tmp_path / "out" / "bomb.docx").exists()


def test_output_inside_the_input_tree_is_never_read_back(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text("user=tnowak\n")
    out = src / "sanitized"
    for _ in range(2):
        res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--no-ner",
                      env={"REDACTOR_KEY": "k"})
        assert res.returncode == 0 and "1 file(s)" in res.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["a.md"]


def test_workers_that_keep_dying_with_no_file_in_hand_stop_the_run(bare_engine):
    """Deaths with no file in hand (idle workers killed) are survived `DEATHS_UNNAMED` times, each with
    a new pool; then `WorkerError` stops the run instead of making pools forever."""
    from redactor import WorkerError
    from redactor.batch import BatchOptions
    from redactor.parallel import DEATHS_UNNAMED, _Pool

    pool = _Pool(bare_engine, b"key", BatchOptions(jobs=1), 1, 3, None)
    try:
        for _ in range(DEATHS_UNNAMED):
            pool.renew({1})      # a file in hand: it will be done again alone; never counted
            pool.renew(set())
        assert pool.submit(abs, -3).result() == 3   # the last pool made works
        with pytest.raises(WorkerError, match=f"died {DEATHS_UNNAMED + 1} times with no file in hand"):
            pool.renew(set())
    finally:
        pool.executor.shutdown(wait=True)


def test_a_run_killed_in_pass_2_leaves_no_file_holding_the_values_it_redacts(tmp_path):
    """`kill -9` on the main process once pass 2 has begun: its workers end, and nothing in its TMPDIR
    holds a value it was redacting. Pass 1's registrations (every name, host and user found) reached
    pass 2's workers as a 0600 temp file that only the main process removed, so a killed run left them
    in /tmp; they now pass in memory, to workers forked once pass 1 is over."""
    src = tmp_path / "in"
    make_inputs(src, 12, 1000)
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out, "--no-ner", env={"TMPDIR": str(temp)}, settle=0)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None and not list(out.glob("*")):
        time.sleep(0.01)   # the first temp output: pass 2 is under way
    workers = _workers(proc.pid)
    begun = list(out.glob("*"))   # before the kill: the workers, seeing their parent gone, remove their temp outputs
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert begun, "pass 2 had not begun"
    for path in temp.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"tnowak" not in data and b"Tomasz" not in data and b"OSL-WS-1" not in data, path


def test_a_run_removes_the_temp_output_a_run_killed_mid_write_left(tmp_path):
    """`kill -9` on a one-process run while it writes an output leaves its temp file in the output folder
    (nothing runs in a killed process): written, maybe not yet verified. The next run into that folder
    removes it; a temp output of a run still at work there is left alone."""
    src = tmp_path / "in"
    make_inputs(src, 12, 2000)
    out = tmp_path / "out"
    command = [str(Path(sys.executable).with_name("redactor")), "redact", str(src), "-o", str(out), "--config", CFG,
               "--jobs", "1", "--no-ner"]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "REDACTOR_KEY": "k"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    left: list[Path] = []
    while time.monotonic() < deadline and not left and proc.poll() is None:
        left = list(out.glob(".redactor-tmp-*")) if out.is_dir() else []
    proc.kill()
    proc.wait(timeout=60)
    left = list(out.glob(".redactor-tmp-*"))
    assert left and all(f".redactor-tmp-{proc.pid}-" in p.name for p in left), "no temp output was left"
    other = subprocess.Popen(["sleep", "120"])      # a run at work in the same folder
    try:
        working = out / "sub" / f".redactor-tmp-{other.pid}-x.md"
        working.parent.mkdir()
        working.write_text("being written")
        again = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--no-ner", "--resume",
                        env={"REDACTOR_KEY": "k"})
        assert again.returncode == 0, again.stderr
        assert not any(p.exists() for p in left) and working.exists()
        assert len(list(out.glob("r*.md"))) == 12
    finally:
        other.kill()
        other.wait()


def test_a_run_removes_the_window_cache_a_run_killed_outright_left(tmp_path):
    """`kill -9` while a big log streams leaves its window cache in TMPDIR: pass 1's findings (positions and
    decisions, never values; ~0.8 bytes per byte of a dense log), which nothing ran in the killed process to remove.
    The next run removes it, whatever it processes; the cache of a run still at work is left alone."""
    from redactor import stream

    src = tmp_path / "in"
    src.mkdir()
    line = "2024-05-11T10:00:00Z host=OSL-WS-{n} src_ip=10.14.{a}.{b} dst_ip=185.174.136.17 user=tnowak\n"
    lines = stream.STREAM_BYTES // len(line.format(n=1000, a=1, b=1)) + 2_000
    (src / "fw.log").write_text("".join(line.format(n=1000 + i % 9000, a=i % 256, b=i // 256 % 256)
                                        for i in range(lines)))
    assert (src / "fw.log").stat().st_size > stream.STREAM_BYTES
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "REDACTOR_KEY": "k", "TMPDIR": str(temp)}
    command = [str(Path(sys.executable).with_name("redactor")), "redact", str(src), "-o", str(tmp_path / "out"),
               "--config", CFG, "--jobs", "1", "--no-ner"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    left: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None and not any(p.stat().st_size for p in left):
        left = list(temp.glob(stream.CACHE_PREFIX + "*"))
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=60)
    assert left and all(p.name.startswith(f"{stream.CACHE_PREFIX}{proc.pid}-") and p.exists() for p in left), left
    other = subprocess.Popen(["sleep", "120"])      # a run at work, streaming a log of its own
    try:
        working = temp / f"{stream.CACHE_PREFIX}{other.pid}-x.pickle"
        working.write_bytes(b"")
        small = tmp_path / "small"
        make_inputs(small, 1, 3)
        again = run_cli("redact", str(small), "-o", str(tmp_path / "out2"), "--config", CFG, "--no-ner",
                        env={"REDACTOR_KEY": "k", "TMPDIR": str(temp)})
        assert again.returncode == 0, again.stderr
        assert not any(p.exists() for p in left) and working.exists()
    finally:
        other.kill()
        other.wait()
