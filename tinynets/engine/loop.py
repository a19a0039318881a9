"""The training engine: every seed of a net trained together in one compiled TensorFlow loop.

TensorFlow is imported by this module (and ``model``) only: a build with nothing to train never
imports it. The loop is one ``tf.function`` compiled with XLA over epochs and shuffled
mini-batches that follows ``model.fit`` (Keras shuffles every epoch, batches in order, last batch
short); a test proves it against ``model.fit``.

Compiling costs more than training a small net, so the loop is compiled once per *shape* — what
changes the graph: layer widths, activation, loss, optimizer family, seeds count, points, batch
size and grid size — and kept in a per-process cache. Everything else a net sets is a tensor or a
variable: learning rate and momentum, the data values, the seeds (initial weights and shuffles),
the number of epochs and the frame epochs. A second net of the same shape is reset (weights,
optimizer slots, iteration counter) and trained with no trace and no XLA compile.

The host calls the loop on blocks of at most ``EPOCH_BLOCK`` epochs and ``FRAME_BLOCK`` frames
(``engine.schedule``); each call returns the losses of its epochs and the predictions on the
grid at its frames (a call costs a few milliseconds: the dense early frames share calls). Each epoch's visiting
order comes from a hash of the seed and the epoch (``engine.orders``); the host makes the orders
of a call's epochs and passes them in, so memory does not grow with epochs (numpy makes a
block's in 2 ms; hashing and sorting in the graph cost more than half a small net's training).

Example (TensorFlow trains; ``recording.losses`` is (epochs, seeds))::

    recording = train_net(post.data, post.net("wide-sgd"), seeds=(0, 1), epochs_at=[0, 10])
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np

from tinynets.engine import tensorflow_notes_held_back

with tensorflow_notes_held_back():
    import keras
    import tensorflow as tf

from tinynets.engine import data as datasets  # noqa: E402
from tinynets.engine import plane  # noqa: E402
from tinynets.engine.orders import shuffle_orders  # noqa: E402
from tinynets.engine.recording import Recording  # noqa: E402
from tinynets.engine.schedule import (  # noqa: E402
    CHUNKS, EPOCH_BLOCK, FRAME_BLOCK, loop_calls, progress_epochs,
)
from tinynets.engine.model import (  # noqa: E402
    build_stacked_model, initial_weights, make_loop_optimizer, set_hyperparameters, stack_weights,
)
from tinynets.posts.model import DataSpec, NetSpec  # noqa: E402

Progress = Callable[[int, int], None]  # (epochs done, epochs in all)
MAX_LOOPS = 16  # compiled shapes kept per process; the least recently used is dropped first


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
    if loss == "bce":
        # Keras' own binary cross-entropy on the sigmoid's output, as model.fit computes it
        # (the mean over the last axis, of length 1, is the value itself).
        return keras.ops.binary_crossentropy(target, predicted)
    absolute = tf.abs(error)  # huber, Keras' default delta of 1
    return tf.where(absolute <= 1.0, 0.5 * tf.square(error), absolute - 0.5)


def _right(predicted, target):
    """Per seed, the share of points classified right (Keras' BinaryAccuracy: p > 0.5 is 1)."""
    guessed = tf.cast(predicted > 0.5, target.dtype)
    return tf.reduce_mean(tf.cast(tf.equal(guessed, target), tf.float32), axis=[1, 2])


# ----------------------------------------------------------------------------- compiled loops
@dataclass(frozen=True)
class LoopShape:
    """What changes the compiled graph; nets that agree on all of it share one compiled loop."""

    layers: tuple[int, ...]
    activation: str
    loss: str
    optimizer: str  # the family; its learning rate and momentum are variables
    seeds_count: int
    points: int
    batch_size: int  # as trained: at most the number of points
    grid_points: int
    # Inputs per point; columns: points come as a (points, inputs) matrix (data on the plane and
    # from 2-column files) rather than a vector (1-D data, whose graph stays as it was).
    inputs: int = 1
    columns: bool = False
    test_points: int = 0  # points of the test set, whose error is recorded every epoch
    # > 0: the seeds repeat with this period (a sweep's cells × seeds, see engine.sweeps), so
    # each epoch's orders are made and passed once per distinct seed and shared in the graph.
    distinct_seeds: int = 0

    @property
    def order_rows(self) -> int:
        """Orders per epoch that a call receives: one per distinct seed."""
        return self.distinct_seeds or self.seeds_count

    @classmethod
    def of(cls, net: NetSpec, seeds_count: int, points: int, grid_points: int,
           columns: bool = False, test_points: int = 0,
           distinct_seeds: int = 0) -> "LoopShape":
        return cls(tuple(net.layers), net.activation, net.loss, net.optimizer, seeds_count,
                   points, min(net.batch_size, points), grid_points, net.inputs, columns,
                   test_points, distinct_seeds)


class CompiledLoop:
    """One shape's stacked Keras model, optimizer and XLA-compiled training function.

    ``start`` resets it for a net (weights, optimizer state, hyper-parameters); ``run`` trains a
    block of epochs. ``traces`` counts how often the function was traced (each trace is an XLA
    compile); ``compile_seconds`` is what building, tracing and compiling cost.
    """

    def __init__(self, shape: LoopShape, net: NetSpec):
        started = time.perf_counter()
        self.shape = shape
        self.traces = 0
        self.nets_trained = 0
        self.model = build_stacked_model(net, shape.seeds_count)
        self.optimizer = make_loop_optimizer(shape.optimizer)
        self.variables = self.model.trainable_variables
        self.optimizer.build(self.variables)
        # Every seed's weights at each frame of a call, flattened (seeds, parameters): written in
        # the graph at each segment end, read by the host after the call (``weights_at_ends``).
        self.weight_shapes = [tuple(variable.shape[1:]) for variable in self.variables]
        # Each epoch's visiting orders (one per distinct seed) for a call, row 0 for its first
        # epoch: assigned by the host before each call. (A variable, not an argument: an argument
        # is carried through the nested loops, and XLA copied it at every step.)
        self.orders = tf.Variable(tf.zeros((EPOCH_BLOCK, shape.order_rows, shape.points),
                                           tf.int32), trainable=False)
        self.frame_weights = tf.Variable(tf.zeros((FRAME_BLOCK, shape.seeds_count, sum(
            int(np.prod(weight_shape)) for weight_shape in self.weight_shapes))), trainable=False)
        # The optimizer's state as built (slots, iteration counter, Adagrad's 0.1 accumulators,
        # Nadam's product of 1): restored before each net, so no net inherits another's state.
        self.fresh_optimizer = [variable.numpy() for variable in self.optimizer.variables]

        batches = -(-shape.points // shape.batch_size)
        self.batches = batches
        # Every epoch's visiting order is padded to whole batches; the padding is masked out of
        # the loss, so one compiled step serves the full batches and the short one.
        masks = np.zeros((batches * shape.batch_size,), dtype=np.float32)
        masks[: shape.points] = 1.0
        self.masks = tf.constant(masks.reshape(batches, 1, shape.batch_size, 1))
        self.sizes = tf.constant([min(shape.batch_size, shape.points - b * shape.batch_size)
                                  for b in range(batches)], dtype=tf.float32)
        column = (shape.inputs,) if shape.columns else ()  # a point: a row of inputs, or one value
        signature = [
            tf.TensorSpec((shape.points, *column), tf.float32, name="x"),
            tf.TensorSpec((shape.points,), tf.float32, name="y"),
            tf.TensorSpec((shape.grid_points, *column), tf.float32, name="grid"),
            tf.TensorSpec((), tf.int32, name="first"),
            tf.TensorSpec((FRAME_BLOCK,), tf.int32, name="ends"),
            tf.TensorSpec((), tf.int32, name="segments"),
        ]
        if shape.columns:  # and a test set (x_test, y_test), whose errors are recorded too
            signature += [tf.TensorSpec((shape.test_points, *column), tf.float32, name="x_test"),
                          tf.TensorSpec((shape.test_points,), tf.float32, name="y_test")]
        self.function = tf.function(self._train_block, input_signature=signature,
                                    jit_compile=True)
        # Compile now, on zero epochs (nothing changes), so that the cost is paid and measured
        # here rather than inside the first net's first block.
        self.function(*[np.zeros(spec.shape, spec.dtype.as_numpy_dtype) for spec in signature])
        self.compile_seconds = time.perf_counter() - started

    def start(self, net: NetSpec, weights: list[np.ndarray], members=None) -> None:
        """Reset for ``net``: its start weights, fresh optimizer state, its hyper-parameters
        (each member's own when ``members`` lists one net per member: a sweep's cells)."""
        self.model.set_weights(weights)
        for variable, value in zip(self.optimizer.variables, self.fresh_optimizer):
            variable.assign(value)
        set_hyperparameters(self.optimizer, members or net)
        self.nets_trained += 1

    def _step(self, order, batch, x_column, y_column):
        """One mini-batch of every seed: the points ``order[:, batch]`` indexes."""
        shape = self.shape
        indices = tf.slice(order, [0, batch * shape.batch_size],
                           [shape.seeds_count, shape.batch_size])
        x_batch = tf.gather(x_column, indices)  # (seeds, batch_size, 1)
        y_batch = tf.gather(y_column, indices)
        size = self.sizes[batch]
        with tf.GradientTape() as tape:
            values = _loss_values(shape.loss, self.model(x_batch, training=True), y_batch)
            # Keras' "sum over batch size" reduction, one value per seed.
            per_seed = tf.reduce_sum(values * self.masks[batch], axis=[1, 2]) / size
            # Summed over seeds, so each seed's gradient is exactly its own.
            total = tf.reduce_sum(per_seed)
        self.optimizer.apply_gradients(zip(tape.gradient(total, self.variables), self.variables))
        return per_seed * size

    def _train_block(self, x, y, grid, first, ends, segments, x_test=None, y_test=None):
        """Train from epoch ``first`` to ``ends[segments - 1]`` (at most EPOCH_BLOCK epochs).

        Returns the running loss ``model.fit`` reports and the error on all points after each
        epoch, both (EPOCH_BLOCK, seeds) with row 0 for epoch ``first`` (rows past the block are
        zeros), and the predictions on the grid at each of the ``segments`` ends (rows past them
        are zeros), (FRAME_BLOCK, seeds, grid). Points that are rows of inputs (``columns``)
        come with a test set: then it also returns the test error, the training accuracy and the
        test accuracy after each epoch, each (EPOCH_BLOCK, seeds) (zeros where they do not apply).
        """
        self.traces += 1  # runs only while tracing: counts traces, hence XLA compiles
        shape = self.shape
        seeds_count, points = shape.seeds_count, shape.points
        if shape.columns:
            x_column, y_column = x, y[:, None]
            x_all = tf.broadcast_to(x[None], (seeds_count, points, shape.inputs))
            grid_all = tf.broadcast_to(grid[None], (seeds_count, shape.grid_points, shape.inputs))
            extra = [tf.zeros((EPOCH_BLOCK, seeds_count)) for _ in range(3)]
        else:
            extra = []  # nothing more is recorded: the 1-D graph is what it always was
            x_column, y_column = x[:, None], y[:, None]
            x_all = tf.broadcast_to(x[None, :, None], (seeds_count, points, 1))
            grid_all = tf.broadcast_to(grid[None, :, None], (seeds_count, shape.grid_points, 1))
        y_all = tf.broadcast_to(y[None, :, None], (seeds_count, points, 1))
        padding = self.batches * shape.batch_size - points
        fit_block = tf.zeros((EPOCH_BLOCK, seeds_count))
        loss_block = tf.zeros((EPOCH_BLOCK, seeds_count))
        frame_block = tf.zeros((FRAME_BLOCK, seeds_count, shape.grid_points))
        epoch = first
        segment = tf.constant(0)
        while segment < segments:
            while epoch < ends[segment]:
                orders = self.orders.sparse_read(epoch - first)  # one epoch's row
                if shape.distinct_seeds:  # the same orders for every copy of a seed
                    orders = tf.tile(orders, [seeds_count // shape.distinct_seeds, 1])
                order = tf.pad(orders, [[0, 0], [0, padding]])
                running = tf.zeros([seeds_count])
                batch = tf.constant(0)
                while batch < self.batches:
                    running += self._step(order, batch, x_column, y_column)
                    batch += 1
                row = tf.reshape(epoch - first, [1, 1])
                fit_block = tf.tensor_scatter_nd_update(fit_block, row, (running / points)[None])
                predicted = self.model(x_all)
                everything = _loss_values(shape.loss, predicted, y_all)
                loss_block = tf.tensor_scatter_nd_update(
                    loss_block, row, tf.reduce_mean(everything, axis=[1, 2])[None])
                if shape.columns:
                    extra = self._test_rows(extra, row, predicted, y_all, x_test, y_test)
                epoch += 1
            frame_block = tf.tensor_scatter_nd_update(
                frame_block, tf.reshape(segment, [1, 1]), self.model(grid_all)[None, :, :, 0])
            self.frame_weights.scatter_nd_update(tf.reshape(segment, [1, 1]), tf.concat(
                [tf.reshape(variable, (seeds_count, -1)) for variable in self.variables],
                axis=1)[None])
            segment += 1
        if shape.columns:
            return (fit_block, loss_block, frame_block, *extra)
        return fit_block, loss_block, frame_block

    def _test_rows(self, blocks, row, predicted, y_all, x_test, y_test):
        """Write one epoch's test error, training accuracy and test accuracy into ``blocks``."""
        shape = self.shape
        test_loss, accuracy, test_accuracy = blocks
        classification = shape.loss == "bce"
        if shape.test_points:
            x_tests = tf.broadcast_to(x_test[None], (shape.seeds_count, shape.test_points,
                                                     shape.inputs))
            y_tests = tf.broadcast_to(y_test[None, :, None], (shape.seeds_count,
                                                              shape.test_points, 1))
            test_predicted = self.model(x_tests)
            test_loss = tf.tensor_scatter_nd_update(test_loss, row, tf.reduce_mean(
                _loss_values(shape.loss, test_predicted, y_tests), axis=[1, 2])[None])
            if classification:
                test_accuracy = tf.tensor_scatter_nd_update(
                    test_accuracy, row, _right(test_predicted, y_tests)[None])
        if classification:
            accuracy = tf.tensor_scatter_nd_update(accuracy, row, _right(predicted, y_all)[None])
        return [test_loss, accuracy, test_accuracy]

    def weights_at_ends(self, count: int) -> np.ndarray:
        """The flattened weights at the first ``count`` segment ends of the last call:
        (count, seeds, parameters)."""
        return self.frame_weights.numpy()[:count]

    def unflatten(self, flat: np.ndarray) -> list[np.ndarray]:
        """(frames, seeds, parameters) → one array per weight, each (frames, seeds, *shape)."""
        arrays, start = [], 0
        for weight_shape in self.weight_shapes:
            size = int(np.prod(weight_shape))
            arrays.append(flat[:, :, start:start + size].reshape(
                flat.shape[:2] + weight_shape))
            start += size
        return arrays

    def run(self, inputs: tuple, first: int, ends: list[int], seeds: tuple[int, ...]):
        """Train from epoch ``first`` through each of ``ends`` on ``inputs`` (x, y, grid, and
        the test set if any), each member visiting the points in its seed's orders.

        Returns the fit losses and losses of epochs ``first`` … ``ends[-1] - 1`` and the
        predictions at each end.
        """
        padded = np.zeros(FRAME_BLOCK, dtype=np.int32)
        padded[: len(ends)] = ends
        count = ends[-1] - first
        orders = np.zeros((EPOCH_BLOCK, self.shape.order_rows, self.shape.points), np.int32)
        orders[:count] = shuffle_orders(tuple(seeds[: self.shape.order_rows]), count,
                                        self.shape.points, first)
        self.orders.assign(orders)
        fit_block, loss_block, frame_block, *extra = self.function(
            *inputs[:3], tf.constant(first), tf.constant(padded), tf.constant(len(ends)),
            *inputs[3:])
        # On data with a test set, also the test errors, accuracies and test accuracies.
        return (fit_block.numpy()[:count], loss_block.numpy()[:count],
                frame_block.numpy()[: len(ends)], *(block.numpy()[:count] for block in extra))


_LOOPS: "OrderedDict[LoopShape, CompiledLoop]" = OrderedDict()


def compiled_loop(shape: LoopShape, net: NetSpec) -> CompiledLoop:
    """The compiled loop of ``shape``, from this process's cache or built (and cached) now."""
    loop = _LOOPS.get(shape)
    if loop is None:
        loop = _LOOPS[shape] = CompiledLoop(shape, net)
        while len(_LOOPS) > MAX_LOOPS:
            _LOOPS.popitem(last=False)
    _LOOPS.move_to_end(shape)
    return loop


def cached_loops() -> dict[LoopShape, CompiledLoop]:
    """The compiled loops this process holds, by shape (for tests and the bench)."""
    return dict(_LOOPS)


def keep_loop(shape: LoopShape, loop: CompiledLoop | None) -> None:
    """Hold ``loop`` as this process's compiled loop of ``shape`` (None: none) for the next
    ``train_net`` of that shape: the bench times loops of its own making with it."""
    if loop is None:
        _LOOPS.pop(shape, None)
    else:
        _LOOPS[shape] = loop


def forget_loops() -> None:
    """Drop every compiled loop held: the next net of any shape compiles anew."""
    _LOOPS.clear()


def train_net(
    data: DataSpec,
    net: NetSpec,
    seeds: tuple[int, ...],
    epochs_at: list[int],
    progress: Progress | None = None,
    start_weights: list[np.ndarray] | None = None,
    threads: int | None = 1,
    members: list[NetSpec] | None = None,
    distinct_seeds: int = 0,
) -> Recording:
    """Train ``net`` on ``data`` for every seed at once and record it.

    ``epochs_at`` are the frame epochs (sorted, distinct, 0 … ``net.epochs``) at which the
    predictions on the grid are kept. ``start_weights`` (stacked, leading seeds axis) replaces
    Keras' initialisation; tests use it to force a divergence or to start ``model.fit`` from the
    same point. ``threads`` caps TensorFlow's thread pools (the first call in a process decides).
    ``members`` (one net per entry of ``seeds``, all of ``net``'s shape) gives each member its
    own learning rate and momentum: ``engine.sweeps`` trains a sweep's cells so, and says with
    ``distinct_seeds`` that ``seeds`` repeats that many (cells × seeds), so each epoch's orders
    are made once per distinct seed.
    ``progress`` is told (0, epochs) once the loop is compiled, then (epochs done, epochs) up to
    CHUNKS times. Not thread-safe: nets of one shape share one model.
    """
    started = time.perf_counter()
    if threads:
        limit_threads(threads)
    seeds_count, epochs = len(seeds), net.epochs
    if list(epochs_at) != sorted(set(epochs_at)) or not all(0 <= e <= epochs for e in epochs_at):
        raise ValueError(f"epochs_at must be distinct sorted epochs in [0, {epochs}], "
                         f"got {list(epochs_at)[:8]}")
    columns = data.dimensions == 2  # the plane (generated or from a file): a test set too
    if columns:
        split = plane.plane_arrays(data)
        x_values, y_values, grid_values = split.x_train, split.y_train, split.grid_inputs
        tests = (tf.constant(split.x_test), tf.constant(split.y_test))
    else:
        x_values, y_values = datasets.training_points(data)
        grid_values, tests = datasets.grid(data), ()

    loop = compiled_loop(LoopShape.of(net, seeds_count, len(x_values), len(grid_values),
                                      columns, data.test_count, distinct_seeds), net)
    if start_weights is None:
        start_weights = stack_weights([initial_weights(net, seed) for seed in seeds])
    loop.start(net, start_weights, members)
    if progress is not None:
        progress(0, epochs)  # compiled: from here on, time is training time

    inputs = (tf.constant(x_values), tf.constant(y_values), tf.constant(grid_values), *tests)
    losses = np.empty((epochs, seeds_count), dtype=np.float32)
    # With a test set: test errors, accuracies, test accuracies (epochs, seeds) each.
    extras = [np.zeros((epochs, seeds_count), dtype=np.float32) for _ in range(3 if columns else 0)]
    fit_losses = np.empty((epochs, seeds_count), dtype=np.float32)
    frames = {epoch: row for row, epoch in enumerate(epochs_at)}
    predictions = np.empty((len(epochs_at), seeds_count, len(grid_values)), dtype=np.float32)
    flat_weights = np.empty((len(epochs_at), *loop.frame_weights.shape[1:]), dtype=np.float32)
    marks = progress_epochs(epochs, min(epochs, CHUNKS))
    for first, ends in loop_calls(list(epochs_at), epochs):
        stop = ends[-1]
        fit_block, loss_block, frame_block, *extra_blocks = loop.run(inputs, first, ends, seeds)
        fit_losses[first:stop], losses[first:stop] = fit_block, loss_block
        for recorded, block in zip(extras, extra_blocks):
            recorded[first:stop] = block
        for end, grid_predictions, end_weights in zip(ends, frame_block,
                                                      loop.weights_at_ends(len(ends))):
            if end in frames:
                predictions[frames[end]] = grid_predictions
                flat_weights[frames[end]] = end_weights
        if progress is not None and marks and stop >= marks[0]:
            progress(stop, epochs)
            marks = [mark for mark in marks if mark > stop]

    recorded = {}
    if columns:
        classification = data.classification
        recorded = {"test_losses": extras[0] if data.test_count else None,
                    "accuracy": extras[1] if classification else None,
                    "test_accuracy": extras[2] if classification and data.test_count else None}
        grid_values = split.grid  # drawn in plane coordinates, whatever features the nets saw
    return Recording(
        **recorded,
        seeds=np.asarray(seeds, dtype=np.int64),
        frame_epochs=np.asarray(epochs_at, dtype=np.int64),
        grid=grid_values,
        predictions=predictions,
        losses=losses,
        fit_losses=fit_losses,
        weights=[np.asarray(w) for w in loop.model.get_weights()],
        frame_weights=loop.unflatten(flat_weights),
        wall_time=time.perf_counter() - started,
    )
