"""`--jobs` defaults to the cores this process may use (`redactor.cores`), not the machine's."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

from redactor.cores import quota_cores, usable_cores


def _tree(tmp_path: Path, cgroup: str, files: dict[str, str]) -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(cgroup)
    return root, proc


def test_a_cgroup_v2_quota_caps_the_cores_and_its_parents_count_too(tmp_path):
    root, proc = _tree(tmp_path, "0::/ci/job\n", {"cpu.max": "max 100000\n", "ci/job/cpu.max": "150000 100000\n"})
    assert quota_cores(root, proc) == 2           # 1.5 cores: two workers, rounded up
    (root / "ci" / "cpu.max").write_text("100000 100000\n")
    assert quota_cores(root, proc) == 1           # the parent's limit is the tighter one
    assert usable_cores(root, proc) == 1
    (root / "ci" / "cpu.max").write_text("max 100000\n")
    (root / "ci" / "job" / "cpu.max").write_text("max 100000\n")
    assert quota_cores(root, proc) is None        # no limit anywhere
    assert usable_cores(root, proc) == len(os.sched_getaffinity(0))


def test_a_container_s_own_cgroup_is_read_at_the_mount(tmp_path):
    """Inside a container the path names the host's cgroup, which is not there; the container's
    own is mounted at the root."""
    root, proc = _tree(tmp_path, "0::/docker/0123abcd\n", {"cpu.max": "200000 100000\n"})
    assert quota_cores(root, proc) == 2


def test_a_cgroup_v1_quota_and_what_sets_no_limit(tmp_path):
    v1 = "12:memory:/x\n4:cpu,cpuacct:/\n"
    root, proc = _tree(tmp_path, v1, {"cpu,cpuacct/cpu.cfs_quota_us": "250000\n",
                                      "cpu,cpuacct/cpu.cfs_period_us": "100000\n"})
    assert quota_cores(root, proc) == 3
    (root / "cpu,cpuacct" / "cpu.cfs_quota_us").write_text("-1\n")
    assert quota_cores(root, proc) is None
    (root / "cpu,cpuacct" / "cpu.cfs_quota_us").write_text("garbage\n")
    assert quota_cores(root, proc) is None
    assert quota_cores(root, tmp_path / "no-such-file") is None
    root2, proc2 = _tree(tmp_path / "v2", "0::/\n", {"cpu.max": "0 100000\n"})
    assert quota_cores(root2, proc2) is None      # a zero quota is no reading, not zero cores
    assert usable_cores(root2, proc2) >= 1


def _one_core() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def test_under_taskset_one_core_the_default_is_one_job(tmp_path):
    """A process limited to one core (taskset, a cpuset) runs one job by default, and the CLI says
    how many it ran with; unlimited, it uses every core it may."""
    probe = "from redactor.cores import usable_cores; print(usable_cores())"
    limited = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                             preexec_fn=_one_core)
    assert limited.stdout.strip() == "1"
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.log").write_text(f"ts={i} host=fs01 user=tnowak src=10.14.7.{i + 10} dst=185.174.136.17\n")
    runs = {}
    for name, preexec in (("one", _one_core), ("all", None)):
        res = run_cli("redact", str(src), "-o", str(tmp_path / name), "--no-ner", "--config", "samples/redactor.yaml",
                      preexec_fn=preexec)
        assert res.returncode == 0, res.stderr
        assert "10.14.7.10" not in (tmp_path / name / "0.log").read_text()
        runs[name] = res.stdout
    assert "3 written" in runs["one"] and ", --jobs 1]" in runs["one"]
    assert f", --jobs {len(os.sched_getaffinity(0))}]" in runs["all"]
