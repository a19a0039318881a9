"""Content addresses: a short hash of canonical JSON, and the versions that change the numbers.

Importing this module does not import TensorFlow: versions are read from package metadata.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value) -> str:
    """A 16-hex-digit hash of ``value``'s canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=None)
def library_versions() -> dict[str, str]:
    """Versions of the libraries whose changes can change trained numbers."""
    versions = {}
    for name, candidates in {
        "keras": ["keras"],
        "tensorflow": ["tensorflow-cpu", "tensorflow"],
        "numpy": ["numpy"],
    }.items():
        for candidate in candidates:
            try:
                versions[name] = metadata.version(candidate)
                break
            except metadata.PackageNotFoundError:
                continue
        else:
            versions[name] = "missing"
    return versions

# Bump when a change to the training code changes the numbers it records.
TRAINING_CODE_VERSION = 3
# Bump when a change to the renderer changes the pictures it draws.
RENDERER_VERSION = 5


@lru_cache(maxsize=None)
def source_digest(*modules: str) -> str:
    """A 16-hex-digit hash of the source files of ``modules`` (read, not imported): what a
    cache of values those modules compute is keyed by, so that editing them invalidates it.

    >>> len(source_digest("tinynets.measure.inside"))
    16
    """
    from importlib.util import find_spec

    hashed = hashlib.sha256()
    for module in modules:
        origin = find_spec(module).origin
        hashed.update(module.encode("utf-8") + b"\0")
        with open(origin, "rb") as source:
            hashed.update(source.read())
    return hashed.hexdigest()[:16]
