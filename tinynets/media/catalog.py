"""What a medium is: its kind, its cache key, its files, its size and frame rate, the runs it
shows and the job that renders it; and what every medium shares: the style, the palette a net's
colour comes from, the limits of what a figure can show legibly.

A medium is one folder of the media cache, build/cache/media/<key>/, holding the files of its
kind (``Kind.NET``: anim.gif, anim.webm, anim.png, loss.svg, loss.png, and loss.csv, the loss
plot's curves for readers to download). The page publishes each
file as build/docs/media/<post>/<name>, the name made from the medium's stem (the net's name, a
shown cell's stem, the sweep's name): ``wide.webm``, ``wide-units.gif``,
``sweep-width-rate-heatmap.svg``. Its key covers everything that changes its pixels (the runs'
fingerprints, the style, colours and labels, the renderer and encoder versions), so a warm
build renders nothing. Which media a build needs is ``plan.plan``'s answer.

>>> [(file.role, file.cached, file.published) for file in Kind.ERRORS.files]
[('errors_svg', 'errors.svg', '{stem}-errors.svg'), ('errors_png', 'errors.png', '{stem}-errors.png')]
>>> Kind.UNITS.shown_by
ShownBy(macro='figure', keyword='units')
>>> network_refusal((60,), "wide") is None, network_refusal((10, 10), "deep") is None
(False, True)
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable

from tinynets.engine.fingerprint import RENDERER_VERSION, digest, source_digest
from tinynets.media import encode, manifest

STYLE = {"width": 800, "height": 350, "seconds": 8.0, "hold_seconds": 1.5, "dpi": 100}
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00")
SWEEP_COLOR = "#0072B2"  # a sweep cell's colour in its own figures (and the sweep grid's lines)
MAX_NETWORK_UNITS = 32  # hidden units a network diagram can show legibly in an 800×350 figure


def net_colors(post) -> dict[str, str]:
    """One colour per net (Okabe–Ito, colour-blind safe) that does not move when nets are added.

    A net's colour follows from its name alone — ``PALETTE[crc32(name) % 8]`` — unless the author
    set ``color``, or a net declared before it in the same post already has that colour: then it
    takes the next free colour of the palette. So adding a net never recolours the others, and
    their media are not rendered again.

    >>> from types import SimpleNamespace as Net
    >>> net_colors(Net(nets=[Net(name="tanh", color=""), Net(name="sigmoid", color="")]))
    {'tanh': '#CC79A7', 'sigmoid': '#E69F00'}
    """
    taken = {net.color.upper() for net in post.nets if net.color}
    colors = {}
    for net in post.nets:
        chosen = net.color
        if not chosen:
            start = zlib.crc32(net.name.encode("utf-8")) % len(PALETTE)
            ring = [PALETTE[(start + step) % len(PALETTE)] for step in range(len(PALETTE))]
            chosen = next((color for color in ring if color.upper() not in taken), ring[0])
        taken.add(chosen.upper())
        colors[net.name] = chosen
    return colors


def network_refusal(layers, name: str) -> str | None:
    """Why ``network(nets[name])`` cannot draw a net of hidden ``layers`` (None: it can), with
    the figure to use instead: the one limit the page's check, the plan and the drawing share."""
    units = sum(layers)
    if not layers:
        return (f"network(nets['{name}']): the net has no hidden layer, so no unit to draw: its "
                f"prediction is a straight line (w·x + b). Show it with figure(nets['{name}']).")
    if units <= MAX_NETWORK_UNITS:
        return None
    return (f"network(nets['{name}']): the net has {units} hidden units; the diagram shows at "
            f"most {MAX_NETWORK_UNITS} legibly. Use figure(nets['{name}'], units=true) to see "
            "where its units bend the curve instead.")


def units_refusal(layers, name: str) -> str | None:
    """Why ``figure(nets[name], units=true)`` has nothing to add for a net of hidden ``layers``
    (None: it has)."""
    if layers:
        return None
    return (f"figure(nets['{name}'], units=true): the net has no hidden layer, so no unit and "
            f"no bend to show. Show it with figure(nets['{name}']).")


def renderer_version() -> dict:
    """Everything about the renderer itself that changes the files it writes."""
    return {"renderer": RENDERER_VERSION, "encoding": encode.settings()}


