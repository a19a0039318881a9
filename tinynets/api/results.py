"""Results in a notebook: what a post's template sees (the build's own ``NetResult`` and
``SweepResult``, made by ``pages.site.post_context``), with figures, rows and Keras models.

``Results.nets['wide-sgd']`` is a ``Net``: every name a template may use of a net
(``median``, ``stuck``, ``loss_at(…)``, ``kinks()``, …) is the build's value, so comparisons
are the checks ``claim`` takes; a net also draws its figures (``figure()``, ``loss_plot()``,
``network()``), gives its rows (``to_rows()``) and its trained Keras models
(``keras_model(seed=…, epoch=…)``). A name that is not there is the build's error
(``NoSuchName``), with the names that are.

Everything here is measured on the seeds the page shows. Only ``claim`` looks at the
replication seeds: inside ``on_replication_seeds()`` every ``Results`` and ``Net`` answers a
template's names (``median``, ``sweeps``, ``prob_lower``, …) with its values on its replication
seeds instead, as the build's second rendering of a post does (``pages.site.post_context`` with
``replication``); figures, rows and models stay the shown seeds'.

Example (``results = tinynets.post("optimizer-or-depth")``)::

    results.nets["deep-adam"].median < results.nets["wide-sgd"].median    # a Check
    results.prob_lower(results.nets["deep-sgd"], results.nets["wide-adam"])
    results.comparison()                                                  # the live figure
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tinynets.api import rows
from tinynets.api.figures import Figure
from tinynets.api.project import Project
from tinynets.api.records import Shown, inside_file, net_file, sweep_file
from tinynets.errors import NoSuchName, TinynetsError
from tinynets.measure.results import NetResult
from tinynets.measure.uncertainty import prob_lower, ratio_interval
from tinynets.media.catalog import Kind
from tinynets.media.plan import PageMedia, Plan
from tinynets.pages.templating import no_such_net, no_such_sweep


@dataclass(frozen=True)
class Source:
    """Where results come from: the project, the post (or experiment), its runs and media."""

    project: Project
    post: object  # posts.model.Post
    runs: dict  # (post slug, net or cell name) → engine.stage.Run
    plan: Plan

    @property
    def page(self) -> PageMedia:
        return self.plan.page(self.post.slug)

    @property
    def assets(self) -> Path:
        return self.project.paths.templates / "assets"

    def medium(self, kind: Kind, shows: str | None) -> object:
        """The page's medium of ``kind`` showing ``shows`` (a net, a sweep; None: the post)."""
        return next((medium for medium in self.page.media
                     if medium.kind is kind and medium.shows == shows), None)

    def shown(self, name: str) -> Shown:
        spec = self.post.net(name)
        media = self.page.nets.get(name) or self.page.cells[name]
        return Shown(self.runs[(self.post.slug, name)], spec, media.color)

    def figure(self, kind: str, data, caption: str, medium, stem: str, fallback, autoplay):
        return Figure(kind, data, caption, self.assets, medium, stem, self.project.render,
                      fallback, autoplay)

    def context(self, replication: bool = False) -> dict:
        """What the post's template sees: its results on the shown seeds, or (``replication``)
        on its replication seeds, as the build's second rendering sees them."""
        from tinynets.pages.site import post_context

        return post_context(self.post, self.runs, self.templates, self.page,
                            replication=replication)

    @cached_property
    def templates(self):
        """The project's template environment (sandbox and macros), made once for both seed
        sets' renderings."""
        from tinynets.pages.templating import environment

        return environment(self.project.paths.templates)


# Inside ``on_replication_seeds``: the labels of the results that have no replication seeds
# (replicate: 0) and were read there; outside it, None.
_REPLICATION: ContextVar[list | None] = ContextVar("tinynets_replication", default=None)


@contextmanager
def on_replication_seeds() -> Iterator[list[str]]:
    """Within the block, every ``Results`` and ``Net`` answers with its values on its
    replication seeds (``claim`` evaluates a check a second time in it). Yields the list of the
    results read in the block that have none (``replicate: 0``): those answered with their
    shown seeds, so a check that read one is not replicated."""
    unreplicated: list[str] = []
    token = _REPLICATION.set(unreplicated)
    try:
        yield unreplicated
    finally:
        _REPLICATION.reset(token)


