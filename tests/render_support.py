"""Synthetic recordings for the renderer's tests (no TensorFlow): a prediction that moves from a
flat line to the true function, losses that fall towards the noise floor; and labels that try
the figures' text handling."""

from __future__ import annotations

import numpy as np

from tinynets.engine.data import frame_epochs, grid, target
from tinynets.media import render
from tinynets.media.canvas import Style
from tinynets.posts.model import DataSpec

DATA = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
STYLE = Style()  # the site's: 800×350, 8 s loop with a 1.5 s hold


def make_panel(epochs=200, frames=26, seeds=3, color="#0072B2", label="1×8 SGD",
               name="wide", diverge_seed=None) -> render.Panel:
    """A synthetic recording: seed s moves from 0 towards the target, losses fall."""
    epochs_at = np.asarray(frame_epochs(epochs, frames))
    x = grid(DATA)
    truth = target(DATA, x)
    progress = (epochs_at / epochs)[:, None, None]
    offsets = np.arange(seeds)[None, :, None] * 0.05
    predictions = (progress * truth[None, None, :] + offsets).astype(np.float32)
    steps = np.arange(1, epochs + 1)[:, None]
    losses = (0.5 / steps ** 0.6 + 0.01 * (1 + np.arange(seeds)[None, :])).astype(np.float32)
    if diverge_seed is not None:
        blow_up = epochs // 2
        losses[blow_up:, diverge_seed] = np.nan
        losses[blow_up - 3:blow_up, diverge_seed] = [1e3, 1e12, np.inf]
        predictions[epochs_at >= blow_up, diverge_seed] = np.nan
        predictions[(epochs_at < blow_up) & (epochs_at > blow_up // 2), diverge_seed] = 1e9
    return render.Panel(name=name, label=label, color=color, data=DATA,
                        frame_epochs=epochs_at, grid=x, predictions=predictions, losses=losses,
                        representative=0 if diverge_seed is None else diverge_seed)


LONG = ("A very long label " * 12)[:200]
HOSTILE = ["<script>alert(1)</script> \"q\" 'q' & &amp; | $x$",
           "cost $\\foo{ 5$ \\back\\slash",
           LONG,  # row 2 of a 2×2 grid: its title must not reach into row 1
           "שלום عالم $\\alpha$"]
