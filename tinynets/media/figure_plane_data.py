"""A net on the plane in a figure data file (the plane's generated sets, CSV data with two
features).

A plane net's record says ``"dimensions": 2`` and keeps its weights at the frames instead of
its predictions: 4,096 predictions per seed and frame deflate to 120–380 KB a net even at
8 bits, the weights (33–609 numbers per seed and frame) to 16–230 KB at the precision below,
and the weights also give every hidden unit's output (the unit view). The browser computes
the field from them (figures/plane_net.js) as tinynets.media.plane_field does.

Header keys: ``dimensions`` 2, ``classification``, ``activation``, ``layers`` (hidden widths),
``features`` (the nets' inputs: x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)), ``axis_names``
(author text: a CSV file's columns), ``class_names`` (author text), ``side`` (of the grid),
``weight_bits`` and ``tolerance``: the largest |field from the decoded weights − recorded
prediction| over every frame, seed and grid point (``tolerance_excludes``: seeds left out of
that because their weights were clipped or went non-finite, i.e. diverged).

Arrays: ``frame_epochs``; ``grid_x1``, ``grid_x2`` raw float32 (side,): the grid is their
product, x1 varying fastest (the recording's order); ``points`` (P, 2), ``targets`` (P,),
``test_points`` (T, 2), ``test_targets`` (T,) raw float32 (labels 0/1, or values);
``frame_weight_<i>`` quantised linear, first differences along the frames, axes (seeds,
*shape, frames): kernel i = 2k (inputs, units), bias i = 2k + 1 (units,), the output layer
last; ``loss_epochs`` and, at those epochs, ``losses``, ``test_losses`` (quantised log10, as a
1-D net's losses), ``accuracy``, ``test_accuracy`` (quantised linear over [0, 1], 12 bits:
within 1.2·10⁻⁴), each (seeds, kept epochs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tinynets.media.figure_net_data import BITS, loss_epochs
from tinynets.media.figure_payload import Payload, quantised_section
from tinynets.media.quantised import dequantise, quantise

PLANE_TOLERANCE = 0.002  # a field value drawn within 0.002 of the recording (1/500)
PLANE_BITS = (10, 24)  # the weights' precision is searched in this range
# Curves kept at 300 log-spaced epochs (∪ the frames): 1000 cost the spiral post's nets 12–17 KB
# more each, and a panel 300 px wide shows no difference.
PLANE_LOSS_SAMPLES = 300


@dataclass(frozen=True)
class PlaneFigureData:
    """One net on the plane as its figures draw it (``figure_data.encode`` takes it among nets).

    ``predictions`` (frames, seeds, grid) are the recorded ones: the file does not keep them,
    it states how closely the field computed from its weights matches them. ``frame_weights``
    are the recording's, each (frames, seeds, *shape); losses and accuracies (epochs, seeds).
    """

    name: str
    label: str
    color: str
    seeds: Sequence[int]
    shown_seed: int
    frame_epochs: np.ndarray
    grid: np.ndarray  # (side², 2), x1 varying fastest
    predictions: np.ndarray
    frame_weights: Sequence[np.ndarray]
    activation: str
    features: Sequence[str]
    classification: bool
    losses: np.ndarray
    test_losses: np.ndarray | None
    accuracy: np.ndarray | None
    test_accuracy: np.ndarray | None
    points: np.ndarray  # (P, 2) training points, plane coordinates
    targets: np.ndarray  # (P,)
    test_points: np.ndarray  # (T, 2), T may be 0
    test_targets: np.ndarray
    noise_floor: float | None = None
    axis_names: tuple[str, str] = ("x1", "x2")  # a CSV file's column names
    class_names: tuple[str, str] = ("class 0", "class 1")
    tolerance: float = PLANE_TOLERANCE  # the largest difference the weights' precision allows
    loss_samples: int | None = PLANE_LOSS_SAMPLES  # this net's own, whatever the file's

    def record(self, payload: Payload, bits: int, loss_samples: int | None) -> dict:
        return _plane_record(self, payload)


def _plane_record(net: PlaneFigureData, payload: Payload) -> dict:
    seeds = [int(seed) for seed in net.seeds]
    if int(net.shown_seed) not in seeds:
        raise ValueError(f"net {net.name!r}: shown seed {net.shown_seed} is not one of its "
                         f"seeds {seeds}")
    frame_epochs = np.asarray(net.frame_epochs, dtype=np.int64)
    x1, x2 = _grid_axes(net.name, np.asarray(net.grid, dtype=np.float64))
    weights = [np.asarray(array, dtype=np.float64) for array in net.frame_weights]
    expected = (len(frame_epochs), len(seeds))
    if len(weights) % 2 or any(array.shape[:2] != expected for array in weights):
        raise ValueError(f"net {net.name!r}: frame weights must be kernel and bias pairs, each "
                         f"(frames, seeds, …) = {expected} first")
    predictions = np.asarray(net.predictions, dtype=np.float64)
    if predictions.shape != expected + (len(x1) * len(x2),):
        raise ValueError(f"net {net.name!r}: predictions have shape {predictions.shape}, "
                         f"expected (frames, seeds, grid) = {expected + (len(x1) * len(x2),)}")
    arrays = {"frame_epochs": payload.raw(frame_epochs, "int32"),
              "grid_x1": payload.raw(x1, "float32"), "grid_x2": payload.raw(x2, "float32"),
              "points": payload.raw(np.reshape(net.points, (-1, 2)), "float32"),
              "targets": payload.raw(net.targets, "float32"),
              "test_points": payload.raw(np.reshape(net.test_points, (-1, 2)), "float32"),
              "test_targets": payload.raw(net.test_targets, "float32")}
    fit = _fitted_weights(net, weights, predictions)
    for index, packed in enumerate(fit.packed):
        descriptor = {**payload.add(packed.stream), "encoding": "quantised", "scale": "linear",
                      "shape": list(fit.shapes[index]), "low": packed.low, "step": packed.step,
                      "differences": 1, "clipped": packed.clipped,
                      "axes": ["seeds", *(["inputs", "units"] if index % 2 == 0 else ["units"]),
                               "frames"], **packed.tolerance("linear")}
        if packed.missing.size:
            descriptor["missing"] = f"frame_weight_{index}_missing"
            arrays[descriptor["missing"]] = payload.raw(packed.missing, "uint32")
        arrays[f"frame_weight_{index}"] = descriptor
    losses = np.asarray(net.losses, dtype=np.float64)
    epochs = len(losses)
    kept = loss_epochs(epochs, frame_epochs, net.loss_samples)
    arrays["loss_epochs"] = payload.raw(kept, "int32")
    curves = (("losses", net.losses, "log10"), ("test_losses", net.test_losses, "log10"),
              ("accuracy", net.accuracy, "linear"), ("test_accuracy", net.test_accuracy, "linear"))
    for name, values, scale in curves:
        if values is None:
            continue
        values = np.asarray(values, dtype=np.float64)
        if values.shape != losses.shape:
            raise ValueError(f"net {net.name!r}: {name} have shape {values.shape}, expected "
                             f"(epochs, seeds) = {losses.shape}")
        arrays[name], arrays[f"{name}_missing"] = quantised_section(
            name, values[kept - 1].T, payload, BITS, differences=1, scale=scale,
            window=(0.0, 1.0) if scale == "linear" else None)
    arrays = {name: place for name, place in arrays.items() if place is not None}
    floor = net.noise_floor
    return {"name": net.name, "label": net.label, "color": net.color, "seeds": seeds,
            "shown_seed": int(net.shown_seed), "epochs": epochs,
            "noise_floor": None if floor is None or not math.isfinite(floor) else float(floor),
            "dimensions": 2, "classification": bool(net.classification),
            "activation": net.activation, "features": list(net.features),
            "layers": [int(array.shape[-1]) for array in weights[0:-2:2]],
            "axis_names": [str(name) for name in net.axis_names],
            "class_names": [str(name) for name in net.class_names],
            "side": len(x1), "weight_bits": fit.bits, "tolerance": fit.tolerance,
            "tolerance_excludes": fit.excluded, "arrays": arrays}


def _grid_axes(name: str, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The grid's x1 and x2 values, checked to be the product the recording holds."""
    side = math.isqrt(len(grid))
    if grid.ndim != 2 or grid.shape[1] != 2 or side * side != len(grid) or side < 2:
        raise ValueError(f"net {name!r}: the grid must be side² points of (x1, x2), got shape "
                         f"{grid.shape}")
    x1, x2 = grid[:side, 0], grid[::side, 1]
    if not np.array_equal(grid, np.stack([np.tile(x1, side), np.repeat(x2, side)], 1)):
        raise ValueError(f"net {name!r}: the grid is not rows of x2 with x1 varying fastest")
    return x1, x2


