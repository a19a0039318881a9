"""The build, as a sequence of stages: validate → train → render → write docs → MkDocs.

Example::

    build(Path("."))
"""

from __future__ import annotations

import fcntl
import functools
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tinynets import atomic
from tinynets.media import live, stage as media
from tinynets.pages import analysis, feed, publishing, site, template_cache
from tinynets.posts.load import load_posts
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


def _while_running(function):
    """Run a build inside ``running``: it marks the build as live and sweeps old leftovers."""

    @functools.wraps(function)
    def build_while_running(root: Path, *arguments, **options) -> dict:
        quiet, log = options.get("quiet", False), options.get("log")
        log = log or (lambda message: None if quiet else print(message, flush=True))
        with running(Paths(root).build, log):
            return function(root, *arguments, **options)

    return build_while_running


@_while_running
def build(root: Path, force: bool = False, only: str | None = None, jobs: int | None = None,
          quiet: bool = False, make_site: bool = True, log=None, serving: bool = False,
          engine: str = "mkdocs", executor: str = "local", scheduler: str | None = None) -> dict:
    """Build the project at ``root``; return a summary of what was done.

    ``engine`` builds build/docs into build/site: ``mkdocs`` (default) or ``zensical``.

    ``executor`` runs the training: ``local`` (default, the process pool) or ``dask`` (the Dask
    scheduler at ``scheduler``, or a local Dask cluster without one; see engine.executors).

    ``serving`` (``serve`` only) adds the script that shows a failed rebuild on every page.
    """
    started = time.perf_counter()
    log = log or (lambda message: None if quiet else print(message, flush=True))
    paths = Paths(root)
    jobs = jobs or os.cpu_count() or 1

    # 1. Load and validate every post (all problems listed at once) before writing anything.
    posts = load_posts(paths.content)
    every_post = posts  # a preview (--only) keeps the other posts' pages as they are
    if only is not None:
        chosen = [post for post in posts if post.slug == only]
        if not chosen:
            raise TinynetsError(f"--only {only}: no post content/posts/{only}.md. Posts: "
                                f"{', '.join(post.slug for post in posts)}.")
        posts = chosen
    for folder in (paths.build, paths.cache, paths.docs):
        check_writable(folder)
    public = publishing.public_site(paths.root)  # site_url: mkdocs.yml or $TINYNETS_SITE_URL
    template_cache.use(paths.cache / "templates")  # what checks and compiles leave
    analysis.check_templates(posts, paths.templates)  # template typos: before training
    uses = analysis.uses(posts, paths.templates)  # what each page shows: its media are planned
    kinds = live.shipped_kinds(paths.templates)  # the figures the browser draws: data files

    # 2. Train every net whose recording is not cached, and 3. render every animation and plot
    # of the media plan (and write every figure data file) that is not cached: one pool of
    # workers for both, a medium started as soon as its runs are.
    board = ProgressBoard(quiet=quiet)
    with media.Renderer(posts, uses, paths.cache, force, log, jobs, board.show,
                        kinds) as renderer:
        runs = training.train_missing(posts, paths.cache, force, jobs, log, board, executor,
                                      scheduler, pool=renderer.pool, on_runs=renderer.update)
        plan = renderer.finish(runs)

    # 4. Render every page in memory (its media from the plan), then bring build/docs up to date.
    pages = site.render_pages(posts, runs, plan, paths.content, paths.templates)
    files = site.docs_files(posts, plan, paths.cache, paths.content, paths.templates)
    if only is not None:
        missing = keep_other_posts(paths.docs, every_post, only, pages, files)
        log(f"preview of {only}: the other posts stay as the last build left them"
            + (f" ({', '.join(missing)} not built yet: run a full build)" if missing else ""))
    # The RSS feed of the posts, from their front matter (its absolute links need site_url).
    if public.url:
        pages[feed.FEED] = feed.rss(public, pages, feed.authors(paths.content),
                                    feed.blog_settings(publishing.read_config(paths.root)))
    else:
        log(publishing.missing_note())
    if serving:
        pages.update(site.serve_pages())
        files.update(site.serve_files(paths.templates))
    with exclusive(paths.build / ".lock"):  # two builds at once take turns from here on
        changed = site.sync_docs(paths.docs, pages, files)

        # 5. MkDocs builds the site into a temporary folder that then replaces build/site.
        if make_site:
            site.build_site(paths.root, paths.site, quiet, engine=engine, site_url=public.url)
    seconds = time.perf_counter() - started
    log(f"built {len(posts)} post{'s' if len(posts) != 1 else ''} "
        f"({changed} docs file{'s' if changed != 1 else ''} changed) in {seconds:.1f}s"
        + (f" → {paths.site.relative_to(paths.root)}" if make_site else ""))
    return {"posts": len(posts), "runs": runs, "seconds": seconds, "changed": changed}


