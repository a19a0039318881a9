"""Read posts and validate their experiments: content/posts/<slug>.md → Post.

Everything is checked before anything is built, and every problem is reported at once with the
file, line, key path, bad value, what is allowed, and the closest valid key for a typo.

Example:
    >>> post = load_post(Path("content/posts/sgd-vs-adam.md"), Defaults())   # doctest: +SKIP
    >>> [net.name for net in post.nets]                                      # doctest: +SKIP
    ['wide-sgd', 'deep-sgd', 'wide-adam', 'deep-adam']
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tinynets.posts import schema
from tinynets.posts.csvdata import CsvProblem, CsvSpec, read_csv
from tinynets.posts.plane import PlaneSpec, normal_feature
from tinynets.errors import SpecError, display_path

PRESENTATION_KEYS = ("label", "color")  # net keys that change how a net is shown, not its numbers
# Names a net cannot take: its media files would collide with the post's comparison media.
RESERVED_NET_NAMES = ("compare", "losses")
# An upper bound on epochs × seeds: a recording keeps two losses per seed and epoch (8 bytes),
# so this keeps one under about 200 MB. (Shuffle orders are made in the graph, epoch by epoch,
# so the number of points does not count.)
WORK_LIMIT = 25_000_000
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Blog categories and tags become page titles that the theme writes without escaping.
UNSAFE_NAME_CHARACTERS = set('<>&"\'')

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCIENTIFIC = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
MAX_SEEDS = 100


@dataclass(frozen=True)
class DataSpec:
    """The 1-D data set: a target function on an even grid of inputs plus Gaussian noise."""

    function: str
    x_range: tuple[float, float]
    points: int
    noise: float
    seed: int
    frequency: float = 1.0
    center: float | None = None  # None: the middle of x_range
    width: float = 1.0
    coefficients: tuple[float, ...] = ()
    # What 1-D data shares with the plane's and file data's specs (tinynets.posts.plane, csvdata).
    classification = False
    from_file = False  # generated from a known function (a file's data has none)
    dimensions = 1
    inputs = 1
    test_count = 0

    @property
    def training_count(self) -> int:
        return self.points

    def __post_init__(self):
        # The kink, step or bump sits in the middle of the inputs unless placed elsewhere: a
        # fixed default would fall outside most ranges and leave a flat target. Resolved here,
        # so leaving center out and writing the middle give the same fingerprint.
        if self.center is None:
            object.__setattr__(self, "center", (self.x_range[0] + self.x_range[1]) / 2)

    @property
    def noise_floor(self) -> float:
        """The lowest mean squared error any model can expect: the variance of the noise."""
        return self.noise**2

    def canonical(self) -> dict:
        """The keys that change the data, and only those (for fingerprints)."""
        keys = ["function", "x_range", "points", "noise", "seed"]
        keys += [name for name, key in schema.DATA.items() if self.function in key.only_for]
        return {name: _plain(getattr(self, name)) for name in keys}


@dataclass(frozen=True)
class NetSpec:
    """One tiny net and how it is trained."""

    name: str
    label: str = ""
    color: str = ""  # "" → chosen from the palette by name (media.stage.net_colors)
    layers: tuple[int, ...] = (60,)
    activation: str = "relu"
    optimizer: str = "sgd"
    learning_rate: float = 0.01
    momentum: float = 0.9
    batch_size: int = 32
    epochs: int = 5000
    loss: str = "mse"  # bce: binary cross-entropy on a sigmoid output (classification data)
    inputs: int = 1  # set from the data (two on the plane, or one per feature); not a key

    @property
    def parameters(self) -> int:
        """Trainable parameters, weights and biases: 1×60 → 181, 2×10 → 141."""
        widths = [self.inputs, *self.layers, 1]
        return sum(inputs * units + units for inputs, units in zip(widths[:-1], widths[1:]))

    @property
    def shape(self) -> str:
        """Hidden layers as text: (10, 10) → '2×10', (60,) → '1×60', (8, 4) → '8-4'."""
        if len(set(self.layers)) == 1:
            return f"{len(self.layers)}×{self.layers[0]}"
        return "-".join(str(units) for units in self.layers)

    def canonical(self) -> dict:
        """The keys that change the numbers, for fingerprints: every net key of the schema that
        applies to this optimizer, except the presentational ones (label)."""
        keys = [name for name, key in schema.NET.items() if name not in PRESENTATION_KEYS
                and (not key.only_for or self.optimizer in key.only_for)]
        return {name: _plain(getattr(self, name)) for name in keys}


@dataclass(frozen=True)
class FramesSpec:
    """How many prediction snapshots to record, and how they are spread over the epochs."""

    count: int = 150
    spacing: str = "geometric"


@dataclass(frozen=True)
class Thresholds:
    """What counts as near the noise floor and as stuck, in multiples of the floor."""

    near_floor: float = 2.0
    stuck: float = 5.0


@dataclass
class Post:
    """A validated post: blog metadata, the Markdown body, and its experiment (if any)."""

    path: Path
    slug: str
    meta: dict
    body: str
    body_line: int  # line of the file on which the body starts (1-based)
    data: DataSpec | PlaneSpec | CsvSpec | None = None
    nets: tuple[NetSpec, ...] = ()
    seeds: tuple[int, ...] = ()
    frames: FramesSpec = field(default_factory=FramesSpec)
    thresholds: Thresholds = field(default_factory=Thresholds)
    sweeps: tuple = ()  # SweepSpec (tinynets.posts.sweeps), in front matter order

    def net(self, name: str) -> NetSpec:
        """A net of the post, or a sweep's cell (whose name is ``sweep[key=value,…]``)."""
        return next(net for net in self.nets + self.cells() if net.name == name)

    def cells(self) -> tuple[NetSpec, ...]:
        """Every cell of every sweep, each a net of its own."""
        return tuple(cell for sweep in self.sweeps for cell in sweep.cells)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ----------------------------------------------------------------------------- front matter


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


