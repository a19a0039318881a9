"""Labels in figures: drawn as written (no mathtext), one line, and never over anything else.

Recordings are synthetic (see render_support.make_panel). Overlaps are judged from matplotlib's own
text extents (``get_window_extent`` with the canvas' renderer) and from the boxes of the stamped
texts (``_Stamp.extent``), in display pixels.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree

import pytest
from matplotlib.text import Text

from render_support import HOSTILE, LONG, STYLE, make_panel
from tinynets.media import loss_plots, render

COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]


def _panels(labels) -> list[render.Panel]:
    return [make_panel(label=label, name=f"net{index}", color=COLORS[index % 4])
            for index, label in enumerate(labels)]


def _texts(figure, renderer) -> list[tuple[str, object]]:
    """(text, window extent) of every visible, non-empty Text of ``figure``."""
    return [(text.get_text(), text.get_window_extent(renderer))
            for text in figure.findobj(Text)
            if text.get_visible() and text.get_text().strip()
            and (text.axes is None or text.axes.get_visible())]


def _shows(label: str, drawn: str) -> bool:
    """``drawn`` is ``label`` as written, or its start cut with "…" where it did not fit."""
    return drawn == label or (drawn.endswith("…") and len(drawn) > 20
                              and label.startswith(drawn[:-1].rstrip()))


def _overlap(first, second, slack: float = 0.5) -> bool:
    return (min(first.x1, second.x1) - max(first.x0, second.x0) > slack
            and min(first.y1, second.y1) - max(first.y0, second.y0) > slack)


def _inside(box, outer) -> bool:
    return (box.x0 >= outer.x0 - 0.5 and box.x1 <= outer.x1 + 0.5
            and box.y0 >= outer.y0 - 0.5 and box.y1 <= outer.y1 + 0.5)


@pytest.mark.parametrize("labels", [HOSTILE, ["1×60 ReLU, SGD", "2×10 ReLU, SGD", LONG,
                                              "2×10 ReLU, Adam"]])
def test_comparison_labels_overlap_nothing(labels):
    animation = render.ComparisonAnimation(_panels(labels), STYLE)
    animation.draw_frame(len(animation) - 1)
    renderer = animation.canvas.get_renderer()
    figure_box = animation.figure.bbox
    titles = [(axes.get_title(loc="left"), axes._left_title.get_window_extent(renderer), axes)
              for axes in animation.axes]
    # The widest error a panel can show, stamped where that panel's error goes.
    errors = []
    for stamp in animation.errors:
        errors += [(text, stamp.extent(text)) for text in ("error diverged", "error 0.000888")]
    others = [item for item in _texts(animation.figure, renderer)
              if item[0] not in {title for title, _, _ in titles}]
    others.append(("epoch …", animation.epoch_text.extent()))
    assert len(titles) == 4 and len(others) > 12

    for title, box, _ in titles:
        assert _inside(box, figure_box), title
        for axes in animation.axes:
            assert not _overlap(box, axes.bbox), (title, "over the plot of", axes.get_title())
        for text, other in others + errors:
            assert not _overlap(box, other), (title, "over", text)
        for other_title, other, _ in titles:
            assert other_title == title or not _overlap(box, other), (title, other_title)
    for text, box in errors:
        assert _inside(box, figure_box)
        for axes in animation.axes:
            assert not _overlap(box, axes.bbox), (text, "over a plot")
        for other_text, other in others:
            assert not _overlap(box, other), (text, "over", other_text)
    widest = [stamp.extent("error diverged") for stamp in animation.errors]
    for first, second in itertools.combinations(widest, 2):
        assert not _overlap(first, second)


def test_comparison_titles_are_drawn_literally_and_cut_to_fit():
    animation = render.ComparisonAnimation(_panels(HOSTILE), STYLE)
    shown = [axes.get_title(loc="left") for axes in animation.axes]
    assert shown[1] == HOSTILE[1] and shown[3] == HOSTILE[3]
    assert all(_shows(label, drawn) for label, drawn in zip(HOSTILE, shown)), shown
    assert shown[2] != LONG  # cut where it stops fitting (and not to a stub: see _shows)


def test_short_labels_keep_the_usual_layout():
    """Labels that fit beside their errors leave the layout as it always was."""
    labels = ["1×60 ReLU, SGD", "2×10 ReLU, SGD", "1×60 ReLU, Adam", "2×10 ReLU, Adam"]
    animation = render.ComparisonAnimation(_panels(labels), STYLE)
    grid = animation.axes[0].get_subplotspec().get_gridspec()
    height = animation.figure.bbox.height
    # the default: the panels' titles start 40 px under the legend row
    assert grid.top == pytest.approx(1 - (animation.header + 40) / height)
    assert [axes.get_title(loc="left") for axes in animation.axes] == labels


@pytest.mark.parametrize("label", HOSTILE + ["two\nlines\n\nof text"])
def test_net_animation_draws_any_label_on_one_line_without_overlap(label):
    animation = render.NetAnimation(make_panel(label=label), STYLE)
    animation.draw_frame(len(animation) - 1)
    renderer = animation.canvas.get_renderer()
    title = animation.title.get_window_extent(renderer)
    assert "\n" not in animation.title.get_text()
    assert _inside(title, animation.figure.bbox)
    left, right = animation.axes
    assert title.x1 <= left.bbox.x1 + 0.5
    counter = animation.counter.extent("1,000,000")
    label_box = animation.counter_label.get_window_extent(renderer)
    for other in (counter, label_box, animation.error_text.extent("diverged"),
                  animation.error_label.get_window_extent(renderer), right.bbox):
        assert not _overlap(title, other)


def _svg_texts(path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return ["".join(element.itertext())
            for element in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("label", HOSTILE)
def test_loss_plots_draw_any_label_literally(tmp_path, label):
    panel = make_panel(label=label)
    loss_plots.write_loss_plot(panel, tmp_path, "loss", STYLE)
    loss_plots.write_comparison_loss_plot(_panels(HOSTILE), tmp_path, "losses", STYLE)
    for name in ("loss.svg", "loss.png", "losses.svg", "losses.png"):
        assert (tmp_path / name).stat().st_size > 1000, name
    assert any(_shows(label, text) for text in _svg_texts(tmp_path / "loss.svg"))
    legend = _svg_texts(tmp_path / "losses.svg")
    assert HOSTILE[1] in legend and HOSTILE[3] in legend and LONG not in legend
    assert all(any(_shows(label, text) for text in legend) for label in HOSTILE), legend
