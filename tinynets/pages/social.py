"""What a post looks like when shared, syndicated or listed: a one-paragraph summary and a
picture.

The summary is the post's ``description`` or, without one, the plain text of its first paragraph.
The picture is a social card, ``media/<slug>/card.png``: the poster (final frame) of one of the
post's figures on a 1200×630 canvas, the 1.91:1 shape link previews expect (Open Graph, Twitter,
LinkedIn, Slack crop anything else). The figure is the net named by the front matter's ``card``
key, else the first animation the rendered post shows (whatever a reader sees first), else the
post's first net's; a post without nets or figures has none. Its alt text describes
that picture with the measured numbers. All of it goes into the post's front matter in
build/docs (``description``, ``social_image`` with its size and alt text), where the theme
override (templates/overrides/main.html) turns it into Open Graph and Twitter card tags and the
feed reads it.

Example:
    >>> summary({"description": "Two nets."}, "# Title\\n\\nBody.")
    'Two nets.'
    >>> summary({}, "# Title\\n\\nSGD *stalls*; [Adam](x.md) does not.\\n\\nMore.")
    'SGD stalls; Adam does not.'
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from tinynets import atomic
from tinynets.pages.claims import without_marks
from tinynets.pages.formatting import percent, plain, sig

SUMMARY_LENGTH = 300  # characters; Open Graph and feed readers cut longer text anyway

_POSTER = re.compile(r'<video\b[^>]*\bposter="([^"]+)"')
_POSTER_AND_LABEL = re.compile(r'<video\b[^>]*\bposter="([^"]+)"[^>]*\baria-label="([^"]*)"')
CARD_SIZE = (1200, 630)  # 1.91:1: what Open Graph and Twitter's large summary card expect
CARD_VERSION = 1  # part of a card's cache key: raise it when write_card draws differently
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
        plain = _EMPHASIS.sub("", _LINK.sub(r"\1", _TAG.sub("", without_marks(text))))
        plain = html.unescape(" ".join(plain.split()))
        if len(plain) > SUMMARY_LENGTH:
            plain = plain[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
        return plain
    return ""


def first_poster(slug: str, markdown: str) -> str | None:
    """The poster of the first video in the rendered body, as a path in build/docs
    (``media/<slug>/<net>.png``), or None."""
    for match in _POSTER.finditer(markdown):
        url = html.unescape(match.group(1))
        if url.startswith(f"../media/{slug}/"):
            return url.removeprefix("../")
    return None


@dataclass(frozen=True)
class Card:
    """A post's social card: the poster it shows (a path in build/docs), where the card is
    published, and what it shows in words."""

    poster: str  # e.g. media/<slug>/wide-adam.png
    published: str  # media/<slug>/card.png
    alt: str


def card(post, markdown: str, nets: dict) -> Card | None:
    """The card of ``post`` (see the module notes); ``nets`` are the post's results by name."""
    chosen = post.meta.get("card")
    if chosen and chosen in nets:
        poster = _from_page(nets[chosen].media["poster"])
    else:  # the first figure; without one, the first net's (a net's poster is always made)
        poster = first_poster(post.slug, markdown) or (
            _from_page(next(iter(nets.values())).media["poster"]) if nets else None)
    if poster is None:
        return None
    return Card(poster, f"media/{post.slug}/card.png", _alt(post, markdown, poster, nets))


def _from_page(url: str) -> str:
    """A media URL as a post's page writes it (../media/…) → its path in build/docs."""
    return html.unescape(url).removeprefix("../")


def _alt(post, markdown: str, poster: str, nets: dict) -> str:
    """The card's alt text: the measured numbers of what its poster shows."""
    for net in nets.values():
        if _from_page(net.media["poster"]) == poster:
            return net_alt(net)
    if poster == f"media/{post.slug}/compare.png" and nets:  # comparison() first
        return comparison_alt(list(nets.values()))
    for match in _POSTER_AND_LABEL.finditer(markdown):  # another figure: its own description
        if _from_page(match.group(1)) == poster:
            return html.unescape(match.group(2))
    return f"The final frame of a figure of {post.meta.get('title', post.slug)}."


