"""`redactor serve` for real: a server process on a free loopback port, a real HTTP client."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {**os.environ, "REDACTOR_API_TOKEN": "t0ken-for-tests", "REDACTOR_KEY": "srv"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("redactor")), "serve", "--config", "samples/redactor.yaml",
         "--port", str(port), "--max-body", "20000", "--token-env", "REDACTOR_API_TOKEN"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
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
    client = httpx.Client(base_url=base, headers={"Authorization": "Bearer t0ken-for-tests"}, timeout=60)
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
