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
RENDERER_VERSION = 4
