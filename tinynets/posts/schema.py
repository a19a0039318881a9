"""Every key a post's front matter may hold: its default, what is allowed, and what it means.

This is the one place where project-wide defaults live. ``content/defaults.yml`` may override
the ``data``, ``net``, ``seeds``, ``frames`` and ``thresholds`` defaults for the whole site, and a
post overrides both. README's configuration reference is written from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Key:
    """One configuration key: default value, the kind of value, allowed choices, a docstring."""

    default: Any
    kind: str  # "int", "number", "string", "bool", "list", "int-list", "number-list", "range", "color"
    doc: str
    choices: tuple = ()
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive: beyond it a typo (an extra 0) is likelier than intent
    above: float | None = None  # exclusive lower bound
    below: float | None = None  # exclusive upper bound
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
    "function": Key("sine", "string", "Target function.", choices=FUNCTIONS),
    "x_range": Key([0.0, 10.0], "range", "Inputs are spread evenly over [low, high].",
                   only_for=LINE_FUNCTIONS),
    "points": Key(100, "int", "Number of points (on the plane: training and test points "
                  "together).", minimum=2, maximum=100_000),
    "noise": Key(0.1, "number", "Standard deviation of the Gaussian noise added to y (on the "
                 "plane's classification sets: jitter added to each point's two coordinates).",
                 minimum=0),
    "seed": Key(0, "int", "Seed of the noise, so every build sees the same points.", minimum=0),
    "frequency": Key(1.0, "number", "sine: y = sin(frequency·x).", above=0, only_for=("sine",)),
    "center": Key(
        None, "number", "abs, step, gaussian: where the kink, step or bump sits (default: the "
        "middle of x_range).", only_for=("abs", "step", "gaussian"),
    ),
    "width": Key(1.0, "number", "gaussian: standard deviation of the bump.", above=0,
                 only_for=("gaussian",)),
    "coefficients": Key(
        [0.0, 0.0, 0.02], "number-list", "polynomial: c0 + c1·x + c2·x² + …",
        only_for=("polynomial",),
    ),
    "extent": Key(6.0, "number", "Plane data: points lie in [−extent, extent]² (the "
                  "predictions are drawn over the same square).", above=0,
                  only_for=PLANE_FUNCTIONS),
    "test_fraction": Key(0.5, "number", "Plane and 2-column file data: share of the points held "
                         "out as the test set (never trained on).", minimum=0, maximum=0.9,
                         only_for=PLANE_FUNCTIONS + ("file",)),
    "features": Key(["x1", "x2"], "string-list", "Plane data: the inputs the nets see, from "
                    + ", ".join(FEATURES) + " (ASCII: x1^2, x1*x2).",
                    only_for=PLANE_FUNCTIONS + ("file",)),
    "file": Key(None, "string", "Your own data: a CSV file under content/, e.g. "
                "data/points.csv (then no function).", only_for=("file",)),
    "x": Key(None, "string-list", "file: the input column, or two columns [x1, x2].",
             only_for=("file",)),
    "y": Key(None, "string", "file: the target column.", only_for=("file",)),
    "task": Key("regression", "string", "file: regression, or classification (the y column "
                "holds 0 and 1).", choices=TASKS, only_for=("file",)),
    "noise_floor": Key(None, "number", "file: the lowest error you expect (unknown for real data, "
                       "so not shown unless given).", minimum=0, only_for=("file",)),
}

NET = {
    "label": Key("", "string", "Name shown in figures and tables (default: the net's key)."),
    "color": Key("", "color", "Colour in figures, #RRGGBB (default: one of the colour-blind-safe "
                 "palette, chosen by the net's name)."),
    "layers": Key([60], "int-list", "Hidden layer sizes, e.g. [60] or [10, 10].", minimum=1,
                  maximum=10_000),
    "activation": Key("relu", "string", "Activation of the hidden layers.", choices=ACTIVATIONS),
    "optimizer": Key("sgd", "string", "Keras optimizer.", choices=OPTIMIZERS),
    "learning_rate": Key(
        None, "number", "Step size (default: Keras' default for the optimizer).", above=0
    ),
    "momentum": Key(0.9, "number", "sgd-momentum only: the momentum.", minimum=0, below=1,
                    only_for=("sgd-momentum",)),
    "batch_size": Key(32, "int", "Mini-batch size (Keras default 32).", minimum=1),
    "epochs": Key(5000, "int", "Passes over the data.", minimum=1, maximum=1_000_000),
    "loss": Key("mse", "string", "Training loss.", choices=LOSSES),
}

FRAMES = {
    "count": Key(150, "int", "Prediction snapshots (animation frames), epoch 0 included.",
                 minimum=2, maximum=1000),
    "spacing": Key("geometric", "string", "geometric: dense early, sparse late; or linear.",
                   choices=SPACINGS),
}

THRESHOLDS = {
    "near_floor": Key(
        2.0, "number", "A seed is near the floor when its final error ≤ this × noise floor.", above=0
    ),
    "stuck": Key(
        5.0, "number", "A seed is stuck when its final error > this × noise floor.", above=0
    ),
}

EXPERIMENT = {
    "seeds": Key(10, "seeds", "How many seeds (0, 1, …) or an explicit list of seeds."),
}

# A sweep: a base net and one to three net keys varied over lists of values; every combination
# of values (a cell) is a net of its own, trained with the post's seeds.
SWEEP_VARIABLES = ("layers", "learning_rate", "optimizer", "activation", "batch_size", "epochs",
                   "momentum")
MAX_VARIED_KEYS = 3
SWEEP = {
    "label": Key("", "string", "Name shown in figures (default: the sweep's key)."),
    "net": Key({}, "net", "The base net every cell starts from: any net key (layers, optimizer, "
               "learning_rate, epochs, …)."),
    "vary": Key({}, "vary", "One to three net keys, each with the list of values to try: "
                "" + ", ".join(SWEEP_VARIABLES) + ", e.g. {layers: [[4], [16]], learning_rate: "
                "[0.003, 0.01]}."),
    "max_cells": Key(64, "int", "The most cells (combinations of values) the sweep may have: "
                     "a guard against a list that grew by mistake; raise it on purpose.",
                     minimum=1, maximum=100_000),
}

# Keys about the post as a page: MkDocs' blog plugin reads most of them; tinynets passes them
# through unchanged, and reads description and card for link previews (pages/social.py).
BLOG = {
    "title": Key(None, "string", "Post title (required)."),
    "date": Key(None, "date", "Publication date, YYYY-MM-DD (required)."),
    "authors": Key([], "string-list", "Author ids from content/authors.yml."),
    "categories": Key([], "string-list", "Categories shown on the blog index."),
    "tags": Key([], "string-list", "Tags."),
    "description": Key("", "string", "Summary for search engines and social cards."),
    "draft": Key(False, "bool", "Drafts are left out of the built site."),
    "pin": Key(False, "bool", "Pin the post to the top of the index."),
    "card": Key("", "string", "The net whose figure is the post's picture in link previews "
                "(social cards), e.g. wide-adam (default: the post's first figure)."),
}

POST_KEYS = tuple(BLOG) + tuple(EXPERIMENT) + ("data", "nets", "sweeps", "frames", "thresholds")
DEFAULTS_FILE_KEYS = ("data", "net", "seeds", "frames", "thresholds")


@dataclass
class Defaults:
    """Project-wide defaults after ``content/defaults.yml`` is applied."""

    data: dict = field(default_factory=lambda: {k: v.default for k, v in DATA.items()})
    net: dict = field(default_factory=lambda: {k: v.default for k, v in NET.items()})
    frames: dict = field(default_factory=lambda: {k: v.default for k, v in FRAMES.items()})
    thresholds: dict = field(default_factory=lambda: {k: v.default for k, v in THRESHOLDS.items()})
    seeds: Any = 10
