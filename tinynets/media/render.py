"""Figures of a 1-D net's recording: its animation, the comparison animation, static loss plots.

Drawn with the frame machinery of ``canvas`` (static parts once, moving artists blitted).
Diverged seeds (NaN or huge values) never stop a render: predictions are clipped to a band
around the data, non-finite values become gaps, and the training error reads "diverged".

Example (``panel``: a net's recording, as ``media.jobs.net_panel`` reads it)::

    animation = NetAnimation(panel, Style())
    canvas.write_animation(animation, folder, "anim", Style())   # {'frames': 150, 'fps': 25.0, …}
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tinynets.engine.data import target, training_points
from tinynets.escaping import figure_text
from tinynets.media.axes import loss_axes, loss_samples, noise_floor, value_limits
from tinynets.media.canvas import (FONT, INK, Blitter, Stamp, Style, clip, with_gaps, fit_text,
                                   fitted_text, new_figure, save_static, tick_text)
from tinynets.media.layout import comparison_size, grid_shape, panel_height_of, wide_plot_size
from tinynets.posts.model import DataSpec


@dataclass
class Panel:
    """One net's recording, ready to draw."""

    name: str
    label: str
    color: str
    data: DataSpec
    frame_epochs: np.ndarray  # (frames,)
    grid: np.ndarray  # (grid,)
    predictions: np.ndarray  # (frames, seeds, grid)
    losses: np.ndarray  # (epochs, seeds)
    representative: int  # column of the seed that is animated

    @property
    def epochs(self) -> int:
        return len(self.losses)

    @property
    def title(self) -> str:
        """The label as every figure draws it (see ``tinynets.escaping.figure_text``)."""
        return figure_text(self.label)


def _draw_data(axes, panel: Panel, limits: tuple[float, float]) -> None:
    x, y = training_points(panel.data)
    truth = target(panel.data, panel.grid)
    if truth is not None:  # data from a file has no known true function
        axes.plot(panel.grid, truth, color="#b8b8b8", lw=5, solid_capstyle="round", zorder=1,
                  label="true function")
    axes.scatter(x, y, s=14, color="#6e6e6e", linewidths=0, zorder=2, label="training points")
    axes.set_xlim(panel.grid[0], panel.grid[-1])
    axes.set_ylim(*limits)
    axes.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
    axes.xaxis.set_major_formatter(FuncFormatter(tick_text))
    axes.yaxis.set_major_formatter(FuncFormatter(tick_text))


def training_error_text(value: float) -> str:
    return "diverged" if not np.isfinite(value) else f"{value:.3g}"


