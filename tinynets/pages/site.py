"""Build stage: posts → Markdown in build/docs (with media), then MkDocs → build/site.

Every page is rendered in memory first; only when all succeed is build/docs brought up to date
(unchanged files are not rewritten, so ``mkdocs serve`` reloads only what changed). MkDocs builds
into a temporary folder that replaces build/site in one rename: a failed build leaves the
previous site untouched.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from tinynets import atomic, escaping
from tinynets.pages import (claims, data_files, replication, social, sweep_pages, template_cache,
                            templating)
from tinynets.pages.claims import ClaimResult
from tinynets.pages.live_figures import PageFigures
from tinynets.errors import NotMeasured, TinynetsError, display_path
from tinynets.measure.quantities import Measured
from tinynets.measure.results import NetResult


@dataclass
class DataResult:
    """The data set as templates see it: ``data.noise_floor``, ``data.points``, …"""

    spec: object

    def __getattr__(self, name):
        return getattr(self.spec, name)

    @property
    def noise_floor(self) -> Measured:
        if self.spec.noise_floor is None:
            why = ("classification data has no noise floor (its errors are cross-entropies): "
                   "compare accuracies instead" if self.spec.classification else
                   "the noise floor of data from a file is unknown: state it with "
                   "data.noise_floor in the front matter")
            raise NotMeasured(f"data.noise_floor is not known: {why}.")
        return Measured(self.spec.noise_floor, "noise floor")


def post_context(post, runs, env, media, replication: bool = False) -> dict:
    """Everything a post's template may use; ``media`` is the page's media (``media.plan``'s
    ``PageMedia``): their URLs, colours, frame rates and sizes. Results are measured on the
    seeds the page shows, or with ``replication`` on the post's replication seeds (each shown
    seed standing for the replication seed in its place: ``NetResult.from_run``)."""
    seeds = post.replication_seeds if replication else post.seeds
    stand_ins = dict(zip(post.seeds, post.replication_seeds)) if replication else None
    nets = {}
    for net in post.nets:
        run = runs[(post.slug, net.name)]
        shown = media.nets[net.name]
        # Arrays are read only if the post asks for something derived from them.
        nets[net.name] = NetResult.from_run(
            run, net, post.data, post.thresholds, color=shown.color, media=dict(shown.urls),
            frame_epochs=run.key.spec["frames"], fps=shown.fps, seeds=seeds,
            stand_ins=stand_ins)
    comparison = dict(media.comparison.urls)
    if media.comparison.size:
        comparison["width"], comparison["height"] = media.comparison.size
    context = {
        "nets": nets,
        "data": DataResult(post.data) if post.data else None,
        "post": {"slug": post.slug, "title": post.meta.get("title"),
                 "seeds": len(seeds), "thresholds": post.thresholds,
                 # every seed's final values (written with the build's record, pages.results)
                 "final_errors_csv": f"../{data_files.final_errors_path(post.slug)}"},
        "comparison_media": comparison,
    }
    context.update(sweep_pages.context(post, runs, media, seeds, stand_ins))  # sweeps, cell(…)
    # What the macros write to have the browser draw a figure live (its kind, data, id).
    figures = PageFigures(media.live_kinds, post.data.dimensions if post.data else 0)
    return {**context, **templating.macros(env, context, figures)}


def front_matter(post, extra: dict | None = None) -> str:
    """The post's front matter for build/docs, plus ``extra`` keys (summary, social image)."""
    meta = {key: value for key, value in post.meta.items()}
    meta["slug"] = post.slug
    meta.update(extra or {})
    # MkDocs and Material write the title and description into pages as HTML, unescaped: they
    # get them escaped, once, here (the feed reads them back with html.unescape).
    meta = escaping.page_meta(meta)
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def authors_page(path: Path) -> str:
    """content/authors.yml as the blog plugin must be given it (build/docs/.authors.yml): the
    theme writes names and descriptions (and avatar and link addresses, into attributes) as they
    are, so every text of every author is escaped, once, here."""
    try:
        listed = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise TinynetsError(f"{display_path(path)}{line}: not valid YAML "
                            f"({getattr(error, 'problem', None) or error}): fix the file (the "
                            "authors, as in MkDocs Material's .authors.yml).") from None
    except UnicodeDecodeError:
        raise TinynetsError(f"{display_path(path)}:1: not UTF-8 text: save the file as "
                            "UTF-8.") from None
    authors = listed.get("authors") if isinstance(listed, dict) else None
    if isinstance(authors, dict):
        listed = {**listed, "authors": {
            key: {field: str(escaping.html(value)) if isinstance(value, str) else value
                  for field, value in author.items()} if isinstance(author, dict) else author
            for key, author in authors.items()}}
    return yaml.safe_dump(listed, sort_keys=False, allow_unicode=True)


