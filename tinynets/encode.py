"""Raw RGB frames → a looping palette-optimised GIF and a VP9 WebM, in one ffmpeg process.

The ffmpeg binary is the one imageio-ffmpeg ships: no system ffmpeg is needed. Like matplotlib's
animation writers, an encoder is set up, fed frames, and finished, behind a context manager::

    with Encoder(gif_path, webm_path, width=800, height=350, fps=20, hold_seconds=1.5) as encoder:
        for frame in frames:            # (350, 800, 3) uint8
            encoder.add_frame(frame)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np


def ffmpeg_binary() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def gif_fps(frames: int, seconds: float) -> float:
    """A frame rate near ``frames / seconds`` whose delay is whole centiseconds, as GIF stores it.

    >>> gif_fps(150, 8.0)
    20.0
    """
    delay = min(max(round(100 * seconds / frames), 2), 100)
    return 100 / delay


class Encoder:
    """Pipe frames into ffmpeg, writing ``gif_path`` and ``webm_path`` when finished."""

    def __init__(self, gif_path: Path, webm_path: Path, width: int, height: int, fps: float,
                 hold_seconds: float = 1.5, webm_crf: int = 40):
        self.gif_path, self.webm_path = gif_path, webm_path
        self.width, self.height, self.fps = width, height, fps
        self.hold_seconds, self.webm_crf = hold_seconds, webm_crf
        self.frames = 0
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        graph = (
            f"[0:v]tpad=stop_mode=clone:stop_duration={self.hold_seconds},split=3[a][b][w];"
            "[a]palettegen=max_colors=96:stats_mode=diff[palette];"
            "[b][palette]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle[gif]"
        )
        return [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.width}x{self.height}",
            "-framerate", f"{self.fps}", "-i", "-",
            "-filter_complex", graph,
            "-map", "[gif]", "-loop", "0", "-f", "gif", str(self.gif_path),
            "-map", "[w]", "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0",
            "-crf", str(self.webm_crf), "-row-mt", "1", "-deadline", "good", "-cpu-used", "4",
            "-g", "60", "-an", "-f", "webm", str(self.webm_path),
        ]

    def __enter__(self) -> "Encoder":
        self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        return self

    def add_frame(self, frame: np.ndarray) -> None:
        if frame.shape != (self.height, self.width, 3):
            raise ValueError(f"frame of shape {frame.shape}, expected "
                             f"{(self.height, self.width, 3)}")
        self.process.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
        self.frames += 1

    def __exit__(self, kind, error, traceback) -> None:
        self.process.stdin.close()
        stderr = self.process.stderr.read().decode(errors="replace")
        code = self.process.wait()
        if kind is None and code != 0:
            raise RuntimeError(f"ffmpeg failed with status {code}: {stderr.strip()}")
