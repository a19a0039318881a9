"""What a post's template says before anything trains: its mistakes, and what its page shows.

``check_templates`` finds what can be found without results (syntax, undefined names, nets a
post does not declare, macro calls that do not fit, constant claims), so the build stops before
training. ``uses`` reads,
once per build, what each page shows (``media.uses.PageUses``): the macros it calls, the net
each ``figure(net, units=true)``, ``network(net)`` and ``loss_plot(net, errors=…)`` is for, and
the sweep cells shown on their own. The media plan renders only those. Both are kept in
build/cache/templates (``template_cache``): a warm build parses no template.

>>> from types import SimpleNamespace as Post
>>> body = "{{ figure(nets['wide'], units=true) }} {{ comparison() }}"
>>> templates = Path(__file__).parents[2] / "templates"
>>> shown = page_uses(Post(slug="demo", body=body, sweeps=()), templates)
>>> sorted(shown.macros), [(part.kind.value, part.net) for part in shown.net_parts]
(['comparison', 'figure'], [('units', 'wide')])
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from tinynets.errors import TemplateProblem, display_path
from tinynets.measure.sweeps import normal_value
from tinynets.media.catalog import NET_PARTS, Kind, network_refusal, units_refusal
from tinynets.media.uses import NetPart, PageUses
from tinynets.pages import template_cache
from tinynets.pages.macro_calls import (Signature, call_problems, function_signature,
                                        signatures_of_macros)
from tinynets.pages.formatting import HELPERS
from tinynets.pages.templating import (CONTEXT_NAMES, compiled, did_you_mean, environment,
                                       no_such_net, no_such_sweep, sentence)

JINJA_NAMES = ("loop", "caller", "varargs", "kwargs")  # what Jinja defines inside loops and macros
# Macros whose first argument gets a cell's own media when the call names the cell.
CELL_MACROS = ("figure", "loss_plot", "compare")


# ----------------------------------------------------------------------------- what pages show

def uses(posts, templates: Path) -> dict[str, PageUses]:
    """What each post's page shows, by post slug (a body that does not parse shows nothing:
    ``check_templates`` reports it)."""
    env = environment(templates)
    names = defined_macros(env, [])
    return {post.slug: _uses(env, post, names) for post in posts}


def page_uses(post, templates: Path) -> PageUses:
    """What one post's page shows."""
    return uses([post], templates)[post.slug]


def _uses(env, post, names: set[str]) -> PageUses:
    sweeps = [[sweep.name, list(sweep.keys),
               [[cell.name, sweep.values(cell)] for cell in sweep.cells]]
              for sweep in post.sweeps]
    return PageUses.from_json(template_cache.remembered(
        "page_uses", [post.body, sorted(names), sweeps],
        lambda: _find_uses(env, post, names).to_json()))


def _find_uses(env, post, names: set[str]) -> PageUses:
    try:
        body = env.parse(post.body)
    except jinja2.TemplateSyntaxError:
        return PageUses()
    macros = {node.name for node in body.find_all(nodes.Name)
              if node.ctx == "load" and node.name in names}
    parts = {NetPart(kind, net) for _, kind, net in _part_calls(body)}
    cells = _shown_cells(body, post.sweeps) if post.sweeps else frozenset()
    return PageUses(frozenset(macros), frozenset(parts), cells)


def _part_calls(body: nodes.Template):
    """(call, kind, net name or None) of every call that shows a part of a net (``NET_PARTS``:
    ``figure(net, units=true)``, ``network(net)``, ``loss_plot(net, errors=…)``)."""
    for call in body.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name):
            continue
        for kind in NET_PARTS:
            shown_by = kind.shown_by
            if shown_by.macro == call.node.name and (shown_by.keyword is None
                                                     or passes_keyword(call, shown_by.keyword)):
                yield call, kind, (_net_named(call.args[0], body) if call.args else None) or None


def _net_named(node, body: nodes.Template) -> str | None:
    """The net an argument names, if the body says so plainly: ``nets['a']``, ``nets.a``, or a
    variable set once to one of those (``{% set wide = nets['a'] %}``)."""
    if isinstance(node, nodes.Name):
        values = [assign.node for assign in body.find_all(nodes.Assign)
                  if isinstance(assign.target, nodes.Name) and assign.target.name == node.name]
        return _net_named(values[0], body) if len(values) == 1 else None
    if isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) \
            and node.node.name == "nets" and isinstance(node.arg, nodes.Const):
        return str(node.arg.value)
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) \
            and node.node.name == "nets":
        return node.attr
    return None


