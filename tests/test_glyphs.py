"""Emoji in a label: the figures leave out what their font cannot draw (no empty boxes, no
matplotlib warning per figure), and the build says so once; the page shows the label whole."""

from __future__ import annotations

import matplotlib
import pytest
from support import make_project, run_build

from tinynets import glyphs

POST = """---
title: Rockets
date: 2026-11-09
authors: [tinynets]
data: {function: sine, points: 40, noise: 0.1}
nets:
  rocket: {label: "Fast 🚀 net", layers: [4], optimizer: adam, learning_rate: 0.05, epochs: 40,
           batch_size: 8}
  plain: {label: "Plain — 1×4", layers: [4], epochs: 40, batch_size: 8}
seeds: 2
frames: {count: 4}
---

{{ figure(nets['rocket']) }}

{{ loss_plot(nets['rocket']) }}

{{ compare(nets.values()) }}
"""


def test_the_coverage_table_is_the_fonts():
    assert glyphs.font_coverage(f"{matplotlib.get_data_path()}/fonts/ttf") == glyphs.COVERAGE


@pytest.mark.slow
def test_an_emoji_in_a_label_is_left_out_of_figures_with_one_note(tmp_path):
    root = make_project(tmp_path / "project", posts=("notes",))
    (root / "content" / "posts" / "rockets.md").write_text(POST, encoding="utf-8")
    result = run_build(root, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note    ")]
    assert notes == ["note    rockets/rocket: figures leave out 🚀 of its label 'Fast 🚀 net' "
                     "(DejaVu Sans, the figures' font, has no glyph for it); the page shows the "
                     "label whole."]
    assert "Glyph" not in result.stderr and "missing from" not in result.stderr, result.stderr
    media = root / "build" / "site" / "media" / "rockets"
    plot = (media / "rocket-loss.svg").read_text("utf-8")
    assert "Fast net" in plot and "🚀" not in plot
    page = (root / "build" / "site" / "rockets" / "index.html").read_text("utf-8")
    assert "Fast 🚀 net" in page
