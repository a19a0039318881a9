"""The render jobs: each draws one medium from its runs' recordings into a folder (a worker
process may run it; only the build process moves the folder into the cache).

matplotlib, numpy and the figure modules are imported inside the jobs, so that planning media
(which names these functions) imports none of them: a warm build renders nothing and imports
no matplotlib.

Each is a ``catalog.Job``'s function: ``render_net(run, net, color, folder, cache)`` draws
into ``folder`` from the recordings in ``cache``/runs; ``write_net_data`` and
``write_sweep_data`` write figure data files (numpy only) for the figures drawn live. Every
medium and data file shows the seeds its page shows, never the replication seeds a run also
trained (``media.shown``).
"""

from __future__ import annotations

from pathlib import Path

from tinynets.measure.finals import final_losses, ranking, representative_seed
from tinynets.media.catalog import STYLE, SWEEP_COLOR, Kind
from tinynets.media.shown import shown_arrays, shown_meta


def net_panel(run, net, color: str, cache: Path, arrays: dict | None = None):
    """One net's (or cell's) recording, ready to draw: a ``render.Panel``, or on the plane a
    ``plane_panel.PlanePanel`` (``arrays``: the run's on its shown seeds, when already read)."""
    from tinynets.media.render import Panel

    if arrays is None:
        arrays = shown_arrays(run, cache)
    seeds = [int(seed) for seed in arrays["seeds"]]
    representative = seeds.index(representative_seed(seeds, ranking(shown_meta(run))))
    if run.post.data.dimensions == 2:  # the plane: heatmaps (tinynets.media.plane)
        return plane_panel(run, net, color, arrays, representative, seeds[representative])
    return Panel(name=net.name, label=net.label, color=color, data=run.post.data,
                 frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                 predictions=arrays["predictions"], losses=arrays["losses"],
                 representative=representative, seed=seeds[representative])


def plane_panel(run, net, color: str, arrays: dict, representative: int, seed: int):
    from tinynets.engine.plane import plane_arrays
    from tinynets.media.plane_panel import PlanePanel

    split = plane_arrays(run.post.data)
    return PlanePanel(name=net.name, label=net.label, color=color,
                      classification=run.post.data.classification,
                      frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                      predictions=arrays["predictions"], losses=arrays["losses"],
                      test_losses=arrays.get("test_losses"), accuracy=arrays.get("accuracy"),
                      test_accuracy=arrays.get("test_accuracy"),
                      points_train=split.points_train, y_train=split.y_train,
                      points_test=split.points_test, y_test=split.y_test,
                      representative=representative, data=run.post.data, seed=seed)


def render_net(run, net, color: str, folder: Path, cache: Path) -> None:
    """A net's (or a shown cell's) animation, poster, loss plot and its data (``Kind.NET``)."""
    from tinynets.media import canvas, loss_csv, loss_plots, render

    style = canvas.Style(**STYLE)
    arrays = shown_arrays(run, cache)
    loss_csv.write(arrays, run.post.seeds, folder / "loss.csv")
    panel = net_panel(run, net, color, cache, arrays)
    if run.post.data.dimensions == 2:
        from tinynets.media.plane import PlaneAnimation

        canvas.write_animation(PlaneAnimation(panel, style), folder, "anim", style)
        loss_plots.write_loss_plot(panel, folder, "loss", style)
        return
    canvas.write_animation(render.NetAnimation(panel, style), folder, "anim", style)
    loss_plots.write_loss_plot(panel, folder, "loss", style)


def render_net_part(run, net, color: str, kind: Kind, folder: Path, cache: Path) -> None:
    """The units figure, the network diagram or the loss plot with errors of one net."""
    from tinynets.measure.inside import frame_weights
    from tinynets.media import canvas, inside

    style = canvas.Style(**STYLE)
    panel = net_panel(run, net, color, cache)
    weights = frame_weights(shown_arrays(run, cache))
    if kind is Kind.UNITS:
        canvas.write_animation(inside.UnitsAnimation(panel, weights, net.activation, style),
                               folder, "units", style)
    elif kind is Kind.NETWORK:
        canvas.write_animation(inside.NetworkAnimation(panel, weights, net.activation, style),
                               folder, "network", style)
    else:
        inside.write_errors_plot(panel, weights, net.activation, folder, "errors", style)


