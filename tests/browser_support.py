"""Helpers for the site and browser tests: a local static server, page discovery, HTML parsing,
what an element or a style sheet loads; Chromium and the served fixture site as fixtures
(``browser``, ``site``, ``server``), a reader's browser that records every problem it meets
(``Watch``; the ``desktop`` and ``fallback`` fixtures), and how far two pictures differ.

The server (``tinynets.bench.static_site.SiteServer``) is a threaded ``http.server`` on
127.0.0.1 with the MIME types a static host sends and single-range ``Range`` requests, as GitHub
Pages serves them; ``ranges=False`` answers every request whole, as ``python -m http.server``
and ``mkdocs serve`` do.

Example::

    with SiteServer(built / "build" / "site") as server:
        print(server.url("tiny/"))           # http://127.0.0.1:PORT/tiny/
"""

from __future__ import annotations

import html.parser
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support import REPO
# The browser and the server live in the package: the browser benches use them too.
from tinynets.bench.browser import CHROMIUM, CHROMIUM_ARGS, MIME_TYPES, SiteServer  # noqa: F401


# --- Parsing built HTML --------------------------------------------------------------------------

class Element:
    """One start tag: its name, attributes (names lower-case; bare attributes map to ''),
    the stack of enclosing tag names, and the index of its parent element."""

    def __init__(self, tag: str, attrs: dict, ancestors: tuple, parent: int | None, index: int):
        self.tag, self.attrs, self.ancestors, self.parent, self.index = \
            tag, attrs, ancestors, parent, index
        self.text = ""

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Document(html.parser.HTMLParser):
    """Every element of an HTML page in document order, with ancestry (enough for our checks)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.styles: list[str] = []  # contents of <style> elements and style="" attributes
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value if value is not None else "") for name, value in attrs}
        parent = self._open[-1].index if self._open else None
        element = Element(tag, attributes, tuple(e.tag for e in self._open), parent,
                          len(self.elements))
        self.elements.append(element)
        if "style" in attributes:
            self.styles.append(attributes["style"])
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_endtag(self, tag):
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position].tag == tag:
                del self._open[position:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data
        if self._open and self._open[-1].tag == "style":
            self.styles.append(data)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def children(self, element: Element) -> list[Element]:
        return [e for e in self.elements if e.parent == element.index]

    def descendants(self, element: Element) -> list[Element]:
        inside, found = {element.index}, []
        for candidate in self.elements[element.index + 1:]:
            if candidate.parent in inside:
                inside.add(candidate.index)
                found.append(candidate)
        return found

    def enclosing(self, element: Element, tag: str) -> Element | None:
        index = element.parent
        while index is not None:
            if self.elements[index].tag == tag:
                return self.elements[index]
            index = self.elements[index].parent
        return None

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if e.attrs.get("id")} | \
            {e.attrs["name"] for e in self.elements if e.tag == "a" and e.attrs.get("name")}


def page_url(site: Path, html_file: Path) -> str:
    """The URL path (from the site root) at which a built HTML file is served."""
    relative = html_file.relative_to(site).as_posix()
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def resolve(site: Path, base_url: str, reference: str) -> tuple[Path, str] | None:
    """The file an internal reference points to and its fragment; None for external ones."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("mailto:", "data:", "javascript:")):
        return None
    target = urljoin(f"http://site{base_url}", reference)
    path = unquote(urlsplit(target).path)
    normal = posixpath.normpath(path)
    if path.endswith("/"):
        normal = normal.rstrip("/") + "/index.html"
    return site / normal.lstrip("/"), urlsplit(target).fragment


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- Chromium ------------------------------------------------------------------------------------

def chromium_version() -> str:
    """What ``chromium --version`` prints (for the test report header), or why it cannot say."""
    import subprocess

    if not os.path.isfile(CHROMIUM):
        return f"not installed at {CHROMIUM}"
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip() or "(no version printed)"
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"


def poster_as_drawn(page, video):
    """The video's poster as this browser draws it in an ``<img>`` of the video's exact box.

    A screenshot of a paused video that shows its poster uncovered matches this closely; a
    comparison with the poster file scaled by PIL would also measure how this browser version
    scales pictures (Chromium 150 and 156 differ), which is not what a test means to check.
    """
    import io

    from PIL import Image

    handle = video.element_handle()
    page.evaluate("""v => {
        const box = v.getBoundingClientRect();
        const img = document.createElement('img');
        img.id = 'tn-test-poster';
        img.src = v.poster;
        img.style.cssText = `position:fixed;left:${box.left}px;top:${box.top}px;` +
            `width:${box.width}px;height:${box.height}px;object-fit:contain;margin:0;` +
            `padding:0;border:0;z-index:2147483647;background:transparent`;
        document.body.appendChild(img);
    }""", handle)
    drawn = page.locator("#tn-test-poster")
    page.wait_for_function("() => { const i = document.getElementById('tn-test-poster');"
                           " return i.complete && i.naturalWidth > 0; }")
    picture = Image.open(io.BytesIO(drawn.screenshot())).convert("RGB")
    page.evaluate("() => document.getElementById('tn-test-poster').remove()")
    return picture

