"""Measurements that remember what they are: the values claims compare.

A number a post shows is a ``Measured`` (errors, accuracies) or a ``Count`` (stuck seeds,
parameters): a float or an int that also knows its name, the plain measurements it was computed
from, and the ``Divergence`` notes of the seeds that blew up on the way. Comparing one gives a
``Check``, which ``claim()`` reads: whether it holds, what was claimed and what was measured.
``Never`` is an epoch that never came; ``SeedList`` a net's seeds with something in common.

Example:
    >>> deep, wide = Measured(0.0083, "deep error"), Measured(0.0165, "wide error")
    >>> (2 * deep < wide).text
    'claimed: 2×deep error < wide error; measured: deep error = 0.0083, wide error = 0.0165'
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Divergence:
    """A note carried by values that diverged seeds went into: which net, and what happened."""

    net: str
    text: str  # "2 of 10 seeds of boom diverged"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Check:
    """The outcome of comparing measurements, with what was claimed and what was measured.

    ``kind`` is "compare" for one comparison, or "and", "or", "not" for checks combined in a
    template; ``parts`` are the combined checks.
    """

    passed: bool
    claimed: str
    measured: tuple  # the plain measurements read, each once, in the order they were read
    diverged: tuple = ()  # Divergence notes of the values compared
    kind: str = "compare"
    parts: tuple = ()
    # Comparisons that claim something of every seed or of no seed (a count of seeds against
    # its total, or against 0 or 1), each an ``AllOrNone``: few seeds show little of that.
    every_or_none: tuple = ()

    def __bool__(self) -> bool:
        return self.passed

    @property
    def text(self) -> str:
        """'claimed: A < B; measured: A = 0.0083, B = 0.0165' (and which parts are false)."""
        text = f"claimed: {self.claimed}"
        if self.measured:
            text += f"; measured: {', '.join(_value_text(m) for m in self.measured)}"
        false = self.false_comparisons()
        if self.kind != "compare" and false and len(false) < len(self.comparisons()):
            text += f"; false: {', '.join(f'({part.claimed})' for part in false)}"
        return text

    def comparisons(self) -> list[Check]:
        """Every single comparison this check evaluated."""
        if self.kind == "compare":
            return [self]
        return [leaf for part in self.parts for leaf in part.comparisons()]

    def false_comparisons(self) -> list[Check]:
        """The comparisons that make this check fail ('not' checks are left out)."""
        if self.kind == "compare":
            return [] if self.passed else [self]
        if self.kind == "not" or self.passed:
            return []
        return [leaf for part in self.parts for leaf in part.false_comparisons()]

    def __and__(self, other):
        return _combine("and", self, other, bool(self) and bool(other))

    def __or__(self, other):
        return _combine("or", self, other, bool(self) or bool(other))

    def __invert__(self):
        return Check(not self.passed, f"not ({self.claimed})", self.measured, self.diverged,
                     "not", (self,), self.every_or_none)


@dataclass(frozen=True)
class AllOrNone:
    """A comparison that claims something of every seed, or of no seed: ``count`` (named
    ``name``) of ``total`` seeds, claimed to be all of them (``every``) or none (not ``every``).

    >>> stuck = Count(4, "wide stuck seeds", out_of=4)
    >>> (stuck >= 4).every_or_none
    (AllOrNone(name='wide stuck seeds', count=4, total=4, every=True),)
    """

    name: str
    count: int
    total: int
    every: bool


def _combine(kind: str, left, right, passed: bool) -> Check:
    parts = tuple(part for part in (left, right) if isinstance(part, Check))
    claimed = f"{_claimed(left, kind)} {kind} {_claimed(right, kind)}"
    return Check(passed, claimed, _merge(left, right, "measured"), _merge(left, right, "diverged"),
                 kind, parts, _merge(left, right, "every_or_none"))


def _claimed(value, within: str) -> str:
    """How a value reads inside an ``and``/``or``: an 'or' inside an 'and' (and the reverse) in
    parentheses, so the words keep the template's grouping."""
    if isinstance(value, Check):
        grouped = value.kind in ("and", "or") and value.kind != within
        return f"({value.claimed})" if grouped else value.claimed
    return _operand(value)


def _operand(value) -> str:
    if isinstance(value, _Quantity):
        return value.name
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _merge(left, right, field: str) -> tuple:
    """The ``field`` items of both sides, each once (by name and value: a measurement's ``==``
    makes a ``Check``, so ``in`` cannot be used)."""
    merged, seen = [], set()
    for value in (left, right):
        for item in getattr(value, field, ()):
            key = (item.name, float(item)) if isinstance(item, _Quantity) else item
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return tuple(merged)


def _value_text(measurement) -> str:
    if isinstance(measurement, int):
        return f"{measurement.name} = {int(measurement)}"
    if isinstance(measurement, Never):
        return f"{measurement.name} = never"
    value = float(measurement)
    shown = f"{value:.4g}" if math.isfinite(value) else "∞ (diverged)"
    return f"{measurement.name} = {shown}"


