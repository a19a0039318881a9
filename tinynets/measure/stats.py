"""Uncertainty between two sets of per-seed results, in numpy only (no SciPy).

numpy is imported by the functions, not the module: a warm build that finds every value kept
(``measure.derived.KeptValues``) reads ``BOOTSTRAP_SAMPLES`` and imports no numpy.

- ``prob_lower(a, b)``: the fraction of (seed of a, seed of b) pairs in which a ends lower, ties
  counting one half (the common-language effect size, Mann–Whitney's U over the pairs).
- ``ratio_interval(a, b)``: a percentile bootstrap interval of median(a) / median(b), from a
  fixed resampling seed, so a rebuild gives the same interval.
- ``rank_sum_p(a, b)``: the two-sided p-value of the Mann–Whitney rank-sum test (normal
  approximation with the tie correction), which the model.fit distribution check reports.

Non-finite values (diverged seeds) are the caller's business: every function here refuses them,
since "lower" and "median" mean nothing for a seed that blew up.

Example:
    >>> prob_lower([0.1, 0.2], [0.3, 0.15])
    0.75
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: numpy is imported where it is used
    import numpy as np

BOOTSTRAP_SEED = 20261130  # fixed: the same data give the same interval on every build
BOOTSTRAP_SAMPLES = 4000


def _values(values, name: str) -> np.ndarray:
    import numpy as np

    array = np.asarray([float(value) for value in values], dtype=np.float64)
    if array.size == 0:
        raise ValueError(f"{name} holds no values")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds non-finite values (diverged seeds)")
    return array


def prob_lower(a, b) -> float:
    """The share of pairs (one value of ``a``, one of ``b``) in which ``a``'s is lower; a tie
    counts one half.

    >>> prob_lower([1, 2, 3], [2])
    0.5
    """
    first, second = _values(a, "a"), _values(b, "b")
    lower = (first[:, None] < second[None, :]).sum()
    ties = (first[:, None] == second[None, :]).sum()
    return float((lower + 0.5 * ties) / (first.size * second.size))


def ratio_interval(a, b, level: float = 0.9, samples: int = BOOTSTRAP_SAMPLES,
                   seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """A ``level`` percentile bootstrap interval of median(a) / median(b).

    Each resample draws ``len(a)`` values of ``a`` and ``len(b)`` of ``b`` with replacement,
    from one generator seeded with ``seed``.

    >>> ratio_interval([2.0, 2.0], [1.0, 1.0])
    (2.0, 2.0)
    """
    import numpy as np

    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    first, second = _values(a, "a"), _values(b, "b")
    generator = np.random.default_rng(seed)
    first_medians = np.median(first[generator.integers(0, first.size, (samples, first.size))],
                              axis=1)
    second_medians = np.median(
        second[generator.integers(0, second.size, (samples, second.size))], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = first_medians / second_medians
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    return float(low), float(high)


def rank_sum_p(a, b) -> float:
    """Two-sided p-value of the Mann–Whitney U test (normal approximation, tie-corrected,
    with continuity correction); good from about 8 values per group.

    >>> round(rank_sum_p(range(10), range(5, 15)), 4)
    0.0051
    """
    import numpy as np

    first, second = _values(a, "a"), _values(b, "b")
    n1, n2 = first.size, second.size
    both = np.concatenate([first, second])
    order = np.argsort(both, kind="mergesort")
    ranks = np.empty(both.size)
    ranks[order] = np.arange(1, both.size + 1)
    _, inverse, counts = np.unique(both, return_inverse=True, return_counts=True)
    # Tied values share the mean of their ranks.
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    total = n1 + n2
    tie_term = float((counts ** 3 - counts).sum()) / (total * (total - 1))
    variance = n1 * n2 / 12 * ((total + 1) - tie_term)
    if variance <= 0:
        return 1.0
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(variance)
    return float(min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2))))
