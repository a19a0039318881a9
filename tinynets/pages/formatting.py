"""Number formatting for prose: significant digits, percentages, ranges, counts of seeds.

Every helper is available in posts as a filter and as a function:
``{{ nets['wide-sgd'].median | sig }}`` or ``{{ sig(x, 3) }}``.

>>> sig(0.012345)
'0.0123'
>>> sig(1234.5, 2)
'1,200'
>>> percent(0.256)
'26%'
>>> span(0.0123, 0.2)
'0.0123–0.200'
>>> of_seeds(7, 10)
'7 of 10 seeds'
>>> change(0.0999, 0.0981)
'nearly the same (2% smaller)'
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from tinynets.errors import TemplateMisuse

MINUS = "\u2212"  # the typographic minus sign, as in "−0.5" and "−∞"


def _digits(digits) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise TemplateMisuse(f"the number of significant digits must be a whole number ≥ 1, "
                         f"got {digits!r}")
    return digits


def _not_finite(value: float) -> str:
    """NaN and +∞ are what a diverged training leaves; −∞ is only ever a plain number."""
    return "diverged" if math.isnan(value) or value > 0 else f"{MINUS}∞"


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def sig(value: float, digits: int = 3) -> str:
    """``value`` rounded half up to ``digits`` significant digits, thousands separated.

    Trailing zeros are kept (they are significant): ``sig(0.5)`` is '0.500'; a value that rounds
    up to the next power of ten keeps the same count of digits: ``sig(0.09996)`` is '0.100'.
    """
    digits = _digits(digits)
    value = float(value)
    if not math.isfinite(value):
        return _not_finite(value)
    if value == 0:
        return "0"
    exact = Decimal(repr(value))  # the decimal the author sees: 0.145, not 0.14499…
    magnitude = exact.adjusted()
    rounded = exact.quantize(Decimal(1).scaleb(magnitude - digits + 1), rounding=ROUND_HALF_UP)
    if rounded.adjusted() > magnitude:  # 0.09996 → 0.1000: one digit too many now
        magnitude = rounded.adjusted()
        rounded = exact.quantize(Decimal(1).scaleb(magnitude - digits + 1), rounding=ROUND_HALF_UP)
    decimals = max(digits - 1 - magnitude, 0)
    return _signed(f"{rounded:,.{decimals}f}")


def percent(value: float, digits: int = 0) -> str:
    """A fraction as a percentage, rounded half up: 0.256 → '26%', 0.125 → '13%'."""
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise TemplateMisuse(f"the number of decimals must be a whole number ≥ 0, got {digits!r}")
    value = float(value)
    if not math.isfinite(value):
        return _not_finite(value)
    scaled = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-digits),
                                                   rounding=ROUND_HALF_UP)
    return _signed(f"{scaled:.{digits}f}%") if scaled != 0 else f"{0:.{digits}f}%"


def span(low: float, high: float, digits: int = 3) -> str:
    """A range with an en dash: '0.0123–0.200'."""
    return f"{sig(low, digits)}–{sig(high, digits)}"


def _count(value, what: str) -> int:
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value)
    number = float(value)
    if not number.is_integer() or number < 0:
        raise TemplateMisuse(f"of_seeds: the {what} must be a whole number ≥ 0 (or a list of seeds), "
                         f"got {value!r}")
    return int(number)


def of_seeds(count, total) -> str:
    """'7 of 10 seeds', 'all 10 seeds', 'none of the 10 seeds', 'both seeds', 'the only seed'.

    Either argument may be a list of seeds, which counts as its length:
    ``of_seeds(net.stuck_seeds, net.seeds)``.
    """
    count, total = _count(count, "count"), _count(total, "total")
    if total == 0 or count > total:
        raise TemplateMisuse(f"of_seeds: the count must be between 0 and a total of at least 1, "
                         f"got {count} of {total}")
    if total == 1:
        return "the only seed" if count == 1 else "no seed"
    if total == 2 and count != 1:
        return "both seeds" if count == 2 else "neither seed"
    if count == total:
        return f"all {total} seeds"
    if count == 0:
        return f"none of the {total} seeds"
    return f"{count} of {total} seeds"


def times(value: float, digits: int = 2) -> str:
    """A ratio as a multiple: 12.3 → '12×'."""
    return f"{sig(value, digits)}×"


def change(before: float, after: float, digits: int = 2) -> str:
    """How ``after`` compares with ``before``, as a multiple: '4.0× smaller', '2.5× larger'.

    When the multiple would round to 1.0× (within 5 %, at 2 digits), it says nothing; the
    values are then said to be nearly the same, with the difference as a percentage:
    ``change(0.0999, 0.0981)`` is 'nearly the same (2% smaller)', not '1.0× smaller'.

    >>> change(0.2, 0.05), change(0.05, 0.2), change(0.1, 0.1)
    ('4.0× smaller', '4.0× larger', 'the same')
    """
    before, after = float(before), float(after)
    if not math.isfinite(before) or before <= 0:
        raise ValueError(f"change: the value it starts from must be a positive number, "
                         f"got {plain(before) if math.isfinite(before) else before}")
    if not math.isfinite(after):
        return _not_finite(after)
    if after == before:
        return "the same"
    if after <= 0:
        return "down to zero" if after == 0 else f"from positive to {sig(after)}"
    direction = "smaller" if after < before else "larger"
    multiple = max(before, after) / min(before, after)
    if sig(multiple, digits) != sig(1, digits):
        return f"{times(multiple, digits)} {direction}"
    difference = percent(abs(after - before) / before)
    if difference == percent(0):
        return f"nearly the same (less than 1% {direction})"
    return f"nearly the same ({difference} {direction})"


def plain(value: float) -> str:
    """A setting as written, without padding zeros: 0.01 → '0.01', 5000 → '5,000'.

    >>> plain(0.001), plain(5000), plain(2.5)
    ('0.001', '5,000', '2.5')
    """
    value = float(value)
    if not math.isfinite(value):
        return _not_finite(value)
    if value == int(value) and abs(value) < 1e15:
        return _signed(f"{int(value):,}")
    return _signed(f"{value:g}")


HELPERS = {"plain": plain, "sig": sig, "percent": percent, "span": span, "of_seeds": of_seeds,
           "times": times, "change": change}
