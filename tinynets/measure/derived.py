"""What templates may ask a net beyond its final errors: the error at an epoch, when it reached a
level, errors training does not see, bends and dead units.

Everything is computed on first use from the run's recorded arrays (losses per epoch,
predictions and weights at the frame epochs), with numpy, and cached on the net (and on disk:
``measure.kept_values``): a post that asks nothing of this loads no arrays. Every value is a
``Measured`` or ``Count`` named after what it measures, so claims show it, and values that
diverged seeds went into carry the net's divergence note, so claims that read them fail as for
the median. (Uncertainty between two nets is ``measure.uncertainty``.)

Example (in a post):
    {{ nets['wide-sgd'].loss_at(100) | sig }}, {{ nets['wide-sgd'].noise_free_error | sig }}
    {{ nets['wide-sgd'].kink_count(-1, 1) }} bends in [−1, 1], {{ nets['wide-sgd'].dead_units }}
"""

from __future__ import annotations

import math
from typing import Callable

from tinynets.errors import TemplateMisuse
from tinynets.engine.data import target, training_points
from tinynets.measure.asked import measured_property, measurement
from tinynets.measure.kept_values import KeptValues
from tinynets.measure.quantities import Count, Divergence, Measured, Never

# ``measure.inside`` (and numpy) are imported where a value is computed, not here: a warm build
# finds every value kept (``KeptValues``) and imports no numpy.


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _number(value: float) -> str:
    """A setting in a name: 0.02, 1e-09, −1 (a real minus sign in front)."""
    text = f"{value:g}"
    return "−" + text[1:] if text.startswith("-") else text


