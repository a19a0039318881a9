"""What a media cache entry held when it was rendered: each file's size, SHA-256 and time.

The renderer writes ``files.json`` into a medium's folder before moving it into the cache;
every later build checks the folder against it before reusing it. A file whose size differs
is changed; one whose modification time differs is hashed, and changed if its hash does. So a
warm build only stats its media (no hashing), and a file truncated or rewritten in the cache is
rendered again instead of being published.

    >>> from tempfile import TemporaryDirectory
    >>> import os
    >>> with TemporaryDirectory() as name:
    ...     folder = Path(name)
    ...     _ = (folder / "anim.webm").write_bytes(b"frames")
    ...     write(folder)
    ...     before = changed(folder, ["anim.webm"])
    ...     os.utime(folder / "anim.webm", ns=(0, 10**18))  # copied: another time, same bytes
    ...     copied = changed(folder, ["anim.webm"])
    ...     _ = (folder / "anim.webm").write_bytes(b"cuts!!")  # the same size, other bytes
    ...     before, copied, changed(folder, ["anim.webm"]), changed(folder, ["poster.png"])
    ([], [], ['anim.webm'], ['poster.png'])
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


def commit(swap: atomic.FolderSwap) -> None:
    """Record the files of a medium rendered into ``swap``'s temporary folder, then move it into
    the cache: a medium enters the cache only with its record (the build's media stage and the
    notebook API both render through this)."""
    write(swap.temporary)
    swap.commit()


def changed(folder: Path, names) -> list[str]:
    """Which of ``names`` in ``folder`` are missing, empty or not as they were rendered (all of
    them when the folder has no readable record: an entry from before records were kept)."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        recorded = {}
    if not isinstance(recorded, dict):
        recorded = {}
    retimed = False  # a file hashed and found as rendered: its new time saves the next hash
    found = []
    for name in names:
        status = _as_recorded(folder / name, recorded.get(name))
        if status is None:
            found.append(name)
        elif status.st_mtime_ns != recorded[name]["mtime_ns"]:
            recorded[name]["mtime_ns"], retimed = status.st_mtime_ns, True
    if retimed and not found:
        try:
            atomic.write_text(folder / MANIFEST, json.dumps(recorded, indent=1, sort_keys=True)
                              + "\n")
        except OSError:
            pass  # a read-only cache: the files are hashed again next time, nothing worse
    return found


def _as_recorded(path: Path, record):
    """The file's status if it is as ``record`` says it was rendered, else None."""
    try:
        status = path.stat()
        if not isinstance(record, dict) or status.st_size != record.get("size") \
                or status.st_size == 0:
            return None
        if status.st_mtime_ns == record.get("mtime_ns") \
                or _sha256(path) == record.get("sha256"):
            return status
    except OSError:
        pass
    return None
