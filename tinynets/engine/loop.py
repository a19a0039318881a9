"""The training engine: every seed of a net trained together in one compiled TensorFlow loop.

TensorFlow is imported by this module (and ``model``) only: a build with nothing to train never
imports it. The loop is one ``tf.function`` compiled with XLA over epochs and shuffled
mini-batches that follows ``model.fit`` (Keras shuffles every epoch, batches in order, last batch
short); a test proves it against ``model.fit``. Predictions on the grid are recorded inside the
loop at the frame epochs; the host calls the loop in a few dozen chunks, only to show progress.

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

from tinynets.engine import data as datasets  # noqa: E402
from tinynets.engine.model import build_stacked_model, initial_weights, make_optimizer, stack_weights  # noqa: E402
from tinynets.spec.posts import DataSpec, NetSpec  # noqa: E402

Progress = Callable[[int, int], None]  # (epochs done, epochs in all)
CHUNKS = 40  # calls of the compiled loop per net: how often progress is reported


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


def _loss_values(loss: str, predicted, target):
    """The loss of every point, as Keras computes it: (seeds, batch, 1) → (seeds, batch, 1)."""
    error = predicted - target
    if loss == "mse":
        return tf.square(error)
    if loss == "mae":
        return tf.abs(error)
    absolute = tf.abs(error)  # huber, Keras' default delta of 1
    return tf.where(absolute <= 1.0, 0.5 * tf.square(error), absolute - 0.5)


def _chunks(epochs: int, count: int) -> list[int]:
    """Epochs at which the host regains control to report progress: ``count`` even steps."""
    return sorted(set(int(round(value)) for value in np.linspace(0, epochs, count + 1)))[1:]


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
    threads: int | None = 1,
) -> Recording:
    """Train ``net`` on ``data`` for every seed at once and record it.

    ``epochs_at`` are the frame epochs (sorted, distinct, 0 … ``net.epochs``) at which the
    predictions on the grid are kept. ``start_weights`` (stacked, leading seeds axis) replaces
    Keras' initialisation; tests use it to force a divergence or to start ``model.fit`` from the
    same point. ``threads`` caps TensorFlow's thread pools (the first call in a process decides).
    """
    started = time.perf_counter()
    if threads:
        limit_threads(threads)
    seeds_count, epochs = len(seeds), net.epochs
    if list(epochs_at) != sorted(set(epochs_at)) or not all(0 <= e <= epochs for e in epochs_at):
        raise ValueError(f"epochs_at must be distinct sorted epochs in [0, {epochs}], "
                         f"got {list(epochs_at)[:8]}")
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

    # Constants of the loop. Every epoch's visiting order is padded to whole batches; the padding
    # is masked out of the loss, so one compiled step serves the full batches and the short one.
    x_column, y_column = tf.constant(x_values[:, None]), tf.constant(y_values[:, None])
    x_all = tf.constant(np.broadcast_to(x_values[None, :, None], (seeds_count, points, 1)))
    y_all = tf.constant(np.broadcast_to(y_values[None, :, None], (seeds_count, points, 1)))
    grid_all = tf.constant(np.broadcast_to(grid_values[None, :, None],
                                           (seeds_count, len(grid_values), 1)))
    batch_size = min(net.batch_size, points)
    batches = -(-points // batch_size)
    padded_orders = np.zeros((epochs, seeds_count, batches * batch_size), dtype=np.int32)
    padded_orders[:, :, :points] = shuffle_orders(seeds, epochs, points)
    orders = tf.constant(padded_orders)
    del padded_orders
    masks = np.zeros((batches * batch_size,), dtype=np.float32)
    masks[:points] = 1.0
    masks = tf.constant(masks.reshape(batches, 1, batch_size, 1))
    sizes = tf.constant([min(batch_size, points - b * batch_size) for b in range(batches)],
                        dtype=tf.float32)
    # Segment k trains from epoch starts[k] to ends[k], then keeps the predictions as row k.
    ends = list(epochs_at) + ([epochs] if not epochs_at or epochs_at[-1] < epochs else [])
    starts = tf.constant([0, *ends[:-1]], dtype=tf.int32)
    ends_tensor = tf.constant(ends, dtype=tf.int32)
    segments = len(ends)

    # What the loop records.
    losses = tf.Variable(tf.zeros((epochs, seeds_count)))
    fit_losses = tf.Variable(tf.zeros((epochs, seeds_count)))
    predictions = tf.Variable(tf.zeros((segments, seeds_count, len(grid_values))))

    def step(order, batch):
        """One mini-batch of every seed: the points ``order[:, batch]`` indexes."""
        indices = tf.slice(order, [0, batch * batch_size], [seeds_count, batch_size])
        x_batch = tf.gather(x_column, indices)  # (seeds, batch_size, 1)
        y_batch = tf.gather(y_column, indices)
        size = sizes[batch]
        with tf.GradientTape() as tape:
            values = _loss_values(net.loss, model(x_batch, training=True), y_batch)
            # Keras' "sum over batch size" reduction, one value per seed.
            per_seed = tf.reduce_sum(values * masks[batch], axis=[1, 2]) / size
            # Summed over seeds, so each seed's gradient is exactly its own.
            total = tf.reduce_sum(per_seed)
        optimizer.apply_gradients(zip(tape.gradient(total, variables), variables))
        return per_seed * size

    def train_epoch(epoch):
        order = tf.gather(orders, epoch)  # (seeds, padded points)
        running = tf.zeros([seeds_count])
        batch = tf.constant(0)
        while batch < batches:
            running += step(order, batch)
            batch += 1
        row = tf.reshape(epoch, [1, 1])
        fit_losses.scatter_nd_update(row, (running / points)[None])
        everything = _loss_values(net.loss, model(x_all), y_all)
        losses.scatter_nd_update(row, tf.reduce_mean(everything, axis=[1, 2])[None])

    @tf.function(jit_compile=True)
    def run_segments(first, stop):
        """Train segments ``first`` … ``stop - 1``, keeping the predictions after each."""
        segment = first
        while segment < stop:
            epoch = starts[segment]
            while epoch < ends_tensor[segment]:
                train_epoch(epoch)
                epoch += 1
            predictions.scatter_nd_update(tf.reshape(segment, [1, 1]),
                                          model(grid_all)[None, :, :, 0])
            segment += 1

    # The host regains control about CHUNKS times, to report progress.
    done = 0
    for stop_epoch in _chunks(epochs, min(epochs, CHUNKS)):
        stop = next(k for k, end in enumerate(ends) if end >= stop_epoch) + 1
        if stop > done:
            run_segments(tf.constant(done), tf.constant(stop))
            done = stop
            if progress is not None:
                progress(ends[done - 1], epochs)

    return Recording(
        seeds=np.asarray(seeds, dtype=np.int64),
        frame_epochs=np.asarray(epochs_at, dtype=np.int64),
        grid=grid_values,
        predictions=predictions.numpy()[: len(epochs_at)],
        losses=losses.numpy(),
        fit_losses=fit_losses.numpy(),
        weights=[np.asarray(w) for w in model.get_weights()],
        wall_time=time.perf_counter() - started,
    )
