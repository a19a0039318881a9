"""Build stage: train every net whose recording is not cached (in parallel up to ``jobs``).

TensorFlow is imported only when something has to train: in this process when one net trains,
in worker processes (one thread each, so they do not oversubscribe the cores) when several do.
Workers return recordings; only this process writes the cache (``RunStore.save``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinynets import workers
from tinynets.engine import executors
from tinynets.progress import ProgressBoard
from tinynets.spec.posts import Post
from tinynets.engine.store import (CorruptEntry, RunIndex, RunKey, RunStore, describe_change,
                                   plain_recording, run_key)


@dataclass
class Run:
    """One net of one post, with its cache key and (once trained) its metadata."""

    post: Post
    net_name: str
    key: RunKey
    meta: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.post.slug}/{self.net_name}"


def train_missing(posts: list[Post], cache: Path, force: bool, jobs: int, log,
                  board: ProgressBoard, executor: str = "local",
                  scheduler: str | None = None) -> dict[tuple[str, str], Run]:
    """Load every cached run, train the rest, and return all runs by (post slug, net name).

    ``executor`` (``local`` or ``dask``, see ``engine.executors``) runs the training jobs;
    ``scheduler`` is the Dask scheduler's address (none: a local Dask cluster).
    """
    store, index = RunStore(cache / "runs"), RunIndex(cache / "index.json")
    runs: dict[tuple[str, str], Run] = {}
    missing: dict[str, Run] = {}  # by fingerprint: two posts may share one run
    for post in posts:
        for net in post.nets:
            run = Run(post, net.name, run_key(post.data, net, post.seeds, post.frames))
            runs[(post.slug, net.name)] = run
            if run.key.fingerprint in missing:
                continue
            reason = None
            try:
                run.meta = None if force else store.load_meta(run.key)
            except CorruptEntry as error:
                reason = f"corrupt cache entry ({error})"
            if force:
                reason = "--force"
            if run.meta is None:
                previous = index.previous(post.slug, net.name)
                reason = reason or (describe_change(previous, run.key.spec) if previous
                                    else "never trained")
                log(f"train   {run.label}: {reason}")
                missing[run.key.fingerprint] = run
            else:
                log(f"reused  {run.label} (trained in {run.meta['wall_time']:.1f}s)")

    if missing:
        metas = _train(list(missing.values()), store, jobs, board, executor, scheduler)
        for run in missing.values():
            run.meta = metas[run.key.fingerprint]
            _report(run, log)
    for run in runs.values():
        if run.meta is None:  # shares a fingerprint with a run trained just now
            run.meta = missing[run.key.fingerprint].meta
        index.record(run.post.slug, run.net_name, run.key)
    index.save()
    return runs


def _report(run: Run, log) -> None:
    meta = run.meta
    diverged = [seed for seed, at in zip(meta["seeds"], meta["diverged_at"]) if at]
    note = f"; diverged: seed{'s' if len(diverged) > 1 else ''} " + ", ".join(
        f"{seed} (epoch {at})" for seed, at in zip(meta["seeds"], meta["diverged_at"]) if at
    ) if diverged else ""
    log(f"trained {run.label}: {len(meta['seeds'])} seeds in {meta['wall_time']:.1f}s{note}")


def _job(run: Run):
    """What ``train.train_net`` needs for a run: data, net, seeds, frame epochs."""
    return run.post.data, run.post.net(run.net_name), run.post.seeds, run.key.spec["frames"]


def _train(runs: list[Run], store: RunStore, jobs: int, board: ProgressBoard,
           executor: str = "local", scheduler: str | None = None) -> dict[str, dict]:
    """Train ``runs`` through the executor (up to ``jobs`` at a time); save each as it finishes.

    Jobs only train and hand back the recording as plain arrays: this process alone writes
    the cache, so a worker orphaned by a killed build could never publish an entry (and local
    workers die with the build anyway, see ``tinynets.workers``).
    """
    metas: dict[str, dict] = {}
    jobs = max(1, min(jobs, len(runs)))
    with executors.open_executor(executor, jobs, board.show, scheduler) as running:
        submitted = {}
        for run in runs:
            submitted[running.submit(run.label, _train_job, run.label, *_job(run))] = run
        for job, recording in running.completed(submitted):
            _save(submitted[job], store, recording, board, metas)
    return metas


def _save(run: Run, store: RunStore, recording: dict, board: ProgressBoard,
          metas: dict[str, dict]) -> None:
    board.finish(run.label)
    metas[run.key.fingerprint] = store.save(run.key, run.post.net(run.net_name), recording)


def _train_job(label: str, data, net, seeds, epochs_at) -> dict:
    """Train one net (in a worker or in this process) and return its recording as plain arrays.

    Nothing here writes a file: the caller saves the result.
    """
    from tinynets.engine import loop as train  # TensorFlow is imported here, only when needed

    workers.report("start", label, net.epochs, len(seeds))
    recording = train.train_net(
        data, net, seeds, epochs_at,
        progress=lambda done, total: workers.report("update", label, done),
    )
    return plain_recording(recording)
