"""The live-figure tests of the built fixture site, run on each engine's build: test_live_figures.py
runs them on the MkDocs build (browser_support's ``site`` fixture), test_live_figures_zensical.py
on the Zensical build (its own ``site``). A module runs them by importing them all::

    from live_figures_suite import *  # noqa: F401,F403  the tests and their fixtures

The build writes a data file per net (tests/test_figure_files.py) and gives every figure
``data-tn-figure`` / ``data-tn-data``; here the pages of the built fixture project are opened
as a reader would: what each live figure draws (``element.tnFigure.drawn()``) is compared with
the run store's arrays in Python, and the fallbacks are checked where a reader meets them (no
JavaScript; a damaged or missing data file, where tinynets.js takes the figure over). Every page
is watched: no console error, no request to another host. Screenshots land in
test-artifacts/live/.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from browser_support import (DESKTOP, PHONE, TIMEOUT, SiteServer, Watch, browser,  # noqa: F401
                             server, site)
from figure_watch import TEXT_SIZES, drawn
from support import REPO

from tinynets.engine.seed_columns import select_arrays
from tinynets.engine.stage import post_run
from tinynets.engine.store import RunStore
from tinynets.media import figure_data
from tinynets.posts.load import load_posts

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "live"
LIVE = {"/tiny/": ["figure-wide", "loss-wide", "compare-wide-deep"],
        "/sweep/": ["figure-width-rate[layers=8,learning_rate=0.03]"]}
CELL = "width-rate[layers=8,learning_rate=0.03]"


# --- Fixtures and helpers ------------------------------------------------------------------------

@pytest.fixture
def reader(browser, server):  # noqa: F811
    watch = Watch(browser, server, reduced_motion="reduce", **DESKTOP)
    yield watch
    watch.close()
    assert watch.problems == []


@pytest.fixture(scope="module")
def project(site):  # noqa: F811
    """The built project whose site is served (its content and run store)."""
    return site.parent.parent


class Recorded:
    """A net's (or cell's) recording from the project's run store, and its data file as the
    Python reader decodes it."""

    def __init__(self, project, slug: str, name: str, stem: str):
        post = next(post for post in load_posts(project / "content") if post.slug == slug)
        net = post.net(name)
        key = post_run(post, net).key  # every seed the post trains
        # the seeds the page shows: its replication seeds are never drawn
        self.arrays = select_arrays(
            RunStore(project / "build" / "cache" / "runs").load_arrays(key), post.seeds)
        self.seeds = [int(seed) for seed in self.arrays["seeds"]]
        self.decoded = figure_data.read(
            project / "build" / "site" / "media" / slug / f"{stem}.tnfd").nets[0]

    def check_prediction(self, values, frame: int, seed: int) -> None:
        """The drawn curve is the recorded one within the file's stated tolerance, and the
        Python reader's decoding exactly."""
        index = self.seeds.index(seed)
        drawn_values = np.array([np.nan if value is None else value for value in values])
        recorded = self.arrays["predictions"][frame, index].astype(np.float64)
        assert drawn_values.shape == recorded.shape
        assert np.abs(drawn_values - recorded).max() <= self.decoded.tolerance * (1 + 1e-9)
        assert np.array_equal(drawn_values, self.decoded.predictions[frame, index])

    def check_loss(self, value: float, epoch: int, seed: int) -> None:
        recorded = float(self.arrays["losses"][epoch - 1, self.seeds.index(seed)])
        assert abs(value / recorded - 1) <= self.decoded.loss_relative_tolerance * (1 + 1e-9)


def shot(page, name: str, identifier: str | None = None) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(f"[id='{identifier}']") if identifier else page
    target.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def by_id(page, identifier: str):
    return page.locator(f"[id='{identifier}']")


def go_live(page, identifier: str) -> str:
    """Scroll a figure into view; wait until it is live or keeps its fallback (ids may hold
    characters a CSS #id selector does not take: a sweep cell's name)."""
    page.wait_for_function("""id => {
        const element = document.getElementById(id);
        if (!element || !element.tnFigure) return false;   // (instant navigation: not yet)
        element.scrollIntoView({block: "center"});
        return true;
    }""", arg=identifier)
    return page.evaluate("id => document.getElementById(id).tnFigure.ready", identifier)


def slider_to(page, identifier: str, frame: int) -> None:
    """Move a figure's slider to ``frame`` with the keys a reader uses."""
    slider = by_id(page, identifier).locator(".tn-slider")
    slider.focus()
    slider.press("Home")
    for _ in range(frame):
        slider.press("ArrowRight")


def check_contrast(report: dict) -> None:
    for role in ("ink", "muted"):   # text: WCAG AA
        assert report[role]["contrast"] >= 4.5, (role, report)
    for role in ("axis", "truth", "points", "floor", "median"):   # marks that carry meaning
        assert report[role]["contrast"] >= 3, (role, report)
    for name, entry in report["nets"].items():
        assert entry["contrast"] >= 3, (name, report)