def require_browser():
    """Playwright's sync API, or skip (fail when ``CI`` is set) naming what is missing."""
    reasons = []
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError as error:
        reasons.append(f"Playwright for Python is not importable ({error}); "
                       "install it from requirements.lock")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reasons.append(f"Chromium is not at {CHROMIUM}; install Debian's package: "
                       "apt-get install chromium")
    if reasons:
        message = "browser tests need " + " and ".join(reasons)
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{message} (CI is set, so the browser tests may not be skipped)",
                        pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    return sync_playwright


# Attributes through which an element loads something (links a reader follows are separate).
LOADING = {"img": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
           "source": ("src", "srcset"), "track": ("src",), "script": ("src",),
           "iframe": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",),
           "image": ("href", "xlink:href"), "use": ("href", "xlink:href")}
LOADING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                     "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest",
                     "mask-icon"}


def css_loads(css: str) -> list[str]:
    """The outside URLs a style sheet loads: ``@import`` and ``url(…)`` with a host."""
    loads = re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", css)
    loads += re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    return [url for url in loads if urlsplit(url).netloc or url.startswith("//")]


# --- Chromium, the served site, a reader's browser -----------------------------------------------

ARTIFACTS = REPO / "test-artifacts" / "browser"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
TIMEOUT = 30_000  # ms; two shared cores make Chromium slow


@pytest.fixture(scope="module")
def browser():
    sync_playwright = require_browser()  # skips (or fails under CI) before anything is built
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(browser, built_project) -> Path:
    return built_project / "build" / "site"


@pytest.fixture(scope="module")
def server(site):
    with SiteServer(site) as running:
        yield running


def keep_figures_module_out(context) -> None:
    """Keep the live-figures module from running in ``context`` (an empty module answers for
    it), as in a browser without ES modules: every figure stays its fallback."""
    context.route("**/assets/tinynets-figures.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript; charset=utf-8", body="export {};"))


def watched_context(browser, server: SiteServer, problems: list[str], **options):
    """A fresh browser context (``options`` as Playwright's ``new_context`` takes them) with the
    tests' timeout, in which every request to a host other than ``server`` is recorded in
    ``problems`` and refused."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT)

    def outside(route):
        problems.append(f"request to another host: {route.request.url}")
        route.abort()

    # nothing may leave 127.0.0.1: record it, and never let it reach the network
    context.route(lambda url: not url.startswith(server.origin + "/")
                  and urlsplit(url).scheme in ("http", "https", "ws", "wss"), outside)
    return context


class Watch:
    """Open pages in a fresh context and record every problem a reader's browser would meet.

    ``live=False``: the figures module does not run (``keep_figures_module_out``)."""

    def __init__(self, browser, server: SiteServer, live: bool = True, **options):
        self.server = server
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.context = watched_context(browser, server, self.problems, **options)
        if not live:
            keep_figures_module_out(self.context)

    def open(self, path: str):
        page = self.context.new_page()
        where = f"{path}: "
        page.on("console", lambda message: self._console(where, message))
        page.on("pageerror", lambda error: self.problems.append(f"{where}page error: {error}"))
        page.on("requestfailed", self._failed(where))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"{where}HTTP {response.status} for {response.url}"))
        page.goto(self.server.url(path), wait_until="load")
        return page

    def _console(self, where, message):
        if message.type == "error":
            self.problems.append(f"{where}console error: {message.text}")
        elif message.type == "warning":
            self.warnings.append(f"{where}{message.text}")

    def _failed(self, where):
        def record(request):
            # Chromium cancels its own media range requests once it has what it needs
            if request.resource_type == "media" and request.failure == "net::ERR_ABORTED":
                return
            self.problems.append(f"{where}request failed: {request.url} ({request.failure})")
        return record

    def close(self):
        self.context.close()


@pytest.fixture
def desktop(browser, server):
    watch = Watch(browser, server, **DESKTOP)
    yield watch
    watch.close()


@pytest.fixture
def fallback(browser, server):
    """A desktop reader whose browser does not run the figures module: every figure is today's
    video or picture, and tinynets.js drives them."""
    watch = Watch(browser, server, live=False, **DESKTOP)
    yield watch
    watch.close()


def picture_distance(shot, reference) -> float:
    """Mean absolute grey-level difference (0–255) of two pictures, both shrunk to 100×44:
    small enough that the browser's and PIL's scaling agree, large enough to see the curves."""
    from PIL import Image, ImageChops, ImageStat

    def shrink(image):
        return image.convert("L").resize((100, 44), Image.BOX)

    return ImageStat.Stat(ImageChops.difference(shrink(shot), shrink(reference))).mean[0]
