"""A sweep cell on its own: figure(cell), loss_plot(cell) and compare([cells]) work like a net's.

The media stage reads from the post's body which cells a page shows (named in the call with
constant values, directly or through a variable set once) and renders their animation and loss
plot; any other cell's media, or a medium cells do not have, stops the build with file:line and
what to write instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import make_project, run_build

pytestmark = pytest.mark.slow

CALLS = """
{{ figure(sweeps['width-rate'].cell(layers=[8], learning_rate=0.03), caption="One cell.") }}

{{ loss_plot(cell(layers=[2], learning_rate=0.003)) }}

{% set small = cell(layers=[2], learning_rate=0.03) %}{{ compare([small, sweeps['width-rate'].cell(layers=[8], learning_rate=0.03)]) }}
"""


def _with_body(root: Path, extra: str) -> Path:
    post = root / "content" / "posts" / "sweep.md"
    post.write_text(post.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return post


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("cell-media") / "project", posts=("sweep",))
    _with_body(root, CALLS)
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_figure_loss_plot_and_compare_of_cells_are_rendered(built):
    docs = built / "build" / "docs"
    page = (docs / "posts" / "sweep.md").read_text(encoding="utf-8")
    media = docs / "media" / "sweep"
    # cells 0 (1×2, lr 0.003), 1 (1×2, lr 0.03) and 3 (1×8, lr 0.03); cell 2 is not shown
    for index in (0, 1, 3):
        for suffix in (".webm", ".gif", ".png", "-loss.svg", "-loss.png"):
            assert (media / f"sweep-width-rate-cell-{index}{suffix}").stat().st_size > 0
    assert not list(media.glob("sweep-width-rate-cell-2*"))
    assert 'src="../media/sweep/sweep-width-rate-cell-3.webm"' in page
    assert "One cell. <strong>1×8, lr 0.03</strong>" in page
    assert 'src="../media/sweep/sweep-width-rate-cell-0-loss.svg"' in page
    assert "Training error of the 1×2, lr 0.003 net over 30 epochs" in page
    assert page.count('src="../media/sweep/sweep-width-rate-cell-1.webm"') == 1  # in compare
    site = built / "build" / "site" / "sweep" / "index.html"
    assert "sweep-width-rate-cell-3.webm" in site.read_text(encoding="utf-8")


def test_a_warm_build_reuses_the_cells_media(built):
    result = run_build(built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "render  " not in result.stdout
    assert "reused  sweep/width-rate[layers=8,learning_rate=0.03] media" in result.stdout


def _failing(built: Path, folder: Path, extra: str) -> tuple[str, int]:
    root = folder / "project"
    shutil.copytree(built, root, symlinks=True)
    post = _with_body(root, extra)
    line = len(post.read_text(encoding="utf-8").splitlines())
    result = run_build(root)
    assert result.returncode != 0
    return result.stdout + result.stderr, line


def test_a_cell_not_named_in_the_call_is_a_clear_error(built, tmp_path):
    output, line = _failing(built, tmp_path, "\n{% for c in sweeps['width-rate'].cells %}"
                                             "{{ figure(c) }}{% endfor %}\n")
    assert f"sweep.md:{line}: a cell of sweep 'width-rate' has an animation and loss plot " \
           "only when the figure(…), loss_plot(…) or compare(…) call names it with constant " \
           "values, e.g. figure(sweeps['width-rate'].cell(layers=[2], learning_rate=0.003))" \
           in output, output
    assert "sweep_grid(sweeps['width-rate'])" in output
    assert "undefined" not in output


def test_a_medium_cells_do_not_have_is_a_clear_error(built, tmp_path):
    output, line = _failing(built, tmp_path, "\n{{ figure(cell(layers=[8], learning_rate=0.03),"
                                             " units=true) }}\n")
    assert f"sweep.md:{line}: cells of sweep 'width-rate' have an animation and a loss plot" \
           in output, output
    assert "declare that net under 'nets' to show it" in output
