"""``claim(text, check)`` in a notebook: the check a post's claim makes, with its verdict and
the values it read, as a result to look at instead of a stopped build.

The check is the build's (a comparison of measurements: ``nets['a'].median <
nets['b'].median``, combined with ``&`` / ``|``); a constant or anything else is refused with
the build's message. A claim fails when the measurements contradict it, or when it reads a
value that diverged seeds went into (as on the site); the result says why in the build's words.
It raises only when asked (``raise_on_failure=True``: ``ClaimFailed``, as the build would).

Given as a function of no arguments (``lambda: a.median < b.median``), the check is also made
a second time on the replication seeds of every result it reads, as the build renders a post a
second time (``results.on_replication_seeds``): a claim that holds on the shown seeds but not
there fails as *fragile* (``ClaimFragile`` when raised), with both sets of values. A check given
as a value was computed on the shown seeds alone, and cannot be made again: its report says it
is not replicated.

>>> from tinynets.measure.quantities import Measured
>>> report = claim("deep beats wide", Measured(0.08, "deep median") < Measured(0.1, "wide median"))
>>> bool(report), report.measured, report.replication
(True, {'deep median': 0.08, 'wide median': 0.1}, None)
>>> print(report)
holds: deep beats wide — claimed: deep median < wide median; measured: deep median = 0.08, wide median = 0.1 (not replicated: a check given as a value; claim(text, lambda: …) makes it again on the replication seeds)
"""

from __future__ import annotations

from dataclasses import dataclass

from tinynets.api.results import on_replication_seeds
from tinynets.errors import ClaimFailed, ClaimFragile
from tinynets.escaping import html
from tinynets.pages.claims import ClaimOutcome
from tinynets.pages.replication import ADVICE
from tinynets.pages.templating import check_claim, claim_failure


@dataclass(frozen=True)
class Replicated:
    """A claim's check made again on the replication seeds: whether it holds there, the check
    as written with those values, and each value read, by name."""

    holds: bool
    check: str
    measured: dict


@dataclass(frozen=True)
class ClaimReport:
    """A claim checked in a notebook: ``holds`` (on the shown seeds, and on the replication
    seeds where it was made again), the ``text``, the check as written with its values on the
    shown seeds (``check``), each value read by name (``measured``), the same on the replication
    seeds (``replication``; None when not replicated, ``unreplicated`` says why), and when it
    fails, why (``failure``: the build's message)."""

    text: str
    holds: bool
    check: str
    measured: dict
    failure: str | None
    replication: Replicated | None = None
    unreplicated: str | None = None

    def __bool__(self) -> bool:
        return self.holds

    @property
    def fragile(self) -> bool:
        """Whether it holds on the shown seeds but not on the replication seeds (it is made
        again there only when it holds on the shown seeds)."""
        return self.replication is not None and not self.replication.holds

    def _replicated_text(self) -> str:
        if self.replication is None:
            return f" (not replicated{': ' + self.unreplicated if self.unreplicated else ''})"
        return f" (replicated: {self.replication.check})"

    def __str__(self) -> str:
        if self.holds:
            return f"holds: {self.text} — {self.check}{self._replicated_text()}"
        return f"fails: {self.failure}"

    def _repr_html_(self) -> str:
        mark, colour = ("✓ holds", "#1b7a3a") if self.holds else ("✗ fails", "#b3261e")
        detail = self.check + self._replicated_text() if self.holds else self.failure
        return (f'<p class="tn-claim"><strong style="color: {colour}">{mark}</strong>: '
                f"{html(self.text)}<br><small>{html(detail)}</small></p>")

    def __repr__(self) -> str:
        return f"ClaimReport(holds={self.holds}, text={self.text!r})"


NOT_A_FUNCTION = ("a check given as a value; claim(text, lambda: …) makes it again on the "
                  "replication seeds")


def claim(text: str, check, raise_on_failure: bool = False) -> ClaimReport:
    """Check ``text`` against ``check`` as a post's ``claim`` does; return the verdict with
    the measured values (``raise_on_failure``: raise ``ClaimFailed``, or ``ClaimFragile``, when
    it fails). ``check`` is a comparison of measurements, or a function of no arguments that
    makes one: then it is made again on the replication seeds, as the build does."""
    made = check() if callable(check) else check
    check_claim(text, made)
    outcome = ClaimOutcome.of(made)
    holds = outcome.holds
    failure = None if holds else claim_failure(text, made)
    if failure is not None and raise_on_failure:
        raise ClaimFailed(failure)
    replication, unreplicated = None, None if callable(check) else NOT_A_FUNCTION
    if holds and callable(check):
        replication, unreplicated = _again(text, check)
        if replication is not None and not replication.holds:
            holds = False
            failure = (f"fragile claim: \"{text}\" holds on the shown seeds ({outcome.check}) "
                       f"but fails on the replication seeds ({replication.check}). {ADVICE}")
            if raise_on_failure:
                raise ClaimFragile(failure)
    return ClaimReport(str(text), holds, outcome.check, dict(outcome.measured), failure,
                       replication, unreplicated)


def _again(text: str, check) -> tuple[Replicated | None, str | None]:
    """``check()`` made on the replication seeds of every result it reads; None, and why,
    when one of them has none."""
    with on_replication_seeds() as without:
        made = check()
    if without:
        return None, (f"{', '.join(dict.fromkeys(without))} trained no replication seeds "
                      "(replicate: 0)")
    check_claim(text, made)
    outcome = ClaimOutcome.of(made)
    return Replicated(outcome.holds, outcome.check, dict(outcome.measured)), None