def keep_other_posts(docs: Path, posts, only: str, pages: dict[str, str],
                     files: dict[str, Path]) -> list[str]:
    """Add every other post's existing page and media in build/docs to ``pages`` and ``files``,
    so that a preview of one post does not remove the rest of the site; return the slugs of the
    posts that have no page in build/docs yet. Posts deleted from content/ are not kept."""
    missing = []
    for post in posts:
        if post.slug == only:
            continue
        page = docs / "posts" / f"{post.slug}.md"
        if not page.is_file():
            missing.append(post.slug)
            continue
        pages[f"posts/{post.slug}.md"] = page.read_text(encoding="utf-8")
        media_folder = docs / "media" / post.slug
        if media_folder.is_dir():
            for path in sorted(media_folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    files[f"media/{post.slug}/{path.name}"] = path  # itself: left untouched
    return missing


ACTIVE_LOCK = ".active.lock"


@contextmanager
def running(build_folder: Path, log=lambda message: None,
            alone: bool = False) -> Iterator[None]:
    """Mark a build (or ``prune``) as running until it ends, and sweep what killed ones left.

    Every build holds the shared side of build/.active.lock for its whole length; the kernel
    releases it when the process ends, even on ``kill -9``. A build that can take the lock
    exclusively knows that no other build is running, so every temporary below build/ is a
    leftover (a killed build's half-built site, an empty media folder) and goes. Otherwise only
    temporaries whose writer's process id is dead go: another build may be filling the rest.
    ``alone`` (``prune``) waits for the exclusive side and keeps it.

    A build folder that cannot be written is not an error here: the build reports it with a
    clear message of its own (``check_writable``).
    """
    try:
        build_folder.mkdir(parents=True, exist_ok=True)
        handle = open(build_folder / ACTIVE_LOCK, "a")
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            everything = True
        except BlockingIOError:
            if alone:
                log("waiting for the build that is running to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            everything = alone
        try:
            removed = sweep_leftovers(build_folder, everything)
        except OSError:
            removed = []  # sweeping is housekeeping: never a reason for a build to fail
        if removed:
            log(f"removed {len(removed)} leftover{'s' if len(removed) != 1 else ''} of "
                f"interrupted builds ({size_text(sum(size for _, size in removed))})")
        if not alone:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # a prune is running (or another build's sweep)
                log("waiting for `prune` to finish")
                fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def sweep_leftovers(build_folder: Path, everything: bool) -> list[tuple[Path, int]]:
    """Remove the temporaries of builds that are gone (see ``running``); return each removed
    path with its size in bytes."""
    sizes = {}
    places = [(build_folder, False), (build_folder / "cache", False),
              (build_folder / "cache" / "runs", False), (build_folder / "cache" / "media", False),
              (build_folder / "cache" / "templates", False),
              (build_folder / "cache" / "derived", False),
              (build_folder / "docs", True)]
    for folder, recursive in places:
        if folder.is_dir():
            for path in _temporaries(folder, recursive):
                sizes[path] = _size(path)
    removed = []
    for folder, recursive in places:
        removed += atomic.sweep(folder, everything, recursive)
    return [(path, sizes.get(path, 0)) for path in removed]


def _temporaries(folder: Path, recursive: bool) -> list[Path]:
    found = []
    for path in folder.iterdir():
        if atomic.is_temporary(path.name):
            found.append(path)
        elif recursive and path.is_dir() and not path.is_symlink():
            found += _temporaries(path, True)
    return found


def _size(path: Path) -> int:
    try:
        if path.is_dir() and not path.is_symlink():
            return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def size_text(size: int) -> str:
    """A size in bytes as people read it: 850 B, 12.3 kB, 4.5 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1e3:.1f} kB"
    return f"{size / 1e6:.1f} MB"


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
