"""The explorable figures draw the recording, in Chromium driven by Playwright.

A harness page (tests/figure_harness.py) holds figure(net), loss_plot(net) and compare([nets])
with their fallbacks, data files written by tinynets.media.figure_data from real recordings
(the reference post's nets, trained by the engine in this process), a damaged data file and a
missing one. The module reports what it drew through ``element.tnFigure.drawn()``; these tests
compare that with the recorded arrays in Python. Every page is watched: no console error, no
page error, no request to any host but the test server. Without Playwright or Chromium these
tests skip, unless ``CI`` is set: then they fail. Screenshots land in
test-artifacts/explorable/.
"""

from __future__ import annotations

import numpy as np
import pytest
from browser_support import DESKTOP, PHONE, server  # noqa: F401 (fixture: serves ``site``)
from figure_harness import build_harness, figure_markup
from figure_recordings import recording, shown_seed
from figure_watch import (assert_drawn_prediction, assert_fits_the_phone,  # noqa: F401
                          assert_keeps_the_fallback, assert_sharp, assert_text_legible, browser,
                          drawn, drawn_canvases, drawn_font_sizes, explorable_shot,
                          fetched_from_the_server, go_live, leave_the_chart, open_live_on_phone,
                          open_with_figures, scheme_name, still_and_moving, switch_scheme,
                          tab_through, wait_until_playing, watching)

from tinynets.media import figure_data

pytestmark = pytest.mark.browser

LIVE = ("figure-wide-sgd", "loss-wide-sgd", "compare-nets")
BROKEN = ("figure-damaged", "figure-missing", "figure-corrupt")


# --- Fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):  # noqa: F811
    return build_harness(tmp_path_factory.mktemp("explorable") / "site")


@pytest.fixture(scope="module")
def decoded(site):
    """The data files as the Python reader decodes them: name → DecodedNet."""
    return {name: figure_data.read(site / "data" / f"{name}.tnfd").nets[0]
            for name in ("wide-sgd", "deep-adam", "short-adam")}


# readers that fail the test on any problem but the missing data file's own 404
@pytest.fixture
def reader(browser, server):  # noqa: F811
    with watching(browser, server, missing_file_expected=True, **DESKTOP) as watch:
        yield watch


@pytest.fixture
def phone(browser, server):  # noqa: F811
    with watching(browser, server, missing_file_expected=True, **PHONE) as watch:
        yield watch


def press(page, selector: str, key: str) -> None:
    page.locator(selector).press(key)


# --- What is drawn is what was recorded ------------------------------------------------------------