class NetAnimation(Blitter):
    """A net learning: its prediction over the data (left), its training error so far (right)."""

    def __init__(self, panel: Panel, style: Style):
        self.panel, self.style = panel, style
        self.timeline = np.asarray(panel.frame_epochs)
        self.figure, self.canvas = new_figure(style.width, style.height, style.dpi)
        self._layout()

    def _layout(self) -> None:
        panel, figure = self.panel, self.figure
        width, height = self.figure.bbox.width, self.figure.bbox.height
        header = 1 - 44 / height  # top of the plots, leaving a 44 px header row
        grid = figure.add_gridspec(1, 2, width_ratios=(1.15, 1), left=58 / width,
                                   right=1 - 14 / width, bottom=34 / height, top=header,
                                   wspace=0.2)
        left, right = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
        limits = value_limits([panel])
        self.limits = limits
        _draw_data(left, panel, limits)
        title_y = 1 - 10 / height
        self.title = figure.text(left.get_position().x0 - 44 / width, title_y, panel.title,
                                 ha="left", va="top", fontsize=FONT["title"],
                                 fontweight="bold", color=panel.color)
        fit_text(self.title, self.canvas, left.get_position().x1 * width)
        # The epoch counter follows the label on the header row; the current error heads the
        # loss panel. Both are animated.
        label_end = self.title.get_window_extent(renderer=self.canvas.get_renderer()).x1
        counter_x = label_end / width + 18 / width
        box = None
        if counter_x > left.get_position().x1 - 130 / width:  # a long label: counter in the plot
            counter_x, counter_y = left.get_position().x0 + 8 / width, header - 6 / height
            box = dict(facecolor="white", edgecolor="none", pad=2)
        else:
            counter_y = title_y - 1.5 / height
        # Changing texts are not anti-aliased: crisp, a third fewer GIF bytes, and they can be
        # stamped from cached characters (see Stamp) instead of laid out every frame.
        self.counter_label = figure.text(counter_x, counter_y, "epoch", ha="left", va="top",
                                         fontsize=FONT["text"], color=INK, antialiased=False,
                                         bbox=box, zorder=5)
        self.counter = Stamp(self.canvas, FONT["text"], INK)
        self.counter_at = self.baseline(self.counter_label)
        # Moving lines are drawn without anti-aliasing: their soft edges would double the
        # pixels that change per frame, and with them the GIF's size.
        self.prediction = left.plot([], [], color=panel.color, lw=2.6, zorder=3,
                                    antialiased=False, animated=True)[0]

        floor = noise_floor(panel)
        self.samples = loss_samples(panel.epochs)
        self.losses = with_gaps(panel.losses[self.samples, panel.representative])
        loss_axes(right, panel.epochs, floor, self.losses)
        self.error_label = figure.text(right.get_position().x0, title_y - 1.5 / height,
                                       "training error", ha="left", va="top",
                                       fontsize=FONT["text"], color=INK, antialiased=False)
        self.error_text = Stamp(self.canvas, FONT["text"], INK)
        self.error_at = self.baseline(self.error_label)
        self.loss_line = right.plot([], [], color=panel.color, lw=2.2, zorder=3,
                                    antialiased=False, animated=True)[0]
        self.loss_marker = right.plot([], [], "o", color=panel.color, ms=9, mec="white",
                                      mew=1.5, zorder=4, clip_on=False,
                                      animated=True)[0]
        self.axes = (left, right)
        self.snapshot_background()

    def update(self, index: int) -> list:
        """Set the moving artists to frame ``index``; return them."""
        panel = self.panel
        epoch = int(self.timeline[index])
        self.prediction.set_data(
            panel.grid, clip(panel.predictions[index, panel.representative], self.limits))
        shown = self.samples < epoch
        self.loss_line.set_data(self.samples[shown] + 1, self.losses[shown])
        if epoch > 0:
            current = float(panel.losses[epoch - 1, panel.representative])
            finite = np.isfinite(current) and current > 0
            self.loss_marker.set_data([epoch] if finite else [], [current] if finite else [])
            error = training_error_text(current)
        else:
            self.loss_marker.set_data([], [])
            error = "\u2013"
        self.counter.set(f"{epoch:,}", *self.counter_at)
        self.error_text.set(error, *self.error_at)
        return [self.prediction, self.loss_line, self.loss_marker, self.counter, self.error_text]


