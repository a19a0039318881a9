"""The build, as a sequence of stages: validate → train → render → write docs → MkDocs.

Example:
    >>> build(Path("."))                                    # doctest: +SKIP
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tinynets.media import stage as media
from tinynets.pages import site
from tinynets.spec import posts as spec
from tinynets.engine import stage as training
from tinynets.errors import TinynetsError, display_path
from tinynets.progress import ProgressBoard


@dataclass
class Paths:
    """Where a project's inputs and outputs live, all below ``root``."""

    root: Path
    content: Path = field(init=False)
    templates: Path = field(init=False)
    build: Path = field(init=False)
    docs: Path = field(init=False)
    site: Path = field(init=False)
    cache: Path = field(init=False)

    def __post_init__(self):
        self.root = self.root.resolve()
        self.content = self.root / "content"
        self.templates = self.root / "templates"
        self.build = self.root / "build"
        self.docs = self.build / "docs"
        self.site = self.build / "site"
        self.cache = self.build / "cache"


def build(root: Path, force: bool = False, only: str | None = None, jobs: int | None = None,
          quiet: bool = False, make_site: bool = True, log=None, serving: bool = False) -> dict:
    """Build the project at ``root``; return a summary of what was done.

    ``serving`` (``serve`` only) adds the script that shows a failed rebuild on every page.
    """
    started = time.perf_counter()
    log = log or (lambda message: None if quiet else print(message, flush=True))
    paths = Paths(root)
    jobs = jobs or os.cpu_count() or 1

    # 1. Load and validate every post (all problems listed at once) before writing anything.
    posts = spec.load_posts(paths.content)
    if only is not None:
        chosen = [post for post in posts if post.slug == only]
        if not chosen:
            raise TinynetsError(f"--only {only}: no post content/posts/{only}.md. Posts: "
                                f"{', '.join(post.slug for post in posts)}.")
        posts = chosen
    for folder in (paths.build, paths.cache, paths.docs):
        check_writable(folder)

    # 2. Train every net whose recording is not cached.
    runs = training.train_missing(posts, paths.cache, force, jobs, log,
                                  ProgressBoard(quiet=quiet))

    # 3. Render every animation and plot that is not cached.
    rendered = media.render_missing(posts, runs, paths.cache, force, log, jobs)

    # 4. Render every page in memory, then bring build/docs up to date.
    pages = site.render_pages(posts, runs, paths.content, paths.templates)
    files = site.docs_files(posts, rendered, paths.content, paths.templates)
    if serving:
        pages.update(site.serve_pages())
        files.update(site.serve_files(paths.templates))
    with exclusive(paths.build / ".lock"):  # two builds at once take turns from here on
        changed = site.sync_docs(paths.docs, pages, files)

        # 5. MkDocs builds the site into a temporary folder that then replaces build/site.
        if make_site:
            site.build_site(paths.root, paths.site, quiet)
    seconds = time.perf_counter() - started
    log(f"built {len(posts)} post{'s' if len(posts) != 1 else ''} "
        f"({changed} docs file{'s' if changed != 1 else ''} changed) in {seconds:.1f}s"
        + (f" → {paths.site.relative_to(paths.root)}" if make_site else ""))
    return {"posts": len(posts), "runs": runs, "seconds": seconds, "changed": changed}


@contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (released when the process ends, even killed)."""
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_writable(folder: Path) -> None:
    """Fail early, before any work, if the output folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink(missing_ok=True)  # another build's docs sweep may have removed it
    except OSError as error:
        raise TinynetsError(f"cannot write the output folder {display_path(folder)}: "
                            f"{error.strerror}. "
                            "Make it writable (or remove it) and build again.") from None
