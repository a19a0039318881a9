"""Sweep cells trained together in one graph equal each cell trained alone (the tolerance of
stacked seeds in test_train), with one learning rate and momentum per member."""

from __future__ import annotations

import numpy as np
import pytest

from tinynets.engine import loop, sweeps
from tinynets.engine.data import frame_epochs
from tinynets.posts.model import DataSpec, NetSpec

DATA = DataSpec(function="sine", x_range=(0.0, 10.0), points=40, noise=0.1, seed=0)
CLOSE = dict(rtol=1e-5, atol=1e-7)  # float32 rounding, as for seeds stacked in one graph


def cells_of(optimizer: str, rates, momenta=(0.9,), layers=(8,), epochs=40):
    return [NetSpec(name=f"{optimizer}-{rate}-{momentum}", layers=layers, optimizer=optimizer,
                    learning_rate=rate, momentum=momentum, epochs=epochs, batch_size=16)
            for rate in rates for momentum in momenta]


@pytest.mark.parametrize("cells", [
    cells_of("sgd-momentum", (0.003, 0.03), (0.5, 0.9)),
    cells_of("adam", (0.001, 0.01, 0.05)),
], ids=["sgd-momentum rate × momentum", "adam rates"])
def test_each_member_equals_its_cell_trained_alone(cells):
    seeds = (0, 3)
    epochs_at = frame_epochs(40, 6, "geometric")
    together = sweeps.train_cells(DATA, cells, seeds, epochs_at)
    assert len(together) == len(cells)
    for cell, recording in zip(cells, together):
        alone = loop.train_net(DATA, cell, seeds, epochs_at)
        assert recording.seeds.tolist() == list(seeds)
        np.testing.assert_allclose(recording.losses, alone.losses, **CLOSE)
        np.testing.assert_allclose(recording.fit_losses, alone.fit_losses, **CLOSE)
        np.testing.assert_allclose(recording.predictions, alone.predictions, **CLOSE)
        for mine, theirs in zip(recording.weights, alone.weights, strict=True):
            np.testing.assert_allclose(mine, theirs, **CLOSE)
    # The rates made a difference: the cells did not all train alike.
    finals = [recording.losses[-1, 0] for recording in together]
    assert len({round(float(value), 6) for value in finals}) == len(cells)


def test_one_compile_serves_a_learning_rate_sweep():
    cells = cells_of("sgd", (0.001, 0.002, 0.004, 0.008), epochs=20)
    sweeps.train_cells(DATA, cells, (0, 1), [0, 20])
    shape = loop.LoopShape.of(cells[0], 8, DATA.points, 240, distinct_seeds=2)
    compiled = loop.cached_loops()[shape]
    traces = compiled.traces
    sweeps.train_cells(DATA, cells_of("sgd", (0.1, 0.2, 0.3, 0.4), epochs=20), (0, 1), [0, 20])
    assert compiled.traces == traces  # the other rates reused the compiled graph


def test_groups_follow_the_graph_and_the_member_limit(monkeypatch):
    cells = cells_of("sgd", (0.1, 0.2, 0.3)) + cells_of("sgd", (0.1,), layers=(4,))
    assert [len(group) for group in sweeps.groups(cells, seeds_count=10)] == [3, 1]
    monkeypatch.setattr(sweeps, "MAX_MEMBERS", 20)
    assert [len(group) for group in sweeps.groups(cells, seeds_count=10)] == [2, 1, 1]
