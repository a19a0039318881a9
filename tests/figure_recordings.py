"""Real recordings for the figure data tests, trained once per test process.

The reference post's nets (content/posts/optimizer-or-depth.md: a noisy sine, 10 seeds, 5000
epochs, 150 frames), trained with the real engine as the build trains them (a few seconds
each). Training is deterministic: the 1×60 SGD net's recording equals the one a build caches,
number for number.

Example::

    net = figure_net("wide-sgd")          # a NetFigureData, ready for figure_data.encode
"""

from __future__ import annotations

import functools

import numpy as np

from tinynets.posts.model import DataSpec, NetSpec

REFERENCE_DATA = DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)
SEEDS = tuple(range(10))
FRAMES = 150
NETS = {
    "wide-sgd": NetSpec("wide-sgd", label="1×60 ReLU, SGD", layers=(60,), optimizer="sgd"),
    "deep-adam": NetSpec("deep-adam", label="2×10 ReLU, Adam", layers=(10, 10),
                         optimizer="adam", learning_rate=0.001),
    # recorded on another schedule (fewer epochs and frames), so a compare group's timeline
    # is the union of two schedules
    "short-adam": NetSpec("short-adam", label="1×16 ReLU, Adam, 600 epochs", layers=(16,),
                          optimizer="adam", learning_rate=0.01, epochs=600),
    # a net whose units do not switch at a point: contributions, no bends (units, network)
    "short-tanh": NetSpec("short-tanh", label="1×8 tanh, Adam, 300 epochs", layers=(8,),
                          activation="tanh", optimizer="adam", learning_rate=0.02, epochs=300),
}
COLORS = {"wide-sgd": "#0072B2", "deep-adam": "#E69F00", "short-adam": "#CC79A7",
          "short-tanh": "#009E73"}
FRAME_COUNTS = {"short-adam": 60, "short-tanh": 40}


@functools.lru_cache(maxsize=None)
def recording(name: str):
    """The engine's Recording of one of ``NETS`` (trained on first use, then kept)."""
    from tinynets.engine import loop
    from tinynets.engine.data import frame_epochs

    net = NETS[name]
    return loop.train_net(REFERENCE_DATA, net, SEEDS,
                          frame_epochs(net.epochs, FRAME_COUNTS.get(name, FRAMES)))


def shown_seed(name: str) -> int:
    """The median seed by final training error, as the figures follow it."""
    from tinynets.measure.finals import representative_seed

    final = recording(name).losses[-1]
    return representative_seed(list(SEEDS), [float(value) if np.isfinite(value) else np.inf
                                             for value in final])


def figure_net(name: str):
    """A NetFigureData of one of ``NETS``, from its real recording."""
    from tinynets.engine.data import target, training_points
    from tinynets.media.figure_net_data import NetFigureData

    record = recording(name)
    x, y = training_points(REFERENCE_DATA)
    return NetFigureData(
        name=name, label=NETS[name].label, color=COLORS[name], seeds=SEEDS,
        shown_seed=shown_seed(name), frame_epochs=record.frame_epochs, grid=record.grid,
        predictions=record.predictions, losses=record.losses, points_x=x, points_y=y,
        truth=target(REFERENCE_DATA, record.grid), noise_floor=REFERENCE_DATA.noise_floor)


def inside_net(name: str):
    """The inside file's net of one of ``NETS`` (what units and network read): its frames, grid
    and points, no predictions or losses, and the weights and bends of
    tinynets.media.figure_inside."""
    from dataclasses import replace

    from tinynets.media.figure_inside import InsideFigureData

    return InsideFigureData(replace(figure_net(name), predictions=None, losses=None),
                            recording(name).frame_weights, NETS[name].activation,
                            tuple(REFERENCE_DATA.x_range))


# --- Nets on the plane (figkinds2) ---------------------------------------------------------------
#
# Small, real plane recordings: a spiral learned by two classifiers (one of them seeing extra
# features, so the browser's feature columns are tested), and a regression surface (waves, a
# linear output). Three seeds, 200 epochs, 30 frames: a few seconds each.

from tinynets.posts.plane import PlaneSpec  # noqa: E402

SPIRAL = PlaneSpec("spiral", points=200, noise=0.25, seed=0, extent=6.0, test_fraction=0.5)
SPIRAL_FEATURES = PlaneSpec("spiral", points=200, noise=0.25, seed=0, extent=6.0,
                            test_fraction=0.5, features=("x1", "x2", "x1·x2", "sin(x1)",
                                                         "sin(x2)"))
WAVES = PlaneSpec("waves", points=160, noise=0.1, seed=1, extent=3.0, test_fraction=0.25,
                  features=("x1", "x2", "x1²", "x2²"))
PLANE_SEEDS = (0, 1, 2)
PLANE_FRAMES = 30
PLANE_NETS = {
    # name: (data, layers, activation, label, colour)
    "spiral-relu": (SPIRAL, (12,), "relu", "1×12 ReLU", "#0072B2"),
    "spiral-tanh": (SPIRAL_FEATURES, (8, 8), "tanh", "2×8 tanh, five features", "#E69F00"),
    "waves-relu": (WAVES, (10,), "relu", "1×10 ReLU on waves", "#009E73"),
}


def plane_spec(name: str) -> NetSpec:
    from tinynets.posts.nets import build_net
    from tinynets.posts import schema

    data, layers, activation, label, color = PLANE_NETS[name]
    settings = {**schema.Defaults().net, "layers": list(layers), "activation": activation,
                "optimizer": "adam", "learning_rate": 0.02, "epochs": 200, "batch_size": 16}
    return build_net(name, settings, data, label=label, color=color)


