"""The RSS 2.0 feed of the posts (``feed.xml``), written into build/docs with the other pages.

Why written here and not by a MkDocs plugin: the build already holds every post's metadata, so
the feed needs no git history (build/docs is generated; shallow clones have none), no plugin that
pins its own MkDocs version, and it comes out the same whichever engine (MkDocs or Zensical)
then builds the site, because both copy build/docs/feed.xml as a static file.

Only posts are items (not the index, archive or category pages); each carries its title, link,
date from its front matter (never the build time), summary, categories and tags, and authors'
names from content/authors.yml. RSS requires absolute links, so the feed is written only when
``site_url`` is known (see ``publishing``).

Example:
    >>> text = rss(PublicSite("https://example.org/", "tinynets", "", "mkdocs.yml"),
    ...            {"posts/a.md": "---\\ntitle: A\\ndate: 2026-11-30\\nslug: a\\n---\\nText."},
    ...            {}, {"blog_dir": ".", "post_url_format": "{slug}"})
    >>> "<link>https://example.org/a/</link>" in text
    True
"""

from __future__ import annotations

import datetime
import html
import email.utils
from pathlib import Path
from xml.etree import ElementTree

import yaml

from tinynets.errors import TinynetsError
from tinynets.pages.publishing import PublicSite

FEED = "feed.xml"  # its path in build/docs, so also in the built site
ATOM = "http://www.w3.org/2005/Atom"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
ElementTree.register_namespace("atom", ATOM)
ElementTree.register_namespace("dc", DUBLIN_CORE)


def front_matter(page: str) -> dict:
    """The YAML front matter of a Markdown page of build/docs ({} without one)."""
    if not page.startswith("---\n"):
        return {}
    head, _, _ = page[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}


def authors(content: Path) -> dict[str, str]:
    """Author ids → display names, from content/authors.yml (ids stand in for missing names)."""
    path = content / "authors.yml"
    if not path.is_file():
        return {}
    listed = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("authors") or {}
    return {key: str((value or {}).get("name") or key) for key, value in listed.items()}


def post_path(meta: dict, blog: dict) -> str:
    """A post's URL path from the site root, as the blog plugin makes it."""
    pattern = str(blog.get("post_url_format", "{date}/{slug}"))
    date = _date(meta)
    known = {"slug": str(meta["slug"]), "date": f"{date:%Y/%m/%d}"}
    try:
        path = pattern.format(**known)
    except (KeyError, IndexError):
        raise TinynetsError(f"mkdocs.yml: blog post_url_format {pattern!r}: the feed knows "
                            "only {slug} and {date}; use those (e.g. \"{slug}\").") from None
    folder = str(blog.get("blog_dir", "blog")).strip("/.")
    return "/".join(part for part in (folder, path.strip("/")) if part) + "/"


def _date(meta: dict) -> datetime.date:
    value = meta.get("date")
    if isinstance(value, dict):  # Material also allows {created: …, updated: …}
        value = value.get("created")
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _timestamp(date: datetime.date) -> str:
    """RFC 822 date as RSS wants it; a plain date is taken as midnight UTC."""
    if not isinstance(date, datetime.datetime):
        date = datetime.datetime(date.year, date.month, date.day)
    if date.tzinfo is None:
        date = date.replace(tzinfo=datetime.timezone.utc)
    return email.utils.format_datetime(date)


def rss(public: PublicSite, pages: dict[str, str], names: dict[str, str], blog: dict,
        notes: dict[str, str] | None = None) -> str:
    """The feed of every post page in ``pages`` (``posts/<slug>.md``), newest first; ``notes``
    (by slug) end an item's description: how its page was made (``provenance.feed_line``)."""
    notes = notes or {}
    entries = []
    for relative, text in pages.items():
        if relative.startswith("posts/") and relative.endswith(".md"):
            meta = front_matter(text)
            if meta.get("title") and not meta.get("draft"):
                entries.append(meta)
    entries.sort(key=lambda meta: (_date(meta), str(meta["slug"])), reverse=True)

    channel_root = ElementTree.Element("rss", {"version": "2.0"})
    channel = ElementTree.SubElement(channel_root, "channel")
    _text(channel, "title", public.name)
    _text(channel, "link", public.url)
    _text(channel, "description", public.description or public.name)
    ElementTree.SubElement(channel, f"{{{ATOM}}}link",
                           {"href": public.url + FEED, "rel": "self",
                            "type": "application/rss+xml"})
    if entries:  # the newest post's date, so an unchanged site gives a byte-identical feed
        _text(channel, "lastBuildDate", _timestamp(_date(entries[0])))
    for meta in entries:
        item = ElementTree.SubElement(channel, "item")
        link = public.url + post_path(meta, blog)
        # build/docs holds the title and description escaped for MkDocs (pages/site.py)
        _text(item, "title", html.unescape(str(meta["title"])))
        _text(item, "link", link)
        ElementTree.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        _text(item, "pubDate", _timestamp(_date(meta)))
        description = [html.unescape(str(meta["description"]))] if meta.get("description") \
            else []
        description += [notes[str(meta["slug"])]] if str(meta["slug"]) in notes else []
        if description:
            _text(item, "description", "\n\n".join(description))
        for author in meta.get("authors") or []:
            _text(item, f"{{{DUBLIN_CORE}}}creator", names.get(author, str(author)))
        for category in meta.get("categories") or []:
            _text(item, "category", str(category))
        for tag in meta.get("tags") or []:
            ElementTree.SubElement(item, "category", {"domain": "tag"}).text = str(tag)
    ElementTree.indent(channel_root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ElementTree.tostring(channel_root, encoding="unicode") + "\n")


def _text(parent, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, tag).text = text


def blog_settings(config: dict) -> dict:
    """The blog plugin's settings from mkdocs.yml (plugins may be a list or a mapping)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: value} for name, value in plugins.items()]
    for plugin in plugins:
        if isinstance(plugin, dict) and "blog" in plugin:
            return plugin["blog"] or {}
        if plugin == "blog":
            return {}
    return {}
