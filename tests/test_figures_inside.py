"""figure(net, units=true) and network(net) draw the recorded weights, in Chromium.

A harness page (tests/figure_harness.py, build_kinds_harness) holds the units and network
figures of the reference post's nets and of a small tanh net, with data files written from
real recordings (tests/figure_recordings.py) by tinynets.media.figure_inside. The module
reports what it drew through ``element.tnFigure.drawn()``; these tests compare it with the
recordings in Python: unit contributions, bends (against tinynets.measure.inside.kinks, the
prose's own code) and every unit's output. Every page is watched for console errors and
requests to other hosts (the fixtures of figure_watch). Screenshots land in
test-artifacts/explorable/.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_recordings import REFERENCE_DATA, recording, shown_seed
# the browser, and a reader (desktop or phone) that fails the test on any console error, page
# error, failed request or request to another host
from figure_watch import (assert_drawn_prediction, assert_fits_the_phone,  # noqa: F401
                          assert_keeps_the_fallback, assert_sharp, browser, drawn, explorable_shot,
                          fetched_from_the_server, go_live, open_live_on_phone, open_with_figures,
                          phone, reader, scheme_name, still_and_moving, switch_scheme, tab_through,
                          to_frame, wait_until_playing)
from kinds_harness import server, site  # noqa: F401 (fixtures, by name)

from tinynets.measure import inside
from tinynets.media import figure_data
from tinynets.media.figure_inside import read_inside

pytestmark = pytest.mark.browser

X_RANGE = tuple(REFERENCE_DATA.x_range)
LIVE = ("units-wide-sgd", "units-deep-adam", "units-short-tanh", "network-deep-adam",
        "network-short-tanh")


@pytest.fixture(scope="module")
def decoded(site):
    """name → (the figure file's net, the inside file's arrays), as Python reads them"""
    return {name: (figure_data.read(site / "data" / f"{name}.tnfd").nets[0],
                   read_inside(figure_data.read(site / "data" / f"{name}-inside.tnfd")))
            for name in ("wide-sgd", "deep-adam", "short-tanh")}


def show_frame(page, identifier: str, frame: int, seed: int) -> None:
    """Pick the seed, then step the slider to the frame with the keys."""
    page.select_option(f"#{identifier} .tn-select", str(seed))
    to_frame(page, identifier, frame)


def contribution_bound(recorded_layers, tolerances, x):
    """How far v·relu(w·x + b) from the decoded weights may be from the recorded one, per
    unit and point: each weight is within its array's tolerance, relu moves a value by at most
    what its input moves."""
    (kernel, bias), (out, _) = recorded_layers
    w, b, v = kernel[0][:, None], bias[:, None], out[:, 0][:, None]
    tw, tb, tv = tolerances[0], tolerances[1], tolerances[2]
    moved = np.abs(x)[None, :] * tw + tb
    return (np.abs(v) + tv) * moved + tv * np.maximum(w * x[None, :] + b, 0)


def forward_bound(recorded_layers, tolerances, x):
    """How far every unit's output from the decoded weights may be from the recorded one, for a
    ReLU net: the tolerances carried through the layers (relu moves an output by at most what
    its input moves). Returns per hidden layer (points, units), and the output's (points,)."""
    values = np.asarray(x, dtype=np.float64)[:, None]
    error = np.zeros_like(values)
    bounds = []
    for depth, (kernel, bias) in enumerate(recorded_layers):
        tw, tb = tolerances[2 * depth], tolerances[2 * depth + 1]
        error = error @ (np.abs(kernel) + tw) + np.abs(values) @ np.full(kernel.shape, tw) + tb
        values = values @ kernel + bias
        if depth < len(recorded_layers) - 1:
            values = np.maximum(values, 0)
        bounds.append(error)
    return bounds[:-1], bounds[-1][:, 0]


# --- units: what is drawn is what was recorded --------------------------------------------------

