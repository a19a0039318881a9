"""Render a post's Markdown body with Jinja2, safely, with the measured results in scope.

Posts are rendered in Jinja2's sandbox with undefined names as errors: a post cannot reach
Python internals (``{{ ''.__class__ }}`` is refused) and a typo in a name stops the build with the
post and line. ``claim(text, check)`` writes ``text`` and fails the build when ``check`` — a
comparison of measurements — does not hold, when it is a constant, or when it reads a value that
diverged seeds went into. ``and``/``or``/``not`` and size limits come from ``pages.sandbox``.

``check_templates`` finds what can be found without results (syntax, undefined names, nets a
post does not declare, constant claims) so the build can stop before training;
``macro_calls`` says which macros a post uses.
"""

from __future__ import annotations

import difflib
import inspect
import sys
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from tinynets.errors import ClaimFailed, TemplateProblem, display_path
from tinynets.escaping import html
from tinynets.pages.formatting import HELPERS
from tinynets.pages.sandbox import SIZE_LIMIT, PostEnvironment, TooLarge
from tinynets.measure.uncertainty import TEMPLATE_FUNCTIONS
from tinynets.pages import inside_macros, template_cache
from tinynets.measure.quantities import Check, SeedList
from tinynets.measure.results import NetResult


class UndefinedName(jinja2.UndefinedError):
    """A name, net or attribute a post uses that does not exist, with what does."""

    def __init__(self, message: str, name, obj):
        super().__init__(message)
        self.name, self.obj = name, obj


def _is_nets(value) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        isinstance(item, NetResult) for item in value.values())


def _public(value) -> list[str]:
    # A constructor (NetResult.from_run) is the build's, not a post's: it is not listed.
    return sorted(name for name in dir(value) if not name.startswith("_")
                  and not isinstance(inspect.getattr_static(value, name, None), classmethod))


def _did_you_mean(name, choices) -> str:
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class PostUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message says which net or attribute is missing and what exists."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or obj is jinja2.utils.missing:
            return super()._undefined_message
        if _is_nets(obj):
            return (f"there is no net '{name}' in this post{_did_you_mean(name, obj)}; its nets "
                    f"are {', '.join(f'nets[{key!r}]' for key in obj)}")
        if isinstance(obj, NetResult):
            return (f"net '{obj.name}' has no attribute '{name}'{_did_you_mean(name, _public(obj))}"
                    f"; a net has {', '.join(_public(obj))}")
        return super()._undefined_message

    def __init__(self, hint=None, obj=jinja2.utils.missing, name=None, exc=jinja2.UndefinedError):
        super().__init__(hint, obj, name, exc)
        # Jinja raises ``self._undefined_exception(message)`` from many aliased dunders; this
        # carries the name and object along, so the message can suggest what was meant.
        if exc is jinja2.UndefinedError:  # the sandbox passes SecurityError: keep that one
            self._undefined_exception = lambda message: UndefinedName(message, name, obj)


def count(value):
    """``| length`` and ``| count``: a list of seeds (``net.diverged``, ``net.stuck_seeds``)
    counts as a measurement claims can compare; anything else is its plain length."""
    return value.count_measured() if isinstance(value, SeedList) else len(value)


def environment(templates: Path) -> SandboxedEnvironment:
    env = PostEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=PostUndefined,
        autoescape=False,  # Markdown, not HTML; macros escape what they insert into HTML
        keep_trailing_newline=True,
        # macros.j2 compiled once, kept in build/cache/templates (when the build uses it)
        bytecode_cache=template_cache.BytecodeCache() if template_cache.folder() else None,
    )
    env.filters.update(HELPERS)
    env.globals.update(HELPERS)
    env.filters["html"] = env.globals["html"] = html  # the one HTML rule: tinynets.escaping
    env.globals["claim"] = claim
    env.globals.update(TEMPLATE_FUNCTIONS)  # prob_lower(a, b), ratio_interval(a, b)
    env.globals.update(inside_macros.HELPERS)  # the checks of network() and loss_plot(errors=)
    env.filters["length"] = env.filters["count"] = count
    return env


def _template_line() -> tuple[str, int]:
    """The template name and line that is rendering right now (for claim messages).

    The post's own body (a template without a name) wins over a macro file it called.
    """
    frame = sys._getframe(1)
    found = ("", 0)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = (template.name or "", template.get_corresponding_lineno(frame.f_lineno))
            if template.name is None:
                return found
        frame = frame.f_back
    return found


class _ClaimAt(Exception):
    def __init__(self, line: int, text: str, check: Check):
        self.line, self.text, self.check = line, text, check


