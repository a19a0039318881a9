"""Render a post's Markdown body with Jinja2, safely, with the measured results in scope.

Posts are rendered in Jinja2's sandbox with undefined names as errors: a post cannot reach
Python internals (``{{ ''.__class__ }}`` is refused) and a typo in a name stops the build with the
post and line. ``claim(text, check)`` writes ``text`` and fails the build when ``check`` — a
comparison of measurements — does not hold, when it is a constant, or when it reads a value that
diverged seeds went into. ``and``/``or``/``not`` and size limits come from ``pages.sandbox``.

``check_templates`` finds what can be found without results (syntax, undefined names, nets a
post does not declare, constant claims) so the build can stop before training; what a page
shows (for the media stage) is ``pages.analysis``'s.
"""

from __future__ import annotations

import difflib
import inspect
import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from tinynets.errors import ClaimFailed, TemplateProblem, display_path
from tinynets.escaping import page_text
from tinynets.pages.formatting import HELPERS
from tinynets.pages.sandbox import SIZE_LIMIT, PostEnvironment, TooLarge
from tinynets.measure import shares
from tinynets.measure.uncertainty import TEMPLATE_FUNCTIONS
from tinynets.pages import claims, escaped_filters, inside_macros, template_cache
from tinynets.pages.live_figures import PageFigures
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


def did_you_mean(name, choices) -> str:
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def no_such_net(name, names) -> str:
    """What a post (the check before training, the page, or the notebook API) is told when it
    names a net that it does not have.

    >>> no_such_net("wid", ["wide", "deep"])
    "there is no net 'wid' in this post (did you mean 'wide'?); its nets are nets['wide'], nets['deep']"
    """
    if not names:
        return (f"there is no net '{name}' in this post: it declares none (declare nets under "
                "'nets' in the front matter)")
    return (f"there is no net '{name}' in this post{did_you_mean(name, names)}; its nets "
            f"are {', '.join(f'nets[{key!r}]' for key in names)}")


def no_such_sweep(name, names) -> str:
    """The same for a sweep.

    >>> no_such_sweep("wr", [])
    "there is no sweep 'wr' in this post; its sweeps are none"
    """
    return (f"there is no sweep '{name}' in this post{did_you_mean(name, names)}; its sweeps "
            f"are {', '.join(repr(sweep) for sweep in names) or 'none'}")


class PostUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message says which net or attribute is missing and what exists."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or obj is jinja2.utils.missing:
            return super()._undefined_message
        if _is_nets(obj):
            return no_such_net(name, obj)
        if isinstance(obj, NetResult):
            return (f"net '{obj.name}' has no attribute '{name}'{did_you_mean(name, _public(obj))}"
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
        # post bodies: every value by the page rule (escaped_filters); macros.j2 escapes its own
        autoescape=escaped_filters.is_post_body,
        keep_trailing_newline=True,
        # macros.j2 compiled once, kept in build/cache/templates (when the build uses it)
        bytecode_cache=template_cache.BytecodeCache() if template_cache.folder() else None,
    )
    env.filters.update(HELPERS)
    env.globals.update(HELPERS)
    escaped_filters.install(env)  # finalize, html, e, join, replace: the page rule in bodies
    env.globals["claim"] = claim
    env.globals.update(TEMPLATE_FUNCTIONS)  # prob_lower(a, b), ratio_interval(a, b)
    env.globals.update(shares.TEMPLATE_FUNCTIONS)  # share(net, 'stuck')
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
    """State ``text`` in the prose (as text: the page rule of ``tinynets.escaping``, which
    covers Markdown's characters as well as HTML's), followed by the page's mark of checked
    claims; stop the build if the measurements contradict it.

    ``{{ claim("Adam ends lower than SGD", nets['wide-adam'].median < nets['wide-sgd'].median) }}``

    On the replication seeds (``pages.replication``) a failing check is listed, not raised.
    """
    check_claim(text, check)
    line = _template_line()[1]
    if (not check or check.diverged) and not claims.keeps_failing():
        raise _ClaimAt(line, text, check)
    claims.note(line, text, check)
    # page_text, not html: the mark makes the result Markup, which the body's autoescape
    # passes as it is, so a label's *, _, ` and [](…) would otherwise reach Markdown.
    return page_text(text) + claims.mark()


