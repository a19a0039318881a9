"""Zensical as the second engine: the same content builds into the same blog, feed and cards.

Compared with the MkDocs build of the same fixture project (``built_project``): the same pages,
the same post bodies (figures, videos, tables, text), the same feed; strict mode still fails the
build on a broken link, leaving the previous site as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import Document, html_pages, page_url
from support import copy_built, run_build
from zensical_support import ZENSICAL_SITE_URL, build_with_zensical, require_zensical


@pytest.fixture(scope="module")
def zensical_project(built_project, tmp_path_factory) -> Path:
    root, result = build_with_zensical(built_project,
                                       tmp_path_factory.mktemp("zensical") / "project",
                                       ZENSICAL_SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "zensical  " in result.stdout and "mkdocs  " not in result.stdout
    return root


def _post_body(path: Path) -> dict:
    """What a reader gets from a post: its media, tables and words (theme chrome left out)."""
    document = Document(path.read_text(encoding="utf-8"))
    article = [e for e in document.find("article")] or document.find("body")
    inside = document.descendants(article[0])
    text = " ".join(article[0].text.split())
    text = re.sub(r"\s*¶", "", text)
    # the provenance block's build date is each build's own (the two may straddle midnight)
    text = re.sub(r"Built on \d{4}-\d\d-\d\d \(UTC\)", "Built on (date) (UTC)", text)
    heading = " ".join([e for e in inside if e.tag == "h1"][0].text.split()).rstrip("¶ ")
    assert heading and text.find(heading) >= 0
    return {"videos": [(e.attrs.get("src"), e.attrs.get("poster")) for e in inside
                       if e.tag == "video"],
            "images": sorted(e.attrs.get("src") for e in inside if e.tag == "img"),
            "tables": len([e for e in inside if e.tag == "table"]),
            "words": text[text.find(heading):][:3000]}


def test_zensical_builds_the_same_blog_pages(zensical_project, built_project):
    zensical = zensical_project / "build" / "site"
    mkdocs = built_project / "build" / "site"
    pages = {page_url(zensical, file) for file in html_pages(zensical)}
    for path in ("/", "/tiny/", "/notes/", "/about/", "/archive/2026/",
                 "/category/fixtures/", "/404.html"):
        assert path in pages, (path, sorted(pages))
    assert {page_url(mkdocs, file) for file in html_pages(mkdocs)} <= pages | {"/authors/"}
    assert (zensical / "assets" / "tinynets.js").is_file()
    assert sorted(p.name for p in (zensical / "media" / "tiny").iterdir()) == \
        sorted(p.name for p in (mkdocs / "media" / "tiny").iterdir())
    # Zensical's cache stays inside build/ (git-ignored), not in the project
    assert (zensical_project / "build" / ".cache").is_dir()
    assert not (zensical_project / ".cache").exists()


def test_post_bodies_match_the_mkdocs_build(zensical_project, built_project):
    for slug in ("tiny", "notes"):
        made = _post_body(zensical_project / "build" / "site" / slug / "index.html")
        reference = _post_body(built_project / "build" / "site" / slug / "index.html")
        assert made == reference, slug
    tiny = _post_body(zensical_project / "build" / "site" / "tiny" / "index.html")
    assert len(tiny["videos"]) >= 4 and tiny["tables"] == 1


def test_feed_and_social_cards_under_zensical(zensical_project):
    import feedparser

    site = zensical_project / "build" / "site"
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo
    slugs = sorted(path.stem for path in (zensical_project / "content" / "posts").glob("*.md"))
    assert {"tiny", "notes"} <= set(slugs)
    assert sorted(entry.link for entry in parsed.entries) == \
        sorted(f"{ZENSICAL_SITE_URL}{slug}/" for slug in slugs)
    document = Document((site / "tiny" / "index.html").read_text(encoding="utf-8"))
    tags = {e.attrs.get("property") or e.attrs.get("name"): e.attrs.get("content")
            for e in document.find("meta")}
    assert tags["og:image"] == f"{ZENSICAL_SITE_URL}media/tiny/card.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == tags["twitter:image:alt"]
    assert tags["og:image:alt"].startswith("The 1×8 SGD net (1×8 relu, sgd) after 30 epochs: seed ")
    assert (site / "media" / "tiny" / "card.png").is_file()
    assert tags["og:title"] == "A tiny fixture post"
    alternate = [e.attrs["href"] for e in document.find("link") if e.attrs.get("rel") == "alternate"]
    assert alternate == [f"{ZENSICAL_SITE_URL}feed.xml"]


def test_classic_variant_keeps_materials_look(zensical_project):
    page = (zensical_project / "build" / "site" / "tiny" / "index.html").read_text("utf-8")
    assert re.search(r'href="[^"]*assets/stylesheets/classic/main\.[0-9a-f]+\.min\.css"', page)


def test_strict_zensical_build_fails_on_a_broken_link_and_keeps_the_site(zensical_project,
                                                                         tmp_path):
    require_zensical()
    root = copy_built(zensical_project, tmp_path / "broken")
    before = (root / "build" / "site" / "index.html").read_bytes()
    with open(root / "content" / "about.md", "a", encoding="utf-8") as about:
        about.write("\n[a broken link](nowhere.md)\n")
    result = run_build(root, "--engine", "zensical")
    assert result.returncode == 1
    assert result.stderr.startswith("error: zensical build failed:")
    assert "about.md" in result.stderr and "nowhere.md" in result.stderr
    assert "Aborted because --strict flag is set" in result.stderr
    assert "Traceback" not in result.stderr and "\x1b[" not in result.stderr
    assert result.stderr.endswith("The previous site is untouched.\n")
    assert (root / "build" / "site" / "index.html").read_bytes() == before
    leftovers = [p.name for p in (root / "build").iterdir()
                 if p.name.startswith((".zensical.", ".site."))]
    assert leftovers == []


def test_pages_request_nothing_from_another_host(zensical_project):
    """What a page requests by itself (scripts, styles, images, media, icons) is all local.

    Zensical's bundle also holds URLs of libraries it loads only on demand (a lightbox, a code
    editor, Pyodide, Mermaid, a ResizeObserver polyfill) for features this site does not use;
    they are text in a file, not requests. test_browser_zensical proves that no page, scrolled
    through in Chromium, requests anything from another host."""
    from browser_support import LOADING, LOADING_LINK_RELS, css_loads

    site = zensical_project / "build" / "site"
    outside = []
    for file in html_pages(site):
        document = Document(file.read_text(encoding="utf-8"))
        for element in document.elements:
            rels = set(element.attrs.get("rel", "").lower().split())
            if element.tag == "link" and not rels & LOADING_LINK_RELS:
                continue  # rel=alternate (the feed), canonical, prev/next: links, not loads
            names = LOADING.get(element.tag, ()) + (("href",) if element.tag == "link" else ())
            for name in names:
                value = element.attrs.get(name, "").strip()
                if value.startswith("//") or re.match(r"\w+://", value):
                    outside.append(f"{page_url(site, file)}: <{element.tag} {name}={value!r}>")
        outside += [f"{page_url(site, file)}: style: {url}" for style in document.styles
                    for url in css_loads(style)]
    for sheet in site.rglob("*.css"):
        outside += [f"{sheet.relative_to(site)}: {url}" for url in css_loads(sheet.read_text())]
    assert outside == []


def test_an_unknown_engine_is_refused_before_any_work(project):
    import os
    import subprocess
    import sys

    from support import REPO

    result = subprocess.run([sys.executable, "-m", "tinynets", "build"], cwd=project,
                            env={**os.environ, "PYTHONPATH": str(REPO), "TINYNETS_ENGINE": "hugo"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == "error: TINYNETS_ENGINE=hugo: unknown engine; expected mkdocs or " \
                            "zensical.\n"
    assert not (project / "build" / "cache").exists()
    flag = run_build(project, "--engine", "hugo")
    assert flag.returncode == 2 and "invalid choice: 'hugo'" in flag.stderr
