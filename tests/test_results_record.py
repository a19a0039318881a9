"""The record of a real build of the fixture (results.json), each post's data files (CSV) and its
"How this page was made" block, checked against the run store and the running versions."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from browser_support import Document, resolve
from support import REPO, copy_built, run_build
from tinynets import record, record_schema
from tinynets.engine.store import read_arrays
from tinynets.version import package_version

CHECKER = Path(sys.executable).parent / "check-jsonschema"
FIXED_TIME = "1796047509"  # 2026-11-30T14:05:09Z


@pytest.fixture(scope="module")
def saved(built_project) -> record.Record:
    return record.read(built_project / "build" / "site" / "results.json")


def run_of(built_project: Path, fingerprint: str) -> tuple[dict, dict]:
    """A run's meta.json and arrays, from the run store."""
    folder = built_project / "build" / "cache" / "runs" / fingerprint
    return json.loads((folder / "meta.json").read_text()), read_arrays(folder / "arrays.npz")


def columns(arrays: dict, seeds) -> list[int]:
    """Where each of ``seeds`` sits on a run's seeds axis (a run trains its post's shown and
    replication seeds together)."""
    trained = [int(seed) for seed in arrays["seeds"]]
    return [trained.index(seed) for seed in seeds]


def any_seed(names) -> set[str]:
    """Measurement names with the seed they name left out: kink_count(seed=N)."""
    return {re.sub(r"seed=\d+", "seed=N", name) for name in names}


def installed(package: str) -> str:
    """The version of the distribution that provides the import package ``package`` here
    (TensorFlow comes as tensorflow or tensorflow-cpu)."""
    (distribution,) = importlib.metadata.packages_distributions()[package]
    return importlib.metadata.version(distribution)


def claim_lines(source: Path) -> list[tuple[int, str]]:
    """Each claim(…) call of a post's file: its line and text, read from the file itself."""
    return [(number, re.search(r'claim\("([^"]+)"', line).group(1))
            for number, line in enumerate(source.read_text().splitlines(), 1)
            if "claim(" in line]


