"""Where training jobs run: this process, the local process pool, or a Dask distributed cluster.

The executor is the only part of the build that knows about processes. All three share one
interface: ``submit(label, function, *arguments)`` sends a job (a function importable by name
and plain arguments: specs, tuples, numbers), ``completed(jobs)`` yields ``(job, result)`` as
jobs finish (results are plain values: numpy arrays, numbers, lists and dicts of them), and
progress messages that jobs send with ``tinynets.workers.report`` reach ``on_message`` in the
build process meanwhile. The build process alone writes the cache.

- ``local`` (the default): ``tinynets.workers.Pool``, spawned workers that die with the build;
  with one job, the job runs in this process.
- ``dask``: a ``distributed.Client`` connected to the scheduler at ``address``, or to a
  ``LocalCluster`` of ``jobs`` worker processes (127.0.0.1 only) started for this build when no
  address is given. A worker that dies mid-job has its job run again elsewhere by the
  scheduler (the result is the same: a job depends only on its arguments); a job that keeps
  failing (``RETRIES`` errors, or killing ``ALLOWED_FAILURES`` workers) fails the build with
  ``JobFailed`` naming the net or cell.

Example::

    with open_executor("dask", jobs=2, on_message=print) as executor:
        jobs = [executor.submit("post/net", train_job, *arguments)]
        for job, result in executor.completed(jobs):
            save(job.label, result)
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from tinynets.errors import JobFailed, TinynetsError
from tinynets import workers

EXECUTORS = ("local", "dask")
SCHEDULER_VARIABLE = "TINYNETS_SCHEDULER"  # the scheduler address when --scheduler is not given
EXECUTOR_VARIABLE = "TINYNETS_EXECUTOR"
PROGRESS_TOPIC = "tinynets-progress"  # Dask event topic that carries ``report`` messages
RETRIES = 2  # a job that raises is run again this many times before the build fails
ALLOWED_FAILURES = 2  # workers a job may take down with it (killed, crashed) before it fails
CONNECT_SECONDS = 10


# What a build can reach: tcp:// or tls:// (or no scheme: Dask's default, tcp), then a host name
# or address ([…] for IPv6) and a port.
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(?P<port>[^:]*))?$")
_EXPECTED = ("Expected tcp://HOST:PORT (the address `dask scheduler` prints when it starts), "
             "e.g. tcp://10.0.0.5:8786.")
MISSING_PACKAGE_FIX = (
    "the training jobs name its functions, so the scheduler and every worker need the package. "
    "Install it in the environment they run from (in a checkout of tinynets: `make venv`, which "
    "runs pip install -r requirements.lock, then pip install --no-deps -e .), or start them "
    "with PYTHONPATH set to the checkout; then build again.")


def scheduler_address(text: str) -> str:
    """``text`` if it is a Dask scheduler address a build can reach; else a ``TinynetsError``
    saying what is wrong with it (read when the arguments are, before any work).

    >>> scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    scheme, separator, rest = text.strip().rpartition("://")
    if separator and scheme.lower() not in ("tcp", "tls"):
        web = " (a web address is its dashboard's)" if scheme.lower() in ("http", "https") else ""
        raise TinynetsError(f"{text}: a Dask scheduler is reached over tcp:// (or tls://), not "
                            f"{scheme}://{web}. Did you mean tcp://{rest.split('/', 1)[0]}?")
    match = _HOST_PORT.match(rest)
    if match is None or (match.group("port") is None and not separator):
        raise TinynetsError(f"{text}: not a Dask scheduler address. {_EXPECTED}")
    port = match.group("port")
    if port is None:
        raise TinynetsError(f"{text}: no port. {_EXPECTED}")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise TinynetsError(f"{text}: the port must be a number from 1 to 65535.")
    return text


def _probe(address: str) -> None:
    """Open and close a TCP connection to the scheduler: a refused one fails now, with a plain
    reason, instead of after Dask's connection timeout."""
    match = _HOST_PORT.match(address.strip().rpartition("://")[2])
    if match is None or not (match.group("port") or "").isdigit():
        return  # Dask says what it makes of it
    host = match.group("host").strip("[]")
    try:
        socket.create_connection((host, int(match.group("port"))),
                                 timeout=CONNECT_SECONDS).close()
    except ConnectionRefusedError:
        raise _unreachable(address, "connection refused (nothing listens there)") from None
    except OSError as error:  # a name that does not resolve, a host that does not answer
        raise _unreachable(address, getattr(error, "strerror", None) or str(error)
                           or type(error).__name__) from None