def _shown_cells(body: nodes.Template, sweeps) -> frozenset[tuple[str, str]]:
    """(sweep name, cell name) of every cell the body shows on its own.

    A cell counts when ``figure``, ``loss_plot`` (without ``errors``) or ``compare`` gets it as
    ``cell(k=v, …)`` or ``sweeps['s'].cell(k=v, …)`` (``sweeps.s.cell``) with constant values,
    directly or through a variable set once (``{% set c = cell(…) %}``).
    """
    assigned: dict[str, list] = {}
    for assign in body.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name):
            assigned.setdefault(assign.target.name, []).append(assign.node)
    found = set()
    for call in body.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name in CELL_MACROS
                and call.args):
            continue
        arguments = call.args[0].items if isinstance(call.args[0], nodes.List) \
            else [call.args[0]]
        for argument in arguments:
            if isinstance(argument, nodes.Name) and len(assigned.get(argument.name, ())) == 1:
                argument = assigned[argument.name][0]
            named = _cell_call(argument, sweeps)
            if named is not None:
                found.add(named)
    return frozenset(found)


def _cell_call(node, sweeps) -> tuple[str, str] | None:
    """(sweep, cell) named by a ``cell(…)`` call node with constant values, else None."""
    if not isinstance(node, nodes.Call) or node.args or node.dyn_args or node.dyn_kwargs:
        return None
    target = node.node
    values = {}
    try:
        values = {keyword.key: keyword.value.as_const() for keyword in node.kwargs}
    except nodes.Impossible:
        return None
    if isinstance(target, nodes.Name) and target.name == "cell":
        name = values.pop("sweep", None)
        if name is None and len(sweeps) == 1:
            name = sweeps[0].name
    elif isinstance(target, nodes.Getattr) and target.attr == "cell":
        owner = target.node
        if isinstance(owner, nodes.Getitem) and isinstance(owner.node, nodes.Name) \
                and owner.node.name == "sweeps" and isinstance(owner.arg, nodes.Const):
            name = owner.arg.value
        elif isinstance(owner, nodes.Getattr) and isinstance(owner.node, nodes.Name) \
                and owner.node.name == "sweeps":
            name = owner.attr
        else:
            return None
    else:
        return None
    sweep = next((sweep for sweep in sweeps if sweep.name == name), None)
    if sweep is None or set(values) != set(sweep.keys):
        return None
    try:
        wanted = {key: normal_value(key, value) for key, value in values.items()}
    except (TypeError, ValueError):
        return None
    for cell in sweep.cells:
        if sweep.values(cell) == wanted:
            return sweep.name, cell.name
    return None


# ----------------------------------------------------------------------------- mistakes

def check_templates(posts, templates: Path) -> None:
    """Find template mistakes before anything is trained: a typo costs a second, not a run.

    Parses templates/macros.j2 and every post body, and checks what can be known without
    results: syntax, names that are defined nowhere, nets the post does not declare
    (``nets['typo']``, ``nets.typo``), calls to macros and helpers that do not fit their
    signatures (``pages.macro_calls``: keywords, argument counts, a net where a sweep is
    expected, …) and claims that check a constant. Raises TemplateProblem
    listing every problem found, each with its file and line.
    """
    env = environment(templates)
    problems: list[str] = []
    signatures = macro_signatures(env, problems)
    for post in posts:
        problems += _post_problems(env, post, signatures)
    if len(problems) == 1:
        raise TemplateProblem(problems[0])
    if problems:
        raise TemplateProblem("\n".join([f"{len(problems)} problems in the templates:",
                                         *(f"  - {problem}" for problem in problems)]))


def passes_keyword(call: nodes.Call, key: str) -> bool:
    """Whether ``call`` passes the keyword ``key`` with a value that is not a constant false."""
    return any(keyword.key == key and not (isinstance(keyword.value, nodes.Const)
                                           and not keyword.value.value)
               for keyword in call.kwargs)



