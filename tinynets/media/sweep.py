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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from tinynets.escaping import figure_text
from tinynets.media.axes import value_limits
from tinynets.media.canvas import (FLOOR, FONT, GRID, INK, MUTED, POINTS, TRUTH, Blitter, Stamp,
                                   Style, clip, contrast_ratio, fit_margins, new_figure, pixel_box,
                                   save_static, tick_text, with_gaps)
from tinynets.media.labels import fit_text, legend_row
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
    losses: np.ndarray | None = None  # (epochs,): the median seed's training error

    def error_at(self, epoch: int) -> float:
        """The median seed's training error after ``epoch`` (after the first at epoch 0, which
        the recording starts from)."""
        return float(self.losses[min(max(epoch, 1), len(self.losses)) - 1])


@dataclass
class SweepFigure:
    """A sweep as the figures need it."""

    label: str
    keys: tuple[str, ...]
    values: tuple[tuple, ...]  # per key, its values in order
    cells: list[SweepCell]  # row-major over the keys' values
    floor: float
    data: DataSpec | None = None
    stuck_limit: float | None = None  # a seed above this final error is stuck

    def cell_at(self, *values) -> SweepCell:
        return next(cell for cell in self.cells if cell.values == tuple(values))


def cell_ink(background) -> tuple[str, dict | None]:
    """How a heatmap cell's text is written on its colour: (ink, box). The ink is dark or
    white, whichever contrasts more with the cell (cividis' dark end needs white); on the
    mid-tones where neither reaches 4.5:1, the text is dark on a light box of its own."""
    ink = max((INK, "white"), key=lambda color: contrast_ratio(color, background))
    if contrast_ratio(ink, background) >= 4.5:
        return ink, None
    return INK, dict(boxstyle="round,pad=0.15", facecolor="white", alpha=CELL_BOX_ALPHA,
                     edgecolor="none")


CELL_BOX_ALPHA = 0.8  # the light box under a mid-tone cell's text: the cell shows through


def shrink_to(text, canvas, pixels: float, smallest: float = 9) -> None:
    """Make ``text`` (centred) at most ``pixels`` wide by lowering its size, down to
    ``smallest`` points."""
    renderer = canvas.get_renderer()
    while text.get_window_extent(renderer).width > pixels and text.get_fontsize() > smallest:
        text.set_fontsize(text.get_fontsize() - 0.5)


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
    figure, canvas = new_figure(width, height, style.dpi)
    axes = figure.add_axes((150 / width, 60 / height, 1 - 280 / width, 1 - 110 / height))
    cell_width = (width - 280) / len(column_values)
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
            ink, box = cell_ink(colormap(norm(value)) if np.isfinite(value)
                                else colormap.get_bad())
            mark = marks.get((row, column))
            axes.text(column, row - (0.13 if mark else 0), error_text(value), ha="center",
                      va="center", color=ink, fontsize=FONT["ticks"], fontweight="bold",
                      bbox=box)
            if mark:
                note = axes.text(column, row + 0.25, "▲ " + mark, ha="center", va="center",
                                 color=ink, fontsize=FONT["ticks"] - 1, bbox=box)
                shrink_to(note, canvas, cell_width - 8)
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
                ha="left", va="top", fontsize=FONT["ticks"], color=INK)
    save_static(figure, folder, stem)


# ----------------------------------------------------------------------------- line plot


def write_sweep_plot(sweep: SweepFigure, folder: Path, stem: str, style: Style) -> None:
    """``stem``.svg and ``stem``.png: median final error (line) and every seed's range (band)
    against the first key's values, one line per value of the second key."""
    keys = sweep.keys
    x_values = sweep.values[0]
    line_values = sweep.values[1] if len(keys) > 1 else (None,)
    width, height = wide_plot_size(style.width, style.height)
    figure, canvas = new_figure(width, height, style.dpi)
    # The legend goes above the axes, where it covers no line: one entry per line, the band,
    # the noise floor.
    entries = []
    for index, line_value in enumerate(line_values):
        color = LINE_COLORS[index % len(LINE_COLORS)]
        label = (f"{KEY_NAMES[keys[1]]} {value_text(keys[1], line_value)}"
                 if len(keys) > 1 else "median of the seeds")
        entries.append((Line2D([], [], color=color, lw=2.4, marker="o", ms=6), label))
    entries.append((Patch(facecolor=MUTED, alpha=0.3, lw=0), "band: range of the seeds"))
    if sweep.floor:
        entries.append((Line2D([], [], color=FLOOR, lw=1.4, ls=(0, (5, 3))), "noise floor"))
    legend = legend_row(figure, canvas, entries, left=12, top=10, right=width - 12)
    top = height - legend.get_window_extent(canvas.get_renderer()).y0 + 14
    axes = figure.add_axes(pixel_box(80, top, width - 20, height - 60, width, height))
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
        axes.fill_between(positions, lows, highs, color=color, alpha=0.18, linewidth=0)
        axes.plot(positions, with_gaps(medians), color=color, lw=2.4, marker="o", ms=6)
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
        axes.axhline(sweep.floor, color=FLOOR, lw=1.4, ls=(0, (5, 3)))
    axes.set_xlabel(KEY_NAMES[keys[0]])
    axes.set_ylabel("final training error")
    fit_margins(figure, canvas, [axes])
    save_static(figure, folder, stem)


# ----------------------------------------------------------------------------- animated grid


