"""Shared fixtures: a tiny project (fixture content + the repo's templates and mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Test code outside test_*.py files (the suites each engine's tests import, the shared readers)
# gets pytest's assertion messages too: register it before anything imports it.
pytest.register_assert_rewrite("browser_suite", "live_figures_suite", "player_suite",
                               "figure_watch", "process_support")

from support import make_project, run_build  # noqa: E402


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
