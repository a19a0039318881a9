"""Figures of a recording: per-net animation, comparison animation, static loss plots.

Static parts are drawn once; per frame only the moving artists are restored and redrawn
(blitting), and the raw pixels go straight to ffmpeg (see ``encode``). Matplotlib runs on the Agg
canvas with no GUI.

Example:
    >>> frames = NetAnimation(panel, style).frames()          # doctest: +SKIP
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tinynets.data import target, training_points  # noqa: E402
from tinynets.encode import Encoder, gif_fps  # noqa: E402
from tinynets.spec import DataSpec  # noqa: E402

INK, FAINT, FLOOR = "#222222", "#9a9a9a", "#555555"

matplotlib.rcParams.update({
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "tinynets",  # same picture → same SVG bytes
    "path.simplify": True,
})


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
    representative: int  # column of the seed drawn in bold

    @property
    def epochs(self) -> int:
        return len(self.losses)


@dataclass(frozen=True)
class Style:
    """Render settings; part of every medium's fingerprint."""

    width: int = 800
    height: int = 350
    seconds: float = 8.0
    hold_seconds: float = 1.5
    dpi: int = 100


def _figure(width: int, height: int, dpi: int) -> tuple[Figure, FigureCanvasAgg]:
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    return figure, FigureCanvasAgg(figure)


def _value_limits(panels: list[Panel]) -> tuple[float, float]:
    """y limits that hold the data and the true function with a margin, shared by panels."""
    values = np.concatenate([training_points(panel.data)[1] for panel in panels])
    low, high = float(values.min()), float(values.max())
    margin = 0.25 * (high - low)
    return low - margin, high + margin


def _draw_data(axes, panel: Panel, limits: tuple[float, float]) -> None:
    x, y = training_points(panel.data)
    axes.scatter(x, y, s=10, color=FAINT, alpha=0.8, linewidths=0, label="training points")
    axes.plot(panel.grid, target(panel.data, panel.grid), color=INK, alpha=0.25, lw=4,
              solid_capstyle="round", label="true function")
    axes.set_xlim(panel.grid[0], panel.grid[-1])
    axes.set_ylim(*limits)
    axes.set_xlabel("x")


