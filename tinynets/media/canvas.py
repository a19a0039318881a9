"""The frame machinery every figure kind shares: the look (fonts, colours, matplotlib settings),
figures on the Agg canvas, moving text stamped from cached glyphs, blitted frames, and the
writers that turn frames and static figures into files. The words on a figure (titles, legends,
axis names) are tinynets.media.labels'.

An animation is a ``Blitter``: its static parts are drawn once (``snapshot_background``); per
frame only the moving artists are restored and redrawn (``blit``), and the raw pixels go straight
to ffmpeg (``write_animation``, see ``encode``). Matplotlib runs with no GUI. Fonts are large for
an 800-pixel figure on purpose: on a phone the figure is shown at about 45 %, and tick labels
must still be readable there.

>>> tick_text(-1.0), tick_text(0.5), tick_text(1000.0)
('\u22121', '0.5', '1,000')
>>> Style().width, Style().height
(800, 350)
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

from tinynets.escaping import MATPLOTLIB_RC  # noqa: E402
from tinynets.media.encode import Encoder, gif_fps  # noqa: E402

INK, MUTED, FAINT, FLOOR, GRID = "#1f1f1f", "#555555", "#9a9a9a", "#444444", "#e6e6e6"
# The data every 1-D figure draws under the nets: the true function (a thick light line, 3:1 on
# white, the least a mark that carries meaning may have under WCAG 2.1's 1.4.11) and the
# training points (darker, so that they read on top of it).
TRUTH, POINTS = "#949494", "#555555"
BACKGROUND = "#ffffff"  # every figure's; text contrast is measured against it
SWATCH_PX, SWATCH_GAP_PX = 22, 7  # the line in a net's colour that heads its title, and the gap
SMALL_SWATCH = (16, 5)  # (length, gap) beside the smaller titles of panels side by side

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


def new_figure(width: int, height: int, dpi: int) -> tuple[Figure, FigureCanvasAgg]:
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    return figure, FigureCanvasAgg(figure)


def relative_luminance(color) -> float:
    """WCAG 2.1's relative luminance of a colour (any matplotlib colour: '#E69F00', 'white')."""
    from matplotlib.colors import to_rgb

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in to_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second=BACKGROUND) -> float:
    """WCAG 2.1's contrast ratio of two colours, 1 to 21 (AA: text ≥ 4.5, marks ≥ 3).

    >>> round(contrast_ratio("#E69F00"), 2), round(contrast_ratio(INK), 1)
    (2.25, 16.5)
    """
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixel_box(left: float, top: float, right: float, bottom: float, width: float,
              height: float) -> tuple[float, float, float, float]:
    """(x0, y0, w, h) in figure fractions of a box given in pixels from the top left."""
    return left / width, 1 - bottom / height, (right - left) / width, (bottom - top) / height


def fit_margins(figure, canvas, axes_list, pad: float = 6) -> None:
    """Move the left, right and bottom edges of ``axes_list`` (a static figure's plots, side by
    side; their tops stay) so that their tick labels and axis titles end ``pad`` pixels inside
    the figure: a long tick label ("0.0001"), one centred on the last epoch ("1,000") or an
    axis title's descenders are never cut, and short ones leave no blank margin."""
    renderer = canvas.get_renderer()
    width = canvas.get_width_height()[0]
    height = canvas.get_width_height()[1]
    first, last = axes_list[0], axes_list[-1]
    for _ in range(3):  # moving an edge can move a tick label: further passes settle it
        boxes = [axes.get_tightbbox(renderer) for axes in axes_list]
        spill_left = pad - boxes[0].x0
        spill_right = boxes[-1].x1 - (width - pad)
        spill_bottom = pad - min(box.y0 for box in boxes)
        if max(abs(spill_left), abs(spill_right), abs(spill_bottom)) <= 0.5:
            return
        for axes in axes_list:
            box = axes.get_position()
            shift = spill_left / width if axes is first else 0
            cut = spill_right / width if axes is last else 0
            rise = spill_bottom / height
            axes.set_position([box.x0 + shift, box.y0 + rise, box.width - shift - cut,
                               box.height - rise])


def with_gaps(values: np.ndarray) -> np.ndarray:
    """A float copy with inf replaced by NaN (drawn as a gap)."""
    values = np.array(values, dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def clip(values: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """Keep diverged (NaN/huge) predictions from wrecking the drawing: gaps and clipping."""
    span = limits[1] - limits[0]
    return np.clip(with_gaps(values), limits[0] - span, limits[1] + span)


def tick_text(value: float, _position=None) -> str:
    """Tick labels: '-1', '0.5', '1,000', with a real minus sign."""
    text = f"{value:,.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:g}"
    return text.replace("-", "\u2212")


class Stamp:
    """Text that changes every frame, stamped from cached character bitmaps.

    Matplotlib lays out and rasterises a text anew on every draw (about 3 ms each, most of a
    frame's cost); stamping cached, non-anti-aliased bitmaps of its characters costs
    microseconds. Characters are placed by their advance widths (no kerning: meant for
    numbers). ``x, y`` is the left end of the baseline in pixels from the top left (``ha``
    "right": the right end).

    >>> figure, canvas = new_figure(200, 60, dpi=100)
    >>> stamp = Stamp(canvas, fontsize=14, color="#1f1f1f")
    >>> stamp.set("5,000", x=20, y=40)
    >>> canvas.draw()
    >>> stamp.draw(np.asarray(canvas.buffer_rgba()))  # into the canvas' own pixels
    >>> box = stamp.extent()  # display pixels, from the bottom left
    >>> bool(20 <= box.x0 < box.x1 < 100 and box.y1 > 60 - 40)  # right of x, above the baseline
    True
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


class Blitter:
    """Shared frame machinery: a background drawn once, moving artists redrawn per frame."""

    figure: Figure
    canvas: FigureCanvasAgg

    def snapshot_background(self) -> None:
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def blit(self, artists) -> np.ndarray:
        """Redraw ``artists`` (and stamps) over the background; return the RGBA buffer (a view)."""
        self.canvas.restore_region(self.background)
        stamps = []
        for artist in artists:
            if isinstance(artist, Stamp):
                stamps.append(artist)
            else:
                self.figure.draw_artist(artist)
        buffer = np.asarray(self.canvas.buffer_rgba())
        for stamp in stamps:
            stamp.draw(buffer)
        return buffer

    def baseline(self, text) -> tuple[float, float]:
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
        return self.blit(self.update(index))

    @property
    def size(self) -> tuple[int, int]:
        return self.canvas.get_width_height()

    def __len__(self) -> int:
        return len(self.timeline)


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


def save_static(figure: Figure, folder: Path, stem: str) -> None:
    canvas = FigureCanvasAgg(figure)
    canvas.print_png(str(folder / f"{stem}.png"), metadata={"Software": None})
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    (folder / f"{stem}.svg").write_text(buffer.getvalue(), encoding="utf-8")