def claim(text: str, check) -> str:
    """State ``text`` in the prose; stop the build if the measurements contradict it.

    ``{{ claim("Adam ends lower than SGD", nets['wide-adam'].median < nets['wide-sgd'].median) }}``
    """
    if isinstance(check, bool):
        raise TemplateProblem(f"claim({text!r}, …) checks the constant {check}, which no "
                              "measurement can contradict: compare measurements instead, e.g. "
                              "nets['a'].median < nets['b'].median")
    if not isinstance(check, Check):
        raise TemplateProblem(f"claim({text!r}, …) needs a comparison of measurements as its "
                              f"second argument, e.g. nets['a'].median < nets['b'].median; "
                              f"got {check!r}")
    if not check or check.diverged:
        raise _ClaimAt(_template_line()[1], text, check)
    return text


def macros(env: SandboxedEnvironment, context: dict) -> dict:
    """The macros of templates/macros.j2 (figure, compare, …), seeing the post's ``context``."""
    try:
        module = env.get_template("macros.j2").make_module(vars=context)
    except jinja2.TemplateSyntaxError as error:
        where = display_path(error.filename) if error.filename else "templates/macros.j2"
        raise TemplateProblem(f"{where}:{error.lineno}: "
                              f"template syntax error: {_sentence(error.message)} Check the "
                              "{{ }} and {% %} on that line.") from None
    except jinja2.TemplateNotFound:
        raise TemplateProblem("templates/macros.j2 is missing: restore it (the macros figure, "
                              "compare, … live there).") from None
    return {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}


def _sentence(text) -> str:
    """'some message.' and 'some message' both → 'some message.' (no doubled full stop)."""
    text = str(text).strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def render_body(env: SandboxedEnvironment, post, context: dict) -> str:
    """Render one post's body; raise TemplateProblem naming the file and line on any mistake."""
    offset = post.body_line - 1  # template line 1 is this file line
    shown = display_path(post.path)
    try:
        template = env.template_class.from_code(env, compiled(env, post.body),
                                                env.make_globals(None), None)
        return template.render(**context)
    except _ClaimAt as failed:
        line = failed.line + offset
        check = failed.check
        if check.diverged:
            notes = "; ".join(str(note) for note in check.diverged)
            nets = ", ".join(dict.fromkeys(f"nets['{note.net}'].diverged | length"
                                           for note in check.diverged))
            raise ClaimFailed(f"{shown}:{line}: claim failed: \"{failed.text}\" — it reads "
                              f"values that diverged seeds make meaningless: {notes} "
                              f"({check.text}). Make every seed converge (e.g. a lower learning "
                              f"rate), or claim the divergence itself with {nets}.") from None
        raise ClaimFailed(f"{shown}:{line}: claim failed: \"{failed.text}\" — the measurements "
                          f"say otherwise: {check.text}. Rewrite the claim to match the data, or "
                          "change the experiment.") from None
    except jinja2.TemplateSyntaxError as error:
        line = (error.lineno or 1) + offset
        raise TemplateProblem(f"{shown}:{line}: template syntax error: "
                              f"{_sentence(error.message)} Check the {{{{ }}}} and {{% %}} on "
                              "that line.") from None
    except TooLarge as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused by the sandbox: {_sentence(error)} "
                              "Build smaller texts and lists (numbers in prose never need "
                              "this much).") from None
    except MemoryError as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused: an expression here needs more memory "
                              f"than there is; a post may build at most {SIZE_LIMIT:,} "
                              "characters or items per value.") from None
    except SecurityError as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused by the sandbox: {_sentence(error)} "
                              "Posts may only use the results, helpers and macros they are "
                              "given.") from None
    except jinja2.UndefinedError as error:
        line = _error_line(error) + offset
        what, hint = str(error), f" {_names_hint(context)}."
        if isinstance(error, UndefinedName) and error.obj is jinja2.utils.missing:
            what += _did_you_mean(error.name, [*context, *env.globals])
        elif isinstance(error, UndefinedName) and (_is_nets(error.obj)
                                                   or isinstance(error.obj, NetResult)):
            hint = ""  # the message already lists the nets, or what a net has
        raise TemplateProblem(f"{shown}:{line}: undefined: {what}.{hint}") from None
    except TemplateProblem as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: {_sentence(error)}") from None
    except jinja2.TemplateNotFound as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: no template named '{error.name}' in "
                              "templates/: posts call the macros they are given instead.") \
            from None
    except Exception as error:  # noqa: BLE001 - anything else a template expression can raise
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: template error: {type(error).__name__}: "
                              f"{_sentence(error)}") from None


