"""Sweep and executor benchmarks (``make bench``, never a test).

Prints, each on its own line (with the figures they come from):

    sweep_speedup_vs_per_net: <ratio>   a 1×60 SGD learning-rate sweep (8 rates × 10 seeds ×
                                        5000 epochs, 80 members): 8 separate nets, each trained
                                        as its own job with its own compile (the loop cache
                                        ``loop._LOOPS`` cleared before each: how separate nets
                                        trained before the per-shape compile cache, and how nets
                                        in separate worker processes still do) ÷ one sweep,
                                        compile included
    sweep_speedup_vs_shared_compile: <ratio>
                                        the same 8 nets one after another in one process, all
                                        sharing one compiled loop (the per-shape cache), ÷ one
                                        sweep: what stacking the members alone gains (bounded
                                        near 2.5×: the 80-member loop is compute-bound)
    sweep_member_epochs_per_s: <rate>   the sweep's throughput: members × epochs ÷ its seconds
    sweep_train_s_by_members: …         the same sweep's training time, compile left out, with
                                        5, 10 and 20 seeds (40, 80, 160 members): time in
                                        proportion to members says the loop is compute-bound

    (TensorFlow's and XLA's one-time start-up in a process is paid by a tiny warm-up net first
    and left out of all three timings: otherwise the first of the 8 nets pays it, seconds more.)
    sweep_2000_trainings_s: <seconds>   200 cells (10 widths × 20 rates) × 10 seeds × 5000 epochs
                                        through the training stage (--jobs 2), in a child process;
                                        with sweep_2000_peak_rss_all_processes_mib
    dask_local_cluster_vs_pool: <ratio> the reference experiment's training stage on a Dask
                                        LocalCluster(2) ÷ on the process pool (--jobs 2)
    sweep_grid_36_vs_compare_4: <ratio> rendering sweep_grid of 36 cells ÷ compare() of 4 nets,
                                        both 150 frames, synthetic recordings

Each part can run alone: ``python -m tinynets.bench.sweep speedup|trainings|dask|render``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tinynets.bench.train import DATA, REFERENCE_POST, stage_in_child
from tinynets.engine.data import frame_epochs
from tinynets.posts.model import NetSpec

RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
FRAMES = 150

TRAININGS_POST = """---
title: 2000 trainings (benchmark)
date: 2026-11-01
data: {function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 100, noise: 0.1, seed: 0}
seeds: 10
replicate: 0  # the shown seeds only, as README's figure was measured
frames: {count: 150}
sweeps:
  big:
    max_cells: 200
    net: {optimizer: sgd, epochs: 5000}
    vary:
      layers: [[2], [4], [6], [8], [12], [16], [24], [32], [48], [64]]
      learning_rate: [0.001, 0.0013, 0.0016, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0063, 0.008,
                      0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.063, 0.08]
