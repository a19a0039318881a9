"""A post's template rendered as the pages stage renders it, for the tests of templates, claims and
the sandbox: measured results built by hand (no training), the Jinja environment and context as
fixtures, and a body rendered, or its error's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import REPO
from tinynets.errors import TemplateProblem, display_path
from tinynets.measure.finals import RunMeta
from tinynets.measure.results import NetResult
from tinynets.pages import templating
from tinynets.pages.site import DataResult
from tinynets.posts.model import DataSpec, NetSpec, Post, Thresholds

POST_PATH = Path("/project/content/posts/demo.md")
SHOWN = display_path(POST_PATH)
BODY_LINE = 20  # the front matter takes lines 1-19: template line 1 is file line 20


def net_result(name: str, losses: list[float], layers=(8,), optimizer="sgd") -> NetResult:
    spec = NetSpec(name=name, label=name.upper(), layers=layers, optimizer=optimizer, epochs=30)
    meta = {"seeds": list(range(len(losses))), "wall_time": 1.25,
            "diverged_at": [None] * len(losses), "final_losses": losses}
    media = {kind: f"../media/demo/{name}.{kind}" for kind in ("gif", "webm", "poster")}
    media.update(loss_svg=f"../media/demo/{name}-loss.svg", loss_png=f"../media/demo/{name}-loss.png")
    return NetResult(spec, RunMeta.from_dict(meta), noise_floor=0.01, thresholds=Thresholds(),
                     color="#336699", media=media, frame_epochs=[0, 1, 30], fps=10)


@pytest.fixture
def env():
    return templating.environment(REPO / "templates")


@pytest.fixture
def context(env):
    data = DataSpec("sine", (-3.0, 3.0), points=40, noise=0.1, seed=0, frequency=2.0)
    context = {
        "nets": {"wide": net_result("wide", [0.3, 0.1, 0.2]),
                 "deep": net_result("deep", [0.011, 0.012, 0.5], layers=(4, 4), optimizer="adam")},
        "data": DataResult(data),
        "post": {"slug": "demo", "title": "Demo", "seeds": 3, "thresholds": Thresholds()},
        "comparison_media": {},
    }
    return {**context, **templating.macros(env, context)}


def render(env, context, body: str) -> str:
    post = Post(path=POST_PATH, slug="demo", meta={}, body=body, body_line=BODY_LINE)
    return templating.render_body(env, post, context)


def failure(env, context, body: str, kind=TemplateProblem) -> str:
    with pytest.raises(kind) as raised:
        render(env, context, body)
    return str(raised.value)