# --- What is drawn is what was recorded ------------------------------------------------------------

def test_every_figure_a_page_can_draw_goes_live_and_draws_its_recording(reader, project):
    wide = Recorded(project, "tiny", "wide", "wide")
    deep = Recorded(project, "tiny", "deep", "deep")
    page = reader.open("/tiny/")
    # the markup: every figure whose kind is shipped names its kind and its data
    marked = {identifier: (kind, data) for identifier, kind, data in page.evaluate(
        "() => [...document.querySelectorAll('[data-tn-figure]')].map("
        "e => [e.id, e.dataset.tnFigure, e.dataset.tnData])")}
    assert marked["figure-wide"] == ("figure", "../media/tiny/wide.tnfd")
    assert marked["loss-wide"] == ("loss_plot", "../media/tiny/wide.tnfd")
    assert marked["compare-wide-deep"] == \
        ("compare", "../media/tiny/wide.tnfd ../media/tiny/deep.tnfd")
    assert page.locator("figure[id], div.tn-compare[id]").count() >= len(marked) >= 3
    for identifier in marked:   # and each of them is drawn
        assert go_live(page, identifier) == "live", identifier
    # the fallback video is gone, the caption stays
    assert by_id(page, "figure-wide").locator("video").count() == 0
    assert by_id(page, "figure-wide").locator("figcaption").count() == 1
    assert by_id(page, "compare-wide-deep").locator("video").count() == 0

    frames = wide.arrays["frame_epochs"]
    for frame, seed in [(len(frames) - 1, wide.decoded.shown_seed), (0, 0), (5, 1), (9, 0)]:
        by_id(page, "figure-wide").locator(".tn-select").select_option(str(seed))
        slider_to(page, "figure-wide", frame)
        state = drawn(page, "figure-wide")
        assert (state["frame"], state["seed"], state["epoch"]) == (frame, seed, frames[frame])
        net = state["nets"][0]
        wide.check_prediction(net["prediction"], frame, seed)
        for other, values in net["seeds"].items():   # every seed's faint line too
            wide.check_prediction(values, frame, int(other))
        if frames[frame] >= 1:
            assert net["loss"]["epoch"] == frames[frame]
            wide.check_loss(net["loss"]["value"], int(frames[frame]), seed)
        else:
            assert net["loss"] is None

    loss = drawn(page, "loss-wide")
    curve = loss["nets"][0]["lossCurve"]
    assert curve["epochs"] == list(range(1, len(wide.arrays["losses"]) + 1))  # 30: every epoch
    for epoch, value in zip(curve["epochs"], curve["followed"]):
        wide.check_loss(value, epoch, loss["seed"])

    slider_to(page, "compare-wide-deep", 7)
    state = drawn(page, "compare-wide-deep")
    assert state["epoch"] == frames[7]
    nets = {net["name"]: net for net in state["nets"]}
    assert list(nets) == ["wide", "deep"] and len({tuple(net["yRange"])
                                                   for net in nets.values()}) == 1
    wide.check_prediction(nets["wide"]["prediction"], 7, wide.decoded.shown_seed)
    deep.check_prediction(nets["deep"]["prediction"], 7, deep.decoded.shown_seed)
    # one data file, three figures: fetched once
    requested = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert sum(url.endswith("/media/tiny/wide.tnfd") for url in requested) == 1
    assert all(url.startswith(reader.server.origin + "/") for url in requested)
    shot(page, "tiny-figure-desktop", "figure-wide")
    shot(page, "tiny-compare-desktop", "compare-wide-deep")


def test_a_sweep_cell_shown_on_its_own_is_drawn_from_its_recording(reader, project):
    cell = Recorded(project, "sweep", CELL, "sweep-width-rate-cell-3")
    page = reader.open("/sweep/")
    identifier = f"figure-{CELL}"
    assert go_live(page, identifier) == "live"
    state = drawn(page, identifier)
    last = len(cell.arrays["frame_epochs"]) - 1
    assert state["frame"] == last and state["seed"] == cell.decoded.shown_seed
    cell.check_prediction(state["nets"][0]["prediction"], last, state["seed"])
    # the sweep's own figures keep their fallback until their kinds ship: no data asked for
    if not page.evaluate("() => !!document.querySelector('[id=\"sweep-width-rate-grid\"]"
                         "[data-tn-figure]')"):
        assert by_id(page, "sweep-width-rate-grid").locator("video").count() == 1


