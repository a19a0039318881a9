"""2-D posts end to end: the fixture's plane post (a small CSV file, two classifiers) as built
pages and decoded media; what classification results offer templates, and what they refuse."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from browser_support import Document

from tinynets.measure.finals import RunMeta
from tinynets.errors import NotMeasured
from tinynets.measure.results import NetResult
from tinynets.posts.model import NetSpec, Thresholds

GIF_BUDGET, WEBM_BUDGET = 600_000, 300_000  # bytes per 2-D animation (issue 13)


@pytest.fixture(scope="module")
def site(built_project) -> Path:
    return built_project / "build" / "site"


@pytest.fixture(scope="module")
def plane_runs(built_project) -> dict[str, dict]:
    """The plane post's recordings' metadata, by net name, on the seeds its page shows (its
    runs trained its replication seeds too)."""
    from tinynets.engine.seed_columns import select_meta
    from tinynets.posts.load import load_posts

    plane = next(post for post in load_posts(built_project / "content") if post.slug == "plane")
    metas = [json.loads(path.read_text(encoding="utf-8"))
             for path in (built_project / "build" / "cache" / "runs").glob("*/meta.json")]
    return {meta["net"]: select_meta(meta, plane.seeds) for meta in metas
            if "file" in meta["spec"]["data"]}


@pytest.fixture(scope="module")
def page(site) -> Document:
    return Document((site / "plane" / "index.html").read_text(encoding="utf-8"))


def _percent(text: str, after: str) -> float:
    match = re.search(re.escape(after) + r"\s*(\d+)%", text)
    assert match, f"no percentage after {after!r} in {text!r}"
    return int(match.group(1)) / 100


def test_plane_runs_record_test_error_and_accuracies(plane_runs):
    assert set(plane_runs) == {"slow", "fast"}
    for meta in plane_runs.values():
        seeds = len(meta["seeds"])
        for key in ("final_test_losses", "final_accuracy", "final_test_accuracy"):
            assert len(meta[key]) == seeds and all(0 <= value for value in meta[key]), key
        assert meta["spec"]["data"]["csv_sha256"] and meta["spec"]["data"]["x"] == ["length",
                                                                                     "width"]


def test_figure_alt_text_gives_the_median_seeds_test_accuracy_and_the_range(page, plane_runs):
    video = next(v for v in page.find("video") if v.attrs["src"].endswith("/fast.webm"))
    alt = video.attrs["aria-label"]
    meta = plane_runs["fast"]
    from tinynets.measure.finals import ranking, representative_seed

    seed = representative_seed(meta["seeds"], ranking(RunMeta.from_dict(meta)))
    # The median seed by test accuracy: its accuracy is the median one (two seeds: the lower).
    assert meta["final_test_accuracy"][meta["seeds"].index(seed)] == sorted(
        meta["final_test_accuracy"], reverse=True)[(len(meta["seeds"]) - 1) // 2]
    accuracy = meta["final_test_accuracy"][meta["seeds"].index(seed)]
    assert f"seed {seed}," in alt and "separate two classes" in alt
    assert _percent(alt, "ends with test accuracy") == pytest.approx(accuracy, abs=0.005)
    low, high = re.search(r"ranges from (\d+)% to (\d+)%", alt).groups()
    assert int(low) / 100 == pytest.approx(min(meta["final_test_accuracy"]), abs=0.005)
    assert int(high) / 100 == pytest.approx(max(meta["final_test_accuracy"]), abs=0.005)
    assert "noise floor" not in alt  # classification has none


def test_results_table_has_accuracy_columns_and_no_floor_columns(page, plane_runs):
    table = next(t for t in page.find("table") if "data-tn-results" in t.attrs)
    text = table.text
    assert "Final test accuracy" in text and "Training accuracy" in text
    assert "near the floor" not in text and "stuck" not in text
    accuracy = sorted(plane_runs["slow"]["final_test_accuracy"])
    median = (accuracy[0] + accuracy[-1]) / 2
    assert f"{round(median * 100)}%" in text


def test_plane_media_decode_at_their_size_and_budgets(site, plane_runs):
    import imageio_ffmpeg

    files = sorted((site / "media" / "plane").glob("*"))
    names = {path.name for path in files}
    assert {"slow.gif", "slow.webm", "slow.png", "fast.gif", "fast.webm", "compare.gif",
            "compare.webm", "slow-loss.svg", "losses.svg"} <= names
    for path in files:
        if path.suffix not in (".gif", ".webm"):
            continue
        result = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-xerror", "-i",
             str(path), "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-1000:]
        frames = [line for line in result.stdout.splitlines() if line and not line[0] == "#"]
        if path.stem != "compare":
            expected = len(plane_runs[path.stem]["spec"]["frames"])
            # The WebM repeats the final frame for the hold; the GIF stores it as a delay.
            assert len(frames) >= expected if path.suffix == ".webm" else len(frames) == \
                expected, path.name
        size = re.search(r"(\d+)x(\d+)", subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
            capture_output=True, text=True).stderr)
        assert size and int(size[1]) == 800, path.name
        budget = GIF_BUDGET if path.suffix == ".gif" else WEBM_BUDGET
        assert path.stat().st_size <= budget, f"{path.name}: {path.stat().st_size} bytes"


def test_poster_shows_both_classes_bands_and_the_boundary(site):
    from PIL import Image

    from tinynets.media.plane_panel import BANDS, BOUNDARY_RGB

    with Image.open(site / "media" / "plane" / "fast.png") as image:
        pixels = image.convert("RGB")
        colors = {color for _, color in pixels.getcolors(maxcolors=1 << 20)}
    bands = {tuple(int(band[i:i + 2], 16) for i in (1, 3, 5)) for band in BANDS}
    assert {bands_color for bands_color in bands if bands_color in colors}, "no band colour"
    assert BOUNDARY_RGB in colors


# --- Results of classification: what templates may ask, and clear refusals ----------------------

META = {"seeds": [0, 1, 2], "wall_time": 1.0, "diverged_at": [None, None, None],
        "final_losses": [0.2, 0.1, 0.3], "final_test_losses": [0.4, 0.2, 0.5],
        "final_accuracy": [0.9, 0.95, 0.85], "final_test_accuracy": [0.8, 0.9, 0.7]}


def classifier(meta: dict = META) -> NetResult:
    spec = NetSpec(name="c", layers=(4,), loss="bce", inputs=2)
    return NetResult(spec, RunMeta.from_dict(meta), None, Thresholds(), "#0072B2", {})


def test_accuracies_per_seed_median_best_worst():
    net = classifier()
    assert net.classification and net.measured == ("test_error", "accuracy", "test_accuracy")
    assert float(net.test_accuracy.median) == 0.8
    assert float(net.test_accuracy.best) == 0.9 and float(net.test_accuracy.worst) == 0.7
    assert float(net.test_error.best) == 0.2 and float(net.test_error.worst) == 0.5
    assert float(net.accuracy.seed(1)) == 0.95
    check = net.test_accuracy.median > 0.75
    assert check and check.text == ("claimed: c median test accuracy > 0.75; measured: "
                                    "c median test accuracy = 0.8")
    solved = net.solved(0.8)
    assert int(solved) == 2 and (solved >= 2).text.startswith(
        "claimed: c seeds with test accuracy ≥ 0.8 ≥ 2")


def test_near_floor_and_stuck_are_refused_for_classification():
    net = classifier()
    with pytest.raises(NotMeasured) as error:
        net.near_floor
    assert str(error.value) == (
        "nets['c'].near_floor needs a noise floor, but classification has no noise floor: "
        "count seeds by accuracy instead, e.g. nets['c'].solved(0.95).")
    with pytest.raises(NotMeasured):
        net.stuck


def test_accuracy_is_refused_without_classification():
    meta = {key: value for key, value in META.items() if "accuracy" not in key}
    net = NetResult(NetSpec(name="r", inputs=2), RunMeta.from_dict(meta), None, Thresholds(),
                    "#0072B2", {})
    with pytest.raises(NotMeasured) as error:
        net.test_accuracy
    assert str(error.value) == ("nets['r'].test_accuracy is not recorded: accuracy is measured "
                                "on classification data only (labels 0 and 1).")
    with pytest.raises(NotMeasured) as error:
        net.near_floor
    assert "data.noise_floor" in str(error.value)
    assert float(net.test_error.median) == 0.4


def test_editing_the_csv_retrains_its_nets_and_says_why(built_project, tmp_path):
    from support import copy_built, run_build

    project = copy_built(built_project, tmp_path / "project")
    csv = project / "content" / "data" / "seeds.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("-1.0,", "-1.5,", 1)  # move one point
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project, "--only", "plane")
    assert result.returncode == 0, result.stdout + result.stderr
    for net in ("slow", "fast"):
        assert f"train   plane/{net}: data/seeds.csv changed (content hash " in result.stdout
    assert "train   tiny/" not in result.stdout  # other posts' data did not change
