"""Tiny Keras nets: the plain model a reader would write, and the same net with stacked seeds.

The stacked model is a real Keras model whose every weight has a leading seeds axis, so that
several independently initialised copies of one net train together in one graph. Its input is
``(seeds, batch, 1)``: each seed sees its own mini-batch.

Example:
    >>> net = NetSpec(name="wide-sgd", layers=(60,), optimizer="sgd")    # doctest: +SKIP
    >>> model = build_stacked_model(net, seeds_count=10)                 # doctest: +SKIP
"""

from __future__ import annotations

import zlib

import keras
import numpy as np
from keras import ops

from tinynets.spec.posts import NetSpec


class StackedDense(keras.layers.Layer):
    """A Dense layer with one kernel and bias per seed: kernel ``(seeds, inputs, units)``."""

    def __init__(self, units: int, seeds_count: int, activation: str = "linear", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.seeds_count = seeds_count
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        inputs = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(self.seeds_count, inputs, self.units), initializer="zeros"
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.seeds_count, self.units), initializer="zeros"
        )

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.kernel) + self.bias[:, None, :])

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "seeds_count": self.seeds_count,
            "activation": keras.activations.serialize(self.activation),
        }


def layer_sizes(net: NetSpec) -> list[tuple[int, int]]:
    """(inputs, units) of every Dense layer, output layer included: 1×60 → [(1, 60), (60, 1)]."""
    widths = [1, *net.layers, 1]
    return list(zip(widths[:-1], widths[1:]))


def build_reference_model(net: NetSpec) -> keras.Model:
    """The plain Keras model of one seed, compiled as a reader would for ``model.fit``."""
    model = keras.Sequential([keras.Input(shape=(1,))], name=net.name.replace("-", "_"))
    for units in net.layers:
        model.add(keras.layers.Dense(units, activation=net.activation))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=make_optimizer(net), loss=net.loss)
    return model


def build_stacked_model(net: NetSpec, seeds_count: int) -> keras.Model:
    """The net with ``seeds_count`` independent copies stacked on a leading axis."""
    inputs = keras.Input(shape=(None, 1), batch_size=seeds_count)
    outputs = inputs
    for units in net.layers:
        outputs = StackedDense(units, seeds_count, net.activation)(outputs)
    outputs = StackedDense(1, seeds_count)(outputs)
    return keras.Model(inputs, outputs, name=net.name.replace("-", "_") + "_stacked")


def initial_weights(net: NetSpec, seed: int) -> list[np.ndarray]:
    """Keras' default initialisation (Glorot uniform kernels, zero biases) for one seed.

    The seed of each layer is derived from the run seed and the layer index, so a seed's
    weights do not depend on which other seeds train beside it.
    """
    weights = []
    for index, (inputs, units) in enumerate(layer_sizes(net)):
        layer_seed = zlib.crc32(f"{seed}:{index}".encode())
        initializer = keras.initializers.GlorotUniform(seed=layer_seed)
        weights.append(np.asarray(initializer(shape=(inputs, units)), dtype=np.float32))
        weights.append(np.zeros(units, dtype=np.float32))
    return weights


def stack_weights(per_seed: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Per-seed weight lists → one list of arrays with a leading seeds axis."""
    return [np.stack(arrays) for arrays in zip(*per_seed)]


OPTIMIZERS = {
    "sgd": lambda net: keras.optimizers.SGD(learning_rate=net.learning_rate),
    "sgd-momentum": lambda net: keras.optimizers.SGD(
        learning_rate=net.learning_rate, momentum=net.momentum
    ),
    "adam": lambda net: keras.optimizers.Adam(learning_rate=net.learning_rate),
    "rmsprop": lambda net: keras.optimizers.RMSprop(learning_rate=net.learning_rate),
    "adagrad": lambda net: keras.optimizers.Adagrad(learning_rate=net.learning_rate),
    "nadam": lambda net: keras.optimizers.Nadam(learning_rate=net.learning_rate),
}


def make_optimizer(net: NetSpec) -> keras.optimizers.Optimizer:
    """The Keras optimizer a net asks for, with its learning rate (and momentum)."""
    return OPTIMIZERS[net.optimizer](net)
