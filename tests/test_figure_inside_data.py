"""The inside arrays of figure data files (weights at every frame, bends) round-trip real
recordings within their stated tolerance; the bends are the ones the prose's own code finds
(tinynets.measure.inside.kinks); extras are stored, read back and refused with clear errors.

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
from tinynets.media.figure_data import Extra, ExtraArray
from tinynets.media.figure_inside import (BEND_BITS, WEIGHT_BITS, all_bends, inside_extra,
                                          read_inside)

X_RANGE = tuple(REFERENCE_DATA.x_range)


@pytest.fixture(scope="module")
def files():
    """name → (the file's bytes, its net decoded, its inside arrays decoded)"""
    found = {}
    for name in ("wide-sgd", "deep-adam", "short-tanh"):
        content = figure_data.encode([inside_net(name)])
        net = figure_data.read(content).nets[0]
        found[name] = (content, net, read_inside(net))
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
    _, net, decoded = files["short-tanh"]
    assert net.record["inside"] == {"activation": "tanh", "layers": [8],
                                    "x_range": list(X_RANGE)}
    assert decoded.unit_bends is None and decoded.bends is None and decoded.bend_tolerance is None
    assert sorted(net.extra) == [f"weights_{index}" for index in range(4)]


def test_an_inside_file_holds_only_what_the_inside_kinds_read(files):
    content, net, _ = files["wide-sgd"]
    assert net.predictions is None and net.losses is None
    assert np.array_equal(net.frame_epochs, recording("wide-sgd").frame_epochs)
    assert net.epochs == 5000
    # the 1×60 net: 181 numbers × 10 seeds × 150 frames and 60 bends per seed and frame
    print(f"\nwide-sgd inside file: {len(content) / 1000:.1f} KB")
    assert len(content) < 200_000


def test_extras_leave_the_rest_of_the_file_as_it_was():
    plain = figure_net("short-adam")
    extra = Extra(header={"note": {"kind": "test"}},
                  arrays={"counts": ExtraArray(np.arange(6, dtype=np.int32).reshape(2, 3),
                                               encoding="raw", dtype="int32"),
                          "values": ExtraArray(np.array([[0.5, np.nan, 1.5]]), bits=8)})
    decoded = figure_data.read(figure_data.encode([replace(plain, extras=(extra,))])).nets[0]
    alone = figure_data.read(figure_data.encode([plain])).nets[0]
    assert np.array_equal(decoded.predictions, alone.predictions)
    assert np.array_equal(decoded.losses, alone.losses)
    assert decoded.record["note"] == {"kind": "test"}
    assert sorted(decoded.extra) == ["counts", "values"]   # its missing section is not an extra
    assert decoded.extra["counts"].tolist() == [[0, 1, 2], [3, 4, 5]]
    values = decoded.extra["values"]
    assert values[0, 0] == pytest.approx(0.5) and np.isnan(values[0, 1])
    assert values[0, 2] == pytest.approx(1.5)


def test_same_weights_same_bytes():
    assert figure_data.encode([inside_net("short-tanh")]) == \
        figure_data.encode([inside_net("short-tanh")])


@pytest.mark.parametrize("extra, message", [
    (Extra(header={"label": "x"}, arrays={}),
     "net 'short-adam': an extra header key 'label' is already in its record"),
    (Extra(header={}, arrays={"grid": ExtraArray(np.zeros(3))}),
     "net 'short-adam': an extra array 'grid' is already stored"),
    (Extra(header={}, arrays={"other": ExtraArray(np.zeros(3), encoding="png")}),
     "net 'short-adam': array 'other' has encoding 'png', expected raw or quantised"),
])
def test_a_clashing_or_unknown_extra_is_refused(extra, message):
    with pytest.raises(ValueError) as raised:
        figure_data.encode([replace(figure_net("short-adam"), extras=(extra,))])
    assert str(raised.value) == message


def test_weights_that_are_not_a_net_are_refused():
    weights = recording("short-tanh").frame_weights
    with pytest.raises(ValueError) as raised:
        inside_extra(weights[:3], "tanh", X_RANGE)
    assert str(raised.value) == ("a net's weights come as kernel and bias per layer, at least "
                                 "two layers; got 3 arrays")
    two_inputs = [np.repeat(weights[0], 2, axis=2), *weights[1:]]
    with pytest.raises(ValueError) as raised:
        inside_extra(two_inputs, "tanh", X_RANGE)
    assert str(raised.value) == "the inside views are for nets of one input; this one has 2"


def test_a_diverged_seed_has_no_weights_and_no_bends_where_it_diverged():
    weights = [np.array(array, dtype=np.float64) for array in recording("short-adam").frame_weights]
    for array in weights:
        array[30:, 4] = np.nan   # seed column 4 diverges at frame 30
    decoded = read_inside(figure_data.read(figure_data.encode([replace(
        figure_net("short-adam"), extras=(inside_extra(weights, "relu", X_RANGE),))])).nets[0])
    assert np.all(np.isnan(decoded.weights[0][30:, 4]))
    assert np.all(np.isfinite(decoded.weights[0][:30, 4]))
    assert len(decoded.bends_at(35, 4)) == 0 and len(decoded.bends_at(29, 4)) > 0
    # the deeper-net path agrees: no bends for a (frame, seed) whose weights are not finite
    counts, _ = all_bends(weights, "relu", X_RANGE)
    assert counts[30:, 4].sum() == 0 and counts[:30, 4].min() > 0
