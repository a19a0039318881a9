"""Sweeps: their figure data round-trips (Python), and the live kinds sweep_heatmap, sweep_plot
and sweep_grid draw what was recorded (Chromium driven by Playwright).

The sweep is real and small (tests/figure_recordings.py: 1×4 and 1×24 ReLU nets trained by SGD
at rates 0.01, 0.1 and 0.5 on a noisy sine, 3 seeds, 400 epochs, 24 frames, trained together
per width as the build trains a sweep), so its cells end in every state: near the floor, in
between, stuck, and one with a diverged seed. One file holds the whole sweep; the three kinds
read it. Screenshots land in test-artifacts/explorable-sweep/.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_harness import build_page
from figure_recordings import (SWEEP_DATA, SWEEP_SEEDS, SWEEP_VALUES, sweep_cell_finals,
                               sweep_cells, sweep_recordings, sweep_spec)
from figure_watch import (assert_fits_the_phone, assert_sharp, browser, drawn,  # noqa: F401
                          fetched_from_the_server, go_live, open_keeping_fallbacks,
                          open_live_on_phone, open_with_figures, phone, reader, scheme_name, shot,
                          still_and_moving, switch_scheme, tab_through, to_frame,
                          wait_until_playing, warned_damaged)

from support import REPO
from tinynets.media import figure_data, figure_sweep_data

ARTIFACTS = REPO / "test-artifacts" / "explorable-sweep"
NEAR, STUCK = 2 * SWEEP_DATA.noise_floor, 5 * SWEEP_DATA.noise_floor


# --- The data file (Python) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sweep_file():
    """(bytes, FigureData) of the sweep's file."""
    content = figure_data.encode(sweep_cells())
    return content, figure_data.read(content)


def shown_column(index: int) -> int:
    from tinynets.measure.finals import representative_seed

    return SWEEP_SEEDS.index(representative_seed(list(SWEEP_SEEDS), sweep_cell_finals(index)))


