"""Which figures a page draws live in the reader's browser, and which data files that takes.

The browser module (templates/assets/tinynets-figures.js) draws a figure of kind KIND with its
file figures/kinds/KIND.js, from figure data files (``figure_data``) the media stage writes. A
page names a kind only when the templates ship its file (``shipped_kinds``): a kind still being
written keeps today's video or picture, with no request and no console message, and starts
working the build after its file lands. The same answer decides which data files the media
plan writes: none for a page whose figures cannot be drawn live.

What each macro call draws, by the data's dimensions (1: over a line, 2: on the plane):

>>> kind_of("figure", 1), kind_of("figure", 2), kind_of("units", 1), kind_of("units", 2)
('figure', 'plane', 'units', None)

A net's data file is one per net and page, shared by every live figure of that net (``figure``,
``loss_plot``, ``compare``, ``comparison``, …: the browser fetches each URL once per page);
what only some figures draw (``PARTS``: a units figure's unit outputs, say) is added to it when
the page shows such a figure of that net. A sweep's figures share one file of its cells.
"""

from __future__ import annotations

import re
from pathlib import Path

KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")
KINDS_FOLDER = ("assets", "figures", "kinds")  # below templates/

# What a macro call shows ("units" is figure(net, units=true), "errors" is loss_plot(net,
# errors=…)) → the kind that draws it, on 1-D and on 2-D data (None: none on such data).
KINDS: dict[str, tuple[str | None, str | None]] = {
    "figure": ("figure", "plane"),
    "units": ("units", None),
    "network": ("network", None),
    "loss_plot": ("loss_plot", "loss_plot"),
    "errors": ("errors", None),
    "compare": ("compare", "plane_compare"),
    "comparison": ("comparison", "plane_comparison"),
    "comparison_losses": ("comparison_losses", "comparison_losses"),
    "sweep_heatmap": ("sweep_heatmap", None),
    "sweep_plot": ("sweep_plot", None),
    "sweep_grid": ("sweep_grid", None),
}
# Shown figures that each add arrays to their net's data file (``media.uses.NetPart`` kinds).
PARTS = ("units", "network", "errors")
# Figures a sweep cell can be shown in on its own (``pages.analysis.CELL_MACROS``).
CELL_SHOWS = ("figure", "loss_plot", "compare")
SWEEP_SHOWS = ("sweep_heatmap", "sweep_plot", "sweep_grid")
# The dimensions of data whose nets the build writes data files for: on the plane the file
# holds other arrays (the plane's grid, classes, test points), which its kinds define.
DATA_DIMENSIONS = (1,)


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


def net_parts(macros, shows_part, net: str, dimensions: int,
              kinds: frozenset[str]) -> tuple[str, ...] | None:
    """The parts a net's data file holds, or None when the page draws no figure of that net
    live: ``macros`` the page calls, ``shows_part(part, net)`` whether it shows that part of the
    net (``PageUses.shows_part`` over part names)."""
    if dimensions not in DATA_DIMENSIONS:
        return None
    parts = tuple(part for part in PARTS
                  if shows_part(part, net) and live_kind(part, dimensions, kinds))
    plain = any(shows in macros and live_kind(shows, dimensions, kinds)
                for shows in ("figure", "loss_plot", "compare", "comparison",
                              "comparison_losses"))
    return parts if plain or parts else None


def cell_data(macros, dimensions: int, kinds: frozenset[str]) -> bool:
    """Whether a cell shown on its own gets a data file (it is drawn live)."""
    return dimensions in DATA_DIMENSIONS and any(
        shows in macros and live_kind(shows, dimensions, kinds) for shows in CELL_SHOWS)


def sweep_data(macros, dimensions: int, kinds: frozenset[str]) -> bool:
    """Whether a sweep's figures get their data file (one of them is drawn live)."""
    return dimensions in DATA_DIMENSIONS and any(
        shows in macros and live_kind(shows, dimensions, kinds) for shows in SWEEP_SHOWS)
