"""Publishing: site_url from one place, the RSS feed (parsed by a real feed parser), the feed's
discovery link and the social-card tags on the built pages, and the build without site_url.

The fixture project is rebuilt warm (nothing to train or render) with ``TINYNETS_SITE_URL`` set.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops, ImageStat
from browser_support import Document, html_pages
from support import copy_built, run_build

from tinynets.pages import feed, publishing, social

SITE_URL = "https://example.org/tinynets/"


def build_with_site_url(root: Path, url: str, *arguments: str):
    """A build of ``root`` with ``$TINYNETS_SITE_URL`` set to ``url``."""
    before = os.environ.get(publishing.SITE_URL_VARIABLE)
    os.environ[publishing.SITE_URL_VARIABLE] = url
    try:
        return run_build(root, *arguments)
    finally:
        if before is None:
            del os.environ[publishing.SITE_URL_VARIABLE]
        else:
            os.environ[publishing.SITE_URL_VARIABLE] = before


@pytest.fixture(scope="module")
def published(built_project, tmp_path_factory) -> Path:
    """The fixture project rebuilt with a public address (``/tinynets/`` below the host)."""
    root = copy_built(built_project, tmp_path_factory.mktemp("published") / "project")
    result = build_with_site_url(root, SITE_URL.rstrip("/"))  # the slash is added
    assert result.returncode == 0, result.stdout + result.stderr
    assert publishing.missing_note() not in result.stdout
    return root


def posts_front_matter(content: Path) -> dict[str, dict]:
    """Each fixture post's front matter, by slug, read from content/ (the author's truth)."""
    found = {}
    for path in sorted((content / "posts").glob("*.md")):
        head = path.read_text(encoding="utf-8").split("---\n")[1]
        found[path.stem] = yaml.safe_load(head)
    return found


def meta_tags(document: Document) -> dict[str, str]:
    return {e.attrs.get("property") or e.attrs.get("name"): e.attrs.get("content", "")
            for e in document.find("meta") if e.attrs.get("property") or e.attrs.get("name")}


# --- The feed ------------------------------------------------------------------------------------

def test_feed_parses_and_lists_exactly_the_posts_with_their_dates_and_links(published):
    import feedparser

    site = published / "build" / "site"
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "tinynets" and parsed.feed.link == SITE_URL
    posts = posts_front_matter(published / "content")
    assert len(parsed.entries) == len(posts) >= 2  # posts only: no index, archive or category
    by_link = {entry.link: entry for entry in parsed.entries}
    assert set(by_link) == {f"{SITE_URL}{slug}/" for slug in posts}
    newest_first = [entry.published_parsed[:3] for entry in parsed.entries]
    assert newest_first == sorted(newest_first, reverse=True)
    for slug, meta in posts.items():
        entry = by_link[f"{SITE_URL}{slug}/"]
        assert entry.title == meta["title"]
        date = meta["date"]
        assert entry.published_parsed[:3] == (date.year, date.month, date.day)  # not build time
        assert entry.id == entry.link
        assert entry.author == "The tinynets team"  # the name from authors.yml, not the id
        assert {tag.term for tag in entry.tags} == set(meta.get("categories", [])) | \
            set(meta.get("tags", []))
        assert entry.summary  # the first paragraph, as neither fixture post has a description
        # the link is a page that was built: its path below site_url is a folder of the site
        assert (site / slug / "index.html").is_file()
    # the page's first paragraph, then how the page was made (pages/provenance.py)
    summary, made = by_link[f"{SITE_URL}tiny/"].summary.split("\n\n")
    assert summary == "Two tiny nets, a few epochs."
    assert made.startswith("How this page was made: 3 of 3 claims checked against these "
                           "measurements, each also on 2 replication seeds; seeds 0, 1 shown; "
                           "tinynets ")
    assert made.endswith(f"; the numbers: {SITE_URL}media/tiny/final-errors.csv")


def test_feed_is_byte_identical_on_a_rebuild(published, tmp_path):
    root = copy_built(published, tmp_path / "again")
    before = (root / "build" / "site" / "feed.xml").read_bytes()
    assert build_with_site_url(root, SITE_URL).returncode == 0
    assert (root / "build" / "site" / "feed.xml").read_bytes() == before


def test_drafts_are_not_in_the_feed():
    public = publishing.PublicSite(SITE_URL, "tinynets", "", "mkdocs.yml")
    pages = {"posts/a.md": "---\ntitle: A\ndate: 2026-11-02\nslug: a\n---\nText.",
             "posts/b.md": "---\ntitle: B\ndate: 2026-11-03\nslug: b\ndraft: true\n---\nText.",
             "index.md": "# Home"}
    text = feed.rss(public, pages, {}, {"blog_dir": ".", "post_url_format": "{slug}"})
    assert "<title>A</title>" in text and "<title>B</title>" not in text
    assert "<link>https://example.org/tinynets/a/</link>" in text
    dated = feed.post_path({"slug": "a", "date": datetime.date(2026, 1, 2)}, {})
    assert dated == "blog/2026/01/02/a/"  # Material's defaults: blog_dir blog, {date}/{slug}


# --- Discovery link and social cards -------------------------------------------------------------

def test_every_page_links_the_feed(published):
    site = published / "build" / "site"
    pages = html_pages(site)
    assert len(pages) >= 5
    for file in pages:
        links = [e.attrs for e in Document(file.read_text(encoding="utf-8")).find("link")
                 if e.attrs.get("rel") == "alternate"
                 and e.attrs.get("type") == "application/rss+xml"]
        assert [link["href"] for link in links] == [SITE_URL + "feed.xml"], file


def test_post_pages_carry_open_graph_and_twitter_tags(published):
    site = published / "build" / "site"
    posts = posts_front_matter(published / "content")
    for slug, meta in posts.items():
        tags = meta_tags(Document((site / slug / "index.html").read_text(encoding="utf-8")))
        assert tags["og:title"] == tags["twitter:title"] == meta["title"]
        assert tags["og:type"] == "article"
        assert tags["og:url"] == f"{SITE_URL}{slug}/"
        assert tags["og:description"] == tags["twitter:description"] != ""
    page = (site / "tiny" / "index.html").read_text(encoding="utf-8")
    tiny = meta_tags(Document(page))
    # A card made from the poster of the post's first figure (the wide net's animation), at an
    # absolute URL, at the 1.91:1 size link previews expect, described by the measured numbers.
    assert tiny["og:image"] == tiny["twitter:image"] == f"{SITE_URL}media/tiny/card.png"
    assert (tiny["og:image:width"], tiny["og:image:height"]) == ("1200", "630")
    assert tiny["og:image:type"] == "image/png"
    with Image.open(site / "media" / "tiny" / "card.png") as card:
        assert card.size == (1200, 630)
    assert tiny["og:image:alt"] == tiny["twitter:image:alt"] == wide_card_alt(page)
    assert tiny["twitter:card"] == "summary_large_image"
    notes = meta_tags(Document((site / "notes" / "index.html").read_text(encoding="utf-8")))
    assert "og:image" not in notes and notes["twitter:card"] == "summary"  # no nets, no picture


def wide_card_alt(page: str) -> str:
    """What the card of the tiny fixture post must say: the wide net's numbers, as its figure
    on the page states them."""
    seed, error = re.search(r'aria-label="Animation of the 1×8 SGD net [^"]*: seed (\d+), the '
                            r'median of 2 seeds, ends with training error ([0-9.]+) against',
                            page).groups()
    return (f"The 1×8 SGD net (1×8 relu, sgd) after 30 epochs: seed {seed}, the median of 2 "
            "seeds, drawn over the noisy points, and its training error by epoch, ending at "
            f"{error} against a noise floor of 0.01.")


def poster_distance(card: Path, poster: Path) -> float:
    """How far the card's picture is from ``poster`` (mean absolute pixel difference)."""
    with Image.open(card) as made, Image.open(poster) as original:
        picture = made.convert("RGB").crop((0, 52, 1200, 577)).resize(original.size)
        difference = ImageChops.difference(picture, original.convert("RGB"))
        return sum(ImageStat.Stat(difference).mean) / 3


