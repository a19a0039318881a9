"""What a notebook's figures are drawn from: a run's recording as figure data bytes, the records
``media.figure_files`` makes for the site's data files (``figure_inside``'s for the views inside
a net), so the browser module reads the same records in both places.

A ``Shown`` is one net (or sweep cell) as a figure shows it: its run, its settings, its colour.
Encoding takes a few tenths of a second per net (a plane net: up to a few seconds, its weights'
precision is fitted to the recorded field), so the bytes are kept per run, colour, label and
kind for the life of the kernel.

Example (``shown`` a trained net of a post, ``cache`` its project's build/cache)::

    figure_data.read(net_file(shown, cache)).nets[0].predictions.shape   # (frames, seeds, grid)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinynets.engine.stage import Run
from tinynets.posts.model import NetSpec


@dataclass(frozen=True)
class Shown:
    """One net or sweep cell as a figure shows it."""

    run: Run
    net: NetSpec
    color: str

    @property
    def key(self) -> tuple:
        """What its figure data depends on."""
        return (self.run.key.fingerprint, self.color, self.net.label, self.net.name)


def net_file(shown: Shown, cache: Path) -> bytes:
    """The net's data file: what ``figure``, ``loss_plot``, ``compare``, ``comparison`` and
    ``comparison_losses`` read (on the plane: ``plane``, ``plane_loss``, ``plane_compare``)."""
    return _encoded(shown, cache, "net")


def inside_file(shown: Shown, cache: Path) -> bytes:
    """The net's inside file: what ``units`` and ``network`` read besides its data file."""
    return _encoded(shown, cache, "inside")


_ENCODED: dict[tuple, bytes] = {}  # by (cache, run, colour, label, name, part)
_KEPT = 64


def _encoded(shown: Shown, cache: Path, part: str) -> bytes:
    from tinynets.media import figure_data, figure_files

    key = (str(cache), *shown.key, part)
    if key not in _ENCODED:
        records = figure_files.inside_records if part == "inside" else figure_files.net_records
        if len(_ENCODED) >= _KEPT:
            _ENCODED.pop(next(iter(_ENCODED)))
        _ENCODED[key] = figure_data.encode(records(shown.run, shown.net, shown.color, cache))
    return _ENCODED[key]


def sweep_file(post, sweep, cells: list[Shown], cache: Path) -> bytes:
    """A sweep's data file: every cell in the sweep's order, with its place in the sweep, its
    seeds' final errors and stuck count, every seed's training error and its median seed's
    predictions (what ``sweep_heatmap``, ``sweep_plot`` and ``sweep_grid`` read); the cells are
    drawn in the first one's colour, as the site draws every cell in one."""
    from tinynets.media import figure_data, figure_files

    runs = [shown.run for shown in cells]
    return figure_data.encode(figure_files.sweep_records(post, sweep, runs, cells[0].color,
                                                         cache))
