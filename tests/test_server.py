"""`redactor serve` for real: a server process on a free loopback port, a real HTTP client."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str, out: Any = subprocess.PIPE) -> tuple[subprocess.Popen[str], str]:
    """A `redactor serve` process (its own process group) on a free port, and its base URL."""
    port = free_port()
    env = {**os.environ, "REDACTOR_API_TOKEN": "t0ken-for-tests", "REDACTOR_KEY": "srv"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("redactor")), "serve", "--config", "samples/redactor.yaml",
         "--port", str(port), "--token-env", "REDACTOR_API_TOKEN", *args],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def wait_up(proc: subprocess.Popen[str], base: str) -> httpx.Client:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("server did not start: " + (proc.stdout.read() if proc.stdout else ""))
    return httpx.Client(base_url=base, headers={"Authorization": "Bearer t0ken-for-tests"}, timeout=120)


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (a reaped or dying one is not counted)."""
    found = []
    for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            state = Path(f"/proc/{c}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        if state not in ("Z", "X"):
            found.append(int(c))
    return sorted(found)


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of `pid`, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12])


@pytest.fixture(scope="module", params=[1, 2], ids=["workers-1", "workers-2"])
def server(request):
    """The service with requests redacted in its thread pool (`--workers 1`) and in 2 forked workers."""
    proc, base = start("--max-body", "20000", "--workers", str(request.param))
    client = wait_up(proc, base)
    yield client, proc
    client.close()
    proc.terminate()
    proc.wait(timeout=30)


def test_redact_and_check(server):
    client, _ = server
    r = client.post("/v1/redact", json={"text": "Tomasz Nowak on OSL-WS-1187 talked to 185.174.136.17"})
    assert r.status_code == 200
    body = r.json()
    assert "Nowak" not in body["text"] and "OSL-WS-1187" not in body["text"]
    assert "185.174.136.17" in body["text"]
    assert {f["type"] for f in body["findings"] if f["decision"] == "replace"} >= {"PERSON", "HOSTNAME"}
    c = client.post("/v1/check", json={"text": "user=tnowak"}).json()
    assert c["clean"] is False and c["findings"][0]["type"] == "USERNAME"
    assert client.post("/v1/check", json={"text": "CVE-2023-20269"}).json()["clean"] is True


def test_errors(server):
    client, _ = server
    assert client.post("/v1/redact", content=b"{not json").status_code == 400
    assert client.post("/v1/redact", json={"txt": "x"}).status_code == 400
    assert client.post("/v1/redact", json={"text": "x", "extra": 1}).status_code == 400
    assert client.post("/v1/redact", json={"text": "a" * 30000}).status_code == 413
    assert client.post("/v1/redact", json={"text": "TLP:RED\nOSL-WS-1187"}).status_code == 422
    anon = httpx.post(str(client.base_url) + "/v1/redact", json={"text": "x"})
    assert anon.status_code == 401


def test_concurrent_requests_are_consistent(server):
    client, _ = server
    texts = [f"Priya Raman saw host OSL-WS-{1000 + i % 4} at 10.14.7.{i % 4}" for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: client.post("/v1/redact", json={"text": t}).json()["text"], texts))
    for t, out in zip(texts, results):
        assert "Priya" not in out and "OSL-WS" not in out
        assert out == results[texts.index(t)]   # same input, same output (keyed, shared engine)


def test_logs_hold_no_values(server):
    client, proc = server
    client.post("/v1/redact", json={"text": "secret-marker-ZQX Marcus Webb"})
    proc.terminate()
    out, _ = proc.communicate(timeout=30)
    assert "POST /v1/redact" in out
    assert "ZQX" not in out and "Marcus" not in out


REPORT = (ROOT / "samples" / "reports" / "ir-2024-031-ransomware.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def redactor_srv(engine):
    """The library with the servers' key: what any of their workers must answer."""
    from redactor import Redactor

    return Redactor(engine, key=b"srv")


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """`--workers 2`, bodies up to 1 MB, its log in a file (many requests)."""
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    proc, base = start("--workers", "2", out=log)
    client = wait_up(proc, base)
    yield client, proc
    client.close()
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=30)
    log.close()


def test_requests_are_spread_over_the_worker_processes(pooled, redactor_srv):
    client, proc = pooled
    workers = children(proc.pid)
    assert len(workers) == 2
    before = {w: cpu_ticks(w) for w in workers}
    texts = [f"{REPORT}\n\nTicket {i}: Priya Raman on OSL-WS-{1000 + i}" for i in range(16)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda t: client.post("/v1/redact", json={"text": t}), texts))
    assert [r.status_code for r in results] == [200] * len(texts)
    # which worker answers changes nothing: each answer is what the library gives in one process
    assert [r.json()["text"] for r in results] == [redactor_srv.redact_text(t).text for t in texts]
    used = {w: cpu_ticks(w) - before[w] for w in workers}
    assert children(proc.pid) == workers                     # the same two did it all
    assert min(used.values()) >= 0.2 * sum(used.values()), used   # both, not one of them


