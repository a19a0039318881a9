"""One net's recording on the plane, ready to draw (``PlanePanel``), and the colours the plane
is drawn in: the four bands of its predicted value, the classes' points, the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinynets.escaping import figure_text
from tinynets.media.canvas import with_gaps
from tinynets.posts.plane import GRID_SIDE

# Orange (0) to purple (1): PuOr, the ColorBrewer diverging map that stays distinct for the
# common colour-vision deficiencies, in light tints so that the points on top stand out. Four
# bands (0–0.25–0.5–0.75–1: sure and unsure on either side of the boundary): a band changes only
# when a prediction crosses a level, which keeps the frames' changes (and the GIF) small.
LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
BANDS = ("#f1a340", "#fee0b6", "#d8daeb", "#998ec3")
CLASS_COLORS = {0: "#b35806", 1: "#542788"}  # the map's two ends, saturated
BOUNDARY = "#1f1f1f"
BOUNDARY_RGB = (0x1f, 0x1f, 0x1f)


@dataclass
class PlanePanel:
    """One net's recording on the plane, ready to draw."""

    name: str
    label: str
    color: str
    classification: bool
    frame_epochs: np.ndarray  # (frames,)
    grid: np.ndarray  # (GRID_SIDE², 2) plane coordinates
    predictions: np.ndarray  # (frames, seeds, GRID_SIDE²)
    losses: np.ndarray  # (epochs, seeds)
    test_losses: np.ndarray | None
    accuracy: np.ndarray | None
    test_accuracy: np.ndarray | None
    points_train: np.ndarray  # (n, 2)
    y_train: np.ndarray
    points_test: np.ndarray
    y_test: np.ndarray
    representative: int
    data: object = None  # the data spec (its noise floor, drawn on loss plots when known)
    seed: int | None = None  # the shown seed's number (None: not named)

    @property
    def epochs(self) -> int:
        return len(self.losses)

    @property
    def targets(self) -> np.ndarray:
        """Every point's target (what sets the scale of a regression's training error)."""
        return np.concatenate([self.y_train, self.y_test])

    @property
    def axis_names(self) -> tuple[str, str]:
        """The plane's axes: x1 and x2, or the columns of the author's file."""
        if self.data is not None and self.data.from_file:
            return tuple(figure_text(name) for name in self.data.x_columns)
        return "x1", "x2"

    @property
    def title(self) -> str:
        return figure_text(self.label)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The plane the image covers: the grid's cell centres plus half a cell around."""
        low, high = self.grid[0], self.grid[-1]
        half = (high - low) / (GRID_SIDE - 1) / 2
        return (float(low[0] - half[0]), float(high[0] + half[0]), float(low[1] - half[1]),
                float(high[1] + half[1]))

    def image(self, frame: int) -> np.ndarray:
        """The representative seed's predictions at ``frame`` as a (side, side) image."""
        values = with_gaps(self.predictions[frame, self.representative])
        return values.reshape(GRID_SIDE, GRID_SIDE)

    def value_limits(self) -> tuple[float, float]:
        if self.classification:
            return 0.0, 1.0
        high = float(np.max(np.abs(np.concatenate([self.y_train, self.y_test])))) or 1.0
        return -high, high
