"""The fallback figures (matplotlib: what readers without JavaScript, the feed, the social card and a
download get) say what they draw, title their axes, and their text reaches WCAG AA.

Every figure kind is drawn from synthetic recordings (no TensorFlow). What a figure says is read
from the text matplotlib draws: the SVG of a static plot, and for an animation its "SVG twin",
the figure saved as SVG (its static layer: legend, titles, axes; the moving lines and numbers
are animated artists and stamps, drawn only into frames). Contrast is computed from the colours
the text is drawn in and what it is drawn on (the white figure, a text's own box, a heatmap
cell). The title's place in the poster is checked in pixels: dark ink, with the net's colour
only in the swatch beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.image import AxesImage
from matplotlib.text import Text
from render_support import HOSTILE, STYLE, make_panel

from tinynets.engine.plane import plane_arrays, plane_grid
from tinynets.media import inside, loss_plots, plane, render, sweep
from tinynets.media.canvas import (BACKGROUND, INK, SWATCH_PX, contrast_ratio,
                                   relative_luminance)
from tinynets.media.catalog import PALETTE
from tinynets.media.plane_panel import PlanePanel
from tinynets.posts.plane import GRID_SIDE, PlaneSpec

AA_TEXT = 4.5


# --- Synthetic recordings ------------------------------------------------------------------------

def plane_panel(label="3×16 ReLU", color="#56B4E9", seed=4, name="deep") -> PlanePanel:
    """A classifier on the circle set whose boundary grows from nothing to the true circle."""
    data = PlaneSpec("circle", points=120, noise=0.2, seed=0)
    split = plane_arrays(data)
    frames, seeds, epochs = 12, 3, 300
    epochs_at = np.unique(np.geomspace(1, epochs, frames - 1).astype(int))
    epochs_at = np.concatenate([[0], epochs_at])
    grid = plane_grid(data.bounds)
    radius = np.hypot(grid[:, 0], grid[:, 1])
    progress = np.linspace(0, 1, len(epochs_at))[:, None, None]
    inside_circle = 1 / (1 + np.exp(2 * (radius - 3.6)))
    predictions = (0.5 + progress * (inside_circle - 0.5)[None, None, :]).repeat(seeds, axis=1)
    steps = np.arange(1, epochs + 1)[:, None]
    losses = (0.69 / steps ** 0.5 + 0.001 * np.arange(1, seeds + 1)).astype(np.float32)
    accuracy = np.clip(0.5 + 0.45 * (1 - 1 / steps ** 0.3), 0, 1).repeat(seeds, 1)
    return PlanePanel(
        name=name, label=label, color=color, classification=True, frame_epochs=epochs_at,
        grid=grid, predictions=predictions.astype(np.float32), losses=losses,
        test_losses=losses * 1.2, accuracy=accuracy.astype(np.float32),
        test_accuracy=(accuracy * 0.95).astype(np.float32), points_train=split.points_train,
        y_train=split.y_train, points_test=split.points_test, y_test=split.y_test,
        representative=1, data=data, seed=seed)


def sweep_figure(frames: int = 8, epochs: int = 400) -> sweep.SweepFigure:
    """Two widths × two rates; the last cell ends below the stuck limit, the others do not."""
    grid = np.linspace(-3, 3, 60, dtype=np.float32)
    epochs_at = np.unique(np.geomspace(1, epochs, frames - 1).astype(int))
    epochs_at = np.concatenate([[0], epochs_at])
    data = make_panel().data
    cells, widths, rates = [], ((4,), (16,)), (0.01, 0.1)
    for index, (width, rate) in enumerate((w, r) for w in widths for r in rates):
        # every cell starts far above the limit (0.05); only the last falls below it, at the end
        losses = np.full(epochs, 0.5, np.float32)
        if index == 3:
            losses = np.geomspace(0.5, 0.02, epochs).astype(np.float32)
        predictions = np.stack([np.sin(2 * grid) * step / (frames - 1) for step in range(frames)])
        cells.append(sweep.SweepCell(
            label=f"1×{width[0]}, lr {rate}", values=(width, rate),
            final_losses=np.full(4, float(losses[-1])), stuck=0 if index == 3 else 4,
            diverged=0, frame_epochs=epochs_at, grid=grid,
            predictions=predictions.astype(np.float32), losses=losses))
    return sweep.SweepFigure(label="Grid", keys=("layers", "learning_rate"),
                             values=(widths, rates), cells=cells, floor=0.01, data=data,
                             stuck_limit=0.05)


def weights_of(panel: render.Panel, units: int = 6) -> list[np.ndarray]:
    """Weights of a 1×units net at every frame (frames, seeds, …): a few units switching on."""
    frames, seeds = panel.predictions.shape[:2]
    growth = np.linspace(0.2, 1, frames)[:, None, None, None]
    kernel = growth * np.linspace(-1, 1, units)[None, None, None, :].repeat(seeds, 1)
    bias = np.linspace(-0.5, 0.5, units)[None, None, :].repeat(frames, 0).repeat(seeds, 1)
    signs = np.where(np.arange(units) % 2, -1.0, 1.0)[None, None, :, None]
    out = growth * signs * np.ones((frames, seeds, units, 1))
    return [kernel.astype(np.float32), bias.astype(np.float32), out.astype(np.float32),
            np.zeros((frames, seeds, 1), np.float32)]


# --- Reading figures -----------------------------------------------------------------------------

def svg_texts(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return [" ".join("".join(element.itertext()).split())
            for element in root.iter("{http://www.w3.org/2000/svg}text")]


def svg_twin(animation, folder: Path, name: str) -> list[str]:
    """The texts of an animation's static layer, saved as SVG."""
    path = folder / f"{name}.svg"
    animation.figure.savefig(path, format="svg")
    return svg_texts(path)


