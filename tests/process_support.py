"""Processes in the tests that start, kill and wait for builds and worker pools: whether a pid lives,
a process's descendants, the survivors of a killed build, a build's output read up to a line, a
folder's state, and a project whose training takes long enough to be interrupted."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from support import make_project


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pids, seconds: float = 5.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


def processes() -> dict[int, tuple[int, int, str]]:
    """Every process: pid → (parent pid, session id, state)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[3]), fields[0])
    return found


def descendants(pid: int) -> set[int]:
    table = processes()
    found, frontier = set(), {pid}
    while frontier:
        children = {child for child, (parent, _, _) in table.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def survivors(build: int, children: set[int]) -> set[int]:
    """Live processes of the killed build: recorded children, or anything in its session."""
    return {pid for pid, (_, session, state) in processes().items()
            if (pid in children or session == build) and state != "Z"}


def read_until(process: subprocess.Popen, starts: str) -> list[str]:
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith(starts):
            return lines
    raise AssertionError("the build ended before: " + "".join(lines[-20:]))


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path below ``folder`` with its size and modification time."""
    state = {}
    for path in folder.rglob("*"):
        try:
            stat = path.lstat()
        except FileNotFoundError:
            continue
        state[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return state


def slow_project(folder: Path, epochs: int, frames: int) -> Path:
    root = make_project(folder, posts=("tiny", "notes"))
    post = root / "content" / "posts" / "tiny.md"
    text = post.read_text()
    assert "epochs: 30" in text and "count: 12" in text
    post.write_text(text.replace("epochs: 30", f"epochs: {epochs}")
                    .replace("count: 12", f"count: {frames}"))
    return root