@functools.lru_cache(maxsize=None)
def plane_recording(name: str):
    """The engine's Recording of one of ``PLANE_NETS`` (trained on first use, then kept)."""
    from tinynets.engine import loop
    from tinynets.engine.data import frame_epochs

    net = plane_spec(name)
    return loop.train_net(PLANE_NETS[name][0], net, PLANE_SEEDS,
                          frame_epochs(net.epochs, PLANE_FRAMES))


def plane_shown_seed(name: str) -> int:
    """The median seed as the figures follow it (by test accuracy for a classifier)."""
    from tinynets.measure.finals import representative_seed

    record = plane_recording(name)
    if record.test_accuracy is not None:
        ranking = [-float(value) for value in record.test_accuracy[-1]]
    else:
        ranking = [float(value) if np.isfinite(value) else np.inf for value in record.losses[-1]]
    return representative_seed(list(PLANE_SEEDS), ranking)


def plane_net(name: str):
    """A PlaneFigureData of one of ``PLANE_NETS``, from its real recording."""
    from tinynets.engine.plane import plane_arrays
    from tinynets.media.figure_plane_data import PlaneFigureData

    data = PLANE_NETS[name][0]
    spec = plane_spec(name)
    record = plane_recording(name)
    split = plane_arrays(data)
    return PlaneFigureData(
        name=name, label=spec.label, color=spec.color, seeds=PLANE_SEEDS,
        shown_seed=plane_shown_seed(name), frame_epochs=record.frame_epochs, grid=record.grid,
        predictions=record.predictions, frame_weights=record.frame_weights,
        activation=spec.activation, features=data.features,
        classification=data.classification, losses=record.losses,
        test_losses=record.test_losses, accuracy=record.accuracy,
        test_accuracy=record.test_accuracy, points=split.points_train, targets=split.y_train,
        test_points=split.points_test, test_targets=split.y_test, noise_floor=data.noise_floor)


# --- A sweep (figkinds2) -----------------------------------------------------------------------
#
# Width × learning rate of SGD on a noisy sine of one hill per 2π: 2 widths × 3 rates, 3 seeds,
# 400 epochs, 24 frames, trained together per width as the build trains a sweep (a few seconds).
# The cells end in every state: near the floor (1×24 at 0.1), in between (1×4 at 0.1), stuck
# (rate 0.01), and at rate 0.5 one seed of 1×4 diverges (a ▲ that says so).

SWEEP_DATA = DataSpec("sine", (-3.0, 3.0), points=60, noise=0.1, seed=0, frequency=1.0)
SWEEP_SEEDS = (0, 1, 2)
SWEEP_FRAMES = 24
SWEEP_VALUES = {"layers": ((4,), (24,)), "learning_rate": (0.01, 0.1, 0.5)}


@functools.lru_cache(maxsize=None)
def sweep_spec():
    from tinynets.posts import schema
    from tinynets.posts.model import SweepSpec
    from tinynets.posts.nets import build_net
    from tinynets.posts.sweeps import cell_label, cell_name

    base = {**schema.Defaults().net, "optimizer": "sgd", "epochs": 400}
    cells = []
    for layers in SWEEP_VALUES["layers"]:
        for rate in SWEEP_VALUES["learning_rate"]:
            values = {"layers": layers, "learning_rate": rate}
            cells.append(build_net(cell_name("width-rate", values),
                                   {**base, "layers": list(layers), "learning_rate": rate},
                                   SWEEP_DATA, label=cell_label(values), color=""))
    return SweepSpec("width-rate", "Width × rate, SGD",
                     build_net("width-rate", base, SWEEP_DATA, label="", color=""),
                     tuple(SWEEP_VALUES.items()), tuple(cells))


@functools.lru_cache(maxsize=None)
def sweep_recordings() -> tuple:
    """One Recording per cell, in the sweep's order (cells of one width train together)."""
    from tinynets.engine import sweeps
    from tinynets.engine.data import frame_epochs

    spec = sweep_spec()
    recordings = []
    for group in sweeps.groups(list(spec.cells), len(SWEEP_SEEDS)):
        epochs_at = frame_epochs(group[0].epochs, SWEEP_FRAMES)
        recordings += sweeps.train_cells(SWEEP_DATA, group, SWEEP_SEEDS, epochs_at)
    return tuple(recordings)


def sweep_cell_finals(index: int) -> list[float]:
    """A cell's per-seed final errors as a run's meta records them (+inf where diverged)."""
    last = sweep_recordings()[index].losses[-1]
    return [float(value) if np.isfinite(value) else np.inf for value in last]


def sweep_cells(near_floor: float = 2.0, stuck: float = 5.0) -> list:
    """The sweep's SweepCellFigureData, in order, from the real recordings."""
    from tinynets.engine.data import target, training_points
    from tinynets.media.figure_net_data import NetFigureData
    from tinynets.media.figure_sweep_data import sweep_cell, sweep_info
    from tinynets.measure.finals import representative_seed

    spec = sweep_spec()
    info = sweep_info(spec, near_floor, stuck, SWEEP_DATA.noise_floor)
    x, y = training_points(SWEEP_DATA)
    cells = []
    for index, (cell, record) in enumerate(zip(spec.cells, sweep_recordings())):
        finals = sweep_cell_finals(index)
        net = NetFigureData(
            name=cell.name, label=cell.label, color="#0072B2", seeds=SWEEP_SEEDS,
            shown_seed=representative_seed(list(SWEEP_SEEDS), finals),
            frame_epochs=record.frame_epochs, grid=record.grid, predictions=record.predictions,
            losses=record.losses, points_x=x, points_y=y,
            truth=target(SWEEP_DATA, record.grid), noise_floor=SWEEP_DATA.noise_floor)
        diverged = int(sum(1 for value in finals if not np.isfinite(value)))
        cells.append(sweep_cell(info, spec, cell, net, finals, diverged))
    return cells
