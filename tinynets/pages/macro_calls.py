"""Calls a post makes to the macros and helpers, checked against their signatures before training.

A call with a keyword the macro does not take, too many or too few arguments, or an argument of
the wrong kind (a net where a sweep is expected, one net where a list of nets is) would only fail
when the page renders, after every net has trained, and then with Jinja's words (``macro
'compare' takes no keyword argument 'caption'``, ``net 't4' has no attribute 'keys'``). Here each
is a problem naming the call, what is wrong and the signature.

The signatures are read from templates/macros.j2 (its public macros) and from the Python helpers
a post may call. What a macro's parameter takes is read from its name, as macros.j2 names them:
``net`` one net (or a sweep's cell), ``sweep`` a sweep, ``selected`` a list of nets. An
argument's kind is known when the body says it plainly (``nets['a']``, ``sweeps['s']``,
``nets.values()``, ``[nets['a'], nets['b']]``, ``sweeps['s'].cell(…)``, a variable set once to
one of these, or a loop over nets); anything else is left to the render.

>>> from jinja2 import Environment
>>> macros = {"compare": Signature("compare", ("selected",), {})}
>>> body = Environment().parse("{{ compare(nets['a'], caption='x') }}")
>>> for line, message in call_problems(body, macros, set()):
...     print(message)
compare(…) has no argument 'caption': it is compare(selected).
compare(…) takes a list of nets, but nets['a'] is one net: write compare([nets['a'], …]).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from enum import Enum

from jinja2 import nodes

from tinynets.pages.templating import did_you_mean


class Kind(Enum):
    """What an argument is, when the body says so plainly."""

    NET = "one net"
    SWEEP = "a sweep"
    NETS = "a list of nets"
    NET_MAPPING = "the mapping of names to nets"


# What each parameter name of macros.j2 takes.
PARAMETER_KINDS = {"net": Kind.NET, "sweep": Kind.SWEEP, "selected": Kind.NETS}


@dataclass(frozen=True)
class Signature:
    """A callable's parameters: names in order, and the defaults (as written) of those that have
    one; ``open_ended`` when it takes any further positional or keyword arguments."""

    name: str
    parameters: tuple[str, ...]
    defaults: dict[str, str]
    open_ended: bool = False

    def __str__(self) -> str:
        shown = [f"{name}={self.defaults[name]}" if name in self.defaults else name
                 for name in self.parameters]
        return f"{self.name}({', '.join(shown)})"

    def to_json(self) -> list:
        return [self.name, list(self.parameters), self.defaults, self.open_ended]

    @classmethod
    def from_json(cls, value) -> "Signature":
        name, parameters, defaults, open_ended = value
        return cls(name, tuple(parameters), dict(defaults), open_ended)


def _literal(node) -> str:
    """A default value as a template writes it: "", false, none, 800."""
    if isinstance(node, nodes.Const):
        value = node.value
        if value is None or isinstance(value, bool):
            return str(value).lower()
        return repr(value).replace("'", '"') if isinstance(value, str) else repr(value)
    return "…"


def signatures_of_macros(tree: nodes.Template) -> dict[str, Signature]:
    """The public macros of a parsed macros.j2, by name."""
    found = {}
    for macro in tree.find_all(nodes.Macro):
        if macro.name.startswith("_"):
            continue
        names = tuple(argument.name for argument in macro.args)
        defaults = dict(zip(names[len(names) - len(macro.defaults):],
                            (_literal(default) for default in macro.defaults)))
        found[macro.name] = Signature(macro.name, names, defaults)
    return found


def function_signature(name: str, function) -> Signature | None:
    """The signature of a Python helper (None when it cannot be read)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    # eval-context and context helpers get that argument from Jinja, not from the post
    named = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD,
                                                 p.KEYWORD_ONLY) and p.name != "eval_context"]
    open_ended = any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)
    return Signature(name, tuple(p.name for p in named),
                     {p.name: _python_default(p.default) for p in named
                      if p.default is not p.empty}, open_ended)


def _python_default(value) -> str:
    return _literal(nodes.Const(value))


def call_problems(body: nodes.Template, signatures: dict[str, Signature], shadowed,
                  sweeps=()):
    """(line, message) for each call in ``body`` to one of ``signatures`` that cannot work;
    names in ``shadowed`` (the body's own macros and variables) are the body's, not ours;
    ``sweeps``: the post's sweep names, offered where a sweep is expected."""
    kinds = _Kinds(body)
    for call in body.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name in shadowed:
            continue
        signature = signatures.get(call.node.name)
        if signature is None or call.dyn_args is not None or call.dyn_kwargs is not None:
            continue
        for message in _problems(call, signature, kinds, sweeps):
            yield call.lineno, message


