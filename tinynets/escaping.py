"""How author text (net labels, captions, titles, net names) is written into each output.

Author text is text: whatever characters a label holds, a reader sees exactly those characters,
and none of them can change the page or the picture around it. Each output has one rule, here
and nowhere else:

- ``html(text)`` — HTML element text and attribute values, as the macros write them into a
  post's Markdown (see templates/macros.j2, where it is the ``html`` filter).
- ``page_text(text)`` — every ``{{ value }}`` a post's body writes into its Markdown (titles,
  labels, claims, numbers): HTML's and Markdown's characters as character references, so the
  value is text in prose, headings, tables and attributes alike (tinynets.pages.escaped_filters
  makes it the body's autoescape rule; a macro's HTML is Markup and passes through).
- Markdown table cells on pages have no rule of their own: ``results_table`` writes an HTML
  ``<table>`` (see ``html`` below for why), so the HTML rule covers it.
- ``page_meta(meta)`` — a post's front matter as handed to MkDocs, which writes the title and
  description into its pages as they are: the HTML rule applied to those keys.
- ``figure_text(text)`` and ``MATPLOTLIB_RC`` — text that matplotlib draws into a figure
  (labels, titles, legends); tinynets.media.render applies both.
- ``markdown_text(text)`` — text in the Markdown that ``tinynets diff --markdown`` writes for a
  GitHub job summary (table cells and headings): tinynets.diff applies it to every cell.
- ``terminal_line(text)`` — text in a line ``tinynets diff`` prints: one finding, one line.

>>> str(html('<script>alert("x")</script> & more'))
'&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more'
>>> figure_text("cost $\\\\foo{ 5$\\n  per  epoch")
'cost $\\\\foo{ 5$ per epoch'
"""

from __future__ import annotations

import re

import markupsafe

from tinynets import glyphs

# Matplotlib settings that make it draw text literally; tinynets.media.render merges them into
# the settings of every figure. Each Text reads this when it is created, so it must be set
# before any figure is made (render.py does so on import).
MATPLOTLIB_RC = {"text.parse_math": False}  # "$x$" is two dollars and an x, not mathematics

# Line breaks as character references: Markdown ends a raw HTML block at a blank line, so a
# caption holding "\n\n" would otherwise let the rest of the figure be read as Markdown.
_LINE_BREAKS = str.maketrans({"\n": "&#10;", "\r": "&#13;"})


def html(text) -> markupsafe.Markup:
    """``text`` escaped once for HTML: as element text or a (double- or single-quoted) attribute.

    ``& < > " '`` become character references, and so do line breaks (see above), so the text
    can sit inside an HTML block of a Markdown page without ending it. The result is
    ``Markup``: escaping it again returns it unchanged, so text can never be escaped twice.
    Markup is also what an author gets from Jinja's ``| safe``: writing ``caption="<b>x</b>" |
    safe`` is an explicit request for raw HTML, as an author could write in the Markdown itself.

    Why the results table is HTML and not a Markdown table: a Markdown table cell would need its
    own rule (``|`` ends the cell, and ``*``, ``_``, backticks, ``[…](…)``, ``<…>`` and ``&…;``
    are read as Markdown and HTML, differently under each extension), and still could not hold
    a line break. An HTML block is passed through by Markdown untouched, so one rule, this one,
    covers every cell.

    >>> str(html("1×60 ReLU, SGD"))
    '1×60 ReLU, SGD'
    >>> str(html("&amp; | 'quoted'"))
    '&amp;amp; | &#39;quoted&#39;'
    >>> html(html("a & b")) == html("a & b")
    True
    """
    if isinstance(text, markupsafe.Markup):
        return text
    return markupsafe.Markup(str(markupsafe.escape(str(text))).translate(_LINE_BREAKS))


# Characters Markdown (Python-Markdown with this site's extensions) reads as syntax: emphasis and
# code (* _ `), links, images and footnotes ([ ]), attribute lists, which can add any
# attribute to an element ({ }), headings (#), table cells (|), list items, rules and setext
# headings at the start of a line (+ - =), and backslash escapes (\) become numeric character
# references, which Markdown leaves alone and every browser shows as the character; HTML's own
# characters and line breaks are written as ``html`` writes them.
_PAGE_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
                            **{character: f"&#{ord(character)};"
                               for character in "\n\r\\`*_[]{}#|+-="}})