def test_front_matter_chooses_the_card_figure_and_the_default_is_the_first(published, tmp_path):
    root = copy_built(published, tmp_path / "card")
    site = root / "build" / "site"
    media = site / "media" / "tiny"
    # The first figure's poster, not another net's (resampling costs the match about 1 level).
    assert poster_distance(media / "card.png", media / "wide.png") < 2
    assert poster_distance(media / "card.png", media / "deep.png") > 4
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text().replace("categories: [Fixtures]",
                                             "categories: [Fixtures]\ncard: deep"))
    result = build_with_site_url(root, SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "render " not in result.stdout  # the net's poster is there already
    assert poster_distance(media / "card.png", media / "deep.png") < 2
    assert poster_distance(media / "card.png", media / "wide.png") > 4
    tags = meta_tags(Document((site / "tiny" / "index.html").read_text(encoding="utf-8")))
    assert tags["og:image"] == f"{SITE_URL}media/tiny/card.png"
    assert tags["og:image:alt"].startswith("The 2×4 Adam net (2×4 relu, adam) after 30 epochs: ")


@pytest.mark.parametrize("line, problem", [
    ("card: nope", "card: got 'nope', expected the name of one of the post's nets: wide, deep. "
                   "It chooses the figure shown in link previews (default: the post's first "
                   "figure)."),
    ("card: [wide]", "card: got ['wide'], expected text."),
])
def test_a_card_that_names_no_net_of_the_post_is_an_error(project, line, problem):
    from tinynets.errors import SpecError
    from tinynets.posts.load import load_posts

    post = project / "content" / "posts" / "tiny.md"
    text = post.read_text()
    post.write_text(text.replace("categories: [Fixtures]", f"categories: [Fixtures]\n{line}"))
    with pytest.raises(SpecError) as raised:
        load_posts(project / "content")
    line_number = text.split("\n").index("categories: [Fixtures]") + 2
    assert raised.value.problems == [f"{post}:{line_number}: {problem}"]


def test_a_card_on_a_post_without_nets_is_an_error(project):
    from tinynets.errors import SpecError
    from tinynets.posts.load import load_posts

    post = project / "content" / "posts" / "notes.md"
    post.write_text(post.read_text().replace("categories: [Notes]",
                                             "categories: [Notes]\ncard: wide"))
    with pytest.raises(SpecError) as raised:
        load_posts(project / "content")
    assert raised.value.problems == [
        f"{post}:6: card: this post has no nets, so no figure of a net can be its card: "
        "remove the key (a post's first figure is its card by default)."]


def test_the_card_is_the_poster_at_1_91_to_1_on_the_poster_background(tmp_path):
    poster = tmp_path / "poster.png"
    Image.new("RGBA", (800, 350), (255, 255, 255, 255)).save(poster)
    with Image.open(poster) as picture:
        picture.paste((0, 114, 178, 255), (100, 0, 700, 10))  # a band along the top
        picture.save(poster)
    card = tmp_path / "card.png"
    social.write_card(poster, card)
    with Image.open(card) as made:
        assert made.size == (1200, 630) and made.mode == "RGB"
        assert made.getpixel((600, 20)) == (255, 255, 255)  # the margin above the picture
        assert made.getpixel((600, 60)) == (0, 114, 178)  # the band, scaled 1.5×
    assert poster_distance(card, poster) < 2


# --- Without site_url ----------------------------------------------------------------------------

def test_without_site_url_the_build_works_says_so_once_and_writes_no_feed(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "local")
    environment_had = os.environ.pop(publishing.SITE_URL_VARIABLE, None)
    try:
        result = run_build(root)
    finally:
        if environment_had is not None:
            os.environ[publishing.SITE_URL_VARIABLE] = environment_had
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "site_url is not set" in line]
    assert lines == [publishing.missing_note()]  # one line, saying what is missing and how
    site = root / "build" / "site"
    assert not (site / "feed.xml").exists() and not (root / "build" / "docs" / "feed.xml").exists()
    for file in html_pages(site):
        document = Document(file.read_text(encoding="utf-8"))
        assert not [e for e in document.find("link") if e.attrs.get("rel") == "alternate"]
    tiny = meta_tags(Document((site / "tiny" / "index.html").read_text(encoding="utf-8")))
    assert tiny["og:image"] == "../media/tiny/card.png"  # relative: resolves from the page
    assert "og:url" not in tiny