def test_figure_draws_the_recorded_predictions_and_losses(reader, decoded):
    page = reader.open()
    assert go_live(page, "figure-wide-sgd") == "live"
    figure = "#figure-wide-sgd"
    # the fallback video is gone, the caption stays
    assert page.locator(f"{figure} video").count() == 0
    assert page.locator(f"{figure} figcaption").count() == 1
    median = shown_seed("wide-sgd")
    state = drawn(page, "figure-wide-sgd")
    assert state["seed"] == median and state["frame"] == 149 and state["epoch"] == 5000
    frames = recording("wide-sgd").frame_epochs
    losses = recording("wide-sgd").losses
    relative = decoded["wide-sgd"].loss_relative_tolerance
    for frame, seed in [(149, median), (0, median), (37, 3), (100, 0), (120, 9)]:
        page.select_option(f"{figure} .tn-select", str(seed))
        page.locator(f"{figure} .tn-slider").focus()
        press(page, f"{figure} .tn-slider", "Home")
        for _ in range(frame // 15):
            press(page, f"{figure} .tn-slider", "PageUp")
        for _ in range(frame % 15):
            press(page, f"{figure} .tn-slider", "ArrowRight")
        state = drawn(page, "figure-wide-sgd")
        assert (state["frame"], state["seed"], state["epoch"]) == (frame, seed, frames[frame])
        net = state["nets"][0]
        assert_drawn_prediction(net["prediction"], "wide-sgd", frame, seed, decoded)
        for other, values in net["seeds"].items():   # every seed's faint line, too
            assert_drawn_prediction(values, "wide-sgd", frame, int(other), decoded)
        if frames[frame] >= 1:
            marker = net["loss"]
            assert marker["epoch"] == frames[frame]
            recorded = float(losses[frames[frame] - 1, seed])
            assert abs(marker["value"] / recorded - 1) <= relative * (1 + 1e-9)
            assert f"training error {_three(recorded)}" in state["status"]
        else:
            assert net["loss"] is None and "untrained" in state["status"]
    # the loss panel: every kept epoch of the followed seed, and the median of the seeds
    curve = state["nets"][0]["lossCurve"]
    epochs = np.array(curve["epochs"])
    assert np.array_equal(epochs, decoded["wide-sgd"].loss_epochs)
    followed = np.array(curve["followed"], dtype=float)
    recorded = losses[epochs - 1, 9].astype(np.float64)
    assert np.abs(followed / recorded - 1).max() <= relative * (1 + 1e-9)
    median_recorded = np.median(losses[epochs - 1].astype(np.float64), axis=1)
    assert np.abs(np.array(curve["median"], dtype=float) / median_recorded - 1).max() \
        <= relative * (1 + 1e-9)
    assert state["nets"][0]["floor"] == pytest.approx(0.01)
    explorable_shot(page, "figure-desktop-light", "figure-wide-sgd")


def _three(value: float) -> str:
    return str(float(f"{value:.3g}"))


def test_slider_keys_step_through_the_recorded_frames(reader):
    page = reader.open()
    go_live(page, "figure-wide-sgd")
    slider = "#figure-wide-sgd .tn-slider"
    frames = recording("wide-sgd").frame_epochs
    expected = [("Home", 0), ("ArrowRight", 1), ("ArrowUp", 2), ("PageUp", 17), ("PageUp", 32),
                ("ArrowLeft", 31), ("ArrowDown", 30), ("PageDown", 15), ("End", 149),
                ("PageUp", 149), ("ArrowRight", 149), ("Home", 0), ("PageDown", 0)]
    page.locator(slider).focus()
    for key, frame in expected:
        press(page, slider, key)
        state = drawn(page, "figure-wide-sgd")
        assert state["frame"] == frame, key
        text = f"epoch {frames[frame]:,} of 5,000"
        assert page.locator(slider).get_attribute("aria-valuetext") == text
        assert page.locator("#figure-wide-sgd .tn-epoch").text_content() == text
        assert page.locator(slider).input_value() == str(frame)


def test_seed_picker_follows_another_seed_and_says_which(reader, decoded):
    page = reader.open()
    go_live(page, "figure-wide-sgd")
    median = shown_seed("wide-sgd")
    options = page.locator("#figure-wide-sgd .tn-select option").all_text_contents()
    assert options == [f"{seed} (median)" if seed == median else str(seed) for seed in range(10)]
    assert page.locator("#figure-wide-sgd .tn-select").input_value() == str(median)
    page.select_option("#figure-wide-sgd .tn-select", "3")
    state = drawn(page, "figure-wide-sgd")
    assert state["seed"] == 3 and "seed 3 ·" in state["status"]
    assert_drawn_prediction(state["nets"][0]["prediction"], "wide-sgd", 149, 3, decoded)
    assert page.locator("#figure-wide-sgd .tn-key").first.text_content().startswith("seed 3")
    # the reader's choice goes into the URL
    page.wait_for_function("() => location.hash.includes('figure-wide-sgd:')")
    assert page.evaluate("location.hash") == "#figure-wide-sgd:epoch=5000,seed=3"


def test_a_link_restores_each_figures_state(reader, decoded):
    timeline = sorted(set(recording("wide-sgd").frame_epochs.tolist())
                      | set(recording("deep-adam").frame_epochs.tolist())
                      | set(recording("short-adam").frame_epochs.tolist()))
    page = reader.open("index.html#figure-wide-sgd:epoch=1200,seed=3"
                       "&loss-wide-sgd:seed=2&compare-nets:epoch=100,seed=4,hidden=deep-adam")
    for identifier in LIVE:
        assert go_live(page, identifier) == "live"
    frames = recording("wide-sgd").frame_epochs
    frame = int(np.searchsorted(frames, 1200, side="right")) - 1   # the last frame ≤ 1200
    figure = drawn(page, "figure-wide-sgd")
    assert (figure["frame"], figure["epoch"], figure["seed"]) == (frame, frames[frame], 3)
    assert figure["playing"] is False
    assert_drawn_prediction(figure["nets"][0]["prediction"], "wide-sgd", frame, 3, decoded)
    assert drawn(page, "loss-wide-sgd")["seed"] == 2
    compare = drawn(page, "compare-nets")
    epoch = max(value for value in timeline if value <= 100)
    assert compare["epoch"] == epoch and compare["seed"] == "4"
    assert compare["hidden"] == ["deep-adam"]
    nets = {net["name"]: net for net in compare["nets"]}
    assert nets["deep-adam"]["panelHidden"] is True and nets["wide-sgd"]["panelHidden"] is False
    for name in ("wide-sgd", "short-adam"):
        own = recording(name).frame_epochs
        frame = int(np.searchsorted(own, epoch, side="right")) - 1
        assert nets[name]["frame"] == frame and nets[name]["seed"] == 4
        assert_drawn_prediction(nets[name]["prediction"], name, frame, 4, decoded)
    # a reader's move rewrites only that figure's part of the link
    page.locator("#figure-wide-sgd .tn-slider").focus()
    press(page, "#figure-wide-sgd .tn-slider", "End")
    page.wait_for_function("() => location.hash.includes('epoch=5000,seed=3')")
    assert page.evaluate("location.hash") == (
        "#figure-wide-sgd:epoch=5000,seed=3&loss-wide-sgd:seed=2"
        "&compare-nets:epoch=100,seed=4,hidden=deep-adam")
    # and a link followed on the page (hashchange) moves the figure there
    page.evaluate("() => { location.hash = 'figure-wide-sgd:epoch=0,seed=5'; }")
    page.wait_for_function("() => document.getElementById('figure-wide-sgd')"
                           ".tnFigure.drawn().frame === 0")
    assert drawn(page, "figure-wide-sgd")["seed"] == 5


# --- compare ---------------------------------------------------------------------------------------

def test_compare_shares_one_scale_one_player_and_its_legend_hides_nets(reader, decoded):
    page = reader.open()
    assert go_live(page, "compare-nets") == "live"
    state = drawn(page, "compare-nets")
    assert [net["name"] for net in state["nets"]] == ["wide-sgd", "deep-adam", "short-adam"]
    assert len({tuple(net["yRange"]) for net in state["nets"]}) == 1   # ONE y scale
    assert page.locator("#compare-nets .tn-play").count() == 1
    assert page.locator("#compare-nets .tn-slider").count() == 1
    timeline = state["timeline"]
    assert timeline == sorted(set(recording("wide-sgd").frame_epochs.tolist())
                              | set(recording("short-adam").frame_epochs.tolist())
                              | set(recording("deep-adam").frame_epochs.tolist()))
    slider = "#compare-nets .tn-slider"
    page.locator(slider).focus()
    press(page, slider, "End")
    nets = {net["name"]: net for net in drawn(page, "compare-nets")["nets"]}
    # the short net shows its last frame (epoch 600) and says so
    assert nets["short-adam"]["epoch"] == 600 and "(shows epoch 600)" in nets["short-adam"]["status"]
    for name in ("wide-sgd", "deep-adam", "short-adam"):
        frames = recording(name).frame_epochs
        assert_drawn_prediction(nets[name]["prediction"], name, len(frames) - 1,
                                shown_seed(name), decoded)
    press(page, slider, "Home")
    for _ in range(5):
        press(page, slider, "PageUp")
    state = drawn(page, "compare-nets")
    epoch = state["epoch"]
    assert epoch == timeline[min(5 * round(len(timeline) / 10), len(timeline) - 1)]
    page.select_option("#compare-nets .tn-select", "6")
    for net in drawn(page, "compare-nets")["nets"]:
        frames = recording(net["name"]).frame_epochs
        frame = int(np.searchsorted(frames, epoch, side="right")) - 1
        assert net["seed"] == 6 and net["frame"] == frame
        assert_drawn_prediction(net["prediction"], net["name"], frame, 6, decoded)

    button = page.locator("#compare-nets .tn-legend-button", has_text="2×10 ReLU, Adam")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    state = drawn(page, "compare-nets")
    assert state["hidden"] == ["deep-adam"]
    assert [net["panelHidden"] for net in state["nets"]] == [False, True, False]
    assert page.locator("#compare-nets .tn-panel").nth(1).is_hidden()
    page.wait_for_function("() => location.hash.includes('hidden=deep-adam')")
    button.press("Enter")   # the keyboard shows it again
    assert button.get_attribute("aria-pressed") == "true"
    assert drawn(page, "compare-nets")["hidden"] == []
    assert page.locator("#compare-nets .tn-panel").nth(1).is_visible()
    explorable_shot(page, "compare-desktop-light", "compare-nets")


def test_loss_plot_reads_values_under_the_pointer_and_from_the_keys(reader, decoded):
    page = reader.open()
    assert go_live(page, "loss-wide-sgd") == "live"
    losses = recording("wide-sgd").losses
    relative = decoded["wide-sgd"].loss_relative_tolerance
    median = shown_seed("wide-sgd")
    state = drawn(page, "loss-wide-sgd")
    canvas = state["canvases"][0]
    plot = canvas["plot"]
    low, high = state["nets"][0]["xRange"]
    # point at epoch 100, on the followed seed's curve
    epochs = np.array(state["nets"][0]["lossCurve"]["epochs"])
    index = int(np.searchsorted(epochs, 100))
    value = float(losses[epochs[index] - 1, median])
    y_low, y_high = state["nets"][0]["lossRange"]
    x = plot["left"] + plot["width"] * (np.log10(epochs[index]) - np.log10(low)) / \
        (np.log10(high) - np.log10(low))
    y = plot["top"] + plot["height"] * (1 - (np.log10(value) - np.log10(y_low)) /
                                         (np.log10(y_high) - np.log10(y_low)))
    page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('#loss-wide-sgd .tn-readout')"
                           ".textContent !== ''")
    reading = drawn(page, "loss-wide-sgd")["readout"]
    assert abs(reading["epoch"] - epochs[index]) <= 2   # the epoch under the pointer's pixel
    recorded = float(losses[reading["epoch"] - 1, reading["seed"]])
    assert abs(reading["value"] / recorded - 1) <= relative * (1 + 1e-9)
    text = page.locator("#loss-wide-sgd .tn-readout").text_content()
    assert text == f"seed {reading['seed']}, epoch {reading['epoch']:,}: training error " \
                   f"{_three(recorded)}"
    leave_the_chart(page, "loss-wide-sgd")

    # the keyboard: focus reads the followed seed at the last epoch; keys move the reading
    focus = page.locator("#loss-wide-sgd .tn-chart-focus")
    focus.focus()
    reading = drawn(page, "loss-wide-sgd")["readout"]
    assert (reading["seed"], reading["epoch"]) == (median, 5000)
    focus.press("ArrowLeft")
    focus.press("ArrowUp")
    reading = drawn(page, "loss-wide-sgd")["readout"]
    assert reading["epoch"] == int(epochs[-2]) and reading["seed"] == (median + 1) % 10
    recorded = float(losses[reading["epoch"] - 1, reading["seed"]])
    assert abs(reading["value"] / recorded - 1) <= relative * (1 + 1e-9)
    assert page.locator("#loss-wide-sgd .tn-readout").text_content() == \
        f"seed {reading['seed']}, epoch {reading['epoch']:,}: training error {_three(recorded)}"
    focus.press("Home")
    assert drawn(page, "loss-wide-sgd")["readout"]["epoch"] == 1
    page.select_option("#loss-wide-sgd .tn-select", "7")
    state = drawn(page, "loss-wide-sgd")
    followed = np.array(state["nets"][0]["lossCurve"]["followed"], dtype=float)
    assert np.abs(followed / losses[epochs - 1, 7] - 1).max() <= relative * (1 + 1e-9)


