"""Figures of a recording: per-net animation, comparison animation, static loss plots.

Static parts are drawn once; per frame only the moving artists are restored and redrawn
(blitting), and the raw pixels go straight to ffmpeg (see ``encode``). Matplotlib runs on the Agg
canvas with no GUI. Fonts are large for an 800-pixel figure on purpose: on a phone the figure is
shown at about 45 %, and tick labels must still be readable there.

Diverged seeds (NaN or huge values) never stop a render: predictions are clipped to a band
around the data, non-finite values become gaps, and the training error reads "diverged".

Example:
    >>> animation = NetAnimation(panel, Style())                      # doctest: +SKIP
    >>> write_animation(animation, folder, "anim", Style())           # doctest: +SKIP
    {'frames': 150, 'fps': 25.0, ...}
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter  # noqa: E402

from tinynets.engine.data import target, training_points  # noqa: E402
from tinynets.escaping import MATPLOTLIB_RC, figure_text  # noqa: E402
from tinynets.media.encode import Encoder, gif_fps  # noqa: E402
from tinynets.media.layout import comparison_size, grid_shape, panel_height_of  # noqa: E402
from tinynets.posts.model import DataSpec  # noqa: E402

INK, MUTED, FAINT, FLOOR, GRID = "#1f1f1f", "#555555", "#9a9a9a", "#444444", "#e6e6e6"

# Sizes in points at 100 dpi (1 pt = 1.39 px): 13 pt tick labels are 18 px on a laptop and
# about 8 px on a phone, the smallest that stays readable.
FONT = {"ticks": 13, "text": 14, "title": 15}

RC = {
    "font.family": "DejaVu Sans",
    "font.size": FONT["text"],
    "axes.titlesize": FONT["text"],
    "axes.labelsize": FONT["text"],
    "xtick.labelsize": FONT["ticks"],
    "ytick.labelsize": FONT["ticks"],
    "legend.fontsize": FONT["ticks"],
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 1.0,
    "svg.hashsalt": "tinynets",  # same picture → same SVG bytes
    "svg.fonttype": "none",  # text stays text in SVG: smaller, sharper, searchable
    "path.simplify": True,
    **MATPLOTLIB_RC,  # author text is drawn as written: no mathtext (see tinynets.escaping)
}
matplotlib.rcParams.update(RC)


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


@dataclass(frozen=True)
class Style:
    """Render settings; part of every medium's fingerprint.

    ``seconds`` is the whole loop, the final-frame hold included.
    """

    width: int = 800
    height: int = 350
    seconds: float = 8.0
    hold_seconds: float = 1.5
    dpi: int = 100


def _figure(width: int, height: int, dpi: int) -> tuple[Figure, FigureCanvasAgg]:
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    return figure, FigureCanvasAgg(figure)


def _finite(values: np.ndarray) -> np.ndarray:
    """A float copy with inf replaced by NaN (drawn as a gap)."""
    values = np.array(values, dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def _value_limits(panels: list[Panel]) -> tuple[float, float]:
    """y limits that hold the data and the true function with a margin, shared by panels."""
    values = np.concatenate([training_points(panel.data)[1] for panel in panels])
    low, high = float(values.min()), float(values.max())
    margin = 0.16 * (high - low) if high > low else 1.0
    return low - margin, high + margin


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
    axes.xaxis.set_major_formatter(FuncFormatter(_number))
    axes.yaxis.set_major_formatter(FuncFormatter(_number))


def _number(value: float, _position=None) -> str:
    """Tick labels: '-1', '0.5', '1,000', with a real minus sign."""
    text = f"{value:,.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:g}"
    return text.replace("-", "\u2212")


def _clip(values: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """Keep diverged (NaN/huge) predictions from wrecking the drawing: gaps and clipping."""
    span = limits[1] - limits[0]
    return np.clip(_finite(values), limits[0] - span, limits[1] + span)


def _loss_samples(epochs: int, count: int = 400) -> np.ndarray:
    """Epoch indices at which loss curves are drawn: geometric, enough for a smooth log plot."""
    return np.unique(np.geomspace(1, epochs, count).astype(int)) - 1


def _loss_limits(losses: np.ndarray, floor: float) -> tuple[float, float]:
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


def _loss_axes(axes, epochs: int, floor: float, losses: np.ndarray, label_floor=True) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(1, max(epochs, 2))
    axes.set_ylim(*_loss_limits(losses, floor))
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_locator(LogLocator(base=10, numticks=6))
        axis.set_major_formatter(FuncFormatter(_number))
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


def training_error_text(value: float) -> str:
    return "diverged" if not np.isfinite(value) else f"{value:.3g}"


class _Stamp:
    """Text that changes every frame, stamped from cached character bitmaps.

    Matplotlib lays out and rasterises a text anew on every draw (about 3 ms each, most of a
    frame's cost); stamping cached, non-anti-aliased bitmaps of its characters costs
    microseconds. Characters are placed by their advance widths (no kerning: meant for
    numbers). ``x, y`` is the left end of the baseline in pixels from the top left (``ha``
    "right": the right end).

    >>> stamp = _Stamp(canvas, fontsize=14, color="#1f1f1f")               # doctest: +SKIP
    >>> stamp.draw("5,000", x=120, y=30)                                     # doctest: +SKIP
    """

    def __init__(self, canvas: FigureCanvasAgg, fontsize: float, color: str,
                 weight: str = "normal", ha: str = "left"):
        from matplotlib.colors import to_rgba_array
        from matplotlib.font_manager import FontProperties

        self.canvas, self.ha = canvas, ha
        self.dpi = canvas.figure.dpi
        self.font = FontProperties(family=RC["font.family"], size=fontsize, weight=weight)
        self.rgba = (to_rgba_array(color)[0] * 255).round().astype(np.uint8)
        self.glyphs: dict[str, tuple[np.ndarray, int, int, float]] = {}
        self.x = self.y = 0.0
        self.text = ""

    def _glyph(self, character: str) -> tuple[np.ndarray, int, int, float]:
        """(mask, left offset, top offset from the baseline, advance) of one character."""
        if character not in self.glyphs:
            size = int(self.font.get_size_in_points() * self.dpi / 72 * 3) + 8
            figure = Figure(figsize=(size / self.dpi, size / self.dpi), dpi=self.dpi)
            canvas = FigureCanvasAgg(figure)
            origin = (4, size - size // 3)  # column, row of the baseline's left end
            figure.text(origin[0] / size, 1 - origin[1] / size, character, va="baseline",
                        ha="left", fontproperties=self.font, color="black", antialiased=False)
            canvas.draw()
            ink = np.asarray(canvas.buffer_rgba())[:, :, 0] < 128
            renderer = canvas.get_renderer()
            width = renderer.get_text_width_height_descent(f"0{character}0", self.font,
                                                           ismath=False)[0]
            zeros = renderer.get_text_width_height_descent("00", self.font, ismath=False)[0]
            rows, columns = np.nonzero(ink)
            if rows.size:
                top, left = rows.min(), columns.min()
                mask = ink[top:rows.max() + 1, left:columns.max() + 1]
            else:  # a space
                top, left, mask = origin[1], origin[0], np.zeros((0, 0), bool)
            self.glyphs[character] = (mask, left - origin[0], top - origin[1], width - zeros)
        return self.glyphs[character]

    def width(self, text: str) -> float:
        return sum(self._glyph(character)[3] for character in text)

    def set(self, text: str, x: float, y: float) -> None:
        self.text, self.x, self.y = text, x, y

    def extent(self, text: str | None = None):
        """The box (a matplotlib Bbox, display pixels from the bottom left, as a Text's window
        extent) that ``text`` (default: the current text) covers when stamped where it is set."""
        from matplotlib.transforms import Bbox

        text = self.text if text is None else text
        x = self.x - (self.width(text) if self.ha == "right" else 0)
        left, right, top, bottom = [], [], [], []
        for character in text:
            mask, column, row, advance = self._glyph(character)
            if mask.size:
                left.append(x + column)
                right.append(x + column + mask.shape[1])
                top.append(self.y + row)
                bottom.append(self.y + row + mask.shape[0])
            x += advance
        height = self.canvas.figure.bbox.height
        if not left:
            return Bbox([[self.x, height - self.y], [self.x, height - self.y]])
        return Bbox([[min(left), height - max(bottom)], [max(right), height - min(top)]])

    def draw(self, buffer: np.ndarray) -> None:
        """Stamp the text into ``buffer`` (the canvas' RGBA pixels)."""
        x = self.x - (self.width(self.text) if self.ha == "right" else 0)
        height, width = buffer.shape[:2]
        for character in self.text:
            mask, left, top, advance = self._glyph(character)
            row, column = int(round(self.y)) + top, int(round(x)) + left
            rows, columns = mask.shape
            if rows and 0 <= row and row + rows <= height and 0 <= column \
                    and column + columns <= width:
                buffer[row:row + rows, column:column + columns][mask] = self.rgba
            x += advance


class _Blitter:
    """Shared frame machinery: a background drawn once, moving artists redrawn per frame."""

    figure: Figure
    canvas: FigureCanvasAgg

    def _snapshot_background(self) -> None:
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def _blit(self, artists) -> np.ndarray:
        """Redraw ``artists`` (and stamps) over the background; return the RGBA buffer (a view)."""
        self.canvas.restore_region(self.background)
        stamps = []
        for artist in artists:
            if isinstance(artist, _Stamp):
                stamps.append(artist)
            else:
                self.figure.draw_artist(artist)
        buffer = np.asarray(self.canvas.buffer_rgba())
        for stamp in stamps:
            stamp.draw(buffer)
        return buffer

    def _baseline(self, text) -> tuple[float, float]:
        """Pixel (column, row from the top) just right of a static text, on its baseline."""
        renderer = self.canvas.get_renderer()
        box = text.get_window_extent(renderer)
        # Matplotlib lays a line out as deep as "lp" goes below the baseline, whatever its
        # characters: "error 0" sits that high above its box's bottom, and so must its stamp
        # (or the stamp's descenders, as in "diverged", reach into the plot below).
        _, _, descent = max((renderer.get_text_width_height_descent(
            sample, text.get_fontproperties(), ismath=False)
            for sample in (text.get_text(), "lp")), key=lambda metrics: metrics[2])
        space = renderer.get_text_width_height_descent("0 0", text.get_fontproperties(),
                                                       ismath=False)[0] - \
            renderer.get_text_width_height_descent("00", text.get_fontproperties(),
                                                   ismath=False)[0]
        return box.x1 + space, self.canvas.figure.bbox.height - box.y0 - descent

    def draw_frame(self, index: int) -> np.ndarray:
        """Pixels (height, width, 3) of frame ``index``: a copy of its own."""
        return self.draw_rgba(index)[:, :, :3].copy()

    def draw_rgba(self, index: int) -> np.ndarray:
        """Frame ``index`` as the canvas' RGBA buffer: no copy, valid until the next draw."""
        return self._blit(self.update(index))

    @property
    def size(self) -> tuple[int, int]:
        return self.canvas.get_width_height()

    def __len__(self) -> int:
        return len(self.timeline)


class NetAnimation(_Blitter):
    """A net learning: its prediction over the data (left), its training error so far (right)."""

    def __init__(self, panel: Panel, style: Style):
        self.panel, self.style = panel, style
        self.timeline = np.asarray(panel.frame_epochs)
        self.figure, self.canvas = _figure(style.width, style.height, style.dpi)
        self._layout()

    def _layout(self) -> None:
        panel, figure = self.panel, self.figure
        width, height = self.figure.bbox.width, self.figure.bbox.height
        header = 1 - 44 / height  # top of the plots, leaving a 44 px header row
        grid = figure.add_gridspec(1, 2, width_ratios=(1.15, 1), left=58 / width,
                                   right=1 - 14 / width, bottom=34 / height, top=header,
                                   wspace=0.2)
        left, right = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
        limits = _value_limits([panel])
        self.limits = limits
        _draw_data(left, panel, limits)
        title_y = 1 - 10 / height
        self.title = figure.text(left.get_position().x0 - 44 / width, title_y, panel.title,
                                 ha="left", va="top", fontsize=FONT["title"],
                                 fontweight="bold", color=panel.color)
        _fit_text(self.title, self.canvas, left.get_position().x1 * width)
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
        # stamped from cached characters (see _Stamp) instead of laid out every frame.
        self.counter_label = figure.text(counter_x, counter_y, "epoch", ha="left", va="top",
                                         fontsize=FONT["text"], color=INK, antialiased=False,
                                         bbox=box, zorder=5)
        self.counter = _Stamp(self.canvas, FONT["text"], INK)
        self.counter_at = self._baseline(self.counter_label)
        # Moving lines are drawn without anti-aliasing: their soft edges would double the
        # pixels that change per frame, and with them the GIF's size.
        self.prediction = left.plot([], [], color=panel.color, lw=2.6, zorder=3,
                                    antialiased=False, animated=True)[0]

        floor = _floor(panel)
        self.samples = _loss_samples(panel.epochs)
        self.losses = _finite(panel.losses[self.samples, panel.representative])
        _loss_axes(right, panel.epochs, floor, self.losses)
        self.error_label = figure.text(right.get_position().x0, title_y - 1.5 / height,
                                       "training error", ha="left", va="top",
                                       fontsize=FONT["text"], color=INK, antialiased=False)
        self.error_text = _Stamp(self.canvas, FONT["text"], INK)
        self.error_at = self._baseline(self.error_label)
        self.loss_line = right.plot([], [], color=panel.color, lw=2.2, zorder=3,
                                    antialiased=False, animated=True)[0]
        self.loss_marker = right.plot([], [], "o", color=panel.color, ms=9, mec="white",
                                      mew=1.5, zorder=4, clip_on=False,
                                      animated=True)[0]
        self.axes = (left, right)
        self._snapshot_background()

    def update(self, index: int) -> list:
        """Set the moving artists to frame ``index``; return them."""
        panel = self.panel
        epoch = int(self.timeline[index])
        self.prediction.set_data(
            panel.grid, _clip(panel.predictions[index, panel.representative], self.limits))
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


def _fit_text(text, canvas, right: float, smallest: float = 10) -> None:
    """Make ``text`` end left of pixel column ``right``: shrink it, then shorten it with "…".

    A long net label is shown whole in the page's captions and table; in a figure it must stay
    inside its own space, so below ``smallest`` points it is cut (at the longest start that fits).
    """
    renderer = canvas.get_renderer()

    def too_wide() -> bool:
        return text.get_window_extent(renderer).x1 > right

    while too_wide() and text.get_fontsize() > smallest:
        text.set_fontsize(text.get_fontsize() - 1)
    if not too_wide():
        return
    full = text.get_text()
    fits, longest = 0, len(full)  # binary search over the length of the start that is kept
    while fits < longest:
        middle = (fits + longest + 1) // 2
        text.set_text(full[:middle].rstrip() + "…")
        if too_wide():
            longest = middle - 1
        else:
            fits = middle
    text.set_text(full[:fits].rstrip() + "…")


def _fitted(figure, canvas, text: str, width: float, **properties) -> str:
    """``text`` as ``_fit_text`` would cut it to ``width`` pixels at a fixed size (legends)."""
    probe = figure.text(0, 0, text, **properties)
    _fit_text(probe, canvas, width, smallest=probe.get_fontsize())
    fitted = probe.get_text()
    probe.remove()
    return fitted


class ComparisonAnimation(_Blitter):
    """Several nets side by side, on shared axes and one shared timeline of epochs.

    The timeline is every epoch at which any net has a snapshot; at each, every net shows its
    latest snapshot at or before it, so the panels always show the same moment of training.
    """

    def __init__(self, panels: list[Panel], style: Style):
        self.panels, self.style = panels, style
        rows, columns = grid_shape(len(panels))
        _, height = comparison_size(len(panels), style.width, style.height)
        panel_height = panel_height_of(columns, style.width)
        self.figure, self.canvas = _figure(style.width, height, style.dpi)
        self.timeline = np.unique(np.concatenate([p.frame_epochs for p in panels]))
        self.last_epoch = max(panel.epochs for panel in panels)
        limits = _value_limits(panels)
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
            _fit_text(title, self.canvas, axes.get_window_extent(renderer).x1)
            titles.append(title)
        self._make_room_for_titles(axes_grid, titles)
        for axes, panel in zip(axes_grid.flat, panels):
            self.lines.append(axes.plot([], [], color=panel.color, lw=2.6, zorder=3,
                                        antialiased=False, animated=True)[0])
            self.errors.append(_Stamp(self.canvas, FONT["ticks"], INK, ha="right"))
            probe = axes.text(1, 1.01, "error 0", transform=axes.transAxes, ha="right",
                              va="bottom", fontsize=FONT["ticks"])
            self.errors_at.append((axes.get_window_extent(renderer).x1,
                                   self._baseline(probe)[1]))
            probe.remove()
            self.axes.append(axes)
        for axes in list(axes_grid.flat)[len(panels):]:
            axes.set_visible(False)
        for axes in axes_grid[:, 0]:
            axes.tick_params(labelleft=True)
        self.epoch_label = self.figure.text(50 / width, 1 - 10 / height, "epoch", va="top",
                                            fontsize=FONT["title"], color=INK,
                                            fontweight="bold", antialiased=False)
        self.epoch_text = _Stamp(self.canvas, FONT["title"], INK, weight="bold")
        self.epoch_at = self._baseline(self.epoch_label)
        self._snapshot_background()

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
                          _clip(panel.predictions[frame, panel.representative], self.limits))
            shown = min(epoch, panel.epochs)
            value = float(panel.losses[shown - 1, panel.representative]) if shown else np.nan
            error.set(f"error {training_error_text(value)}" if shown else "", *at)
        self.epoch_text.set(f"{epoch:,} of {self.last_epoch:,}", *self.epoch_at)
        return [*self.lines, *self.errors, self.epoch_text]


def write_animation(animation, folder: Path, stem: str, style: Style) -> dict:
    """Encode an animation's frames as ``stem``.gif, ``stem``.webm and ``stem``.png (poster).

    The poster is the final frame, exactly as drawn.
    """
    width, height = animation.size
    count = len(animation)
    fps = gif_fps(count, style.seconds, style.hold_seconds)
    # The final frame first: it is the poster, and its colours make the GIF's palette, so the
    # GIF can be encoded while the frames stream in.
    last = animation.draw_frame(count - 1)
    with Encoder(folder / f"{stem}.gif", folder / f"{stem}.webm", width, height, fps,
                 style.hold_seconds, palette_frame=last, channels=4) as encoder:
        for index in range(count):
            encoder.add_frame(animation.draw_rgba(index))  # the canvas itself: no copy
    write_png(folder / f"{stem}.png", last)
    return {"frames": count, "fps": fps, "width": width, "height": height,
            "seconds": encoder.seconds}


def write_png(path: Path, pixels: np.ndarray) -> None:
    """An RGB array as a PNG (through matplotlib's own writer: no extra import)."""
    from matplotlib.image import imsave

    imsave(path, pixels, format="png", metadata={"Software": None})


def _save_static(figure: Figure, folder: Path, stem: str) -> None:
    canvas = FigureCanvasAgg(figure)
    canvas.print_png(str(folder / f"{stem}.png"), metadata={"Software": None})
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    (folder / f"{stem}.svg").write_text(buffer.getvalue(), encoding="utf-8")


def _band(axes, epochs: np.ndarray, losses: np.ndarray, color: str, label: str):
    """Median line and min–max band over the finite seeds (diverged seeds drop out)."""
    finite = _finite(losses)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: every seed diverged
        median = np.nanmedian(finite, axis=1)
        low, high = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    axes.fill_between(epochs, low, high, color=color, alpha=0.2, linewidth=0)
    return axes.plot(epochs, median, color=color, lw=2.6, label=label)[0]


def _floor(panel) -> float:
    """The noise floor to draw, 0 for none: classification and file data have no known floor
    (unless the author gives one), and a plane panel carries no data spec."""
    data = getattr(panel, "data", None)
    floor = getattr(data, "noise_floor", None)
    return floor or 0.0


def _diverged(losses: np.ndarray) -> int:
    return int((~np.isfinite(losses[-1])).sum())


def write_loss_plot(panel: Panel, folder: Path, stem: str, style: Style) -> None:
    """All seeds of one net: a thin line per seed, their median, and the min–max band."""
    figure, canvas = _figure(style.width, style.height, style.dpi)
    width, height = style.width, style.height
    axes = figure.add_subplot()
    figure.subplots_adjust(left=72 / width, right=1 - 16 / width, bottom=58 / height,
                           top=1 - 46 / height)
    samples = _loss_samples(panel.epochs)
    epochs, losses = samples + 1, _finite(panel.losses[samples])
    _loss_axes(axes, panel.epochs, _floor(panel), losses)
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
    _fit_text(title, canvas, width - 16)
    axes.legend(handles=[median], loc="upper right", frameon=False, borderaxespad=0.2)
    _save_static(figure, folder, stem)


def write_comparison_loss_plot(panels: list[Panel], folder: Path, stem: str, style: Style) -> None:
    """The median and min–max band of every net on one plot."""
    height = style.height + 50
    figure, canvas = _figure(style.width, height, style.dpi)
    width = style.width
    axes = figure.add_subplot()
    figure.subplots_adjust(left=72 / width, right=1 - 16 / width, bottom=58 / height,
                           top=1 - 46 / height)
    epochs = max(panel.epochs for panel in panels)
    all_losses = np.concatenate([_finite(p.losses[_loss_samples(p.epochs)]).ravel()
                                 for p in panels])
    _loss_axes(axes, epochs, _floor(panels[0]), all_losses)
    handles = []
    # A legend entry may take at most half the plot's width (a long label is cut with "…"),
    # so the legend never covers most of the curves it names.
    longest = axes.get_window_extent(canvas.get_renderer()).width / 2
    for panel in panels:
        samples = _loss_samples(panel.epochs)
        label = _fitted(figure, canvas, panel.title, longest, fontsize=FONT["ticks"])
        handles.append(_band(axes, samples + 1, panel.losses[samples], panel.color, label))
    axes.set_xlabel("epoch")
    axes.set_ylabel("training error")
    seeds = panels[0].losses.shape[1]
    figure.text(12 / width, 1 - 10 / height,
                f"Median training error per net (band: range of {seeds} seeds)", ha="left",
                va="top", fontsize=FONT["title"], fontweight="bold", color=INK)
    axes.legend(handles=handles, loc="upper right", frameon=False, borderaxespad=0.2,
                ncol=1 if len(panels) <= 4 else 2)
    _save_static(figure, folder, stem)
