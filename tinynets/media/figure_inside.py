"""Figure data for the views inside a net: its weights at every frame and its bends, for the
browser's ``units`` (figure(net, units=true)) and ``network`` kinds (figures/kinds/units.js,
network.js). numpy only.

``InsideFigureData(net, frame_weights, activation, x_range)`` is a net of a figure data file
(``figure_data.write(path, [InsideFigureData(...)])``): the record of ``net`` (a
``NetFigureData``; its predictions and losses may be None) plus one header key::

    "inside": {"activation": "relu", "layers": [60], "x_range": [-3.0, 3.0]}

(hidden widths; the range the bends are looked for in: the data's, as the prose's
``kink_count`` uses) and these arrays (F frames, S seeds):

- ``weights_<i>``, i = 0 … 2·(hidden layers + 1) − 1: the recorded ``frame_weight_<i>`` (kernel,
  bias, kernel, bias, …; the output layer last), quantised linear, ``WEIGHT_BITS`` bits over
  each array's own range, first differences along the frames. Shape (S, P, F): P is the
  array's values in C order (a kernel's (inputs, units) flattened), the frames last so that
  differences run along a weight's path in training. ``|decoded − recorded| ≤ tolerance``
  (range / (2·(2**bits − 1)), in the descriptor); NaN where a seed diverged.
- ``unit_bends`` (one hidden layer, an activation that switches at a point: relu, elu): each
  unit's bend −b/w, (S, U, F), quantised over the window [low, high] where ``low`` is one step
  below x_range[0] and high = x_range[1]: a unit whose bend lies outside the range (or w = 0)
  is stored at ``low`` (code 0, decoded below ``low + step / 2``), one inside within ``step / 2``
  of −b/w. The units whose bend is inside are exactly ``measure.inside.kinks``'s bends.
- ``bends`` and ``bend_counts`` (deeper nets that bend): the bends ``measure.inside.kinks``
  finds (the prose's own code), sorted, for frame 0 seed 0, frame 0 seed 1, … one after
  another: ``bend_counts`` raw int32 (F, S) says how many each has; ``bends`` (N,) quantised
  over x_range, ``BEND_BITS`` bits, within ``step / 2``.

Nets whose units do not switch at a point (tanh, sigmoid, …) get the weights only.

Measured on the reference post's nets (10 seeds, 150 frames): the 1×60 SGD net's weights are
137 KB at 11 bits (167 KB at 12, 102 KB at 10), its unit bends 43 KB at 11 bits (its whole
inside file 185 KB); the 2×10 Adam net's weights 62 KB and bends 29 KB. Bends are stored
rather than recomputed from the quantised weights because −b/w magnifies a weight's error by
1/|w|: from 14-bit weights a bend still moved by up to 0.12. Finding a deep net's bends takes
``inside.kinks`` per frame and seed: 3.4 s for the 2×10 net.

Example:
    >>> net = NetFigureData(name="tiny", label="1×2", color="#0072B2", seeds=(0,), shown_seed=0,
    ...     frame_epochs=np.array([0, 5]), grid=np.linspace(-1, 1, 5), predictions=None,
    ...     losses=None, points_x=np.zeros(1), points_y=np.zeros(1), truth=None,
    ...     noise_floor=None)
    >>> weights = [np.ones((2, 1, 1, 2)), np.array([[[-0.5, 4.0]]] * 2),
    ...            np.ones((2, 1, 2, 1)), np.zeros((2, 1, 1))]
    >>> data = figure_data.read(figure_data.encode(
    ...     [InsideFigureData(net, weights, "relu", (-1.0, 1.0))]))
    >>> decoded = read_inside(data)
    >>> decoded.layers, decoded.bends_at(1, 0).round(3).tolist()   # unit 2's bend (−4) is outside
    ((2,), [0.5])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tinynets.measure import inside
from tinynets.media import figure_data  # noqa: F401 (the example's)
from tinynets.media.figure_data import FigureData
from tinynets.media.figure_net_data import NetFigureData

WEIGHT_BITS = 11
BEND_BITS = 11


@dataclass(frozen=True)
class InsideFigureData:
    """A 1-D net's record with its weights at the frames and its bends (what ``encode`` takes
    for the units and network kinds). ``frame_weights`` as the run store keeps them: each
    (frames, seeds, *shape) (``measure.inside.frame_weights`` lists them)."""

    net: NetFigureData
    frame_weights: Sequence[np.ndarray]
    activation: str
    x_range: tuple[float, float]
    weight_bits: int = WEIGHT_BITS
    bend_bits: int = BEND_BITS

    def record(self, payload, bits: int, loss_samples: int | None) -> dict:
        """The net's record (``NetFigureData.record``) with the "inside" key and arrays."""
        weights, hidden = checked_weights(self.frame_weights)
        low, high = float(self.x_range[0]), float(self.x_range[1])
        record = self.net.record(payload, bits, loss_samples)
        arrays = record["arrays"]

        def store(name: str, values: np.ndarray, bits: int, window=None) -> None:
            arrays[name], missing = payload.quantised(name, values, bits=bits, differences=1,
                                                      window=window)
            if missing is not None:
                arrays[f"{name}_missing"] = missing

        frames, seeds = weights[0].shape[:2]
        for index, array in enumerate(weights):
            store(f"weights_{index}", np.moveaxis(array.reshape(frames, seeds, -1), 0, -1),
                  self.weight_bits)
        if self.activation in inside.BENDING and len(hidden) == 1:
            values, window = unit_bends(weights, low, high, self.bend_bits)
            store("unit_bends", values, self.bend_bits, window)
        elif self.activation in inside.BENDING:
            counts, bends = all_bends(weights, self.activation, (low, high))
            arrays["bend_counts"] = payload.raw(counts, "int32")
            store("bends", bends, self.bend_bits, (low, high))
        record["inside"] = {"activation": self.activation, "layers": hidden,
                            "x_range": [low, high]}
        return record


