"""Sweeps in front matter: cells, names, defaults, and every author mistake reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinynets.errors import SpecError, display_path
from tinynets.posts.load import load_post
from tinynets.posts.schema import Defaults

POST = """\
---
title: Sweep
date: 2026-01-31
data:
  points: 40
seeds: 3
frames:
  count: 10
sweeps:
  width-rate:
    net: {{optimizer: sgd, epochs: 50}}
    vary:
{vary}
---
Body.
"""
GOOD = """\
      layers: [[4], [16], [2, 2]]
      learning_rate: [0.003, 0.01]"""


def write(folder: Path, vary: str = GOOD, post: str = POST) -> Path:
    path = folder / "sweep.md"
    path.write_text(post.format(vary=vary), encoding="utf-8")
    return path


def problems(folder: Path, vary: str = GOOD, post: str = POST) -> tuple[str, list[str]]:
    path = write(folder, vary, post)
    with pytest.raises(SpecError) as error:
        load_post(path, Defaults())
    return display_path(path), error.value.problems


def test_cells_cover_every_combination_first_key_slowest(tmp_path):
    post = load_post(write(tmp_path), Defaults())
    [sweep] = post.sweeps
    assert post.nets == () and sweep.keys == ("layers", "learning_rate")
    assert [sweep.values(cell) for cell in sweep.cells][:3] == [
        {"layers": (4,), "learning_rate": 0.003}, {"layers": (4,), "learning_rate": 0.01},
        {"layers": (16,), "learning_rate": 0.003}]
    assert sweep.cells[0].name == "width-rate[layers=4,learning_rate=0.003]"
    assert sweep.cells[-1].name == "width-rate[layers=2-2,learning_rate=0.01]"
    assert sweep.cells[-1].label == "2×2, lr 0.01"
    assert all(cell.epochs == 50 and cell.optimizer == "sgd" for cell in sweep.cells)
    assert post.net(sweep.cells[4].name) is sweep.cells[4]


def test_a_cell_has_the_same_canonical_spec_as_the_equal_net(tmp_path):
    text = POST.replace("sweeps:", "nets:\n  same: {{optimizer: sgd, epochs: 50, layers: [16], "
                                   "learning_rate: 0.01}}\nsweeps:")
    post = load_post(write(tmp_path, post=text), Defaults())
    cell = post.sweeps[0].cells[3]
    assert post.nets[0].canonical() == cell.canonical()


def test_keras_default_learning_rate_follows_each_cells_optimizer(tmp_path):
    text = POST.replace("{{optimizer: sgd, epochs: 50}}", "{{epochs: 50}}")
    post = load_post(write(tmp_path, "      optimizer: [sgd, adam]", text), Defaults())
    assert [cell.learning_rate for cell in post.sweeps[0].cells] == [0.01, 0.001]


def test_every_mistake_at_once_with_lines_and_suggestions(tmp_path):
    vary = """\
      layer: [[4]]
      learning_rate: [0.01, 0.01, -1]
      batch_size: 8"""
    shown, found = problems(tmp_path, vary)
    assert found == [
        f"{shown}:13: sweeps.width-rate.vary.layer: unknown key 'layer': did you mean 'layers'? "
        "Allowed keys: layers, learning_rate, optimizer, activation, batch_size, epochs, "
        "momentum.",
        f"{shown}:14: sweeps.width-rate.vary.learning_rate[2]: got -1, expected a "
        "number > 0.",
        f"{shown}:15: sweeps.width-rate.vary.batch_size: got 8, expected a non-empty list of "
        "values for batch_size, e.g. [8, 32].",
    ]


def test_a_sweep_over_the_limit_says_how_to_raise_it(tmp_path):
    vary = """\
      layers: [[1], [2], [3], [4], [5], [6], [7], [8], [9]]
      learning_rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]"""
    shown, found = problems(tmp_path, vary)
    assert found == [f"{shown}:12: sweeps.width-rate.vary: this sweep has 72 cells (9 × 8), more "
                     "than max_cells (64): each cell trains 6 seeds (3 shown + 3 replication). Shorten a list, or raise "
                     "the limit on purpose with 'max_cells: 72' in sweeps.width-rate."]
    raised = POST.replace("    net:", "    max_cells: 72\n    net:")
    assert len(load_post(write(tmp_path, vary, raised), Defaults()).sweeps[0].cells) == 72


def test_varied_key_set_by_the_base_net_too_and_momentum_without_its_optimizer(tmp_path):
    shown, found = problems(tmp_path, "      momentum: [0.5, 0.9]\n      epochs: [20, 30]")
    assert found == [
        f"{shown}:11: sweeps.width-rate.net.epochs: 'epochs' is varied by this sweep, so the "
        "base net cannot also set it: remove one of the two.",
        f"{shown}:13: sweeps.width-rate.vary.momentum: momentum applies to the optimizer "
        "sgd-momentum only, not to sgd: set optimizer: sgd-momentum in the sweep's net.",
    ]


def test_more_than_three_varied_keys_and_a_bad_name(tmp_path):
    vary = """\
      layers: [[4]]
      learning_rate: [0.01]
      activation: [relu]
      batch_size: [8]"""
    shown, found = problems(tmp_path, vary)
    assert found == [f"{shown}:12: sweeps.width-rate.vary: 4 keys vary; a sweep varies at most 3 "
                     "(a heatmap shows two): split it into several sweeps."]
    shown, found = problems(tmp_path, post=POST.replace("width-rate:", "Width_Rate:"))
    assert found == [f"{shown}:10: sweeps.Width_Rate: the sweep name 'Width_Rate' is not a safe "
                     "slug: use lowercase letters, digits and dashes (e.g. width-rate)."]


NEEDS_1D = ("Sweeps need 1-D data, a generated function of x (sine, abs, step, gaussian, "
            "polynomial): the plane's data sets (xor, circle, …) and CSV files cannot be swept "
            "yet; declare the nets to compare under nets: there. (Or sweep in a post of its own "
            "on 1-D data.)")


def test_sweeps_need_data_on_a_line(tmp_path):
    text = POST.replace("data:\n  points: 40", "data:\n  function: circle\n  points: 40")
    shown, found = problems(tmp_path, post=text)
    assert found == [f"{shown}:10: sweeps: this post's data is 'circle' on the plane. {NEEDS_1D}"]


def test_sweeps_on_a_csv_file_say_what_they_need(tmp_path):
    (tmp_path / "points.csv").write_text("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(40)),
                                         encoding="utf-8")
    text = POST.replace("data:\n  points: 40", f"data:\n  file: {tmp_path.name}/points.csv\n  x: x\n  y: y")
    shown, found = problems(tmp_path, post=text)
    assert found == [f"{shown}:11: sweeps: this post's data is a CSV file. {NEEDS_1D}"]


@pytest.mark.parametrize("base, vary, line, message", [
    ("{{optimizer: sgd, epochs: 50}}", "      batch_size: [8, 64]", 13,
     "sweeps.width-rate.vary.batch_size[1]: got 64, but the data has only 40 points: use a "
     "batch size ≤ 40."),
    ("{{optimizer: sgd, epochs: 50, batch_size: 64}}", "      layers: [[4], [8]]", 11,
     "sweeps.width-rate.net.batch_size: got 64, but the data has only 40 points: use a batch "
     "size ≤ 40."),
    ("{{optimizer: sgd}}", "      epochs: [20, 5]", 13,
     "sweeps.width-rate.vary.epochs[1]: 5 epochs cannot give 10 frames: lower frames.count to "
     "≤ 5 or train for more epochs."),
    ("{{optimizer: sgd, epochs: 8}}", "      layers: [[4], [8]]", 11,
     "sweeps.width-rate.net.epochs: 8 epochs cannot give 10 frames: lower frames.count to ≤ 8 "
     "or train for more epochs."),
    ("{{optimizer: sgd}}", "      epochs: [1000000]", 13,
     "sweeps.width-rate.vary.epochs[0]: 1,000,000 epochs × 60 seeds (30 shown + 30 "
     "replication) is more than 25,000,000 per-epoch losses to record: lower the epochs, seeds "
     "or replicate."),
])
def test_cells_are_held_to_the_nets_limits_with_the_nets_messages(tmp_path, base, vary, line,
                                                                   message):
    """The same rules and words as for a net (test_posts.py), reported at the key that sets
    the value: its place in the list of values, or the base net's key; once per sweep."""
    text = POST.replace("{{optimizer: sgd, epochs: 50}}", base).replace("seeds: 3", "seeds: 30")
    shown, found = problems(tmp_path, vary, text)
    assert found == [f"{shown}:{line}: {message}"]
