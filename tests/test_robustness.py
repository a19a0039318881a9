"""Interrupted builds, concurrent builds, reproducibility and the output sandbox."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from support import REPO, copy_built, make_project, run_build
from store_support import recordings

pytestmark = pytest.mark.slow


def start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tinynets", "build", "--jobs", "1"], cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def kill_when(process: subprocess.Popen, marker: str, delay: float = 0.0) -> list[str]:
    """Read the build's output until a line starts with ``marker``; then SIGKILL it."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith(marker):
            time.sleep(delay)
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return lines


def assert_cache_entries_whole(cache: Path) -> None:
    """Every visible run entry parses and matches its recorded hash; media entries are whole."""
    for entry in (cache / "runs").iterdir() if (cache / "runs").exists() else []:
        if entry.name.startswith(".") or entry.is_file():
            continue
        meta = json.loads((entry / "meta.json").read_text())
        digest = hashlib.sha256((entry / "arrays.npz").read_bytes()).hexdigest()
        assert digest == meta["arrays_sha256"], entry
    for entry in (cache / "media").iterdir() if (cache / "media").exists() else []:
        if entry.name.startswith("."):
            continue
        files = {path.name for path in entry.iterdir()}
        assert files and all((entry / name).stat().st_size > 0 for name in files), entry


def slow_down(root: Path, epochs: int) -> None:
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text().replace("epochs: 30", f"epochs: {epochs}"))


def test_killed_during_training_leaves_no_corrupt_entry(tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny", "notes"))
    slow_down(root, 4000)
    lines = kill_when(start_build(root), "train ", delay=4.0)
    assert any(line.startswith("train ") for line in lines)
    assert_cache_entries_whole(root / "build" / "cache")
    assert not (root / "build" / "site").exists()
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert_cache_entries_whole(root / "build" / "cache")


def test_killed_during_rendering_resumes_and_reuses_what_finished(tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny", "notes"))
    lines = kill_when(start_build(root), "render ")
    rendered = [line.split()[1].rstrip(":") for line in lines if line.startswith("render ")]
    assert rendered, lines
    assert_cache_entries_whole(root / "build" / "cache")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    trained = [line for line in result.stdout.splitlines() if line.startswith("train ")]
    assert trained == []  # both nets had finished training before the kill
    assert f"reused  {rendered[0]} media" in result.stdout
    assert_cache_entries_whole(root / "build" / "cache")


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_killed_during_site_build_keeps_previous_site(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "project")
    before = site_digest(root / "build" / "site")
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text().replace("Two tiny nets", "Two small nets"))
    lines = kill_when(start_build(root), "mkdocs ")
    assert any(line.startswith("mkdocs ") for line in lines)
    after = site_digest(root / "build" / "site")
    # Either the old site, whole, or (if MkDocs won the race) the new one, whole.
    assert after == before or "Two small nets" in (root / "build" / "site" / "tiny" /
                                                   "index.html").read_text()
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert "Two small nets" in (root / "build" / "site" / "tiny" / "index.html").read_text()
    # The half-built site of the killed MkDocs run is swept by the next build.
    assert [path.name for path in (root / "build").iterdir() if path.name.startswith(".site")] \
        == []


def test_two_builds_at_once_do_not_corrupt_cache_or_site(tmp_path):
    root = make_project(tmp_path / "project", posts=("tiny", "notes"))
    first, second = start_build(root), start_build(root)
    outputs = [process.communicate(timeout=600)[0] for process in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert_cache_entries_whole(root / "build" / "cache")
    assert len([p for p in (root / "build" / "cache" / "runs").iterdir()
                if not p.name.startswith(".") and p.is_dir()]) == 2
    page = (root / "build" / "site" / "tiny" / "index.html").read_text()
    assert "media/tiny/wide.webm" in page
    result = run_build(root)
    assert result.returncode == 0 and "render " not in result.stdout


def test_two_clean_builds_give_identical_recordings(built_project, tmp_path):
    root = make_project(tmp_path / "again")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    first, second = recordings(built_project), recordings(root)
    assert first.keys() == second.keys() and len(first) == 2 + 2 + 4  # tiny, plane, sweep
    for fingerprint in first:
        for name, array in first[fingerprint].items():
            assert np.array_equal(array, second[fingerprint][name], equal_nan=True), name


def test_no_output_path_escapes_build(built_project):
    build = (built_project / "build").resolve()
    for path in built_project.rglob("*"):
        relative = path.relative_to(built_project)
        if relative.parts[0] in ("content", "templates", "mkdocs.yml"):
            continue
        assert path.resolve().is_relative_to(build), path


def test_an_index_holding_json_that_is_not_an_object_is_rebuilt_not_a_traceback(built_project,
                                                                                 tmp_path):
    root = copy_built(built_project, tmp_path / "project")
    index = root / "build" / "cache" / "index.json"
    for text in ("[]", "null", '"runs"'):
        index.write_text(text)
        result = run_build(root)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        said = [line for line in result.stdout.splitlines() if "corrupt cache index" in line]
        assert len(said) == 1, result.stdout
        assert isinstance(json.loads(index.read_text()), dict)
        again = run_build(root)  # rebuilt for good: the next build says nothing about it
        assert again.returncode == 0 and "corrupt cache index" not in again.stdout


def test_an_index_entry_of_the_wrong_type_is_named_unreadable_not_printed(built_project,
                                                                          tmp_path):
    root = copy_built(built_project, tmp_path / "project")
    index = root / "build" / "cache" / "index.json"
    entries = json.loads(index.read_text())
    entries["tiny/wide"] = ["not", "a", "spec"]
    index.write_text(json.dumps(entries))
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text().replace("epochs: 30", "epochs: 31", 1))
    result = run_build(root, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert ("train   tiny/wide: its entry in the cache index was unreadable"
            in result.stdout.splitlines()), result.stdout
