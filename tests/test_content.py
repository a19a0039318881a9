"""The site's own content: posts validate, prose numbers are never typed by hand, every number the
built main post shows is re-derived from the recordings, and a contradicted claim fails the build.

The slow tests build the repository's real content/ (with its templates and mkdocs.yml) in a
temporary folder. When the repository already has a build cache, it is copied in first: cache
entries are addressed by fingerprint (spec + library versions), so a warm copy changes only how
long the build takes, never what it shows. On a fresh checkout everything is trained for real.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import statistics
from pathlib import Path

import pytest
from support import REPO, copy_built, run_build

from tinynets.pages.formatting import change, of_seeds, sig, span, times
from tinynets.posts.load import load_posts
from tinynets.engine.store import run_key

CONTENT = REPO / "content"
MAIN = "optimizer-or-depth"
MAIN_POST = Path("content") / "posts" / f"{MAIN}.md"


# ----------------------------------------------------------------------------- fast checks


def test_every_post_validates_and_the_blog_has_several():
    posts = load_posts(CONTENT)
    assert len(posts) >= 2
    assert len({post.meta["date"] for post in posts}) == len(posts)
    assert len({tuple(post.meta["categories"]) for post in posts}) >= 2
    for post in posts:
        assert post.meta["authors"] and post.meta["categories"], post.slug


def test_main_post_declares_the_reference_experiment():
    post = next(post for post in load_posts(CONTENT) if post.slug == MAIN)
    shapes = {net.name: (net.layers, net.activation, net.optimizer) for net in post.nets}
    assert shapes == {
        "wide-sgd": ((60,), "relu", "sgd"), "deep-sgd": ((10, 10), "relu", "sgd"),
        "wide-adam": ((60,), "relu", "adam"), "deep-adam": ((10, 10), "relu", "adam"),
    }
    for net in post.nets:  # Keras defaults
        assert (net.epochs, net.batch_size, net.loss) == (5000, 32, "mse")
        assert net.learning_rate == {"sgd": 0.01, "adam": 0.001}[net.optimizer]
    assert len(post.seeds) == 10
    assert post.data.function == "sine" and post.data.noise > 0


def _prose(body: str) -> str:
    """A post body with every Jinja expression, statement and comment removed."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", body, flags=re.DOTALL)


@pytest.mark.parametrize("path", sorted((CONTENT / "posts").glob("*.md")), ids=lambda p: p.stem)
def test_no_number_in_prose_is_typed_by_hand(path):
    post = next(post for post in load_posts(CONTENT) if post.path == path)
    prose = _prose(post.body).replace("<!-- more -->", "")
    typed = re.findall(r"[^\s]*\d[^\s]*", prose)
    assert not typed, f"{path.name}: numbers typed by hand instead of computed: {typed}"


@pytest.mark.parametrize("path", sorted((CONTENT / "posts").glob("*.md")), ids=lambda p: p.stem)
def test_excerpt_ends_before_the_first_figure(path):
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert "<!-- more -->" in body
    intro = body.split("<!-- more -->")[0]
    assert not re.search(r"figure\(|compare\(|comparison\(|loss_plot\(|results_table\(", intro)


# ----------------------------------------------------------------------------- the real site


def _project(folder: Path) -> Path:
    """A copy of the repository's content, templates and mkdocs.yml (plus its cache, if any)."""
    folder.mkdir(parents=True)
    shutil.copytree(CONTENT, folder / "content")
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    cache = REPO / "build" / "cache"
    if cache.is_dir():
        shutil.copytree(cache, folder / "build" / "cache",
                        ignore=shutil.ignore_patterns(".*", "*.tmp"))
    return folder


