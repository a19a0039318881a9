"""What a post looks like when shared, syndicated or listed: a one-paragraph summary and a
picture.

The summary is the post's ``description`` or, without one, the plain text of its first paragraph.
The picture is the poster (final frame, PNG) of the first animation the rendered post shows, so it
is whatever a reader sees first, with that animation's size and its alt text (written from the
measured numbers by the figure macros); a post without animations but with nets falls back to
its first net's poster, and a post without nets has none. All of it goes into the post's front
matter in build/docs (``description``, ``social_image``, ``social_image_width``,
``social_image_height``, ``social_image_alt``), where the theme overrides turn them into Open
Graph and Twitter card tags (templates/overrides/main.html) and into the post's card on the blog
index (templates/overrides/partials/post.html: the picture is the card's hero), and the feed
reads them.

Example:
    >>> summary({"description": "Two nets."}, "# Title\\n\\nBody.")
    'Two nets.'
    >>> summary({}, "# Title\\n\\nSGD *stalls*; [Adam](x.md) does not.\\n\\nMore.")
    'SGD stalls; Adam does not.'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from tinynets.media.catalog import STYLE, Kind, urls

SUMMARY_LENGTH = 300  # characters; Open Graph and feed readers cut longer text anyway

_VIDEO = re.compile(r"<video\b[^>]*>")
_ATTRIBUTE = re.compile(r'\b([a-z-]+)="([^"]*)"')
POSTER_SIZE = (STYLE["width"], STYLE["height"])  # a net's poster: the fallback picture's size
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")


def summary(meta: dict, markdown: str) -> str:
    """The post's description, or the plain text of the first paragraph of its body."""
    if str(meta.get("description") or "").strip():
        return " ".join(str(meta["description"]).split())
    for paragraph in re.split(r"\n\s*\n", markdown):
        text = paragraph.strip()
        if not text or text.startswith(("#", "<", "{", "---", "|", "!", "```", "    ")):
            continue  # headings, HTML (figures), tables, code: not a summary
        plain = _EMPHASIS.sub("", _LINK.sub(r"\1", _TAG.sub("", text)))
        plain = html.unescape(" ".join(plain.split()))
        if len(plain) > SUMMARY_LENGTH:
            plain = plain[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
        return plain
    return ""


@dataclass(frozen=True)
class Picture:
    """A post's picture: a path in build/docs, its size in pixels, its alt text."""

    path: str  # media/<slug>/<net>.png
    width: int
    height: int
    alt: str


def first_poster(slug: str, markdown: str, first_net: tuple[str, str] | None) -> Picture | None:
    """The poster of the first video in the rendered body, with its size and alt text; without
    one, the poster of ``first_net`` ((name, label): every net's poster is made); else None."""
    for tag in _VIDEO.finditer(markdown):
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(tag[0])}
        url = attributes.get("poster", "")
        if url.startswith(f"../media/{slug}/"):
            width, height = (int(attributes.get(name) or size)
                             for name, size in zip(("width", "height"), POSTER_SIZE))
            return Picture(url.removeprefix("../"), width, height,
                           attributes.get("aria-label", ""))
    if first_net is None:
        return None
    name, label = first_net
    return Picture(urls(slug, name, [Kind.NET])["poster"].removeprefix("../"), *POSTER_SIZE,
                   f"The final frame of the animation of the {label} net.")


def post_meta(post, markdown: str) -> dict:
    """The keys added to a post's front matter in build/docs for feeds and social cards."""
    extra = {}
    description = summary(post.meta, markdown)
    if description:
        extra["description"] = description
    first_net = (post.nets[0].name, post.nets[0].label) if post.nets else None
    picture = first_poster(post.slug, markdown, first_net)
    if picture:
        extra["social_image"] = picture.path
        extra["social_image_width"], extra["social_image_height"] = picture.width, picture.height
        extra["social_image_alt"] = picture.alt
    return extra
