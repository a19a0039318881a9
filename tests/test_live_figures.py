"""The built fixture site's figures, drawn live by the figures module, in Chromium (Playwright).

The tests of tests/live_figures_suite.py run here on the MkDocs build (test_live_figures_zensical.py
runs them again on the Zensical build); the ones below need MkDocs itself: Material's instant
navigation, and ``tinynets serve`` (MkDocs' development server).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from browser_support import DESKTOP, SiteServer, Watch
from live_figures_suite import *  # noqa: F401,F403  the tests and their fixtures
from live_figures_suite import LIVE, by_id, go_live
from support import REPO, Origin, answers, copy_built, free_port, run_build, wait_for


# --- Instant navigation, serve --------------------------------------------------------------------

@pytest.fixture(scope="module")
def instant(built_project, tmp_path_factory):
    """The fixture project with Material's instant navigation on, rebuilt (nothing trains) and
    served: instant navigation follows the sitemap, which lists pages only under a site_url,
    so the site is built for the address it is served at."""
    root = copy_built(built_project, tmp_path_factory.mktemp("instant") / "project")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    - navigation.tabs\n",
                                   "    - navigation.tabs\n    - navigation.instant\n"),
                      encoding="utf-8")
    with SiteServer(root / "build" / "site") as running:
        before = os.environ.get("TINYNETS_SITE_URL")
        os.environ["TINYNETS_SITE_URL"] = running.origin + "/"
        try:
            result = run_build(root)
        finally:
            if before is None:
                del os.environ["TINYNETS_SITE_URL"]
            else:
                os.environ["TINYNETS_SITE_URL"] = before
        assert result.returncode == 0, result.stdout + result.stderr
        yield running


def test_figures_go_live_after_instant_navigation(browser, instant):  # noqa: F811
    watch = Watch(browser, instant, reduced_motion="reduce", **DESKTOP)
    try:
        page = watch.open("/")
        page.evaluate("() => { window.tnSamePage = true; }")
        page.locator("a[href$='/tiny/']").first.click()   # instant navigation: absolute hrefs
        page.wait_for_url("**/tiny/")
        assert go_live(page, "figure-wide") == "live"
        assert go_live(page, "compare-wide-deep") == "live"
        # no page load happened: the module followed Material's document$
        assert page.evaluate("() => window.tnSamePage") is True
        # and tinynets.js plays the figures the module does not draw there too
        units = by_id(page, "units-wide")
        if units.get_attribute("data-tn-figure") is None:
            assert units.locator("figcaption .tn-toggle").count() == 1
        # back to the index and forth again: the page's figures are drawn anew
        page.go_back()
        page.wait_for_url(instant.url("/"))
        page.go_forward()
        page.wait_for_url("**/tiny/")
        assert go_live(page, "figure-wide") == "live"
        assert page.evaluate("() => window.tnSamePage") is True
    finally:
        watch.close()
    assert watch.problems == []


@pytest.fixture(scope="module")
def served(built_project, tmp_path_factory):
    """``python -m tinynets serve`` on a free port, on its own copy of the built project."""
    root = copy_built(built_project, tmp_path_factory.mktemp("live-serve") / "project")
    port = free_port()
    log = root / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tinynets", "serve", "--address", f"127.0.0.1:{port}"],
            cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        origin = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: answers(origin + "/tiny/"), 300), log.read_text()[-3000:]
        yield origin
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_figures_go_live_under_tinynets_serve(browser, served):  # noqa: F811
    watch = Watch(browser, Origin(served), reduced_motion="reduce", **DESKTOP)
    try:
        page = watch.open("/tiny/")
        for identifier in LIVE["/tiny/"]:
            assert go_live(page, identifier) == "live"
    finally:
        watch.close()
    assert watch.problems == []
