"""What a run recorded at its end, per seed, and what is computed from that alone.

``RunMeta`` is the typed view of a run's meta.json (``engine.store`` writes it and reads it back
as a dict; its format is the store's business and does not change here). ``final_losses`` and
``ranking`` read its per-seed finals with diverged seeds last; ``representative_seed`` picks the
median seed, the one every figure of a net shows.

Example:
    >>> meta = RunMeta.from_dict({"seeds": [0, 1, 2], "final_losses": [0.3, None, 0.1],
    ...                           "diverged_at": [None, 40, None], "wall_time": 1.5})
    >>> final_losses(meta), meta.classification
    ([0.3, inf, 0.1], False)
    >>> representative_seed(list(meta.seeds), ranking(meta))
    0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class RunMeta:
    """A run's metadata, as ``engine.store`` records it in meta.json.

    Per seed, in the order of ``seeds``: ``final_losses`` (None where the seed diverged: its
    loss became NaN or infinite), ``diverged_at`` (the first such epoch, None if never), and on
    data with a test set or labels ``final_test_losses``, ``final_accuracy`` and
    ``final_test_accuracy`` (None when the data does not record them). ``arrays_path`` and
    ``derived_path`` say where the run's arrays and its kept derived values are; they are not
    stored but added by the store when it reads an entry. Results made by hand (tests,
    examples) have none, nor ``net``, ``parameters``, ``spec`` or ``arrays_sha256``.
    """

    seeds: tuple[int, ...]
    final_losses: tuple[float | None, ...]
    diverged_at: tuple[int | None, ...]
    wall_time: float  # seconds, for all seeds
    net: str | None = None
    parameters: int | None = None
    spec: dict | None = None  # the run's key (engine.store.RunKey.spec): data, net, seeds, …
    final_test_losses: tuple[float | None, ...] | None = None
    final_accuracy: tuple[float | None, ...] | None = None
    final_test_accuracy: tuple[float | None, ...] | None = None
    arrays_sha256: str | None = None
    arrays_path: str | None = None
    derived_path: str | None = None

    @classmethod
    def from_dict(cls, meta: dict) -> RunMeta:
        """The typed view of a meta dict (``RunStore.load_meta``'s, or one made by hand).

        Keys it does not know are left out: they are the store's, and nothing here reads them.
        Lists become tuples (a RunMeta does not change).
        """
        known = {field.name for field in fields(cls)}
        return cls(**{name: tuple(value) if isinstance(value, list) else value
                      for name, value in meta.items() if name in known})

    @property
    def classification(self) -> bool:
        """Whether the run learned labels 0/1 (it records accuracies then)."""
        return self.final_accuracy is not None


def final_losses(meta: RunMeta) -> list[float]:
    """Per-seed final errors of a run; a diverged seed (recorded as None) is +inf, so it sorts
    last and never counts as near the floor."""
    return [math.inf if value is None else value for value in meta.final_losses]


def ranking(meta: RunMeta) -> list[float]:
    """What the median seed is the median of: the final error, lower is better; for
    classification the final test accuracy (the training accuracy without a test set), negated
    so that lower is still better. A diverged seed ranks last."""
    accuracies = meta.final_test_accuracy or meta.final_accuracy
    if accuracies is None:
        return final_losses(meta)
    return [math.inf if value is None else -value for value in accuracies]


def representative_seed(seeds: list[int], final_losses: list[float]) -> int:
    """The seed whose final error is the median one (the lower middle for an even count).

    >>> representative_seed([0, 1, 2, 3], [0.3, 0.1, 0.2, float("inf")])
    2
    """
    order = sorted(range(len(seeds)), key=lambda i: (final_losses[i], seeds[i]))
    return seeds[order[(len(order) - 1) // 2]]
