"""`python -m tinynets serve` rebuilds the site after a content edit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from support import REPO, copy_built, free_port, wait_for


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_serve_rebuilds_after_content_edit(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "served")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tinynets", "serve", "--address", f"127.0.0.1:{port}"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/tiny/"
    try:
        assert wait_for(lambda: "Two tiny nets, a few epochs." in (fetch(url) or ""), 60)
        post = root / "content" / "posts" / "tiny.md"
        post.write_text(post.read_text().replace("Two tiny nets, a few epochs.",
                                                 "Two tiny nets, edited while serving."))
        assert wait_for(lambda: "edited while serving" in (fetch(url) or ""), 60)
        # A template edit rebuilds too.
        macros = root / "templates" / "macros.j2"
        macros.write_text(macros.read_text().replace("Download the GIF", "Save the GIF"))
        assert wait_for(lambda: "Save the GIF" in (fetch(url) or ""), 60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    assert "change detected: rebuilding" in output
    # every build (the first, and one per change) runs MkDocs once, not twice. MkDocs' own
    # "Documentation built in 0.25 seconds" line is no count of builds: under serve its logger
    # drops a line identical to an earlier one, so two builds of equal duration print it once.
    assert output.count("Building documentation...") == \
        output.count("change detected: rebuilding") + 1, output


def _start_serve(root, port):
    return subprocess.Popen(
        [sys.executable, "-m", "tinynets", "serve", "--address", f"127.0.0.1:{port}"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def test_serve_shows_a_failed_build_on_the_page_and_recovers_retraining_once(built_project,
                                                                          tmp_path):
    root = copy_built(built_project, tmp_path / "served")
    port = free_port()
    server = _start_serve(root, port)
    base = f"http://127.0.0.1:{port}/"
    status = base + "tinynets-status.json"
    post = root / "content" / "posts" / "tiny.md"
    original = post.read_text()
    try:
        assert wait_for(lambda: '"ok": true' in (fetch(status) or ""), 90)
        page = fetch(base + "tiny/") or ""
        assert "assets/tinynets-serve.js" in page  # the banner script, under serve only
        assert "Download the GIF" in page

        # A broken edit: the pages stay, and every page learns what failed and where.
        post.write_text(original.replace("# A tiny fixture post",
                                         "# A tiny fixture post\n\n{{ nets['wide'].median | sig"))
        assert wait_for(lambda: '"ok": false' in (fetch(status) or ""), 90)
        failure = fetch(status)
        assert "content/posts/tiny.md" in failure and "template syntax error" in failure
        assert "Download the GIF" in (fetch(base + "tiny/") or "")  # last good pages stay

        # Fixing it and changing one net's learning rate: that net retrains, once.
        post.write_text(original.replace("learning_rate: 0.01", "learning_rate: 0.02"))
        assert wait_for(lambda: '"ok": true' in (fetch(status) or ""), 120)
        time.sleep(1.5)  # a second, spurious rebuild would show up in the log by now
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert output.count("train   tiny/deep: learning_rate 0.01 → 0.02") == 1, output
    assert "train   tiny/wide" not in output, output
    # The published build never carries the serve script.
    assert not (built_project / "build" / "site" / "assets" / "tinynets-serve.js").exists()
