"""A real build killed (SIGKILL or SIGTERM) while it trains or renders in worker processes.

Nothing of it may survive: no worker under PID 1 finishing its job, and nothing written to
build/cache after the kill. The next build sweeps what the killed one left and succeeds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from process_support import descendants, read_until, slow_project, snapshot, survivors
from support import REPO, run_build

pytestmark = pytest.mark.slow


def start_build(root: Path) -> subprocess.Popen:
    """A build with two workers, in a session of its own (so its processes can be found)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tinynets", "build", "--jobs", "2"], cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def check_nothing_survives_or_writes(root: Path, process: subprocess.Popen,
                                     how: signal.Signals, workers_at_least: int) -> None:
    cache = root / "build" / "cache"
    children = descendants(process.pid)
    assert len(children) >= workers_at_least, children  # the kill hits a pool at work
    os.kill(process.pid, how)
    process.wait(timeout=60)
    process.stdout.close()
    time.sleep(0.5)  # a worker signalled at the parent's death may need a moment to go
    after_kill = snapshot(cache)
    time.sleep(5)
    alive = survivors(process.pid, children)
    assert not alive, {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:200] for pid in alive}
    assert snapshot(cache) == after_kill  # nothing written after the kill


def assert_no_leftovers(root: Path) -> None:
    build = root / "build"
    leftovers = [path for folder in (build, build / "cache", build / "cache" / "runs",
                                     build / "cache" / "media")
                 for path in folder.glob(".*") if path.name.endswith((".tmp", ".old"))]
    leftovers += [path for path in (build / "docs").rglob(".*.tmp")]
    assert leftovers == []


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "kill-TERM"])
def test_build_killed_while_training_leaves_no_worker_and_writes_nothing(tmp_path, how):
    root = slow_project(tmp_path / "project", epochs=20000, frames=12)
    process = start_build(root)
    lines = read_until(process, "  tiny/")  # a worker reported progress: the pool is training
    assert any(line.startswith("train   tiny/") for line in lines)
    check_nothing_survives_or_writes(root, process, how, workers_at_least=2)
    runs = root / "build" / "cache" / "runs"
    assert not runs.exists() or not [path for path in runs.iterdir()
                                     if not path.name.startswith(".")]
    if how == signal.SIGTERM:  # stopped cleanly: not even an empty temporary is left
        assert_no_leftovers(root)


def test_build_killed_while_rendering_leaves_no_worker_and_the_next_build_sweeps(tmp_path):
    root = slow_project(tmp_path / "project", epochs=1000, frames=400)
    process = start_build(root)
    read_until(process, "render  ")  # one medium finished; the others are being rendered
    check_nothing_survives_or_writes(root, process, signal.SIGKILL, workers_at_least=2)
    media = root / "build" / "cache" / "media"
    # The killed build left its workers' temporary folders; no worker renamed one into place.
    assert len([path for path in media.iterdir() if not path.name.startswith(".")]) < 3
    result = run_build(root, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leftover" in result.stdout, result.stdout
    assert_no_leftovers(root)


def semaphores_of(pid: int) -> set[int]:
    """The inodes of the named POSIX semaphores process ``pid`` has open: sem_open maps the
    file (shown under glibc's temporary name, linked to /dev/shm/sem.NAME: the same inode)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {int(line.split()[4]) for line in maps.splitlines() if "/dev/shm/sem." in line}


def semaphore_files(inodes: set[int]) -> list[str]:
    """The files in /dev/shm that are still linked to one of ``inodes``."""
    found = []
    for path in Path("/dev/shm").glob("sem.*"):
        try:
            if path.stat().st_ino in inodes:
                found.append(path.name)
        except FileNotFoundError:
            continue
    return found


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_a_build_killed_with_kill_9_leaves_no_leaked_semaphore_warning_nor_semaphore(tmp_path,
                                                                                     executor):
    root = slow_project(tmp_path / "project", epochs=20000, frames=12)
    log = tmp_path / "build.log"  # the killed build, its helpers and the next build share it
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tinynets", "build", "--jobs", "2", "--executor", executor],
            cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=output,
            stderr=output, start_new_session=True)
    deadline = time.monotonic() + 120
    while "\n  tiny/" not in log.read_text():  # a worker reported progress: the pool trains
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    children = descendants(process.pid)
    semaphores = semaphores_of(process.pid)
    assert semaphores  # the pool's queues and locks: what a killed build cannot clean up itself
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while survivors(process.pid, children):  # the resource tracker cleans up, then exits
        assert time.monotonic() < deadline, survivors(process.pid, children)
        time.sleep(0.2)
    assert semaphore_files(semaphores) == []  # unlinked, not leaked
    with open(log, "a") as output:
        subprocess.run([sys.executable, "-m", "tinynets", "build", "--jobs", "2"], cwd=root,
                       env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=output,
                       stderr=output, timeout=600, check=True)
    text = log.read_text()
    assert "built 2 posts" in text
    assert "leaked" not in text and "resource_tracker" not in text, text
