"""Build stage: train every net whose recording is not cached (in parallel up to ``jobs``).

TensorFlow is imported only when something has to train: in this process when one net trains,
in worker processes (one thread each, so they do not oversubscribe the cores) when several do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from tinynets.progress import ProgressBoard
from tinynets.spec.posts import Post
from tinynets.engine.store import CorruptEntry, RunIndex, RunKey, RunStore, describe_change, run_key


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
                  board: ProgressBoard) -> dict[tuple[str, str], Run]:
    """Load every cached run, train the rest, and return all runs by (post slug, net name)."""
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
        metas = _train(list(missing.values()), store, jobs, board)
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


def _train(runs: list[Run], store: RunStore, jobs: int, board: ProgressBoard) -> dict[str, dict]:
    jobs = max(1, min(jobs, len(runs)))
    if jobs == 1:
        from tinynets.engine import loop as train  # TensorFlow is imported here, only when needed

        return {run.key.fingerprint: _train_one(run, store, board, train) for run in runs}

    # Imported here: a warm build starts no workers and need not pay for these imports.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    results: dict[str, dict] = {}
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start,
                             initargs=(queue,)) as pool:
        futures = {pool.submit(_worker_train, run, store.root): run for run in runs}
        pending = set(futures)
        while pending:
            _drain(queue, board)
            done = {future for future in pending if future.done()}
            for future in done:
                run = futures[future]
                results[run.key.fingerprint] = future.result()
                _drain(queue, board)
                board.finish(run.label)
            pending -= done
            if pending:
                try:
                    _show(queue.get(timeout=0.2), board)
                except Empty:  # nothing new: check the futures again
                    pass
    return results


def _train_one(run: Run, store: RunStore, board: ProgressBoard, train) -> dict:
    data, net, seeds, epochs_at = _job(run)
    board.start(run.label, net.epochs, len(seeds))
    recording = train.train_net(data, net, seeds, epochs_at,
                                progress=lambda done, total: board.update(run.label, done))
    board.finish(run.label)
    return store.save(run.key, net, recording)


def _drain(queue, board: ProgressBoard) -> None:
    while True:
        try:
            _show(queue.get_nowait(), board)
        except Empty:
            return


def _show(message, board: ProgressBoard) -> None:
    kind, name, *values = message
    if kind == "start":
        board.start(name, *values)
    else:
        board.update(name, *values)


_progress_queue = None


def _worker_start(queue) -> None:
    global _progress_queue
    _progress_queue = queue
    os.environ["OMP_NUM_THREADS"] = "1"


def _worker_train(run: Run, root: Path) -> dict:
    from tinynets.engine import loop as train

    data, net, seeds, epochs_at = _job(run)
    _progress_queue.put(("start", run.label, net.epochs, len(seeds)))
    recording = train.train_net(
        data, net, seeds, epochs_at,
        progress=lambda done, total: _progress_queue.put(("update", run.label, done)),
    )
    return RunStore(root).save(run.key, net, recording)
