"""Build stage: render every medium of the plan that is not cached (figure data files too).

A medium's key covers its runs' fingerprints, the render style, the colours and labels, and the
renderer version (``catalog``): a warm build renders nothing (and does not import matplotlib).
Files land in build/cache/media/<key>/ through an atomic folder rename, with a record of their
sizes and hashes (``manifest``): an entry whose files no longer match it is rendered again.
"""

from __future__ import annotations

from pathlib import Path

from tinynets import atomic, workers
from tinynets.media import manifest
from tinynets.media.catalog import Medium
from tinynets.media.plan import Plan, plan
from tinynets.media.uses import PageUses


def render_missing(posts, runs, uses: dict[str, PageUses], cache: Path, force: bool, log,
                   jobs: int = 1, kinds: frozenset[str] = frozenset()) -> Plan:
    """Plan the media of ``posts``' pages (``uses``: what each page shows, by post slug;
    ``kinds``: the figure kinds drawn live, ``media.live.shipped_kinds``) and render those not
    cached; return the plan.

    What is cached is reused (and matplotlib is not even imported); the rest renders, in up to
    ``jobs`` worker processes when there is more than one medium to render.
    """
    with Renderer(posts, uses, cache, force, log, jobs, kinds=kinds) as renderer:
        return renderer.finish(runs)


class Renderer:
    """The media stage alongside training, in one pool of workers that both stages share.

    ``pool`` (a ``workers.OnDemandPool``, started with the first job; none with ``jobs`` 1) is
    the one to give the training stage. ``update(runs)`` (``train_missing``'s ``on_runs``)
    plans the media once every run is known, and sends each missing medium to the pool as soon
    as every run it shows is trained, behind the training jobs already queued (of those ready
    at once, the heaviest first, else in the plan's order: a fixed order, given the order runs
    finish in). ``finish(runs)`` renders what is left, waits for everything and returns the
    plan; its log lines are the same as ``render_missing``'s (a medium's ``render`` line once
    it is in the cache).

    A medium depends only on its runs, so it is byte for byte what ``render_missing`` makes,
    whenever it starts. Workers fill temporary folders; only this process moves them into the
    cache, in ``finish``. Leaving the block stops the workers, then removes what is left of the
    temporary folders (all of them after an error).

        with Renderer(posts, uses, cache, force, log, jobs, board.show, kinds) as renderer:
            runs = train_missing(..., pool=renderer.pool, on_runs=renderer.update)
            media = renderer.finish(runs)
    """

    def __init__(self, posts, uses: dict[str, PageUses], cache: Path, force: bool, log,
                 jobs: int = 1, on_message=None, kinds: frozenset[str] = frozenset()):
        self.posts, self.uses, self.cache, self.force, self.log = posts, uses, cache, force, log
        self.kinds = kinds  # the figure kinds drawn live: their data files are media too
        self.jobs = max(1, jobs)
        self.pool = workers.OnDemandPool(self.jobs, on_message) if self.jobs > 1 else None
        self.lines: list[str] = []  # the plan's "reused" lines, logged in ``finish``
        self.plan: Plan | None = None
        self.missing: dict[str, Medium] = {}  # by key: what to render (a shared key once)
        self.swaps: dict[str, atomic.FolderSwap] = {}  # by key: started
        self.submitted: dict = {}  # future → medium

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if self.pool is not None:
                self.pool.__exit__(kind, error, traceback)
        finally:
            for swap in self.swaps.values():
                swap.discard()

    def update(self, runs) -> None:
        """Plan the media (the first time), then start every missing one whose runs are all
        trained (only in a pool whose workers are already started or have jobs queued)."""
        if self.plan is None:
            self.plan = plan(self.posts, runs, self.uses, self.kinds)
            for medium in self.plan.media:
                if medium.key in self.missing:
                    continue
                changed = medium.changed(self.cache)
                if changed and (medium.folder(self.cache) / manifest.MANIFEST).is_file():
                    self.lines.append(f"changed {medium.subject}: {', '.join(changed)} in "
                                      f"build/cache/media/{medium.key} is not as it was "
                                      "rendered: rendering it again")
                if self.force or changed:
                    self.missing[medium.key] = medium
                else:
                    self.lines.append(medium.reused_line)
        if self.pool is None or not self.pool.started:
            return  # nothing trains in the pool: ``finish`` decides where to render
        ready = [medium for key, medium in self.missing.items()
                 if key not in self.swaps and medium.trained]
        for medium in sorted(ready, key=lambda medium: medium.kind.order):
            self._submit(medium)

    def _temporary(self, medium: Medium) -> Path:
        """The temporary folder a medium is rendered into, moved into the cache once whole."""
        folder = medium.folder(self.cache)
        self.swaps[medium.key] = atomic.FolderSwap(folder, replace=folder.exists())
        return self.swaps[medium.key].temporary

    def _submit(self, medium: Medium) -> None:
        future = self.pool.submit(medium.job.function, *medium.job.arguments,
                                  self._temporary(medium), self.cache)
        self.submitted[future] = medium

    def finish(self, runs) -> Plan:
        """Render every medium not started yet, move each into the cache as it is done (a
        failure stops the build with the worker's error); return the plan."""
        self.update(runs)
        for line in self.lines:
            self.log(line)
        waiting = [medium for key, medium in self.missing.items() if key not in self.swaps]
        if self.pool is None or (not self.pool.started and len(waiting) <= 1):
            for medium in waiting:  # in this process
                medium.job.run(self._temporary(medium), self.cache)
                self._commit(medium)
            return self.plan
        for medium in waiting:
            self._submit(medium)
        for future in self.pool.completed(list(self.submitted)):
            future.result()  # a failure stops the build with the worker's error
            self._commit(self.submitted[future])
        return self.plan

    def _commit(self, medium: Medium) -> None:
        """Record the rendered files' sizes and hashes, then move them into the cache."""
        manifest.commit(self.swaps[medium.key])
        self.log(medium.render_line)
