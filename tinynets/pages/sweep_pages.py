"""Sweeps on a post's page: ``sweeps`` and ``cell`` in the template, and the sweep media files.

Example:
    >>> context(post, runs)["sweeps"]["width-rate"].best.label          # doctest: +SKIP
    '1×16, lr 0.03'
"""

from __future__ import annotations

from pathlib import Path

from tinynets.errors import TemplateProblem
from tinynets.media.stage import animation_fps
from tinynets.media.sweep_media import (SWEEP_PARTS, grid_layout, grid_size, heatmap_size,
                                        media_name)
from tinynets.measure.results import NetResult
from tinynets.measure.sweeps import SweepResult

SWEEP_COLOR = "#0072B2"


def media_file(sweep_name: str, cached: str) -> str:
    """A sweep medium's name in build/docs/media/<post>/: 'sweep-width-rate-heatmap.svg'."""
    return f"sweep-{sweep_name}-{cached}"


def context(post, runs) -> dict:
    """``sweeps`` (by name) and ``cell(…)`` (a cell of the post's only sweep, or of the sweep
    named by ``sweep=``) for the post's template."""
    results = {}
    for sweep in post.sweeps:
        cells = []
        timeline = set()
        for spec in sweep.cells:
            run = runs[(post.slug, spec.name)]
            cell = NetResult(spec, run.meta, post.data.noise_floor, post.thresholds,
                             SWEEP_COLOR, {})
            cell.frame_epochs = run.key.spec["frames"]
            timeline.update(cell.frame_epochs)
            cells.append(cell)
        urls = {}
        for part, (_, files) in SWEEP_PARTS.items():
            for cached in files:
                stem, extension = cached.split(".")
                kind = {"svg": f"{stem}_svg", "png": f"{stem}_png" if stem != "grid"
                        else "grid_poster", "gif": "grid_gif", "webm": "grid_webm"}[extension]
                urls[kind] = f"../media/{post.slug}/{media_file(sweep.name, cached)}"
        result = SweepResult(sweep, cells, urls)
        values = tuple(values for _, values in sweep.varied)
        rows, columns = grid_layout(sweep.keys, values, len(sweep.cells))
        result.grid_width, result.grid_height = grid_size(rows, columns)
        heat_rows = len(values[0]) if len(values) == 2 else 1
        result.heatmap_width, result.heatmap_height = heatmap_size(heat_rows, len(values[-1]))
        result.frame_epochs = sorted(timeline)
        result.fps = animation_fps(len(result.frame_epochs))
        results[sweep.name] = result

    def cell(sweep: str | None = None, **values):
        """``cell(layers=[16], learning_rate=0.01)``: a cell of the post's sweep."""
        if sweep is None:
            if len(results) != 1:
                names = ", ".join(f"'{name}'" for name in results) or "none"
                raise TemplateProblem(f"cell(…) needs sweep='name' when a post has other than "
                                      f"one sweep; its sweeps: {names}.")
            sweep = next(iter(results))
        if sweep not in results:
            raise TemplateProblem(f"there is no sweep '{sweep}' in this post; its sweeps are "
                                  f"{', '.join(results) or 'none'}.")
        return results[sweep].cell(**values)

    return {"sweeps": results, "cell": cell}


def files(post, media) -> dict[str, Path]:
    """The sweep media of ``post`` that its page uses, by path in build/docs."""
    found = {}
    for sweep in post.sweeps:
        for cached, path in media.get((post.slug, media_name(sweep.name)), {}).items():
            found[f"media/{post.slug}/{media_file(sweep.name, cached)}"] = path
    return found