def _key_lines(yaml_text: str, first_line: int) -> tuple[dict[tuple, int], list[tuple]]:
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
        value = yaml.load(yaml_text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass
        lines, duplicates = _key_lines(yaml_text, first_line)
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


class _SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader, except that an impossible date (2026-13-01) stays text, so validation
    reports it with its line instead of PyYAML crashing with a bare ValueError."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


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


# ----------------------------------------------------------------------------- validation


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


# ----------------------------------------------------------------------------- posts


def load_defaults(path: Path) -> schema.Defaults:
    """content/defaults.yml (optional) over the built-in defaults of ``schema``."""
    defaults = schema.Defaults()
    if not path.exists():
        return defaults
    given, lines = parse_yaml(path.read_text(encoding="utf-8"), display_path(path), 1)
    checker = Checker(path, lines)
    checker.known_keys(given, list(schema.DEFAULTS_FILE_KEYS), ())
    tables = {"data": schema.DATA, "net": schema.NET, "frames": schema.FRAMES,
              "thresholds": schema.THRESHOLDS}
    for name, table in tables.items():
        if name in given:
            section = checker.section(given[name], table, getattr(defaults, name), (name,))
            if section is not None:
                setattr(defaults, name, section)
    if "seeds" in given:
        if checker.value(schema.EXPERIMENT["seeds"], given["seeds"], ("seeds",)) is not None:
            defaults.seeds = given["seeds"]
    _check_thresholds(checker, defaults.thresholds, given.get("thresholds"))
    if checker.problems:
        raise SpecError(checker.problems)
    return defaults


def load_post(path: Path, defaults: schema.Defaults) -> Post:
    """Read and validate one post; raise SpecError listing every problem in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SpecError([f"{display_path(path)}:1: not UTF-8 text: save the file as UTF-8."]) \
            from None
    yaml_text, body, body_line = split_front_matter(text, display_path(path))
    given, lines = parse_yaml(yaml_text, display_path(path), 2)
    checker = Checker(path, lines)
    slug = path.stem
    if not SLUG.match(slug):
        checker.problem((), f"the file name '{path.name}' is not a safe slug: use lowercase "
                        "letters, digits and dashes, e.g. sgd-vs-adam.md.", line=1)
    checker.known_keys(given, list(schema.POST_KEYS), ())

    meta = {}
    for name, key in schema.BLOG.items():
        if name in given:
            value = checker.value(key, given[name], (name,))
            if value is not None:
                meta[name] = value
        elif name in ("title", "date"):
            example = "A title" if name == "title" else "2026-01-31"
            checker.problem((), f"missing required key '{name}': add a line '{name}: {example}' "
                            "to the front matter.")

    post = Post(path=path, slug=slug, meta=meta, body=body, body_line=body_line)
    if "nets" in given or "sweeps" in given:
        _load_experiment(post, given, defaults, checker)
    else:
        for name in ("data", "seeds", "frames", "thresholds"):
            if name in given:
                checker.problem((name,), "this key only makes sense with 'nets' (or 'sweeps'): "
                                "declare the nets to train, or remove it.")
    _check_card(checker, meta.get("card"), post.nets, "nets" in given)
    if checker.problems:
        raise SpecError(checker.problems)
    return post


def _check_card(checker: Checker, card: str | None, nets, has_nets: bool) -> None:
    """``card`` must name one of the post's nets: its figure becomes the social card."""
    if not card:
        return
    if not has_nets:
        checker.problem(("card",), "this post has no nets, so no figure of a net can be its "
                        "card: remove the key (a post's first figure is its card by default).")
    elif nets and card not in [net.name for net in nets]:
        checker.problem(("card",), f"got {card!r}, expected the name of one of the post's nets: "
                        f"{', '.join(net.name for net in nets)}. It chooses the figure shown in "
                        "link previews (default: the post's first figure).")


def _load_experiment(post: Post, given: dict, defaults: schema.Defaults, checker: Checker) -> None:
    data = checker.section(given.get("data"), schema.DATA, defaults.data, ("data",))
    if data is not None:
        given_data = given.get("data") or {}
        from_file = isinstance(given_data, dict) and "file" in given_data
        checker.only_for(given_data, schema.DATA, "file" if from_file else data["function"],
                         "the function", ("data",))
        if from_file:
            post.data = _file_data(checker, given_data, data, post.path.parent.parent)
        elif data["function"] in schema.PLANE_FUNCTIONS:
            post.data = _plane_data(checker, data)
        else:
            line_keys = DataSpec.__dataclass_fields__
            post.data = DataSpec(**{**{k: v for k, v in data.items() if k in line_keys},
                                    "x_range": tuple(data["x_range"]),
                                    "coefficients": tuple(data["coefficients"])})
            _check_target_varies(checker, post.data)
    frames = checker.section(given.get("frames"), schema.FRAMES, defaults.frames, ("frames",))
    if frames is not None:
        post.frames = FramesSpec(**frames)
    thresholds = checker.section(given.get("thresholds"), schema.THRESHOLDS,
                                 defaults.thresholds, ("thresholds",))
    if thresholds is not None:
        _check_thresholds(checker, thresholds, given.get("thresholds"))
        post.thresholds = Thresholds(**thresholds)
    seeds = checker.value(schema.EXPERIMENT["seeds"], given.get("seeds", defaults.seeds), ("seeds",))
    post.seeds = seeds or ()

    if "sweeps" in given:
        from tinynets.posts import sweeps  # it builds on this module's checker and NetSpec

        post.sweeps = sweeps.load_sweeps(post, given["sweeps"], defaults, checker, frames)
    if "nets" not in given:
        return
    nets_given = given["nets"]
    if not isinstance(nets_given, dict) or not nets_given:
        checker.problem(("nets",), "expected a mapping of net names to their settings, e.g.\n"
                        "      nets:\n        wide-sgd: {layers: [60], optimizer: sgd}")
        return
    nets = []
    for name, settings in nets_given.items():
        key_path = ("nets", name)
        if not isinstance(name, str) or not SLUG.match(name):
            checker.problem(key_path, f"the net name {name!r} is not a safe slug: use lowercase "
                            "letters, digits and dashes (e.g. wide-sgd).")
            continue
        if name in RESERVED_NET_NAMES or name.endswith("-loss"):
            checker.problem(key_path, f"the net name '{name}' is reserved for the post's own "
                            "media (compare, losses, *-loss): choose another name.")
            continue
        net = checker.section(settings, schema.NET, defaults.net, key_path)
        if net is None:
            continue
        checker.only_for(settings, schema.NET, net["optimizer"], "the optimizer", key_path)
        if net["learning_rate"] is None:
            net["learning_rate"] = schema.KERAS_LEARNING_RATES[net["optimizer"]]
        if post.data is not None:
            net["loss"] = _net_loss(checker, post.data, settings, net["loss"], key_path)
        spec = NetSpec(name=name, **{**net, "label": net["label"] or name,
                                     "layers": tuple(net["layers"]),
                                     "inputs": post.data.inputs if post.data else 1})
        if post.data is not None and spec.batch_size > post.data.training_count:
            which = "training points" if post.data.test_count else "points"
            checker.problem(key_path + ("batch_size",), f"got {spec.batch_size}, but the data "
                            f"has only {post.data.training_count} {which}: use a batch size ≤ "
                            f"{post.data.training_count}.")
        if spec.epochs * len(post.seeds) > WORK_LIMIT:
            checker.problem(key_path + ("epochs",), f"{spec.epochs:,} epochs × "
                            f"{len(post.seeds)} seeds is more than {WORK_LIMIT:,} per-epoch "
                            "losses to record: lower one of them.")
        if frames is not None and post.frames.count > spec.epochs:
            checker.problem(key_path + ("epochs",), f"{spec.epochs} epochs cannot give "
                            f"{post.frames.count} frames: lower frames.count to ≤ {spec.epochs} "
                            "or train for more epochs.")
        nets.append(spec)
    post.nets = tuple(nets)


def _features(checker: Checker, data: dict) -> tuple[str, ...] | None:
    """The features' canonical names; unknown or repeated ones are problems."""
    names = []
    for index, name in enumerate(data["features"]):
        normal = normal_feature(name)
        if normal is None:
            checker.problem(("data", "features", index), f"unknown feature {name!r}: choose from "
                            f"{', '.join(schema.FEATURES)}.")
        elif normal in names:
            checker.problem(("data", "features", index), f"{normal} is listed twice: list each "
                            "feature once.")
        else:
            names.append(normal)
    return tuple(names) if len(names) == len(data["features"]) else None


def _plane_data(checker: Checker, data: dict) -> PlaneSpec | None:
    """A generated set on the plane; its split must leave points to train and to test on."""
    features = _features(checker, data)
    if features is None:
        return None
    spec = PlaneSpec(function=data["function"], points=data["points"], noise=data["noise"],
                     seed=data["seed"], extent=data["extent"],
                     test_fraction=data["test_fraction"], features=features)
    if spec.training_count < 2 or (spec.test_fraction > 0 and spec.test_count < 1):
        checker.problem(("data", "points"), f"{spec.points} points split by test_fraction "
                        f"{spec.test_fraction:g} leave {spec.training_count} to train on and "
                        f"{spec.test_count} to test on: use more points.")
        return None
    return spec


def _file_data(checker: Checker, given: dict, data: dict, content: Path) -> CsvSpec | None:
    """The author's CSV file, read and checked now (every problem names the file and line)."""
    missing = [key for key in ("x", "y") if data.get(key) is None]
    for key in missing:
        checker.problem(("data", "file"), f"a data file needs '{key}': the column holding the "
                        f"{'input (or two inputs, [x1, x2])' if key == 'x' else 'target'}.")
    if "function" in given:
        checker.problem(("data", "function"), "data from a file has no function: remove "
                        "'function', or remove 'file' to generate the data.")
    if missing or data["file"] is None:
        return None
    x_columns = tuple(data["x"])
    if len(x_columns) not in (1, 2):
        checker.problem(("data", "x"), f"got {len(x_columns)} columns, expected one input "
                        "column or two ([x1, x2]).")
        return None
    if len(x_columns) == 1 and data["task"] == "classification":
        checker.problem(("data", "task"), "classification needs two input columns (x: [x1, "
                        "x2]); one input column trains a regression.")
        return None
    if len(x_columns) == 1:
        for key in ("features", "test_fraction"):
            if key in given:
                checker.problem(("data", key), f"'{key}' applies to two input columns only: "
                                "remove it.")
    features = _features(checker, data)
    if features is None:
        return None
    try:
        return read_csv(content, data["file"], x_columns, data["y"], data["task"],
                        data["seed"], data["test_fraction"], features, data["noise_floor"])
    except CsvProblem as problem:
        checker.problem(("data", problem.key or "file"), problem.message)
        return None


def _net_loss(checker: Checker, data, settings: Any, loss: str, key_path: tuple) -> str:
    """Classification trains with binary cross-entropy on a sigmoid output ("bce", set here and
    never written by the author); regression with the loss the net names."""
    if not data.classification:
        return loss
    if isinstance(settings, dict) and "loss" in settings:
        checker.problem(key_path + ("loss",), f"got {loss!r}, but classification data (labels "
                        "0 and 1) always trains with binary cross-entropy on a sigmoid output, "
                        "as Keras does: remove 'loss'.")
    return "bce"


def target_value(data: DataSpec, x: float) -> float:
    """The noise-free target at ``x``, in plain Python (engine/data.py computes the same with
    numpy for training; a test keeps the two equal)."""
    if data.function == "sine":
        return math.sin(data.frequency * x)
    if data.function == "abs":
        return abs(x - data.center)
    if data.function == "step":
        return 1.0 if x >= data.center else 0.0
    if data.function == "gaussian":
        return math.exp(-0.5 * ((x - data.center) / data.width) ** 2)
    if data.function == "polynomial":
        return sum(c * x**power for power, c in enumerate(data.coefficients))
    raise ValueError(f"unknown function {data.function!r}")


def training_inputs(data: DataSpec) -> list[float]:
    """The inputs, evenly spread over x_range (as numpy's linspace spreads them)."""
    low, high = data.x_range
    step = (high - low) / (data.points - 1)
    return [low + index * step for index in range(data.points - 1)] + [high]


def _check_target_varies(checker: Checker, data: DataSpec) -> None:
    """A target that is the same at every input teaches nothing: the nets fit a flat line."""
    values = [target_value(data, x) for x in training_inputs(data)]
    spread = max(values) - min(values)
    if spread > 1e-6 * max(1.0, max(abs(value) for value in values)):
        return
    low, high = (f"{bound:g}" for bound in data.x_range)
    middle = f"{(data.x_range[0] + data.x_range[1]) / 2:g}"
    if data.function in ("step", "gaussian", "abs"):
        what = {"step": "step", "gaussian": "bump", "abs": "kink"}[data.function]
        key, fix = "center", (f"Put center inside [{low}, {high}] (leave it out for the middle, "
                              f"{middle})" + (", or widen the bump (width)"
                                              if data.function == "gaussian" else "") + ".")
        why = f"the {what} at {data.center:g} has no effect on the inputs [{low}, {high}]"
    elif data.function == "polynomial":
        key, fix = "coefficients", "Give x a non-zero coefficient (c1, c2, …)."
        why = f"the coefficients {list(data.coefficients)} give every input the same value"
    else:
        key, fix = "frequency", "Raise the frequency so the sine bends over the inputs."
        why = f"sin({data.frequency:g}·x) barely changes over [{low}, {high}]"
    checker.problem(("data", key), f"the target is constant over the training points: {why}, "
                    f"so the nets would learn a flat line. {fix}")


def _check_thresholds(checker: Checker, thresholds: dict, given: Any) -> None:
    """A seed cannot be near the floor and stuck at once: near_floor ≤ stuck."""
    near, stuck = thresholds.get("near_floor"), thresholds.get("stuck")
    if near is None or stuck is None or near <= stuck:
        return
    blamed = "near_floor" if isinstance(given, dict) and "near_floor" in given else "stuck"
    checker.problem(("thresholds", blamed), f"near_floor ({near:g}) is above stuck ({stuck:g}): a "
                    "seed near the floor cannot also be stuck; make near_floor ≤ stuck.")


def load_posts(content: Path) -> list[Post]:
    """Every post under content/posts, validated together; all problems raised at once."""
    problems: list[str] = []
    try:
        defaults = load_defaults(content / "defaults.yml")
    except SpecError as error:
        defaults, problems = schema.Defaults(), list(error.problems)
    posts = []
    for path in sorted((content / "posts").glob("*.md")):
        try:
            posts.append(load_post(path, defaults))
        except SpecError as error:
            problems.extend(error.problems)
    if problems:
        raise SpecError(problems)
    return posts