class Net:
    """One net (or sweep cell) in a notebook: its results as a template sees them (``result``,
    whose every public name is this object's too), figures, rows and Keras models."""

    def __init__(self, result: NetResult, source: Source, results: "Results"):
        self.result = result
        self._source = source
        self._results = results

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._answering(), name)

    def _answering(self) -> NetResult:
        """Its result on the shown seeds, or inside ``on_replication_seeds`` on the
        replication seeds."""
        return self._results._context()["nets"][self.result.name] \
            if _REPLICATION.get() is not None else self.result

    def __dir__(self):
        return sorted(set(super().__dir__()) | {name for name in dir(self.result)
                                                if not name.startswith("_")})

    @property
    def _shown(self) -> Shown:
        return self._source.shown(self.result.name)

    def _caption(self) -> str:
        result = self.result
        return (f"{result.label}: seed {result.representative_seed} (the median of "
                f"{len(result.seeds)} seeds), final training error "
                f"{float(result.final_loss(result.representative_seed)):.3g}")

    def figure(self, units: bool = False, fallback: str | None = "gif",
               autoplay: bool = False) -> Figure:
        """The net's figure, as ``figure(net)`` (``units=True``: ``figure(net, units=true)``)
        shows it on the site: its median seed learning, with the player, seed picker and loss
        panel."""
        source, shown = self._source, self._shown
        cache = source.project.paths.cache
        plane = source.post.data.dimensions == 2
        if units and plane:
            units = False  # the plane figure shows its hidden units anyway
        if units:
            return source.figure("units", lambda: [net_file(shown, cache),
                                                  inside_file(shown, cache)],
                                 self._caption(), source.medium(Kind.UNITS, self.result.name),
                                 "units", fallback, autoplay)
        return source.figure("plane" if plane else "figure", lambda: [net_file(shown, cache)],
                             self._caption(), source.medium(Kind.NET, self.result.name),
                             "anim", fallback, autoplay)

    def loss_plot(self, fallback: str | None = "gif") -> Figure:
        """Every seed's training error over the epochs, as ``loss_plot(net)`` shows it."""
        source, shown = self._source, self._shown
        cache = source.project.paths.cache
        kind = "plane_loss" if source.post.data.dimensions == 2 else "loss_plot"
        return source.figure(kind, lambda: [net_file(shown, cache)],
                             f"Training error of {self.result.label}, every seed",
                             source.medium(Kind.NET, self.result.name), "loss", fallback, False)

    def network(self, fallback: str | None = "gif", autoplay: bool = False) -> Figure:
        """The net as a diagram of its units, as ``network(net)`` shows it (1-D nets of up to
        32 hidden units)."""
        source, shown = self._source, self._shown
        cache = source.project.paths.cache
        return source.figure("network", lambda: [net_file(shown, cache),
                                                inside_file(shown, cache)],
                             f"{self.result.label} as a network",
                             source.medium(Kind.NETWORK, self.result.name), "network",
                             fallback, autoplay)

    def keras_model(self, seed: int | None = None, epoch: int | None = None):
        """A ``keras.Sequential`` with the weights of ``seed`` (default: the median seed, the
        one the figure follows) after training, or after ``epoch`` (a recorded frame epoch).
        Its predictions are the recorded ones; it is compiled as a reader would for
        ``model.fit`` (the net's optimizer and loss), so it can train on."""
        from tinynets.api.models import keras_model

        return keras_model(self._shown, self._source.project.paths.cache, self.result, seed,
                           epoch)

    def to_rows(self, what: str = "finals") -> list[dict]:
        """Plain rows: ``"finals"`` one per seed (its final error, …), ``"losses"`` one per
        seed and frame epoch (its training error then)."""
        return rows.net_rows(self.result, self._shown, self._source.project.paths.cache, what)

    def to_frame(self, what: str = "finals"):
        """``to_rows(what)`` as a pandas DataFrame (pandas must be installed: tinynets does
        not need it)."""
        return rows.frame(self.to_rows(what))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.figure()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return f"Net({self.result.name!r}, median={float(self.result.median):.4g})"


class Names(Mapping):
    """A mapping that answers a name it does not have as the build does (``NoSuchName``)."""

    def __init__(self, items: dict, missing):
        self._items, self._missing = items, missing

    def __getitem__(self, name):
        if name not in self._items:
            raise NoSuchName(self._missing(name, list(self._items)))
        return self._items[name]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{name!r}: {value!r}" for name, value in self._items.items()) + "}"


