"""A net's colour does not depend on its neighbours: adding a net re-renders only what is new."""

from __future__ import annotations

from types import SimpleNamespace

from support import copy_built, run_build

from tinynets.media.catalog import PALETTE, net_colors


def _post(*names: str, colors: dict | None = None):
    colors = colors or {}
    return SimpleNamespace(nets=[SimpleNamespace(name=name, color=colors.get(name, ""))
                                 for name in names])


def test_every_net_gets_a_palette_colour_and_no_two_nets_share_one():
    names = [f"net-{index}" for index in range(len(PALETTE))]
    colors = net_colors(_post(*names))
    assert set(colors.values()) == set(PALETTE)


def test_adding_a_net_anywhere_keeps_the_colours_of_the_nets_declared_before_it():
    names = ["wide-sgd", "deep-sgd", "wide-adam", "deep-adam", "relu", "tanh", "sigmoid"]
    for count in range(1, len(names)):
        before = net_colors(_post(*names[:count]))
        after = net_colors(_post(*names[:count + 1]))
        assert {name: after[name] for name in before} == before


def test_adding_or_removing_a_net_whose_colour_nobody_else_wanted_changes_no_other_colour():
    full = net_colors(_post("wide-sgd", "deep-sgd", "wide-adam", "deep-adam"))
    assert len(set(full.values())) == 4  # these four names do not collide
    for removed in full:
        rest = [name for name in full if name != removed]
        assert net_colors(_post(*rest)) == {name: full[name] for name in rest}


def test_an_author_colour_wins_and_is_never_given_to_another_net():
    natural = net_colors(_post("tanh"))["tanh"]
    colors = net_colors(_post("first", "tanh", colors={"first": natural}))
    assert colors["first"] == natural
    assert colors["tanh"] != natural


def test_adding_a_net_renders_only_the_new_net_and_the_comparison(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "added")
    post = root / "content" / "posts" / "tiny.md"
    text = post.read_text()
    post.write_text(text.replace("seeds: 2\n", "  third:\n    label: \"1×3 Adam\"\n"
                                 "    layers: [3]\n    optimizer: adam\n    epochs: 20\n"
                                 "seeds: 2\n", 1))
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout
    assert "train   tiny/third: never trained" in log
    assert "reused  tiny/wide (" in log and "reused  tiny/deep (" in log
    assert "render  tiny/third:" in log
    assert "reused  tiny/wide media" in log and "reused  tiny/deep media" in log
    assert "render  tiny/wide:" not in log and "render  tiny/deep:" not in log
