"""What a post's page shows, read from its body before anything trains (``pages.analysis``
computes it once per build): the macros it calls, the extra media of each net it asks for, and
the sweep cells it shows on their own. The media plan renders only what a page shows.

>>> uses = PageUses(macros=frozenset({"figure", "comparison"}),
...                 net_parts=frozenset({NetPart(Kind.UNITS, "wide")}))
>>> uses.shows(Kind.COMPARISON), uses.shows(Kind.COMPARISON_LOSSES)
(True, False)
>>> uses.shows_part(Kind.UNITS, "wide"), uses.shows_part(Kind.UNITS, "deep")
(True, False)
>>> PageUses.from_json(uses.to_json()) == uses
True
"""

from __future__ import annotations

from dataclasses import dataclass

from tinynets.media.catalog import NET_PARTS, Kind


@dataclass(frozen=True)
class NetPart:
    """A net's extra medium (one of ``catalog.NET_PARTS``) that a page asks for."""

    kind: Kind
    # The net the call names (``nets['a']``, ``nets.a``, or a variable set once to one of
    # those); None when the body does not say plainly which: every net of the post gets it.
    net: str | None = None


@dataclass(frozen=True)
class PageUses:
    """What one post's page shows."""

    macros: frozenset[str] = frozenset()  # the macros of macros.j2 the body calls or passes on
    net_parts: frozenset[NetPart] = frozenset()
    # (sweep, cell) of every cell the body shows on its own (figure, loss_plot or compare of
    # a cell named with constant values): such a cell gets a net's animation and loss plot.
    cells: frozenset[tuple[str, str]] = frozenset()

    def shows(self, kind: Kind) -> bool:
        """Whether the page calls the macro of a post's comparison medium or a sweep figure."""
        return kind.shown_by is not None and kind.shown_by.macro in self.macros

    def shows_part(self, kind: Kind, net: str) -> bool:
        """Whether the page asks for ``net``'s medium of ``kind`` (one of ``NET_PARTS``)."""
        return NetPart(kind) in self.net_parts or NetPart(kind, net) in self.net_parts

    @classmethod
    def everything(cls, cells=frozenset()) -> "PageUses":
        """Every medium a page might show, the ``cells`` it names included: what ``prune``
        keeps, since it does not render pages.

        >>> PageUses.everything().shows_part(Kind.NETWORK, "any net")
        True
        """
        return cls(macros=frozenset(kind.shown_by.macro for kind in Kind if kind.shown_by),
                   net_parts=frozenset(NetPart(kind) for kind in NET_PARTS),
                   cells=frozenset(cells))

    def to_json(self) -> dict:
        """A plain value for the template cache (``from_json`` reads it back)."""
        return {"macros": sorted(self.macros),
                "net_parts": sorted(([part.kind.value, part.net] for part in self.net_parts),
                                    key=lambda part: (part[0], part[1] or "")),
                "cells": sorted(list(cell) for cell in self.cells)}

    @classmethod
    def from_json(cls, value: dict) -> "PageUses":
        return cls(macros=frozenset(value["macros"]),
                   net_parts=frozenset(NetPart(Kind(kind), net)
                                       for kind, net in value["net_parts"]),
                   cells=frozenset(tuple(cell) for cell in value["cells"]))
