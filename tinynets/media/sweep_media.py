"""Media stage for sweeps: which sweep figures a post needs, their cache keys, their rendering.

A sweep figure is rendered only when the post's page calls its macro (``sweep_heatmap``,
``sweep_plot``, ``sweep_grid``), like the comparison media. Its key covers the cells' run
fingerprints, the sweep's keys (not its label: only the page shows it), the stuck threshold
(cells are marked by it), the style and the renderer: a warm build renders nothing and imports
no matplotlib.

A cell shown on its own — ``figure(cell(layers=[8], learning_rate=0.03))``,
``loss_plot(sweeps['width-rate'].cell(…))``, or a variable set once to such a cell — gets a
net's animation, poster and loss plot (cached under ``net_media_key``, like a net's). Which
cells those are is read from the post's body before rendering (``shown_cells``): the cell must
be named in the call with constant values; any other cell's ``media`` says so when a page asks.

Example:
    >>> list(sweep_entries(post, runs, used={"sweep_heatmap"}))      # doctest: +SKIP
    [(SweepSpec('width-rate', …), 'heatmap', '3f2a…', ('heatmap.svg', 'heatmap.png'))]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tinynets.engine.fingerprint import digest
from tinynets.media.stage import NET_FILES, STYLE, _complete, net_media_key, renderer_version
from tinynets.measure.results import final_losses, representative_seed

# part → (the macro that shows it, its files in the media cache)
SWEEP_PARTS = {"heatmap": ("sweep_heatmap", ("heatmap.svg", "heatmap.png")),
               "plot": ("sweep_plot", ("plot.svg", "plot.png")),
               "grid": ("sweep_grid", ("grid.gif", "grid.webm", "grid.png"))}


SWEEP_COLOR = "#0072B2"  # a cell's colour in its own figures (and the grid's lines)
# Macros whose first argument gets a cell's own media when the call names the cell.
CELL_MACROS = ("figure", "loss_plot", "compare")


def media_name(sweep_name: str) -> str:
    """The key of a sweep's media in the media map: ('post', 'sweep:width-rate')."""
    return f"sweep:{sweep_name}"


def sweep_media_key(post, sweep, runs, part: str, style: dict = STYLE) -> str:
    return digest({"cells": [runs[(post.slug, cell.name)].key.fingerprint for cell in sweep.cells],
                   "keys": list(sweep.keys),  # not the label: the figures do not draw it
                   "stuck": post.thresholds.stuck, "style": style,
                   "renderer": renderer_version(), "kind": "sweep", "part": part})


def sweep_entries(post, runs, used: set[str] | None):
    """(sweep, part, cache key, files) of every sweep figure ``post``'s page shows."""
    for sweep in post.sweeps:
        for part, (macro, files) in SWEEP_PARTS.items():
            if used is None or macro in used:
                yield sweep, part, sweep_media_key(post, sweep, runs, part), files


def cell_stem(sweep_name: str, index: int) -> str:
    """A shown cell's file stem in build/docs/media/<post>/: 'sweep-width-rate-cell-3'."""
    return f"sweep-{sweep_name}-cell-{index}"


def shown_cells(post) -> set[tuple[str, str]]:
    """(sweep name, cell name) of every cell the post's body shows on its own.

    A cell counts when ``figure``, ``loss_plot`` (without ``errors``) or ``compare`` gets it as
    ``cell(k=v, …)`` or ``sweeps['s'].cell(k=v, …)`` (``sweeps.s.cell``) with constant values,
    directly or through a variable set once (``{% set c = cell(…) %}``). A body that does not
    parse shows none (the template check reports it).
    """
    if not post.sweeps or not post.body:
        return set()
    return set(_shown_cells(post.body, tuple(post.sweeps)))


