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
from tinynets.posts.model import DataSpec, NetSpec, Post

TEMPLATES = REPO / "templates"
POST_PATH = Path("/project/content/posts/demo.md")
SHOWN = display_path(POST_PATH)
MACROS = ", ".join(sorted(templating.macros(templating.environment(TEMPLATES), {})))
DEFINED = ("Defined here: nets['wide'], nets['deep'], data, post, claim, the helpers change, "
           f"of_seeds, percent, plain, sig, span, times and the macros {MACROS}.")
SYNTAX = "Check the {{ }} and {% %} on that line."


def post(body: str, nets=("wide", "deep"), slug="demo") -> Post:
    data = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
    return Post(path=POST_PATH.with_name(f"{slug}.md"), slug=slug, meta={}, body=body,
                body_line=20, data=data if nets else None,
                nets=tuple(NetSpec(name=name) for name in nets), seeds=(0, 1))


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


def test_a_typo_stops_the_build_before_the_train_stage(tmp_path, monkeypatch):
    root = make_project(tmp_path / "project")
    path = root / "content" / "posts" / "tiny.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ loss_plot(nets['wide']) }}", "{{ loss_plot(nets['wdie']) }}"),
                    encoding="utf-8")
    line = text[:text.index("{{ loss_plot(")].count("\n") + 1

    def never(*arguments, **options):
        raise AssertionError("the train stage was entered")

    monkeypatch.setattr(training, "train_missing", never)
    monkeypatch.chdir(root)
    with pytest.raises(TemplateProblem) as raised:
        build.build_docs(root, build.BuildOptions(quiet=True))
    assert str(raised.value) == (
        f"content/posts/tiny.md:{line}: undefined: there is no net 'wdie' in this post (did you "
        "mean 'wide'?); its nets are nets['wide'], nets['deep'].")
    assert not (root / "build" / "cache" / "runs").exists() or \
        not any((root / "build" / "cache" / "runs").iterdir())
