"""The kinds' harness page (units, network and comparison figures of the reference nets), built
once per test module and served on 127.0.0.1: the ``site`` and ``server`` fixtures of the tests
of those kinds (the ``browser`` fixture comes from figure_watch)::

    from kinds_harness import server, site  # noqa: F401 (fixtures, by name)
"""

from __future__ import annotations

import pytest
from browser_support import server  # noqa: F401 (fixture: serves the ``site`` below)
from figure_harness import build_kinds_harness


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    return build_kinds_harness(tmp_path_factory.mktemp("inside") / "site")