def _net_words(net) -> str:
    spec = net.spec
    return (f"The {net.label} net ({spec.architecture}, {spec.optimizer}) after "
            f"{plain(spec.epochs)} epochs")


def net_alt(net) -> str:
    """What a net's poster shows, with its numbers: the median seed's final frame."""
    seed, count = net.representative_seed, len(net.seeds)
    if net.classification:
        accuracy = net.final_accuracy
        return (f"{_net_words(net)}: seed {seed}, the median of {count} seeds by "
                f"{accuracy.what}, as its predicted probability over the plane with the 0.5 "
                "boundary and the points, and its error and accuracy by epoch, ending with "
                f"{accuracy.what} {percent(accuracy.seed(seed))}.")
    floor = (f" against a noise floor of {plain(net.noise_floor)}"
             if net.noise_floor is not None else "")
    return (f"{_net_words(net)}: seed {seed}, the median of {count} seeds, drawn over the noisy "
            f"points, and its training error by epoch, ending at "
            f"{sig(net.final_loss(seed))}{floor}.")


def comparison_alt(nets: list) -> str:
    """What the comparison's poster shows: every net's median seed after training."""
    ends = []
    for net in nets:
        seed = net.representative_seed
        ends.append(f"{net.label} with {net.final_accuracy.what} "
                    f"{percent(net.final_accuracy.seed(seed))}" if net.classification else
                    f"{net.label} with training error {sig(net.final_loss(seed))}")
    return (f"The post's {len(nets)} nets after training, side by side on shared axes, each "
            f"its median seed: {'; '.join(ends)}.")


def post_meta(post, markdown: str, shown: Card | None = None) -> dict:
    """The keys added to a post's front matter in build/docs for feeds and social cards."""
    extra = {}
    description = summary(post.meta, markdown)
    if description:
        extra["description"] = description
    if shown is not None:
        extra["social_image"] = shown.published
        extra["social_image_width"], extra["social_image_height"] = CARD_SIZE
        extra["social_image_alt"] = shown.alt
    return extra


def write_card(poster: Path, card_path: Path) -> None:
    """The poster scaled to the card's width, centred on a canvas of the card's size filled
    with the poster's own background (the colour most of its corners have), written as PNG."""
    from PIL import Image  # only when a card is made: a warm build reuses them

    width, height = CARD_SIZE
    with Image.open(poster) as original:
        picture = original.convert("RGBA")
    corners = [picture.getpixel((x, y))[:3] for x in (0, picture.width - 1)
               for y in (0, picture.height - 1)]
    background = max(corners, key=corners.count)
    flat = Image.new("RGB", picture.size, background)
    flat.paste(picture, mask=picture.getchannel("A"))
    scaled = flat.resize((width, round(picture.height * width / picture.width)),
                         Image.Resampling.LANCZOS)
    if scaled.height > height:  # a tall poster: fit the height instead
        scaled = flat.resize((round(picture.width * height / picture.height), height),
                             Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", CARD_SIZE, background)
    canvas.paste(scaled, ((width - scaled.width) // 2, (height - scaled.height) // 2))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    atomic.write_bytes(card_path, buffer.getvalue())


def card_files(cards: dict[str, Card], files: dict[str, Path], cache: Path) -> dict[str, Path]:
    """Each card's file in build/cache/cards (made once per poster), by its place in build/docs.

    ``files`` are build/docs' other files by place, the posters among them; a card whose poster
    is not there (not published) is left out.
    """
    made = {}
    for shown in cards.values():
        source = files.get(shown.poster)
        if source is None:
            continue
        key = hashlib.sha256(source.read_bytes()
                             + f"{CARD_VERSION} {CARD_SIZE}".encode()).hexdigest()[:20]
        path = cache / "cards" / f"{key}.png"
        if not path.is_file():
            write_card(source, path)
        made[shown.published] = path
    return made
