"""The training engine against model.fit, and its determinism, seed independence and divergence."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from tinynets.engine.orders import shuffle_orders
from tinynets.engine.schedule import CHUNKS, EPOCH_BLOCK, FRAME_BLOCK, loop_calls
from tinynets.engine import model as models
from tinynets.posts import schema
from tinynets.engine import store
from tinynets.engine import loop as train
from tinynets.engine.data import training_points
from tinynets.posts.model import DataSpec, NetSpec

from support import REPO

EPOCHS = 5


def sine(points: int) -> DataSpec:
    return DataSpec("sine", (-3.0, 3.0), points=points, noise=0.1, seed=0, frequency=2.0)


def fit_reference(data: DataSpec, net: NetSpec, seed: int):
    """model.fit one epoch at a time on the engine's batch order, from the same initial weights."""
    x_values, y_values = training_points(data)
    reference = models.build_reference_model(net)
    reference.set_weights(models.initial_weights(net, seed))
    orders = shuffle_orders((seed,), net.epochs, data.points)
    fit_losses = []
    for epoch in range(net.epochs):
        order = orders[epoch, 0]
        history = reference.fit(x_values[order][:, None], y_values[order][:, None],
                                batch_size=net.batch_size, epochs=1, shuffle=False, verbose=0)
        fit_losses.append(history.history["loss"][0])
    return reference, np.asarray(fit_losses)


@pytest.mark.parametrize("optimizer, learning_rate, points, batch_size, layers", [
    ("sgd", 0.01, 40, 32, (60,)),     # one full batch and a short one
    ("adam", 0.001, 40, 32, (10, 10)),
    ("sgd", 0.05, 100, 8, (10, 10)),  # 12 full batches and a short one
    ("adam", 0.01, 72, 8, (60,)),     # 9 full batches, none short
    ("sgd-momentum", 0.01, 40, 8, (10,)),  # momentum read from a variable, not Keras' float
])
def test_engine_equals_model_fit(optimizer, learning_rate, points, batch_size, layers):
    data = sine(points)
    # Momentum 0.5, not the 0.9 the shape's optimizer is built with: the net's own value counts.
    net = NetSpec(name="n", layers=layers, optimizer=optimizer, learning_rate=learning_rate,
                  batch_size=batch_size, epochs=EPOCHS, momentum=0.5)
    seed = 3
    recording = train.train_net(data, net, (seed,), [0, EPOCHS])
    reference, fit_losses = fit_reference(data, net, seed)

    np.testing.assert_allclose(recording.fit_losses[:, 0], fit_losses, rtol=2e-5, atol=1e-7)
    for expected, got in zip(reference.get_weights(), recording.weights):
        np.testing.assert_allclose(got[0], expected, rtol=1e-5, atol=1e-6)
    # The recorded error after each epoch is the error of the final weights on all points.
    x_values, y_values = training_points(data)
    final_error = np.mean((reference.predict(x_values[:, None], verbose=0)[:, 0] - y_values) ** 2)
    assert recording.losses[-1, 0] == pytest.approx(final_error, rel=1e-5)
    # The last frame is the prediction of the final weights on the grid.
    grid_prediction = reference.predict(recording.grid[:, None], verbose=0)[:, 0]
    np.testing.assert_allclose(recording.predictions[-1, 0], grid_prediction, rtol=1e-5, atol=1e-6)
    # Training moved the weights: the comparison is not between two untrained nets.
    assert not np.allclose(recording.weights[0][0], models.initial_weights(net, seed)[0])


TINY = NetSpec(name="tiny", layers=(8,), optimizer="adam", learning_rate=0.01, epochs=20)


def arrays(recording: train.Recording) -> dict[str, np.ndarray]:
    return {"predictions": recording.predictions, "losses": recording.losses,
            "fit_losses": recording.fit_losses,
            **{f"weight_{i}": w for i, w in enumerate(recording.weights)}}


