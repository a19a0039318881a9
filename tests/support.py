"""Helpers the tests share (fixtures live in conftest.py): where the repository and the fixture
project are, how to make, build and copy a project as an author would, and how to wait for a
server (a free port, a condition polled until it holds).

    root = make_project(tmp_path / "project")           # fixture content + templates + mkdocs.yml
    result = run_build(root, "--jobs", "1")              # python -m tinynets build, in root
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixture"


def make_project(folder: Path, posts: tuple[str, ...] | None = None) -> Path:
    """A fresh copy of the fixture project in ``folder``: content/, templates/, mkdocs.yml.

    ``posts`` keeps only those fixture posts (by slug): tests that count or time what one post
    trains need not wait for the others.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "content", folder / "content")
    if posts is not None:
        for path in (folder / "content" / "posts").glob("*.md"):
            if path.stem not in posts:
                path.unlink()
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def run_build(root: Path, *arguments: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m tinynets build`` in ``root``, as an author would run it."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "tinynets", "build", *arguments],
        cwd=root, env=environment, capture_output=True, text=True, timeout=timeout,
    )


def copy_built(built: Path, folder: Path) -> Path:
    """A writable copy of a built project (hard links would share the cache: copy for real)."""
    shutil.copytree(built, folder, symlinks=True)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 within 5 s (a server still starting does not)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


class Origin:
    """The part of a SiteServer that a browser watch uses: an origin and URLs below it (for a
    server started some other way, such as ``tinynets serve``)."""

    def __init__(self, origin: str):
        self.origin = origin

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"
