"""The true functions of generated 1-D data: the noise-free target the nets try to learn.

Each function is written once, over a few elementary operations, and computed two ways: on plain
floats with ``math`` when a post is checked (a warm build never imports numpy), and on numpy
arrays when the engine draws the training points and measures errors (``engine.data.target``).
Both ways take the same steps, so the polynomial gives the same bits; sine and exp may differ
in the last place between ``math`` and numpy.

Example:
    >>> data = DataSpec("abs", (0.0, 4.0), points=5, noise=0.1, seed=0)
    >>> [true_function(data, x) for x in training_inputs(data)]
    [2.0, 1.0, 0.0, 1.0, 2.0]
    >>> true_function(DataSpec("polynomial", (0.0, 1.0), 2, 0.1, 0, coefficients=(1.0, 2.0)), 3.0)
    7.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

from tinynets.posts.model import DataSpec


@dataclass(frozen=True)
class Operations:
    """The elementary operations the true functions are written in, for one kind of number."""

    sin: Callable[[Any], Any]
    exp: Callable[[Any], Any]
    abs: Callable[[Any], Any]
    where: Callable[[Any, float, float], Any]  # (condition, value if true, value if false)
    polyval: Callable[[Any, tuple], Any]  # (x, (c0, c1, …)) → c0 + c1·x + c2·x² + …


def horner(x: float, coefficients: tuple[float, ...]) -> float:
    """c0 + c1·x + c2·x² + … in the steps numpy's ``polyval`` takes (Horner's rule, starting
    from ``c[-1] + x·0``), so a float gives the bits an array element gets.

    >>> horner(2.0, (1.0, 0.0, 3.0))
    13.0
    """
    value = coefficients[-1] + x * 0
    for coefficient in reversed(coefficients[:-1]):
        value = coefficient + value * x
    return value


FLOATS = Operations(sin=math.sin, exp=math.exp, abs=abs,
                    where=lambda condition, yes, no: yes if condition else no, polyval=horner)


@cache
def numpy_operations() -> Operations:
    """The same operations on numpy arrays (imported here, on first use: validation needs none)."""
    import numpy as np

    return Operations(sin=np.sin, exp=np.exp, abs=np.abs, where=np.where,
                      polyval=np.polynomial.polynomial.polyval)


def true_function(data: DataSpec, x, operations: Operations = FLOATS):
    """The noise-free target at ``x``: a float, or an array with ``numpy_operations()``."""
    if data.function == "sine":
        return operations.sin(data.frequency * x)
    if data.function == "abs":
        return operations.abs(x - data.center)
    if data.function == "step":
        return operations.where(x >= data.center, 1.0, 0.0)
    if data.function == "gaussian":
        return operations.exp(-0.5 * ((x - data.center) / data.width) ** 2)
    if data.function == "polynomial":
        return operations.polyval(x, data.coefficients)
    raise ValueError(f"unknown function {data.function!r}")


def training_inputs(data: DataSpec) -> list[float]:
    """The inputs, evenly spread over x_range (as numpy's linspace spreads them)."""
    low, high = data.x_range
    step = (high - low) / (data.points - 1)
    return [low + index * step for index in range(data.points - 1)] + [high]
