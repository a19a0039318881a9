"""Atomic writes: a file or folder appears whole or not at all, never half written.

Every temporary name carries the process id of its writer (``.<name>.pid<PID>.<random>.tmp``),
so a later build can tell a leftover of a killed build (its writer is gone) from a file another
build is filling right now: see ``sweep``.

What appears has the modes any new file or folder gets (666 and 777 less the umask: 644 and 755
as usual), not the private 600 / 700 of ``tempfile``: the published site must be readable by a
web server that runs as another user.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# What a temporary of ours is called: a dot, the target's name, then ".tmp" or ".old" (a folder
# moved aside while its replacement goes in), or a write probe of ``build.check_writable``.
_TEMPORARY = re.compile(r"^\..+\.(tmp|old)$|^\.write-test-\d+$")
_OWNER = re.compile(r"\.pid(\d+)\.|^\.write-test-(\d+)$")


def temporary_prefix(name: str) -> str:
    """The start of a temporary name for ``name``, tagged with this process's id."""
    return f".{name}.pid{os.getpid()}."


def umask() -> int:
    """This process's umask (read without changing it where /proc says it: threads may be
    creating files meanwhile)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def usual_mode(folder: bool) -> int:
    """The mode a new folder (777) or file (666) gets under the umask: 755 / 644 usually."""
    return (0o777 if folder else 0o666) & ~umask()


def temporary_folder(parent: Path, name: str, suffix: str = ".tmp") -> Path:
    """A new empty folder in ``parent`` for filling ``name``, tagged with this process's id.

    Private only by name: it gets the usual mode, since it becomes ``name`` as it is."""
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=temporary_prefix(name), suffix=suffix))
    os.chmod(folder, usual_mode(folder=True))
    return folder


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name),
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), usual_mode(folder=False))  # not mkstemp's private 600
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def folder(path: Path, replace: bool = False) -> Iterator[Path]:
    """Fill a temporary sibling folder, then rename it to ``path`` in one step.

    If ``path`` already exists (another build finished the same entry meanwhile), the other
    build's complete copy is kept and ours is dropped, unless ``replace`` (``--force``, or an
    incomplete entry) asks for ours to be swapped in.
    """
    swap = FolderSwap(path, replace)
    try:
        yield swap.temporary
        swap.commit()
    finally:
        swap.discard()


class FolderSwap:
    """A temporary sibling folder that later becomes ``path`` (``commit``) or goes (``discard``).

    The object form of ``folder`` for when filling happens elsewhere: the build process creates
    the folder, a worker process renders into it, and only the build process, once the worker
    reported success, renames it into the cache. A worker never renames anything into the cache,
    so an orphaned worker cannot publish an entry.
    """

    def __init__(self, path: Path, replace: bool = False):
        self.path, self.replace = path, replace
        self.temporary = temporary_folder(path.parent, path.name)

    def commit(self) -> None:
        if self.replace:
            replace_folder(self.temporary, self.path)
        else:
            _rename_unless_present(self.temporary, self.path)

    def discard(self) -> None:
        """Remove the temporary folder if it is still there (after commit it is not)."""
        shutil.rmtree(self.temporary, ignore_errors=True)


def replace_folder(new: Path, target: Path) -> None:
    """Swap a finished folder into place: the old one stays whole until the new one is there.

    The old copy is moved aside under a name of its own (two builds may swap at once); if
    another build put a complete folder in place meanwhile, that one is kept.
    """
    old = temporary_folder(target.parent, target.name, suffix=".old")
    try:
        try:
            os.rename(target, old / "previous")
        except FileNotFoundError:
            pass
        _rename_unless_present(new, target)
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _rename_unless_present(source: Path, target: Path) -> None:
    """Rename folder ``source`` to ``target``; if another build put a complete ``target`` there
    first, keep that one (the caller removes ``source``)."""
    try:
        os.rename(source, target)
    except OSError:
        if not target.is_dir():
            raise


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary of ours (see ``sweep``)."""
    return bool(_TEMPORARY.match(name))


def owner(name: str) -> int | None:
    """The process id a temporary's name was tagged with, or None (an untagged name)."""
    match = _OWNER.search(name)
    return int(match.group(1) or match.group(2)) if match else None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie counts as gone: it writes nothing more)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, and not ours to judge
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): os.kill said it exists


def sweep(folder: Path, everything: bool, recursive: bool = False) -> list[Path]:
    """Remove the leftover temporaries in ``folder``; return what was removed.

    A temporary is removed when it is provably not in use: ``everything`` (the caller holds the
    lock that no other build is running) or its writer's process id is dead. Untagged temporaries
    (a folder name without a process id, e.g. of an older version) go only with ``everything``.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.iterdir()):
        if _TEMPORARY.match(path.name):
            pid = owner(path.name)
            if everything or (pid is not None and pid != os.getpid() and not process_alive(pid)):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path)
        elif recursive and path.is_dir() and not path.is_symlink():
            removed += sweep(path, everything, recursive=True)
    return removed
