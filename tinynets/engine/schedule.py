"""When the training loop is called and when it reports: the host's schedule of a net's epochs.

The compiled loop (``engine.loop``) trains a block of epochs per call, returning the losses of its
epochs and the predictions at its frames; these say how a net's epochs are cut into calls, and at
which epochs progress is reported. Plain Python: no TensorFlow here.
"""

from __future__ import annotations

import numpy as np

CHUNKS = 40  # how often progress is reported per net, at most
EPOCH_BLOCK = 256  # epochs per call of the compiled loop, at most: the length of its loss buffers
FRAME_BLOCK = 32  # segments (each ending at a frame, or not) per call, at most


def progress_epochs(epochs: int, count: int) -> list[int]:
    """Epochs at which the host reports progress: ``count`` even steps."""
    return sorted(set(int(round(value)) for value in np.linspace(0, epochs, count + 1)))[1:]


def loop_calls(epochs_at: list[int], epochs: int) -> list[tuple[int, list[int]]]:
    """The calls of the compiled loop: (first epoch, segment ends) each.

    Segments end at every frame epoch and at the end; a call holds at most FRAME_BLOCK segments
    and EPOCH_BLOCK epochs (a longer stretch is cut into blocks that end where no frame is).

    >>> loop_calls([0, 1, 600], 600)
    [(0, [0, 1, 256]), (256, [512]), (512, [600])]
    """
    calls: list[tuple[int, list[int]]] = []
    first, ends = 0, []
    for end in sorted(set(epochs_at) | {epochs}):
        while end - first > EPOCH_BLOCK:  # the call is full of epochs: cut where no frame is
            ends.append(first + EPOCH_BLOCK)
            calls.append((first, ends))
            first, ends = ends[-1], []
        ends.append(end)
        if len(ends) == FRAME_BLOCK:  # full of frames
            calls.append((first, ends))
            first, ends = end, []
    if ends:
        calls.append((first, ends))
    return calls
