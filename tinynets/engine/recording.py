"""What training leaves behind: one net's recording, every seed at once (numpy arrays only).

The training loop (``engine.loop``) makes it, the run store (``engine.store``) saves it; neither
the store nor the rest of the build need TensorFlow to read one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    # The weights at every frame epoch, as ``weights`` with a frames axis first: each
    # (frames, seeds, *shape). Bends, unit outputs and dead units are derived from them.
    frame_weights: list[np.ndarray] | None = None
    # Data with a test set (the plane, 2-column files): (epochs, seeds) each, after each epoch.
    test_losses: np.ndarray | None = None  # error on the test points
    accuracy: np.ndarray | None = None  # classification: share of training points right
    test_accuracy: np.ndarray | None = None  # classification: share of test points right
