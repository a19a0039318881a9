"""The points of data sets with two inputs (and of CSV files): generators, split, features, grid.

Every generator draws ``points`` points from one seeded generator and returns them in a seeded
random order; the first ``test_count`` of that order are the test set, the rest the training set,
so a data seed fixes both. Classification sets have labels 0 and 1 in equal shares (one more 0
for an odd count); ``waves`` is the smooth surface sin(π·x1/extent)·cos(π·x2/extent).

Example:
    >>> from tinynets.posts.plane import PlaneSpec
    >>> split = plane_arrays(PlaneSpec("xor", points=20, noise=0.0, seed=1))
    >>> split.x_train.shape, split.x_test.shape, split.grid_inputs.shape
    ((10, 2), (10, 2), (4096, 2))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinynets.posts.plane import GRID_SIDE, PlaneSpec


@dataclass
class Split:
    """Training and test points as the nets see them (features), and the grid of predictions."""

    x_train: np.ndarray  # (training points, inputs) float32
    y_train: np.ndarray  # (training points,) float32
    x_test: np.ndarray  # (test points, inputs)
    y_test: np.ndarray  # (test points,)
    points_train: np.ndarray  # (training points, 2): plane coordinates, for drawing
    points_test: np.ndarray  # (test points, 2)
    grid: np.ndarray  # (GRID_SIDE², 2): plane coordinates, rows of x2, x1 varying fastest
    grid_inputs: np.ndarray  # (GRID_SIDE², inputs): the grid as the nets see it


def _labels(points: int) -> np.ndarray:
    """Half zeros then half ones (one more zero for an odd count)."""
    return (np.arange(points) >= points - points // 2).astype(np.float64)


def _circle(rng, points: int, extent: float):
    """Label 1 inside radius extent/2, label 0 on a ring from 0.7 to 1 × extent."""
    labels = _labels(points)
    radius = np.where(labels == 1, rng.uniform(0, 0.5, points), rng.uniform(0.7, 1.0, points))
    angle = rng.uniform(0, 2 * np.pi, points)
    return extent * np.stack([radius * np.sin(angle), radius * np.cos(angle)], 1), labels


def _xor(rng, points: int, extent: float):
    """Uniform on the square, kept a little off the axes; label 1 where x1·x2 > 0."""
    corners = rng.uniform(0.05, 1.0, (points, 2)) * extent
    labels = _labels(points)
    # Class 1 sits in quadrants I and III, class 0 in II and IV; which of the two is random.
    flip = rng.integers(0, 2, points) * 2 - 1
    signs = np.stack([flip, np.where(labels == 1, flip, -flip)], 1)
    return corners * signs, labels


def _gaussians(rng, points: int, extent: float):
    """Two round blobs (sd extent/5) centred at ±(0.4, 0.4) × extent; label 1 the upper one."""
    labels = _labels(points)
    centres = np.where(labels[:, None] == 1, 0.4, -0.4) * extent
    return centres + rng.normal(0, extent / 5, (points, 2)), labels


def _spiral(rng, points: int, extent: float):
    """Two interleaved arms, each turning 1.75 times from the centre out to the extent."""
    labels = _labels(points)
    counts = {0: int((labels == 0).sum()), 1: int((labels == 1).sum())}
    along = np.concatenate([np.arange(counts[0]) / max(counts[0], 1),
                            np.arange(counts[1]) / max(counts[1], 1)])
    angle = along * 1.75 * 2 * np.pi + np.where(labels == 1, np.pi, 0.0)
    radius = along * extent
    # The arms' small spread comes from the noise (jitter) only: the generator itself is exact.
    del rng
    return np.stack([radius * np.sin(angle), radius * np.cos(angle)], 1), labels


def _moons(rng, points: int, extent: float):
    """Two interleaving half circles (as scikit-learn's make_moons), scaled to the extent."""
    labels = _labels(points)
    angle = rng.uniform(0, np.pi, points)
    upper = np.stack([np.cos(angle), np.sin(angle)], 1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], 1)
    shapes = np.where(labels[:, None] == 1, lower, upper)
    return (shapes - [0.5, 0.25]) * (extent / 1.5), labels


