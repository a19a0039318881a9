"""Data with two inputs: the plane's generated sets and their settings (read by ``posts.load``).

A ``PlaneSpec`` names a generator (``circle``, ``xor``, ``gaussians``, ``spiral``, ``moons`` for
classification with labels 0/1; ``waves`` for a regression surface), how many points it draws,
the share held out for testing and the input features the nets see. The points themselves are
drawn by ``tinynets.engine.plane``; this module stays free of numpy so that a warm build can
fingerprint runs without importing it.

Example:
    >>> spec = PlaneSpec("circle", points=200, noise=0.1, seed=0)
    >>> spec.classification, spec.inputs, spec.training_count
    (True, 2, 100)
"""

from __future__ import annotations

from dataclasses import dataclass

from tinynets.posts import schema

GRID_SIDE = 64  # predictions are recorded on a GRID_SIDE × GRID_SIDE grid over the plane


def normal_feature(name: str) -> str | None:
    """A feature's canonical spelling ('x1^2' → 'x1²'), or None if there is no such feature."""
    name = schema.FEATURE_SPELLINGS.get(name.replace(" ", ""), name.replace(" ", ""))
    return name if name in schema.FEATURES else None


@dataclass(frozen=True)
class PlaneSpec:
    """A generated data set on the plane [−extent, extent]², split into training and test."""

    function: str
    points: int
    noise: float
    seed: int
    extent: float = 6.0
    test_fraction: float = 0.5
    features: tuple[str, ...] = ("x1", "x2")
    # The answers of the DataSet protocol (tinynets.posts.model) that do not depend on settings.
    from_file = False
    has_true_function = True

    @property
    def classification(self) -> bool:
        return self.function in schema.PLANE_CLASSES

    @property
    def dimensions(self) -> int:
        """Coordinates of a point (the plane: 2)."""
        return 2

    @property
    def inputs(self) -> int:
        """Inputs of the nets: one per feature."""
        return len(self.features)

    @property
    def test_count(self) -> int:
        return int(round(self.points * self.test_fraction))

    @property
    def training_count(self) -> int:
        return self.points - self.test_count

    @property
    def noise_floor(self) -> float | None:
        """The surface's noise variance; None for classification (no error floor is known)."""
        return None if self.classification else self.noise**2

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(x1 low, x1 high, x2 low, x2 high) of the drawn square."""
        return (-self.extent, self.extent, -self.extent, self.extent)

    def canonical(self) -> dict:
        """The keys that change the data (for fingerprints), and the grid the nets are drawn on."""
        return {"function": self.function, "points": self.points, "noise": self.noise,
                "seed": self.seed, "extent": self.extent, "test_fraction": self.test_fraction,
                "features": list(self.features), "grid": GRID_SIDE}