def _clip(values: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """Keep diverged (NaN/huge) predictions from wrecking the drawing."""
    span = limits[1] - limits[0]
    return np.clip(values, limits[0] - span, limits[1] + span)


def _loss_samples(epochs: int, count: int = 400) -> np.ndarray:
    """Epoch indices at which loss curves are drawn: geometric, enough for a smooth log plot."""
    return np.unique(np.geomspace(1, epochs, count).astype(int)) - 1


def _loss_limits(losses: np.ndarray, floor: float) -> tuple[float, float]:
    finite = losses[np.isfinite(losses) & (losses > 0)]
    high = float(finite.max()) if finite.size else 1.0
    low = float(finite.min()) if finite.size else 1e-3
    low = min(low, floor if floor > 0 else low) * 0.6
    return low, min(high * 1.6, 1e6)


def training_error_text(value: float) -> str:
    return "diverged" if not np.isfinite(value) else f"{value:.3g}"


class NetAnimation:
    """A net learning: predictions (left) and its training loss so far (right)."""

    def __init__(self, panel: Panel, style: Style):
        self.panel, self.style = panel, style
        self.figure, self.canvas = _figure(style.width, style.height, style.dpi)
        self.moving = []
        self._layout()

    def _layout(self) -> None:
        panel, figure = self.panel, self.figure
        grid = figure.add_gridspec(1, 2, width_ratios=(1.45, 1), left=0.07, right=0.98,
                                   bottom=0.15, top=0.86, wspace=0.22)
        left, right = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
        figure.suptitle(panel.label, x=0.07, ha="left", fontsize=13, color=INK,
                        fontweight="bold")
        limits = _value_limits([panel])
        _draw_data(left, panel, limits)
        self.limits = limits
        seeds = panel.predictions.shape[1]
        self.others = [
            left.plot([], [], color=panel.color, lw=1, alpha=0.22, animated=True)[0]
            for column in range(seeds) if column != panel.representative
        ]
        self.prediction = left.plot([], [], color=panel.color, lw=2.6, animated=True)[0]
        self.epoch_text = left.text(0.02, 0.97, "", transform=left.transAxes, va="top",
                                    fontsize=11, color=INK, animated=True,
                                    bbox=dict(facecolor="white", alpha=0.8, edgecolor="none"))
        floor = panel.data.noise_floor
        self.samples = _loss_samples(panel.epochs)
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlim(1, panel.epochs)
        right.set_ylim(*_loss_limits(panel.losses[self.samples], floor))
        right.set_xlabel("epoch (log scale)")
        right.set_title("training error (MSE)", loc="left", fontsize=11, color=INK)
        if floor > 0:
            right.axhline(floor, color=FLOOR, lw=1.2, ls=(0, (4, 3)))
            right.text(1.3, floor, "noise floor", va="bottom", fontsize=9, color=FLOOR)
        self.loss_others = [
            right.plot([], [], color=panel.color, lw=0.8, alpha=0.22, animated=True)[0]
            for column in range(seeds) if column != panel.representative
        ]
        self.loss_line = right.plot([], [], color=panel.color, lw=2, animated=True)[0]
        self.loss_marker = right.plot([], [], "o", color=panel.color, ms=7, mec="white",
                                      animated=True)[0]
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(figure.bbox)
        self.axes = (left, right)

    def draw_frame(self, index: int) -> np.ndarray:
        """Pixels (height, width, 3) of frame ``index``."""
        panel = self.panel
        epoch = int(panel.frame_epochs[index])
        others = [c for c in range(panel.predictions.shape[1]) if c != panel.representative]
        for line, column in zip(self.others, others):
            line.set_data(panel.grid, _clip(panel.predictions[index, column], self.limits))
        self.prediction.set_data(panel.grid,
                                 _clip(panel.predictions[index, panel.representative], self.limits))
        shown = self.samples[self.samples < epoch]
        epochs_shown = shown + 1
        for line, column in zip(self.loss_others, others):
            line.set_data(epochs_shown, panel.losses[shown, column])
        self.loss_line.set_data(epochs_shown, panel.losses[shown, panel.representative])
        if epoch > 0:
            current = panel.losses[epoch - 1, panel.representative]
            self.loss_marker.set_data([epoch], [current if np.isfinite(current) else np.nan])
            error = training_error_text(current)
        else:
            self.loss_marker.set_data([], [])
            error = "—"
        self.epoch_text.set_text(f"epoch {epoch:,} / {panel.epochs:,}\ntraining error {error}")
        self.canvas.restore_region(self.background)
        left, right = self.axes
        for artist in [*self.others, self.prediction, self.epoch_text]:
            left.draw_artist(artist)
        for artist in [*self.loss_others, self.loss_line, self.loss_marker]:
            right.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def frames(self):
        for index in range(len(self.panel.frame_epochs)):
            yield self.draw_frame(index)


class ComparisonAnimation:
    """Several nets side by side on shared axes and one shared timeline of epochs."""

    def __init__(self, panels: list[Panel], style: Style):
        self.panels, self.style = panels, style
        columns = 2 if len(panels) > 1 else 1
        rows = -(-len(panels) // columns)
        height = max(style.height, int(round(style.width * 0.36 * rows / 2 * 2)) // 2 * 2)
        self.size = (style.width, height)
        self.figure, self.canvas = _figure(style.width, height, style.dpi)
        # The shared timeline: every epoch at which any net has a frame.
        self.timeline = np.unique(np.concatenate([p.frame_epochs for p in panels]))
        limits = _value_limits(panels)
        self.limits = limits
        axes_grid = self.figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.1 if rows > 1 else 0.15,
                                    top=0.86 if rows > 1 else 0.8, wspace=0.08, hspace=0.3)
        self.lines, self.axes = [], []
        for axes, panel in zip(axes_grid.flat, panels):
            _draw_data(axes, panel, limits)
            axes.set_title(panel.label, loc="left", color=panel.color, fontweight="bold")
            self.lines.append(axes.plot([], [], color=panel.color, lw=2.4, animated=True)[0])
            self.axes.append(axes)
        for axes in list(axes_grid.flat)[len(panels):]:
            axes.set_visible(False)
        self.epoch_text = self.figure.text(0.07, 0.965, "", va="top", fontsize=13, color=INK,
                                           fontweight="bold", animated=True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def draw_frame(self, index: int) -> np.ndarray:
        epoch = int(self.timeline[index])
        for line, panel, axes in zip(self.lines, self.panels, self.axes):
            # Each net shows its latest snapshot at or before the shared epoch.
            frame = int(np.searchsorted(panel.frame_epochs, epoch, side="right")) - 1
            line.set_data(panel.grid,
                          _clip(panel.predictions[frame, panel.representative], self.limits))
        self.epoch_text.set_text(f"epoch {epoch:,}")
        self.canvas.restore_region(self.background)
        for line, axes in zip(self.lines, self.axes):
            axes.draw_artist(line)
        self.figure.draw_artist(self.epoch_text)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def frames(self):
        for index in range(len(self.timeline)):
            yield self.draw_frame(index)


def write_animation(animation, folder: Path, stem: str, style: Style) -> dict:
    """Encode an animation's frames as ``stem``.gif, ``stem``.webm and ``stem``.png (poster)."""
    width, height = animation.canvas.get_width_height()
    count = len(getattr(animation, "timeline", None) if hasattr(animation, "timeline")
                else animation.panel.frame_epochs)
    fps = gif_fps(count, style.seconds)
    last = None
    with Encoder(folder / f"{stem}.gif", folder / f"{stem}.webm", width, height, fps,
                 style.hold_seconds) as encoder:
        for frame in animation.frames():
            encoder.add_frame(frame)
            last = frame
    _write_png(folder / f"{stem}.png", last)
    return {"frames": count, "fps": fps, "width": width, "height": height,
            "seconds": count / fps + style.hold_seconds}


def _write_png(path: Path, pixels: np.ndarray) -> None:
    import imageio.v3 as imageio  # only needed when rendering

    imageio.imwrite(path, pixels, extension=".png")


def _save_static(figure: Figure, folder: Path, stem: str) -> None:
    canvas = FigureCanvasAgg(figure)
    canvas.print_png(str(folder / f"{stem}.png"), metadata={"Software": None})
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    (folder / f"{stem}.svg").write_text(buffer.getvalue(), encoding="utf-8")


def _band(axes, epochs: np.ndarray, losses: np.ndarray, color: str, label: str) -> None:
    with np.errstate(all="ignore"):
        finite = np.where(np.isfinite(losses), losses, np.nan)
        median = np.nanmedian(finite, axis=1)
        low, high = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    axes.fill_between(epochs, low, high, color=color, alpha=0.18, linewidth=0)
    axes.plot(epochs, median, color=color, lw=2, label=label)


def _loss_axes(axes, epochs: int, floor: float, losses: np.ndarray) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(1, epochs)
    axes.set_ylim(*_loss_limits(losses, floor))
    axes.set_xlabel("epoch (log scale)")
    axes.set_ylabel("training error (MSE)")
    if floor > 0:
        axes.axhline(floor, color=FLOOR, lw=1.2, ls=(0, (4, 3)), label="noise floor")


def write_loss_plot(panel: Panel, folder: Path, stem: str, style: Style) -> None:
    """All seeds of one net: faint seed curves, the median, and the min–max band."""
    figure, _ = _figure(style.width, style.height, style.dpi)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.1, right=0.97, bottom=0.15, top=0.88)
    samples = _loss_samples(panel.epochs)
    epochs, losses = samples + 1, panel.losses[samples]
    _loss_axes(axes, panel.epochs, panel.data.noise_floor, losses)
    for column in range(losses.shape[1]):
        axes.plot(epochs, losses[:, column], color=panel.color, lw=0.7, alpha=0.35)
    _band(axes, epochs, losses, panel.color, f"median of {losses.shape[1]} seeds")
    axes.set_title(f"{panel.label}: every seed, median and range", loc="left")
    axes.legend(loc="lower left", frameon=False, fontsize=9)
    _save_static(figure, folder, stem)


def write_comparison_loss_plot(panels: list[Panel], folder: Path, stem: str, style: Style) -> None:
    """The median and min–max band of every net on one plot."""
    figure, _ = _figure(style.width, style.height + 50, style.dpi)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.9)
    epochs = max(panel.epochs for panel in panels)
    all_losses = np.concatenate([p.losses[_loss_samples(p.epochs)] for p in panels], axis=1) \
        if len({p.epochs for p in panels}) == 1 else np.concatenate(
            [p.losses[_loss_samples(p.epochs)].ravel() for p in panels])[:, None]
    _loss_axes(axes, epochs, panels[0].data.noise_floor, all_losses)
    for panel in panels:
        samples = _loss_samples(panel.epochs)
        _band(axes, samples + 1, panel.losses[samples], panel.color, panel.label)
    axes.set_title("median training error per net (bands: range over seeds)", loc="left")
    axes.legend(loc="lower left", frameon=False, fontsize=9, ncol=2)
    _save_static(figure, folder, stem)