def test_same_spec_gives_bit_identical_recording_in_process_and_across_processes(tmp_path):
    data = sine(40)
    first = arrays(train.train_net(data, TINY, (0, 1), [0, 2, 20]))
    # Another net of the same shape in between (other learning rate, epochs, frames, seeds, and
    # a diverging start) must leave nothing behind in the shared compiled loop.
    other = NetSpec(name="other", layers=(8,), optimizer="adam", learning_rate=0.3, epochs=33)
    wild = models.stack_weights([models.initial_weights(other, seed) for seed in (5, 6)])
    wild[0][0] *= 1e18
    train.train_net(data, other, (5, 6), [0, 1, 33], start_weights=wild)
    second = arrays(train.train_net(data, TINY, (0, 1), [0, 2, 20]))
    for name in first:
        assert first[name].tobytes() == second[name].tobytes(), name

    script = (
        "import sys, numpy as np\n"
        "from tinynets.engine import loop as train\n"
        "from tinynets.posts.model import DataSpec, NetSpec\n"
        "data = DataSpec('sine', (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)\n"
        "net = NetSpec(name='tiny', layers=(8,), optimizer='adam', learning_rate=0.01, epochs=20)\n"
        "r = train.train_net(data, net, (0, 1), [0, 2, 20])\n"
        "np.savez(sys.argv[1], predictions=r.predictions, losses=r.losses, "
        "fit_losses=r.fit_losses, **{f'weight_{i}': w for i, w in enumerate(r.weights)})\n"
    )
    output = tmp_path / "other.npz"
    result = subprocess.run([sys.executable, "-c", script, str(output)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    # The fresh process trained TINY alone: equal to TINY trained after another net here.
    with np.load(output) as alone:
        for name in second:
            assert alone[name].tobytes() == second[name].tobytes(), name


def test_nets_of_one_shape_share_one_compile():
    data = sine(24)
    shape_only = dict(layers=(5, 3), activation="tanh", optimizer="rmsprop", batch_size=8)
    first = NetSpec(name="first", learning_rate=0.01, epochs=7, **shape_only)
    second = NetSpec(name="second", learning_rate=0.002, epochs=300, **shape_only)
    one = train.train_net(data, first, (0, 1), [0, 3, 7])
    # 300 epochs: more than one EPOCH_BLOCK per call, and a different number of frames.
    two = train.train_net(data, second, (4, 2), [0, 1, 2, 100, 299])
    shape = train.LoopShape.of(first, 2, 24, one.grid.size)
    loop = train.cached_loops()[shape]
    assert loop.traces == 1  # one trace, hence one XLA compile, for both nets
    assert loop.nets_trained >= 2
    assert one.losses.shape == (7, 2) and two.losses.shape == (300, 2)
    assert two.predictions.shape == (5, 2, one.grid.size)
    # The second net really trained with its own settings: its own seeds' start, lower error.
    assert not np.allclose(one.predictions[0], two.predictions[0])
    assert two.losses[-1].max() < two.losses[0].min()


def test_frame_epochs_do_not_change_the_numbers():
    data = sine(40)
    net = NetSpec(name="frames", layers=(8,), optimizer="adam", learning_rate=0.01, epochs=600)
    few = train.train_net(data, net, (0, 1), [0, 600])
    many = train.train_net(data, net, (0, 1), [0, 1, 2, 3, 50, 257, 513, 599])
    # The host splits the training into other calls; every epoch computes the same.
    assert few.losses.tobytes() == many.losses.tobytes()
    assert few.fit_losses.tobytes() == many.fit_losses.tobytes()
    for a, b in zip(few.weights, many.weights):
        assert a.tobytes() == b.tobytes()
    assert many.predictions[0].tobytes() == few.predictions[0].tobytes()


def test_shuffle_orders_are_permutations_per_seed_and_blocks_continue_them():
    seeds, epochs, points = (0, 1, 7, 123456), 6, 37
    host = shuffle_orders(seeds, epochs, points)
    # Every order is a permutation; orders differ between epochs and between seeds.
    assert (np.sort(host, axis=-1) == np.arange(points)).all()
    assert not np.array_equal(host[0, 0], host[1, 0])
    assert not np.array_equal(host[0, 0], host[0, 1])
    # A seed's orders do not depend on the seeds beside it.
    np.testing.assert_array_equal(shuffle_orders((7,), epochs, points)[:, 0], host[:, 2])
    # The block a call of the loop receives is the same epochs' orders.
    np.testing.assert_array_equal(shuffle_orders(seeds, 3, points, first=2), host[2:5])


def test_progress_is_reported_from_zero_to_the_end():
    calls = []
    net = NetSpec(name="p", layers=(4,), epochs=90)
    train.train_net(sine(20), net, (0,), [0, 90], progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[0] == (0, 90) and calls[-1] == (90, 90)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})
    assert len(calls) <= CHUNKS + 1


def test_a_seed_trains_the_same_alone_or_beside_others():
    data = sine(40)
    together = train.train_net(data, TINY, (0, 1, 2, 3), [0, 5, 20])
    alone = train.train_net(data, TINY, (3,), [0, 5, 20])
    # Same initialisation and shuffle; XLA vectorises a 4-seed and a 1-seed graph differently,
    # so the numbers agree to float32 rounding, not bit for bit.
    close = dict(rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(together.losses[:, 3], alone.losses[:, 0], **close)
    np.testing.assert_allclose(together.predictions[:, 3], alone.predictions[:, 0], **close)
    for stacked, single in zip(together.weights, alone.weights):
        np.testing.assert_allclose(stacked[3], single[0], **close)
    # …and the seeds really differ from each other.
    assert together.losses[-1, 0] != together.losses[-1, 3]


def test_one_diverging_seed_is_detected_and_leaves_the_others_alone():
    data = sine(40)
    net = NetSpec(name="boom", layers=(8,), optimizer="sgd", learning_rate=0.01, epochs=10)
    seeds = (0, 1, 2)
    weights = models.stack_weights([models.initial_weights(net, seed) for seed in seeds])
    weights[0][1] *= 1e18  # seed 1's first kernel: its updates overflow within a few epochs
    recording = train.train_net(data, net, seeds, [0, 10], start_weights=weights)

    diverged = store.diverged_at(recording.losses)
    assert diverged[0] is None and diverged[2] is None
    assert diverged[1] is not None and 1 <= diverged[1] <= 10
    assert not np.isfinite(recording.losses[-1, 1])

    others = train.train_net(data, net, (0, 2), [0, 10])
    close = dict(rtol=1e-5, atol=1e-7)  # float32 rounding: see the test above
    np.testing.assert_allclose(recording.losses[:, [0, 2]], others.losses, **close)
    np.testing.assert_allclose(recording.predictions[:, [0, 2]], others.predictions, **close)
    for stacked, pair in zip(recording.weights, others.weights):
        np.testing.assert_allclose(stacked[[0, 2]], pair, **close)
    assert np.isfinite(others.losses).all()


def test_recording_shapes_and_frames():
    data = sine(40)
    recording = train.train_net(data, TINY, (0, 1), [0, 1, 7])  # last frame before the end
    assert recording.predictions.shape == (3, 2, recording.grid.size)
    assert recording.grid.size >= 200
    assert recording.losses.shape == recording.fit_losses.shape == (20, 2)
    assert recording.frame_epochs.tolist() == [0, 1, 7]
    # Frame 0 is the untrained net, whose prediction differs from a trained one.
    assert not np.allclose(recording.predictions[0], recording.predictions[2])
    assert recording.losses[0, 0] > recording.losses[-1, 0]
    with pytest.raises(ValueError, match="epochs_at must be distinct sorted epochs in"):
        train.train_net(data, TINY, (0,), [5, 2])


@pytest.mark.parametrize("optimizer", schema.OPTIMIZERS)
def test_every_optimizer_trains(optimizer):
    net = NetSpec(name="o", layers=(4,), optimizer=optimizer,
                  learning_rate=schema.KERAS_LEARNING_RATES[optimizer], epochs=3)
    recording = train.train_net(sine(20), net, (0,), [0, 3])
    assert np.isfinite(recording.losses).all()
    assert not np.array_equal(recording.weights[0][0], models.initial_weights(net, 0)[0])


def test_every_activation_and_loss_trains():
    for activation in schema.ACTIVATIONS:
        net = NetSpec(name="a", layers=(4,), activation=activation, epochs=2)
        recording = train.train_net(sine(20), net, (0,), [0, 2])
        assert np.isfinite(recording.losses).all(), activation
    for loss in schema.LOSSES:
        net = NetSpec(name="l", layers=(4,), loss=loss, epochs=2)
        recording = train.train_net(sine(20), net, (0,), [0, 2])
        assert np.isfinite(recording.losses).all(), loss


@pytest.mark.parametrize("epochs, count", [(5000, 150), (600, 150), (20, 3), (1, 2), (64, 33)])
def test_calls_cover_every_epoch_once_within_the_loop_buffers(epochs, count):
    from tinynets.engine.data import frame_epochs

    frames = frame_epochs(epochs, count)
    calls = loop_calls(frames, epochs)
    ends = [end for _, call_ends in calls for end in call_ends]
    assert set(frames) <= set(ends) and ends == sorted(set(ends)) and ends[-1] == epochs
    previous = 0
    for first, call_ends in calls:
        assert first == previous  # contiguous: no epoch skipped or trained twice
        assert 0 < len(call_ends) <= FRAME_BLOCK
        assert call_ends[-1] - first <= EPOCH_BLOCK
        previous = call_ends[-1]
