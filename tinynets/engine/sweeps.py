"""Sweep cells of one shape trained together: cells × seeds stacked on the leading axis.

Cells that agree on what changes the compiled graph (layers, activation, loss, optimizer
family, batch size) and on epochs share one compiled loop: member ``c × seeds + s`` is cell
``c`` with seed ``s``. Each member starts from its cell's own initial weights for its seed,
visits the points in its seed's order (the in-graph shuffle depends on the seed and the epoch
only) and is updated with its cell's own learning rate and momentum (``model.PerMemberRates``),
so it trains as the cell would alone; a test checks that against ``train_net``. The recording
is then split back into one per cell, cached like any net's.

Memory: a group holds ``losses`` (epochs × members, twice) and the predictions at the frames
(frames × members × grid); groups are cut to at most ``MAX_MEMBERS`` members.

Example::

    recordings = train_cells(post.data, cells, seeds=(0, 1), epochs_at=[0, 10, 100])
    len(recordings) == len(cells)
    # True
"""

from __future__ import annotations

import dataclasses
import time
from typing import Callable

import numpy as np

from tinynets.posts.model import NetSpec

MAX_MEMBERS = 1024  # members (cells × seeds) trained in one group, at most

# Where each recorded field keeps its members axis (fields left out have none, or are None).
MEMBER_AXES = {"seeds": 0, "predictions": 1, "losses": 1, "fit_losses": 1,
               "test_losses": 1, "accuracy": 1, "test_accuracy": 1}
MEMBER_AXES_OF_LISTS = {"weights": 0, "frame_weights": 1}


def graph_key(net: NetSpec) -> tuple:
    """What cells must share to train in one graph: their loop shape and their epochs."""
    return (tuple(net.layers), net.activation, net.loss, net.optimizer, net.batch_size,
            net.epochs)


def groups(cells: list[NetSpec], seeds_count: int) -> list[list[NetSpec]]:
    """Cells grouped by ``graph_key`` (in order of first appearance), each group cut to at
    most ``MAX_MEMBERS`` members.

    >>> a, b, c = (NetSpec(name=n, layers=l) for n, l in (("a", (4,)), ("b", (8,)), ("c", (4,))))
    >>> [[cell.name for cell in group] for group in groups([a, b, c], seeds_count=10)]
    [['a', 'c'], ['b']]
    """
    by_key: dict[tuple, list[NetSpec]] = {}
    for cell in cells:
        by_key.setdefault(graph_key(cell), []).append(cell)
    per_group = max(1, MAX_MEMBERS // max(1, seeds_count))
    return [group[start:start + per_group] for group in by_key.values()
            for start in range(0, len(group), per_group)]


def split(recording, cells_count: int, seeds_count: int) -> list:
    """One recording per cell from a group's recording (members = cells × seeds)."""
    parts = []
    for cell in range(cells_count):
        members = slice(cell * seeds_count, (cell + 1) * seeds_count)
        changes = {}
        for field in dataclasses.fields(recording):
            value = getattr(recording, field.name)
            if value is None:
                continue
            if field.name in MEMBER_AXES:
                index = [slice(None)] * np.ndim(value)
                index[MEMBER_AXES[field.name]] = members
                changes[field.name] = np.ascontiguousarray(np.asarray(value)[tuple(index)])
            elif field.name in MEMBER_AXES_OF_LISTS:
                axis = MEMBER_AXES_OF_LISTS[field.name]
                changes[field.name] = [
                    np.ascontiguousarray(np.take(np.asarray(array), np.arange(
                        members.start, members.stop), axis=axis)) for array in value]
        changes["wall_time"] = recording.wall_time / cells_count  # each cell's share
        parts.append(dataclasses.replace(recording, **changes))
    return parts


def train_cells(data, cells: list[NetSpec], seeds: tuple[int, ...], epochs_at: list[int],
                progress: Callable[[int, int], None] | None = None, threads: int | None = 1):
    """Train ``cells`` (one ``graph_key``) for every seed in one graph; one Recording each."""
    from tinynets.engine import loop
    from tinynets.engine.model import initial_weights, stack_weights

    keys = {graph_key(cell) for cell in cells}
    if len(keys) != 1:
        raise ValueError(f"cells of {len(keys)} graph shapes cannot train together: {keys}")
    started = time.perf_counter()
    member_seeds = tuple(seed for _ in cells for seed in seeds)
    members = [cell for cell in cells for _ in seeds]
    start_weights = stack_weights([initial_weights(cell, seed) for cell in cells
                                   for seed in seeds])
    # The loop is named after its first net: a cell's name ('w[layers=4]') is no Keras name.
    shape_net = dataclasses.replace(cells[0], name="sweep-cells")
    recording = loop.train_net(data, shape_net, member_seeds, epochs_at, progress=progress,
                               start_weights=start_weights, threads=threads, members=members,
                               distinct_seeds=len(seeds) if len(cells) > 1 else 0)
    recording.wall_time = time.perf_counter() - started
    return split(recording, len(cells), len(seeds))