@lru_cache(maxsize=64)  # asked by the media stage, the pages and prune: one parse per body
def _shown_cells(text: str, sweeps: tuple) -> frozenset[tuple[str, str]]:
    import jinja2
    from jinja2 import nodes

    try:
        body = jinja2.Environment().parse(text)
    except jinja2.TemplateSyntaxError:
        return frozenset()
    assigned: dict[str, list] = {}
    for assign in body.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name):
            assigned.setdefault(assign.target.name, []).append(assign.node)
    found = set()
    for call in body.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name in CELL_MACROS
                and call.args):
            continue
        arguments = call.args[0].items if isinstance(call.args[0], nodes.List) \
            else [call.args[0]]
        for argument in arguments:
            if isinstance(argument, nodes.Name) and len(assigned.get(argument.name, ())) == 1:
                argument = assigned[argument.name][0]
            named = _cell_call(argument, sweeps)
            if named is not None:
                found.add(named)
    return frozenset(found)


def _cell_call(node, sweeps) -> tuple[str, str] | None:
    """(sweep, cell) named by a ``cell(…)`` call node with constant values, else None."""
    from jinja2 import nodes

    from tinynets.measure.sweeps import _normal

    if not isinstance(node, nodes.Call) or node.args or node.dyn_args or node.dyn_kwargs:
        return None
    target = node.node
    values = {}
    try:
        values = {keyword.key: keyword.value.as_const() for keyword in node.kwargs}
    except nodes.Impossible:
        return None
    if isinstance(target, nodes.Name) and target.name == "cell":
        name = values.pop("sweep", None)
        if name is None and len(sweeps) == 1:
            name = sweeps[0].name
    elif isinstance(target, nodes.Getattr) and target.attr == "cell":
        owner = target.node
        if isinstance(owner, nodes.Getitem) and isinstance(owner.node, nodes.Name) \
                and owner.node.name == "sweeps" and isinstance(owner.arg, nodes.Const):
            name = owner.arg.value
        elif isinstance(owner, nodes.Getattr) and isinstance(owner.node, nodes.Name) \
                and owner.node.name == "sweeps":
            name = owner.attr
        else:
            return None
    else:
        return None
    sweep = next((sweep for sweep in sweeps if sweep.name == name), None)
    if sweep is None or set(values) != set(sweep.keys):
        return None
    try:
        wanted = {key: _normal(key, value) for key, value in values.items()}
    except (TypeError, ValueError):
        return None
    for cell in sweep.cells:
        if sweep.values(cell) == wanted:
            return sweep.name, cell.name
    return None


def cell_entries(post, runs):
    """(sweep, index, cell, run, cache key) of every cell ``post``'s page shows on its own."""
    shown = shown_cells(post)
    for sweep in post.sweeps:
        for index, cell in enumerate(sweep.cells):
            if (sweep.name, cell.name) in shown:
                run = runs[(post.slug, cell.name)]
                yield sweep, index, cell, run, net_media_key(run, SWEEP_COLOR, cell.label)


def cell_media_name(cell_name: str) -> str:
    """The key of a shown cell's media in the media map: ('post', 'sweep-cell:w[layers=4]')."""
    return f"sweep-cell:{cell_name}"


def add_tasks(post, runs, root: Path, force: bool, log, used, tasks: dict, media: dict) -> None:
    """Add the missing sweep figures of ``post`` to ``tasks``; every one to ``media``."""
    from tinynets.media.stage import _render_net

    for sweep, _, cell, run, key in cell_entries(post, runs):
        folder = root / key
        if force or not _complete(folder, NET_FILES):
            tasks.setdefault(folder, (f"render  {post.slug}/{cell.name}: animation, poster, "
                                      "loss plot", _render_net, (run, cell, SWEEP_COLOR)))
        else:
            log(f"reused  {post.slug}/{cell.name} media")
        media[(post.slug, cell_media_name(cell.name))] = {name: folder / name
                                                          for name in NET_FILES}
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
    """The media cache entries of ``post``'s sweep figures and shown cells (what ``prune``
    keeps)."""
    return ({key for _, _, key, _ in sweep_entries(post, runs, used)}
            | {key for *_, key in cell_entries(post, runs)})


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
    from tinynets.media import canvas, sweep as drawing

    style = canvas.Style(**STYLE)
    figure = sweep_figure(post, sweep, cell_runs, cache, with_predictions=part == "grid")
    if part == "heatmap":
        drawing.write_heatmap(figure, folder, "heatmap", style)
    elif part == "plot":
        drawing.write_sweep_plot(figure, folder, "plot", style)
    else:
        canvas.write_animation(drawing.SweepGridAnimation(figure, style), folder, "grid", style)
