"""Shared fixtures: a tiny project (fixture content + the repo's templates and mkdocs.yml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixture"


def pytest_report_header(config) -> str:
    """The browser the browser tests meet: a failure there says which Chromium it was."""
    from browser_support import chromium_version

    return f"chromium: {chromium_version()}"


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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An unbuilt copy of the fixture project."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The fixture project built once per test session (read-only: copy it to modify it)."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    # What the first build said on stderr, beside the project (test_end_to_end reads it).
    (root.parent / "first-build.stderr").write_text(result.stderr, encoding="utf-8")
    return root


def copy_built(built: Path, folder: Path) -> Path:
    """A writable copy of a built project (hard links would share the cache: copy for real)."""
    shutil.copytree(built, folder, symlinks=True)
    return folder
