"""Atomic writes: a file or folder appears whole or not at all, never half written."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
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
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield temporary
        if replace:
            replace_folder(temporary, path)
        else:
            _rename_unless_present(temporary, path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def replace_folder(new: Path, target: Path) -> None:
    """Swap a finished folder into place: the old one stays whole until the new one is there.

    The old copy is moved aside under a name of its own (two builds may swap at once); if
    another build put a complete folder in place meanwhile, that one is kept.
    """
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
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
