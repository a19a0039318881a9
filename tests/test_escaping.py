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
