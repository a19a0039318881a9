"""Template mistakes are found before training: check_templates, and the build that calls it.

A typo must cost a second, not a training run. The build test replaces the train stage with a
function that fails the test if it is ever called: no timing involved.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from support import REPO, make_project

from tinynets import build
from tinynets.engine import stage as training
from tinynets.errors import TemplateProblem, display_path
from tinynets.media.plan import plan
from tinynets.media.uses import PageUses
from tinynets.pages import analysis, site, templating
from tinynets.posts.model import DataSpec, NetSpec, Post, SweepSpec

TEMPLATES = REPO / "templates"
POST_PATH = Path("/project/content/posts/demo.md")
SHOWN = display_path(POST_PATH)
MACROS = ", ".join(sorted(templating.macros(templating.environment(TEMPLATES), {})))
DEFINED = ("Defined here: nets['wide'], nets['deep'], data, post, claim, the helpers change, "
           f"of_seeds, percent, plain, sig, span, times and the macros {MACROS}.")
SYNTAX = "Check the {{ }} and {% %} on that line."


def post(body: str, nets=("wide", "deep"), slug="demo", sweeps=()) -> Post:
    data = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
    return Post(path=POST_PATH.with_name(f"{slug}.md"), slug=slug, meta={}, body=body,
                body_line=20, data=data if nets or sweeps else None,
                nets=tuple(NetSpec(name=name) for name in nets), seeds=(0, 1),
                sweeps=tuple(_sweep(name) for name in sweeps))


def _sweep(name: str) -> SweepSpec:
    cells = tuple(NetSpec(name=f"{name}[layers={units}]", layers=(units,)) for units in (4, 8))
    return SweepSpec(name, name, NetSpec(name=name), (("layers", ((4,), (8,))),), cells)


def problem(body: str, **options) -> str:
    with pytest.raises(TemplateProblem) as raised:
        analysis.check_templates([post(body, **options)], TEMPLATES)
    return str(raised.value)


# ----------------------------------------------------------------------------- what is found


def test_a_good_body_passes_and_so_do_the_default_posts():
    analysis.check_templates([post("{{ figure(nets['wide']) }} {{ nets.values() | list }}")],
                               TEMPLATES)
    from tinynets.posts.load import load_posts

    analysis.check_templates(load_posts(REPO / "content"), TEMPLATES)


def test_an_undeclared_net_by_key_and_by_attribute():
    message = "undefined: there is no net 'wdie' in this post (did you mean 'wide'?); its nets " \
              "are nets['wide'], nets['deep']."
    assert problem("a\n{{ nets['wdie'].median | sig }}") == f"{SHOWN}:21: {message}"
    assert problem("a\n\n{{ figure(nets.wdie) }}") == f"{SHOWN}:22: {message}"


def test_an_undeclared_net_passed_to_a_macro():
    assert problem("{{ compare([nets['wide'], nets['shallow']]) }}") == (
        f"{SHOWN}:20: undefined: there is no net 'shallow' in this post; its nets are "
        "nets['wide'], nets['deep'].")


def test_a_net_in_a_post_without_nets():
    assert problem("{{ nets['wide'].median }}", nets=()) == (
        f"{SHOWN}:20: undefined: there is no net 'wide' in this post: it declares none (declare "
        "nets under 'nets' in the front matter).")


def test_an_undefined_name_and_a_misspelt_macro():
    assert problem("x\n{{ noise_flor | sig }}") == (
        f"{SHOWN}:21: undefined: 'noise_flor' is undefined. {DEFINED}")
    assert problem("{{ figur(nets['wide']) }}") == (
        f"{SHOWN}:20: undefined: 'figur' is undefined (did you mean 'figure'?). {DEFINED}")


def test_names_the_post_defines_or_asks_about_are_not_problems():
    body = ("{% set ws = nets['wide'] %}{% macro g(value) %}{{ value }}{{ caller is defined }}"
            "{% endmacro %}{% for net in nets.values() %}{{ loop.index }}{{ g(net.name) }}"
            "{% endfor %}{{ ws.median }}{% if later is defined %}{{ later }}{% endif %}")
    analysis.check_templates([post(body)], TEMPLATES)


# ----------------------------------------------------------------------------- macro calls

FIGURE = 'it is figure(net, caption="", units=false).'


def test_a_keyword_a_macro_does_not_take():
    assert problem("{{ compare([nets['wide'], nets['deep']], caption='Side by side') }}") == (
        f"{SHOWN}:20: compare(…) has no argument 'caption': it is compare(selected).")
    assert problem("x\n{{ figure(nets['wide'], captoin='x') }}") == (
        f"{SHOWN}:21: figure(…) has no argument 'captoin' (did you mean 'caption'?): {FIGURE}")


def test_too_many_and_too_few_arguments():
    assert problem("{{ figure(nets['wide'], 'a caption', true, 'more') }}") == (
        f"{SHOWN}:20: figure(…) takes at most 3 arguments, and 4 are given: {FIGURE}")
    assert problem("{{ figure(caption='x') }}") == (
        f"{SHOWN}:20: figure(…) needs its argument 'net': {FIGURE}")
    assert problem("{{ sig(nets['wide'].median, 3, 4) }}") == (
        f"{SHOWN}:20: sig(…) takes at most 2 arguments, and 3 are given: it is "
        "sig(value, digits=3).")
    assert problem("{{ claim('Wide wins.') }}") == (
        f"{SHOWN}:20: claim(…) needs its argument 'check': it is claim(text, check).")


def test_a_net_where_a_sweep_is_expected_and_the_reverse():
    assert problem("{{ sweep_heatmap(nets['wide']) }}", sweeps=("rates",)) == (
        f"{SHOWN}:20: sweep_heatmap(…) takes a sweep, but nets['wide'] is one net: give it one "
        "of the post's sweeps: sweeps['rates'].")
    assert problem("{{ sweep_plot(nets['wide']) }}") == (
        f"{SHOWN}:20: sweep_plot(…) takes a sweep, but nets['wide'] is one net: this post "
        "declares no sweep (declare one under 'sweeps' in the front matter).")
    assert problem("{{ figure(sweeps['rates']) }}", sweeps=("rates",)) == (
        f"{SHOWN}:20: figure(…) takes one net, but sweeps['rates'] is a sweep: give it a net, "
        "or one cell of the sweep (sweeps['rates'].cell(…), sweeps['rates'].best); "
        "sweep_heatmap, sweep_plot and sweep_grid show a whole sweep.")


def test_a_list_where_a_net_is_expected_and_the_reverse():
    assert problem("{{ figure([nets['wide'], nets['deep']]) }}") == (
        f"{SHOWN}:20: figure(…) takes one net, but [nets['wide'], nets['deep']] is a list of "
        "nets: call figure once per net, or show the nets side by side with compare.")
    assert problem("{% set w = nets['wide'] %}{{ compare(w) }}") == (
        f"{SHOWN}:20: compare(…) takes a list of nets, but w is one net: write compare([w, …]).")
    assert problem("{% for net in nets.values() %}\n{{ results_table(net) }}{% endfor %}") == (
        f"{SHOWN}:21: results_table(…) takes a list of nets, but net is one net: write "
        "results_table([net, …]).")
    assert problem("{{ results_table(nets) }}") == (
        f"{SHOWN}:20: results_table(…) takes a list of nets, but nets is the mapping of names "
        "to nets: write results_table(nets.values()).")


def test_right_calls_and_the_bodys_own_names_are_not_problems():
    body = ("{{ compare(nets.values()) }}{{ compare([nets['wide'], sweeps['rates'].best]) }}"
            "{{ figure(sweeps['rates'].cell(layers=[4]), caption='x', units=true) }}"
            "{{ figure(cell(layers=[8])) }}{{ sweep_grid(sweeps.rates, 'x') }}"
            "{% for net in nets.values() %}{{ figure(net) }}{% endfor %}"
            "{% macro network(a, b, c) %}{{ a }}{% endmacro %}{{ network(1, 2, 3) }}"
            "{% set chosen = [nets['wide']] %}{{ results_table(chosen) }}"
            "{{ loss_plot(nets['deep'], errors=true) }}{{ sig(1, digits=2) }}")
    analysis.check_templates([post(body, sweeps=("rates",))], TEMPLATES)


def test_a_syntax_error_and_an_unknown_filter():
    assert problem("a\n{{ data.noise_floor | sig }") == (
        f"{SHOWN}:21: template syntax error: unexpected '}}'. {SYNTAX}")
    assert problem("{{ data.noise_floor | sgi }}") == (
        f"{SHOWN}:20: template syntax error: No filter named 'sgi'. {SYNTAX}")


def test_a_claim_of_a_constant_is_found_before_training():
    assert problem("{{ claim('Adam is best.', true) }}") == (
        f"{SHOWN}:20: claim('Adam is best.', …) checks the constant True, which no measurement "
        "can contradict: compare measurements only, e.g. nets['a'].median < nets['b'].median.")
    assert problem("{{ claim('Holds.', nets['wide'].median < 1 or 1 < 2) }}") == (
        f"{SHOWN}:20: claim('Holds.', …) checks a comparison of constants, which no measurement "
        "can contradict: compare measurements only, e.g. nets['a'].median < nets['b'].median.")


def test_every_problem_of_every_post_is_listed_at_once():
    posts = [post("{{ nets['x'] }}\n{{ y }}", slug="one"), post("{% if %}", slug="two")]
    with pytest.raises(TemplateProblem) as raised:
        analysis.check_templates(posts, TEMPLATES)
    one, two = display_path(POST_PATH.with_name("one.md")), display_path(POST_PATH.with_name("two.md"))
    assert str(raised.value) == (
        "3 problems in the templates:\n"
        f"  - {one}:20: undefined: there is no net 'x' in this post; its nets are nets['wide'], "
        "nets['deep'].\n"
        f"  - {one}:21: undefined: 'y' is undefined. {DEFINED}\n"
        f"  - {two}:20: template syntax error: Expected an expression, got 'end of statement "
        f"block'. {SYNTAX}")


def test_a_syntax_error_in_the_macro_file(tmp_path):
    (tmp_path / "macros.j2").write_text("{% macro figure(net) %}\n{{ net.label }\n{% endmacro %}\n",
                                        encoding="utf-8")
    with pytest.raises(TemplateProblem) as raised:
        analysis.check_templates([], tmp_path)
    assert str(raised.value) == (
        f"{display_path(tmp_path / 'macros.j2')}:2: template syntax error: unexpected '}}'. "
        f"{SYNTAX}")


# ----------------------------------------------------------------------------- which macros


def test_page_uses_list_the_macros_a_body_uses():
    body = ("{% macro mine(n) %}{{ loss_plot(n) }}{% endmacro %}{{ figure(nets['wide']) }}"
            "{{ mine(nets['deep']) }}{% set later = comparison %}{{ later() }}{{ sig(1) }}")
    assert analysis.page_uses(post(body), TEMPLATES).macros == {"figure", "loss_plot",
                                                                "comparison"}
    assert analysis.page_uses(post("prose only"), TEMPLATES) == PageUses()
    assert analysis.page_uses(post("{{ comparison_losses( }}"), TEMPLATES) == PageUses()


def test_the_known_names_are_what_post_context_gives():
    """check_templates must know every name a post may use: exactly post_context's."""
    env = templating.environment(TEMPLATES)
    one = post("")
    meta = {"seeds": [0, 1], "wall_time": 1.0, "diverged_at": [None, None],
            "final_losses": [0.1, 0.2]}
    runs = {(one.slug, net.name): SimpleNamespace(meta=meta, shown=net.name, key=SimpleNamespace(
        spec={"frames": [0, 1, 30]}, fingerprint=net.name)) for net in one.nets}
    media = plan([one], runs, {one.slug: PageUses()}).page(one.slug)
    context = site.post_context(one, runs, env, media)
    macros = set(templating.macros(env, {}))
    assert set(context) - macros == set(templating.CONTEXT_NAMES)


