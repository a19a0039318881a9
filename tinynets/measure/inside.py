"""Inside a net, from its recorded weights: unit outputs, bends, dead units, and errors that
training does not see (against the true function, and on fresh noisy points). Numpy only.

The training engine records every seed's weights at every frame epoch (``frame_weight_<i>`` in
a run's arrays, each ``(frames, seeds, *shape)``): a 1×60 net is 181 numbers per seed and
frame. Everything here recomputes the net from them, so a warm build imports no TensorFlow.

Functions that take ``layers`` take one net: a list of (kernel ``(inputs, units)``, bias
``(units,)``) pairs, the output layer last; ``forward`` also accepts leading batch axes.

Example:
    >>> layers = [(np.array([[1.0, -2.0]]), np.array([-1.0, 1.0])),
    ...           (np.array([[1.0], [1.0]]), np.array([0.0]))]
    >>> kinks(layers, "relu", (-3, 3)).tolist()     # where each unit switches: −b/w
    [0.5, 1.0]
"""

from __future__ import annotations

import math

import numpy as np

from tinynets.errors import TemplateMisuse

# Activations whose units switch at a point (zero below it): their nets bend there.
BENDING = ("relu", "elu")
# Points of the fine grid on which a deep net's switches are first located (then refined).
KINK_SCAN_POINTS = 4001
# Held-out points: as many as the training points, inputs drawn uniformly over the range, noise
# from a second stream of the data's seed (numpy's SeedSequence of [seed, HELD_OUT_STREAM]).
HELD_OUT_STREAM = 1


def _erf(values: np.ndarray) -> np.ndarray:
    """The error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): GELU without SciPy."""
    sign = np.sign(values)
    values = np.abs(values)
    t = 1.0 / (1.0 + 0.3275911 * values)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-values * values))


