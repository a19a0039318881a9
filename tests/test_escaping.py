"""The one escaping rule per output (tinynets/escaping.py), with exact expected outputs."""

from __future__ import annotations

from pathlib import Path

import markupsafe
import pytest

from tinynets import escaping
from tinynets.pages.templating import environment

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("say \"hi\" and 'bye'", "say &#34;hi&#34; and &#39;bye&#39;"),
    ("Tom & Jerry &amp; co", "Tom &amp; Jerry &amp;amp; co"),
    ("a | b", "a | b"),
    ("cost $\\foo{ 5$ \\back", "cost $\\foo{ 5$ \\back"),
    ("one\n\ntwo\r\n", "one&#10;&#10;two&#13;&#10;"),
    ("שלום عالم 1×60", "שלום عالم 1×60"),
    (0.01, "0.01"),
])
def test_html_escapes_markup_quotes_ampersands_and_line_breaks(text, expected):
    escaped = escaping.html(text)
    assert str(escaped) == expected
    assert isinstance(escaped, markupsafe.Markup)


def test_html_never_escapes_twice():
    once = escaping.html("a & <b>")
    assert escaping.html(once) == once == "a &amp; &lt;b&gt;"
    assert str(markupsafe.escape(once)) == "a &amp; &lt;b&gt;"


def test_figure_text_is_one_line_and_keeps_every_other_character():
    assert escaping.figure_text("cost $\\foo{ 5$\n\n  per\tepoch ") == "cost $\\foo{ 5$ per epoch"
    assert escaping.figure_text("<b>&amp;</b> | 'q'") == "<b>&amp;</b> | 'q'"
    assert escaping.figure_text(60) == "60"


def test_matplotlib_rule_is_in_force_for_every_figure():
    from matplotlib import rcParams

    from tinynets.media import canvas

    assert escaping.MATPLOTLIB_RC == {"text.parse_math": False}
    assert canvas.RC["text.parse_math"] is False and rcParams["text.parse_math"] is False


def test_page_meta_escapes_what_mkdocs_writes_raw():
    meta = {"title": "<i>x</i> & y", "description": "\"quoted\"", "date": "2026-11-30",
            "categories": ["Notes"], "draft": False}
    assert escaping.page_meta(meta) == {
        "title": "&lt;i&gt;x&lt;/i&gt; &amp; y", "description": "&#34;quoted&#34;",
        "date": "2026-11-30", "categories": ["Notes"], "draft": False}
    assert meta["title"] == "<i>x</i> & y"  # the post's own front matter is left alone


def test_html_is_a_filter_and_a_function_in_posts():
    env = environment(REPO / "templates")
    template = env.from_string("{{ label | html }} {{ html(label) }} {{ label | html | html }}")
    assert template.render(label="a<b>&") == "a&lt;b&gt;&amp; a&lt;b&gt;&amp; a&lt;b&gt;&amp;"


def test_page_text_makes_markdown_and_html_characters_references():
    text = "<b>*em* _u_ `c` [l](javascript:x) {: onclick=y } # h | + - = \\ & \"q\" 'a'\n\nx"
    assert str(escaping.page_text(text)) == (
        "&lt;b&gt;&#42;em&#42; &#95;u&#95; &#96;c&#96; &#91;l&#93;(javascript:x) &#123;: "
        "onclick&#61;y &#125; &#35; h &#124; &#43; &#45; &#61; &#92; &amp; &#34;q&#34; &#39;a&#39;"
        "&#10;&#10;x")
    assert escaping.page_text("1×60 ReLU, lr 0.01") == "1×60 ReLU, lr 0.01"
    once = escaping.page_text("a_b")
    assert escaping.page_text(once) == once and isinstance(once, markupsafe.Markup)


def test_a_post_body_writes_every_value_by_the_page_rule_once():
    """Every way a body writes a value: plain, the html and e filters, join, replace, ~, a
    claim-like function's text; a macro's HTML and | safe pass through unescaped."""
    env = environment(REPO / "templates")
    label = "*x* <b>"
    expected = "&#42;x&#42; &lt;b&gt;"
    body = ("{{ label }}|{{ label | html }}|{{ html(label) }}|{{ label | e }}|"
            "{{ label | html | html }}|{{ [label, label] | join(', ') }}|"
            "{{ label | replace('x', 'y') }}|{{ label ~ '!' }}|{{ label | safe }}|"
            "{% macro m() %}<i>{{ label }}</i>{% endmacro %}{{ m() }}")
    assert env.from_string(body).render(label=label).split("|") == [
        expected, expected, expected, expected, expected, f"{expected}, {expected}",
        "&#42;y&#42; &lt;b&gt;", f"{expected}!", label, f"<i>{expected}</i>"]


def test_macros_j2_writes_html_and_escapes_with_html_only():
    """macros.j2 is not autoescaped (it writes HTML, escaping each value with html, and HTML's
    own characters only: Markdown does not read inside its HTML blocks)."""
    env = environment(REPO / "templates")
    env.get_template("macros.j2")  # it compiles under this environment
    assert env.autoescape("macros.j2") is False and env.autoescape(None) is True
    written = env.from_string("{% macro m(x) %}<i>{{ x | html }}</i>{% endmacro %}{{ m(v) }}")
    assert written.render(v="*a* <b>") == "<i>&#42;a&#42; &lt;b&gt;</i>"  # a body's macro
