"""Build stage: train every net whose recording is not cached (in parallel up to ``jobs``).

TensorFlow is imported only when something has to train: in this process when one net trains,
in worker processes (one thread each, so they do not oversubscribe the cores) when several do.
Workers return recordings; only this process writes the cache (``RunStore.save``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tinynets import workers
from tinynets.engine import executors
from tinynets.progress import ProgressBoard
from tinynets.posts.model import Post
from tinynets.errors import CorruptEntry
from tinynets.engine.store import (RunIndex, RunKey, RunStore, plain_recording, run_key)


@dataclass
class Run:
    """One net of one post, with its cache key and (once trained) its metadata."""

    post: Post
    net_name: str
    key: RunKey
    meta: dict | None = None
    sweep: str | None = None  # a sweep's cell: its sweep (trained with the other cells of its
    # graph shape); None for a net

    @property
    def cell(self) -> bool:
        return self.sweep is not None

    @property
    def seeds(self) -> tuple[int, ...]:
        """The seeds its page shows (the run trained ``replication_seeds`` too)."""
        return tuple(self.post.seeds)

    @property
    def replication_seeds(self) -> tuple[int, ...]:
        """The seeds trained with the shown ones only to check claims on: never shown."""
        return tuple(self.post.replication_seeds)

    @property
    def shown(self) -> str:
        """What its media are drawn from: the run's fingerprint, and the seeds shown when it
        trained others too (two posts may share a run and show different seeds of it)."""
        if not self.replication_seeds:
            return self.key.fingerprint
        return f"{self.key.fingerprint} seeds {','.join(map(str, self.seeds))}"

    @property
    def label(self) -> str:
        return f"{self.post.slug}/{self.net_name}"


def post_run(post: Post, net, sweep: str | None = None) -> Run:
    """The run of ``net`` (a net or a cell of ``sweep``) of ``post``: every seed the post trains,
    shown and replication, in one run."""
    return Run(post, net.name, run_key(post.data, net, post.run_seeds, post.frames), sweep=sweep)


def train_missing(posts: list[Post], cache: Path, force: bool, jobs: int, log,
                  board: ProgressBoard, executor: str = "local",
                  scheduler: str | None = None, pool=None,
                  on_runs=None) -> dict[tuple[str, str], Run]:
    """Load every cached run, train the rest, and return all runs by (post slug, net name).

    ``executor`` (``local`` or ``dask``, see ``engine.executors``) runs the training jobs;
    ``scheduler`` is the Dask scheduler's address (none: a local Dask cluster). ``pool``: a
    ``workers.OnDemandPool`` shared with the media stage, in which the ``local`` executor runs
    its jobs when it runs several. ``on_runs(runs)`` is called in this process with every run
    (by post slug and net name; ``meta`` set once trained or loaded) after the training jobs are
    submitted, after each one is saved and at the end: the media stage uses it to render a
    medium as soon as the runs it shows are there.
    """
    store, index = RunStore(cache / "runs"), RunIndex(cache / "index.json", log)
    runs: dict[tuple[str, str], Run] = {}
    missing: dict[str, Run] = {}  # by fingerprint: two posts may share one run
    for post in posts:
        for net in post.nets:
            run = post_run(post, net)
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
                reason = reason or index.reason(post.slug, net.name, run.key)
                log(f"train   {run.label}: {reason}")
                missing[run.key.fingerprint] = run
            else:
                log(f"reused  {run.label} (trained in {run.meta['wall_time']:.1f}s)")
        for sweep in post.sweeps:
            _find_cells(post, sweep, store, force, runs, missing, log)

    if missing:
        nets = [run for run in missing.values() if not run.cell]
        cells = [run for run in missing.values() if run.cell]
        sharing: dict[str, list[Run]] = {}  # fingerprint → every run of it
        for run in runs.values():
            sharing.setdefault(run.key.fingerprint, []).append(run)

        def saved(new: dict[str, dict]) -> None:
            for fingerprint, meta in new.items():
                for run in sharing[fingerprint]:
                    run.meta = meta
            if on_runs is not None:
                on_runs(runs)

        # ``saved`` gives every run its meta, runs that share a fingerprint included.
        _train(nets, store, jobs, board, executor, scheduler, cells, pool, saved)
        for run in nets:
            _report(run, log)
        _report_cells(cells, log)
    elif executor == "dask":
        log(executors.unused_note(scheduler))
    store.keep_verified()
    for run in runs.values():
        index.record(run.post.slug, run.net_name, run.key)
    index.save()
    if on_runs is not None:
        on_runs(runs)
    return runs


def _report(run: Run, log) -> None:
    meta = run.meta
    diverged = [seed for seed, at in zip(meta["seeds"], meta["diverged_at"]) if at]
    note = f"; diverged: seed{'s' if len(diverged) > 1 else ''} " + ", ".join(
        f"{seed} (epoch {at})" for seed, at in zip(meta["seeds"], meta["diverged_at"]) if at
    ) if diverged else ""
    log(f"trained {run.label}: {_seeds_text(run)} in {meta['wall_time']:.1f}s{note}")


def _seeds_text(run: Run) -> str:
    """'10 seeds', or '10 + 10 replication seeds' when the run trained replication seeds."""
    if run.replication_seeds:
        return f"{len(run.seeds)} + {len(run.replication_seeds)} replication seeds"
    return f"{len(run.seeds)} seed{'s' if len(run.seeds) != 1 else ''}"


def _job(run: Run):
    """What ``train.train_net`` needs for a run: data, net, seeds (the shown and the replication
    seeds, stacked in one compiled loop), frame epochs."""
    return run.post.data, run.post.net(run.net_name), run.post.run_seeds, run.key.spec["frames"]


def _find_cells(post: Post, sweep, store: RunStore, force: bool, runs: dict,
                missing: dict, log) -> None:
    """Add a sweep's cells to ``runs``, and those not cached to ``missing``; say which.

    A cell's fingerprint follows the net rules, so a cell trained before as a net, or in another
    sweep, or in an earlier version of this sweep, is reused: changing one value of a sweep
    trains only the cells that value makes.
    """
    new, reused, corrupt, shared = [], 0, 0, 0
    for cell in sweep.cells:
        run = post_run(post, cell, sweep.name)
        runs[(post.slug, cell.name)] = run
        if run.key.fingerprint in missing:  # a net (or cell) trained in this build already
            shared += 1
            continue
        try:
            run.meta = None if force else store.load_meta(run.key)
        except CorruptEntry:
            corrupt += 1
        if run.meta is None:
            missing[run.key.fingerprint] = run
            new.append(cell.label)
        else:
            reused += 1
    label = f"{post.slug}/{sweep.name}"
    if not new:
        log(f"reused  {label}: all {reused} cells")
        return
    # A cell's label has commas of its own ("1×4, lr 0.01"): cells are separated by semicolons.
    shown = "; ".join(new[:4] + ([f"{len(new) - 4} more"] if len(new) > 4 else []))
    why = "--force" if force else f"{corrupt} corrupt" if corrupt else ""
    log(f"train   {label}: {len(new)} of {len(sweep.cells)} cells "
        f"({why + ': ' if why else ''}{shown}); {reused} reused"
        + (f", {shared} trained as nets or other cells" if shared else ""))


def _report_cells(cells: list[Run], log) -> None:
    """One line per sweep trained: its cells, seeds, time and divergences."""
    by_sweep: dict[str, list[Run]] = {}
    for run in cells:
        by_sweep.setdefault(f"{run.post.slug}/{run.sweep}", []).append(run)
    for label, sweep_runs in by_sweep.items():
        seconds = sum(run.meta["wall_time"] for run in sweep_runs)
        diverged = sum(1 for run in sweep_runs for at in run.meta["diverged_at"] if at)
        note = f"; {diverged} seed{'s' if diverged != 1 else ''} diverged" if diverged else ""
        log(f"trained {label}: {len(sweep_runs)} cells × {_seeds_text(sweep_runs[0])} in "
            f"{seconds:.1f}s{note}")


def _cell_jobs(cells: list[Run], jobs: int) -> list[list[Run]]:
    """Cells cut into training jobs: one per graph shape (and data, seeds, frames), split
    further while there are fewer jobs than workers, so that every core has work."""
    from tinynets.engine.sweeps import graph_key, groups

    by_setting: dict[tuple, list[Run]] = {}
    for run in cells:
        spec = run.key.spec
        setting = (repr(spec["data"]), tuple(spec["seeds"]), tuple(spec["frames"]))
        by_setting.setdefault(setting, []).append(run)
    work = []
    for setting_runs in by_setting.values():
        nets = {run.post.net(run.net_name): run for run in setting_runs}
        for group in groups(list(nets), len(setting_runs[0].key.spec["seeds"])):
            work.append([nets[net] for net in group])
    while len(work) < jobs:
        largest = max(work, key=len, default=[])
        if len(largest) < 2:
            break
        work.remove(largest)
        half = len(largest) // 2
        work += [largest[:half], largest[half:]]
    assert all(len({graph_key(run.post.net(run.net_name)) for run in job}) == 1 for job in work)
    return work


def _train(runs: list[Run], store: RunStore, jobs: int, board: ProgressBoard,
           executor: str = "local", scheduler: str | None = None,
           cells: list[Run] = (), pool=None, saved=None) -> None:
    """Train ``runs`` (nets, one job each) and ``cells`` (sweep cells, one job per graph shape)
    through the executor, up to ``jobs`` at a time; save each as it finishes.

    ``pool``: the shared pool the local executor uses (see ``train_missing``). ``saved(metas)``
    is called with no metas once every job is submitted, then with the metas (by fingerprint)
    of each job's runs once they are saved.

    Jobs only train and hand back recordings as plain arrays: this process alone writes the
    cache, so a worker orphaned by a killed build could never publish an entry (and local
    workers die with the build anyway, see ``tinynets.workers``).
    """
    work = [(run.label, _train_job, (run.label, *_job(run)), [run]) for run in runs]
    for group in _cell_jobs(list(cells), jobs):
        first = group[0]
        label = (f"{first.post.slug}/{first.sweep} ({len(group)} cell"
                 f"{'s' if len(group) != 1 else ''}, {first.post.net(first.net_name).shape})")
        work.append((label, _train_cells_job, (
            label, first.post.data, [run.post.net(run.net_name) for run in group],
            first.post.run_seeds, first.key.spec["frames"]), group))
    # The longest jobs first (epochs × seeds, a rough measure; a stable sort, so the order is
    # fixed): the short ones fill the end, while the media of the long ones already render.
    work.sort(key=lambda item: -sum(run.post.net(run.net_name).epochs
                                    * len(run.key.spec["seeds"]) for run in item[3]))
    parallel = max(1, min(jobs, len(work)))
    saved = saved or (lambda new: None)
    with executors.open_executor(executor, parallel, board.show, scheduler, pool) as running:
        submitted = {running.submit(label, function, *arguments): (label, group)
                     for label, function, arguments, group in work}
        saved({})
        for job, result in running.completed(submitted):
            label, group = submitted[job]
            first = group[0].post.net(group[0].net_name)
            board.finish(label, first.epochs, len(group) * len(group[0].key.spec["seeds"]))
            metas: dict[str, dict] = {}  # this job's runs, by fingerprint
            for run, recording in zip(group, result if isinstance(result, list) else [result],
                                      strict=True):
                metas[run.key.fingerprint] = store.save(run.key, run.post.net(run.net_name),
                                                        recording)
            saved(metas)


def _train_job(label: str, data, net, seeds, epochs_at) -> dict:
    """Train one net (in a worker or in this process) and return its recording as plain arrays.

    Nothing here writes a file: the caller saves the result.
    """
    from tinynets.engine import loop as train  # TensorFlow is imported here, only when needed

    workers.report("start", label, net.epochs, len(seeds))
    recording = train.train_net(
        data, net, seeds, epochs_at,
        progress=lambda done, total: workers.report("update", label, done, time.time()),
    )
    return plain_recording(recording)


def _train_cells_job(label: str, data, cells, seeds, epochs_at) -> list[dict]:
    """Train sweep cells of one graph shape together; return one plain recording per cell."""
    from tinynets.engine import sweeps  # TensorFlow is imported there, only when needed

    workers.report("start", label, cells[0].epochs, len(cells) * len(seeds))
    recordings = sweeps.train_cells(
        data, cells, seeds, epochs_at,
        progress=lambda done, total: workers.report("update", label, done, time.time()))
    return [plain_recording(recording) for recording in recordings]
