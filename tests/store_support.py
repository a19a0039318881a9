"""Run keys and recordings for the tests of the run store and its caches: the reference net's key
(or one with a part replaced) and a small random recording, no training."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tinynets.engine.recording import Recording
from tinynets.engine.store import RunKey, run_key
from tinynets.posts.model import DataSpec, FramesSpec, NetSpec


DATA = DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)
NET = NetSpec(name="wide-sgd", layers=(60,), optimizer="sgd", learning_rate=0.01, epochs=5000)
SEEDS = tuple(range(10))
FRAMES = FramesSpec(count=150)


def key(net=NET, seeds=SEEDS, data=DATA, frames=FRAMES) -> RunKey:
    return run_key(data, net, seeds, frames)


def recording(seeds=(0, 1), epochs=6, frames=(0, 2, 6)) -> Recording:
    generator = np.random.default_rng(0)
    losses = generator.random((epochs, len(seeds))).astype(np.float32)
    return Recording(
        seeds=np.asarray(seeds), frame_epochs=np.asarray(frames), grid=np.linspace(0, 1, 240),
        predictions=generator.random((len(frames), len(seeds), 240)).astype(np.float32),
        losses=losses, fit_losses=losses * 1.5,
        weights=[generator.random((len(seeds), 1, 4)), generator.random((len(seeds), 4))],
        wall_time=1.25,
    )


SMALL = NetSpec(name="small", layers=(4,), epochs=6)


def recordings(root: Path) -> dict[str, dict[str, np.ndarray]]:
    found = {}
    for entry in sorted((root / "build" / "cache" / "runs").iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        with np.load(entry / "arrays.npz") as arrays:
            found[entry.name] = {name: arrays[name] for name in arrays.files}
    return found
