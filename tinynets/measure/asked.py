"""Which measurements a page asked of a net, by the name its template wrote them with:
``loss_at(10)``, ``noise_free_error``, ``kink_count(-1, 1)``, ``prob_lower(wide)``. The build's
record (``results.json``) lists them with their values, so that a reader sees every number a
page derived, and ``tinynets diff`` compares them.

A measuring method is decorated with ``measurement`` (a property with ``measured_property``):
each call notes its name and result on the net. Only the outermost call counts: a measurement
made of another (``noise_free_error`` is ``noise_free_error_at()``) is noted once, as asked.
A call that fails notes nothing.

>>> class Net:
...     @measurement
...     def loss_at(self, epoch, seed=None):
...         return 0.25
...     @measured_property
...     def final_error(self):
...         return self.loss_at(30)
>>> net = Net()
>>> net.loss_at(10, seed=0), net.final_error
(0.25, 0.25)
>>> asked(net)
{'loss_at(10, seed=0)': 0.25, 'final_error': 0.25}
"""

from __future__ import annotations

import functools
from typing import Callable

# Where a net keeps what was asked of it (in its ``__dict__``: NetResult's ``__getattr__``
# refuses names that start with "_").
_ASKED = "_asked"
_ASKING = "_asking"


def measurement(method: Callable) -> Callable:
    """``method`` (of a net), noting each outermost call: ``name(arguments as written)``."""
    @functools.wraps(method)
    def noted(self, *arguments, **keywords):
        return _call(self, call_text(method.__name__, arguments, keywords),
                     lambda: method(self, *arguments, **keywords))
    return noted


def measured_property(getter: Callable) -> property:
    """A property of a net whose every outermost read is noted by its bare name."""
    @functools.wraps(getter)
    def noted(self):
        return _call(self, getter.__name__, lambda: getter(self))
    return property(noted)


def _call(net, name: str, compute: Callable[[], object]):
    state = net.__dict__
    if state.get(_ASKING):  # within another measurement: that one is what the page asked
        return compute()
    state[_ASKING] = True
    try:
        result = compute()
    finally:
        state[_ASKING] = False
    note(net, name, result)
    return result


def note(net, name: str, value) -> None:
    """Note that the page asked ``net`` for ``name`` and got ``value`` (a measurement, or a list
    of them): for measurements that are functions of two nets, noted on the first."""
    net.__dict__.setdefault(_ASKED, {})[name] = value


def asked(net) -> dict[str, object]:
    """What was asked of ``net``, by name, in the order first asked."""
    return dict(net.__dict__.get(_ASKED, {}))


def call_text(name: str, arguments: tuple, keywords: dict) -> str:
    """A call as a template writes it.

    >>> call_text("kink_count", (-1, 1.5), {"seed": 3})
    'kink_count(-1, 1.5, seed=3)'
    """
    written = [repr(argument) for argument in arguments]
    written += [f"{key}={value!r}" for key, value in keywords.items()]
    return f"{name}({', '.join(written)})"
