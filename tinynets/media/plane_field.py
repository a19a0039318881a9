"""What a net on the plane computes over the grid, recomputed from its weights (numpy only).

The figure data of a plane net (tinynets.media.figure_data, ``PlaneFigureData``) keeps the
weights at the frame epochs rather than the predictions: a 64 × 64 grid is 4,096 values per
seed and frame, a 3×16 net 609 weights. The browser (figures/plane_net.js) computes the field
from them as this module does, in float64; the writer compares this module's field from the
decoded weights with the recorded predictions and states the largest difference in the file.

A net here is a list of (kernel ``(inputs, units)``, bias ``(units,)``) pairs, the output layer
last, as ``tinynets.measure.inside`` takes it; kernels may carry leading batch axes.

Example (a net with one tanh unit that is x1 − x2, and a sigmoid output of twice that unit):
    >>> layers = [(np.array([[1.0], [-1.0]]), np.array([0.0])),
    ...           (np.array([[2.0]]), np.array([0.0]))]
    >>> grid = np.array([[0.0, 0.0], [1.0, 0.0]])
    >>> np.round(field(layers, grid, ("x1", "x2"), "tanh", True), 3).tolist()
    [0.5, 0.821]
"""

from __future__ import annotations

import numpy as np

from tinynets.engine.plane import features as feature_columns
from tinynets.measure.inside import ACTIVATIONS

# Frames × seeds computed at once when the writer checks a whole recording: bounds the memory
# of the hidden layers' outputs (chunk × 4,096 points × units float64).
CHUNK = 16


def sigmoid(values: np.ndarray) -> np.ndarray:
    """The output of a classifier: the probability of class 1."""
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def inputs_of(grid: np.ndarray, features) -> np.ndarray:
    """The grid as the nets saw it (one float32 column per feature), in float64."""
    return feature_columns(np.asarray(grid, dtype=np.float64), features).astype(np.float64)


def hidden_and_output(layers, inputs: np.ndarray, activation: str, classification: bool):
    """(hidden, output): every hidden layer's outputs ``(..., points, units)`` and the net's
    output ``(..., points)`` (a probability for a classifier, a value otherwise)."""
    function = ACTIVATIONS[activation]
    values = inputs
    hidden = []
    for kernel, bias in layers[:-1]:
        values = function(values @ kernel + bias[..., None, :])
        hidden.append(values)
    kernel, bias = layers[-1]
    output = (values @ kernel + bias[..., None, :])[..., 0]
    return hidden, sigmoid(output) if classification else output


def field(layers, grid: np.ndarray, features, activation: str, classification: bool) -> np.ndarray:
    """The net's output at every grid point."""
    return hidden_and_output(layers, inputs_of(grid, features), activation, classification)[1]


def layers_of(frame_weights: list[np.ndarray], frames, seeds) -> list[tuple]:
    """The (kernel, bias) pairs of the given frames and seeds, with those two leading axes."""
    values = [np.asarray(array, dtype=np.float64)[frames][:, seeds] for array in frame_weights]
    return list(zip(values[0::2], values[1::2]))


def fields(frame_weights: list[np.ndarray], grid: np.ndarray, features, activation: str,
           classification: bool) -> np.ndarray:
    """(frames, seeds, points): the field of every seed at every frame, from ``frame_weights``
    (each ``(frames, seeds, *shape)``), computed a few frames at a time."""
    inputs = inputs_of(grid, features)
    frames, seeds = frame_weights[0].shape[:2]
    out = np.empty((frames, seeds, len(inputs)))
    every_seed = np.arange(seeds)
    step = max(1, CHUNK // max(seeds, 1))
    for start in range(0, frames, step):
        chosen = np.arange(start, min(start + step, frames))
        layers = layers_of(frame_weights, chosen, every_seed)
        out[chosen] = hidden_and_output(layers, inputs, activation, classification)[1]
    return out
