"""Browser fixtures and helpers shared by the tests of the live figures' kinds.

Chromium once per test module; a reader's browser context (``Reader``) that records any console
error, page error, failed request or request to another host, and a desktop and a phone reader
as fixtures that fail the test on any; a figure brought live, what it drew, its drawn prediction
against the recording; screenshots and the slider's keys. A test module imports the fixtures by
name and defines its own ``server`` fixture (a SiteServer of its harness page)::

    from figure_watch import browser, phone, reader  # noqa: F401 (fixtures, by name)
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, TIMEOUT, require_browser
from figure_recordings import recording
from support import REPO


@pytest.fixture(scope="module")
def browser():
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def reader(browser, server):
    watch = Reader(browser, server, **DESKTOP)
    yield watch
    watch.close()
    assert watch.problems == []


@pytest.fixture
def phone(browser, server):
    watch = Reader(browser, server, **PHONE)
    yield watch
    watch.close()
    assert watch.problems == []


def shot(page, folder: Path, name: str, identifier: str) -> None:
    """A screenshot of one figure, for a reader of the test's artifacts."""
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(f"#{identifier}").screenshot(path=str(folder / f"{name}.png"))


def to_frame(page, identifier: str, frame: int) -> None:
    """Move a figure's slider to ``frame`` with the keys (Home, then the right arrow)."""
    slider = page.locator(f"#{identifier} .tn-slider")
    slider.focus()
    slider.press("Home")
    for _ in range(frame):
        slider.press("ArrowRight")


EXPLORABLE_ARTIFACTS = REPO / "test-artifacts" / "explorable"


class Reader:
    """A browser context and its pages, recording every problem a reader would meet."""

    def __init__(self, browser, server, reduced_motion="reduce", **options):
        self.server = server
        self.context = browser.new_context(reduced_motion=reduced_motion, **options)
        self.context.set_default_timeout(TIMEOUT)
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.context.route(lambda url: not url.startswith(server.origin + "/")
                           and urlsplit(url).scheme in ("http", "https", "ws", "wss"),
                           self._outside)

    def _outside(self, route):
        self.problems.append(f"request to another host: {route.request.url}")
        route.abort()

    def open(self, path="index.html"):
        page = self.context.new_page()

        def console(message):
            if message.type == "error":
                self.problems.append(f"console error: {message.text}")
            elif message.type == "warning":
                self.warnings.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status} for {response.url}"))
        page.goto(self.server.url(path), wait_until="load")
        return page

    def expected_problems(self) -> list[str]:
        """What is left once the missing data file's own 404 (and the console line Chromium
        writes for it) are taken out: those are the test of the fallback, not a fault."""
        return [problem for problem in self.problems
                if not re.search(r"missing\.tnfd$", problem)
                and problem != "console error: Failed to load resource: the server responded "
                               "with a status of 404 (File not found)"]

    def close(self):
        self.context.close()


def go_live(page, identifier: str) -> str:
    """Scroll the figure into view, wait until it is live or shows its fallback."""
    page.locator(f"#{identifier}").scroll_into_view_if_needed()
    return page.evaluate(f"() => document.getElementById({identifier!r}).tnFigure.ready")


def drawn(page, identifier: str) -> dict:
    return page.evaluate(f"() => document.getElementById({identifier!r}).tnFigure.drawn()")


def explorable_shot(page, name: str, identifier: str | None = None) -> None:
    EXPLORABLE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(f"#{identifier}") if identifier else page
    target.screenshot(path=str(EXPLORABLE_ARTIFACTS / f"{name}.png"))


def assert_drawn_prediction(values, name: str, frame: int, seed: int, decoded) -> None:
    """The drawn curve equals the recorded one within the file's stated tolerance (and the
    Python reader's decoding exactly)."""
    seed_index = list(decoded[name].seeds).index(seed)
    recorded = np.asarray(recording(name).predictions[frame, seed_index], dtype=np.float64)
    drawn_values = np.array([np.nan if value is None else value for value in values])
    assert drawn_values.shape == recorded.shape
    tolerance = decoded[name].tolerance
    assert np.abs(drawn_values - recorded).max() <= tolerance * (1 + 1e-9)
    assert np.array_equal(drawn_values, decoded[name].predictions[frame, seed_index])


TEXT_SIZES = """(id) => {
  const sizes = [];
  const walker = document.createTreeWalker(document.getElementById(id), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || !node.parentElement.offsetParent) continue;
    sizes.push([node.textContent.trim().slice(0, 30),
                parseFloat(getComputedStyle(node.parentElement).fontSize)]);
  }
  return sizes;
}"""
