"""Figure data files through the media plan: planned once per net (and per sweep) for the figures
a page draws live, written by the media stage like any medium, cached by a key that covers what
they hold, kept by ``prune``, and read back as the recording.

Runs are synthetic recordings saved through the real RunStore (tests/media_support.py), for
the fixture's 1-D posts; the browser draws the real ones in tests/test_live_figures.py.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from media_support import synthetic_runs

from support import FIXTURE, REPO
from tinynets import prune
from tinynets.engine.seed_columns import select_arrays
from tinynets.engine.store import RunStore
from tinynets.media import catalog, figure_data, live
from tinynets.media import stage as media
from tinynets.media.catalog import Kind, figure_data_key
from tinynets.media.plan import plan
from tinynets.media.uses import NetPart, PageUses
from tinynets.pages import analysis
from tinynets.pages.live_figures import PageFigures
from tinynets.posts.load import load_posts

SHIPPED = frozenset({"figure", "loss_plot", "compare"})  # what the browser module has today
FIGURE_PAGE = PageUses(macros=frozenset({"figure", "comparison"}))


@pytest.fixture(scope="module")
def posts():
    return [post for post in load_posts(FIXTURE / "content")
            if post.nets and post.data.dimensions == 1]


@pytest.fixture(scope="module")
def written(posts, tmp_path_factory):
    """The posts' data files (and media), written once from synthetic runs."""
    cache = tmp_path_factory.mktemp("figure-files") / "cache"
    runs = synthetic_runs(posts, cache)
    log: list[str] = []
    uses = {post.slug: FIGURE_PAGE for post in posts}
    result = media.render_missing(posts, runs, uses, cache, force=False, log=log.append,
                                  kinds=SHIPPED)
    return runs, cache, result, log


def data_media(result, slug):
    return [medium for medium in result.page(slug).media if medium.kind is Kind.FIGURE_DATA]


def test_one_data_file_per_net_of_a_page_with_live_figures(posts, written):
    runs, cache, result, log = written
    for post in posts:
        found = data_media(result, post.slug)
        assert [medium.shows for medium in found] == [net.name for net in post.nets]
        for net, medium in zip(post.nets, found):
            assert medium.cached(cache) == {"data.tnfd": cache / "media" / medium.key /
                                            "data.tnfd"}
            assert medium.published(cache) == {
                f"media/{post.slug}/{net.name}.tnfd": cache / "media" / medium.key / "data.tnfd"}
            # the page reads its URL among the net's own
            assert result.page(post.slug).nets[net.name].urls["data"] == \
                f"../media/{post.slug}/{net.name}.tnfd"
            assert f"render  {post.slug}/{net.name}: figure data" in log
        assert result.page(post.slug).live_kinds == SHIPPED


def test_a_data_file_holds_the_recording(posts, written):
    runs, cache, result, _ = written
    post = next(post for post in posts if post.slug == "tiny")
    net = post.nets[0]
    medium = data_media(result, "tiny")[0]
    decoded = figure_data.read(medium.cached(cache)["data.tnfd"]).nets[0]
    everything = RunStore(cache / "runs").load_arrays(runs[("tiny", net.name)].key)
    arrays = select_arrays(everything, post.seeds)  # the page's seeds, not its replication ones
    assert (decoded.name, decoded.label) == (net.name, net.label)
    assert decoded.color == result.page("tiny").nets[net.name].color
    assert list(decoded.seeds) == list(post.seeds) != [int(seed) for seed in everything["seeds"]]
    assert np.array_equal(decoded.frame_epochs, arrays["frame_epochs"])
    assert np.abs(decoded.predictions - arrays["predictions"]).max() <= decoded.tolerance
    kept = decoded.loss_epochs - 1
    assert np.abs(decoded.losses / arrays["losses"][kept].T - 1).max() \
        <= decoded.loss_relative_tolerance * (1 + 1e-9)
    assert decoded.noise_floor == pytest.approx(post.data.noise_floor)
    assert decoded.truth is not None and decoded.points_x.shape == (post.data.points,)


