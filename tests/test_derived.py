"""What templates ask a net beyond its final errors, from a real (tiny) recording in the store:
loss_at, epochs_to, noise-free and held-out errors, bends, dead units; prob_lower and
ratio_interval between nets; each a measurement that claims can show and refuse."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest

from tinynets.engine.schedule import loop_calls
from tinynets.engine.data import grid, target, training_points
from tinynets.engine.store import RunStore, read_arrays, run_key
from tinynets.measure import inside
from tinynets.measure.derived import attach_recording
from tinynets.measure.finals import RunMeta
from tinynets.measure.quantities import Never
from tinynets.measure.results import NetResult
from tinynets.measure.uncertainty import prob_lower, ratio_interval
from tinynets.posts.model import DataSpec, FramesSpec, NetSpec, Thresholds

DATA = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
NET = NetSpec(name="wide", layers=(8,), optimizer="adam", learning_rate=0.02, epochs=60)
SEEDS = (0, 1, 2)
FRAMES = FramesSpec(count=6)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A real recording, saved in and read back from a run store."""
    from tinynets.engine import loop
    from tinynets.engine.data import frame_epochs

    store = RunStore(tmp_path_factory.mktemp("runs"))
    key = run_key(DATA, NET, SEEDS, FRAMES)
    recording = loop.train_net(DATA, NET, SEEDS, frame_epochs(NET.epochs, FRAMES.count))
    meta = store.save(key, NET, recording)
    return store.load_meta(key), recording


def result(meta, name="wide", spec=NET) -> NetResult:
    net = NetResult(spec if spec.name == name else NetSpec(**{**spec.__dict__, "name": name}),
                    RunMeta.from_dict(meta), noise_floor=0.01, thresholds=Thresholds(),
                    color="#000", media={})
    attach_recording(net, partial(read_arrays, meta["arrays_path"]), DATA)
    return net


def test_the_store_keeps_the_weights_at_every_frame(stored):
    meta, recording = stored
    arrays = read_arrays(meta["arrays_path"])
    weights = inside.frame_weights(arrays)
    assert [w.shape for w in weights] == [(6, 3, 1, 8), (6, 3, 8), (6, 3, 8, 1), (6, 3, 1)]
    for kept, final in zip(weights, recording.weights):
        np.testing.assert_array_equal(kept[-1], final)
    # The weights at a frame reproduce the predictions recorded at that frame.
    for frame in (0, 3, 5):
        layers = inside.net_at(weights, frame, 1)
        np.testing.assert_allclose(inside.forward(layers, arrays["grid"], "relu")[1],
                                   arrays["predictions"][frame, 1], rtol=1e-4, atol=1e-5)


def test_loss_at_and_epochs_to(stored):
    meta, recording = stored
    net = result(meta)
    assert float(net.loss_at(10)) == pytest.approx(float(np.median(recording.losses[9])))
    assert float(net.loss_at(10, seed=2)) == pytest.approx(float(recording.losses[9, 2]))
    assert net.loss_at(10).name == "wide median error at epoch 10"
    level = float(np.median(recording.losses, axis=1)[20])
    reached = net.epochs_to(level)
    assert int(reached) == 1 + int(np.flatnonzero(np.median(recording.losses, axis=1)
                                                   <= level)[0])
    never = net.epochs_to(1e-9)
    assert isinstance(never, Never) and not never and str(never) == "never"
    assert (never < 60).text == ("claimed: wide epochs until the median error ≤ 1e-09 < 60; "
                                 "measured: wide epochs until the median error ≤ 1e-09 = never")
    with pytest.raises(ValueError, match=r"loss_at\(epoch\) must be a whole number from 1 to 60"):
        net.loss_at(61)


def test_noise_free_and_held_out_errors(stored):
    meta, recording = stored
    net = result(meta)
    truth = target(DATA, grid(DATA).astype(np.float64))
    per_seed = np.mean((recording.predictions[-1].astype(np.float64) - truth) ** 2, axis=1)
    assert float(net.noise_free_error) == pytest.approx(float(np.median(per_seed)))
    assert float(net.noise_free_error_at(seed=0)) == pytest.approx(float(per_seed[0]))
    assert net.noise_free_error.name == "wide median noise-free error at epoch 60"
    x, y = inside.held_out_points(DATA, target)
    final = recording.weights
    predicted = inside.forward(list(zip([w[1].astype(float) for w in final[0::2]],
                                        [w[1].astype(float) for w in final[1::2]])), x, "relu")[1]
    assert float(net.held_out_error_at(seed=1)) == pytest.approx(np.mean((predicted - y) ** 2),
                                                                 rel=1e-5)
    # Held-out points carry noise the net never saw: their error is above the noise-free one.
    assert float(net.held_out_error) > float(net.noise_free_error)


