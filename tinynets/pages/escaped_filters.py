"""Post bodies are autoescaped with the page rule (``escaping.page_text``); macros.j2 is not.

A post body is rendered with Jinja's autoescape on: every ``{{ value }}`` that is not Markup
(a macro's HTML, ``| safe``) is written by ``escaping.page_text``, so a label, a title, a claim
or a caption reads as its text wherever the template puts it. Jinja's own autoescape would escape
only HTML's characters (its ``escape`` cannot be swapped per environment), so ``finalize`` applies
the page rule first, and the filters that escape their input themselves under autoescape
(``replace``, ``join``, ``e`` / ``escape``, and ours, ``html``) do the same. templates/macros.j2
is not autoescaped: it writes HTML and escapes each value with ``html`` where it writes it, and
what a macro returns to a post is Markup, never escaped again.

>>> from tinynets.pages.sandbox import PostEnvironment
>>> env = PostEnvironment(autoescape=is_post_body)
>>> install(env)
>>> env.from_string("{{ label }} {{ label | html }} {{ [label, 1] | join(' | ') }}").render(
...     label="*a* <b>")
'&#42;a&#42; &lt;b&gt; &#42;a&#42; &lt;b&gt; &#42;a&#42; &lt;b&gt; &#124; 1'
"""

from __future__ import annotations

from jinja2 import pass_eval_context
from jinja2.filters import do_join, do_replace, make_attrgetter

from tinynets.escaping import html, page_text


def is_post_body(name: str | None) -> bool:
    """Jinja's ``autoescape`` setting: post bodies are compiled without a name, macros.j2 with
    one."""
    return name is None


@pass_eval_context
def finalize(eval_context, value):
    """What ``{{ value }}`` writes: the page rule in an autoescaped body (Markup stays)."""
    return page_text(value) if eval_context.autoescape else value


@pass_eval_context
def escape_text(eval_context, value):
    """``| html`` (and ``| e``): the page rule in a post body, where it changes nothing; the HTML
    rule in macros.j2, which writes HTML."""
    return page_text(value) if eval_context.autoescape else html(value)


@pass_eval_context
def replace(eval_context, value, old, new, count=None):
    """Jinja's ``replace``, on the text itself before it is escaped (replacing in escaped text
    would also replace inside character references)."""
    if eval_context.autoescape and not hasattr(value, "__html__"):
        return page_text(str(value).replace(str(old), str(new), -1 if count is None else count))
    return do_replace(eval_context, value, old, new, count)


@pass_eval_context
def join(eval_context, value, separator="", attribute=None):
    """Jinja's ``join``, each item and the separator written by the page rule in a body."""
    if not eval_context.autoescape:
        return do_join(eval_context, value, separator, attribute)
    if attribute is not None:
        value = map(make_attrgetter(eval_context.environment, attribute), value)
    return page_text(separator).join(page_text(item) for item in value)


def install(env) -> None:
    """Make ``env`` (with ``autoescape=is_post_body``) write post bodies by the page rule."""
    env.finalize = finalize
    env.filters.update({"html": escape_text, "e": escape_text, "escape": escape_text,
                        "replace": replace, "join": join})
    env.globals["html"] = escape_text
