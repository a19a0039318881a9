"""Sizes of the figures whose size depends on what they show (the comparison, a sweep's heatmap
and grid), shared by the renderer and the page (which must not import matplotlib or numpy on a
warm build).

>>> grid_shape(4), comparison_size(4, 800, 350), comparison_size(4, 800, 350, plane=True)
((2, 2), (800, 602), (800, 692))
>>> heatmap_size(2, 2), grid_size(*grid_layout(("layers", "learning_rate"), ((4, 8), (0.1, 1)), 4))
((800, 260), (800, 540))
"""

from __future__ import annotations


def grid_shape(count: int) -> tuple[int, int]:
    """(rows, columns) for ``count`` panels side by side: at most 3 columns, 2 for four."""
    columns = count if count <= 3 else (2 if count == 4 else 3)
    return -(-count // columns), columns


def panel_height_of(columns: int, width: int) -> float:
    """Height in pixels of one panel row: half a panel's width, plus room for its title."""
    return (width / columns) * 0.5 + 40


# The plane's comparison: each net's heatmap at 3 pixels a cell (of 64), with its title above
# and, under it, its tick labels, its x axis' title and its accuracy.
PLANE_CELL_SCALE = 3
PLANE_CELL_EXTRA = 26 + 72 + 6


def comparison_size(count: int, width: int, height: int, plane: bool = False) -> tuple[int, int]:
    """Pixel size of the comparison animation of ``count`` nets (height even, for VP9); on the
    plane (``plane``), of their heatmaps."""
    rows, columns = grid_shape(count)
    if plane:  # the epoch line, two legend rows, the cells
        return width, int(round((44 + 56 + rows * (PLANE_CELL_SCALE * 64 + PLANE_CELL_EXTRA))
                                / 2)) * 2
    # the epoch line, the legend row, the panels' titles, the x axis' ticks and title
    return width, int(round(max(height, 44 + 26 + 30 + 22 + rows * panel_height_of(columns, width))
                            / 2)) * 2


def heatmap_size(rows: int, columns: int, width: int = 800) -> tuple[int, int]:
    """Pixel size of a heatmap: square-ish cells, at most 70 px tall."""
    cell = min(70, (width - 260) / max(columns, 1) * 0.62)
    return width, int(round((120 + rows * cell) / 2)) * 2


def grid_layout(sweep_keys: tuple, values: tuple, count: int) -> tuple[int, int]:
    """(rows, columns) of the small multiples: the first key down, the second across; one key
    (or three) fills rows of up to six."""
    if len(sweep_keys) == 2:
        return len(values[0]), len(values[1])
    columns = min(6, count)
    return -(-count // columns), columns


def grid_size(rows: int, columns: int, width: int = 800) -> tuple[int, int]:
    """Pixel size of the grid animation (height even, for VP9)."""
    tile = (width - 110) / columns
    # the epoch line, the legend row, the keys' titles and values, then the cells
    return width, int(round((112 + rows * tile * 0.62) / 2)) * 2


def wide_plot_size(width: int, height: int) -> tuple[int, int]:
    """Pixel size of the plots whose legend names many lines (the comparison's loss plot, the
    sweep plot): 50 px taller than a net's own."""
    return width, height + 50