def capture_static(monkeypatch, module) -> list:
    """Make ``module``'s static figures land in the returned list as well as in their files."""
    figures = []
    original = module.save_static

    def keep(figure, folder, stem):
        figures.append(figure)
        original(figure, folder, stem)

    monkeypatch.setattr(module, "save_static", keep)
    return figures


def _blend(top, bottom) -> tuple:
    red, green, blue, alpha = to_rgba(top)
    under = to_rgb(bottom)
    return tuple(alpha * channel + (1 - alpha) * base
                 for channel, base in zip((red, green, blue), under))


def _under(text: Text):
    """What ``text`` is drawn on: a heatmap cell's colour where it sits on one, else white."""
    axes = text.axes
    if axes is not None:
        for image in axes.get_images():
            if isinstance(image, AxesImage) and text.get_transform() == axes.transData:
                column, row = (int(round(value)) for value in text.get_position())
                values = image.get_array()
                if 0 <= row < values.shape[0] and 0 <= column < values.shape[1]:
                    return image.to_rgba(values[row, column])[:3] \
                        if not np.ma.is_masked(values[row, column]) \
                        else to_rgb(image.cmap.get_bad())
    return BACKGROUND


def drawn_texts(figure) -> list[Text]:
    """The visible texts of ``figure`` that are drawn: not tick labels of ticks outside their
    axis' range (matplotlib keeps those as visible texts but leaves them out of the picture)."""
    hidden = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = high - low
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                where = tick.get_loc()
                if where is None or not low - 1e-9 * span <= where <= high + 1e-9 * span:
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [text for text in figure.findobj(Text)
            if id(text) not in hidden and text.get_visible() and text.get_text().strip()
            and (text.axes is None or text.axes.get_visible())]