def _unreachable(address: str, reason: str) -> TinynetsError:
    return TinynetsError(
        f"cannot reach the Dask scheduler at {address}: {reason}. Start one with `dask "
        "scheduler` (and workers with `dask worker <address> --nthreads 1`), or leave out "
        "--scheduler to start a local cluster.")


def unused_note(address: str | None) -> str:
    """What a build with ``--executor dask`` says when it has nothing to train: it connects to
    no cluster then (a warm build stays as fast as without Dask)."""
    address = address or os.environ.get(SCHEDULER_VARIABLE) or None
    return (f"nothing to train: the Dask scheduler at {address} was not contacted" if address
            else "nothing to train: no Dask cluster was started")


@dataclass(eq=False)
class Job:
    """One submitted job: its label (post/net or post/sweep cells) and its handle."""

    label: str
    handle: Any = None
    thunk: Callable | None = field(default=None, repr=False)  # in-process jobs: run on demand


def open_executor(kind: str, jobs: int, on_message: Callable | None = None,
                  address: str | None = None, pool=None):
    """The executor ``kind`` (``local`` or ``dask``) for up to ``jobs`` jobs at a time.

    ``pool`` (``local`` only): a ``workers.OnDemandPool`` that other stages share, used instead
    of a pool of the executor's own when more than one job runs at a time; its owner stops it.
    """
    if kind == "local":
        return LocalExecutor(jobs, on_message, pool)
    if kind == "dask":
        return DaskExecutor(jobs, on_message, address)
    raise TinynetsError(f"unknown executor {kind!r}: expected one of {', '.join(EXECUTORS)}.")


class LocalExecutor:
    """Jobs in this process (one job at a time) or in ``workers.Pool`` (several), or in the
    shared ``pool`` given (whose progress messages go where its owner said)."""

    name = "local"

    def __init__(self, jobs: int, on_message: Callable | None = None, pool=None):
        self.jobs, self.on_message = max(1, jobs), on_message
        self.owned = pool is None
        if self.jobs <= 1:
            self.pool = None
        elif pool is not None:
            self.pool = pool
        else:
            self.pool = workers.Pool(self.jobs, on_message=on_message)

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self.pool is not None and self.owned:
            self.pool.__exit__(kind, error, traceback)

    def submit(self, label: str, function: Callable, *arguments) -> Job:
        if self.pool is None:
            return Job(label, thunk=lambda: function(*arguments))
        return Job(label, self.pool.submit(function, *arguments))

    def completed(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Any]]:
        jobs = list(jobs)
        if self.pool is None:
            with workers.reporting(self.on_message or (lambda message: None)):
                for job in jobs:
                    yield job, job.thunk()
            return
        by_future = {job.handle: job for job in jobs}
        for future in self.pool.completed(by_future):
            yield by_future[future], future.result()  # a worker's error stops the build


def _run_on_worker(function: Callable, arguments: tuple):
    """A job on a Dask worker: one at a time per process (compiled loops are not thread-safe),
    progress sent to the build as Dask events, maths libraries on one thread each."""
    from distributed import get_worker

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    worker = get_worker()
    with _WORKER_LOCK, workers.reporting(
            lambda message: worker.log_event(PROGRESS_TOPIC, list(message))):
        return function(*arguments)


_WORKER_LOCK = threading.Lock()