def test_units_draw_each_units_contribution_and_the_prose_bends(reader, decoded):
    page = reader.open()
    assert go_live(page, "units-wide-sgd") == "live"
    net, weights = decoded["wide-sgd"]
    recorded = recording("wide-sgd").frame_weights
    median = shown_seed("wide-sgd")
    state = drawn(page, "units-wide-sgd")
    assert state["kind"] == "units" and (state["frame"], state["seed"]) == (149, median)
    assert state["nets"][0]["seeds"] == {}   # no other seeds' lines: the units are the context
    for frame, seed in [(149, median), (0, median), (37, 3), (100, 0)]:
        if (frame, seed) != (149, median):
            show_frame(page, "units-wide-sgd", frame, seed)
        state = drawn(page, "units-wide-sgd")
        units = state["units"]
        assert (units["frame"], units["seed"], state["frame"], state["seed"]) == (frame, seed, frame, seed)
        assert_drawn_prediction(state["nets"][0]["prediction"], "wide-sgd", frame, seed,
                                {"wide-sgd": net})
        # the ticks: the bends the prose counts (measure.inside.kinks on the recorded weights)
        prose = inside.kinks(inside.net_at(recorded, frame, seed), "relu", X_RANGE)
        ticks = np.array(units["bends"])
        assert len(ticks) == len(prose)
        assert np.array_equal(ticks, weights.bends_at(frame, seed))
        assert np.abs(ticks - prose).max(initial=0) <= weights.bend_tolerance * (1 + 1e-9)
        # every unit's line: its weights as decoded, v·relu(w·x + b) at the points drawn
        lines = units["lines"]
        assert [line["unit"] for line in lines] == list(range(60))
        layers = inside.net_at(weights.weights, frame, seed)
        original = inside.net_at(recorded, frame, seed)
        for line in lines:
            unit = line["unit"]
            assert (line["w"], line["b"], line["v"]) == (layers[0][0][0, unit],
                                                         layers[0][1][unit],
                                                         layers[1][0][unit, 0])
            x = np.array(line["x"])
            expected = inside.contributions(layers, x, "relu")[unit]
            assert np.abs(np.array(line["y"]) - expected).max() <= 1e-12
            truth = inside.contributions(original, x, "relu")[unit]
            bound = contribution_bound(original, weights.weight_tolerances, x)[unit]
            assert np.all(np.abs(np.array(line["y"]) - truth) <= bound * (1 + 1e-9) + 1e-12)
            # a ReLU unit's line is straight: the range's ends and its bend, where it has one
            bend = weights.unit_bends[frame, seed, unit]
            if np.isfinite(bend):
                assert line["bend"] == bend and x.tolist() == [-3.0, bend, 3.0]
                assert unit in units["bendUnits"]
            else:
                assert line["bend"] is None and x.tolist() == [-3.0, 3.0]
    explorable_shot(page, "units-desktop-light", "units-wide-sgd")


def test_a_deeper_nets_ticks_are_the_bends_the_prose_finds(reader, decoded):
    page = reader.open()
    assert go_live(page, "units-deep-adam") == "live"
    _, weights = decoded["deep-adam"]
    recorded = recording("deep-adam").frame_weights
    for frame, seed in [(149, shown_seed("deep-adam")), (60, 2), (5, 7)]:
        show_frame(page, "units-deep-adam", frame, seed)
        units = drawn(page, "units-deep-adam")["units"]
        assert units["lines"] is None and units["layers"] == [10, 10]
        prose = inside.kinks(inside.net_at(recorded, frame, seed), "relu", X_RANGE)
        assert len(units["bends"]) == len(prose)
        assert np.abs(np.array(units["bends"]) - prose).max(initial=0) <= \
            weights.bend_tolerance * (1 + 1e-9)


def test_a_tanh_nets_units_are_curves_and_it_has_no_ticks(reader, decoded):
    page = reader.open()
    assert go_live(page, "units-short-tanh") == "live"
    _, weights = decoded["short-tanh"]
    show_frame(page, "units-short-tanh", 20, 6)
    units = drawn(page, "units-short-tanh")["units"]
    assert units["bends"] == [] and units["tolerances"]["bends"] is None
    layers = inside.net_at(weights.weights, 20, 6)
    for line in units["lines"]:
        x = np.array(line["x"])
        assert np.array_equal(x, recording("short-tanh").grid.astype(np.float64))
        assert np.abs(np.array(line["y"]) - inside.contributions(layers, x, "tanh")[line["unit"]]
                      ).max() <= 1e-12
    assert page.locator("#units-short-tanh .tn-key-below").text_content().startswith(
        "each unit's share v·tanh(w·x + b)")