def text_contrasts(figure) -> list[tuple[str, float]]:
    """(text, contrast ratio with what it is drawn on) of every visible text of ``figure``."""
    renderer = figure.canvas.get_renderer()
    found = []
    for text in drawn_texts(figure):
        if text.get_window_extent(renderer).width == 0:
            continue
        background = _under(text)
        box = text.get_bbox_patch()
        if box is not None and box.get_visible() and box.get_facecolor()[3] > 0:
            background = _blend(box.get_facecolor(), background)
        found.append((text.get_text(), contrast_ratio(text.get_color(), background)))
    return found


def every_kind(tmp_path, monkeypatch) -> dict[str, object]:
    """One figure of every kind (animations drawn at their last frame), by name."""
    figures = {}
    static = capture_static(monkeypatch, loss_plots)
    static_inside = capture_static(monkeypatch, inside)
    static_sweep = capture_static(monkeypatch, sweep)
    panel = make_panel(label="1×8 SGD", color="#E69F00")
    panel.seed = 7
    panels = [panel, make_panel(label="2×4 Adam", color="#56B4E9", name="deep"),
              make_panel(label="1×8 tanh", color="#CC79A7", name="tanh")]
    animations = {
        "net": render.NetAnimation(panel, STYLE),
        "units": inside.UnitsAnimation(panel, weights_of(panel), "relu", STYLE),
        "network": inside.NetworkAnimation(panel, weights_of(panel), "relu", STYLE),
        "comparison": render.ComparisonAnimation(panels, STYLE),
        "plane": plane.PlaneAnimation(plane_panel(), STYLE),
        "plane comparison": plane.PlaneComparison(
            [plane_panel(), plane_panel(label="1×8 tanh", color="#E69F00", name="tanh")], STYLE),
        "sweep grid": sweep.SweepGridAnimation(sweep_figure(), STYLE),
    }
    for name, animation in animations.items():
        animation.draw_frame(len(animation) - 1)
        figures[name] = animation
    loss_plots.write_loss_plot(panel, tmp_path, "loss", STYLE)
    loss_plots.write_comparison_loss_plot(panels, tmp_path, "losses", STYLE)
    inside.write_errors_plot(panel, weights_of(panel), "relu", tmp_path, "errors", STYLE)
    sweep.write_heatmap(sweep_figure(), tmp_path, "heatmap", STYLE)
    sweep.write_sweep_plot(sweep_figure(), tmp_path, "plot", STYLE)
    for name, figure in zip(("loss plot", "comparison loss plot"), static):
        figures[name] = figure
    figures["errors plot"] = static_inside[0]
    figures["heatmap"], figures["sweep plot"] = static_sweep
    return figures


# --- What the figures say ------------------------------------------------------------------------

def test_animations_name_what_they_draw_and_title_their_axes(tmp_path):
    panel = make_panel(label="1×8 SGD", color="#E69F00")
    panel.seed = 7
    net = svg_twin(render.NetAnimation(panel, STYLE), tmp_path, "net")
    assert {"1×8 SGD", "true function", "training points", "the net, seed 7 (median of 3)",
            "x", "y", "epoch", "training error", "noise floor"} <= set(net), net
    units = svg_twin(inside.UnitsAnimation(panel, weights_of(panel), "relu", STYLE), tmp_path,
                     "units")
    assert {"each unit's v·relu(wx+b)", "where it bends", "true function", "epoch"} \
        <= set(units), units
    network = svg_twin(inside.NetworkAnimation(panel, weights_of(panel), "relu", STYLE),
                       tmp_path, "network")
    assert {"weight > 0", "weight < 0", "wider: larger", "a unit's output over x", "input x",
            "output"} <= set(network), network
    panels = [panel, make_panel(label="2×4 Adam", color="#56B4E9", name="deep")]
    comparison = svg_twin(render.ComparisonAnimation(panels, STYLE), tmp_path, "comparison")
    assert {"1×8 SGD", "2×4 Adam", "true function", "training points",
            "each net's prediction (median seed)", "x", "y"} <= set(comparison), comparison
    shown = svg_twin(plane.PlaneAnimation(plane_panel(), STYLE), tmp_path, "plane")
    assert {"3×16 ReLU", "class 1", "class 0", "training", "test", "boundary", "P(class 1)",
            "0%", "50%", "100%", "x1", "x2", "epoch", "accuracy", "seed 4, median of 3"} \
        <= set(shown), shown
    assert any(text.startswith("error") for text in shown), shown
    both = svg_twin(plane.PlaneComparison([plane_panel(), plane_panel(label="1×8 tanh")],
                                          STYLE), tmp_path, "plane-comparison")
    assert {"3×16 ReLU", "1×8 tanh", "class 1", "class 0", "training", "test", "boundary",
            "P(class 1): 0 to 1", "x1", "x2"} <= set(both), both
    grid = svg_twin(sweep.SweepGridAnimation(sweep_figure(), STYLE), tmp_path, "grid")
    assert {"true function", "points", "median seed: error ≤ 0.05", "> 0.05 (stuck limit)",
            "hidden layers", "learning rate", "1×4", "1×16", "0.01", "0.1"} <= set(grid), grid