---
Body.
"""


def speedup() -> None:
    """One sweep of 8 cells against 8 separate nets, with and without a compile each."""
    from tinynets.engine import loop, sweeps

    loop.limit_threads(1)
    seeds = tuple(range(10))
    nets = [NetSpec(name=f"rate-{index}", layers=(60,), optimizer="sgd", learning_rate=rate,
                    epochs=5000) for index, rate in enumerate(RATES)]
    epochs_at = frame_epochs(5000, FRAMES, "geometric")
    # TensorFlow's and XLA's one-time start-up (paid once per process, by whichever net comes
    # first) is left out of every figure: a tiny net of another shape pays it here.
    loop.train_net(DATA, NetSpec(name="warm-up", layers=(3,), epochs=10), (0,), [0, 10])
    loop.forget_loops()
    started = time.perf_counter()
    for net in nets:  # each net its own job: its own compile, as in a worker of its own
        loop.forget_loops()
        loop.train_net(DATA, net, seeds, epochs_at)
    per_net = time.perf_counter() - started
    loop.forget_loops()
    started = time.perf_counter()
    for net in nets:  # one compile, shared by all eight (the per-shape cache)
        loop.train_net(DATA, net, seeds, epochs_at)
    shared = time.perf_counter() - started
    loop.forget_loops()
    started = time.perf_counter()
    sweeps.train_cells(DATA, nets, seeds, epochs_at)  # compile included
    together = time.perf_counter() - started
    member_epochs = len(nets) * len(seeds) * 5000
    print(f"sweep_per_net_own_compile_s: {per_net:.1f}")
    print(f"sweep_per_net_shared_compile_s: {shared:.1f}")
    print(f"sweep_one_graph_s: {together:.1f}")
    print(f"sweep_member_epochs_per_s: {member_epochs / together:,.0f}")
    print(f"sweep_speedup_vs_per_net: {per_net / together:.1f}")
    print(f"sweep_speedup_vs_shared_compile: {shared / together:.1f}", flush=True)
    # Why stacking more members gains no more: the sweep's training time (its compile left
    # out) against its members, 40 … 160. Proportional time means the loop is compute-bound.
    scaling = []
    for seeds_count in (5, 10, 20):
        loop.forget_loops()
        started = time.perf_counter()
        sweeps.train_cells(DATA, nets, tuple(range(seeds_count)), epochs_at)
        compile_seconds = sum(each.compile_seconds for each in loop.cached_loops().values())
        scaling.append((len(nets) * seeds_count, time.perf_counter() - started - compile_seconds))
    print("sweep_train_s_by_members: " + ", ".join(
        f"{members}: {seconds:.2f}" for members, seconds in scaling)
        + f" (×{scaling[-1][1] / scaling[0][1]:.1f} for ×{scaling[-1][0] // scaling[0][0]} members)",
        flush=True)


def trainings() -> None:
    wall, peak, output, _ = stage_in_child(TRAININGS_POST)
    print(output.strip().splitlines()[-1])
    print(f"sweep_2000_trainings_s: {wall:.1f}")
    print(f"sweep_2000_peak_rss_all_processes_mib: {peak / 2**20:.0f}", flush=True)


def dask_versus_pool() -> None:
    pool, pool_peak, _, _ = stage_in_child(REFERENCE_POST, executor="local")
    dask, dask_peak, _, _ = stage_in_child(REFERENCE_POST, executor="dask")
    print(f"reference_pool_s: {pool:.1f} (peak {pool_peak / 2**20:.0f} MiB)")
    print(f"reference_dask_local_cluster_s: {dask:.1f} (peak {dask_peak / 2**20:.0f} MiB)")
    print(f"dask_local_cluster_vs_pool: {dask / pool:.2f}", flush=True)


def render() -> None:
    """sweep_grid of 36 cells against compare() of 4 nets, 150 frames each, same encoder."""
    import numpy as np

    from tinynets.engine.data import grid as grid_of
    from tinynets.media import canvas, render as drawing
    from tinynets.media.sweep import SweepCell, SweepFigure, SweepGridAnimation

    style = canvas.Style()
    epochs = np.asarray(frame_epochs(5000, FRAMES, "geometric"))
    x = grid_of(DATA)
    progress = np.linspace(0, 1, len(epochs))[:, None]
    curve = np.sin(2 * x)[None, :] * progress
    panels = [drawing.Panel(name=f"net-{index}", label=f"net {index}", color="#0072B2",
                            data=DATA, frame_epochs=epochs, grid=x,
                            predictions=np.repeat(curve[:, None, :], 2, axis=1).astype(np.float32),
                            losses=np.full((5000, 2), 0.05, np.float32), representative=0)
              for index in range(4)]
    widths, rates = tuple((w,) for w in (2, 4, 8, 16, 32, 64)), (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
    # Each cell's error falls from 0.5 at its own pace: about half the cells pass the stuck
    # limit during training, so their lines change colour as they would in a real sweep.
    steps = np.arange(1, 5001, dtype=np.float32)
    cells = [SweepCell(label=f"{w[0]} {r}", values=(w, r), final_losses=np.full(10, 0.05),
                       stuck=0, diverged=0, frame_epochs=epochs, grid=x,
                       predictions=(curve * (0.5 + index / 72)).astype(np.float32),
                       losses=(0.5 / steps ** (0.1 + index / 80)).astype(np.float32))
             for index, (w, r) in enumerate((w, r) for w in widths for r in rates)]
    sweep = SweepFigure(label="bench", keys=("layers", "learning_rate"), values=(widths, rates),
                        cells=cells, floor=0.01, data=DATA, stuck_limit=0.05)
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-render-") as folder:
        started = time.perf_counter()
        canvas.write_animation(drawing.ComparisonAnimation(panels, style), Path(folder),
                                "compare", style)
        compare = time.perf_counter() - started
        started = time.perf_counter()
        canvas.write_animation(SweepGridAnimation(sweep, style), Path(folder), "grid", style)
        grid = time.perf_counter() - started
    print(f"compare_4_render_s: {compare:.1f}")
    print(f"sweep_grid_36_render_s: {grid:.1f}")
    print(f"sweep_grid_36_vs_compare_4: {grid / compare:.2f}", flush=True)


PARTS = {"speedup": speedup, "trainings": trainings, "dask": dask_versus_pool, "render": render}


def main(argv: list[str] | None = None) -> None:
    for name in (argv if argv else list(PARTS)):
        PARTS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
