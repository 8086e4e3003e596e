"""Shared fixtures. Real Presidio, real spaCy model, real files — no mocks of those.

Nothing leaves the machine: every test runs with outbound connections to anything but
loopback refused (a test that tries fails loudly).
"""
from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The suite never reads or writes the user's prefilter cache (recognizers/prefilter_cache.py): every
# engine compiles, as on a first run; the cache's own tests turn it on with a folder of their own.
os.environ["REDACTOR_NO_CACHE"] = "1"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(RuntimeError):
    pass


def _allowed(address: object) -> bool:
    if isinstance(address, str):  # AF_UNIX
        return True
    host = address[0] if isinstance(address, tuple) else None
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _allowed(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}: no network at run time")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _allowed(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}: no network at run time")
    return _real_connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def samples_profile_path() -> Path:
    return ROOT / "samples" / "redactor.yaml"


@pytest.fixture(scope="session")
def engine():
    """The engine for the samples profile, built once for the whole suite."""
    from redactor.engine import build_engine
    from redactor.profile import Profile

    return build_engine(Profile.load(ROOT / "samples" / "redactor.yaml"))


@pytest.fixture(scope="session")
def redactor(engine):
    from redactor import Redactor

    return Redactor(engine, key=b"test-key")


@pytest.fixture(scope="session")
def bare_engine():
    """Zero-config engine (no profile), with NER."""
    from redactor.engine import build_engine
    from redactor.profile import Profile

    return build_engine(Profile())


@pytest.fixture(scope="session")
def bare(bare_engine):
    from redactor import Redactor

    return Redactor(bare_engine, key=b"test-key")


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, **popen: object):
    """Run the installed `redactor` command for real (`popen`: more of `subprocess.run`'s arguments)."""
    import os
    import subprocess

    exe = Path(sys.executable).with_name("redactor")
    full_env = {k: v for k, v in os.environ.items() if k != "REDACTOR_KEY"}
    full_env.update(env or {})
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd or ROOT, timeout=600, **popen)
