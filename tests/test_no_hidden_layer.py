"""A net with no hidden layer (``layers: []``): a linear model, or logistic regression on the
plane's features, as README describes it. It trains (test_train.py and test_plane_train.py
check it against model.fit), shows in figures, tables and claims, and the figures of units it
does not have are refused before training, saying what to use."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import Document
from support import REPO, make_project, run_build

from tinynets.errors import TemplateProblem, display_path
from tinynets.pages import analysis
from tinynets.posts.model import DataSpec, NetSpec, Post

LINE_POST = """---
title: A straight line
date: 2026-11-06
authors: [tinynets]
data: {function: polynomial, x_range: [-3, 3], coefficients: [0.5, 0.8], points: 40, noise: 0.1}
nets:
  line: {label: "Linear", layers: [], optimizer: adam, learning_rate: 0.05, epochs: 300}
  bent: {label: "1×8 ReLU", layers: [8], optimizer: adam, learning_rate: 0.01, epochs: 300}
seeds: 2
frames: {count: 6}
sweeps:
  depth:
    net: {optimizer: adam, learning_rate: 0.05, epochs: 50}
    vary: {layers: [[], [4]]}
---

A straight line is all a net without a hidden layer can draw.

{{ figure(nets['line']) }}

{{ loss_plot(nets['line']) }}

{{ compare(nets.values()) }}

{{ results_table(nets.values()) }}

{{ sweep_plot(sweeps['depth']) }}

It has {{ nets['line'].parameters }} parameters and ends at {{ nets['line'].median | sig }}:
{{ claim("it fits the line to the noise floor", nets['line'].median < 2 * data.noise_floor) }}.
"""

CIRCLE_POST = """---
title: A circle from squares
date: 2026-11-07
authors: [tinynets]
data: {function: circle, points: 120, noise: 0.2, features: [x1², x2²]}
nets:
  flat: {label: "Logistic regression", layers: [], optimizer: adam, learning_rate: 0.05,
         epochs: 150, batch_size: 16}
seeds: 2
frames: {count: 5}
---

{{ figure(nets['flat']) }}

{{ results_table(nets.values()) }}

{{ claim("a straight boundary in the squares separates the circle",
         nets['flat'].test_accuracy.worst > 0.9) }}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("linear") / "project", posts=("notes",))
    (root / "content" / "posts" / "line.md").write_text(LINE_POST, encoding="utf-8")
    (root / "content" / "posts" / "circle.md").write_text(CIRCLE_POST, encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.mark.slow
def test_a_linear_model_trains_and_shows_in_figures_tables_and_claims(built):
    site = built / "build" / "site"
    page = Document((site / "line" / "index.html").read_text("utf-8"))
    rows = [[cell.text for cell in page.children(row)] for row in page.find("tr")
            if page.enclosing(row, "tbody") is not None]
    assert [row[:2] for row in rows] == [["Linear", "no hidden layer"],
                                         ["1×8 ReLU", "1×8 relu"]]
    assert rows[0][3] == "2"  # parameters: one weight and a bias
    figure = next(e for e in page.find("figure") if e.attrs.get("id") == "figure-line")
    video = next(e for e in page.descendants(figure) if e.tag == "video")
    assert video.attrs["aria-label"].startswith("Animation of the Linear net (no hidden layer, "
                                                "adam, learning rate 0.05)")
    assert "It has 2 parameters" in " ".join(page.elements[0].text.split())
    card = next(e for e in page.find("meta") if e.attrs.get("property") == "og:image:alt")
    assert card.attrs["content"].startswith("The Linear net (no hidden layer, adam) after ")
    for name in ("line.webm", "line.gif", "line-loss.svg", "sweep-depth-plot.svg"):
        assert (site / "media" / "line" / name).stat().st_size > 0, name
    circle = Document((site / "circle" / "index.html").read_text("utf-8"))
    assert [e.text for e in circle.find("td")][1] == "no hidden layer"
    assert (site / "media" / "circle" / "flat.webm").stat().st_size > 0


def _post(body: str) -> Post:
    data = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
    return Post(path=Path("/project/content/posts/demo.md"), slug="demo", meta={}, body=body,
                body_line=10, data=data, nets=(NetSpec(name="line", layers=()),), seeds=(0,))


def test_the_figures_of_units_it_does_not_have_are_refused_before_training():
    shown = display_path(Path("/project/content/posts/demo.md"))
    with pytest.raises(TemplateProblem) as raised:
        analysis.check_templates([_post("{{ network(nets['line']) }}\n"
                                        "{{ figure(nets['line'], units=true) }}")],
                                 REPO / "templates")
    assert str(raised.value) == (
        "2 problems in the templates:\n"
        f"  - {shown}:10: network(nets['line']): the net has no hidden layer, so no unit to "
        "draw: its prediction is a straight line (w·x + b). Show it with "
        "figure(nets['line']).\n"
        f"  - {shown}:11: figure(nets['line'], units=true): the net has no hidden layer, so no "
        "unit and no bend to show. Show it with figure(nets['line']).")