def test_a_worker_killed_while_idle_is_replaced_and_the_next_request_served(pooled):
    client, proc = pooled
    old = children(proc.pid)
    os.kill(old[0], signal.SIGKILL)
    # at once: the other worker answers, or a new pool (whichever the race with the pool's watch gives)
    r = client.post("/v1/redact", json={"text": "Tomasz Nowak on OSL-WS-1187"})
    assert r.status_code == 200 and "Nowak" not in r.json()["text"]
    deadline = time.monotonic() + 30   # the pool sees the death and stops its other worker
    while set(children(proc.pid)) & set(old) and time.monotonic() < deadline:
        time.sleep(0.05)
    r = client.post("/v1/redact", json={"text": "Tomasz Nowak on OSL-WS-1187"})
    assert r.status_code == 200 and "Nowak" not in r.json()["text"]
    new = children(proc.pid)
    assert len(new) == 2 and not set(new) & set(old)   # a new pool, forked from the server


def _kill_the_busy_worker(pid: int, times: int) -> list[int]:
    """SIGKILL the worker that is redacting, `times` times (each in the pool that replaced the last)."""
    killed: list[int] = []
    deadline = time.monotonic() + 60
    while len(killed) < times and time.monotonic() < deadline:
        workers = [w for w in children(pid) if w not in killed]
        if len(workers) < 2:
            time.sleep(0.01)
            continue
        start = {w: cpu_ticks(w) for w in workers}
        time.sleep(0.05)
        busy = [w for w in workers if cpu_ticks(w) - start[w] >= 2]
        if busy:
            os.kill(busy[0], signal.SIGKILL)
            killed.append(busy[0])
    return killed


def test_a_request_whose_worker_dies_is_run_again_in_a_new_pool(pooled, redactor_srv):
    client, proc = pooled
    text = "\n\n".join([REPORT] * 40)   # ~2 s of work
    with ThreadPoolExecutor(max_workers=1) as pool:
        sent = pool.submit(client.post, "/v1/redact", json={"text": text})
        assert len(_kill_the_busy_worker(proc.pid, 1)) == 1
        r = sent.result()
    assert r.status_code == 200
    assert r.json()["text"] == redactor_srv.redact_text(text).text


def test_a_request_whose_worker_dies_twice_gets_503_and_no_text(pooled):
    client, proc = pooled
    text = "\n\n".join([REPORT] * 40)
    with ThreadPoolExecutor(max_workers=1) as pool:
        sent = pool.submit(client.post, "/v1/redact", json={"text": text})
        assert len(_kill_the_busy_worker(proc.pid, 2)) == 2
        r = sent.result()
    assert r.status_code == 503
    assert set(r.json()) == {"error"} and "worker process died" in r.json()["error"]
    assert client.post("/v1/check", json={"text": "user=tnowak"}).json()["clean"] is False   # it goes on


def test_ctrl_c_finishes_the_request_in_hand_and_leaves_no_worker(pooled):
    client, proc = pooled
    workers = children(proc.pid)
    text = "\n\n".join([REPORT] * 20)
    with ThreadPoolExecutor(max_workers=1) as pool:
        sent = pool.submit(client.post, "/v1/redact", json={"text": text})
        deadline = time.monotonic() + 30
        start = {w: cpu_ticks(w) for w in workers}
        while all(cpu_ticks(w) == start[w] for w in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGINT)   # a terminal's Ctrl-C reaches the whole group
        r = sent.result()
    assert r.status_code == 200 and "OSL-WS" not in r.json()["text"]
    assert proc.wait(timeout=60) == 0
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]



# worker-side stand-ins for `server_pool._w_call` and `_w_ready` that kill their worker the first time any
# worker runs them (a marker file); module-level, so that the pool pickles them by name
MARKERS: dict[str, Path] = {}
ORIGINALS: dict[str, Any] = {}


def _die_once(name: str) -> None:
    if not MARKERS[name].exists():
        MARKERS[name].write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)


def call_dies_once(fn, text):   # type: ignore[no-untyped-def]
    _die_once("call")
    return ORIGINALS["call"](fn, text)


def ready_dies_once():   # type: ignore[no-untyped-def]
    _die_once("ready")
    return ORIGINALS["ready"]()


def test_a_new_pool_whose_worker_dies_at_once_is_made_again(redactor_srv, tmp_path, monkeypatch):
    """The request's worker dies; the pool made for it loses a worker before it is ready: the request gets
    WorkerDied (503), not a crash, and the next one is served by a pool made again."""
    import asyncio

    from redactor import server, server_pool

    MARKERS.update(call=tmp_path / "call", ready=tmp_path / "ready")
    ORIGINALS.update(call=server_pool._w_call, ready=server_pool._w_ready)
    monkeypatch.setattr(server_pool, "_w_call", call_dies_once)
    pool = server_pool.ServerPool(redactor_srv, 2)
    try:
        monkeypatch.setattr(server_pool, "_w_ready", ready_dies_once)   # the pools made from now on

        async def redact() -> tuple[int, dict[str, Any]]:
            return await pool.run(server.redact_payload, "Tomasz Nowak on OSL-WS-1187")

        with pytest.raises(server_pool.WorkerDied):
            asyncio.run(redact())
        assert MARKERS["call"].exists() and MARKERS["ready"].exists()   # both deaths happened
        status, body = asyncio.run(redact())
        assert status == 200 and body["text"] == redactor_srv.redact_text("Tomasz Nowak on OSL-WS-1187").text
    finally:
        pool.close()
