"""README's "Scaling out", as written: a real `dask scheduler` and `dask worker` started from the
checkout train a build's nets (the package is installed in .venv, so they import it); a cluster
whose processes cannot import tinynets is named at once, with the fix, instead of failing each
job three times; bad addresses are refused when the arguments are read; a refused connection
fails at once; a warm build says that nothing needed the scheduler."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np
import pytest

from support import REPO, copy_built, make_project, run_build
from store_support import recordings

BIN = Path(sys.executable).parent
WITHOUT_PYTHONPATH = {name: value for name, value in os.environ.items()
                      if name not in ("PYTHONPATH", "TINYNETS_SCHEDULER", "TINYNETS_EXECUTOR")}


class Cluster:
    """`dask scheduler` and `dask worker` processes, as README starts them, on 127.0.0.1."""

    def __init__(self, folder: Path, dask: list[str], cwd: Path, workers: int = 2):
        self.processes: list[subprocess.Popen] = []
        scheduler_file = folder / "scheduler.json"
        logs = folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        # README: `dask scheduler --host 0.0.0.0 --port 8786`; here 127.0.0.1 and a free port.
        self.start(dask + ["scheduler", "--host", "127.0.0.1", "--port", "0",
                           "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                   cwd, logs / "scheduler.log")
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file():
            assert time.monotonic() < deadline, (logs / "scheduler.log").read_text()
            time.sleep(0.1)
        time.sleep(0.2)  # written whole
        self.address = json.loads(scheduler_file.read_text())["address"]
        # README: `dask worker tcp://SCHEDULER_HOST:8786 --nworkers 2 --nthreads 1`
        self.start(dask + ["worker", self.address, "--nworkers", str(workers), "--nthreads",
                           "1", "--no-dashboard"], cwd, logs / "worker.log")
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)
        self.logs = logs

    def start(self, command: list[str], cwd: Path, log: Path) -> None:
        with open(log, "w") as output:
            self.processes.append(subprocess.Popen(
                command, cwd=cwd, env=WITHOUT_PYTHONPATH, stdout=output, stderr=output,
                start_new_session=True))

    def stop(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path):
    started = Cluster(tmp_path / "cluster", [str(BIN / "dask")], cwd=REPO)
    yield started
    started.stop()


@pytest.fixture
def cluster_without_tinynets(tmp_path):
    """A cluster in an environment with the locked packages but not tinynets: a venv whose
    site-packages reaches the project's through a path (so the project's .pth files, among them
    the editable install of tinynets, are not read), started outside any checkout."""
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)],
                   check=True, timeout=120)
    site = Path(sysconfig.get_paths(vars={"base": str(environment),
                                          "platbase": str(environment)})["purelib"])
    (site / "locked.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = str(environment / "bin" / "python")
    check = subprocess.run([python, "-c", "import distributed, importlib.util as u; "
                            "print(u.find_spec('tinynets'))"], cwd=tmp_path,
                           env=WITHOUT_PYTHONPATH, capture_output=True, text=True, timeout=120)
    assert check.stdout == "None\n", check.stdout + check.stderr
    started = Cluster(tmp_path / "cluster", [python, "-m", "dask"], cwd=tmp_path)
    yield started
    started.stop()


pytestmark = pytest.mark.slow


@pytest.mark.timeout(600)
def test_readme_scaling_out_steps_train_the_build_with_identical_numbers(cluster, built_project,
                                                                        tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny",))
    result = run_build(root, "--executor", "dask", "--scheduler", cluster.address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "trained tiny/wide" in result.stdout and "trained tiny/deep" in result.stdout
    here, there = recordings(root), recordings(built_project)
    assert len(here) == 2 and set(here) <= set(there)
    for fingerprint, arrays in here.items():
        for name, array in arrays.items():
            assert np.array_equal(array, there[fingerprint][name], equal_nan=True), name


@pytest.mark.timeout(600)
def test_a_cluster_that_cannot_import_tinynets_is_named_at_once_with_the_fix(
        cluster_without_tinynets, tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny",))
    address = cluster_without_tinynets.address
    started = time.monotonic()
    result = run_build(root, "--executor", "dask", "--scheduler", address)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: the Dask scheduler at {address} and 2 of its 2 workers cannot import "
        "tinynets: the training jobs name its functions, so the scheduler and every worker "
        "need the package. Install it in the environment they run from (in a checkout of "
        "tinynets: `make venv`, which runs pip install -r requirements.lock, then pip install "
        "--no-deps -e .), or start them with PYTHONPATH set to the checkout; then build "
        "again.\n")
    assert time.monotonic() - started < 30  # not three failed attempts per job
    assert not (root / "build" / "site").exists()


REFUSED = "tcp://127.0.0.1:1"  # nothing listens on port 1: the connection is refused at once


def test_a_refused_connection_fails_at_once(tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny",))
    started = time.monotonic()
    result = run_build(root, "--executor", "dask", "--scheduler", REFUSED)
    assert time.monotonic() - started < 8  # not the 10 s connection timeout, nor after it
    assert result.returncode == 1
    assert result.stderr == (
        f"error: cannot reach the Dask scheduler at {REFUSED}: connection refused (nothing "
        "listens there). Start one with `dask scheduler` (and workers with `dask worker "
        "<address> --nthreads 1`), or leave out --scheduler to start a local cluster.\n")


def test_a_warm_build_with_dask_says_that_nothing_needed_the_scheduler(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "project")
    result = run_build(root, "--executor", "dask", "--scheduler", REFUSED)
    assert result.returncode == 0, result.stderr
    assert (f"nothing to train: the Dask scheduler at {REFUSED} was not contacted"
            in result.stdout.splitlines()), result.stdout
    local = run_build(root, "--executor", "dask")
    assert local.returncode == 0, local.stderr
    assert "nothing to train: no Dask cluster was started" in local.stdout.splitlines()
