"""Sweeps on a post's page: ``sweeps`` and ``cell`` in the template.

Example (``media``: the page's ``media.plan.PageMedia``)::

    context(post, runs, media)["sweeps"]["width-rate"].best.label        # '1×16, lr 0.03'
"""

from __future__ import annotations

from tinynets.errors import TemplateProblem
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


def context(post, runs, media, seeds=None, stand_ins=None) -> dict:
    """``sweeps`` (by name) and ``cell(…)`` (a cell of the post's only sweep, or of the sweep
    named by ``sweep=``) for the post's template; ``media``: the page's media. Cells are
    measured on ``seeds`` (default: those the page shows), as ``NetResult.from_run`` says."""
    seeds = post.seeds if seeds is None else seeds
    results = {}
    for sweep in post.sweeps:
        cells = []
        example = ", ".join(f"{key}={list(values[0]) if key == 'layers' else values[0]!r}"
                            for key, values in sweep.varied)
        for spec in sweep.cells:
            run = runs[(post.slug, spec.name)]
            shown = media.cells[spec.name]
            # Like a net's: arrays read only if the page asks for something derived from them.
            cell = NetResult.from_run(
                run, spec, post.data, post.thresholds, color=shown.color,
                media=CellMedia(shown.urls, sweep.name, example),
                frame_epochs=run.key.spec["frames"], fps=shown.fps, seeds=seeds,
                stand_ins=stand_ins)
            cells.append(cell)
        figures = media.sweeps[sweep.name]
        result = SweepResult(sweep, cells, dict(figures.urls))
        result.grid_width, result.grid_height = figures.grid_size
        result.heatmap_width, result.heatmap_height = figures.heatmap_size
        result.frame_epochs = list(figures.frame_epochs)
        result.fps = figures.fps
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
