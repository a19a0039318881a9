"""The training stage with sweeps: cells cached one by one, reused across nets and sweeps, and
only the new cells of a changed sweep trained, with the build saying so."""

from __future__ import annotations

from pathlib import Path

from tinynets.engine.stage import train_missing
from tinynets.engine.store import RunStore
from tinynets.progress import ProgressBoard
from tinynets.posts.load import load_posts

POST = """\
---
title: Sweep
date: 2026-01-31
data: {{points: 40}}
seeds: 2
frames: {{count: 5}}
nets:
  same: {{layers: [4], learning_rate: 0.05, epochs: 20}}
sweeps:
  grid:
    net: {{epochs: 20}}
    vary:
      layers: [[4], [6]]
      learning_rate: {rates}
---
Body.
"""


def build(root: Path, rates: str, force: bool = False) -> tuple[dict, list[str]]:
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "content" / "posts" / "sweep.md").write_text(POST.format(rates=rates))
    lines: list[str] = []
    runs = train_missing(load_posts(root / "content"), root / "cache", force, 1, lines.append,
                         ProgressBoard(quiet=True))
    return runs, lines


def test_cells_are_cached_one_by_one_and_a_changed_value_trains_only_new_cells(tmp_path):
    runs, lines = build(tmp_path, "[0.01, 0.05]")
    cells = {name: run for (slug, name), run in runs.items() if run.cell}
    assert sorted(cells) == ["grid[layers=4,learning_rate=0.01]",
                             "grid[layers=4,learning_rate=0.05]",
                             "grid[layers=6,learning_rate=0.01]",
                             "grid[layers=6,learning_rate=0.05]"]
    # The cell equal to the net 'same' is the same cache entry, trained once.
    assert cells["grid[layers=4,learning_rate=0.05]"].key == runs[("sweep", "same")].key
    assert ("train   sweep/grid: 3 of 4 cells (1×4, lr 0.01; 1×6, lr 0.01; 1×6, lr 0.05); "
            "0 reused, 1 trained as nets or other cells") in lines
    # Each cell trains its two replication seeds with its shown ones, in the same job.
    assert "trained sweep/grid: 3 cells × 2 + 2 replication seeds" in "\n".join(lines)
    store = RunStore(tmp_path / "cache" / "runs")
    for run in cells.values():
        assert run.meta == store.load_meta(run.key) and run.meta["seeds"] == [0, 1, 2, 3]

    runs_again, lines = build(tmp_path, "[0.01, 0.02]")
    assert ("train   sweep/grid: 2 of 4 cells (1×4, lr 0.02; 1×6, lr 0.02); 2 reused") in lines
    assert runs_again[("sweep", "grid[layers=6,learning_rate=0.01]")].meta == \
        cells["grid[layers=6,learning_rate=0.01]"].meta

    _, lines = build(tmp_path, "[0.01, 0.02]")
    assert "reused  sweep/grid: all 4 cells" in lines
    assert not any(line.startswith("train") for line in lines)


def test_a_sweep_figure_key_ignores_the_label_it_does_not_draw():
    from types import SimpleNamespace

    from tinynets.media.catalog import Kind
    from tinynets.media.plan import plan
    from tinynets.media.uses import PageUses

    cells = [SimpleNamespace(name=f"grid[layers={width}]", label=f"1×{width}")
             for width in (4, 6)]
    runs = {("post", cell.name): SimpleNamespace(shown=f"fp{index}", key=SimpleNamespace(
        fingerprint=f"fp{index}", spec={"frames": [0, 10]})) for index, cell in enumerate(cells)}

    def key(label="Width", keys=("layers",), stuck=0.1, kind=Kind.SWEEP_HEATMAP):
        sweep = SimpleNamespace(name="grid", cells=cells, keys=keys, label=label,
                                varied=[(keys[0], [[4], [6]])])
        post = SimpleNamespace(slug="post", sweeps=(sweep,), nets=(), data=None,
                               thresholds=SimpleNamespace(stuck=stuck))
        uses = PageUses(macros=frozenset({kind.shown_by.macro}))
        [medium] = plan([post], runs, {"post": uses}).media
        assert medium.kind is kind
        return medium.key

    assert key(label="Width, relabelled") == key()
    assert len({key(), key(keys=("learning_rate",)), key(stuck=0.2),
                key(kind=Kind.SWEEP_GRID)}) == 4


def test_under_force_the_cells_to_retrain_read_as_a_list_after_the_reason(tmp_path):
    build(tmp_path, "[0.01, 0.05, 0.1]")
    _, lines = build(tmp_path, "[0.01, 0.05, 0.1]", force=True)
    assert ("train   sweep/grid: 5 of 6 cells (--force: 1×4, lr 0.01; 1×4, lr 0.1; "
            "1×6, lr 0.01; 1×6, lr 0.05; 1 more); 0 reused, 1 trained as nets or other cells"
            ) in lines, lines
