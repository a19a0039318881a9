"""What templates see of a net: its spec and the numbers measured over its seeds.

Every number a post shows comes from here. Values are measurements that remember what they are
(``Measured`` for errors, ``Count`` for whole numbers such as stuck seeds), so a comparison used
in ``claim()`` can say which measurements it compared and what they were. A measurement that
diverged seeds went into carries a note saying so, and a claim that reads it fails.

Example:
    >>> wide = NetResult(spec, meta, noise_floor=0.01, thresholds=Thresholds())  # doctest: +SKIP
    >>> (wide.median < 0.05).text                                               # doctest: +SKIP
    'claimed: wide-sgd median error < 0.05; measured: wide-sgd median error = 0.274'
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from tinynets.measure.derived import InsideMeasurements
from tinynets.posts.model import NetSpec, Thresholds


@dataclass(frozen=True)
class Divergence:
    """A note carried by values that diverged seeds went into: which net, and what happened."""

    net: str
    text: str  # "2 of 10 seeds of boom diverged"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Check:
    """The outcome of comparing measurements, with what was claimed and what was measured.

    ``kind`` is "compare" for one comparison, or "and", "or", "not" for checks combined in a
    template; ``parts`` are the combined checks.
    """

    passed: bool
    claimed: str
    measured: tuple  # the plain measurements read, each once, in the order they were read
    diverged: tuple = ()  # Divergence notes of the values compared
    kind: str = "compare"
    parts: tuple = ()

    def __bool__(self) -> bool:
        return self.passed

    @property
    def text(self) -> str:
        """'claimed: A < B; measured: A = 0.0083, B = 0.0165' (and which parts are false)."""
        text = f"claimed: {self.claimed}"
        if self.measured:
            text += f"; measured: {', '.join(_value_text(m) for m in self.measured)}"
        false = self.false_comparisons()
        if self.kind != "compare" and false and len(false) < len(self.comparisons()):
            text += f"; false: {', '.join(f'({part.claimed})' for part in false)}"
        return text

    def comparisons(self) -> list[Check]:
        """Every single comparison this check evaluated."""
        if self.kind == "compare":
            return [self]
        return [leaf for part in self.parts for leaf in part.comparisons()]

    def false_comparisons(self) -> list[Check]:
        """The comparisons that make this check fail ('not' checks are left out)."""
        if self.kind == "compare":
            return [] if self.passed else [self]
        if self.kind == "not" or self.passed:
            return []
        return [leaf for part in self.parts for leaf in part.false_comparisons()]

    def __and__(self, other):
        return _combine("and", self, other, bool(self) and bool(other))

    def __or__(self, other):
        return _combine("or", self, other, bool(self) or bool(other))

    def __invert__(self):
        return Check(not self.passed, f"not ({self.claimed})", self.measured, self.diverged,
                     "not", (self,))


def _combine(kind: str, left, right, passed: bool) -> Check:
    parts = tuple(part for part in (left, right) if isinstance(part, Check))
    claimed = f"{_claimed(left, kind)} {kind} {_claimed(right, kind)}"
    return Check(passed, claimed, _merge(left, right, "measured"), _merge(left, right, "diverged"),
                 kind, parts)


def _claimed(value, within: str) -> str:
    """How a value reads inside an ``and``/``or``: an 'or' inside an 'and' (and the reverse) in
    parentheses, so the words keep the template's grouping."""
    if isinstance(value, Check):
        grouped = value.kind in ("and", "or") and value.kind != within
        return f"({value.claimed})" if grouped else value.claimed
    return _operand(value)


def _operand(value) -> str:
    if isinstance(value, _Quantity):
        return value.name
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _merge(left, right, field: str) -> tuple:
    """The ``field`` items of both sides, each once (by name and value: a measurement's ``==``
    makes a ``Check``, so ``in`` cannot be used)."""
    merged, seen = [], set()
    for value in (left, right):
        for item in getattr(value, field, ()):
            key = (item.name, float(item)) if isinstance(item, _Quantity) else item
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return tuple(merged)


def _value_text(measurement) -> str:
    if isinstance(measurement, int):
        return f"{measurement.name} = {int(measurement)}"
    if isinstance(measurement, Never):
        return f"{measurement.name} = never"
    value = float(measurement)
    shown = f"{value:.4g}" if math.isfinite(value) else "∞ (diverged)"
    return f"{measurement.name} = {shown}"


