"""The inside of a net on a built site: figure(units=true), network(), loss_plot(errors=…) and the
new measurements in prose, rendered only for the nets a page shows them for; their mistakes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tinynets.errors import TemplateProblem
from tinynets.pages.inside_macros import error_kinds, network_units
from tinynets.media.catalog import Kind
from tinynets.media.uses import NetPart
from tinynets.pages.analysis import page_uses
from tinynets.posts.model import NetSpec

from support import REPO


def test_the_fixture_page_shows_each_inside_medium_and_only_for_the_net_that_asks(built_project):
    media = built_project / "build" / "docs" / "media" / "tiny"
    for name in ("wide-units.webm", "wide-units.gif", "wide-units.png", "deep-network.webm",
                 "deep-network.gif", "deep-network.png", "wide-errors.svg", "wide-errors.png"):
        assert (media / name).stat().st_size > 1000, name
    for name in ("deep-units.webm", "wide-network.webm", "deep-errors.svg"):
        assert not (media / name).exists(), f"{name} is rendered though no page shows it"
    page = (built_project / "build" / "site" / "tiny" / "index.html").read_text("utf-8")
    assert 'id="units-wide"' in page and 'id="network-deep"' in page and 'id="errors-wide"' in page
    assert "bends in the input range" in page  # the units figure's caption and alt text
    assert "its 8 hidden units" in page  # the network's alt text counts them
    assert "After epoch 10 the wide net’s median error is" in page or \
        "After epoch 10 the wide net's median error is" in page
    assert " and 0.0001 never." in page  # epochs_to of a level never reached


def test_page_uses_name_the_net_each_inside_medium_is_for():
    body = ("{% set ws = nets['wide-sgd'] %}{% set x = nets['a'] %}{% set x = nets['b'] %}"
            "{{ figure(ws, units=true) }} {{ figure(nets.deep, units=false) }} "
            "{{ network(nets['deep']) }} {{ loss_plot(x, errors=true) }}")
    used = page_uses(SimpleNamespace(slug="demo", body=body, sweeps=()), REPO / "templates")
    assert used.macros == {"figure", "network", "loss_plot"}
    # x is set twice: which net it names is known only when rendering, so every net gets it.
    assert used.net_parts == {NetPart(Kind.UNITS, "wide-sgd"), NetPart(Kind.NETWORK, "deep"),
                              NetPart(Kind.ERRORS, None)}
    assert used.cells == frozenset()


def test_a_network_of_too_many_units_is_refused_with_the_figure_to_use():
    wide = SimpleNamespace(name="wide-sgd", spec=NetSpec(name="wide-sgd", layers=(60,)))
    with pytest.raises(TemplateProblem) as error:
        network_units(wide)
    assert str(error.value) == (
        "network(nets['wide-sgd']): the net has 60 hidden units; the diagram shows at most 32 "
        "legibly. Use figure(nets['wide-sgd'], units=true) to see where its units bend the "
        "curve instead.")
    assert network_units(SimpleNamespace(name="deep", spec=NetSpec(name="deep", layers=(10, 10)))) \
        == 20
    plane = SimpleNamespace(name="spiral", spec=NetSpec(name="spiral", layers=(8,), inputs=2))
    with pytest.raises(TemplateProblem, match=r"draws nets of one input, and this one has 2"):
        network_units(plane)


def test_loss_plot_errors_must_name_known_errors():
    assert error_kinds(True) == ["training", "noise-free", "held-out"]
    with pytest.raises(TemplateProblem, match=r"errors='held-out'\): errors is a list of "):
        error_kinds("held-out")
    with pytest.raises(TemplateProblem, match="'training', 'noise-free', 'held-out'"):
        error_kinds(["training", "test"])


def test_a_post_asking_for_a_network_of_a_wide_net_stops_with_its_line(built_project, tmp_path):
    from support import copy_built, run_build

    root = copy_built(built_project, tmp_path / "project")
    post = root / "content" / "posts" / "tiny.md"
    text = post.read_text("utf-8").replace("{{ network(nets['deep']) }}",
                                           "{{ network(nets['wide']) }}")
    # A 1×8 net fits; make it wide enough not to.
    text = text.replace("layers: [8]", "layers: [40]")
    post.write_text(text, "utf-8")
    result = run_build(root)
    assert result.returncode != 0
    assert "network(nets['wide']): the net has 40 hidden units" in result.stderr
    assert "content/posts/tiny.md:" in result.stderr