def test_a_link_restores_a_moment_of_a_figure(reader, project):
    wide = Recorded(project, "tiny", "wide", "wide")
    frames = wide.arrays["frame_epochs"]
    page = reader.open(f"/tiny/#figure-wide:epoch={frames[6] + 1},seed=1"
                       "&compare-wide-deep:epoch=3,hidden=deep")
    for identifier in ("figure-wide", "compare-wide-deep"):
        assert go_live(page, identifier) == "live"
    state = drawn(page, "figure-wide")
    assert (state["frame"], state["epoch"], state["seed"]) == (6, frames[6], 1)
    wide.check_prediction(state["nets"][0]["prediction"], 6, 1)
    compare = drawn(page, "compare-wide-deep")
    assert compare["epoch"] == 3 and compare["hidden"] == ["deep"]


# --- The fallbacks -------------------------------------------------------------------------------

def test_without_javascript_every_figure_is_its_video_or_picture(browser, server):  # noqa: F811
    watch = Watch(browser, server, java_script_enabled=False, **DESKTOP)
    loaded = []
    try:
        page = watch.context.new_page()
        page.on("response", lambda response: loaded.append(
            (response.url.rsplit("/", 1)[-1], response.status)))
        page.goto(server.url("/tiny/"), wait_until="load")
        figure = by_id(page, "figure-wide")
        video = figure.locator("video")
        assert video.count() == 1 and video.is_visible()
        assert video.get_attribute("poster") == "../media/tiny/wide.png"
        assert video.get_attribute("controls") is not None   # the browser's own controls
        box = video.bounding_box()
        assert box["width"] > 300 and box["height"] > 100
        assert figure.locator("video img").get_attribute("src") == "../media/tiny/wide.gif"
        assert page.locator(".tn-live-holder").count() == 0
        plot = by_id(page, "loss-wide").locator("img")
        assert plot.get_attribute("src") == "../media/tiny/wide-loss.svg" and plot.is_visible()
        assert by_id(page, "compare-wide-deep").locator("video").count() == 2
        # the poster and the plot arrive (no script holds them back); no data file is fetched
        page.wait_for_load_state("networkidle")
        assert ("wide.png", 200) in loaded and ("wide-loss.svg", 200) in loaded
        assert not [name for name, _ in loaded if name.endswith(".tnfd")]
        shot(page, "tiny-no-javascript")
    finally:
        watch.close()
    assert watch.problems == []


