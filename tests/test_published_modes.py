"""The published site has the usual modes: a web server running as another user can read it.

Folders get 777 and files 666, less the umask (755 / 644 under the usual 022), whichever engine
builds the site; nothing stays private because it went through a temporary folder or file.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, copy_built
from zensical_support import require_zensical


def build_under_umask(root: Path, umask: int, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tinynets", "build", *arguments], cwd=root,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=600, preexec_fn=lambda: os.umask(umask))


def wrong_modes(folder: Path, umask: int) -> list[str]:
    """Every path below (and including) ``folder`` whose mode is not 777/666 less ``umask``."""
    wrong = []
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        if not path.is_symlink() and mode != expected:
            wrong.append(f"{path.relative_to(folder.parent)}: {mode:o}, expected {expected:o}")
    return wrong


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_the_published_site_has_the_usual_modes(built_project, tmp_path, engine, umask):
    if engine == "zensical":
        require_zensical()
    root = copy_built(built_project, tmp_path / "project")
    shutil.rmtree(root / "build" / "site")
    post = root / "content" / "posts" / "tiny.md"  # a page to write anew, too
    post.write_text(post.read_text().replace("Two tiny nets", "Two small nets"))
    result = build_under_umask(root, umask, "--engine", engine)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "build" / "site"
    assert (site / "tiny" / "index.html").is_file() and any(site.rglob("*.webm"))
    assert wrong_modes(site, umask) == []
    # The pages MkDocs reads (and `serve` serves from) are written the same way (the page that
    # changed is written anew; the others stay as the first build left them).
    page = root / "build" / "docs" / "posts" / "tiny.md"
    assert "Two small nets" in page.read_text()
    assert stat.S_IMODE(page.stat().st_mode) == 0o666 & ~umask
