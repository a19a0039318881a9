"""Measurements inside a net (bends, dead units, noise-free and held-out errors) on hand-built
nets, and the uncertainty helpers on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from tinynets.engine.data import target, training_points
from tinynets.measure import inside
from tinynets.measure.stats import prob_lower, rank_sum_p, ratio_interval
from tinynets.posts.model import DataSpec

DATA = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)


def one_hidden_layer(weights, biases, out=None):
    units = len(weights)
    out = np.ones(units) if out is None else np.asarray(out, float)
    return [(np.asarray([weights], float), np.asarray(biases, float)),
            (out[:, None], np.zeros(1))]


def test_kinks_of_one_hidden_layer_are_minus_b_over_w():
    weights, biases = [2.0, -0.5, 1.0, 0.0, 4.0], [1.0, 1.0, -2.5, 0.3, 20.0]
    found = inside.kinks(one_hidden_layer(weights, biases), "relu", (-3.0, 3.0))
    # −b/w: −0.5, 2.0, 2.5; the unit with w = 0 never switches; −5 lies outside [−3, 3].
    assert found.tolist() == [-0.5, 2.0, 2.5]


def test_kinks_of_a_deep_net_match_a_brute_force_scan():
    generator = np.random.default_rng(4)
    layers = [(generator.normal(size=(1, 6)), generator.normal(size=6)),
              (generator.normal(size=(6, 5)), generator.normal(size=5)),
              (generator.normal(size=(5, 1)), generator.normal(size=1))]
    found = inside.kinks(layers, "relu", (-3.0, 3.0))
    # Brute force: where the slope of the net's output changes, on a very fine grid.
    x = np.linspace(-3.0, 3.0, 600_001)
    output = inside.forward(layers, x, "relu")[1]
    slopes = np.diff(output) / np.diff(x)
    bends = np.flatnonzero(np.abs(np.diff(slopes)) > 1e-6)
    # Neighbouring steps around one bend are one bend: group them.
    groups = np.split(bends, np.flatnonzero(np.diff(bends) > 2) + 1)
    scanned = np.array([x[group].mean() + (x[1] - x[0]) for group in groups if group.size])
    assert len(found) >= 3, "the test net should bend several times"
    assert len(found) == len(scanned)
    np.testing.assert_allclose(found, scanned, atol=2 * (x[1] - x[0]))


def test_kinks_need_units_that_switch():
    with pytest.raises(ValueError, match="this net uses tanh"):
        inside.kinks(one_hidden_layer([1.0], [0.0]), "tanh", (-1, 1))


def test_dead_units_of_a_net_with_forced_dead_units():
    x_train, _ = training_points(DATA)  # inputs in [−3, 3]
    # Unit 2: w = 1, b = −5 is below 0 up to x = 5; unit 4: w = −1, b = −4; the others live.
    layers = one_hidden_layer([1.0, 1.0, -1.0, 0.5], [0.0, -5.0, 0.0, -4.0])
    assert inside.dead_units(layers, x_train, "relu") == 2
    # A second layer whose unit never switches on, fed by living units.
    deep = [layers[0], (np.array([[-1.0, 1.0], [0.0, 0.0], [-1.0, 1.0], [0.0, 0.0]]),
                        np.array([-0.1, 0.0])), (np.ones((2, 1)), np.zeros(1))]
    assert inside.dead_units(deep, x_train, "relu") == 3


def test_noise_free_error_of_a_net_that_predicts_the_truth_is_zero():
    grid = np.linspace(-3.0, 3.0, 240)
    truth = target(DATA, grid)
    assert inside.noise_free_errors(truth[None, :], truth)[0] == pytest.approx(0.0, abs=1e-12)
    assert inside.noise_free_errors((truth + 0.1)[None, :], truth)[0] == pytest.approx(0.01)
    # |x| is a ReLU net: relu(x) + relu(−x). Its noise-free error against |x| is 0 too.
    absolute = DataSpec("abs", (-3.0, 3.0), points=40, noise=0.1, seed=0)
    layers = one_hidden_layer([1.0, -1.0], [0.0, 0.0])
    predicted = inside.forward(layers, grid, "relu")[1]
    assert inside.noise_free_errors(predicted, target(absolute, grid)) == pytest.approx(0.0)


def test_held_out_points_are_fresh_and_their_error_is_the_noise_for_a_perfect_net():
    absolute = DataSpec("abs", (-3.0, 3.0), points=4000, noise=0.1, seed=0)
    x, y = inside.held_out_points(absolute, target)
    train_x, train_y = training_points(absolute)
    assert not np.isin(x, train_x).any()  # other inputs than the training points
    layers = one_hidden_layer([1.0, -1.0], [0.0, 0.0])
    assert inside.held_out_error(layers, "relu", x, y) == pytest.approx(0.01, rel=0.1)
    again = inside.held_out_points(absolute, target)
    np.testing.assert_array_equal(again[1], y)  # deterministic


def test_contributions_add_up_to_the_output():
    layers = one_hidden_layer([2.0, -0.5, 1.0], [1.0, 1.0, -2.5], out=[0.5, -1.0, 2.0])
    layers[1] = (layers[1][0], np.array([0.25]))
    x = np.linspace(-3, 3, 50)
    parts = inside.contributions(layers, x, "relu")
    np.testing.assert_allclose(parts.sum(axis=0) + 0.25, inside.forward(layers, x, "relu")[1])


def test_prob_lower_hand_cases():
    assert prob_lower([1.0, 2.0], [3.0, 4.0]) == 1.0
    assert prob_lower([3.0, 4.0], [1.0, 2.0]) == 0.0
    # Pairs (1,2) lower, (1,0.5) not, (3,2) not, (3,0.5) not → 1/4; a tie counts one half.
    assert prob_lower([1.0, 3.0], [2.0, 0.5]) == 0.25
    assert prob_lower([1.0, 2.0], [2.0]) == 0.75
    with pytest.raises(ValueError, match="non-finite"):
        prob_lower([1.0, float("inf")], [2.0])


def test_ratio_interval_hand_cases_and_determinism():
    assert ratio_interval([2.0, 2.0, 2.0], [1.0, 1.0]) == (2.0, 2.0)
    # Medians of resamples of [1, 3] are 1, 2 or 3; of [1]: 1. The 90 % interval is [1, 3].
    assert ratio_interval([1.0, 3.0], [1.0]) == (1.0, 3.0)
    generator = np.random.default_rng(0)
    a, b = generator.uniform(1, 2, 10), generator.uniform(2, 3, 10)
    first = ratio_interval(a, b)
    assert first == ratio_interval(a, b)  # the fixed resampling seed
    low, high = first
    assert low < np.median(a) / np.median(b) < high


def test_rank_sum_p_separates_and_does_not():
    assert rank_sum_p(np.arange(20.0), np.arange(100.0, 120.0)) < 1e-6
    assert rank_sum_p([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]) == 1.0
