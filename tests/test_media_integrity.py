"""Media are verified, and the published copies are copies: a file changed under build/docs
cannot reach the cache, and a file changed in the cache is rendered again instead of being
published (a truncated .webm went out with exit 0 before)."""

from __future__ import annotations

import json

import pytest
from support import make_project, run_build

from tinynets.media.manifest import MANIFEST

POST = """---
title: One line
date: 2026-11-08
authors: [tinynets]
data: {function: sine, points: 40, noise: 0.1}
nets:
  small: {layers: [4], optimizer: adam, learning_rate: 0.05, epochs: 40, batch_size: 8}
seeds: 2
frames: {count: 4}
---

{{ figure(nets['small']) }}
"""


@pytest.mark.slow
def test_a_changed_media_file_is_rendered_again_and_never_published(tmp_path):
    root = make_project(tmp_path / "project", posts=("notes",))
    (root / "content" / "posts" / "line.md").write_text(POST, encoding="utf-8")
    first = run_build(root, "--jobs", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    docs = root / "build" / "docs" / "media" / "line" / "small.webm"
    (cached,) = [path for path in (root / "build" / "cache" / "media").glob("*/anim.webm")]
    rendered = cached.read_bytes()
    assert docs.read_bytes() == rendered and len(rendered) > 1000
    record = json.loads((cached.parent / MANIFEST).read_text("utf-8"))
    assert record["anim.webm"]["size"] == len(rendered)

    # A published copy is no way into the cache.
    assert docs.stat().st_ino != cached.stat().st_ino
    with open(docs, "r+b") as published:
        published.truncate(100)
    assert cached.read_bytes() == rendered

    # A file cut short in the cache is noticed, rendered again and published whole.
    with open(cached, "r+b") as kept:
        kept.truncate(100)
    second = run_build(root, "--jobs", "1")
    assert second.returncode == 0, second.stdout + second.stderr
    key = cached.parent.name
    assert (f"changed line/small: anim.webm in build/cache/media/{key} is not as it was "
            "rendered: rendering it again") in second.stdout
    again = cached.read_bytes()
    assert len(again) > 1000
    site = root / "build" / "site" / "media" / "line" / "small.webm"
    assert docs.read_bytes() == site.read_bytes() == again

    # Nothing changed: reused, without a word about changes.
    third = run_build(root, "--jobs", "1")
    assert third.returncode == 0 and "changed " not in third.stdout, third.stdout
    assert "reused  line/small" in third.stdout, third.stdout
