"""Nets on the plane: their figure data round-trips (Python), and the live kinds plane,
plane_compare and plane_loss draw what was recorded (Chromium driven by Playwright).

The recordings are real and small (tests/figure_recordings.py: a spiral learned by a 1×12 ReLU
net and by a 2×8 tanh net seeing five features, a waves surface regressed by a 1×10 ReLU net;
three seeds, 200 epochs, 30 frames), trained by the engine in this process. A plane net's file
keeps its weights at the frames; the browser computes the field from them as
tinynets.media.plane_field does, and the file states how far that field may be from the
recorded predictions (its ``tolerance``, at most PLANE_TOLERANCE). The tests read back what
the module drew (``element.tnFigure.drawn()``, and the canvas' pixels) and compare it with the
recording. Screenshots land in test-artifacts/explorable-plane/.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from figure_harness import build_page
from figure_recordings import (PLANE_NETS, PLANE_SEEDS, plane_net, plane_recording,
                               plane_shown_seed)
from figure_watch import (PHONE_WIDTH, assert_fits_the_phone, assert_sharp, browser,  # noqa: F401
                          drawn, drawn_canvases, drawn_font_sizes, fetched_from_the_server, go_live,
                          open_keeping_fallbacks, open_live_on_phone, open_with_figures, phone,
                          reader, scheme_name, shot, still_and_moving, switch_scheme, tab_through,
                          to_frame, wait_until_playing, warned_damaged)

from support import REPO
from tinynets.media import figure_data, figure_plane_data
from tinynets.media.plane_field import fields, hidden_and_output, inputs_of, layers_of
from tinynets.media.quantised import quantise

ARTIFACTS = REPO / "test-artifacts" / "explorable-plane"
SLACK = 1e-6  # the browser's float64 sums against numpy's, the inputs' float32 rounding


# --- The data file (Python) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def files():
    """name → (the file's bytes, its decoded net, its header record)."""
    made = {}
    for name in PLANE_NETS:
        content = figure_data.encode([plane_net(name)])
        decoded = figure_data.read(content)
        made[name] = (content, decoded.nets[0], decoded.header["nets"][0])
    return made


def decoded_weights(net) -> list[np.ndarray]:
    """The file's weights as the recording holds them: (frames, seeds, *shape) each."""
    count = len([name for name in net.extra if name.startswith("frame_weight_")])
    return [np.moveaxis(net.extra[f"frame_weight_{index}"], -1, 0) for index in range(count)]


@pytest.mark.parametrize("name", list(PLANE_NETS))
def test_the_field_from_the_files_weights_is_the_recorded_one(files, name):
    _, net, header = files[name]
    record = plane_recording(name)
    data = PLANE_NETS[name][0]
    assert header["tolerance"] <= figure_plane_data.PLANE_TOLERANCE
    lowest, highest = figure_plane_data.PLANE_BITS
    assert lowest <= header["weight_bits"] <= highest
    drawn_field = fields(decoded_weights(net), record.grid, data.features, header["activation"],
                         data.classification)
    difference = np.abs(drawn_field - record.predictions)
    assert difference.max() <= header["tolerance"] * (1 + 1e-9)
    # the stated tolerance is the measured largest difference, not a loose bound
    assert difference.max() == pytest.approx(header["tolerance"], rel=1e-9)
    # each weight within half a step of the recorded one
    for index, (mine, recorded) in enumerate(zip(decoded_weights(net), record.frame_weights)):
        step = header["arrays"][f"frame_weight_{index}"]["tolerance"]
        assert np.abs(mine - recorded).max() <= step * (1 + 1e-9)


@pytest.mark.parametrize("name", list(PLANE_NETS))
def test_points_grid_and_curves_round_trip(files, name):
    from tinynets.engine.plane import plane_arrays

    _, net, header = files[name]
    record = plane_recording(name)
    data = PLANE_NETS[name][0]
    split = plane_arrays(data)
    side = header["side"]
    grid = np.stack([np.tile(net.extra["grid_x1"], side), np.repeat(net.extra["grid_x2"], side)], 1)
    assert np.array_equal(grid, record.grid)
    assert np.array_equal(net.extra["points"], split.points_train)
    assert np.array_equal(net.extra["targets"], split.y_train)
    assert np.array_equal(net.extra["test_points"], split.points_test)
    assert np.array_equal(net.extra["test_targets"], split.y_test)
    assert header["dimensions"] == 2 and header["classification"] == data.classification
    assert header["features"] == list(data.features)
    assert header["layers"] == list(PLANE_NETS[name][1])
    assert header["activation"] == PLANE_NETS[name][2]
    assert header["shown_seed"] == plane_shown_seed(name)
    assert header["axis_names"] == ["x1", "x2"] and header["class_names"] == ["class 0", "class 1"]
    kept = net.loss_epochs
    assert set(record.frame_epochs[1:].tolist()) <= set(kept.tolist()) and kept[-1] == 200
    for array, recorded in (("losses", record.losses), ("test_losses", record.test_losses)):
        values = net.losses if array == "losses" else net.extra[array]
        relative = header["arrays"][array]["relative_tolerance"]
        assert np.abs(values / recorded[kept - 1].T - 1).max() <= relative * (1 + 1e-9)
    if data.classification:
        for array, recorded, count in (("accuracy", record.accuracy, data.training_count),
                                       ("test_accuracy", record.test_accuracy, data.test_count)):
            values = net.extra[array]
            assert np.abs(values - recorded[kept - 1].T).max() <= 0.5 / 4095 * (1 + 1e-9)
            # accuracies are shares of the points: rounding gives back the counts exactly
            assert np.array_equal(np.rint(values * count), np.rint(recorded[kept - 1].T * count))
    else:
        assert "accuracy" not in net.extra


def test_weights_cost_less_than_the_predictions_they_replace(files):
    """Drawing from predictions would keep 4,096 values per seed and frame: even at 8 bits (a
    tolerance of 1/510) and second differences, they deflate to more than the whole file."""
    import gzip

    for name in PLANE_NETS:
        content, _, _ = files[name]
        predictions = plane_recording(name).predictions.astype(np.float64)
        packed = quantise(predictions, bits=8, differences=2,
                          window=(float(predictions.min()), float(predictions.max())))
        assert len(content) < len(gzip.compress(packed.stream, 9)), name


def test_a_plane_file_is_read_by_the_one_dimensional_reader_too(files):
    _, net, _ = files["spiral-relu"]
    assert net.predictions is None and net.grid is None and net.points_x is None
    assert net.frame_epochs.tolist() == plane_recording("spiral-relu").frame_epochs.tolist()
    assert {"frame_weight_0", "frame_weight_3", "grid_x1", "points", "test_targets"} \
        <= set(net.extra)
    assert not any(name.endswith("_missing") for name in net.extra)


def test_a_diverged_seed_is_left_out_of_the_tolerance_and_drawn_as_gaps():
    import dataclasses

    net = plane_net("spiral-relu")
    weights = [array.copy() for array in net.frame_weights]
    predictions = net.predictions.copy()
    # seed 1 grows without bound from frame 20 and is NaN from frame 25 on
    for array in weights:
        array[20:25, 1] *= 1e6
        array[25:, 1] = np.nan
    predictions[25:, 1] = np.nan
    broken = dataclasses.replace(net, frame_weights=weights, predictions=predictions)
    header = figure_data.read(figure_data.encode([broken])).header["nets"][0]
    decoded = figure_data.read(figure_data.encode([broken])).nets[0]
    assert header["tolerance_excludes"] == [1]
    assert header["tolerance"] <= figure_plane_data.PLANE_TOLERANCE   # the other seeds keep theirs
    weights_back = decoded_weights(decoded)
    assert np.isnan(weights_back[0][25:, 1]).all() and np.isfinite(weights_back[0][:, 0]).all()
    assert header["arrays"]["frame_weight_0"]["clipped"] > 0


def test_bad_plane_input_is_refused_with_what_to_fix():
    import dataclasses

    net = plane_net("spiral-relu")
    with pytest.raises(ValueError, match=r"net 'spiral-relu': the grid is not rows of x2 with x1 "
                                         r"varying fastest"):
        figure_data.encode([dataclasses.replace(net, grid=net.grid[:, ::-1])])
    with pytest.raises(ValueError, match=r"net 'spiral-relu': the grid must be side² points of "
                                         r"\(x1, x2\), got shape \(4095, 2\)"):
        figure_data.encode([dataclasses.replace(net, grid=net.grid[:-1])])
    with pytest.raises(ValueError, match=r"net 'spiral-relu': shown seed 7 is not one of its "
                                         r"seeds"):
        figure_data.encode([dataclasses.replace(net, shown_seed=7)])
    with pytest.raises(ValueError, match=r"net 'spiral-relu': test_losses have shape \(199, 3\), "
                                         r"expected \(epochs, seeds\) = \(200, 3\)"):
        figure_data.encode([dataclasses.replace(net, test_losses=net.test_losses[1:])])


# --- The browser ------------------------------------------------------------------------------

FIGURES = [
    ("plane-relu", "plane", ["data/spiral-relu.tnfd"], "1×12 ReLU learning the spiral", True),
    ("plane-tanh", "plane", ["data/spiral-tanh.tnfd"], "2×8 tanh on five features", False),
    ("plane-waves", "plane", ["data/waves-relu.tnfd"], "1×10 ReLU regressing waves", False),
    ("plane-loss", "plane_loss", ["data/spiral-relu.tnfd"], "Error and accuracy of 1×12 ReLU",
     False),
    ("plane-compare", "plane_compare", ["data/spiral-relu.tnfd", "data/spiral-tanh.tnfd"],
     "Two nets on the spiral", False),
    ("plane-damaged", "plane", ["data/plane-damaged.tnfd"], "A damaged plane file", True),
    ("plane-as-line", "figure", ["data/spiral-relu.tnfd"], "A plane file given to figure", False),
]
LIVE = ("plane-relu", "plane-tanh", "plane-waves", "plane-loss", "plane-compare")
FILES = {"plane-relu": "spiral-relu", "plane-tanh": "spiral-tanh", "plane-waves": "waves-relu"}


@pytest.fixture(scope="module")
def server(browser, files, tmp_path_factory):
    from browser_support import SiteServer

    data = {f"{name}.tnfd": content for name, (content, _, _) in files.items()}
    whole = data["spiral-relu.tnfd"]
    data["plane-damaged.tnfd"] = whole[: len(whole) // 2]
    site = build_page(tmp_path_factory.mktemp("plane") / "site", FIGURES, data)
    with SiteServer(site) as running:
        yield running


def recorded_field(name: str, frame: int, seed: int) -> np.ndarray:
    return plane_recording(name).predictions[frame, PLANE_SEEDS.index(seed)].astype(np.float64)


def assert_field(values, name: str, frame: int, seed: int, header: dict) -> None:
    drawn_values = np.array([np.nan if value is None else value for value in values])
    assert drawn_values.shape == (header["side"] ** 2,)
    assert np.abs(drawn_values - recorded_field(name, frame, seed)).max() \
        <= header["tolerance"] + SLACK


def percent(value: float) -> str:
    return f"{round(float(value) * 1000) / 10:g}%"


@pytest.mark.browser
@pytest.mark.parametrize("identifier", ["plane-relu", "plane-tanh", "plane-waves"])
def test_the_drawn_field_is_the_recorded_one(reader, files, identifier):
    name = FILES[identifier]
    _, net, header = files[name]
    page = reader.open()
    assert go_live(page, identifier) == "live"
    assert page.locator(f"#{identifier} video").count() == 0
    median = plane_shown_seed(name)
    record = plane_recording(name)
    state = drawn(page, identifier)
    assert (state["seed"], state["frame"], state["epoch"]) == (median, 29, 200)
    data = PLANE_NETS[name][0]
    for frame, seed in [(29, median), (0, median), (7, 0), (18, 1), (29, 2)]:
        page.select_option(f"#{identifier} .tn-select", str(seed))
        to_frame(page, identifier, frame)
        state = drawn(page, identifier)
        assert (state["frame"], state["seed"]) == (frame, seed)
        assert_field(state["field"]["values"], name, frame, seed, header)
        # the browser computes what numpy computes from the same weights
        layers = layers_of(decoded_weights(net), [frame], [PLANE_SEEDS.index(seed)])
        python = hidden_and_output(layers, inputs_of(record.grid, data.features),
                                   header["activation"], data.classification)[1][0, 0]
        assert np.abs(np.array(state["field"]["values"]) - python).max() <= SLACK
        epoch = int(record.frame_epochs[frame])
        if epoch == 0:
            assert "untrained" in state["status"]
        elif data.classification:
            column = PLANE_SEEDS.index(seed)
            assert f"test accuracy {percent(record.test_accuracy[epoch - 1, column])}" \
                   in state["status"]
            assert f"(training {percent(record.accuracy[epoch - 1, column])})" in state["status"]
    legend = state["legend"]
    if data.classification:
        assert legend["title"] == "probability of class 1 (purple)"
        assert (legend["low"], legend["high"]) == (0, 1)
        assert legend["marks"] == [{"value": 0.5, "label": "decision boundary"}]
    else:
        assert legend["title"] == "predicted value" and legend["marks"] == []
        high = float(max(np.abs(net.extra["targets"]).max(),
                         np.abs(net.extra["test_targets"]).max()))
        assert legend["low"] == pytest.approx(-high) and legend["high"] == pytest.approx(high)
        assert state["field"]["boundary"] == []   # no decision boundary on a regression
    shot(page, ARTIFACTS, f"{identifier}-desktop-light", identifier)


def bilinear(values: np.ndarray, side: int, row: float, column: float) -> float:
    image = values.reshape(side, side)
    r0, c0 = min(side - 2, int(math.floor(row))), min(side - 2, int(math.floor(column)))
    fr, fc = row - r0, column - c0
    return float((image[r0, c0] * (1 - fc) + image[r0, c0 + 1] * fc) * (1 - fr)
                 + (image[r0 + 1, c0] * (1 - fc) + image[r0 + 1, c0 + 1] * fc) * fr)


PIXEL = """([id, x, y]) => {
  const canvas = document.querySelector('#' + id + ' .tn-plane-canvas');
  return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
}"""


@pytest.mark.browser
def test_every_pixel_of_the_field_takes_its_colour_from_the_map(reader, files):
    """With the points hidden, the canvas' pixels at sampled places are the map's colour of the
    recorded field there (bilinear between the grid's four nearest values)."""
    name = "spiral-tanh"
    _, _, header = files[name]
    page = reader.open()
    go_live(page, "plane-tanh")
    for box in ("training points", "test points"):
        page.locator("#plane-tanh .tn-toggle", has_text=box).locator("input").uncheck()
    to_frame(page, "plane-tanh", 21)
    state = drawn(page, "plane-tanh")
    assert state["field"]["points"] == {"training": 0, "test": 0}
    seed = state["seed"]
    recorded = recorded_field(name, 21, seed)
    lut = np.array(state["lut"]["rgb"]).reshape(-1, 3)
    low, high = state["lut"]["low"], state["lut"]["high"]
    image = state["field"]["image"]
    side = header["side"]
    tolerance = header["tolerance"] + SLACK
    u0, u1, v0, v1 = state["field"]["bounds"]
    to_x = lambda u: (u - u0) / (u1 - u0) * image["pixels"]  # noqa: E731
    to_y = lambda v: (1 - (v - v0) / (v1 - v0)) * image["rows"]  # noqa: E731
    segments = np.array([[to_x(a), to_y(b), to_x(c), to_y(d)]
                         for a, b, c, d in state["field"]["boundary"]])

    def near_the_line(x: float, y: float) -> bool:   # the boundary is drawn over the field
        start, end = segments[:, :2], segments[:, 2:]
        along = end - start
        lengths = np.maximum((along ** 2).sum(1), 1e-12)
        t = np.clip(((np.array([x, y]) - start) * along).sum(1) / lengths, 0, 1)
        closest = start + t[:, None] * along
        return bool((np.hypot(*(closest - [x, y]).T) < 4).any())

    def index(v: float) -> int:   # the map's entry of a value
        last = len(lut) - 1
        return int(np.clip(round((v - low) / (high - low) * last), 0, last))

    rng = np.random.default_rng(0)
    checked = 0
    for x, y in zip(rng.integers(0, image["pixels"], 60), rng.integers(0, image["rows"], 60)):
        if near_the_line(x + 0.5, y + 0.5):
            continue
        column = min(side - 1, (x + 0.5) / image["pixels"] * (side - 1))
        row = min(side - 1, max(0.0, (1 - (y + 0.5) / image["rows"]) * (side - 1)))
        value = bilinear(recorded, side, row, column)
        allowed = lut[index(value - tolerance):index(value + tolerance) + 1]
        pixel = np.array(page.evaluate(PIXEL, ["plane-tanh", int(image["left"] + x),
                                               int(image["top"] + y)]))
        assert (np.abs(allowed - pixel).max(axis=1) <= 1).any(), (x, y, value, pixel)
        checked += 1
    assert checked >= 40


def crossings(values: np.ndarray, x1: np.ndarray, x2: np.ndarray) -> dict:
    """Where the grid's edges cross 0.5 (as the marching squares draw them): edge → (u, v)."""
    side = len(x1)
    image = values.reshape(side, side)
    found = {}
    for row in range(side):
        for column in range(side):
            for (r2, c2), kind in (((row, column + 1), "h"), ((row + 1, column), "v")):
                if r2 >= side or c2 >= side:
                    continue
                p0, p1 = image[row, column], image[r2, c2]
                if (p0 >= 0.5) == (p1 >= 0.5):
                    continue
                t = (0.5 - p0) / (p1 - p0)
                found[(kind, row, column)] = ((x1[column] + t * (x1[c2] - x1[column]), x2[row])
                                              if kind == "h" else
                                              (x1[column], x2[row] + t * (x2[r2] - x2[row])))
    return found


@pytest.mark.browser
def test_the_decision_boundary_is_where_the_recording_crosses_one_half(reader, files):
    name = "spiral-relu"
    _, net, header = files[name]
    page = reader.open()
    go_live(page, "plane-relu")
    x1, x2 = net.extra["grid_x1"].astype(np.float64), net.extra["grid_x2"].astype(np.float64)
    tolerance = header["tolerance"] + SLACK
    for frame in (29, 12):
        to_frame(page, "plane-relu", frame)
        state = drawn(page, "plane-relu")
        recorded = recorded_field(name, frame, state["seed"])
        expected = crossings(recorded, x1, x2)
        image = recorded.reshape(len(x1), len(x1))
        drawn_points = {(round(a, 9), round(b, 9)) for segment in state["field"]["boundary"]
                        for a, b in (segment[:2], segment[2:])}
        assert drawn_points
        robust = 0
        for (kind, row, column), (u, v) in expected.items():
            r2, c2 = (row, column + 1) if kind == "h" else (row + 1, column)
            p0, p1 = image[row, column], image[r2, c2]
            if min(abs(p0 - 0.5), abs(p1 - 0.5)) <= tolerance:
                continue   # within the tolerance of the level: may fall either side
            robust += 1
            # the drawn line crosses this edge, within the shift the tolerance allows
            cell = (x1[1] - x1[0]) if kind == "h" else (x2[1] - x2[0])
            shift = 2 * tolerance / abs(p1 - p0) * cell
            near = [point for point in drawn_points
                    if (point[1] == round(v, 9) if kind == "h" else point[0] == round(u, 9))
                    and abs(point[0] - u) <= shift + 1e-9 and abs(point[1] - v) <= shift + 1e-9]
            assert near, (kind, row, column, u, v)
        assert robust > 20


@pytest.mark.browser
def test_point_toggles_hide_and_show_the_sets_and_go_into_the_link(reader):
    page = reader.open()
    go_live(page, "plane-relu")
    training = page.locator("#plane-relu .tn-toggle", has_text="training points").locator("input")
    test = page.locator("#plane-relu .tn-toggle", has_text="test points").locator("input")
    counts = drawn(page, "plane-relu")["field"]["points"]
    assert counts == {"training": 100, "test": 100}
    pixels = page.locator("#plane-relu .tn-plane-canvas").screenshot()
    training.uncheck()
    assert drawn(page, "plane-relu")["field"]["points"] == {"training": 0, "test": 100}
    assert page.locator("#plane-relu .tn-plane-canvas").screenshot() != pixels
    page.wait_for_function("() => location.hash.includes('points=test')")
    test.focus()
    page.keyboard.press("Space")   # the keyboard works the toggles too
    assert drawn(page, "plane-relu")["toggles"] == {"training": False, "test": False}
    page.wait_for_function("() => location.hash.includes('points=none')")
    training.check()
    test.check()
    assert drawn(page, "plane-relu")["field"]["points"] == {"training": 100, "test": 100}
    assert page.locator("#plane-relu .tn-plane-canvas").screenshot() == pixels
    # the key says what filled, hollow and the colours mean
    key = page.locator("#plane-relu .tn-plane-key").text_content()
    for text in ("training points (filled)", "test points (hollow)",
                 "decision boundary (probability 0.5)", "class 0 (orange)", "class 1 (purple)"):
        assert text in key


@pytest.mark.browser
def test_a_hidden_unit_shows_its_output_on_hover_focus_and_press(reader, files):
    name = "spiral-tanh"
    _, net, header = files[name]
    record = plane_recording(name)
    data = PLANE_NETS[name][0]
    page = reader.open()
    go_live(page, "plane-tanh")
    to_frame(page, "plane-tanh", 20)
    state = drawn(page, "plane-tanh")
    assert state["units"]["layers"] == [8, 8] and state["units"]["thumbnails"] == 16
    layers = layers_of(decoded_weights(net), [20], [PLANE_SEEDS.index(state["seed"])])
    hidden, output = hidden_and_output(layers, inputs_of(record.grid, data.features), "tanh", True)
    unit = page.locator("#plane-tanh .tn-unit").nth(8 + 2)   # layer 2, unit 3
    unit.hover()
    state = drawn(page, "plane-tanh")
    assert state["showing"] == {"layer": 2, "unit": 3}
    assert np.abs(np.array(state["field"]["values"]) - hidden[1][0, 0][:, 2]).max() <= SLACK
    assert state["legend"]["title"] == "output of unit 3 of hidden layer 2"
    assert (state["legend"]["low"], state["legend"]["high"]) == (-1, 1)   # tanh's range
    # the net's boundary stays, dashed, over the unit's output
    assert state["field"]["boundary"]
    assert "Showing unit 3 of hidden layer 2; the net's decision boundary dashed" in \
        page.locator("#plane-tanh .tn-plane-showing").text_content()
    page.mouse.move(2, 2)
    state = drawn(page, "plane-tanh")
    assert state["showing"] == "output"
    assert np.abs(np.array(state["field"]["values"]) - output[0, 0]).max() <= SLACK
    # the keyboard: focus shows, Enter keeps it, and the link names it
    first = page.locator("#plane-tanh .tn-unit").nth(0)
    first.focus()
    assert drawn(page, "plane-tanh")["showing"] == {"layer": 1, "unit": 1}
    first.press("Enter")
    assert first.get_attribute("aria-pressed") == "true"
    page.locator("#plane-tanh .tn-slider").focus()   # focus leaves the unit: it stays pinned
    state = drawn(page, "plane-tanh")
    assert state["showing"] == {"layer": 1, "unit": 1}
    assert state["units"]["pinned"] == state["showing"]
    assert np.abs(np.array(state["field"]["values"]) - hidden[0][0, 0][:, 0]).max() <= SLACK
    page.wait_for_function("() => location.hash.includes('unit=1.1')")
    first.click()
    assert first.get_attribute("aria-pressed") == "false"


@pytest.mark.browser
def test_the_curves_are_the_recorded_errors_and_accuracies(reader, files):
    name = "spiral-relu"
    _, net, header = files[name]
    record = plane_recording(name)
    page = reader.open()
    go_live(page, "plane-relu")
    page.select_option("#plane-relu .tn-select", "1")
    to_frame(page, "plane-relu", 15)
    state = drawn(page, "plane-relu")
    panels = {panel["kind"]: panel for panel in state["curves"]["panels"]}
    epochs = np.array(panels["error"]["epochs"])
    assert np.array_equal(epochs, net.loss_epochs)
    relative = max(header["arrays"][name]["relative_tolerance"]
                   for name in ("losses", "test_losses"))
    for kind, training, test, compare in (
            ("error", record.losses, record.test_losses, "relative"),
            ("accuracy", record.accuracy, record.test_accuracy, "absolute")):
        for drawn_values, recorded in ((panels[kind]["training"], training),
                                       (panels[kind]["test"], test)):
            values = np.array(drawn_values, dtype=float)
            expected = recorded[epochs - 1, 1].astype(np.float64)
            error = (np.abs(values / expected - 1) if compare == "relative"
                     else np.abs(values - expected))
            assert error.max() <= (relative if compare == "relative" else 0.5 / 4095) * (1 + 1e-9)
    epoch = int(record.frame_epochs[15])
    assert panels["error"]["marker"]["epoch"] == epoch
    assert panels["error"]["marker"]["value"] == pytest.approx(float(record.losses[epoch - 1, 1]),
                                                               rel=relative * 1.01)
    assert state["curves"]["panels"][1]["marker"]["epoch"] == epoch
    # the keyboard reads the followed seed at an epoch
    focus = page.locator("#plane-relu .tn-chart-focus")
    focus.focus()
    focus.press("End")
    reading = drawn(page, "plane-relu")["curves"]["reading"]
    assert reading["epoch"] == 200
    assert reading["text"].startswith("seed 1, epoch 200: training error ")
    assert f"test accuracy {percent(record.test_accuracy[-1, 1])}" in reading["text"]
    assert page.locator("#plane-relu .tn-readout").text_content() == reading["text"]


@pytest.mark.browser
def test_plane_loss_follows_a_seed(reader, files):
    record = plane_recording("spiral-relu")
    page = reader.open()
    assert go_live(page, "plane-loss") == "live"
    state = drawn(page, "plane-loss")
    assert state["seed"] == plane_shown_seed("spiral-relu")
    page.select_option("#plane-loss .tn-select", "0")
    state = drawn(page, "plane-loss")
    assert state["seed"] == 0
    assert f"final test accuracy {percent(record.test_accuracy[-1, 0])}" in state["status"]
    training = np.array(state["curves"]["panels"][0]["training"], dtype=float)
    assert training[-1] == pytest.approx(float(record.losses[-1, 0]), rel=3e-4)
    assert state["curves"]["panels"][0]["marker"] is None   # no player, no marker
    page.wait_for_function("() => location.hash.includes('plane-loss:seed=0')")


@pytest.mark.browser
def test_plane_compare_one_player_one_legend_and_hidden_nets(reader, files):
    page = reader.open()
    assert go_live(page, "plane-compare") == "live"
    state = drawn(page, "plane-compare")
    assert [net["name"] for net in state["nets"]] == ["spiral-relu", "spiral-tanh"]
    assert page.locator("#plane-compare .tn-slider").count() == 1
    assert page.locator("#plane-compare .tn-colour-bar").count() == 1
    assert state["legend"]["title"] == "probability of class 1 (purple)"
    to_frame(page, "plane-compare", 10)
    page.select_option("#plane-compare .tn-select", "2")
    state = drawn(page, "plane-compare")
    for net in state["nets"]:
        _, _, header = files[net["name"]]
        assert net["frame"] == 10 and net["seed"] == 2
        assert_field(net["field"]["values"], net["name"], 10, 2, header)
        epoch = int(plane_recording(net["name"]).frame_epochs[10])
        accuracy = plane_recording(net["name"]).test_accuracy[epoch - 1, 2]
        assert f"test accuracy {percent(accuracy)}" in net["status"]
    button = page.locator("#plane-compare .tn-legend-button", has_text="2×8 tanh")
    button.click()
    state = drawn(page, "plane-compare")
    assert state["hidden"] == ["spiral-tanh"] and state["nets"][1]["panelHidden"] is True
    page.wait_for_function("() => location.hash.includes('hidden=spiral-tanh')")
    button.press("Enter")
    assert drawn(page, "plane-compare")["hidden"] == []
    page.locator("#plane-compare .tn-toggle", has_text="test points").locator("input").uncheck()
    assert all(net["field"]["points"]["test"] == 0 for net in drawn(page, "plane-compare")["nets"])
    shot(page, ARTIFACTS, "plane-compare-desktop-light", "plane-compare")


@pytest.mark.browser
def test_a_link_restores_the_plane_figures(reader, files):
    record = plane_recording("spiral-relu")
    page = reader.open("index.html#plane-relu:epoch=50,seed=1,points=test,unit=1.4"
                       "&plane-compare:epoch=20,seed=0,hidden=spiral-relu,points=train")
    assert go_live(page, "plane-relu") == "live"
    state = drawn(page, "plane-relu")
    frame = int(np.searchsorted(record.frame_epochs, 50, side="right")) - 1
    assert (state["frame"], state["seed"], state["playing"]) == (frame, 1, False)
    assert state["toggles"] == {"training": False, "test": True}
    assert state["showing"] == {"layer": 1, "unit": 4}
    assert state["units"]["pinned"] == state["showing"]
    assert go_live(page, "plane-compare") == "live"
    compare = drawn(page, "plane-compare")
    assert compare["hidden"] == ["spiral-relu"] and compare["seed"] == "0"
    assert compare["toggles"] == {"training": True, "test": False}
    tanh = compare["nets"][1]
    own = plane_recording("spiral-tanh").frame_epochs
    assert tanh["epoch"] == max(value for value in own if value <= 20)
    assert_field(tanh["field"]["values"], "spiral-tanh", tanh["frame"], 0, files["spiral-tanh"][2])


def contrasts_meet_wcag(report: dict) -> None:
    for role in ("ink", "muted"):
        assert report[role]["contrast"] >= 4.5, (role, report)
    for role in ("axis", "points", "floor"):
        assert report[role]["contrast"] >= 3, (role, report)
    for entry in report.get("classes", []):   # the classes' point colours carry meaning
        assert entry["contrast"] >= 3, entry
    for name, entry in report["nets"].items():
        assert entry["contrast"] >= 3, (name, report)


@pytest.mark.browser
def test_the_palette_switch_recolours_the_plane_and_keeps_contrast(reader):
    page = open_with_figures(reader, LIVE)
    before = {identifier: drawn(page, identifier) for identifier in LIVE}
    pixels = page.locator("#plane-relu .tn-plane-canvas").screenshot()
    for state in before.values():
        assert state["theme"]["scheme"] == "default"
        contrasts_meet_wcag(state["theme"])
    switch_scheme(page, "slate", "plane-relu")
    for identifier in LIVE:
        state = drawn(page, identifier)
        assert state["theme"]["scheme"] == "slate"
        contrasts_meet_wcag(state["theme"])
    after = drawn(page, "plane-relu")
    # the field's middle follows the page: pale on light, dark on dark
    def middle(state):
        colours = np.array(state["lut"]["rgb"]).reshape(-1, 3)
        return colours[len(colours) // 2]

    assert middle(before["plane-relu"]).mean() > 200 and middle(after).mean() < 110
    assert page.locator("#plane-relu .tn-plane-canvas").screenshot() != pixels
    # the values drawn do not change with the colours
    assert after["field"]["values"] == before["plane-relu"]["field"]["values"]
    for identifier in ("plane-relu", "plane-compare", "plane-waves"):
        shot(page, ARTIFACTS, f"{identifier}-desktop-dark", identifier)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_width_stacks_the_plane_without_sideways_scrolling(phone, scheme):
    page = open_live_on_phone(phone, scheme, LIVE)
    assert drawn(page, "plane-relu")["layout"] == "stacked"
    assert drawn(page, "plane-compare")["columns"] == 1
    for identifier in LIVE:
        state = assert_fits_the_phone(page, identifier)
        sizes = drawn_font_sizes(state, "field")
        assert min(sizes) >= 12, (identifier, sizes)
        for canvas in drawn_canvases(state, "field"):
            assert_sharp(canvas)
            assert canvas["cssWidth"] <= PHONE_WIDTH - 16
        contrasts_meet_wcag(state["theme"])
        shot(page, ARTIFACTS, f"{identifier}-phone-{scheme_name(scheme)}", identifier)


@pytest.mark.browser
def test_reduced_motion_keeps_the_plane_still(browser, server):
    with still_and_moving(browser, server) as (still, moving):
        page = still.open()
        go_live(page, "plane-relu")
        page.wait_for_timeout(1200)
        assert drawn(page, "plane-relu")["playing"] is False
        assert drawn(page, "plane-relu")["frame"] == 29
        page = moving.open()
        go_live(page, "plane-relu")
        wait_until_playing(page, "plane-relu")
        page.wait_for_function("() => document.getElementById('plane-relu').tnFigure.drawn()"
                               ".frame < 29")
        go_live(page, "plane-compare")   # no autoplay asked: still
        assert drawn(page, "plane-compare")["playing"] is False


@pytest.mark.browser
def test_damaged_or_one_dimensional_use_keeps_the_fallback_and_warns(reader):
    page = open_keeping_fallbacks(reader, ("plane-damaged", "plane-as-line"))
    for identifier in ("plane-damaged", "plane-as-line"):
        assert page.locator(f"#{identifier} video").count() == 1
        assert page.locator(f"#{identifier} .tn-live-holder").count() == 0
    assert warned_damaged(reader.warnings, "plane-damaged", "data/plane-damaged.tnfd")
    assert "tinynets figures: #plane-as-line: figure(net) needs the net's predictions and " \
           "losses; showing the fallback" in reader.warnings


@pytest.mark.browser
def test_every_plane_control_is_reachable_by_keyboard_with_visible_focus(reader):
    page = reader.open()
    go_live(page, "plane-relu")
    page.locator("#plane-relu .tn-live-title").click()
    reached = tab_through(page, 24)
    mine = [(name, outline, width) for name, owner, outline, width in reached
            if owner == "plane-relu"]
    names = [name for name, _, _ in mine]
    assert names[:3] == ["checkbox", "checkbox", "tn-chart-focus"]
    assert names.count("tn-unit") == 12
    assert names[-3:] == ["tn-button tn-play", "tn-slider", "tn-select"]
    for name, outline, width in mine:
        assert outline == "solid" and width >= 2, name


@pytest.mark.browser
def test_the_plane_page_makes_no_error_and_asks_no_other_host(reader):
    page = open_with_figures(reader, LIVE)
    page.locator("#plane-relu .tn-play").click()
    page.wait_for_timeout(400)
    page.locator("#plane-relu .tn-play").click()
    requested = fetched_from_the_server(page, reader)
    assert sum(url.endswith("/data/spiral-relu.tnfd") for url in requested) == 1
    assert any(url.endswith("/assets/figures/plane.css") for url in requested)
