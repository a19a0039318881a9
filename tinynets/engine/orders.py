"""The order in which each seed visits the training points, every epoch.

Each epoch's order sorts the points by a hash of (seed, epoch, point): SplitMix64 (wrapping uint64
products, shifts, xor), so the orders are a pure function of the seed and the epoch. The point's
index fills the low 31 bits of the sort key, so keys never tie and any sort gives the same order.
The training loop (``engine.loop``) trains on exactly these, a block of epochs per call; the
reference test feeds them to ``model.fit``. Numpy only: no TensorFlow here.
"""

from __future__ import annotations

import numpy as np

GOLDEN = 0x9E3779B97F4A7C15
MIX = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
INDEX_BITS = 31  # points < 2**31


def mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 arrays (products wrap modulo 2**64)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(MIX[0])
    values = (values ^ (values >> np.uint64(27))) * np.uint64(MIX[1])
    return values ^ (values >> np.uint64(31))


def shuffle_orders(seeds: tuple[int, ...], epochs: int, points: int,
                   first: int = 0) -> np.ndarray:
    """The order in which each seed visits the points in epochs ``first`` … ``first + epochs -
    1``: (epochs, seeds, points).

    The loop trains on exactly these (the host passes each call's block in); the reference test
    feeds them to ``model.fit``. A seed's orders depend on its own seed and the epoch only, so
    its run does not depend on which other seeds train beside it.

    >>> shuffle_orders((0,), epochs=1, points=5)[0, 0].tolist()
    [1, 2, 0, 3, 4]
    """
    with np.errstate(over="ignore"):
        seed = np.asarray(seeds, dtype=np.int64).astype(np.uint64)[None, :, None]
        epoch = np.arange(first, first + epochs, dtype=np.uint64)[:, None, None]
        index = np.arange(points, dtype=np.uint64)[None, None, :]
        stream = mix(mix(seed + np.uint64(GOLDEN)) + epoch * np.uint64(GOLDEN))
        hashes = mix(stream + (index + np.uint64(1)) * np.uint64(GOLDEN))
        keys = ((hashes >> np.uint64(64 - INDEX_BITS)).astype(np.int64) << INDEX_BITS) | (
            index.astype(np.int64))
        return (np.sort(keys, axis=-1) & ((1 << INDEX_BITS) - 1)).astype(np.int32)