class _Quantity:
    """What ``Measured`` and ``Count`` share: a name, the plain measurements they were computed
    from, divergence notes, and comparisons that return ``Check``s."""

    name: str
    measured: tuple
    diverged: tuple

    def _init(self, name: str, diverged, measured: tuple | None) -> None:
        self.name = name
        self.diverged = (diverged,) if isinstance(diverged, Divergence) else tuple(diverged)
        self.measured = (self,) if measured is None else measured

    def describe(self) -> str:
        return _value_text(self)

    def _compare(self, other, symbol: str, passed: bool) -> Check:
        return Check(passed, f"{self.name} {symbol} {_operand(other)}",
                     _merge(self, other, "measured"), _merge(self, other, "diverged"))

    def __lt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "<", self._value() < _plain(other))

    def __le__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≤", self._value() <= _plain(other))

    def __gt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, ">", self._value() > _plain(other))

    def __ge__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≥", self._value() >= _plain(other))

    def __eq__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "=", self._value() == _plain(other))

    def __ne__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≠", self._value() != _plain(other))

    def _derived(self, value, name: str, other) -> _Quantity:
        """A value computed from this one (and ``other``): whole when both are, else a float."""
        measured, diverged = _merge(self, other, "measured"), _merge(self, other, "diverged")
        if isinstance(value, int) and not isinstance(value, bool):
            return Count(value, name, diverged, measured)
        return Measured(value, name, diverged, measured)

    def __mul__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() * _plain(other), f"{_factor(other)}×{self.name}", other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(float(self) / float(other), f"{self.name} / {_factor(other)}", other)

    def __rtruediv__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(float(other) / float(self), f"{_factor(other)} / {self.name}", other)

    def __add__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() + _plain(other), f"{self.name} + {_factor(other)}",
                             other)

    def __radd__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(_plain(other) + self._value(), f"{_factor(other)} + {self.name}",
                             other)

    def __sub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() - _plain(other), f"{self.name} − {_factor(other)}",
                             other)

    def __rsub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(_plain(other) - self._value(), f"{_factor(other)} − {self.name}",
                             other)


class Measured(_Quantity, float):
    """A float that knows what it measures: comparisons return ``Check``s.

    >>> (Measured(0.0083, "deep error") < Measured(0.0165, "wide error")).text
    'claimed: deep error < wide error; measured: deep error = 0.0083, wide error = 0.0165'
    """

    def __new__(cls, value: float, name: str, diverged: Divergence | tuple = (),
                measured: tuple | None = None):
        instance = super().__new__(cls, value)
        instance._init(name, diverged, measured)
        return instance

    def _value(self) -> float:
        return float(self)

    __hash__ = float.__hash__


class Count(_Quantity, int):
    """A whole number that knows what it counts (stuck seeds, parameters): prints as ``3``.

    >>> stuck = Count(3, "wide stuck seeds")
    >>> str(stuck), (stuck >= 3).text
    ('3', 'claimed: wide stuck seeds ≥ 3; measured: wide stuck seeds = 3')
    """

    def __new__(cls, value: int, name: str, diverged: Divergence | tuple = (),
                measured: tuple | None = None):
        instance = super().__new__(cls, value)
        instance._init(name, diverged, measured)
        return instance

    def _value(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return int.__repr__(self)

    __str__ = __repr__
    __hash__ = int.__hash__


class Never(Measured):
    """An epoch that never came (a level the median error never reached): false in ``if``,
    printed as "never", and later than any epoch in a claim (it is +∞ underneath)."""

    def __new__(cls, name: str, diverged: Divergence | tuple = ()):
        return super().__new__(cls, math.inf, name, diverged)

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "never"

    __format__ = lambda self, spec: "never"  # noqa: E731 - "{:,}".format(never) too
    __hash__ = float.__hash__


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value):
    """A number without its measurement wrapper (an int stays an int)."""
    return int(value) if isinstance(value, int) else float(value)


def _factor(value) -> str:
    return value.name if isinstance(value, _Quantity) else f"{value:g}"


class SeedList(list):
    """Seeds of a net with something in common (diverged, stuck, …); ``| length`` in a template
    gives a ``Count`` that claims can compare (see ``pages.templating``)."""

    def __init__(self, seeds, name: str, diverged: Divergence | tuple = ()):
        super().__init__(seeds)
        self.name, self.diverged = name, diverged

    def count_measured(self) -> Count:
        return Count(len(self), self.name, self.diverged)


