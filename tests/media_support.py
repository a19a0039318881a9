"""Recordings for the media stage's tests without training: every net of the fixture posts gets a
synthetic recording in the run store, and the pages' uses that ask for the media."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from tinynets.engine.data import grid, target
from tinynets.engine.stage import Run, post_run
from tinynets.engine.store import RunStore
from tinynets.media.uses import PageUses


def synthetic_runs(posts, cache):
    """Save a made-up recording for every net of ``posts``; return the runs as build uses them."""
    store = RunStore(cache / "runs")
    runs = {}
    for post in posts:
        for index, net in enumerate(post.nets):
            key = post_run(post, net).key  # replication seeds too
            epochs_at = np.asarray(key.spec["frames"])
            x = grid(post.data)
            progress = (epochs_at / net.epochs)[:, None, None]
            seeds = len(post.run_seeds)
            predictions = np.broadcast_to(progress * target(post.data, x),
                                          (len(epochs_at), seeds, len(x))).astype(np.float32)
            losses = (0.5 / np.arange(1, net.epochs + 1)[:, None] ** (0.5 + 0.1 * index)
                      + 0.01 * np.arange(1, seeds + 1)).astype(np.float32)
            widths = [net.inputs, *net.layers, 1]  # final weights of the right shapes
            weights = [array for inputs, units in zip(widths[:-1], widths[1:])
                       for array in (np.full((seeds, inputs, units), 0.1, np.float32),
                                     np.zeros((seeds, units), np.float32))]
            recording = SimpleNamespace(
                seeds=np.asarray(post.run_seeds), frame_epochs=epochs_at, grid=x,
                predictions=predictions, losses=losses, fit_losses=losses, weights=weights,
                wall_time=0.1)
            meta = store.save(key, net, recording)
            runs[(post.slug, net.name)] = Run(post, net.name, key, meta)
    return runs


# A page that shows both comparison media (and no net's inside).
BOTH_COMPARISONS = PageUses(macros=frozenset({"comparison", "comparison_losses"}))


def shown(posts, page_uses=BOTH_COMPARISONS) -> dict[str, PageUses]:
    return {post.slug: page_uses for post in posts}
