"""What killed builds leave below build/ is swept by the next build, never what a running one
is still filling (``build.running``: a shared lock held by every build for its whole length)."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest

from tinynets.build import ACTIVE_LOCK, running


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def leftovers(tmp_path):
    """build/ as killed builds leave it, plus the temporaries of a build that is still alive."""
    build = tmp_path / "build"
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = dead_pid()
    stale = {
        "site": build / ".site.a1b2c3d4.tmp",  # MkDocs killed half way (an untagged name)
        "media": build / "cache" / "media" / f".0123abcd.pid{dead}.x1.tmp",  # empty render folder
        "runs": build / "cache" / "runs" / f".4567cdef.pid{dead}.y2.old",
        "index": build / "cache" / f".index.json.pid{dead}.z3.tmp",
        "docs": build / "docs" / "media" / "tiny" / ".wide.gif.tmp",
        "probe": build / f".write-test-{dead}",
    }
    for name, path in stale.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if name in ("site", "media", "runs"):
            path.mkdir()
            (path / "index.html").write_bytes(b"x" * 1000)
        else:
            path.write_bytes(b"x")
    busy = build / "cache" / "media" / f".89abef01.pid{living.pid}.w4.tmp"
    busy.mkdir()
    kept = [build / "docs" / ".authors.yml", build / "cache" / "media" / "0123abcd",
            build / "docs" / "media" / "tiny" / "wide.gif"]
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kept")
    yield build, stale, busy, kept
    living.kill()
    living.wait()


def test_a_build_alone_sweeps_every_leftover(leftovers):
    build, stale, busy, kept = leftovers
    lines: list[str] = []
    with running(build, lines.append):
        assert not [name for name, path in stale.items() if path.exists()]
        assert not busy.exists()  # no other build holds the lock: nobody is filling it
        assert all(path.read_text() == "kept" for path in kept)
    assert lines == ["removed 7 leftovers of interrupted builds (3.0 kB)"]


def test_while_another_build_runs_only_dead_writers_temporaries_go(leftovers):
    build, stale, busy, kept = leftovers
    other = open(build / ACTIVE_LOCK, "a")  # another build, running (its shared lock)
    fcntl.flock(other, fcntl.LOCK_SH)
    try:
        with running(build):
            gone = {name for name, path in stale.items() if not path.exists()}
            assert gone == {"media", "runs", "index", "probe"}  # writers proven dead
            assert busy.exists()  # its writer lives: perhaps filling it right now
            assert stale["site"].exists() and stale["docs"].exists()  # untagged: not provable
            assert all(path.read_text() == "kept" for path in kept)
    finally:
        other.close()


def test_prune_waits_for_a_running_build(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    other = open(build / ACTIVE_LOCK, "a")
    fcntl.flock(other, fcntl.LOCK_SH)
    probe = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from tinynets.build import running\n"
         f"with running(Path({str(build)!r}), print, alone=True):\n    print('pruning')"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    first = probe.stdout.readline()
    assert first == "waiting for the build that is running to finish\n"
    assert probe.poll() is None
    other.close()
    assert probe.communicate(timeout=30)[0] == "pruning\n"