@dataclass(frozen=True)
class PostPage:
    """A post as its page was rendered: the results its template saw, and the claims it makes
    (each with the line of the post's file)."""

    slug: str
    nets: dict  # name → NetResult, on the seeds the page shows
    sweeps: dict  # name → SweepResult, on the seeds the page shows
    claims: tuple[ClaimResult, ...]
    seeds: tuple[int, ...] = ()  # the seeds the page shows
    # The same results on the post's replication seeds, which the page never shows and its
    # claims are checked on too (empty: the post replicates nothing).
    replication_seeds: tuple[int, ...] = ()
    replication_nets: dict = field(default_factory=dict)
    replication_sweeps: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPages:
    """Every Markdown page of build/docs by relative path, what each post's page holds, and the
    warnings to print (claims about every seed on few seeds: ``replication.count_warnings``)."""

    pages: dict[str, str]
    posts: dict[str, PostPage]
    warnings: tuple[str, ...] = ()


def render_pages(posts, runs, media, content: Path, templates: Path,
                 cards: dict | None = None) -> RenderedPages:
    """Every Markdown page of build/docs, rendered in memory (``media``: the build's
    ``media.plan.Plan``); ``cards`` (if given) receives each post's social card
    (``social.Card``) by slug.

    Each post is rendered on the seeds it shows, then its claims are checked again on its
    replication seeds (``pages.replication``); every fragile claim of every post is raised at
    once (``ClaimFragile``), after the pages are rendered."""
    env = templating.environment(templates)
    pages, rendered, fragile, warnings = {}, {}, [], []
    for post in posts:
        page_media = media.page(post.slug)
        context = post_context(post, runs, env, page_media)
        mark = replication.claim_mark(post)
        with claims.collecting(mark) as found:
            body = templating.render_body(env, post, context)
        offset = post.body_line - 1  # template line 1 is this file line
        made = tuple(replace(claim, line=claim.line + offset) for claim in found)
        warnings += replication.count_warnings(post, made)
        again = {"nets": {}, "sweeps": {}}
        if post.replication_seeds:
            again = post_context(post, runs, env, page_media, replication=True)
            made, fragile_here = replication.check(post, made,
                                                   replication.render(env, post, again))
            fragile += fragile_here
        rendered[post.slug] = PostPage(
            post.slug, context["nets"], context["sweeps"], made, seeds=tuple(post.seeds),
            replication_seeds=tuple(post.replication_seeds), replication_nets=again["nets"],
            replication_sweeps=again["sweeps"])
        if made:
            body = body.rstrip("\n") + "\n\n" + mark.summary(len(made)) + "\n"
        shown = social.card(post, body, context["nets"])
        if shown is not None and cards is not None:
            cards[post.slug] = shown
        pages[f"posts/{post.slug}.md"] = front_matter(post, social.post_meta(post, body, shown)) \
            + body
    if (content / "authors.yml").is_file():
        pages[".authors.yml"] = authors_page(content / "authors.yml")
    for page in sorted(content.glob("*.md")):
        try:
            pages[page.name] = page.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TinynetsError(f"{display_path(page)}:1: not UTF-8 text: save the file as "
                                "UTF-8.") from None
    replication.fail_if_fragile(fragile)
    return RenderedPages(pages, rendered, tuple(warnings))


