"""The axes several figure kinds share: the y range of 1-D data, and the log-log axes of a
training error with its noise floor (net animations, loss plots, the plane's curves, the errors
plot).

Nets of one post are drawn on one scale: the prediction's y range comes from the data, and so
does the training error's (``shared_loss_range``), so the panels of ``compare`` line up. Only a
net whose error leaves that range widens its own axis, and its figure says so.

>>> [int(epoch) for epoch in loss_samples(5, count=4)]
[0, 1, 4]
>>> loss_limits(np.array([0.5, 0.02]), 0.01, shared=(0.003, 2.0))
(0.003, 2.0)
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from tinynets.engine.data import training_points
from tinynets.media.canvas import FLOOR, FONT, GRID, tick_text


def value_limits(panels) -> tuple[float, float]:
    """y limits that hold the data and the true function with a margin, shared by panels."""
    values = np.concatenate([training_points(panel.data)[1] for panel in panels])
    low, high = float(values.min()), float(values.max())
    margin = 0.16 * (high - low) if high > low else 1.0
    return low - margin, high + margin


def loss_samples(epochs: int, count: int = 400) -> np.ndarray:
    """Epoch indices at which loss curves are drawn: geometric, enough for a smooth log plot."""
    return np.unique(np.geomspace(1, epochs, count).astype(int)) - 1


# The training error's range on classification data (binary cross-entropy): from a net that
# guesses (ln 2 ≈ 0.69), with room above for the spikes of a confident mistake, down to nets
# that are nearly sure of every point.
CLASSIFICATION_LOSS_RANGE = (1e-4, 4.0)


def shared_loss_range(panel) -> tuple[float, float]:
    """The training error's y range for every net trained on ``panel``'s data: from a third of
    the noise floor (or four decades down) to four times the mean square of the targets, about
    what an untrained net's error starts at (so every net of a post starts inside it)."""
    if panel.classification:
        return CLASSIFICATION_LOSS_RANGE
    high = 4 * float(np.mean(np.square(panel.targets))) or 1.0
    floor = noise_floor(panel)
    return (floor / 3 if 0 < floor < high else high / 1e4), high


def loss_limits(losses: np.ndarray, floor: float,
                shared: tuple[float, float] | None = None) -> tuple[float, float]:
    """Log-scale y limits: from below the noise floor to above the finite losses (≥ 1 decade);
    with ``shared``, exactly that range unless the losses leave it (then widened to hold them)."""
    finite = losses[np.isfinite(losses) & (losses > 0)]
    if finite.size:
        # A seed that blows up should not squash everything else: ignore its extreme tail.
        high = float(min(finite.max(), np.percentile(finite, 99.5) * 10))
        low = float(finite.min())
    else:
        high, low = 1.0, 1e-3
    if shared is not None:
        return (shared[0] if low >= shared[0] else low / 1.6,
                shared[1] if high <= shared[1] else high * 1.6)
    if floor > 0:
        low = min(low, floor)
    low, high = low / 1.6, high * 1.6
    if high / low < 10:
        low = high / 10
    return low, high


def loss_axes(axes, epochs: int, floor: float, losses: np.ndarray, label_floor=True,
              shared: tuple[float, float] | None = None) -> bool:
    """Log-log axes of a training error, with the noise floor; returns whether the losses left
    the ``shared`` range (so the axis is this figure's own, which the figure must say)."""
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(1, max(epochs, 2))
    limits = loss_limits(losses, floor, shared)
    axes.set_ylim(*limits)
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_locator(LogLocator(base=10, numticks=6))
        axis.set_major_formatter(FuncFormatter(tick_text))
        axis.set_minor_formatter(NullFormatter())
    axes.grid(True, which="major", color=GRID, lw=0.8)
    axes.set_axisbelow(True)
    if floor > 0:
        axes.axhline(floor, color=FLOOR, lw=1.4, ls=(0, (5, 3)), zorder=1.5)
        if label_floor:
            # Labelled at the left, where training starts high above the floor.
            axes.annotate("noise floor", (0, floor), xycoords=("axes fraction", "data"),
                          xytext=(5, -3), textcoords="offset points", ha="left", va="top",
                          fontsize=FONT["ticks"], color=FLOOR)
    return shared is not None and limits != tuple(shared)


def noise_floor(panel) -> float:
    """The noise floor to draw, 0 for none: classification and file data have no known floor
    (unless the author gives one), and a plane panel carries no data spec."""
    data = getattr(panel, "data", None)
    floor = getattr(data, "noise_floor", None)
    return floor or 0.0
