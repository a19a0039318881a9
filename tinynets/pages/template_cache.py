"""What checking and compiling templates leaves on disk, so that a warm build skips the work.

Most of a warm build's own time went to Jinja: parsing and compiling templates/macros.j2 and
every post body, and walking their trees for the checks before training. All of it depends only
on the template sources, on what the environment knows (names of globals, filters, tests), on
Python's and Jinja's versions and on our own code, so it is kept in build/cache/templates under a
hash of all of these. An edit anywhere gives another key: nothing stale is ever read. The folder
keeps at most ``MAX_ENTRIES`` files (the least recently written go first), so editing a post for
hours does not fill the disk. Builds that do not ``use`` a folder (tests, library calls) keep
nothing on disk.

Example::

    use(Path("build/cache/templates"))
    remembered("problems", [body, nets], lambda: slow_checks(body))
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from pathlib import Path
from typing import Callable

import jinja2

from tinynets import atomic
from tinynets.engine.fingerprint import source_digest

MAX_ENTRIES = 500
_FOLDER: Path | None = None


def use(folder: Path | None) -> None:
    """Keep what templates leave in ``folder`` from now on (None: keep nothing on disk)."""
    global _FOLDER
    _FOLDER = folder


def folder() -> Path | None:
    return _FOLDER


def _version() -> list[str]:
    # The code that computes what is kept: the checks and page uses, the environment (its
    # escaping too), the sandbox, this module, and the catalogue of media (which macro call shows which medium).
    return [sys.version, jinja2.__version__, source_digest(
        "tinynets.pages.analysis", "tinynets.pages.macro_calls", "tinynets.pages.templating",
        "tinynets.pages.escaped_filters", "tinynets.pages.sandbox",
        "tinynets.pages.template_cache", "tinynets.media.catalog")]


def _path(kind: str, parts) -> Path | None:
    if _FOLDER is None:
        return None
    key = json.dumps([_version(), kind, parts], sort_keys=True, default=str)
    return _FOLDER / f"{kind}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}"


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path | None, content: bytes) -> None:
    if path is None:
        return
    try:
        atomic.write_bytes(path, content)
        _trim(path.parent)
    except OSError:
        pass  # a cache that cannot be written only costs the next build its time


def _trim(folder: Path) -> None:
    entries = [entry for entry in os.scandir(folder) if not atomic.is_temporary(entry.name)]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        Path(entry.path).unlink(missing_ok=True)


def remembered(kind: str, parts, compute: Callable[[], object]):
    """``compute()``'s JSON-able value, read from disk when ``parts`` were seen before.

    A value that cannot be read back (a damaged file) is computed again and rewritten.
    """
    path = _path(kind, parts)
    stored = _read(path)
    if stored is not None:
        try:
            return json.loads(stored.decode("utf-8"))["value"]
        except (ValueError, KeyError, UnicodeDecodeError):
            pass
    value = compute()
    _write(path, json.dumps({"value": value}).encode("utf-8"))
    return value


def compiled_code(env: jinja2.Environment, source: str):
    """``env.compile(source)``: the code object Jinja makes of a post body, kept on disk.

    The code depends on the source and on the environment's filters and tests (compiling
    refuses unknown ones), which are part of the key.
    """
    path = _path("code", [source, sorted(env.filters), sorted(env.tests),
                          type(env).__name__])
    stored = _read(path)
    if stored is not None:
        try:
            return marshal.loads(stored)
        except (ValueError, EOFError, TypeError):
            pass
    code = env.compile(source)
    _write(path, marshal.dumps(code))
    return code


class BytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache for templates loaded by name, in the same folder, written
    atomically. Jinja keys each bucket by the template's name and file and checks the source's
    checksum and its own magic (Python's version) when loading; ``flavour`` tells environments
    that compile differently apart (their extensions).

    For example::

        env.bytecode_cache = BytecodeCache(flavour=sorted(env.extensions))
    """

    def __init__(self, flavour=()):
        self.flavour = list(flavour)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        stored = _read(_path("bytecode", [bucket.key, self.flavour]))
        if stored is not None:
            bucket.bytecode_from_string(stored)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _write(_path("bytecode", [bucket.key, self.flavour]), bucket.bytecode_to_string())


def cache_theme_templates(config) -> None:
    """Let MkDocs' theme environment (Material's sixty templates, compiled on every build: about
    a quarter of MkDocs' own time) keep their bytecode here too. ``config`` is a loaded MkDocs
    config; nothing changes when no folder is in use."""
    if _FOLDER is None:
        return
    make_environment = config.theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_environment()
        env.bytecode_cache = BytecodeCache(flavour=["mkdocs-theme", sorted(env.extensions)])
        return env

    config.theme.get_env = get_env
