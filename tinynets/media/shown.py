"""A run as its page shows it: its recording and metadata on the shown seeds only, never the
replication seeds the run trained with them (``engine.seed_columns``). Every medium and figure
data file reads a run through these.

Example (``run`` as the training stage gives it, trained; ``cache`` holds its recording)::

    shown_arrays(run, cache)["seeds"]      # the shown seeds, e.g. array([0, 1, …, 9])
    shown_meta(run).final_losses           # one final error per shown seed
"""

from __future__ import annotations

from pathlib import Path

from tinynets.engine.seed_columns import select_arrays, select_meta
from tinynets.measure.finals import RunMeta


def shown_arrays(run, cache: Path) -> dict:
    """The run's recorded arrays, on the seeds its page shows only."""
    from tinynets.engine.store import RunStore

    return select_arrays(RunStore(cache / "runs").load_arrays(run.key), run.seeds)


def shown_meta(run) -> RunMeta:
    """The run's metadata, on the seeds its page shows only."""
    return RunMeta.from_dict(select_meta(run.meta, run.seeds))
