"""Data on the plane: every generator's shape, labels and determinism, the split, the features."""

from __future__ import annotations

import numpy as np
import pytest

from tinynets.engine import plane
from tinynets.posts import schema
from tinynets.posts.plane import GRID_SIDE, PlaneSpec


@pytest.mark.parametrize("function", schema.PLANE_FUNCTIONS)
def test_generator_shape_labels_and_determinism(function):
    spec = PlaneSpec(function, points=101, noise=0.1, seed=3, extent=6.0)
    coordinates, targets = plane.generate(spec)
    assert coordinates.shape == (101, 2) and targets.shape == (101,)
    assert np.isfinite(coordinates).all() and np.isfinite(targets).all()
    again = plane.generate(spec)
    assert coordinates.tobytes() == again[0].tobytes() and targets.tobytes() == again[1].tobytes()
    other = plane.generate(PlaneSpec(function, points=101, noise=0.1, seed=4, extent=6.0))
    assert not np.array_equal(coordinates, other[0])
    if spec.classification:
        assert set(np.unique(targets)) == {0.0, 1.0}
        assert (targets == 0).sum() == 51 and (targets == 1).sum() == 50  # halves, odd: one more 0
    else:
        assert len(np.unique(targets)) > 90  # a surface, not labels
    # Points stay near the square the figures draw (jitter may push a few slightly out).
    assert np.abs(coordinates).max() < 6.0 * 1.6


def test_noise_free_classes_are_what_their_names_say():
    circle, labels = plane.generate(PlaneSpec("circle", points=200, noise=0.0, seed=0))
    radius = np.hypot(circle[:, 0], circle[:, 1])
    assert radius[labels == 1].max() <= 3.0 and radius[labels == 0].min() >= 0.7 * 6.0
    xor, labels = plane.generate(PlaneSpec("xor", points=200, noise=0.0, seed=0))
    np.testing.assert_array_equal(labels, (xor[:, 0] * xor[:, 1] > 0).astype(float))
    blobs, labels = plane.generate(PlaneSpec("gaussians", points=400, noise=0.0, seed=0))
    assert blobs[labels == 1].mean(0) == pytest.approx([2.4, 2.4], abs=0.4)
    assert blobs[labels == 0].mean(0) == pytest.approx([-2.4, -2.4], abs=0.4)
    spiral, labels = plane.generate(PlaneSpec("spiral", points=200, noise=0.0, seed=0))
    # The two arms are the same arm turned half a turn: point for point, negated.
    arm0 = spiral[labels == 0][np.argsort(np.hypot(*spiral[labels == 0].T))]
    arm1 = spiral[labels == 1][np.argsort(np.hypot(*spiral[labels == 1].T))]
    np.testing.assert_allclose(arm0, -arm1, atol=1e-9)
    waves, targets = plane.generate(PlaneSpec("waves", points=50, noise=0.0, seed=0))
    np.testing.assert_allclose(targets, np.sin(np.pi * waves[:, 0] / 6) *
                               np.cos(np.pi * waves[:, 1] / 6))


def test_moons_interleave():
    moons, labels = plane.generate(PlaneSpec("moons", points=400, noise=0.0, seed=0))
    # The upper moon (0) lies above the lower one (1) at the centre, and they overlap in x.
    assert moons[labels == 0][:, 1].mean() > moons[labels == 1][:, 1].mean()
    assert moons[labels == 0][:, 0].max() > moons[labels == 1][:, 0].min()


def test_noise_jitters_points_but_keeps_labels():
    clean = plane.generate(PlaneSpec("circle", points=100, noise=0.0, seed=5))
    noisy = plane.generate(PlaneSpec("circle", points=100, noise=0.5, seed=5))
    assert not np.allclose(clean[0], noisy[0])
    assert sorted(clean[1]) == sorted(noisy[1])
    shift = np.linalg.norm(noisy[0] - clean[0], axis=1)
    assert 0.3 < shift.mean() < 1.0  # about 0.5·√(π/2) for an isotropic 2-D Gaussian


def test_split_holds_out_the_test_fraction_once_per_data_seed():
    spec = PlaneSpec("xor", points=100, noise=0.1, seed=2, test_fraction=0.3)
    split = plane.plane_arrays(spec)
    assert split.x_train.shape == (70, 2) and split.x_test.shape == (30, 2)
    assert spec.training_count == 70 and spec.test_count == 30
    # Together they are every point, each once.
    everything = np.concatenate([split.points_train, split.points_test])
    coordinates, _ = plane.generate(spec)
    assert sorted(map(tuple, everything)) == sorted(map(tuple, coordinates.astype(np.float32)))
    assert split.y_train.dtype == np.float32 and split.x_train.dtype == np.float32
    again = plane.plane_arrays(spec)
    assert split.x_test.tobytes() == again.x_test.tobytes()
    none_held = plane.plane_arrays(PlaneSpec("xor", points=100, noise=0.1, seed=2,
                                             test_fraction=0.0))
    assert none_held.x_test.shape == (0, 2) and none_held.x_train.shape == (100, 2)


