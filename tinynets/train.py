"""The training engine: every seed of a net trained together in one compiled TensorFlow loop.

TensorFlow is imported by this module (and ``model``) only: a build with nothing to train never
imports it. The loop is a ``tf.function`` graph over epochs and shuffled mini-batches
that follows ``model.fit`` exactly (Keras shuffles every epoch, batches in order, last batch
short); a test proves it against ``model.fit``. It is called once per frame interval, so that
predictions are recorded at the frame epochs and progress can be shown.

Example:
    >>> recording = train_net(post.data, post.net("wide-sgd"), seeds=(0, 1), epochs_at=[0, 10])  # doctest: +SKIP
    >>> recording.losses.shape        # (epochs, seeds)                                      # doctest: +SKIP
    (5000, 2)
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tinynets import data as datasets  # noqa: E402
from tinynets.model import build_stacked_model, initial_weights, make_optimizer, stack_weights  # noqa: E402
from tinynets.spec import DataSpec, NetSpec  # noqa: E402

Progress = Callable[[int, int], None]  # (epochs done, epochs in all)


@dataclass
class Recording:
    """What one net's training leaves behind, for every seed at once."""

    seeds: np.ndarray  # (seeds,)
    frame_epochs: np.ndarray  # (frames,)
    grid: np.ndarray  # (grid,)
    predictions: np.ndarray  # (frames, seeds, grid)
    losses: np.ndarray  # (epochs, seeds): error on all training points after each epoch
    fit_losses: np.ndarray  # (epochs, seeds): the running epoch loss model.fit reports
    weights: list[np.ndarray]  # final weights, each with a leading seeds axis
    wall_time: float


def limit_threads(threads: int) -> None:
    """Keep TensorFlow to ``threads`` so parallel jobs do not oversubscribe the cores."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # already initialised in this process: the first setting stays


def _loss_per_seed(loss: str, predicted, target):
    """Mean loss over the batch axis, one value per seed: (seeds, batch, 1) → (seeds,)."""
    error = predicted - target
    if loss == "mse":
        values = tf.square(error)
    elif loss == "mae":
        values = tf.abs(error)
    else:  # huber, Keras' default delta of 1
        absolute = tf.abs(error)
        values = tf.where(absolute <= 1.0, 0.5 * tf.square(error), absolute - 0.5)
    return tf.reduce_mean(values, axis=[1, 2])


def shuffle_orders(seeds: tuple[int, ...], epochs: int, points: int) -> np.ndarray:
    """The order in which each seed visits the points in each epoch: (epochs, seeds, points).

    Each seed shuffles with its own generator, so a seed's run does not depend on which other
    seeds train beside it; the reference test feeds the same orders to ``model.fit``.
    """
    orders = np.empty((epochs, len(seeds), points), dtype=np.int32)
    for column, seed in enumerate(seeds):
        generator = np.random.default_rng([seed, 1])  # 1: the shuffle stream (0 would be init)
        orders[:, column, :] = np.argsort(generator.random((epochs, points)), axis=1)
    return orders


def train_net(
    data: DataSpec,
    net: NetSpec,
    seeds: tuple[int, ...],
    epochs_at: list[int],
    progress: Progress | None = None,
    start_weights: list[np.ndarray] | None = None,
) -> Recording:
    """Train ``net`` on ``data`` for every seed at once and record it.

    ``start_weights`` (stacked, leading seeds axis) replaces Keras' initialisation; tests use it
    to force a divergence or to start ``model.fit`` from the same point.
    """
    started = time.perf_counter()
    seeds_count, epochs = len(seeds), net.epochs
    x_values, y_values = datasets.training_points(data)
    grid_values = datasets.grid(data)
    points = len(x_values)

    keras.utils.clear_session(free_memory=False)
    model = build_stacked_model(net, seeds_count)
    if start_weights is None:
        start_weights = stack_weights([initial_weights(net, seed) for seed in seeds])
    model.set_weights(start_weights)
    optimizer = make_optimizer(net)
    variables = model.trainable_variables
    optimizer.build(variables)

    x_all = tf.constant(np.broadcast_to(x_values[None, :, None], (seeds_count, points, 1)))
    y_all = tf.constant(np.broadcast_to(y_values[None, :, None], (seeds_count, points, 1)))
    x_column = tf.constant(x_values[:, None])
    y_column = tf.constant(y_values[:, None])
    grid_all = tf.constant(np.broadcast_to(grid_values[None, :, None],
                                           (seeds_count, len(grid_values), 1)))
    orders = tf.constant(shuffle_orders(seeds, epochs, points))
    losses = tf.Variable(tf.zeros((epochs, seeds_count)))
    fit_losses = tf.Variable(tf.zeros((epochs, seeds_count)))
    batch_size = min(net.batch_size, points)
    full_batches, last_batch = divmod(points, batch_size)

    def step(order, start: int | tf.Tensor, size: int):
        """One mini-batch of every seed: ``order[:, start:start+size]`` indexes the points."""
        indices = order[:, start : start + size] if isinstance(start, int) else tf.slice(
            order, [0, start], [seeds_count, size])
        x_batch = tf.gather(x_column, indices)  # (seeds, size, 1)
        y_batch = tf.gather(y_column, indices)
        with tf.GradientTape() as tape:
            per_seed = _loss_per_seed(net.loss, model(x_batch, training=True), y_batch)
            # Summed over seeds, so each seed's gradient is exactly its own.
            total = tf.reduce_sum(per_seed)
        optimizer.apply_gradients(zip(tape.gradient(total, variables), variables))
        return per_seed * size

    @tf.function
    def run_epochs(first_epoch, stop_epoch):
        for epoch in tf.range(first_epoch, stop_epoch):
            order = tf.gather(orders, epoch)  # (seeds, points)
            running = tf.zeros([seeds_count])
            if full_batches <= 8:
                for batch in range(full_batches):
                    running += step(order, batch * batch_size, batch_size)
            else:
                for batch in tf.range(full_batches):
                    running += step(order, batch * batch_size, batch_size)
            if last_batch:
                running += step(order, full_batches * batch_size, last_batch)
            row = tf.reshape(epoch, [1, 1])
            fit_losses.scatter_nd_update(row, (running / points)[None])
            losses.scatter_nd_update(row, _loss_per_seed(net.loss, model(x_all), y_all)[None])

    @tf.function
    def predict():
        return model(grid_all)[:, :, 0]

    predictions = np.empty((len(epochs_at), seeds_count, len(grid_values)), dtype=np.float32)
    done = 0
    for index, frame_epoch in enumerate(epochs_at):
        if frame_epoch > done:
            run_epochs(tf.constant(done), tf.constant(frame_epoch))
            done = frame_epoch
            if progress is not None:
                progress(done, epochs)
        predictions[index] = predict().numpy()
    if done < epochs:
        run_epochs(tf.constant(done), tf.constant(epochs))
        if progress is not None:
            progress(epochs, epochs)

    return Recording(
        seeds=np.asarray(seeds, dtype=np.int64),
        frame_epochs=np.asarray(epochs_at, dtype=np.int64),
        grid=grid_values,
        predictions=predictions,
        losses=losses.numpy(),
        fit_losses=fit_losses.numpy(),
        weights=[np.asarray(w) for w in model.get_weights()],
        wall_time=time.perf_counter() - started,
    )
