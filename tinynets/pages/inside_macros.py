"""Checks behind the macros that show a net's inside (templates/macros.j2): ``network(net)`` and
``loss_plot(net, errors=[…])``. An author's mistake here is a clear error naming what to write.

>>> error_kinds(["training", "held-out"])
['training', 'held-out']
"""

from __future__ import annotations

from tinynets.errors import TemplateProblem
from tinynets.media.catalog import network_refusal

ERROR_KINDS = ("training", "noise-free", "held-out")


def network_units(net) -> int:
    """The hidden units the network diagram of ``net`` draws; a net with more than it can show
    is refused, with the figure that shows its units instead."""
    if net.spec.inputs != 1:
        raise TemplateProblem(f"network(nets['{net.name}']): the diagram draws nets of one "
                              f"input, and this one has {net.spec.inputs}; show it with "
                              f"figure(nets['{net.name}']).")
    refusal = network_refusal(net.spec.layers, net.name)
    if refusal:
        raise TemplateProblem(refusal)
    return sum(net.spec.layers)


def error_kinds(errors) -> list[str]:
    """The errors ``loss_plot(net, errors=…)`` names: ``true`` is all of them."""
    if errors is True:
        return list(ERROR_KINDS)
    if isinstance(errors, str) or not all(kind in ERROR_KINDS for kind in errors):
        raise TemplateProblem(
            f"loss_plot(net, errors={errors!r}): errors is a list of "
            f"{', '.join(repr(kind) for kind in ERROR_KINDS)} (or true for all three), e.g. "
            'errors=["training", "noise-free", "held-out"].')
    return list(errors)


HELPERS = {"network_units": network_units, "error_kinds": error_kinds}
