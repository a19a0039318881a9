"""Figures of a 1-D net's recording: its animation and the comparison animation (the static
loss plots are tinynets.media.loss_plots').

Drawn with the frame machinery of ``canvas`` (static parts once, moving artists blitted).
Diverged seeds (NaN or huge values) never stop a render: predictions are clipped to a band
around the data, non-finite values become gaps, and the training error reads "diverged".

Example (``panel``: a net's recording, as ``media.jobs.net_panel`` reads it)::

    animation = NetAnimation(panel, Style())
    canvas.write_animation(animation, folder, "anim", Style())   # {'frames': 150, 'fps': 25.0, …}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tinynets.engine.data import target, training_points
from tinynets.escaping import figure_text
from tinynets.media.axes import (loss_axes, loss_samples, noise_floor, shared_loss_range,
                                 value_limits)
from tinynets.media.canvas import (FONT, INK, POINTS, SMALL_SWATCH, TRUTH, Blitter, Stamp, Style,
                                   clip, new_figure, pixel_box, tick_text, with_gaps)
from tinynets.media.labels import add_swatch, fit_text, legend_row, name_axes, net_title
from tinynets.media.layout import comparison_size, grid_shape, panel_height_of
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
    seed: int | None = None  # that seed's number, as the page names it (None: not named)

    @property
    def epochs(self) -> int:
        return len(self.losses)

    @property
    def title(self) -> str:
        """The label as every figure draws it (see ``tinynets.escaping.figure_text``)."""
        return figure_text(self.label)

    @property
    def classification(self) -> bool:
        return self.data.classification

    @property
    def targets(self) -> np.ndarray:
        """The training points' targets (what sets the scale of the training error)."""
        return training_points(self.data)[1]

    @property
    def shown_seed(self) -> str:
        """Which seed the animation shows, in words: 'seed 3 (median of 10)'."""
        count = self.losses.shape[1]
        if self.seed is None:
            return "the median seed"
        return f"seed {self.seed} (median of {count})" if count > 1 else f"seed {self.seed}"


def axis_names(data) -> tuple[str, str]:
    """The names of a 1-D figure's axes: 'x' and 'y', or the columns of the author's file."""
    if data.from_file:
        return figure_text(data.x_columns[0]), figure_text(data.y_column)
    return "x", "y"


def _draw_data(axes, panel: Panel, limits: tuple[float, float]) -> None:
    x, y = training_points(panel.data)
    truth = target(panel.data, panel.grid)
    if truth is not None:  # data from a file has no known true function
        axes.plot(panel.grid, truth, color=TRUTH, lw=5, solid_capstyle="round", zorder=1,
                  label="true function")
    axes.scatter(x, y, s=14, color=POINTS, linewidths=0, zorder=2, label="training points")
    axes.set_xlim(panel.grid[0], panel.grid[-1])
    axes.set_ylim(*limits)
    axes.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
    axes.xaxis.set_major_formatter(FuncFormatter(tick_text))
    axes.yaxis.set_major_formatter(FuncFormatter(tick_text))


def data_entries(data) -> list[tuple]:
    """Legend entries of what ``_draw_data`` draws: the true function (if known), the points."""
    entries = []
    if data.has_true_function:
        entries.append((Line2D([], [], color=TRUTH, lw=5, solid_capstyle="butt"),
                        "true function"))
    entries.append((Line2D([], [], ls="", marker="o", ms=5, color=POINTS), "training points"))
    return entries


def own_scale_note(axes) -> None:
    """Say on a loss panel that its y range is its own: its net's error left the range every
    net of its data is drawn on, so it does not line up with its neighbours in ``compare``."""
    axes.text(0.98, 0.96, "own y range (left the shared one)", transform=axes.transAxes,
              ha="right", va="top", fontsize=FONT["ticks"], color=INK, zorder=6,
              bbox=dict(facecolor="white", edgecolor="none", pad=1.5))


def training_error_text(value: float) -> str:
    return "diverged" if not np.isfinite(value) else f"{value:.3g}"


# Where a net's animation puts things (pixels of the 800×350 frame): the prediction panel's
# columns, the loss panel's left edge, and the room under both for tick labels and axis titles.
PREDICTION_COLUMNS = (64, 410)
LOSS_LEFT = 486
BOTTOM = 52
COMPARISON_LEFT = 62  # the comparison's left column: the y axis' title and tick labels


