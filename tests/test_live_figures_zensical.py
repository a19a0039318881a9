"""The live-figure tests of live_figures_suite.py, run again on the site as Zensical builds it.

Only the ``site`` fixture differs: the fixture project rebuilt warm with ``--engine zensical``
(the module is loaded the same way, from mkdocs.yml's extra_javascript). Instant navigation and
``tinynets serve`` are MkDocs' (Material's bundle, MkDocs' development server): their tests run
once, in test_live_figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_figures_suite import *  # noqa: F401,F403  the tests and their fixtures
from zensical_support import build_with_zensical

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(browser, built_project, tmp_path_factory) -> Path:
    root, result = build_with_zensical(built_project,
                                       tmp_path_factory.mktemp("live-zensical") / "project")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build" / "site"