@pytest.fixture(scope="module")
def broken_site(site, tmp_path_factory):  # noqa: F811
    """The built site with the wide net's data file damaged (cut in half) and the deep net's
    removed."""
    copy = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(site, copy)
    data = copy / "media" / "tiny" / "wide.tnfd"
    content = data.read_bytes()
    data.unlink()  # the copy may share the file with the build: write a new one
    data.write_bytes(content[: len(content) // 2])
    (copy / "media" / "tiny" / "deep.tnfd").unlink()
    return copy


def test_a_damaged_or_missing_data_file_keeps_the_fallback_which_then_plays(browser,  # noqa: F811
                                                                           broken_site):
    with SiteServer(broken_site) as broken:
        watch = Watch(browser, broken, reduced_motion="no-preference", **DESKTOP)
        try:
            page = watch.open("/tiny/")
            for identifier in LIVE["/tiny/"]:
                assert go_live(page, identifier) == "fallback"
                assert by_id(page, identifier).locator(".tn-live-holder").count() == 0
            warnings = [warning.split(": ", 1)[1] for warning in watch.warnings]
            for identifier in ("figure-wide", "loss-wide"):
                assert any(warning.startswith(f"tinynets figures: #{identifier}: "
                                              "../media/tiny/wide.tnfd: damaged or truncated")
                           and warning.endswith("; showing the fallback")
                           for warning in warnings), warnings
            assert any(warning.startswith("tinynets figures: #compare-wide-deep: ")
                       and warning.endswith("; showing the fallback") for warning in warnings)
            # the fallback is the reader's: tinynets.js plays the video, with its own button
            video = by_id(page, "figure-wide").locator("video")
            video.scroll_into_view_if_needed()
            page.wait_for_function("v => !v.paused && v.currentTime > 0.3",
                                   arg=video.element_handle())
            assert by_id(page, "figure-wide").locator("figcaption .tn-toggle").count() == 1
            # the loss plot's picture, held back while the figure might go live, is shown
            plot = by_id(page, "loss-wide").locator("img")
            plot.scroll_into_view_if_needed()
            page.wait_for_function("i => i.complete && i.naturalWidth > 0",
                                   arg=plot.element_handle())
            # and the compare group's own player drives its videos
            group = by_id(page, "compare-wide-deep")
            group.scroll_into_view_if_needed()
            page.wait_for_function("g => g.dataset.tnReady === 'true'",
                                   arg=group.element_handle())
            group.locator(".tn-slider").focus()
            page.keyboard.press("Home")
            page.wait_for_function("g => [...g.querySelectorAll('video')].every(v => "
                                   "!v.seeking && v.readyState >= 2 && v.currentTime < 0.6)",
                                   arg=group.element_handle())
            shot(page, "tiny-fallback-after-damage", "figure-wide")
        finally:
            watch.close()
    # the removed file's 404 (and the line Chromium writes for it) is the only problem
    assert sorted(set(watch.problems)) == [
        "/tiny/: HTTP 404 for " + broken.url("media/tiny/deep.tnfd"),
        "/tiny/: console error: Failed to load resource: the server responded with a status "
        "of 404 (File not found)"]


# --- Looks and motion ------------------------------------------------------------------------------

def test_reduced_motion_keeps_live_figures_still(browser, server):  # noqa: F811
    still = Watch(browser, server, reduced_motion="reduce", **DESKTOP)
    moving = Watch(browser, server, reduced_motion="no-preference", **DESKTOP)
    try:
        page = still.open("/tiny/")
        assert go_live(page, "figure-wide") == "live"
        page.wait_for_timeout(1500)
        state = drawn(page, "figure-wide")
        assert state["playing"] is False and state["epoch"] == 30   # the final frame, still
        page = moving.open("/tiny/")
        assert go_live(page, "figure-wide") == "live"
        page.wait_for_function("() => document.getElementById('figure-wide')"
                               ".tnFigure.drawn().playing === true")
        assert go_live(page, "compare-wide-deep") == "live"
        page.wait_for_timeout(500)
        assert drawn(page, "compare-wide-deep")["playing"] is False   # waits for the reader
    finally:
        still.close()
        moving.close()
    assert still.problems == [] and moving.problems == []


@pytest.mark.parametrize("path", list(LIVE))
def test_phone_width_has_no_sideways_scroll_and_text_of_twelve_pixels(browser, server,  # noqa: F811
                                                                      path):
    watch = Watch(browser, server, reduced_motion="reduce", **PHONE)
    try:
        page = watch.open(path)
        for identifier in LIVE[path]:
            assert go_live(page, identifier) == "live"
            state = drawn(page, identifier)
            for text, size in page.evaluate(TEXT_SIZES, identifier):
                assert size >= 12, (identifier, text, size)
            sizes = state.get("fontSizes") or [size for net in state["nets"]
                                               for size in net["fontSizes"]]
            assert sizes and min(sizes) >= 12, (identifier, sizes)
            box = by_id(page, identifier).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.evaluate("() => window.scrollTo(0, 0)")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                               "document.documentElement.clientWidth, document.body.scrollWidth]")
        assert widths[0] <= widths[1] and widths[2] <= widths[1], widths
        if path == "/tiny/":
            assert drawn(page, "figure-wide")["layout"] == "stacked"
            shot(page, "tiny-figure-phone", "figure-wide")
    finally:
        watch.close()
    assert watch.problems == []


def test_the_palette_switch_recolours_live_figures(reader):
    page = reader.open("/tiny/")
    for identifier in LIVE["/tiny/"]:
        go_live(page, identifier)
    before = drawn(page, "figure-wide")["theme"]
    assert before["scheme"] == "default"
    check_contrast(before)
    # Material's own switch, as a reader presses it
    page.locator("label[title='Switch to dark mode']").click()
    page.wait_for_function("() => document.getElementById('figure-wide')"
                           ".tnFigure.drawn().theme.scheme === 'slate'")
    for identifier in LIVE["/tiny/"]:
        report = drawn(page, identifier)["theme"]
        assert report["scheme"] == "slate" and report["background"] != before["background"]
        check_contrast(report)
    shot(page, "tiny-figure-dark", "figure-wide")
    page.locator("label[title='Switch to light mode']").click()
    page.wait_for_function("() => document.getElementById('figure-wide')"
                           ".tnFigure.drawn().theme.scheme === 'default'")
    assert drawn(page, "figure-wide")["theme"] == before


def test_a_palette_switch_while_a_figure_is_being_made_recolours_it(browser, site):  # noqa: F811
    # uPlot arrives late: the figure is being made (its data in, its charts waiting) when the
    # reader switches to the dark palette
    with SiteServer(site, delays={"/assets/vendor/uplot/uPlot.iife.min.js": 2.0}) as slow:
        watch = Watch(browser, slow, reduced_motion="reduce", **DESKTOP)
        try:
            page = watch.open("/tiny/")
            by_id(page, "figure-wide").scroll_into_view_if_needed()
            page.wait_for_function("() => document.getElementById('figure-wide')"
                                   ".dataset.tnState === 'loading'")
            page.locator("label[title='Switch to dark mode']").click()
            assert go_live(page, "figure-wide") == "live"
            report = drawn(page, "figure-wide")["theme"]
            assert report["scheme"] == "slate" and report["background"] == "rgb(30, 33, 41)"
            check_contrast(report)
        finally:
            watch.close()
    assert watch.problems == []
