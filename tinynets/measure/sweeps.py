"""What templates see of a sweep: ``sweeps['width-rate']`` with its cells, each a ``NetResult``.

A cell is measured exactly like a net (``median``, ``near_floor``, ``stuck``, …), so every helper
and ``claim`` works on it. The sweep adds ways to pick cells: ``cell(layers=[16],
learning_rate=0.01)``, ``best`` and ``worst`` (lowest and highest median), ``best_per('layers')``
(the best cell for each width) and ``best_value('learning_rate', layers=[16])`` (the best cell's
learning rate, a measurement claims can compare).

Example (in a post):
    {{ claim("the best rate does not move with width",
             sweeps['width-rate'].best_value('learning_rate', layers=[4])
             == sweeps['width-rate'].best_value('learning_rate', layers=[64])) }}

The same in Python, with four cells of one seed each made by hand:
    >>> from tinynets.measure.finals import RunMeta
    >>> from tinynets.posts.model import NetSpec, SweepSpec, Thresholds
    >>> cells = [NetSpec(name=f"cell-{i}", layers=(width,), learning_rate=rate)
    ...          for i, (width, rate) in enumerate([(4, 0.01), (4, 0.1), (64, 0.01), (64, 0.1)])]
    >>> spec = SweepSpec("width-rate", "Width and rate", cells[0],
    ...                  (("layers", ((4,), (64,))), ("learning_rate", (0.01, 0.1))), tuple(cells))
    >>> sweep = SweepResult(spec, [NetResult(cell, RunMeta((0,), (final,), (None,), 1.0), 0.01,
    ...                                      Thresholds(), "#0072B2", {})
    ...                            for cell, final in zip(cells, [0.09, 0.03, 0.02, 0.05])], {})
    >>> check = (sweep.best_value('learning_rate', layers=[4])
    ...          == sweep.best_value('learning_rate', layers=[64]))
    >>> bool(check), [float(value) for value in check.measured]
    (False, [0.1, 0.01])
"""

from __future__ import annotations

import math

from tinynets.errors import TemplateProblem
from tinynets.measure.quantities import Count, Measured
from tinynets.measure.results import NetResult


def normal_value(key: str, value):
    """A value as the spec holds it: layers [16] → (16,), 0.01 → 0.01."""
    if key == "layers":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (int(value),)
        return tuple(int(units) for units in value)
    if isinstance(value, int) and not isinstance(value, bool) and key in ("learning_rate",
                                                                             "momentum"):
        return float(value)
    return value


def _shown(key: str, value) -> str:
    if key == "layers":
        return "[" + ", ".join(map(str, value)) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


class SweepResult:
    """One sweep as templates see it.

    ``cells`` are ``NetResult``s in the sweep's order (the first varied key slowest); each also
    has ``values``, its varied values by key.
    """

    def __init__(self, spec, cells: list[NetResult], media: dict):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label
        self.keys = list(spec.keys)
        self.values = {key: list(values) for key, values in spec.varied}
        self.cells = cells
        self.media = media  # kind → URL relative to the docs root (heatmap, plot, grid, …)
        for cell, net in zip(cells, spec.cells):
            cell.values = spec.values(net)
        self.seeds = len(cells[0].seeds) if cells else 0
        self.noise_floor = cells[0].noise_floor if cells else 0.0
        ranked = sorted(cells, key=lambda cell: (float(cell.median), cells.index(cell)))
        self.best = ranked[0]
        self.worst = ranked[-1]

    def cell(self, **values) -> NetResult:
        """The cell with these varied values, e.g. ``cell(layers=[16], learning_rate=0.01)``.

        Every varied key must be given (a cell is one combination).
        """
        unknown = [key for key in values if key not in self.keys]
        if unknown:
            raise TemplateProblem(f"sweep '{self.name}' does not vary {', '.join(unknown)}: it "
                                  f"varies {', '.join(self.keys)}.")
        missing = [key for key in self.keys if key not in values]
        if missing:
            raise TemplateProblem(f"sweep '{self.name}': cell(…) needs a value for every key "
                                  f"it varies; missing {', '.join(missing)}, e.g. "
                                  f"{missing[0]}={_shown(missing[0], self.values[missing[0]][0])}.")
        return self._matching(values)[0]

    def _matching(self, values: dict) -> list[NetResult]:
        wanted = {key: normal_value(key, value) for key, value in values.items()}
        for key, value in wanted.items():
            if key not in self.keys:
                raise TemplateProblem(f"sweep '{self.name}' does not vary {key}: it varies "
                                      f"{', '.join(self.keys)}.")
            if value not in self.values[key]:
                raise TemplateProblem(
                    f"sweep '{self.name}' has no {key} {_shown(key, value)}; its values are "
                    f"{', '.join(_shown(key, each) for each in self.values[key])}.")
        return [cell for cell in self.cells
                if all(cell.values[key] == value for key, value in wanted.items())]

    def cells_where(self, **values) -> list[NetResult]:
        """The cells with these values of some keys: ``cells_where(layers=[16])``."""
        return self._matching(values)

    def best_of(self, **values) -> NetResult:
        """The cell with the lowest median among those with these values."""
        matching = self._matching(values)
        return min(matching, key=lambda cell: (float(cell.median), matching.index(cell)))

    def best_per(self, key: str) -> list[tuple]:
        """For each value of ``key``, (value, the best cell with that value): "the best learning
        rate for each width" is ``best_per('layers')``, each cell's ``values.learning_rate``."""
        if key not in self.keys:
            raise TemplateProblem(f"sweep '{self.name}' does not vary {key}: it varies "
                                  f"{', '.join(self.keys)}.")
        return [(value, self.best_of(**{key: value})) for value in self.values[key]]

    def best_value(self, key: str, **values):
        """The value of ``key`` in the best cell among those with ``values``, as a measurement:
        ``best_value('learning_rate', layers=[16])`` is a ``Measured`` claims can compare."""
        if key not in self.keys:
            raise TemplateProblem(f"sweep '{self.name}' does not vary {key}: it varies "
                                  f"{', '.join(self.keys)}.")
        best = self.best_of(**values)
        value = best.values[key]
        where = ", ".join(f"{name} {_shown(name, normal_value(name, each))}"
                          for name, each in values.items())
        name = f"{self.name} best {key}" + (f" at {where}" if where else "")
        if key == "layers":
            return Count(sum(value), name + " (hidden units)", best.median.diverged)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TemplateProblem(f"best_value('{key}') is {value!r}, not a number a claim can "
                                  f"compare; compare cells instead, e.g. sweep.best_of(…).median.")
        quantity = Count if isinstance(value, int) else Measured
        return quantity(value, name, best.median.diverged)

    def count_cells(self, condition: str = "near_floor", most: bool = True) -> Count:
        """How many cells have most of their seeds near the floor (``near_floor``) or stuck."""
        if condition not in ("near_floor", "stuck"):
            raise TemplateProblem("count_cells: the condition is 'near_floor' or 'stuck'.")
        counted = sum(1 for cell in self.cells
                      if int(getattr(cell, condition)) * 2 > len(cell.seeds))
        return Count(counted, f"{self.name} cells with most seeds {condition.replace('_', ' ')}")

    def __repr__(self) -> str:
        return f"SweepResult({self.name!r}, {len(self.cells)} cells)"


def median_is_finite(cell: NetResult) -> bool:
    return math.isfinite(float(cell.median))
