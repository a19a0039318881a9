"""Sweeps on the page: what templates can ask of a sweep and its cells, the three figures, and
the fixture site's sweep post built end to end."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tinynets.errors import TemplateProblem
from tinynets.measure.finals import RunMeta
from tinynets.measure.quantities import Count, Measured
from tinynets.measure.results import NetResult
from tinynets.measure.sweeps import SweepResult
from tinynets.media import canvas
from tinynets.media.sweep import (SweepCell, SweepFigure, SweepGridAnimation, write_heatmap,
                                  write_sweep_plot)
from tinynets.posts.model import DataSpec, NetSpec, SweepSpec, Thresholds
from tinynets.posts.sweeps import cell_label, cell_name

WIDTHS, RATES = ((2,), (8,), (32,)), (0.001, 0.01, 0.1)
DATA = DataSpec(function="sine", x_range=(0.0, 10.0), points=40, noise=0.1, seed=0)


def final_error(width: tuple, rate: float) -> float:
    """Made-up finals: wider is better, 0.01 is the best rate except at width 32 (0.1)."""
    best = 0.1 if width == (32,) else 0.01
    too_slow = 1.5 if rate < best else 1.0
    return 0.02 * (8 / width[0]) ** 0.5 * (1 + abs(np.log10(rate / best))) * too_slow


def synthetic_sweep() -> SweepResult:
    cells, results = [], []
    for width in WIDTHS:
        for rate in RATES:
            values = {"layers": width, "learning_rate": rate}
            spec = NetSpec(name=cell_name("grid", values), label=cell_label(values),
                           layers=width, learning_rate=rate)
            cells.append(spec)
            finals = [final_error(width, rate) * (1 + 0.1 * seed) for seed in range(4)]
            meta = {"seeds": [0, 1, 2, 3], "wall_time": 1.0, "final_losses": finals,
                    "diverged_at": [None, None, None, None]}
            results.append(NetResult(spec, RunMeta.from_dict(meta), 0.01, Thresholds(),
                                     "#0072B2", {}))
    spec = SweepSpec(name="grid", label="Grid", base=cells[0],
                     varied=(("layers", WIDTHS), ("learning_rate", RATES)), cells=tuple(cells))
    return SweepResult(spec, results, {})


def test_cells_best_worst_and_the_best_rate_per_width():
    sweep = synthetic_sweep()
    cell = sweep.cell(layers=[8], learning_rate=0.01)
    assert isinstance(cell, NetResult) and cell.values == {"layers": (8,), "learning_rate": 0.01}
    assert (cell.median < 0.03).passed  # a cell answers claims like a net
    assert sweep.best.label == "1×32, lr 0.1" and sweep.worst.label == "1×2, lr 0.001"
    assert [(width, best.values["learning_rate"]) for width, best in sweep.best_per("layers")] \
        == [((2,), 0.01), ((8,), 0.01), ((32,), 0.1)]
    moved = sweep.best_value("learning_rate", layers=[32]) > sweep.best_value(
        "learning_rate", layers=[8])
    assert moved.passed and moved.text == (
        "claimed: grid best learning_rate at layers [32] > grid best learning_rate at layers "
        "[8]; measured: grid best learning_rate at layers [32] = 0.1, grid best learning_rate "
        "at layers [8] = 0.01")
    assert isinstance(sweep.best_value("layers"), Count)
    assert isinstance(sweep.best_value("learning_rate"), Measured)
    assert int(sweep.count_cells("near_floor")) == sum(
        1 for cell in sweep.cells if int(cell.near_floor) > 2)


def test_cell_mistakes_name_what_exists():
    sweep = synthetic_sweep()
    with pytest.raises(TemplateProblem, match=r"^sweep 'grid' has no layers \[16\]; its values "
                                              r"are \[2\], \[8\], \[32\]\.$"):
        sweep.cell(layers=[16], learning_rate=0.01)
    with pytest.raises(TemplateProblem, match=r"missing learning_rate, e\.g\. "
                                              r"learning_rate=0\.001\.$"):
        sweep.cell(layers=[8])
    with pytest.raises(TemplateProblem, match=r"does not vary momentum: it varies layers, "
                                              "learning_rate"):
        sweep.cell(layers=[8], learning_rate=0.01, momentum=0.5)


def figure_of(sweep: SweepResult, frames: int = 6) -> SweepFigure:
    grid = np.linspace(0, 10, 60, dtype=np.float32)
    cells = []
    for index, result in enumerate(sweep.cells):
        finals = np.asarray(result.final_losses)
        if index == 0:
            finals[1] = np.inf  # a diverged seed: drawn, marked, never a crash
        predictions = np.stack([np.sin(grid) * step / (frames - 1) for step in range(frames)])
        cells.append(SweepCell(label=result.label, values=tuple(result.values.values()),
                               final_losses=finals, stuck=int(result.stuck) + (index == 0),
                               diverged=int(index == 0),
                               frame_epochs=np.asarray([0, 1, 2, 5, 10, 20][:frames]),
                               grid=grid, predictions=predictions.astype(np.float32)))
    return SweepFigure(label="Grid", keys=("layers", "learning_rate"), values=(WIDTHS, RATES),
                       cells=cells, floor=0.01, data=DATA)


def test_heatmap_and_plot_print_values_and_mark_trouble(tmp_path):
    figure = figure_of(synthetic_sweep())
    style = canvas.Style()
    write_heatmap(figure, tmp_path, "heatmap", style)
    write_sweep_plot(figure, tmp_path, "plot", style)
    heatmap = (tmp_path / "heatmap.svg").read_text()
    median = float(np.median(figure.cells[4].final_losses))
    assert f"{median:.2g}" in heatmap  # the value is printed in its cell
    assert "▲ 1 diverged" in heatmap and "noise floor 0.01" in heatmap
    assert "learning rate" in heatmap and "1×32" in heatmap
    plot = (tmp_path / "plot.svg").read_text()
    assert "learning rate 0.1" in plot and "noise floor" in plot
    assert (tmp_path / "heatmap.png").stat().st_size > 1000


def test_grid_animation_runs_every_cell_on_one_timeline():
    animation = SweepGridAnimation(figure_of(synthetic_sweep()), canvas.Style())
    assert len(animation) == 6 and animation.size[0] == 800
    first, last = animation.draw_frame(0), animation.draw_frame(5)
    assert first.shape == last.shape and not np.array_equal(first, last)


@pytest.mark.slow
def test_fixture_sweep_post_shows_its_three_figures(built_project):
    docs = built_project / "build" / "docs"
    page = (docs / "posts" / "sweep.md").read_text(encoding="utf-8")
    for medium in ("heatmap.svg", "plot.svg", "grid.webm", "grid.gif", "grid.png"):
        assert f"../media/sweep/sweep-width-rate-{medium}" in page
        assert (docs / "media" / "sweep" / f"sweep-width-rate-{medium}").stat().st_size > 0
    assert "Width 2: best rate" in page and "The best cell ends no higher than the worst." in page
    html = (built_project / "build" / "site" / "sweep" / "index.html").read_text("utf-8")
    frames = re.search(r'data-tn-frames="([0-9,]+)"', html).group(1).split(",")
    assert frames[0] == "0" and frames[-1] == "30" and len(frames) == 12
    assert 'class="tn-slider" min="0" max="11"' in html


def test_a_misspelt_sweep_stops_the_build_before_training(tmp_path):
    from support import FIXTURE, REPO

    from tinynets.pages.analysis import check_templates
    from tinynets.posts.load import load_post
    from tinynets.posts.schema import Defaults

    text = (FIXTURE / "content" / "posts" / "sweep.md").read_text(encoding="utf-8")
    path = tmp_path / "sweep.md"
    path.write_text(text.replace("{{ sweep_plot(sweeps['width-rate']) }}",
                                 "{{ sweep_plot(sweeps['width-rates']) }}"), encoding="utf-8")
    post = load_post(path, Defaults())
    line = next(number for number, row in enumerate(path.read_text().splitlines(), 1)
                if "width-rates" in row)
    with pytest.raises(TemplateProblem) as problem:
        check_templates([post], REPO / "templates")
    assert str(problem.value).endswith(
        f"sweep.md:{line}: undefined: there is no sweep 'width-rates' in this post (did you mean "
        "'width-rate'?); its sweeps are 'width-rate'.")
