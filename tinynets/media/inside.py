"""Figures of what happens inside a net, from its weights at the frame epochs.

- ``UnitsAnimation``: the net's animation (``render.NetAnimation``) plus its bend points as ticks
  along the x axis and, for one hidden layer, each unit's contribution v·h(x) as a faint line.
- ``NetworkAnimation``: the net as a diagram: every hidden unit a small plot of its output over
  the input range, edges coloured by the sign of their weight and as wide as its size.
- ``write_errors_plot``: the training error with the noise-free and held-out errors (medians
  over seeds at the frame epochs), so that fitting the noise shows.

Same machinery as the other animations: static parts drawn once, the moving artists blitted.

Example::

    animation = NetworkAnimation(panel, weights, "relu", Style())
    write_animation(animation, folder, "network", Style())
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from tinynets.errors import TooManyUnits
from tinynets.engine.data import target
from tinynets.measure import inside
from tinynets.media.axes import loss_axes, loss_samples, noise_floor, shared_loss_range
from tinynets.media.canvas import (FONT, INK, MUTED, Blitter, Stamp, Style, clip, fit_margins,
                                   new_figure, pixel_box, save_static, with_gaps)
from tinynets.media.catalog import network_refusal
from tinynets.media.labels import legend_row, net_title
from tinynets.media.render import NetAnimation, Panel

POSITIVE, NEGATIVE = "#0072B2", "#D55E00"  # Okabe–Ito blue and vermillion: weight signs
GRID_EDGE = "#c8c8c8"  # a unit's box: light, but visible on white


def check_network_size(layers, name: str) -> None:
    """Refuse a diagram of more hidden units than it shows legibly, saying what to use."""
    refusal = network_refusal(layers, name)
    if refusal:
        raise TooManyUnits(refusal)


class UnitsAnimation(NetAnimation):
    """``NetAnimation`` plus bend ticks along the x axis and (one hidden layer) each unit's
    contribution as a faint line, for the animated seed."""

    def __init__(self, panel: Panel, weights: list[np.ndarray], activation: str, style: Style):
        self.weights, self.activation = weights, activation
        super().__init__(panel, style)

    @property
    def faint(self) -> tuple:
        """The units' lines: the net's colour mixed with white (no alpha to blend per frame)."""
        return tuple(0.4 * np.asarray(to_rgb(self.panel.color)) + 0.6)

    def _legend_entries(self) -> list[tuple]:
        entries = super()._legend_entries()
        # (the short entry first: under the legend's first, widest-but-one column)
        if self.activation in inside.BENDING:
            entries.append((Line2D([], [], ls="", marker="|", ms=11, mew=1.5, color=INK),
                            "where it bends"))
        if len(self.weights) == 4:  # one hidden layer: each unit's part is drawn
            entries.append((Line2D([], [], color=self.faint, lw=1.6),
                            f"each unit's v·{self.activation}(wx+b)"))
        return entries

    def _layout(self) -> None:
        super()._layout()
        left = self.axes[0]
        panel = self.panel
        x_range = (float(panel.grid[0]), float(panel.grid[-1]))
        self.bends, self.parts = [], []
        one_layer = len(self.weights) == 4
        for frame in range(len(self.timeline)):
            layers = inside.net_at(self.weights, frame, panel.representative)
            finite = all(np.all(np.isfinite(part)) for pair in layers for part in pair)
            bends = (inside.kinks(layers, self.activation, x_range)
                     if finite and self.activation in inside.BENDING else np.zeros(0))
            self.bends.append(bends)
            if one_layer:
                self.parts.append(self._contribution_line(layers, finite))
        # Faint lines under the prediction; ticks from the x axis up, over the points.
        self.unit_lines = left.plot([], [], color=self.faint, lw=1.0, antialiased=False, zorder=2.5,
                                    animated=True)[0]
        self.ticks = left.plot([], [], color=INK, lw=1.5, antialiased=False, zorder=4,
                               transform=left.get_xaxis_transform(), animated=True)[0]
        self.snapshot_background()

    def _contribution_line(self, layers, finite: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every unit's contribution v·h(x) where the unit is on, as one line with gaps: a ReLU
        unit's is straight (its two ends are enough), others are drawn on every 4th grid point.
        Fewer points to draw and fewer pixels that change per frame (a smaller GIF)."""
        grid = np.asarray(self.panel.grid, dtype=np.float64)
        if not finite:
            return np.zeros(0), np.zeros(0)
        if self.activation == "relu":
            kernel, bias = layers[0]
            out = layers[1][0][:, 0]
            w, b = kernel[0], bias
            ends = np.stack([grid[[0, -1]]] * len(w))  # (units, 2)
            with np.errstate(divide="ignore", invalid="ignore"):
                switch = np.where(w != 0, -b / w, np.nan)
            ends[:, 0] = np.where(w > 0, np.clip(switch, grid[0], grid[-1]), ends[:, 0])
            ends[:, 1] = np.where(w < 0, np.clip(switch, grid[0], grid[-1]), ends[:, 1])
            alive = ((w != 0) | (b > 0)) & (ends[:, 1] > ends[:, 0]) & (out != 0)
            ends = ends[alive]
            values = out[alive, None] * np.maximum(w[alive, None] * ends + b[alive, None], 0)
            xs, ys = ends, values
        else:
            xs = np.tile(grid[::4], (len(layers[0][1]), 1))
            ys = inside.contributions(layers, grid[::4], self.activation)
            ys = np.where(ys == 0, np.nan, ys)
        gaps = np.full((len(xs), 1), np.nan)
        return (np.hstack([xs, gaps]).ravel(),
                np.hstack([clip(ys, self.limits), gaps]).ravel())

    def update(self, index: int) -> list:
        artists = super().update(index)
        bends = self.bends[index]
        self.ticks.set_data(np.repeat(bends, 3),
                            np.tile([0.0, 0.07, np.nan], len(bends)))
        if self.parts:
            self.unit_lines.set_data(*self.parts[index])
        return [self.unit_lines, *artists, self.ticks]