# --- Looks: palette, phone, motion, keyboard ------------------------------------------------------

def _contrasts_meet_wcag(report: dict) -> None:
    for role in ("ink", "muted"):   # text
        assert report[role]["contrast"] >= 4.5, (role, report)
    for role in ("axis", "truth", "points", "floor", "median"):   # marks that carry meaning
        assert report[role]["contrast"] >= 3, (role, report)
    for name, entry in report["nets"].items():
        assert entry["contrast"] >= 3, (name, report)
        assert entry["faint"] >= 1.55, (name, report)   # the other seeds: context, but visible


def test_palette_switch_recolours_live_and_keeps_contrast(reader):
    page = open_with_figures(reader, LIVE)
    before = {identifier: drawn(page, identifier)["theme"] for identifier in LIVE}
    pixels = page.locator("#figure-wide-sgd .tn-panel").first.screenshot()
    for report in before.values():
        assert report["scheme"] == "default" and report["background"] == "rgb(255, 255, 255)"
        _contrasts_meet_wcag(report)
    switch_scheme(page, "slate", "figure-wide-sgd")
    for identifier in LIVE:
        report = drawn(page, identifier)["theme"]
        assert report["scheme"] == "slate"
        assert report["background"] != before[identifier]["background"]
        assert report["ink"]["color"] != before[identifier]["ink"]["color"]
        _contrasts_meet_wcag(report)
    assert page.locator("#figure-wide-sgd .tn-panel").first.screenshot() != pixels
    # the HTML text follows the theme too: its colour contrasts with the dark background
    colour = page.evaluate("() => getComputedStyle(document.querySelector("
                           "'#figure-wide-sgd .tn-status')).color")
    assert colour != "rgba(0, 0, 0, 0.87)"
    explorable_shot(page, "figure-desktop-dark", "figure-wide-sgd")
    explorable_shot(page, "compare-desktop-dark", "compare-nets")
    switch_scheme(page, "default", "figure-wide-sgd")
    assert drawn(page, "figure-wide-sgd")["theme"] == before["figure-wide-sgd"]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_layout_stacks_panels_without_sideways_scrolling(phone, scheme):
    page = open_live_on_phone(phone, scheme, LIVE)
    width = page.evaluate("innerWidth")
    assert width == 390
    figure = drawn(page, "figure-wide-sgd")
    assert figure["layout"] == "stacked"
    assert drawn(page, "compare-nets")["columns"] == 1
    for identifier in LIVE:
        state = assert_fits_the_phone(page, identifier)
        sizes = drawn_font_sizes(state)
        assert sizes and min(sizes) >= 12, (identifier, sizes)
        for canvas in drawn_canvases(state):   # drawn at the device's pixels, never scaled
            assert_sharp(canvas)
            assert canvas["height"] == round(canvas["cssHeight"] * 2)
            assert canvas["cssWidth"] <= width - 16
        _contrasts_meet_wcag(state["theme"])
        explorable_shot(page, f"{identifier}-phone-{scheme_name(scheme)}", identifier)


