"""What templates see of a net: its spec and the numbers measured over its seeds.

Every number a post shows comes from here. Values are measurements that remember what they are
(``measure.quantities``: ``Measured`` for errors, ``Count`` for whole numbers such as stuck
seeds), so a comparison used in ``claim()`` can say which measurements it compared and what they
were. A measurement that diverged seeds went into carries a note saying so, and a claim that
reads it fails.

Example:
    >>> meta = RunMeta(seeds=(0, 1, 2), final_losses=(0.31, 0.274, 0.12),
    ...                diverged_at=(None, None, None), wall_time=2.5)
    >>> wide = NetResult(NetSpec(name="wide-sgd"), meta, noise_floor=0.01,
    ...                  thresholds=Thresholds(), color="#0072B2", media={})
    >>> (wide.median < 0.05).text
    'claimed: wide-sgd median error < 0.05; measured: wide-sgd median error = 0.274'
    >>> wide.representative_seed, int(wide.stuck)
    (1, 3)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from tinynets.errors import NotMeasured
from tinynets.engine.seed_columns import select_arrays, select_meta
from tinynets.engine.store import read_arrays
from tinynets.measure.asked import measurement
from tinynets.measure.derived import InsideMeasurements, attach_recording
from tinynets.measure.finals import RunMeta, final_losses, ranking, representative_seed
from tinynets.measure.kept_values import KeptValues
from tinynets.measure.quantities import Count, Divergence, Measured, SeedList
from tinynets.posts.model import NetSpec, Thresholds

if TYPE_CHECKING:  # annotations only: the training stage is not needed to read its runs
    from tinynets.engine.stage import Run


class NetResult(InsideMeasurements):
    """One net as templates see it: ``nets['wide-sgd'].median``, ``.parameters``, …

    When seeds diverged, every value computed over the seeds (median, best, worst, near_floor,
    stuck) carries a note, and a claim that reads one of them fails; ``.diverged | length``, the
    count of diverged seeds, is what a claim about divergence compares.
    """

    def __init__(self, spec: NetSpec, meta: RunMeta, noise_floor: float | None,
                 thresholds: Thresholds, color: str, media: dict,
                 frame_epochs: Sequence[int] = (), fps: float | None = None,
                 timed_seeds: int | None = None):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label
        self.color = color
        self.media = media  # kind → URL relative to the docs root
        self.frame_epochs = frame_epochs  # the epochs its animation shows
        self.fps = fps  # the animation's frames per second
        self.parameters = Count(spec.parameters, f"{self.name} parameters")
        self.seeds = SeedList(meta.seeds, f"{self.name} seeds")
        self.wall_time = meta.wall_time
        # How many seeds that time trained: a run's shown and replication seeds train in one
        # timed loop, so its time covers them all (``from_run`` says how many there were).
        self.timed_seeds = len(meta.seeds) if timed_seeds is None else timed_seeds
        total = len(self.seeds)
        self.diverged = SeedList([seed for seed, at in zip(self.seeds, meta.diverged_at) if at],
                                 f"{self.name} diverged seeds", out_of=total)
        self._stand_ins: dict[int, int] = {}  # see ``from_run``
        self.final_losses = final_losses(meta)
        lost = {seed for seed, value in zip(self.seeds, self.final_losses)
                if not math.isfinite(value)} | set(self.diverged)
        # Why every seed counts: a median, best or "stuck" count over seeds some of which blew up
        # describes the survivors, not the recipe.
        note = (Divergence(self.name, f"{len(lost)} of {len(self.seeds)} seeds of {self.name} "
                           "diverged") if lost else ())
        finite = sorted(v for v in self.final_losses if math.isfinite(v)) or [math.inf]
        self.median = Measured(statistics.median(self.final_losses), f"{self.name} median error",
                               note)
        self.best = Measured(finite[0], f"{self.name} best seed's error", note)
        self.worst = Measured(max(self.final_losses), f"{self.name} worst seed's error", note)
        self.noise_floor = noise_floor
        self.representative_seed = representative_seed(self.seeds, ranking(meta))
        self._note = note
        self._classification = meta.classification
        self._spreads = {
            name: SeedValues(self.name, what, self.seeds, getattr(meta, key), higher, note,
                             self._stand_ins)
            for name, key, what, higher in [
                ("test_error", "final_test_losses", "test error", False),
                ("accuracy", "final_accuracy", "training accuracy", True),
                ("test_accuracy", "final_test_accuracy", "test accuracy", True)]
            if getattr(meta, key) is not None}
        if noise_floor is None:
            return  # no floor known (classification, or data from a file): see __getattr__
        self.near_floor_limit = thresholds.near_floor * noise_floor
        self.stuck_limit = thresholds.stuck * noise_floor
        self.near_floor_seeds = SeedList(
            [s for s, v in zip(self.seeds, self.final_losses) if v <= self.near_floor_limit],
            f"{self.name} seeds near the floor", note, out_of=total)
        self.stuck_seeds = SeedList(
            [s for s, v in zip(self.seeds, self.final_losses) if not v <= self.stuck_limit],
            f"{self.name} stuck seeds", note, out_of=total)
        self.near_floor = self.near_floor_seeds.count_measured()
        self.stuck = self.stuck_seeds.count_measured()

    @classmethod
    def from_run(cls, run: Run, spec: NetSpec, data, thresholds: Thresholds, color: str,
                 media: dict, frame_epochs: list[int], fps: float,
                 seeds: Sequence[int] | None = None,
                 stand_ins: dict[int, int] | None = None) -> NetResult:
        """A net's results from its trained ``run`` (its ``meta``, as the run store reads it),
        measured against ``data``'s noise floor with the post's ``thresholds``; ``media`` are its
        URLs (kind → URL relative to the docs root), ``frame_epochs`` and ``fps`` its
        animation's. Values derived from the run's arrays load them on first use only.

        ``seeds``: which of the run's seeds to measure (default: all it trained); a page's
        results are its shown seeds', its claims' second check the replication seeds'. Then
        ``stand_ins`` maps each shown seed to the replication seed in its place, so that what a
        template asks of one seed (``final_loss(3)``, ``loss_at(100, seed=3)``) is asked of the
        replication seed in the same place.
        """
        chosen = tuple(run.meta["seeds"]) if seeds is None else tuple(seeds)
        meta = RunMeta.from_dict(select_meta(run.meta, chosen))
        result = cls(spec, meta, data.noise_floor, thresholds, color, media, frame_epochs, fps,
                     timed_seeds=len(run.meta["seeds"]))
        result._stand_ins.update(stand_ins or {})
        if meta.arrays_path is not None:  # (the store says where; results made by hand have none)
            attach_recording(result, partial(_arrays_of, meta.arrays_path, chosen), data,
                             KeptValues.at(meta.derived_path))
        return result

    # What needs a noise floor, and what only classification or a test set records.
    _NEEDS_FLOOR = ("near_floor", "stuck", "near_floor_seeds", "stuck_seeds", "near_floor_limit",
                    "stuck_limit")

    def __getattr__(self, name):
        """Values this net's data does not have are a clear error, not an empty cell."""
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._spreads:
            return self._spreads[name]
        if name in self._NEEDS_FLOOR:
            why = ("classification has no noise floor: count seeds by accuracy instead, e.g. "
                   f"nets['{self.name}'].solved(0.95)" if self._classification else
                   "the data's noise floor is unknown (data from a file): state it with "
                   "data.noise_floor in the front matter")
            raise NotMeasured(f"nets['{self.name}'].{name} needs a noise floor, but {why}.")
        if name in ("test_error", "accuracy", "test_accuracy"):
            what = ("accuracy is measured on classification data only (labels 0 and 1)"
                    if "accuracy" in name and not self._classification else
                    "the data has no test set (test_fraction 0, or 1-D data)")
            raise NotMeasured(f"nets['{self.name}'].{name} is not recorded: {what}.")
        raise AttributeError(name)

    @property
    def classification(self) -> bool:
        return self._classification

    @property
    def measured(self) -> tuple[str, ...]:
        """Which of test_error, accuracy, test_accuracy this net's data records."""
        return tuple(self._spreads)

    @property
    def final_accuracy(self) -> SeedValues:
        """The accuracy a reader cares about: on the test set when there is one."""
        return self._spreads.get("test_accuracy") or self.accuracy

    @measurement
    def solved(self, at_least: float) -> Count:
        """How many seeds classify at least ``at_least`` of the test points right (of the
        training points when there is no test set): the classification twin of near_floor."""
        spread = self._spreads.get("test_accuracy") or self._spreads.get("accuracy")
        if spread is None:
            raise NotMeasured(f"nets['{self.name}'].solved(…) counts seeds by accuracy, which "
                              "only classification data records.")
        seeds = [seed for seed, value in spread.values.items() if value >= at_least]
        return Count(len(seeds), f"{self.name} seeds with {spread.what} ≥ {at_least:g}",
                     self._note, out_of=len(self.seeds))

    def final_loss(self, seed: int) -> Measured:
        seed = self._stand_in(seed)
        value = self.final_losses[self.seeds.index(seed)]
        note = () if math.isfinite(value) else Divergence(self.name,
                                                          f"seed {seed} of {self.name} diverged")
        return Measured(value, f"{self.name} seed {seed} error", note)

    def __repr__(self) -> str:
        return f"NetResult({self.name!r}, median={float(self.median):.4g})"