def docs_files(posts, media, cache: Path, content: Path, templates: Path) -> dict[str, Path]:
    """Every non-Markdown file of build/docs, by relative path, with its source: the media each
    page shows (``media``: the build's ``media.plan.Plan``, its files in ``cache``), assets."""
    files: dict[str, Path] = {}
    for post in posts:
        files.update(media.page(post.slug).files(cache))
    for folder, prefix in ((templates / "assets", "assets"), (content / "assets", "assets")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files[f"{prefix}/{path.relative_to(folder).as_posix()}"] = path
    return files


# Written only under ``serve``: the last build's status, and the script that shows a failure.
SERVE_STATUS = "tinynets-status.json"
SERVE_SCRIPT = "assets/tinynets-serve.js"


def serve_pages() -> dict[str, str]:
    """The status a successful rebuild leaves for the error banner of ``serve``."""
    return {SERVE_STATUS: '{"ok": true}'}


def serve_files(templates: Path) -> dict[str, Path]:
    return {SERVE_SCRIPT: templates / "serve" / "tinynets-serve.js"}


def sync_docs(docs: Path, pages: dict[str, str], files: dict[str, Path]) -> int:
    """Bring build/docs up to date: write what changed, copy media, remove what is stale."""
    changed = 0
    wanted = set(pages) | set(files)
    for relative, text in pages.items():
        target = docs / relative
        data = text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            atomic.write_bytes(target, data)
            changed += 1
    for relative, source in files.items():
        target = docs / relative
        if target.is_file() and _same_file(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.unlink(missing_ok=True)
        # A copy, not a hard link: a file changed under build/docs or build/site must not
        # change the cache it came from. Its time is the source's, which is how the next
        # build knows it is the same without reading both.
        shutil.copyfile(source, temporary)
        status = source.stat()
        os.utime(temporary, ns=(status.st_atime_ns, status.st_mtime_ns))
        os.replace(temporary, target)
        changed += 1
    if docs.is_dir():
        for path in sorted(docs.rglob("*"), reverse=True):
            relative = path.relative_to(docs).as_posix()
            if path.is_file() and relative not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def _same_file(source: Path, target: Path) -> bool:
    """Whether ``target`` is still the copy ``sync_docs`` made of ``source``: same size and
    modification time (a copy keeps the source's; a write to either changes it)."""
    a, b = source.stat(), target.stat()
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


class _MkDocsLog(logging.Handler):
    """Print MkDocs warnings (and info unless quiet) in our own plain format."""

    def __init__(self, quiet: bool):
        super().__init__(logging.WARNING if quiet else logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        level = "" if record.levelno < logging.WARNING else f"{record.levelname}: "
        print(f"mkdocs  {level}{record.getMessage()}", flush=True)


ENGINES = ("mkdocs", "zensical")


def build_site(root: Path, site: Path, quiet: bool, engine: str = "mkdocs",
               site_url: str | None = None) -> None:
    """Run MkDocs (strict) into a temporary folder, then swap it into ``site``.

    ``engine="zensical"`` runs Zensical on the same mkdocs.yml instead (see ``zensical_site``);
    ``site_url`` (from ``publishing``) overrides the one in mkdocs.yml.
    """
    if engine not in ENGINES:
        raise TinynetsError(f"--engine {engine}: unknown engine; expected one of "
                            f"{', '.join(ENGINES)}.")
    if engine == "zensical":
        return zensical_site(root, site, quiet, site_url)
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    temporary = atomic.temporary_folder(site.parent, site.name)  # the usual modes, not 700
    logger = logging.getLogger("mkdocs")
    handler = _MkDocsLog(quiet)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(temporary), **overrides)
        template_cache.cache_theme_templates(config)
        mkdocs_build.build(config)
        atomic.replace_folder(temporary, site)
    except MkDocsException as error:
        raise TinynetsError(f"mkdocs build failed: {error}. The previous site is untouched.") \
            from None
    finally:
        logger.removeHandler(handler)
        shutil.rmtree(temporary, ignore_errors=True)


def zensical_site(root: Path, site: Path, quiet: bool, site_url: str | None = None) -> None:
    """Run Zensical (strict) on mkdocs.yml into a temporary folder, then swap it into ``site``.

    Zensical has no output-folder option, and resolves every path from its config file's folder
    (which must hold both docs_dir and site_dir). So a small config in build/ inherits mkdocs.yml
    (``INHERIT``) and re-bases the paths; Zensical keeps its own cache in build/.cache.
    """
    import subprocess
    import sys
    from importlib.util import find_spec

    if find_spec("zensical") is None:
        raise TinynetsError("--engine zensical: Zensical is not installed in this environment. "
                            "Install it with `make zensical` (pip install -r "
                            "requirements-zensical.txt), or build with the default engine.")
    from tinynets.pages.publishing import read_config

    config = read_config(root)
    site.parent.mkdir(parents=True, exist_ok=True)
    here = site.parent

    def rebased(path: str) -> str:  # a path of mkdocs.yml (relative to root) seen from ``here``
        return os.path.relpath(root / path, here)

    temporary = atomic.temporary_folder(here, site.name)  # a killed build's is swept later
    settings = {"INHERIT": rebased("mkdocs.yml"), "docs_dir": rebased(config["docs_dir"]),
                "site_dir": temporary.name}
    custom = (config.get("theme") or {}).get("custom_dir")
    if custom:
        settings["theme"] = {"custom_dir": rebased(custom)}
    if site_url:
        settings["site_url"] = site_url
    # Zensical reads any name but *.toml as mkdocs.yml format; ".tmp" lets sweeps find it
    handle, name = tempfile.mkstemp(dir=here, prefix=atomic.temporary_prefix("zensical"),
                                    suffix=".tmp")
    os.close(handle)
    config_file = Path(name)
    try:
        config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict",
                                 "--config-file", str(config_file)],
                                cwd=here, capture_output=True, text=True,
                                env={**os.environ, "NO_COLOR": "1"})
        output = _zensical_output(result.stdout + result.stderr)
        if result.returncode != 0 or not (temporary / "index.html").is_file():
            raise TinynetsError(f"zensical build failed:\n{output}\nThe previous site is "
                                "untouched.")
        if not quiet:
            for line in output.splitlines():
                print(f"zensical  {line}", flush=True)
        atomic.replace_folder(temporary, site)
    finally:
        config_file.unlink(missing_ok=True)
        shutil.rmtree(temporary, ignore_errors=True)


def _zensical_output(text: str) -> str:
    """Zensical's report without colour codes, and without the Python traceback that its
    command line prints on a failed strict build (its last line, the reason, is kept)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    before, traceback, after = text.partition("Traceback (most recent call last):")
    if traceback:
        reason = after.strip().splitlines()[-1] if after.strip() else ""
        text = before.rstrip() + ("\n" + reason.split(": ", 1)[-1] if reason else "")
    return text
