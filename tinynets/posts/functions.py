"""The true functions of generated data: the noise-free target the nets try to learn.

Example:
    >>> data = DataSpec("abs", (0.0, 4.0), points=5, noise=0.1, seed=0)
    >>> [target_value(data, x) for x in training_inputs(data)]
    [2.0, 1.0, 0.0, 1.0, 2.0]
"""

from __future__ import annotations

import math

from tinynets.posts.model import DataSpec


def target_value(data: DataSpec, x: float) -> float:
    """The noise-free target at ``x``, in plain Python (engine/data.py computes the same with
    numpy for training; a test keeps the two equal)."""
    if data.function == "sine":
        return math.sin(data.frequency * x)
    if data.function == "abs":
        return abs(x - data.center)
    if data.function == "step":
        return 1.0 if x >= data.center else 0.0
    if data.function == "gaussian":
        return math.exp(-0.5 * ((x - data.center) / data.width) ** 2)
    if data.function == "polynomial":
        return sum(c * x**power for power, c in enumerate(data.coefficients))
    raise ValueError(f"unknown function {data.function!r}")


def training_inputs(data: DataSpec) -> list[float]:
    """The inputs, evenly spread over x_range (as numpy's linspace spreads them)."""
    low, high = data.x_range
    step = (high - low) / (data.points - 1)
    return [low + index * step for index in range(data.points - 1)] + [high]