def _problems(call: nodes.Call, signature: Signature, kinds: "_Kinds", sweeps):
    name, parameters = signature.name, signature.parameters
    if not signature.open_ended:
        for keyword in call.kwargs:
            if keyword.key not in parameters:
                yield (f"{name}(…) has no argument '{keyword.key}'"
                       f"{did_you_mean(keyword.key, parameters)}: it is {signature}.")
        if len(call.args) > len(parameters):
            yield (f"{name}(…) takes at most {len(parameters)} argument"
                   f"{'' if len(parameters) == 1 else 's'}, and {len(call.args)} are given: it "
                   f"is {signature}.")
    given = set(parameters[:len(call.args)]) | {keyword.key for keyword in call.kwargs}
    for parameter in parameters:
        if parameter not in signature.defaults and parameter not in given:
            yield f"{name}(…) needs its argument '{parameter}': it is {signature}."
    arguments = dict(zip(parameters, call.args))
    arguments.update((keyword.key, keyword.value) for keyword in call.kwargs)
    for parameter, node in arguments.items():
        wanted = PARAMETER_KINDS.get(parameter)
        kind = kinds.of(node) if wanted is not None else None
        if kind is not None and kind is not wanted:
            yield _wrong_kind(name, wanted, kind, _source(node), sweeps)


def _wrong_kind(name: str, wanted: Kind, kind: Kind, written: str, sweeps) -> str:
    said = f"{name}(…) takes {wanted.value}, but {written} is {kind.value}"
    if wanted is Kind.NETS and kind is Kind.NET:
        return f"{said}: write {name}([{written}, …])."
    if wanted is Kind.NETS and kind is Kind.NET_MAPPING:
        return f"{said}: write {name}({written}.values())."
    if wanted is Kind.NET and kind is Kind.SWEEP:
        return (f"{said}: give it a net, or one cell of the sweep ({written}.cell(…), "
                f"{written}.best); sweep_heatmap, sweep_plot and sweep_grid show a whole sweep.")
    if wanted is Kind.NET and kind in (Kind.NETS, Kind.NET_MAPPING):
        return f"{said}: call {name} once per net, or show the nets side by side with compare."
    if wanted is Kind.SWEEP and sweeps:
        return (f"{said}: give it one of the post's sweeps: "
                f"{', '.join(f'sweeps[{sweep!r}]' for sweep in sweeps)}.")
    if wanted is Kind.SWEEP:
        return (f"{said}: this post declares no sweep (declare one under 'sweeps' in the front "
                "matter).")
    return f"{said}."


def _source(node) -> str:
    """An argument as the post wrote it, near enough: nets['a'], sweeps.s, [..], wide."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_source(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Getattr):
        return f"{_source(node.node)}.{node.attr}"
    if isinstance(node, nodes.Call):
        return f"{_source(node.node)}(…)"
    if isinstance(node, nodes.List):
        return f"[{', '.join(_source(item) for item in node.items)}]"
    return "the argument"


class _Kinds:
    """The kind of an argument node, following variables set once and loops over nets."""

    def __init__(self, body: nodes.Template):
        self.assigned: dict[str, list] = {}
        for assign in body.find_all(nodes.Assign):
            if isinstance(assign.target, nodes.Name):
                self.assigned.setdefault(assign.target.name, []).append(assign.node)
        for loop in body.find_all(nodes.For):
            if isinstance(loop.target, nodes.Name):
                self.assigned.setdefault(loop.target.name, []).append(("item of", loop.iter))

    def of(self, node, depth: int = 0) -> Kind | None:
        if depth > 8:
            return None
        if isinstance(node, nodes.Name):
            values = self.assigned.get(node.name, [])
            if node.name == "nets" and not values:
                return Kind.NET_MAPPING
            if len(values) != 1:
                return None
            value = values[0]
            if isinstance(value, tuple):  # a loop's variable: an item of what it loops over
                return Kind.NET if self.of(value[1], depth + 1) is Kind.NETS else None
            return self.of(value, depth + 1)
        if isinstance(node, (nodes.Getitem, nodes.Getattr)) and isinstance(node.node, nodes.Name) \
                and node.node.name in ("nets", "sweeps") and not self.assigned.get(node.node.name):
            if isinstance(node, nodes.Getattr) and hasattr(dict, node.attr):
                return None  # nets.values and the like: see the call below
            return Kind.NET if node.node.name == "nets" else Kind.SWEEP
        if isinstance(node, nodes.Getattr) and self.of(node.node, depth + 1) is Kind.SWEEP:
            return {"best": Kind.NET, "worst": Kind.NET, "cells": Kind.NETS}.get(node.attr)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            owner = self.of(node.node.node, depth + 1)
            if owner is Kind.NET_MAPPING and node.node.attr == "values":
                return Kind.NETS
            if owner is Kind.SWEEP and node.node.attr in ("cell", "best_of"):
                return Kind.NET
            if owner is Kind.SWEEP and node.node.attr == "cells_where":
                return Kind.NETS
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) \
                and node.node.name == "cell" and "cell" not in self.assigned:
            return Kind.NET
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return Kind.NETS if all(self.of(item, depth + 1) is Kind.NET
                                    for item in node.items) and node.items else None
        return None
