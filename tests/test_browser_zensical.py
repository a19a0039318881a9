"""Every browser test of test_browser.py, run again on the site as Zensical builds it.

The tests are imported from browser_suite (so a test added there runs on both engines); only the
``site`` fixture differs: the fixture project rebuilt warm with ``--engine zensical``. As there,
nothing may leave 127.0.0.1: the check is on what the browser actually requests (Zensical's
bundle, like Material's, holds URLs such as polyfills that it loads only when needed; those are
not requests and do not count), so a page that did fetch from another host fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_suite import *  # noqa: F401,F403  the tests and their fixtures
from zensical_support import build_with_zensical

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(browser, built_project, tmp_path_factory) -> Path:
    root, result = build_with_zensical(built_project,
                                       tmp_path_factory.mktemp("browser-zensical") / "project")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build" / "site"
