"""A sweep's cells in a figure data file.

A sweep's file holds one record per cell, in the sweep's order (the first varied key
slowest). A cell record is a 1-D net's (frame_epochs, grid, points, truth, loss_epochs,
losses of every seed at SWEEP_LOSS_SAMPLES log-spaced epochs ∪ its frames) without
``predictions``, plus:

- ``shown_predictions`` quantised linear (frames, grid), second differences: the median
  (shown) seed's predictions only, the one the sweep figures draw (a quarter of every seed's);
- ``final_losses`` raw float32 (seeds,): each seed's final training error as recorded
  (+inf where it diverged): the heatmap's medians and the plot's bands, exact;
- a header key ``"sweep"``: {name, label, keys: [{key, name, values, texts}], cell (the index
  of this cell's value of each key), near_floor_limit, stuck_limit (absolute errors, null
  without a noise floor), stuck (seeds above the stuck limit, diverged ones included),
  diverged}.

Grid, points and truth are the same for every cell: the file holds them once (raw sections
are shared), so a cell costs its predictions and losses only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from tinynets.media.figure_net_data import NetFigureData, net_record, prediction_window
from tinynets.media.figure_payload import Payload, quantised_section

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
    """One cell of a sweep (``figure_data.encode`` takes a sweep's
    cells, in order, as its nets).

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

    def record(self, payload: Payload, bits: int, loss_samples: int | None) -> dict:
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


def _sweep_cell_record(cell: SweepCellFigureData, payload: Payload, bits: int) -> dict:
    net = cell.net
    record = net_record(replace(net, predictions=None), payload, bits, cell.loss_samples)
    seeds = [int(seed) for seed in net.seeds]
    if net.predictions is not None:
        predictions = np.asarray(net.predictions, dtype=np.float64)
        expected = (len(net.frame_epochs), len(seeds), len(net.grid))
        if predictions.shape != expected:
            raise ValueError(f"cell {net.name!r}: predictions have shape {predictions.shape}, "
                             f"expected (frames, seeds, grid) = {expected}")
        shown = predictions[:, seeds.index(int(net.shown_seed))]
        window = prediction_window(shown, np.asarray(net.points_y, dtype=np.float64))
        place, missing = quantised_section("shown_predictions", shown, payload, bits, differences=2,
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