class ComparisonAnimation(Blitter):
    """Several nets side by side, on shared axes and one shared timeline of epochs.

    The timeline is every epoch at which any net has a snapshot; at each, every net shows its
    latest snapshot at or before it, so the panels always show the same moment of training.
    """

    def __init__(self, panels: list[Panel], style: Style):
        self.panels, self.style = panels, style
        rows, columns = grid_shape(len(panels))
        _, height = comparison_size(len(panels), style.width, style.height)
        panel_height = panel_height_of(columns, style.width)
        self.figure, self.canvas = new_figure(style.width, height, style.dpi)
        self.timeline = np.unique(np.concatenate([p.frame_epochs for p in panels]))
        self.last_epoch = max(panel.epochs for panel in panels)
        limits = value_limits(panels)
        self.limits = limits
        width = style.width
        axes_grid = self.figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                                         gridspec_kw=dict(
                                             left=50 / width, right=1 - 14 / width,
                                             bottom=32 / height, top=1 - 78 / height,
                                             wspace=0.07, hspace=40 / panel_height * 1.15))
        self.lines, self.errors, self.errors_at, self.axes = [], [], [], []
        renderer = self.canvas.get_renderer()
        titles = []
        for axes, panel in zip(axes_grid.flat, panels):
            _draw_data(axes, panel, limits)
            title = axes.set_title(panel.title, loc="left", color=panel.color,
                                   fontweight="bold", fontsize=FONT["text"], pad=5)
            fit_text(title, self.canvas, axes.get_window_extent(renderer).x1)
            titles.append(title)
        self._make_room_for_titles(axes_grid, titles)
        for axes, panel in zip(axes_grid.flat, panels):
            self.lines.append(axes.plot([], [], color=panel.color, lw=2.6, zorder=3,
                                        antialiased=False, animated=True)[0])
            self.errors.append(Stamp(self.canvas, FONT["ticks"], INK, ha="right"))
            probe = axes.text(1, 1.01, "error 0", transform=axes.transAxes, ha="right",
                              va="bottom", fontsize=FONT["ticks"])
            self.errors_at.append((axes.get_window_extent(renderer).x1,
                                   self.baseline(probe)[1]))
            probe.remove()
            self.axes.append(axes)
        for axes in list(axes_grid.flat)[len(panels):]:
            axes.set_visible(False)
        for axes in axes_grid[:, 0]:
            axes.tick_params(labelleft=True)
        self.epoch_label = self.figure.text(50 / width, 1 - 10 / height, "epoch", va="top",
                                            fontsize=FONT["title"], color=INK,
                                            fontweight="bold", antialiased=False)
        self.epoch_text = Stamp(self.canvas, FONT["title"], INK, weight="bold")
        self.epoch_at = self.baseline(self.epoch_label)
        self.snapshot_background()

    def _make_room_for_titles(self, axes_grid, titles) -> None:
        """Place the labels and errors above the panels so that no text overlaps another.

        A label and its panel's error share one line when every label leaves room for the
        widest error; otherwise every error gets a line of its own below the labels (the same
        in every panel), and the rows move apart, the axes giving up the height this takes.
        """
        renderer = self.canvas.get_renderer()
        dpi, height = self.figure.dpi, self.canvas.get_width_height()[1]
        samples = [self.figure.text(0, 0, text, fontsize=FONT["ticks"])
                   for text in ("error 0.000888", "error 8.88e-05", "error diverged")]
        needed = max(sample.get_window_extent(renderer).width for sample in samples) + 12
        error_line = max(sample.get_window_extent(renderer).height for sample in samples)
        for sample in samples:
            sample.remove()
        pad = 5  # points between the axes' top and the label's line (or the error's)
        stacked = any(axes.get_window_extent(renderer).x1 - title.get_window_extent(renderer).x1
                      < needed for axes, title in zip(axes_grid.flat, titles))
        if stacked:
            pad += (error_line + 4) * 72 / dpi
            for title in titles:  # the same (fitted) text, size and colour, one line higher
                title.axes.set_title(title.get_text(), loc="left", color=title.get_color(),
                                     fontweight="bold", fontsize=title.get_fontsize(), pad=pad)
        # The room above each row: the label's line and what is under it, plus a margin.
        label_line = max(title.get_window_extent(renderer).height for title in titles)
        header = pad * dpi / 72 + label_line + 6
        grid = axes_grid[0, 0].get_subplotspec().get_gridspec()
        rows = grid.nrows
        top_px, bottom_px = (1 - grid.top) * height, grid.bottom * height
        area = height - top_px - bottom_px
        gap = grid.hspace * area / (rows + (rows - 1) * grid.hspace)  # rows' gap in pixels
        epoch_line = 10 + FONT["title"] * 1.5 * dpi / 72  # the "epoch …" line at the very top
        if gap >= header and top_px >= epoch_line + header:
            return  # the usual case: the default layout already has the room
        top_px, gap = max(top_px, epoch_line + header), max(gap, header)
        axes_height = (height - top_px - bottom_px - (rows - 1) * gap) / rows
        grid.update(top=1 - top_px / height, hspace=gap / axes_height)  # widths stay as fitted
        for axes in self.figure.axes:  # (update() moves only the axes of pyplot's figures)
            axes.set_position(axes.get_subplotspec().get_position(self.figure))

    def frame_of(self, panel: Panel, epoch: int) -> int:
        """The snapshot of ``panel`` shown at ``epoch``: its latest at or before it."""
        return max(int(np.searchsorted(panel.frame_epochs, epoch, side="right")) - 1, 0)

    def update(self, index: int) -> list:
        """Set the moving artists to frame ``index``; return them."""
        epoch = int(self.timeline[index])
        for line, error, at, panel in zip(self.lines, self.errors, self.errors_at,
                                          self.panels):
            frame = self.frame_of(panel, epoch)
            line.set_data(panel.grid,
                          clip(panel.predictions[frame, panel.representative], self.limits))
            shown = min(epoch, panel.epochs)
            value = float(panel.losses[shown - 1, panel.representative]) if shown else np.nan
            error.set(f"error {training_error_text(value)}" if shown else "", *at)
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return [*self.lines, *self.errors, self.epoch_text]


