"""A real build with ``--executor dask`` (a LocalCluster on 127.0.0.1) killed with ``kill -9``
while its workers train: no worker, nanny or scheduler process may outlive it for long.

The LocalCluster runs its scheduler and nannies inside the build process; each worker is a
spawned child whose parent pipe ends when the build dies, and Dask's worker process exits at
once then (its ``_immediate_exit_when_closed`` thread), like ``tinynets.workers``' own pool
(PR_SET_PDEATHSIG and the watchdog). Nothing is written to build/cache after the kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from support import REPO
from process_support import descendants, read_until, slow_project, snapshot, survivors

pytestmark = pytest.mark.slow

GONE_WITHIN_SECONDS = 10


@pytest.mark.timeout(300)
def test_dask_build_killed_while_training_leaves_no_process(tmp_path):
    pytest.importorskip("distributed")
    root = slow_project(tmp_path / "project", epochs=20000, frames=12)
    process = subprocess.Popen(
        [sys.executable, "-m", "tinynets", "build", "--jobs", "2", "--executor", "dask"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = read_until(process, "  tiny/")  # a worker reported progress: training
        assert any(line.startswith("train   tiny/") for line in lines), lines
        children = descendants(process.pid)
        assert len(children) >= 2, children  # the cluster's worker processes
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        process.stdout.close()
        deadline = time.monotonic() + GONE_WITHIN_SECONDS
        while survivors(process.pid, children) and time.monotonic() < deadline:
            time.sleep(0.2)
        alive = survivors(process.pid, children)
        assert not alive, {pid: open(f"/proc/{pid}/cmdline", "rb").read()[:200]
                           for pid in alive}
        cache = root / "build" / "cache"
        after = snapshot(cache)
        time.sleep(2)
        assert snapshot(cache) == after  # nothing written after the kill
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