def _error_line(error: BaseException) -> int:
    """The template line from a traceback that Jinja rewrote to point into the template."""
    line = 1
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _names_hint(context: dict) -> str:
    nets = context.get("nets") or {}
    names = ", ".join(f"nets['{name}']" for name in nets) or "no nets (declare them under 'nets')"
    macros = sorted(name for name, value in context.items()
                    if isinstance(value, jinja2.runtime.Macro))
    hint = f"Defined here: {names}, data, post, claim, the helpers {', '.join(sorted(HELPERS))}"
    return hint + (f" and the macros {', '.join(macros)}" if macros else "")


# ----------------------------------------------------------------------------- before training

# What post_context (pages/site.py) gives every post besides the macros; a test keeps them equal.
CONTEXT_NAMES = ("nets", "data", "post", "comparison_media", "sweeps", "cell")
JINJA_NAMES = ("loop", "caller", "varargs", "kwargs")  # what Jinja defines inside loops and macros


# Compiled post bodies by source: the checks before training and the rendering after it compile
# the same bodies, with environments made alike by ``environment()``.
_COMPILED: dict[str, object] = {}


def compiled(env, source: str):
    """``env.compile(source)``, once per source in this process (a syntax error is not kept)."""
    if source not in _COMPILED:
        if len(_COMPILED) > 256:  # serve runs for hours: keep only recent bodies
            _COMPILED.clear()
        _COMPILED[source] = template_cache.compiled_code(env, source)
    return _COMPILED[source]


def check_templates(posts, templates: Path) -> None:
    """Find template mistakes before anything is trained: a typo costs a second, not a run.

    Parses templates/macros.j2 and every post body, and checks what can be known without
    results: syntax, names that are defined nowhere, nets the post does not declare
    (``nets['typo']``, ``nets.typo``) and claims that check a constant. Raises TemplateProblem
    listing every problem found, each with its file and line.

    >>> check_templates(load_posts(Path("content")), Path("templates"))  # doctest: +SKIP
    """
    env = environment(templates)
    problems: list[str] = []
    macro_names = _macro_names(env, problems)
    for post in posts:
        problems += _post_problems(env, post, macro_names)
    if len(problems) == 1:
        raise TemplateProblem(problems[0])
    if problems:
        raise TemplateProblem("\n".join([f"{len(problems)} problems in the templates:",
                                         *(f"  - {problem}" for problem in problems)]))


def macro_calls(post, templates: Path) -> set[str]:
    """The macros of templates/macros.j2 that ``post``'s body uses (calls or passes on).

    The media stage renders the comparison animation only for posts that use ``comparison`` or
    ``comparison_losses``. A body that does not parse uses nothing (check_templates reports it).

    >>> macro_calls(post, Path("templates"))                                # doctest: +SKIP
    {'figure', 'compare', 'comparison'}
    """
    env = environment(templates)
    names = _macro_names(env, [])
    return set(template_cache.remembered("macro_calls", [post.body, sorted(names)],
                                         lambda: sorted(_macro_calls(env, post, names))))


def _macro_calls(env, post, names: set[str]) -> set[str]:
    try:
        body = env.parse(post.body)
    except jinja2.TemplateSyntaxError:
        return set()
    used = {node.name for node in body.find_all(nodes.Name)
            if node.ctx == "load" and node.name in names}
    # figure(net, units=true), loss_plot(net, errors=[…]) and network(net) draw media of their
    # own: "figure_units:wide" says which net asks (plain "figure_units" when the net cannot be
    # told before rendering: all nets of the post get them).
    for call in body.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name):
            continue
        uses = [use for (macro, key), use in KEYWORD_USES.items()
                if macro == call.node.name and _passes(call, key)]
        if call.node.name == "network":
            uses.append("network_media")
        for use in uses:
            net = _net_named(call.args[0], body) if call.args else None
            used.add(f"{use}:{net}" if net else use)
    return used


# (macro, keyword) → the use ``macro_calls`` reports when a post passes the keyword (not false).
KEYWORD_USES = {("figure", "units"): "figure_units", ("loss_plot", "errors"): "loss_plot_errors"}


def _passes(call: nodes.Call, key: str) -> bool:
    """Whether ``call`` passes the keyword ``key`` with a value that is not a constant false."""
    return any(keyword.key == key and not (isinstance(keyword.value, nodes.Const)
                                           and not keyword.value.value)
               for keyword in call.kwargs)


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


# macros.j2's public macro names (or its syntax problem) by (file, source): parsing and compiling
# it costs about 0.2 s, and the checks before training and every post's macro_calls ask for it.
_MACRO_NAMES: dict[tuple[str, str], tuple[frozenset, str | None]] = {}