def test_kinks_and_dead_units_come_from_the_weights_at_the_frame(stored):
    meta, _ = stored
    net = result(meta)
    weights = inside.frame_weights(read_arrays(meta["arrays_path"]))
    column = list(net.seeds).index(net.representative_seed)
    expected = inside.kinks(inside.net_at(weights, 5, column), "relu", (-3.0, 3.0))
    assert net.kinks() == expected.tolist()
    # Epoch 7 is not a frame: the last frame before it is used, and named.
    frames = [int(e) for e in read_arrays(meta["arrays_path"])["frame_epochs"]]
    before = max(frame for frame in frames if frame <= 7)
    assert net.kink_count(epoch=7).name == f"wide median bends at epoch {before}"
    counts = [len(inside.kinks(inside.net_at(weights, 5, c), "relu", (-3.0, 3.0)))
              for c in range(3)]
    assert float(net.kink_count()) == float(np.median(counts))
    middle = net.kink_count(-1, 1, seed=0)
    assert int(middle) == sum(-1 <= x <= 1 for x in inside.kinks(
        inside.net_at(weights, 5, 0), "relu", (-3.0, 3.0)))
    assert middle.name == "wide seed 0 bends in [−1, 1] at epoch 60"
    x_train = training_points(DATA)[0]
    assert int(net.dead_units_at(seed=2)) == inside.dead_units(inside.net_at(weights, 5, 2),
                                                                x_train, "relu")


def fixed(name, finals) -> NetResult:
    meta = {"seeds": list(range(len(finals))), "wall_time": 1.0,
            "diverged_at": [None if v is not None else 5 for v in finals],
            "final_losses": finals}
    return NetResult(NetSpec(name=name, layers=(4,)), RunMeta.from_dict(meta), noise_floor=0.01,
                     thresholds=Thresholds(), color="#000", media={})


def test_prob_lower_and_ratio_interval_are_measurements():
    a, b = fixed("a", [0.1, 0.3]), fixed("b", [0.2, 0.4])
    share = prob_lower(a, b)
    assert float(share) == 0.75  # (0.1, 0.2) (0.1, 0.4) (0.3, 0.4) lower; (0.3, 0.2) not
    assert (share > 0.5).text == ("claimed: share of seed pairs in which a ends lower than b > "
                                  "0.5; measured: share of seed pairs in which a ends lower than "
                                  "b = 0.75")
    interval = ratio_interval(a, b)
    assert float(interval.low) <= 0.2 / 0.3 <= float(interval.high)
    assert interval == ratio_interval(a, b)
    assert interval.low.name == "a / b median error ratio, 90% interval low"
    # A diverged seed makes both refuse to support a claim.
    broken = fixed("broken", [0.1, None])
    assert (prob_lower(broken, b) > 0.5).diverged
    assert not math.isnan(float(prob_lower(broken, b)))


def test_inside_measurements_of_a_net_on_the_plane_are_refused_clearly(stored):
    meta, _ = stored
    net = result(meta)
    attach_recording(net, partial(read_arrays, meta["arrays_path"]),
                     type("Plane", (), {"dimensions": 2})())
    for ask in (lambda: net.kinks(), lambda: net.kink_count(), lambda: net.noise_free_error,
                lambda: net.held_out_error, lambda: net.dead_units):
        with pytest.raises(ValueError, match=r"nets\['wide'\] learns from data with two inputs"):
            ask()
    assert float(net.loss_at(5)) > 0  # the training error is there for every net


def test_weights_at_every_frame_across_many_loop_calls_reproduce_the_predictions():
    """More frames than one call of the compiled loop holds (FRAME_BLOCK): each call's weights
    land on their own frames."""
    from tinynets.engine import loop
    from tinynets.engine.data import frame_epochs

    net = NetSpec(name="deep", layers=(4, 3), optimizer="adam", learning_rate=0.02, epochs=90)
    epochs_at = frame_epochs(net.epochs, 70, "linear")
    assert len(loop_calls(epochs_at, net.epochs)) >= 3
    recording = loop.train_net(DATA, net, (0, 1), epochs_at)
    weights = recording.frame_weights
    assert [w.shape[:2] for w in weights] == [(70, 2)] * 6
    for frame in range(70):
        for column in (0, 1):
            predicted = inside.forward(inside.net_at(weights, frame, column), recording.grid,
                                       "relu")[1]
            np.testing.assert_allclose(predicted, recording.predictions[frame, column],
                                       rtol=1e-4, atol=1e-5)
