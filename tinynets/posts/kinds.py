"""The kinds of value a front matter key may hold, each a small validator (as MkDocs' config
options are): ``validate`` returns the value normalised or raises ``InvalidValue`` saying what was
expected, and ``description`` is the "allowed" column of README's configuration reference.

The schema (``tinynets.posts.schema``) gives every key one of these; the checker turns an
``InvalidValue`` into a problem with the file, line and key path.

Example:
    >>> Whole(minimum=1, maximum=1000).validate(12)
    12
    >>> try:
    ...     Whole(minimum=1, maximum=1000).validate(0)
    ... except InvalidValue as invalid:
    ...     print(invalid.expected)
    a whole number from 1 to 1000
    >>> Number(above=0).description
    'number > 0'
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from tinynets.errors import InvalidValue

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Blog categories and tags become page titles that the theme writes without escaping.
UNSAFE_NAME_CHARACTERS = set('<>&"\'')
SCIENTIFIC = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
MAX_SEEDS = 100


class Kind:
    """A kind of value: how one is checked, and how README describes what is allowed."""

    description = ""

    def validate(self, value: Any) -> Any:
        """The value normalised (a tuple for a list, a float for a number, …); ``InvalidValue`` if
        it is not of this kind."""
        raise NotImplementedError


@dataclass(frozen=True)
class Bounds:
    """Inclusive ``minimum``/``maximum`` and exclusive ``above``/``below`` limits of a number
    (a maximum guards against a typo, an extra 0, likelier than intent)."""

    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    below: float | None = None

    def contain(self, value: float) -> bool:
        if self.above is not None and not value > self.above:
            return False
        if self.below is not None and not value < self.below:
            return False
        if self.maximum is not None and not value <= self.maximum:
            return False
        return self.minimum is None or value >= self.minimum

    @property
    def expected(self) -> str:
        """As a problem says it: ' ≥ 1', ' > 0', ' from 1 to 1000000', ' ≥ 0 and < 1'."""
        if self.minimum is not None and self.maximum is not None and self.above is None:
            return f" from {self.minimum:g} to {self.maximum:.0f}"
        low = ""
        if self.above is not None:
            low = f" > {self.above:g}"
        elif self.minimum is not None:
            low = f" ≥ {self.minimum:g}"
        high = ""
        if self.below is not None:
            high = f" < {self.below:g}"
        elif self.maximum is not None:
            high = f" ≤ {self.maximum:g}"
        return f"{low} and{high}" if low and high else low or high

    @property
    def described(self) -> str:
        """As README's reference writes it: ' ≥ 1, ≤ 10,000', ' > 0', ' ≥ 0, < 1'."""
        text = ""
        if self.above is not None:
            text += f" > {self.above:g}"
        elif self.minimum is not None:
            text += f" ≥ {self.minimum:g}"
        if self.below is not None:
            text += f", < {self.below:g}"
        elif self.maximum is not None:
            text += (f", ≤ {self.maximum:,.0f}" if self.maximum == int(self.maximum)
                     else f", ≤ {self.maximum:g}")
        return text


class Text(Kind):
    description = "text"

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue("text")
        return value


