"""The comparison player tells the truth, in Chromium driven by Playwright.

The tests of tests/player_suite.py run here on the MkDocs build (test_player_zensical.py runs
them again on the Zensical build); the one below needs MkDocs itself: scrubbing under ``python -m
tinynets serve`` (``make serve``, MkDocs' development server, whatever the engine).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from player_suite import *  # noqa: F401,F403  the tests and their fixtures
from player_suite import scrub_and_pause
from support import REPO, Origin, answers, copy_built, free_port, wait_for


@pytest.fixture(scope="module")
def tinynets_serve(player_project, tmp_path_factory):
    """``python -m tinynets serve`` on a free port, on its own copy of the project."""
    root = copy_built(player_project, tmp_path_factory.mktemp("serve") / "project")
    port = free_port()
    log = root / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tinynets", "serve", "--address", f"127.0.0.1:{port}"],
            cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    server = Origin(f"http://127.0.0.1:{port}")
    try:
        # its first build may re-render on a loaded machine: be patient
        assert wait_for(lambda: answers(server.url("four/")), 300), \
            "tinynets serve did not answer within 300 s:\n" + log.read_text()[-3000:]
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_scrubbing_under_tinynets_serve(browser, tinynets_serve):
    # MkDocs' server answers without ranges today; either way scrubbing must work
    scrub_and_pause(browser, tinynets_serve)
