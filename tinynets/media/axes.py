"""The axes several figure kinds share: the y range of 1-D data, and the log-log axes of a
training error with its noise floor (net animations, loss plots, the plane's curves, the errors
plot).

>>> [int(epoch) for epoch in loss_samples(5, count=4)]
[0, 1, 4]
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


def loss_limits(losses: np.ndarray, floor: float) -> tuple[float, float]:
    """Log-scale y limits: from below the noise floor to above the finite losses (≥ 1 decade)."""
    finite = losses[np.isfinite(losses) & (losses > 0)]
    if finite.size:
        # A seed that blows up should not squash everything else: ignore its extreme tail.
        high = float(min(finite.max(), np.percentile(finite, 99.5) * 10))
        low = float(finite.min())
    else:
        high, low = 1.0, 1e-3
    if floor > 0:
        low = min(low, floor)
    low, high = low / 1.6, high * 1.6
    if high / low < 10:
        low = high / 10
    return low, high


def loss_axes(axes, epochs: int, floor: float, losses: np.ndarray, label_floor=True) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(1, max(epochs, 2))
    axes.set_ylim(*loss_limits(losses, floor))
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


def noise_floor(panel) -> float:
    """The noise floor to draw, 0 for none: classification and file data have no known floor
    (unless the author gives one), and a plane panel carries no data spec."""
    data = getattr(panel, "data", None)
    floor = getattr(data, "noise_floor", None)
    return floor or 0.0
