"""The media plan: every medium the pages show, and what each page reads of its media, worked
out once per build from the posts, their runs and what their pages use.

The renderer renders the plan's media that are not in the cache; ``prune`` keeps
``plan.keys()``; the pages take their media's URLs, colours, frame rates and sizes from
``plan.page(slug)`` and link the files of ``page.media``. A medium no page shows is not in the
plan: a post that never calls ``comparison()`` gets no comparison animation, a net gets a
units figure only if its page asks for one.

A page whose figures the browser can draw live (``media.live``: the kinds the templates ship,
``kinds``) also gets figure data files: one per net it shows live (role ``data`` among the
net's URLs), one per sweep.

Example (``runs`` as the training stage gives them, ``uses`` from ``pages.analysis.uses``,
``kinds`` from ``live.shipped_kinds(templates)``)::

    media = plan(posts, runs, uses, kinds)
    media.page("tiny").nets["wide"].urls["webm"]     # '../media/tiny/wide.webm'
    media.page("tiny").nets["wide"].urls["data"]     # '../media/tiny/wide.tnfd'
    media.keys()                                     # the cache entries the pages use
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinynets.media import jobs, live
from tinynets.media.catalog import (COMPARISON_KINDS, DATA_WRITERS, INSIDE_WRITERS, NET_KINDS,
                                    NET_PARTS, PLANE_WRITERS, STYLE, SWEEP_COLOR, SWEEP_KINDS, Job,
                                    Kind, Medium, animation_fps, cell_stem, comparison_key,
                                    figure_data_key, net_colors, net_key, network_refusal,
                                    sweep_key, urls)
from tinynets.media.layout import (comparison_size, grid_layout, grid_size, heatmap_size,
                                   wide_plot_size)
from tinynets.media.uses import PageUses


@dataclass(frozen=True)
class NetMedia:
    """A net's (or a sweep cell's) media as its page reads them."""

    color: str
    urls: dict[str, str]  # role → URL: a net's every medium; a cell's own if its page shows it
    fps: float  # of its animations


@dataclass(frozen=True)
class ComparisonMedia:
    """A post's comparison media as its page reads them."""

    urls: dict[str, str]
    size: tuple[int, int] | None  # of the comparison animation (None: the post has no nets)


@dataclass(frozen=True)
class SweepMedia:
    """A sweep's figures as its page reads them."""

    urls: dict[str, str]
    heatmap_size: tuple[int, int]
    grid_size: tuple[int, int]
    frame_epochs: list[int]  # the grid's timeline: every epoch any cell has a frame at
    fps: float  # of the grid


@dataclass(frozen=True)
class PageMedia:
    """What one post's page reads of its media, and the media it shows."""

    nets: dict[str, NetMedia]  # by net name
    cells: dict[str, NetMedia]  # by cell name
    sweeps: dict[str, SweepMedia]  # by sweep name
    comparison: ComparisonMedia
    media: tuple[Medium, ...]
    # The figure kinds the browser module ships (``live.shipped_kinds``): what the page's
    # figures may ask to be drawn as.
    live_kinds: frozenset[str] = frozenset()

    def files(self, cache: Path) -> dict[str, Path]:
        """The files of its media by path in build/docs, each with its file in the cache."""
        found: dict[str, Path] = {}
        for medium in self.media:
            found.update(medium.published(cache))
        return found


@dataclass(frozen=True)
class Plan:
    """Every medium of a build's pages, in the order they were planned (two posts may show
    one medium: its key then appears twice), and each page's view of its own."""

    media: tuple[Medium, ...]
    pages: dict[str, PageMedia]  # by post slug

    def keys(self) -> set[str]:
        """The media cache entries the pages use (what ``prune`` keeps)."""
        return {medium.key for medium in self.media}

    def page(self, slug: str) -> PageMedia:
        return self.pages[slug]


