"""The static loss plots (PNG and SVG, the animations' fallback and the figures a page links):
one net's seeds as thin lines with their median and min–max band, and every net's median and
band on one plot. Diverged seeds drop out of the band and are counted in the legend.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from tinynets.media.axes import loss_axes, loss_samples, noise_floor, shared_loss_range
from tinynets.media.canvas import (FONT, INK, Style, fit_margins, new_figure, pixel_box,
                                   save_static, with_gaps)
from tinynets.media.labels import fitted_text, legend_row, net_title
from tinynets.media.layout import wide_plot_size
from tinynets.media.render import Panel, own_scale_note


def _band(axes, epochs: np.ndarray, losses: np.ndarray, color: str):
    """Median line and min–max band over the finite seeds (diverged seeds drop out)."""
    finite = with_gaps(losses)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: every seed diverged
        median = np.nanmedian(finite, axis=1)
        low, high = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    axes.fill_between(epochs, low, high, color=color, alpha=BAND_ALPHA, linewidth=0)
    return axes.plot(epochs, median, color=color, lw=2.6)[0]


BAND_ALPHA = 0.2  # the seeds' range, behind the median


def _diverged(losses: np.ndarray) -> int:
    return int((~np.isfinite(losses[-1])).sum())


def _static_axes(figure, canvas, legend, bottom: float = 58):
    """The plot of a static figure, under its legend row, its margins fitted once drawn."""
    width, height = canvas.get_width_height()
    top = height - legend.get_window_extent(canvas.get_renderer()).y0 + 12
    return figure.add_axes(pixel_box(80, top, width - 16, height - bottom, width, height))


def write_loss_plot(panel: Panel, folder: Path, stem: str, style: Style) -> None:
    """All seeds of one net: a thin line per seed, their median, and the min–max band."""
    figure, canvas = new_figure(style.width, style.height, style.dpi)
    width = style.width
    net_title(figure, canvas, 12, 10, panel.title, panel.color, right=width - 16)
    samples = loss_samples(panel.epochs)
    epochs, losses = samples + 1, with_gaps(panel.losses[samples])
    seeds = losses.shape[1]
    diverged = _diverged(panel.losses)
    median_label = f"median of {seeds} seeds" + (f" ({diverged} diverged)" if diverged else "")
    legend = legend_row(figure, canvas, [
        (Line2D([], [], color=panel.color, lw=2.6), median_label),
        (Patch(facecolor=panel.color, alpha=BAND_ALPHA, lw=0), "their range"),
        (Line2D([], [], color=panel.color, lw=0.8, alpha=0.45), "one seed"),
    ], left=12, top=40, right=width - 12)
    axes = _static_axes(figure, canvas, legend)
    if loss_axes(axes, panel.epochs, noise_floor(panel), losses,
                 shared=shared_loss_range(panel)):
        own_scale_note(axes)
    for column in range(losses.shape[1]):
        axes.plot(epochs, losses[:, column], color=panel.color, lw=0.8, alpha=0.45)
    _band(axes, epochs, losses, panel.color)
    axes.set_xlabel("epoch")
    axes.set_ylabel("training error")
    fit_margins(figure, canvas, [axes])
    save_static(figure, folder, stem)


def write_comparison_loss_plot(panels: list[Panel], folder: Path, stem: str, style: Style) -> None:
    """The median and min–max band of every net on one plot."""
    width, height = wide_plot_size(style.width, style.height)
    figure, canvas = new_figure(width, height, style.dpi)
    seeds = panels[0].losses.shape[1]
    figure.text(12 / width, 1 - 10 / height,
                f"Median training error per net (band: range of {seeds} seeds)", ha="left",
                va="top", fontsize=FONT["title"], fontweight="bold", color=INK)
    # A legend entry may take at most half the figure's width (a long label is cut with "…").
    longest = (width - 24) / 2 - 60
    entries = [(Line2D([], [], color=panel.color, lw=2.6),
                fitted_text(figure, canvas, panel.title, longest, fontsize=FONT["ticks"]))
               for panel in panels]
    legend = legend_row(figure, canvas, entries, left=12, top=40, right=width - 12)
    axes = _static_axes(figure, canvas, legend)
    epochs = max(panel.epochs for panel in panels)
    all_losses = np.concatenate([with_gaps(p.losses[loss_samples(p.epochs)]).ravel()
                                 for p in panels])
    loss_axes(axes, epochs, noise_floor(panels[0]), all_losses,
              shared=shared_loss_range(panels[0]))
    for panel in panels:
        samples = loss_samples(panel.epochs)
        _band(axes, samples + 1, panel.losses[samples], panel.color)
    axes.set_xlabel("epoch")
    axes.set_ylabel("training error")
    fit_margins(figure, canvas, [axes])
    save_static(figure, folder, stem)
