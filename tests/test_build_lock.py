"""Two builds in one checkout: the second waits for the first (one lock on build/ for the whole
build), or with ``--no-wait`` fails at once, and then reuses what the first trained."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import REPO, make_project

pytestmark = pytest.mark.slow

BUSY_STATUS = 75  # EX_TEMPFAIL: try again later


def start_build(root: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tinynets", "build", "--jobs", "1", *arguments], cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def first_line(process: subprocess.Popen) -> str:
    return process.stdout.readline()


def slow_project(folder: Path) -> Path:
    """The tiny fixture post, trained long enough for a second build to start meanwhile."""
    root = make_project(folder, posts=("tiny",))
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text().replace("epochs: 30", "epochs: 1500"))
    return root


def test_a_second_build_waits_for_the_first_then_reuses_everything(tmp_path):
    root = slow_project(tmp_path / "project")
    first = start_build(root)
    assert first_line(first).startswith("train   tiny/")  # the first holds the lock now
    second = start_build(root)
    assert first_line(second) == \
        f"waiting for the build that is running (pid {first.pid}) to finish\n"
    assert second.poll() is None  # still waiting
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    assert "trained tiny/wide" in first_out
    # Everything the second needed was there once it could start: nothing trained twice.
    assert "train   " not in second_out and "render  " not in second_out, second_out
    assert "reused  tiny/wide" in second_out and "built 1 post" in second_out


def test_with_no_wait_a_second_build_fails_at_once_and_says_why(tmp_path):
    root = slow_project(tmp_path / "project")
    first = start_build(root)
    assert first_line(first).startswith("train   tiny/")
    started = time.monotonic()
    second = start_build(root, "--no-wait")
    second_out, second_err = second.communicate(timeout=60)
    assert time.monotonic() - started < 15  # Python's start-up, not the first build's length
    assert second.returncode == BUSY_STATUS
    assert second_out == ""
    assert second_err == (
        f"error: another build is running in this checkout (pid {first.pid}). Wait for it to "
        "finish (build without --no-wait waits), or stop it; nothing was changed.\n")
    assert first.poll() is None  # the first goes on undisturbed
    first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert (root / "build" / "site" / "tiny" / "index.html").is_file()


def test_without_another_build_no_wait_builds_as_usual(tmp_path):
    root = make_project(tmp_path / "project", posts=("notes",))
    result = subprocess.run([sys.executable, "-m", "tinynets", "build", "--no-wait"], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stdout and "built 1 post" in result.stdout
