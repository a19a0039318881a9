"""The media stage: what its cache keys cover, and that a warm run renders nothing.

Runs are synthetic recordings saved through the real RunStore (no TensorFlow), for the nets of
the fixture's tiny post.
"""

from __future__ import annotations

import shutil

import json
import os
import re
import subprocess
import sys

import pytest

from media_support import shown, synthetic_runs
from support import FIXTURE, REPO
from tinynets import prune
from tinynets.media import catalog, encode
from tinynets.media import stage as media
from tinynets.media.catalog import COMPARISON_KINDS, Kind
from tinynets.media.plan import plan
from tinynets.media.uses import PageUses
from tinynets.pages import analysis
from tinynets.posts.load import load_posts
from tinynets.posts.model import NetSpec, Post


def media_of(plan, post, cache) -> dict[tuple, dict]:
    """A post's media in ``plan``, by (kind, what it shows): their files in ``cache``."""
    return {(medium.kind, medium.shows): medium.cached(cache)
            for medium in plan.page(post.slug).media}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The fixture's posts with synthetic runs, rendered once (cold)."""
    cache = tmp_path_factory.mktemp("media") / "cache"
    # The 1-D posts: synthetic recordings follow a target function (the plane post's media are
    # rendered from real runs in tests/test_plane_site.py).
    posts = [post for post in load_posts(FIXTURE / "content")
             if post.nets and post.data.dimensions == 1]
    runs = synthetic_runs(posts, cache)
    log: list[str] = []
    result = media.render_missing(posts, runs, shown(posts), cache, force=False, log=log.append)
    return posts, runs, cache, result, log


def test_cold_run_renders_every_medium(rendered):
    posts, runs, cache, result, log = rendered
    nets = [net for post in posts for net in post.nets]
    # per post: every net, the comparison animation and the comparison loss plot
    assert len([line for line in log if line.startswith("render ")]) == len(nets) + 2 * len(posts)
    assert not [line for line in log if line.startswith("reused")]
    for post in posts:
        found = media_of(result, post, cache)
        assert set(found) == {*((Kind.NET, net.name) for net in post.nets),
                              *((kind, None) for kind in COMPARISON_KINDS)}
        for (kind, _), files in found.items():
            assert set(files) == {file.cached for file in kind.files}
            for path in files.values():
                assert path.stat().st_size > 0
    # nothing half written is left next to the entries
    assert not [path for path in (cache / "media").iterdir() if path.name.startswith(".")]


def test_only_the_comparison_media_a_page_uses_are_rendered(rendered, tmp_path):
    posts, runs, cache, _, _ = rendered
    fresh = tmp_path / "cache"
    shutil.copytree(cache / "runs", fresh / "runs")
    uses = shown(posts, PageUses(macros=frozenset({"figure", "comparison_losses"})))
    log: list[str] = []
    result = media.render_missing(posts, runs, uses, fresh, force=False, log=log.append)
    assert not [line for line in log if "comparison animation" in line], log
    for post in posts:
        comparison = {name for (kind, _), files in media_of(result, post, fresh).items()
                      if kind in COMPARISON_KINDS for name in files}
        assert comparison == {"losses.svg", "losses.png"}
    assert result.keys() == {path.name for path in (fresh / "media").iterdir()}


def test_warm_run_renders_nothing_and_touches_no_file(rendered):
    posts, runs, cache, result, _ = rendered
    files = sorted((cache / "media").rglob("*"))
    before = {path: path.stat().st_mtime_ns for path in files}
    log: list[str] = []
    again = media.render_missing(posts, runs, shown(posts), cache, force=False, log=log.append)
    assert again == result
    assert log and all(line.startswith("reused") for line in log), log
    assert {path: path.stat().st_mtime_ns for path in sorted((cache / "media").rglob("*"))} \
        == before


