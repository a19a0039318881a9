"""Figures of a sweep: a heatmap of two varied keys, a line plot over one, an animated grid.

- ``write_heatmap``: median final error per cell on a log colour scale (cividis: readable with
  every common colour-vision deficiency, and in greyscale), the value printed in each cell, cells
  with stuck or diverged seeds marked, the noise floor marked on the colour bar.
- ``write_sweep_plot``: median final error against the varied value, with the band every seed
  spans, one line per value of a second key; log axes where the values are spread over decades.
- ``SweepGridAnimation``: the cells' median-seed predictions as small multiples, all on one
  timeline (every epoch at which any cell has a snapshot), drawn by blitting like the
  comparison animation.

Everything here reads ``SweepCell``s: plain arrays, no cache or template objects.

Example::

    write_heatmap(figure_of_sweep, folder, "heatmap", Style())
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from tinynets.escaping import figure_text
from tinynets.media.axes import value_limits
from tinynets.media.canvas import (FLOOR, FONT, GRID, INK, MUTED, Blitter, Stamp, Style, clip,
                                   new_figure, save_static, tick_text, with_gaps)
from tinynets.engine.data import target, training_points
from tinynets.media.layout import grid_layout, grid_size, heatmap_size, wide_plot_size
from tinynets.posts.model import DataSpec

COLORMAP = "cividis"
LINE_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
               "#8C6D00")
KEY_NAMES = {"layers": "hidden layers", "learning_rate": "learning rate",
             "optimizer": "optimizer", "activation": "activation", "batch_size": "batch size",
             "epochs": "epochs", "momentum": "momentum"}


@dataclass
class SweepCell:
    """One cell, ready to draw: its values, per-seed final errors, and the median seed's run."""

    label: str
    values: tuple  # the varied values, in the sweep's key order
    final_losses: np.ndarray  # (seeds,), inf where a seed diverged
    stuck: int  # seeds whose final error is above the stuck threshold (diverged ones included)
    diverged: int
    frame_epochs: np.ndarray | None = None  # the animation only
    grid: np.ndarray | None = None
    predictions: np.ndarray | None = None  # (frames, grid): the median seed's


@dataclass
class SweepFigure:
    """A sweep as the figures need it."""

    label: str
    keys: tuple[str, ...]
    values: tuple[tuple, ...]  # per key, its values in order
    cells: list[SweepCell]  # row-major over the keys' values
    floor: float
    data: DataSpec | None = None

    def cell_at(self, *values) -> SweepCell:
        return next(cell for cell in self.cells if cell.values == tuple(values))


def value_text(key: str, value) -> str:
    if key == "layers":
        value = tuple(value)
        if len(set(value)) == 1:
            return f"{len(value)}×{value[0]}"
        return "-".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def error_text(value: float) -> str:
    return "diverged" if not np.isfinite(value) else f"{value:.2g}"


def median_of(cell: SweepCell) -> float:
    return float(np.median(cell.final_losses))  # inf once half the seeds diverged


def _numeric_axis(key: str, values: tuple):
    """Positions on a numeric axis (and whether it is logarithmic), or None for categories.

    Layers are numeric when every value is one hidden layer (the width is the number).
    """
    if key == "layers":
        if not all(len(value) == 1 for value in values):
            return None
        numbers = [float(value[0]) for value in values]
    elif all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values):
        numbers = [float(value) for value in values]
    else:
        return None
    positive = all(number > 0 for number in numbers)
    logarithmic = positive and len(numbers) > 1 and max(numbers) / min(numbers) >= 10
    return numbers, logarithmic


# ----------------------------------------------------------------------------- heatmap


