"""Media stage for sweeps: which sweep figures a post needs, their cache keys, their rendering.

A sweep figure is rendered only when the post's page calls its macro (``sweep_heatmap``,
``sweep_plot``, ``sweep_grid``), like the comparison media. Its key covers the cells' run
fingerprints, the sweep's keys and label, the stuck threshold (cells are marked by it), the
style and the renderer: a warm build renders nothing and imports no matplotlib.

Example:
    >>> list(sweep_entries(post, runs, used={"sweep_heatmap"}))      # doctest: +SKIP
    [(SweepSpec('width-rate', …), 'heatmap', '3f2a…', ('heatmap.svg', 'heatmap.png'))]
"""

from __future__ import annotations

from pathlib import Path

from tinynets.engine.fingerprint import digest
from tinynets.media.stage import STYLE, _complete, renderer_version
from tinynets.measure.results import final_losses, representative_seed

# part → (the macro that shows it, its files in the media cache)
SWEEP_PARTS = {"heatmap": ("sweep_heatmap", ("heatmap.svg", "heatmap.png")),
               "plot": ("sweep_plot", ("plot.svg", "plot.png")),
               "grid": ("sweep_grid", ("grid.gif", "grid.webm", "grid.png"))}


def heatmap_size(rows: int, columns: int, width: int = 800) -> tuple[int, int]:
    """Pixel size of a heatmap: square-ish cells, at most 70 px tall."""
    cell = min(70, (width - 260) / max(columns, 1) * 0.62)
    return width, int(round((120 + rows * cell) / 2)) * 2


def grid_layout(sweep_keys: tuple, values: tuple, count: int) -> tuple[int, int]:
    """(rows, columns) of the small multiples: the first key down, the second across; one key
    (or three) fills rows of up to six."""
    if len(sweep_keys) == 2:
        return len(values[0]), len(values[1])
    columns = min(6, count)
    return -(-count // columns), columns


def grid_size(rows: int, columns: int, width: int = 800) -> tuple[int, int]:
    """Pixel size of the grid animation (height even, for VP9)."""
    tile = (width - 110) / columns
    return width, int(round((64 + rows * tile * 0.62) / 2)) * 2


def media_name(sweep_name: str) -> str:
    """The key of a sweep's media in the media map: ('post', 'sweep:width-rate')."""
    return f"sweep:{sweep_name}"


def sweep_media_key(post, sweep, runs, part: str, style: dict = STYLE) -> str:
    return digest({"cells": [runs[(post.slug, cell.name)].key.fingerprint for cell in sweep.cells],
                   "keys": list(sweep.keys), "label": sweep.label,
                   "stuck": post.thresholds.stuck, "style": style,
                   "renderer": renderer_version(), "kind": "sweep", "part": part})


def sweep_entries(post, runs, used: set[str] | None):
    """(sweep, part, cache key, files) of every sweep figure ``post``'s page shows."""
    for sweep in post.sweeps:
        for part, (macro, files) in SWEEP_PARTS.items():
            if used is None or macro in used:
                yield sweep, part, sweep_media_key(post, sweep, runs, part), files


def add_tasks(post, runs, root: Path, force: bool, log, used, tasks: dict, media: dict) -> None:
    """Add the missing sweep figures of ``post`` to ``tasks``; every one to ``media``."""
    for sweep, part, key, files in sweep_entries(post, runs, used):
        folder = root / key
        if force or not _complete(folder, files):
            cell_runs = [runs[(post.slug, cell.name)] for cell in sweep.cells]
            tasks.setdefault(folder, (f"render  {post.slug}/{sweep.name}: sweep {part}",
                                      render_part, (post, sweep, cell_runs, part)))
        else:
            log(f"reused  {post.slug}/{sweep.name} sweep {part}")
        media.setdefault((post.slug, media_name(sweep.name)), {}).update(
            {name: folder / name for name in files})


def needed(post, runs, used) -> set[str]:
    """The media cache entries of ``post``'s sweep figures (what ``prune`` keeps)."""
    return {key for _, _, key, _ in sweep_entries(post, runs, used)}


def sweep_figure(post, sweep, cell_runs, cache: Path, with_predictions: bool):
    """The sweep's cells as plain arrays (``media.sweep.SweepFigure``)."""
    import numpy as np

    from tinynets.engine.store import RunStore
    from tinynets.media.sweep import SweepCell, SweepFigure

    store = RunStore(cache / "runs")
    cells = []
    stuck_limit = post.thresholds.stuck * post.data.noise_floor
    for cell, run in zip(sweep.cells, cell_runs):
        finals = final_losses(run.meta)
        drawn = SweepCell(
            label=cell.label, values=tuple(sweep.values(cell).values()),
            final_losses=np.asarray(finals, dtype=np.float64),
            stuck=sum(1 for value in finals if not value <= stuck_limit),
            diverged=sum(1 for at in run.meta["diverged_at"] if at))
        if with_predictions:
            arrays = store.load_arrays(run.key)
            seeds = [int(seed) for seed in arrays["seeds"]]
            column = seeds.index(representative_seed(seeds, finals))
            drawn.frame_epochs = arrays["frame_epochs"]
            drawn.grid = arrays["grid"]
            drawn.predictions = np.ascontiguousarray(arrays["predictions"][:, column])
        cells.append(drawn)
    return SweepFigure(label=sweep.label, keys=sweep.keys,
                       values=tuple(values for _, values in sweep.varied), cells=cells,
                       floor=post.data.noise_floor, data=post.data)


def render_part(post, sweep, cell_runs, part: str, folder: Path, cache: Path) -> None:
    """Render one sweep figure into ``folder`` (a worker may run this)."""
    from tinynets.media import render, sweep as drawing

    style = render.Style(**STYLE)
    figure = sweep_figure(post, sweep, cell_runs, cache, with_predictions=part == "grid")
    if part == "heatmap":
        drawing.write_heatmap(figure, folder, "heatmap", style)
    elif part == "plot":
        drawing.write_sweep_plot(figure, folder, "plot", style)
    else:
        render.write_animation(drawing.SweepGridAnimation(figure, style), folder, "grid", style)
