"""What a notebook's figures are drawn from: a run's recording as figure data bytes, written with
``media.figure_data`` (and ``figure_inside`` for the views inside a net) exactly as the site's
data files hold it, so the browser module reads the same records in both places.

A ``Shown`` is one net (or sweep cell) as a figure shows it: its run, its settings, its colour.
Encoding takes a few tenths of a second per net (a plane net: up to a few seconds, its weights'
precision is fitted to the recorded field), so the bytes are kept per run, colour, label and
kind for the life of the kernel.

Example (``shown`` a trained net of a post, ``cache`` its project's build/cache)::

    figure_data.read(net_file(shown, cache)).nets[0].predictions.shape   # (frames, seeds, grid)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tinynets.engine.stage import Run
from tinynets.measure.finals import RunMeta, final_losses, ranking, representative_seed
from tinynets.posts.model import NetSpec


@dataclass(frozen=True)
class Shown:
    """One net or sweep cell as a figure shows it."""

    run: Run
    net: NetSpec
    color: str

    @property
    def key(self) -> tuple:
        """What its figure data depends on."""
        return (self.run.key.fingerprint, self.color, self.net.label, self.net.name)


def _arrays(shown: Shown, cache: Path) -> tuple[dict, list[int], int]:
    """A run's arrays, its seeds and the seed its figures follow (the median one)."""
    from tinynets.engine.store import RunStore

    arrays = RunStore(cache / "runs").load_arrays(shown.run.key)
    seeds = [int(seed) for seed in arrays["seeds"]]
    meta = RunMeta.from_dict(shown.run.meta)
    return arrays, seeds, representative_seed(seeds, ranking(meta))


def net_record(shown: Shown, cache: Path):
    """A 1-D net's ``figure_data.NetFigureData``: every seed's predictions at every frame and
    training error at every epoch, the training points, the true function, the noise floor."""
    import numpy as np

    from tinynets.engine.data import target, training_points
    from tinynets.media.figure_data import NetFigureData

    arrays, seeds, followed = _arrays(shown, cache)
    data = shown.run.post.data
    points_x, points_y = training_points(data)
    grid = np.asarray(arrays["grid"])
    return NetFigureData(
        name=shown.net.name, label=shown.net.label, color=shown.color, seeds=seeds,
        shown_seed=followed, frame_epochs=arrays["frame_epochs"], grid=grid,
        predictions=arrays["predictions"], losses=arrays["losses"], points_x=points_x,
        points_y=points_y, truth=target(data, grid) if data.has_true_function else None,
        noise_floor=data.noise_floor)


def plane_record(shown: Shown, cache: Path):
    """A net on the plane (``figure_data.PlaneFigureData``): its weights at the frames (the
    browser computes the field from them), the training and test points, every curve."""
    from tinynets.engine.plane import plane_arrays
    from tinynets.measure.inside import frame_weights
    from tinynets.media.figure_data import PlaneFigureData

    arrays, seeds, followed = _arrays(shown, cache)
    data = shown.run.post.data
    split = plane_arrays(data)
    return PlaneFigureData(
        name=shown.net.name, label=shown.net.label, color=shown.color, seeds=seeds,
        shown_seed=followed, frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
        predictions=arrays["predictions"], frame_weights=frame_weights(arrays),
        activation=shown.net.activation, features=data.features,
        classification=data.classification, losses=arrays["losses"],
        test_losses=arrays.get("test_losses"), accuracy=arrays.get("accuracy"),
        test_accuracy=arrays.get("test_accuracy"), points=split.points_train,
        targets=split.y_train, test_points=split.points_test, test_targets=split.y_test,
        noise_floor=data.noise_floor,
        axis_names=tuple(data.x_columns) if data.from_file else ("x1", "x2"))


def inside_record(shown: Shown, cache: Path):
    """A 1-D net's weights at every frame and its bends (``figure_inside.InsideFigureData``),
    without its predictions and losses (the net's own file has those)."""
    from tinynets.engine.store import RunStore
    from tinynets.measure.inside import frame_weights
    from tinynets.media.figure_inside import InsideFigureData

    base = replace(net_record(shown, cache), predictions=None, losses=None)
    weights = frame_weights(RunStore(cache / "runs").load_arrays(shown.run.key))
    return InsideFigureData(base, weights, shown.net.activation, shown.run.post.data.x_range)


def net_file(shown: Shown, cache: Path) -> bytes:
    """The net's data file: what ``figure``, ``loss_plot``, ``compare``, ``comparison`` and
    ``comparison_losses`` read (on the plane: ``plane``, ``plane_loss``, ``plane_compare``)."""
    return _encoded(shown, cache, "net")


def inside_file(shown: Shown, cache: Path) -> bytes:
    """The net's inside file: what ``units`` and ``network`` read besides its data file."""
    return _encoded(shown, cache, "inside")


_ENCODED: dict[tuple, bytes] = {}  # by (cache, run, colour, label, name, part)
_KEPT = 64


def _encoded(shown: Shown, cache: Path, part: str) -> bytes:
    from tinynets.media import figure_data

    key = (str(cache), *shown.key, part)
    if key not in _ENCODED:
        if part == "inside":
            record = inside_record(shown, cache)
        elif shown.run.post.data.dimensions == 2:
            record = plane_record(shown, cache)
        else:
            record = net_record(shown, cache)
        if len(_ENCODED) >= _KEPT:
            _ENCODED.pop(next(iter(_ENCODED)))
        _ENCODED[key] = figure_data.encode([record])
    return _ENCODED[key]


def sweep_file(post, sweep, cells: list[Shown], cache: Path) -> bytes:
    """A sweep's data file: every cell in the sweep's order, with its place in the sweep, its
    seeds' final errors and stuck count, every seed's training error and its median seed's
    predictions (what ``sweep_heatmap``, ``sweep_plot`` and ``sweep_grid`` read)."""
    from tinynets.media import figure_data

    info = figure_data.sweep_info(sweep, post.thresholds.near_floor, post.thresholds.stuck,
                                  post.data.noise_floor)
    records = []
    for cell, shown in zip(sweep.cells, cells):
        meta = RunMeta.from_dict(shown.run.meta)
        records.append(figure_data.sweep_cell(
            info, sweep, cell, net_record(shown, cache), final_losses(meta),
            sum(1 for at in meta.diverged_at if at)))
    return figure_data.encode(records)
