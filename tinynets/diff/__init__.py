"""``python -m tinynets diff [OLD] [--against NEW]``: what moved between two build records.

It compares two ``results.json`` records (see ``tinynets.record``) and lists, per post, the
numbers that moved by more than a relative tolerance, the claims that changed state or text,
the nets and sweep cells added, removed or retrained, and, as context, how the environments
differ. Exit status: 0 when nothing changed, 1 when something did (so CI can gate on it), 2 when
a record cannot be read.

    $ python -m tinynets diff main
    optimizer-or-depth: wide-sgd retrained (fingerprint a1b2c3d4 → 9f8e7d6c): epochs 5000 → 6000
    optimizer-or-depth: wide-sgd median 0.0994 → 0.1021 (+2.7 %)
    1 net or cell retrained, 1 number moved beyond ±0.1 %.

What counts as a change (exit 1): a number beyond the tolerance; a claim that now holds or
fails (on the shown or the replication seeds), whose text or check changed, or that was added
or removed; a post, net or cell added or removed; a net retrained (its fingerprint changed: new
settings, data, seeds or library versions); a post's title, data, seeds or data files changed.
The environment is context, never a change by itself: numbers that it moved are.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from tinynets import record
from tinynets.diff.findings import DEFAULT_TOLERANCE, compare
from tinynets.diff.report import markdown, text
from tinynets.record import Record, RecordError

DEFAULT_NEW = Path("build") / "site" / "results.json"
# Where a git revision's record is found: a note on the commit (CI can attach its build's:
# git notes --ref=tinynets-results add -F build/site/results.json HEAD), or a committed file.
NOTES_REF = "tinynets-results"
COMMITTED_RECORD = "results.json"


def add_command(commands) -> None:
    """The ``diff`` subcommand of ``python -m tinynets`` (see ``tinynets.cli``)."""
    command = commands.add_parser(
        "diff", help="compare this build's results.json with another build's",
        description="List, per post, the numbers that moved beyond a relative tolerance, the "
                    "claims that changed state or text, the nets and sweep cells added, removed "
                    "or retrained, and the environment differences. Exit status 0: no change; "
                    "1: something changed; 2: a record could not be read.")
    command.add_argument("old", nargs="?", default="HEAD", metavar="OLD",
                         help="the record to compare with: a results.json file, an http(s):// "
                              "URL, or a git revision (HEAD~1, main) with a record attached as "
                              f"a note (refs/notes/{NOTES_REF}) or a committed "
                              f"{COMMITTED_RECORD} (default: HEAD)")
    command.add_argument("--against", metavar="NEW",
                         help=f"the newer record, of the same kinds (default: {DEFAULT_NEW})")
    command.add_argument("--tolerance", type=_tolerance, default=DEFAULT_TOLERANCE, metavar="REL",
                         help="a number moves when it differs by more than this share of its "
                              f"old value (default: {DEFAULT_TOLERANCE:g}, i.e. "
                              f"{DEFAULT_TOLERANCE * 100:g} %%)")  # %% is argparse's %
    command.add_argument("--markdown", action="store_true",
                         help="write Markdown tables (for a GitHub job summary) instead of lines")
    command.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)


def _tolerance(text: str) -> float:
    try:
        tolerance = float(text)
    except ValueError:
        tolerance = -1.0
    if not tolerance >= 0 or tolerance == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a share of 0 or more, e.g. 0.01 "
                                         "for 1 %")
    return tolerance


def run(arguments) -> int:
    """Run ``python -m tinynets diff`` with parsed ``arguments``; return the exit status."""
    try:
        old, old_name = load(arguments.old, arguments.root, "baseline")
        if arguments.against is None:
            path = arguments.root / DEFAULT_NEW
            if not path.exists():
                raise RecordError(f"{DEFAULT_NEW}: no such file. Build the site first (make "
                                  "site), or name the newer record with --against.")
            new, new_name = record.read(path), str(DEFAULT_NEW)
        else:
            new, new_name = load(arguments.against, arguments.root, "--against")
    except RecordError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = compare(old, new, arguments.tolerance, old_name, new_name)
    print(markdown(report) if arguments.markdown else text(report), end="")
    return 1 if report.changed else 0


# Finding a record: a file, a URL or a git revision.

def load(source: str, root: Path, role: str) -> tuple[Record, str]:
    """The record ``source`` names, and how to name it in the report."""
    if record.is_url(source):
        return record.read(source), source
    path = Path(source) if Path(source).is_absolute() else root / source
    if path.exists():
        return record.read(path), source
    commit = _commit(source, root)
    if commit is None:
        raise RecordError(f"{role} {source}: no such file, and not a git revision here. Give a "
                          "saved results.json, an http(s):// URL, or a revision such as HEAD~1 "
                          "or main.")
    content, where = _revision_record(source, commit, root)
    return record.parse(content, where), where


def _git(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *arguments], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:  # no git: nothing is a revision
        return subprocess.CompletedProcess(arguments, 128, b"", str(error).encode())


def _commit(revision: str, root: Path) -> str | None:
    if revision.startswith("-"):  # never an option to git
        return None
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return found.stdout.decode().strip() if found.returncode == 0 else None


def _revision_record(revision: str, commit: str, root: Path) -> tuple[bytes, str]:
    """The record of a revision: its note, else its committed file; else say how to make one."""
    short = commit[:12]
    note = _git(root, "notes", f"--ref={NOTES_REF}", "show", commit)
    if note.returncode == 0:
        return note.stdout, f"{revision} ({short}, note refs/notes/{NOTES_REF})"
    committed = _git(root, "show", f"{commit}:{COMMITTED_RECORD}")
    if committed.returncode == 0:
        return committed.stdout, f"{revision}:{COMMITTED_RECORD} ({short})"
    raise RecordError(
        f"{revision} ({short}) has no results record: no note in refs/notes/{NOTES_REF} and no "
        f"committed {COMMITTED_RECORD}. Build that revision (git worktree add /tmp/tinynets-"
        f"{short} {short} && make -C /tmp/tinynets-{short} site) and diff its "
        f"build/site/results.json, or attach a build's record to it (git notes --ref="
        f"{NOTES_REF} add -F build/site/results.json {short}).")