def test_no_live_kind_no_data_file(posts, written):
    runs, _, _, _ = written
    for kinds, uses in ((frozenset(), FIGURE_PAGE),                    # nothing shipped
                        (SHIPPED, PageUses(macros=frozenset({"results_table"}))),  # no figure
                        (frozenset({"units"}), FIGURE_PAGE)):          # a kind it does not show
        built = plan(posts, runs, {post.slug: uses for post in posts}, kinds)
        assert not [medium for medium in built.media if medium.kind is Kind.FIGURE_DATA]
        assert all("data" not in net.urls for page in built.pages.values()
                   for net in page.nets.values())


def test_a_units_figure_or_network_diagram_adds_the_nets_inside_file(posts, written,
                                                                      monkeypatch):
    # (the inside file's writer, figure_inside, comes with the units and network kinds: its
    # code is part of the key, stood in for here)
    monkeypatch.setattr(catalog, "source_digest", lambda *modules: "+".join(modules))
    runs, _, _, _ = written
    units = PageUses(macros=frozenset({"figure"}),
                     net_parts=frozenset({NetPart(Kind.UNITS, "wide")}))
    uses = {post.slug: units for post in posts}
    without = plan(posts, runs, uses, SHIPPED)
    with_units = plan(posts, runs, uses, SHIPPED | {"units", "network"})
    assert not [medium for medium in without.media if medium.kind is Kind.FIGURE_INSIDE]
    inside = [medium for medium in with_units.page("tiny").media
              if medium.kind is Kind.FIGURE_INSIDE]
    assert [(medium.shows, medium.stem) for medium in inside] == [("wide", "wide")]
    assert inside[0].published(Path("cache")) == {
        "media/tiny/wide-inside.tnfd": Path("cache") / "media" / inside[0].key / "inside.tnfd"}
    assert "tinynets.media.figure_inside" in catalog.INSIDE_WRITERS
    assert with_units.page("tiny").nets["wide"].urls["inside_data"] == \
        "../media/tiny/wide-inside.tnfd"
    assert "inside_data" not in with_units.page("tiny").nets["deep"].urls
    # the data files do not change with what else the page shows of their nets
    assert {medium.key for medium in data_media(without, "tiny")} == \
        {medium.key for medium in data_media(with_units, "tiny")}
    # a network diagram alone asks for its net's inside file only
    alone = plan(posts, runs, {post.slug: PageUses(
        macros=frozenset({"network"}), net_parts=frozenset({NetPart(Kind.NETWORK, "deep")}))
        for post in posts}, frozenset({"network"}))
    assert [(medium.kind, medium.shows) for medium in alone.page("tiny").media
            if medium.kind in (Kind.FIGURE_DATA, Kind.FIGURE_INSIDE)] == \
        [(Kind.FIGURE_INSIDE, "deep")]


def test_the_key_covers_runs_colours_labels_the_writer_and_settings(posts, written,
                                                                    monkeypatch):
    runs, _, _, _ = written
    run = runs[("tiny", "wide")]
    other = runs[("tiny", "deep")]
    key = figure_data_key((run,), ["#0072B2"], ["1×8"])
    assert key == figure_data_key((run,), ["#0072B2"], ["1×8"])
    assert len({key, figure_data_key((other,), ["#0072B2"], ["1×8"]),
                figure_data_key((run,), ["#D55E00"], ["1×8"]),
                figure_data_key((run,), ["#0072B2"], ["1×8 SGD"]),
                figure_data_key((run,), ["#0072B2"], ["1×8"], settings={"stuck": 5.0}),
                figure_data_key((run,), ["#0072B2"], ["1×8"],
                                writers=catalog.DATA_WRITERS[:2])}) == 6
    # the writer's code is part of it (read as text: planning imports none of it)
    monkeypatch.setattr(catalog, "source_digest", lambda *modules: "edited")
    assert figure_data_key((run,), ["#0072B2"], ["1×8"]) != key


def test_a_warm_run_writes_nothing_and_force_writes_the_same_bytes(posts, written, tmp_path):
    runs, cache, first, _ = written
    uses = {post.slug: FIGURE_PAGE for post in posts}
    log: list[str] = []
    media.render_missing(posts, runs, uses, cache, force=False, log=log.append, kinds=SHIPPED)
    assert not [line for line in log if line.startswith("render")]
    assert "reused  tiny/wide figure data" in log
    fresh = tmp_path / "cache"
    shutil.copytree(cache / "runs", fresh / "runs")
    again = media.render_missing(posts, runs, uses, fresh, force=True, log=[].append,
                                 kinds=SHIPPED)
    for before, after in zip(data_media(first, "tiny"), data_media(again, "tiny")):
        assert before.key == after.key
        assert before.cached(cache)["data.tnfd"].read_bytes() == \
            after.cached(fresh)["data.tnfd"].read_bytes()


