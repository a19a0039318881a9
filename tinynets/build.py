"""The build, as a sequence of stages: validate → train → render → write docs → MkDocs.

Example::

    build(Path("."), BuildOptions(jobs=2))     # what `python -m tinynets build --jobs 2` does
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tinynets import atomic, environment, glyphs, record
from tinynets.media import live, stage as media
from tinynets.pages import (analysis, feed, provenance, publishing, results, site, social,
                            template_cache)
from tinynets.posts.load import load_posts, no_such_post
from tinynets.engine import stage as training
from tinynets.errors import BuildBusy, RecordError, TinynetsError, display_path
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


@dataclass(frozen=True)
class BuildOptions:
    """How a build goes: what it redoes, where training runs, what it says and builds with.

    >>> BuildOptions(jobs=2, engine="zensical").executor
    'local'
    """

    force: bool = False  # train and render again what is cached (--force)
    only: str | None = None  # a preview of one post: the others stay as built (--only SLUG)
    jobs: int | None = None  # worker processes; None: one per core (--jobs)
    quiet: bool = False  # warnings and errors only (--quiet)
    engine: str = "mkdocs"  # builds build/docs into build/site: "mkdocs" or "zensical"
    executor: str = "local"  # runs training: "local" (the process pool) or "dask"
    scheduler: str | None = None  # the Dask scheduler's address; None: a local cluster
    wait: bool = True  # another build holds the folder: wait (False: fail with BuildBusy)

    def logger(self, log=None):
        """``log``, or print (nothing when quiet)."""
        return log or (lambda message: None if self.quiet else print(message, flush=True))


@dataclass(frozen=True)
class DocsExtras:
    """Pages and files a caller adds to build/docs (``serve``: its error banner and status)."""

    pages: dict[str, str]
    files: dict[str, Path]


@dataclass(frozen=True)
class BuildSummary:
    """What a build did."""

    posts: int  # how many posts it built
    runs: dict  # every run of those posts, by (post slug, net or cell name)
    seconds: float
    changed: int  # files of build/docs written or removed


def build(root: Path, options: BuildOptions = BuildOptions(), log=None) -> BuildSummary:
    """Build the project at ``root`` into build/site; return what was done.

    The stages, holding the build folder (a second build waits, or with ``wait=False`` fails):
    ``build_docs`` (validate, train, render, write build/docs), then MkDocs or Zensical.
    """
    log = options.logger(log)
    paths = Paths(root)
    with running(paths.build, log, wait=options.wait):
        summary = _docs(paths, options, log)
        # 5. MkDocs builds the site into a temporary folder that then replaces build/site.
        site.build_site(paths.root, paths.site, options.quiet, engine=options.engine,
                        site_url=publishing.public_site(paths.root).url)
    seconds = time.perf_counter() - summary.started
    log(f"built {summary.posts} post{'s' if summary.posts != 1 else ''} "
        f"({summary.changed} docs file{'s' if summary.changed != 1 else ''} changed) in "
        f"{seconds:.1f}s → {paths.site.relative_to(paths.root)}")
    return BuildSummary(summary.posts, summary.runs, seconds, summary.changed)


def build_docs(root: Path, options: BuildOptions = BuildOptions(), log=None,
               extras: DocsExtras | None = None) -> BuildSummary:
    """The stages before MkDocs, holding the build folder: validate, train, render, and bring
    build/docs up to date (with ``extras`` added). ``serve`` rebuilds so; MkDocs serves."""
    log = options.logger(log)
    paths = Paths(root)
    with running(paths.build, log, wait=options.wait):
        summary = _docs(paths, options, log, extras)
    seconds = time.perf_counter() - summary.started
    log(f"built {summary.posts} post{'s' if summary.posts != 1 else ''} "
        f"({summary.changed} docs file{'s' if summary.changed != 1 else ''} changed) in "
        f"{seconds:.1f}s")
    return BuildSummary(summary.posts, summary.runs, seconds, summary.changed)


@dataclass(frozen=True)
class _Stages:
    posts: int
    runs: dict
    changed: int
    started: float


def _docs(paths: Paths, options: BuildOptions, log,
                extras: DocsExtras | None = None) -> _Stages:
    """Stages 1–4 of a build (the caller holds the build folder)."""
    started = time.perf_counter()
    jobs = options.jobs or os.cpu_count() or 1

    # 1. Load and validate every post (all problems listed at once) before writing anything.
    posts = load_posts(paths.content)
    every_post = posts  # a preview (--only) keeps the other posts' pages as they are
    if options.only is not None:
        posts = [post for post in posts if post.slug == options.only]
        if not posts:
            slugs = [post.slug for post in every_post]
            raise TinynetsError(f"--only {options.only}: {no_such_post(options.only, slugs)}")
    for folder in (paths.build, paths.cache, paths.docs):
        check_writable(folder)
    for line in glyphs.notes(posts):  # emoji in a label: left out of figures, said once
        log(line)
    public = publishing.public_site(paths.root)  # site_url: mkdocs.yml or $TINYNETS_SITE_URL
    template_cache.use(paths.cache / "templates")  # what checks and compiles leave
    analysis.check_templates(posts, paths.templates)  # template typos: before training
    uses = analysis.uses(posts, paths.templates)  # what each page shows: its media are planned
    kinds = live.shipped_kinds(paths.templates)  # the figures the browser draws: data files

    # 2. Train every net whose recording is not cached, and 3. render every animation and plot
    # of the media plan (and write every figure data file) that is not cached: one pool of
    # workers for both, a medium started as soon as its runs are.
    board = ProgressBoard(quiet=options.quiet)
    with media.Renderer(posts, uses, paths.cache, options.force, log, jobs,
                        board.show, kinds) as renderer:
        runs = training.train_missing(posts, paths.cache, options.force, jobs, log, board,
                                      options.executor, options.scheduler, pool=renderer.pool,
                                      on_runs=renderer.update)
        plan = renderer.finish(runs)

    # 4. Render every page in memory (its media from the plan), then bring build/docs up to date.
    cards: dict = {}  # each post's social card, made below from its poster
    rendered = site.render_pages(posts, runs, plan, paths.content, paths.templates, cards)
    for warning in rendered.warnings:  # claims about every seed (or none) on few seeds
        log(warning)
    pages = dict(rendered.pages)
    files = site.docs_files(posts, plan, paths.cache, paths.content, paths.templates)
    files.update(social.card_files(cards, files, paths.cache))
    # 5. The build's record, results.json: what every post measured and checked, with each
    # post's data files and the "How this page was made" block its page ends with.
    config = publishing.read_config(paths.root)
    facts = provenance.BuildFacts(results.built_at(), environment.current(paths.root),
                                  provenance.source_prefix(config))
    kept = earlier_entries(paths.docs, every_post) if options.only is not None else None
    published = results.publish(posts, rendered, runs, plan, paths.root, facts,
                                feed.blog_settings(config), public.url, kept,
                                checked=paths.cache / CHECKED_RECORD)
    pages.update(published.pages)
    if options.only is not None:
        missing = keep_other_posts(paths.docs, every_post, options.only, pages, files)
        log(f"preview of {options.only}: the other posts stay as the last build left them"
            + (f" ({', '.join(missing)} not built yet: run a full build)" if missing else ""))
    # The RSS feed of the posts, from their front matter (its absolute links need site_url).
    if public.url:
        pages[feed.FEED] = feed.rss(public, pages, feed.authors(paths.content),
                                    feed.blog_settings(config), published.feed_lines)
    else:
        log(publishing.missing_note())
    if extras is not None:
        pages.update(extras.pages)
        files.update(extras.files)
    changed = site.sync_docs(paths.docs, pages, files)
    return _Stages(len(posts), runs, changed, started)


# The digest of the last record found valid (record.json_text): a warm build skips the check.
CHECKED_RECORD = "checked-record.sha256"


def earlier_entries(docs: Path, posts) -> dict:
    """The record entries of ``posts`` in the last build's results.json, in the order of
    ``posts`` (a preview keeps the other posts' entries as it keeps their pages); none when
    there is no readable record."""
    try:
        earlier = record.read(docs / provenance.RESULTS)
    except RecordError:
        return {}
    return {post.slug: earlier.posts[post.slug] for post in posts if post.slug in earlier.posts}


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
BUSY_WAIT_SECONDS = 0.5  # how long to wait for a new holder to write its process id


@contextmanager
def running(build_folder: Path, log=lambda message: None, holder: str = "build",
            wait: bool = True) -> Iterator[None]:
    """Hold the build folder for a whole build (or ``prune``), and sweep what killed ones left.

    One lock, build/.active.lock (``flock``, exclusive), is held from start to end; the kernel
    releases it when the process ends, even on ``kill -9``. A second build in the same checkout
    waits for the first, saying so (``wait=False``: fails at once with ``BuildBusy``), and then
    finds everything the first trained and rendered. The holder writes its process id and what
    it is (``holder``: "build" or "prune") into the file, so that the one waiting can say whom
    it waits for. Since no other build can be running, every temporary below build/ is a
    leftover (a killed build's half-built site, an empty media folder) and goes.

    A build folder that cannot be written is not an error here: the build reports it with a
    clear message of its own (``check_writable``).
    """
    try:
        build_folder.mkdir(parents=True, exist_ok=True)
        handle = open(build_folder / ACTIVE_LOCK, "a+", encoding="ascii")
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = _holder(build_folder / ACTIVE_LOCK)
            if not wait:
                raise BuildBusy(f"another {other.what} is running in this checkout"
                                f"{other.pid_text}. Wait for it to finish (build without "
                                "--no-wait waits), or stop it; nothing was changed.") from None
            log(f"waiting for `prune`{other.pid_text} to finish" if other.what == "prune" else
                f"waiting for the {other.what} that is running{other.pid_text} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {holder}\n")
            handle.flush()
        except OSError:
            pass  # only the message of a build that waits for this one is poorer
        try:
            removed = sweep_leftovers(build_folder, everything=True)
        except OSError:
            removed = []  # sweeping is housekeeping: never a reason for a build to fail
        if removed:
            log(f"removed {len(removed)} leftover{'s' if len(removed) != 1 else ''} of "
                f"interrupted builds ({size_text(sum(size for _, size in removed))})")
        yield


@dataclass(frozen=True)
class Holder:
    """Who holds the build folder, as far as its lock file says."""

    pid: int | None
    what: str  # "build" or "prune"

    @property
    def pid_text(self) -> str:
        return f" (pid {self.pid})" if self.pid else ""


def _holder(lock_path: Path) -> Holder:
    """Read the holder's record (it may have the lock a moment before it writes it)."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    while True:
        try:
            pid, what = lock_path.read_text(encoding="ascii").split()
            if what in ("build", "prune"):
                return Holder(int(pid), what)
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            return Holder(None, "build")
        time.sleep(0.02)


def sweep_leftovers(build_folder: Path, everything: bool) -> list[tuple[Path, int]]:
    """Remove the temporaries of builds that are gone (see ``running``); return each removed
    path with its size in bytes."""
    sizes = {}
    places = [(build_folder, False), (build_folder / "cache", False),
              (build_folder / "cache" / "runs", False), (build_folder / "cache" / "media", False),
              (build_folder / "cache" / "templates", False),
              (build_folder / "cache" / "derived", False),
              (build_folder / "cache" / "cards", False),
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