def test_static_plots_name_what_they_draw_and_title_their_axes(tmp_path):
    panel = make_panel(label="1×8 SGD", color="#E69F00")
    panels = [panel, make_panel(label="2×4 Adam", color="#56B4E9", name="deep")]
    loss_plots.write_loss_plot(panel, tmp_path, "loss", STYLE)
    assert {"1×8 SGD", "median of 3 seeds", "their range", "one seed", "noise floor", "epoch",
            "training error"} <= set(svg_texts(tmp_path / "loss.svg"))
    loss_plots.write_comparison_loss_plot(panels, tmp_path, "losses", STYLE)
    assert {"1×8 SGD", "2×4 Adam", "Median training error per net (band: range of 3 seeds)",
            "epoch", "training error", "noise floor"} <= set(svg_texts(tmp_path / "losses.svg"))
    inside.write_errors_plot(panel, weights_of(panel), "relu", tmp_path, "errors", STYLE)
    assert {"1×8 SGD", "medians of 3 seeds", "training", "held-out (fresh points)",
            "noise-free (true function)", "epoch", "mean squared error"} \
        <= set(svg_texts(tmp_path / "errors.svg"))
    sweep.write_heatmap(sweep_figure(), tmp_path, "heatmap", STYLE)
    heatmap = svg_texts(tmp_path / "heatmap.svg")
    assert {"hidden layers", "learning rate", "median final error", "▲ 4 stuck"} <= set(heatmap)
    assert any(text.startswith("▲ seeds stuck or diverged") for text in heatmap)
    sweep.write_sweep_plot(sweep_figure(), tmp_path, "plot", STYLE)
    assert {"learning rate 0.01", "learning rate 0.1", "band: range of the seeds", "noise floor",
            "hidden layers", "final training error"} <= set(svg_texts(tmp_path / "plot.svg"))


# --- Contrast ------------------------------------------------------------------------------------

def test_every_text_of_every_figure_kind_reaches_aa_contrast(tmp_path, monkeypatch):
    figures = every_kind(tmp_path, monkeypatch)
    assert len(figures) == 12
    for name, drawn in figures.items():
        figure = getattr(drawn, "figure", drawn)
        if figure is drawn:  # a static plot: lay it out as its PNG (its SVG was saved last)
            figure.canvas.draw()
        contrasts = text_contrasts(figure)
        assert len(contrasts) > 5, name
        low = [(text, round(ratio, 2)) for text, ratio in contrasts if ratio < AA_TEXT]
        assert low == [], f"{name}: text under 4.5:1: {low}"
    # the stamped texts (epoch counters, current errors) are dark ink on white
    for name in ("net", "comparison", "plane", "plane comparison", "sweep grid", "network"):
        animation = figures[name]
        stamps = [value for value in vars(animation).values() if hasattr(value, "rgba")]
        stamps += [stamp for stamp, _ in getattr(animation, "stamps", [])]
        stamps += getattr(animation, "errors", [])
        assert stamps, name
        for stamp in stamps:
            color = "#{:02x}{:02x}{:02x}".format(*stamp.rgba[:3])
            assert contrast_ratio(color) >= AA_TEXT, (name, color)


