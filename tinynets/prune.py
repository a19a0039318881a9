"""``python -m tinynets prune``: remove the cache entries that no current post uses.

The cache keeps every recording and medium ever made (build/cache/runs, build/cache/media), so
that undoing an edit costs nothing. Pruning removes the entries that the content as it is now
does not use: an entry that any post needs (every post, drafts included, whatever ``--only``
a previous build had) is never touched. It runs alone: it waits for a running build to finish
and a build started meanwhile waits for it (``build.running``).

Example::

    prune(Path("."), dry_run=True)
    # remove  runs/3f2a9c0d1e2b4a5c (net wide-sgd, 1.2 MB)
    # would remove 1 cache entry of 1 (1.2 MB); nothing removed (--dry-run)
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tinynets import atomic
from tinynets.build import Paths, running, size_text
from tinynets.engine.stage import post_run
from tinynets.media import live
from tinynets.media.plan import plan
from tinynets.media.uses import PageUses
from tinynets.pages import analysis
from tinynets.posts.load import load_posts


@dataclass(frozen=True)
class Entry:
    """One cache entry that no post uses."""

    path: Path
    size: int
    what: str  # e.g. "net wide-sgd"

    def describe(self, cache: Path) -> str:
        where = self.path.relative_to(cache).as_posix()
        return f"{where} ({self.what + ', ' if self.what else ''}{size_text(self.size)})"


def needed(posts, templates: Path) -> tuple[set[str], set[str]]:
    """The fingerprints of the runs and the keys of the media that ``posts`` use.

    Pages are not rendered here, so every medium a page might show is kept: the media plan of
    pages that show everything (and the sweep cells their bodies name), figure data files for
    every figure the browser module can draw included.
    """
    runs = {}
    for post in posts:
        for net in post.nets + post.cells():  # a sweep's cells are runs like nets
            runs[(post.slug, net.name)] = post_run(post, net)
    uses = {slug: PageUses.everything(cells=page.cells)
            for slug, page in analysis.uses(posts, templates).items()}
    kinds = live.shipped_kinds(templates)
    return {run.key.fingerprint for run in runs.values()}, plan(posts, runs, uses, kinds).keys()


def unused(cache: Path, posts, templates: Path) -> list[Entry]:
    """Every entry of build/cache/runs and build/cache/media that ``posts`` do not use.

    Only entries are considered (folders with a plain name); temporaries and stray files are
    left to the build's sweep.
    """
    runs, media_keys = needed(posts, templates)
    found = []
    for kind, keep in (("runs", runs), ("media", media_keys)):
        folder = cache / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_dir() or path.is_symlink():
                continue
            if path.name not in keep:
                found.append(Entry(path, _size(path), _what(path) if kind == "runs" else ""))
    # Values derived from a run's arrays (measure.derived.KeptValues) go with the run.
    derived = cache / "derived"
    if derived.is_dir():
        for path in sorted(derived.glob("*.json")):
            # <run fingerprint>.json, or <run fingerprint>-<seed set>.json for the values of
            # some of its seeds (the shown or the replication seeds, ``engine.seed_columns``)
            run = path.stem.split("-", 1)[0]
            if not path.name.startswith(".") and path.is_file() and run not in runs:
                found.append(Entry(path, path.stat().st_size, "values derived from a run"))
    return found


def prune(root: Path, dry_run: bool = False, log=print) -> list[Entry]:
    """Remove (or with ``dry_run`` only list) the unused cache entries; return them."""
    paths = Paths(root)
    posts = load_posts(paths.content)  # a content error stops here: nothing is removed
    with running(paths.build, log, holder="prune"):
        entries = unused(paths.cache, posts, paths.templates)
        for entry in entries:
            log(f"remove  {entry.describe(paths.cache)}")
            if not dry_run:
                _remove(entry.path)
    total = sum(entry.size for entry in entries)
    count = f"{len(entries)} cache entr{'ies' if len(entries) != 1 else 'y'}"
    if dry_run:
        log(f"would remove {count} ({size_text(total)}); nothing removed (--dry-run)")
    elif entries:
        log(f"removed {count}, {size_text(total)} freed")
    else:
        log("nothing to prune: every cache entry is used by a post")
    return entries


def _remove(path: Path) -> None:
    """Rename the entry out of sight first, so that it is never seen half deleted."""
    aside = atomic.temporary_folder(path.parent, path.name, suffix=".old")
    path.rename(aside / "entry")
    shutil.rmtree(aside, ignore_errors=True)


def _what(entry: Path) -> str:
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        return f"net {meta['net']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable entry"


def _size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