def test_default_split_is_half():
    assert PlaneSpec("moons", points=81, noise=0.1, seed=0).test_count == 40


def test_features_are_the_named_functions_of_the_coordinates():
    coordinates = np.array([[1.0, 2.0], [-0.5, 3.0]])
    names = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin(x1)", "sin(x2)")
    got = plane.features(coordinates, names)
    expected = np.array([[1, 2, 1, 4, 2, np.sin(1), np.sin(2)],
                         [-0.5, 3, 0.25, 9, -1.5, np.sin(-0.5), np.sin(3)]], dtype=np.float32)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    spec = PlaneSpec("circle", points=20, noise=0.0, seed=0, features=("x1²", "x2²"))
    split = plane.plane_arrays(spec)
    assert split.x_train.shape == (10, 2) and spec.inputs == 2
    np.testing.assert_allclose(split.x_train, split.points_train ** 2, rtol=1e-5)
    # The grid is in plane coordinates, the nets see it through the features.
    np.testing.assert_allclose(split.grid_inputs, split.grid ** 2, rtol=1e-5)


def test_grid_covers_the_square_row_by_row():
    spec = PlaneSpec("circle", points=20, noise=0.0, seed=0, extent=2.0)
    grid = plane.plane_arrays(spec).grid
    assert grid.shape == (GRID_SIDE * GRID_SIDE, 2)
    assert grid.min() == -2.0 and grid.max() == 2.0
    image = grid[:, 1].reshape(GRID_SIDE, GRID_SIDE)
    assert (image[:, 0] == image[:, -1]).all()  # a row holds one x2; x1 varies along it
    assert grid[1, 0] > grid[0, 0] and grid[1, 1] == grid[0, 1]


# --- Validation of plane posts ------------------------------------------------------------------

POST = """---
title: T
date: 2026-01-01
seeds: 2
data: {DATA}
nets:
  n: {NET}
frames: {{count: 5}}
---
body
"""


def problems(tmp_path, data: str, net: str = "{layers: [4], epochs: 20, batch_size: 8}"):
    from tinynets.errors import SpecError
    from tinynets.posts.load import load_post

    (tmp_path / "posts").mkdir(exist_ok=True)
    path = tmp_path / "posts" / "p.md"
    path.write_text(POST.format(DATA=data, NET=net), encoding="utf-8")
    try:
        post = load_post(path, schema.Defaults())
    except SpecError as error:
        return path, error.problems
    return path, post


def test_a_plane_post_gives_nets_their_inputs_and_binary_cross_entropy(tmp_path):
    _, post = problems(tmp_path, "{function: moons, points: 60, features: [x1, x2, 'sin(x1)']}")
    assert isinstance(post.data, PlaneSpec) and post.data.features == ("x1", "x2", "sin(x1)")
    net = post.nets[0]
    assert (net.inputs, net.loss) == (3, "bce") and net.parameters == 3 * 4 + 4 + 4 + 1
    _, surface = problems(tmp_path, "{function: waves, points: 60}")
    assert (surface.nets[0].inputs, surface.nets[0].loss) == (2, "mse")
    assert surface.data.noise_floor == pytest.approx(0.01)


def test_unknown_and_repeated_features(tmp_path):
    path, found = problems(tmp_path, "{function: xor, features: [x1, x3, 'x1^2', 'x1²']}")
    assert found == [
        f"{path}:5: data.features[1]: unknown feature 'x3': choose from x1, x2, x1², x2², x1·x2, "
        "sin(x1), sin(x2).",
        f"{path}:5: data.features[3]: x1² is listed twice: list each feature once."]


def test_line_keys_are_refused_on_the_plane(tmp_path):
    path, found = problems(tmp_path, "{function: circle, x_range: [0, 1]}")
    assert found == [f"{path}:5: data.x_range: 'x_range' applies to the function sine, abs, "
                     "step, gaussian, polynomial only, not to circle: remove it."]


def test_a_loss_on_classification_data_is_refused(tmp_path):
    path, found = problems(tmp_path, "{function: spiral}", "{layers: [4], loss: mae}")
    assert found == [f"{path}:7: nets.n.loss: got 'mae', but classification data (labels 0 and "
                     "1) always trains with binary cross-entropy on a sigmoid output, as Keras "
                     "does: remove 'loss'."]


def test_a_split_that_leaves_nothing_to_train_on(tmp_path):
    path, found = problems(tmp_path, "{function: circle, points: 3, test_fraction: 0.9}",
                           "{layers: [4], batch_size: 1}")
    assert found == [f"{path}:5: data.points: 3 points split by test_fraction 0.9 leave 0 to "
                     "train on and 3 to test on: use more points."]


def test_batch_size_counts_training_points_only(tmp_path):
    path, found = problems(tmp_path, "{function: xor, points: 40}", "{layers: [4], batch_size: 32}")
    assert found == [f"{path}:7: nets.n.batch_size: got 32, but the data has only 20 training "
                     "points: use a batch size ≤ 20."]