def _macro_names(env, problems: list[str]) -> set[str]:
    """The public macros of templates/macros.j2; a syntax error there is added to ``problems``."""
    try:
        source, filename, _ = env.loader.get_source(env, "macros.j2")
    except jinja2.TemplateNotFound:
        problems.append("templates/macros.j2 is missing: restore it (the macros figure, "
                        "compare, … live there).")
        return set()
    if (filename, source) not in _MACRO_NAMES:
        names, problem = template_cache.remembered(
            "macro_names", [filename, source], lambda: _find_macro_names(env, source, filename))
        _MACRO_NAMES[(filename, source)] = (frozenset(names), problem)
    names, problem = _MACRO_NAMES[(filename, source)]
    if problem:
        problems.append(problem)
    return set(names)


def _find_macro_names(env, source: str, filename: str) -> tuple[list[str], str | None]:
    """(macro names, None) of macros.j2's ``source``, or ([], its syntax problem)."""
    try:
        env.compile(source, "macros.j2", filename)
        body = env.parse(source, "macros.j2", filename)
    except jinja2.TemplateSyntaxError as error:
        where = display_path(error.filename) if error.filename else "templates/macros.j2"
        return [], (f"{where}:{error.lineno}: template syntax error: "
                    f"{_sentence(error.message)} Check the {{{{ }}}} and {{% %}} on that line.")
    return sorted(macro.name for macro in body.find_all(nodes.Macro)
                  if not macro.name.startswith("_")), None


def _post_problems(env, post, macro_names: set[str]) -> list[str]:
    """Everything wrong with one post's body that can be seen without its results (kept on disk
    by everything it depends on: a warm build does not parse the body again)."""
    parts = [display_path(post.path), post.body_line, post.body, _has_true_function(post),
             [net.name for net in post.nets],
             [sweep.name for sweep in getattr(post, "sweeps", ())], sorted(macro_names),
             sorted(env.globals), sorted(env.filters), sorted(env.tests)]
    return template_cache.remembered("problems", parts,
                                     lambda: _find_post_problems(env, post, macro_names))


def _find_post_problems(env, post, macro_names: set[str]) -> list[str]:
    offset = post.body_line - 1
    shown = display_path(post.path)
    try:
        body = env.parse(post.body)
        compiled(env, post.body)  # finds unknown filters and tests too (and folds constants in
        # the tree it compiles, which is why it compiles its own)
    except jinja2.TemplateSyntaxError as error:
        return [f"{shown}:{(error.lineno or 1) + offset}: template syntax error: "
                f"{_sentence(error.message)} Check the {{{{ }}}} and {{% %}} on that line."]
    found: list[tuple[int, str]] = []
    nets = [net.name for net in post.nets]
    for line, name in _net_references(body):
        if name not in nets:
            found.append((line, f"undefined: {_no_such_net(name, nets)}."))
    sweep_names = [sweep.name for sweep in getattr(post, "sweeps", ())]
    for line, name in _net_references(body, "sweeps"):
        if name not in sweep_names:
            found.append((line, f"undefined: there is no sweep '{name}' in this post"
                                f"{_did_you_mean(name, sweep_names)}; its sweeps are "
                                f"{', '.join(repr(s) for s in sweep_names) or 'none'}."))
    known = {*CONTEXT_NAMES, *env.globals, *macro_names, *JINJA_NAMES}
    # find_undeclared_variables runs the code generator, which folds constants in the tree it is
    # given: it gets a tree of its own, so the claim check below still sees `1 < 2` as written.
    for line, name in _undefined_names(env.parse(post.body), known):
        found.append((line, f"undefined: '{name}' is undefined"
                            f"{_did_you_mean(name, known)}. {_static_hint(nets, macro_names)}."))
    for line, text, constant in _constant_claims(body):
        found.append((line, f"claim({text!r}, …) checks {constant}, which no measurement can "
                            "contradict: compare measurements only, e.g. nets['a'].median < "
                            "nets['b'].median."))
    if not _has_true_function(post):
        for call in body.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "loss_plot" \
                    and _passes(call, "errors"):
                found.append((call.lineno, "loss_plot(…, errors=…) draws the noise-free and "
                                           "held-out errors, which need the true function, and "
                                           "data from a file has none: leave errors out (the "
                                           "training error is always drawn)."))
    return [f"{shown}:{line + offset}: {message}" for line, message in sorted(found)]


def _has_true_function(post) -> bool:
    """Whether the post's data is generated from a known function (not read from a file)."""
    return post.data is None or post.data.has_true_function


def _no_such_net(name: str, nets: list[str]) -> str:
    if not nets:
        return (f"there is no net '{name}' in this post: it declares none (declare nets under "
                "'nets' in the front matter)")
    return (f"there is no net '{name}' in this post{_did_you_mean(name, nets)}; its nets are "
            f"{', '.join(f'nets[{net!r}]' for net in nets)}")


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