def render_comparison(post, post_runs, colors: dict, kind: Kind, folder: Path,
                      cache: Path) -> None:
    """A post's comparison animation (``Kind.COMPARISON``) or loss plot."""
    from tinynets.media import canvas, loss_plots, render

    style = canvas.Style(**STYLE)
    panels = [net_panel(run, net, colors[net.name], cache)
              for net, run in zip(post.nets, post_runs)]
    if kind is Kind.COMPARISON and post.data.dimensions == 2:
        from tinynets.media.plane import PlaneComparison

        canvas.write_animation(PlaneComparison(panels, style), folder, "compare", style)
    elif kind is Kind.COMPARISON:
        canvas.write_animation(render.ComparisonAnimation(panels, style), folder, "compare",
                               style)
    else:
        loss_plots.write_comparison_loss_plot(panels, folder, "losses", style)


def sweep_figure(post, sweep, cell_runs, cache: Path, with_predictions: bool):
    """The sweep's cells as plain arrays (``media.sweep.SweepFigure``)."""
    import numpy as np

    from tinynets.media.sweep import SweepCell, SweepFigure

    cells = []
    stuck_limit = post.thresholds.stuck * post.data.noise_floor
    for cell, run in zip(sweep.cells, cell_runs):
        meta = shown_meta(run)
        finals = final_losses(meta)
        drawn = SweepCell(
            label=cell.label, values=tuple(sweep.values(cell).values()),
            final_losses=np.asarray(finals, dtype=np.float64),
            stuck=sum(1 for value in finals if not value <= stuck_limit),
            diverged=sum(1 for at in meta.diverged_at if at))
        if with_predictions:
            arrays = shown_arrays(run, cache)
            seeds = [int(seed) for seed in arrays["seeds"]]
            column = seeds.index(representative_seed(seeds, finals))
            drawn.frame_epochs = arrays["frame_epochs"]
            drawn.grid = arrays["grid"]
            drawn.predictions = np.ascontiguousarray(arrays["predictions"][:, column])
            drawn.losses = np.ascontiguousarray(arrays["losses"][:, column])
        cells.append(drawn)
    return SweepFigure(label=sweep.label, keys=sweep.keys,
                       values=tuple(values for _, values in sweep.varied), cells=cells,
                       floor=post.data.noise_floor, data=post.data,
                       stuck_limit=stuck_limit)


def render_sweep(post, sweep, cell_runs, kind: Kind, folder: Path, cache: Path) -> None:
    """One sweep figure: its heatmap, plot or animated grid."""
    from tinynets.media import canvas, sweep as drawing

    style = canvas.Style(**STYLE)
    figure = sweep_figure(post, sweep, cell_runs, cache, with_predictions=kind is Kind.SWEEP_GRID)
    if kind is Kind.SWEEP_HEATMAP:
        drawing.write_heatmap(figure, folder, "heatmap", style)
    elif kind is Kind.SWEEP_PLOT:
        drawing.write_sweep_plot(figure, folder, "plot", style)
    else:
        canvas.write_animation(drawing.SweepGridAnimation(figure, style), folder, "grid", style)


def write_model(run, net, folder: Path, cache: Path) -> None:
    """A net's median seed as a Keras model file (``Kind.MODEL``)."""
    from tinynets.media.model_file import write_model as write

    write(run, net, folder / "model.keras", cache)


def write_net_data(run, net, color: str, folder: Path, cache: Path) -> None:
    """A net's (or a shown cell's) figure data file (``Kind.FIGURE_DATA``)."""
    from tinynets.media import figure_files

    figure_files.write_net(run, net, color, folder / "data.tnfd", cache)


def write_inside_data(run, net, color: str, folder: Path, cache: Path) -> None:
    """A net's inside file: its weights and bends (``Kind.FIGURE_INSIDE``)."""
    from tinynets.media import figure_files

    figure_files.write_inside(run, net, color, folder / "inside.tnfd", cache)


def write_sweep_data(post, sweep, cell_runs, folder: Path, cache: Path) -> None:
    """A sweep's figure data file: its cells, in order."""
    from tinynets.media import figure_files

    figure_files.write_sweep(post, sweep, cell_runs, SWEEP_COLOR, folder / "data.tnfd", cache)