ACTIVATIONS = {
    "relu": lambda v: np.maximum(v, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda v: 0.5 * (1.0 + np.tanh(0.5 * v)),
    "elu": lambda v: np.where(v > 0, v, np.expm1(np.minimum(v, 0.0))),
    "linear": lambda v: v,
    "gelu": lambda v: 0.5 * v * (1.0 + _erf(v / math.sqrt(2.0))),  # Keras' exact form
    "softplus": lambda v: np.logaddexp(0.0, v),
}


def frame_weights(arrays: dict) -> list[np.ndarray]:
    """The recorded weights at the frame epochs, in layer order: each (frames, seeds, *shape).

    Raises KeyError naming what is missing for a run recorded before weights were kept.
    """
    names = sorted((name for name in arrays if name.startswith("frame_weight_")),
                   key=lambda name: int(name.rsplit("_", 1)[1]))
    if not names:
        raise KeyError("this run has no weights at its frame epochs (recorded before they were "
                       "kept): rebuild to retrain it")
    return [arrays[name] for name in names]


def net_at(weights: list[np.ndarray], frame: int, seed_column: int) -> list[tuple]:
    """One seed's layers at one frame, as (kernel, bias) pairs in float64."""
    values = [np.asarray(array[frame, seed_column], dtype=np.float64) for array in weights]
    return list(zip(values[0::2], values[1::2]))


def forward(layers, x: np.ndarray, activation: str):
    """(hidden, output): each hidden layer's outputs ``(..., points, units)`` and the net's
    output ``(..., points)`` at inputs ``x`` (points,). Kernels may carry leading batch axes."""
    function = ACTIVATIONS[activation]
    values = np.asarray(x, dtype=np.float64)[:, None]
    hidden = []
    for kernel, bias in layers[:-1]:
        values = function(values @ kernel + bias[..., None, :])
        hidden.append(values)
    kernel, bias = layers[-1]
    return hidden, (values @ kernel + bias[..., None, :])[..., 0]


def _pre_activations(layers, x: np.ndarray, activation: str) -> list[np.ndarray]:
    """Every hidden layer's inputs to its activation, (points, units) each."""
    function = ACTIVATIONS[activation]
    values, result = np.asarray(x, dtype=np.float64)[:, None], []
    for kernel, bias in layers[:-1]:
        pre = values @ kernel + bias
        result.append(pre)
        values = function(pre)
    return result


def _require_bending(activation: str, what: str) -> None:
    if activation not in BENDING:
        raise TemplateMisuse(f"{what} are defined for nets whose units switch on at a point "
                         f"({', '.join(BENDING)}); this net uses {activation}")


def kinks(layers, activation: str, x_range: tuple[float, float],
          scan_points: int = KINK_SCAN_POINTS) -> np.ndarray:
    """The bend points of the net's function inside ``x_range``, sorted: every input at which a
    hidden unit switches on or off.

    One hidden layer: exactly −b/w of each unit (w ≠ 0). Deeper nets: the activation pattern
    is found on a fine grid of ``scan_points`` inputs; each unit that changes between two
    neighbouring inputs is located by bisection (to ~1e-12 of the range).
    """
    _require_bending(activation, "bend points")
    low, high = float(x_range[0]), float(x_range[1])
    if len(layers) == 2:
        kernel, bias = layers[0]
        weights = kernel[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            points = -bias / weights
        points = points[(weights != 0) & (points >= low) & (points <= high)]
        return np.sort(points)
    grid = np.linspace(low, high, scan_points)
    found = []
    for depth, pre in enumerate(_pre_activations(layers, grid, activation)):
        on = pre > 0
        rows, units = np.nonzero(on[1:] != on[:-1])
        if rows.size == 0:
            continue
        left, right = grid[rows], grid[rows + 1]
        left_on = on[rows, units]
        for _ in range(60):
            middle = (left + right) / 2
            pre_middle = _pre_activations(layers, middle, activation)[depth]
            middle_on = pre_middle[np.arange(middle.size), units] > 0
            same = middle_on == left_on
            left = np.where(same, middle, left)
            right = np.where(same, right, middle)
            if np.max(right - left) <= (high - low) * 1e-13:
                break
        found.append((left + right) / 2)
    return np.sort(np.concatenate(found)) if found else np.zeros(0)


def dead_units(layers, x_train: np.ndarray, activation: str) -> int:
    """Hidden units that are active on no training point (a ReLU unit whose input is ≤ 0 at
    every point outputs 0 there and gets no gradient: it stays dead)."""
    if activation != "relu":
        raise TemplateMisuse(f"dead units are defined for ReLU nets (a unit that outputs 0 on every "
                         f"training point); this net uses {activation}")
    return int(sum((~(pre > 0).any(axis=0)).sum()
                   for pre in _pre_activations(layers, x_train, activation)))


def noise_free_errors(predictions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Mean squared error against the true function on the grid, over the last axis:
    predictions (..., grid) and the target on the same grid → (...)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean((np.asarray(predictions, np.float64) - truth) ** 2, axis=-1)


def held_out_points(data, target) -> tuple[np.ndarray, np.ndarray]:
    """Fresh noisy points the net never saw: as many as the training points, inputs uniform
    over the range, targets ``target(data, x)`` plus noise from another seed stream."""
    generator = np.random.default_rng([int(data.seed), HELD_OUT_STREAM])
    x = generator.uniform(data.x_range[0], data.x_range[1], data.points)
    return x, target(data, x) + generator.normal(0.0, data.noise, data.points)


def held_out_error(layers, activation: str, x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the net on the points (x, y)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((forward(layers, x, activation)[1] - y) ** 2))


def contributions(layers, x: np.ndarray, activation: str) -> np.ndarray:
    """One hidden layer: each unit's share of the output, v_j·h_j(x): (units, points)."""
    hidden, _ = forward(layers, x, activation)
    return (hidden[-1] * layers[-1][0][:, 0]).T