def test_warm_run_in_a_fresh_process_does_not_import_matplotlib(rendered):
    posts, runs, cache, _, _ = rendered
    probe = f"""
import sys
sys.path.insert(0, {str(REPO / 'tests')!r})
from pathlib import Path
from tinynets.media import stage as media
from tinynets.media.uses import PageUses
from tinynets.posts.load import load_posts
from tinynets.engine.store import RunStore, run_key
from tinynets.engine.stage import Run
cache = Path({str(cache)!r})
posts = [p for p in load_posts(Path({str(FIXTURE / 'content')!r}))
         if p.nets and p.data.dimensions == 1]  # as the rendered fixture
runs = {{}}
for post in posts:
    for net in post.nets:
        key = run_key(post.data, net, post.run_seeds, post.frames)
        runs[(post.slug, net.name)] = Run(post, net.name, key, RunStore(cache / 'runs').load_meta(key))
log = []
uses = {{post.slug: PageUses(macros=frozenset({{"comparison", "comparison_losses"}}))
        for post in posts}}
media.render_missing(posts, runs, uses, cache, force=False, log=log.append)
print(log)
print('matplotlib' in sys.modules, 'tinynets.media.render' in sys.modules, 'tensorflow' in sys.modules)
"""
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert output.returncode == 0, output.stderr
    lines = output.stdout.strip().splitlines()
    assert "render " not in lines[0] and "reused" in lines[0]
    assert lines[-1] == "False False False"


def test_force_renders_again(rendered, tmp_path):
    posts, runs, cache, _, _ = rendered
    post = posts[0]
    one = {(post.slug, net.name): runs[(post.slug, net.name)] for net in post.nets[:1]}
    single = [Post(path=post.path, slug=post.slug, meta=post.meta, body=post.body,
                        body_line=post.body_line, data=post.data, nets=post.nets[:1],
                        seeds=post.seeds, frames=post.frames, thresholds=post.thresholds)]
    entry = media.render_missing(single, one, shown(single), cache, force=False,
                                 log=lambda line: None)
    net = (Kind.NET, post.nets[0].name)
    before = media_of(entry, post, cache)[net]["anim.gif"].stat().st_mtime_ns
    log: list[str] = []
    after = media.render_missing(single, one, shown(single), cache, force=True, log=log.append)
    assert [line.split()[0] for line in log] == ["render", "render", "render"]  # net, 2 parts
    gif = media_of(after, post, cache)[net]["anim.gif"]
    assert gif.stat().st_mtime_ns != before and gif.stat().st_size > 0
    assert not [path for path in (cache / "media").iterdir() if path.name.startswith(".")]


def test_media_key_covers_run_style_colour_label_and_renderer(rendered, monkeypatch):
    posts, runs, _, _, _ = rendered
    post = posts[0]
    first, second = (runs[(post.slug, net.name)] for net in post.nets[:2])
    key = catalog.net_key(first, "#0072B2", "1×8 SGD")
    assert key == catalog.net_key(first, "#0072B2", "1×8 SGD")  # stable
    different = {
        "run": catalog.net_key(second, "#0072B2", "1×8 SGD"),
        "colour": catalog.net_key(first, "#D55E00", "1×8 SGD"),
        "label": catalog.net_key(first, "#0072B2", "1×8 SGD, again"),
        "style": catalog.net_key(first, "#0072B2", "1×8 SGD",
                                 style={**catalog.STYLE, "seconds": 10.0}),
    }
    monkeypatch.setattr(catalog, "RENDERER_VERSION", catalog.RENDERER_VERSION + 1)
    different["renderer"] = catalog.net_key(first, "#0072B2", "1×8 SGD")
    monkeypatch.undo()
    monkeypatch.setattr(encode, "GIF_COLORS", encode.GIF_COLORS * 2)
    different["encoder"] = catalog.net_key(first, "#0072B2", "1×8 SGD")
    monkeypatch.undo()
    assert all(value != key for value in different.values()), different
    assert len(set(different.values())) == len(different)
    comparison = catalog.comparison_key([first, second], ["#1", "#2"], ["a", "b"],
                                        Kind.COMPARISON)
    assert comparison != catalog.comparison_key([second, first], ["#1", "#2"], ["a", "b"],
                                                Kind.COMPARISON)
    assert comparison != catalog.comparison_key([first, second], ["#1", "#2"], ["a", "c"],
                                                Kind.COMPARISON)
    assert comparison != catalog.comparison_key([first, second], ["#1", "#2"], ["a", "b"],
                                                Kind.COMPARISON_LOSSES)


def test_changing_a_label_renders_only_that_net(rendered):
    posts, runs, cache, _, _ = rendered
    post = posts[0]
    renamed = NetSpec(**{**post.nets[0].__dict__, "label": "renamed"})
    changed = Post(path=post.path, slug=post.slug, meta=post.meta, body=post.body,
                        body_line=post.body_line, data=post.data,
                        nets=(renamed, *post.nets[1:]), seeds=post.seeds, frames=post.frames,
                        thresholds=post.thresholds)
    log: list[str] = []
    media.render_missing([changed], runs, shown([changed]), cache, force=False, log=log.append)
    rendered_lines = [line for line in log if line.startswith("render ")]
    # the renamed net's own media and both comparison parts (which show the label) render again
    assert len(rendered_lines) == 3, log
    assert f"{post.slug}/{renamed.name}" in rendered_lines[0]
    assert [line for line in log if line.startswith("reused")] == \
        [f"reused  {post.slug}/{net.name} media" for net in post.nets[1:]]


