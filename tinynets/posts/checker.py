"""The checker of one file's front matter: every problem found, each with its line and key path.

Problems are collected, not raised, so that an author sees every mistake of a file at once,
sorted by line; the loaders (``tinynets.posts.load``, ``sweeps``) raise them together.

Example:
    >>> checker = Checker(Path("a.md"), {(): 2, ("nets",): 3})
    >>> checker.value(schema.NET["epochs"], 0, ("nets", "epochs"))
    >>> checker.problems
    ['a.md:3: nets.epochs: got 0, expected a whole number from 1 to 1000000.']
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from pathlib import Path
from typing import Any

from tinynets.errors import display_path
from tinynets.posts import schema
from tinynets.posts.frontmatter import key_path_text

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Blog categories and tags become page titles that the theme writes without escaping.
UNSAFE_NAME_CHARACTERS = set('<>&"\'')
SCIENTIFIC = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
MAX_SEEDS = 100


class Checker:
    """Collects problems for one file, each with its line and key path."""

    def __init__(self, path: Path, lines: dict[tuple, int]):
        self.path = display_path(path)
        self.lines = lines
        self._found: list[tuple[int, str]] = []

    @property
    def problems(self) -> list[str]:
        """Every problem found, in the order of the lines of the file."""
        return [text for _, text in sorted(self._found, key=lambda found: found[0])]

    def problem(self, key_path: tuple, message: str, line: int | None = None) -> None:
        line = self._line(key_path) if line is None else line
        where = f"{key_path_text(key_path)}: " if key_path else ""
        self._found.append((line, f"{self.path}:{line}: {where}{message}"))

    def _line(self, key_path: tuple) -> int:
        while key_path and key_path not in self.lines:
            key_path = key_path[:-1]
        return self.lines.get(key_path, 1)

    def known_keys(self, mapping: dict, allowed, key_path: tuple) -> None:
        """Unknown keys are errors, with the closest allowed key suggested."""
        for key in mapping:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key).lower(), [str(a) for a in allowed], n=1,
                                              cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.problem(key_path + (key,), f"unknown key '{key}': {hint}Allowed keys: "
                         f"{', '.join(allowed)}.")

    def value(self, key: schema.Key, value: Any, key_path: tuple) -> Any:
        """Check one value against its schema key; return it normalised, or None if bad."""
        shown = "nothing (an empty value)" if value is None else repr(value)
        bad = lambda expected: self.problem(key_path, f"got {shown}, expected {expected}.")  # noqa
        kind = key.kind
        if kind == "string":
            if not isinstance(value, str):
                return bad(f"text{_choices(key)}")
            if key.choices and value not in key.choices:
                close = difflib.get_close_matches(value.lower(), key.choices, n=1, cutoff=0.5)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                return bad(f"one of {', '.join(key.choices)}{hint}")
            return value
        if kind == "bool":
            return value if isinstance(value, bool) else bad("true or false")
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return bad(f"a whole number{_bounds(key)}")
            return value if _in_bounds(key, value) else bad(f"a whole number{_bounds(key)}")
        if kind == "number":
            if isinstance(value, str) and SCIENTIFIC.match(value.strip()):
                value = float(value)  # YAML 1.1 reads 1e-3 (no dot) as text; the author meant 0.001
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return bad(f"a finite number{_bounds(key)}")
            return float(value) if _in_bounds(key, value) else bad(f"a number{_bounds(key)}")
        if kind in ("int-list", "number-list"):
            item_kind = "int" if kind == "int-list" else "number"
            noun = "whole numbers" if item_kind == "int" else "numbers"
            if not isinstance(value, list) or not value:
                return bad(f"a non-empty list of {noun}{_bounds(key)}, e.g. [10, 10]")
            item_key = schema.Key(None, item_kind, key.doc, minimum=key.minimum, above=key.above,
                                  maximum=key.maximum, below=key.below)
            items = [self.value(item_key, item, key_path + (i,)) for i, item in enumerate(value)]
            return None if any(item is None for item in items) else tuple(items)
        if kind == "string-list":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return bad("a list of names, e.g. [tutorials]")
            unsafe = sorted({c for v in value for c in v if c in UNSAFE_NAME_CHARACTERS})
            if unsafe:
                return bad(f"names without {' '.join(unsafe)} (the theme writes them into page "
                           "titles as they are): spell them out, e.g. 'and' for '&'")
            return list(value)
        if kind == "color":
            if not isinstance(value, str) or not COLOR.match(value):
                return bad("a colour written #RRGGBB, e.g. '#0072B2' (quote it: YAML reads # "
                           "as a comment)")
            return value.upper()
        if kind == "range":
            ok = (isinstance(value, list) and len(value) == 2
                  and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
                  and all(math.isfinite(v) for v in value) and value[0] < value[1])
            return (float(value[0]), float(value[1])) if ok else bad("[low, high] with low < high")
        if kind == "date":
            if isinstance(value, datetime.datetime):
                return value.date()
            if isinstance(value, datetime.date):
                return value
            return bad("a date written YYYY-MM-DD")
        if kind == "seeds":
            allowed = (f"a count of seeds from 1 to {MAX_SEEDS} (seeds 0, 1, …) or a list of "
                       f"1 to {MAX_SEEDS} distinct whole numbers ≥ 0, e.g. [0, 3, 7]")
            if isinstance(value, int) and not isinstance(value, bool):
                return tuple(range(value)) if 1 <= value <= MAX_SEEDS else bad(allowed)
            if (isinstance(value, list) and 1 <= len(value) <= MAX_SEEDS
                    and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
                twice = sorted({v for v in value if value.count(v) > 1})
                if twice:
                    return bad(f"each seed once; {', '.join(map(str, twice))} "
                               f"{'is' if len(twice) == 1 else 'are'} listed twice")
                return tuple(value)
            return bad(allowed)
        raise AssertionError(f"unknown kind {kind}")

    def section(self, given: Any, keys: dict, defaults: dict, key_path: tuple) -> dict | None:
        """Validate a mapping against a schema table, filling in defaults."""
        if given is None:
            given = {}
        if not isinstance(given, dict):
            self.problem(key_path, f"got {given!r}, expected a mapping of keys "
                         f"({', '.join(keys)}).")
            return None
        self.known_keys(given, list(keys), key_path)
        result = dict(defaults)
        ok = True
        for name, value in given.items():
            if name in keys:
                if value is None and keys[name].default is None:
                    result[name] = None  # an empty value asks for the built-in default
                    continue
                checked = self.value(keys[name], value, key_path + (name,))
                ok &= checked is not None
                result[name] = checked
        return result if ok else None

    def only_for(self, given: Any, keys: dict, chosen: str, choice_key: str,
                 key_path: tuple) -> None:
        """Keys that apply to some choices only (``frequency`` to sine, ``momentum`` to
        sgd-momentum) are errors when given with another choice."""
        for name, key in keys.items():
            if key.only_for and isinstance(given, dict) and name in given \
                    and chosen not in key.only_for:
                self.problem(key_path + (name,), f"'{name}' applies to {choice_key} "
                             f"{', '.join(key.only_for)} only, not to {chosen}: remove it.")


def _choices(key: schema.Key) -> str:
    return f" (one of {', '.join(key.choices)})" if key.choices else ""


def _bounds(key: schema.Key) -> str:
    """' ≥ 1', ' > 0', ' from 1 to 1000000', ' ≥ 0 and < 1'."""
    if key.minimum is not None and key.maximum is not None and key.above is None:
        return f" from {key.minimum:g} to {key.maximum:.0f}"
    low = ""
    if key.above is not None:
        low = f" > {key.above:g}"
    elif key.minimum is not None:
        low = f" ≥ {key.minimum:g}"
    high = ""
    if key.below is not None:
        high = f" < {key.below:g}"
    elif key.maximum is not None:
        high = f" ≤ {key.maximum:g}"
    return f"{low} and{high}" if low and high else low or high


def _in_bounds(key: schema.Key, value: float) -> bool:
    if key.above is not None and not value > key.above:
        return False
    if key.below is not None and not value < key.below:
        return False
    if key.maximum is not None and not value <= key.maximum:
        return False
    return key.minimum is None or value >= key.minimum
