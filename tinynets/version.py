r"""The version of tinynets: pyproject.toml's, whether the package runs from a checkout or is
installed (``pip install -e .`` in .venv, which ``make`` does, records the same one).

>>> import re
>>> bool(re.fullmatch(r"\d+\.\d+\.\d+\S*", package_version()))
True
"""

from __future__ import annotations

import re
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def package_version() -> str:
    """pyproject.toml's version beside this package (a checkout: the code that runs), else the
    installed package's metadata, else "unknown"."""
    try:
        text = PYPROJECT.read_text(encoding="utf-8")
    except OSError:
        text = ""
    if re.search(r'^name = "tinynets"$', text, re.MULTILINE):
        found = re.search(r'^version = "([^"]+)"$', text, re.MULTILINE)
        if found:
            return found.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tinynets")
    except PackageNotFoundError:
        return "unknown"
