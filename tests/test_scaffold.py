"""``python -m tinynets new``: a new post that builds as it is, never over an existing one."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from browser_support import Document
from support import FIXTURE, REPO, copy_built, run_build

from tinynets.errors import TinynetsError
from tinynets.scaffold import new_post, slug_of
from tinynets.posts.load import load_defaults, load_post
from tinynets.posts.schema import SLUG


def run_new(root, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tinynets", "new", *arguments], cwd=root,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_slugs_follow_the_post_rules():
    assert slug_of("Does width help?") == "does-width-help"
    assert slug_of("  Ça -- va, ReLU 2×10!  ") == "ca-va-relu-2x10"
    assert slug_of("???") == ""
    for title in ("Does width help?", "Ça va", "ReLU 2×10"):
        assert SLUG.match(slug_of(title))


def test_new_post_is_valid_dated_today_and_has_a_figure_a_table_and_a_claim(project):
    path = new_post(project, "Does width help?", today=datetime.date(2026, 12, 1))
    assert path == project / "content" / "posts" / "does-width-help.md"
    post = load_post(path, load_defaults(project / "content" / "defaults.yml"))
    assert post.meta["title"] == "Does width help?"
    assert post.meta["date"] == datetime.date(2026, 12, 1)
    assert post.meta["authors"] == ["tinynets"]  # the first author of content/authors.yml
    assert [net.name for net in post.nets] == ["narrow", "wide"]
    assert max(net.epochs for net in post.nets) * len(post.seeds) <= 2000  # trains in seconds
    for piece in ("figure(nets['wide'])", "results_table(", "claim("):
        assert piece in post.body
    # A description of the experiment, for search engines and link previews: not the title
    # again with a suffix ("Does width help?: a tiny-net experiment.").
    assert post.meta["description"] == (
        "Two ReLU nets, one with 4 hidden units and one with 32, learn a noisy sine with Adam "
        "over 3 seeds: how close does each get to the noise floor?")


def test_new_refuses_to_overwrite_and_to_take_a_bad_slug(project):
    path = project / "content" / "posts" / "tiny.md"
    before = path.read_bytes()
    result = run_new(project, "Tiny")
    assert result.returncode == 1
    assert result.stderr == ("error: new: content/posts/tiny.md already exists and is left as it "
                             "is. Choose another title, or another file name with --slug.\n")
    assert path.read_bytes() == before
    with pytest.raises(TinynetsError, match=r"'\?\?\?' is not|cannot name a post"):
        new_post(project, "!!!", slug="???")
    with pytest.raises(TinynetsError, match="cannot name a post"):
        new_post(project, "???")
    with pytest.raises(TinynetsError, match="the title is empty"):
        new_post(project, "   ")
    assert sorted(p.name for p in (project / "content" / "posts").iterdir()) == \
        sorted(p.name for p in (FIXTURE / "content" / "posts").iterdir())  # nothing new


@pytest.mark.slow
def test_the_new_post_builds_with_its_claim_holding(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "fresh")
    result = run_new(root, "Does width help?")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote content/posts/does-width-help.md")
    build = run_build(root)  # a real build: the new post's two nets train (seconds)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "trained does-width-help/wide" in build.stdout
    page = (root / "build" / "site" / "does-width-help" / "index.html").read_text("utf-8")
    document = Document(page)
    assert len(document.find("video")) == 1 and len(document.find("table")) == 1
    assert "It ends within twenty times the noise floor." in page
    assert document.find("h1")[0].text.startswith("Does width help?")