class InsideMeasurements:
    """Mixed into ``NetResult``: measurements derived from the recorded arrays.

    ``attach_recording(net, load_arrays, data)`` gives the net its arrays (loaded on first use)
    and its data spec; the pages stage does this for every net of a post. (A function, not a
    method: templates list a net's public names, and this is not for them.)
    """

    _load_arrays: Callable[[], dict] | None = None
    _data = None

    _kept: KeptValues | None = None
    _stand_ins: dict = {}  # shown seed → the replication seed in its place (NetResult.from_run)

    def _stand_in(self, seed):
        """The seed a template's ``seed`` means here: itself, or on the replication seeds the
        replication seed that stands in for that shown seed."""
        return self._stand_ins.get(seed, seed) if isinstance(seed, int) else seed

    # ------------------------------------------------------------------ arrays and frames
    def _cached(self, key, compute):
        """``compute()``, once per net; values other than the arrays are also kept on disk
        (``KeptValues``), so the next build reads them without loading any array."""
        cache = self.__dict__.setdefault("_derived_cache", {})
        if key not in cache:
            if key == "arrays" or self._kept is None:
                cache[key] = compute()
            else:
                cache[key] = self._kept.value(key, compute)
        return cache[key]

    def _arrays(self) -> dict:
        if self._load_arrays is None:
            raise TemplateMisuse(f"net '{self.name}' has no recorded arrays attached")
        return self._cached("arrays", self._load_arrays)

    def _require_1d(self) -> None:
        if self._data is not None and self._data.dimensions != 1:
            raise TemplateMisuse(f"nets['{self.name}'] learns from data with two inputs: bends, "
                             "dead units and the noise-free and held-out errors are measured "
                             "on 1-D data only (its test set has .test_error)")

    def _require_function(self, what: str) -> None:
        """Data from a file has no known true function: nothing to measure ``what`` against."""
        self._require_1d()
        if not self._data.has_true_function:
            raise TemplateMisuse(f"nets['{self.name}'] learns from a data file, whose true function "
                             f"is unknown: there is no {what} to measure (use its training "
                             f"error, .loss_at(epoch), or hold rows out with test_fraction)")

    def _frame(self, epoch) -> tuple[int, int]:
        """(frame index, frame epoch) of the last frame at or before ``epoch`` (None: the end)."""
        frames = self._cached("frame_epochs", lambda: [
            int(value) for value in self._arrays()["frame_epochs"]])
        if epoch is None:
            return len(frames) - 1, frames[-1]
        epoch = self._epoch_number(epoch, "epoch", lowest=0)
        index = max(i for i, frame in enumerate(frames) if frame <= epoch)
        return index, frames[index]

    def _epoch_number(self, epoch, what: str, lowest: int = 1) -> int:
        epochs = self.spec.epochs
        if isinstance(epoch, bool) or not isinstance(epoch, int) or not lowest <= epoch <= epochs:
            raise TemplateMisuse(f"nets['{self.name}']: {what} must be a whole number from {lowest} "
                             f"to {epochs:,} (the epochs it trained), got {epoch!r}")
        return epoch

    def _column(self, seed) -> int:
        seed = self._stand_in(seed)
        if seed not in self.seeds:
            raise TemplateMisuse(f"nets['{self.name}'] has no seed {seed!r}; its seeds are "
                             f"{', '.join(str(s) for s in self.seeds)}")
        return list(self.seeds).index(seed)

    def _seed_note(self, seed, values):
        value = values[self._column(seed)]
        if math.isfinite(value) and seed not in self.diverged:
            return ()
        return Divergence(self.name, f"seed {seed} of {self.name} diverged")

    def _per_seed_or_median(self, values: list[float], what: str, seed, whole=False):
        """One seed's value (``seed`` given) or the median over seeds, named ``what``."""
        if seed is not None:
            seed = self._stand_in(seed)
            value = values[self._column(seed)]
            note = self._seed_note(seed, values)
            name = f"{self.name} seed {seed} {what}"
            return Count(int(value), name, note) if whole else Measured(value, name, note)
        note = self.median.diverged
        value = _median(values)
        if whole and value == int(value):  # a median count of 60 reads "60", not "60.0"
            return Count(int(value), f"{self.name} median {what}", note)
        return Measured(value, f"{self.name} median {what}", note)

    # ------------------------------------------------------------------ training error
    @measurement
    def loss_at(self, epoch: int, seed=None):
        """The training error after ``epoch``: the median over seeds, or one seed's."""
        epoch = self._epoch_number(epoch, "loss_at(epoch)")
        values = self._cached(("losses", epoch), lambda: [
            float(v) for v in self._arrays()["losses"][epoch - 1]])
        return self._per_seed_or_median(values, f"error at epoch {epoch:,}", seed)

    @measurement
    def epochs_to(self, level: float):
        """The first epoch after which the median training error is at most ``level`` (a
        ``Count``), or ``Never``: false in ``if``, "never" in the text."""
        if isinstance(level, bool) or not isinstance(level, (int, float)) or level <= 0:
            raise TemplateMisuse(f"nets['{self.name}'].epochs_to(level): level must be a positive "
                             f"error, got {level!r}")
        def compute():
            import numpy as np

            losses = self._arrays()["losses"]
            medians = np.median(np.where(np.isfinite(losses), losses, np.inf), axis=1)
            reached = np.flatnonzero(medians <= float(level))
            return int(reached[0]) + 1 if reached.size else None

        epoch = self._cached(("epochs_to", float(level)), compute)
        name = f"{self.name} epochs until the median error ≤ {_number(float(level))}"
        if epoch is None:
            return Never(name, self.median.diverged)
        return Count(epoch, name, self.median.diverged)

    # ------------------------------------------------------------------ errors not trained on
    def _truth(self):
        self._require_function("noise-free error")
        return target(self._data, self._arrays()["grid"].astype("float64"))

    def _noise_free_errors(self) -> list[list[float]]:
        """Per frame, per seed: mean squared error against the true function on the grid."""
        def compute():
            from tinynets.measure import inside

            return inside.noise_free_errors(self._arrays()["predictions"], self._truth()).tolist()

        return self._cached("noise_free", compute)

    def _held_out_errors(self) -> list[list[float]]:
        """Per frame, per seed: mean squared error on fresh noisy points (another noise seed)."""
        def compute():
            from tinynets.measure import inside

            self._require_function("held-out error (fresh noisy points of the true function)")
            x, y = inside.held_out_points(self._data, target)
            weights = inside.frame_weights(self._arrays())
            frames, seeds = weights[0].shape[:2]
            return [[inside.held_out_error(inside.net_at(weights, frame, column),
                                           self.spec.activation, x, y)
                     for column in range(seeds)] for frame in range(frames)]

        return self._cached("held_out", compute)

    @measurement
    def noise_free_error_at(self, epoch=None, seed=None):
        """Error against the true function (no noise) at the last frame up to ``epoch``."""
        index, frame = self._frame(epoch)
        return self._per_seed_or_median(self._noise_free_errors()[index],
                                        f"noise-free error at epoch {frame:,}", seed)

    @measurement
    def held_out_error_at(self, epoch=None, seed=None):
        """Error on fresh noisy points at the last frame up to ``epoch``."""
        index, frame = self._frame(epoch)
        return self._per_seed_or_median(self._held_out_errors()[index],
                                        f"held-out error at epoch {frame:,}", seed)

    @measured_property
    def noise_free_error(self):
        """Median over seeds, after training, of the error against the true function."""
        return self.noise_free_error_at()

    @measured_property
    def held_out_error(self):
        """Median over seeds, after training, of the error on fresh noisy points."""
        return self.held_out_error_at()

    # ------------------------------------------------------------------ bends and units
    def _net(self, frame_index: int, column: int):
        from tinynets.measure import inside

        return inside.net_at(inside.frame_weights(self._arrays()), frame_index, column)

    def _kinks(self, frame_index: int, column: int) -> list[float]:
        def compute():
            from tinynets.measure import inside

            found = inside.kinks(self._net(frame_index, column), self.spec.activation,
                                 tuple(self._data.x_range))
            return [float(value) for value in found]

        return self._cached(("kinks", frame_index, column), compute)

    @measurement
    def kinks(self, epoch=None, seed=None) -> list[float]:
        """Where the net's function bends (inputs, sorted) at the last frame up to ``epoch``,
        for ``seed`` (default: the representative seed, the one the figures show)."""
        self._require_1d()
        index, _ = self._frame(epoch)
        seed = self.representative_seed if seed is None else seed
        return self._kinks(index, self._column(seed))

    @measurement
    def kink_count(self, low=None, high=None, epoch=None, seed=None):
        """How many bends lie in [``low``, ``high``] (default: the whole input range): the median
        over seeds, or one seed's count."""
        self._require_1d()
        x_low, x_high = self._data.x_range
        low = x_low if low is None else float(low)
        high = x_high if high is None else float(high)
        index, frame = self._frame(epoch)
        counts = [sum(low <= x <= high for x in self._kinks(index, column))
                  for column in range(len(self.seeds))]
        where = "" if (low, high) == (x_low, x_high) else \
            f" in [{_number(low)}, {_number(high)}]"
        return self._per_seed_or_median([float(c) for c in counts],
                                        f"bends{where} at epoch {frame:,}", seed, whole=True)

    @measurement
    def dead_units_at(self, epoch=None, seed=None):
        """Hidden units active on no training point: the median over seeds, or one seed's."""
        self._require_1d()
        index, frame = self._frame(epoch)

        def compute():
            from tinynets.measure import inside

            x_train = training_points(self._data)[0]
            return [float(inside.dead_units(self._net(index, column), x_train,
                                            self.spec.activation))
                    for column in range(len(self.seeds))]

        counts = self._cached(("dead", index), compute)
        return self._per_seed_or_median(counts, f"dead units at epoch {frame:,}", seed,
                                        whole=True)

    @measured_property
    def dead_units(self):
        """Median over seeds, after training, of the hidden units active on no training point."""
        return self.dead_units_at()


def attach_recording(net: InsideMeasurements, load_arrays: Callable[[], dict], data,
                     kept: KeptValues | None = None) -> None:
    """Let ``net`` load its run's arrays (on first use), know its data spec and, with ``kept``,
    keep what it derives from them on disk."""
    net._load_arrays, net._data, net._derived_cache, net._kept = load_arrays, data, {}, kept


def derived_value(net: InsideMeasurements, key, compute: Callable[[], object]):
    """``compute()``, once per net, kept with the values derived from its run under ``key`` (a
    string or a tuple of plain values): how ``measure.uncertainty`` keeps what it computes. (A
    function, not a method, for the reason ``attach_recording`` is one.)"""
    return net._cached(key, compute)
