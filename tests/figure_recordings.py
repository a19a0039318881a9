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
    from tinynets.media.figure_data import NetFigureData

    record = recording(name)
    x, y = training_points(REFERENCE_DATA)
    return NetFigureData(
        name=name, label=NETS[name].label, color=COLORS[name], seeds=SEEDS,
        shown_seed=shown_seed(name), frame_epochs=record.frame_epochs, grid=record.grid,
        predictions=record.predictions, losses=record.losses, points_x=x, points_y=y,
        truth=target(REFERENCE_DATA, record.grid), noise_floor=REFERENCE_DATA.noise_floor)


def inside_net(name: str):
    """The inside file of one of ``NETS`` (what units and network read): its frames, grid and
    points, no predictions or losses, and the weights and bends of
    tinynets.media.figure_inside."""
    from dataclasses import replace

    from tinynets.media.figure_inside import inside_extra

    net = NETS[name]
    extra = inside_extra(recording(name).frame_weights, net.activation,
                         tuple(REFERENCE_DATA.x_range))
    return replace(figure_net(name), predictions=None, losses=None, extras=(extra,))