def test_heatmap_text_is_dark_or_white_and_boxed_where_neither_reaches_aa():
    from matplotlib import colormaps

    colormap = colormaps[sweep.COLORMAP]
    boxed = 0
    for level in np.linspace(0, 1, 41):
        cell = colormap(level)
        ink, box = sweep.cell_ink(cell)
        under = _blend(to_rgb(box["facecolor"]) + (box["alpha"],), cell) if box else cell
        assert contrast_ratio(ink, under) >= AA_TEXT, (level, ink)
        boxed += box is not None
    # cividis' mid-tones reach 4.5:1 with neither ink: those, and only those, get a box
    assert 0 < boxed < 20


@pytest.mark.parametrize("color", PALETTE)
def test_a_net_title_is_dark_ink_with_its_colour_in_a_swatch_beside_it(color):
    """The palette's light colours fail AA as text (#E69F00 2.25:1): titles are ink."""
    panel = make_panel(label="Net", color=color)
    animation = render.NetAnimation(panel, STYLE)
    assert animation.title.get_color() == INK
    assert contrast_ratio(animation.title.get_color()) >= AA_TEXT
    poster = animation.draw_frame(len(animation) - 1).astype(int)
    renderer = animation.canvas.get_renderer()
    box = animation.title.get_window_extent(renderer)
    height = poster.shape[0]
    rows = slice(int(height - box.y1), int(height - box.y0))
    title = poster[rows, int(box.x0):int(box.x1)]
    swatch = poster[rows, int(box.x0) - SWATCH_PX:int(box.x0)]
    net = np.array([round(channel * 255) for channel in to_rgb(color)])
    ink = np.array([round(channel * 255) for channel in to_rgb(INK)])

    def share(pixels, target) -> float:
        return float((np.abs(pixels - target).sum(axis=2) < 12).mean())

    assert share(swatch, net) > 0.1, "the swatch shows the net's colour"
    assert share(title, ink) > 0.05, "the title is written in ink"
    if color.lower() != INK and relative_luminance(color) > 0.02:  # black nets: ink is close
        assert share(title, net) == 0, "no letter is in the net's colour"


# --- Scales, states, labels ----------------------------------------------------------------------

def test_nets_of_one_data_set_share_the_loss_scale_unless_one_leaves_it():
    first = make_panel(label="a", name="a")
    second = make_panel(label="b", name="b")
    second.losses = second.losses * 3  # another net: higher errors, still inside the range
    one, two = (render.NetAnimation(panel, STYLE) for panel in (first, second))
    assert one.axes[1].get_ylim() == two.axes[1].get_ylim()
    assert not one.own_scale and not two.own_scale
    low = make_panel(label="c", name="c")
    low.losses = low.losses * 1e-4  # far below the noise floor's third: its own range, said so
    three = render.NetAnimation(low, STYLE)
    assert three.own_scale and three.axes[1].get_ylim()[0] < one.axes[1].get_ylim()[0]
    assert "own y range (left the shared one)" in [text.get_text()
                                                   for text in three.axes[1].texts]


def test_sweep_grid_colours_each_cell_by_its_state_at_the_shown_epoch():
    figure = sweep_figure()
    animation = sweep.SweepGridAnimation(figure, STYLE)
    colours = []
    for index in range(len(animation)):
        animation.update(index)
        colours.append([line.get_color() for line in animation.lines])
    # the cell that ends below the limit is drawn above it until it gets there (not from epoch 0)
    assert colours[0][3] == sweep.ABOVE and colours[-1][3] == sweep.BELOW
    turned = next(index for index, row in enumerate(colours) if row[3] == sweep.BELOW)
    epoch = int(animation.timeline[turned])
    assert figure.cells[3].error_at(epoch) <= 0.05 < figure.cells[3].error_at(
        int(animation.timeline[turned - 1]))
    # the others never get there
    assert all(row[:3] == [sweep.ABOVE] * 3 for row in colours)


