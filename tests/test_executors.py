"""The executors on real processes: a Dask LocalCluster of two worker processes (127.0.0.1 only)
against the local process pool — same numbers bit for bit, progress reported, a killed worker's
job run again elsewhere, and a job that keeps failing named in the build's error."""

from __future__ import annotations

import os
import signal
import time
import warnings

import numpy as np
import pytest

from tinynets.engine import executors
from tinynets.engine.data import frame_epochs
from tinynets.engine.stage import _train_cells_job, _train_job
from tinynets.posts.model import DataSpec, NetSpec

DATA = DataSpec(function="sine", x_range=(0.0, 10.0), points=40, noise=0.1, seed=0)


def job_arguments(name: str, epochs: int, layers=(8,)):
    net = NetSpec(name=name, layers=layers, epochs=epochs, optimizer="adam")
    return (f"test/{name}", DATA, net, (0, 1), frame_epochs(epochs, 5, "geometric"))


@pytest.fixture(scope="module")
def dask_executor():
    messages = []
    with executors.open_executor("dask", jobs=2, on_message=messages.append) as executor:
        executor.messages_seen = messages
        yield executor


def cells_arguments(epochs: int):
    cells = [NetSpec(name=f"cell-{rate}", layers=(6,), epochs=epochs, optimizer="sgd",
                     learning_rate=rate) for rate in (0.01, 0.05)]
    return ("test/cells", DATA, cells, (0, 1), frame_epochs(epochs, 5, "geometric"))


def run_all(executor, named_arguments: dict) -> dict:
    jobs = {executor.submit(label, _train_cells_job if label == "cells" else _train_job,
                            *arguments): label
            for label, arguments in named_arguments.items()}
    return {jobs[job]: result for job, result in executor.completed(jobs)}


def assert_identical(one: dict, other: dict) -> None:
    for name in ("seeds", "frame_epochs", "grid", "predictions", "losses", "fit_losses"):
        assert np.array_equal(one[name], other[name]), name
    for mine, theirs in zip(one["weights"], other["weights"], strict=True):
        assert np.array_equal(mine, theirs)


@pytest.mark.timeout(300)
def test_dask_equals_the_local_pool_bit_for_bit_and_reports_progress(dask_executor):
    work = {"wide": job_arguments("wide", 60), "deep": job_arguments("deep", 60, (4, 4)),
            "cells": cells_arguments(40)}
    with executors.open_executor("local", jobs=2) as pool:
        local = run_all(pool, work)
    on_dask = run_all(dask_executor, work)
    assert dask_executor.address.startswith("tcp://127.0.0.1:")
    assert len(dask_executor.workers()) == 2
    for name in ("wide", "deep"):
        assert_identical(local[name], on_dask[name])
    assert len(on_dask["cells"]) == 2  # a sweep's cells trained in one graph: one each
    for mine, theirs in zip(local["cells"], on_dask["cells"], strict=True):
        assert_identical(mine, theirs)
    # Progress travels as Dask events, apart from the results: the last may come in just after.
    deadline = time.monotonic() + 10
    while ["update", "test/wide", 60] not in [list(m[:3]) for m in dask_executor.messages_seen]:
        assert time.monotonic() < deadline, dask_executor.messages_seen
        dask_executor.drain()
        time.sleep(0.05)
    kinds = {(message[0], message[1]) for message in dask_executor.messages_seen}
    assert ("start", "test/wide") in kinds and ("update", "test/deep") in kinds


@pytest.mark.timeout(300)
def test_a_killed_worker_job_is_retried_elsewhere_with_identical_results(dask_executor):
    arguments = job_arguments("killed", 6000)
    expected = run_all(dask_executor, {"killed": arguments})["killed"]
    dask_executor.messages_seen.clear()
    job = dask_executor.submit("killed", _train_job, *arguments)
    # Wait until the job is training (it reported epochs done), then kill the worker holding it
    # (its process id, from the scheduler's view of who processes the job).
    deadline = time.monotonic() + 120
    holder = None
    while holder is None:
        dask_executor.drain()
        assert time.monotonic() < deadline and not job.handle.done(), "no worker took the job"
        started = any(message[:2] == ("update", "test/killed") and message[2] > 0
                      for message in dask_executor.messages_seen)
        processing = dask_executor.client.processing()
        holders = [address for address, keys in processing.items() if job.handle.key in keys]
        if started and holders:
            holder = holders[0]
        time.sleep(0.05)
    victim = dask_executor.workers()[holder]
    os.kill(victim, signal.SIGKILL)
    [(finished, result)] = list(dask_executor.completed([job]))
    assert finished is job
    assert_identical(result, expected)
    assert victim not in dask_executor.workers().values()  # the job ran on another process


