"""``claim(text, check)`` in a notebook: the check a post's claim makes, with its verdict and
the values it read, as a result to look at instead of a stopped build.

The check is the build's (a comparison of measurements: ``nets['a'].median <
nets['b'].median``, combined with ``&`` / ``|``); a constant or anything else is refused with
the build's message. A claim fails when the measurements contradict it, or when it reads a
value that diverged seeds went into (as on the site); the result says why in the build's words.
It raises only when asked (``raise_on_failure=True``: ``ClaimFailed``, as the build would).

>>> from tinynets.measure.quantities import Measured
>>> report = claim("deep beats wide", Measured(0.08, "deep median") < Measured(0.1, "wide median"))
>>> bool(report), report.measured
(True, {'deep median': 0.08, 'wide median': 0.1})
>>> print(report)
holds: deep beats wide — claimed: deep median < wide median; measured: deep median = 0.08, wide median = 0.1
"""

from __future__ import annotations

from dataclasses import dataclass

from tinynets.errors import ClaimFailed
from tinynets.escaping import html
from tinynets.pages.claims import ClaimOutcome
from tinynets.pages.templating import check_claim, claim_failure


@dataclass(frozen=True)
class ClaimReport:
    """A claim checked in a notebook: ``holds``, the ``text``, the check as written with its
    values (``check``), each value read by name (``measured``), and when it fails, why
    (``failure``: the build's message)."""

    text: str
    holds: bool
    check: str
    measured: dict
    failure: str | None

    def __bool__(self) -> bool:
        return self.holds

    def __str__(self) -> str:
        return f"holds: {self.text} — {self.check}" if self.holds else f"fails: {self.failure}"

    def _repr_html_(self) -> str:
        mark, colour = ("✓ holds", "#1b7a3a") if self.holds else ("✗ fails", "#b3261e")
        detail = self.check if self.holds else self.failure
        return (f'<p class="tn-claim"><strong style="color: {colour}">{mark}</strong>: '
                f"{html(self.text)}<br><small>{html(detail)}</small></p>")

    def __repr__(self) -> str:
        return f"ClaimReport(holds={self.holds}, text={self.text!r})"


def claim(text: str, check, raise_on_failure: bool = False) -> ClaimReport:
    """Check ``text`` against ``check`` as a post's ``claim`` does; return the verdict with
    the measured values (``raise_on_failure``: raise ``ClaimFailed`` when it fails)."""
    check_claim(text, check)
    outcome = ClaimOutcome.of(check)
    holds = bool(check) and not check.diverged
    failure = None if holds else claim_failure(text, check)
    if failure is not None and raise_on_failure:
        raise ClaimFailed(failure)
    return ClaimReport(str(text), holds, outcome.check, dict(outcome.measured), failure)
