"""Author text is text: hostile labels, captions and titles through every macro and figure.

A real site is built from a post whose nets, captions and title hold markup, quotes, ``&`` and
``&amp;``, ``|``, ``$…$`` (balanced and broken mathtext), backslashes, line breaks, Markdown
(emphasis, links to ``javascript:``, attribute lists, headings), a 200-character label and
right-to-left text, and whose author's name and description do too. Every value goes through
the macros and is also written by the template itself: in prose, a heading, an attribute, a claim
and a Markdown table. The built HTML is parsed: every value must come out exactly as the author
wrote it (escaped once, so the parser gives back the literal text), no markup from it may become
an element or a link, and every figure must have been rendered. The feed, the link-preview tags
and a figure data file's header hold the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import (CHROMIUM, CHROMIUM_ARGS, Document, SiteServer, html_pages,
                             page_url, require_browser, resolve)
from support import make_project, run_build

SCRIPT = "<script>alert(1)</script> \"double\" 'single'"
AMPERSANDS = "Tom & Jerry &amp; co | pipe $x$ שלום عالم"
LONG = ("A very long label " * 12)[:200]
MATH = "cost $\\foo{ 5$\n\nafter a blank line \\back\\slash"
MARKDOWN = "*emphasis* _under_ `code` [link](javascript:alert(3)) {: onclick=alert(4) } # h"
LABELS = {"script": SCRIPT, "amp": AMPERSANDS, "long": LONG, "math": MATH, "markdown": MARKDOWN}
TITLE = "<script>alert(\"title\")</script> Tom & Jerry's \"post\" &amp; | $x$ *not em*"
AUTHOR = {"name": "<script>alert('author')</script> *Tom* & co",
          "description": "\"><img src=x onerror=alert(5)> [site](javascript:alert(6))"}
SITE_URL = "https://example.org/tinynets/"
DESCRIPTION = "\"><script>alert('description')</script> & &amp;"
CAPTION = "<script>alert(\"caption\")</script> Tom & Jerry's &amp; | $x$\n\nafter a blank line"


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _jinja_string(text: str) -> str:
    """A Jinja string literal holding ``text`` exactly (Jinja unescapes like Python)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _post() -> str:
    nets = "\n".join(
        f"  {name}: {{label: {_yaml_string(label)}, layers: [4], optimizer: adam, "
        f"learning_rate: 0.01, epochs: {1000 if name == 'script' else 20}}}"
        for name, label in LABELS.items())
    calls = "\n\n".join(
        [f"{{{{ figure(nets['{name}'], caption=caption) }}}}\n\n{{{{ loss_plot(nets['{name}']) }}}}"
         for name in LABELS]
        + [f"{{{{ figure(nets['{name}'], caption=caption, units=true) }}}}\n\n"
           f"{{{{ network(nets['{name}'], caption=caption) }}}}\n\n"
           f"{{{{ loss_plot(nets['{name}'], errors=true) }}}}" for name in LABELS]
        + ["{{ compare(nets.values()) }}", "{{ comparison(caption=caption) }}",
           "{{ comparison_losses(caption=caption) }}", "{{ results_table(nets.values()) }}"])
    plain = "\n\n".join(
        f"Plain label: {{{{ nets['{name}'].label }}}}\n\n"
        f"Attribute: <span class=\"attribute\" title=\"{{{{ nets['{name}'].label }}}}\">{name}"
        f"</span>\n\n"
        f"Claim: {{{{ claim(nets['{name}'].label ~ ' trains', nets['{name}'].median < 1000) }}}}"
        for name in LABELS)
    table = "\n".join(f"| {name} | {{{{ nets['{name}'].label }}}} |" for name in LABELS)
    return f"""---
title: {_yaml_string(TITLE)}
description: {_yaml_string(DESCRIPTION)}
date: 2026-11-02
authors: [tinynets]
categories: [Fixtures]
data: {{function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 40, noise: 0.1, seed: 0}}
nets:
{nets}
seeds: 3
frames: {{count: 6}}
---

# {{{{ post.title }}}}

Hostile text through every macro.

<!-- more -->

{{% set caption = {_jinja_string(CAPTION)} %}}

{plain}

| Net | Label |
|---|---|
{table}

Joined: {{{{ nets.values() | map(attribute='label') | join(' / ') }}}}

Replaced: {{{{ nets['markdown'].label | replace('emphasis', 'strong') }}}}

{calls}

The noise floor is {{{{ data.noise_floor | plain }}}}.
"""


