"""What a media cache entry held when it was rendered: each file's size, SHA-256 and time.

The renderer writes ``files.json`` into a medium's folder before moving it into the cache;
every later build checks the folder against it before reusing it. A file whose size differs
is changed; one whose modification time differs is hashed, and changed if its hash does. So a
warm build only stats its media (no hashing), and a file truncated or rewritten in the cache is
rendered again instead of being published.

    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as name:
    ...     folder = Path(name)
    ...     _ = (folder / "anim.webm").write_bytes(b"frames")
    ...     write(folder)
    ...     before = changed(folder, ["anim.webm"])
    ...     _ = (folder / "anim.webm").write_bytes(b"cut")
    ...     before, changed(folder, ["anim.webm"]), changed(folder, ["poster.png"])
    ([], ['anim.webm'], ['poster.png'])
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tinynets import atomic

MANIFEST = "files.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write(folder: Path) -> None:
    """Record every file of ``folder`` (a rendered medium, before it moves into the cache)."""
    files = {path.name: {"size": path.stat().st_size, "sha256": _sha256(path),
                         "mtime_ns": path.stat().st_mtime_ns}
             for path in sorted(folder.iterdir()) if path.is_file() and path.name != MANIFEST}
    atomic.write_text(folder / MANIFEST, json.dumps(files, indent=1, sort_keys=True) + "\n")


def changed(folder: Path, names) -> list[str]:
    """Which of ``names`` in ``folder`` are missing, empty or not as they were rendered (all of
    them when the folder has no readable record: an entry from before records were kept)."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        recorded = {}
    if not isinstance(recorded, dict):
        recorded = {}
    return [name for name in names if not _as_recorded(folder / name, recorded.get(name))]


def _as_recorded(path: Path, record) -> bool:
    try:
        status = path.stat()
        if not isinstance(record, dict) or status.st_size != record.get("size") \
                or status.st_size == 0:
            return False
        return status.st_mtime_ns == record.get("mtime_ns") \
            or _sha256(path) == record.get("sha256")
    except OSError:
        return False
