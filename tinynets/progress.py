"""Training progress: one live line per net on a terminal, plain periodic lines elsewhere.

Progress is a courtesy: nothing the board is told, in any order, and no failure to draw it may
stop a build. Messages about a name it does not know (one already finished, or a late message
from a worker) are ignored, and any error while drawing is swallowed.
"""

from __future__ import annotations

import functools
import sys
import time


def _never_fatal(method):
    """Run ``method``; on any error (a bad message, a closed stream), carry on silently."""

    @functools.wraps(method)
    def guarded(*arguments, **keywords):
        try:
            return method(*arguments, **keywords)
        except Exception:  # noqa: BLE001 - the display must never abort the build
            return None

    return guarded


class ProgressBoard:
    """Tracks (epochs done, epochs in all) per net and shows it.

    On a TTY every net in training has a line of its own (a bar, epochs, seeds and ETA), redrawn
    in place; when output is a file or CI log, a line is printed per net every ``step`` of its
    epochs (25% by default). Either way, every net that finishes prints one last line,
    ``name: done, 5,000 epochs × 10 seeds in 3.1s``, whatever the progress messages that reached
    the board before it (a short job can end between two of them).

    An update may carry the time the worker sent it (``time.time()``): messages from a worker
    arrive in bursts, and the ETA is worked out from when epochs were done, not from when the
    board heard of them.
    """

    def __init__(self, stream=None, quiet: bool = False, step: float = 0.25):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.step = step
        self.state: dict[str, tuple[int, int, float, int]] = {}  # name → done, total, start, seeds
        self.reported: dict[str, float] = {}
        self.last_draw = 0.0
        self.first: dict[str, tuple[float, int]] = {}  # name → (time, epochs) of the first update
        self.latest: dict[str, float] = {}  # name → time of the latest update (time.time())
        self.finished: set[str] = set()  # a late "start" for these must not bring them back
        self.drawn = 0  # lines of the board now on the terminal

    @_never_fatal
    def show(self, message: tuple) -> None:
        """A message from a worker: ("start", name, epochs, seeds) or ("update", name, done[,
        sent]), ``sent`` being the worker's ``time.time()``."""
        kind, name, *values = message
        if kind == "start":
            self.start(name, *values)
        elif kind == "update":
            self.update(name, *values)

    @_never_fatal
    def start(self, name: str, epochs: int, seeds: int) -> None:
        if name in self.finished:
            return
        self.state[name] = (0, epochs, time.time(), seeds)
        self.reported[name] = 0.0
        self.first.pop(name, None)

    @_never_fatal
    def update(self, name: str, done: int, sent: float | None = None) -> None:
        if name not in self.state:
            return  # finished already, or never started: nothing to show
        _, total, started, seeds = self.state[name]
        self.state[name] = (done, total, started, seeds)
        now = time.time() if sent is None else sent
        self.latest[name] = now
        # The first update includes compiling the graph: the ETA counts from there on.
        self.first.setdefault(name, (now, done))
        if self.quiet:
            return
        if self.tty:
            now = time.perf_counter()
            if now - self.last_draw > 0.1 or done == total:
                self.last_draw = now
                self._draw()
        elif done / total >= self.reported[name] + self.step and done < total:
            self.reported[name] = done / total
            self.stream.write(f"  {name}: {self._describe(name)}\n")
            self.stream.flush()

    @_never_fatal
    def finish(self, name: str, epochs: int | None = None, seeds: int | None = None) -> None:
        """``name`` is trained: its live line goes and its ``done`` line is printed.

        ``epochs`` and ``seeds`` say what it trained when no ``start`` message reached the board
        (otherwise the start's are used).
        """
        state = self.state.pop(name, None)
        self.finished.add(name)
        if self.quiet:
            return
        if state is not None:
            _, epochs, started, seeds = state
            took = f" in {time.time() - started:.1f}s"
        else:
            took = ""
        what = f", {epochs:,} epochs × {seeds} seeds" if epochs and seeds else ""
        line = f"{name}: done{what}{took}"
        if self.tty:
            self._draw(above=line)  # the finished net's line goes; the others stay
        else:
            self.stream.write(f"  {line}\n")
            self.stream.flush()

    def _describe(self, name: str) -> str:
        done, total, started, seeds = self.state[name]
        now = self.latest.get(name, time.time())
        first_time, first_done = self.first.get(name, (started, done))
        # No ETA before a rate is known: from the start alone it would count the compile, or
        # nothing at all when the start and the first update arrive together.
        eta_text = ""
        if first_done < done < total:
            eta = (now - first_time) / (done - first_done) * (total - done)
            eta_text = f", ETA {eta:.0f}s"
        return f"epoch {done:,}/{total:,} × {seeds} seeds{eta_text}"

    def _draw(self, above: str | None = None) -> None:
        """Replace the board on the terminal: back to its first line, clear, one line a net
        (``above``: a line to leave on the terminal above the board, such as a net's done)."""
        lines = [] if above is None else [above]
        for name, (done, total, _, _) in self.state.items():
            width = 12
            filled = int(width * done / total)
            lines.append(f"{name} [{'█' * filled}{'·' * (width - filled)}] {self._describe(name)}")
        back = "\033[F" * (self.drawn - 1) if self.drawn > 1 else ""
        self.stream.write("\r" + back + "\033[J" + "\n".join(lines))
        self.drawn = len(lines) - (0 if above is None else 1)
        if above is not None and self.drawn == 0:
            self.stream.write("\n")  # the done line stays; the next board starts below it
        self.stream.flush()