class Results:
    """A post's (or an experiment's) results: ``nets``, ``sweeps``, ``data``, ``post``,
    ``cell(…)``, ``prob_lower``, ``ratio_interval``, as its template sees them; figures of
    several nets (``compare``, ``comparison``, ``comparison_losses``); rows."""

    def __init__(self, source: Source):
        self._source = source
        self._shown_context = source.context()
        self._replicated: dict | None = None  # made when a claim first reads it
        self.nets = Names({name: Net(result, source, self)
                           for name, result in self._shown_context["nets"].items()}, no_such_net)

    def _context(self) -> dict:
        """The template's values on the shown seeds, or inside ``on_replication_seeds`` on the
        replication seeds (the shown ones, listed as unreplicated, when it has none)."""
        unreplicated = _REPLICATION.get()
        if unreplicated is None:
            return self._shown_context
        if not self._source.post.replication_seeds:
            unreplicated.append(self._source.post.slug)
            return self._shown_context
        if self._replicated is None:
            self._replicated = self._source.context(replication=True)
        return self._replicated

    @property
    def sweeps(self) -> Names:
        return Names(dict(self._context()["sweeps"]), no_such_sweep)

    @property
    def data(self):
        return self._context()["data"]

    @property
    def post(self) -> dict:
        return self._context()["post"]

    @property
    def cell(self):
        return self._context()["cell"]

    @staticmethod
    def prob_lower(a, b):
        """The share of (seed of ``a``, seed of ``b``) pairs in which ``a`` ends lower."""
        return prob_lower(_result(a), _result(b))

    @staticmethod
    def ratio_interval(a, b, level: float = 0.9):
        """A bootstrap interval of median(a) / median(b) (``.low``, ``.high``)."""
        return ratio_interval(_result(a), _result(b), level)

    def _selected(self, nets) -> list[Net]:
        if nets is None:
            return list(self.nets.values())
        return [self.nets[net] if isinstance(net, str) else self.nets[_result(net).name]
                for net in nets]

    def compare(self, nets=None, fallback: str | None = "gif") -> Figure:
        """Nets side by side with one player, as ``compare([…])`` shows them (default: every
        net); names or nets."""
        selected = self._selected(nets)
        if not selected:
            raise TinynetsError("compare(…) needs at least one net.")
        source = self._source
        cache = source.project.paths.cache
        every = [net.result.name for net in self.nets.values()]
        medium = source.medium(Kind.COMPARISON, None) \
            if [net.result.name for net in selected] == every else None
        kind = "plane_compare" if source.post.data.dimensions == 2 else "compare"
        return source.figure(kind, lambda: [net_file(source.shown(net.result.name), cache)
                                            for net in selected],
                             "Compare " + ", ".join(net.result.label for net in selected),
                             medium, "compare", fallback, False)

    def comparison(self, fallback: str | None = "gif", autoplay: bool = False) -> Figure:
        """Every net on shared axes and one timeline, as ``comparison()`` shows them."""
        source = self._source
        cache = source.project.paths.cache
        kind = "plane_compare" if source.post.data.dimensions == 2 else "comparison"
        return source.figure(kind, lambda: [net_file(source.shown(name), cache)
                                            for name in self.nets],
                             "Every net on one timeline and the same axes",
                             source.medium(Kind.COMPARISON, None), "compare", fallback, autoplay)

    def comparison_losses(self, fallback: str | None = "gif") -> Figure:
        """Every net's median training error and its range over seeds, on one plot."""
        source = self._source
        cache = source.project.paths.cache
        return source.figure("comparison_losses", lambda: [net_file(source.shown(name), cache)
                                                           for name in self.nets],
                             "Median training error per net; bands span every seed",
                             source.medium(Kind.COMPARISON_LOSSES, None), "losses", fallback,
                             False)

    def sweep_figure(self, sweep: str, kind: str = "heatmap",
                     fallback: str | None = "gif") -> Figure:
        """A sweep's figure: ``kind`` "heatmap", "plot" or "grid" (``sweep_heatmap(…)``, …)."""
        kinds = {"heatmap": Kind.SWEEP_HEATMAP, "plot": Kind.SWEEP_PLOT,
                 "grid": Kind.SWEEP_GRID}
        if kind not in kinds:
            raise TinynetsError(f"kind={kind!r}: a sweep's figure is 'heatmap', 'plot' or "
                                "'grid'.")
        spec = next((each for each in self._source.post.sweeps if each.name == sweep), None)
        if spec is None:
            raise NoSuchName(no_such_sweep(sweep, list(self.sweeps)))
        source = self._source
        cache = source.project.paths.cache
        return source.figure(
            f"sweep_{kind}", lambda: [sweep_file(source.post, spec,
                                                 [source.shown(cell.name) for cell in spec.cells],
                                                 cache)],
            f"Sweep {spec.label}", source.medium(kinds[kind], sweep), kind, fallback,
            kind == "grid")

    def to_rows(self, what: str = "finals") -> list[dict]:
        """Plain rows of every net (``Net.to_rows``), one after another."""
        return [row for net in self.nets.values() for row in net.to_rows(what)]

    def to_frame(self, what: str = "finals"):
        """``to_rows(what)`` as a pandas DataFrame (only if pandas is installed)."""
        return rows.frame(self.to_rows(what))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.comparison()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return (f"Results({self._source.post.slug!r}: "
                + ", ".join(repr(net) for net in self.nets.values()) + ")")


def _result(net) -> NetResult:
    """The build's result of a ``Net`` (inside ``on_replication_seeds``, on the replication
    seeds), or a result already."""
    return net._answering() if isinstance(net, Net) else net