def animation_fps(frame_count: int, style: dict = STYLE) -> float:
    """Frame rate of an animation of ``frame_count`` frames (what the page's script needs)."""
    return encode.gif_fps(frame_count, style["seconds"], style["hold_seconds"])


@dataclass(frozen=True)
class MediaFile:
    """One file of a medium."""

    role: str  # the name a page reads its URL by: "webm", "units_poster", "heatmap_svg"
    cached: str  # its name in the medium's cache folder: "anim.webm"
    published: str  # its name in build/docs/media/<post>/, "{stem}" filled in: "{stem}.webm"


@dataclass(frozen=True)
class ShownBy:
    """The macro call that shows a medium: ``figure(net, units=true)`` is ('figure', 'units')."""

    macro: str
    keyword: str | None = None  # passed with a value that is not a constant false


@dataclass(frozen=True)
class KindFacts:
    files: tuple[MediaFile, ...]
    rendered: str  # what the build log says it renders: "render  post/net: <rendered>"
    reused: str  # "reused  post/net <reused>"
    shown_by: ShownBy | None  # None: every net's own animation and loss plot, always made
    order: int  # of the media ready at once, the lower first (the longest to render first)


def _files(stem: str, published: str, *kinds: tuple[str, str]) -> tuple[MediaFile, ...]:
    """The files ``stem``.<extension> of each (role, extension), published as ``published``
    with the extension added."""
    return tuple(MediaFile(role, f"{stem}.{extension}", f"{published}.{extension}")
                 for role, extension in kinds)


_ANIMATION = (("gif", "gif"), ("webm", "webm"), ("poster", "png"))


class Kind(Enum):
    """Every kind of medium. The value is the part a medium's cache key names."""

    NET = "net"  # a net's (or a shown cell's) animation, poster and loss plot
    UNITS = "units"  # figure(net, units=true)
    NETWORK = "network"  # network(net)
    ERRORS = "errors"  # loss_plot(net, errors=…)
    COMPARISON = "animation"  # comparison()
    COMPARISON_LOSSES = "losses"  # comparison_losses()
    SWEEP_HEATMAP = "heatmap"  # sweep_heatmap(sweep)
    SWEEP_PLOT = "plot"  # sweep_plot(sweep)
    SWEEP_GRID = "grid"  # sweep_grid(sweep)
    MODEL = "model"  # a net's median seed as a Keras model (.keras), linked by figure(net)
    FIGURE_DATA = "data"  # a net's (or a sweep's) figure data: what the browser draws live
    FIGURE_INSIDE = "inside"  # a net's weights and bends, for its live units and network views

    @property
    def files(self) -> tuple[MediaFile, ...]:
        return _FACTS[self].files

    @property
    def shown_by(self) -> ShownBy | None:
        return _FACTS[self].shown_by

    @property
    def order(self) -> int:
        return _FACTS[self].order


_FACTS = {
    # The loss plot's data goes with it: its curves as CSV (``media.loss_csv``).
    Kind.NET: KindFacts(
        _files("anim", "{stem}", *_ANIMATION)
        + _files("loss", "{stem}-loss", ("loss_svg", "svg"), ("loss_png", "png"),
                 ("loss_csv", "csv")),
        "animation, poster, loss plot", "media", None, 1),
    **{kind: KindFacts(_files(kind.value, f"{{stem}}-{kind.value}",
                              *((f"{kind.value}_{role}", extension)
                                for role, extension in _ANIMATION)),
                       kind.value, kind.value, shown_by, 1)
       for kind, shown_by in ((Kind.UNITS, ShownBy("figure", "units")),
                              (Kind.NETWORK, ShownBy("network")))},
    Kind.ERRORS: KindFacts(
        _files("errors", "{stem}-errors", ("errors_svg", "svg"), ("errors_png", "png")),
        "errors", "errors", ShownBy("loss_plot", "errors"), 2),
    Kind.COMPARISON: KindFacts(_files("compare", "compare", *_ANIMATION),
                               "comparison animation", "comparison animation",
                               ShownBy("comparison"), 0),
    Kind.COMPARISON_LOSSES: KindFacts(
        _files("losses", "losses", ("loss_svg", "svg"), ("loss_png", "png")),
        "comparison loss plot", "comparison loss plot", ShownBy("comparison_losses"), 2),
    **{kind: KindFacts(_files(kind.value, f"sweep-{{stem}}-{kind.value}",
                              *((f"{kind.value}_{extension}", extension)
                                for extension in ("svg", "png"))),
                       f"sweep {kind.value}", f"sweep {kind.value}",
                       ShownBy(f"sweep_{kind.value}"), 1)
       for kind in (Kind.SWEEP_HEATMAP, Kind.SWEEP_PLOT)},
    Kind.SWEEP_GRID: KindFacts(
        _files("grid", "sweep-{stem}-grid", ("grid_gif", "gif"), ("grid_webm", "webm"),
               ("grid_poster", "png")),
        "sweep grid", "sweep grid", ShownBy("sweep_grid"), 1),
    Kind.MODEL: KindFacts(_files("model", "{stem}", ("model", "keras")), "Keras model",
                          "Keras model", ShownBy("figure"), 3),
    # Read by the live figures of its net (``media.live``); quick to write: last.
    Kind.FIGURE_DATA: KindFacts(_files("data", "{stem}", ("data", "tnfd")), "figure data",
                                "figure data", None, 3),
    Kind.FIGURE_INSIDE: KindFacts(_files("inside", "{stem}-inside", ("inside_data", "tnfd")),
                                  "inside figure data", "inside figure data", None, 2),
}