def _pixel(plot, x_range, y_range, x, y):
    return (plot["left"] + plot["width"] * (x - x_range[0]) / (x_range[1] - x_range[0]),
            plot["top"] + plot["height"] * (1 - (y - y_range[0]) / (y_range[1] - y_range[0])))


def test_pointing_at_a_line_or_a_tick_and_the_keys_read_a_unit(reader):
    page = reader.open()
    go_live(page, "units-wide-sgd")
    state = drawn(page, "units-wide-sgd")
    plot = state["canvases"][0]["plot"]
    y_range = state["nets"][0]["yRange"]
    lines = [line for line in state["units"]["lines"] if line["on"]]
    # a place on a line where no other line passes within 6 px (the pointer picks the nearest)
    def height(line, x):
        return line["v"] * max(line["w"] * x + line["b"], 0)

    chosen = None
    for x in np.linspace(-2.9, 2.9, 59):
        for line in lines:
            y = height(line, x)
            if y == 0 or not y_range[0] < y < y_range[1]:
                continue
            _, py = _pixel(plot, X_RANGE, y_range, x, y)
            gaps = [abs(py - _pixel(plot, X_RANGE, y_range, x, height(other, x))[1])
                    for other in lines if other is not line]
            if min(gaps) > 6:
                chosen = (line, x, y)
                break
        if chosen:
            break
    assert chosen, "no unit's line stands apart anywhere"
    line, x, y = chosen
    page.mouse.move(*_pixel(plot, X_RANGE, y_range, x, y))
    units = drawn(page, "units-wide-sgd")["units"]
    assert units["picked"] == {"unit": line["unit"]}
    readout = units["readout"]
    assert readout.startswith(f"unit {line['unit'] + 1} of 60: ")
    assert readout.endswith(f"in {_three(line['w'])}, bias {_three(line['b'])}, "
                            f"out {_three(line['v'])}")
    if line["bend"] is not None:
        assert f"bends at x = {_two(line['bend'])} · " in readout
    assert page.locator("#units-wide-sgd .tn-readout").first.text_content() == readout
    # the highlight stays on its unit while the frames change, and the reading follows it
    page.locator("#units-wide-sgd .tn-slider").focus()
    page.locator("#units-wide-sgd .tn-slider").press("ArrowLeft")
    units = drawn(page, "units-wide-sgd")["units"]
    earlier = units["lines"][line["unit"]]
    assert units["frame"] == 148 and units["picked"] == {"unit": line["unit"]}
    assert units["readout"].endswith(f"in {_three(earlier['w'])}, bias {_three(earlier['b'])}, "
                                     f"out {_three(earlier['v'])}")
    page.locator("#units-wide-sgd .tn-slider").press("End")

    # a tick that stands apart from the others (by 6 px): pointing at it reads its unit
    bends, owners = state["units"]["bends"], state["units"]["bendUnits"]
    pixels = [_pixel(plot, X_RANGE, y_range, bend, 0)[0] for bend in bends]
    alone = [i for i, px in enumerate(pixels)
             if all(abs(px - other) > 6 for j, other in enumerate(pixels) if j != i)]
    assert alone, "no tick stands apart"
    page.mouse.move(pixels[alone[0]], plot["top"] + plot["height"] - 3)
    assert drawn(page, "units-wide-sgd")["units"]["picked"] == {"unit": owners[alone[0]]}
    page.mouse.move(5, 5)
    assert drawn(page, "units-wide-sgd")["units"]["picked"] is None

    # the keys: focus reads the leftmost bend's unit, the arrows step along the bends
    focus = page.locator("#units-wide-sgd .tn-chart-focus").first
    focus.focus()
    assert drawn(page, "units-wide-sgd")["units"]["picked"] == {"unit": owners[0]}
    focus.press("ArrowRight")
    assert drawn(page, "units-wide-sgd")["units"]["picked"] == {"unit": owners[1]}
    focus.press("ArrowLeft")
    focus.press("ArrowLeft")   # stays at the first
    assert drawn(page, "units-wide-sgd")["units"]["picked"] == {"unit": owners[0]}
    focus.press("End")
    picked = drawn(page, "units-wide-sgd")["units"]["picked"]["unit"]
    assert picked not in owners[:-1]   # the last bend's unit, or a unit without a bend
    focus.press("Escape")
    assert drawn(page, "units-wide-sgd")["units"]["picked"] is None
    focus.press("Home")
    assert drawn(page, "units-wide-sgd")["units"]["picked"] == {"unit": owners[0]}
    page.locator("#units-wide-sgd .tn-slider").focus()   # leaving the chart clears it
    assert drawn(page, "units-wide-sgd")["units"]["picked"] is None


