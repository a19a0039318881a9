"""Browser fixtures and helpers shared by the tests of the live figures' kinds.

Chromium once per test module (browser_support's ``browser``); a reader's browser context
(``Reader``) that records any console error, page error, failed request or request to another
host, and a desktop and a phone reader as fixtures that fail the test on any (``watching``, and
``still_and_moving`` for the reduced-motion tests); a figure brought live, what it drew, its
drawn prediction against the recording; the phone's page and the checks of a figure on it;
screenshots and the slider's keys. A test module imports the fixtures by name and defines its
own ``server`` fixture (a SiteServer of its harness page)::

    from figure_watch import browser, phone, reader  # noqa: F401 (fixtures, by name)
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from browser_support import DESKTOP, PHONE, browser, watched_context  # noqa: F401 (fixture)
from figure_recordings import recording
from support import REPO

PHONE_WIDTH = PHONE["viewport"]["width"]  # CSS pixels


@contextmanager
def watching(browser, server, missing_file_expected: bool = False, **options):
    """A ``Reader`` with these context options, closed afterwards; if the block ends normally,
    the reader met no problem (but the missing data file's own 404, where it is expected)."""
    watch = Reader(browser, server, **options)
    try:
        yield watch
    finally:
        watch.close()
    assert (watch.expected_problems() if missing_file_expected else watch.problems) == []


@contextmanager
def still_and_moving(browser, server, missing_file_expected: bool = False):
    """Two desktop readers (``watching``): one asks for reduced motion, the other does not."""
    with watching(browser, server, missing_file_expected, reduced_motion="reduce",
                  **DESKTOP) as still, \
            watching(browser, server, missing_file_expected, reduced_motion="no-preference",
                     **DESKTOP) as moving:
        yield still, moving


@pytest.fixture
def reader(browser, server):  # noqa: F811 (the fixture imported above)
    with watching(browser, server, **DESKTOP) as watch:
        yield watch


@pytest.fixture
def phone(browser, server):  # noqa: F811
    with watching(browser, server, **PHONE) as watch:
        yield watch


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
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.context = watched_context(browser, server, self.problems,
                                       reduced_motion=reduced_motion, **options)

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


def open_with_figures(watch, identifiers):
    """Open the page and scroll to each figure of ``identifiers`` until it is live or shows its
    fallback (``go_live``); the page."""
    page = watch.open()
    for identifier in identifiers:
        go_live(page, identifier)
    return page


def fetched_from_the_server(page, watch) -> list[str]:
    """The URLs the page has fetched (its resource timing entries): there are some, and every
    one is the test server's."""
    requested = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert requested and all(url.startswith(watch.server.origin + "/") for url in requested)
    return requested


def wait_until_playing(page, identifier: str) -> None:
    page.wait_for_function(f"() => document.getElementById({identifier!r})"
                           ".tnFigure.drawn().playing === true")


def set_scheme(page, scheme: str) -> None:
    """Switch the page's colour scheme ("default" or "slate") as Material's toggle does."""
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', {scheme!r})")


def switch_scheme(page, scheme: str, identifier: str) -> None:
    """Switch the page's colour scheme; wait until the figure has redrawn in it."""
    set_scheme(page, scheme)
    page.wait_for_function(f"() => document.getElementById({identifier!r})"
                           f".tnFigure.drawn().theme.scheme === {scheme!r}")


def assert_keeps_the_fallback(page, identifier: str):
    """The figure stays its fallback, and its video shows; that video (a locator)."""
    assert go_live(page, identifier) == "fallback"
    video = page.locator(f"#{identifier} video")
    assert video.is_visible()
    return video


FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return [element.getAttribute('class') || element.type || null,
          element.closest('[data-tn-figure]')?.id || null,
          style.outlineStyle, parseFloat(style.outlineWidth)];
}"""


def tab_through(page, presses: int) -> list[tuple]:
    """Press Tab ``presses`` times; after each press, the focused element as (its class, or its
    type where it has none; the id of the figure it is in, None outside any; its outline's
    style; its outline's width in CSS pixels). The class attribute, not ``className``: an SVG
    element's ``className`` is an object."""
    reached = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.append(tuple(page.evaluate(FOCUSED)))
    return reached


def open_keeping_fallbacks(reader, identifiers):
    """Open the page; each figure of ``identifiers`` stays its fallback, its video showing."""
    page = reader.open()
    for identifier in identifiers:
        assert_keeps_the_fallback(page, identifier)
    return page


def leave_the_chart(page, identifier: str) -> None:
    """Move the mouse off the figure's chart; wait until its readout is empty."""
    page.mouse.move(5, 5)
    page.wait_for_function(f"() => document.querySelector('#{identifier} .tn-readout')"
                           ".textContent === ''")


def warned_damaged(warnings: list[str], identifier: str, data_path: str) -> bool:
    """Whether the module warned that the figure's data file is damaged or truncated."""
    return any(warning.startswith(f"tinynets figures: #{identifier}: {data_path}: damaged or "
                                  "truncated") for warning in warnings)


def open_live_on_phone(phone, scheme: str, identifiers):
    """The page on the phone in the colour ``scheme``, each figure of ``identifiers`` live (it
    must be), and the page no wider than the phone (no sideways scrolling)."""
    page = phone.open()
    set_scheme(page, scheme)
    for identifier in identifiers:
        assert go_live(page, identifier) == "live"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH
    return page


def assert_text_legible(page, identifier: str) -> None:
    """Every visible text of the figure is at least 12 CSS pixels."""
    for text, size in page.evaluate(TEXT_SIZES, identifier):
        assert size >= 12, (identifier, text, size)


def assert_fits_the_phone(page, identifier: str) -> dict:
    """The figure lies within the phone's width and its text is legible; what it drew."""
    box = page.locator(f"#{identifier}").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    assert_text_legible(page, identifier)
    return drawn(page, identifier)


def drawn_font_sizes(state: dict, part: str | None = None) -> list[float]:
    """The font sizes a figure reports: its own, else every net's (in ``net[part]`` where a
    net keeps them one level down)."""
    return state.get("fontSizes") or [size for net in state["nets"]
                                      for size in (net[part] if part else net)["fontSizes"]]


def drawn_canvases(state: dict, part: str | None = None) -> list[dict]:
    """The canvases a figure reports: its own, else every net's (as ``drawn_font_sizes``)."""
    return state.get("canvases") or [(net[part] if part else net)["canvas"]
                                     for net in state["nets"]]


def assert_sharp(canvas: dict) -> None:
    """The canvas is drawn at the phone's device pixels (2 a CSS pixel), never scaled."""
    assert canvas["ratio"] == 2 and canvas["width"] == round(canvas["cssWidth"] * 2)


def scheme_name(scheme: str) -> str:
    """How a screenshot's name says the colour scheme: dark for slate, else light."""
    return "dark" if scheme == "slate" else "light"


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