def check_claim(text: str, check) -> None:
    """A TemplateProblem if ``check`` is not something a claim can check: a constant, or
    anything but a comparison of measurements (the build's and the notebook's ``claim``)."""
    if isinstance(check, bool):
        raise TemplateProblem(f"claim({text!r}, …) checks the constant {check}, which no "
                              "measurement can contradict: compare measurements instead, e.g. "
                              "nets['a'].median < nets['b'].median")
    if not isinstance(check, Check):
        raise TemplateProblem(f"claim({text!r}, …) needs a comparison of measurements as its "
                              f"second argument, e.g. nets['a'].median < nets['b'].median; "
                              f"got {check!r}")


def claim_failure(text: str, check: Check) -> str:
    """Why a claim fails, as the build says it after the post's file and line: the
    measurements contradict it, or it reads values that diverged seeds make meaningless."""
    if check.diverged:
        notes = "; ".join(str(note) for note in check.diverged)
        nets = ", ".join(dict.fromkeys(f"nets['{note.net}'].diverged | length"
                                       for note in check.diverged))
        return (f"claim failed: \"{text}\" — it reads values that diverged seeds make "
                f"meaningless: {notes} ({check.text}). Make every seed converge (e.g. a lower "
                f"learning rate), or claim the divergence itself with {nets}.")
    return (f"claim failed: \"{text}\" — the measurements say otherwise: {check.text}. "
            "Rewrite the claim to match the data, or change the experiment.")


def macros(env: SandboxedEnvironment, context: dict, figures: PageFigures | None = None) -> dict:
    """The macros of templates/macros.j2 (figure, compare, …), seeing the post's ``context``,
    and ``figures``, which only the macros see (``live_figures``: which figures the browser
    draws live, and ids unique on the page; by default none is drawn live)."""
    figures = figures or PageFigures(frozenset(), dimensions=1)
    try:
        module = env.get_template("macros.j2").make_module(
            vars={**context, "live_figures": figures})
    except jinja2.TemplateSyntaxError as error:
        where = display_path(error.filename) if error.filename else "templates/macros.j2"
        raise TemplateProblem(f"{where}:{error.lineno}: "
                              f"template syntax error: {sentence(error.message)} Check the "
                              "{{ }} and {% %} on that line.") from None
    except jinja2.TemplateNotFound:
        raise TemplateProblem("templates/macros.j2 is missing: restore it (the macros figure, "
                              "compare, … live there).") from None
    return {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}


def sentence(text) -> str:
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
        raise ClaimFailed(f"{shown}:{line}: {claim_failure(failed.text, failed.check)}") \
            from None
    except jinja2.TemplateSyntaxError as error:
        line = (error.lineno or 1) + offset
        raise TemplateProblem(f"{shown}:{line}: template syntax error: "
                              f"{sentence(error.message)} Check the {{{{ }}}} and {{% %}} on "
                              "that line.") from None
    except TooLarge as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused by the sandbox: {sentence(error)} "
                              "Build smaller texts and lists (numbers in prose never need "
                              "this much).") from None
    except MemoryError as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused: an expression here needs more memory "
                              f"than there is; a post may build at most {SIZE_LIMIT:,} "
                              "characters or items per value.") from None
    except SecurityError as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: refused by the sandbox: {sentence(error)} "
                              "Posts may only use the results, helpers and macros they are "
                              "given.") from None
    except jinja2.UndefinedError as error:
        line = _error_line(error) + offset
        what, hint = str(error), f" {_names_hint(context)}."
        if isinstance(error, UndefinedName) and error.obj is jinja2.utils.missing:
            what += did_you_mean(error.name, [*context, *env.globals])
        elif isinstance(error, UndefinedName) and (_is_nets(error.obj)
                                                   or isinstance(error.obj, NetResult)):
            hint = ""  # the message already lists the nets, or what a net has
        raise TemplateProblem(f"{shown}:{line}: undefined: {what}.{hint}") from None
    except TemplateProblem as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: {sentence(error)}") from None
    except jinja2.TemplateNotFound as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: no template named '{error.name}' in "
                              "templates/: posts call the macros they are given instead.") \
            from None
    except Exception as error:  # noqa: BLE001 - anything else a template expression can raise
        line = _error_line(error) + offset
        raise TemplateProblem(f"{shown}:{line}: template error: {type(error).__name__}: "
                              f"{sentence(error)}") from None


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


# What post_context (pages/site.py) gives every post besides the macros; a test keeps them equal.
CONTEXT_NAMES = ("nets", "data", "post", "comparison_media", "sweeps", "cell")


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