def write_heatmap(sweep: SweepFigure, folder: Path, stem: str, style: Style) -> None:
    """``stem``.svg and ``stem``.png: the median final error of each cell, rows the first key's
    values, columns the second's (one row for a sweep of one key)."""
    keys = sweep.keys
    rows_values = sweep.values[0] if len(keys) == 2 else (None,)
    column_values = sweep.values[1] if len(keys) == 2 else sweep.values[0]
    medians = np.full((len(rows_values), len(column_values)), np.nan)
    marks: dict[tuple[int, int], str] = {}
    for row, row_value in enumerate(rows_values):
        for column, column_value in enumerate(column_values):
            values = (row_value, column_value) if len(keys) == 2 else (column_value,)
            cell = sweep.cell_at(*values)
            medians[row, column] = median_of(cell)
            notes = []
            if cell.diverged:
                notes.append(f"{cell.diverged} diverged")
            if cell.stuck - cell.diverged:
                notes.append(f"{cell.stuck - cell.diverged} stuck")
            if notes:
                marks[(row, column)] = ", ".join(notes)
    width, height = heatmap_size(len(rows_values), len(column_values), style.width)
    figure, _ = new_figure(width, height, style.dpi)
    axes = figure.add_axes((150 / width, 60 / height, 1 - 280 / width, 1 - 110 / height))
    finite = medians[np.isfinite(medians) & (medians > 0)]
    low = float(min(finite.min(), sweep.floor or finite.min())) if finite.size else 1e-3
    high = float(finite.max()) if finite.size else 1.0
    if high / low < 10:
        high = low * 10
    norm = LogNorm(vmin=low, vmax=high)
    shown = np.ma.masked_invalid(np.where(np.isfinite(medians), medians, np.nan))
    colormap = __import__("matplotlib").colormaps[COLORMAP].with_extremes(bad="#d9d9d9")
    image = axes.imshow(shown, cmap=colormap, norm=norm, aspect="auto", interpolation="nearest")
    for row in range(len(rows_values)):
        for column in range(len(column_values)):
            value = medians[row, column]
            red, green, blue, _ = colormap(norm(value)) if np.isfinite(value) else (1, 1, 1, 1)
            ink = "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else INK
            mark = marks.get((row, column))
            axes.text(column, row - (0.13 if mark else 0), error_text(value), ha="center",
                      va="center", color=ink, fontsize=FONT["ticks"], fontweight="bold")
            if mark:
                axes.text(column, row + 0.25, "▲ " + mark, ha="center", va="center", color=ink,
                          fontsize=FONT["ticks"] - 3)
    axes.set_xticks(range(len(column_values)),
                    [value_text(keys[-1], value) for value in column_values])
    axes.set_xlabel(KEY_NAMES[keys[-1]])
    if len(keys) == 2:
        axes.set_yticks(range(len(rows_values)),
                        [value_text(keys[0], value) for value in rows_values])
        axes.set_ylabel(KEY_NAMES[keys[0]])
    else:
        axes.set_yticks([])
    for side in ("top", "right", "left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)
    bar_axes = figure.add_axes((1 - 100 / width, 60 / height, 18 / width, 1 - 110 / height))
    bar = figure.colorbar(image, cax=bar_axes)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(tick_text))
    bar.ax.yaxis.set_minor_formatter(NullFormatter())
    if sweep.floor and low <= sweep.floor <= high:
        bar.ax.axhline(sweep.floor, color="white", lw=3)
        bar.ax.axhline(sweep.floor, color=FLOOR, lw=1.6, ls=(0, (3, 2)))
    bar.set_label("median final error", fontsize=FONT["ticks"], color=INK)
    floor_note = f" · noise floor {sweep.floor:g}: dashed, on the bar" if sweep.floor else ""
    figure.text(150 / width, 1 - 12 / height, "▲ seeds stuck or diverged" + floor_note,
                ha="left", va="top", fontsize=FONT["ticks"] - 1, color=MUTED)
    save_static(figure, folder, stem)


# ----------------------------------------------------------------------------- line plot


def write_sweep_plot(sweep: SweepFigure, folder: Path, stem: str, style: Style) -> None:
    """``stem``.svg and ``stem``.png: median final error (line) and every seed's range (band)
    against the first key's values, one line per value of the second key."""
    keys = sweep.keys
    x_values = sweep.values[0]
    line_values = sweep.values[1] if len(keys) > 1 else (None,)
    _, height = wide_plot_size(style.width, style.height)
    entries = len(line_values) + (1 if sweep.floor else 0)
    legend_rows = -(-entries // 3)
    top = 24 + 26 * legend_rows  # room for the legend above the axes, three entries a row
    figure, _ = new_figure(style.width, height, style.dpi)
    axes = figure.add_axes((80 / style.width, 60 / height, 1 - 100 / style.width,
                            1 - (60 + top) / height))
    numeric = _numeric_axis(keys[0], x_values)
    positions = numeric[0] if numeric else list(range(len(x_values)))
    for index, line_value in enumerate(line_values):
        medians, lows, highs = [], [], []
        for x_value in x_values:
            values = (x_value, line_value) if len(keys) > 1 else (x_value,)
            values = values + tuple(sweep.values[2][:1]) if len(keys) > 2 else values
            cell = sweep.cell_at(*values)
            finite = with_gaps(cell.final_losses)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                lows.append(np.nanmin(finite))
                highs.append(np.nanmax(finite))
            medians.append(median_of(cell))
        color = LINE_COLORS[index % len(LINE_COLORS)]
        label = (f"{KEY_NAMES[keys[1]]} {value_text(keys[1], line_value)}"
                 if len(keys) > 1 else "median of the seeds")
        axes.fill_between(positions, lows, highs, color=color, alpha=0.18, linewidth=0)
        axes.plot(positions, with_gaps(medians), color=color, lw=2.4, marker="o", ms=6,
                  label=label)
    axes.set_yscale("log")
    if numeric and numeric[1]:
        axes.set_xscale("log")
        axes.xaxis.set_major_locator(LogLocator(base=10, subs=(1, 2, 5), numticks=10))
        axes.xaxis.set_minor_formatter(NullFormatter())
    if numeric:
        axes.set_xticks(positions, [value_text(keys[0], value) for value in x_values])
        axes.xaxis.set_minor_formatter(NullFormatter())
    else:
        axes.set_xticks(positions, [value_text(keys[0], value) for value in x_values])
    axes.yaxis.set_major_formatter(FuncFormatter(tick_text))
    axes.yaxis.set_minor_formatter(NullFormatter())
    axes.grid(True, which="major", color=GRID, lw=0.8)
    axes.set_axisbelow(True)
    if sweep.floor:
        axes.axhline(sweep.floor, color=FLOOR, lw=1.4, ls=(0, (5, 3)), label="noise floor")
    axes.set_xlabel(KEY_NAMES[keys[0]])
    axes.set_ylabel("final training error")
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(3, entries),
                frameon=False, fontsize=FONT["ticks"] - 1, borderaxespad=0.3)
    save_static(figure, folder, stem)


