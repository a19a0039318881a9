"""What a post looks like when shared or syndicated: a one-paragraph summary and a picture.

The summary is the post's ``description`` or, without one, the plain text of its first paragraph.
The picture is the poster (final frame, PNG) of the first animation the rendered post shows, so it
is whatever a reader sees first; a post without figures but with nets falls back to its
comparison poster, and a post without nets has none. Both go into the post's front matter in
build/docs (``description``, ``social_image``), where the theme override
(templates/overrides/main.html) turns them into Open Graph and Twitter card tags and the feed
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

SUMMARY_LENGTH = 300  # characters; Open Graph and feed readers cut longer text anyway

_POSTER = re.compile(r'<video\b[^>]*\bposter="([^"]+)"')
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


def first_poster(slug: str, markdown: str, has_nets: bool) -> str | None:
    """The poster of the first video in the rendered body, as a path from the site root
    (``media/<slug>/<net>.png``); the comparison poster if there is no video; else None."""
    for match in _POSTER.finditer(markdown):
        url = html.unescape(match.group(1))
        if url.startswith(f"../media/{slug}/"):
            return url.removeprefix("../")
    return f"media/{slug}/compare.png" if has_nets else None


def post_meta(post, markdown: str) -> dict:
    """The keys added to a post's front matter in build/docs for feeds and social cards."""
    extra = {}
    description = summary(post.meta, markdown)
    if description:
        extra["description"] = description
    image = first_poster(post.slug, markdown, bool(post.nets))
    if image:
        extra["social_image"] = image
    return extra
