"""Sweeps in front matter: a base net and one to three keys varied over lists of values.

Every combination of values is a *cell*: a net of its own (``NetSpec``), trained with the post's
seeds (shown and replication) and cached like any net, so a cell that matches a net (or a cell of another sweep) is the
same cache entry. A cell is built and limited as a net is (``tinynets.posts.nets``); every
problem comes at once, with file:line:key and suggestions, and a sweep with more cells than
``max_cells`` is an error that says how to raise it.

Example front matter::

    sweeps:
      width-rate:
        net: {optimizer: sgd, epochs: 2000}
        vary:
          layers: [[4], [16], [64]]
          learning_rate: [0.003, 0.01, 0.03]

The first cell of that sweep, and its label in figures:

    >>> cell_name("width-rate", {"layers": (4,), "learning_rate": 0.003})
    'width-rate[layers=4,learning_rate=0.003]'
    >>> cell_label({"layers": (4,), "learning_rate": 0.003})
    '1×4, lr 0.003'
"""

from __future__ import annotations

import itertools

from tinynets.posts import schema
from tinynets.posts.model import NetSpec, SweepSpec, plain
from tinynets.posts.nets import build_net, check_limits, check_name

SHORT_NAMES = {"learning_rate": "lr", "batch_size": "batch", "activation": "",
               "optimizer": "", "epochs": "epochs", "momentum": "momentum", "layers": ""}


def value_text(key: str, value) -> str:
    """How a varied value reads in labels: layers (16,) → '1×16', 0.01 → '0.01'."""
    if key == "layers":
        return NetSpec(name="x", layers=tuple(value)).shape
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cell_name(sweep: str, values: dict) -> str:
    """A cell's name: 'width-rate[layers=16,learning_rate=0.01]' (depth: 'layers=10-10'; no
    hidden layer: 'layers=none')."""
    parts = []
    for key, value in values.items():
        shown = ("-".join(map(str, value)) or "none") if key == "layers" \
            else value_text(key, value)
        parts.append(f"{key}={shown}")
    return f"{sweep}[{','.join(parts)}]"


def cell_label(values: dict) -> str:
    """A cell's label in figures: '1×16, lr 0.01'."""
    return ", ".join(" ".join(part for part in (SHORT_NAMES.get(key, key), value_text(key, value))
                              if part) for key, value in values.items())


def load_sweeps(post, given, defaults: schema.Defaults, checker,
                frames_known: bool) -> tuple[SweepSpec, ...]:
    """Validate ``sweeps:`` of one post (problems go to ``checker``); return the good sweeps."""
    if not isinstance(given, dict) or not given:
        checker.problem(("sweeps",), "expected a mapping of sweep names to their settings, e.g.\n"
                        "      sweeps:\n        widths:\n          net: {optimizer: adam}\n"
                        "          vary: {layers: [[4], [16], [64]]}")
        return ()
    if post.data is not None and (post.data.from_file or post.data.dimensions != 1):
        data = "a CSV file" if post.data.from_file else f"'{post.data.function}' on the plane"
        checker.problem(("sweeps",), f"this post's data is {data}. {schema.SWEEP_DATA} (Or "
                        "sweep in a post of its own on 1-D data.)")
        return ()
    sweeps = []
    for name, settings in given.items():
        key_path = ("sweeps", name)
        if not check_name(checker, name, "sweep", "width-rate", key_path):
            continue
        sweep = _load_sweep(post, name, settings, defaults, checker, frames_known, key_path)
        if sweep is not None:
            sweeps.append(sweep)
    return tuple(sweeps)


