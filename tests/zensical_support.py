"""The fixture project built with Zensical (``--engine zensical``), for the tests of that engine.

Zensical is optional (``make zensical``): without it these tests skip and say how to install it,
except when ``CI`` is set, where they fail (CI installs it and must test both engines).
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

import pytest
from support import copy_built, run_build

ZENSICAL_SITE_URL = "https://example.org/zensical/"


def require_zensical() -> None:
    if find_spec("zensical") is not None:
        return
    message = ("the Zensical tests need Zensical: make zensical (pip install -r "
               "requirements-zensical.txt -c requirements.lock)")
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so they may not be skipped)", pytrace=False)
    pytest.skip(message)


def build_with_zensical(built_project: Path, folder: Path, site_url: str | None = None):
    """A copy of the built fixture project, rebuilt (warm) by Zensical; returns (root, result)."""
    require_zensical()
    root = copy_built(built_project, folder)
    before = os.environ.pop("TINYNETS_SITE_URL", None)
    if site_url:
        os.environ["TINYNETS_SITE_URL"] = site_url
    try:
        result = run_build(root, "--engine", "zensical")
    finally:
        os.environ.pop("TINYNETS_SITE_URL", None)
        if before is not None:
            os.environ["TINYNETS_SITE_URL"] = before
    return root, result
