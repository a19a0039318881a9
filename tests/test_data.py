"""The 1-D data sets and the frame epochs: exact values, determinism of the noise, edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from tinynets.engine.data import GRID_POINTS, frame_epochs, grid, target, training_points
from tinynets.posts.model import DataSpec


def spec(function="sine", **settings) -> DataSpec:
    base = {"x_range": (-3.0, 3.0), "points": 40, "noise": 0.1, "seed": 0}
    return DataSpec(function, **{**base, **settings})


# ----------------------------------------------------------------------------- functions


def test_sine_with_frequency():
    x = np.array([0.0, np.pi / 4, np.pi / 2])
    np.testing.assert_allclose(target(spec("sine", frequency=2.0), x), [0.0, 1.0, 0.0], atol=1e-12)


def test_abs_step_gaussian_polynomial():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(target(spec("abs", center=1.0), x), [2.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(target(spec("step", center=1.0), x), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_allclose(target(spec("gaussian", center=1.0, width=1.0), x),
                               [np.exp(-2.0), np.exp(-0.5), 1.0, np.exp(-0.5)])
    np.testing.assert_allclose(target(spec("polynomial", coefficients=(1.0, -2.0, 0.5)), x),
                               [3.5, 1.0, -0.5, -1.0])


def test_unknown_function_is_refused():
    with pytest.raises(ValueError) as raised:
        target(spec("cosine"), np.zeros(2))
    assert str(raised.value) == "unknown function 'cosine'"


# ----------------------------------------------------------------------------- points and noise


def test_training_points_shape_range_and_dtype():
    x, y = training_points(spec())
    assert x.shape == y.shape == (40,)
    assert x.dtype == y.dtype == np.float32
    assert x[0] == -3.0 and x[-1] == 3.0 and np.all(np.diff(x) > 0)


def test_noise_is_deterministic_per_seed():
    first, again = training_points(spec(seed=5)), training_points(spec(seed=5))
    assert first[1].tobytes() == again[1].tobytes()
    other = training_points(spec(seed=6))
    assert not np.array_equal(first[1], other[1])


def test_noise_depends_on_the_seed_only_not_on_the_function():
    x, sine = training_points(spec("sine", seed=3))
    _, step = training_points(spec("step", seed=3, center=0.0))
    noise_sine = sine - target(spec("sine"), x.astype(np.float64))
    noise_step = step - target(spec("step", center=0.0), x.astype(np.float64))
    np.testing.assert_allclose(noise_sine, noise_step, atol=1e-6)


def test_zero_noise_gives_the_target_exactly():
    data = spec(noise=0.0)
    x, y = training_points(data)
    np.testing.assert_array_equal(y, target(data, np.linspace(-3.0, 3.0, 40)).astype(np.float32))
    assert data.noise_floor == 0.0


def test_noise_has_the_declared_spread():
    data = DataSpec("sine", (0.0, 10.0), points=20000, noise=0.3, seed=1)
    x, y = training_points(data)
    residual = y - target(data, np.linspace(0.0, 10.0, 20000))
    assert abs(residual.std() - 0.3) < 0.01 and abs(residual.mean()) < 0.01
    assert data.noise_floor == pytest.approx(0.09)


def test_grid_is_dense_over_the_data_range():
    g = grid(spec())
    assert GRID_POINTS >= 200 and g.shape == (GRID_POINTS,) and g.dtype == np.float32
    assert g[0] == -3.0 and g[-1] == 3.0 and np.all(np.diff(g) > 0)


# ----------------------------------------------------------------------------- frame epochs


def test_frame_epochs_documented_examples():
    assert frame_epochs(10, 4, "linear") == [0, 3, 7, 10]
    assert frame_epochs(5000, 6) == [0, 1, 8, 71, 595, 5000]


@pytest.mark.parametrize("spacing", ["geometric", "linear"])
@pytest.mark.parametrize("epochs, count", [
    (5000, 150), (5000, 2), (5000, 3), (30, 12), (30, 31), (1, 2), (2, 3), (100, 100), (7, 8),
    (1000, 999),
])
def test_frame_epochs_invariants(epochs, count, spacing):
    frames = frame_epochs(epochs, count, spacing)
    assert len(frames) == count  # exactly count frames
    assert len(set(frames)) == count  # all distinct
    assert frames == sorted(frames)
    assert frames[0] == 0 and frames[-1] == epochs


def test_two_geometric_frames_are_the_first_and_the_last_epoch():
    assert frame_epochs(5000, 2) == [0, 5000]


def test_more_frames_than_epochs_plus_one_gives_every_epoch():
    assert frame_epochs(5, 50) == [0, 1, 2, 3, 4, 5]
    assert frame_epochs(5, 50, "linear") == [0, 1, 2, 3, 4, 5]


def test_geometric_is_dense_early_and_linear_is_even():
    geometric = frame_epochs(5000, 150)
    assert geometric[:10] == list(range(10))
    gaps = np.diff(geometric)
    assert gaps[-1] > 100 * gaps[0]
    linear = frame_epochs(5000, 11, "linear")
    assert linear == [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]


@pytest.mark.parametrize("epochs, count, spacing, message", [
    (0, 5, "linear", "frame_epochs needs epochs ≥ 1 and count ≥ 2, got 0 and 5"),
    (10, 1, "linear", "frame_epochs needs epochs ≥ 1 and count ≥ 2, got 10 and 1"),
    (10, 5, "log", "unknown frame spacing 'log': geometric or linear"),
])
def test_frame_epochs_refuses_impossible_requests(epochs, count, spacing, message):
    with pytest.raises(ValueError) as raised:
        frame_epochs(epochs, count, spacing)
    assert str(raised.value) == message


@pytest.mark.parametrize("function, settings", [
    ("sine", {"frequency": 2.0}), ("abs", {"center": 0.5}), ("step", {"center": -0.25}),
    ("gaussian", {"center": 1.0, "width": 0.7}), ("polynomial", {"coefficients": (1.0, -0.5, 0.2)}),
])
def test_validation_computes_the_same_target_as_training(function, settings):
    """posts checks the target in plain Python (no numpy in validation): the same formulas
    (posts.functions) give the same numbers, the polynomial's to the bit."""
    from tinynets.posts.functions import training_inputs, true_function

    data = spec(function, **settings)
    x = np.linspace(*data.x_range, data.points)
    np.testing.assert_allclose(training_inputs(data), x, rtol=0, atol=1e-12)
    np.testing.assert_allclose([true_function(data, value) for value in x], target(data, x),
                               rtol=1e-12, atol=1e-12)
    if function in ("abs", "step", "polynomial"):
        assert [true_function(data, value) for value in x] == list(target(data, x))


def test_a_data_spec_without_center_puts_it_in_the_middle_of_its_range():
    assert DataSpec("abs", (2.0, 4.0), points=10, noise=0.1, seed=0).center == 3.0
    assert spec("step", x_range=(-3.0, 5.0)).center == 1.0
    assert spec("step", center=-1.0).center == -1.0
    assert spec("step").canonical() == spec("step", center=0.0).canonical()
