"""The built fixture site in a real browser: Debian's Chromium driven by Playwright.

The tests are tests/browser_suite.py's, shared with test_browser_zensical.py (the same tests on
the Zensical build); here they run on the MkDocs build (browser_support's ``site`` fixture).
Without Playwright or Chromium they skip with the reason, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

from browser_suite import *  # noqa: F401,F403  the tests and their fixtures
