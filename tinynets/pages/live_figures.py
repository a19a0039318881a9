"""What the macros (templates/macros.j2) write so that the browser draws a figure live: the kind
that draws it and the data files it draws from, and an id that is unique on the page (a figure's
state in the URL is keyed by it).

The macros see one ``PageFigures`` per page as ``live_figures``; a post's own body does not.

>>> from types import SimpleNamespace as Net
>>> wide = Net(name="wide", media={"data": "../media/tiny/wide.tnfd"})
>>> deep = Net(name="deep", media={"data": "../media/tiny/deep.tnfd"})
>>> figures = PageFigures(frozenset({"figure", "compare"}), dimensions=1)
>>> figures.live("figure", wide)
LiveFigure(kind='figure', data='../media/tiny/wide.tnfd')
>>> figures.live("compare", [wide, deep]).data
'../media/tiny/wide.tnfd ../media/tiny/deep.tnfd'
>>> figures.live("units", wide) is None        # its kind is not shipped: the fallback only
True
>>> wide.media["inside_data"] = "../media/tiny/wide-inside.tnfd"
>>> PageFigures(frozenset({"units"}), dimensions=1).live("units", wide).data
'../media/tiny/wide.tnfd ../media/tiny/wide-inside.tnfd'
>>> figures.unique_id("figure-wide"), figures.unique_id("figure-wide")
('figure-wide', 'figure-wide-2')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tinynets.media import live


@dataclass(frozen=True)
class LiveFigure:
    """The two attributes of a live figure: ``data-tn-figure`` and ``data-tn-data``."""

    kind: str
    data: str  # its data files' URLs, relative to the page, separated by spaces


class PageFigures:
    """One page's live figures: which can be drawn live, and their ids."""

    def __init__(self, kinds: frozenset[str], dimensions: int):
        self.kinds = kinds  # what the browser module ships (``media.live.shipped_kinds``)
        self.dimensions = dimensions  # of the post's data: 1 (a line) or 2 (the plane)
        self.ids: Counter[str] = Counter()

    def live(self, shows: str, shown) -> LiveFigure | None:
        """The kind and data of a figure that ``shows`` (a ``media.live.KINDS`` name) ``shown``:
        a net or cell, a list of them, or a sweep; None when it keeps its fallback (its kind is
        not shipped, or a net of it has no data file)."""
        kind = live.live_kind(shows, self.dimensions, self.kinds)
        if kind is None:
            return None
        urls = []
        for item in (shown if isinstance(shown, (list, tuple)) else [shown]):
            media = item.media if isinstance(item.media, dict) else {}
            for role in live.FILES.get(kind, live.DATA):  # the net's data and/or inside file
                if not media.get(role):
                    return None
                urls.append(media[role])
        return LiveFigure(kind, " ".join(dict.fromkeys(urls))) if urls else None

    def unique_id(self, base: str) -> str:
        """``base`` the first time, then ``base-2``, ``base-3``: a net shown twice on a page
        gets two figures that can each be linked to."""
        self.ids[base] += 1
        count = self.ids[base]
        return base if count == 1 else f"{base}-{count}"
