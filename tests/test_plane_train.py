"""Training on the plane: the engine against model.fit for a 2-D classifier, test error and
accuracy as Keras computes them, determinism, and the regression surface."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from tinynets.engine.orders import shuffle_orders
from tinynets.engine import loop as train
from tinynets.engine import model as models
from tinynets.engine.plane import plane_arrays
from tinynets.posts.plane import PlaneSpec
from tinynets.posts.model import NetSpec

EPOCHS = 5


def fit_reference(split, net: NetSpec, seed: int):
    """model.fit one epoch at a time on the engine's batch order, from the same initial weights."""
    reference = models.build_reference_model(net)
    reference.set_weights(models.initial_weights(net, seed))
    orders = shuffle_orders((seed,), net.epochs, len(split.y_train))
    fit_losses = []
    for epoch in range(net.epochs):
        order = orders[epoch, 0]
        history = reference.fit(split.x_train[order], split.y_train[order][:, None],
                                batch_size=net.batch_size, epochs=1, shuffle=False, verbose=0)
        fit_losses.append(history.history["loss"][0])
    return reference, np.asarray(fit_losses)


@pytest.mark.parametrize("function, features, optimizer, batch_size, layers", [
    ("xor", ("x1", "x2"), "adam", 8, (6, 4)),  # 5 full batches and a short one
    ("circle", ("x1", "x2", "x1²", "x2²"), "sgd", 32, (6, 4)),  # one full batch, a short one
    ("circle", ("x1²", "x2²"), "adam", 8, ()),  # no hidden layer: logistic regression
])
def test_plane_classifier_equals_model_fit(function, features, optimizer, batch_size, layers):
    data = PlaneSpec(function, points=90, noise=0.2, seed=4, features=features)
    net = NetSpec(name="c", layers=layers, activation="tanh", optimizer=optimizer,
                  learning_rate=0.05, batch_size=batch_size, epochs=EPOCHS, loss="bce",
                  inputs=len(features))
    seed = 2
    recording = train.train_net(data, net, (seed,), [0, EPOCHS])
    split = plane_arrays(data)
    reference, fit_losses = fit_reference(split, net, seed)

    np.testing.assert_allclose(recording.fit_losses[:, 0], fit_losses, rtol=2e-5, atol=1e-7)
    for expected, got in zip(reference.get_weights(), recording.weights):
        np.testing.assert_allclose(got[0], expected, rtol=1e-5, atol=1e-6)
    # Errors and accuracies after training are Keras' own, on the training and the test set.
    bce, accuracy = keras.losses.BinaryCrossentropy(), keras.metrics.BinaryAccuracy()
    for x, y, loss, right in [(split.x_train, split.y_train, recording.losses, recording.accuracy),
                              (split.x_test, split.y_test, recording.test_losses,
                               recording.test_accuracy)]:
        predicted = reference.predict(x, verbose=0)
        assert loss[-1, 0] == pytest.approx(float(bce(y[:, None], predicted)), rel=1e-5)
        accuracy.reset_state()
        accuracy.update_state(y[:, None], predicted)
        assert right[-1, 0] == pytest.approx(float(accuracy.result()), abs=1e-6)
    # The last frame is the final net's probability on the grid (as the net sees the grid).
    grid_prediction = reference.predict(split.grid_inputs, verbose=0)[:, 0]
    np.testing.assert_allclose(recording.predictions[-1, 0], grid_prediction, rtol=1e-5,
                               atol=1e-6)
    assert recording.grid.shape == (64 * 64, 2)
    assert not np.allclose(recording.weights[0][0], models.initial_weights(net, seed)[0])


def test_plane_training_is_deterministic_and_seeds_are_independent():
    data = PlaneSpec("spiral", points=60, noise=0.1, seed=0)
    net = NetSpec(name="s", layers=(5,), optimizer="adam", learning_rate=0.02, epochs=12,
                  loss="bce", inputs=2)
    both = train.train_net(data, net, (0, 1), [0, 3, 12])
    again = train.train_net(data, net, (0, 1), [0, 3, 12])
    alone = train.train_net(data, net, (1,), [0, 3, 12])
    for name in ("losses", "test_losses", "accuracy", "test_accuracy", "predictions"):
        assert getattr(both, name).tobytes() == getattr(again, name).tobytes(), name
        # Seed 1 trained beside seed 0 is seed 1 trained alone (up to XLA's float rounding,
        # which may differ by a unit in the last place with the batch's width).
        np.testing.assert_allclose(getattr(both, name)[:, 1], getattr(alone, name)[:, 0],
                                   rtol=1e-6, atol=1e-7)
    assert both.accuracy.shape == (12, 2) and both.test_accuracy.shape == (12, 2)
    assert ((both.accuracy >= 0) & (both.accuracy <= 1)).all()


