"""The claims a page makes, as the build checked them: what later stages read (the results record,
the provenance block) instead of the prose.

``claim(text, check)`` in a post (``pages.templating``) writes ``text`` and, while a page renders
inside ``collecting()``, adds a ``ClaimResult`` to the page's list: its line, its text, and the
check's outcome. A post is rendered twice (``pages.replication``): on the seeds the page shows,
where a claim whose check fails stops the build (``ClaimFailed``) and is not listed, and on its
replication seeds (``collecting(keep_failing=True)``), where every outcome is listed, held or
not, and that text is discarded. On the page each claim carries a mark saying on how many seeds
it was checked (``ClaimMark``).

>>> from tinynets.measure.quantities import Measured
>>> with collecting() as found:
...     note(3, "deep beats wide", Measured(0.08, "deep median") < Measured(0.1, "wide median"))
>>> found[0].line, found[0].shown.holds, found[0].shown.measured
(3, True, (('deep median', 0.08), ('wide median', 0.1)))
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

import markupsafe

from tinynets.escaping import html
from tinynets.measure.quantities import AllOrNone, Check, Never


@dataclass(frozen=True)
class ClaimOutcome:
    """One evaluation of a claim's check: whether it holds, the check as written with its values
    (``claimed: A < B; measured: A = 0.0083, B = 0.0165``), and each value read, by name
    (a number; ``"never"`` for a level never reached; ``"diverged"`` for a non-finite one).
    ``false`` are the comparisons that fail it (as written), ``diverged`` the notes of values
    read that diverged seeds went into (a check reading one does not hold)."""

    holds: bool
    check: str
    claimed: str
    measured: tuple[tuple[str, float | int | str], ...]
    false: tuple[str, ...] = ()
    diverged: tuple[str, ...] = ()

    @classmethod
    def of(cls, check: Check) -> "ClaimOutcome":
        return cls(bool(check) and not check.diverged, check.text, check.claimed,
                   tuple((value.name, plain(value)) for value in check.measured),
                   tuple(part.claimed for part in check.false_comparisons()),
                   tuple(str(note) for note in check.diverged))

    @property
    def values(self) -> str:
        """The values read, as a message shows them: 'A = 0.0083, B = 0.0165'."""
        return ", ".join(f"{name} = {_value_text(value)}" for name, value in self.measured)


def _value_text(value) -> str:
    if value == "diverged":
        return "∞ (diverged)"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@dataclass(frozen=True)
class ClaimResult:
    """A claim on a page: the template line (of the post's file), its text, and its outcome."""

    line: int
    text: str
    shown: ClaimOutcome
    # The same check on the post's replication seeds (None: the post replicates nothing).
    replication: ClaimOutcome | None = None
    # Its comparisons that claim something of every seed or of none (see ``AllOrNone``).
    every_or_none: tuple[AllOrNone, ...] = ()


def plain(value) -> float | int | str:
    """A measured value as a record holds it: a number, ``"never"`` or ``"diverged"``."""
    if isinstance(value, Never):
        return "never"
    if isinstance(value, int):
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else "diverged"


@dataclass(frozen=True)
class ClaimMark:
    """What every claim on a page says of its check: on how many shown seeds, and how many
    replication seeds (0: the post does not replicate). In words for screen readers, as a
    short sign for the eye (the sign alone is hidden from screen readers, which read the words).

    >>> print(ClaimMark(10, 10).html())
    <span class="tn-claim"><span class="tn-visually-hidden"> (checked on 10 shown and 10 replication seeds)</span><span aria-hidden="true" title="checked on 10 shown and 10 replication seeds">✓ 10+10</span></span>
    >>> ClaimMark(4, 0).words
    'checked on 4 seeds; not replicated'
    """

    shown: int
    replication: int

    @property
    def words(self) -> str:
        if not self.replication:
            return f"checked on {_seeds(self.shown)}; not replicated"
        return f"checked on {self.shown} shown and {_seeds(self.replication, 'replication ')}"

    def html(self) -> markupsafe.Markup:
        sign = f"✓ {self.shown}+{self.replication}" if self.replication else f"✓ {self.shown}"
        return markupsafe.Markup(
            f'<span class="tn-claim"><span class="tn-visually-hidden"> ({html(self.words)})'
            f'</span><span aria-hidden="true" title="{html(self.words)}">{html(sign)}</span>'
            "</span>")

    def summary(self, claims: int) -> str:
        """The page's line about its claims: '12 claims, each checked on 10 shown and 10
        replication seeds.' (HTML, a paragraph of its own)."""
        what = f"{claims} claim{'s' if claims != 1 else ''}, " + (
            "each " if claims != 1 else "") + self.words.replace("; ", ", ")
        return f'<p class="tn-claims-summary">{html(what)}.</p>'


def _seeds(count: int, kind: str = "") -> str:
    return f"{count} {kind}seed{'s' if count != 1 else ''}"


# A mark as ``ClaimMark.html`` writes it (the words in it hold no "<"): summaries of a page's text
# (its description for feeds and link previews) leave marks out.
MARK = re.compile(r'<span class="tn-claim"><span class="tn-visually-hidden">[^<]*</span>'
                  r'<span aria-hidden="true"[^>]*>[^<]*</span></span>')


def without_marks(text: str) -> str:
    """``text`` without its claims' marks."""
    return MARK.sub("", text)


@dataclass
class _Collecting:
    found: list[ClaimResult]
    mark: ClaimMark | None
    keep_failing: bool


_COLLECTING: ContextVar[_Collecting | None] = ContextVar("claims", default=None)


@contextmanager
def collecting(mark: ClaimMark | None = None,
               keep_failing: bool = False) -> Iterator[list[ClaimResult]]:
    """Within the block, every claim that ``note`` is told of is added to the list yielded, and
    ``claim()`` writes ``mark`` after each claim's text. ``keep_failing``: a claim whose check
    fails is listed too, instead of stopping the rendering (the check on replication seeds)."""
    found: list[ClaimResult] = []
    token = _COLLECTING.set(_Collecting(found, mark, keep_failing))
    try:
        yield found
    finally:
        _COLLECTING.reset(token)


def keeps_failing() -> bool:
    """Whether a failing claim is listed rather than stopping the rendering."""
    collecting_now = _COLLECTING.get()
    return collecting_now is not None and collecting_now.keep_failing


def mark() -> markupsafe.Markup:
    """The mark written after each claim's text ('' outside ``collecting`` or without one)."""
    collecting_now = _COLLECTING.get()
    if collecting_now is None or collecting_now.mark is None:
        return markupsafe.Markup("")
    return collecting_now.mark.html()


def note(line: int, text: str, check: Check) -> None:
    """A claim was written at template ``line``: list it (outside ``collecting``, nothing is
    kept)."""
    collecting_now = _COLLECTING.get()
    if collecting_now is not None:
        collecting_now.found.append(ClaimResult(line, str(text), ClaimOutcome.of(check),
                                                every_or_none=check.every_or_none))
