"""Sizes of the comparison figure, shared by the renderer and the page (which must not import
matplotlib or numpy on a warm build).

>>> grid_shape(4), comparison_size(4, 800, 350)
((2, 2), (800, 554))
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
