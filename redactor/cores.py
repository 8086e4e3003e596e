"""How many cores this process may use: the default for `--jobs` and for building the prefilters.

`os.cpu_count()` counts the machine's cores, not this process's. A container started with
`--cpus 2` or `--cpuset-cpus 0,1` on a 64-core host, or a command under `taskset -c 0`, would
fork 64 workers (each with its own session and pass-1 state) to share two cores. So: the CPU
affinity (a cpuset, taskset), capped by a CPU quota (cgroup v2 `cpu.max`, v1 `cpu.cfs_quota_us`),
rounded up, at least 1. Anything unreadable there sets no cap.
"""
from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def usable_cores(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):   # not Linux
        cores = os.cpu_count() or 1
    quota = quota_cores(root, proc_cgroup)
    return max(1, min(cores, quota) if quota is not None else cores)


def quota_cores(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int | None:
    """The CPU quota of this process's cgroup and its parents in cores (rounded up), or None."""
    try:
        lines = proc_cgroup.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    limits: list[float] = []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and not controllers:                      # cgroup v2
            limits += _along(root, path, _v2_limit)
        elif "cpu" in controllers.split(","):                       # cgroup v1, `cpu` or `cpu,cpuacct`
            limits += _along(root / controllers, path, _v1_limit)
    return math.ceil(min(limits)) if limits else None


def _along(mount: Path, path: str, limit_of: Callable[[Path], float | None]) -> list[float]:
    """The limits set on `path` and each of its parents under `mount`. Inside a container the
    path is the host's and its own cgroup is mounted at `mount` itself, which is read too."""
    folders = [mount]
    for part in (p for p in path.split("/") if p and p not in (".", "..")):
        folders.append(folders[-1] / part)
    return [limit for folder in folders if (limit := limit_of(folder)) is not None]


def _v2_limit(folder: Path) -> float | None:
    """`cpu.max`: `max 100000` (no limit) or `<quota> <period>` in microseconds."""
    try:
        quota, period = (folder / "cpu.max").read_text(encoding="ascii").split()[:2]
        return int(quota) / int(period) if quota != "max" and int(period) > 0 and int(quota) > 0 else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _v1_limit(folder: Path) -> float | None:
    """`cpu.cfs_quota_us` (-1: no limit) over `cpu.cfs_period_us`."""
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None