def _built_with(tmp_path_factory, slug: str, text: str, keep: tuple[str, ...],
                more: dict[str, str] | None = None) -> Path:
    """The fixture project with only the fixture posts ``keep``, the post ``slug`` and the
    files ``more`` (paths under content/), built, with a hostile author and a site_url (so the
    feed is written)."""
    root = make_project(tmp_path_factory.mktemp(slug) / "project", posts=keep)
    (root / "content" / "posts" / f"{slug}.md").write_text(text, encoding="utf-8")
    for relative, content in (more or {}).items():
        (root / "content" / relative).write_text(content, encoding="utf-8")
    (root / "content" / "authors.yml").write_text(
        "authors:\n  tinynets:\n" + "".join(f"    {key}: {_yaml_string(value)}\n"
                                             for key, value in AUTHOR.items())
        + "    avatar: assets/avatar.svg\n", encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nsite_url: {SITE_URL}\n")
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The fixture project with only the hostile post, built."""
    return _built_with(tmp_path_factory, "hostile", _post(), keep=())


@pytest.fixture(scope="module")
def site(hostile) -> Path:
    return hostile / "build" / "site"


@pytest.fixture(scope="module")
def raw(site) -> str:
    return (site / "hostile" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(raw) -> Document:
    return Document(raw)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_no_markup_from_labels_or_captions_becomes_an_element(page):
    scripts = [element.text for element in page.find("script")
               if "alert(1)" in element.text or "caption" in element.text]
    assert scripts == []
    article = next(e for e in page.elements if e.tag == "article")
    # (the <h1> is the theme's, from the post's title: see test_post_title_is_text_…; the
    # <details> is "How this page was made", pages/provenance.py)
    made = {e.tag for e in page.descendants(article) if "h1" not in e.ancestors}
    # Only the elements the macros write (and the theme's heading): nothing from the text, and
    # no Markdown ran over it either (no <em>, <code>, <p> inside a figure, <br>, …).
    assert made <= {"h1", "p", "figure", "video", "img", "figcaption", "strong", "a", "div",
                    "button", "input", "output", "table", "thead", "tbody", "tr", "th", "td",
                    "span", "nav", "ul", "li", "time", "aside", "hr", "svg", "path", "small",
                    "caption", "details", "summary"}, made
    assert "script" not in made and "em" not in made and "code" not in made
    assert [e.tag for e in page.elements if "h1" in e.ancestors and e.tag != "a"] == []
    assert len(page.find("h1")) == 1  # '# h' in a label made no heading


def _no_live_attributes(document: Document) -> None:
    """No link to javascript: and no event handler anywhere (from Markdown's links and
    attribute lists, or an attribute the text broke out of)."""
    for element in document.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name, value)
            assert not str(value or "").strip().lower().startswith("javascript:"), \
                (element.tag, name, value)


def test_no_link_or_event_handler_comes_from_the_text(page):
    _no_live_attributes(page)


def _paragraph(document: Document, prefix: str) -> list[str]:
    return [e.text for e in document.find("p") if e.text.startswith(prefix)]


def test_the_template_writes_front_matter_text_literally_wherever_it_puts_it(page):
    """``{{ nets['n'].label }}`` in prose, in an attribute the author writes, in a claim and in a
    Markdown table; ``{{ post.title }}`` as the heading; join and replace of labels."""
    heading = page.find("h1")[0].text.replace("¶", "").strip()
    assert heading == TITLE
    for name, label in LABELS.items():
        assert f"Plain label: {label}" in _paragraph(page, "Plain label: ")
        span = next(e for e in page.find("span") if e.attrs.get("class") == "attribute"
                    and e.text == name)
        assert span.attrs["title"] == label
        # the claim as written, then its mark (pages/claims.py ClaimMark)
        assert f"Claim: {label} trains (checked on 3 shown and 3 replication seeds)✓ 3+3" in \
            _paragraph(page, "Claim: ")
    table = next(e for e in page.find("table") if "data-tn-results" not in e.attrs)
    cells = [[c.text for c in page.children(row)] for row in page.descendants(table)
             if row.tag == "tr" and page.enclosing(row, "tbody") is not None]
    # (a table cell's edges are trimmed, as for any Markdown table: the long label ends in ' ')
    assert cells == [[name, label.strip()] for name, label in LABELS.items()]
    assert _paragraph(page, "Joined: ") == ["Joined: " + " / ".join(LABELS.values())]
    assert _paragraph(page, "Replaced: ") == \
        ["Replaced: " + MARKDOWN.replace("emphasis", "strong")]


def _authors(document: Document) -> list:
    return [e for e in document.elements if "md-author" in e.attrs.get("class", "")]


def test_the_author_name_and_description_are_text(site):
    """content/authors.yml reaches the theme, which writes names and descriptions unescaped:
    they are handed over escaped, like the title."""
    post = Document((site / "hostile" / "index.html").read_text("utf-8"))
    index = Document((site / "index.html").read_text("utf-8"))
    for document in (post, index):
        assert [e.text for e in document.find("script") if "alert" in e.text] == []
        _no_live_attributes(document)
        pictures = [e for author in _authors(document) for e in document.descendants(author)
                    if e.tag == "img"]
        assert pictures and {e.attrs["alt"] for e in pictures} == {AUTHOR["name"]}
    profile = next(e for e in post.elements
                   if "md-profile__description" in e.attrs.get("class", ""))
    assert next(e for e in post.descendants(profile) if e.tag == "strong").text.strip() == \
        AUTHOR["name"]
    assert " ".join(profile.text.split()).endswith(" ".join(AUTHOR["description"].split()))
    assert [e.tag for e in post.descendants(profile)] == ["strong", "br"]


def test_the_feed_and_link_previews_hold_the_literal_text(site):
    from xml.etree import ElementTree

    feed = ElementTree.parse(site / "feed.xml").getroot()
    item = next(i for i in feed.iter("item") if i.findtext("link").endswith("/hostile/"))
    assert item.findtext("title") == TITLE
    # the description, then the line of "How this page was made" (pages/provenance.py)
    description, made = item.findtext("description").split("\n\n")
    assert description == DESCRIPTION and made.startswith("How this page was made: ")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == AUTHOR["name"]
    post = Document((site / "hostile" / "index.html").read_text("utf-8"))
    tags = {e.attrs.get("property") or e.attrs.get("name"): e.attrs.get("content")
            for e in post.find("meta")}
    assert tags["og:title"] == tags["twitter:title"] == TITLE
    assert tags["og:description"] == tags["twitter:description"] == DESCRIPTION
    assert tags["og:image:alt"] == tags["twitter:image:alt"]
    assert tags["og:image:alt"].startswith(f"The {SCRIPT} net (")


def test_a_figure_data_header_holds_every_label_as_it_is():
    """Figure data files carry labels in a JSON header, which the browser writes as text."""
    import numpy as np

    from tinynets.media import figure_data

    nets = [figure_data.NetFigureData(
        name=name, label=label, color="#0072B2", seeds=(0, 1), shown_seed=1,
        frame_epochs=np.array([0, 10]), grid=np.linspace(-1, 1, 5),
        predictions=np.zeros((2, 2, 5)), losses=np.full((10, 2), 0.5),
        points_x=np.array([0.0]), points_y=np.array([0.1]), truth=None, noise_floor=0.01)
        for name, label in {**LABELS, "title": TITLE, "author": AUTHOR["name"]}.items()]
    decoded = figure_data.read(figure_data.encode(nets))
    assert [net.label for net in decoded.nets] == [net.label for net in nets]


def test_the_index_card_states_its_figures_description_literally(site):
    """The hero on the blog index carries the social card's alt text, escaped once (the build
    hands it to the theme escaped; the card partial must not escape it again)."""
    index = Document((site / "index.html").read_text(encoding="utf-8"))
    heroes = [e for e in index.find("img") if e.parent is not None
              and index.elements[e.parent].attrs.get("class") == "tn-card__hero"]
    assert len(heroes) == 1
    post = Document((site / "hostile" / "index.html").read_text("utf-8"))
    card = next(e for e in post.find("meta") if e.attrs.get("property") == "og:image:alt")
    assert heroes[0].attrs["alt"] == card.attrs["content"]
    assert heroes[0].attrs["alt"].startswith(f"The {SCRIPT} net (")
    assert not [e for e in index.find("script") if "alert(1)" in e.text]


def test_figures_state_every_label_and_caption_literally(page):
    for name, label in LABELS.items():
        figure = next(e for e in page.find("figure") if e.attrs.get("id") == f"figure-{name}")
        video = next(e for e in page.descendants(figure) if e.tag == "video")
        image = next(e for e in page.descendants(figure) if e.tag == "img")
        assert f"Animation of the {label} net (" in video.attrs["aria-label"]
        assert image.attrs["alt"] == video.attrs["aria-label"]
        caption = next(e for e in page.descendants(figure) if e.tag == "figcaption")
        assert caption.text.startswith(CAPTION + " ")
        strong = next(e for e in page.descendants(caption) if e.tag == "strong")
        assert strong.text == label

        plot = next(e for e in page.find("figure") if e.attrs.get("id") == f"loss-{name}")
        plot_image = next(e for e in page.descendants(plot) if e.tag == "img")
        assert plot_image.attrs["alt"].startswith(f"Training error of the {label} net over ")
        plot_caption = next(e for e in page.descendants(plot) if e.tag == "strong")
        assert plot_caption.text == label


def test_inside_figures_state_every_label_and_caption_literally(page):
    """figure(units=true), network() and loss_plot(errors=…) follow the same rule."""
    for name, label in LABELS.items():
        for prefix, alt_start in (("units", f"Animation of the {label} net ("),
                                  ("network", f"Animated diagram of the {label} net (")):
            figure = next(e for e in page.find("figure") if e.attrs.get("id") == f"{prefix}-{name}")
            video = next(e for e in page.descendants(figure) if e.tag == "video")
            assert video.attrs["aria-label"].startswith(alt_start), prefix
            caption = next(e for e in page.descendants(figure) if e.tag == "figcaption")
            assert caption.text.startswith(CAPTION + " ")
            assert next(e for e in page.descendants(caption) if e.tag == "strong").text == label
        plot = next(e for e in page.find("figure") if e.attrs.get("id") == f"errors-{name}")
        image = next(e for e in page.descendants(plot) if e.tag == "img")
        assert image.attrs["alt"].startswith(f"Median training error of the {label} net over ")
        assert next(e for e in page.descendants(plot) if e.tag == "strong").text == label


def test_compare_and_comparisons_state_labels_and_captions_literally(page):
    group = next(e for e in page.elements if "data-tn-compare" in e.attrs)
    assert group.attrs["aria-label"] == f"Compare {', '.join(LABELS.values())} at the same epoch"
    names = [e.text for e in page.descendants(group) if e.tag == "strong"]
    assert names == list(LABELS.values())
    for identifier in ("comparison", "losses"):
        figure = next(e for e in page.find("figure") if e.attrs.get("id") == identifier)
        caption = next(e for e in page.descendants(figure) if e.tag == "figcaption")
        assert caption.text.startswith(CAPTION + " ")


def test_results_table_keeps_one_cell_per_column_and_literal_labels(page):
    table = next(e for e in page.find("table") if "data-tn-results" in e.attrs)
    header = next(e for e in page.descendants(table) if e.tag == "tr")
    columns = sum(int(e.attrs.get("colspan", 1)) for e in page.children(header))
    rows = [e for e in page.descendants(table) if e.tag == "tr"
            and page.enclosing(e, "tbody") is not None]
    assert columns == 10 and len(rows) == len(LABELS)
    for row, label in zip(rows, LABELS.values()):
        cells = [e for e in page.children(row) if e.tag in ("td", "th")]
        assert len(cells) == columns
        assert cells[0].text == label
        assert {e.tag for e in page.descendants(row)} <= {"td", "strong"}  # no Markdown ran


def test_ampersands_are_escaped_exactly_once(raw):
    # The label '&amp;' must reach the page as '&amp;amp;' (shown as '&amp;'): never left as
    # '&amp;' (shown as '&') and never escaped twice ('&amp;amp;amp;', shown as '&amp;amp;').
    assert "&amp;amp;amp;" not in raw
    assert raw.count("Tom &amp; Jerry &amp;amp; co") >= 4 + 1 + 1 + 1  # figure, compare, table
    assert "Tom & Jerry &amp; co" not in raw
    # the caption: a figure, a units figure and a network diagram per net, and 2 comparisons
    assert raw.count("Tom &amp; Jerry&#39;s &amp;amp; | $x$&#10;&#10;after") == 3 * len(LABELS) + 2
    assert "Jerry's &amp; | $x$" not in raw


def test_numbers_in_alt_texts_read_as_in_prose(page):
    figure = next(e for e in page.find("figure") if e.attrs.get("id") == "figure-script")
    video = next(e for e in page.descendants(figure) if e.tag == "video")
    alt = video.attrs["aria-label"]
    assert "over 1,000 epochs" in alt and "learning rate 0.01)" in alt
    assert "noise floor of 0.01." in alt
    plot = next(e for e in page.find("figure") if e.attrs.get("id") == "loss-script")
    plot_alt = next(e for e in page.descendants(plot) if e.tag == "img").attrs["alt"]
    assert "over 1,000 epochs" in plot_alt and plot_alt.endswith("the noise floor is 0.01.")
    assert "The noise floor is 0.01." in _one_line(page.elements[0].text)


def test_every_figure_was_rendered(site, page):
    seen = 0
    for element in page.elements:
        for name in ("src", "poster", "href"):
            value = element.attrs.get(name, "")
            if not re.search(r"\.(webm|gif|png|svg)$", value):
                continue
            target = resolve(site, "/hostile/", value)
            if target is None or "assets" in value:
                continue
            file = target[0]
            assert file.is_file() and file.stat().st_size > 0, value
            seen += 1
    # per net: webm, poster, gif (twice: figure and compare), loss svg and png; plus comparisons
    assert seen >= 4 * 6 + 6


def test_post_title_is_text_in_mkdocs_output(site):
    """MkDocs and Material write a post's title into the page as HTML, unescaped: the build
    must hand it to them escaped, so every place shows the literal title."""
    pages = {page_url(site, file): file.read_text(encoding="utf-8") for file in html_pages(site)}
    post, index = Document(pages["/hostile/"]), Document(pages["/"])
    title = next(e for e in post.find("title"))
    assert title.text.startswith(TITLE)
    heading = next(e for e in post.find("h1"))  # the post's own, with its permalink
    assert heading.text.replace("¶", "").strip() == TITLE
    description = next(e for e in post.find("meta") if e.attrs.get("name") == "description")
    assert description.attrs["content"] == DESCRIPTION
    for document in (post, index):
        assert [e.text for e in document.find("script") if "alert" in e.text] == []
    shown = [e for e in index.elements if e.tag in ("a", "h2", "h1") and TITLE in e.text]
    assert shown, "the blog index shows the title as text"
    # the header names the page (Material lists blog posts on the index, not in the nav)
    in_header = [e for e in post.elements if "md-header__topic" in e.attrs.get("class", "")
                 and TITLE in e.text]
    assert in_header, "the header names the post by its literal title"


@pytest.mark.browser
def test_results_table_fits_the_desktop_column(site):
    """On a 1280-px desktop the whole table is visible (the label column wraps, even a
    200-character label); on a phone the table may scroll, but the page does not."""
    sync_playwright = require_browser()
    measure = """() => {
        const table = document.querySelector("table[data-tn-results]");
        const scroller = table.closest(".md-typeset__scrollwrap") || table.parentElement;
        const article = document.querySelector(".md-content__inner");
        return {table: table.getBoundingClientRect().right,
                column: article.getBoundingClientRect().right,
                scroll: [scroller.scrollWidth, scroller.clientWidth],
                page: [document.documentElement.scrollWidth, document.documentElement.clientWidth]};
    }"""
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            desktop = browser.new_page(viewport={"width": 1280, "height": 900})
            desktop.goto(server.url("hostile/"), wait_until="load")
            width = desktop.evaluate(measure)
            assert width["scroll"][0] <= width["scroll"][1], width  # nothing behind a scrollbar
            assert width["table"] <= width["column"] + 0.5, width
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(server.url("hostile/"), wait_until="load")
            width = phone.evaluate(measure)
            assert width["page"][0] <= width["page"][1], width
        finally:
            browser.close()


def _plane_post() -> str:
    """The same hostile labels and caption on data on the plane (the 2-D figures)."""
    nets = "\n".join(
        f"  {name}: {{label: {_yaml_string(label)}, layers: [4], optimizer: adam, "
        f"learning_rate: 0.05, epochs: 10}}" for name, label in LABELS.items())
    calls = "\n\n".join(
        [f"{{{{ figure(nets['{name}'], caption=caption) }}}}\n\n{{{{ loss_plot(nets['{name}']) }}}}"
         for name in LABELS]
        + ["{{ compare(nets.values()) }}", "{{ comparison(caption=caption) }}",
           "{{ comparison_losses(caption=caption) }}", "{{ results_table(nets.values()) }}"])
    return f"""---