class SweepGridAnimation(Blitter):
    """Every cell's median seed learning, as small multiples on one timeline of epochs.

    Each cell's line is coloured by its state at the shown epoch: blue while that seed's
    training error is at most the stuck limit (``thresholds.stuck`` × the noise floor),
    vermillion while it is above it (or diverged), so a cell turns blue when it gets there,
    not from epoch 0 because it will. A legend row says so, with the true function and the
    points; the rows' and columns' keys name their axes.
    """

    def __init__(self, sweep: SweepFigure, style: Style):
        self.sweep, self.style = sweep, style
        cells = sweep.cells
        rows, columns = grid_layout(sweep.keys, sweep.values, len(cells))
        width, height = grid_size(rows, columns, style.width)
        self.figure, self.canvas = new_figure(width, height, style.dpi)
        figure, canvas = self.figure, self.canvas
        renderer = canvas.get_renderer()
        self.timeline = np.unique(np.concatenate([cell.frame_epochs for cell in cells]))
        self.last_epoch = int(self.timeline[-1])
        x, y = training_points(sweep.data)
        self.limits = value_limits([_DataOnly(sweep.data)])
        truth = target(sweep.data, cells[0].grid)
        two_keys = len(sweep.keys) == 2
        self.epoch_label = figure.text(14 / width, 1 - 6 / height, "epoch", va="top",
                                       fontsize=FONT["text"], color=INK, fontweight="bold",
                                       antialiased=False)
        self.epoch_text = Stamp(canvas, FONT["text"], INK, weight="bold")
        self.epoch_at = self.baseline(self.epoch_label)
        entries = []
        if truth is not None:
            entries.append((Line2D([], [], color=TRUTH, lw=3), "true function"))
        entries.append((Line2D([], [], ls="", marker="o", ms=3, color=POINTS), "points"))
        if sweep.stuck_limit:
            limit = f"{sweep.stuck_limit:.2g}"
            entries += [(Line2D([], [], color=BELOW, lw=2), f"median seed: error ≤ {limit}"),
                        (Line2D([], [], color=ABOVE, lw=2), f"> {limit} (stuck limit)")]
        else:
            entries.append((Line2D([], [], color=BELOW, lw=2), "median seed"))
        self.legend = legend_row(figure, canvas, entries, left=14, top=30, right=width - 14)
        top = height - self.legend.get_window_extent(renderer).y0 + (50 if two_keys else 26)
        axes_grid = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                                    gridspec_kw=dict(left=GRID_LEFT / width,
                                                     right=1 - 14 / width, bottom=10 / height,
                                                     top=1 - top / height,
                                                     wspace=0.06, hspace=0.08 if two_keys
                                                     else 0.3))
        self.lines = []
        for axes, cell in zip(axes_grid.flat, cells):
            if truth is not None:
                axes.plot(cell.grid, truth, color=TRUTH, lw=2.2, zorder=1)
            axes.scatter(x, y, s=2, color=POINTS, linewidths=0, zorder=2)
            axes.set_xlim(cell.grid[0], cell.grid[-1])
            axes.set_ylim(*self.limits)
            axes.set_xticks([])
            axes.set_yticks([])
            for side in axes.spines.values():
                side.set_color("#bdbdbd")
                side.set_visible(True)
            self.lines.append(axes.plot([], [], color=BELOW, lw=1.8, zorder=3,
                                        antialiased=False, animated=True)[0])
            if not two_keys:
                title = axes.set_title(figure_text(cell.label), fontsize=FONT["ticks"], pad=2,
                                       color=INK)
                fit_text(title, canvas, axes.get_window_extent(renderer).x1 + 4, smallest=10)
        for axes in list(axes_grid.flat)[len(cells):]:
            axes.set_visible(False)
        if two_keys:
            for row, value in enumerate(sweep.values[0]):
                axes_grid[row, 0].set_ylabel(value_text(sweep.keys[0], value), rotation=0,
                                             ha="right", va="center", fontsize=FONT["ticks"],
                                             labelpad=6, color=INK)
            for column, value in enumerate(sweep.values[1]):
                axes_grid[0, column].set_title(value_text(sweep.keys[1], value),
                                               fontsize=FONT["ticks"], pad=3, color=INK)
            # The keys themselves: the columns' over their values, the rows' beside theirs.
            first, last = axes_grid[0, 0].get_position(), axes_grid[0, -1].get_position()
            figure.text((first.x0 + last.x1) / 2, 1 - (top - 24) / height,
                        KEY_NAMES[sweep.keys[1]], ha="center", va="bottom",
                        fontsize=FONT["text"], color=INK)
            bottom = axes_grid[-1, 0].get_position()
            figure.text(8 / width, (bottom.y0 + first.y1) / 2, KEY_NAMES[sweep.keys[0]],
                        rotation=90, ha="left", va="center", fontsize=FONT["text"], color=INK)
        self.snapshot_background()

    def state_color(self, cell: SweepCell, epoch: int) -> str:
        """The cell's colour at ``epoch``: below or above the stuck limit at that epoch."""
        limit = self.sweep.stuck_limit
        if not limit or cell.losses is None:
            return BELOW
        return BELOW if cell.error_at(epoch) <= limit else ABOVE  # NaN (diverged): above

    def update(self, index: int) -> list:
        epoch = int(self.timeline[index])
        for line, cell in zip(self.lines, self.sweep.cells):
            frame = max(int(np.searchsorted(cell.frame_epochs, epoch, side="right")) - 1, 0)
            line.set_data(cell.grid, clip(cell.predictions[frame], self.limits))
            line.set_color(self.state_color(cell, epoch))
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return [*self.lines, self.epoch_text]


BELOW, ABOVE = LINE_COLORS[0], LINE_COLORS[1]  # a grid cell's line: at most / above the limit
GRID_LEFT = 96  # the grid's left edge: room for the rows' key and values


@dataclass
class _DataOnly:
    data: DataSpec