# A net's media beyond its own (1-D nets, each only for the nets a page shows it for), a post's
# comparison media and a sweep's figures (each only when a page calls its macro).
NET_PARTS = (Kind.UNITS, Kind.NETWORK, Kind.ERRORS)
NET_KINDS = (Kind.NET, *NET_PARTS)
COMPARISON_KINDS = (Kind.COMPARISON, Kind.COMPARISON_LOSSES)
SWEEP_KINDS = (Kind.SWEEP_HEATMAP, Kind.SWEEP_PLOT, Kind.SWEEP_GRID)


def urls(post: str, stem: str, kinds) -> dict[str, str]:
    """The URL of every file of ``kinds`` (role → URL relative to the page) for ``stem``.

    >>> urls("tiny", "wide", [Kind.ERRORS])
    {'errors_svg': '../media/tiny/wide-errors.svg', 'errors_png': '../media/tiny/wide-errors.png'}
    """
    return {file.role: f"../media/{post}/{file.published.format(stem=stem)}"
            for kind in kinds for file in kind.files}


def cell_stem(sweep: str, index: int) -> str:
    """The stem a shown cell's media are published under: 'sweep-width-rate-cell-3'."""
    return f"sweep-{sweep}-cell-{index}"


def net_key(run, color: str, label: str, kind: Kind = Kind.NET, style: dict = STYLE) -> str:
    """The cache key of a net's (or a cell's) own media, or of one of its ``NET_PARTS``: its
    run, the style, its colour and label, the renderer."""
    fields = {"run": run.shown, "style": style, "color": color, "label": label,
              "renderer": renderer_version(), "kind": "net"}
    if kind is not Kind.NET:
        fields["part"] = kind.value
    return digest(fields)


def comparison_key(runs, colors: list[str], labels: list[str], kind: Kind,
                   style: dict = STYLE) -> str:
    """The cache key of a post's comparison animation or comparison loss plot."""
    return digest({"runs": [run.shown for run in runs], "style": style,
                   "colors": colors, "labels": labels, "renderer": renderer_version(),
                   "kind": "comparison", "part": kind.value})


# What a model file is made by: the model's builder and the file's writer (their versions are
# this number: raise it when either changes what the file holds).
MODEL_WRITER_VERSION = 1


def model_key(run, net_name: str) -> str:
    """The cache key of a net's Keras model file: its run (the weights; Keras' version is in
    the run's fingerprint), its name (the model's), the writer."""
    return digest({"run": run.key.fingerprint, "name": net_name, "kind": Kind.MODEL.value,
                   "writer": MODEL_WRITER_VERSION})


# The code that writes figure data files, read as text for their keys: editing it, or bumping
# the format's version, writes them again. A plane net's writer also fits its weights' precision
# to the recorded field (plane_field); an inside file holds the bends measure.inside finds.
DATA_WRITERS = ("tinynets.media.figure_data", "tinynets.media.figure_payload",
                "tinynets.media.figure_net_data", "tinynets.media.figure_plane_data",
                "tinynets.media.figure_sweep_data", "tinynets.media.quantised",
                "tinynets.media.figure_files")
