"""Benchmark of the renderer: the naive matplotlib recipe against ours, on the same recording.

Naive: ``FuncAnimation`` redrawing the whole figure for every frame, saved twice, with
``PillowWriter`` (GIF) and ``FFMpegWriter`` (WebM, libvpx-vp9 at our quality setting, its
default speed; the ffmpeg binary is imageio-ffmpeg's). Ours: ``NetAnimation`` blitting only the
moving artists, one pass of frames piped to one ffmpeg process (``Encoder``) that writes both.
Both draw the very same figure: 150 frames at 800×350 of a real recording (1×60 ReLU SGD,
5000 epochs, 10 seeds, on the default data), trained once and kept in build/cache/bench/.

Prints, as their own lines::

    render_speedup_vs_naive: <naive ÷ ours, GIF and WebM together, wall-clock seconds>
    gif_kb: <size of our GIF>
    webm_kb: <size of our WebM>

The ratio is over wall-clock seconds (ours: the median of 3 runs). On a shared machine wall
time swings with the neighbours' load, so the ratio over CPU seconds (this process plus its
ffmpeg children) is printed too, as ``render_speedup_vs_naive_cpu``.

Run: ``python -m tinynets.bench.render`` (or ``make bench``); 1 to 5 minutes, depending on the
machine's load, nearly all of it the naive recipe.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
RECORDING = ROOT / "build" / "cache" / "bench" / "render-recording-v1.npz"
FRAMES = 150


def default_data():
    from tinynets.posts.model import DataSpec

    return DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)


def recording(path: Path = RECORDING) -> dict:
    """The bench's recording: trained once with the engine, then read from ``path``."""
    if not path.is_file():
        from tinynets import atomic
        from tinynets.engine.data import frame_epochs
        from tinynets.posts.model import NetSpec
        from tinynets.engine.loop import train_net

        net = NetSpec(name="wide-sgd", label="1×60 ReLU, SGD", layers=(60,), optimizer="sgd",
                      learning_rate=0.01, epochs=5000)
        run = train_net(default_data(), net, tuple(range(10)), frame_epochs(5000, FRAMES))
        buffer = __import__("io").BytesIO()
        np.savez(buffer, seeds=run.seeds, frame_epochs=run.frame_epochs, grid=run.grid,
                 predictions=run.predictions, losses=run.losses)
        atomic.write_bytes(path, buffer.getvalue())
    with np.load(path) as arrays:
        return {name: arrays[name] for name in arrays.files}


def bench_panel():
    from tinynets.media.render import Panel
    from tinynets.measure.finals import representative_seed

    arrays = recording()
    seeds = [int(seed) for seed in arrays["seeds"]]
    finals = [float(v) if np.isfinite(v) else float("inf") for v in arrays["losses"][-1]]
    return Panel(name="wide-sgd", label="1×60 ReLU, SGD", color="#0072B2", data=default_data(),
                 frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                 predictions=arrays["predictions"], losses=arrays["losses"],
                 representative=seeds.index(representative_seed(seeds, finals)))


class Timer:
    """Wall seconds and CPU seconds (this process and its finished children, e.g. ffmpeg)."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *_) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ours(panel, folder: Path) -> Timer:
    """Time of our GIF + WebM + poster of ``panel``."""
    from tinynets.media import canvas, render

    style = canvas.Style()
    with Timer() as timer:
        animation = render.NetAnimation(panel, style)
        canvas.write_animation(animation, folder, "ours", style)
    return timer


def naive(panel, folder: Path) -> Timer:
    """Time of the obvious recipe: FuncAnimation, whole-figure redraws, two writers."""
    import imageio_ffmpeg
    import matplotlib
    from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

    from tinynets.media import encode
    from tinynets.media import canvas, render

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    style = canvas.Style()
    fps = encode.gif_fps(len(panel.frame_epochs), style.seconds, style.hold_seconds)
    with Timer() as timer:
        # The same figure as ours, with every artist drawn on every frame (no blitting).
        animation = render.NetAnimation(panel, style)
        width, height = animation.size
        texts = {}
        for artist in animation.update(0):
            if isinstance(artist, canvas.Stamp):  # ours stamps changing numbers: use Text
                texts[artist] = animation.figure.text(
                    0, 0, "", va="baseline", fontproperties=artist.font, antialiased=False,
                    color=tuple(artist.rgba / 255))
            else:
                artist.set_animated(False)

        def update(index: int) -> None:
            for stamp in animation.update(index):
                if stamp in texts:
                    texts[stamp].set_text(stamp.text)
                    texts[stamp].set_position((stamp.x / width, 1 - stamp.y / height))

        movie = FuncAnimation(animation.figure, update, frames=len(panel.frame_epochs),
                              blit=False, repeat=False)
        movie.save(folder / "naive.gif", writer=PillowWriter(fps=fps), dpi=style.dpi)
        movie.save(folder / "naive.webm", dpi=style.dpi, writer=FFMpegWriter(
            fps=fps, codec="libvpx-vp9",
            extra_args=["-pix_fmt", "yuv420p", "-b:v", "0", "-crf", str(encode.WEBM_CRF)]))
    return timer


def main(repeats: int = 3) -> dict:
    panel = bench_panel()
    assert len(panel.frame_epochs) == FRAMES
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-render-") as temporary:
        folder = Path(temporary)
        ours(panel, folder)  # warm-up: fonts, ffmpeg binary in the page cache
        runs = [ours(panel, folder) for _ in range(repeats)]
        ours_wall = statistics.median(run.wall for run in runs)
        ours_cpu = statistics.median(run.cpu for run in runs)
        slow = naive(panel, folder)
        gif_kb = (folder / "ours.gif").stat().st_size / 1024
        webm_kb = (folder / "ours.webm").stat().st_size / 1024
        naive_gif_kb = (folder / "naive.gif").stat().st_size / 1024
        naive_webm_kb = (folder / "naive.webm").stat().st_size / 1024
    ratio = slow.wall / ours_wall
    print(f"render_naive: {slow.wall:.1f} s wall, {slow.cpu:.1f} s cpu "
          f"(GIF {naive_gif_kb:.0f} KB, WebM {naive_webm_kb:.0f} KB)")
    print(f"render_ours: {ours_wall:.2f} s wall, {ours_cpu:.2f} s cpu (median of {repeats})")
    print(f"render_speedup_vs_naive_cpu: {slow.cpu / ours_cpu:.1f}")
    print(f"render_speedup_vs_naive: {ratio:.1f}")
    print(f"gif_kb: {gif_kb:.0f}")
    print(f"webm_kb: {webm_kb:.0f}", flush=True)
    return {"ratio": ratio, "gif_kb": gif_kb, "webm_kb": webm_kb}


if __name__ == "__main__":
    main()
