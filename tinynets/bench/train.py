"""Training benchmark (``make bench``, not a test): the engine against the obvious Keras recipe.

Prints, each on its own line:

    train_speedup_vs_naive: <ratio>   ms per net-seed-epoch, naive ÷ engine
    seeds10_cost_vs_seed1: <ratio>    wall time of one net with 10 seeds ÷ with 1 seed
    compile_share_first_net: <share>  build + trace + XLA compile ÷ wall time, first net of a shape
    second_net_same_shape_speedup: <ratio>  seconds per epoch, first net ÷ a second net of the
                                      same shape (other learning rate and epochs): no compile

The naive reference is what a reader would write: ``model.fit(batch_size=32, shuffle=True)``
with a callback that calls ``model.predict`` on the grid after every epoch, on the 1×60 ReLU SGD
net of the reference experiment, for ``--naive-epochs`` epochs (200 by default; its cost per
epoch is flat, so a few hundred epochs measure it well). The engine trains the same net as the
real build does: 5000 epochs, 150 geometric frames, 10 seeds, compile time included.

The compile lines train the 2×10 Adam net (10 seeds, 150 frames) in a shape no other line uses:
first 5000 epochs at learning rate 0.001, then 4000 epochs at 0.003 through the cached loop.
``--compile-only`` prints only those lines (about 10 s).

``--reference`` also trains the four nets of the reference experiment (10 seeds, 5000 epochs)
through the build's training stage with ``--jobs 2`` in a child process, and prints its wall time
and peak memory (largest process, and all processes at once).

``--replication`` prints ``replication_cost_vs_shown``: the clean training of the reference post
with ``replicate: 10`` (its 10 shown seeds and 10 replication seeds, stacked in each net's one
compiled loop) ÷ with ``replicate: 0``, each through the training stage with ``--jobs 2`` in a
fresh child process and a fresh cache, the two in turns (each first in every other round),
``REPLICATION_ROUNDS`` rounds, medians; then ``replication_loop_cost_vs_shown``, the compiled
loop's own share of that: one net's training with 20 seeds ÷ 10, compile left out.

Example:
    $ python -m tinynets.bench.train --reference
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tinynets.engine.data import frame_epochs, grid, training_points
from tinynets.posts.model import DataSpec, NetSpec

DATA = DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)
WIDE_SGD = NetSpec(name="wide-sgd", layers=(60,), optimizer="sgd", learning_rate=0.01,
                   batch_size=32, epochs=5000)
FRAMES = 150

REFERENCE_POST = """---
title: Reference experiment (benchmark)
date: 2026-11-01
data: {function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 100, noise: 0.1, seed: 0}
nets:
  wide-sgd: {layers: [60], optimizer: sgd, learning_rate: 0.01}
  deep-sgd: {layers: [10, 10], optimizer: sgd, learning_rate: 0.01}
  wide-adam: {layers: [60], optimizer: adam, learning_rate: 0.001}
  deep-adam: {layers: [10, 10], optimizer: adam, learning_rate: 0.001}
seeds: 10
replicate: 0  # the shown seeds only, as README's figure was measured
frames: {count: 150}
---