PLANE_WRITERS = DATA_WRITERS + ("tinynets.media.plane_field",)
INSIDE_WRITERS = DATA_WRITERS + ("tinynets.media.figure_inside", "tinynets.measure.inside")


def figure_data_key(runs, colors: list[str], labels: list[str], kind: Kind = Kind.FIGURE_DATA,
                    writers: tuple[str, ...] = DATA_WRITERS, settings: dict | None = None) -> str:
    """The cache key of a figure data file (``kind``: its data or its inside file): its runs,
    their colours and labels (the file holds them), the code of its ``writers``, and the
    ``settings`` it holds that no run covers (a sweep's label and thresholds)."""
    return digest({"runs": [run.key.fingerprint for run in runs], "colors": colors,
                   "labels": labels, "kind": kind.value, "writer": source_digest(*writers),
                   "settings": settings or {}})


def sweep_key(cell_runs, keys, stuck: float, kind: Kind, style: dict = STYLE) -> str:
    """The cache key of a sweep figure: its cells' runs, the varied keys (not the label: the
    figures do not draw it), the stuck threshold (cells are marked by it), style, renderer."""
    return digest({"cells": [run.shown for run in cell_runs], "keys": list(keys),
                   "stuck": stuck, "style": style, "renderer": renderer_version(),
                   "kind": "sweep", "part": kind.value})


@dataclass(frozen=True)
class Job:
    """How a medium is rendered: ``function(*arguments, folder, cache)`` (a module-level
    function of ``media.jobs``, so that a worker process can run it)."""

    function: Callable
    arguments: tuple

    def run(self, folder: Path, cache: Path) -> None:
        self.function(*self.arguments, folder, cache)


@dataclass(frozen=True)
class Medium:
    """One medium a page shows, as ``plan.plan`` finds it."""

    kind: Kind
    post: str  # the slug of the post whose page shows it
    shows: str | None  # the net, cell or sweep it shows (None: the post's comparison media)
    stem: str  # what "{stem}" is in its published names: the net's name, a cell's stem, the
    # sweep's name ("" for the comparison media, whose names have none)
    key: str  # its folder in build/cache/media
    runs: tuple  # the runs it draws (``engine.stage.Run``): it can render once all are trained
    job: Job
    width: int  # of its animation or its figure, in pixels
    height: int
    fps: float | None = None  # animations only

    @property
    def subject(self) -> str:
        """What the build log names: 'tiny/wide', 'tiny' (the comparison)."""
        return self.post if self.shows is None else f"{self.post}/{self.shows}"

    @property
    def render_line(self) -> str:
        return f"render  {self.subject}: {_FACTS[self.kind].rendered}"

    @property
    def reused_line(self) -> str:
        return f"reused  {self.subject} {_FACTS[self.kind].reused}"

    @property
    def trained(self) -> bool:
        """Whether every run it draws is trained (or loaded)."""
        return all(run.meta is not None for run in self.runs)

    def folder(self, cache: Path) -> Path:
        return cache / "media" / self.key

    def cached(self, cache: Path) -> dict[str, Path]:
        """Its files in the media cache, by name: {'anim.gif': …/media/<key>/anim.gif, …}."""
        return {file.cached: self.folder(cache) / file.cached for file in self.kind.files}

    def changed(self, cache: Path) -> list[str]:
        """Its files that are not in the cache as they were rendered (``manifest``): missing,
        empty, or another size or content. None: it can be reused."""
        return manifest.changed(self.folder(cache), [file.cached for file in self.kind.files])

    def published(self, cache: Path) -> dict[str, Path]:
        """Its files by path in build/docs, each with its file in the media cache."""
        return {self.path(file.role): self.folder(cache) / file.cached
                for file in self.kind.files}

    def path(self, role: str) -> str:
        """Where its file of ``role`` is published, in build/docs and from the site's root:
        'media/tiny/wide-loss.csv'."""
        file = next(file for file in self.kind.files if file.role == role)
        return f"media/{self.post}/{file.published.format(stem=self.stem)}"

    @property
    def urls(self) -> dict[str, str]:
        return urls(self.post, self.stem, [self.kind])
