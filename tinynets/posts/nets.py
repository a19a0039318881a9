"""A post's nets: one builder and one limits check, shared by the nets and the sweeps' cells.

A net of ``nets:`` and a cell of a sweep are the same thing once read (a ``NetSpec``, cached by
its settings), so they are built by the same rules and held to the same limits, with the same
messages; only the key a problem is reported at differs (``nets.wide.epochs``, or the sweep's
``vary.epochs[1]`` or ``net.epochs``).

Example:
    >>> settings = {**schema.Defaults().net, "optimizer": "adam", "layers": [10, 10]}
    >>> net = build_net("deep", settings, None, label="Deep")
    >>> net.learning_rate, net.layers, net.loss
    (0.001, (10, 10), 'mse')
"""

from __future__ import annotations

from typing import Any, Callable

from tinynets.posts import schema
from tinynets.posts.checker import Checker
from tinynets.posts.model import DataSet, NetSpec, Post


def build_net(name: str, settings: dict, data: DataSet | None, label: str,
              color: str | None = None) -> NetSpec:
    """The NetSpec of checked net ``settings`` (a ``schema.NET`` section): Keras' default
    learning rate for its optimizer when it names none, and the inputs and loss its data asks
    for (binary cross-entropy on classification data). ``color`` None: the settings' colour."""
    learning_rate = settings["learning_rate"]
    if learning_rate is None:
        learning_rate = schema.KERAS_LEARNING_RATES[settings["optimizer"]]
    return NetSpec(name=name, **{
        **settings, "label": label, "color": settings["color"] if color is None else color,
        "layers": tuple(settings["layers"]), "learning_rate": learning_rate,
        "loss": "bce" if data is not None and data.classification else settings["loss"],
        "inputs": data.inputs if data is not None else 1})


def check_name(checker: Checker, name: Any, what: str, example: str, key_path: tuple) -> bool:
    """A net's or a sweep's name becomes file names and part of URLs: it must be a slug."""
    if isinstance(name, str) and schema.SLUG.match(name):
        return True
    checker.problem(key_path, f"the {what} name {name!r} is not a safe slug: use lowercase "
                    f"letters, digits and dashes (e.g. {example}).")
    return False


def check_loss(checker: Checker, data: DataSet | None, settings: Any, loss: str,
               key_path: tuple) -> None:
    """Classification trains with binary cross-entropy on a sigmoid output ("bce", set by
    ``build_net`` and never written by the author): a ``loss`` given for it is a problem."""
    if data is not None and data.classification and isinstance(settings, dict) \
            and "loss" in settings:
        checker.problem(key_path + ("loss",), f"got {loss!r}, but classification data (labels "
                        "0 and 1) always trains with binary cross-entropy on a sigmoid output, "
                        "as Keras does: remove 'loss'.")


def check_limits(checker: Checker, net: NetSpec, post: Post, frames_known: bool,
                 blame: Callable[[str], tuple]) -> bool:
    """Report what ``net`` cannot do with the post's data, seeds and frames; True if nothing.

    ``blame(key)`` is the key path a problem with ``batch_size`` or ``epochs`` is reported at.
    ``frames_known`` False: the post's frames are invalid (reported already), so not compared.
    """
    ok = True
    data = post.data
    if data is not None and net.batch_size > data.training_count:
        which = "training points" if data.test_count else "points"
        checker.problem(blame("batch_size"), f"got {net.batch_size}, but the data has only "
                        f"{data.training_count} {which}: use a batch size ≤ "
                        f"{data.training_count}.")
        ok = False
    trained = len(post.run_seeds)
    if net.epochs * trained > schema.WORK_LIMIT:
        seeds = (f"{trained} seeds ({len(post.seeds)} shown + {len(post.replication_seeds)} "
                 "replication)" if post.replication_seeds else f"{trained} seeds")
        fix = ("lower the epochs, seeds or replicate" if post.replication_seeds
               else "lower one of them")
        checker.problem(blame("epochs"), f"{net.epochs:,} epochs × {seeds} is more than "
                        f"{schema.WORK_LIMIT:,} per-epoch losses to record: {fix}.")
        ok = False
    if frames_known and post.frames.count > net.epochs:
        checker.problem(blame("epochs"), f"{net.epochs} epochs cannot give {post.frames.count} "
                        f"frames: lower frames.count to ≤ {net.epochs} or train for more "
                        "epochs.")
        ok = False
    return ok


def load_nets(post: Post, given: Any, defaults: schema.Defaults, checker: Checker,
              frames_known: bool) -> tuple[NetSpec, ...]:
    """Validate ``nets:`` of one post (problems go to ``checker``); return the good nets."""
    if not isinstance(given, dict) or not given:
        checker.problem(("nets",), "expected a mapping of net names to their settings, e.g.\n"
                        "      nets:\n        wide-sgd: {layers: [60], optimizer: sgd}")
        return ()
    nets = []
    for name, settings in given.items():
        key_path = ("nets", name)
        if not check_name(checker, name, "net", "wide-sgd", key_path):
            continue
        if name in schema.RESERVED_NET_NAMES or name.endswith("-loss"):
            checker.problem(key_path, f"the net name '{name}' is reserved for the post's own "
                            "media (compare, losses, *-loss): choose another name.")
            continue
        net = checker.section(settings, schema.NET, defaults.net, key_path)
        if net is None:
            continue
        checker.only_for(settings, schema.NET, net["optimizer"], "the optimizer", key_path)
        check_loss(checker, post.data, settings, net["loss"], key_path)
        spec = build_net(name, net, post.data, label=net["label"] or name)
        check_limits(checker, spec, post, frames_known, lambda key: key_path + (key,))
        nets.append(spec)
    return tuple(nets)