def test_desktop_text_is_at_least_twelve_pixels(reader):
    page = reader.open()
    for identifier in LIVE:
        go_live(page, identifier)
        assert_text_legible(page, identifier)
        assert min(drawn_font_sizes(drawn(page, identifier))) >= 12
    assert drawn(page, "figure-wide-sgd")["layout"] == "side by side"


def test_reduced_motion_means_nothing_plays_by_itself(browser, server):  # noqa: F811
    with still_and_moving(browser, server, missing_file_expected=True) as (still, moving):
        page = still.open()
        go_live(page, "figure-wide-sgd")
        page.wait_for_timeout(1500)
        state = drawn(page, "figure-wide-sgd")
        assert state["playing"] is False and state["frame"] == 149
        # the reader may still press Play
        page.locator("#figure-wide-sgd .tn-play").click()
        page.wait_for_function("() => document.getElementById('figure-wide-sgd')"
                               ".tnFigure.drawn().frame < 149")
        page.locator("#figure-wide-sgd .tn-play").click()
        assert drawn(page, "figure-wide-sgd")["playing"] is False

        page = moving.open()
        go_live(page, "figure-wide-sgd")
        wait_until_playing(page, "figure-wide-sgd")
        # the figure that does not ask for autoplay (compare) stays still
        go_live(page, "compare-nets")
        page.wait_for_timeout(500)
        assert drawn(page, "compare-nets")["playing"] is False
        # out of view, the autoplaying figure pauses
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => document.getElementById('figure-wide-sgd')"
                               ".tnFigure.drawn().playing === false")


