"""Sweeps on a post's page: ``sweeps`` and ``cell`` in the template, and the sweep media files.

Example:
    >>> context(post, runs)["sweeps"]["width-rate"].best.label          # doctest: +SKIP
    '1×16, lr 0.03'
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from tinynets.engine.store import read_arrays
from tinynets.errors import TemplateProblem
from tinynets.measure.derived import KeptValues, attach_recording
from tinynets.media.stage import NET_MAIN_MEDIA, animation_fps
from tinynets.media.layout import grid_layout, grid_size, heatmap_size
from tinynets.media.sweep_media import (SWEEP_COLOR, SWEEP_PARTS, cell_media_name,
                                        cell_stem, media_name, shown_cells)
from tinynets.measure.results import NetResult
from tinynets.measure.sweeps import SweepResult


class CellMedia(dict):
    """A cell's media URLs (kind → URL), which explain themselves when a page asks for one the
    build did not render: a cell not named in the call, or a medium cells do not have."""

    def __init__(self, urls: dict, sweep: str, example: str):
        super().__init__(urls)
        self.sweep, self.example = sweep, example

    def __missing__(self, kind):
        if not self:
            raise TemplateProblem(
                f"a cell of sweep '{self.sweep}' has an animation and loss plot only when the "
                f"figure(…), loss_plot(…) or compare(…) call names it with constant values, "
                f"e.g. figure(sweeps['{self.sweep}'].cell({self.example})) or "
                f"{{% set c = cell({self.example}) %}}{{{{ figure(c) }}}}; for every cell at "
                f"once use sweep_grid(sweeps['{self.sweep}'])")
        raise TemplateProblem(
            f"cells of sweep '{self.sweep}' have an animation and a loss plot "
            f"(figure(cell), loss_plot(cell), compare([cells])), not figure(units=true), "
            f"network(…) or loss_plot(errors=…) ('{kind}'): declare that net under 'nets' to "
            f"show it")


def media_file(sweep_name: str, cached: str) -> str:
    """A sweep medium's name in build/docs/media/<post>/: 'sweep-width-rate-heatmap.svg'."""
    return f"sweep-{sweep_name}-{cached}"


def context(post, runs) -> dict:
    """``sweeps`` (by name) and ``cell(…)`` (a cell of the post's only sweep, or of the sweep
    named by ``sweep=``) for the post's template."""
    results = {}
    shown = shown_cells(post)
    for sweep in post.sweeps:
        cells = []
        timeline = set()
        example = ", ".join(f"{key}={list(values[0]) if key == 'layers' else values[0]!r}"
                            for key, values in sweep.varied)
        for index, spec in enumerate(sweep.cells):
            run = runs[(post.slug, spec.name)]
            urls = {}
            if (sweep.name, spec.name) in shown:
                stem = cell_stem(sweep.name, index)
                urls = {kind: f"../media/{post.slug}/{name.format(net=stem)}"
                        for kind, (_, name) in NET_MAIN_MEDIA.items()}
            cell = NetResult(spec, run.meta, post.data.noise_floor, post.thresholds,
                             SWEEP_COLOR, CellMedia(urls, sweep.name, example))
            cell.frame_epochs = run.key.spec["frames"]
            cell.fps = animation_fps(len(cell.frame_epochs))
            # Like a net's: arrays read only if the page asks for something derived from them.
            if "arrays_path" in run.meta:
                attach_recording(cell, partial(read_arrays, run.meta["arrays_path"]), post.data,
                                 KeptValues.at(run.meta.get("derived_path")))
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
        for index, cell in enumerate(sweep.cells):
            cached_files = media.get((post.slug, cell_media_name(cell.name)), {})
            stem = cell_stem(sweep.name, index)
            for cached, name in NET_MAIN_MEDIA.values():
                if cached in cached_files:
                    found[f"media/{post.slug}/{name.format(net=stem)}"] = cached_files[cached]
    return found
