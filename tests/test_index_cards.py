"""The blog index as cards, in a real browser: each post with a picture shows it as its hero.

The fixture site is built by MkDocs and, warm, by Zensical; each is opened in Chromium at 1280
and 390 CSS pixels, in the light and the dark scheme. A card's hero is the picture the post's
front matter in build/docs names for its social card (social_image: the poster of its first
animation), with that picture's size, its alt text (written from the measured numbers) and lazy
loading; it loads, spans the card's text column, sits above the post's title, and the page
does not scroll sideways. On the dark scheme the hero (like every fallback figure) is a light,
rounded panel. The archive page, one folder deeper, shows the same cards with working images.
Screenshots land in test-artifacts/browser/index-*.png.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from browser_support import SiteServer, browser  # noqa: F401 (fixture)
from support import REPO
from PIL import Image
from zensical_support import build_with_zensical

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "browser"
TIMEOUT = 30_000


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def built(request, browser, built_project, tmp_path_factory) -> Path:
    """The built fixture project (its root), by either engine."""
    if request.param == "mkdocs":
        return built_project
    root, result = build_with_zensical(built_project,
                                       tmp_path_factory.mktemp("cards-zensical") / "project")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def pictures(root: Path) -> dict[str, dict]:
    """Each post's picture as its front matter in build/docs names it, by slug."""
    found = {}
    for path in sorted((root / "build" / "docs" / "posts").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if meta.get("social_image"):
            found[meta["slug"]] = meta
    return found


def test_front_matter_names_each_posts_picture_with_its_size_and_alt(built_project):
    found = pictures(built_project)
    assert set(found) == {"tiny", "plane", "sweep"}  # "notes" has no nets and no picture
    site = built_project / "build" / "site"
    for slug, meta in found.items():
        with Image.open(site / meta["social_image"]) as image:
            assert image.size == (meta["social_image_width"], meta["social_image_height"]), slug
        # The alt says what the picture shows, in a sentence that names the training it draws.
        alt = meta["social_image_alt"]
        assert len(alt) > 60 and alt.endswith(".") and ("epoch" in alt or "after training" in alt), \
            (slug, alt)
    # Each picture is the post's social card, made from its first figure's poster.
    assert {slug: meta["social_image"] for slug, meta in found.items()} == {
        slug: f"media/{slug}/card.png" for slug in found}


CARDS = """() => Array.from(document.querySelectorAll('article.md-post--excerpt')).map(card => {
  const image = card.querySelector('.tn-card__hero img');
  const title = card.querySelector('.md-post__content h2, .md-post__content h1');
  const body = card.querySelector('.md-post__content');
  const box = element => element ? element.getBoundingClientRect().toJSON() : null;
  const style = image ? getComputedStyle(image) : null;
  return {
    link: card.querySelector('.md-post__content h2 a, .md-post__content h1 a').href,
    card: card.className,
    src: image && image.getAttribute('src'), resolved: image && image.src,
    alt: image && image.getAttribute('alt'), loading: image && image.getAttribute('loading'),
    width: image && image.getAttribute('width'), height: image && image.getAttribute('height'),
    natural: image && [image.naturalWidth, image.naturalHeight], complete: image && image.complete,
    image: box(image), title: box(title), body: box(body),
    background: style && style.backgroundColor, radius: style && parseFloat(style.borderTopLeftRadius),
    padding: style && parseFloat(style.paddingTop), filter: style && style.filter,
  };
})"""


def _cards(page) -> list[dict]:
    for image in page.query_selector_all(".tn-card__hero img"):
        image.scroll_into_view_if_needed()
        page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=image,
                               timeout=TIMEOUT)
    page.evaluate("() => window.scrollTo(0, 0)")
    return page.evaluate(CARDS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_index_shows_each_post_as_a_card_with_its_hero_figure(browser, built, request, scheme,
                                                             width):
    engine = request.node.callspec.params["built"]
    expected = pictures(built)
    problems: list[str] = []
    options = {"viewport": {"width": width, "height": 900}, "color_scheme": scheme}
    if width == 390:
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT)
    try:
        with SiteServer(built / "build" / "site") as server:
            for path in ("/", "/archive/2026/"):
                page = context.new_page()
                page.on("console", lambda message: message.type == "error" and problems.append(
                    message.text))
                page.on("response", lambda response: response.status >= 400 and problems.append(
                    f"HTTP {response.status} {response.url}"))
                page.goto(server.url(path), wait_until="load")
                dark = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
                assert dark == ("slate" if scheme == "dark" else "default")
                cards = _cards(page)
                shown = {card["link"].rstrip("/").rsplit("/", 1)[-1]: card for card in cards}
                assert set(shown) == {"tiny", "notes", "plane", "sweep"}, shown.keys()
                for slug, card in shown.items():
                    if slug not in expected:  # a post without a picture: Material's excerpt
                        assert card["src"] is None and "tn-card" not in card["card"]
                        continue
                    meta = expected[slug]
                    assert card["resolved"].endswith("/" + meta["social_image"]), (slug, card)
                    # The front matter holds it escaped once for the theme (escaping.page_meta):
                    # the reader gets the text itself, not its character references.
                    assert card["alt"] == html.unescape(meta["social_image_alt"])
                    assert card["loading"] == "lazy"
                    assert [int(card["width"]), int(card["height"])] == card["natural"] == \
                        [meta["social_image_width"], meta["social_image_height"]]
                    # as wide as the card's text, above the title, drawn at its own shape
                    assert card["image"]["width"] >= card["body"]["width"] - 1, (slug, card)
                    assert card["image"]["bottom"] <= card["title"]["top"], (slug, card)
                    inner = card["image"]["width"] - 2 * card["padding"]
                    shape = card["natural"][0] / card["natural"][1]
                    assert abs(inner / (card["image"]["height"] - 2 * card["padding"])
                               - shape) < 0.05, (slug, card)
                    # a light card with rounded corners in both schemes; dimmed on the dark one
                    assert card["background"] == "rgb(255, 255, 255)"
                    assert card["radius"] > 0 and card["padding"] > 0
                    assert ("brightness" in card["filter"]) == (scheme == "dark")
                overflow = page.evaluate("() => [document.documentElement.scrollWidth, "
                                         "document.documentElement.clientWidth]")
                assert overflow[0] <= overflow[1], (path, overflow)
                if path == "/":
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"index-{engine}-{width}-{scheme}.png"),
                                    full_page=True)
                page.close()
    finally:
        context.close()
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fallback_figures_on_a_post_are_light_panels_on_the_dark_scheme(browser, built_project,
                                                                        scheme):
    """On slate each figure gets a white ring (a shadow: its layout and pixels unchanged) and is
    dimmed; on the light scheme it is drawn as before, white on white."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        with SiteServer(built_project / "build" / "site") as server:
            page = context.new_page()
            page.goto(server.url("/tiny/"), wait_until="load")
            styles = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.tn-figure video, .tn-figure > img')).map(element => {
                  const style = getComputedStyle(element);
                  return [style.boxShadow, parseFloat(style.borderTopLeftRadius),
                          parseFloat(style.paddingTop), style.filter];
                })""")
            page_background = page.evaluate(
                "() => getComputedStyle(document.body).backgroundColor")
    finally:
        context.close()
    assert len(styles) >= 4
    assert (page_background != "rgb(255, 255, 255)") == (scheme == "dark")
    for shadow, radius, padding, filter_ in styles:
        assert padding == 0 and radius > 0
        if scheme == "dark":
            assert shadow.startswith("rgb(255, 255, 255) 0px 0px 0px 6px"), shadow
            assert filter_.startswith("brightness(")
        else:
            assert shadow == "none" and filter_ == "none"
