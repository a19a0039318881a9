"""Which figures a page draws live in the reader's browser, and which data files that takes.

The browser module (templates/assets/tinynets-figures.js) draws a figure of kind KIND with its
file figures/kinds/KIND.js, from figure data files (``figure_files``) the media stage writes. A
page names a kind only when the templates ship its file (``shipped_kinds``): a kind still being
written keeps today's video or picture, with no request and no console message, and starts
working the build after its file lands. The same answer decides which data files the media
plan writes: none for a page whose figures cannot be drawn live.

What each macro call shows, and the kind that draws it on 1-D and on 2-D data:

>>> kind_of("figure", 1), kind_of("figure", 2), kind_of("units", 1), kind_of("network", 2)
('figure', 'plane', 'units', None)

Each kind reads a net's data file (``data``: one per net and page, shared by every figure of
that net; the browser fetches each URL once per page), its inside file (``inside_data``: the
net's weights and bends, only where a units figure or network diagram shows it), or both:

>>> FILES["units"], FILES["network"], FILES.get("compare", DATA)
(('data', 'inside_data'), ('inside_data',), ('data',))

A sweep's figures share one file of its cells.
"""

from __future__ import annotations

import re
from pathlib import Path

KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")
KINDS_FOLDER = ("assets", "figures", "kinds")  # below templates/

# What a macro call shows ("units" is figure(net, units=true), "errors" is loss_plot(net,
# errors=…)) → the kind that draws it, on 1-D and on 2-D data (None: none on such data). The
# plane's kinds are their own (figures-kinds2): a page of 1-D figures loads none of their code.
KINDS: dict[str, tuple[str | None, str | None]] = {
    "figure": ("figure", "plane"),
    "units": ("units", "plane"),  # the plane's figure shows its hidden units anyway
    "network": ("network", None),
    "loss_plot": ("loss_plot", "plane_loss"),
    "errors": ("errors", None),
    "compare": ("compare", "plane_compare"),
    "comparison": ("comparison", "plane_compare"),
    "comparison_losses": ("comparison_losses", None),
    "sweep_heatmap": ("sweep_heatmap", None),
    "sweep_plot": ("sweep_plot", None),
    "sweep_grid": ("sweep_grid", None),
}
DATA = ("data",)  # the files most kinds read: their nets' data files (URL roles)
FILES = {"units": ("data", "inside_data"), "network": ("inside_data",)}  # by kind
# A net's figures whose kind reads its files (a units figure and a network diagram are asked
# for net by net: ``media.uses.NetPart``; the others show every net a call names).
NET_SHOWS = ("figure", "loss_plot", "compare", "comparison", "comparison_losses")
PARTS = ("units", "network")
# Figures a sweep cell can be shown in on its own (``pages.analysis.CELL_MACROS``).
CELL_SHOWS = ("figure", "loss_plot", "compare")
SWEEP_SHOWS = ("sweep_heatmap", "sweep_plot", "sweep_grid")


def kind_of(shows: str, dimensions: int) -> str | None:
    """The kind that draws what a macro call ``shows`` on data of ``dimensions``."""
    one, two = KINDS[shows]
    return one if dimensions == 1 else two


def shipped_kinds(templates: Path) -> frozenset[str]:
    """The kinds whose browser module the templates ship: templates/assets/figures/kinds/*.js.

    >>> {"figure", "loss_plot", "compare"} <= shipped_kinds(Path("templates"))
    True
    """
    folder = templates.joinpath(*KINDS_FOLDER)
    if not folder.is_dir():
        return frozenset()
    return frozenset(path.stem for path in folder.glob("*.js")
                     if KIND_NAME.fullmatch(path.stem))


def live_kind(shows: str, dimensions: int, kinds: frozenset[str]) -> str | None:
    """The kind that draws ``shows`` live, if the browser module ships it (else None)."""
    kind = kind_of(shows, dimensions)
    return kind if kind in kinds else None


def net_files(macros, shows_part, net: str, dimensions: int,
              kinds: frozenset[str]) -> set[str]:
    """The files of a net its page's live figures read (URL roles: 'data', 'inside_data'):
    ``macros`` the page calls, ``shows_part(part, net)`` whether it shows that part ('units',
    'network') of the net."""
    shown = [shows for shows in NET_SHOWS if shows in macros]
    shown += [part for part in PARTS if shows_part(part, net)]
    drawn = {live_kind(shows, dimensions, kinds) for shows in shown} - {None}
    return {role for kind in drawn for role in FILES.get(kind, DATA)}


def cell_data(macros, dimensions: int, kinds: frozenset[str]) -> bool:
    """Whether a cell shown on its own gets a data file (it is drawn live)."""
    return any(shows in macros and live_kind(shows, dimensions, kinds) for shows in CELL_SHOWS)


def sweep_data(macros, dimensions: int, kinds: frozenset[str]) -> bool:
    """Whether a sweep's figures get their data file (one of them is drawn live)."""
    return any(shows in macros and live_kind(shows, dimensions, kinds)
               for shows in SWEEP_SHOWS)
