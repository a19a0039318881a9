"""Benchmark of what recording and showing a net's inside costs (``make bench``).

Prints, each on its own line:

    weights_recording_overhead: <ratio>  seconds to train with the weights recorded at every
                                         frame ÷ without (1×60 ReLU SGD, 10 seeds, 5000 epochs,
                                         150 frames; compile excluded; medians of 3); budget 1.10
    units_figure_vs_plain: <ratio>       figure(units=true) ÷ plain figure, render + encode
                                         (1×60 ReLU SGD); budget 1.5
    network_vs_plain: <ratio>            network(net) ÷ plain figure (2×10 ReLU SGD); budget 3
    units_gif_kb / units_webm_kb / network_gif_kb / network_webm_kb: sizes at 150 frames;
                                         budgets 600 KB (GIF) and 300 KB (WebM)

"Without" is the same compiled loop whose weight writes are left out of the graph, so the two
differ by exactly the recording.

Run: ``python -m tinynets.bench.inside``; about a minute on an idle 2-core machine.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tinynets.engine.data import frame_epochs
from tinynets.posts.model import DataSpec, NetSpec

DATA = DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)
WIDE = NetSpec(name="wide-sgd", label="1×60 ReLU, SGD", layers=(60,), optimizer="sgd",
               learning_rate=0.01, epochs=5000)
DEEP = NetSpec(name="deep-sgd", label="2×10 ReLU, SGD", layers=(10, 10), optimizer="sgd",
               learning_rate=0.01, epochs=5000)
FRAMES = 150
SEEDS = tuple(range(10))


class _NoWrites:
    """Stands in for the frame-weights variable while the loop is traced: nothing is written."""

    def scatter_nd_update(self, *arguments, **keywords):
        return None


def _without_weights_loop():
    from tinynets.engine import loop

    class WithoutWeights(loop.CompiledLoop):
        """The compiled loop with its weight writes left out of the graph."""

        def _train_block(self, *arguments):
            real, self.frame_weights = self.frame_weights, _NoWrites()
            try:
                return super()._train_block(*arguments)
            finally:
                self.frame_weights = real

    return WithoutWeights


def recording_overhead(runs: int = 3) -> float:
    """Training seconds with the weights recorded ÷ without, compile excluded."""
    from tinynets.engine import loop

    epochs_at = frame_epochs(WIDE.epochs, FRAMES)
    shape = loop.LoopShape.of(WIDE, len(SEEDS), DATA.points, 240)
    loops = {"with": loop.CompiledLoop(shape, WIDE),
             "without": _without_weights_loop()(shape, WIDE)}
    times: dict[str, list[float]] = {name: [] for name in loops}
    for _ in range(runs):
        for name, compiled in loops.items():
            loop.keep_loop(shape, compiled)  # train_net takes the loop of its shape from here
            started = time.perf_counter()
            loop.train_net(DATA, WIDE, SEEDS, epochs_at)
            times[name].append(time.perf_counter() - started)
    loop.keep_loop(shape, None)
    return statistics.median(times["with"]) / statistics.median(times["without"])


def _panel(recording, net):
    from tinynets.measure.finals import representative_seed
    from tinynets.media.render import Panel

    finals = [float(value) for value in recording.losses[-1]]
    seeds = [int(seed) for seed in recording.seeds]
    return Panel(name=net.name, label=net.label, color="#0072B2", data=DATA,
                 frame_epochs=recording.frame_epochs, grid=recording.grid,
                 predictions=recording.predictions, losses=recording.losses,
                 representative=seeds.index(representative_seed(seeds, finals)))


def _timed_write(animation_of, folder: Path, stem: str, runs: int = 3) -> float:
    from tinynets.media import canvas

    style = canvas.Style()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        canvas.write_animation(animation_of(style), folder, stem, style)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def render_costs() -> dict:
    from tinynets.engine.loop import train_net
    from tinynets.media import inside, render

    epochs_at = frame_epochs(WIDE.epochs, FRAMES)
    results = {}
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-inside-") as name:
        folder = Path(name)
        for net, part in ((WIDE, "units"), (DEEP, "network")):
            recording = train_net(DATA, net, SEEDS, epochs_at)
            panel = _panel(recording, net)
            plain = _timed_write(lambda style: render.NetAnimation(panel, style), folder, "plain")
            figure = inside.UnitsAnimation if part == "units" else inside.NetworkAnimation
            timed = _timed_write(lambda style: figure(panel, recording.frame_weights,
                                                      net.activation, style), folder, part)
            results[part] = timed / plain
            results[f"{part}_gif_kb"] = (folder / f"{part}.gif").stat().st_size / 1024
            results[f"{part}_webm_kb"] = (folder / f"{part}.webm").stat().st_size / 1024
    return results


def main() -> None:
    from tinynets.engine.loop import limit_threads

    limit_threads(1)
    print(f"weights_recording_overhead: {recording_overhead():.3f}", flush=True)
    costs = render_costs()
    print(f"units_figure_vs_plain: {costs['units']:.2f}")
    print(f"network_vs_plain: {costs['network']:.2f}")
    for part in ("units", "network"):
        print(f"{part}_gif_kb: {costs[f'{part}_gif_kb']:.0f}")
        print(f"{part}_webm_kb: {costs[f'{part}_webm_kb']:.0f}", flush=True)


if __name__ == "__main__":
    main()
