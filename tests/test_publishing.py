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
from browser_support import Document, html_pages
from conftest import copy_built, run_build

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
    assert by_link[f"{SITE_URL}tiny/"].summary == "Two tiny nets, a few epochs."


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
    tiny = meta_tags(Document((site / "tiny" / "index.html").read_text(encoding="utf-8")))
    # the poster of the post's first figure (the wide net's animation), at an absolute URL
    assert tiny["og:image"] == tiny["twitter:image"] == f"{SITE_URL}media/tiny/wide.png"
    assert (site / "media" / "tiny" / "wide.png").is_file()
    assert tiny["twitter:card"] == "summary_large_image"
    notes = meta_tags(Document((site / "notes" / "index.html").read_text(encoding="utf-8")))
    assert "og:image" not in notes and notes["twitter:card"] == "summary"  # no nets, no picture


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
    assert tiny["og:image"] == "../media/tiny/wide.png"  # relative: resolves from the page
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


def test_picture_is_the_first_poster_with_its_size_and_alt_else_the_first_net_else_none():
    body = ('<video src="../media/p/b.webm" poster="../media/p/b.png" width="800" height="602" '
            'aria-label="Animation of the &lt;b&gt; net: error 0.01."></video>'
            '<video poster="../media/p/a.png"></video>')
    picture = social.first_poster("p", body, ("a", "1×8"))
    assert picture == social.Picture("media/p/b.png", 800, 602,
                                     "Animation of the <b> net: error 0.01.")
    # no animation on the page: the first net's poster (always made), described by its label
    assert social.first_poster("p", "No figure.", ("a", "1×8")) == social.Picture(
        "media/p/a.png", 800, 350, "The final frame of the animation of the 1×8 net.")
    assert social.first_poster("p", "No figure.", None) is None


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
