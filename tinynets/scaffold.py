"""``python -m tinynets new "My title"``: start a post that builds as it is.

The new ``content/posts/<slug>.md`` has valid front matter (today's date), a small experiment
that trains in seconds (two nets, three seeds, a few hundred epochs), a figure, a results table
and one claim that the measurements support, so a new author's first ``make site`` shows their
own post and every kind of thing a post can hold. An existing file is never overwritten.

Example::

    new_post(Path("."), "Does width help?")
    # PosixPath('content/posts/does-width-help.md')
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from pathlib import Path

import yaml

from tinynets.errors import SpecError, TinynetsError, display_path
from tinynets.posts.load import load_defaults, load_post
from tinynets.posts.schema import SLUG

# The experiment: a ReLU net with 4 units against one with 32, Adam, on one hill of a noisy
# sine. About 10 s on two cores. The claim holds with room to spare: the wide net ends near the
# noise floor (0.01), far below twenty times it; a net that learnt nothing would score ~0.5.
EXPERIMENT = """\
data: {function: sine, x_range: [-3, 3], frequency: 1, points: 50, noise: 0.1}
nets:
  narrow: {label: "1×4 ReLU", layers: [4], optimizer: adam, learning_rate: 0.01, epochs: 400}
  wide: {label: "1×32 ReLU", layers: [32], optimizer: adam, learning_rate: 0.01, epochs: 400}
seeds: 3
frames: {count: 40}
"""

# What the experiment asks, for search engines, the feed and link previews (edit it with it).
DESCRIPTION = ("Two ReLU nets, one with 4 hidden units and one with 32, learn a noisy sine with "
               "Adam over 3 seeds: how close does each get to the noise floor?")

BODY = """\
{# Start here: the front matter above declares the experiment (README: "Writing a post").
   Change the nets, build with `make site`, and write about what you measure. #}
# {{ post.title }}

One or two sentences for the blog index: what this post asks, and what it finds.

<!-- more -->

Two ReLU nets, one with 4 hidden units and one with 32, learn a noisy sine with Adam,
each over {{ post.seeds }} seeds. Here is the wide net learning, epoch by epoch:

{{ figure(nets['wide']) }}

{{ results_table(nets.values()) }}

The wide net ends at a median error of {{ nets['wide'].median | sig }}, against a noise floor
of {{ data.noise_floor | sig }}, the error of the true curve itself on these noisy points.
{{ claim("It ends within twenty times the noise floor.", nets['wide'].median < 20 * data.noise_floor) }}
"""


def slug_of(title: str) -> str:
    """'Does width help?' → 'does-width-help'; accents dropped, '2×10' → '2x10'; '' when
    nothing is left."""
    ascii_title = unicodedata.normalize("NFKD", title.replace("×", "x"))
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def post_text(title: str, today: datetime.date, authors: list[str]) -> str:
    """The whole new post: front matter, then the Markdown body."""
    blog = {"title": title, "description": DESCRIPTION,
            "date": today, "authors": authors, "categories": ["Experiments"]}
    if not authors:
        del blog["authors"]
    head = yaml.safe_dump(blog, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}{EXPERIMENT}---\n{BODY}"


def first_author(content: Path) -> list[str]:
    """The first author id of content/authors.yml, so the new post has a byline."""
    path = content / "authors.yml"
    try:
        listed = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("authors") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return []
    return list(listed)[:1]


def new_post(root: Path, title: str, slug: str | None = None,
             today: datetime.date | None = None) -> Path:
    """Write ``content/posts/<slug>.md`` for ``title``; refuse to overwrite; return its path."""
    title = " ".join(title.split())
    if not title:
        raise TinynetsError('new: the title is empty. Give one: python -m tinynets new "My '
                            'title" (or make new TITLE="My title").')
    slug = slug if slug is not None else slug_of(title)
    if not SLUG.match(slug):
        raise TinynetsError(f"new: {slug!r} cannot name a post: a slug is lower-case letters "
                            "and digits in words joined by single hyphens (e.g. does-width-help). "
                            "Choose one with --slug.")
    content = root / "content"
    path = content / "posts" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = post_text(title, today or datetime.date.today(), first_author(content))
    try:  # O_EXCL: never overwrite, even a post written a moment ago by someone else
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise TinynetsError(f"new: {display_path(path)} already exists and is left as it is. "
                            "Choose another title, or another file name with --slug.") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    try:  # the project's defaults.yml could make it invalid: say so rather than leave a broken post
        load_post(path, load_defaults(content / "defaults.yml"))
    except SpecError:
        path.unlink()
        raise
    return path