# ----------------------------------------------------------------------------- animated grid


class SweepGridAnimation(Blitter):
    """Every cell's median seed learning, as small multiples on one timeline of epochs."""

    def __init__(self, sweep: SweepFigure, style: Style):
        self.sweep, self.style = sweep, style
        cells = sweep.cells
        rows, columns = grid_layout(sweep.keys, sweep.values, len(cells))
        width, height = grid_size(rows, columns, style.width)
        self.figure, self.canvas = new_figure(width, height, style.dpi)
        self.timeline = np.unique(np.concatenate([cell.frame_epochs for cell in cells]))
        self.last_epoch = int(self.timeline[-1])
        x, y = training_points(sweep.data)
        self.limits = value_limits([_DataOnly(sweep.data)])
        truth = target(sweep.data, cells[0].grid)
        axes_grid = self.figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                                         gridspec_kw=dict(left=96 / width, right=1 - 14 / width,
                                                          bottom=10 / height,
                                                          top=1 - 54 / height,
                                                          wspace=0.06, hspace=0.08))
        self.lines = []
        for axes, cell in zip(axes_grid.flat, cells):
            if truth is not None:
                axes.plot(cell.grid, truth, color="#cfcfcf", lw=2.2, zorder=1)
            axes.scatter(x, y, s=2, color="#8a8a8a", linewidths=0, zorder=2)
            axes.set_xlim(cell.grid[0], cell.grid[-1])
            axes.set_ylim(*self.limits)
            axes.set_xticks([])
            axes.set_yticks([])
            for side in axes.spines.values():
                side.set_color("#bdbdbd")
                side.set_visible(True)
            color = LINE_COLORS[0] if not cell.stuck else LINE_COLORS[1]
            self.lines.append(axes.plot([], [], color=color, lw=1.8, zorder=3,
                                        antialiased=False, animated=True)[0])
            if len(sweep.keys) != 2:
                axes.set_title(figure_text(cell.label), fontsize=FONT["ticks"] - 3, pad=2,
                               color=INK)
        for axes in list(axes_grid.flat)[len(cells):]:
            axes.set_visible(False)
        if len(sweep.keys) == 2:
            for row, value in enumerate(sweep.values[0]):
                axes_grid[row, 0].set_ylabel(value_text(sweep.keys[0], value), rotation=0,
                                             ha="right", va="center", fontsize=FONT["ticks"] - 1,
                                             labelpad=6)
            for column, value in enumerate(sweep.values[1]):
                axes_grid[0, column].set_title(value_text(sweep.keys[1], value),
                                               fontsize=FONT["ticks"] - 1, pad=3)
            self.figure.text(1 - 14 / width, 1 - 6 / height, "rows: " + KEY_NAMES[sweep.keys[0]]
                             + " · columns: " + KEY_NAMES[sweep.keys[1]],
                             fontsize=FONT["ticks"] - 2, color=MUTED, va="top", ha="right")
        self.epoch_label = self.figure.text(96 / width, 1 - 6 / height, "epoch", va="top",
                                            fontsize=FONT["text"], color=INK, fontweight="bold",
                                            antialiased=False)
        self.epoch_text = Stamp(self.canvas, FONT["text"], INK, weight="bold")
        self.epoch_at = self.baseline(self.epoch_label)
        self.snapshot_background()

    def update(self, index: int) -> list:
        epoch = int(self.timeline[index])
        for line, cell in zip(self.lines, self.sweep.cells):
            frame = max(int(np.searchsorted(cell.frame_epochs, epoch, side="right")) - 1, 0)
            line.set_data(cell.grid, clip(cell.predictions[frame], self.limits))
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return [*self.lines, self.epoch_text]


@dataclass
class _DataOnly:
    data: DataSpec
