"""tinynets is an installed package: `make` installs it into .venv (``pip install -e .`` after the
lock), so ``python -m tinynets``, ``import tinynets``, the ``tinynets`` command and Dask's
``dask worker`` find it from any folder; its version comes from pyproject.toml."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support import REPO

VERSION = re.search(r'^version = "([^"]+)"$', (REPO / "pyproject.toml").read_text(),
                    re.MULTILINE).group(1)


def outside_the_checkout(tmp_path: Path, *command: str) -> subprocess.CompletedProcess:
    """``command`` run from a folder outside the checkout, with no PYTHONPATH to find it."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_python_m_tinynets_and_the_tinynets_command_report_the_version_from_any_folder(
        tmp_path):
    module = outside_the_checkout(tmp_path, sys.executable, "-m", "tinynets", "--version")
    assert (module.returncode, module.stdout, module.stderr) == (0, f"tinynets {VERSION}\n", "")
    command = outside_the_checkout(tmp_path, str(Path(sys.executable).parent / "tinynets"),
                                   "--version")
    assert (command.returncode, command.stdout, command.stderr) == (0, f"tinynets {VERSION}\n",
                                                                   "")


def test_import_tinynets_from_any_folder_finds_this_checkout(tmp_path):
    found = outside_the_checkout(tmp_path, sys.executable, "-c",
                                 "import tinynets; print(tinynets.__version__); "
                                 "print(tinynets.__file__)")
    assert found.returncode == 0, found.stderr
    version, location = found.stdout.splitlines()
    assert version == VERSION
    assert Path(location).resolve() == (REPO / "tinynets" / "__init__.py").resolve(), (
        "the venv's tinynets is another checkout's: run `make` here (pip install -e .)")


def test_make_installs_the_package_after_the_lock_without_its_dependencies():
    dry = subprocess.run(["make", "-n", "-B", "venv"], cwd=REPO, capture_output=True, text=True,
                         timeout=60)
    assert dry.returncode == 0, dry.stderr
    commands = dry.stdout.splitlines()
    lock = [i for i, line in enumerate(commands) if "-r requirements.lock" in line]
    package = [i for i, line in enumerate(commands)
               if re.search(r"pip install .*--no-deps .*-e \.$", line)]
    assert lock and package and lock[0] < package[0], dry.stdout
    # The locked setuptools builds it: no download, no unpinned build dependency.
    assert "--no-build-isolation" in commands[package[0]]