@pytest.fixture(scope="session")
def built_content(tmp_path_factory) -> Path:
    """The real content built once per session (read-only: copy it to modify it)."""
    root = _project(tmp_path_factory.mktemp("content") / "project")
    result = run_build(root, "--jobs", "2", timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def _recordings(root: Path) -> dict[str, dict]:
    """meta.json of the recording the build used for each net of the main post, by net name."""
    post = next(post for post in load_posts(root / "content") if post.slug == MAIN)
    runs = root / "build" / "cache" / "runs"
    found = {}
    for net in post.nets:
        fingerprint = run_key(post.data, net, post.seeds, post.frames).fingerprint
        found[net.name] = json.loads((runs / fingerprint / "meta.json").read_text(encoding="utf-8"))
        assert found[net.name]["net"] == net.name
    return found


def _text(html_text: str) -> str:
    """The page's visible text: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", html_text)
    text = re.sub(r"\s+", " ", html.unescape(text))
    return re.sub(r"\( ", "(", re.sub(r" (?=[,.;:)])", "", text))


def _parameters(layers: list[int]) -> tuple[int, int]:
    """(weights, biases) of a 1-input, 1-output dense net with these hidden layers."""
    widths = [1, *layers, 1]
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    return weights, sum(widths[1:])


@pytest.mark.slow
def test_every_number_on_the_main_post_is_re_derived_from_the_recordings(built_content):
    page = (built_content / "build" / "site" / MAIN / "index.html").read_text(encoding="utf-8")
    text = _text(page)
    recordings = _recordings(built_content)
    post = next(post for post in load_posts(built_content / "content") if post.slug == MAIN)
    floor = post.data.noise ** 2
    near_limit = post.thresholds.near_floor * floor
    stuck_limit = post.thresholds.stuck * floor
    seeds = len(post.seeds)

    assert f"{post.data.noise:g}² = {floor:g}" in text
    assert f"that is ≤ {near_limit:g}" in text and f"that is > {stuck_limit:g}" in text
    assert f"for {post.nets[0].epochs:,} epochs" in text

    medians = {}
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.DOTALL):
        cells = [_text(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        if len(cells) >= 9:
            rows.setdefault(cells[0], []).append(cells)
    for net in post.nets:
        meta = recordings[net.name]
        losses = meta["final_losses"]
        assert not any(meta["diverged_at"]) and None not in losses
        median, best, worst = statistics.median(losses), min(losses), max(losses)
        medians[net.name] = median
        near = sum(loss <= near_limit for loss in losses)
        stuck = sum(loss > stuck_limit for loss in losses)
        weights, biases = _parameters(meta["spec"]["net"]["layers"])
        assert meta["parameters"] == weights + biases
        order = sorted(range(seeds), key=lambda i: (losses[i], meta["seeds"][i]))
        representative = order[(seeds - 1) // 2]

        # the prose under the net's figures
        assert (f"{net.label}: median final error {sig(median)}, range {span(best, worst)} over "
                f"{of_seeds(seeds, seeds)}; {of_seeds(near, seeds)} near the floor, "
                f"{of_seeds(stuck, seeds)} stuck. The animation follows seed "
                f"{meta['seeds'][representative]}, the median one") in text, net.name
        # the figure's caption: the median seed and its final error
        assert (f"{net.label}: seed {meta['seeds'][representative]} (the median of {seeds} "
                f"seeds), final training error {sig(losses[representative])}") in text, net.name
        # the parameter table near the top and the results table
        assert f"{net.label} {net.shape} relu {net.optimizer} {net.learning_rate:g} {weights} " \
               f"{biases} {weights + biases}" in text, net.name
        (row,) = [cells for cells in rows[net.label] if len(cells) >= 10]
        for shown in (str(weights + biases), sig(median), span(best, worst)):
            assert shown in row, (net.name, shown, row)
        # the seed counts stand under one "Seeds (of N)" heading: near the floor, stuck
        assert row[6:8] == [str(near), str(stuck)], (net.name, row)
    assert f"Seeds (of {seeds})" in text

    wide, deep = post.net("wide-sgd"), post.net("deep-adam")
    wide_weights, wide_biases = _parameters(list(wide.layers))
    deep_weights, deep_biases = _parameters(list(deep.layers))
    assert (wide_weights + wide_biases, deep_weights + deep_biases) == (181, 141)
    assert wide_weights == deep_weights == 120  # what the original counted
    assert f"the same size, {wide_weights} parameters" in text
    assert (f"the true counts are {wide_weights + wide_biases} for the wide net and "
            f"{deep_weights + deep_biases} for the deep one") in text

    m = medians
    for before, after in (("wide-sgd", "wide-adam"), ("wide-sgd", "deep-sgd"),
                          ("wide-sgd", "deep-adam")):
        shown = f"{sig(m[before])} to {sig(m[after])}, {change(m[before], m[after])}"
        shown_both = f"it goes to {sig(m[after])}, {change(m[before], m[after])}"
        assert shown in text or shown_both in text, (before, after)
    assert (f"({times(m['deep-sgd'] / m['deep-adam'])} against "
            f"{times(m['wide-sgd'] / m['wide-adam'])})") in text


@pytest.mark.slow
def test_a_claim_turned_into_its_opposite_fails_the_build(built_content, tmp_path):
    root = copy_built(built_content, tmp_path / "flipped")
    site_before = (root / "build" / "site" / MAIN / "index.html").read_bytes()
    post = root / MAIN_POST
    source = post.read_text(encoding="utf-8")
    original = ('{{ claim("The deep SGD net ends lower than the wide SGD net",\n'
                'ds.median < ws.median) }}')
    flipped = ('{{ claim("The deep SGD net ends higher than the wide SGD net",\n'
               'ds.median > ws.median) }}')
    assert source.count(original) == 1
    post.write_text(source.replace(original, flipped), encoding="utf-8")
    line = source[: source.index(original)].count("\n") + 1

    result = run_build(root, "--only", MAIN)

    assert result.returncode == 1, result.stdout + result.stderr
    error = result.stderr
    assert f"{MAIN_POST}:{line}: claim failed" in error, error
    assert '"The deep SGD net ends higher than the wide SGD net"' in error
    metas = _recordings(root)
    deep = statistics.median(metas["deep-sgd"]["final_losses"])
    wide = statistics.median(metas["wide-sgd"]["final_losses"])
    assert (f"claimed: deep-sgd median error > wide-sgd median error; measured: deep-sgd median "
            f"error = {deep:.4g}, wide-sgd median error = {wide:.4g}") in error
    assert "Traceback" not in error
    assert (root / "build" / "site" / MAIN / "index.html").read_bytes() == site_before
