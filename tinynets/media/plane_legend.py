"""The plane figures' legends: what the points, the boundary and the colour bands mean, as
legend entries and as a colour bar beside the heatmap.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from tinynets.media.canvas import FONT, INK, MUTED, pixel_box, tick_text
from tinynets.media.plane_panel import BANDS, BOUNDARY, CLASS_COLORS, LEVELS, PlanePanel

TEST_DASHES = (0, (4, 2))  # a test curve's line; a training curve's is solid


def _marker(color: str, filled: bool, size: float = 6) -> Line2D:
    """A legend handle: a point as the plane draws it, filled (training) or hollow (test)."""
    return Line2D([], [], ls="", marker="o", ms=size, mew=1.2 if not filled else 0.6,
                  mfc=color if filled else "none", mec=color if not filled else "white")


def point_entries(panel: PlanePanel, curves: bool = False) -> list[tuple]:
    """Legend entries of the points: per class its colour (filled and hollow), and what filled
    and hollow mean (with, for ``curves``, the training and test curves' line styles)."""
    entries = []
    if panel.classification:
        for label in (1, 0):
            color = CLASS_COLORS[label]
            entries.append(((_marker(color, True), _marker(color, False)), f"class {label}"))
    has_test = len(panel.points_test) > 0
    training = (_marker(INK, True),)
    test = (_marker(INK, False),)
    if curves:
        training += (Line2D([], [], color=panel.color, lw=2.2),)
        test += (Line2D([], [], color=panel.color, lw=1.8, ls=TEST_DASHES),)
    entries.append((training, "training"))
    if has_test:
        entries.append((test, "test"))
    return entries


def boundary_entry() -> tuple:
    return Line2D([], [], color=BOUNDARY, lw=2), "boundary"


def band_entry(panel: PlanePanel) -> tuple:
    """The colour bands as one legend entry, lowest to highest."""
    low, high = panel.value_limits()
    patches = tuple(Patch(facecolor=color, edgecolor="none") for color in BANDS)
    text = ("P(class 1): 0 to 1" if panel.classification
            else f"prediction: {tick_text(low)} to {tick_text(high)}")
    return patches, text


def color_bar(figure, canvas, panel: PlanePanel, left: float, top: float, height_px: float):
    """A vertical bar of the four colour bands at pixel (``left``, ``top``), its levels beside
    it and its name above it (what the heatmap's colours mean)."""
    from matplotlib.colors import ListedColormap

    width, height = canvas.get_width_height()
    low, high = panel.value_limits()
    name = "P(class 1)" if panel.classification else "prediction"
    figure.text(left / width, 1 - top / height, name, ha="left", va="top",
                fontsize=FONT["ticks"], color=INK)
    bar = figure.add_axes(pixel_box(left, top + 24, left + 14, top + 24 + height_px, width,
                                    height))
    bar.imshow(np.arange(len(BANDS))[::-1, None], cmap=ListedColormap(BANDS), aspect="auto",
               extent=(0, 1, low, high), interpolation="nearest")
    bar.set_xticks([])
    levels = [low + (high - low) * level for level in LEVELS]
    bar.set_yticks(levels[::2])
    bar.yaxis.set_major_formatter(FuncFormatter(
        (lambda value, _: f"{value:.0%}".replace("-", "\u2212")) if panel.classification
        else tick_text))
    bar.yaxis.tick_right()
    bar.tick_params(labelsize=FONT["ticks"], length=3, pad=2)
    for spine in bar.spines.values():
        spine.set_visible(True)
        spine.set_color(MUTED)
    if panel.classification:  # the boundary's level, marked on the bar as on the plane
        bar.axhline(low + (high - low) * 0.5, color=BOUNDARY, lw=2)
    return bar
