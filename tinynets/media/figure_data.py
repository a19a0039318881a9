"""Figure data: the recording of one or more nets, compact, for the browser to draw from.

A figure data file holds what the browser module (templates/assets/tinynets-figures.js) needs to
draw a figure of 1-D nets: per net its label and colour, seeds and the followed (median) seed,
the frame epochs, the grid, every seed's predictions on the grid at every frame, every seed's
training error at a log-spaced subsample of the epochs, the training points, the true function
and the noise floor. Nets on the plane (``PlaneFigureData``) and a sweep's cells
(``SweepCellFigureData``) are kept in the same container with records of their own: see the
sections "2-D nets" and "Sweeps" below. numpy only: no matplotlib, no TensorFlow.

File layout
-----------
The file is a gzip stream (RFC 1952, written with mtime 0 and no name, so the same input gives
the same bytes); the browser inflates it with the built-in ``DecompressionStream("gzip")``.
Inflated, it is a container::

    offset  size  what
    0       4     magic b"TNFD"
    4       1     format version (1)
    5       3     zero
    8       4     header length H, uint32 little-endian
    12      H     header: a JSON object, UTF-8
    12+H    …     zero padding up to a multiple of 8: the payload starts there
    payload       sections, each starting at a multiple of 8 from the payload's start

The header::

    {"format": "tinynets-figure-data", "version": 1,
     "nets": [{"name", "label", "color", "seeds": [...], "shown_seed", "epochs",
               "noise_floor" (null when none), "arrays": {NAME: DESCRIPTOR, ...}}, ...]}

Labels are author text, held as JSON strings; the browser module writes them as text only.

A descriptor names a section: ``{"offset", "bytes", "shape", "encoding", ...}``, ``offset``
counted from the payload's start. Encodings:

- ``"raw"``, with ``"dtype"`` ``"float32"``, ``"int32"`` or ``"uint32"``: little-endian values.
- ``"quantised"`` (tinynets.media.quantised): integer codes q, the value being ``low + q·step`` (``"scale": "linear"``) or
  ``10 ** (low + q·step)`` (``"scale": "log10"``). Along the last axis each row of codes is
  differenced ``"differences"`` times (1 or 2; before each pass the row starts from a zero),
  every difference is zigzag-mapped (0, −1, 1, −2 … → 0, 1, 2, 3 …) and written as an unsigned
  LEB128 varint, rows in C order. Decoding: read the varints, undo the zigzag, take running sums
  ``differences`` times per row, scale. ``"missing"`` (optional) names a raw uint32 section of
  flat indices whose recorded value was NaN or infinite (a diverged seed): they decode as NaN.
  ``"tolerance"`` (linear) or ``"relative_tolerance"`` (log10) states the largest error of a
  decoded finite value against the recorded one.

Arrays of a net (shapes: F frames, S seeds, G grid points, E sampled epochs, P points):

- ``frame_epochs`` raw int32 (F,): the epoch of each frame (0 = untrained).
- ``grid`` raw float32 (G,); ``points_x``, ``points_y`` raw float32 (P,): the training points.
- ``truth`` raw float32 (G,): the true function on the grid (absent for data from a file).
- ``predictions`` quantised linear (F, S, G), second differences along the grid: a ReLU net's
  prediction is piecewise linear in x, so most second differences of its codes are 0 or ±1.
  ``bits`` (12 by default) sets the step: ``step = (high − low) / (2**bits − 1)`` over the
  recorded range, so ``|decoded − recorded| ≤ step / 2 = range / 8190``. Values beyond two
  data spans above or below the training points (only a diverging seed gets there, far off
  the drawing) are stored clipped to that window; the header counts them in ``"clipped"``.
- ``loss_epochs`` raw int32 (E,): 1-based epochs whose training error is kept: a log-spaced
  sample (``loss_samples`` targets, 1000 by default) plus every frame epoch and the last one.
  ``loss_samples=None`` keeps every epoch.
- ``losses`` quantised log10 (S, E), first differences along the epochs: the training error of
  each seed after those epochs; 12 bits over the decades spanned, so the relative error is
  ``10 ** (step / 2) − 1`` (about 2·10⁻⁴ for the reference net). Values ≤ 0 (which a log axis
  cannot show) are stored as the smallest positive one and counted in ``"clipped"``.

Example:
    >>> net = NetFigureData(name="wide", label="1×60", color="#0072B2", seeds=(0, 1),
    ...     shown_seed=1, frame_epochs=np.array([0, 10]), grid=np.linspace(-1, 1, 5),
    ...     predictions=np.zeros((2, 2, 5)), losses=np.full((10, 2), 0.5),
    ...     points_x=np.array([0.0]), points_y=np.array([0.1]), truth=None, noise_floor=0.01)
    >>> decoded = read(encode([net]))
    >>> decoded.nets[0].label, decoded.nets[0].predictions.shape
    ('1×60', (2, 2, 5))
"""

