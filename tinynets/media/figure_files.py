"""The figure data files the build writes: a net's recording, or a sweep's cells, read from the
run store and handed to ``figure_data`` (numpy; imported by the render jobs only).

One file per net and page (``media/<post>/<net>.tnfd``), shared by every live figure of that
net; one per sweep (``media/<post>/sweep-<sweep>.tnfd``) holding every cell as a net record, in
the sweep's order. ``media.live`` says which files a page needs, ``catalog.figure_data_key``
what their cache entries are keyed by.

Example (``run`` as the training stage gives it, trained; ``cache`` holds its recording)::

    net_data(run, net, "#0072B2", cache)        # a figure_data.NetFigureData
    write_net(run, net, "#0072B2", (), folder / "data.tnfd", cache)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tinynets.engine.data import target, training_points
from tinynets.engine.store import RunStore
from tinynets.measure.finals import RunMeta, ranking, representative_seed
from tinynets.media import figure_data


def net_data(run, net, color: str, cache: Path) -> figure_data.NetFigureData:
    """One net's (or cell's) recording as a figure data record: every seed's predictions at
    every frame and training error at every epoch (the file keeps a log-spaced sample), the
    training points, the true function on the grid (none for data from a file), the noise
    floor, and the seed its figures follow: the median one, as the animations show it."""
    arrays = RunStore(cache / "runs").load_arrays(run.key)
    seeds = [int(seed) for seed in arrays["seeds"]]
    shown = representative_seed(seeds, ranking(RunMeta.from_dict(run.meta)))
    data = run.post.data
    points_x, points_y = training_points(data)
    grid = np.asarray(arrays["grid"])
    truth = target(data, grid) if data.has_true_function else None
    return figure_data.NetFigureData(
        name=net.name, label=net.label, color=color, seeds=seeds, shown_seed=shown,
        frame_epochs=arrays["frame_epochs"], grid=grid, predictions=arrays["predictions"],
        losses=arrays["losses"], points_x=points_x, points_y=points_y, truth=truth,
        noise_floor=data.noise_floor)


def write_net(run, net, color: str, parts: tuple[str, ...], path: Path, cache: Path) -> int:
    """Write one net's data file (``parts``: what its page's other figures of it draw, from
    ``media.live.PARTS``; each kind that needs arrays of its own adds them here)."""
    return figure_data.write(path, [net_data(run, net, color, cache)])


def write_sweep(sweep, cell_runs, color: str, path: Path, cache: Path) -> int:
    """Write a sweep's data file: every cell as a net record, in the sweep's order."""
    return figure_data.write(path, [net_data(run, cell, color, cache)
                                    for cell, run in zip(sweep.cells, cell_runs)])