title: {_yaml_string(TITLE)}
date: 2026-11-03
authors: [tinynets]
data: {{function: xor, points: 80, seed: 0}}
nets:
{nets}
seeds: 2
frames: {{count: 5}}
---

Hostile text on the plane.

{{% set caption = {_jinja_string(CAPTION)} %}}

{calls}
"""


@pytest.fixture(scope="module")
def plane_page(tmp_path_factory) -> Document:
    root = _built_with(tmp_path_factory, "plane-hostile", _plane_post(), keep=("notes",))
    site = root / "build" / "site"
    html = (site / "plane-hostile" / "index.html").read_text(encoding="utf-8")
    for name in LABELS:  # every 2-D figure was drawn with the hostile label
        for suffix in (".webm", ".gif", ".png", "-loss.svg"):
            assert (site / "media" / "plane-hostile" / f"{name}{suffix}").stat().st_size > 0
    return Document(html)


def test_plane_figures_and_macros_treat_labels_as_text(plane_page):
    assert [e for e in plane_page.find("script") if "alert" in e.text] == []
    shown = [e.text for e in plane_page.find("strong")]  # figure and compare captions
    for label in LABELS.values():
        assert label in shown, label
    table = next(e for e in plane_page.find("table") if "data-tn-results" in e.attrs)
    rows = [e for e in plane_page.descendants(table) if e.tag == "tr"
            and plane_page.enclosing(e, "tbody") is not None]
    assert [next(c for c in plane_page.children(row) if c.tag in ("td", "th")).text
            for row in rows] == list(LABELS.values())


# ----------------------------------------------------------------------------- sweeps

SWEEP_LABELS = {"grid": f"{SCRIPT} {AMPERSANDS}", "line": f"{MATH} {LONG}"}


def _sweep_post() -> str:
    """Hostile sweep labels and captions through sweep_heatmap, sweep_plot, sweep_grid, and a
    cell shown on its own (figure, loss_plot)."""
    calls = "\n\n".join(
        f"{{{{ sweep_heatmap(sweeps['{name}'], caption=caption) }}}}\n\n"
        f"{{{{ sweep_plot(sweeps['{name}'], caption=caption) }}}}\n\n"
        f"{{{{ sweep_grid(sweeps['{name}'], caption=caption) }}}}" for name in SWEEP_LABELS)
    return f"""---
