"""Sweeps in front matter: a base net and one to three keys varied over lists of values.

Every combination of values is a *cell*: a net of its own (``NetSpec``), trained with the post's
seeds and cached like any net, so a cell that matches a net (or a cell of another sweep) is the
same cache entry. Validation follows the nets' rules (every problem at once, file:line:key and
suggestions); a sweep with more cells than ``max_cells`` is an error that says how to raise it.

Example front matter::

    sweeps:
      width-rate:
        net: {optimizer: sgd, epochs: 2000}
        vary:
          layers: [[4], [16], [64]]
          learning_rate: [0.003, 0.01, 0.03]

    >>> [cell.label for cell in post.sweeps[0].cells][:2]        # doctest: +SKIP
    ['1×4, lr 0.003', '1×4, lr 0.01']
"""

from __future__ import annotations

import itertools

from tinynets.posts import schema
from tinynets.posts.model import NetSpec, SweepSpec, plain

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
    """A cell's name: 'width-rate[layers=16,learning_rate=0.01]' (depth: 'layers=10-10')."""
    parts = []
    for key, value in values.items():
        shown = "-".join(map(str, value)) if key == "layers" else value_text(key, value)
        parts.append(f"{key}={shown}")
    return f"{sweep}[{','.join(parts)}]"


def cell_label(values: dict) -> str:
    """A cell's label in figures: '1×16, lr 0.01'."""
    return ", ".join(" ".join(part for part in (SHORT_NAMES.get(key, key), value_text(key, value))
                              if part) for key, value in values.items())


def load_sweeps(post, given, defaults: schema.Defaults, checker, frames) -> tuple[SweepSpec, ...]:
    """Validate ``sweeps:`` of one post (problems go to ``checker``); return the good sweeps."""
    if not isinstance(given, dict) or not given:
        checker.problem(("sweeps",), "expected a mapping of sweep names to their settings, e.g.\n"
                        "      sweeps:\n        widths:\n          net: {optimizer: adam}\n"
                        "          vary: {layers: [[4], [16], [64]]}")
        return ()
    if post.data is not None and (post.data.from_file or post.data.dimensions != 1):
        checker.problem(("sweeps",), "sweeps are drawn over 1-D data (a function of x: sine, "
                        "abs, step, gaussian, polynomial) for now; this post's data is "
                        f"{'a file' if post.data.from_file else post.data.function}: declare nets "
                        "instead, or sweep in a post of its own.")
        return ()
    sweeps = []
    net_names = set()
    for name, settings in given.items():
        key_path = ("sweeps", name)
        if not isinstance(name, str) or not schema.SLUG.match(name):
            checker.problem(key_path, f"the sweep name {name!r} is not a safe slug: use "
                            "lowercase letters, digits and dashes (e.g. width-rate).")
            continue
        sweep = _load_sweep(post, name, settings, defaults, checker, frames, key_path)
        if sweep is not None:
            sweeps.append(sweep)
            net_names.add(name)
    return tuple(sweeps)


def _load_sweep(post, name: str, settings, defaults, checker, frames, key_path: tuple):
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
                        f"max_cells ({max_cells:,}): each cell trains {len(post.seeds) or 'the'} "
                        f"seeds. Shorten a list, or raise the limit on purpose with "
                        f"'max_cells: {count}' in sweeps.{name}.")
        return None

    cells = []
    for combination in itertools.product(*(values for _, values in varied)):
        values = dict(zip((key for key, _ in varied), combination))
        settings_of_cell = {**base, **values}
        if settings_of_cell["learning_rate"] is None or (
                "optimizer" in values and "learning_rate" not in values
                and "learning_rate" not in base_given):
            settings_of_cell["learning_rate"] = schema.KERAS_LEARNING_RATES[
                settings_of_cell["optimizer"]]
        if "momentum" in values and settings_of_cell["optimizer"] != "sgd-momentum":
            checker.problem(vary_path + ("momentum",), "momentum applies to the optimizer "
                            f"sgd-momentum only, not to {settings_of_cell['optimizer']}: set "
                            "optimizer: sgd-momentum in the sweep's net.")
            return None
        cell = NetSpec(name=cell_name(name, values),
                       **{**{k: v for k, v in settings_of_cell.items()
                             if k in NetSpec.__dataclass_fields__},
                          "label": cell_label(values), "color": "",
                          "layers": tuple(settings_of_cell["layers"])})
        cells.append(cell)
        if not _check_cell(post, cell, checker, frames, vary_path, values):
            return None  # one message per sweep, not one per cell
    base_spec = NetSpec(name=name, **{**{k: v for k, v in base.items()
                                        if k in NetSpec.__dataclass_fields__},
                                     "label": label, "color": "",
                                     "learning_rate": base["learning_rate"]
                                     or schema.KERAS_LEARNING_RATES[base["optimizer"]],
                                     "layers": tuple(base["layers"])})
    return SweepSpec(name=name, label=label, base=base_spec, varied=tuple(varied),
                     cells=tuple(cells))


def _check_cell(post, cell: NetSpec, checker, frames, vary_path: tuple, values: dict) -> bool:
    """The per-net limits, for one cell; reported once per sweep and key, not once per cell."""
    where = vary_path + (next(iter(values)),)
    data = post.data
    if data is not None and cell.batch_size > getattr(data, "points", cell.batch_size):
        path = vary_path + ("batch_size",) if "batch_size" in values else vary_path[:-1] + (
            "net",)
        checker.problem(path, f"batch size {cell.batch_size} is more than the data's "
                        f"{data.points} points: use batch sizes ≤ {data.points}.")
        return False
    if cell.epochs * max(1, len(post.seeds)) > schema.WORK_LIMIT:
        checker.problem(where, f"{cell.epochs:,} epochs × {len(post.seeds)} seeds is more than "
                        f"{schema.WORK_LIMIT:,} per-epoch losses to record: lower one of them.")
        return False
    if frames is not None and post.frames.count > cell.epochs:
        checker.problem(where, f"{cell.epochs} epochs cannot give {post.frames.count} frames: "
                        f"lower frames.count to ≤ {cell.epochs} or train for more epochs.")
        return False
    return True


def _example(key: str) -> str:
    return {"layers": "[[4], [16], [64]]", "learning_rate": "[0.003, 0.01, 0.03]",
            "optimizer": "[sgd, adam]", "activation": "[relu, tanh]",
            "batch_size": "[8, 32]", "epochs": "[1000, 5000]",
            "momentum": "[0.5, 0.9]"}[key]