# macros.j2's public macros (or its syntax problem) by (file, source): parsing and compiling it
# costs about 0.2 s, and the checks before training and the page analysis ask for it.
_MACROS: dict[tuple[str, str], tuple[dict, str | None]] = {}


def defined_macros(env, problems: list[str]) -> set[str]:
    """The public macros of templates/macros.j2; a syntax error there is added to ``problems``."""
    return set(macro_signatures(env, problems))


def macro_signatures(env, problems: list[str]) -> dict[str, Signature]:
    """The public macros of templates/macros.j2 with their parameters, by name; a syntax error
    there is added to ``problems``."""
    try:
        source, filename, _ = env.loader.get_source(env, "macros.j2")
    except jinja2.TemplateNotFound:
        problems.append("templates/macros.j2 is missing: restore it (the macros figure, "
                        "compare, … live there).")
        return {}
    if (filename, source) not in _MACROS:
        found, problem = template_cache.remembered(
            "macro_signatures", [filename, source],
            lambda: _find_macro_signatures(env, source, filename))
        _MACROS[(filename, source)] = ({value[0]: Signature.from_json(value)
                                        for value in found}, problem)
    signatures, problem = _MACROS[(filename, source)]
    if problem:
        problems.append(problem)
    return dict(signatures)


def _find_macro_signatures(env, source: str, filename: str) -> tuple[list, str | None]:
    """(macro signatures as JSON, None) of macros.j2's ``source``, or ([], its syntax
    problem)."""
    try:
        env.compile(source, "macros.j2", filename)
        body = env.parse(source, "macros.j2", filename)
    except jinja2.TemplateSyntaxError as error:
        where = display_path(error.filename) if error.filename else "templates/macros.j2"
        return [], (f"{where}:{error.lineno}: template syntax error: "
                    f"{sentence(error.message)} Check the {{{{ }}}} and {{% %}} on that line.")
    return [signature.to_json() for signature in signatures_of_macros(body).values()], None


def _post_problems(env, post, signatures: dict[str, Signature]) -> list[str]:
    """Everything wrong with one post's body that can be seen without its results (kept on disk
    by everything it depends on: a warm build does not parse the body again)."""
    parts = [display_path(post.path), post.body_line, post.body, _has_true_function(post),
             [net.name for net in post.nets],
             [sweep.name for sweep in getattr(post, "sweeps", ())],
             sorted(signature.to_json() for signature in signatures.values()),
             sorted(env.globals), sorted(env.filters), sorted(env.tests)]
    return template_cache.remembered("problems", parts,
                                     lambda: _find_post_problems(env, post, signatures))


def _find_post_problems(env, post, signatures: dict[str, Signature]) -> list[str]:
    macro_names = set(signatures)
    offset = post.body_line - 1
    shown = display_path(post.path)
    try:
        body = env.parse(post.body)
        compiled(env, post.body)  # finds unknown filters and tests too (and folds constants in
        # the tree it compiles, which is why it compiles its own)
    except jinja2.TemplateSyntaxError as error:
        return [f"{shown}:{(error.lineno or 1) + offset}: template syntax error: "
                f"{sentence(error.message)} Check the {{{{ }}}} and {{% %}} on that line."]
    found: list[tuple[int, str]] = []
    nets = [net.name for net in post.nets]
    for line, name in _net_references(body):
        if name not in nets:
            found.append((line, f"undefined: {no_such_net(name, nets)}."))
    sweep_names = [sweep.name for sweep in getattr(post, "sweeps", ())]
    for line, name in _net_references(body, "sweeps"):
        if name not in sweep_names:
            found.append((line, f"undefined: {no_such_sweep(name, sweep_names)}."))
    known = {*CONTEXT_NAMES, *env.globals, *macro_names, *JINJA_NAMES}
    # find_undeclared_variables runs the code generator, which folds constants in the tree it is
    # given: it gets a tree of its own, so the claim check below still sees `1 < 2` as written.
    for line, name in _undefined_names(env.parse(post.body), known):
        found.append((line, f"undefined: '{name}' is undefined"
                            f"{did_you_mean(name, known)}. {_static_hint(nets, macro_names)}."))
    helpers = {name: signature for name, value in env.globals.items()
               if callable(value) and (signature := function_signature(name, value))}
    for line, message in call_problems(body, {**helpers, **signatures}, _body_names(body),
                                       sweep_names):
        found.append((line, message))
    for line, text, constant in _constant_claims(body):
        found.append((line, f"claim({text!r}, …) checks {constant}, which no measurement can "
                            "contradict: compare measurements only, e.g. nets['a'].median < "
                            "nets['b'].median."))
    layers = {net.name: net.layers for net in post.nets}
    for call, kind, net in _part_calls(body):
        refuse = {Kind.NETWORK: network_refusal, Kind.UNITS: units_refusal}.get(kind)
        refusal = refuse(layers[net], net) if refuse and net in layers else None
        if refusal:
            found.append((call.lineno, refusal))
    if not _has_true_function(post):
        for call in body.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "loss_plot" \
                    and passes_keyword(call, "errors"):
                found.append((call.lineno, "loss_plot(…, errors=…) draws the noise-free and "
                                           "held-out errors, which need the true function, and "
                                           "data from a file has none: leave errors out (the "
                                           "training error is always drawn)."))
    return [f"{shown}:{line + offset}: {message}" for line, message in sorted(found)]


