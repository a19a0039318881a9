"""Atomic writes: whole or nothing, an existing entry kept or (when asked) replaced whole."""

from __future__ import annotations

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
