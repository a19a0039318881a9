"""Sizes of the figures whose size depends on what they show (the comparison, a sweep's heatmap
and grid), shared by the renderer and the page (which must not import matplotlib or numpy on a
warm build).

>>> grid_shape(4), comparison_size(4, 800, 350)
((2, 2), (800, 554))
>>> heatmap_size(2, 2), grid_size(*grid_layout(("layers", "learning_rate"), ((4, 8), (0.1, 1)), 4))
((800, 260), (800, 492))
"""

from __future__ import annotations


def grid_shape(count: int) -> tuple[int, int]:
    """(rows, columns) for ``count`` panels side by side: at most 3 columns, 2 for four."""
    columns = count if count <= 3 else (2 if count == 4 else 3)
    return -(-count // columns), columns


def panel_height_of(columns: int, width: int) -> float:
    """Height in pixels of one panel row: half a panel's width, plus room for its title."""
    return (width / columns) * 0.5 + 40


def comparison_size(count: int, width: int, height: int) -> tuple[int, int]:
    """Pixel size of the comparison animation of ``count`` nets (height even, for VP9)."""
    rows, columns = grid_shape(count)
    return width, int(round(max(height, 44 + 30 + rows * panel_height_of(columns, width)) / 2)) * 2


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
    return width, int(round((64 + rows * tile * 0.62) / 2)) * 2


def wide_plot_size(width: int, height: int) -> tuple[int, int]:
    """Pixel size of the plots whose legend names many lines (the comparison's loss plot, the
    sweep plot): 50 px taller than a net's own."""
    return width, height + 50
