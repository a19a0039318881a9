"""Worker processes that die with the build, and the progress messages they send back.

The build trains nets and renders media in a pool of spawned processes. Killed with ``kill -9``
or ``kill -TERM``, a build has no chance to stop its workers itself, and ordinary pool workers
then live on under PID 1: they finish their jobs and hold hundreds of megabytes each. So every
worker here is tied to the process that started it, twice over:

- Linux's ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its parent
  dies. (It fires when the parent *thread* that started the worker ends; the pool starts its
  workers from the thread that submits, the build's main thread.)
- a watchdog thread in the worker that polls ``os.getppid()`` and ends the process with
  ``os._exit`` once the parent changed: the fallback where ``prctl`` does not exist, and a
  guard should the starting thread end before the build does.

Workers never write the cache: a job returns plain values (numpy arrays, numbers), and the build
process alone writes them, atomically. A worker killed half way leaves nothing in the cache.

The interface is deliberately small, so another executor (a warm long-lived worker for
``serve``, or a cluster) can stand in with the same three calls::

    with Pool(jobs=2, on_message=board.show) as pool:
        futures = {pool.submit(function, argument): name for name, argument in work.items()}
        for future in pool.completed(futures):       # progress messages shown meanwhile
            use(futures[future], future.result())

Inside a job, ``report(...)`` sends a progress message to the build (``on_message``); in the
build process itself (``jobs == 1``, no pool) it calls the handler set with ``reporting``.

The pool's queues and locks are named semaphores, and multiprocessing's resource tracker (a
helper process that outlives a killed build) unlinks them once the build is gone. That cleanup
is right, but it comes with a warning per kind ("There appear to be 8 leaked semaphore objects")
on the build's stderr, after the build died, so it lands in the next build's log: the tracker
is started with that warning filtered out (``quiet_resource_tracker``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from queue import Empty
from typing import Callable, Iterable, Iterator

WATCHDOG_SECONDS = 0.2  # how often a worker checks that its parent is still there

_queue = None  # in a worker: the pool's message queue
_handler: Callable | None = None  # in the build process: where ``report`` messages go


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere a no-op).

    Also safe between fork and exec (``preexec_fn``): it makes one system call and allocates
    nothing, provided ``_prctl`` was looked up beforehand (at import, below).
    """
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PR_SET_PDEATHSIG = 1
_prctl = _load_prctl()


def _watch_parent(parent: int) -> None:
    """End this process at once (no cleanup, no writes) when ``parent`` is no longer its parent."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(WATCHDOG_SECONDS)


def _start_worker(parent: int, queue, initializer, arguments) -> None:
    global _queue
    die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="tinynets-watchdog",
                     daemon=True).start()
    # A worker is one of several processes on the cores: one thread each for the maths libraries.
    os.environ["OMP_NUM_THREADS"] = "1"
    _queue = queue
    if initializer is not None:
        initializer(*arguments)


# The tracker's warning at shutdown, as a -W filter: the message starts with "resource_tracker:".
TRACKER_WARNING_FILTER = "ignore:resource_tracker:UserWarning"


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, unless running, without its leak warnings.

    The tracker is a separate Python process started with this interpreter's ``-W`` options
    (``sys.warnoptions``); the filter is added for its start only, so nothing else here changes.
    It still unlinks what a killed build left (the semaphores do not leak); it only no longer
    prints a warning about it into whatever log the build's stderr was.
    """
    from multiprocessing import resource_tracker

    added = TRACKER_WARNING_FILTER not in sys.warnoptions
    if added:
        sys.warnoptions.append(TRACKER_WARNING_FILTER)
    try:
        resource_tracker.ensure_running()
    finally:
        if added:
            sys.warnoptions.remove(TRACKER_WARNING_FILTER)


def report(*message) -> None:
    """Send a progress message to the build: from a worker through the pool, else directly."""
    if _queue is not None:
        _queue.put(message)
    elif _handler is not None:
        _handler(message)


