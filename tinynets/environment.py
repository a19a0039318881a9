"""The environment a build runs in, as its record states it: what could change its numbers.

Trained numbers are bit-identical across builds with the same lock file on the same kind of
CPU; another TensorFlow, Keras or numpy, another vector width (XLA compiles for the CPU it runs
on) or XLA flags such as ``--xla_cpu_max_isa=AVX2`` can move them. This module reads all of
that without importing TensorFlow (versions come from package metadata).

For example::

    environment = current(Path("."))
    environment.cpu.vector_isa
    # ('avx', 'avx2', 'avx512f', ..., 'fma', 'sse4_1', 'sse4_2')
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Iterable

from tinynets.engine.fingerprint import library_versions
from tinynets.record import Cpu, Environment, TinynetsVersion
from tinynets.version import package_version

LOCK_FILE = "requirements.lock"

# CPU flags that decide which instructions XLA's CPU compiler (LLVM) may emit for the host:
# x86 vector extensions and fused multiply-add, ARM's SIMD and matrix ones. Other flags
# (aes, rdrand, …) do not touch the arithmetic of training.
_VECTOR_FLAG = re.compile(r"^(ssse3|sse4_[12]|sse4a|avx.*|fma|fma4|f16c|amx.*|"
                          r"asimd.*|sve.*|sme2?|i8mm|bf16)$")


def current(root: Path) -> Environment:
    """The environment of a build of the project at ``root``."""
    versions = library_versions()
    return Environment(
        tinynets=TinynetsVersion(package_version(), *git_state(root)),
        python=platform.python_version(),
        tensorflow=versions["tensorflow"],
        keras=versions["keras"],
        numpy=versions["numpy"],
        cpu=cpu(),
        platform=platform.platform(),
        lock_sha256=lock_hash(root),
        xla_flags=os.environ.get("XLA_FLAGS") or None,
    )


def git_state(root: Path) -> tuple[str | None, bool | None]:
    """(commit, dirty) of the git checkout at ``root``; (None, None) outside one or without
    git. Dirty means tracked files changed or untracked files not ignored (a new post counts)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=root,
                                capture_output=True, text=True, timeout=30)
        if commit.returncode != 0:
            return None, None
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root,
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None, None
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return commit.stdout.strip(), dirty


def lock_hash(root: Path) -> str | None:
    try:
        return hashlib.sha256((root / LOCK_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def cpu(cpuinfo: Path = Path("/proc/cpuinfo")) -> Cpu:
    """The CPU's model and vector instruction sets (from /proc/cpuinfo on Linux; elsewhere the
    model as Python's platform module names it, and no flags)."""
    try:
        text = cpuinfo.read_text("utf-8", errors="replace")
    except OSError:
        return Cpu(platform.processor() or platform.machine() or "unknown", ())
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, separator, content = line.partition(":")
        if separator:
            fields.setdefault(key.strip().lower(), content.strip())  # the first processor's
    model = (fields.get("model name") or fields.get("hardware") or fields.get("cpu model")
             or platform.processor() or platform.machine() or "unknown")
    flags = (fields.get("flags") or fields.get("features") or "").split()
    return Cpu(model, vector_isa(flags))


def vector_isa(flags: Iterable[str]) -> tuple[str, ...]:
    """The flags among ``flags`` that change what XLA compiles, sorted.

    >>> vector_isa(["fpu", "sse2", "sse4_2", "avx2", "aes", "avx512f", "fma"])
    ('avx2', 'avx512f', 'fma', 'sse4_2')
    """
    return tuple(sorted({flag for flag in flags if _VECTOR_FLAG.match(flag)}))
