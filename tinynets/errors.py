"""Errors an author can cause. Each names the file, the place, what was expected and the fix."""

from __future__ import annotations


class TinynetsError(Exception):
    """A mistake in the input or environment, reported without a traceback (exit status 1)."""


class BuildBusy(TinynetsError):
    """Another build (or ``prune``) holds the build folder, and the build was told not to wait."""

    exit_status = 75  # EX_TEMPFAIL: a temporary condition; the same command works later


class SpecError(TinynetsError):
    """Every problem found while validating posts, listed at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the content:"
        super().__init__("\n".join([heading, *(f"  - {problem}" for problem in problems)]))


class TemplateProblem(TinynetsError):
    """A post's Markdown body could not be rendered (syntax, undefined name, failing claim)."""


class ClaimFailed(TemplateProblem):
    """A claim in the prose is contradicted by the measurements."""


def display_path(path) -> str:
    """``path`` as an author would type it: relative to the current folder when inside it
    (``content/posts/x.md``, which editors and terminals turn into links), else as given."""
    from pathlib import Path

    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