def checked_weights(frame_weights: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[int]]:
    """The weights in float64 and the hidden widths; ValueError for arrays that are not the
    layers of a one-input net at the same frames and seeds."""
    weights = [np.asarray(array, dtype=np.float64) for array in frame_weights]
    if len(weights) < 4 or len(weights) % 2:
        raise ValueError(f"a net's weights come as kernel and bias per layer, at least two "
                         f"layers; got {len(weights)} arrays")
    frames, seeds = weights[0].shape[:2]
    for array in weights:
        if array.shape[:2] != (frames, seeds):
            raise ValueError(f"every weight array is (frames, seeds, …); got shapes "
                             f"{[list(array.shape) for array in weights]}")
    if weights[0].shape[2] != 1:
        raise ValueError(f"the inside views are for nets of one input; this one has "
                         f"{weights[0].shape[2]}")
    return weights, [int(kernel.shape[-1]) for kernel in weights[0:-2:2]]


def unit_bends(weights: list[np.ndarray], low: float, high: float,
               bits: int) -> tuple[np.ndarray, tuple[float, float]]:
    """Each unit's −b/w, (seeds, units, frames), outside [low, high] one step below it; and the
    window to quantise them over (that step below ``low`` to ``high``)."""
    kernel, bias = weights[0][:, :, 0, :], weights[1]  # (frames, seeds, units)
    step = (high - low) / (2**bits - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        bends = -bias / kernel
    # the same test as measure.inside.kinks for one hidden layer
    inside_range = (kernel != 0) & (bends >= low) & (bends <= high)
    stored = np.where(inside_range, bends, low - step)
    return np.moveaxis(stored, 0, -1), (low - step, high)


def all_bends(weights: list[np.ndarray], activation: str,
              x_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Every (frame, seed)'s bends as ``measure.inside.kinks`` finds them: (counts (frames,
    seeds), the sorted bends of each one after another)."""
    frames, seeds = weights[0].shape[:2]
    counts = np.zeros((frames, seeds), dtype=np.int64)
    found = []
    for frame in range(frames):
        for column in range(seeds):
            layers = inside.net_at(weights, frame, column)
            if not all(np.all(np.isfinite(part)) for pair in layers for part in pair):
                continue  # a diverged seed: no bends to show (as the fallback draws it)
            bends = inside.kinks(layers, activation, x_range)
            counts[frame, column] = len(bends)
            found.append(bends)
    return counts, (np.concatenate(found) if found else np.zeros(0))


# --- Reading (Python; the browser reads the same arrays in figures/inside.js) --------------------

@dataclass(frozen=True)
class DecodedInside:
    """A decoded net's inside arrays: the weights in the run store's layout and its bends."""

    activation: str
    layers: tuple[int, ...]
    x_range: tuple[float, float]
    weights: list[np.ndarray]  # each (frames, seeds, *shape), float64, NaN where diverged
    unit_bends: np.ndarray | None  # (frames, seeds, units), NaN where outside the range
    bend_counts: np.ndarray | None  # (frames, seeds)
    bends: np.ndarray | None  # (N,)
    weight_tolerances: list[float]
    bend_tolerance: float | None

    def bends_at(self, frame: int, column: int) -> np.ndarray:
        """The sorted bends of one seed (its column) at one frame."""
        if self.unit_bends is not None:
            values = self.unit_bends[frame, column]
            return np.sort(values[np.isfinite(values)])
        if self.bends is None:
            return np.zeros(0)
        flat = self.bend_counts.reshape(-1)
        start = int(flat[:frame * self.bend_counts.shape[1] + column].sum())
        return self.bends[start:start + int(self.bend_counts[frame, column])]


def read_inside(data: FigureData, index: int = 0) -> DecodedInside:
    """The inside arrays of the ``index``-th net of a file ``figure_data.read`` returned
    (KeyError if it has none)."""
    net, record = data.nets[index], data.header["nets"][index]
    header, arrays = record["inside"], record["arrays"]
    hidden = tuple(int(width) for width in header["layers"])
    sizes = [1, *hidden, 1]
    shapes = []
    for inputs, units in zip(sizes[:-1], sizes[1:]):
        shapes += [(inputs, units), (units,)]
    weights = []
    for position, shape in enumerate(shapes):
        values = net.extra[f"weights_{position}"]  # (seeds, values, frames)
        weights.append(np.moveaxis(values, -1, 0).reshape(values.shape[-1], values.shape[0],
                                                          *shape))
    bends_per_unit = net.extra.get("unit_bends")
    if bends_per_unit is not None:
        descriptor = arrays["unit_bends"]
        outside = bends_per_unit < float(descriptor["low"]) + float(descriptor["step"]) / 2
        bends_per_unit = np.moveaxis(np.where(outside, np.nan, bends_per_unit), -1, 0)
    bend_descriptor = arrays.get("unit_bends") or arrays.get("bends")
    return DecodedInside(
        activation=str(header["activation"]), layers=hidden,
        x_range=(float(header["x_range"][0]), float(header["x_range"][1])),
        weights=weights, unit_bends=bends_per_unit, bend_counts=net.extra.get("bend_counts"),
        bends=net.extra.get("bends"),
        weight_tolerances=[float(arrays[f"weights_{position}"]["tolerance"])
                           for position in range(len(shapes))],
        bend_tolerance=None if bend_descriptor is None else float(bend_descriptor["tolerance"]))