class Choice(Kind):
    """One of a few names; a near miss is answered with the closest."""

    def __init__(self, choices: tuple[str, ...]):
        self.choices = choices
        self.description = ", ".join(f"`{choice}`" for choice in choices)

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(f"text (one of {', '.join(self.choices)})")
        if value not in self.choices:
            close = difflib.get_close_matches(value.lower(), self.choices, n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InvalidValue(f"one of {', '.join(self.choices)}{hint}")
        return value


class Flag(Kind):
    description = "`true` / `false`"

    def validate(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise InvalidValue("true or false")
        return value


class Whole(Kind):
    """A whole number within bounds (true and false are not numbers, nor is 2.5)."""

    def __init__(self, **bounds: float):
        self.bounds = Bounds(**bounds)
        self.description = "whole number" + self.bounds.described

    def validate(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not self.bounds.contain(value):
            raise InvalidValue(f"a whole number{self.bounds.expected}")
        return value


class Number(Kind):
    """A finite number within bounds, as a float."""

    def __init__(self, **bounds: float):
        self.bounds = Bounds(**bounds)
        self.description = "number" + self.bounds.described

    def validate(self, value: Any) -> float:
        if isinstance(value, str) and SCIENTIFIC.match(value.strip()):
            value = float(value)  # YAML 1.1 reads 1e-3 (no dot) as text; the author meant 0.001
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise InvalidValue(f"a finite number{self.bounds.expected}")
        if not self.bounds.contain(value):
            raise InvalidValue(f"a number{self.bounds.expected}")
        return float(value)


class ListOf(Kind):
    """A list of whole numbers or of numbers, each within the same bounds; every bad item is
    refused at its own place ([1], [2], …). Non-empty unless ``empty`` says what [] means."""

    def __init__(self, item: Whole | Number, empty: str = ""):
        self.item, self.empty = item, empty
        self.noun = "whole numbers" if isinstance(item, Whole) else "numbers"
        self.description = f"list of {self.noun}{item.bounds.described}" + (
            f", or [] ({empty})" if empty else "")

    def validate(self, value: Any) -> tuple:
        if not isinstance(value, list) or not (value or self.empty):
            if self.empty:
                raise InvalidValue(f"a list of {self.noun}{self.item.bounds.expected}, e.g. "
                                   f"[10, 10] ([] for {self.empty})")
            raise InvalidValue(f"a non-empty list of {self.noun}{self.item.bounds.expected}, e.g. "
                          "[10, 10]")
        items, refused = [], []
        for index, item in enumerate(value):
            try:
                items.append(self.item.validate(item))
            except InvalidValue as invalid:
                refused.append(((index,), item, invalid.expected))
        if refused:
            raise InvalidValue(items=tuple(refused))
        return tuple(items)


class Names(Kind):
    """Names shown as page titles (categories, tags): one name or a list, without markup."""

    description = "list of names"

    def validate(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise InvalidValue("a list of names, e.g. [tutorials]")
        unsafe = sorted({c for name in value for c in name if c in UNSAFE_NAME_CHARACTERS})
        if unsafe:
            raise InvalidValue(f"names without {' '.join(unsafe)} (the theme writes them into page "
                          "titles as they are): spell them out, e.g. 'and' for '&'")
        return list(value)


class Color(Kind):
    description = "`#RRGGBB`"

    def validate(self, value: Any) -> str:
        if not isinstance(value, str) or not COLOR.match(value):
            raise InvalidValue("a colour written #RRGGBB, e.g. '#0072B2' (quote it: YAML reads # as "
                          "a comment)")
        return value.upper()


class Range(Kind):
    description = "`[low, high]`, low < high"

    def validate(self, value: Any) -> tuple[float, float]:
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
              and all(math.isfinite(v) for v in value) and value[0] < value[1])
        if not ok:
            raise InvalidValue("[low, high] with low < high")
        return (float(value[0]), float(value[1]))


class Date(Kind):
    description = "`YYYY-MM-DD`"

    def validate(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        raise InvalidValue("a date written YYYY-MM-DD")


class Seeds(Kind):
    """A count of seeds (0, 1, …) or a list of distinct seeds, as a tuple."""

    description = "count 1–100 or list of seeds"

    def validate(self, value: Any) -> tuple[int, ...]:
        allowed = (f"a count of seeds from 1 to {MAX_SEEDS} (seeds 0, 1, …) or a list of "
                   f"1 to {MAX_SEEDS} distinct whole numbers ≥ 0, e.g. [0, 3, 7]")
        if isinstance(value, int) and not isinstance(value, bool):
            if 1 <= value <= MAX_SEEDS:
                return tuple(range(value))
            raise InvalidValue(allowed)
        if (isinstance(value, list) and 1 <= len(value) <= MAX_SEEDS
                and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
            twice = sorted({v for v in value if value.count(v) > 1})
            if twice:
                raise InvalidValue(f"each seed once; {', '.join(map(str, twice))} "
                              f"{'is' if len(twice) == 1 else 'are'} listed twice")
            return tuple(value)
        raise InvalidValue(allowed)


class Mapping(Kind):
    """A mapping whose keys are checked one by one by its own loader (a sweep's ``net`` and
    ``vary``, by ``tinynets.posts.sweeps``): as a kind, only its shape."""

    def __init__(self, description: str):
        self.description = description

    def validate(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise InvalidValue(f"a {self.description}")
        return value
