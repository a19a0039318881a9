"""The shape of the package is a checked contract: stages import only the stages below them (the
import-linter contracts in pyproject.toml), no module imports another's private names, no
module grows past 450 lines, and no docstring example is skipped."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO

PACKAGE = REPO / "tinynets"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LARGEST_MODULE = 449  # lines: "under 450"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter's command on the package under ``root``, with ``root``'s pyproject.toml."""
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"),
                           "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_the_layers_and_the_no_cycle_contracts_hold():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_contracts_catch_an_upward_import_and_a_cycle_made_inside_a_function(tmp_path):
    # The contracts can fail: a copy of the package with a stage importing one above it, and
    # two modules of a stage importing each other (one of them inside a function).
    copy = tmp_path / "copy"
    shutil.copytree(PACKAGE, copy / "tinynets", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    with open(copy / "tinynets" / "engine" / "data.py", "a", encoding="utf-8") as module:
        module.write("\n\ndef _late():\n    from tinynets.pages import formatting  # noqa\n")
    with open(copy / "tinynets" / "measure" / "finals.py", "a", encoding="utf-8") as module:
        module.write("\n\ndef _late():\n    from tinynets.measure import results  # noqa\n")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout
    assert "Contracts: 0 kept, 2 broken." in result.stdout
    assert "tinynets.engine.data -> tinynets.pages.formatting" in result.stdout
    assert ".results -> .finals" in result.stdout


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_module_is_longer_than_449_lines():
    long = {str(path.relative_to(REPO)): count for path in modules()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > LARGEST_MODULE}
    assert long == {}


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()  # what this module calls the tinynets modules it imports
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tinynets"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}: {alias.name}")
                    names.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                          if alias.name.startswith("tinynets")}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in names and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: "
                             f"{node.value.id}.{node.attr}")
    assert found == []


def test_docstring_examples_run_rather_than_being_skipped():
    # pytest runs them (--doctest-modules on the package, pyproject.toml); an example that
    # cannot run is written as a plain code block instead.
    skipped = [f"{path.relative_to(REPO)}:{number}" for path in modules()
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if "doctest: +SKIP" in line]
    assert skipped == []
