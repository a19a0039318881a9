"""The project a notebook works in: its folders, its defaults, its run cache, and training and
rendering into that cache as a build does (under the build's lock, so a notebook and
``make site`` never write the cache at once).

A notebook usually runs in a folder of the project (``content/notebooks/``): the project is the
first folder at or above the current one that holds ``mkdocs.yml`` and ``content/``, unless
``root=`` says where it is.

>>> checkout = Path(__file__).resolve().parents[2]
>>> Project.find(checkout).root == checkout
True
>>> Project.find(checkout / "content")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tinynets.errors.TinynetsError: root='.../content': no tinynets project there (no content/ folder): give the folder that holds content/, templates/ and mkdocs.yml.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tinynets import atomic
from tinynets.build import Paths, running
from tinynets.engine import stage as training
from tinynets.errors import TinynetsError, display_path
from tinynets.media import manifest
from tinynets.media.catalog import Medium
from tinynets.media.plan import Plan, plan
from tinynets.media.uses import PageUses
from tinynets.posts.load import load_defaults
from tinynets.posts.model import Post
from tinynets.posts.schema import Defaults
from tinynets.progress import ProgressBoard


@dataclass(frozen=True)
class Project:
    """A tinynets project: ``root`` holds content/, templates/, mkdocs.yml and build/."""

    root: Path

    @classmethod
    def find(cls, root: Path | str | None = None) -> "Project":
        """The project at ``root``, or the first folder at or above the current one that has
        ``mkdocs.yml`` and ``content/``; a TinynetsError saying how to name it if none has."""
        if root is not None:
            folder = Path(root).expanduser().resolve()
            if not (folder / "content").is_dir():
                raise TinynetsError(f"root={str(root)!r}: no tinynets project there (no "
                                    "content/ folder): give the folder that holds content/, "
                                    "templates/ and mkdocs.yml.")
            return cls(folder)
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "content").is_dir():
                return cls(folder)
        raise TinynetsError(f"no tinynets project in {here} or above it (a folder with "
                            "mkdocs.yml and content/): start the notebook inside a project, or "
                            "pass root='path/to/project'.")

    @property
    def paths(self) -> Paths:
        return Paths(self.root)

    def defaults(self) -> Defaults:
        """content/defaults.yml over the built-in defaults, as every post of the project sees."""
        return load_defaults(self.paths.content / "defaults.yml")

    def train(self, posts: list[Post], jobs: int = 1, executor: str = "local",
              scheduler: str | None = None, force: bool = False, quiet: bool = False) -> dict:
        """Every run of ``posts`` (by post slug and net or cell name): loaded from the cache,
        or trained by the build's training stage into the same cache, saying which as a build
        does. ``jobs`` 1 trains in this process (the kernel keeps TensorFlow and the compiled
        loops warm); more use the build's worker pool, ``executor="dask"`` a Dask cluster."""
        paths = self.paths
        log = _logger(quiet)
        with running(paths.build, log):
            return training.train_missing(posts, paths.cache, force, max(1, jobs), log,
                                          ProgressBoard(stream=sys.stdout, quiet=quiet),
                                          executor, scheduler)

    def media_plan(self, posts: list[Post], runs: dict) -> Plan:
        """The media a page could show of ``posts``' nets (every kind, every cell), as the
        build plans them: their cache keys are the site's, so a medium rendered here is the
        site's and the reverse."""
        uses = {post.slug: PageUses.everything(
            frozenset((sweep.name, cell.name) for sweep in post.sweeps for cell in sweep.cells))
            for post in posts}
        return plan(posts, runs, uses)

    def render(self, medium: Medium) -> dict[str, Path]:
        """``medium``'s files in the media cache (render it first if it is not there, or not as
        it was rendered, in this process, under the build's lock), by their name in the cache:
        anim.gif, … As the build's media stage, it records the files (``media.manifest``) before
        they move into the cache, so the build reuses them and the reverse."""
        cache = self.paths.cache
        if medium.changed(cache):
            with running(self.paths.build):
                if medium.changed(cache):
                    folder = medium.folder(cache)
                    swap = atomic.FolderSwap(folder, replace=folder.exists())
                    try:
                        medium.job.run(swap.temporary, cache)
                        manifest.commit(swap)
                    finally:
                        swap.discard()
        return medium.cached(cache)

    def __repr__(self) -> str:
        return f"Project({display_path(self.root)!r})"


def _logger(quiet: bool):
    """What the build prints, printed in the notebook (nothing when quiet)."""
    def log(message: str) -> None:
        if not quiet:
            print(message, flush=True)
    return log


def plain(value):
    """A value as YAML would have read it from front matter: tuples are lists, numpy's numbers
    Python's, mappings and lists plain all the way down, so that Python values meet exactly the
    checks (and messages) of front matter.

    >>> plain({"layers": (10, 10), "rates": [1, 2.5]})
    {'layers': [10, 10], 'rates': [1, 2.5]}
    """
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value
