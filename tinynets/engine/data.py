"""The 1-D data sets: a target function sampled on an even grid, plus seeded Gaussian noise.

Example:
    >>> spec = DataSpec("sine", (0.0, 10.0), points=100, noise=0.1, seed=0)
    >>> x, y = training_points(spec)
    >>> x.shape, y.shape
    ((100,), (100,))
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tinynets.posts.functions import numpy_operations, true_function
from tinynets.posts.model import DataSpec

if TYPE_CHECKING:
    import numpy as np

GRID_POINTS = 240  # dense x grid on which predictions are recorded (≥ 200)


def target(spec: DataSpec, x: np.ndarray) -> np.ndarray | None:
    """The noise-free function the nets try to learn, on numpy arrays (None for data from a
    file: unknown). The formulas are ``tinynets.posts.functions``, which checks posts with them."""
    if not spec.has_true_function:
        return None
    return true_function(spec, x, numpy_operations())


def training_points(spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Inputs spread evenly over x_range and noisy targets (float32, seeded); or the rows of a
    one-column CSV file, as they are."""
    import numpy as np

    if spec.from_file:
        return (np.asarray(spec.x_values, dtype=np.float32),
                np.asarray(spec.y_values, dtype=np.float32))

    x = np.linspace(spec.x_range[0], spec.x_range[1], spec.points)
    noise = np.random.default_rng(spec.seed).normal(0.0, spec.noise, spec.points)
    return x.astype(np.float32), (target(spec, x) + noise).astype(np.float32)


def grid(spec: DataSpec) -> np.ndarray:
    """The dense grid on which predictions are recorded."""
    import numpy as np

    return np.linspace(spec.x_range[0], spec.x_range[1], GRID_POINTS).astype(np.float32)


def frame_epochs(epochs: int, count: int, spacing: str = "geometric") -> list[int]:
    """Epochs at which predictions are snapshotted: 0 (untrained) first, ``epochs`` last.

    Geometric spacing is dense early (where the fit changes fastest) and sparse late; every epoch
    is distinct, so there are exactly ``count`` frames.

    >>> frame_epochs(10, 4, "linear")
    [0, 3, 7, 10]
    >>> frame_epochs(5000, 6)
    [0, 1, 8, 71, 595, 5000]
    """
    if epochs < 1 or count < 2:
        raise ValueError(f"frame_epochs needs epochs ≥ 1 and count ≥ 2, got {epochs} and "
                         f"{count}")
    if spacing not in ("geometric", "linear"):
        raise ValueError(f"unknown frame spacing {spacing!r}: geometric or linear")
    # Plain Python (numbers identical to numpy's linspace and geomspace): a warm build calls this
    # for every net's cache key and should not have to import numpy.
    count = min(count, epochs + 1)
    if spacing == "linear":
        wanted = [epochs * index / (count - 1) for index in range(count)]
    else:
        steps = count - 1
        top = math.log10(epochs)
        wanted = [0.0] + [10 ** (top * index / (steps - 1)) if steps > 1 else 1.0
                          for index in range(steps)]
        wanted[1], wanted[-1] = 1.0, epochs
    result: list[int] = []
    for index, value in enumerate(wanted):
        lowest = result[-1] + 1 if result else 0
        highest = epochs - (count - 1 - index)
        result.append(int(min(max(round(value), lowest), highest)))
    return result