def test_regression_surface_records_test_error_but_no_accuracy():
    data = PlaneSpec("waves", points=50, noise=0.05, seed=1, test_fraction=0.2)
    net = NetSpec(name="w", layers=(8,), optimizer="adam", learning_rate=0.01, epochs=6,
                  inputs=2)
    recording = train.train_net(data, net, (0,), [0, 6])
    assert recording.accuracy is None and recording.test_accuracy is None
    assert recording.test_losses.shape == (6, 1)
    split = plane_arrays(data)
    assert len(split.y_test) == 10 and len(split.y_train) == 40
    reference = models.build_reference_model(net)
    reference.set_weights([w[0] for w in recording.weights])
    test_error = np.mean((reference.predict(split.x_test, verbose=0)[:, 0] - split.y_test) ** 2)
    assert recording.test_losses[-1, 0] == pytest.approx(test_error, rel=1e-5)


def test_no_test_set_records_no_test_error():
    data = PlaneSpec("moons", points=30, noise=0.1, seed=1, test_fraction=0.0)
    net = NetSpec(name="m", layers=(4,), optimizer="adam", epochs=3, loss="bce", inputs=2)
    recording = train.train_net(data, net, (0,), [0, 3])
    assert recording.test_losses is None and recording.test_accuracy is None
    assert recording.accuracy.shape == (3, 1)


def test_squared_features_let_a_linear_net_separate_the_circle():
    """The playground's lesson: a straight boundary in (x1², x2²) is a circle in the plane.
    README's linear model: no hidden layer (``layers: []``)."""
    net = dict(layers=(), optimizer="adam", learning_rate=0.05,
               batch_size=16, epochs=150, loss="bce")
    plain = PlaneSpec("circle", points=200, noise=0.2, seed=0)
    squared = PlaneSpec("circle", points=200, noise=0.2, seed=0, features=("x1²", "x2²"))
    without = train.train_net(plain, NetSpec(name="l", inputs=2, **net), (0, 1, 2), [0, 150])
    with_features = train.train_net(squared, NetSpec(name="l", inputs=2, **net), (0, 1, 2),
                                    [0, 150])
    assert with_features.test_accuracy[-1].min() >= 0.95
    assert without.test_accuracy[-1].max() <= 0.75


def test_one_column_file_trains_on_its_rows_and_draws_without_a_true_function(tmp_path):
    from tinynets.media import canvas, loss_plots, render
    from tinynets.posts.csvdata import CsvSpec

    x = np.linspace(-2.0, 2.0, 30)
    data = CsvSpec(file="data/curve.csv", x_columns=("x",), y_column="y", task="regression",
                   seed=0, sha256="0" * 16, x_values=tuple(x), y_values=tuple(x ** 2))
    net = NetSpec(name="f", layers=(8,), optimizer="adam", learning_rate=0.01, epochs=10)
    recording = train.train_net(data, net, (0,), [0, 10])
    assert recording.test_losses is None and recording.grid.shape == (240,)
    assert recording.grid[0] == -2.0 and recording.grid[-1] == 2.0
    reference = models.build_reference_model(net)
    reference.set_weights([w[0] for w in recording.weights])
    error = np.mean((reference.predict(x[:, None].astype(np.float32), verbose=0)[:, 0]
                     - (x ** 2).astype(np.float32)) ** 2)
    assert recording.losses[-1, 0] == pytest.approx(error, rel=1e-5)
    panel = render.Panel(name="f", label="file data", color="#0072B2", data=data,
                         frame_epochs=recording.frame_epochs, grid=recording.grid,
                         predictions=recording.predictions, losses=recording.losses,
                         representative=0)
    style = canvas.Style()
    info = canvas.write_animation(render.NetAnimation(panel, style), tmp_path, "anim", style)
    loss_plots.write_loss_plot(panel, tmp_path, "loss", style)
    assert info["frames"] == 2 and (tmp_path / "anim.webm").stat().st_size > 0
    assert "noise floor" not in (tmp_path / "loss.svg").read_text(encoding="utf-8")