def test_every_cell_keeps_its_place_finals_and_median_seed(sweep_file):
    _, data = sweep_file
    spec = sweep_spec()
    assert len(data.nets) == len(spec.cells) == 6
    for index, (net, record) in enumerate(zip(data.nets, data.header["nets"])):
        recording = sweep_recordings()[index]
        info = record["sweep"]
        assert info["name"] == "width-rate" and info["label"] == "Width × rate, SGD"
        assert info["keys"] == [
            {"key": "layers", "name": "hidden layers", "values": [[4], [24]],
             "texts": ["1×4", "1×24"]},
            {"key": "learning_rate", "name": "learning rate", "values": [0.01, 0.1, 0.5],
             "texts": ["0.01", "0.1", "0.5"]}]
        assert info["cell"] == [index // 3, index % 3]
        assert info["near_floor_limit"] == pytest.approx(NEAR)
        assert info["stuck_limit"] == pytest.approx(STUCK)
        finals = np.array(sweep_cell_finals(index))
        # the finals exactly as recorded (float32), +inf for a diverged seed
        assert np.array_equal(net.extra["final_losses"], finals.astype(np.float32))
        assert info["stuck"] == int(sum(1 for value in finals if not value <= STUCK))
        assert info["diverged"] == int((~np.isfinite(finals)).sum())
        # the median seed's predictions only, within their stated tolerance
        column = shown_column(index)
        assert record["shown_seed"] == SWEEP_SEEDS[column]
        shown = net.extra["shown_predictions"]
        assert shown.shape == (24, 240) and net.predictions is None
        tolerance = record["arrays"]["shown_predictions"]["tolerance"]
        assert np.abs(shown - recording.predictions[:, column]).max() <= tolerance * (1 + 1e-9)
        # every seed's training error at the kept epochs: frames, a log-spaced sample, the last
        kept = net.loss_epochs
        assert set(recording.frame_epochs[1:].tolist()) <= set(kept.tolist()) and kept[-1] == 400
        assert len(kept) <= figure_sweep_data.SWEEP_LOSS_SAMPLES + 24
        recorded = recording.losses[kept - 1].T.astype(np.float64)
        finite = np.isfinite(recorded)
        relative = record["arrays"]["losses"]["relative_tolerance"]
        assert np.abs(net.losses[finite] / recorded[finite] - 1).max() <= relative * (1 + 1e-9)
        assert np.isnan(net.losses[~finite]).all()
    states = [(info["sweep"]["stuck"], info["sweep"]["diverged"]) for info in data.header["nets"]]
    assert (3, 1) in states and (0, 0) in states   # a diverged seed, and a cell with none stuck


def test_the_cells_share_their_grid_points_and_truth(sweep_file):
    content, data = sweep_file
    records = data.header["nets"]
    for name in ("grid", "points_x", "points_y", "truth"):
        assert len({record["arrays"][name]["offset"] for record in records}) == 1, name
    alone = sum(len(figure_data.encode([cell])) for cell in sweep_cells())
    assert len(content) < alone
    # and the file is a few kilobytes a cell (measured: 1.9 KB here; the default post's
    # 12-cell sweep of 10 seeds × 60 frames × 1,500 epochs is 57 KB, 41 KB at 4 seeds)
    assert len(content) < 6 * 4000


def test_sweep_keys_word_their_values():
    spec = sweep_spec()
    info = figure_sweep_data.sweep_info(spec, near_floor=2.0, stuck=5.0, noise_floor=None)
    assert (info.near_floor_limit, info.stuck_limit) == (None, None)
    assert [key.texts for key in info.keys] == [("1×4", "1×24"), ("0.01", "0.1", "0.5")]
    assert tuple(SWEEP_VALUES) == tuple(key.key for key in info.keys)


def test_a_cell_with_wrong_finals_is_refused():
    import dataclasses

    cell = sweep_cells()[0]
    with pytest.raises(ValueError, match=r"cell 'width-rate\[layers=4,learning_rate=0.01\]': "
                                         r"final losses have shape \(2,\), expected \(3,\) "
                                         r"\(one per seed\)"):
        figure_data.encode([dataclasses.replace(cell, final_losses=np.array([0.1, 0.2]))])


# --- The browser ------------------------------------------------------------------------------

FIGURES = [
    ("sweep-heatmap", "sweep_heatmap", ["data/sweep.tnfd"], "Median final error per cell", False),
    ("sweep-plot", "sweep_plot", ["data/sweep.tnfd"], "Final error against width", False),
    ("sweep-grid", "sweep_grid", ["data/sweep.tnfd"], "Every cell learning", True),
    ("sweep-damaged", "sweep_grid", ["data/sweep-damaged.tnfd"], "A damaged sweep file", False),
    ("sweep-as-net", "figure", ["data/sweep.tnfd"], "A sweep file given to figure", False),
]
LIVE = ("sweep-heatmap", "sweep-plot", "sweep-grid")


@pytest.fixture(scope="module")
def server(browser, sweep_file, tmp_path_factory):
    from browser_support import SiteServer

    content, _ = sweep_file
    data = {"sweep.tnfd": content, "sweep-damaged.tnfd": content[: len(content) // 2]}
    site = build_page(tmp_path_factory.mktemp("sweep") / "site", FIGURES, data)
    with SiteServer(site) as running:
        yield running


def three(value: float) -> str:
    return str(float(f"{value:.3g}")) if np.isfinite(value) else "diverged"


def medians() -> list[float]:
    return [float(np.median(np.array(sweep_cell_finals(index), dtype=np.float32)
                            .astype(np.float64))) for index in range(6)]


def luminance(css: str) -> float:
    red, green, blue = (float(part) / 255 for part in css[css.index("(") + 1:-1].split(",")[:3])
    channel = lambda v: v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@pytest.mark.browser
def test_the_heatmap_shows_each_cells_median_and_marks(reader, sweep_file):
    _, data = sweep_file
    page = reader.open()
    assert go_live(page, "sweep-heatmap") == "live"
    assert page.locator("#sweep-heatmap video").count() == 0
    state = drawn(page, "sweep-heatmap")
    expected = medians()
    assert [cell["position"] for cell in state["cells"]] == list(range(6))
    for cell, median, record in zip(state["cells"], expected, data.header["nets"]):
        assert cell["median"] == pytest.approx(median, rel=1e-12)
        stuck = record["sweep"]["stuck"]
        assert cell["text"] == three(median) + (f"▲{stuck}" if stuck else "")
        assert cell["textContrast"] >= 4.5
        assert f"median final training error {three(median)}" in cell["ariaLabel"]
    assert state["cells"][2]["ariaLabel"] == (
        f"1×4, learning rate 0.5: median final training error {three(expected[2])}; "
        "of 3 seeds 1 diverged, 2 stuck")
    # lower error, darker colour: the log scale orders the cells
    by_median = sorted(state["cells"], key=lambda cell: cell["median"])
    lightness = [luminance(cell["background"]) for cell in by_median]
    assert lightness == sorted(lightness) and lightness[0] < lightness[-1]
    low, high = state["range"]
    assert low == pytest.approx(min(min(expected), SWEEP_DATA.noise_floor))
    assert high == pytest.approx(max(expected))
    legend = state["legend"]
    assert legend["log"] is True and legend["title"] == "median final training error (log scale)"
    assert legend["marks"] == [{"value": pytest.approx(0.01), "label": "noise floor",
                                "dashed": True}]
    note = page.locator("#sweep-heatmap .tn-heatmap-note").text_content()
    assert note.startswith("▲n: n of the 3 seeds stuck (final error above 0.05) or diverged")
    assert "noise floor 0.01" in note
    # the best cell is selected at first
    assert state["selected"]["position"] == int(np.argmin(expected))
    shot(page, ARTIFACTS, "heatmap-desktop-light", "sweep-heatmap")


def band_of(index: int, kept: np.ndarray):
    losses = sweep_recordings()[index].losses[kept - 1].astype(np.float64)   # (kept, seeds)
    finite = np.where(np.isfinite(losses), losses, np.nan)
    with np.errstate(all="ignore"):
        low, high = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    middle = np.median(np.where(np.isfinite(losses), losses, np.inf), axis=1)
    return low, middle, high


def assert_close(drawn_values, expected, relative) -> None:
    values = np.array([np.nan if value is None else value for value in drawn_values], dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert np.array_equal(np.isfinite(values), np.isfinite(expected))
    finite = np.isfinite(expected)
    assert np.abs(values[finite] / expected[finite] - 1).max() <= relative * (1 + 1e-9)


@pytest.mark.browser
def test_selecting_a_cell_shows_it_learning_and_its_loss_band(reader, sweep_file):
    _, data = sweep_file
    page = reader.open()
    go_live(page, "sweep-heatmap")
    cell = page.locator("#sweep-heatmap .tn-heatmap-cell").nth(2)   # 1×4 at 0.5: a seed diverged
    cell.click()
    assert cell.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => location.hash.includes('sweep-heatmap:cell=3')")
    for frame in (23, 0, 9):
        to_frame(page, "sweep-heatmap", frame)
        state = drawn(page, "sweep-heatmap")
        selected = state["selected"]
        assert (selected["position"], selected["frame"]) == (2, frame)
        record = data.header["nets"][2]
        tolerance = record["arrays"]["shown_predictions"]["tolerance"]
        recorded = sweep_recordings()[2].predictions[frame, shown_column(2)]
        assert np.abs(np.array(selected["prediction"], dtype=float) - recorded).max() \
            <= tolerance * (1 + 1e-9)
    band = state["selected"]["band"]
    kept = data.nets[2].loss_epochs
    assert np.array_equal(band["epochs"], kept)
    low, middle, high = band_of(2, kept)
    relative = data.header["nets"][2]["arrays"]["losses"]["relative_tolerance"]
    assert_close(band["low"], low, relative)
    assert_close(band["high"], high, relative)
    assert_close(band["median"], middle, relative)
    assert "1×4, learning rate 0.5" in state["status"] and "1 diverged, 2 stuck" in state["status"]
    # the keyboard: arrows move the selection within the table (one tab stop)
    cell.focus()
    cell.press("ArrowDown")
    state = drawn(page, "sweep-heatmap")
    assert state["selected"]["position"] == 5
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    assert drawn(page, "sweep-heatmap")["selected"]["position"] == 0
    page.keyboard.press("End")
    assert drawn(page, "sweep-heatmap")["selected"]["position"] == 2
    tab_stops = page.locator("#sweep-heatmap .tn-heatmap-cell[tabindex='0']")
    assert tab_stops.count() == 1
    page.wait_for_function("() => location.hash.includes('cell=3')")


@pytest.mark.browser
def test_a_link_restores_the_sweep_figures(reader):
    page = reader.open("index.html#sweep-heatmap:cell=5,epoch=30&sweep-plot:hidden=1+3"
                       "&sweep-grid:epoch=12")
    for identifier in LIVE:
        assert go_live(page, identifier) == "live"
    heatmap = drawn(page, "sweep-heatmap")
    frames = sweep_recordings()[4].frame_epochs
    assert heatmap["selected"]["position"] == 4
    assert heatmap["selected"]["epoch"] == max(value for value in frames if value <= 30)
    assert heatmap["playing"] is False
    plot = drawn(page, "sweep-plot")
    assert [line["shown"] for line in plot["lines"]] == [False, True, False]
    grid = drawn(page, "sweep-grid")
    assert grid["epoch"] == max(value for value in frames if value <= 12)


@pytest.mark.browser
def test_the_sweep_plot_draws_medians_and_bands_and_hides_lines(reader):
    page = reader.open()
    assert go_live(page, "sweep-plot") == "live"
    state = drawn(page, "sweep-plot")
    assert state["positions"] == [4, 24] and state["log"] == {"x": False, "y": True}
    assert state["xTicks"] == ["1×4", "1×24"]
    assert [line["text"] for line in state["lines"]] == ["learning rate 0.01", "learning rate 0.1",
                                                        "learning rate 0.5"]
    expected = medians()
    for rate, line in enumerate(state["lines"]):
        cells = [rate, 3 + rate]   # the line of a rate runs over the widths
        assert line["cells"] == cells
        for column, index in enumerate(cells):
            finals = np.array(sweep_cell_finals(index), dtype=np.float32).astype(np.float64)
            finite = finals[np.isfinite(finals)]
            assert line["median"][column] == pytest.approx(expected[index], rel=1e-12)
            assert line["low"][column] == pytest.approx(finite.min(), rel=1e-12)
            assert line["high"][column] == pytest.approx(finite.max(), rel=1e-12)
    assert state["floor"] == pytest.approx(0.01)
    low, high = state["yRange"]
    assert low < 0.01 / 1.5 and high > max(expected)
    button = page.locator("#sweep-plot .tn-legend-button", has_text="learning rate 0.1")
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert [line["shown"] for line in drawn(page, "sweep-plot")["lines"]] == [True, False, True]
    page.wait_for_function("() => location.hash.includes('sweep-plot:hidden=2')")
    button.press("Enter")
    assert all(line["shown"] for line in drawn(page, "sweep-plot")["lines"])
    # the keyboard reads a cell: focus starts at the last value of the first line
    focus = page.locator("#sweep-plot .tn-chart-focus")
    focus.focus()
    focus.press("ArrowUp")
    focus.press("ArrowLeft")
    state = drawn(page, "sweep-plot")
    assert state["reading"] == {"line": 1, "column": 0}
    line = state["lines"][1]
    assert state["readout"] == (f"hidden layers 1×4, learning rate 0.1: median final error "
                                f"{three(expected[1])} (seeds {three(line['low'][0])} to "
                                f"{three(line['high'][0])})")
    page.locator("#sweep-plot .tn-live-title").click()
    # the pointer reads the nearest line at a value
    canvas = state["canvases"][0]
    plot = canvas["plot"]
    page.mouse.move(plot["left"] + plot["width"] - 2, plot["top"] + plot["height"] * 0.05)
    page.wait_for_function("() => document.getElementById('sweep-plot').tnFigure.drawn()"
                           ".reading !== null")
    reading = drawn(page, "sweep-plot")["reading"]
    assert reading == {"line": 2, "column": 1}   # the top line at the right: rate 0.5, 1×24
    shot(page, ARTIFACTS, "plot-desktop-light", "sweep-plot")


def states_at(epoch: int) -> list[tuple[str, float, int]]:
    """Each cell's (state, error, frame) at ``epoch``, from the recordings."""
    found = []
    for index, recording in enumerate(sweep_recordings()):
        frames = recording.frame_epochs
        frame = int(np.searchsorted(frames, epoch, side="right")) - 1
        own = int(frames[frame])
        if own < 1:
            found.append(("untrained", float("nan"), frame))
            continue
        error = float(recording.losses[own - 1, shown_column(index)])
        state = ("diverged" if not np.isfinite(error) else "near floor" if error <= NEAR
                 else "stuck" if error > STUCK else "in between")
        found.append((state, error, frame))
    return found


@pytest.mark.browser
def test_grid_cells_take_their_state_at_the_shown_epoch(reader, sweep_file):
    _, data = sweep_file
    page = reader.open()
    assert go_live(page, "sweep-grid") == "live"
    timeline = drawn(page, "sweep-grid")["timeline"]
    seen = {}
    for frame in (23, 0, 6, 12, 17):
        to_frame(page, "sweep-grid", frame)
        state = drawn(page, "sweep-grid")
        epoch = timeline[frame]
        assert state["epoch"] == epoch
        expected = states_at(epoch)
        for index, (cell, (name, error, own_frame)) in enumerate(zip(state["cells"], expected)):
            assert cell["state"] == name, (epoch, index)
            assert cell["frame"] == own_frame
            if np.isfinite(error):
                relative = data.header["nets"][index]["arrays"]["losses"]["relative_tolerance"]
                assert abs(cell["error"] / error - 1) <= relative * (1 + 1e-9)
            tolerance = data.header["nets"][index]["arrays"]["shown_predictions"]["tolerance"]
            recorded = sweep_recordings()[index].predictions[own_frame, shown_column(index)]
            assert np.abs(np.array(cell["prediction"], dtype=float) - recorded).max() \
                <= tolerance * (1 + 1e-9)
            seen.setdefault(index, set()).add(name)
        counts = {name: sum(1 for value in expected if value[0] == name) for name in
                  ("near floor", "in between", "stuck", "diverged", "untrained")}
        words = {"near floor": "near the floor", "in between": "in between", "stuck": "stuck",
                 "diverged": "diverged", "untrained": "untrained (epoch 0)"}
        assert state["summary"] == f"At epoch {epoch:,}: " + ", ".join(
            f"{count} {words[name]}" for name, count in counts.items() if count) + "."
    # coloured by the state then, not by the final outcome: the 1×24 cell at rate 0.1 is stuck
    # early and near the floor at the end
    assert {"stuck", "near floor"} <= seen[4]
    colours = {cell["state"]: cell["colour"] for cell in drawn(page, "sweep-grid")["cells"]}
    assert len(set(colours.values())) == len(colours)
    key = page.locator("#sweep-grid .tn-key").text_content()
    assert all(text in key for text in ("near the floor", "in between", "stuck", "diverged"))
    assert "near the floor ≤ 0.02 < in between ≤ 0.05 < stuck" in \
        page.locator("#sweep-grid .tn-sweep-grid-keys").text_content()
    shot(page, ARTIFACTS, "grid-desktop-light", "sweep-grid")


@pytest.mark.browser
def test_the_palette_switch_recolours_the_sweep_figures(reader):
    page = open_with_figures(reader, LIVE)
    before = {identifier: drawn(page, identifier) for identifier in LIVE}
    switch_scheme(page, "slate", "sweep-grid")
    for identifier in LIVE:
        state = drawn(page, identifier)
        assert state["theme"]["scheme"] == "slate"
        assert state["theme"]["background"] != before[identifier]["theme"]["background"]
        for role in ("ink", "muted"):
            assert state["theme"][role]["contrast"] >= 4.5
    for cell in drawn(page, "sweep-heatmap")["cells"]:
        assert cell["textContrast"] >= 4.5
    assert drawn(page, "sweep-grid")["theme"]["states"] != before["sweep-grid"]["theme"]["states"]
    for identifier in LIVE:
        shot(page, ARTIFACTS, f"{identifier}-desktop-dark", identifier)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_width_keeps_the_sweep_figures_in_the_column(phone, scheme):
    page = open_live_on_phone(phone, scheme, LIVE)
    for identifier in LIVE:
        state = assert_fits_the_phone(page, identifier)
        for size in state.get("fontSizes", []):
            assert size >= 12
        for canvas in state.get("canvases", []):
            assert_sharp(canvas)
        shot(page, ARTIFACTS, f"{identifier}-phone-{scheme_name(scheme)}", identifier)
    for cell in drawn(page, "sweep-grid")["cells"]:
        assert cell["canvas"]["width"] == round(cell["canvas"]["cssWidth"] * 2)


@pytest.mark.browser
def test_reduced_motion_keeps_the_grid_still(browser, server):
    with still_and_moving(browser, server) as (still, moving):
        page = still.open()
        go_live(page, "sweep-grid")
        page.wait_for_timeout(1000)
        assert drawn(page, "sweep-grid")["playing"] is False
        page = moving.open()
        go_live(page, "sweep-grid")
        wait_until_playing(page, "sweep-grid")
        go_live(page, "sweep-heatmap")
        assert drawn(page, "sweep-heatmap")["playing"] is False


@pytest.mark.browser
def test_damaged_or_misused_sweep_data_keeps_the_fallback_and_warns(reader):
    open_keeping_fallbacks(reader, ("sweep-damaged", "sweep-as-net"))
    assert warned_damaged(reader.warnings, "sweep-damaged", "data/sweep-damaged.tnfd")
    assert "tinynets figures: #sweep-as-net: figure(net) draws one net, the data holds 6; " \
           "showing the fallback" in reader.warnings


@pytest.mark.browser
def test_sweep_controls_are_reachable_by_keyboard_with_visible_focus(reader):
    page = open_with_figures(reader, LIVE)
    page.locator("#sweep-heatmap .tn-live-title").first.click()
    reached = tab_through(page, 14)
    names = [(name, owner) for name, owner, _, _ in reached]
    assert names[:3] == [("tn-heatmap-cell", "sweep-heatmap"),
                         ("tn-button tn-play", "sweep-heatmap"), ("tn-slider", "sweep-heatmap")]
    assert ("tn-legend-button", "sweep-plot") in names and ("tn-chart-focus tn-sweep-plot-chart",
                                                            "sweep-plot") in names
    assert ("tn-slider", "sweep-grid") in names
    for name, owner, outline, width in reached:
        if owner in LIVE:
            assert outline == "solid" and width >= 2, name


@pytest.mark.browser
def test_the_sweep_page_makes_no_error_and_asks_no_other_host(reader):
    page = open_with_figures(reader, LIVE)
    requested = fetched_from_the_server(page, reader)
    # one file for the three figures of the sweep, fetched once
    assert sum(url.endswith("/data/sweep.tnfd") for url in requested) == 1