def _waves(rng, points: int, extent: float):
    """Uniform on the square; the target is a smooth surface with two hills and two valleys."""
    coordinates = rng.uniform(-extent, extent, (points, 2))
    return coordinates, waves_surface(coordinates, extent)


def waves_surface(coordinates: np.ndarray, extent: float) -> np.ndarray:
    """The noise-free ``waves`` target: sin(π·x1/extent)·cos(π·x2/extent)."""
    return np.sin(np.pi * coordinates[:, 0] / extent) * np.cos(np.pi * coordinates[:, 1] / extent)


GENERATORS = {"circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral,
              "moons": _moons, "waves": _waves}


def generate(spec: PlaneSpec) -> tuple[np.ndarray, np.ndarray]:
    """All ``spec.points`` points (plane coordinates) and their targets, in a seeded order.

    Noise is Gaussian jitter of the coordinates for classification (a jittered point keeps its
    label, so classes overlap as the noise grows) and Gaussian noise on the target for ``waves``.
    """
    rng = np.random.default_rng(spec.seed)
    coordinates, targets = GENERATORS[spec.function](rng, spec.points, spec.extent)
    if spec.classification:
        coordinates = coordinates + rng.normal(0, spec.noise, coordinates.shape)
    else:
        targets = targets + rng.normal(0, spec.noise, targets.shape)
    order = rng.permutation(spec.points)
    return coordinates[order], targets[order]


def features(coordinates: np.ndarray, names) -> np.ndarray:
    """The inputs the nets see: one column per feature name (x1, x2, x1², x2², x1·x2, sin(x1),
    sin(x2)), float32."""
    x1, x2 = coordinates[:, 0], coordinates[:, 1]
    columns = {"x1": x1, "x2": x2, "x1²": x1**2, "x2²": x2**2, "x1·x2": x1 * x2,
               "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.stack([columns[name] for name in names], 1).astype(np.float32)


def plane_grid(bounds: tuple[float, float, float, float], side: int = GRID_SIDE) -> np.ndarray:
    """(side², 2) coordinates over ``bounds``: row r holds x2 = r-th value, x1 varies fastest,
    so ``values.reshape(side, side)`` is an image with x2 upwards (origin='lower')."""
    x1 = np.linspace(bounds[0], bounds[1], side)
    x2 = np.linspace(bounds[2], bounds[3], side)
    first, second = np.meshgrid(x1, x2)
    return np.stack([first.ravel(), second.ravel()], 1)


def split_points(coordinates: np.ndarray, targets: np.ndarray, test_count: int, names,
                 bounds) -> Split:
    """The first ``test_count`` points are the test set, the rest the training set."""
    grid = plane_grid(bounds)
    return Split(
        x_train=features(coordinates[test_count:], names),
        y_train=targets[test_count:].astype(np.float32),
        x_test=features(coordinates[:test_count], names),
        y_test=targets[:test_count].astype(np.float32),
        points_train=coordinates[test_count:].astype(np.float32),
        points_test=coordinates[:test_count].astype(np.float32),
        grid=grid.astype(np.float32),
        grid_inputs=features(grid, names),
    )


def plane_arrays(spec) -> Split:
    """The split of a generated plane set or of a 2-column CSV data set."""
    if not spec.from_file:
        coordinates, targets = generate(spec)
    else:  # a CsvSpec with two x columns: its rows, in a seeded order
        coordinates = np.asarray(spec.x_values, dtype=np.float64)
        targets = np.asarray(spec.y_values, dtype=np.float64)
        order = np.random.default_rng(spec.seed).permutation(len(targets))
        coordinates, targets = coordinates[order], targets[order]
    return split_points(coordinates, targets, spec.test_count, spec.features, spec.bounds)
