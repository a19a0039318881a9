"""Author text is text: hostile labels, captions and titles through every macro and figure.

A real site is built from a post whose nets, captions and title hold markup, quotes, ``&`` and
``&amp;``, ``|``, ``$…$`` (balanced and broken mathtext), backslashes, line breaks, a
200-character label and right-to-left text. The built HTML is parsed: every value must come out
exactly as the author wrote it (escaped once, so the parser gives back the literal text), no
markup from it may become an element, and every figure must have been rendered.
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
LABELS = {"script": SCRIPT, "amp": AMPERSANDS, "long": LONG, "math": MATH}
TITLE = "<script>alert(\"title\")</script> Tom & Jerry's \"post\" &amp; | $x$"
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

Hostile text through every macro.

<!-- more -->

{{% set caption = {_jinja_string(CAPTION)} %}}

{calls}

The noise floor is {{{{ data.noise_floor | plain }}}}.
"""


def _built_with(tmp_path_factory, slug: str, text: str, keep: tuple[str, ...]) -> Path:
    """The fixture project with only the fixture posts ``keep`` and the post ``slug``, built."""
    root = make_project(tmp_path_factory.mktemp(slug) / "project", posts=keep)
    (root / "content" / "posts" / f"{slug}.md").write_text(text, encoding="utf-8")
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
    # (the <h1> is the theme's, from the post's title: see test_post_title_is_text_…)
    made = {e.tag for e in page.descendants(article) if "h1" not in e.ancestors}
    # Only the elements the macros write (and the theme's heading): nothing from the text, and
    # no Markdown ran over it either (no <em>, <code>, <p> inside a figure, <br>, …).
    assert made <= {"h1", "p", "figure", "video", "img", "figcaption", "strong", "a", "div",
                    "button", "input", "output", "table", "thead", "tbody", "tr", "th", "td",
                    "span", "nav", "ul", "li", "time", "aside", "hr", "svg", "path", "small"}, made
    assert "script" not in made and "em" not in made and "code" not in made


def test_the_index_card_states_its_figures_description_literally(site, page):
    """The hero on the blog index carries its picture's alt text (the first figure's poster,
    described as the social card describes it), escaped once: read back, it is the text."""
    index = Document((site / "index.html").read_text(encoding="utf-8"))
    heroes = [e for e in index.find("img") if e.parent is not None
              and index.elements[e.parent].attrs.get("class") == "tn-card__hero"]
    assert len(heroes) == 1
    social = next(e for e in page.find("meta") if e.attrs.get("property") == "og:image:alt")
    assert heroes[0].attrs["alt"] == social.attrs["content"]
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
    # the caption: 4 figures, 2 comparisons, 4 units figures, 4 network diagrams
    assert raw.count("Tom &amp; Jerry&#39;s &amp;amp; | $x$&#10;&#10;after") == 4 + 2 + 4 + 4
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
    heading = next(e for e in post.find("h1"))
    assert heading.text.strip() == TITLE
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
"""


@pytest.fixture(scope="module")
def sweep_built(tmp_path_factory) -> Path:
    return _built_with(tmp_path_factory, "sweep-hostile", _sweep_post(), keep=("notes",))


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
                    "hr", "svg", "path", "small"}, made
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
    # the grid sweep's label: heatmap alt, plot alt, group label, video label, GIF alt, and the
    # social card's alt text (the grid is the page's first figure: og:image:alt, twitter:…)
    assert sweep_raw.count("Tom &amp; Jerry &amp;amp; co") == 5 + 2
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