@contextmanager
def reporting(handler: Callable) -> Iterator[None]:
    """Within the block, ``report`` in this process calls ``handler`` (jobs run in-process)."""
    global _handler
    previous, _handler = _handler, handler
    try:
        yield
    finally:
        _handler = previous


class Pool:
    """Up to ``jobs`` spawned worker processes that die with this one (see the module notes).

    Leaving the block normally waits for the jobs; leaving it with an error (a failed job,
    Ctrl-C, or SIGTERM, which the command line turns into an exception) kills the workers at
    once instead of letting them run on.
    """

    def __init__(self, jobs: int, on_message: Callable | None = None,
                 initializer: Callable | None = None, initargs: tuple = ()):
        # Imported here: a warm build starts no workers and need not pay for these imports.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        quiet_resource_tracker()  # before the first semaphore (the queue) starts it
        # Spawned, not forked: the build process may hold TensorFlow's or matplotlib's threads.
        context = multiprocessing.get_context("spawn")
        self.queue = context.Queue()
        self.on_message = on_message
        self.executor = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker,
            initargs=(os.getpid(), self.queue, initializer, initargs))

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self.stop(wait=kind is None)

    def stop(self, wait: bool) -> None:
        """Wait for the jobs and the workers' exit, passing the last messages on, or (not
        ``wait``) kill the workers now; then release the message queue."""
        if wait:
            self.executor.shutdown(wait=True)
            self.drain()
        else:
            self.terminate()
        self.queue.close()
        self.queue.cancel_join_thread()

    def submit(self, function: Callable, *arguments) -> Future:
        return self.executor.submit(function, *arguments)

    def completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        """Yield each future as it finishes, passing progress messages on while waiting.

        Messages a job sent before it finished are passed on before its future is yielded.
        """
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            self.drain()
            yield from done

    def drain(self) -> None:
        """Pass every message that has arrived to ``on_message`` (none is lost or fatal)."""
        while True:
            try:
                message = self.queue.get_nowait()
            except (Empty, OSError, ValueError, EOFError):
                return
            if self.on_message is not None:
                self.on_message(message)

    def processes(self) -> list[int]:
        """The worker process ids (for tests and diagnostics)."""
        return list(getattr(self.executor, "_processes", None) or {})

    def terminate(self) -> None:
        """Stop now: cancel what has not started and kill the workers running jobs."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        for process in processes:
            try:
                process.join(timeout=5)
            except (OSError, ValueError, AssertionError):
                pass


class OnDemandPool:
    """A ``Pool`` that starts with its first job, for stages that share one pool of workers.

    The build trains and renders in one pool, so that rendering starts in workers that are
    already running, as soon as the runs a medium shows are trained. A build with nothing to do
    never submits, so it starts no workers and imports nothing for them.

    Leaving the block without an error, every job's result has been collected: progress
    messages still queued are passed on, then the workers are stopped at once (a worker that
    imported TensorFlow takes about a second to shut down gracefully, and has nothing left to
    do or to write). With an error, they are stopped at once too (``Pool``).
    """

    def __init__(self, jobs: int, on_message: Callable | None = None):
        self.jobs, self.on_message = max(1, jobs), on_message
        self.pool: Pool | None = None

    @property
    def started(self) -> bool:
        return self.pool is not None

    def __enter__(self) -> "OnDemandPool":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.drain()
        self.pool.stop(wait=False)

    def submit(self, function: Callable, *arguments) -> Future:
        if self.pool is None:
            self.pool = Pool(self.jobs, on_message=self.on_message)
        return self.pool.submit(function, *arguments)

    def completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        futures = list(futures)
        if self.pool is None:
            assert not futures, "futures of another pool"
            return iter(())
        return self.pool.completed(futures)

    def drain(self) -> None:
        if self.pool is not None:
            self.pool.drain()

    def processes(self) -> list[int]:
        return [] if self.pool is None else self.pool.processes()