def _tick(value: float) -> str:
    """A number as the module's formatTick writes it."""
    if value == 0:
        text = "0"
    elif abs(value) >= 1000:
        text = f"{round(value):,}"
    elif abs(value) < 1e-3:
        mantissa, exponent = f"{value:.0e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
    else:
        text = f"{float(f'{value:.6g}'):.6g}"
    return text.replace("-", "\u2212")


def _three(value: float) -> str:
    return _tick(float(f"{value:.3g}"))


def _two(value: float) -> str:
    return _tick(round(value, 2) + 0.0)


def test_units_keep_their_state_in_the_url(reader, decoded):
    page = reader.open("index.html#units-wide-sgd:epoch=1200,seed=3")
    assert go_live(page, "units-wide-sgd") == "live"
    frames = recording("wide-sgd").frame_epochs
    frame = int(np.searchsorted(frames, 1200, side="right")) - 1
    state = drawn(page, "units-wide-sgd")
    assert (state["frame"], state["seed"], state["units"]["frame"]) == (frame, 3, frame)
    assert state["playing"] is False   # a linked moment does not play away
    page.select_option("#units-wide-sgd .tn-select", "5")
    page.wait_for_function("() => location.hash.includes('seed=5')")
    assert page.evaluate("location.hash") == f"#units-wide-sgd:epoch={frames[frame]},seed=5"


# --- network: every unit's output and every edge ------------------------------------------------

def test_network_draws_every_units_output_and_every_weight(reader, decoded):
    page = reader.open()
    assert go_live(page, "network-deep-adam") == "live"
    _, weights = decoded["deep-adam"]
    recorded = recording("deep-adam").frame_weights
    grid = recording("deep-adam").grid.astype(np.float64)
    median = shown_seed("deep-adam")
    for frame, seed in [(149, median), (0, 4), (80, 1)]:
        if (frame, seed) != (149, median):
            show_frame(page, "network-deep-adam", frame, seed)
        state = drawn(page, "network-deep-adam")
        assert (state["frame"], state["seed"]) == (frame, seed)
        assert state["columns"] == [1, 10, 10, 1]
        assert np.array_equal(np.array(state["grid"]), grid)
        layers = inside.net_at(weights.weights, frame, seed)
        hidden, output = inside.forward(layers, grid, "relu")
        true_hidden, true_output = inside.forward(inside.net_at(recorded, frame, seed), grid, "relu")
        hidden_bounds, output_bound = forward_bound(inside.net_at(recorded, frame, seed),
                                                    weights.weight_tolerances, grid)
        units = state["units"]
        assert np.array_equal(np.array(units[0][0]["y"]), grid)   # the input box: x itself
        for depth in range(2):
            for unit in range(10):
                drawn_values = np.array(units[depth + 1][unit]["y"])
                assert np.abs(drawn_values - hidden[depth][:, unit]).max() <= 1e-9
                assert np.all(np.abs(drawn_values - true_hidden[depth][:, unit])
                              <= hidden_bounds[depth][:, unit] * (1 + 1e-9) + 1e-12)
        drawn_output = np.array(units[3][0]["y"])
        assert np.abs(drawn_output - output).max() <= 1e-9
        assert np.all(np.abs(drawn_output - true_output) <= output_bound * (1 + 1e-9) + 1e-12)
        # the edges: one per weight, from every unit to every unit of the next layer
        edges = state["edges"]
        assert len(edges) == 10 + 100 + 10
        strongest = max(np.nanmax(np.abs(weights.weights[index][:, seed]))
                        for index in (0, 2, 4))
        for edge in edges:
            (column, source), (_, target) = edge["from"], edge["to"]
            weight = layers[column][0][source, target]
            assert edge["weight"] == weight
            assert edge["sign"] == ("positive" if weight >= 0 else "negative")
            assert edge["width"] == pytest.approx(0.75 + 3.25 * abs(weight) / strongest)
    # the large view shows the selected unit: the output by default, with the data
    view = state["view"]
    assert state["selected"]["column"] == 3 and view["title"] == "Output (the prediction)"
    assert np.array_equal(np.array(view["y"], dtype=float), np.array(units[3][0]["y"]))
    assert view["truth"] is not None
    explorable_shot(page, "network-desktop-light", "network-deep-adam")