def page_text(text) -> markupsafe.Markup:
    r"""``text`` as a post's template writes it into the page's Markdown: it reads exactly as
    ``text``, whatever it holds, and can start no element, link, heading, emphasis or table cell.

    This is what ``{{ value }}`` writes in a post's body (Jinja's autoescape, with this as the
    rule: see ``tinynets.pages.escaped_filters``). HTML's characters and Markdown's become
    numeric character references, so the same text is also safe in an attribute an author
    writes (``<span title="{{ net.label }}">``). Markup (a macro's HTML, or ``| safe``) is left
    as it is, so nothing is escaped twice. Inside a Markdown code span references show as
    written (Markdown does not decode them there): write values in ``<code>{{ … }}</code>``.

    >>> str(page_text("*1×60* [x](javascript:y) <b>"))
    '&#42;1×60&#42; &#91;x&#93;(javascript:y) &lt;b&gt;'
    >>> page_text(page_text("a_b")) == page_text("a_b")
    True
    """
    if isinstance(text, markupsafe.Markup):
        return text
    return markupsafe.Markup(str(text).translate(_PAGE_TEXT))


# Front matter keys that MkDocs and Material write into the page as HTML without escaping them
# (<title>, <meta name="description">, the header, the navigation, the blog index, the post's
# <h1>), so the build hands them over escaped; the social card's alt text (net labels in it) is
# handled as the title and description are by templates/overrides/main.html.
PAGE_META_HTML = ("title", "description", "social_image_alt")


def page_meta(meta: dict) -> dict:
    """A post's front matter as MkDocs must be given it: ``PAGE_META_HTML`` keys escaped.

    >>> page_meta({"title": "Tom & Jerry <3", "date": "2026-11-30"})
    {'title': 'Tom &amp; Jerry &lt;3', 'date': '2026-11-30'}
    """
    return {key: str(html(value)) if key in PAGE_META_HTML and isinstance(value, str) else value
            for key, value in meta.items()}


def figure_text(text) -> str:
    """``text`` as matplotlib must be given it to draw it literally, on one line.

    Matplotlib would read ``$…$`` as mathematics (an unbalanced ``$`` or an unknown command
    stops the render): that is switched off for every figure by ``MATPLOTLIB_RC`` above, so
    dollars and backslashes need no escaping here. What remains
    is layout: a label is one line (line breaks and runs of spaces become one space), because
    each figure reserves one line for it; and the font: a character it has no glyph for (an
    emoji) is left out, not drawn as an empty box (``glyphs``; the build notes it once).

    >>> figure_text("two\\nlines")
    'two lines'
    >>> figure_text("fast 🚀 net")
    'fast net'
    """
    text = str(text)
    left_out = glyphs.missing(text)
    if left_out:
        text = "".join(character for character in text if character not in left_out)
    return re.sub(r"\s+", " ", text).strip()


# Every ASCII punctuation character: CommonMark makes any of them literal after a backslash.
_MARKDOWN_PUNCTUATION = {ord(character): "\\" + character
                         for character in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def markdown_text(text) -> str:
    r"""``text`` as Markdown that reads exactly as ``text``, on one line, safe in a table cell.

    Every ASCII punctuation character gets a backslash (CommonMark: a backslash before any
    ASCII punctuation makes it a literal character), so ``*``, ``_``, backticks, ``[…](…)``,
    ``<script>``, ``&amp;``, ``$…$`` (GitHub's mathematics) and ``:emoji:`` stay text, and ``|``
    cannot end a GFM table cell (``\|`` is the table extension's own escape for it). Line
    breaks and other white space become one space: a table row is one line. (GitHub still turns
    ``@name`` into a profile link after rendering; escaping cannot prevent that, and a job
    summary notifies no one.)

    >>> markdown_text("a|b *c* <script>")
    'a\\|b \\*c\\* \\<script\\>'
    >>> markdown_text("1×60 ReLU\nSGD")
    '1×60 ReLU SGD'
    """
    return re.sub(r"\s+", " ", str(text)).strip().translate(_MARKDOWN_PUNCTUATION)


def terminal_line(text) -> str:
    r"""``text`` on one line of a terminal or CI log: line breaks and other control characters
    (which could move the cursor or colour the log) are shown as escapes, not obeyed.

    >>> terminal_line("two\nlines \x1b[31mred")
    'two\\nlines \\x1b[31mred'
    """
    return "".join(character if character.isprintable() else
                   character.encode("unicode_escape").decode("ascii")
                   for character in str(text))