@dataclass(frozen=True)
class _FittedWeights:
    packed: list  # Quantised per weight array
    shapes: list  # (seeds, *shape, frames) per array
    bits: int
    tolerance: float
    excluded: list  # seeds the tolerance does not cover (their weights clipped or non-finite)


def _fitted_weights(net: PlaneFigureData, weights: list[np.ndarray],
                    predictions: np.ndarray) -> _FittedWeights:
    """The weights quantised at the fewest bits (in ``PLANE_BITS``) whose field is within
    ``net.tolerance`` of the recorded predictions, and that largest difference."""
    from tinynets.media.plane_field import fields

    # Each array's window spans the seeds whose weights stay finite: a diverging seed's weights
    # grow without bound before they become NaN, and would take every step's precision.
    finite = np.ones(len(net.seeds), dtype=bool)
    for array in weights:
        finite &= np.isfinite(array).reshape(array.shape[0], array.shape[1], -1).all(axis=(0, 2))
    moved = [np.moveaxis(array, 0, -1) for array in weights]  # (seeds, *shape, frames)
    windows = [_finite_range(array[finite]) if finite.any() else None for array in moved]

    tried: dict[int, _FittedWeights] = {}

    def attempt(bits: int) -> _FittedWeights:
        if bits not in tried:
            tried[bits] = quantised_at(bits)
        return tried[bits]

    def quantised_at(bits: int) -> _FittedWeights:
        packed = [quantise(array, bits=bits, differences=1, window=window)
                  for array, window in zip(moved, windows)]
        decoded = []
        for item, array in zip(packed, moved):
            values = dequantise(item.stream, array.shape, low=item.low, step=item.step,
                                differences=1)
            values.reshape(-1)[item.missing] = np.nan
            decoded.append(np.moveaxis(values, -1, 0))
        clipped = np.zeros(len(net.seeds), dtype=bool)
        for original, item, window in zip(moved, decoded, windows):
            if window is not None:
                outside = (original < window[0]) | (original > window[1])
                clipped |= outside.reshape(outside.shape[0], -1).any(axis=1)
        kept = finite & ~clipped
        drawn = fields(decoded, net.grid, net.features, net.activation, net.classification)
        recorded = predictions[:, kept]
        difference = np.abs(drawn[:, kept] - recorded)[np.isfinite(recorded)]
        worst = float(difference.max()) if difference.size else 0.0
        if not np.isfinite(worst):
            worst = math.inf
        excluded = [int(seed) for seed, keep in zip(net.seeds, kept) if not keep]
        return _FittedWeights(packed, [array.shape for array in moved], bits, worst, excluded)

    # The difference about halves with every bit: estimate from one try, then step to the
    # fewest bits that keep within the tolerance.
    low, high = PLANE_BITS
    start = 17
    first = attempt(start)
    ratio = max(first.tolerance, 1e-300) / net.tolerance
    bits = min(high, max(low, start + math.ceil(math.log2(ratio)) if ratio > 1
                         else start - int(math.log2(1 / ratio))))
    while attempt(bits).tolerance > net.tolerance and bits < high:
        bits += 1
    while bits > low and attempt(bits - 1).tolerance <= net.tolerance:
        bits -= 1
    return attempt(bits)


def _finite_range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
