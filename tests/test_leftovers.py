"""What killed builds leave below build/ is swept by the next build; a build never runs beside
another (``build.running``: an exclusive lock held by every build and prune for its whole length),
so it never sweeps what a running one is still filling."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest

from tinynets.build import ACTIVE_LOCK, running
from tinynets.errors import BuildBusy


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


def hold(build: Path, pid: int, what: str = "build"):
    """Hold build/ as a running build or prune does: the lock, and its record of who holds it."""
    other = open(build / ACTIVE_LOCK, "a+")
    fcntl.flock(other, fcntl.LOCK_EX)
    other.write(f"{pid} {what}\n")
    other.flush()
    return other


def test_while_another_build_runs_a_build_told_not_to_wait_fails_and_sweeps_nothing(leftovers):
    build, stale, busy, kept = leftovers
    other = hold(build, 4242)
    try:
        with pytest.raises(BuildBusy) as raised:
            with running(build, wait=False):
                pass
        assert str(raised.value) == (
            "another build is running in this checkout (pid 4242). Wait for it to finish (build "
            "without --no-wait waits), or stop it; nothing was changed.")
        assert raised.value.exit_status == 75
        assert all(path.exists() for path in stale.values()) and busy.exists()
    finally:
        other.close()


def test_prune_waits_for_a_running_build(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    other = hold(build, 4242)
    probe = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from tinynets.build import running\n"
         f"with running(Path({str(build)!r}), print, holder='prune'):\n    print('pruning')"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    first = probe.stdout.readline()
    assert first == "waiting for the build that is running (pid 4242) to finish\n"
    assert probe.poll() is None
    other.close()
    assert probe.communicate(timeout=30)[0] == "pruning\n"
    assert (build / ACTIVE_LOCK).read_text() == f"{probe.pid} prune\n"


def test_a_build_waits_for_prune_and_says_so(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    other = hold(build, 4343, "prune")
    probe = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from tinynets.build import running\n"
         f"with running(Path({str(build)!r}), print):\n    print('building')"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert probe.stdout.readline() == "waiting for `prune` (pid 4343) to finish\n"
    other.close()
    assert probe.communicate(timeout=30)[0] == "building\n"