def test_a_site_url_that_is_not_a_web_address_is_refused(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "bad")
    before = (root / "build" / "site" / "index.html").read_bytes()
    result = build_with_site_url(root, "example.org/blog")
    assert result.returncode == 1
    assert result.stderr == (
        "error: TINYNETS_SITE_URL: 'example.org/blog' is not an absolute web address. Expected "
        "one like https://example.org/blog/ (scheme, host, path), or leave it unset to build "
        "without feeds.\n")
    assert (root / "build" / "site" / "index.html").read_bytes() == before


def test_site_url_comes_from_mkdocs_yml_unless_the_variable_is_set(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://a.example/docs\n"
                                         "markdown_extensions:\n  - pymdownx.emoji:\n"
                                         "      emoji_index: !!python/name:material.icons\n")
    assert publishing.public_site(tmp_path, {}).url == "https://a.example/docs/"
    chosen = publishing.public_site(tmp_path, {"TINYNETS_SITE_URL": "https://b.example/"})
    assert (chosen.url, chosen.source) == ("https://b.example/", "TINYNETS_SITE_URL")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert publishing.public_site(tmp_path, {}).url is None


# --- Summaries and pictures ----------------------------------------------------------------------

def test_summary_prefers_the_description_then_the_first_paragraph():
    assert social.summary({"description": "  Two\n nets. "}, "# T\n\nBody.") == "Two nets."
    body = ("# Title\n\n<figure><video poster=\"x.png\"></video></figure>\n\n"
            "SGD **stalls** at [the floor](a.md) &amp; Adam does not.\n\nMore.")
    assert social.summary({}, body) == "SGD stalls at the floor & Adam does not."
    assert social.summary({}, "# Only a title\n") == ""
    long = social.summary({}, "word " * 200)
    assert len(long) <= social.SUMMARY_LENGTH + 1 and long.endswith("…")


def test_picture_is_the_first_poster_or_none():
    body = ('<video src="../media/p/b.webm" poster="../media/p/b.png"></video>'
            '<video poster="../media/p/a.png"></video>')
    assert social.first_poster("p", body) == "media/p/b.png"
    assert social.first_poster("p", "No figure.") is None


def test_titles_with_quotes_and_ampersands_survive_in_tags_and_feed(published, tmp_path):
    import feedparser

    root = copy_built(published, tmp_path / "quotes")
    notes = root / "content" / "posts" / "notes.md"
    title = 'Notes & "quotes" <in> titles'
    notes.write_text(notes.read_text(encoding="utf-8").replace(
        "title: Notes without nets", f"title: '{title}'"), encoding="utf-8")
    assert build_with_site_url(root, SITE_URL).returncode == 0
    site = root / "build" / "site"
    tags = meta_tags(Document((site / "notes" / "index.html").read_text(encoding="utf-8")))
    assert tags["og:title"] == tags["twitter:title"] == title  # text, literally: never markup
    entries = feedparser.parse((site / "feed.xml").read_bytes()).entries
    assert title in [entry.title for entry in entries]
