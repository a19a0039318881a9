"""The inside arrays of figure data files (weights at every frame, bends) round-trip real
recordings within their stated tolerance; the bends are the ones the prose's own code finds
(tinynets.measure.inside.kinks); the net's own record stays as it was; bad weights are refused
with clear errors.

The recordings are the reference post's nets and a small tanh net, trained here with the real
engine (tests/figure_recordings.py).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from figure_recordings import REFERENCE_DATA, figure_net, inside_net, recording

from tinynets.measure import inside
from tinynets.media import figure_data
from tinynets.media.figure_inside import (BEND_BITS, WEIGHT_BITS, InsideFigureData, all_bends,
                                          read_inside)

X_RANGE = tuple(REFERENCE_DATA.x_range)


@pytest.fixture(scope="module")
def files():
    """name → (the file's bytes, its net decoded, its inside arrays decoded)"""
    found = {}
    for name in ("wide-sgd", "deep-adam", "short-tanh"):
        content = figure_data.encode([inside_net(name)])
        data = figure_data.read(content)
        found[name] = (content, data, read_inside(data))
    return found


@pytest.mark.parametrize("name", ["wide-sgd", "deep-adam", "short-tanh"])
def test_weights_round_trip_within_the_stated_tolerance(files, name):
    _, _, decoded = files[name]
    recorded = recording(name).frame_weights
    assert len(decoded.weights) == len(recorded)
    for index, (back, original, tolerance) in enumerate(
            zip(decoded.weights, recorded, decoded.weight_tolerances)):
        original = np.asarray(original, dtype=np.float64)
        assert back.shape == original.shape
        # the stated tolerance: half a step of WEIGHT_BITS bits over the array's own range
        span = original.max() - original.min()
        assert tolerance == pytest.approx(span / (2 * (2**WEIGHT_BITS - 1)), rel=1e-9)
        error = np.abs(back - original)
        assert error.max() <= tolerance * (1 + 1e-9), index
        assert error.max() > tolerance * 0.5   # really quantised: not met by luck


def test_one_hidden_layer_bends_are_the_prose_bends_with_their_units(files):
    _, _, decoded = files["wide-sgd"]
    weights = recording("wide-sgd").frame_weights
    frames, seeds = weights[0].shape[:2]
    assert decoded.unit_bends.shape == (frames, seeds, 60) and decoded.bends is None
    tolerance = decoded.bend_tolerance
    assert tolerance == pytest.approx((X_RANGE[1] - X_RANGE[0]) / (2 * (2**BEND_BITS - 2)))
    compared = 0
    for frame in range(frames):
        for column in range(seeds):
            layers = inside.net_at(weights, frame, column)
            prose = inside.kinks(layers, "relu", X_RANGE)
            found = decoded.bends_at(frame, column)
            assert len(found) == len(prose), (frame, column)
            assert np.abs(found - prose).max(initial=0) <= tolerance * (1 + 1e-9)
            # each unit's own bend: −b/w of that unit
            kernel, bias = layers[0]
            units = decoded.unit_bends[frame, column]
            inside_range = np.isfinite(units)
            assert np.abs(units[inside_range] + bias[inside_range] / kernel[0][inside_range]
                          ).max(initial=0) <= tolerance * (1 + 1e-9)
            compared += len(prose)
    assert compared > 80_000   # every bend of every frame and seed


def test_deeper_nets_keep_the_bends_the_prose_finds(files):
    _, _, decoded = files["deep-adam"]
    weights = recording("deep-adam").frame_weights
    frames, seeds = weights[0].shape[:2]
    assert decoded.unit_bends is None and decoded.bend_counts.shape == (frames, seeds)
    assert int(decoded.bend_counts.sum()) == len(decoded.bends)
    for frame in range(0, frames, 7):
        for column in range(seeds):
            prose = inside.kinks(inside.net_at(weights, frame, column), "relu", X_RANGE)
            found = decoded.bends_at(frame, column)
            assert len(found) == len(prose) and np.all(np.diff(found) >= 0)
            assert np.abs(found - prose).max(initial=0) <= decoded.bend_tolerance * (1 + 1e-9)


def test_a_net_that_does_not_bend_gets_weights_only(files):
    _, data, decoded = files["short-tanh"]
    assert data.header["nets"][0]["inside"] == {"activation": "tanh", "layers": [8],
                                                "x_range": list(X_RANGE)}
    assert decoded.unit_bends is None and decoded.bends is None and decoded.bend_tolerance is None
    assert sorted(data.nets[0].extra) == [f"weights_{index}" for index in range(4)]


def test_an_inside_file_holds_only_what_the_inside_kinds_read(files):
    content, data, _ = files["wide-sgd"]
    net = data.nets[0]
    assert net.predictions is None and net.losses is None
    assert np.array_equal(net.frame_epochs, recording("wide-sgd").frame_epochs)
    assert net.epochs == 5000
    # the 1×60 net: 181 numbers × 10 seeds × 150 frames and 60 bends per seed and frame
    print(f"\nwide-sgd inside file: {len(content) / 1000:.1f} KB")
    assert len(content) < 200_000


def test_the_weights_leave_the_nets_own_record_as_it_was():
    plain = figure_net("short-adam")
    with_weights = InsideFigureData(plain, recording("short-adam").frame_weights, "relu", X_RANGE)
    decoded = figure_data.read(figure_data.encode([with_weights])).nets[0]
    alone = figure_data.read(figure_data.encode([plain])).nets[0]
    assert np.array_equal(decoded.predictions, alone.predictions)
    assert np.array_equal(decoded.losses, alone.losses)
    assert (decoded.name, decoded.label, decoded.shown_seed) == (alone.name, alone.label,
                                                                 alone.shown_seed)
    assert sorted(decoded.extra) == ["unit_bends", *(f"weights_{index}" for index in range(4))]


def test_same_weights_same_bytes():
    assert figure_data.encode([inside_net("short-tanh")]) == \
        figure_data.encode([inside_net("short-tanh")])


def test_weights_that_are_not_a_net_are_refused():
    weights = recording("short-tanh").frame_weights
    net = figure_net("short-tanh")

    def refusal(arrays) -> str:
        with pytest.raises(ValueError) as raised:
            figure_data.encode([InsideFigureData(net, arrays, "tanh", X_RANGE)])
        return str(raised.value)

    assert refusal(weights[:3]) == ("a net's weights come as kernel and bias per layer, at "
                                    "least two layers; got 3 arrays")
    assert refusal([np.repeat(weights[0], 2, axis=2), *weights[1:]]) == \
        "the inside views are for nets of one input; this one has 2"
    assert refusal([weights[0][:5], *weights[1:]]).startswith(
        "every weight array is (frames, seeds, …); got shapes [[5, 10, 1, 8], [40, 10, 8], ")


def test_a_diverged_seed_has_no_weights_and_no_bends_where_it_diverged():
    weights = [np.array(array, dtype=np.float64) for array in recording("short-adam").frame_weights]
    for array in weights:
        array[30:, 4] = np.nan   # seed column 4 diverges at frame 30
    decoded = read_inside(figure_data.read(figure_data.encode(
        [InsideFigureData(figure_net("short-adam"), weights, "relu", X_RANGE)])))
    assert np.all(np.isnan(decoded.weights[0][30:, 4]))
    assert np.all(np.isfinite(decoded.weights[0][:30, 4]))
    assert len(decoded.bends_at(35, 4)) == 0 and len(decoded.bends_at(29, 4)) > 0
    # the deeper-net path agrees: no bends for a (frame, seed) whose weights are not finite
    counts, _ = all_bends(weights, "relu", X_RANGE)
    assert counts[30:, 4].sum() == 0 and counts[:30, 4].min() > 0
