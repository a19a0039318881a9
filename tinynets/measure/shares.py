"""Shares of seeds, with how sure they are: ``share(net, 'stuck')`` in a post's template.

"Every seed ends stuck" said of 4 seeds shows little: if only half of all seeds stalled, 4 of 4
would still happen one time in sixteen. A share says what the seeds measured, and its interval
how far that goes: the fraction of a net's seeds that are stuck (near the floor, diverged, or
for classification solved to an accuracy), with its 90 % Clopper–Pearson interval, the exact
binomial interval (each tail 5 %: no share outside it would make the count that likely). It
is always this interval, at this level, so a claim reads the same on every post:

    {{ claim("most seeds stall", share(nets['wide-sgd'], 'stuck').low > 0.5) }}

Example:
    >>> low, high = clopper_pearson(4, 4)
    >>> round(low, 4), high, round(0.05 ** (1 / 4), 4)
    (0.4729, 1.0, 0.4729)
"""

from __future__ import annotations

import math

from tinynets.errors import TemplateMisuse
from tinynets.measure.quantities import Measured

LEVEL = 0.9  # the interval's level: each tail (1 − LEVEL) / 2
WHAT = {"stuck": "stuck", "near_floor": "near the floor", "diverged": "diverged",
        "solved": "solved"}


def _at_least(count: int, total: int, share: float) -> float:
    """P(X ≥ count) for X binomial(total, share)."""
    return sum(math.comb(total, k) * share ** k * (1 - share) ** (total - k)
               for k in range(count, total + 1))


def _bisect(function, target: float) -> float:
    """The share in [0, 1] at which the increasing ``function`` reaches ``target``."""
    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        if function(middle) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def clopper_pearson(count: int, total: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact (Clopper–Pearson) ``level`` interval of a share seen ``count`` times in
    ``total``: its low end is the share at which P(X ≥ count) is (1 − level) / 2, its high end
    the share at which P(X ≤ count) is; 0 and 1 when the count is 0 or the total.

    >>> [round(value, 4) for value in clopper_pearson(0, 10)]
    [0.0, 0.2589]
    """
    if not 0 <= count <= total or total < 1:
        raise ValueError(f"a count from 0 to the total (≥ 1), got {count} of {total}")
    tail = (1 - level) / 2
    low = 0.0 if count == 0 else _bisect(lambda share: _at_least(count, total, share), tail)
    high = 1.0 if count == total else _bisect(  # P(X ≤ count) = tail: P(X > count) = 1 − tail
        lambda share: _at_least(count + 1, total, share), 1 - tail)
    return low, high


class Share(Measured):
    """The fraction of a net's seeds with some property (compares like any measurement), with
    ``.value`` (itself), ``.low`` and ``.high`` (its 90 % Clopper–Pearson interval, each a
    ``Measured``), ``.count`` and ``.seeds`` (how many of how many), ``.level`` (0.9)."""

    def __new__(cls, count: int, total: int, name: str, diverged=()):
        instance = super().__new__(cls, count / total, name, diverged)
        low, high = clopper_pearson(count, total)
        interval = f"{name}, {LEVEL:.0%} interval"
        instance.low = Measured(low, f"{interval} low", diverged)
        instance.high = Measured(high, f"{interval} high", diverged)
        instance.count, instance.seeds, instance.level = count, total, LEVEL
        return instance

    @property
    def value(self) -> Measured:
        return Measured(float(self), self.name, self.diverged)

    __hash__ = float.__hash__


def share(net, what: str, at_least: float | None = None) -> Share:
    """The share of ``net``'s seeds that are ``what``: 'stuck', 'near_floor', 'diverged', or
    'solved' with ``at_least`` (classification: test accuracy ≥ ``at_least``)."""
    if what not in WHAT:
        raise TemplateMisuse(f"share(net, {what!r}): the second argument is one of "
                             f"{', '.join(repr(name) for name in WHAT)}, e.g. "
                             "share(nets['wide'], 'stuck')")
    if (what == "solved") != (at_least is not None):
        raise TemplateMisuse("share(net, 'solved', 0.9) names the accuracy a seed must reach; "
                             "the other shares take no third argument")
    if what == "solved":
        counted = net.solved(at_least)
        described = f"solved (accuracy ≥ {at_least:g})"
    else:
        counted = {"stuck": lambda: net.stuck, "near_floor": lambda: net.near_floor,
                   "diverged": lambda: net.diverged.count_measured()}[what]()
        described = WHAT[what]
    total = len(net.seeds)
    return Share(int(counted), total, f"{net.name} share of seeds {described}",
                 counted.diverged)


TEMPLATE_FUNCTIONS = {"share": share}
