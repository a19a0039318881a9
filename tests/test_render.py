"""The renderer: animations decoded with the shipped ffmpeg, posters, comparison, NaN, plots.

Recordings here are synthetic (no TensorFlow): a prediction that moves from a flat line to the
true function, and losses that fall towards the noise floor.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render_support import STYLE, make_panel
from tinynets.media import loss_plots, render
from tinynets.media.canvas import Stamp, write_animation
from tinynets.media.encode import ffmpeg_binary, gif_fps


def decode_frames(path: Path) -> list[tuple[float, float]]:
    """(pts, duration) in seconds of every frame, as ffmpeg decodes ``path`` (framemd5)."""
    result = subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:v",
         "-fps_mode", "passthrough", "-f", "framemd5", "-"],
        capture_output=True, text=True, check=True)
    timebase = re.search(r"#tb 0: (\d+)/(\d+)", result.stdout)
    unit = int(timebase.group(1)) / int(timebase.group(2))
    frames = []
    for line in result.stdout.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _, _, pts, duration, *_ = [field.strip() for field in line.split(",")]
        frames.append((int(pts) * unit, int(duration) * unit))
    return frames


def decode_last_frame(path: Path, width: int, height: int) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-i", str(path),
         "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return frames[-1]


@pytest.fixture(scope="module")
def net_media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("net")
    panel = make_panel()
    info = write_animation(render.NetAnimation(panel, STYLE), folder, "anim", STYLE)
    return folder, panel, info


def test_gif_fps_fits_the_loop_into_about_eight_seconds():
    assert gif_fps(150, 8.0, 1.5) == 25.0  # 150 × 4 cs = 6 s + 1.5 s hold
    for frames in (12, 40, 150, 400, 1000):
        fps = gif_fps(frames, 8.0, 1.5)
        assert 100 / fps == round(100 / fps)  # whole centiseconds, as GIF stores delays
        if frames <= 325:  # beyond that even 2 cs frames (GIF's shortest) need longer
            assert abs(frames / fps + 1.5 - 8.0) <= 0.75, frames


def test_gif_frames_delays_and_infinite_loop(net_media):
    folder, panel, info = net_media
    gif = folder / "anim.gif"
    frames = decode_frames(gif)
    assert len(frames) == len(panel.frame_epochs) == info["frames"] == 26
    # 26 frames at 25 cs (6.5 s), the last one held 1.5 s longer: an 8 s loop.
    assert [duration for _, duration in frames[:-1]] == [pytest.approx(0.25)] * 25
    assert frames[-1][1] == pytest.approx(0.25 + 1.5)
    assert frames[-1][0] + frames[-1][1] == pytest.approx(8.0)
    assert info["seconds"] == pytest.approx(8.0)
    with Image.open(gif) as image:
        assert image.info["loop"] == 0  # NETSCAPE2.0 loop count 0: forever
        assert image.n_frames == 26


def test_webm_is_vp9_with_the_same_frames_and_the_hold(net_media):
    folder, panel, _ = net_media
    webm = folder / "anim.webm"
    probe = subprocess.run([ffmpeg_binary(), "-hide_banner", "-i", str(webm)],
                           capture_output=True, text=True).stderr
    assert "Video: vp9" in probe and "800x350" in probe
    frames = decode_frames(webm)
    fps = 4.0
    # every recorded frame, then the last one repeated for the 1.5 s hold
    assert len(frames) == len(panel.frame_epochs) + round(1.5 * fps)
    assert [pts for pts, _ in frames] == pytest.approx([i / fps for i in range(len(frames))])
    assert frames[-1][0] + frames[-1][1] == pytest.approx(8.0)


def test_poster_is_the_final_frame(net_media):
    folder, panel, _ = net_media
    poster = np.asarray(Image.open(folder / "anim.png").convert("RGB"))
    fresh = render.NetAnimation(panel, STYLE)
    last = fresh.draw_frame(len(panel.frame_epochs) - 1)
    assert poster.shape == (350, 800, 3)
    assert np.array_equal(poster, last)
    first = fresh.draw_frame(0)
    gif_last = decode_last_frame(folder / "anim.gif", 800, 350).astype(int)
    # the GIF's 16-colour palette changes pixels a little, never the picture
    near = np.abs(gif_last - poster).mean()
    far = np.abs(gif_last - first.astype(int)).mean()
    assert near < 2.0 and far > 3 * near, (near, far)
    webm_last = decode_last_frame(folder / "anim.webm", 800, 350).astype(int)
    assert np.abs(webm_last - poster).mean() < 4.0


def test_frames_change_only_where_artists_move():
    animation = render.NetAnimation(make_panel(), STYLE)
    early, late = animation.draw_frame(1), animation.draw_frame(25)
    changed = np.any(early != late, axis=2)
    assert changed.any()
    assert changed.mean() < 0.15  # blitting: axes, ticks, data points stay put
    again = animation.draw_frame(1)
    assert np.array_equal(again, early)  # the background is restored, nothing accumulates


def test_comparison_shares_one_timeline_and_axes(tmp_path):
    long = make_panel(epochs=200, frames=10, label="long", name="long")
    short = make_panel(epochs=60, frames=8, label="short", name="short", color="#D55E00")
    comparison = render.ComparisonAnimation([long, short], STYLE)
    expected = sorted(set(long.frame_epochs.tolist()) | set(short.frame_epochs.tolist()))
    assert comparison.timeline.tolist() == expected
    left, right = comparison.axes
    assert left.get_xlim() == right.get_xlim() and left.get_ylim() == right.get_ylim()
    # at every shared epoch, each net shows its latest snapshot at or before it
    for epoch in expected:
        for panel in (long, short):
            frame = comparison.frame_of(panel, epoch)
            assert panel.frame_epochs[frame] <= epoch
            assert frame == len(panel.frame_epochs) - 1 or panel.frame_epochs[frame + 1] > epoch
    index = len(expected) // 2
    comparison.update(index)
    assert comparison.epoch_text.text == f"{expected[index]:,} of 200"
    info = write_animation(comparison, tmp_path, "compare", STYLE)
    assert len(decode_frames(tmp_path / "compare.gif")) == len(expected) == info["frames"]
    last = decode_frames(tmp_path / "compare.gif")[-1]
    assert last[0] + last[1] == pytest.approx(info["seconds"], abs=0.01)
    assert 7.0 <= info["seconds"] <= 8.5
    poster = np.asarray(Image.open(tmp_path / "compare.png").convert("RGB"))
    assert poster.shape == (*reversed(comparison.size), 3)


def test_diverged_seed_renders_with_gaps_and_says_so(tmp_path):
    panel = make_panel(epochs=200, frames=26, diverge_seed=1)
    animation = render.NetAnimation(panel, STYLE)
    info = write_animation(animation, tmp_path, "anim", STYLE)
    assert info["frames"] == 26
    animation.update(len(panel.frame_epochs) - 1)
    assert animation.error_text.text == "diverged"
    animation.update(1)
    assert animation.error_text.text.startswith("0.")
    assert len(decode_frames(tmp_path / "anim.gif")) == 26
    loss_plots.write_loss_plot(panel, tmp_path, "loss", STYLE)
    svg = (tmp_path / "loss.svg").read_text(encoding="utf-8")
    assert "1 diverged" in svg
    comparison = render.ComparisonAnimation([panel, make_panel(name="ok")], STYLE)
    comparison.update(len(comparison.timeline) - 1)
    assert comparison.errors[0].text == "error diverged"
    loss_plots.write_comparison_loss_plot([panel, make_panel(name="ok")], tmp_path, "losses", STYLE)
    assert (tmp_path / "losses.png").stat().st_size > 0


def test_every_seed_diverged_still_renders(tmp_path):
    panel = make_panel(epochs=40, frames=6, seeds=1, diverge_seed=0)
    panel.losses[:] = np.nan
    panel.predictions[:] = np.nan
    write_animation(render.NetAnimation(panel, STYLE), tmp_path, "anim", STYLE)
    loss_plots.write_loss_plot(panel, tmp_path, "loss", STYLE)
    assert len(decode_frames(tmp_path / "anim.webm")) > 6


def test_loss_plots_are_valid_svg_and_png(tmp_path):
    panels = [make_panel(label="1×8 SGD"), make_panel(label="2×4 Adam", color="#D55E00")]
    loss_plots.write_loss_plot(panels[0], tmp_path, "loss", STYLE)
    loss_plots.write_comparison_loss_plot(panels, tmp_path, "losses", STYLE)
    for stem, size in (("loss", (800, 350)), ("losses", (800, 400))):
        root = ElementTree.parse(tmp_path / f"{stem}.svg").getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        with Image.open(tmp_path / f"{stem}.png") as image:
            assert image.format == "PNG" and image.size == size
    loss_svg = (tmp_path / "loss.svg").read_text(encoding="utf-8")
    assert "median of 3 seeds" in loss_svg and "noise floor" in loss_svg
    assert "1×8 SGD" in loss_svg
    losses_svg = (tmp_path / "losses.svg").read_text(encoding="utf-8")
    assert "1×8 SGD" in losses_svg and "2×4 Adam" in losses_svg
    # the same picture gives the same bytes (a stable cache and no spurious site changes)
    first = (tmp_path / "loss.svg").read_bytes()
    loss_plots.write_loss_plot(panels[0], tmp_path, "loss", STYLE)
    assert (tmp_path / "loss.svg").read_bytes() == first


def test_stamped_numbers_look_like_matplotlib_text():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def ink(draw) -> np.ndarray:
        figure = Figure(figsize=(3, 0.6), dpi=100, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        draw(figure, canvas)
        return np.asarray(canvas.buffer_rgba())[:, :, 0] < 128

    text = "5,000 of 12.5e-3"

    def with_matplotlib(figure, canvas):
        figure.text(10 / 300, 1 - 40 / 60, text, va="baseline", fontsize=14,
                    antialiased=False)
        canvas.draw()

    def with_stamp(figure, canvas):
        canvas.draw()
        stamp = Stamp(canvas, 14, "black")
        stamp.set(text, 10, 40)
        stamp.draw(np.asarray(canvas.buffer_rgba()))

    reference, stamped = ink(with_matplotlib), ink(with_stamp)
    assert reference.sum() > 100
    # the same glyphs, at most a pixel apart (no kerning, rounding of positions)
    overlap = np.logical_and(reference, stamped).sum()
    near = np.logical_and(np.roll(reference, 1, axis=1) | np.roll(reference, -1, axis=1)
                          | reference, stamped).sum()
    assert abs(int(stamped.sum()) - int(reference.sum())) < 0.05 * reference.sum()
    assert near > 0.95 * stamped.sum() and overlap > 0.5 * stamped.sum()
    columns = np.flatnonzero(reference.any(axis=0)), np.flatnonzero(stamped.any(axis=0))
    assert abs(columns[0][0] - columns[1][0]) <= 1 and abs(columns[0][-1] - columns[1][-1]) <= 2
