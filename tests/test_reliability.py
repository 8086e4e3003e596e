"""Fail closed and no partial writes: interrupts, resume, odd inputs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _finish(proc: subprocess.Popen[str], workers: list[int]) -> str:
    """stderr once the run ends (it must, within 2 minutes); its workers are gone too."""
    try:
        _, err = proc.communicate(timeout=120)
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
    return err


def test_a_worker_that_dies_stops_the_run_clearly_with_nothing_half_written(tmp_path):
    """A worker killed (the out-of-memory killer, `kill -9`): the run stops at once with exit code 1,
    says so and names the files being processed (one of them killed it: a user can set it aside),
    leaves the files it finished complete and no temp file; `--resume` does the rest. It
    used to hang: the pool SIGTERMs the other workers, which had inherited the CLI's handler (raise
    KeyboardInterrupt); one sending its result caught that and blocked sending it again. A SIGTERM
    to the whole process group (a service manager stopping the run) ends the workers too, each
    removing the temp file it was writing; so does Ctrl-C (SIGINT to the group), which left an idle
    worker's traceback on stderr and could be reported as a worker that died."""
    src = tmp_path / "in"
    make_inputs(src, 12, 200)
    full = tmp_path / "full"
    assert run_cli("redact", str(src), "-o", str(full), "--config", CFG, "--jobs", "2",
                   env={"REDACTOR_KEY": "workers"}).returncode == 0

    out = tmp_path / "killed"
    proc = _start_and_wait_for_workers(src, out)   # pass 1 takes seconds: 12 files of 200 lines, with NER
    workers = _workers(proc.pid)
    os.kill(workers[0], signal.SIGKILL)
    err = _finish(proc, workers)
    assert proc.returncode == 1, err
    assert "a worker process died" in err and "--resume" in err and "Traceback" not in err
    died = next(line for line in err.splitlines() if "died" in line)   # it names what was being processed
    assert 1 <= sum(str(src / f"r{i:03d}.md") in died for i in range(12)) <= 2, died
    assert not list(out.rglob(".redactor-tmp-*"))
    for p in out.glob("r*.md"):   # whatever finished is complete
        assert p.read_bytes() == (full / p.name).read_bytes()
    resumed = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "2", "--resume",
                      env={"REDACTOR_KEY": "workers"})
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert sorted(p.name for p in out.glob("r*.md")) == sorted(p.name for p in full.glob("r*.md"))
    for p in full.glob("r*.md"):
        assert (out / p.name).read_bytes() == p.read_bytes()

    for stop in (signal.SIGTERM, signal.SIGINT):   # a service manager, Ctrl-C: the whole group
        out = tmp_path / f"stopped-{stop.name}"
        proc = _start_and_wait_for_workers(src, out, start_new_session=True)
        workers = _workers(proc.pid)
        os.killpg(proc.pid, stop)
        err = _finish(proc, workers)
        assert proc.returncode == 130, err
        assert "interrupted" in err and "--resume" in err and "Traceback" not in err and "died" not in err
        assert not list(out.rglob(".redactor-tmp-*"))
        for p in out.glob("r*.md"):
            assert p.read_bytes() == (full / p.name).read_bytes()


def test_a_worker_killed_while_writing_leaves_no_temp_file(tmp_path):
    """SIGKILL while a worker writes an output (pass 2: written, then verified, then renamed): the
    worker cannot clean up, so the main process removes the temp file it left (named after the run's
    main process, so no other run's). An unverified output must not stay in the output folder."""
    src = tmp_path / "in"
    make_inputs(src, 12, 2000)
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out, "--no-ner", settle=0)
    workers = _workers(proc.pid)
    deadline = time.monotonic() + 240
    seen: list[str] = []
    while time.monotonic() < deadline and not seen and proc.poll() is None:
        seen = [e.name for e in os.scandir(out) if e.name.startswith(".redactor-tmp-")] if out.is_dir() else []
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    err = _finish(proc, workers)
    assert seen, "no output was being written"
    assert proc.returncode == 1 and "a worker process died" in err, err
    assert not list(out.rglob(".redactor-tmp-*"))
    for p in out.glob("r*.md"):   # what was renamed into place is complete: it was verified first
        assert "Tomasz Nowak" not in p.read_text() and "tnowak" not in p.read_text()


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


def test_a_worker_that_dies_under_a_streamed_log_stops_the_run_and_leaves_no_temp_file(tmp_path):
    """The same for one big log whose windows the workers share: no output for it, and neither its
    temp output, its window cache nor the pass-1 log is left (each in this run's own TMPDIR)."""
    src = tmp_path / "in"
    src.mkdir()
    line = "2024-05-11T10:00:00Z host=OSL-WS-{n} src_ip=10.14.{a}.{b} dst_ip=185.174.136.17 user=tnowak act=allow\n"
    (src / "fw.log").write_text("".join(line.format(n=1000 + i % 9000, a=i % 256, b=i // 256 % 256)
                                        for i in range(48_000)))      # 5 MB: streamed, in 8 windows
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    proc = _start_and_wait_for_workers(src, out, "--no-ner", env={"TMPDIR": str(temp)}, settle=1.0)
    workers = _workers(proc.pid)
    os.kill(workers[-1], signal.SIGKILL)
    err = _finish(proc, workers)
    assert proc.returncode == 1, err
    assert "a worker process died" in err and "Traceback" not in err and "internal error" not in err
    assert f"while processing {src / 'fw.log'};" in err
    assert not (out / "fw.log").exists() and not list(out.rglob(".redactor-tmp-*"))
    assert not list(temp.iterdir())


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
