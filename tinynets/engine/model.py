"""Tiny Keras nets: the plain model a reader would write, and the same net with stacked seeds.

The stacked model is a real Keras model whose every weight has a leading seeds axis, so that
several independently initialised copies of one net train together in one graph. Its input is
``(seeds, batch, 1)``: each seed sees its own mini-batch.

Ten seeds of a 1×60 net, each weight with the seeds axis first:

>>> from tinynets.posts.model import NetSpec
>>> model = build_stacked_model(NetSpec(name="wide-sgd", layers=(60,)), seeds_count=10)
>>> [tuple(weight.shape) for weight in model.weights]
[(10, 1, 60), (10, 60), (10, 60, 1), (10, 1)]
"""

from __future__ import annotations

import zlib

import numpy as np

from tinynets.engine import tensorflow_notes_held_back
from tinynets.posts.model import NetSpec

with tensorflow_notes_held_back():
    import keras
    from keras import ops


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
    widths = [net.inputs, *net.layers, 1]
    return list(zip(widths[:-1], widths[1:]))


def output_activation(net: NetSpec) -> str:
    """Linear for regression; sigmoid for classification (bce), as a reader writes it for
    model.fit, so Keras' binary cross-entropy sees the sigmoid's output."""
    return "sigmoid" if net.loss == "bce" else "linear"


def keras_loss(net: NetSpec) -> str:
    return "binary_crossentropy" if net.loss == "bce" else net.loss


def build_reference_model(net: NetSpec) -> keras.Model:
    """The plain Keras model of one seed, compiled as a reader would for ``model.fit``.

    Its layers are named (input, hidden_1, …, output) rather than numbered by Keras in the
    order a process makes them, so a saved model is the same whatever was made before it."""
    model = keras.Sequential([keras.Input(shape=(net.inputs,), name="input")],
                             name=net.name.replace("-", "_"))
    for index, units in enumerate(net.layers, start=1):
        model.add(keras.layers.Dense(units, activation=net.activation, name=f"hidden_{index}"))
    model.add(keras.layers.Dense(1, activation=output_activation(net), name="output"))
    model.compile(optimizer=make_optimizer(net), loss=keras_loss(net))
    return model


def build_stacked_model(net: NetSpec, seeds_count: int) -> keras.Model:
    """The net with ``seeds_count`` independent copies stacked on a leading axis."""
    inputs = keras.Input(shape=(None, net.inputs), batch_size=seeds_count)
    outputs = inputs
    for units in net.layers:
        outputs = StackedDense(units, seeds_count, net.activation)(outputs)
    outputs = StackedDense(1, seeds_count, output_activation(net))(outputs)
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
    "sgd": lambda net, name: keras.optimizers.SGD(learning_rate=net.learning_rate, name=name),
    "sgd-momentum": lambda net, name: keras.optimizers.SGD(
        learning_rate=net.learning_rate, momentum=net.momentum, name=name
    ),
    "adam": lambda net, name: keras.optimizers.Adam(learning_rate=net.learning_rate, name=name),
    "rmsprop": lambda net, name: keras.optimizers.RMSprop(learning_rate=net.learning_rate,
                                                          name=name),
    "adagrad": lambda net, name: keras.optimizers.Adagrad(learning_rate=net.learning_rate,
                                                          name=name),
    "nadam": lambda net, name: keras.optimizers.Nadam(learning_rate=net.learning_rate,
                                                      name=name),
}


def make_optimizer(net: NetSpec) -> keras.optimizers.Optimizer:
    """The Keras optimizer a net asks for, with its learning rate (and momentum), named after
    it (not numbered by Keras in the order a process makes optimizers: see
    ``build_reference_model``)."""
    return OPTIMIZERS[net.optimizer](net, net.optimizer.replace("-", "_"))


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


class PerMemberRates:
    """Mixin for a Keras optimizer: one learning rate (and momentum) per member of the stack.

    The stacked model's every weight has a leading members axis (seeds, or sweep cells × seeds).
    The rates live in ``(members,)`` variables, and each weight's update sees them reshaped to
    ``(members, 1, …)``: member ``i`` is updated with exactly its own rate, by the optimizer's
    own update (Keras' ``update_step``, which only multiplies by the rate element-wise), so a
    member trains as it would alone. Keras' scalar ``learning_rate`` is left unused.
    """

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        members = int(variables[0].shape[0])
        self.member_learning_rate = self.add_variable(
            shape=(members,), initializer=keras.initializers.Constant(0.01),
            name="member_learning_rate")
        if isinstance(self, VariableMomentumSGD):
            self.member_momentum = self.add_variable(
                shape=(members,), initializer=keras.initializers.Constant(0.9),
                name="member_momentum")

    def _per_member(self, values, variable):
        values = ops.cast(values, variable.dtype)
        return ops.reshape(values, (-1,) + (1,) * (len(variable.shape) - 1))

    def update_step(self, gradient, variable, learning_rate):
        rate = self._per_member(self.member_learning_rate, variable)
        if not isinstance(self, VariableMomentumSGD):
            return super().update_step(gradient, variable, rate)
        gradient = ops.cast(gradient, variable.dtype)
        momentum = self._per_member(self.member_momentum, variable)
        velocity = self.momentums[self._get_variable_index(variable)]
        self.assign(velocity, ops.subtract(ops.multiply(velocity, momentum),
                                           ops.multiply(gradient, rate)))
        self.assign_add(variable, velocity)


_PER_MEMBER_CLASSES: dict = {}


def make_loop_optimizer(family: str) -> keras.optimizers.Optimizer:
    """An optimizer of ``family`` whose settings are assigned later, one value per member.

    For example::

        optimizer = make_loop_optimizer("adam")
        optimizer.build(model.trainable_variables)
        set_hyperparameters(optimizer, [net_a] * 10 + [net_b] * 10)
    """
    plain = LOOP_OPTIMIZERS[family]()
    kind = type(plain)
    if kind not in _PER_MEMBER_CLASSES:
        _PER_MEMBER_CLASSES[kind] = type(f"PerMember{kind.__name__}", (PerMemberRates, kind), {})
    plain.__class__ = _PER_MEMBER_CLASSES[kind]  # built later: no state to convert yet
    return plain


def set_hyperparameters(optimizer: keras.optimizers.Optimizer, net) -> None:
    """Assign the learning rate (and momentum) of ``net`` to every member of a built loop
    optimizer, or of each member's own net when ``net`` is a list of them (one per member)."""
    members = int(optimizer.member_learning_rate.shape[0])
    nets = [net] * members if isinstance(net, NetSpec) else list(net)
    if len(nets) != members:
        raise ValueError(f"{len(nets)} nets for {members} members")
    optimizer.member_learning_rate.assign(
        np.asarray([each.learning_rate for each in nets], dtype=np.float32))
    if isinstance(optimizer, VariableMomentumSGD):
        optimizer.member_momentum.assign(
            np.asarray([each.momentum for each in nets], dtype=np.float32))