def test_a_diverging_classifier_is_flagged_and_its_accuracies_refuse_claims():
    from tinynets.engine.store import diverged_at
    from tinynets.measure.finals import RunMeta
    from tinynets.measure.results import NetResult
    from tinynets.posts.model import Thresholds

    data = PlaneSpec("xor", points=40, noise=0.1, seed=0)
    net = NetSpec(name="boom", layers=(4,), optimizer="sgd", learning_rate=0.1, epochs=4,
                  loss="bce", inputs=2)
    weights = models.stack_weights([models.initial_weights(net, seed) for seed in (0, 1)])
    weights[0][1] *= 1e38  # seed 1's first kernel overflows: its outputs and losses turn NaN
    recording = train.train_net(data, net, (0, 1), [0, 4], start_weights=weights)
    flagged = diverged_at(recording.losses)
    assert flagged[0] is None and flagged[1] is not None
    meta = {"seeds": [0, 1], "wall_time": 1.0, "diverged_at": flagged,
            "final_losses": [float(v) if np.isfinite(v) else None for v in recording.losses[-1]],
            "final_test_accuracy": [float(v) for v in recording.test_accuracy[-1]],
            "final_accuracy": [float(v) for v in recording.accuracy[-1]]}
    result = NetResult(net, RunMeta.from_dict(meta), None, Thresholds(), "#0072B2", {})
    check = result.test_accuracy.median > 0.0
    assert check.diverged and "1 of 2 seeds of boom diverged" in str(check.diverged[0])


def test_saturated_sigmoid_loss_is_keras_from_logits_as_in_model_fit():
    """Keras' binary cross-entropy on a sigmoid output recovers the logits (its epsilon clipping
    applies only to probabilities it cannot trace back): a confidently wrong output costs its
    logit, 50, not -log(1e-7) ≈ 16.1 — in model.fit and in the compiled loop alike."""
    import tensorflow as tf

    layer = models.StackedDense(1, 1, "sigmoid")
    layer.build((1, None, 1))
    layer.set_weights([np.full((1, 1, 1), 50.0, np.float32), np.zeros((1, 1), np.float32)])
    compiled = tf.function(lambda x, y: train._loss_values("bce", layer(x), y), jit_compile=True)
    in_loop = float(compiled(tf.ones((1, 1, 1)), tf.zeros((1, 1, 1))).numpy().ravel()[0])
    reference = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    reference.set_weights([np.full((1, 1), 50.0, np.float32), np.zeros(1, np.float32)])
    reference.compile(optimizer=keras.optimizers.SGD(0.0), loss="binary_crossentropy")
    fitted = reference.fit(np.ones((1, 1)), np.zeros((1, 1)), verbose=0).history["loss"][0]
    assert in_loop == pytest.approx(50.0, rel=1e-6) and fitted == pytest.approx(50.0, rel=1e-6)


def test_noise_free_and_held_out_errors_of_a_file_net_are_a_clear_error(tmp_path):
    from functools import partial

    from tinynets.engine.store import RunStore, read_arrays, run_key
    from tinynets.measure.derived import attach_recording
    from tinynets.measure.finals import RunMeta
    from tinynets.measure.results import NetResult
    from tinynets.posts.csvdata import CsvSpec
    from tinynets.posts.model import FramesSpec, Thresholds

    x = np.linspace(-2.0, 2.0, 30)
    data = CsvSpec(file="data/curve.csv", x_columns=("x",), y_column="y", task="regression",
                   seed=0, sha256="0" * 16, x_values=tuple(x), y_values=tuple(x ** 2))
    net = NetSpec(name="f", layers=(8,), optimizer="adam", learning_rate=0.01, epochs=10)
    store = RunStore(tmp_path / "runs")
    key = run_key(data, net, (0,), FramesSpec(count=2))
    meta = store.save(key, net, train.train_net(data, net, (0,), [0, 10]))
    result = NetResult(net, RunMeta.from_dict(meta), noise_floor=0.0, thresholds=Thresholds(),
                       color="#000", media={})
    attach_recording(result, partial(read_arrays, meta["arrays_path"]), data)
    for what in ("noise_free_error", "held_out_error"):
        with pytest.raises(ValueError, match=r"nets\['f'\] learns from a data file, whose true "
                                             r"function is unknown"):
            getattr(result, what)
    assert int(result.dead_units) >= 0  # what needs no true function still works
