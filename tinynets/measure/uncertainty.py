"""Uncertainty between two nets, as measurements claims compare: ``prob_lower(a, b)`` and
``ratio_interval(a, b)`` in a post's template.

The numbers come from ``measure.stats`` (numpy, over the finite per-seed final errors); here they
get names and the divergence notes of both nets, so a claim shows them and fails when a net had
diverged seeds. Each is computed once and kept with ``a``'s derived values (``measure.derived``).

Example (in a post):
    {{ claim("depth alone beats Adam alone in most seed pairs",
             prob_lower(nets['deep-sgd'], nets['wide-adam']) > 0.75) }}
"""

from __future__ import annotations

import math
from typing import NamedTuple

from tinynets.errors import TemplateMisuse
from tinynets.measure import stats
from tinynets.measure.derived import derived_value
from tinynets.measure.quantities import Measured


class Interval(NamedTuple):
    """A bootstrap interval: ``.low`` and ``.high`` are ``Measured``s, ``.level`` its level
    (0.9), ``.samples`` how many resamples it took."""

    low: float
    high: float
    level: float
    samples: int


def _finite_finals(net) -> list[float]:
    return [value for value in net.final_losses if math.isfinite(value)] or [math.inf]


def prob_lower(a, b):
    """The share of (seed of ``a``, seed of ``b``) pairs in which ``a`` ends with the lower
    training error (ties count one half): how often ``a`` beats ``b`` seed for seed."""
    first, second = _finite_finals(a), _finite_finals(b)
    diverged = tuple(a.median.diverged) + tuple(b.median.diverged)
    value = derived_value(a, ("prob_lower", tuple(second)),
                          lambda: stats.prob_lower(first, second)) \
        if math.inf not in (first[0], second[0]) else math.nan
    return Measured(value, f"share of seed pairs in which {a.name} ends lower than {b.name}",
                    diverged)


def ratio_interval(a, b, level: float = 0.9) -> Interval:
    """A bootstrap interval (fixed resampling seed) of the ratio of ``a``'s median final error
    to ``b``'s, at ``level`` (default 90 %)."""
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise TemplateMisuse(f"ratio_interval(a, b, level): level must be between 0 and 1, such as "
                         f"0.9, got {level!r}")
    diverged = tuple(a.median.diverged) + tuple(b.median.diverged)
    first, second = _finite_finals(a), _finite_finals(b)
    # Kept with a's values (numpy and 4000 resamples are not needed again): b's finals and the
    # level are in the key, a's are a's own.
    low, high = (derived_value(a, ("ratio_interval", tuple(second), float(level)),
                               lambda: list(stats.ratio_interval(first, second, level)))
                 if math.inf not in (first[0], second[0]) else (math.nan, math.nan))
    name = f"{a.name} / {b.name} median error ratio, {level:.0%} interval"
    return Interval(Measured(low, f"{name} low", diverged),
                    Measured(high, f"{name} high", diverged), float(level),
                    stats.BOOTSTRAP_SAMPLES)


TEMPLATE_FUNCTIONS = {"prob_lower": prob_lower, "ratio_interval": ratio_interval}
