"""The figure data files the build writes: a net's recording, or a sweep's cells, read from the
run store and handed to ``figure_data`` (numpy; imported by the render jobs only).

- ``media/<post>/<net>.tnfd``: one per net and page, shared by every live figure of that net
  (on the plane, the net's weights at the frames instead of its predictions: the plane kinds
  compute the field from them);
- ``media/<post>/<net>-inside.tnfd``: the same net's weights and bends, for its units figure
  and network diagram, only when the page shows one (``figure_inside``);
- ``media/<post>/sweep-<sweep>.tnfd``: a sweep's cells, in the sweep's order.

``media.live`` says which files a page needs, ``catalog.figure_data_key`` what their cache
entries are keyed by. The ``*_records`` functions give a file's records unwritten (the
notebook API encodes the same records for its widgets).

Example (``run`` as the training stage gives it, trained; ``cache`` holds its recording)::

    net_data(run, net, "#0072B2", cache)        # a figure_data.NetFigureData
    write_net(run, net, "#0072B2", folder / "data.tnfd", cache)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tinynets.engine.data import target, training_points
from tinynets.measure.finals import final_losses, ranking, representative_seed
from tinynets.media import figure_data
from tinynets.media.shown import shown_arrays, shown_meta
from tinynets.media.figure_net_data import NetFigureData
from tinynets.media.figure_plane_data import PlaneFigureData
from tinynets.media.figure_sweep_data import sweep_cell, sweep_info


def _recorded(run, cache: Path) -> tuple[dict, list[int], int]:
    """A run's arrays on the seeds its page shows (never its replication seeds), those seeds
    and the seed its figures follow: the median one, as the animations show it (by test
    accuracy for a classifier)."""
    arrays = shown_arrays(run, cache)
    seeds = [int(seed) for seed in arrays["seeds"]]
    return arrays, seeds, representative_seed(seeds, ranking(shown_meta(run)))


def net_data(run, net, color: str, cache: Path) -> NetFigureData:
    """One 1-D net's (or cell's) recording as a figure data record: every seed's predictions
    at every frame and training error at every epoch (the file keeps a log-spaced sample), the
    training points, the true function on the grid (none for data from a file), the noise
    floor, and the followed seed."""
    arrays, seeds, shown = _recorded(run, cache)
    data = run.post.data
    points_x, points_y = training_points(data)
    grid = np.asarray(arrays["grid"])
    truth = target(data, grid) if data.has_true_function else None
    return NetFigureData(
        name=net.name, label=net.label, color=color, seeds=seeds, shown_seed=shown,
        frame_epochs=arrays["frame_epochs"], grid=grid, predictions=arrays["predictions"],
        losses=arrays["losses"], points_x=points_x, points_y=points_y, truth=truth,
        noise_floor=data.noise_floor)


def plane_data(run, net, color: str, cache: Path):
    """A net on the plane as its figures draw it (``PlaneFigureData``): the weights
    at the frames (the field is computed from them, within a tolerance the writer measures
    against the recorded predictions), the training and test points, every curve."""
    from tinynets.engine.plane import plane_arrays
    from tinynets.measure.inside import frame_weights

    arrays, seeds, shown = _recorded(run, cache)
    data = run.post.data
    split = plane_arrays(data)
    return PlaneFigureData(
        name=net.name, label=net.label, color=color, seeds=seeds, shown_seed=shown,
        frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
        predictions=arrays["predictions"], frame_weights=frame_weights(arrays),
        activation=net.activation, features=data.features,
        classification=data.classification, losses=arrays["losses"],
        test_losses=arrays.get("test_losses"), accuracy=arrays.get("accuracy"),
        test_accuracy=arrays.get("test_accuracy"), points=split.points_train,
        targets=split.y_train, test_points=split.points_test, test_targets=split.y_test,
        noise_floor=data.noise_floor,
        axis_names=tuple(data.x_columns) if data.from_file else ("x1", "x2"))


def net_records(run, net, color: str, cache: Path) -> list:
    """The records of one net's data file (a 1-D net's, or a plane net's)."""
    record = plane_data if run.post.data.dimensions == 2 else net_data
    return [record(run, net, color, cache)]


def inside_records(run, net, color: str, cache: Path) -> list:
    """The records of one 1-D net's inside file: the net without its predictions and losses
    (those are in its data file), with its weights at every frame and its bends
    (``figure_inside.InsideFigureData``)."""
    from tinynets.measure.inside import frame_weights
    from tinynets.media.figure_inside import InsideFigureData

    base = net_data(run, net, color, cache)
    arrays = shown_arrays(run, cache)
    return [InsideFigureData(replace(base, predictions=None, losses=None),
                             frame_weights(arrays), net.activation,
                             tuple(run.post.data.x_range))]


def sweep_records(post, sweep, cell_runs, color: str, cache: Path) -> list:
    """The records of a sweep's data file: every cell, in the sweep's order, with its place in
    the sweep, its seeds' final errors and stuck count (as the heatmap counts them), every
    seed's training error and its median seed's predictions."""
    info = sweep_info(sweep, post.thresholds.near_floor, post.thresholds.stuck,
                      post.data.noise_floor)
    cells = []
    for cell, run in zip(sweep.cells, cell_runs):
        meta = shown_meta(run)
        cells.append(sweep_cell(
            info, sweep, cell, net_data(run, cell, color, cache), final_losses(meta),
            sum(1 for at in meta.diverged_at if at)))
    return cells


def write_net(run, net, color: str, path: Path, cache: Path) -> int:
    """Write one net's data file."""
    return figure_data.write(path, net_records(run, net, color, cache))


def write_inside(run, net, color: str, path: Path, cache: Path) -> int:
    """Write one 1-D net's inside file."""
    return figure_data.write(path, inside_records(run, net, color, cache))


def write_sweep(post, sweep, cell_runs, color: str, path: Path, cache: Path) -> int:
    """Write a sweep's data file."""
    return figure_data.write(path, sweep_records(post, sweep, cell_runs, color, cache))
