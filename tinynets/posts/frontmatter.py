"""A post's front matter: split from the body, parsed as YAML, every key's line known.

Problems name the file and line, so the author can go straight to them.

Example:
    >>> split_front_matter("---\\ntitle: Hi\\n---\\nBody\\n", Path("a.md"))
    ('title: Hi\\n', 'Body\\n', 4)
    >>> given, lines = parse_yaml("title: Hi\\nnets:\\n  wide: {}\\n", Path("a.md"), 2)
    >>> given, lines[("nets", "wide")]
    ({'title': 'Hi', 'nets': {'wide': {}}}, 4)
    >>> key_path_text(("nets", "wide", "layers", 1))
    'nets.wide.layers[1]'
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tinynets.errors import SpecError


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """'---\\nyaml\\n---\\nbody' → (yaml, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise SpecError([f"{path}:1: a post must start with a '---' line opening its YAML front "
                         "matter (title, date, …), closed by another '---' line."])
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise SpecError([f"{path}:1: the front matter opened by '---' on line 1 is never closed: "
                     "add a '---' line after the last key."])


def key_lines(yaml_text: str, first_line: int) -> tuple[dict[tuple, int], list[tuple]]:
    """Map every key path in a YAML document to the line it stands on; list duplicate keys.

    YAML silently keeps the last of two equal keys; an author almost never means that, so each
    duplicate comes back as (key path, its line, the line of the first occurrence).
    """
    lines: dict[tuple, int] = {}
    duplicates: list[tuple] = []

    def walk(node: yaml.Node, path: tuple) -> None:
        lines[path] = node.start_mark.line + first_line
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_path = path + (str(key_node.value),)
                line = key_node.start_mark.line + first_line
                if str(key_node.value) in seen:
                    duplicates.append((key_path, line, seen[str(key_node.value)]))
                    continue
                seen[str(key_node.value)] = line
                walk(value_node, key_path)
                lines[key_path] = line
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))

    root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return lines, duplicates


def parse_yaml(yaml_text: str, path: Path, first_line: int) -> tuple[dict, dict[tuple, int]]:
    """Safely load a YAML mapping; a syntax error or a duplicate key names the file and line."""
    try:
        value = yaml.load(yaml_text, Loader=SafeLoader)  # noqa: S506 - a SafeLoader subclass
        lines, duplicates = key_lines(yaml_text, first_line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError([f"{path}:{line}: invalid YAML: {problem}. Check the indentation and "
                         "quoting on that line (a value holding ': ' needs quotes)."]) from None
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise SpecError([f"{path}:{first_line}: the front matter must be a mapping of keys "
                         f"(title: …, date: …), not a {type(value).__name__}."])
    if duplicates:
        raise SpecError([f"{path}:{line}: {key_path_text(key_path)}: duplicate key, already "
                         f"given on line {first}: keep one of the two."
                         for key_path, line, first in duplicates])
    return value, lines


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader, except that an impossible date (2026-13-01) stays text, so validation
    reports it with its line instead of PyYAML crashing with a bare ValueError."""


def timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_or_text)


def key_path_text(key_path: tuple) -> str:
    """('nets', 'wide', 'layers', 1) → "nets.wide.layers[1]"; odd names are quoted."""
    text = ""
    for part in key_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else repr(part)
            text += f".{name}" if text else name
    return text
