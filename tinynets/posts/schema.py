"""Every key a post's front matter may hold: its default, what is allowed, and what it means.

This is the one place where project-wide defaults live. ``content/defaults.yml`` may override
the ``data``, ``net``, ``seeds``, ``replicate``, ``frames`` and ``thresholds`` defaults for the
whole site, and a post overrides both. Each key's kind of value is a validator (``tinynets.posts.kinds``) that
also describes what it allows; README's configuration reference is written from these tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tinynets.posts.kinds import (MAX_SEEDS, Choice, Color, Date, Flag, Kind, ListOf, Mapping,
                                  Names, Number, Range, Seeds, Text, Whole)

# Post, net and sweep names become file and folder names and parts of URLs.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names a net cannot take: its media files would collide with the post's comparison media.
RESERVED_NET_NAMES = ("compare", "losses")
# An upper bound on epochs × seeds (shown and replication seeds together): a recording keeps two losses per seed and epoch (8 bytes),
# so this keeps one under about 200 MB. (Shuffle orders are made in the graph, epoch by epoch,
# so the number of points does not count.)
WORK_LIMIT = 25_000_000


@dataclass(frozen=True)
class Key:
    """One configuration key: its default, the kind of value it holds (a validator from
    ``tinynets.posts.kinds``, with its bounds or choices), and what it means."""

    default: Any
    kind: Kind
    doc: str
    only_for: tuple = ()  # keys that apply to some data functions (or optimizers) only


LINE_FUNCTIONS = ("sine", "abs", "step", "gaussian", "polynomial")
# Data on the plane (two inputs): five classification sets (labels 0/1) and one surface.
PLANE_CLASSES = ("circle", "xor", "gaussians", "spiral", "moons")
PLANE_SURFACES = ("waves",)
PLANE_FUNCTIONS = PLANE_CLASSES + PLANE_SURFACES
FUNCTIONS = LINE_FUNCTIONS + PLANE_FUNCTIONS
# Input features a net on the plane may see instead of (x1, x2); ASCII spellings are accepted.
FEATURES = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin(x1)", "sin(x2)")
FEATURE_SPELLINGS = {"x1^2": "x1²", "x2^2": "x2²", "x1*x2": "x1·x2", "x1x2": "x1·x2"}
TASKS = ("regression", "classification")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "linear", "gelu", "softplus")
OPTIMIZERS = ("sgd", "sgd-momentum", "adam", "rmsprop", "adagrad", "nadam")
LOSSES = ("mse", "mae", "huber")  # classification data always trains with binary cross-entropy
SPACINGS = ("geometric", "linear")

# Keras' own default learning rate per optimizer: a net that names no learning rate gets this.
KERAS_LEARNING_RATES = {
    "sgd": 0.01,
    "sgd-momentum": 0.01,
    "adam": 0.001,
    "rmsprop": 0.001,
    "adagrad": 0.001,
    "nadam": 0.001,
}

DATA = {
    "function": Key("sine", Choice(FUNCTIONS), "Target function."),
    "x_range": Key([0.0, 10.0], Range(), "Inputs are spread evenly over [low, high].",
                   only_for=LINE_FUNCTIONS),
    "points": Key(100, Whole(minimum=2, maximum=100_000), "Number of points (on the plane: "
                  "training and test points together)."),
    "noise": Key(0.1, Number(minimum=0), "Standard deviation of the Gaussian noise added to y "
                 "(on the plane's classification sets: jitter added to each point's two "
                 "coordinates)."),
    "seed": Key(0, Whole(minimum=0), "Seed of the noise, so every build sees the same points."),
    "frequency": Key(1.0, Number(above=0), "sine: y = sin(frequency·x).", only_for=("sine",)),
    "center": Key(None, Number(), "abs, step, gaussian: where the kink, step or bump sits "
                  "(default: the middle of x_range).", only_for=("abs", "step", "gaussian")),
    "width": Key(1.0, Number(above=0), "gaussian: standard deviation of the bump.",
                 only_for=("gaussian",)),
    "coefficients": Key([0.0, 0.0, 0.02], ListOf(Number()),
                        "polynomial: c0 + c1·x + c2·x² + …", only_for=("polynomial",)),
    "extent": Key(6.0, Number(above=0), "Plane data: points lie in [−extent, extent]² (the "
                  "predictions are drawn over the same square).", only_for=PLANE_FUNCTIONS),
    "test_fraction": Key(0.5, Number(minimum=0, maximum=0.9), "Plane and 2-column file data: "
                         "share of the points held out as the test set (never trained on).",
                         only_for=PLANE_FUNCTIONS + ("file",)),
    "features": Key(["x1", "x2"], Names(), "Plane data: the inputs the nets see, from "
                    + ", ".join(FEATURES) + " (ASCII: x1^2, x1*x2).",
                    only_for=PLANE_FUNCTIONS + ("file",)),
    "file": Key(None, Text(), "Your own data: a CSV file under content/, e.g. "
                "data/points.csv (then no function).", only_for=("file",)),
    "x": Key(None, Names(), "file: the input column, or two columns [x1, x2].",
             only_for=("file",)),
    "y": Key(None, Text(), "file: the target column.", only_for=("file",)),
    "task": Key("regression", Choice(TASKS), "file: regression, or classification (the y column "
                "holds 0 and 1).", only_for=("file",)),
    "noise_floor": Key(None, Number(minimum=0), "file: the lowest error you expect (unknown for "
                       "real data, so not shown unless given).", only_for=("file",)),
}

NET = {
    "label": Key("", Text(), "Name shown in figures and tables (default: the net's key)."),
    "color": Key("", Color(), "Colour in figures, #RRGGBB (default: one of the colour-blind-safe "
                 "palette, chosen by the net's name)."),
    "layers": Key([60], ListOf(Whole(minimum=1, maximum=10_000), empty="no hidden layer"),
                  "Hidden layer sizes, e.g. [60] or [10, 10]; [] for none: the inputs go "
                  "straight to the output (a linear model; logistic regression on "
                  "classification data)."),
    "activation": Key("relu", Choice(ACTIVATIONS), "Activation of the hidden layers."),
    "optimizer": Key("sgd", Choice(OPTIMIZERS), "Keras optimizer."),
    "learning_rate": Key(None, Number(above=0), "Step size (default: Keras' default for the "
                         "optimizer)."),
    "momentum": Key(0.9, Number(minimum=0, below=1), "sgd-momentum only: the momentum.",
                    only_for=("sgd-momentum",)),
    "batch_size": Key(32, Whole(minimum=1), "Mini-batch size (Keras default 32)."),
    "epochs": Key(5000, Whole(minimum=1, maximum=1_000_000), "Passes over the data."),
    "loss": Key("mse", Choice(LOSSES), "Training loss."),
}

FRAMES = {
    "count": Key(150, Whole(minimum=2, maximum=1000), "Prediction snapshots (animation frames), "
                 "epoch 0 included."),
    "spacing": Key("geometric", Choice(SPACINGS), "geometric: dense early, sparse late; or "
                   "linear."),
}

THRESHOLDS = {
    "near_floor": Key(2.0, Number(above=0), "A seed is near the floor when its final error ≤ "
                      "this × noise floor."),
    "stuck": Key(5.0, Number(above=0), "A seed is stuck when its final error > this × noise "
                 "floor."),
}

EXPERIMENT = {
    "seeds": Key(10, Seeds(), "How many seeds (0, 1, …) or an explicit list of seeds."),
    "replicate": Key(None, Whole(minimum=0, maximum=MAX_SEEDS), "How many replication seeds "
                     "to train besides the shown ones: the whole numbers after the largest "
                     "shown seed (seeds: 10, replicate: 10 → seeds 10–19). They are never "
                     "shown; every claim is checked on them too. Default: as many as the post "
                     f"shows; 0 turns replication off. Shown and replication seeds: at most "
                     f"{MAX_SEEDS} together."),
}

# A sweep: a base net and one to three net keys varied over lists of values; every combination
# of values (a cell) is a net of its own, trained with the post's seeds.
SWEEP_VARIABLES = ("layers", "learning_rate", "optimizer", "activation", "batch_size", "epochs",
                   "momentum")
MAX_VARIED_KEYS = 3
# What sweeps are drawn over, said once: README's reference states it above the sweep keys and
# the error for a sweep on other data quotes it.
SWEEP_DATA = ("Sweeps need 1-D data, a generated function of x (sine, abs, step, gaussian, "
              "polynomial): the plane's data sets (xor, circle, …) and CSV files cannot be "
              "swept yet; declare the nets to compare under nets: there.")
SWEEP = {
    "label": Key("", Text(), "Name shown in figures (default: the sweep's key)."),
    "net": Key({}, Mapping("mapping of net keys"), "The base net every cell starts from: any net "
               "key (layers, optimizer, learning_rate, epochs, …)."),
    "vary": Key({}, Mapping(f"mapping of 1–{MAX_VARIED_KEYS} keys to lists"), "One to three net "
                "keys, each with the list of values to try: " + ", ".join(SWEEP_VARIABLES)
                + ", e.g. {layers: [[4], [16]], learning_rate: [0.003, 0.01]}."),
    "max_cells": Key(64, Whole(minimum=1, maximum=100_000), "The most cells (combinations of "
                     "values) the sweep may have: a guard against a list that grew by mistake; "
                     "raise it on purpose."),
}

# Keys about the post as a page: MkDocs' blog plugin reads most of them; tinynets passes them
# through unchanged, and reads description and card for link previews (pages/social.py).
BLOG = {
    "title": Key(None, Text(), "Post title (required), shown as written wherever the site "
                 "names the post: markup and Markdown in it are escaped, not refused."),
    "date": Key(None, Date(), "Publication date, YYYY-MM-DD (required)."),
    "authors": Key([], Names(), "Author ids from content/authors.yml."),
    "categories": Key([], Names(), "Categories shown on the blog index."),
    "tags": Key([], Names(), "Tags."),
    "description": Key("", Text(), "Summary for search engines and social cards."),
    "draft": Key(False, Flag(), "Drafts are left out of the built site."),
    "pin": Key(False, Flag(), "Pin the post to the top of the index."),
    "card": Key("", Text(), "The net whose figure is the post's picture in link previews "
                "(social cards), e.g. wide-adam (default: the post's first figure)."),
}

POST_KEYS = tuple(BLOG) + tuple(EXPERIMENT) + ("data", "nets", "sweeps", "frames", "thresholds")
DEFAULTS_FILE_KEYS = ("data", "net", "seeds", "replicate", "frames", "thresholds")


@dataclass
class Defaults:
    """Project-wide defaults after ``content/defaults.yml`` is applied."""

    data: dict = field(default_factory=lambda: {k: v.default for k, v in DATA.items()})
    net: dict = field(default_factory=lambda: {k: v.default for k, v in NET.items()})
    frames: dict = field(default_factory=lambda: {k: v.default for k, v in FRAMES.items()})
    thresholds: dict = field(default_factory=lambda: {k: v.default for k, v in THRESHOLDS.items()})
    seeds: Any = 10
    replicate: int | None = None  # None: as many replication seeds as the post shows


def replication_seeds(shown: tuple[int, ...], count: int) -> tuple[int, ...]:
    """The ``count`` replication seeds of a post showing ``shown``: the whole numbers after the
    largest shown seed, so the two sets never meet.

    >>> replication_seeds((0, 1, 2), 3), replication_seeds((0, 3, 7), 2), replication_seeds((4,), 0)
    ((3, 4, 5), (8, 9), ())
    """
    start = max(shown, default=-1) + 1
    return tuple(range(start, start + count))