class _Quantity:
    """What ``Measured`` and ``Count`` share: a name, the plain measurements they were computed
    from, divergence notes, and comparisons that return ``Check``s."""

    name: str
    measured: tuple
    diverged: tuple
    out_of: int | None = None  # a count of seeds: of how many (its net's seeds)

    def _init(self, name: str, diverged, measured: tuple | None) -> None:
        self.name = name
        self.diverged = (diverged,) if isinstance(diverged, Divergence) else tuple(diverged)
        self.measured = (self,) if measured is None else measured

    def describe(self) -> str:
        return _value_text(self)

    def _compare(self, other, symbol: str, passed: bool) -> Check:
        return Check(passed, f"{self.name} {symbol} {_operand(other)}",
                     _merge(self, other, "measured"), _merge(self, other, "diverged"),
                     every_or_none=self._every_or_none(other, symbol))

    def _every_or_none(self, other, symbol: str) -> tuple:
        """``(AllOrNone,)`` when this is a count of seeds compared so as to claim every seed
        (``≥ total``, ``= total``, ``> total − 1``) or none (``< 1``, ``= 0``, ``≤ 0``)."""
        if self.out_of is None:
            return ()
        limit = _plain(other)
        every = (symbol in ("≥", "=") and limit == self.out_of) or (
            symbol == ">" and limit == self.out_of - 1)
        none = (symbol == "<" and limit == 1) or (symbol in ("=", "≤") and limit == 0)
        if not (every or none):
            return ()
        return (AllOrNone(self.name, int(self), self.out_of, every),)

    def __lt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "<", self._value() < _plain(other))

    def __le__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≤", self._value() <= _plain(other))

    def __gt__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, ">", self._value() > _plain(other))

    def __ge__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≥", self._value() >= _plain(other))

    def __eq__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "=", self._value() == _plain(other))

    def __ne__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._compare(other, "≠", self._value() != _plain(other))

    def _derived(self, value, name: str, other) -> _Quantity:
        """A value computed from this one (and ``other``): whole when both are, else a float."""
        measured, diverged = _merge(self, other, "measured"), _merge(self, other, "diverged")
        if isinstance(value, int) and not isinstance(value, bool):
            return Count(value, name, diverged, measured)
        return Measured(value, name, diverged, measured)

    def __mul__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() * _plain(other), f"{_factor(other)}×{self.name}", other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(float(self) / float(other), f"{self.name} / {_factor(other)}", other)

    def __rtruediv__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(float(other) / float(self), f"{_factor(other)} / {self.name}", other)

    def __add__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() + _plain(other), f"{self.name} + {_factor(other)}",
                             other)

    def __radd__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(_plain(other) + self._value(), f"{_factor(other)} + {self.name}",
                             other)

    def __sub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(self._value() - _plain(other), f"{self.name} − {_factor(other)}",
                             other)

    def __rsub__(self, other):
        if not _is_number(other):
            return NotImplemented
        return self._derived(_plain(other) - self._value(), f"{_factor(other)} − {self.name}",
                             other)


class Measured(_Quantity, float):
    """A float that knows what it measures: comparisons return ``Check``s.

    >>> (Measured(0.0083, "deep error") < Measured(0.0165, "wide error")).text
    'claimed: deep error < wide error; measured: deep error = 0.0083, wide error = 0.0165'
    """

    def __new__(cls, value: float, name: str, diverged: Divergence | tuple = (),
                measured: tuple | None = None):
        instance = super().__new__(cls, value)
        instance._init(name, diverged, measured)
        return instance

    def _value(self) -> float:
        return float(self)

    __hash__ = float.__hash__


class Count(_Quantity, int):
    """A whole number that knows what it counts (stuck seeds, parameters): prints as ``3``.

    >>> stuck = Count(3, "wide stuck seeds")
    >>> str(stuck), (stuck >= 3).text
    ('3', 'claimed: wide stuck seeds ≥ 3; measured: wide stuck seeds = 3')
    """

    def __new__(cls, value: int, name: str, diverged: Divergence | tuple = (),
                measured: tuple | None = None, out_of: int | None = None):
        instance = super().__new__(cls, value)
        instance._init(name, diverged, measured)
        instance.out_of = out_of  # a count of seeds: of how many
        return instance

    def _value(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return int.__repr__(self)

    __str__ = __repr__
    __hash__ = int.__hash__


class Never(Measured):
    """An epoch that never came (a level the median error never reached): false in ``if``,
    printed as "never", and later than any epoch in a claim (it is +∞ underneath)."""

    def __new__(cls, name: str, diverged: Divergence | tuple = ()):
        return super().__new__(cls, math.inf, name, diverged)

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "never"

    __format__ = lambda self, spec: "never"  # noqa: E731 - "{:,}".format(never) too
    __hash__ = float.__hash__


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value):
    """A number without its measurement wrapper (an int stays an int)."""
    return int(value) if isinstance(value, int) else float(value)


def _factor(value) -> str:
    return value.name if isinstance(value, _Quantity) else f"{value:g}"


class SeedList(list):
    """Seeds of a net with something in common (diverged, stuck, …); ``| length`` in a template
    gives a ``Count`` that claims can compare (see ``pages.templating``). ``out_of``: of how many
    seeds these are some (None for a net's list of all its seeds)."""

    def __init__(self, seeds, name: str, diverged: Divergence | tuple = (),
                 out_of: int | None = None):
        super().__init__(seeds)
        self.name, self.diverged, self.out_of = name, diverged, out_of

    def count_measured(self) -> Count:
        return Count(len(self), self.name, self.diverged, out_of=self.out_of)