def _body_names(body: nodes.Template) -> set[str]:
    """The names a body defines itself (its macros, variables, loop variables, parameters)."""
    return ({macro.name for macro in body.find_all(nodes.Macro)}
            | {node.name for node in body.find_all(nodes.Name) if node.ctx in ("store", "param")})


def _has_true_function(post) -> bool:
    """Whether the post's data is generated from a known function (not read from a file)."""
    return post.data is None or post.data.has_true_function


def _net_references(body: nodes.Template, mapping: str = "nets"):
    """(line, name) of every ``nets['name']`` and ``nets.name`` written in the body (or of
    ``sweeps['name']`` with ``mapping='sweeps'``)."""
    for node in body.find_all((nodes.Getitem, nodes.Getattr)):
        if not (isinstance(node.node, nodes.Name) and node.node.name == mapping):
            continue
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and isinstance(node.arg.value, str):
            yield node.lineno, node.arg.value
        elif isinstance(node, nodes.Getattr) and not hasattr(dict, node.attr):
            yield node.lineno, node.attr  # nets.items and nets.values are the dict's own


def _undefined_names(body: nodes.Template, known: set[str]):
    """(line, name) of the first use of each name that nothing defines (``x is defined`` asks
    on purpose and is left alone)."""
    from jinja2 import meta

    asked = {test.node.name for test in body.find_all(nodes.Test)
             if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Name)}
    missing = meta.find_undeclared_variables(body) - known - asked
    first: dict[str, int] = {}
    for node in body.find_all(nodes.Name):
        if node.name in missing and node.ctx == "load":
            first.setdefault(node.name, node.lineno)
    return sorted((line, name) for name, line in first.items())


def _constant_claims(body: nodes.Template):
    """(line, claim text, what is constant) for each claim whose check holds a constant."""
    for call in body.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "claim"
                and len(call.args) >= 2):
            continue
        text = call.args[0].value if isinstance(call.args[0], nodes.Const) else "…"
        for constant in _constants(call.args[1]):
            yield call.lineno, text, constant


def _constants(node) -> list[str]:
    """Parts of a claim's check that no measurement can change: literals, and comparisons of
    literals only (``true``, ``1 < 2``)."""
    if isinstance(node, (nodes.And, nodes.Or)):
        return _constants(node.left) + _constants(node.right)
    if isinstance(node, nodes.Not):
        return _constants(node.node)
    if isinstance(node, nodes.Const):
        return [f"the constant {node.value!r}"]
    if isinstance(node, nodes.Compare) and isinstance(node.expr, nodes.Const) \
            and all(isinstance(operand.expr, nodes.Const) for operand in node.ops):
        return ["a comparison of constants"]
    return []


def _static_hint(nets: list[str], macro_names: set[str]) -> str:
    names = ", ".join(f"nets['{name}']" for name in nets) or "no nets (declare them under 'nets')"
    hint = f"Defined here: {names}, data, post, claim, the helpers {', '.join(sorted(HELPERS))}"
    return hint + (f" and the macros {', '.join(sorted(macro_names))}" if macro_names else "")