# ----------------------------------------------------------------------------- in the build


def build_problem(tmp_path, monkeypatch, mistake: str) -> tuple[str, int]:
    """The build's TemplateProblem once the fixture post's loss_plot call reads ``mistake``, and
    that call's line; the train stage must not be entered, and no run may be stored."""
    root = make_project(tmp_path / "project")
    path = root / "content" / "posts" / "tiny.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ loss_plot(nets['wide']) }}", mistake), encoding="utf-8")
    line = text[:text.index("{{ loss_plot(")].count("\n") + 1

    def never(*arguments, **options):
        raise AssertionError("the train stage was entered")

    monkeypatch.setattr(training, "train_missing", never)
    monkeypatch.chdir(root)
    with pytest.raises(TemplateProblem) as raised:
        build.build_docs(root, build.BuildOptions(quiet=True))
    assert not (root / "build" / "cache" / "runs").exists() or \
        not any((root / "build" / "cache" / "runs").iterdir())
    return str(raised.value), line


def test_a_typo_stops_the_build_before_the_train_stage(tmp_path, monkeypatch):
    message, line = build_problem(tmp_path, monkeypatch, "{{ loss_plot(nets['wdie']) }}")
    assert message == (
        f"content/posts/tiny.md:{line}: undefined: there is no net 'wdie' in this post (did you "
        "mean 'wide'?); its nets are nets['wide'], nets['deep'].")


def test_a_macro_call_mistake_stops_the_build_before_anything_trains(tmp_path, monkeypatch):
    message, line = build_problem(tmp_path, monkeypatch,
                                  "{{ compare([nets['wide']], caption='Both') }}\n"
                                  "{{ sweep_heatmap(nets['wide']) }}")
    assert message == (
        "2 problems in the templates:\n"
        f"  - content/posts/tiny.md:{line}: compare(…) has no argument 'caption': it is "
        "compare(selected).\n"
        f"  - content/posts/tiny.md:{line + 1}: sweep_heatmap(…) takes a sweep, but "
        "nets['wide'] is one net: this post declares no sweep (declare one under 'sweeps' in "
        "the front matter).")
