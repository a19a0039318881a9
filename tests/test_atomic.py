"""Atomic writes: whole or nothing, an existing entry kept or (when asked) replaced whole."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tinynets import atomic


def test_write_bytes_leaves_no_temporary_file(tmp_path):
    atomic.write_text(tmp_path / "a" / "page.md", "hello")
    assert (tmp_path / "a" / "page.md").read_text() == "hello"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["page.md"]


def test_folder_appears_whole_and_keeps_an_existing_entry(tmp_path):
    target = tmp_path / "entry"
    with atomic.folder(target) as temporary:
        (temporary / "meta.json").write_text("first")
        assert not target.exists()  # nothing visible until the block ends
    with atomic.folder(target) as temporary:
        (temporary / "meta.json").write_text("second")
    assert (target / "meta.json").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_folder_replace_swaps_in_the_new_entry(tmp_path):
    target = tmp_path / "entry"
    with atomic.folder(target) as temporary:
        (temporary / "meta.json").write_text("first")
    with atomic.folder(target, replace=True) as temporary:
        (temporary / "meta.json").write_text("forced")
    assert (target / "meta.json").read_text() == "forced"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_folder_failure_leaves_the_previous_entry(tmp_path):
    target = tmp_path / "entry"
    with atomic.folder(target) as temporary:
        (temporary / "meta.json").write_text("first")
    with pytest.raises(RuntimeError):
        with atomic.folder(target, replace=True) as temporary:
            (temporary / "meta.json").write_text("half")
            raise RuntimeError("interrupted")
    assert (target / "meta.json").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporaries_carry_the_writer_process_id(tmp_path):
    with atomic.folder(tmp_path / "entry") as temporary:
        assert temporary.name.startswith(f".entry.pid{os.getpid()}.")
        assert temporary.name.endswith(".tmp")
        assert atomic.owner(temporary.name) == os.getpid()
        assert atomic.is_temporary(temporary.name)
    assert atomic.owner(".site.x1y2.tmp") is None  # untagged (an older version's name)
    assert atomic.owner(".write-test-4242") == 4242
    assert not atomic.is_temporary(".authors.yml") and not atomic.is_temporary("entry")


def test_sweep_removes_only_what_is_provably_unused(tmp_path):
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = dead_pid()
        assert not atomic.process_alive(dead) and atomic.process_alive(living.pid)
        stale = tmp_path / f".abc.pid{dead}.k3j4.tmp"
        stale.mkdir()
        (stale / "anim.gif").write_bytes(b"half")
        stale_file = tmp_path / f".index.json.pid{dead}.q1.tmp"
        stale_file.write_text("{")
        busy = tmp_path / f".def.pid{living.pid}.z9.tmp"
        busy.mkdir()
        untagged = tmp_path / ".site.w8e7.tmp"
        untagged.mkdir()
        keep = [tmp_path / ".authors.yml", tmp_path / "entry"]
        keep[0].write_text("authors: {}")
        keep[1].mkdir()

        # Another build may be running: only the dead writer's temporaries go.
        removed = atomic.sweep(tmp_path, everything=False)
        assert sorted(removed) == sorted([stale, stale_file])
        assert busy.exists() and untagged.exists() and all(path.exists() for path in keep)

        # No other build runs: every temporary goes, and nothing else.
        removed = atomic.sweep(tmp_path, everything=True)
        assert sorted(removed) == sorted([busy, untagged])
        assert sorted(tmp_path.iterdir()) == sorted(keep)
    finally:
        living.kill()
        living.wait()
