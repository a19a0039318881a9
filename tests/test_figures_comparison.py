"""comparison(), comparison_losses() and compare's shared loss plot draw the recordings, in
Chromium.

The harness page of tests/test_figures_inside.py (figure_harness.build_kinds_harness) holds
them, with data files written from the reference post's nets (tests/figure_recordings.py).
What the module reports through ``element.tnFigure.drawn()`` is compared with the recorded
arrays in Python: each net's followed seed on the shared axes, every net's median and range of
training error, the markers at the shown epoch. Every page is watched for console errors and
requests to other hosts. Screenshots land in test-artifacts/explorable/.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_recordings import recording, shown_seed
from figure_watch import (PHONE_WIDTH, assert_drawn_prediction, assert_fits_the_phone,  # noqa: F401
                          browser, drawn, drawn_canvases, drawn_font_sizes, explorable_shot,
                          go_live, leave_the_chart, open_keeping_fallbacks, open_live_on_phone,
                          open_with_figures, phone, reader, scheme_name, still_and_moving,
                          switch_scheme, wait_until_playing, warned_damaged)
from kinds_harness import server, site  # noqa: F401 (fixtures: the kinds' harness page)

from tinynets.media import figure_data

pytestmark = pytest.mark.browser

NAMES = ("wide-sgd", "deep-adam", "short-adam")
LIVE = ("comparison", "comparison-losses", "compare-shared-losses")


@pytest.fixture(scope="module")
def decoded(site):  # noqa: F811
    return {name: figure_data.read(site / "data" / f"{name}.tnfd").nets[0] for name in NAMES}


def timeline() -> list[int]:
    return sorted(set().union(*(recording(name).frame_epochs.tolist() for name in NAMES)))


def frame_at(name: str, epoch: int) -> int:
    return int(np.searchsorted(recording(name).frame_epochs, epoch, side="right")) - 1


def spread(name: str, epochs: np.ndarray):
    """median, lowest and highest recorded training error over the seeds at the epochs"""
    losses = recording(name).losses[np.asarray(epochs) - 1].astype(np.float64)
    return np.median(losses, axis=1), losses.min(axis=1), losses.max(axis=1)


def assert_relative(drawn_values, recorded, relative):
    values = np.array([np.nan if value is None else value for value in drawn_values], dtype=float)
    assert values.shape == recorded.shape
    assert np.abs(values / recorded - 1).max() <= relative * (1 + 1e-9)


# --- comparison ---------------------------------------------------------------------------------

def test_comparison_draws_every_net_on_one_plot_at_one_epoch(reader, decoded):
    page = reader.open()
    assert go_live(page, "comparison") == "live"
    state = drawn(page, "comparison")
    assert state["timeline"] == timeline() and state["seed"] == "median"
    assert [net["name"] for net in state["nets"]] == list(NAMES)
    assert page.locator("#comparison canvas").count() == 1   # one plot, shared axes
    slider = page.locator("#comparison .tn-slider")
    slider.focus()
    for key, presses in [("End", 1), ("Home", 1), ("PageUp", 3), ("ArrowRight", 4)]:
        for _ in range(presses):
            slider.press(key)
        state = drawn(page, "comparison")
        epoch = state["epoch"]
        for net in state["nets"]:
            frame = frame_at(net["name"], epoch)
            assert (net["frame"], net["seed"]) == (frame, shown_seed(net["name"]))
            assert net["epoch"] == recording(net["name"]).frame_epochs[frame]
            assert_drawn_prediction(net["prediction"], net["name"], frame, net["seed"], decoded)
            if net["epoch"] != epoch:
                assert net["status"].endswith(f"(shows epoch {net['epoch']:,})")
    # the followed seed's error at each net's epoch, in its legend entry
    slider.press("End")
    nets = {net["name"]: net for net in drawn(page, "comparison")["nets"]}
    for name in NAMES:   # (the file's value: within its tolerance of the recorded one)
        value = float(decoded[name].losses[list(decoded[name].seeds).index(shown_seed(name)), -1])
        recorded = float(recording(name).losses[-1, shown_seed(name)])
        assert abs(value / recorded - 1) <= decoded[name].loss_relative_tolerance * (1 + 1e-9)
        assert f"seed {shown_seed(name)} · error {float(f'{value:.3g}'):g}" in nets[name]["status"]
    assert "(shows epoch 600)" in nets["short-adam"]["status"]
    # one seed in every net
    page.select_option("#comparison .tn-select", "6")
    for net in drawn(page, "comparison")["nets"]:
        assert net["seed"] == 6
        assert_drawn_prediction(net["prediction"], net["name"], net["frame"], 6, decoded)
    explorable_shot(page, "comparison-desktop-light", "comparison")


def test_comparison_legend_hides_nets_and_brings_one_to_the_front(reader):
    page = reader.open()
    go_live(page, "comparison")
    button = page.locator("#comparison .tn-legend-button", has_text="2×10 ReLU, Adam")
    button.click()
    state = drawn(page, "comparison")
    assert state["hidden"] == ["deep-adam"] and button.get_attribute("aria-pressed") == "false"
    assert [net["shown"] for net in state["nets"]] == [True, False, True]
    page.wait_for_function("() => location.hash.includes('comparison:') && "
                           "location.hash.includes('hidden=deep-adam')")
    button.press("Enter")
    assert drawn(page, "comparison")["hidden"] == []
    # pointing at or focusing an entry draws that net over the others; leaving it, not
    assert drawn(page, "comparison")["front"] == "deep-adam"
    page.locator("#comparison .tn-legend-button").nth(0).focus()
    assert drawn(page, "comparison")["front"] == "wide-sgd"
    page.locator("#comparison .tn-select").focus()
    assert drawn(page, "comparison")["front"] is None
    page.locator("#comparison .tn-legend-button").nth(2).hover()
    assert drawn(page, "comparison")["front"] == "short-adam"


def test_comparison_restores_a_link(reader, decoded):
    page = reader.open("index.html#comparison:epoch=100,seed=4,hidden=wide-sgd+short-adam")
    assert go_live(page, "comparison") == "live"
    state = drawn(page, "comparison")
    epoch = max(value for value in timeline() if value <= 100)
    assert state["epoch"] == epoch and state["seed"] == "4" and state["playing"] is False
    assert sorted(state["hidden"]) == ["short-adam", "wide-sgd"]
    deep = state["nets"][1]
    assert deep["shown"] and deep["frame"] == frame_at("deep-adam", epoch) and deep["seed"] == 4
    assert_drawn_prediction(deep["prediction"], "deep-adam", deep["frame"], 4, decoded)


# --- comparison_losses --------------------------------------------------------------------------

def test_comparison_losses_draws_every_nets_median_and_range(reader, decoded):
    page = reader.open()
    assert go_live(page, "comparison-losses") == "live"
    state = drawn(page, "comparison-losses")
    assert state["bands"] is True and state["floor"] == pytest.approx(0.01)
    for net in state["nets"]:
        name = net["name"]
        epochs = np.array(net["epochs"])
        assert np.array_equal(epochs, decoded[name].loss_epochs)
        median, low, high = spread(name, epochs)
        relative = decoded[name].loss_relative_tolerance
        assert_relative(net["median"], median, relative)
        assert_relative(net["low"], low, relative)
        assert_relative(net["high"], high, relative)
        # the median line on the chart's shared epochs: the net's median where it has a value
        line = dict(zip(state["x"], net["line"]))
        assert [line[epoch] for epoch in net["epochs"]] == net["median"]
    assert state["xRange"][1] == 5000
    explorable_shot(page, "comparison-losses-desktop-light", "comparison-losses")


def test_comparison_losses_reads_a_net_under_the_pointer_and_from_the_keys(reader, decoded):
    page = reader.open()
    go_live(page, "comparison-losses")
    state = drawn(page, "comparison-losses")
    plot = state["canvas"]["plot"]
    (x_low, x_high), (y_low, y_high) = state["xRange"], state["yRange"]
    net = state["nets"][1]   # deep-adam: its median ends far below the others
    at = len(net["epochs"]) - 40
    epoch, value = net["epochs"][at], net["median"][at]
    x = plot["left"] + plot["width"] * np.log10(epoch / x_low) / np.log10(x_high / x_low)
    y = plot["top"] + plot["height"] * (1 - np.log10(value / y_low) / np.log10(y_high / y_low))
    page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('#comparison-losses .tn-readout')"
                           ".textContent !== ''")
    reading = drawn(page, "comparison-losses")["reading"]
    assert reading["name"] == "deep-adam" and abs(reading["epoch"] - epoch) <= epoch * 0.01
    median, low, high = (float(values[0]) for values in spread("deep-adam", [reading["epoch"]]))
    relative = decoded["deep-adam"].loss_relative_tolerance
    assert abs(reading["median"] / median - 1) <= relative * (1 + 1e-9)
    text = page.locator("#comparison-losses .tn-readout").text_content()
    assert text == (f"2×10 ReLU, Adam, epoch {reading['epoch']:,}: median {_three(reading['median'])}, "
                    f"range {_three(reading['low'])}–{_three(reading['high'])} over 10 seeds")
    assert abs(reading["low"] / low - 1) <= relative * (1 + 1e-9)
    assert abs(reading["high"] / high - 1) <= relative * (1 + 1e-9)
    leave_the_chart(page, "comparison-losses")
    # the keys: focus reads the first net at its last epoch; up and down change the net
    focus = page.locator("#comparison-losses .tn-chart-focus")
    focus.focus()
    reading = drawn(page, "comparison-losses")["reading"]
    assert (reading["name"], reading["epoch"]) == ("wide-sgd", 5000)
    focus.press("ArrowUp")
    reading = drawn(page, "comparison-losses")["reading"]
    assert (reading["name"], reading["epoch"]) == ("deep-adam", 5000)
    focus.press("ArrowUp")   # short-adam has no epoch 5000: its last one at or before
    reading = drawn(page, "comparison-losses")["reading"]
    assert (reading["name"], reading["epoch"]) == ("short-adam", 600)
    focus.press("Home")
    assert drawn(page, "comparison-losses")["reading"]["epoch"] == 1
    # a hidden net is not read, and its line and band are gone
    page.locator("#comparison-losses .tn-legend-button", has_text="1×16 ReLU").click()
    state = drawn(page, "comparison-losses")
    assert state["hidden"] == ["short-adam"] and state["nets"][2]["shown"] is False
    assert state["reading"] is None or state["reading"]["name"] != "short-adam"
    focus.focus()
    for _ in range(4):
        focus.press("ArrowUp")
        assert drawn(page, "comparison-losses")["reading"]["name"] != "short-adam"
    page.wait_for_function("() => location.hash.includes('comparison-losses:hidden=short-adam')")
    other = reader.open("index.html#comparison-losses:hidden=wide-sgd+deep-adam")
    go_live(other, "comparison-losses")
    assert sorted(drawn(other, "comparison-losses")["hidden"]) == ["deep-adam", "wide-sgd"]


def _three(value: float) -> str:
    value = float(f"{value:.3g}")
    if abs(value) < 1e-3:
        mantissa, exponent = f"{value:.2e}".split("e")
        return (mantissa.rstrip("0").rstrip(".") + "e" + str(int(exponent))).replace("-", "\u2212")
    return f"{value:g}"


# --- compare's shared loss plot -----------------------------------------------------------------

def test_compare_shows_a_shared_loss_plot_only_when_asked(reader, decoded):
    page = reader.open()
    for identifier in ("compare-shared-losses", "compare-plain"):
        assert go_live(page, identifier) == "live"
    assert "losses" not in drawn(page, "compare-plain")   # the default: as before
    assert page.locator("#compare-plain .tn-shared-losses").count() == 0
    state = drawn(page, "compare-shared-losses")
    losses = state["losses"]
    assert losses["bands"] is False
    for net in losses["nets"]:
        median, _, _ = spread(net["name"], np.array(net["epochs"]))
        assert_relative(net["median"], median, decoded[net["name"]].loss_relative_tolerance)
    slider = page.locator("#compare-shared-losses .tn-slider")
    slider.focus()
    slider.press("End")
    for _ in range(3):
        slider.press("PageDown")
    state = drawn(page, "compare-shared-losses")
    marks = {mark["name"]: mark for mark in state["losses"]["markers"]}
    for net in state["nets"]:   # a dot on each net's median at the epoch its panel shows
        mark = marks[net["name"]]
        assert mark["epoch"] == net["epoch"]
        median, _, _ = spread(net["name"], [net["epoch"]])
        assert abs(mark["value"] / median[0] - 1) <= \
            decoded[net["name"]].loss_relative_tolerance * (1 + 1e-9)
    page.locator("#compare-shared-losses .tn-legend-button", has_text="1×60").click()
    losses = drawn(page, "compare-shared-losses")["losses"]
    assert [net["shown"] for net in losses["nets"]] == [False, True, True]
    assert "wide-sgd" not in {mark["name"] for mark in losses["markers"]}
    focus = page.locator("#compare-shared-losses .tn-chart-focus")
    focus.focus()
    assert drawn(page, "compare-shared-losses")["losses"]["reading"]["name"] == "deep-adam"
    assert page.locator("#compare-shared-losses .tn-shared-losses .tn-readout").text_content() \
        .startswith("2×10 ReLU, Adam, epoch 5,000: median ")
    explorable_shot(page, "compare-shared-losses-desktop-light", "compare-shared-losses")


# --- Looks ----------------------------------------------------------------------------------------

def test_palette_switch_recolours_the_comparisons(reader):
    page = open_with_figures(reader, LIVE)
    before = {identifier: drawn(page, identifier)["theme"] for identifier in LIVE}
    switch_scheme(page, "slate", "comparison")
    for identifier in LIVE:
        report = drawn(page, identifier)["theme"]
        assert report["scheme"] == "slate" and report["background"] != before[identifier]["background"]
        assert report["ink"]["contrast"] >= 4.5 and report["muted"]["contrast"] >= 4.5
        assert all(entry["contrast"] >= 3 for entry in report["nets"].values())
        explorable_shot(page, f"{identifier}-desktop-dark", identifier)
    switch_scheme(page, "default", "comparison")
    assert drawn(page, "comparison-losses")["theme"] == before["comparison-losses"]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_width_keeps_the_comparisons_legible(phone, scheme):
    page = open_live_on_phone(phone, scheme, LIVE)
    for identifier in LIVE:
        state = assert_fits_the_phone(page, identifier)
        assert min(drawn_font_sizes(state)) >= 12
        for canvas in drawn_canvases(state):
            assert canvas["ratio"] == 2 and canvas["cssWidth"] <= PHONE_WIDTH - 16
        explorable_shot(page, f"{identifier}-phone-{scheme_name(scheme)}", identifier)


def test_a_damaged_file_or_one_without_losses_keeps_the_fallback(reader):
    open_keeping_fallbacks(reader, ("comparison-corrupt", "comparison-losses-without-losses"))
    assert warned_damaged(reader.warnings, "comparison-corrupt", "data/corrupt.tnfd")
    assert "tinynets figures: #comparison-losses-without-losses: comparison_losses needs the " \
           "losses of wide-sgd; showing the fallback" in reader.warnings


def test_reduced_motion_keeps_the_comparison_still(browser, server):  # noqa: F811
    with still_and_moving(browser, server) as (still, moving):
        page = still.open()
        go_live(page, "comparison")
        page.wait_for_timeout(1000)
        assert drawn(page, "comparison")["playing"] is False
        page.locator("#comparison .tn-play").click()   # the reader may still play it
        page.wait_for_function("() => document.getElementById('comparison').tnFigure.drawn()"
                               ".index < 166")
        page = moving.open()
        go_live(page, "comparison")
        wait_until_playing(page, "comparison")