def plan(posts, runs, uses: dict[str, PageUses], kinds: frozenset[str] = frozenset()) -> Plan:
    """The media of ``posts``' pages: ``runs`` by (post slug, net or cell name), as the
    training stage gives them (trained or not: keys need only their fingerprints), ``uses``
    by post slug (``pages.analysis.uses``), and the figure ``kinds`` the browser module ships
    (none: no figure is drawn live, and no data file is written)."""
    pages = {post.slug: _page(post, runs, uses[post.slug], kinds) for post in posts}
    return Plan(tuple(medium for page in pages.values() for medium in page.media), pages)


def _page(post, runs, uses: PageUses, kinds: frozenset[str]) -> PageMedia:
    media: list[Medium] = []
    cells, sweeps = {}, {}
    dimensions = post.data.dimensions if post.data is not None else 0
    for sweep in post.sweeps:  # a shown cell's animation and loss plot, then the sweep figures
        for index, cell in enumerate(sweep.cells):
            run = runs[(post.slug, cell.name)]
            stem = cell_stem(sweep.name, index)
            fps = animation_fps(len(run.key.spec["frames"]))
            shown = (sweep.name, cell.name) in uses.cells
            cell_urls = {}
            if shown:
                media.append(_net_medium(post, cell, stem, run, SWEEP_COLOR, fps))
                cell_urls = urls(post.slug, stem, [Kind.NET])
                if live.cell_data(uses.macros, dimensions, kinds):
                    media.append(_data_medium(post, cell, stem, run, SWEEP_COLOR))
                    cell_urls.update(urls(post.slug, stem, [Kind.FIGURE_DATA]))
            cells[cell.name] = NetMedia(SWEEP_COLOR, cell_urls, fps)
    for sweep in post.sweeps:
        cell_runs = tuple(runs[(post.slug, cell.name)] for cell in sweep.cells)
        sweeps[sweep.name] = _sweep_media(post, sweep, cell_runs)
        for kind in SWEEP_KINDS:
            if uses.shows(kind):
                media.append(_sweep_medium(post, sweep, cell_runs, kind, sweeps[sweep.name]))
        if live.sweep_data(uses.macros, dimensions, kinds):
            media.append(_sweep_data_medium(post, sweep, cell_runs))
            sweeps[sweep.name].urls.update(
                urls(post.slug, sweep_data_stem(sweep.name), [Kind.FIGURE_DATA]))
    nets = {}
    colors = net_colors(post)
    post_runs = tuple(runs[(post.slug, net.name)] for net in post.nets)
    for net, run in zip(post.nets, post_runs):
        fps = animation_fps(len(run.key.spec["frames"]))
        media.append(_net_medium(post, net, net.name, run, colors[net.name], fps))
        nets[net.name] = NetMedia(colors[net.name], urls(post.slug, net.name, NET_KINDS), fps)
    if post.nets and post.data.dimensions == 1:  # the inside of a net: 1-D nets only
        for net, run in zip(post.nets, post_runs):
            for kind in NET_PARTS:
                if uses.shows_part(kind, net.name) and not (
                        kind is Kind.NETWORK and network_refusal(net.layers, net.name)):
                    media.append(_part_medium(post, net, run, colors[net.name], kind,
                                              nets[net.name].fps))
    for net, run in zip(post.nets, post_runs):  # the data the live figures draw
        files = live.net_files(uses.macros, lambda part, name: uses.shows_part(Kind(part), name),
                               net.name, dimensions, kinds)
        for kind in (Kind.FIGURE_DATA, Kind.FIGURE_INSIDE):
            if kind.files[0].role in files:
                media.append(_data_medium(post, net, net.name, run, colors[net.name], kind))
                nets[net.name].urls.update(urls(post.slug, net.name, [kind]))
    size = comparison_size(len(post.nets), STYLE["width"], STYLE["height"],
                           plane=post.data.dimensions == 2) if post.nets else None
    comparison = ComparisonMedia(urls(post.slug, "", COMPARISON_KINDS), size)
    if post.nets:
        for kind in COMPARISON_KINDS:
            if uses.shows(kind):
                media.append(_comparison_medium(post, post_runs, colors, kind, size))
    return PageMedia(nets, cells, sweeps, comparison, tuple(media), kinds)


def sweep_data_stem(sweep: str) -> str:
    """The stem a sweep's data file is published under: 'sweep-width-rate' (.tnfd)."""
    return f"sweep-{sweep}"


