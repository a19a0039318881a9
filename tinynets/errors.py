"""Every error tinynets raises on purpose, in one tree.

Each names the file, the place, what was expected and the fix; the command line prints a
``TinynetsError`` as one message and exits 1, never with a traceback::

    TinynetsError                  a mistake in the input or the environment
    ├── SpecError                  every problem in the posts' front matter, listed at once
    │   (gathered from InvalidValue and CsvProblem, raised while a post is checked)
    ├── InvalidValue               a front-matter value that its kind of value refuses
    ├── CsvProblem                 one problem with an author's CSV data file
    ├── TemplateProblem            a post's body cannot be rendered (file:line in the message)
    │   ├── ClaimFailed            a claim that the measurements contradict
    │   │   └── ClaimFragile       a claim that holds on the shown seeds but not on replication
    │   └── TemplateMisuse         a helper or measurement used wrongly in a template
    │       └── NotMeasured        a value the net's data does not record or cannot define
    ├── BuildBusy                  another build holds the build folder (--no-wait; exit 75)
    ├── NoSuchName                 a post, net or sweep the Python API is asked for that does
    │                              not exist (a KeyError too)
    ├── JobFailed                  a training job that failed for good
    ├── CorruptEntry               a cache entry that exists but cannot be trusted (retrained)
    ├── FigureDataError            a figure data file that cannot be read
    ├── TooManyUnits               a network diagram of more units than it draws legibly
    └── RecordError                a results record (results.json) that cannot be read

``TemplateMisuse``, ``FigureDataError`` and ``TooManyUnits`` are ``ValueError`` too: each is a
bad value given to a function, and callers that expect Python's own type still catch it.

Three exception classes live outside this tree on purpose, because a library's protocol asks for
its own base class: ``pages.templating.UndefinedName`` (a Jinja ``UndefinedError`` that carries
the missing name), ``pages.sandbox.TooLarge`` (the sandbox's ``SecurityError``) and
``cli.Terminated`` (a ``BaseException``: SIGTERM ends a build as Ctrl-C does).

>>> issubclass(NotMeasured, TemplateProblem) and issubclass(NotMeasured, ValueError)
True
>>> print(SpecError(["posts/a.md:3: nets.wide.layers: expected …", "posts/b.md:1: …"]))
2 problems in the content:
  - posts/a.md:3: nets.wide.layers: expected …
  - posts/b.md:1: …
"""

from __future__ import annotations

from typing import Any


class TinynetsError(Exception):
    """A mistake in the input or environment, reported without a traceback (exit status 1).

    In IPython and Jupyter too: the shell shows what ``_render_traceback_`` returns instead of
    the traceback, so a notebook (``tinynets.api``) shows the message the command line prints.

    >>> TinynetsError("nets.wide.epochs: got 0, …")._render_traceback_()
    ['TinynetsError: nets.wide.epochs: got 0, …']
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class BuildBusy(TinynetsError):
    """Another build (or ``prune``) holds the build folder, and the build was told not to wait."""

    exit_status = 75  # EX_TEMPFAIL: a temporary condition; the same command works later


class NoSuchName(TinynetsError, KeyError):
    """A post, net or sweep that the Python API (``tinynets.api``) is asked for and that does
    not exist, with the names that do, as the build says it. A ``KeyError`` too, since it is
    raised where a mapping is looked up.

    >>> str(NoSuchName("there is no net 'wid' in this post"))
    "there is no net 'wid' in this post"
    """

    __str__ = Exception.__str__  # KeyError's would quote the message


class SpecError(TinynetsError):
    """Every problem found while validating posts (or an experiment given in Python: ``where``
    names the call), listed at once."""

    def __init__(self, problems: list[str], where: str = "the content"):
        self.problems = problems
        count = len(problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in {where}:"
        super().__init__("\n".join([heading, *(f"  - {problem}" for problem in problems)]))


class InvalidValue(TinynetsError):
    """A value a kind refuses: what was ``expected`` instead, or, for a list whose items are
    refused, ``items``: (place in the value, the item, what was expected) for each. The checker
    turns it into one of SpecError's problems, with the file, line and key."""

    def __init__(self, expected: str = "", items: tuple[tuple[tuple, Any, str], ...] = ()):
        super().__init__(expected)
        self.expected, self.items = expected, items


class CsvProblem(TinynetsError):
    """One problem with the author's CSV file; ``key`` is the data key it concerns (or None when
    the message already names the file and line)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.message, self.key = message, key


class TemplateProblem(TinynetsError):
    """A post's Markdown body could not be rendered (syntax, undefined name, failing claim)."""


class ClaimFailed(TemplateProblem):
    """A claim in the prose is contradicted by the measurements."""


class ClaimFragile(ClaimFailed):
    """A claim that holds on the seeds the page shows but fails on the post's replication seeds
    (or is never reached there): the message names the post, the line and both sets of values."""


class TemplateMisuse(TemplateProblem, ValueError):
    """A helper or a measurement used wrongly in a template: an argument out of range, a seed
    the net does not have, a question its data cannot answer. The page's renderer adds the
    post's file and line."""


class NotMeasured(TemplateMisuse):
    """A template asked for a value this net's data does not record (or cannot define)."""


class JobFailed(TinynetsError):
    """A job failed for good; the message names its net or cell and what went wrong."""


class CorruptEntry(TinynetsError):
    """A cache entry that exists but cannot be trusted (the build trains it again)."""


class FigureDataError(TinynetsError, ValueError):
    """A figure data file that cannot be read: what is wrong, and where."""


class TooManyUnits(TinynetsError, ValueError):
    """A net too large for the network diagram."""


class RecordError(TinynetsError):
    """A record that cannot be read: missing, not JSON, another version, or not the schema.
    The message is one line naming the file (or URL) and, for a schema violation, the JSON
    path of the first problem."""


def display_path(path) -> str:
    """``path`` as an author would type it: relative to the current folder when inside it
    (``content/posts/x.md``, which editors and terminals turn into links), else as given."""
    from pathlib import Path

    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
