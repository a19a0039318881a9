"""The claims a page makes, as the build checked them: what later stages read (the results record,
the provenance block) instead of the prose.

``claim(text, check)`` in a post (``pages.templating``) writes ``text`` and, while a page renders
inside ``collecting()``, adds a ``ClaimResult`` to the page's list: its line, its text, and the
check's outcome on the seeds the page shows. A claim whose check fails stops the build
(``ClaimFailed``) and is not listed.

>>> from tinynets.measure.quantities import Measured
>>> with collecting() as found:
...     note(3, "deep beats wide", Measured(0.08, "deep median") < Measured(0.1, "wide median"))
>>> found[0].line, found[0].shown.holds, found[0].shown.measured
(3, True, (('deep median', 0.08), ('wide median', 0.1)))
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

from tinynets.measure.quantities import Check, Never


@dataclass(frozen=True)
class ClaimOutcome:
    """One evaluation of a claim's check: whether it holds, the check as written with its values
    (``claimed: A < B; measured: A = 0.0083, B = 0.0165``), and each value read, by name
    (a number; ``"never"`` for a level never reached; ``"diverged"`` for a non-finite one)."""

    holds: bool
    check: str
    claimed: str
    measured: tuple[tuple[str, float | int | str], ...]

    @classmethod
    def of(cls, check: Check) -> "ClaimOutcome":
        return cls(bool(check), check.text, check.claimed,
                   tuple((value.name, plain(value)) for value in check.measured))


@dataclass(frozen=True)
class ClaimResult:
    """A claim on a page: the template line (of the post's file), its text, and its outcome."""

    line: int
    text: str
    shown: ClaimOutcome
    # The same check on the post's replication seeds (None: the post replicates nothing).
    replication: ClaimOutcome | None = None


def plain(value) -> float | int | str:
    """A measured value as a record holds it: a number, ``"never"`` or ``"diverged"``."""
    if isinstance(value, Never):
        return "never"
    if isinstance(value, int):
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else "diverged"


_FOUND: ContextVar[list[ClaimResult] | None] = ContextVar("claims", default=None)


@contextmanager
def collecting() -> Iterator[list[ClaimResult]]:
    """Within the block, every claim that ``note`` is told of is added to the list yielded."""
    found: list[ClaimResult] = []
    token = _FOUND.set(found)
    try:
        yield found
    finally:
        _FOUND.reset(token)


def note(line: int, text: str, check: Check) -> None:
    """A claim that holds was written at template ``line``: list it (outside ``collecting``,
    nothing is kept)."""
    found = _FOUND.get()
    if found is not None:
        found.append(ClaimResult(line, str(text), ClaimOutcome.of(check)))