@pytest.mark.timeout(300)
def test_a_job_that_keeps_failing_fails_the_build_naming_the_net(dask_executor):
    label, data, net, seeds, _ = job_arguments("broken", 10)
    job = dask_executor.submit(label, _train_job, label, data, net, seeds, [5, 1])  # unsorted
    with pytest.raises(executors.JobFailed) as failure:
        list(dask_executor.completed([job]))
    message = str(failure.value)
    assert message.startswith(f"training test/broken failed {executors.RETRIES + 1} times")
    assert "epochs_at must be distinct sorted epochs" in message


@pytest.mark.timeout(300)
def test_leaving_a_local_cluster_stops_its_workers_at_once(dask_executor):
    # The pool's rule, on Dask: once every result is in, the cluster's workers are killed rather
    # than left a second each to shut TensorFlow down gracefully; none is restarted or left.
    # Started while another build's cluster runs (the fixture's): no port is contended.
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        executor = executors.open_executor("dask", jobs=2)
    assert not [warning for warning in said if "already in use" in str(warning.message)]
    with executor:
        results = run_all(executor, {"first": job_arguments("first", 20),
                                     "second": job_arguments("second", 20)})
        assert set(results) == {"first", "second"}
        nannies = list(executor.cluster.workers.values())
        processes = [nanny.process.process for nanny in nannies]
        pids = sorted(executor.workers().values())
    assert sorted(process.pid for process in processes) == pids
    assert [process.exitcode for process in processes] == [-signal.SIGKILL] * 2
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # gone, and reaped: not even a zombie


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(executors.TinynetsError) as failure:
        executors.open_executor("dask", jobs=1, address="tcp://127.0.0.1:1")
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in str(failure.value)
    assert "dask scheduler" in str(failure.value)


def test_the_command_line_refuses_a_scheduler_without_dask_and_an_unknown_executor(tmp_path,
                                                                                   capsys,
                                                                                   monkeypatch):
    from tinynets import cli

    assert cli.main(["build", "--root", str(tmp_path), "--scheduler", "tcp://10.0.0.5:8786"]) == 1
    assert capsys.readouterr().err == ("error: --scheduler names a Dask scheduler: add "
                                       "--executor dask to use it.\n")
    monkeypatch.setenv("TINYNETS_EXECUTOR", "ray")
    assert cli.main(["build", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err == ("error: TINYNETS_EXECUTOR=ray: unknown executor; "
                                       "expected local or dask.\n")


@pytest.mark.parametrize("address, problem", [
    ("not-an-address", "not a Dask scheduler address. Expected tcp://HOST:PORT (the address "
                       "`dask scheduler` prints when it starts), e.g. tcp://10.0.0.5:8786."),
    ("http://127.0.0.1:8786", "a Dask scheduler is reached over tcp:// (or tls://), not "
                              "http:// (a web address is its dashboard's). Did you mean "
                              "tcp://127.0.0.1:8786?"),
    ("tcp://10.0.0.5", "no port. Expected tcp://HOST:PORT (the address `dask scheduler` "
                       "prints when it starts), e.g. tcp://10.0.0.5:8786."),
    ("tcp://10.0.0.5:99999", "the port must be a number from 1 to 65535."),
])
def test_a_bad_scheduler_address_is_refused_when_the_arguments_are_read(tmp_path, capsys,
                                                                        address, problem):
    from tinynets import cli

    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "--root", str(tmp_path), "--executor", "dask", "--scheduler", address])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.endswith(f"python -m tinynets build: error: argument --scheduler: {address}: "
                          f"{problem}\n"), error
    assert "Traceback" not in error and not (tmp_path / "build").exists()


def test_good_scheduler_addresses_pass_the_check():
    for address in ("tcp://10.0.0.5:8786", "tls://scheduler.example.org:8786",
                    "127.0.0.1:8786", "tcp://[::1]:8786"):
        assert executors.scheduler_address(address) == address


def test_a_bad_scheduler_address_in_the_environment_is_refused(tmp_path, capsys, monkeypatch):
    from tinynets import cli

    monkeypatch.setenv("TINYNETS_SCHEDULER", "not-an-address")
    assert cli.main(["build", "--root", str(tmp_path), "--executor", "dask"]) == 1
    assert capsys.readouterr().err == (
        "error: TINYNETS_SCHEDULER=not-an-address: not a Dask scheduler address. Expected "
        "tcp://HOST:PORT (the address `dask scheduler` prints when it starts), e.g. "
        "tcp://10.0.0.5:8786.\n")
