"""Browser fixtures and helpers shared by the tests of the 2-D and sweep figure kinds.

Chromium once per test module; a desktop and a phone reader (test_explorable_figures.Reader)
that fail the test on any console error, page error, failed request or request to another
host; a screenshot helper and the slider's keys. A test module imports the fixtures by name
and defines its own ``server`` fixture (a SiteServer of its harness page)::

    from figure_watch import browser, phone, reader  # noqa: F401 (fixtures, by name)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_explorable_figures import DESKTOP, PHONE, Reader


@pytest.fixture(scope="module")
def browser():
    from browser_support import CHROMIUM, CHROMIUM_ARGS, require_browser

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