class DaskExecutor:
    """Jobs on a Dask distributed cluster: the one at ``address``, or a LocalCluster."""

    name = "dask"

    def __init__(self, jobs: int, on_message: Callable | None = None,
                 address: str | None = None):
        import dask
        from distributed import Client, LocalCluster

        self.on_message = on_message
        self.messages: queue.Queue = queue.Queue()
        self.cluster = None
        # A job may take this many workers down with it before the scheduler gives up on it
        # (read by a scheduler started here; a remote scheduler keeps its own setting).
        dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES})
        address = address or os.environ.get(SCHEDULER_VARIABLE) or None
        try:
            if address:
                _probe(address)
                self.client = Client(address, timeout=CONNECT_SECONDS)
            else:
                workers.quiet_resource_tracker()  # a killed build's cleanup, without warnings
                self.cluster = LocalCluster(
                    n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None, silence_logs=50,
                    # The scheduler's HTTP server (health, metrics) runs even without a
                    # dashboard; on a free port, so that two builds at once do not contend.
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as error:
            raise _unreachable(address, str(error)) from None
        self.address = self.client.scheduler.address
        if address:  # a cluster started elsewhere: can it run our jobs? (a local one can)
            try:
                self.check_package()
            except BaseException:
                self.client.close()
                raise
        self.client.subscribe_topic(PROGRESS_TOPIC, self._event)

    def check_package(self) -> None:
        """Fail with what to do if the scheduler or a worker cannot import tinynets.

        The scheduler unpickles every task (a reference to a tinynets function), and each
        worker runs it: without the package, every job would fail three times with Dask's
        "Error during deserialization of the task graph". Asked with a standard-library
        function, which any Python process can unpickle.
        """
        from importlib.util import find_spec

        scheduler = self.client.run_on_scheduler(find_spec, "tinynets") is not None
        workers = self.client.run(find_spec, "tinynets")
        without = sorted(worker for worker, spec in workers.items() if spec is None)
        if scheduler and not without:
            return
        count = f"{len(without)} of {'its' if not scheduler else 'the'} {len(workers)} worker" \
                f"{'s' if len(workers) != 1 else ''}"
        if not scheduler:
            who = f"the Dask scheduler at {self.address}" + (f" and {count}" if without else "")
        else:
            who = f"{count} of the Dask scheduler at {self.address} ({', '.join(without)})"
        raise TinynetsError(f"{who} cannot import tinynets: {MISSING_PACKAGE_FIX}")

    def _event(self, event) -> None:
        # Called on the client's event-loop thread: queued, shown from the build's thread.
        _, message = event
        self.messages.put(tuple(message))

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if self.cluster is not None:
                self._stop_own_workers()
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()

    def _stop_own_workers(self) -> None:
        """Stop the worker processes of the LocalCluster started here, at once.

        Every result is in (or the build is failing), and a worker that imported TensorFlow
        takes about a second to exit gracefully: the local pool stops its workers at once too.
        Each nanny is told first not to restart its worker (``close_gracefully`` only sets its
        status), so the cluster's own close then finds nothing left to wait for. A worker
        started by someone else's ``dask worker`` is never touched.
        """
        for nanny in list(self.cluster.workers.values()):
            process = getattr(getattr(nanny, "process", None), "process", None)
            pid = getattr(process, "pid", None)
            nanny.close_gracefully(reason="tinynets: the build is done with its workers")
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass  # already gone

    def workers(self) -> dict[str, int]:
        """Worker address → process id (for tests and diagnostics)."""
        return self.client.run(os.getpid)

    def submit(self, label: str, function: Callable, *arguments) -> Job:
        handle = self.client.submit(_run_on_worker, function, arguments, pure=False,
                                    retries=RETRIES, key=f"tinynets-{label}-{uuid.uuid4().hex[:8]}")
        return Job(label, handle)

    def drain(self) -> None:
        while True:
            try:
                message = self.messages.get_nowait()
            except queue.Empty:
                return
            if self.on_message is not None:
                self.on_message(message)

    def completed(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Any]]:
        """Yield each job with its result as it finishes; progress is passed on meanwhile."""
        from distributed import KilledWorker

        pending = list(jobs)
        try:
            while pending:
                finished = [job for job in pending if job.handle.done()]
                self.drain()
                if not finished:
                    time.sleep(0.05)
                    continue
                for job in finished:
                    pending.remove(job)
                    try:
                        result = job.handle.result()
                    except KilledWorker:
                        raise JobFailed(
                            f"training {job.label} failed: it took down "
                            f"{ALLOWED_FAILURES + 1} Dask workers in a row (killed, or out of "
                            "memory). Check the workers' logs and memory limits, then build "
                            "again.") from None
                    except Exception as error:  # noqa: BLE001 - the job's own error, reported
                        if self.cluster is None:  # a worker that joined without the package?
                            self.check_package()
                        raise JobFailed(
                            f"training {job.label} failed {RETRIES + 1} times on the Dask "
                            f"cluster: {type(error).__name__}: {error}") from None
                    self.drain()
                    yield job, result
        except BaseException:
            for job in pending:
                job.handle.cancel()
            raise