def _sweep_data_medium(post, sweep, cell_runs) -> Medium:
    """A sweep's figure data file: its cells, with what the file says of the sweep besides
    them (its label, and the limits cells are coloured and marked by)."""
    settings = {"label": sweep.label, "near_floor": post.thresholds.near_floor,
                "stuck": post.thresholds.stuck}
    key = figure_data_key(cell_runs, [SWEEP_COLOR] * len(cell_runs),
                          [cell.label for cell in sweep.cells], settings=settings)
    return Medium(Kind.FIGURE_DATA, post.slug, sweep.name, sweep_data_stem(sweep.name), key,
                  cell_runs, Job(jobs.write_sweep_data, (post, sweep, list(cell_runs))), 0, 0)


def _data_medium(post, net, stem: str, run, color: str,
                 kind: Kind = Kind.FIGURE_DATA) -> Medium:
    """A net's (or a shown cell's) figure data file, or its inside file."""
    if kind is Kind.FIGURE_INSIDE:
        writers, job = INSIDE_WRITERS, jobs.write_inside_data
    else:
        writers = PLANE_WRITERS if post.data.dimensions == 2 else DATA_WRITERS
        job = jobs.write_net_data
    return Medium(kind, post.slug, net.name, stem,
                  figure_data_key((run,), [color], [net.label], kind, writers), (run,),
                  Job(job, (run, net, color)), 0, 0)


def _net_medium(post, net, stem: str, run, color: str, fps: float) -> Medium:
    """A net's or a shown cell's animation, poster and loss plot."""
    return Medium(Kind.NET, post.slug, net.name, stem, net_key(run, color, net.label), (run,),
                  Job(jobs.render_net, (run, net, color)), STYLE["width"], STYLE["height"], fps)


def _part_medium(post, net, run, color: str, kind: Kind, fps: float) -> Medium:
    return Medium(kind, post.slug, net.name, net.name, net_key(run, color, net.label, kind),
                  (run,), Job(jobs.render_net_part, (run, net, color, kind)), STYLE["width"],
                  STYLE["height"], None if kind is Kind.ERRORS else fps)


def _comparison_medium(post, post_runs, colors: dict, kind: Kind, size) -> Medium:
    key = comparison_key(post_runs, [colors[net.name] for net in post.nets],
                         [net.label for net in post.nets], kind)
    job = Job(jobs.render_comparison, (post, list(post_runs), colors, kind))
    if kind is Kind.COMPARISON:  # one timeline: every epoch any net has a frame at
        timeline = set().union(*(run.key.spec["frames"] for run in post_runs))
        return Medium(kind, post.slug, None, "", key, post_runs, job, *size,
                      animation_fps(len(timeline)))
    return Medium(kind, post.slug, None, "", key, post_runs, job,
                  *wide_plot_size(STYLE["width"], STYLE["height"]))


def _sweep_media(post, sweep, cell_runs) -> SweepMedia:
    values = tuple(values for _, values in sweep.varied)
    heat_rows = len(values[0]) if len(values) == 2 else 1
    timeline = sorted(set().union(*(run.key.spec["frames"] for run in cell_runs)))
    return SweepMedia(urls(post.slug, sweep.name, SWEEP_KINDS),
                      heatmap_size(heat_rows, len(values[-1])),
                      grid_size(*grid_layout(sweep.keys, values, len(sweep.cells))),
                      timeline, animation_fps(len(timeline)))


def _sweep_medium(post, sweep, cell_runs, kind: Kind, shown: SweepMedia) -> Medium:
    size, fps = {Kind.SWEEP_HEATMAP: (shown.heatmap_size, None),
                 Kind.SWEEP_PLOT: (wide_plot_size(STYLE["width"], STYLE["height"]), None),
                 Kind.SWEEP_GRID: (shown.grid_size, shown.fps)}[kind]
    return Medium(kind, post.slug, sweep.name, sweep.name,
                  sweep_key(cell_runs, sweep.keys, post.thresholds.stuck, kind), cell_runs,
                  Job(jobs.render_sweep, (post, sweep, list(cell_runs), kind)), *size, fps)
