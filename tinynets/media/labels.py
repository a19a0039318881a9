"""The words on a figure: a net's title behind a swatch of its colour, legends in rows, axis
titles, and text fitted to its space (shrunk, then cut with "…": author text may be any
length).

>>> from tinynets.media.canvas import new_figure
>>> figure, canvas = new_figure(200, 60, dpi=100)
>>> title = net_title(figure, canvas, 4, 4, "a long name for a net", "#0072B2", right=120)
>>> title.get_text().endswith("…")
True
"""

from __future__ import annotations

from tinynets.media.canvas import FONT, INK, SWATCH_GAP_PX, SWATCH_PX

def net_title(figure, canvas, left: float, top: float, text: str, color: str,
              right: float | None = None, fontsize: float = FONT["title"], **properties):
    """A net's name as a figure heads it: in dark ink (AA on white, whatever the net's colour),
    after a short line in the net's colour that says which lines are this net's.

    ``left``, ``top``: pixels from the figure's top left (where the swatch starts); ``right``:
    the pixel column the name must end before (it is shrunk, then cut: see ``fit_text``).
    Returns the name's ``Text``.
    """
    width, height = canvas.get_width_height()
    title = figure.text((left + SWATCH_PX + SWATCH_GAP_PX) / width, 1 - top / height, text,
                        ha="left", va="top", fontsize=fontsize, fontweight="bold", color=INK,
                        **properties)
    if right is not None:
        fit_text(title, canvas, right)
    add_swatch(figure, canvas, title, color)
    return title


def add_swatch(figure, canvas, text, color: str, length: float = SWATCH_PX,
               gap: float = SWATCH_GAP_PX):
    """The net's line (``length`` pixels) drawn ``gap`` pixels left of ``text`` (a title
    already placed), centred on its letters; returns it."""
    from matplotlib.lines import Line2D

    width, height = canvas.get_width_height()
    renderer = canvas.get_renderer()
    box = text.get_window_extent(renderer)
    # The middle of the lower-case letters: above the box's centre by about the descent.
    descent = renderer.get_text_width_height_descent("x", text.get_fontproperties(),
                                                     ismath=False)
    middle = box.y0 + descent[2] + descent[1] / 2 + 1
    right = box.x0 - gap
    swatch = Line2D([(right - length) / width, right / width], [middle / height] * 2,
                    transform=figure.transFigure, color=color, lw=4.5, solid_capstyle="butt")
    figure.add_artist(swatch)
    return swatch


def legend_row(figure, canvas, entries, left: float, top: float, right: float,
               fontsize: float = FONT["ticks"], columns: int | None = None):
    """A legend of ``entries`` ((handle, label) pairs) in one row (or ``columns`` a row) whose
    top left is at pixel (``left``, ``top``) from the figure's top left; if one row is wider
    than ``right - left`` pixels, it wraps into as few rows as fit. Returns the legend."""
    from matplotlib.legend_handler import HandlerTuple

    width, height = canvas.get_width_height()
    count = len(entries)
    # As few rows as fit, the entries spread evenly over them.
    tries = [columns] if columns else sorted({-(-count // rows) for rows in range(1, count + 1)},
                                             reverse=True)
    for per_row in tries:
        # Matplotlib fills a legend's columns one after another: ordered so, the entries read
        # row by row, left to right.
        handles, labels = zip(*[entry for column in range(per_row)
                                for entry in entries[column::per_row]])
        legend = figure.legend(
            handles, labels, loc="upper left", bbox_to_anchor=(left / width, 1 - top / height),
            ncols=per_row, frameon=False, fontsize=fontsize, borderaxespad=0, borderpad=0,
            handlelength=1.6, handletextpad=0.5, columnspacing=1.0, labelcolor=INK,
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)})
        box = legend.get_window_extent(canvas.get_renderer())
        if box.x1 <= right or per_row == 1:
            return legend
        legend.remove()
    return legend


def fit_text(text, canvas, right: float, smallest: float = 10) -> None:
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


def name_axes(axes, canvas, x_name: str, y_name: str, x_pad: float = 3,
              y_pad: float = 6) -> None:
    """Axis titles: ``x_name`` under the tick labels, ``y_name`` beside them, upright when it is
    a letter or two ("y", "x2"), along the axis when it is a word (a file's column name). A
    title longer than its axis is shrunk, then cut with "…" (author text may be any length)."""
    axes.set_xlabel(x_name, fontsize=FONT["text"], labelpad=x_pad, color=INK)
    upright = len(y_name) <= 2
    axes.set_ylabel(y_name, fontsize=FONT["text"], labelpad=y_pad, color=INK,
                    rotation=0 if upright else 90, ha="right" if upright else "center",
                    va="center" if upright else "bottom")
    box = axes.get_window_extent(canvas.get_renderer())
    fit_length(axes.xaxis.label, canvas, box.width)
    if not upright:
        fit_length(axes.yaxis.label, canvas, box.height)


def fit_length(text, canvas, pixels: float, smallest: float = 10) -> None:
    """Make ``text`` at most ``pixels`` long along its direction (level or upright): shrink
    it, then cut it with "…" (as ``fit_text`` does with a label)."""
    renderer = canvas.get_renderer()

    def length() -> float:
        box = text.get_window_extent(renderer)
        return box.height if text.get_rotation() % 180 == 90 else box.width

    while length() > pixels and text.get_fontsize() > smallest:
        text.set_fontsize(text.get_fontsize() - 1)
    full = text.get_text()
    kept = len(full)
    while length() > pixels and kept > 1:
        kept -= 1
        text.set_text(full[:kept].rstrip() + "…")


def fitted_text(figure, canvas, text: str, width: float, **properties) -> str:
    """``text`` as ``fit_text`` would cut it to ``width`` pixels at a fixed size (legends)."""
    probe = figure.text(0, 0, text, **properties)
    fit_text(probe, canvas, width, smallest=probe.get_fontsize())
    fitted = probe.get_text()
    probe.remove()
    return fitted
