"""Figures of nets on the plane: the decision boundary learning, side by side, and their curves.

A net's animation shows its predicted probability (or value) over the plane as a heatmap in a
diverging, colour-blind-safe map (purple–orange, in four bands: flat bands keep the GIF small),
the 0.5 contour (the decision boundary) along the grid's cells, the training points (filled)
and the test points (hollow); beside it, its training and test error and accuracy so far. Per
frame the heatmap is painted and composited under the points in numpy (``_PlaneAxes``), and only
the curves and numbers are redrawn by matplotlib over a background drawn once
(``canvas.Blitter``).

Example::

    animation = PlaneAnimation(panel, Style())
    write_animation(animation, folder, "anim", Style())
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from tinynets.media.layout import (PLANE_CELL_EXTRA, PLANE_CELL_SCALE, comparison_size,
                                   grid_shape)
from tinynets.media.axes import loss_axes, loss_samples, noise_floor, shared_loss_range
from tinynets.media.canvas import (FONT, INK, MUTED, Blitter, Stamp, Style, new_figure,
                                   pixel_box, tick_text, with_gaps)
from tinynets.media.labels import fit_text, legend_row, name_axes, net_title
from tinynets.media.plane_legend import (TEST_DASHES, band_entry, boundary_entry, color_bar,
                                         point_entries)
from tinynets.media.plane_panel import (BANDS, BOUNDARY_RGB, CLASS_COLORS, LEVELS,
                                        PlanePanel)
from tinynets.posts.plane import GRID_SIDE


class _PlaneAxes:
    """A heatmap axes for one panel: bands, boundary and points, composited pixel by pixel.

    The image is painted here at ``scale`` whole pixels per grid cell: each cell takes its
    band's colour, and the edges between cells on either side of 0.5 (the 0.5 contour at the
    grid's resolution) are drawn dark. On the cells' own pixel grid the boundary only moves when
    a cell changes side, which keeps the frames' changes small (a smooth contour line would
    redraw slanted pixels on every frame and double the GIF).

    Matplotlib draws the points and the axes' frame once (``capture``), over a black and then a
    white image: the two renderings give every pixel's colour and opacity, so that each frame
    is the painted image with the points laid over it in numpy — resampling an image and
    drawing hundreds of markers per frame would cost three times as much as everything else.
    """

    def __init__(self, axes, panel: PlanePanel, marker_size: float, scale: int):
        self.axes, self.panel, self.scale = axes, panel, scale
        low, high = panel.value_limits()
        self.levels = np.array([low + (high - low) * level for level in LEVELS[1:-1]])
        self.colors = np.array([to_rgb_bytes(color) for color in BANDS]
                               + [to_rgb_bytes("#cccccc")], dtype=np.uint8)  # last: NaN, grey
        extent = panel.extent
        # aspect "auto": the image fills the square axes, one cell on scale × scale whole pixels,
        # whatever the data's bounds (a file's data need not span a square).
        self.image = axes.imshow(self.paint(0), origin="lower", extent=extent,
                                 interpolation="nearest", aspect="auto", resample=False)
        axes.set_xlim(extent[0], extent[1])
        axes.set_ylim(extent[2], extent[3])
        for axis in (axes.xaxis, axes.yaxis):
            axis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
            axis.set_major_formatter(FuncFormatter(tick_text))
        axes.tick_params(labelsize=FONT["ticks"], length=4, pad=2)
        name_axes(axes, axes.figure.canvas, *panel.axis_names, x_pad=1, y_pad=4)
        for spine in axes.spines.values():
            spine.set_visible(True)
            spine.set_color(MUTED)
        for label, color in CLASS_COLORS.items() if panel.classification else [(None, INK)]:
            chosen = (lambda y: y == label) if label is not None else (lambda y: y == y)  # noqa
            train = panel.points_train[chosen(panel.y_train)]
            test = panel.points_test[chosen(panel.y_test)]
            axes.scatter(train[:, 0], train[:, 1], s=marker_size, c=color, edgecolors="white",
                         linewidths=0.6, zorder=3)
            if len(test):
                axes.scatter(test[:, 0], test[:, 1], s=marker_size * 0.8, facecolors="none",
                             edgecolors=color, linewidths=0.9, zorder=3)
        self.patch = None

    def paint(self, frame: int) -> np.ndarray:
        """RGB pixels (side·scale, side·scale, 3) of ``frame``, row 0 at the bottom."""
        values = self.panel.image(frame)
        bands = np.searchsorted(self.levels, values, side="right")
        bands[~np.isfinite(values)] = len(BANDS)
        scale = self.scale

        def enlarge(cells: np.ndarray) -> np.ndarray:  # each cell → scale × scale pixels
            return cells.repeat(scale, axis=0).repeat(scale, axis=1)

        pixels = self.colors[enlarge(bands)]
        if self.panel.classification:
            side = enlarge(values > 0.5)
            # Where a cell's neighbour is on the other side: the two pixels along their edge.
            across = side[:, 1:] != side[:, :-1]
            up = side[1:, :] != side[:-1, :]
            edge = np.zeros(side.shape, dtype=bool)
            edge[:, 1:] |= across
            edge[:, :-1] |= across
            edge[1:, :] |= up
            edge[:-1, :] |= up
            pixels[edge] = BOUNDARY_RGB
        return pixels

    def update(self, frame: int) -> list:
        self.patch.pixels = self.paint(frame)[::-1]  # the buffer's rows run top down
        return [self.patch]


class _Composite(Stamp):
    """Pixels stamped into the canvas' buffer in ``Blitter._blit`` (as a ``Stamp`` is): the
    painted image under the points and frame that ``capture`` recorded."""

    def __init__(self, rows: slice, columns: slice, inner: tuple[slice, slice],
                 black: np.ndarray, opacity: np.ndarray):
        self.rows, self.columns, self.inner = rows, columns, inner
        self.black = black.astype(np.uint16)  # what covers each pixel, premultiplied
        self.clear = (255 - opacity).astype(np.uint16)  # how much of the image shows through
        self.base = black.copy()
        self.pixels = None
        self.text = ""

    def draw(self, buffer: np.ndarray) -> None:
        out = self.base.copy()
        image = self.pixels.astype(np.uint16)
        rows, columns = self.inner
        out[rows, columns] = ((image * self.clear[rows, columns] + 127) // 255
                              + self.black[rows, columns]).astype(np.uint8)
        buffer[self.rows, self.columns, :3] = out


def capture(canvas, planes: list[_PlaneAxes]) -> None:
    """Record, for each plane, the points and frame over a black and over a white image."""
    renders = []
    for color in (0, 255):
        for plane in planes:
            plane.image.set_data(np.full(plane.paint(0).shape, color, dtype=np.uint8))
        canvas.draw()
        renders.append(np.asarray(canvas.buffer_rgba())[:, :, :3].astype(np.int16))
    black, white = renders
    height = black.shape[0]
    for plane in planes:
        box = plane.axes.get_window_extent(canvas.get_renderer())
        rows = slice(max(int(height - box.y1) - 3, 0), min(int(height - box.y0) + 3, height))
        columns = slice(max(int(box.x0) - 3, 0), int(box.x1) + 3)
        region_black, region_white = black[rows, columns], white[rows, columns]
        opacity = 255 - (region_white - region_black)
        shows = np.argwhere((opacity < 255).any(axis=2))  # where the image shows at all
        top, left = shows.min(axis=0)
        side = plane.paint(0).shape[0]
        inner = (slice(top, top + side), slice(left, left + side))
        plane.patch = _Composite(rows, columns, inner, region_black.astype(np.uint8),
                                 opacity.astype(np.uint8))
        plane.image.set_visible(False)  # from here on the composite draws it


def to_rgb_bytes(color: str) -> tuple[int, int, int]:
    return tuple(int(color[index:index + 2], 16) for index in (1, 3, 5))


def _curve_axes(axes, panel: PlanePanel, values: np.ndarray, tests, accuracy: bool):
    """One curves panel (error on log scales, or accuracy), with the animated lines and its
    name above it."""
    samples = loss_samples(panel.epochs)
    if accuracy:
        axes.set_xscale("log")
        axes.set_xlim(1, max(panel.epochs, 2))
        axes.xaxis.set_major_locator(LogLocator(base=10, numticks=6))
        axes.xaxis.set_major_formatter(FuncFormatter(tick_text))
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.set_ylim(0.4, 1.02)
        axes.set_yticks([0.5, 0.75, 1.0])
        axes.set_yticklabels(["50%", "75%", "100%"])
        axes.grid(True, color="#e6e6e6", lw=0.8)
        own = False
    else:
        shown = [values] + ([tests] if tests is not None else [])
        own = loss_axes(axes, panel.epochs, noise_floor(panel),
                        np.concatenate([with_gaps(v[samples]) for v in shown]),
                        shared=shared_loss_range(panel))
    name = "accuracy" if accuracy else ("error" + (" (own y range)" if own else ""))
    axes.set_title(name, loc="left", fontsize=FONT["ticks"], color=INK, pad=4)
    lines = [axes.plot([], [], color=panel.color, lw=2.2, antialiased=False, animated=True,
                       label="training")[0]]
    if tests is not None:
        lines.append(axes.plot([], [], color=panel.color, lw=1.8, ls=TEST_DASHES,
                               antialiased=False, animated=True, label="test")[0])
    return samples, lines


# Where a net's plane animation puts things (pixels of the 800×350 frame).
PLANE_LEFT, PLANE_TOP = 68, 42  # the heatmap's top left (room for the x2 ticks and title)
COMPARISON_TICKS = 62  # left of the comparison's first heatmap: its y ticks and axis title
CURVES_TOP = 66  # the curves' top (room for their headline and the first one's name)
LEGEND_GAP = 16  # between the heatmap and the legend column
CURVES_LEFT = 556  # the curves' left edge; their tick labels sit in the gap before it


class PlaneAnimation(Blitter):
    """A net learning on the plane: its heatmap and boundary (left, with its axes), a legend
    (the classes, filled training and hollow test points with the training and test curves'
    lines, the boundary, the colour bands), and its curves (right: error, accuracy)."""

    def __init__(self, panel: PlanePanel, style: Style):
        self.panel, self.style = panel, style
        self.timeline = np.asarray(panel.frame_epochs)
        self.figure, self.canvas = new_figure(style.width, style.height, style.dpi)
        figure, canvas = self.figure, self.canvas
        width, height = style.width, style.height
        side = 4 * GRID_SIDE  # whole pixels per cell: crisp cells, runs the GIF packs well
        heat = figure.add_axes(pixel_box(PLANE_LEFT, PLANE_TOP, PLANE_LEFT + side,
                                         PLANE_TOP + side, width, height))
        self.plane = _PlaneAxes(heat, panel, marker_size=16, scale=4)
        right = PLANE_LEFT + side
        self.title = net_title(figure, canvas, 14, 10, panel.title, panel.color,
                               right=right - 110)
        label_end = self.title.get_window_extent(canvas.get_renderer()).x1
        self.counter_label = figure.text((label_end + 14) / width, 1 - 11.5 / height, "epoch",
                                         ha="left", va="top", fontsize=FONT["text"], color=INK,
                                         antialiased=False)
        self.counter = Stamp(canvas, FONT["text"], INK)
        self.counter_at = self.baseline(self.counter_label)
        legend_left = right + LEGEND_GAP
        if panel.seed is not None:  # which seed the picture is (the headline reads its number)
            seeds = panel.losses.shape[1]
            # after the epoch counter at its widest (the last epoch)
            counter_end = self.counter_at[0] + self.counter.width(f"{int(self.timeline[-1]):,}")
            shown = figure.text(max(legend_left, counter_end + 16) / width, 1 - 12 / height,
                                f"seed {panel.seed}" + (f", median of {seeds}" if seeds > 1
                                                        else ""),
                                ha="left", va="top", fontsize=FONT["ticks"], color=INK)
            fit_text(shown, canvas, CURVES_LEFT - 10)
        entries = point_entries(panel, curves=True)
        if panel.classification:
            entries.append(boundary_entry())
        self.legend = legend_row(figure, canvas, entries, left=legend_left, top=PLANE_TOP,
                                 right=CURVES_LEFT - 60, columns=1)
        legend_bottom = height - self.legend.get_window_extent(canvas.get_renderer()).y0
        color_bar(figure, canvas, panel, legend_left + 4, legend_bottom + 14,
                  min(90.0, PLANE_TOP + side - legend_bottom - 40))
        accuracy = panel.accuracy is not None
        rows = 2 if accuracy else 1
        grid = figure.add_gridspec(rows, 1, left=CURVES_LEFT / width, right=1 - 30 / width,
                                   bottom=52 / height, top=1 - CURVES_TOP / height, hspace=0.34)
        self.curves = []
        error_axes = figure.add_subplot(grid[0])
        self.curves.append((panel.losses, panel.test_losses,
                            *_curve_axes(error_axes, panel, panel.losses, panel.test_losses,
                                         False)))
        error_axes.tick_params(labelbottom=not accuracy)
        bottom_axes = error_axes
        self.error_label = figure.text(CURVES_LEFT / width, 1 - 11.5 / height,
                                       _headline(panel, 0, named=True)[:-2], ha="left",
                                       va="top", fontsize=FONT["text"], color=INK,
                                       antialiased=False)
        self.error_text = Stamp(canvas, FONT["text"], INK)
        self.error_at = self.baseline(self.error_label)
        if accuracy:
            bottom_axes = figure.add_subplot(grid[1])
            self.curves.append((panel.accuracy, panel.test_accuracy,
                                *_curve_axes(bottom_axes, panel, panel.accuracy,
                                             panel.test_accuracy, True)))
        bottom_axes.set_xlabel("epoch", fontsize=FONT["text"], labelpad=3, color=INK)
        capture(canvas, [self.plane])
        self.snapshot_background()

    def update(self, index: int) -> list:
        panel = self.panel
        epoch = int(self.timeline[index])
        artists = self.plane.update(index)
        seed = panel.representative
        for values, tests, samples, lines in self.curves:
            shown = samples < epoch
            for line, series in zip(lines, (values, tests)):
                line.set_data(samples[shown] + 1, with_gaps(series[samples[shown], seed]))
            artists += lines
        self.counter.set(f"{epoch:,}", *self.counter_at)
        self.error_text.set(_headline(panel, epoch), *self.error_at)
        return artists + [self.counter, self.error_text]


def _headline(panel: PlanePanel, epoch: int, named: bool = False) -> str:
    """The number heading the curves at ``epoch``: test accuracy (or training accuracy, or the
    training error); ``named``: with what it is ("test accuracy 90%")."""
    tested = panel.test_accuracy is not None
    series = panel.test_accuracy if tested else panel.accuracy
    name = ("test accuracy" if tested else "accuracy") if series is not None else \
        "training error"
    if epoch == 0:
        text = "\u2013"
    elif series is not None:
        text = f"{100 * float(series[epoch - 1, panel.representative]):.0f}%"
    else:
        value = float(panel.losses[epoch - 1, panel.representative])
        text = "diverged" if not np.isfinite(value) else f"{value:.3g}"
    return f"{name} {text}" if named else text


class PlaneComparison(Blitter):
    """Every net's heatmap side by side, at the same epoch, with its test accuracy; one legend
    for all (classes, training and test points, the boundary, the colour bands)."""

    def __init__(self, panels: list[PlanePanel], style: Style):
        self.panels, self.style = panels, style
        rows, columns = grid_shape(len(panels))
        width, height = comparison_size(len(panels), style.width, style.height, plane=True)
        self.figure, self.canvas = new_figure(width, height, style.dpi)
        figure, canvas = self.figure, self.canvas
        renderer = canvas.get_renderer()
        self.timeline = np.unique(np.concatenate([p.frame_epochs for p in panels]))
        self.last_epoch = max(panel.epochs for panel in panels)
        self.epoch_label = figure.text(14 / width, 1 - 10 / height, "epoch", va="top",
                                       fontsize=FONT["title"], color=INK, fontweight="bold",
                                       antialiased=False)
        self.epoch_text = Stamp(canvas, FONT["title"], INK, weight="bold")
        self.epoch_at = self.baseline(self.epoch_label)
        first = panels[0]
        entries = point_entries(first)
        if first.classification:
            entries.append(boundary_entry())
        entries.append(band_entry(first))
        self.legend = legend_row(figure, canvas, entries, left=14, top=40, right=width - 14)
        top = height - self.legend.get_window_extent(renderer).y0 + 10
        side = PLANE_CELL_SCALE * GRID_SIDE
        # The heatmaps as one group, centred: the first column leaves room for the x2 axis'
        # ticks and title, the others for their ticks (the title is the first column's).
        gap = min(70.0, (width - 14 - COMPARISON_TICKS - columns * side) / max(columns - 1, 1))
        group = COMPARISON_TICKS + columns * side + (columns - 1) * gap
        start = (width - group) / 2 + COMPARISON_TICKS
        self.planes, self.stamps = [], []
        for index, panel in enumerate(panels):
            row, column = divmod(index, columns)
            # Above each panel its label, below it its ticks, the x axis' title and accuracy.
            x = round(start + column * (side + gap))
            y = round(top + row * PLANE_CELL_EXTRA + row * side + 26)  # from the top
            axes = figure.add_axes(pixel_box(x, y, x + side, y + side, width, height))
            self.planes.append(_PlaneAxes(axes, panel, marker_size=8, scale=PLANE_CELL_SCALE))
            if column:
                axes.set_ylabel("")
            net_title(figure, canvas, x, y - 24, panel.title, panel.color,
                              right=x + side + 30, fontsize=FONT["ticks"])
            stamp = Stamp(canvas, FONT["ticks"], INK)
            self.stamps.append((stamp, (x, y + side + 62)))
        capture(canvas, self.planes)
        self.snapshot_background()

    def update(self, index: int) -> list:
        epoch = int(self.timeline[index])
        artists = []
        for plane, (stamp, at), panel in zip(self.planes, self.stamps, self.panels):
            frame = max(int(np.searchsorted(panel.frame_epochs, epoch, side="right")) - 1, 0)
            artists += plane.update(frame)
            stamp.set(_headline(panel, min(epoch, panel.epochs), named=True), *at)
            artists.append(stamp)
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return artists + [self.epoch_text]
