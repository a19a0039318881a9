"""Some of a run's seeds: its recording and its metadata restricted to the shown or to the
replication seeds.

A post's nets train their shown and replication seeds together, stacked in one compiled loop,
and are cached as one run (``engine.store``). What a page shows is measured on the shown seeds
only, and its claims are checked again on the replication seeds: each is this run seen through
one set of its seeds. Every recorded array has one seeds axis (``engine.sweeps.MEMBER_AXES``,
the same axes a sweep's cells are cut along); metadata lists one value per seed.

Values derived from a set of seeds are kept apart from those of another set
(``derived_path``): a kink of "seed column 3" means another seed in each.

Example:
    >>> meta = {"seeds": [0, 1, 2, 3], "final_losses": [0.1, 0.2, None, 0.4],
    ...         "diverged_at": [None, None, 12, None], "wall_time": 2.0,
    ...         "derived_path": "cache/derived/3f2a9c0d1e2b4a5c.json"}
    >>> shown = select_meta(meta, (0, 1))
    >>> shown["seeds"], shown["final_losses"], shown["derived_path"]
    ([0, 1], [0.1, 0.2], 'cache/derived/3f2a9c0d1e2b4a5c-463f2998.json')
    >>> select_meta(meta, (2, 3))["diverged_at"], select_meta(meta, (0, 1, 2, 3)) == meta
    ([12, None], True)
"""

from __future__ import annotations

from tinynets.engine.fingerprint import digest

# Arrays of a run (arrays.npz) with a seeds axis, and where it is; ``weight_<i>`` (final
# weights) and ``frame_weight_<i>`` (weights at the frame epochs) by prefix.
SEED_AXES = {"seeds": 0, "predictions": 1, "losses": 1, "fit_losses": 1, "test_losses": 1,
             "accuracy": 1, "test_accuracy": 1}
SEED_AXES_BY_PREFIX = {"frame_weight_": 1, "weight_": 0}
# Metadata (meta.json) holding one value per seed.
PER_SEED_META = ("seeds", "final_losses", "diverged_at", "final_test_losses", "final_accuracy",
                 "final_test_accuracy")


def columns(run_seeds, seeds) -> list[int]:
    """Where each of ``seeds`` sits among the run's seeds; ValueError for one it did not train.

    >>> columns([0, 1, 2, 3], (3, 1))
    [3, 1]
    """
    run_seeds = [int(seed) for seed in run_seeds]
    missing = [seed for seed in seeds if seed not in run_seeds]
    if missing:
        raise ValueError(f"the run trained seeds {run_seeds}, not {missing}")
    return [run_seeds.index(seed) for seed in seeds]


def _axis(name: str) -> int | None:
    if name in SEED_AXES:
        return SEED_AXES[name]
    for prefix, axis in SEED_AXES_BY_PREFIX.items():
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return axis
    return None


def select_arrays(arrays: dict, seeds) -> dict:
    """A run's arrays (``RunStore.load_arrays``) with only the columns of ``seeds``, in that
    order; arrays without a seeds axis (grid, frame epochs) as they are."""
    import numpy as np

    where = columns(arrays["seeds"], tuple(seeds))
    if where == list(range(len(arrays["seeds"]))):
        return arrays
    chosen = {}
    for name, array in arrays.items():
        axis = _axis(name)
        chosen[name] = array if axis is None else np.ascontiguousarray(
            np.take(array, where, axis=axis))
    return chosen


def select_meta(meta: dict, seeds) -> dict:
    """A run's metadata (``RunStore.load_meta``) as if it had trained ``seeds`` only: every
    per-seed list cut to them, and values derived from them kept in a file of their own."""
    seeds = tuple(int(seed) for seed in seeds)
    if seeds == tuple(meta["seeds"]):
        return meta
    where = columns(meta["seeds"], seeds)
    chosen = dict(meta)
    for name in PER_SEED_META:
        if meta.get(name) is not None:
            chosen[name] = [meta[name][column] for column in where]
    if meta.get("derived_path"):
        chosen["derived_path"] = derived_path_of(meta["derived_path"], seeds)
    return chosen


def derived_path_of(path: str, seeds: tuple[int, ...]) -> str:
    """Where values derived from ``seeds`` of a run are kept: beside the run's own file
    (``<fingerprint>.json``), as ``<fingerprint>-<digest of the seeds>.json``."""
    stem, suffix = path.rsplit(".", 1)
    return f"{stem}-{digest(list(seeds))[:8]}.{suffix}"