def _arrays_of(path: str, seeds: tuple[int, ...]) -> dict:
    """The arrays of the run stored at ``path``, restricted to ``seeds``."""
    return select_arrays(read_arrays(path), seeds)


class SeedValues:
    """One final value of every seed (test error, accuracy, …): ``.median``, ``.best``,
    ``.worst`` and ``.seed(n)`` are ``Measured``s; best is the highest accuracy or the lowest
    error. A diverged seed's value (stored as None) counts as the worst possible."""

    def __init__(self, net: str, what: str, seeds, values, higher_is_better: bool, note,
                 stand_ins: dict[int, int] | None = None):
        worst = -math.inf if higher_is_better else math.inf
        self._stand_ins = {} if stand_ins is None else stand_ins  # as the net's (from_run)
        self.what = what
        self.values = {seed: worst if value is None else value
                       for seed, value in zip(seeds, values)}
        ordered = sorted(self.values.values(), reverse=higher_is_better)
        self.median = Measured(statistics.median(ordered), f"{net} median {what}", note)
        self.best = Measured(ordered[0], f"{net} best seed's {what}", note)
        self.worst = Measured(ordered[-1], f"{net} worst seed's {what}", note)
        self._net, self._note = net, note

    def seed(self, seed: int) -> Measured:
        seed = self._stand_ins.get(seed, seed) if isinstance(seed, int) else seed
        value = self.values[seed]
        note = () if math.isfinite(value) else Divergence(self._net,
                                                          f"seed {seed} of {self._net} diverged")
        return Measured(value, f"{self._net} seed {seed} {self.what}", note)

    def __repr__(self) -> str:
        return f"SeedValues({self.what!r}, median={float(self.median):.4g})"