class NetworkAnimation(Blitter):
    """The net as a diagram, one frame per recorded epoch: input, hidden units (each a small plot
    of its output over the input range), output (the prediction); edges coloured by the sign of
    their weight, as wide as its size."""

    def __init__(self, panel: Panel, weights: list[np.ndarray], activation: str, style: Style):
        self.panel, self.style = panel, style
        self.weights, self.activation = weights, activation
        widths = [kernel.shape[-1] for kernel in weights[0:-2:2]]
        check_network_size(widths, panel.name)
        self.timeline = np.asarray(panel.frame_epochs)
        self.figure, self.canvas = new_figure(style.width, style.height, style.dpi)
        figure = self.figure
        width, height = style.width, style.height
        title = net_title(figure, self.canvas, 14, 10, panel.title, panel.color,
                          right=width * 0.62)
        label_end = title.get_window_extent(self.canvas.get_renderer()).x1
        self.counter_label = figure.text((label_end + 18) / width, 1 - 11.5 / height, "epoch",
                                         ha="left", va="top", fontsize=FONT["text"], color=INK,
                                         antialiased=False)
        self.counter = Stamp(self.canvas, FONT["text"], INK)
        self.counter_at = self.baseline(self.counter_label)
        from matplotlib.patches import Rectangle

        self.legend = legend_row(figure, self.canvas, [
            (Line2D([], [], color=POSITIVE, lw=3), "weight > 0"),
            (Line2D([], [], color=NEGATIVE, lw=3), "weight < 0"),
            ((Line2D([], [], color=MUTED, lw=0.8), Line2D([], [], color=MUTED, lw=3.5)),
             "wider: larger"),
            (Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=GRID_EDGE, lw=1.2),
             "a unit's output over x"),
        ], left=14, top=40, right=width - 14)
        top = height - self.legend.get_window_extent(self.canvas.get_renderer()).y0 + 8
        axes = figure.add_axes((0, 0, 1, 1 - top / height))
        axes.set_xlim(0, width)
        axes.set_ylim(0, height - top)
        axes.axis("off")
        self.axes = axes

        # Where everything sits: columns for input, each hidden layer, output.
        columns = [1, *widths, 1]
        xs = np.linspace(60, width - 70, len(columns))
        plot_height = height - top
        box_h = min(44.0, (plot_height - 20) / max(columns) - 6)
        box_w = min(90.0, box_h * 2.4)
        self.boxes = []  # per column, per unit: (x0, y0) of the unit's plot box
        for column, count in enumerate(columns):
            ys = (np.linspace(plot_height - 10 - box_h / 2, 10 + box_h / 2, count)
                  if count > 1 else np.array([plot_height / 2]))
            self.boxes.append([(xs[column] - box_w / 2, y - box_h / 2) for y in ys])
        self.box_w, self.box_h = box_w, box_h
        # Edges from the right side of one box to the left side of the next.
        self.edge_ends = []
        for column in range(len(columns) - 1):
            for target_index, (tx, ty) in enumerate(self.boxes[column + 1]):
                for source_index, (sx, sy) in enumerate(self.boxes[column]):
                    self.edge_ends.append(((sx + box_w, sy + box_h / 2),
                                           (tx, ty + box_h / 2)))
        # Static: boxes and labels.
        for column, boxes in enumerate(self.boxes):
            for x0, y0 in boxes:
                axes.add_patch(_rectangle(x0, y0, box_w, box_h))
        axes.text(self.boxes[0][0][0] + box_w / 2, self.boxes[0][0][1] - 4, "input x",
                  ha="center", va="top", fontsize=FONT["ticks"], color=MUTED)
        axes.text(self.boxes[-1][0][0] + box_w / 2, self.boxes[-1][0][1] - 4, "output",
                  ha="center", va="top", fontsize=FONT["ticks"], color=MUTED)
        grid = np.asarray(panel.grid, dtype=np.float64)
        unit_x = (grid - grid[0]) / (grid[-1] - grid[0])
        # The input box shows x itself; its line never moves.
        x0, y0 = self.boxes[0][0]
        axes.plot(x0 + 3 + unit_x * (box_w - 6), y0 + 3 + unit_x * (box_h - 6), color=INK,
                  lw=1.2)
        self.unit_x = unit_x
        # Per frame: every unit's output (scaled per unit over all frames, so growth shows)
        # and every edge's weight.
        frames = len(self.timeline)
        outputs, edge_weights = [], []
        for frame in range(frames):
            layers = inside.net_at(weights, frame, panel.representative)
            hidden, output = inside.forward(layers, grid, activation)
            outputs.append([column.T for column in hidden] + [output[None, :]])
            edge_weights.append(np.concatenate([kernel.T.ravel() for kernel, _ in layers]))
        self.outputs = outputs
        self.edge_weights = np.asarray(edge_weights)
        self.scales = []
        for column in range(len(outputs[0])):
            stacked = with_gaps(np.stack([frame[column] for frame in outputs]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low = np.nanmin(stacked, axis=(0, 2))
                high = np.nanmax(stacked, axis=(0, 2))
            self.scales.append((np.nan_to_num(low), np.nan_to_num(high)))
        strongest = np.nanmax(np.abs(with_gaps(self.edge_weights))) if self.edge_weights.size \
            else 1.0
        self.strongest = strongest if np.isfinite(strongest) and strongest > 0 else 1.0
        self.edges = LineCollection(self.edge_ends, linewidths=1.0, antialiaseds=False,
                                    zorder=1, animated=True)
        axes.add_collection(self.edges)
        self.curves = LineCollection([], colors=panel.color, linewidths=1.6,
                                     antialiaseds=False, zorder=3, animated=True)
        axes.add_collection(self.curves)
        self.snapshot_background()

    def update(self, index: int) -> list:
        weights = with_gaps(self.edge_weights[index])
        magnitude = np.nan_to_num(np.abs(weights)) / self.strongest
        self.edges.set_linewidths(0.3 + 3.2 * magnitude)
        self.edges.set_colors([POSITIVE if w >= 0 else NEGATIVE for w in np.nan_to_num(weights)])
        segments = []
        for column, values in enumerate(self.outputs[index]):
            low, high = self.scales[column]
            span = np.where(high > low, high - low, 1.0)
            for unit, (x0, y0) in enumerate(self.boxes[column + 1]):
                scaled = np.clip((with_gaps(values[unit]) - low[unit]) / span[unit], 0, 1)
                segments.append(np.column_stack([x0 + 3 + self.unit_x * (self.box_w - 6),
                                                 y0 + 3 + scaled * (self.box_h - 6)]))
        self.curves.set_segments(segments)
        self.counter.set(f"{int(self.timeline[index]):,}", *self.counter_at)
        return [self.edges, self.curves, self.counter]


def _rectangle(x0, y0, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), width, height, facecolor="white", edgecolor=GRID_EDGE, lw=1.2,
                     zorder=2)


ERROR_KINDS = ("training", "noise-free", "held-out")


def error_curves(panel: Panel, weights: list[np.ndarray], activation: str) -> dict:
    """Median over seeds, at the frame epochs (epoch 0 left out), of the noise-free and held-out
    errors: {"epochs": …, "noise-free": …, "held-out": …}."""
    data = panel.data
    truth = target(data, np.asarray(panel.grid, dtype=np.float64))
    noise_free = inside.noise_free_errors(panel.predictions, truth)  # (frames, seeds)
    x, y = inside.held_out_points(data, target)
    frames, seeds = weights[0].shape[:2]
    held_out = np.array([[inside.held_out_error(inside.net_at(weights, frame, column),
                                                activation, x, y)
                          for column in range(seeds)] for frame in range(frames)])
    keep = np.asarray(panel.frame_epochs) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return {"epochs": np.asarray(panel.frame_epochs)[keep],
                "noise-free": np.nanmedian(with_gaps(noise_free), axis=1)[keep],
                "held-out": np.nanmedian(with_gaps(held_out), axis=1)[keep]}


def write_errors_plot(panel: Panel, weights: list[np.ndarray], activation: str, folder: Path,
                      stem: str, style: Style) -> None:
    """Median training error per epoch with the noise-free and held-out errors at the frames."""
    figure, canvas = new_figure(style.width, style.height, style.dpi)
    width, height = style.width, style.height
    title = net_title(figure, canvas, 12, 10, panel.title, panel.color, right=width - 200)
    samples = loss_samples(panel.epochs)
    training = with_gaps(panel.losses[samples])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        training_median = np.nanmedian(training, axis=1)
    curves = error_curves(panel, weights, activation)
    seeds = training.shape[1]
    if seeds > 1:
        end = title.get_window_extent(canvas.get_renderer()).x1
        figure.text((end + 12) / width, 1 - 12 / height, f"medians of {seeds} seeds",
                    ha="left", va="top", fontsize=FONT["ticks"], color=MUTED)
    # The legend is one row above the plot, where it covers no curve.
    legend = legend_row(figure, canvas, [
        (Line2D([], [], color=panel.color, lw=3.0), "training"),
        (Line2D([], [], color=INK, lw=1.8, ls=(0, (6, 2))), "held-out (fresh points)"),
        (Line2D([], [], color=MUTED, lw=2.2, ls=(0, (1, 1.2))), "noise-free (true function)"),
    ], left=12, top=40, right=width - 12)
    top = height - legend.get_window_extent(canvas.get_renderer()).y0 + 12
    axes = figure.add_axes(pixel_box(72, top, width - 16, height - 58, width, height))
    everything = np.concatenate([training.ravel(), curves["noise-free"], curves["held-out"]])
    loss_axes(axes, panel.epochs, noise_floor(panel), everything,
              shared=shared_loss_range(panel))
    axes.plot(samples + 1, training_median, color=panel.color, lw=3.0)
    axes.plot(curves["epochs"], curves["held-out"], color=INK, lw=1.8, ls=(0, (6, 2)))
    axes.plot(curves["epochs"], curves["noise-free"], color=MUTED, lw=2.2, ls=(0, (1, 1.2)))
    axes.set_xlabel("epoch")
    axes.set_ylabel("mean squared error")
    fit_margins(figure, canvas, [axes])
    save_static(figure, folder, stem)
