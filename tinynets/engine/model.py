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


class VariableMomentumSGD(keras.optimizers.SGD):
    """Keras' SGD with (non-Nesterov) momentum, the momentum held in a variable.

    Keras' SGD reads ``self.momentum`` as a Python float while it traces, so the value would be
    baked into a compiled loop; here it is read from ``momentum_value`` instead, and one compiled
    loop serves every momentum. The update is Keras' own, operation for operation (a test checks
    it against ``model.fit`` with Keras' SGD).
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.9, **kwargs):
        if not 0 < momentum < 1:
            raise ValueError(f"momentum must be in (0, 1) to build the momentum slots, "
                             f"got {momentum}; assign other values to momentum_value later")
        super().__init__(learning_rate=learning_rate, momentum=momentum, **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentum_value = self.add_variable(
            shape=(), initializer=keras.initializers.Constant(self.momentum), name="momentum_value"
        )

    def update_step(self, gradient, variable, learning_rate):
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        momentum = ops.cast(self.momentum_value, variable.dtype)
        velocity = self.momentums[self._get_variable_index(variable)]
        self.assign(velocity, ops.subtract(ops.multiply(velocity, momentum),
                                           ops.multiply(gradient, learning_rate)))
        self.assign_add(variable, velocity)


# Optimizers for the compiled loop, by family: the hyper-parameters a net may set (learning rate,
# momentum) live in variables and are assigned per net, so they are not part of the graph.
LOOP_OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=0.01),
    "sgd-momentum": lambda: VariableMomentumSGD(learning_rate=0.01, momentum=0.9),
    "adam": lambda: keras.optimizers.Adam(learning_rate=0.001),
    "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=0.001),
    "adagrad": lambda: keras.optimizers.Adagrad(learning_rate=0.001),
    "nadam": lambda: keras.optimizers.Nadam(learning_rate=0.001),
}


def make_loop_optimizer(family: str) -> keras.optimizers.Optimizer:
    """An optimizer of ``family`` whose net-specific settings are assigned later.

    >>> optimizer = make_loop_optimizer("adam")              # doctest: +SKIP
    >>> optimizer.learning_rate.assign(0.003)                # doctest: +SKIP
    """
    return LOOP_OPTIMIZERS[family]()


def set_hyperparameters(optimizer: keras.optimizers.Optimizer, net: NetSpec) -> None:
    """Assign ``net``'s learning rate (and momentum) to a loop optimizer of its family."""
    optimizer.learning_rate.assign(float(net.learning_rate))
    if isinstance(optimizer, VariableMomentumSGD):
        optimizer.momentum_value.assign(float(net.momentum))