title: {_yaml_string(TITLE)}
date: 2026-11-04
authors: [tinynets]
data: {{function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 40, noise: 0.1, seed: 0}}
seeds: 2
frames: {{count: 5}}
sweeps:
  grid:
    label: {_yaml_string(SWEEP_LABELS["grid"])}
    net: {{optimizer: adam, epochs: 20}}
    vary: {{layers: [[2], [4]], learning_rate: [0.01, 0.03]}}
  line:
    label: {_yaml_string(SWEEP_LABELS["line"])}
    net: {{optimizer: adam, learning_rate: 0.01, epochs: 20}}
    vary: {{layers: [[2], [4], [6]]}}
---

Hostile text through the sweep macros.

{{% set caption = {_jinja_string(CAPTION)} %}}

{calls}

{{{{ figure(sweeps['grid'].cell(layers=[4], learning_rate=0.03), caption=caption) }}}}

{{{{ loss_plot(cell(sweep='line', layers=[6])) }}}}

Sweep label: {{{{ sweeps['grid'].label }}}}

Sweep label: {{{{ sweeps['line'].label }}}}
"""


# Data from a file whose target column is named with markup and Markdown.
Y_COLUMN = "<y> & *z* [w](javascript:alert(7))"
CSV_POST = f"""---
title: Hostile column names
date: 2026-11-05
authors: [tinynets]
data: {{file: data/hostile.csv, x: x, y: {_yaml_string(Y_COLUMN)}}}
nets:
  a: {{label: {_yaml_string(MARKDOWN)}, layers: [2], optimizer: adam, epochs: 10,
      batch_size: 5}}
