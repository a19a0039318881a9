"""``make bench``: the speed figures, as ratios against naive references run in the same script.

Prints, each on its own line:
    train_speedup_vs_naive, seeds10_cost_vs_seed1,
    compile_share_first_net, second_net_same_shape_speedup,
    replication_cost_vs_shown, replication_loop_cost_vs_shown  (tinynets.bench.train)
    render_speedup_vs_naive, gif_kb, webm_kb                   (tinynets.bench.render)
    render_2d_vs_1d, plane_gif_kb, plane_webm_kb               (tinynets.bench.plane)
    clean_build_s, add_net_rebuild_s, serve_new_net_s          (tinynets.bench.author_loop)
    sweep_speedup_vs_per_net, sweep_2000_trainings_s,
    dask_local_cluster_vs_pool, sweep_grid_36_vs_compare_4      (tinynets.bench.sweep)
    warm_build_vs_mkdocs, edited_build_vs_mkdocs,
    results_json_kb, open_data_kb                              (below)
    weights_recording_overhead, units_figure_vs_plain, network_vs_plain,
    units_gif_kb, units_webm_kb, network_gif_kb, network_webm_kb (tinynets.bench.inside)
    scrub_frame_ms_p95, first_figure_interactive_ms, reference_page_kb,
    explorable_data_kb_per_net                                 (tinynets.bench.figures, Chromium)
    notebook_kernel_start_s, notebook_cached_net_s,
    notebook_new_net_s                                         (tinynets.bench.notebook, a kernel)
    fit_check …: engine vs plain model.fit, final-error distributions and rank-sum p-values
                                                               (tinynets.bench.fit_check, minutes)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _timed(command: list[str], runs: int, folder: Path) -> float:
    """Median wall time of ``command`` run ``runs`` times in ``folder``."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=folder, check=True, env=environment,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm_build(runs: int = 7) -> None:
    """A build with nothing to train or render against a bare ``mkdocs build`` of the same docs,
    and a build after an edit to one sentence of a post (in a copy of the project).

    The three are measured in turns, ``runs`` rounds, and each figure is its median: this
    machine's speed drifts by tens of percent over a minute, which sequential blocks of runs
    turned into ratios that moved between 0.98 and 1.49.
    """
    python = sys.executable
    subprocess.run([python, "-m", "tinynets", "build", "--quiet"], cwd=ROOT, check=True)
    ours, bare, edited = [], [], []
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-edit-") as folder:
        copy = Path(folder)
        for name in ("content", "templates"):
            shutil.copytree(ROOT / name, copy / name)
        shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
        # Hard links: the copy reuses every trained run and rendered medium.
        shutil.copytree(ROOT / "build" / "cache", copy / "build" / "cache", copy_function=os.link)
        subprocess.run([python, "-m", "tinynets", "build", "--quiet", "--root", str(copy)],
                       cwd=ROOT, check=True)
        post = sorted((copy / "content" / "posts").glob("*.md"))[0]
        for run in range(runs):
            ours.append(_timed([python, "-m", "tinynets", "build", "--quiet"], 1, ROOT))
            bare.append(_timed([python, "-m", "mkdocs", "build", "--quiet"], 1, ROOT))
            text = post.read_text(encoding="utf-8")
            post.write_text(text.replace("<!-- more -->", f"Edit {run}.\n\n<!-- more -->", 1),
                            encoding="utf-8")
            edited.append(_timed([python, "-m", "tinynets", "build", "--quiet", "--root",
                                  str(copy)], 1, ROOT))
    ours, bare, edited_seconds = (statistics.median(times) for times in (ours, bare, edited))
    print(f"warm_build_seconds: {ours:.2f}")
    print(f"edited_sentence_build_seconds: {edited_seconds:.2f}")
    print(f"bare_mkdocs_seconds: {bare:.2f}")
    pages = len(list((ROOT / "build" / "site").rglob("*.html")))
    startup = _timed([python, "-c", "import mkdocs.commands.build, material, "
                      "material.plugins.blog.plugin"], runs, ROOT)
    print(f"mkdocs_per_page_ms: {1000 * (bare - startup) / pages:.0f}  ({pages} pages; "
          f"{startup:.2f} s of the {bare:.2f} s is starting Python and importing MkDocs)")
    print(f"warm_build_vs_mkdocs: {ours / bare:.2f}")
    print(f"edited_build_vs_mkdocs: {edited_seconds / bare:.2f}", flush=True)
    record_sizes(ROOT / "build" / "site")


def record_sizes(site: Path) -> None:
    """The size of the build's record and of the posts' open data (issue 24): results.json, and
    every CSV under media/ (final errors and loss curves), in KB."""
    data = sorted((site / "media").rglob("*.csv"))
    largest = max((path.stat().st_size for path in data), default=0)
    print(f"results_json_kb: {(site / 'results.json').stat().st_size / 1024:.1f}")
    print(f"open_data_kb: {sum(path.stat().st_size for path in data) / 1024:.1f}  "
          f"({len(data)} CSV files, the largest {largest / 1024:.1f})", flush=True)


def main() -> None:
    from tinynets.bench import author_loop
    from tinynets.bench import figures as bench_figures
    from tinynets.bench import fit_check
    from tinynets.bench import inside as bench_inside
    from tinynets.bench import notebook as bench_notebook
    from tinynets.bench import plane as bench_plane
    from tinynets.bench import render as bench_render
    from tinynets.bench import sweep as bench_sweep
    from tinynets.bench import train as bench_train

    bench_train.main(["--reference"])
    bench_train.main(["--replication"])
    bench_render.main()
    bench_plane.main()
    author_loop.main()
    bench_sweep.main()
    warm_build()
    bench_figures.main(["--site", str(ROOT / "build" / "site")])  # the site warm_build built
    bench_inside.main()
    bench_notebook.main()
    fit_check.main([])


if __name__ == "__main__":
    main()