def test_every_control_is_reachable_by_keyboard_with_visible_focus(reader):
    page = open_with_figures(reader, LIVE)
    page.locator("#figure-wide-sgd .tn-live-title").click()
    reached = tab_through(page, 12)
    in_figure = [(name, outline, width) for name, owner, outline, width in reached
                 if owner == "figure-wide-sgd"]
    names = [name for name, _, _ in in_figure]
    assert names[:4] == ["tn-chart-focus", "tn-button tn-play", "tn-slider", "tn-select"]
    for name, outline, width in in_figure:
        assert outline == "solid" and width >= 2, name
    assert any(owner == "loss-wide-sgd" for _, owner, _, _ in reached)
    assert any(name == "tn-legend-button" for name, _, _, _ in reached)


# --- Fallbacks and the page around the figures ----------------------------------------------------

def test_a_damaged_or_missing_data_file_keeps_the_fallback_and_warns(reader):
    page = reader.open()
    for identifier in BROKEN:
        video = assert_keeps_the_fallback(page, identifier)
        assert video.count() == 1
        box = video.bounding_box()
        assert box["width"] > 300 and box["height"] > 100   # never a blank box
        assert page.locator(f"#{identifier} .tn-live-holder").count() == 0
        assert page.evaluate(f"document.getElementById({identifier!r}).dataset.tnState") == \
            "fallback"
    for name in ("damaged", "corrupt"):
        assert any(warning.startswith(f"tinynets figures: #figure-{name}: data/{name}.tnfd: "
                                      "damaged or truncated (its gzip stream does not inflate: ")
                   and warning.endswith("); showing the fallback")
                   for warning in reader.warnings), reader.warnings
    assert "tinynets figures: #figure-missing: data/missing.tnfd: HTTP 404 for " \
           "data/missing.tnfd; showing the fallback" in reader.warnings
    # the missing file's 404 is the only problem on the page
    assert [problem for problem in reader.problems if "missing.tnfd" in problem] == \
        [f"HTTP 404 for {reader.server.url('data/missing.tnfd')}"]


