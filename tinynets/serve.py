"""``python -m tinynets serve``: build, serve with live reload, rebuild when the content changes.

MkDocs' own server watches build/docs and reloads the browser; this process watches content/
and templates/ and, on a change, re-runs the stages before MkDocs (validate, train, render,
write docs). A broken edit prints its error and keeps the last good pages on screen.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tinynets.build import Paths, build
from tinynets.errors import TinynetsError


def snapshot(folders: list[Path]) -> dict[str, tuple[float, int]]:
    """Modification time and size of every file below ``folders``."""
    state = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    state[str(path)] = (stat.st_mtime, stat.st_size)
    return state


def rebuild(root: Path) -> bool:
    try:
        build(root, make_site=False)
        return True
    except TinynetsError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return False


def serve(root: Path, address: str = "127.0.0.1:8000", poll_seconds: float = 0.5) -> None:
    paths = Paths(root)
    rebuild(paths.root)
    watched = [paths.content, paths.templates]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                               "--dev-addr", address, "--config-file",
                               str(paths.root / "mkdocs.yml")], cwd=paths.root)
    print(f"serving http://{address}/ — editing content/ or templates/ rebuilds", flush=True)
    state = snapshot(watched)
    try:
        while server.poll() is None:
            time.sleep(poll_seconds)
            current = snapshot(watched)
            if current != state:
                state = current
                print("change detected: rebuilding", flush=True)
                rebuild(paths.root)
    finally:
        server.terminate()
        server.wait(timeout=10)