from __future__ import annotations

import gzip
import json
import math
import struct
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from tinynets.errors import FigureDataError
from tinynets import atomic
from tinynets.media.quantised import dequantise, quantise

MAGIC = b"TNFD"
VERSION = 1
FORMAT = "tinynets-figure-data"
SUFFIX = ".tnfd"  # not .gz: a server must not add Content-Encoding and inflate it for us
ALIGN = 8
BITS = 12
LOSS_SAMPLES = 1000
# How far predictions are kept beyond the training points' range, in spans of that range.
PREDICTION_WINDOW = 2.0


# The arrays DecodedNet has a field for; any other is decoded into its ``extra``.
DECODED_FIELDS = ("frame_epochs", "grid", "points_x", "points_y", "truth", "predictions",
                  "loss_epochs", "losses")


@dataclass(frozen=True)
class NetFigureData:
    """One net's recording as a figure draws it (what ``encode`` takes).

    Arrays are as the run store gives them: ``predictions`` (frames, seeds, grid), ``losses``
    (epochs, seeds); either may be None when a figure does not draw it.
    """

    name: str
    label: str
    color: str
    seeds: Sequence[int]
    shown_seed: int
    frame_epochs: np.ndarray
    grid: np.ndarray
    predictions: np.ndarray | None
    losses: np.ndarray | None
    points_x: np.ndarray
    points_y: np.ndarray
    truth: np.ndarray | None
    noise_floor: float | None

    def record(self, payload: _Payload, bits: int, loss_samples: int | None) -> dict:
        """Its header record, its arrays appended to ``payload`` (as every kind of net data
        in a file does: ``PlaneFigureData``, ``SweepCellFigureData``)."""
        return _net_record(self, payload, bits, loss_samples)


@dataclass(frozen=True)
class DecodedNet:
    """One net as ``read`` returns it: values decoded to float64 (NaN where missing)."""

    name: str
    label: str
    color: str
    seeds: tuple[int, ...]
    shown_seed: int
    epochs: int
    noise_floor: float | None
    frame_epochs: np.ndarray
    grid: np.ndarray
    points_x: np.ndarray
    points_y: np.ndarray
    truth: np.ndarray | None
    predictions: np.ndarray | None
    loss_epochs: np.ndarray | None
    losses: np.ndarray | None  # (seeds, sampled epochs)
    tolerance: float | None  # of predictions: |decoded − recorded| ≤ tolerance
    loss_relative_tolerance: float | None  # of losses: |decoded / recorded − 1| ≤ this
    # The net's other arrays by name, decoded (a plane net's weights, a sweep cell's finals).
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FigureData:
    header: dict
    nets: tuple[DecodedNet, ...]


# --- Writing -------------------------------------------------------------------------------------

def encode(nets: Sequence[FigureNet], *, bits: int = BITS,
           loss_samples: int | None = LOSS_SAMPLES) -> bytes:
    """The file's bytes for ``nets`` (the same input always gives the same bytes). ``bits`` and
    ``loss_samples`` apply to 1-D nets; plane nets and sweep cells carry their own."""
    if not nets:
        raise ValueError("figure data needs at least one net")
    if not 2 <= bits <= 24:
        raise ValueError(f"bits must be 2 … 24, got {bits}")
    payload = _Payload()
    records = [net.record(payload, bits, loss_samples) for net in nets]
    header = json.dumps({"format": FORMAT, "version": VERSION, "nets": records},
                        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                        allow_nan=False).encode("utf-8")
    start = _aligned(12 + len(header))
    container = b"".join([MAGIC, bytes([VERSION, 0, 0, 0]), struct.pack("<I", len(header)),
                          header, bytes(start - 12 - len(header)), payload.bytes()])
    return gzip.compress(container, compresslevel=9, mtime=0)