class NetAnimation(Blitter):
    """A net learning: its prediction over the data (left), its training error so far (right).

    Heading it: the net's name (dark ink, after a swatch of its colour), the epoch, the current
    training error; under that one legend row for both panels (true function, training points,
    and the net's line: the shown seed's prediction on the left, its training error on the
    right). Axis titles: x and y (or the file's columns) and "epoch"; the loss panel's title is
    its heading, "training error", over its y axis.
    """

    def __init__(self, panel: Panel, style: Style):
        self.panel, self.style = panel, style
        self.timeline = np.asarray(panel.frame_epochs)
        self.figure, self.canvas = new_figure(style.width, style.height, style.dpi)
        self._layout()

    def _legend_entries(self) -> list[tuple]:
        panel = self.panel
        return [*data_entries(panel.data),
                (Line2D([], [], color=panel.color, lw=2.6), f"the net, {panel.shown_seed}")]

    def _layout(self) -> None:
        panel, figure, canvas = self.panel, self.figure, self.canvas
        width, height = canvas.get_width_height()
        renderer = canvas.get_renderer()
        first, last = PREDICTION_COLUMNS
        title_top = 10
        self.title = net_title(figure, canvas, 14, title_top, panel.title, panel.color,
                               right=last)
        self.legend = legend_row(figure, canvas, self._legend_entries(), left=14, top=40,
                                 right=width - 8)
        top = height - self.legend.get_window_extent(renderer).y0 + 14
        left = figure.add_axes(pixel_box(first, top, last, height - BOTTOM, width, height))
        right = figure.add_axes(pixel_box(LOSS_LEFT, top, width - 18, height - BOTTOM, width,
                                          height))
        limits = value_limits([panel])
        self.limits = limits
        _draw_data(left, panel, limits)
        name_axes(left, canvas, *axis_names(panel.data))
        # The epoch counter follows the label on the header row; the current error heads the
        # loss panel. Both are animated.
        label_end = self.title.get_window_extent(renderer=renderer).x1
        counter_x = label_end / width + 18 / width
        box = None
        if counter_x > last / width - 130 / width:  # a long label: counter in the plot
            counter_x, counter_y = first / width + 8 / width, 1 - (top + 6) / height
            box = dict(facecolor="white", edgecolor="none", pad=2)
        else:
            counter_y = 1 - (title_top + 1.5) / height
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
        self.own_scale = loss_axes(right, panel.epochs, floor, self.losses,
                                   shared=shared_loss_range(panel))
        right.set_xlabel("epoch", fontsize=FONT["text"], labelpad=3, color=INK)
        if self.own_scale:
            own_scale_note(right)
        self.error_label = figure.text(LOSS_LEFT / width, 1 - (title_top + 1.5) / height,
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
        renderer = self.canvas.get_renderer()
        self.epoch_label = self.figure.text(14 / width, 1 - 10 / height, "epoch",
                                            va="top", fontsize=FONT["title"], color=INK,
                                            fontweight="bold", antialiased=False)
        self.epoch_text = Stamp(self.canvas, FONT["title"], INK, weight="bold")
        self.epoch_at = self.baseline(self.epoch_label)
        # One legend for every panel: the data, and each net's line (its colour, as its title's
        # swatch shows) for its median seed.
        lines = tuple(Line2D([], [], color=panel.color, lw=2.6) for panel in panels)
        self.legend = legend_row(
            self.figure, self.canvas,
            [*data_entries(panels[0].data), (lines, "each net's prediction (median seed)")],
            left=14, top=40, right=width - 14)
        self.header = height - self.legend.get_window_extent(renderer).y0  # legend's bottom
        axes_grid = self.figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                                         gridspec_kw=dict(
                                             left=COMPARISON_LEFT / width,
                                             right=1 - 14 / width, bottom=BOTTOM / height,
                                             top=1 - (self.header + 40) / height,
                                             wspace=0.07, hspace=40 / panel_height * 1.15))
        self.lines, self.errors, self.errors_at, self.axes = [], [], [], []
        indent = sum(SMALL_SWATCH)
        titles = []
        for axes, panel in zip(axes_grid.flat, panels):
            _draw_data(axes, panel, limits)
            title = axes.set_title(panel.title, loc="left", color=INK, fontweight="bold",
                                   fontsize=FONT["text"], pad=5)
            title.set_x(indent / axes.get_window_extent(renderer).width)  # after the swatch
            fit_text(title, self.canvas, axes.get_window_extent(renderer).x1)
            titles.append(title)
        self._make_room_for_titles(axes_grid, titles)
        for axes, panel, title in zip(axes_grid.flat, panels, titles):
            add_swatch(self.figure, self.canvas, title, panel.color, *SMALL_SWATCH)
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
        # The axes' titles: y beside each row, x under the lowest panel of each column.
        x_name, y_name = axis_names(panels[0].data)
        shown = list(axes_grid.flat)[:len(panels)]
        for row in range(rows):
            for column in range(columns):
                axes = axes_grid[row, column]
                if axes not in shown:
                    continue
                lowest = axes is [above for above in axes_grid[:, column] if above in shown][-1]
                name_axes(axes, self.canvas, x_name if lowest else "",
                          y_name if column == 0 else "")
        self.snapshot_background()

    def _make_room_for_titles(self, axes_grid, titles) -> None:
        """Place the labels and errors above the panels so that no text overlaps another.

        A label and its panel's error share one line when every label leaves room for the
        widest error its panel shows in any frame; otherwise every error gets a line of its own
        below the labels (the same in every panel), and the rows move apart, the axes giving up
        the height this takes.
        """
        renderer = self.canvas.get_renderer()
        dpi, height = self.figure.dpi, self.canvas.get_width_height()[1]
        sample = self.figure.text(0, 0, "error 0.000888", fontsize=FONT["ticks"])
        error_line = sample.get_window_extent(renderer).height
        sample.remove()
        measure = Stamp(self.canvas, FONT["ticks"], INK)
        pad = 5  # points between the axes' top and the label's line (or the error's)
        stacked = any(axes.get_window_extent(renderer).x1 - title.get_window_extent(renderer).x1
                      < max(measure.width(text) for text in self._error_texts(panel)) + 10
                      for axes, title, panel in zip(axes_grid.flat, titles, self.panels))
        if stacked:
            pad += (error_line + 4) * 72 / dpi
            for title in titles:  # the same (fitted) text, size and colour, one line higher
                title.axes.set_title(title.get_text(), loc="left", color=INK,
                                     fontweight="bold", fontsize=title.get_fontsize(), pad=pad)
        # The room above each row: the label's line and what is under it, plus a margin.
        label_line = max(title.get_window_extent(renderer).height for title in titles)
        header = pad * dpi / 72 + label_line + 6
        grid = axes_grid[0, 0].get_subplotspec().get_gridspec()
        rows = grid.nrows
        top_px, bottom_px = (1 - grid.top) * height, grid.bottom * height
        area = height - top_px - bottom_px
        gap = grid.hspace * area / (rows + (rows - 1) * grid.hspace)  # rows' gap in pixels
        above = self.header + 6  # the "epoch …" line and the legend at the very top
        if gap >= header and top_px >= above + header:
            return  # the usual case: the default layout already has the room
        top_px, gap = max(top_px, above + header), max(gap, header)
        axes_height = (height - top_px - bottom_px - (rows - 1) * gap) / rows
        grid.update(top=1 - top_px / height, hspace=gap / axes_height)  # widths stay as fitted
        for axes in self.figure.axes:  # (update() moves only the axes of pyplot's figures)
            axes.set_position(axes.get_subplotspec().get_position(self.figure))

    def _error_texts(self, panel: Panel) -> set[str]:
        """Every error ``panel`` shows over the timeline (what its line must have room for)."""
        return {self._error_text(panel, int(epoch)) for epoch in self.timeline}

    @staticmethod
    def _error_text(panel: Panel, epoch: int) -> str:
        shown = min(epoch, panel.epochs)
        value = float(panel.losses[shown - 1, panel.representative]) if shown else np.nan
        return f"error {training_error_text(value)}" if shown else ""

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
            error.set(self._error_text(panel, epoch), *at)
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return [*self.lines, *self.errors, self.epoch_text]