Benchmark.
"""


def naive(epochs: int) -> float:
    """Seconds per epoch of model.fit + model.predict in a callback every epoch (one seed)."""
    import keras

    from tinynets.engine.model import build_reference_model

    x_values, y_values = training_points(DATA)
    grid_values = grid(DATA)[:, None]
    keras.utils.set_random_seed(0)
    model = build_reference_model(WIDE_SGD)
    frames = []

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            frames.append(self.model.predict(grid_values, verbose=0))

    started = time.perf_counter()
    model.fit(x_values[:, None], y_values[:, None], batch_size=32, shuffle=True, epochs=epochs,
              callbacks=[Snapshot()], verbose=0)
    seconds = time.perf_counter() - started
    assert len(frames) == epochs
    return seconds / epochs


def engine(seeds: int, epochs: int = WIDE_SGD.epochs) -> float:
    """Wall seconds of the engine training the 1×60 SGD net with ``seeds`` seeds, as built."""
    from tinynets.engine import loop as train

    net = NetSpec(**{**WIDE_SGD.__dict__, "epochs": epochs})
    started = time.perf_counter()
    train.train_net(DATA, net, tuple(range(seeds)), frame_epochs(epochs, FRAMES))
    return time.perf_counter() - started


def compile_share() -> None:
    """Print what compiling costs a fresh shape, and what a second net of that shape saves."""
    from tinynets.engine import loop as train

    first = NetSpec(name="deep-adam", layers=(10, 10), optimizer="adam", learning_rate=0.001,
                    epochs=5000)
    second = NetSpec(**{**first.__dict__, "learning_rate": 0.003, "epochs": 4000})
    seeds = tuple(range(10))
    times = []
    for net in (first, second):
        started = time.perf_counter()
        recording = train.train_net(DATA, net, seeds, frame_epochs(net.epochs, FRAMES))
        times.append(time.perf_counter() - started)
    shape = train.LoopShape.of(first, len(seeds), DATA.points, recording.grid.size)
    loop = train.cached_loops()[shape]
    if loop.traces != 1:
        raise SystemExit(f"the second net of the shape was traced again: {loop.traces} traces")
    per_epoch = [seconds / net.epochs for seconds, net in zip(times, (first, second))]
    print(f"compile_share_first_net: {loop.compile_seconds / times[0]:.2f} "
          f"({loop.compile_seconds:.2f} s build + trace + XLA compile of {times[0]:.2f} s; "
          f"2×10 Adam, 10 seeds, {first.epochs} epochs, {FRAMES} frames)")
    print(f"second_net_same_shape_speedup: {per_epoch[0] / per_epoch[1]:.2f} "
          f"(per epoch; first {times[0]:.2f} s for {first.epochs} epochs, second "
          f"{times[1]:.2f} s for {second.epochs} epochs at learning rate "
          f"{second.learning_rate}, {loop.traces} trace in all)")


STAGE_SCRIPT = (
    "import io, sys, time\n"
    "from pathlib import Path\n"
    "from tinynets.posts.load import load_posts\n"
    "from tinynets.engine import stage as training\n"
    "from tinynets.progress import ProgressBoard\n"
    "if __name__ == '__main__':\n"
    "    root = Path(sys.argv[1]); started = time.perf_counter()\n"
    "    posts = load_posts(root / 'content')\n"
    "    training.train_missing(posts, root / 'cache', False, int(sys.argv[2]), print,\n"
    "                           ProgressBoard(io.StringIO()), sys.argv[3])\n"
    "    print(f'training stage wall: {time.perf_counter() - started:.1f}s')\n"
)


def stage_in_child(post: str, jobs: int = 2, executor: str = "local",
                   timed: bool = False) -> tuple[float, int, str, str]:
    """Run the build's training stage on ``post`` (a post's text) in a child process, in a
    temporary project: (wall seconds, peak memory of the child and its descendants in bytes,
    stdout, stderr). ``timed`` runs it under ``/usr/bin/time -v`` (largest process in stderr)."""
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-") as folder:
        root = Path(folder)
        (root / "content" / "posts").mkdir(parents=True)
        (root / "content" / "posts" / "bench.md").write_text(post, "utf-8")
        (root / "stage.py").write_text(STAGE_SCRIPT, "utf-8")
        command = [sys.executable, str(root / "stage.py"), str(root), str(jobs), executor]
        timer = Path("/usr/bin/time")
        if timed and timer.exists():
            command = [str(timer), "-v", *command]
        sampler = _TreeMemory()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env={**os.environ, "PYTHONPATH": str(_repo())})
        sampler.watch(process.pid)
        stdout, stderr = process.communicate()
        wall = time.perf_counter() - started
        sampler.stop()
        if process.returncode:
            raise SystemExit(f"training stage failed:\n{stdout}\n{stderr[-3000:]}")
        return wall, sampler.peak, stdout, stderr


def reference_build(jobs: int = 2) -> None:
    """Train the reference experiment through the build's training stage in a child process."""
    wall, peak, stdout, stderr = stage_in_child(REFERENCE_POST, jobs, timed=True)
    print(stdout.strip())
    largest = next((line.split(":")[1].strip() for line in stderr.splitlines()
                    if "Maximum resident set size" in line), None)
    print(f"reference_build_wall_s: {wall:.1f}")
    if largest:
        print(f"reference_build_peak_rss_largest_process_mib: {int(largest) / 1024:.0f}")
    print(f"reference_build_peak_rss_all_processes_mib: {peak / 2**20:.0f}")


REPLICATION_ROUNDS = 4