def test_figures_appear_after_instant_navigation(reader, decoded):
    page = reader.open("instant.html")
    assert page.locator("[data-tn-figure]").count() == 0
    markup = figure_markup("figure-later", "figure", ["data/deep-adam.tnfd"], "A later page",
                           True, poster="fallback-figure-wide-sgd.png")
    page.evaluate("""(markup) => {
        document.querySelector('article').innerHTML = '<h1>Second page</h1>' + markup;
        window.document$.next(document);
    }""", markup)
    assert go_live(page, "figure-later") == "live"
    state = drawn(page, "figure-later")
    assert_drawn_prediction(state["nets"][0]["prediction"], "deep-adam", 149,
                            shown_seed("deep-adam"), decoded)


def test_the_page_makes_no_error_and_asks_no_other_host(reader, phone):
    for watch in (reader, phone):
        page = open_with_figures(watch, LIVE + BROKEN)
        page.locator("#figure-wide-sgd .tn-play").click()
        page.wait_for_timeout(300)
        page.locator("#figure-wide-sgd .tn-play").click()
        requested = fetched_from_the_server(page, watch)
        # the module files it loaded: the entry, the core and the kinds the page uses
        assert any(url.endswith("/assets/figures/kinds/compare.js") for url in requested)
        assert any(url.endswith("/assets/vendor/uplot/uPlot.iife.min.js") for url in requested)
        # each data file is fetched once, however many figures use it
        assert sum(url.endswith("/data/wide-sgd.tnfd") for url in requested) == 1
    # (the fixtures assert that no problem was recorded)