def test_a_shown_cell_and_a_sweep_get_their_files(tmp_path):
    posts = [post for post in load_posts(FIXTURE / "content") if post.slug == "sweep"]
    runs = synthetic_cells(posts, tmp_path / "cache")
    post = posts[0]
    cell = post.sweeps[0].cells[3]
    uses = {"sweep": PageUses(macros=frozenset({"figure", "sweep_grid"}),
                              cells=frozenset({("width-rate", cell.name)}))}
    built = plan(posts, runs, uses, SHIPPED | {"sweep_grid"})
    found = {medium.stem: medium for medium in data_media(built, "sweep")}
    assert set(found) == {"sweep-width-rate-cell-3", "sweep-width-rate"}
    assert built.page("sweep").cells[cell.name].urls["data"] == \
        "../media/sweep/sweep-width-rate-cell-3.tnfd"
    assert built.page("sweep").sweeps["width-rate"].urls["data"] == \
        "../media/sweep/sweep-width-rate.tnfd"
    sweep_file = found["sweep-width-rate"]
    assert len(sweep_file.runs) == len(post.sweeps[0].cells)
    assert sweep_file.job.arguments[:2] == (post, post.sweeps[0])
    # without the sweep kinds shipped, only the cell's file
    built = plan(posts, runs, uses, SHIPPED)
    assert [medium.stem for medium in data_media(built, "sweep")] == ["sweep-width-rate-cell-3"]


def synthetic_cells(posts, cache):
    """A made-up recording for every cell of ``posts``' sweeps (as ``synthetic_runs`` makes them
    for nets)."""
    as_nets = [replace(post, nets=list(post.cells()), sweeps=()) for post in posts]
    runs = synthetic_runs(as_nets, cache)
    return {key: replace(run, post=post, sweep=post.sweeps[0].name)
            for post in posts for key, run in runs.items() if key[0] == post.slug}


def test_prune_keeps_the_data_files_a_page_uses(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    posts = [post for post in load_posts(root / "content") if post.slug == "tiny"]
    runs_kept, media_kept = prune.needed(posts, root / "templates")
    uses = analysis.uses(posts, root / "templates")
    built = plan(posts, {key: run for key, run in synthetic_runs(posts, tmp_path / "c").items()},
                 uses, live.shipped_kinds(root / "templates"))
    data = {medium.key for medium in built.media if medium.kind is Kind.FIGURE_DATA}
    assert len(data) == 2 and data <= media_kept


def test_page_figures_name_a_kind_only_when_it_ships_and_every_net_has_data():
    wide = type("Net", (), {"media": {"data": "../media/p/wide.tnfd"}})()
    bare = type("Net", (), {"media": {"webm": "../media/p/bare.webm"}})()
    figures = PageFigures(SHIPPED, dimensions=1)
    assert figures.live("figure", wide).kind == "figure"
    assert figures.live("compare", [wide, bare]) is None   # one net without data: the fallback
    assert figures.live("comparison", [wide]) is None      # not shipped
    assert PageFigures(SHIPPED | {"plane"}, dimensions=2).live("figure", wide).kind == "plane"
    assert PageFigures(SHIPPED, dimensions=2).live("figure", wide) is None
    assert [figures.unique_id("compare-a-b") for _ in range(3)] == \
        ["compare-a-b", "compare-a-b-2", "compare-a-b-3"]


def test_shipped_kinds_are_the_kind_files_of_the_templates(tmp_path):
    folder = tmp_path.joinpath("templates", *live.KINDS_FOLDER)
    folder.mkdir(parents=True)
    for name in ("figure.js", "loss_plot.js", "Not-A-Kind.js", "notes.txt"):
        (folder / name).write_text("", encoding="utf-8")
    assert live.shipped_kinds(tmp_path / "templates") == {"figure", "loss_plot"}
    assert live.shipped_kinds(tmp_path / "elsewhere") == frozenset()
    assert {"figure", "loss_plot", "compare"} <= live.shipped_kinds(REPO / "templates")