def replication_cost(jobs: int = 2, rounds: int = REPLICATION_ROUNDS) -> float:
    """Print (and return) the reference post's clean training with as many replication seeds as
    shown seeds ÷ without any: the training stage's wall time in the child (workers started,
    TensorFlow imported, loops compiled and trained; not the child's own start), and the nets'
    summed training times as each job measured them (compile and training only)."""
    import re
    import statistics

    timed: dict[int, list[tuple[float, float]]] = {0: [], 10: []}
    for round_ in range(rounds):
        # Alternate which goes first: a machine whose load drifts favours neither.
        for replicate in ((0, 10) if round_ % 2 == 0 else (10, 0)):
            post = re.sub(r"^replicate: 0.*$", f"replicate: {replicate}", REFERENCE_POST,
                          flags=re.M)
            _, _, stdout, _ = stage_in_child(post, jobs)
            stage = float(re.search(r"training stage wall: ([0-9.]+)s", stdout).group(1))
            nets = sum(float(seconds) for seconds in
                       re.findall(r"^trained \S+: .* in ([0-9.]+)s", stdout, re.M))
            if stdout.count("\ntrained ") + stdout.startswith("trained ") != 4:
                raise SystemExit(f"expected four nets trained:\n{stdout}")
            timed[replicate].append((stage, nets))
            print(f"  round {round_ + 1}, replicate {replicate}: training stage {stage:.1f} s, "
                  f"nets {nets:.1f} s", flush=True)
    stage = {key: statistics.median(value[0] for value in values)
             for key, values in timed.items()}
    nets = {key: statistics.median(value[1] for value in values)
            for key, values in timed.items()}
    ratio = stage[10] / stage[0]
    print(f"replication_cost_vs_shown: {ratio:.2f} (training stage {stage[10]:.1f} s with 10 "
          f"shown + 10 replication seeds ÷ {stage[0]:.1f} s with the 10 shown seeds only; the "
          f"four nets' own training times {nets[10]:.1f} s ÷ {nets[0]:.1f} s = "
          f"{nets[10] / nets[0]:.2f}; reference post, --jobs {jobs}, medians of {rounds} rounds "
          "in turns)", flush=True)
    return ratio


def replication_loop_cost(rounds: int = REPLICATION_ROUNDS) -> float:
    """Print (and return) what the replication seeds add to the compiled loop's own work: the
    1×60 SGD net trained with 20 seeds (10 shown + 10 replication) ÷ with 10, in this process,
    each shape compiled once before (training only, no compile), one thread as in the build's
    workers, in turns, medians."""
    import statistics

    from tinynets.engine import loop as train

    train.limit_threads(1)
    engine(10), engine(20)  # each shape's trace and compile, left out below
    timed: dict[int, list[float]] = {10: [], 20: []}
    for round_ in range(rounds):
        for seeds in ((10, 20) if round_ % 2 == 0 else (20, 10)):
            timed[seeds].append(engine(seeds))
    shown, both = statistics.median(timed[10]), statistics.median(timed[20])
    print(f"replication_loop_cost_vs_shown: {both / shown:.2f} ({both:.2f} s with 20 seeds ÷ "
          f"{shown:.2f} s with 10; 1×60 SGD, {WIDE_SGD.epochs} epochs, compile left out, "
          f"medians of {rounds} rounds in turns)", flush=True)
    return both / shown


def _repo() -> Path:
    return Path(__file__).resolve().parents[2]


class _TreeMemory:
    """Samples the summed resident memory of a process and its descendants (Linux /proc)."""

    def __init__(self):
        self.peak = 0
        self._running = True
        self._thread: threading.Thread | None = None

    def watch(self, pid: int) -> None:
        self._thread = threading.Thread(target=self._loop, args=(pid,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._running = False
        if self._thread:
            self._thread.join()

    def _loop(self, pid: int) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while self._running:
            self.peak = max(self.peak, sum(_rss_pages(p) for p in _tree(pid)) * page)
            time.sleep(0.1)


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _rss_pages(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tinynets.bench.train",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive-epochs", type=int, default=200)
    parser.add_argument("--reference", action="store_true",
                        help="also train the reference experiment with --jobs 2 (~1 minute)")
    parser.add_argument("--replication", action="store_true",
                        help="print only replication_cost_vs_shown and "
                             "replication_loop_cost_vs_shown (a few minutes)")
    parser.add_argument("--compile-only", action="store_true",
                        help="print only the compile lines (compile share, second net speedup)")
    arguments = parser.parse_args(argv)
    from tinynets.engine import loop as train

    if arguments.replication:
        replication_cost()
        replication_loop_cost()
        return
    train.limit_threads(1)  # as in the build's workers
    if arguments.compile_only:
        compile_share()
        return
    naive_seconds = naive(arguments.naive_epochs)
    one = engine(1)
    ten = engine(10)
    epochs = WIDE_SGD.epochs
    naive_ms = naive_seconds * 1000
    engine_ms = ten * 1000 / (10 * epochs)
    print(f"naive_ms_per_epoch: {naive_ms:.1f} ({arguments.naive_epochs} epochs)")
    print(f"engine_wall_s_1_seed: {one:.2f} ({epochs} epochs, {FRAMES} frames, compile included)")
    print(f"engine_wall_s_10_seeds: {ten:.2f}")
    print(f"engine_ms_per_seed_epoch: {engine_ms:.4f} (10 seeds); "
          f"{one * 1000 / epochs:.4f} (1 seed)")
    print(f"train_speedup_vs_naive: {naive_ms / engine_ms:.0f}")
    print(f"seeds10_cost_vs_seed1: {ten / one:.2f}")
    compile_share()
    if arguments.reference:
        reference_build()


if __name__ == "__main__":
    main()
