"""Raw RGB frames → a looping palette-optimised GIF and a VP9 WebM, in one ffmpeg process.

The ffmpeg binary is the one imageio-ffmpeg ships: no system ffmpeg is needed. Like matplotlib's
animation writers, an encoder is set up, fed frames, and finished, behind a context manager::

    with Encoder(gif_path, webm_path, width=800, height=350, fps=25, hold_seconds=1.5) as encoder:
        for frame in frames:            # (350, 800, 3) uint8
            encoder.add_frame(frame)

Timing: frame ``i`` shows from ``i / fps``; the final frame then stays ``hold_seconds`` longer
(rounded to whole frames, the same in both files) before the loop restarts. The GIF stores the hold as the last frame's delay (no repeated frames);
the WebM repeats the last frame (cheap in VP9) so every player, looping or not, shows it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import imageio_ffmpeg

from tinynets.workers import die_with_parent

if TYPE_CHECKING:
    import numpy as np

# Encoder settings, tuned on the reference recording (see ``bench_render``): flat plot colours
# need few palette entries and no dithering; VP9's real-time mode is ample for line drawings.
GIF_COLORS = 12
WEBM_CRF = 50
WEBM_CPU_USED = 8


# Identical frames must give identical files, or every forced re-render changes the published
# site: no encoder version string, no creation time, no random Matroska segment/track UIDs.
BITEXACT = ("-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1")


def settings() -> dict:
    """The encoder settings (part of every medium's cache key)."""
    return {"gif_colors": GIF_COLORS, "webm_crf": WEBM_CRF, "webm_cpu_used": WEBM_CPU_USED}


def ffmpeg_binary() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def gif_fps(frames: int, seconds: float, hold_seconds: float = 1.5) -> float:
    """The frame rate that makes ``frames`` frames plus the hold last about ``seconds``.

    GIF stores delays in whole centiseconds, so the frame delay is rounded to one (2 to 100 cs):
    the rate is ``100 / delay``, exact in both the GIF and the WebM.

    >>> gif_fps(150, 8.0)      # 150 frames in 6.5 s → 4 cs a frame: 6 s, plus the 1.5 s hold
    25.0
    >>> gif_fps(12, 8.0)
    1.8518518518518519
    """
    moving = max(seconds - hold_seconds, 0.02 * frames)
    delay = min(max(round(100 * moving / max(frames, 1)), 2), 100)
    return 100 / delay


def frame_delay_cs(fps: float) -> int:
    """The GIF delay of one frame, in centiseconds."""
    return int(round(100 / fps))


class Encoder:
    """Pipe frames into ffmpeg, writing ``gif_path`` and ``webm_path`` when finished."""

    def __init__(self, gif_path: Path, webm_path: Path, width: int, height: int, fps: float,
                 hold_seconds: float = 1.5, webm_crf: int = WEBM_CRF,
                 gif_colors: int = GIF_COLORS, cpu_used: int = WEBM_CPU_USED,
                 palette_frame: np.ndarray | None = None, channels: int = 3):
        if width % 2 or height % 2:
            raise ValueError(f"frame size {width}×{height}: VP9 (yuv420p) needs even sides")
        self.gif_path, self.webm_path = gif_path, webm_path
        self.width, self.height, self.fps = width, height, fps
        self.hold_seconds, self.webm_crf = hold_seconds, webm_crf
        self.gif_colors, self.cpu_used = gif_colors, cpu_used
        self.palette_frame = palette_frame
        self.channels = channels  # 3: RGB frames; 4: RGBA (alpha ignored), e.g. a canvas buffer
        self.palette_path: Path | None = None
        self.frames = 0
        self.process: subprocess.Popen | None = None

    @property
    def hold_frames(self) -> int:
        """Repeats of the last frame in the WebM that make the hold."""
        return int(round(self.hold_seconds * self.fps))

    @property
    def seconds(self) -> float:
        """The length of one loop: every frame, then the hold."""
        return (self.frames + self.hold_frames) / self.fps

    def _palettegen(self) -> str:
        return f"palettegen=max_colors={self.gif_colors}:stats_mode=full:reserve_transparent=1"

    def command(self) -> list[str]:
        delay = frame_delay_cs(self.fps)
        webm = f"[w]tpad=stop_mode=clone:stop={self.hold_frames},format=yuv420p[webm]"
        if self.palette_path is None:
            # The palette needs every frame: the GIF is encoded once the last one arrived.
            graph = (f"[0:v]split=3[a][b][w];[a]{self._palettegen()}[palette];"
                     "[b][palette]paletteuse=dither=none:diff_mode=rectangle[gif];" + webm)
            palette_input = []
        else:
            # A palette made beforehand: the GIF is encoded while frames stream in.
            graph = ("[0:v]split=2[b][w];"
                     "[b][1:v]paletteuse=dither=none:diff_mode=rectangle[gif];" + webm)
            palette_input = ["-i", str(self.palette_path)]
        return [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba" if self.channels == 4 else "rgb24",
            "-s", f"{self.width}x{self.height}", "-framerate", f"{self.fps}", "-i", "-",
            *palette_input,
            "-filter_complex", graph,
            "-map", "[gif]", "-loop", "0",
            "-final_delay", str(delay * (1 + self.hold_frames)),  # the hold, as in the WebM
            *BITEXACT, "-f", "gif", str(self.gif_path),
            "-map", "[webm]", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", str(self.webm_crf),
            "-deadline", "realtime", "-cpu-used", str(self.cpu_used), "-row-mt", "1",
            "-tile-columns", "1", "-threads", "2", "-g", "300", "-an",
            *BITEXACT, "-f", "webm", str(self.webm_path),
        ]

    def __enter__(self) -> "Encoder":
        if self.palette_frame is not None:
            self.palette_path = self._make_palette(self.palette_frame)
        # ffmpeg dies with its parent: if the build (or its worker) is killed, ffmpeg must not
        # see the end of its input and go on to finish the files in the cache's temporary folder.
        self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE,
                                        stderr=subprocess.PIPE, preexec_fn=die_with_parent)
        return self

    def _make_palette(self, frame: np.ndarray) -> Path:
        """The GIF palette of one representative frame (the final one holds every colour)."""
        import numpy as np  # only needed when frames are encoded

        handle, name = tempfile.mkstemp(dir=self.gif_path.parent, prefix=".palette-",
                                        suffix=".png")
        os.close(handle)
        subprocess.run(
            [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
             "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{frame.shape[1]}x{frame.shape[0]}",
             "-i", "-", "-vf", self._palettegen(), "-frames:v", "1", name],
            input=np.ascontiguousarray(frame, dtype=np.uint8).tobytes(), check=True,
            capture_output=True, preexec_fn=die_with_parent)
        return Path(name)

    def add_frame(self, frame: np.ndarray) -> None:
        import numpy as np  # only needed when frames are encoded

        if frame.shape != (self.height, self.width, self.channels):
            raise ValueError(f"frame of shape {frame.shape}, expected "
                             f"{(self.height, self.width, self.channels)}")
        try:
            self.process.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).data)
        except BrokenPipeError:
            stderr = self.process.stderr.read().decode(errors="replace")
            raise RuntimeError(f"ffmpeg stopped early: {stderr.strip()}") from None
        self.frames += 1

    def __exit__(self, kind, error, traceback) -> None:
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        if kind is not None:
            self.process.kill()
        stderr = self.process.stderr.read().decode(errors="replace")
        code = self.process.wait()
        if self.palette_path is not None:
            self.palette_path.unlink(missing_ok=True)
        if kind is None and code != 0:
            raise RuntimeError(f"ffmpeg failed with status {code}: {stderr.strip()}")
        if kind is None and self.frames == 0:
            raise RuntimeError("no frames were added: an animation needs at least one frame")
