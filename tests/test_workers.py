"""Worker processes die with the process that started them, and a failed job stops the rest.

Real processes, no TensorFlow: a parent that is SIGKILLed while its workers sleep, and a worker
whose parent is gone while only its watchdog (not the kernel's parent-death signal) watches.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from support import REPO
from process_support import wait_gone
from tinynets import workers

ENVIRONMENT = {**os.environ, "PYTHONPATH": str(REPO)}


PARENT = """
import os, signal, sys, time
from tinynets import workers

if __name__ == "__main__":
    with workers.Pool(2) as pool:
        futures = [pool.submit(time.sleep, 60) for _ in range(2)]
        while len(pool.processes()) < 2:
            time.sleep(0.05)
        time.sleep(1.0)  # the workers have started their jobs
        print(" ".join(str(pid) for pid in pool.processes()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_die_when_the_build_process_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    result = subprocess.run([sys.executable, str(script)], env=ENVIRONMENT, timeout=120,
                            capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL, result.stderr
    pids = [int(pid) for pid in result.stdout.split()]
    assert len(pids) == 2
    assert wait_gone(pids, 2.0) == set()


WATCHED = """
import sys, threading, time
from tinynets import workers

threading.Thread(target=workers._watch_parent, args=(int(sys.argv[1]),), daemon=True).start()
time.sleep(60)
"""

MIDDLE = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", {watched!r}, str(os.getpid())],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(child.pid, flush=True)
"""


def test_the_watchdog_ends_a_worker_whose_parent_is_gone_without_prctl():
    """The fallback where the parent-death signal is missing (or its thread ended early)."""
    middle = subprocess.run([sys.executable, "-c", MIDDLE.format(watched=WATCHED)],
                            env=ENVIRONMENT, capture_output=True, text=True, timeout=60)
    child = int(middle.stdout)  # the middle process has exited: the child is an orphan now
    assert wait_gone([child], 3.0) == set()


def boom():
    raise RuntimeError("this job failed")


def test_a_failed_job_stops_the_other_workers_at_once():
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="this job failed"):
        with workers.Pool(2) as pool:
            futures = [pool.submit(time.sleep, 60), pool.submit(boom)]
            for future in pool.completed(futures):
                pids = pool.processes()
                future.result()
    assert time.monotonic() - started < 30  # not the 60 s the other job would take
    assert wait_gone(pids, 5.0) == set()


def test_report_reaches_the_handler_in_process_and_the_board_from_a_worker():
    received = []
    with workers.reporting(received.append):
        workers.report("start", "a/b", 10, 2)
    workers.report("update", "a/b", 5)  # no handler any more: dropped, not an error
    assert received == [("start", "a/b", 10, 2)]

    messages = []
    with workers.Pool(1, on_message=messages.append) as pool:
        for future in pool.completed([pool.submit(workers.report, "update", "x/y", 3)]):
            future.result()
    assert messages == [("update", "x/y", 3)]
