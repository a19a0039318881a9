"""Benchmark of the 2-D renderer against the 1-D one, at the same frame count.

The 2-D animation (heatmap, boundary, points, two curve panels) of a real recording — a 3×16
ReLU net on the spiral, 5 seeds, 1,000 epochs, trained once and kept in build/cache/bench/ — is
rendered to GIF + WebM + poster and timed against the 1-D bench animation
(``tinynets.bench.render``), both 150 frames at 800×350, median of 3 runs each.

Prints, as their own lines::

    render_2d_vs_1d: <2-D seconds ÷ 1-D seconds, wall clock>
    plane_gif_kb: <size of the 2-D GIF>
    plane_webm_kb: <size of the 2-D WebM>

Run: ``python -m tinynets.bench.plane`` (``make bench`` runs it); about a minute.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import numpy as np

from tinynets.bench.render import FRAMES, ROOT, Timer, bench_panel

RECORDING = ROOT / "build" / "cache" / "bench" / "plane-recording-v1.npz"
NAMES = ("frame_epochs", "grid", "predictions", "losses", "test_losses", "accuracy",
         "test_accuracy")


def plane_data():
    from tinynets.posts.plane import PlaneSpec

    return PlaneSpec("spiral", points=300, noise=0.3, seed=0)


def recording(path: Path = RECORDING) -> dict:
    """The bench's 2-D recording: trained once with the engine, then read from ``path``."""
    if not path.is_file():
        import io

        from tinynets import atomic
        from tinynets.engine.data import frame_epochs
        from tinynets.engine.loop import train_net
        from tinynets.posts.model import NetSpec

        net = NetSpec(name="deep", label="3×16 ReLU", layers=(16, 16, 16), optimizer="adam",
                      learning_rate=0.01, batch_size=16, epochs=1000, loss="bce", inputs=2)
        run = train_net(plane_data(), net, tuple(range(5)), frame_epochs(1000, FRAMES))
        buffer = io.BytesIO()
        np.savez(buffer, **{name: getattr(run, name) for name in NAMES})
        atomic.write_bytes(path, buffer.getvalue())
    with np.load(path) as arrays:
        return {name: arrays[name] for name in arrays.files}


def plane_panel():
    from tinynets.engine.plane import plane_arrays
    from tinynets.media.plane_panel import PlanePanel

    arrays, data = recording(), plane_data()
    split = plane_arrays(data)
    return PlanePanel(name="deep", label="3×16 ReLU", color="#0072B2", classification=True,
                      representative=2, points_train=split.points_train, y_train=split.y_train,
                      points_test=split.points_test, y_test=split.y_test, data=data,
                      **{name: arrays[name] for name in NAMES})


def _time(make, folder: Path, stem: str) -> Timer:
    from tinynets.media import canvas

    style = canvas.Style()
    with Timer() as timer:
        canvas.write_animation(make(style), folder, stem, style)
    return timer


def main(repeats: int = 3) -> dict:
    from tinynets.media.plane import PlaneAnimation
    from tinynets.media.render import NetAnimation

    line, plane = bench_panel(), plane_panel()
    assert len(line.frame_epochs) == len(plane.frame_epochs) == FRAMES
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-plane-") as temporary:
        folder = Path(temporary)
        _time(lambda style: NetAnimation(line, style), folder, "line")  # warm-up
        _time(lambda style: PlaneAnimation(plane, style), folder, "plane")
        one = statistics.median(_time(lambda style: NetAnimation(line, style), folder,
                                      "line").wall for _ in range(repeats))
        two = statistics.median(_time(lambda style: PlaneAnimation(plane, style), folder,
                                      "plane").wall for _ in range(repeats))
        gif_kb = (folder / "plane.gif").stat().st_size / 1024
        webm_kb = (folder / "plane.webm").stat().st_size / 1024
    print(f"render_2d: {two:.2f} s wall; render_1d: {one:.2f} s wall (median of {repeats}, "
          f"{FRAMES} frames each)")
    print(f"render_2d_vs_1d: {two / one:.2f}")
    print(f"plane_gif_kb: {gif_kb:.0f}")
    print(f"plane_webm_kb: {webm_kb:.0f}", flush=True)
    return {"ratio": two / one, "gif_kb": gif_kb, "webm_kb": webm_kb}


if __name__ == "__main__":
    main()
