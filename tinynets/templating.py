"""Render a post's Markdown body with Jinja2, safely, with the measured results in scope.

Posts are rendered in Jinja2's sandbox with undefined names as errors: a post cannot reach
Python internals (``{{ ''.__class__ }}`` is refused) and a typo in a name stops the build with the
post and line. ``claim(text, check)`` writes ``text`` and fails the build when ``check`` — a
comparison of measurements — does not hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from tinynets.errors import ClaimFailed, TemplateProblem
from tinynets.formatting import HELPERS
from tinynets.results import Check


def environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML; macros escape what they insert into HTML
        keep_trailing_newline=True,
    )
    env.filters.update(HELPERS)
    env.globals.update(HELPERS)
    env.globals["claim"] = claim
    return env


def _template_line() -> tuple[str, int]:
    """The template name and line that is rendering right now (for claim messages)."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.name or "", template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return "", 0


class _ClaimAt(Exception):
    def __init__(self, line: int, text: str, check: Check):
        self.line, self.text, self.check = line, text, check


def claim(text: str, check) -> str:
    """State ``text`` in the prose; stop the build if the measurements contradict it.

    ``{{ claim("Adam ends lower than SGD", nets['wide-adam'].median < nets['wide-sgd'].median) }}``
    """
    if not isinstance(check, (Check, bool)):
        raise TemplateProblem(f"claim({text!r}, …) needs a comparison of measurements as its "
                              f"second argument, e.g. nets['a'].median < nets['b'].median; "
                              f"got {check!r}.")
    if not check:
        raise _ClaimAt(_template_line()[1], text, check)
    return text


def macros(env: SandboxedEnvironment, context: dict) -> dict:
    """The macros of templates/macros.j2 (figure, compare, …), seeing the post's ``context``."""
    module = env.get_template("macros.j2").make_module(vars=context)
    return {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}


def render_body(env: SandboxedEnvironment, post, context: dict) -> str:
    """Render one post's body; raise TemplateProblem naming the file and line on any mistake."""
    offset = post.body_line - 1  # template line 1 is this file line
    try:
        template = env.from_string(post.body)
        return template.render(**context)
    except _ClaimAt as failed:
        line = failed.line + offset
        measured = failed.check.text if isinstance(failed.check, Check) else str(failed.check)
        raise ClaimFailed(f"{post.path}:{line}: claim failed: \"{failed.text}\" — the "
                          f"measurements say otherwise: {measured}. Rewrite the claim to match "
                          "the data, or change the experiment.") from None
    except jinja2.TemplateSyntaxError as error:
        line = (error.lineno or 1) + offset
        raise TemplateProblem(f"{post.path}:{line}: template syntax error: {error.message}. "
                              "Check the {{ }} and {% %} on that line.") from None
    except (jinja2.UndefinedError, SecurityError, TemplateProblem) as error:
        line = _error_line(error) + offset
        kind = "refused by the sandbox" if isinstance(error, SecurityError) else "undefined"
        hint = _names_hint(context) if kind == "undefined" else (
            "posts may only use the results, helpers and macros they are given")
        raise TemplateProblem(f"{post.path}:{line}: {kind}: {error}. {hint}.") from None
    except (TypeError, ValueError, ZeroDivisionError, KeyError, AttributeError) as error:
        line = _error_line(error) + offset
        raise TemplateProblem(f"{post.path}:{line}: template error: {error}.") from None


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
    return f"Defined here: {names}, data, post, and the helpers {', '.join(sorted(HELPERS))}"
