"""Shared fixtures: a tiny project (fixture content + the repo's templates and mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import make_project, run_build


def pytest_report_header(config) -> str:
    """The browser the browser tests meet: a failure there says which Chromium it was."""
    from browser_support import chromium_version

    return f"chromium: {chromium_version()}"


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
