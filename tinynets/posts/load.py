"""Read posts and validate their experiments: content/posts/<slug>.md → Post.

Everything is checked before anything is built, and every problem is reported at once with the
file, line, key path, bad value, what is allowed, and the closest valid key for a typo.

Example:
    >>> post = load_post(Path("content/posts/optimizer-or-depth.md"), schema.Defaults())
    >>> [net.name for net in post.nets]
    ['wide-sgd', 'deep-sgd', 'wide-adam', 'deep-adam', 'wide-adam-fast']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinynets.errors import CsvProblem, SpecError, display_path
from tinynets.posts import nets, schema, sweeps
from tinynets.posts.checker import Checker
from tinynets.posts.csvdata import CsvSpec, read_csv
from tinynets.posts.frontmatter import parse_yaml, split_front_matter
from tinynets.posts.functions import training_inputs, true_function
from tinynets.posts.kinds import MAX_SEEDS
from tinynets.posts.model import DataSpec, FramesSpec, Post, Thresholds
from tinynets.posts.plane import PlaneSpec, normal_feature


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
    if "replicate" in given:
        replicate = checker.value(schema.EXPERIMENT["replicate"], given["replicate"],
                                  ("replicate",))
        if replicate is not None:
            defaults.replicate = replicate
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
    if not schema.SLUG.match(slug):
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
        for name in ("data", "seeds", "replicate", "frames", "thresholds"):
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
    post.replication_seeds = _replication_seeds(checker, post.seeds, given, defaults)

    if "sweeps" in given:
        post.sweeps = sweeps.load_sweeps(post, given["sweeps"], defaults, checker,
                                          frames is not None)
    if "nets" in given:
        post.nets = nets.load_nets(post, given["nets"], defaults, checker, frames is not None)


def _replication_seeds(checker: Checker, seeds: tuple[int, ...], given: dict,
                       defaults: schema.Defaults) -> tuple[int, ...]:
    """The post's replication seeds (``replicate`` of them, by default as many as it shows);
    shown and replication seeds together are held to ``MAX_SEEDS``, since both train."""
    if not seeds:
        return ()  # the seeds are invalid (reported already)
    if "replicate" in given:
        count = checker.value(schema.EXPERIMENT["replicate"], given["replicate"], ("replicate",))
        if count is None:
            return ()
    else:
        count = len(seeds) if defaults.replicate is None else defaults.replicate
    if len(seeds) + count > MAX_SEEDS:
        if "replicate" in given:
            blamed, fix = "replicate", "lower replicate (or seeds)"
        else:
            source = ("the site default" if defaults.replicate is not None
                      else "as many as the post shows")
            blamed, fix = "seeds", (f"lower seeds, or set replicate (replication trains {count} "
                                    f"more seeds, {source}; 0 turns it off)")
        checker.problem((blamed,), f"{len(seeds)} shown and {count} replication seeds make "
                        f"{len(seeds) + count} seeds to train, more than {MAX_SEEDS}: {fix}.")
        return ()
    return schema.replication_seeds(seeds, count)


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


def _check_target_varies(checker: Checker, data: DataSpec) -> None:
    """A target that is the same at every input teaches nothing: the nets fit a flat line."""
    values = [true_function(data, x) for x in training_inputs(data)]
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


# What an experiment given in Python may hold: the experiment keys of front matter.
EXPERIMENT_KEYS = ("data", "nets", "sweeps", "seeds", "replicate", "frames", "thresholds")


def load_experiment(given: dict, defaults: schema.Defaults, origin: str, slug: str,
                    content: Path) -> Post:
    """An experiment given as Python values (``tinynets.experiment(data=…, nets=…)``), checked
    by the rules and with the messages of front matter; every problem raised at once in a
    SpecError, each naming ``origin`` (the call) and the key. ``slug`` names it where a post's
    slug would (the cache index, the log); a data file is read from ``content``.

    >>> post = load_experiment({"nets": {"wide": {"layers": [8], "epochs": 500}}, "seeds": 2},
    ...                        schema.Defaults(), "experiment()", "notebook", Path("content"))
    >>> [(net.name, net.shape, net.epochs) for net in post.nets], post.seeds
    ([('wide', '1×8', 500)], (0, 1))
    >>> load_experiment({"nets": {"wide": {"epochs": 0}}}, schema.Defaults(), "experiment()",
    ...                 "notebook", Path("content"))
    Traceback (most recent call last):
    ...
    tinynets.errors.SpecError: 1 problem in experiment():
      - experiment(): nets.wide.epochs: got 0, expected a whole number from 1 to 1000000.
    """
    checker = Checker(origin, None)
    checker.known_keys(given, list(EXPERIMENT_KEYS), ())
    post = Post(path=content / "posts" / f"{slug}.md", slug=slug, meta={}, body="",
                body_line=1)
    if "nets" in given or "sweeps" in given:
        _load_experiment(post, given, defaults, checker)
    else:
        checker.problem((), "an experiment needs nets (or sweeps) to train, e.g. "
                        "nets={'wide': {'layers': [60]}}.")
    if checker.problems:
        raise SpecError(checker.problems, where=origin)
    return post


def no_such_post(slug: str, slugs: list[str]) -> str:
    """What to say of a post asked for by a slug that none has (``build --only``, the API).

    >>> no_such_post("tiyn", [])
    'no post content/posts/tiyn.md. Posts: none.'
    """
    return f"no post content/posts/{slug}.md. Posts: {', '.join(slugs) or 'none'}."


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