seeds: 2
frames: {{count: 4}}
---

Columns: {{{{ data.x_columns | join(", ") }}}} to {{{{ data.y_column }}}} from {{{{ data.file }}}}.

{{{{ figure(nets['a']) }}}}
"""
CSV_FILE = "x," + Y_COLUMN + "\n" + "".join(f"{x},{x * x / 10}\n" for x in range(10))


@pytest.fixture(scope="module")
def sweep_built(tmp_path_factory) -> Path:
    return _built_with(tmp_path_factory, "sweep-hostile", _sweep_post(), keep=("notes",),
                       more={"posts/csv-hostile.md": CSV_POST, "data/hostile.csv": CSV_FILE})


@pytest.fixture(scope="module")
def sweep_raw(sweep_built) -> str:
    return (sweep_built / "build" / "site" / "sweep-hostile" / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def sweep_page(sweep_raw) -> Document:
    return Document(sweep_raw)


def test_sweep_macros_make_no_element_from_labels_or_captions(sweep_page):
    assert [e for e in sweep_page.find("script") if "alert" in e.text] == []
    article = next(e for e in sweep_page.elements if e.tag == "article")
    made = {e.tag for e in sweep_page.descendants(article) if "h1" not in e.ancestors}
    assert made <= {"h1", "p", "figure", "video", "img", "figcaption", "strong", "a", "div",
                    "button", "input", "output", "span", "nav", "ul", "li", "time", "aside",
                    "hr", "svg", "path", "small", "details", "summary"}, made
    assert "script" not in made and "em" not in made and "code" not in made


def test_sweep_figures_state_labels_and_captions_literally(sweep_page):
    def figure(identifier):
        return next(e for e in sweep_page.find("figure") if e.attrs.get("id") == identifier)

    for name, label in SWEEP_LABELS.items():
        keys = "layers × learning rate" if name == "grid" else "layers"
        heatmap = figure(f"sweep-{name}-heatmap")
        alt = next(e for e in sweep_page.descendants(heatmap) if e.tag == "img").attrs["alt"]
        assert alt.startswith(f"Heatmap of the {label} sweep ({keys}): "), alt
        plot = figure(f"sweep-{name}-plot")
        alt = next(e for e in sweep_page.descendants(plot) if e.tag == "img").attrs["alt"]
        assert alt.startswith(f"Final training error of the {label} sweep against layers"), alt
        # the grid's id is its group's (the live figure takes the group's place)
        group = next(e for e in sweep_page.elements if e.attrs.get("id") == f"sweep-{name}-grid")
        assert group.tag == "div" and "data-tn-compare" in group.attrs
        grid = next(e for e in sweep_page.descendants(group) if e.tag == "figure")
        video = next(e for e in sweep_page.descendants(grid) if e.tag == "video")
        cells = 4 if name == "grid" else 3
        assert video.attrs["aria-label"].startswith(
            f"Animation of all {cells} cells of the {label} sweep ({keys}) learning at once")
        image = next(e for e in sweep_page.descendants(grid) if e.tag == "img")
        assert image.attrs["alt"] == video.attrs["aria-label"]
        assert group.attrs["aria-label"] == f"Every cell of the {label} sweep at the same epoch"
        for each in (heatmap, plot, grid):
            caption = next(e for e in sweep_page.descendants(each) if e.tag == "figcaption")
            assert caption.text.startswith(CAPTION + " "), caption.text
    cell = figure("figure-grid[layers=4,learning_rate=0.03]")
    caption = next(e for e in sweep_page.descendants(cell) if e.tag == "figcaption")
    assert caption.text.startswith(CAPTION + " 1×4, lr 0.03: seed ")
    plot = figure("loss-line[layers=6]")
    assert next(e for e in sweep_page.descendants(plot) if e.tag == "img").attrs["alt"] \
        .startswith("Training error of the 1×6 net over 20 epochs")


def test_sweep_text_is_escaped_exactly_once(sweep_raw):
    assert "&amp;amp;amp;" not in sweep_raw
    # the grid sweep's label: heatmap alt, plot alt, group label, video label, GIF alt, the
    # social card's alt text (the grid is the page's first figure: og:image:alt, twitter:…),
    # and the plain text
    assert sweep_raw.count("Tom &amp; Jerry &amp;amp; co") == 5 + 2 + 1
    assert "Tom & Jerry &amp; co" not in sweep_raw
    # the caption: three figures per sweep and the cell's figure
    assert sweep_raw.count("Tom &amp; Jerry&#39;s &amp;amp; | $x$&#10;&#10;after") == 3 * 2 + 1
    assert "Jerry's &amp; | $x$" not in sweep_raw
    # the line sweep's label keeps its blank line as character references, inside attributes
    assert sweep_raw.count("cost $\\foo{ 5$&#10;&#10;after a blank line \\back\\slash ") == 5


def test_every_sweep_figure_was_rendered(sweep_built):
    media = sweep_built / "build" / "site" / "media" / "sweep-hostile"
    for name in SWEEP_LABELS:
        for suffix in ("heatmap.svg", "heatmap.png", "plot.svg", "plot.png", "grid.webm",
                       "grid.gif", "grid.png"):
            assert (media / f"sweep-{name}-{suffix}").stat().st_size > 0, (name, suffix)
    for suffix in (".webm", ".gif", ".png", "-loss.svg"):
        assert (media / f"sweep-grid-cell-3{suffix}").stat().st_size > 0
        assert (media / f"sweep-line-cell-2{suffix}").stat().st_size > 0


def test_sweep_labels_in_plain_text_are_text(sweep_page):
    shown = [e.text for e in sweep_page.find("p") if e.text.startswith("Sweep label: ")]
    assert shown == [f"Sweep label: {label}" for label in SWEEP_LABELS.values()]
    _no_live_attributes(sweep_page)


def test_column_names_from_a_data_file_are_text(sweep_built):
    page = Document((sweep_built / "build" / "site" / "csv-hostile" / "index.html")
                    .read_text("utf-8"))
    assert [e.text for e in page.find("p") if e.text.startswith("Columns: ")] == \
        [f"Columns: x to {Y_COLUMN} from data/hostile.csv."]
    assert [e for e in page.find("script") if "alert" in e.text] == []
    assert [e for e in page.find("em")] == []
    _no_live_attributes(page)
