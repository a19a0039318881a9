"""``python -m tinynets serve``: build, serve with live reload, rebuild when the content changes.

MkDocs' own server watches build/docs and reloads the browser; this process watches content/
and templates/ and, on a change, re-runs the stages before MkDocs (validate, train, render,
write docs). A broken edit keeps the last good pages on screen and shows its error on every page
as a banner (and in the terminal).

What is expensive stays warm between rebuilds: TensorFlow and matplotlib are imported once, and
the compiled training loops are kept per net shape, so a changed learning rate or epoch count
retrains without compiling again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

from tinynets import atomic
from tinynets.build import BuildOptions, DocsExtras, Paths, build_docs
from tinynets.errors import TinynetsError
from tinynets.pages import site
from tinynets.pages.site import SERVE_SCRIPT, SERVE_STATUS

READY_FILE = ".serve-ready"  # in build/: written once serve is warm (benchmarks wait for it)
# Nets train and media render in serve's own process, one at a time: what they import and
# compile stays warm for the next edit (a worker pool would start, import and compile anew).
SERVE_OPTIONS = BuildOptions(jobs=1)


def snapshot(folders: list[Path]) -> dict[str, tuple[float, int]]:
    """Modification time and size of every file below ``folders``."""
    state = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    state[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return state


def write_status(paths: Paths, error: str | None) -> None:
    """Tell the pages whether the last build failed (the banner script reads this file)."""
    status = {"ok": True} if error is None else {"ok": False, "error": error}
    atomic.write_text(paths.docs / SERVE_STATUS, json.dumps(status, ensure_ascii=False))


def rebuild(root: Path, options: BuildOptions = SERVE_OPTIONS) -> bool:
    """Run the stages before MkDocs (with the banner's script and status added to build/docs);
    on an author's mistake, print it and show it on the pages."""
    paths = Paths(root)
    try:
        build_docs(root, options, extras=DocsExtras(site.serve_pages(),
                                                     site.serve_files(paths.templates)))
        return True
    except TinynetsError as error:
        message = str(error)
    except Exception:  # noqa: BLE001 - a bug of ours must not end the session either
        message = "internal error (please report it):\n" + traceback.format_exc()
    print(f"error: {message}", file=sys.stderr, flush=True)
    if paths.docs.is_dir():
        write_status(paths, message)
    return False


def serve_config(paths: Paths) -> Path:
    """A MkDocs config for serving: the project's own, plus the error-banner script.

    It inherits mkdocs.yml (MkDocs' ``INHERIT``), so every setting stays in one place; only
    ``docs_dir`` (absolute, since this file lives in build/) and the scripts list are added.
    """
    from mkdocs.utils.yaml import yaml_load

    with open(paths.root / "mkdocs.yml", "rb") as source:
        project = yaml_load(source)
    scripts = [*project.get("extra_javascript", []), SERVE_SCRIPT]
    config = {"INHERIT": str(paths.root / "mkdocs.yml"), "docs_dir": str(paths.docs),
              "extra_javascript": scripts}
    # Paths in a config are relative to its own folder: this one lives in build/, so the
    # project's relative folders are made absolute (the theme's merges key by key).
    theme = project.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        config["theme"] = {"custom_dir": str(paths.root / theme["custom_dir"])}
    if project.get("hooks"):
        config["hooks"] = [str(paths.root / hook) for hook in project["hooks"]]
    path = paths.build / "mkdocs-serve.yml"
    atomic.write_text(path, json.dumps(config, ensure_ascii=False, indent=2))  # JSON is YAML
    return path


def warm_up() -> None:
    """Import what a rebuild that trains or renders needs, before the author's first edit."""
    from tinynets.engine import loop  # noqa: F401 - TensorFlow and Keras, once
    from tinynets.media import render  # noqa: F401 - matplotlib, once


def serve(root: Path, address: str = "127.0.0.1:8000", poll_seconds: float = 0.2) -> None:
    paths = Paths(root)
    rebuild(paths.root)
    watched = [paths.content, paths.templates]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                               "--dev-addr", address, "--config-file",
                               str(serve_config(paths))], cwd=paths.root)
    print(f"serving http://{address}/ — editing content/ or templates/ rebuilds", flush=True)
    warming = threading.Thread(target=_warm_then_mark, args=(paths,), daemon=True)
    warming.start()
    state = snapshot(watched)
    try:
        while server.poll() is None:
            time.sleep(poll_seconds)
            current = snapshot(watched)
            if current != state:
                state = current
                print("change detected: rebuilding", flush=True)
                warming.join()  # never import TensorFlow from two threads at once
                rebuild(paths.root)
    finally:
        server.terminate()
        server.wait(timeout=10)
        (paths.build / READY_FILE).unlink(missing_ok=True)


def _warm_then_mark(paths: Paths) -> None:
    warm_up()
    (paths.build / READY_FILE).write_text("warm\n")