def write(path: Path, nets: Sequence[FigureNet], **options) -> int:
    """Write ``nets`` to ``path`` atomically (whole or not at all); return its size in bytes."""
    content = encode(nets, **options)
    atomic.write_bytes(Path(path), content)
    return len(content)


class _Payload:
    """Sections appended one after another, each at a multiple of ``ALIGN``."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0
        self.raw_places: dict[tuple, dict] = {}  # raw sections by content: each written once

    def add(self, content: bytes) -> dict:
        padding = _aligned(self.size) - self.size
        if padding:
            self.parts.append(bytes(padding))
            self.size += padding
        place = {"offset": self.size, "bytes": len(content)}
        self.parts.append(content)
        self.size += len(content)
        return place

    def raw(self, values: np.ndarray, dtype: str) -> dict:
        array = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
        content = array.tobytes()
        # Nets of one data set share their grid and points: one section, named by each.
        known = (dtype, content)
        if known not in self.raw_places:
            self.raw_places[known] = self.add(content)
        return {**self.raw_places[known], "encoding": "raw", "dtype": dtype,
                "shape": list(array.shape)}

    def quantised(self, name: str, values: np.ndarray, *, bits: int, differences: int,
                  scale: str = "linear", window: tuple[float, float] | None = None
                  ) -> tuple[dict, dict | None]:
        """Append ``values`` quantised, for records written elsewhere (media/figure_inside.py):
        its descriptor, and its missing indices' (None when every value is finite)."""
        return _quantised(name, values, self, bits, differences, scale, window)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def _net_record(net: NetFigureData, payload: _Payload, bits: int,
                loss_samples: int | None) -> dict:
    seeds = [int(seed) for seed in net.seeds]
    if int(net.shown_seed) not in seeds:
        raise ValueError(f"net {net.name!r}: shown seed {net.shown_seed} is not one of its "
                         f"seeds {seeds}")
    frame_epochs = np.asarray(net.frame_epochs, dtype=np.int64)
    grid = np.asarray(net.grid)
    arrays = {"frame_epochs": payload.raw(frame_epochs, "int32"),
              "grid": payload.raw(grid, "float32"),
              "points_x": payload.raw(net.points_x, "float32"),
              "points_y": payload.raw(net.points_y, "float32")}
    if net.truth is not None:
        arrays["truth"] = payload.raw(net.truth, "float32")
    epochs = int(frame_epochs[-1])
    if net.predictions is not None:
        predictions = np.asarray(net.predictions, dtype=np.float64)
        expected = (len(frame_epochs), len(seeds), len(grid))
        if predictions.shape != expected:
            raise ValueError(f"net {net.name!r}: predictions have shape {predictions.shape}, "
                             f"expected (frames, seeds, grid) = {expected}")
        window = _prediction_window(predictions, np.asarray(net.points_y, dtype=np.float64))
        arrays["predictions"], arrays["predictions_missing"] = _quantised(
            "predictions", predictions, payload, bits, differences=2, scale="linear",
            window=window)
    if net.losses is not None:
        losses = np.asarray(net.losses, dtype=np.float64)
        if losses.ndim != 2 or losses.shape[1] != len(seeds):
            raise ValueError(f"net {net.name!r}: losses have shape {losses.shape}, expected "
                             f"(epochs, {len(seeds)} seeds)")
        epochs = len(losses)
        kept = loss_epochs(epochs, frame_epochs, loss_samples)
        arrays["loss_epochs"] = payload.raw(kept, "int32")
        arrays["losses"], arrays["losses_missing"] = _quantised(
            "losses", losses[kept - 1].T, payload, bits, differences=1, scale="log10")
    arrays = {name: place for name, place in arrays.items() if place is not None}
    floor = net.noise_floor
    return {"name": net.name, "label": net.label, "color": net.color, "seeds": seeds,
            "shown_seed": int(net.shown_seed), "epochs": epochs,
            "noise_floor": None if floor is None or not math.isfinite(floor) else float(floor),
            "arrays": arrays}