def test_pointing_at_a_unit_or_the_keys_show_it_large(reader):
    page = reader.open()
    go_live(page, "network-deep-adam")
    boxes = page.locator("#network-deep-adam .tn-unit")
    assert boxes.count() == 1 + 10 + 10 + 1
    boxes.nth(1 + 10 + 3).hover()   # layer 2, unit 4
    state = drawn(page, "network-deep-adam")
    assert state["selected"] == {"column": 2, "unit": 3, "name": "layer 2, unit 4 of 10"}
    assert state["view"]["title"] == "Layer 2, unit 4 of 10"
    assert state["view"]["y"] == state["units"][2][3]["y"]
    assert state["view"]["truth"] is None
    low, high = state["units"][2][3]["scale"]
    margin = 0.08 * (high - low)
    assert state["view"]["yRange"] == pytest.approx([low - margin, high + margin])
    assert state["readout"].startswith("bias ") and " · 10 weights in, " in state["readout"]
    # the keys: one tab stop in the diagram; the arrows move between units
    unit = page.locator("#network-deep-adam .tn-unit[tabindex='0']")
    assert unit.count() == 1
    unit.focus()
    unit.press("ArrowUp")
    assert drawn(page, "network-deep-adam")["selected"]["unit"] == 2
    page.keyboard.press("ArrowLeft")
    assert drawn(page, "network-deep-adam")["selected"]["column"] == 1
    page.keyboard.press("ArrowLeft")
    state = drawn(page, "network-deep-adam")
    assert state["selected"]["column"] == 0 and state["readout"] == "x itself, \u22123\u00a0…\u00a03"
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    assert drawn(page, "network-deep-adam")["selected"]["column"] == 1
    focused = page.evaluate("() => [document.activeElement.getAttribute('class'),"
                            " getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["tn-unit", "solid"]
    # the choice goes into the URL, and a link restores it
    page.wait_for_function("() => location.hash.includes('unit=1.')")
    link = page.evaluate("location.hash")
    other = reader.open("index.html" + link.replace("epoch=5000", "epoch=100").replace(
        "seed=8", "seed=2"))
    go_live(other, "network-deep-adam")
    state = drawn(other, "network-deep-adam")
    frames = recording("deep-adam").frame_epochs
    assert state["epoch"] == frames[int(np.searchsorted(frames, 100, side="right")) - 1]
    assert state["seed"] == 2 and state["selected"]["column"] == 1


def test_a_tanh_networks_units_are_its_outputs(reader, decoded):
    page = reader.open()
    assert go_live(page, "network-short-tanh") == "live"
    _, weights = decoded["short-tanh"]
    state = drawn(page, "network-short-tanh")
    grid = np.array(state["grid"])
    hidden, output = inside.forward(inside.net_at(weights.weights, state["frame"], state["seed"]),
                                    grid, "tanh")
    for unit in range(8):
        assert np.abs(np.array(state["units"][1][unit]["y"]) - hidden[0][:, unit]).max() <= 1e-9
    assert np.abs(np.array(state["units"][2][0]["y"]) - output).max() <= 1e-9


# --- Looks, fallbacks ---------------------------------------------------------------------------

def test_palette_switch_recolours_the_inside_figures_and_keeps_contrast(reader):
    page = open_with_figures(reader, LIVE)
    before = drawn(page, "network-deep-adam")["theme"]
    pixels = page.locator("#network-deep-adam svg.tn-network").screenshot()
    switch_scheme(page, "slate", "network-deep-adam")
    for scheme in ("slate", "default"):
        for identifier in LIVE:
            report = drawn(page, identifier)["theme"]
            assert report["scheme"] == scheme
            for role in ("ink", "muted"):
                assert report[role]["contrast"] >= 4.5, (identifier, role)
            for name, entry in report["nets"].items():
                assert entry["contrast"] >= 3, (identifier, name)
        network = drawn(page, "network-deep-adam")["theme"]
        assert network["positive"]["contrast"] >= 3 and network["negative"]["contrast"] >= 3
        if scheme == "slate":
            assert network["positive"]["color"] != before["positive"]["color"] or \
                network["background"] != before["background"]
            assert page.locator("#network-deep-adam svg.tn-network").screenshot() != pixels
            explorable_shot(page, "network-desktop-dark", "network-deep-adam")
            explorable_shot(page, "units-desktop-dark", "units-wide-sgd")
            switch_scheme(page, "default", "network-deep-adam")
    assert drawn(page, "network-deep-adam")["theme"] == before


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_width_no_sideways_scroll_and_legible_text(phone, scheme):
    page = open_live_on_phone(phone, scheme, LIVE)
    assert drawn(page, "network-deep-adam")["layout"] == "stacked"
    for identifier in LIVE:
        state = assert_fits_the_phone(page, identifier)
        assert min(state["fontSizes"]) >= 12
        for canvas in state["canvases"]:
            assert_sharp(canvas)
    # the diagram's own text (SVG) is drawn at 13 px, at its real size (never scaled down)
    svg = page.evaluate("""() => {
        const svg = document.querySelector('#network-deep-adam svg.tn-network');
        const text = svg.querySelector('text');
        return [svg.getBoundingClientRect().width, Number(svg.getAttribute('width')),
                text.getBoundingClientRect().height, Number(text.getAttribute('font-size'))];
    }""")
    assert svg[0] == pytest.approx(svg[1], abs=0.5) and svg[3] >= 12 and svg[2] >= 12
    name = scheme_name(scheme)
    explorable_shot(page, f"units-phone-{name}", "units-wide-sgd")
    explorable_shot(page, f"network-phone-{name}", "network-deep-adam")


def test_reduced_motion_keeps_the_inside_figures_still(browser, server):
    with still_and_moving(browser, server) as (still, moving):
        page = still.open()
        for identifier in ("units-wide-sgd", "network-deep-adam"):
            go_live(page, identifier)
        page.wait_for_timeout(1000)
        for identifier in ("units-wide-sgd", "network-deep-adam"):
            assert drawn(page, identifier)["playing"] is False
        page = moving.open()
        for identifier in ("units-wide-sgd", "network-deep-adam"):
            go_live(page, identifier)
            wait_until_playing(page, identifier)


def test_without_weights_or_with_damaged_ones_the_fallback_stays(reader):
    page = reader.open()
    for identifier in ("units-no-weights", "network-too-wide", "network-damaged"):
        assert_keeps_the_fallback(page, identifier)
        assert page.locator(f"#{identifier} .tn-live-holder").count() == 0
    assert sorted(reader.warnings) == [   # (in the order the files arrive: sorted here)
        "tinynets figures: #network-damaged: damaged: net deep-adam: weights_2 is missing or "
        "does not hold 10 seeds × 90 values × 150 frames; showing the fallback",
        "tinynets figures: #network-too-wide: network(nets['wide-sgd']): the net has 60 hidden "
        "units; the diagram shows at most 32 legibly; showing the fallback",
        "tinynets figures: #units-no-weights: net wide-sgd has no weights (no \"inside\" arrays "
        "in its data); showing the fallback",
    ]


def test_only_the_pages_own_files_are_asked_for(reader):
    page = open_with_figures(reader, LIVE)
    requested = fetched_from_the_server(page, reader)
    for module in ("kinds/units.js", "kinds/network.js", "inside.js", "network_diagram.js"):
        assert any(url.endswith("/assets/figures/" + module) for url in requested), module
    # a net's figure file is fetched once, though its figure and its units both name it
    assert sum(url.endswith("/data/deep-adam-inside.tnfd") for url in requested) == 1


def test_the_modules_activations_are_the_prose_ones(reader):
    """figures/activations.js gives measure.inside's numbers (GELU's erf included)."""
    page = reader.open()
    values = np.concatenate([np.linspace(-6, 6, 49), [-40.0, -1e-9, 0.0, 1e-9, 35.0]])
    computed = page.evaluate("""async (values) => {
        const { ACTIVATIONS } = await import('./assets/figures/activations.js');
        return Object.fromEntries(Object.entries(ACTIVATIONS)
            .map(([name, act]) => [name, values.map(act)]));
    }""", values.tolist())
    assert sorted(computed) == sorted(inside.ACTIVATIONS)
    for name, act in inside.ACTIVATIONS.items():
        expected = act(values)
        assert np.abs(np.array(computed[name]) - expected).max() <= 1e-12 * (1 + np.abs(expected).max()), name


def test_every_control_of_the_inside_figures_is_reachable_with_visible_focus(reader):
    page = reader.open()

    def tab_from(identifier, presses):
        page.locator(f"#{identifier} .tn-live-title").click()
        reached = tab_through(page, presses)
        for name, owner, outline, width in reached:
            if owner == identifier:
                assert outline == "solid" and width >= 2, (identifier, name)
        return [name for name, owner, _, _ in reached if owner == identifier]

    for identifier in ("units-wide-sgd", "network-deep-adam"):
        go_live(page, identifier)
    # the units chart, the loss chart, then the controls
    assert tab_from("units-wide-sgd", 5) == ["tn-chart-focus", "tn-chart-focus",
                                             "tn-button tn-play", "tn-slider", "tn-select"]
    # one tab stop in the diagram (the arrows move between units), then the controls
    assert tab_from("network-deep-adam", 4) == ["tn-unit", "tn-button tn-play", "tn-slider",
                                                 "tn-select"]


def _distance_to_polyline(points: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Each point's distance to the polyline through ``line`` (both (n, 2))."""
    a, b = line[:-1][None], line[1:][None]
    p = points[:, None]
    ab = b - a
    share = np.clip(((p - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0, 1)
    return np.linalg.norm(a + share[..., None] * ab - p, axis=-1).min(axis=1)


def test_each_box_draws_its_units_values_within_a_third_of_a_pixel(reader):
    """The diagram leaves out points that lie on the line drawn: every value still lies within
    a third of a pixel of the path (and a twentieth for the path's one-decimal rounding)."""
    page = reader.open()
    go_live(page, "network-deep-adam")
    page.locator("#network-deep-adam .tn-slider").focus()
    page.locator("#network-deep-adam .tn-slider").press("PageDown")
    state = drawn(page, "network-deep-adam")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#network-deep-adam .tn-unit'), (unit) => {
            const box = unit.querySelector('rect');
            return [['x', 'y', 'width', 'height'].map((name) => Number(box.getAttribute(name))),
                    unit.querySelector('path').getAttribute('d')];
        })""")
    units = [unit for column in state["units"] for unit in column]
    assert len(boxes) == len(units) == 22
    kept = 0
    for ((x0, y0, width, height), path), unit in zip(boxes, units):
        values = np.array(unit["y"], dtype=float)
        low, high = unit["scale"]
        share = np.clip((values - low) / (high - low), 0, 1) if high > low else np.full_like(values, 0.5)
        expected = np.column_stack([x0 + 3 + np.linspace(0, 1, len(values)) * (width - 6),
                                    y0 + height - 3 - share * (height - 6)])
        line = np.array([[float(number) for number in point.split()]
                         for point in path.replace("M", "L").split("L") if point])
        assert _distance_to_polyline(expected, line).max() <= 0.33 + 0.08
        kept += len(line)
    assert kept < 22 * 240 / 3   # and the paths are much shorter than the grid