def _load_sweep(post, name: str, settings, defaults, checker, frames_known: bool,
                key_path: tuple):
    if not isinstance(settings, dict):
        checker.problem(key_path, f"got {settings!r}, expected a mapping with 'net' (the base "
                        "net) and 'vary' (the keys to vary, each with a list of values).")
        return None
    checker.known_keys(settings, list(schema.SWEEP), key_path)
    label = name
    if "label" in settings:
        label = checker.value(schema.SWEEP["label"], settings["label"], key_path + ("label",)) \
            or name
    max_cells = schema.SWEEP["max_cells"].default
    if "max_cells" in settings:
        max_cells = checker.value(schema.SWEEP["max_cells"], settings["max_cells"],
                                  key_path + ("max_cells",))
    base_given = settings.get("net") or {}
    base = checker.section(base_given, schema.NET, defaults.net, key_path + ("net",))

    vary = settings.get("vary")
    vary_path = key_path + ("vary",)
    if not isinstance(vary, dict) or not vary:
        checker.problem(vary_path if "vary" in settings else key_path,
                        "expected 'vary': a mapping of 1 to "
                        f"{schema.MAX_VARIED_KEYS} net keys to lists of values, e.g. "
                        "vary: {layers: [[4], [16]], learning_rate: [0.003, 0.01]}.")
        return None
    checker.known_keys(vary, list(schema.SWEEP_VARIABLES), vary_path)
    if len(vary) > schema.MAX_VARIED_KEYS:
        checker.problem(vary_path, f"{len(vary)} keys vary; a sweep varies at most "
                        f"{schema.MAX_VARIED_KEYS} (a heatmap shows two): split it into "
                        "several sweeps.")
        return None
    varied = []
    for key, values in vary.items():
        if key not in schema.SWEEP_VARIABLES:
            continue
        if isinstance(base_given, dict) and key in base_given:
            checker.problem(key_path + ("net", key), f"'{key}' is varied by this sweep, so the "
                            "base net cannot also set it: remove one of the two.")
        if not isinstance(values, list) or not values:
            checker.problem(vary_path + (key,), f"got {values!r}, expected a non-empty list of "
                            f"values for {key}, e.g. {_example(key)}.")
            continue
        checked = [checker.value(schema.NET[key], value, vary_path + (key, index))
                   for index, value in enumerate(values)]
        if any(value is None for value in checked):
            continue
        checked = [tuple(value) if isinstance(value, list) else value for value in checked]
        twice = sorted({str(plain(v)) for v in checked if checked.count(v) > 1})
        if twice:
            checker.problem(vary_path + (key,), f"each value once; {', '.join(twice)} "
                            f"{'is' if len(twice) == 1 else 'are'} listed twice.")
            continue
        varied.append((key, tuple(checked)))
    if base is None or len(varied) != len([k for k in vary if k in schema.SWEEP_VARIABLES]):
        return None

    count = 1
    for _, values in varied:
        count *= len(values)
    if max_cells is not None and count > max_cells:
        sizes = " × ".join(str(len(values)) for _, values in varied)
        checker.problem(vary_path, f"this sweep has {count:,} cells ({sizes}), more than "
                        f"max_cells ({max_cells:,}): each cell trains {_seeds_text(post)}. Shorten a list, or raise the limit on purpose with "
                        f"'max_cells: {count}' in sweeps.{name}.")
        return None

    cells = []
    for combination in itertools.product(*(values for _, values in varied)):
        values = dict(zip((key for key, _ in varied), combination))
        settings_of_cell = {**base, **values}
        if "optimizer" in values and "learning_rate" not in values \
                and "learning_rate" not in base_given:
            settings_of_cell["learning_rate"] = None  # Keras' default for each cell's optimizer
        if "momentum" in values and settings_of_cell["optimizer"] != "sgd-momentum":
            checker.problem(vary_path + ("momentum",), "momentum applies to the optimizer "
                            f"sgd-momentum only, not to {settings_of_cell['optimizer']}: set "
                            "optimizer: sgd-momentum in the sweep's net.")
            return None
        cell = build_net(cell_name(name, values), settings_of_cell, post.data,
                         label=cell_label(values), color="")
        cells.append(cell)
        blame = _blame(key_path, dict(varied), values)
        if not check_limits(checker, cell, post, frames_known, blame):
            return None  # one cell's problems per sweep, not every cell's
    base_spec = build_net(name, base, post.data, label=label, color="")
    return SweepSpec(name=name, label=label, base=base_spec, varied=tuple(varied),
                     cells=tuple(cells))


def _seeds_text(post) -> str:
    """'3 seeds', or '6 seeds (3 shown + 3 replication)'."""
    if not post.seeds:
        return "the seeds"
    if not post.replication_seeds:
        return f"{len(post.seeds)} seeds"
    return (f"{len(post.run_seeds)} seeds ({len(post.seeds)} shown + "
            f"{len(post.replication_seeds)} replication)")


def _blame(key_path: tuple, varied: dict, values: dict):
    """Where a cell's problem with ``key`` is reported: at its value in the list of values
    (``vary.epochs[1]``) when the sweep varies the key, else at the base net's key."""
    def blame(key: str) -> tuple:
        if key in values:
            return key_path + ("vary", key, varied[key].index(values[key]))
        return key_path + ("net", key)
    return blame


def _example(key: str) -> str:
    return {"layers": "[[4], [16], [64]]", "learning_rate": "[0.003, 0.01, 0.03]",
            "optimizer": "[sgd, adam]", "activation": "[relu, tanh]",
            "batch_size": "[8, 32]", "epochs": "[1000, 5000]",
            "momentum": "[0.5, 0.9]"}[key]