def _shows(label: str, drawn: str) -> bool:
    """``drawn`` is ``label`` as written, or a start of it cut with "…" where it did not fit."""
    return drawn == label or (drawn.endswith("…") and len(drawn) > 12
                              and label.startswith(drawn[:-1].rstrip()))


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_are_drawn_literally_in_every_new_title(label, tmp_path):
    """Dollars, backslashes and markup stay text in the titles the new layouts draw."""
    shown = plane.PlaneAnimation(plane_panel(label=label), STYLE)
    assert _shows(label, shown.title.get_text())
    pair = plane.PlaneComparison([plane_panel(label=label), plane_panel(label="b")], STYLE)
    titles = [text.get_text() for text in pair.figure.texts if text.get_fontweight() == "bold"]
    assert any(_shows(label, title) for title in titles), titles
    panel = make_panel(label=label)
    network = inside.NetworkAnimation(panel, weights_of(panel), "relu", STYLE)
    assert any(_shows(label, text.get_text()) for text in network.figure.texts)
    inside.write_errors_plot(panel, weights_of(panel), "relu", tmp_path, "errors", STYLE)
    texts = svg_texts(tmp_path / "errors.svg")
    assert any(_shows(" ".join(label.split()), text) for text in texts), texts
    for drawn in (shown, pair, network):
        drawn.draw_frame(len(drawn) - 1)  # renders: no mathtext error


def test_no_text_of_a_static_plot_is_cut_at_the_figure_edge(tmp_path, monkeypatch):
    figures = every_kind(tmp_path, monkeypatch)
    for name in ("loss plot", "comparison loss plot", "errors plot", "sweep plot"):
        figure = figures[name]
        figure.canvas.draw()  # the PNG's layout (the SVG was saved last, at 72 dpi)
        renderer = figure.canvas.get_renderer()
        width, height = figure.canvas.get_width_height()
        texts = drawn_texts(figure)
        assert len(texts) >= 8, name
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= -0.5 and box.x1 <= width + 0.5, (name, text.get_text())
            assert box.y0 >= -0.5 and box.y1 <= height + 0.5, (name, text.get_text())


# --- The cache -----------------------------------------------------------------------------------

def test_media_cached_by_the_previous_renderer_are_drawn_again(tmp_path, monkeypatch):
    """The look changed with renderer version 5: a cache rendered by version 4 is not reused."""
    from support import FIXTURE
    from media_support import shown, synthetic_runs

    from tinynets.engine import fingerprint
    from tinynets.media import catalog
    from tinynets.media import stage as media
    from tinynets.posts.load import load_posts

    assert fingerprint.RENDERER_VERSION >= 5
    posts = [post for post in load_posts(FIXTURE / "content") if post.slug == "tiny"]
    cache = tmp_path / "cache"
    runs = synthetic_runs(posts, cache)
    with monkeypatch.context() as old:
        old.setattr(catalog, "RENDERER_VERSION", 4)
        before: list[str] = []
        media.render_missing(posts, runs, shown(posts), cache, force=False, log=before.append)
    drawn_before = [line for line in before if line.startswith("render ")]
    assert drawn_before
    after: list[str] = []
    media.render_missing(posts, runs, shown(posts), cache, force=False, log=after.append)
    assert sorted(line for line in after if line.startswith("render ")) == sorted(drawn_before)
    assert not [line for line in after if line.startswith("reused")]
    again: list[str] = []
    media.render_missing(posts, runs, shown(posts), cache, force=False, log=again.append)
    assert not [line for line in again if line.startswith("render ")]