class NetResult(InsideMeasurements):
    """One net as templates see it: ``nets['wide-sgd'].median``, ``.parameters``, …

    When seeds diverged, every value computed over the seeds (median, best, worst, near_floor,
    stuck) carries a note, and a claim that reads one of them fails; ``.diverged | length``, the
    count of diverged seeds, is what a claim about divergence compares.
    """

    def __init__(self, spec: NetSpec, meta: dict, noise_floor: float, thresholds: Thresholds,
                 color: str, media: dict):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label
        self.color = color
        self.media = media  # kind → URL relative to the docs root
        self.parameters = Count(spec.parameters, f"{self.name} parameters")
        self.seeds = SeedList(meta["seeds"], f"{self.name} seeds")
        self.wall_time = meta["wall_time"]
        self.diverged = SeedList([seed for seed, at in zip(self.seeds, meta["diverged_at"]) if at],
                                 f"{self.name} diverged seeds")
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
        self._classification = "final_accuracy" in meta
        self._spreads = {
            name: SeedValues(self.name, what, self.seeds, meta[key], higher, note)
            for name, key, what, higher in [
                ("test_error", "final_test_losses", "test error", False),
                ("accuracy", "final_accuracy", "training accuracy", True),
                ("test_accuracy", "final_test_accuracy", "test accuracy", True)]
            if key in meta}
        if noise_floor is None:
            return  # no floor known (classification, or data from a file): see __getattr__
        self.near_floor_limit = thresholds.near_floor * noise_floor
        self.stuck_limit = thresholds.stuck * noise_floor
        self.near_floor_seeds = SeedList(
            [s for s, v in zip(self.seeds, self.final_losses) if v <= self.near_floor_limit],
            f"{self.name} seeds near the floor", note)
        self.stuck_seeds = SeedList(
            [s for s, v in zip(self.seeds, self.final_losses) if not v <= self.stuck_limit],
            f"{self.name} stuck seeds", note)
        self.near_floor = self.near_floor_seeds.count_measured()
        self.stuck = self.stuck_seeds.count_measured()

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

    def solved(self, at_least: float) -> Count:
        """How many seeds classify at least ``at_least`` of the test points right (of the
        training points when there is no test set): the classification twin of near_floor."""
        spread = self._spreads.get("test_accuracy") or self._spreads.get("accuracy")
        if spread is None:
            raise NotMeasured(f"nets['{self.name}'].solved(…) counts seeds by accuracy, which "
                              "only classification data records.")
        seeds = [seed for seed, value in spread.values.items() if value >= at_least]
        return Count(len(seeds), f"{self.name} seeds with {spread.what} ≥ {at_least:g}",
                     self._note)

    def final_loss(self, seed: int) -> Measured:
        value = self.final_losses[self.seeds.index(seed)]
        note = () if math.isfinite(value) else Divergence(self.name,
                                                          f"seed {seed} of {self.name} diverged")
        return Measured(value, f"{self.name} seed {seed} error", note)

    def __repr__(self) -> str:
        return f"NetResult({self.name!r}, median={float(self.median):.4g})"


class NotMeasured(ValueError):
    """A template asked for a value this net's data does not record (or cannot define)."""


class SeedValues:
    """One final value of every seed (test error, accuracy, …): ``.median``, ``.best``,
    ``.worst`` and ``.seed(n)`` are ``Measured``s; best is the highest accuracy or the lowest
    error. A diverged seed's value (stored as None) counts as the worst possible."""

    def __init__(self, net: str, what: str, seeds, values, higher_is_better: bool, note):
        worst = -math.inf if higher_is_better else math.inf
        self.what = what
        self.values = {seed: worst if value is None else value
                       for seed, value in zip(seeds, values)}
        ordered = sorted(self.values.values(), reverse=higher_is_better)
        self.median = Measured(statistics.median(ordered), f"{net} median {what}", note)
        self.best = Measured(ordered[0], f"{net} best seed's {what}", note)
        self.worst = Measured(ordered[-1], f"{net} worst seed's {what}", note)
        self._net, self._note = net, note

    def seed(self, seed: int) -> Measured:
        value = self.values[seed]
        note = () if math.isfinite(value) else Divergence(self._net,
                                                          f"seed {seed} of {self._net} diverged")
        return Measured(value, f"{self._net} seed {seed} {self.what}", note)

    def __repr__(self) -> str:
        return f"SeedValues({self.what!r}, median={float(self.median):.4g})"


def ranking(meta: dict) -> list[float]:
    """What the median seed is the median of: the final error, lower is better; for
    classification the final test accuracy (the training accuracy without a test set), negated
    so that lower is still better. A diverged seed ranks last."""
    accuracies = meta.get("final_test_accuracy") or meta.get("final_accuracy")
    if accuracies is None:
        return final_losses(meta)
    return [math.inf if value is None else -value for value in accuracies]


def final_losses(meta: dict) -> list[float]:
    """Per-seed final errors of a run's metadata; a diverged seed (stored as None) is +inf, so
    it sorts last and never counts as near the floor."""
    return [math.inf if value is None else value for value in meta["final_losses"]]


def representative_seed(seeds: list[int], final_losses: list[float]) -> int:
    """The seed whose final error is the median one (the lower middle for an even count).

    >>> representative_seed([0, 1, 2, 3], [0.3, 0.1, 0.2, float("inf")])
    2
    """
    order = sorted(range(len(seeds)), key=lambda i: (final_losses[i], seeds[i]))
    return seeds[order[(len(order) - 1) // 2]]