def _band(axes, epochs: np.ndarray, losses: np.ndarray, color: str, label: str):
    """Median line and min–max band over the finite seeds (diverged seeds drop out)."""
    finite = with_gaps(losses)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: every seed diverged
        median = np.nanmedian(finite, axis=1)
        low, high = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    axes.fill_between(epochs, low, high, color=color, alpha=0.2, linewidth=0)
    return axes.plot(epochs, median, color=color, lw=2.6, label=label)[0]


def _diverged(losses: np.ndarray) -> int:
    return int((~np.isfinite(losses[-1])).sum())


def write_loss_plot(panel: Panel, folder: Path, stem: str, style: Style) -> None:
    """All seeds of one net: a thin line per seed, their median, and the min–max band."""
    figure, canvas = new_figure(style.width, style.height, style.dpi)
    width, height = style.width, style.height
    axes = figure.add_subplot()
    figure.subplots_adjust(left=72 / width, right=1 - 16 / width, bottom=58 / height,
                           top=1 - 46 / height)
    samples = loss_samples(panel.epochs)
    epochs, losses = samples + 1, with_gaps(panel.losses[samples])
    loss_axes(axes, panel.epochs, noise_floor(panel), losses)
    for column in range(losses.shape[1]):
        axes.plot(epochs, losses[:, column], color=panel.color, lw=0.8, alpha=0.45)
    seeds = losses.shape[1]
    diverged = _diverged(panel.losses)
    label = f"median of {seeds} seeds" + (f" ({diverged} diverged)" if diverged else "")
    median = _band(axes, epochs, losses, panel.color, label)
    axes.set_xlabel("epoch")
    axes.set_ylabel("training error")
    title = figure.text(12 / width, 1 - 10 / height, panel.title, ha="left", va="top",
                        fontsize=FONT["title"], fontweight="bold", color=panel.color)
    fit_text(title, canvas, width - 16)
    axes.legend(handles=[median], loc="upper right", frameon=False, borderaxespad=0.2)
    save_static(figure, folder, stem)


def write_comparison_loss_plot(panels: list[Panel], folder: Path, stem: str, style: Style) -> None:
    """The median and min–max band of every net on one plot."""
    width, height = wide_plot_size(style.width, style.height)
    figure, canvas = new_figure(width, height, style.dpi)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=72 / width, right=1 - 16 / width, bottom=58 / height,
                           top=1 - 46 / height)
    epochs = max(panel.epochs for panel in panels)
    all_losses = np.concatenate([with_gaps(p.losses[loss_samples(p.epochs)]).ravel()
                                 for p in panels])
    loss_axes(axes, epochs, noise_floor(panels[0]), all_losses)
    handles = []
    # A legend entry may take at most half the plot's width (a long label is cut with "…"),
    # so the legend never covers most of the curves it names.
    longest = axes.get_window_extent(canvas.get_renderer()).width / 2
    for panel in panels:
        samples = loss_samples(panel.epochs)
        label = fitted_text(figure, canvas, panel.title, longest, fontsize=FONT["ticks"])
        handles.append(_band(axes, samples + 1, panel.losses[samples], panel.color, label))
    axes.set_xlabel("epoch")
    axes.set_ylabel("training error")
    seeds = panels[0].losses.shape[1]
    figure.text(12 / width, 1 - 10 / height,
                f"Median training error per net (band: range of {seeds} seeds)", ha="left",
                va="top", fontsize=FONT["title"], fontweight="bold", color=INK)
    axes.legend(handles=handles, loc="upper right", frameon=False, borderaxespad=0.2,
                ncol=1 if len(panels) <= 4 else 2)
    save_static(figure, folder, stem)
