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
'0.0123–0.2'
>>> of_seeds(7, 10)
'7 of 10 seeds'
"""

from __future__ import annotations

import math


def sig(value: float, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` significant digits, thousands separated."""
    value = float(value)
    if not math.isfinite(value):
        return "diverged" if math.isnan(value) or value > 0 else "−∞"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - magnitude, 0)
    rounded = round(value, digits - 1 - magnitude)
    return f"{rounded:,.{decimals}f}"


def percent(value: float, digits: int = 0) -> str:
    """A fraction as a percentage: 0.256 → '26%'."""
    return f"{float(value) * 100:.{digits}f}%"


def span(low: float, high: float, digits: int = 3) -> str:
    """A range with an en dash: '0.0123–0.2'."""
    return f"{sig(low, digits)}–{sig(high, digits)}"


def of_seeds(count: int, total: int) -> str:
    """'7 of 10 seeds', 'all 10 seeds', 'none of the 10 seeds', '1 of 10 seeds'."""
    count, total = int(count), int(total)
    if count == total:
        return f"all {total} seeds" if total != 1 else "the only seed"
    if count == 0:
        return f"none of the {total} seeds"
    return f"{count} of {total} seeds"


def times(value: float, digits: int = 2) -> str:
    """A ratio as a multiple: 12.3 → '12×'."""
    return f"{sig(value, digits)}×"


HELPERS = {"sig": sig, "percent": percent, "span": span, "of_seeds": of_seeds, "times": times}
