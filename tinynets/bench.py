"""``make bench``: the speed figures, as ratios against naive references run in the same script.

Prints, each on its own line:
    train_speedup_vs_naive, seeds10_cost_vs_seed1      (tinynets.bench_train)
    render_speedup_vs_naive, gif_kb, webm_kb          (tinynets.bench_render)
    warm_build_vs_mkdocs                               (below)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(command: list[str], runs: int) -> float:
    """Median wall time of ``command`` run ``runs`` times in the project root."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, env=environment,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm_build(runs: int = 5) -> None:
    """A build with nothing to train or render against a bare ``mkdocs build`` of the same docs."""
    python = sys.executable
    subprocess.run([python, "-m", "tinynets", "build", "--quiet"], cwd=ROOT, check=True)
    ours = _timed([python, "-m", "tinynets", "build", "--quiet"], runs)
    bare = _timed([python, "-m", "mkdocs", "build", "--quiet"], runs)
    print(f"warm_build_seconds: {ours:.2f}")
    print(f"bare_mkdocs_seconds: {bare:.2f}")
    print(f"warm_build_vs_mkdocs: {ours / bare:.2f}", flush=True)


def main() -> None:
    from tinynets import bench_render, bench_train

    bench_train.main(["--reference"])
    bench_render.main()
    warm_build()


if __name__ == "__main__":
    main()
