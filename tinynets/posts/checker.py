"""The checker of one file's front matter: every problem found, each with its line and key path.

Problems are collected, not raised, so that an author sees every mistake of a file at once,
sorted by line; the loaders (``tinynets.posts.load``, ``nets``, ``sweeps``) raise them together.

Example:
    >>> checker = Checker(Path("a.md"), {(): 2, ("nets",): 3})
    >>> checker.value(schema.NET["epochs"], 0, ("nets", "epochs"))
    >>> checker.problems
    ['a.md:3: nets.epochs: got 0, expected a whole number from 1 to 1000000.']
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from tinynets.errors import InvalidValue, display_path
from tinynets.posts import schema
from tinynets.posts.frontmatter import key_path_text


class Checker:
    """Collects problems for one file, each with its line and key path.

    ``lines`` None: the values come from Python, not from a file (``tinynets.experiment``):
    ``path`` is then the call they were given to, and problems name it and the key, no line.

    >>> checker = Checker("experiment()", None)
    >>> checker.value(schema.NET["epochs"], 0, ("nets", "wide", "epochs"))
    >>> checker.problems
    ['experiment(): nets.wide.epochs: got 0, expected a whole number from 1 to 1000000.']
    """

    def __init__(self, path: Path | str, lines: dict[tuple, int] | None):
        self.path = display_path(path) if lines is not None else str(path)
        self.lines = lines
        self._found: list[tuple[int, str]] = []

    @property
    def problems(self) -> list[str]:
        """Every problem found, in the order of the lines of the file."""
        return [text for _, text in sorted(self._found, key=lambda found: found[0])]

    def problem(self, key_path: tuple, message: str, line: int | None = None) -> None:
        where = f"{key_path_text(key_path)}: " if key_path else ""
        if self.lines is None:  # Python values: in the order found
            self._found.append((0, f"{self.path}: {where}{message}"))
            return
        line = self._line(key_path) if line is None else line
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
        """Check one value against its schema key's kind; return it normalised, or None (and a
        problem for the value, or for each bad item of a list) if it is not of that kind."""
        try:
            return key.kind.validate(value)
        except InvalidValue as invalid:
            for place, refused, expected in invalid.items or [((), value, invalid.expected)]:
                shown = "nothing (an empty value)" if refused is None else repr(refused)
                self.problem(key_path + place, f"got {shown}, expected {expected}.")
            return None

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