def loss_epochs(epochs: int, frame_epochs: np.ndarray, samples: int | None) -> np.ndarray:
    """The 1-based epochs whose training error a file keeps: ``samples`` log-spaced targets
    (every epoch when None or when there are fewer epochs), every frame epoch, and the last.

    >>> loss_epochs(10, np.array([0, 3, 10]), 4).tolist()
    [1, 2, 3, 4, 10]
    """
    if samples is None or samples >= epochs:
        return np.arange(1, epochs + 1)
    spread = np.unique(np.geomspace(1, epochs, samples).astype(np.int64))
    frames = np.asarray(frame_epochs, dtype=np.int64)
    kept = np.union1d(spread, frames[(frames >= 1) & (frames <= epochs)])
    return np.union1d(kept, [epochs])


def _prediction_window(predictions: np.ndarray, points_y: np.ndarray) -> tuple[float, float]:
    finite = predictions[np.isfinite(predictions)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if points_y.size:
        span = max(float(points_y.max() - points_y.min()), 1e-6)
        low = max(low, float(points_y.min()) - PREDICTION_WINDOW * span)
        high = min(high, float(points_y.max()) + PREDICTION_WINDOW * span)
    return low, max(high, low)


def _quantised(name: str, values: np.ndarray, payload: _Payload, bits: int, differences: int,
               scale: str, window: tuple[float, float] | None = None) -> tuple[dict, dict | None]:
    """Append ``values`` quantised (see tinynets.media.quantised); return its descriptor and
    the descriptor of its missing indices (None when every value is finite)."""
    packed = quantise(values, bits=bits, differences=differences, scale=scale, window=window)
    descriptor = {**payload.add(packed.stream), "encoding": "quantised", "scale": scale,
                  "shape": list(values.shape), "low": packed.low, "step": packed.step,
                  "differences": differences, "clipped": packed.clipped,
                  **packed.tolerance(scale)}
    if not packed.missing.size:
        return descriptor, None
    descriptor["missing"] = f"{name}_missing"
    return descriptor, payload.raw(packed.missing, "uint32")


# --- 2-D nets (the plane's generated sets, CSV data with two features) ---------------------------
#
# A plane net's record says ``"dimensions": 2`` and keeps its weights at the frames instead of
# its predictions: 4,096 predictions per seed and frame deflate to 120–380 KB a net even at
# 8 bits, the weights (33–609 numbers per seed and frame) to 16–230 KB at the precision below,
# and the weights also give every hidden unit's output (the unit view). The browser computes
# the field from them (figures/plane_net.js) as tinynets.media.plane_field does.
#
# Header keys: ``dimensions`` 2, ``classification``, ``activation``, ``layers`` (hidden widths),
# ``features`` (the nets' inputs: x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)), ``axis_names``
# (author text: a CSV file's columns), ``class_names`` (author text), ``side`` (of the grid),
# ``weight_bits`` and ``tolerance``: the largest |field from the decoded weights − recorded
# prediction| over every frame, seed and grid point (``tolerance_excludes``: seeds left out of
# that because their weights were clipped or went non-finite, i.e. diverged).
#
# Arrays: ``frame_epochs``; ``grid_x1``, ``grid_x2`` raw float32 (side,): the grid is their
# product, x1 varying fastest (the recording's order); ``points`` (P, 2), ``targets`` (P,),
# ``test_points`` (T, 2), ``test_targets`` (T,) raw float32 (labels 0/1, or values);
# ``frame_weight_<i>`` quantised linear, first differences along the frames, axes (seeds,
# *shape, frames): kernel i = 2k (inputs, units), bias i = 2k + 1 (units,), the output layer
# last; ``loss_epochs`` and, at those epochs, ``losses``, ``test_losses`` (quantised log10, as a
# 1-D net's losses), ``accuracy``, ``test_accuracy`` (quantised linear over [0, 1], 12 bits:
# within 1.2·10⁻⁴), each (seeds, kept epochs).

PLANE_TOLERANCE = 0.002  # a field value drawn within 0.002 of the recording (1/500)
PLANE_BITS = (10, 24)  # the weights' precision is searched in this range
# Curves kept at 300 log-spaced epochs (∪ the frames): 1000 cost the spiral post's nets 12–17 KB
# more each, and a panel 300 px wide shows no difference.
PLANE_LOSS_SAMPLES = 300


@dataclass(frozen=True)
class PlaneFigureData:
    """One net on the plane as its figures draw it (``encode`` takes it among nets).

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

    def record(self, payload: _Payload, bits: int, loss_samples: int | None) -> dict:
        return _plane_record(self, payload)


def _plane_record(net: PlaneFigureData, payload: _Payload) -> dict:
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
        arrays[name], arrays[f"{name}_missing"] = _quantised(
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


# --- Sweeps -------------------------------------------------------------------------------------
#
# A sweep's file holds one record per cell, in the sweep's order (the first varied key
# slowest). A cell record is a 1-D net's (frame_epochs, grid, points, truth, loss_epochs,
# losses of every seed at SWEEP_LOSS_SAMPLES log-spaced epochs ∪ its frames) without
# ``predictions``, plus:
#
# - ``shown_predictions`` quantised linear (frames, grid), second differences: the median
#   (shown) seed's predictions only, the one the sweep figures draw (a quarter of every seed's);
# - ``final_losses`` raw float32 (seeds,): each seed's final training error as recorded
#   (+inf where it diverged): the heatmap's medians and the plot's bands, exact;
# - a header key ``"sweep"``: {name, label, keys: [{key, name, values, texts}], cell (the index
#   of this cell's value of each key), near_floor_limit, stuck_limit (absolute errors, null
#   without a noise floor), stuck (seeds above the stuck limit, diverged ones included),
#   diverged}.
#
# Grid, points and truth are the same for every cell: the file holds them once (raw sections
# are shared), so a cell costs its predictions and losses only.

SWEEP_LOSS_SAMPLES = 200


@dataclass(frozen=True)
class SweepKeyFigureData:
    """One varied key: ``values`` as JSON (layers as lists), ``texts`` as figures write them."""

    key: str
    name: str
    values: tuple
    texts: tuple[str, ...]


@dataclass(frozen=True)
class SweepFigureInfo:
    name: str
    label: str
    keys: tuple[SweepKeyFigureData, ...]
    near_floor_limit: float | None
    stuck_limit: float | None


@dataclass(frozen=True)
class SweepCellFigureData:
    """One cell of a sweep (``encode`` takes a sweep's cells, in order, as its nets).

    ``net`` is the cell as a net, ``predictions`` of every seed (only the shown seed's are
    kept); ``cell`` the index of its value of each key; ``final_losses`` (seeds,).
    """

    sweep: SweepFigureInfo
    net: NetFigureData
    cell: tuple[int, ...]
    final_losses: np.ndarray
    stuck: int
    diverged: int
    loss_samples: int | None = SWEEP_LOSS_SAMPLES  # the cell's own, whatever the file's

    def record(self, payload: _Payload, bits: int, loss_samples: int | None) -> dict:
        return _sweep_cell_record(self, payload, bits)


def sweep_info(spec, near_floor: float, stuck: float, noise_floor: float | None) -> SweepFigureInfo:
    """What every cell record says of its sweep, from a ``SweepSpec`` and the post's
    thresholds (multiples of the noise floor)."""
    from tinynets.posts.sweeps import value_text

    keys = tuple(SweepKeyFigureData(
        key=key, name={"layers": "hidden layers"}.get(key, key.replace("_", " ")),
        values=tuple(list(value) if isinstance(value, tuple) else value for value in values),
        texts=tuple(value_text(key, value) for value in values)) for key, values in spec.varied)
    floor = noise_floor if noise_floor is not None and math.isfinite(noise_floor) else None
    return SweepFigureInfo(spec.name, spec.label, keys,
                           None if floor is None else near_floor * floor,
                           None if floor is None else stuck * floor)


def sweep_cell(info: SweepFigureInfo, spec, cell, net: NetFigureData, final_losses,
               diverged: int) -> SweepCellFigureData:
    """A cell of ``spec`` (a ``SweepSpec``) with its recording as ``net``: its key indices and
    its stuck seeds (above ``info.stuck_limit``, or diverged) worked out as the heatmap counts
    them."""
    values = spec.values(cell)
    indices = tuple(list(dict(spec.varied)[key]).index(values[key]) for key in spec.keys)
    finals = np.asarray(final_losses, dtype=np.float64)
    limit = info.stuck_limit
    stuck = int(sum(1 for value in finals if not value <= limit)) if limit is not None else 0
    return SweepCellFigureData(info, net, indices, finals, stuck, int(diverged))


def _sweep_cell_record(cell: SweepCellFigureData, payload: _Payload, bits: int) -> dict:
    net = cell.net
    record = _net_record(replace(net, predictions=None), payload, bits, cell.loss_samples)
    seeds = [int(seed) for seed in net.seeds]
    if net.predictions is not None:
        predictions = np.asarray(net.predictions, dtype=np.float64)
        expected = (len(net.frame_epochs), len(seeds), len(net.grid))
        if predictions.shape != expected:
            raise ValueError(f"cell {net.name!r}: predictions have shape {predictions.shape}, "
                             f"expected (frames, seeds, grid) = {expected}")
        shown = predictions[:, seeds.index(int(net.shown_seed))]
        window = _prediction_window(shown, np.asarray(net.points_y, dtype=np.float64))
        place, missing = _quantised("shown_predictions", shown, payload, bits, differences=2,
                                    scale="linear", window=window)
        record["arrays"]["shown_predictions"] = place
        if missing is not None:
            record["arrays"]["shown_predictions_missing"] = missing
    finals = np.asarray(cell.final_losses, dtype=np.float64)
    if finals.shape != (len(seeds),):
        raise ValueError(f"cell {net.name!r}: final losses have shape {finals.shape}, "
                         f"expected ({len(seeds)},) (one per seed)")
    record["arrays"]["final_losses"] = payload.raw(finals, "float32")
    info = cell.sweep
    record["sweep"] = {
        "name": info.name, "label": info.label,
        "keys": [{"key": key.key, "name": key.name, "values": list(key.values),
                  "texts": list(key.texts)} for key in info.keys],
        "cell": [int(index) for index in cell.cell],
        "near_floor_limit": info.near_floor_limit, "stuck_limit": info.stuck_limit,
        "stuck": int(cell.stuck), "diverged": int(cell.diverged)}
    return record


# What a file holds: nets of any of the three kinds, each writing its own record.
FigureNet = NetFigureData | PlaneFigureData | SweepCellFigureData


# --- Reading -------------------------------------------------------------------------------------

def read(source: bytes | Path | str) -> FigureData:
    """Decode a figure data file (its path, or its bytes): header and every net's arrays.

    Raises FigureDataError, naming the file and what is wrong, for anything but a whole,
    intact file of a version this code reads.
    """
    if isinstance(source, (bytes, bytearray)):
        where, content = "figure data", bytes(source)
    else:
        where = str(source)
        try:
            content = Path(source).read_bytes()
        except OSError as error:
            raise FigureDataError(f"{where}: cannot be read ({error.strerror or error})") from None
    fix = "write it again (the build's media stage does so when its cache entry is removed)"
    if content[:2] != b"\x1f\x8b":
        raise FigureDataError(f"{where}: not a figure data file (it does not start with the gzip "
                              f"signature 1f 8b); {fix}")
    try:
        container = gzip.decompress(content)
    except (EOFError, OSError, zlib.error) as error:
        raise FigureDataError(f"{where}: damaged or truncated ({error}); {fix}") from None
    return _parse(container, where, fix)


def _parse(container: bytes, where: str, fix: str) -> FigureData:
    def damaged(what: str) -> FigureDataError:
        return FigureDataError(f"{where}: damaged: {what}; {fix}")

    if len(container) < 12 or container[:4] != MAGIC:
        raise damaged("the inflated content does not start with TNFD")
    if container[4] != VERSION:
        raise FigureDataError(f"{where}: format version {container[4]}, this code reads version "
                              f"{VERSION}; {fix}")
    (length,) = struct.unpack_from("<I", container, 8)
    if 12 + length > len(container):
        raise damaged(f"the header says it is {length} bytes, the file has "
                      f"{len(container) - 12} after the first 12")
    try:
        header = json.loads(container[12:12 + length].decode("utf-8"))
        nets = header["nets"]
        if header.get("format") != FORMAT or not isinstance(nets, list) or not nets:
            raise ValueError("no nets")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise damaged(f"the JSON header cannot be read ({error})") from None
    payload = memoryview(container)[_aligned(12 + length):]
    try:
        decoded = tuple(_decode_net(record, payload) for record in nets)
    except (KeyError, TypeError, ValueError) as error:
        raise damaged(str(error)) from None
    return FigureData(header, decoded)


def _section(payload: memoryview, descriptor: dict) -> memoryview:
    offset, size = int(descriptor["offset"]), int(descriptor["bytes"])
    if offset < 0 or size < 0 or offset + size > len(payload):
        raise ValueError(f"a section ({offset} + {size} bytes) reaches past the payload's end "
                         f"({len(payload)} bytes)")
    return payload[offset:offset + size]


def _decode_net(record: dict, payload: memoryview) -> DecodedNet:
    arrays = record["arrays"]

    def array(name: str) -> np.ndarray | None:
        descriptor = arrays.get(name)
        if descriptor is None:
            return None
        missing = arrays.get(descriptor["missing"]) if "missing" in descriptor else None
        return decode_array(descriptor, payload,
                            None if missing is None else decode_array(missing, payload))

    predictions = array("predictions")
    losses = array("losses")
    missing_names = {descriptor["missing"] for descriptor in arrays.values()
                     if "missing" in descriptor}
    extra = {name: array(name) for name in arrays
             if name not in DECODED_FIELDS and name not in missing_names}
    prediction_descriptor = arrays.get("predictions") or {}
    loss_descriptor = arrays.get("losses") or {}
    return DecodedNet(
        name=str(record["name"]), label=str(record["label"]), color=str(record["color"]),
        seeds=tuple(int(seed) for seed in record["seeds"]), shown_seed=int(record["shown_seed"]),
        epochs=int(record["epochs"]), noise_floor=record.get("noise_floor"),
        frame_epochs=array("frame_epochs"), grid=array("grid"), points_x=array("points_x"),
        points_y=array("points_y"), truth=array("truth"), predictions=predictions,
        loss_epochs=array("loss_epochs"), losses=losses,
        tolerance=prediction_descriptor.get("tolerance"),
        loss_relative_tolerance=loss_descriptor.get("relative_tolerance"), extra=extra)


def decode_array(descriptor: dict, payload: memoryview,
                 missing: np.ndarray | None = None) -> np.ndarray:
    """One section as an array (raw: its dtype; quantised: float64, NaN where missing)."""
    shape = tuple(int(size) for size in descriptor["shape"])
    count = math.prod(shape)
    content = _section(payload, descriptor)
    if descriptor["encoding"] == "raw":
        dtype = np.dtype(descriptor["dtype"]).newbyteorder("<")
        if dtype.name not in ("float32", "int32", "uint32") or len(content) != count * 4:
            raise ValueError(f"a raw section of {len(content)} bytes does not hold "
                             f"{count} values of {descriptor['dtype']}")
        return np.frombuffer(content, dtype=dtype).astype(dtype.newbyteorder("="))\
            .reshape(shape)
    if descriptor["encoding"] != "quantised":
        raise ValueError(f"unknown encoding {descriptor['encoding']!r}")
    values = dequantise(content, shape, low=float(descriptor["low"]),
                        step=float(descriptor["step"]),
                        differences=int(descriptor["differences"]), scale=descriptor["scale"])
    if missing is not None:
        if missing.size and int(missing.max()) >= count:
            raise ValueError("a missing value's index is beyond its array")
        values.reshape(-1)[missing.astype(np.int64)] = np.nan
    return values
