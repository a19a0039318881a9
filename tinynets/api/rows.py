"""Results as plain rows (a list of dicts of plain values), and as a pandas DataFrame when
pandas is installed (tinynets does not depend on it).

- ``"finals"``: one row per net and seed: ``net``, ``label``, ``seed``, ``final_error`` (NaN
  where the seed diverged), ``diverged_at`` (the first epoch whose loss was NaN or infinite,
  else None), ``median_seed`` (the seed the figures follow), and on data that records them
  ``test_error``, ``accuracy``, ``test_accuracy``.
- ``"losses"``: one row per net, seed and frame epoch after the first: ``net``, ``label``,
  ``seed``, ``frame``, ``epoch``, ``training_error`` (the recorded error after that epoch).

Example (``results`` from ``tinynets.post``)::

    [row["final_error"] for row in results.nets["wide-sgd"].to_rows()]
    results.to_frame("losses").groupby("net").training_error.median()   # with pandas
"""

from __future__ import annotations

import math
from importlib.util import find_spec
from pathlib import Path

from tinynets.errors import TinynetsError
from tinynets.media.shown import shown_arrays, shown_meta

PANDAS = find_spec("pandas") is not None
WHATS = ("finals", "losses")


def net_rows(result, shown, cache: Path, what: str) -> list[dict]:
    """The rows of one net (``result``: its ``NetResult``; ``shown``: its run)."""
    if what not in WHATS:
        raise TinynetsError(f"to_rows({what!r}): expected 'finals' (one row per seed) or "
                            "'losses' (one row per seed and frame epoch).")
    seeds = [int(seed) for seed in result.seeds]
    base = {"net": result.name, "label": result.label}
    if what == "finals":
        meta = shown_meta(shown.run)  # the page's seeds, never the replication ones
        diverged = dict(zip(meta.seeds, meta.diverged_at))
        extra = {name: getattr(result, name) for name in result.measured}
        rows = []
        for seed, value in zip(seeds, result.final_losses):
            row = {**base, "seed": seed,
                   "final_error": float(value) if math.isfinite(value) else math.nan,
                   "diverged_at": diverged[seed],
                   "median_seed": seed == result.representative_seed}
            for name, spread in extra.items():
                row[name] = float(spread.values[seed])
            rows.append(row)
        return rows
    arrays = shown_arrays(shown.run, cache)  # columns in the order of result.seeds
    losses = arrays["losses"]
    return [{**base, "seed": seed, "frame": frame, "epoch": int(epoch),
             "training_error": float(losses[int(epoch) - 1, column])}
            for column, seed in enumerate(seeds)
            for frame, epoch in enumerate(arrays["frame_epochs"]) if epoch >= 1]


def frame(rows: list[dict]):
    """``rows`` as a pandas DataFrame; a TinynetsError saying how to get one without pandas."""
    if not PANDAS:
        raise TinynetsError("to_frame() needs pandas, which is not installed (tinynets does "
                            "not depend on it): pip install pandas, or use to_rows(), plain "
                            "dicts.")
    import pandas

    return pandas.DataFrame(rows)