def test_fps_for_the_page_matches_the_rendered_animation(rendered):
    posts, runs, cache, result, _ = rendered
    post = posts[0]
    net = post.nets[0]
    frames = runs[(post.slug, net.name)].key.spec["frames"]
    fps = result.page(post.slug).nets[net.name].fps  # what the page's script is told
    assert fps == catalog.animation_fps(len(frames))
    probe = subprocess.run([encode.ffmpeg_binary(), "-hide_banner", "-i",
                            str(media_of(result, post, cache)[(Kind.NET, net.name)]["anim.webm"]),
                            "-f", "framemd5",
                            "-"], capture_output=True, text=True, check=True).stdout
    numerator, denominator = re.search(r"#tb 0: (\d+)/(\d+)", probe).groups()
    timestamps = [int(line.split(",")[2]) * int(numerator) / int(denominator)
                  for line in probe.splitlines() if line and not line.startswith("#")]
    # frame i of the WebM starts at i / fps: the comparison slider's epoch → time mapping
    assert timestamps[: len(frames)] == pytest.approx([i / fps for i in range(len(frames))],
                                                      abs=0.002)
    assert json.loads(json.dumps(fps)) == fps


def test_parallel_workers_render_the_same_files(rendered, tmp_path):
    posts, _, cache, result, _ = rendered
    other = tmp_path / "cache"
    runs = synthetic_runs(posts, other)
    log: list[str] = []
    parallel = media.render_missing(posts, runs, shown(posts), other, force=False,
                                    log=log.append, jobs=2)
    # one line per medium: a net each, and two comparison parts per post
    assert sorted(line.split()[0] for line in log) == \
        ["render"] * (sum(len(post.nets) for post in posts) + 2 * len(posts))
    assert [medium.key for medium in parallel.media] == [medium.key for medium in result.media]
    for medium, alone in zip(parallel.media, result.media):
        files, expected = medium.cached(other), alone.cached(cache)
        assert list(files) == list(expected)
        for name, path in files.items():  # every file, the WebM too: byte-identical
            assert path.read_bytes() == expected[name].read_bytes(), (medium.subject, name)
    assert not [path for path in (other / "media").iterdir() if path.name.startswith(".")]


def test_forced_rerender_of_the_same_recordings_changes_no_byte(rendered, tmp_path):
    """``--force`` must not churn the published site: same inputs, same bytes (WebM included:
    no random Matroska UIDs, no timestamps, no encoder version)."""
    posts, runs, _, _, _ = rendered
    cache = tmp_path / "cache"
    mine = synthetic_runs(posts[:1], cache)
    first = media.render_missing(posts[:1], mine, shown(posts[:1]), cache, force=False,
                                 log=lambda line: None)
    before = {path: path.read_bytes() for medium in first.media
              for path in medium.cached(cache).values()}
    again = media.render_missing(posts[:1], mine, shown(posts[:1]), cache, force=True,
                                 log=lambda line: None)
    assert again == first
    after = {path: path.read_bytes() for medium in again.media
             for path in medium.cached(cache).values()}
    assert sorted(after) == sorted(before) and len(after) == 17  # the loss plots' CSVs too
    assert [path.name for path in after if after[path] != before[path]] == []


def test_prune_keeps_everything_the_media_stage_uses(rendered):
    """``prune`` keeps the media of pages that show everything: they must include every entry
    the build renders and links (it may keep a little more, never less)."""
    posts, runs, cache, result, _ = rendered
    used = {path.parent.name for medium in result.media
            for path in medium.cached(cache).values()}
    _, needed = prune.needed(posts, REPO / "templates")
    assert used <= needed
    # and everything the fixture's pages show, inside media included
    built = plan(posts, runs, analysis.uses(posts, REPO / "templates"))
    assert built.keys() <= needed and len(built.keys()) > len(result.keys())
    # a net each, 2 comparisons; and, since no page is known here, every net's units figure,
    # network diagram, errors plot and Keras model (what a page might ask for: prune keeps them),
    # and its figure data and inside files (the fixture's pages draw figures live)
    assert len(needed) <= sum(7 * len(post.nets) + 2 for post in posts)
