"""Values derived from a run's arrays, kept on disk so that a warm build need not load them
(``measure.derived`` and ``measure.uncertainty`` keep every value they derive in one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from tinynets import atomic
from tinynets.engine.fingerprint import source_digest


class KeptValues:
    """The values derived from one run's arrays, kept in a JSON file beside the cache.

    A warm build used to load every asked-for run's arrays and recompute bends, dead units and
    held-out errors (numpy, a tenth of a second and more) although nothing had changed. The file
    (build/cache/derived/<run fingerprint>.json) holds each value under its key, with the digest
    of the code that computes them: when that code changes, the file counts as empty. The run's
    fingerprint covers its spec, data and library versions, so a value never outlives its arrays.

    >>> import shutil, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> KeptValues.at(f"{folder}/3f2a9c0d1e2b4a5c.json").value(("dead", 4), lambda: [2.0, 3.0])
    [2.0, 3.0]
    >>> KeptValues.at(f"{folder}/3f2a9c0d1e2b4a5c.json").value(("dead", 4), lambda: "computed")
    [2.0, 3.0]
    >>> shutil.rmtree(folder)
    """

    # The code that computes kept values: the inside measurements (derived, inside, the data's
    # true function) and the uncertainty between two nets (uncertainty, stats).
    MODULES = ("tinynets.measure.derived", "tinynets.measure.inside", "tinynets.engine.data",
               "tinynets.measure.uncertainty", "tinynets.measure.stats",
               "tinynets.posts.functions")

    def __init__(self, path: Path):
        self.path = path
        self._values: dict | None = None

    @classmethod
    def at(cls, path) -> KeptValues | None:
        return cls(Path(path)) if path else None

    def _version(self) -> str:
        return source_digest(*self.MODULES)

    def _load(self) -> dict:
        if self._values is None:
            self._values = {}
            try:
                stored = json.loads(self.path.read_text(encoding="utf-8"))
                if stored.get("version") == self._version():
                    self._values = dict(stored["values"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # absent or damaged: computed again, and rewritten
        return self._values

    def value(self, key, compute: Callable[[], object]):
        """The value kept under ``key`` (a string or a tuple of plain values), or ``compute()``'s,
        which is then kept (a value that does not survive JSON unchanged is not kept)."""
        name = json.dumps(key)
        values = self._load()
        if name in values:
            return values[name]
        value = compute()
        if json.loads(json.dumps(value)) == value or value != value:
            values[name] = value
            self._save()
        return value

    def _save(self) -> None:
        try:
            atomic.write_text(self.path, json.dumps(
                {"version": self._version(), "values": self._values}, sort_keys=True))
        except OSError:
            pass  # not kept: the next build computes it again
