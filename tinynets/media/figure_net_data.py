"""A 1-D net's record in a figure data file: its predictions on the grid at every frame and its
training error at a sample of the epochs (the arrays are listed in tinynets.media.figure_data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tinynets.media.figure_payload import Payload, quantised_section

BITS = 12
LOSS_SAMPLES = 1000
# How far predictions are kept beyond the training points' range, in spans of that range.
PREDICTION_WINDOW = 2.0


@dataclass(frozen=True)
class NetFigureData:
    """One net's recording as a figure draws it (what ``figure_data.encode`` takes).

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

    def record(self, payload: Payload, bits: int, loss_samples: int | None) -> dict:
        """Its header record, its arrays appended to ``payload`` (as every kind of net data
        in a file does: ``PlaneFigureData``, ``SweepCellFigureData``)."""
        return net_record(self, payload, bits, loss_samples)



def net_record(net: NetFigureData, payload: Payload, bits: int,
               loss_samples: int | None) -> dict:
    """``net``'s header record, its arrays appended to ``payload``."""
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
        window = prediction_window(predictions, np.asarray(net.points_y, dtype=np.float64))
        arrays["predictions"], arrays["predictions_missing"] = quantised_section(
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
        arrays["losses"], arrays["losses_missing"] = quantised_section(
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


def prediction_window(predictions: np.ndarray, points_y: np.ndarray) -> tuple[float, float]:
    """The range a file keeps predictions in: the finite ones' range, cut at
    ``PREDICTION_WINDOW`` spans of the training points beyond them (only a diverging seed
    gets there)."""
    finite = predictions[np.isfinite(predictions)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if points_y.size:
        span = max(float(points_y.max() - points_y.min()), 1e-6)
        low = max(low, float(points_y.min()) - PREDICTION_WINDOW * span)
        high = min(high, float(points_y.max()) + PREDICTION_WINDOW * span)
    return low, max(high, low)
