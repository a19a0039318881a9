"""``build --only NAME`` previews one post without removing the others from the site, and
``prune`` removes the cache entries no post uses, never one that a post needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, copy_built, make_project, run_build

pytestmark = pytest.mark.slow


def run_prune(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tinynets", "prune", *arguments], cwd=root,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=300)


def entries(root: Path) -> dict[str, set[str]]:
    cache = root / "build" / "cache"
    return {kind: {path.name for path in (cache / kind).iterdir()} for kind in ("runs", "media")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_preview_rebuilds_one_post_and_keeps_the_rest_of_the_site(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "preview")
    site, docs = root / "build" / "site", root / "build" / "docs"
    tiny_page = (docs / "posts" / "tiny.md").read_bytes()
    tiny_media = sorted(path.name for path in (docs / "media" / "tiny").iterdir())
    edit(root / "content" / "posts" / "notes.md", "A post may hold prose only.",
         "A post may hold prose only, previewed.")
    # An edit of the other post waits for the next full build: the preview shows it as it was.
    edit(root / "content" / "posts" / "tiny.md", "# A tiny fixture post", "# A renamed post")

    result = run_build(root, "--only", "notes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "preview of notes: the other posts stay as the last build left them" in result.stdout
    assert not [line for line in result.stdout.splitlines()
                if line.startswith(("train", "render", "reused  tiny"))]
    assert "previewed" in (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert (docs / "posts" / "tiny.md").read_bytes() == tiny_page
    assert sorted(path.name for path in (docs / "media" / "tiny").iterdir()) == tiny_media
    tiny = (site / "tiny" / "index.html").read_text(encoding="utf-8")
    assert "A tiny fixture post" in tiny and "A renamed post" not in tiny
    assert "media/tiny/wide.webm" in tiny
    for name in tiny_media:
        assert (site / "media" / "tiny" / name).stat().st_size > 0

    full = run_build(root)  # the next full build brings the other post up to date
    assert full.returncode == 0, full.stderr
    assert "A renamed post" in (site / "tiny" / "index.html").read_text(encoding="utf-8")


def test_preview_of_a_fresh_project_says_which_posts_are_not_built_yet(tmp_path):
    root = make_project(tmp_path / "fresh")
    result = run_build(root, "--only", "notes")
    assert result.returncode == 0, result.stderr
    assert ("preview of notes: the other posts stay as the last build left them "
            "(plane, sweep, tiny not built yet: run a full build)") in result.stdout
    assert (root / "build" / "site" / "notes" / "index.html").is_file()


def test_prune_removes_only_what_no_post_uses(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "prune")
    built = entries(root)
    assert len(built["runs"]) >= 2 and len(built["media"]) >= 4  # more with more fixture posts
    media_count = len(built["media"])

    nothing = run_prune(root, "--dry-run")
    assert nothing.returncode == 0, nothing.stderr
    assert nothing.stdout == "would remove 0 cache entries (0 B); nothing removed (--dry-run)\n"

    # A new label: the wide net's media (its animation, units figure and errors plot) and the
    # comparison are rendered again; the old ones are no longer used by any post. A preview of
    # the other post changes nothing of that.
    edit(root / "content" / "posts" / "tiny.md", 'label: "1×8 SGD"', 'label: "1×8 plain SGD"')
    assert run_build(root, "--jobs", "1").returncode == 0
    assert run_build(root, "--only", "notes").returncode == 0
    assert entries(root)["runs"] == built["runs"]
    assert len(entries(root)["media"]) == media_count + 5
    dry = run_prune(root, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    listed = [line.split()[1] for line in dry.stdout.splitlines() if line.startswith("remove ")]
    assert len(listed) == 5 and all(item.startswith("media/") for item in listed), dry.stdout
    assert {item.split("/")[1] for item in listed} < built["media"]  # old wide ×3 + 2 comparisons
    assert dry.stdout.splitlines()[-1].startswith("would remove 5 cache entries (")
    assert len(entries(root)["media"]) == media_count + 5  # a dry run removes nothing

    pruned = run_prune(root)
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.splitlines()[-1].startswith("removed 5 cache entries, ")
    assert pruned.stdout.splitlines()[-1].endswith(" freed")
    assert len(entries(root)["media"]) == media_count and entries(root)["runs"] == built["runs"]
    assert not [path for path in (root / "build" / "cache" / "media").iterdir()
                if path.name.startswith(".")]

    again = run_build(root)  # everything the content needs is still there
    assert again.returncode == 0, again.stderr
    assert not [line for line in again.stdout.splitlines()
                if line.startswith(("train", "render"))], again.stdout
    assert run_prune(root).stdout == "nothing to prune: every cache entry is used by a post\n"


def test_prune_refuses_to_guess_when_the_content_is_broken(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "broken")
    edit(root / "content" / "posts" / "tiny.md", "optimizer: sgd", "optimizer: sgdd")
    result = run_prune(root)
    assert result.returncode == 1
    assert "content/posts/tiny.md" in result.stderr and "sgdd" in result.stderr
    assert entries(root) == entries(built_project)  # nothing removed, whatever the fixture holds


def test_prune_removes_the_derived_values_of_runs_it_removes(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "derived")
    derived = root / "build" / "cache" / "derived"
    kept = sorted(path.name for path in derived.glob("*.json"))
    assert kept, "the fixture post asks for bends and held-out errors: their values are kept"
    orphan = derived / "0123456789abcdef.json"  # values of a run no post uses any more
    orphan.write_text('{"version": "x", "values": {}}', encoding="utf-8")
    dry = run_prune(root, "--dry-run")
    assert "remove  derived/0123456789abcdef.json (values derived from a run" in dry.stdout
    assert run_prune(root).returncode == 0
    assert sorted(path.name for path in derived.glob("*.json")) == kept