def test_a_build_publishes_a_valid_record_of_every_post_that_trains(built_project, saved):
    published = built_project / "build" / "site" / "results.json"
    checked = subprocess.run([str(CHECKER), "--schemafile", str(record_schema.SCHEMA_PATH),
                              str(published)], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sorted(saved.posts) == ["plane", "sweep", "tiny"]  # notes.md trains nothing
    tiny = saved.posts["tiny"]
    assert (tiny.title, tiny.source, tiny.url) == \
        ("A tiny fixture post", "content/posts/tiny.md", "tiny/")
    # replicate's default: as many replication seeds as shown ones, the next whole numbers
    assert all(post.seeds == record.SeedSets((0, 1), (2, 3)) for post in saved.posts.values())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", saved.built)
    environment = saved.environment
    assert (environment.python, environment.tensorflow, environment.keras, environment.numpy,
            environment.tinynets.version) == \
        (platform.python_version(), installed("tensorflow"),
         installed("keras"), installed("numpy"),
         package_version())
    assert environment.tinynets.commit is None  # the fixture's copy is not a git checkout


def test_every_net_and_cell_holds_its_runs_numbers(built_project, saved):
    for slug, post in saved.posts.items():
        runs = list(post.runs())
        assert len(runs) == {"tiny": 2, "plane": 2, "sweep": 4}[slug]
        for name, net in runs:
            meta, arrays = run_of(built_project, net.fingerprint)
            assert net.spec == meta["spec"]["net"] and net.parameters == meta["parameters"]
            # one run trains both seed sets, timed once: its time, neither doubled nor split
            assert net.wall_time == meta["wall_time"]
            assert meta["seeds"] == [*post.seeds.shown, *post.seeds.replication]
            # each seed set's numbers from its own columns of the run, never mixed
            for numbers, seeds in ((net.shown, post.seeds.shown),
                                   (net.replication, post.seeds.replication)):
                assert numbers.seeds == seeds
                at = columns(arrays, seeds)
                finals = [float(arrays["losses"][-1][column]) for column in at]
                assert numbers.final_error.per_seed == tuple(finals)
                assert numbers.final_error.median == statistics.median(finals)
                assert (numbers.final_error.best, numbers.final_error.worst) == \
                    (min(finals), max(finals))
                assert numbers.counts.diverged == 0
                if slug == "plane":  # classification: accuracies, no floor
                    assert numbers.counts.near_floor is None and numbers.counts.stuck is None
                    assert numbers.test_accuracy.per_seed == \
                        tuple(float(arrays["test_accuracy"][-1][column]) for column in at)
                    assert numbers.test_error.per_seed == \
                        tuple(float(arrays["test_losses"][-1][column]) for column in at)
                else:
                    assert numbers.accuracy is None and numbers.test_error is None
                    stuck = sum(value > 5 * 0.01 for value in finals)  # the default thresholds
                    assert numbers.counts.stuck == stuck
    cells = saved.posts["sweep"].sweeps["width-rate"].cells
    assert list(cells) == ["layers=[2],learning_rate=0.003", "layers=[2],learning_rate=0.03",
                           "layers=[8],learning_rate=0.003", "layers=[8],learning_rate=0.03"]
    assert cells["layers=[8],learning_rate=0.03"].values == {"layers": [8],
                                                             "learning_rate": 0.03}


def test_the_inside_measurements_are_those_the_page_asked_for(built_project, saved):
    tiny = saved.posts["tiny"]
    wide = tiny.nets["wide"].shown.inside
    shown_seed = int(re.search(r"Seed (\d+) bends at", (built_project / "build" / "docs" /
                                                        "posts" / "tiny.md").read_text())[1])
    # what tiny.md writes, and what its figure(units=true) and loss_plot(errors=…) captions ask
    assert set(wide) == {
        "loss_at(10)", "loss_at(10, seed=0)", "epochs_to(0.5)", "epochs_to(0.0001)",
        "noise_free_error", "held_out_error", "kinks()", f"kink_count(seed={shown_seed})",
        "kink_count(-1, 1)", "dead_units", f"dead_units_at(seed={shown_seed})"}
    _, arrays = run_of(built_project, tiny.nets["wide"].fingerprint)
    shown, again = columns(arrays, tiny.seeds.shown), columns(arrays, tiny.seeds.replication)
    at_ten = [float(value) for value in arrays["losses"][9]]
    assert wide["loss_at(10)"] == statistics.median(at_ten[column] for column in shown)
    assert wide["loss_at(10, seed=0)"] == at_ten[shown[0]]
    assert wide["epochs_to(0.0001)"] == "never"
    medians = np.median(arrays["losses"][:, shown], axis=1)
    assert wide["epochs_to(0.5)"] == int(np.flatnonzero(medians <= 0.5)[0]) + 1
    assert isinstance(wide["kinks()"], tuple) and len(wide["kinks()"]) > 0
    # On the replication seeds: what the claims' second rendering asked, each value theirs; a
    # shown seed named in a call is the replication seed in its place (seed 0: seed 2).
    replicated = tiny.nets["wide"].replication.inside
    assert any_seed(replicated) == any_seed(wide)
    assert {int(seed) for name in replicated
            for seed in re.findall(r"\(seed=(\d+)\)", name)} <= set(tiny.seeds.replication)
    assert replicated["loss_at(10)"] == statistics.median(at_ten[column] for column in again)
    assert replicated["loss_at(10, seed=0)"] == at_ten[again[0]]
    # measurements of two nets are noted on the first
    for deep in (tiny.nets["deep"].shown, tiny.nets["deep"].replication):
        assert set(deep.inside) == {"prob_lower(wide)", "ratio_interval(wide, level=0.9)"}
    slow = saved.posts["plane"].nets["slow"]
    assert slow.shown.inside == {} and slow.replication.inside == {}


def test_claims_are_recorded_at_their_lines_with_their_values(built_project, saved):
    claims = saved.posts["tiny"].claims
    source = claim_lines(built_project / "content" / "posts" / "tiny.md")
    assert [(claim.line, claim.text) for claim in claims] == source and len(source) == 3
    # checked on both seed sets, each outcome with its own set's values
    assert all(claim.shown.holds and claim.replication.holds for claim in claims)
    nets = saved.posts["tiny"].nets
    for side in ("shown", "replication"):
        floor = getattr(claims[0], side)
        assert floor.check == "noise floor < 1" and floor.measured == {"noise floor": 0.1 ** 2}
        wide = getattr(nets["wide"], side).inside
        assert getattr(claims[1], side).measured == {
            "wide median held-out error at epoch 30": wide["held_out_error"],
            "wide median noise-free error at epoch 30": wide["noise_free_error"]}
        assert getattr(claims[2], side).measured == {
            "share of seed pairs in which deep ends lower than wide":
                getattr(nets["deep"], side).inside["prob_lower(wide)"]}
    assert claims[1].shown.measured != claims[1].replication.measured


def provenance(page: Document):
    blocks = [element for element in page.find("details")
              if "tn-provenance" in element.attrs.get("class", "").split()]
    assert len(blocks) <= 1
    return blocks[0] if blocks else None


def test_each_post_that_trains_ends_with_how_its_page_was_made(built_project, saved):
    site = built_project / "build" / "site"
    for slug, entry in saved.posts.items():
        page = Document((site / slug / "index.html").read_text(encoding="utf-8"))
        block = provenance(page)
        assert block is not None and "info" in block.attrs["class"].split()
        text = " ".join(block.text.split())
        # the claims on the page, counted in its source file: all checked
        written = len(claim_lines(built_project / "content" / "posts" / f"{slug}.md"))
        assert written == len(entry.claims)
        counted = re.search(r"(\d+) of (\d+) claims? checked against these measurements, each "
                            r"also on 2 replication seeds\.", text)
        if written:
            assert (int(counted[1]), int(counted[2])) == (written, written)
        else:
            assert counted is None and "No claims to check on this page." in text
        for version in (f"tinynets {package_version()}", f"Python {platform.python_version()}",
                        f"TensorFlow {installed('tensorflow')}",
                        f"Keras {installed('keras')}",
                        f"numpy {installed('numpy')}"):
            assert version in text
        assert f"Built on {saved.built[:10]} (UTC) from content/posts/{slug}.md." in text
        assert ("Seeds shown: 0, 1 (2 per net); the claims are also checked on seeds 2, 3, "
                "which the page does not show.") in text
        # each run's time once, as the run store has it: shown and replication seeds together
        total = sum(run_of(built_project, net.fingerprint)[0]["wall_time"]
                    for _, net in entry.runs())
        assert re.search(r"Training: ([0-9.]+) s in total for [^.]*, shown and replication "
                         r"seeds together, as measured", text).group(1) in \
            (f"{total:.1f}", f"{total:.0f}")
        links = [element for element in page.descendants(block) if element.tag == "a"]
        targets = {resolve(site, f"/{slug}/", link.attrs["href"])[0] for link in links}
        assert site / "results.json" in targets
        assert {site / path for path in entry.data_files.values()} <= targets
        assert all(target.is_file() for target in targets)
        # it is the page's last word: nothing of the post comes after it
        article = next(element for element in page.elements if element.tag == "article")
        assert page.descendants(article)[-len(page.descendants(block)) - 1] is block
    notes = Document((site / "notes" / "index.html").read_text(encoding="utf-8"))
    assert provenance(notes) is None  # prose only: nothing was measured


def test_the_results_table_and_the_loss_plot_link_their_data(built_project):
    site = built_project / "build" / "site"
    page = Document((site / "tiny" / "index.html").read_text(encoding="utf-8"))
    caption = next(element for element in page.find("caption") if element.attrs.get("class")
                   == "tn-data")
    assert page.enclosing(caption, "table").attrs.get("data-tn-results") is not None
    link = next(element for element in page.descendants(caption) if element.tag == "a")
    assert link.text == "CSV" and link.attrs["href"] == "../media/tiny/final-errors.csv"
    figure = next(element for element in page.find("figure")
                  if element.attrs.get("id") == "loss-wide")
    data = [element for element in page.descendants(figure)
            if element.tag == "a" and element.text == "data (CSV)"]
    assert [element.attrs["href"] for element in data] == ["../media/tiny/wide-loss.csv"]
    for href in ("../media/tiny/final-errors.csv", "../media/tiny/wide-loss.csv"):
        assert resolve(site, "/tiny/", href)[0].is_file()


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_final_errors_csv_round_trips_to_the_recordings(built_project, saved):
    media = built_project / "build" / "site" / "media"
    for slug, entry in saved.posts.items():
        rows = read_csv(media / slug / "final-errors.csv")
        columns = {"plane": ["net", "seed", "final_error", "test_error", "accuracy",
                             "test_accuracy"]}.get(slug, ["net", "seed", "final_error"])
        assert list(rows[0]) == columns
        runs = dict(entry.runs())
        assert [(row["net"], int(row["seed"])) for row in rows] == \
            [(name, seed) for name, net in runs.items() for seed in net.shown.seeds]
        for row in rows:
            _, arrays = run_of(built_project, runs[row["net"]].fingerprint)
            column = [int(seed) for seed in arrays["seeds"]].index(int(row["seed"]))
            for name, array in (("final_error", "losses"), ("test_error", "test_losses"),
                                ("accuracy", "accuracy"), ("test_accuracy", "test_accuracy")):
                if name in row:
                    assert float(row[name]) == float(arrays[array][-1][column]), (slug, row)


def test_loss_curve_csvs_round_trip_to_the_recordings(built_project, saved):
    media = built_project / "build" / "site" / "media"
    files = [(post, name, path) for post in saved.posts.values()
             for name, path in post.data_files.items() if name.endswith(" loss curves")]
    # every net's loss plot has its data; a sweep's cells only when the page shows one
    assert sorted(name for _, name, _ in files) == [
        "deep loss curves", "fast loss curves", "slow loss curves", "wide loss curves",
        "width-rate[layers=[8],learning_rate=0.03] loss curves"]
    for post, name, path in files:
        run = dict(post.runs())[name[:-len(" loss curves")]]
        _, arrays = run_of(built_project, run.fingerprint)
        text = (media.parent / path).read_text(encoding="utf-8")
        assert len(text.encode()) < 64_000
        rows = read_csv(media.parent / path)
        seeds = list(post.seeds.shown)  # the page's seeds: never the replication seeds
        at = columns(arrays, seeds)
        curves = [curve for curve in ("loss", "test_loss", "accuracy", "test_accuracy")
                  if f"{curve}_seed_0" in rows[0]]
        assert list(rows[0]) == ["epoch"] + [f"{curve}_seed_{seed}" for curve in curves
                                             for seed in seeds]
        epochs = [int(row["epoch"]) for row in rows]
        frames = {int(epoch) for epoch in arrays["frame_epochs"] if epoch >= 1}
        assert epochs == sorted(epochs) and frames <= set(epochs)
        assert epochs[0] == 1 and epochs[-1] == len(arrays["losses"])
        recorded = {"loss": "losses", "test_loss": "test_losses", "accuracy": "accuracy",
                    "test_accuracy": "test_accuracy"}
        for row, epoch in zip(rows, epochs):
            for curve in curves:
                for column, seed in zip(at, seeds):
                    written = np.float32(row[f"{curve}_seed_{seed}"])
                    value = arrays[recorded[curve]][epoch - 1][column]
                    assert written == value or (math.isnan(value) and math.isnan(written))


def build_with(root: Path, **variables: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **variables}
    return subprocess.run([sys.executable, "-m", "tinynets", "build", "--quiet"], cwd=root,
                          env=environment, capture_output=True, text=True, timeout=600)


def test_warm_builds_write_the_same_record_but_for_its_time(built_project, saved, tmp_path):
    root = copy_built(built_project, tmp_path / "warm")
    published = root / "build" / "site" / "results.json"
    first = build_with(root, SOURCE_DATE_EPOCH=FIXED_TIME,
                       TINYNETS_SITE_URL="https://example.org/tinynets/")
    assert first.returncode == 0, first.stdout + first.stderr
    once = published.read_bytes()
    second = build_with(root, SOURCE_DATE_EPOCH=FIXED_TIME,
                        TINYNETS_SITE_URL="https://example.org/tinynets/")
    assert second.returncode == 0, second.stdout + second.stderr
    assert published.read_bytes() == once  # byte for byte, with the time fixed
    again = json.loads(once)
    assert again.pop("built") == "2026-11-30T14:05:09Z"
    earlier = json.loads((built_project / "build" / "site" / "results.json").read_bytes())
    earlier.pop("built")
    assert again == earlier  # the session's build, another time: only "built" differs
    page = (root / "build" / "site" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert "Built on 2026-11-30 (UTC)" in page
    # the feed item's line, with the data's public address
    feed = (root / "build" / "site" / "feed.xml").read_text(encoding="utf-8")
    item = re.search(r"<item>\s*<title>A tiny fixture post</title>.*?</item>", feed, re.S)[0]
    assert ("How this page was made: 3 of 3 claims checked against these measurements, each also "
            "on 2 replication seeds; seeds 0, 1 shown; tinynets ") in item
    assert "the numbers: https://example.org/tinynets/media/tiny/final-errors.csv" in item


def test_a_preview_keeps_the_other_posts_records(built_project, saved, tmp_path):
    root = copy_built(built_project, tmp_path / "preview")
    result = run_build(root, "--only", "tiny")
    assert result.returncode == 0, result.stdout + result.stderr
    previewed = record.read(root / "build" / "site" / "results.json")
    assert list(previewed.posts) == list(saved.posts)
    assert previewed.posts["plane"] == saved.posts["plane"]
    assert previewed.posts["tiny"].nets == saved.posts["tiny"].nets
