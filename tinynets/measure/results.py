"""What templates see of a net: its spec and the numbers measured over its seeds.

Every number a post shows comes from here. Values are ``Measured`` floats that remember what
they are, so a comparison used in ``claim()`` can say which measurements it compared.

Example:
    >>> wide = NetResult(spec, meta, noise_floor=0.01, thresholds=Thresholds())  # doctest: +SKIP
    >>> wide.median < 0.05                                                      # doctest: +SKIP
    Check(False, 'wide-sgd median final error 0.274 < 0.05')
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from tinynets.spec.posts import NetSpec, Thresholds


@dataclass(frozen=True)
class Check:
    """The outcome of comparing measurements, with a readable account of what was compared."""

    passed: bool
    text: str

    def __bool__(self) -> bool:
        return self.passed

    def __and__(self, other):
        return Check(bool(self) and bool(other), f"{self.text} and {_text(other)}")

    def __or__(self, other):
        return Check(bool(self) or bool(other), f"{self.text} or {_text(other)}")

    def __invert__(self):
        return Check(not self.passed, f"not ({self.text})")


def _text(value) -> str:
    if isinstance(value, Check):
        return value.text
    if isinstance(value, Measured):
        return value.describe()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


class Measured(float):
    """A float that knows what it measures: comparisons return ``Check``s."""

    def __new__(cls, value: float, name: str):
        instance = super().__new__(cls, value)
        instance.name = name
        return instance

    def describe(self) -> str:
        return f"{self.name} = {float(self):.4g}"

    def _compare(self, other, symbol: str, passed: bool) -> Check:
        return Check(passed, f"{self.describe()} {symbol} {_text(other)}")

    def __lt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "<", float(self) < float(other))

    def __le__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≤", float(self) <= float(other))

    def __gt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, ">", float(self) > float(other))

    def __ge__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≥", float(self) >= float(other))

    def __eq__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "=", float(self) == float(other))

    def __ne__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≠", float(self) != float(other))

    def __mul__(self, other):
        if not _is_number(other):
            return NotImplemented
        return Measured(float(self) * float(other), f"{_factor(other)}×{self.name}")

    __rmul__ = __mul__

    def __truediv__(self, other):
        if not _is_number(other):
            return NotImplemented
        name = f"{self.name} / {_factor(other)}"
        return Measured(float(self) / float(other), name)

    def __add__(self, other):
        if not _is_number(other):
            return NotImplemented
        return Measured(float(self) + float(other), f"{self.name} + {_factor(other)}")

    __radd__ = __add__

    def __sub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return Measured(float(self) - float(other), f"{self.name} − {_factor(other)}")

    def __rsub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return Measured(float(other) - float(self), f"{_factor(other)} − {self.name}")

    __hash__ = float.__hash__


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _factor(value) -> str:
    return value.name if isinstance(value, Measured) else f"{value:g}"


class NetResult:
    """One net as templates see it: ``nets['wide-sgd'].median``, ``.parameters``, …"""

    def __init__(self, spec: NetSpec, meta: dict, noise_floor: float, thresholds: Thresholds,
                 color: str, media: dict):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label
        self.color = color
        self.media = media  # kind → URL relative to the docs root
        self.parameters = spec.parameters
        self.seeds = meta["seeds"]
        self.wall_time = meta["wall_time"]
        self.diverged = [seed for seed, at in zip(self.seeds, meta["diverged_at"]) if at]
        self.final_losses = final_losses(meta)
        finite = sorted(v for v in self.final_losses if math.isfinite(v)) or [math.inf]
        self.median = Measured(statistics.median(self.final_losses), f"{self.name} median error")
        self.best = Measured(finite[0], f"{self.name} best seed's error")
        self.worst = Measured(max(self.final_losses), f"{self.name} worst seed's error")
        self.noise_floor = noise_floor
        self.near_floor_limit = thresholds.near_floor * noise_floor
        self.stuck_limit = thresholds.stuck * noise_floor
        self.near_floor_seeds = [s for s, v in zip(self.seeds, self.final_losses)
                                 if v <= self.near_floor_limit]
        self.stuck_seeds = [s for s, v in zip(self.seeds, self.final_losses)
                            if not v <= self.stuck_limit]
        self.near_floor = Measured(len(self.near_floor_seeds), f"{self.name} seeds near the floor")
        self.stuck = Measured(len(self.stuck_seeds), f"{self.name} stuck seeds")
        self.representative_seed = representative_seed(self.seeds, self.final_losses)

    def final_loss(self, seed: int) -> Measured:
        return Measured(self.final_losses[self.seeds.index(seed)], f"{self.name} seed {seed} error")

    def __repr__(self) -> str:
        return f"NetResult({self.name!r}, median={float(self.median):.4g})"


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
