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
import difflib
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

from tinynets import record
from tinynets.escaping import markdown_text, terminal_line
from tinynets.record import (ClaimRecord, Environment, NetRecord, Outcome, PostRecord, Record,
                             RecordError, SeedSet, Value)

# A number moves when it differs from its old value by more than this share of it. Same lock,
# same CPU kind: a rebuild is bit-identical, so any positive tolerance shows "no change". 0.1 %
# is one unit in the last digit of the smallest-stepped number a page prints (9.99, three
# significant digits): any move a reader could see on a page is listed.
DEFAULT_TOLERANCE = 0.001
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


# The findings.

@dataclass(frozen=True)
class NumberMoved:
    run: str  # a net's name, or a sweep cell's: width-rate[layers=[16],learning_rate=0.01]
    what: str  # median, seed 3 final error, replication stuck, noise_free_error, …
    old: Value | None  # None: not measured before (or no longer)
    new: Value | None


@dataclass(frozen=True)
class RunChanged:
    run: str
    change: str  # added, removed, retrained
    detail: str  # the label, or what changed in its settings


@dataclass(frozen=True)
class ClaimChanged:
    where: str  # content/posts/optimizer-or-depth.md:88
    text: str
    change: str  # now fails, now holds, text changed, check changed, added, removed, …
    before: str
    after: str
    counted: bool = True  # False: context (a claim that still holds while its values moved)


@dataclass(frozen=True)
class Difference:
    """A post-level or environment difference: what, before, after."""

    what: str
    before: str
    after: str


@dataclass
class PostDiff:
    slug: str
    title: str
    post: list[Difference] = field(default_factory=list)  # added/removed post, title, data, …
    runs: list[RunChanged] = field(default_factory=list)
    numbers: list[NumberMoved] = field(default_factory=list)
    claims: list[ClaimChanged] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.post or self.runs or self.numbers
                    or any(claim.counted for claim in self.claims))


@dataclass
class Report:
    old_name: str
    new_name: str
    old_built: str
    new_built: str
    tolerance: float
    posts: list[PostDiff]
    environment: list[Difference]

    @property
    def changed(self) -> bool:
        return any(post.changed for post in self.posts)


def compare(old: Record, new: Record, tolerance: float = DEFAULT_TOLERANCE,
            old_name: str = "old", new_name: str = "new") -> Report:
    """What differs between ``old`` and ``new``."""
    posts = []
    for slug in _union(old.posts, new.posts):
        before, after = old.posts.get(slug), new.posts.get(slug)
        found = PostDiff(slug, (after or before).title)
        if before is None:
            found.post.append(Difference("post added", "", _post_summary(after)))
        elif after is None:
            found.post.append(Difference("post removed", "", _post_summary(before)))
        else:
            found.post += _post_differences(before, after)
            _compare_runs(before, after, tolerance, found)
            found.claims += _compare_claims(before, after, tolerance)
        if found.changed or found.claims:
            posts.append(found)
    return Report(old_name, new_name, old.built, new.built, tolerance, posts,
                  _environment_differences(old.environment, new.environment))


def _union(first: Mapping, second: Mapping) -> list:
    """Keys of both, in the newer order, the removed ones after."""
    return list(second) + [key for key in first if key not in second]


def moved(old: Value | None, new: Value | None, tolerance: float) -> bool:
    """Whether a value moved: numbers by more than ``tolerance`` × |old| (a change from 0 by
    anything), words ('never', 'diverged') and absent values by being different.

    >>> moved(0.1, 0.1001, 0.001), moved(0.1, 0.1002, 0.001), moved(3, "diverged", 0.5)
    (False, True, True)
    """
    if _is_number(old) and _is_number(new):
        return abs(new - old) > tolerance * abs(old)
    return old != new


def _is_number(item) -> bool:
    return isinstance(item, (int, float)) and not isinstance(item, bool)


def _post_summary(post: PostRecord) -> str:
    runs = sum(1 for _ in post.runs())
    return f"{_count(runs, 'net or cell', 'nets or cells')}, {_count(len(post.claims), 'claim')}"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _post_differences(old: PostRecord, new: PostRecord) -> list[Difference]:
    found = []
    for what, before, after in [("title", old.title, new.title),
                                ("source", old.source, new.source),
                                ("page", old.url, new.url),
                                ("shown seeds", _seeds(old.seeds.shown), _seeds(new.seeds.shown)),
                                ("replication seeds", _seeds(old.seeds.replication),
                                 _seeds(new.seeds.replication))]:
        if before != after:
            found.append(Difference(what, before, after))
    if old.data != new.data:
        found.append(Difference("data", "", _settings_change(old.data, new.data)))
    for name in _union(old.data_files, new.data_files):
        before, after = old.data_files.get(name, "—"), new.data_files.get(name, "—")
        if before != after:
            found.append(Difference(f"data file {name}", before, after))
    return found


def _seeds(seeds: tuple[int, ...]) -> str:
    """'0–9' for a run of seeds, else the list; 'none' for no seeds.

    >>> _seeds((0, 1, 2, 3)), _seeds((10, 12)), _seeds(())
    ('0–3', '10, 12', 'none')
    """
    if not seeds:
        return "none"
    if len(seeds) > 2 and list(seeds) == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}–{seeds[-1]}"
    return ", ".join(map(str, seeds))


def _settings_change(old: Mapping, new: Mapping) -> str:
    """'epochs 5000 → 6000, layers [60] → [10, 10]', as the build says why a net retrained."""
    from tinynets.engine.store import describe_change

    return describe_change(dict(old), dict(new))


def _compare_runs(old: PostRecord, new: PostRecord, tolerance: float, found: PostDiff) -> None:
    before, after = dict(old.runs()), dict(new.runs())
    for name in _union(before, after):
        was, now = before.get(name), after.get(name)
        if was is None:
            found.runs.append(RunChanged(name, "added", _run_summary(now)))
        elif now is None:
            found.runs.append(RunChanged(name, "removed", _run_summary(was)))
        else:
            if was.fingerprint != now.fingerprint:
                settings = (_settings_change(was.spec, now.spec) if was.spec != now.spec else
                            "same settings: the data, seeds or library versions changed")
                found.runs.append(RunChanged(
                    name, "retrained",
                    f"fingerprint {was.fingerprint[:8]} → {now.fingerprint[:8]}: {settings}"))
            if was.label != now.label:
                found.runs.append(RunChanged(name, "relabelled", f"{was.label} → {now.label}"))
            found.numbers += _compare_net(name, was, now, tolerance)


def _run_summary(net: NetRecord) -> str:
    return f"{net.label}: median {_number(net.shown.final_error.median)}"


def _compare_net(name: str, old: NetRecord, new: NetRecord,
                 tolerance: float) -> Iterator[NumberMoved]:
    if old.parameters != new.parameters:
        yield NumberMoved(name, "parameters", old.parameters, new.parameters)
    for side in ("shown", "replication"):
        before, after = getattr(old, side), getattr(new, side)
        prefix = "" if side == "shown" else "replication "
        if before is None and after is None:
            continue
        if before is None or after is None:
            yield NumberMoved(name, f"{prefix}seeds", _seeds(before.seeds) if before else None,
                              _seeds(after.seeds) if after else None)
            continue
        yield from _compare_seed_sets(name, prefix, before, after, tolerance)


# How each series reads in the report: final errors plainly ("median"), the others named.
_SERIES_NAMES = {"final_error": "", "test_error": "test error ", "accuracy": "training accuracy ",
                 "test_accuracy": "test accuracy "}


def _compare_seed_sets(name: str, prefix: str, old: SeedSet, new: SeedSet,
                       tolerance: float) -> Iterator[NumberMoved]:
    if old.seeds != new.seeds:
        yield NumberMoved(name, f"{prefix}seeds", _seeds(old.seeds), _seeds(new.seeds))
    for series, shown in _SERIES_NAMES.items():
        before, after = getattr(old, series), getattr(new, series)
        if before is None and after is None:
            continue
        if before is None or after is None:
            yield NumberMoved(name, f"{prefix}{shown}median".strip(),
                              before.median if before else None, after.median if after else None)
            continue
        for summary in ("median", "best", "worst"):
            was, now = getattr(before, summary), getattr(after, summary)
            if moved(was, now, tolerance):
                yield NumberMoved(name, f"{prefix}{shown}{summary}", was, now)
        yield from _compare_per_seed(name, f"{prefix}{shown or 'final error '}".strip(),
                                     dict(zip(old.seeds, before.per_seed)),
                                     dict(zip(new.seeds, after.per_seed)), tolerance)
    for count in ("near_floor", "stuck", "diverged"):
        was, now = getattr(old.counts, count), getattr(new.counts, count)
        if was != now:
            yield NumberMoved(name, f"{prefix}{count.replace('_', ' ')}", was, now)
    for measurement in _union(old.inside, new.inside):
        was, now = old.inside.get(measurement), new.inside.get(measurement)
        if isinstance(was, tuple) or isinstance(now, tuple):
            if _tuple_moved(was, now, tolerance):
                yield NumberMoved(name, f"{prefix}{measurement}", _listed(was), _listed(now))
        elif moved(was, now, tolerance):
            yield NumberMoved(name, f"{prefix}{measurement}", was, now)


def _compare_per_seed(name: str, what: str, old: dict, new: dict,
                      tolerance: float) -> Iterator[NumberMoved]:
    """One line for a series' seeds: the seed that moved most, and how many moved."""
    common = [seed for seed in new if seed in old]
    shifted = [seed for seed in common if moved(old[seed], new[seed], tolerance)]
    if not shifted:
        return
    largest = max(shifted, key=lambda seed: _relative(old[seed], new[seed]))
    others = (f" (the largest move: {len(shifted)} of {len(common)} seeds moved)"
              if len(shifted) > 1 else "")
    yield NumberMoved(name, f"{what} of seed {largest}{others}", old[largest], new[largest])


def _relative(old: Value, new: Value) -> float:
    if _is_number(old) and _is_number(new):
        return abs(new - old) / abs(old) if old else float("inf")
    return float("inf")  # a number became 'diverged' or 'never': as large as a move gets


def _tuple_moved(old, new, tolerance: float) -> bool:
    if not isinstance(old, tuple) or not isinstance(new, tuple) or len(old) != len(new):
        return old != new
    return any(moved(a, b, tolerance) for a, b in zip(old, new))


def _listed(values) -> str | None:
    if values is None:
        return None
    if not isinstance(values, tuple):
        return _number(values)
    return "[" + ", ".join(_number(item) for item in values) + "]"


# Claims: paired by their text (difflib), so that moved lines are not changes.

def _compare_claims(old: PostRecord, new: PostRecord,
                    tolerance: float) -> Iterator[ClaimChanged]:
    before, after = old.claims, new.claims
    matcher = difflib.SequenceMatcher(None, [claim.text for claim in before],
                                      [claim.text for claim in after], autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        pairs = list(zip(before[old_start:old_end], after[new_start:new_end]))
        for was, now in pairs:
            yield from _compare_claim(new.source, was, now, tolerance)
        for was in before[old_start + len(pairs):old_end]:
            yield ClaimChanged(f"{old.source}:{was.line}", was.text, "removed", _state(was), "—")
        for now in after[new_start + len(pairs):new_end]:
            yield ClaimChanged(f"{new.source}:{now.line}", now.text, "added", "—", _state(now))


def _state(claim: ClaimRecord) -> str:
    shown = "holds" if claim.shown.holds else "fails"
    if claim.replication is None:
        return f"{shown} (not replicated)"
    replicated = "holds" if claim.replication.holds else "fails"
    return f"{shown}; {replicated} on replication"


def _compare_claim(source: str, old: ClaimRecord, new: ClaimRecord,
                   tolerance: float) -> Iterator[ClaimChanged]:
    where = f"{source}:{new.line}"
    if old.text != new.text:
        yield ClaimChanged(where, new.text, "text changed", old.text, new.text)
    for side, prefix in (("shown", ""), ("replication", "on replication: ")):
        was, now = getattr(old, side), getattr(new, side)
        if was is None and now is None:
            continue
        if was is None or now is None:
            yield ClaimChanged(where, new.text, f"{prefix}{'now' if now else 'no longer'} "
                               "checked", _outcome(was), _outcome(now))
        elif was.holds != now.holds:
            yield ClaimChanged(where, new.text, f"{prefix}now {'holds' if now.holds else 'fails'}",
                               _outcome(was), _outcome(now))
        elif was.check != now.check:
            yield ClaimChanged(where, new.text, f"{prefix}check changed", was.check, now.check)
        elif any(moved(was.measured.get(name), value, tolerance)
                 for name, value in now.measured.items()):
            yield ClaimChanged(where, new.text,
                               f"{prefix}still {'holds' if now.holds else 'fails'}",
                               _outcome(was), _outcome(now), counted=False)


def _outcome(outcome: Outcome | None) -> str:
    """'holds: deep-adam median error < 0.05; measured deep-adam median error = 0.01035'."""
    if outcome is None:
        return "—"
    values = ", ".join(f"{name} = {_number(value)}" for name, value in outcome.measured.items())
    state = "holds" if outcome.holds else "fails"
    return f"{state}: {outcome.check}" + (f"; measured {values}" if values else "")


def _environment_differences(old: Environment, new: Environment) -> list[Difference]:
    found = []
    for what, before, after in [
            ("tinynets", old.tinynets.version, new.tinynets.version),
            ("commit", _commit_text(old), _commit_text(new)),
            ("Python", old.python, new.python), ("TensorFlow", old.tensorflow, new.tensorflow),
            ("Keras", old.keras, new.keras), ("numpy", old.numpy, new.numpy),
            ("CPU", old.cpu.model, new.cpu.model),
            ("platform", old.platform, new.platform),
            ("lock file", (old.lock_sha256 or "none")[:12], (new.lock_sha256 or "none")[:12]),
            ("XLA_FLAGS", old.xla_flags or "unset", new.xla_flags or "unset")]:
        if before != after:
            found.append(Difference(what, before, after))
    lost = sorted(set(old.cpu.vector_isa) - set(new.cpu.vector_isa))
    gained = sorted(set(new.cpu.vector_isa) - set(old.cpu.vector_isa))
    if lost or gained:
        found.append(Difference("CPU vector ISA", "", "; ".join(
            part for part in (f"without {' '.join(lost)}" if lost else "",
                              f"with {' '.join(gained)}" if gained else "") if part)))
    return found


def _commit_text(environment: Environment) -> str:
    version = environment.tinynets
    if version.commit is None:
        return "not a git checkout"
    return version.commit[:12] + (" (uncommitted changes)" if version.dirty else "")


# Writing the report: lines for a terminal, or Markdown for a GitHub job summary.

def _number(item: Value | None, other: Value | None = None) -> str:
    """A value with 4 significant digits, or more when ``other`` differs from it only beyond
    them (so a listed move never reads '0.1 → 0.1')."""
    if item is None:
        return "—"
    if not _is_number(item) or isinstance(item, int):
        return str(item)
    digits = 4
    while (digits < 17 and _is_number(other) and other != item
           and f"{item:.{digits}g}" == f"{other:.{digits}g}"):
        digits += 1
    return f"{item:.{digits}g}"


def _change(old: Value | None, new: Value | None) -> str:
    """'+2.7 %', '−25 %', '+0.11 %'; '−1' for counts; 'from 0'; '' unless both are numbers.

    >>> _change(0.0994, 0.1021), _change(0.2, 0.15), _change(0.09905, 0.09916), _change(3, 1)
    ('+2.7 %', '−25 %', '+0.11 %', '−2')
    """
    if not (_is_number(old) and _is_number(new)):
        return ""
    if isinstance(old, int) and isinstance(new, int):
        return f"{new - old:+d}".replace("-", "−")
    if old == 0:
        return "from 0"
    share = (new - old) / abs(old) * 100
    shown = (f"{share:+.0f}" if abs(share) >= 10 else f"{share:+.1f}" if abs(share) >= 1
             else f"{share:+.2g}")  # two significant digits, more for large moves
    return f"{shown} %".replace("-", "−")


def _number_cells(item: NumberMoved) -> tuple[str, str, str]:
    """Before, after and change, as the report shows them."""
    return _number(item.old, item.new), _number(item.new, item.old), _change(item.old, item.new)


def _summary(report: Report) -> str:
    runs = sum(len(post.runs) for post in report.posts)
    numbers = sum(len(post.numbers) for post in report.posts)
    claims = sum(1 for post in report.posts for claim in post.claims if claim.counted)
    posts = sum(len(post.post) for post in report.posts)
    parts = [part for count, part in [
        (posts, _count(posts, "post difference")),
        (runs, _count(runs, "net or cell change")),
        (numbers, _count(numbers, f"number moved beyond ±{_percent(report.tolerance)}",
                         f"numbers moved beyond ±{_percent(report.tolerance)}")),
        (claims, _count(claims, "claim changed", "claims changed"))] if count]
    if not parts:
        context = "; the environment differs (see above)" if report.environment else ""
        return (f"no change: every number within ±{_percent(report.tolerance)}, the same nets, "
                f"cells and claims{context}.")
    return ", ".join(parts) + "."


def _percent(share: float) -> str:
    return f"{share * 100:g} %"


def text(report: Report) -> str:
    """The report as lines: one finding a line, prefixed with its post's slug."""
    lines = [f"tinynets diff: {report.old_name} (built {report.old_built}) → "
             f"{report.new_name} (built {report.new_built})"]
    for post in report.posts:
        for item in post.post:
            lines.append(f"{post.slug}: {item.what}: {_arrow(item.before, item.after)}")
        for run in post.runs:
            lines.append(f"{post.slug}: {run.run} {run.change} ({run.detail})")
        for number in post.numbers:
            before, after, change = _number_cells(number)
            lines.append(f"{post.slug}: {number.run} {number.what} {before} → {after}"
                         + (f" ({change})" if change else ""))
        for claim in post.claims:
            if claim.change == "text changed":
                lines.append(f"{post.slug}: claim at {claim.where} text changed: "
                             f"\"{claim.before}\" → \"{claim.after}\"")
            else:
                lines.append(f"{post.slug}: claim at {claim.where} {claim.change}: "
                             f"\"{claim.text}\" ({_arrow(claim.before, claim.after)})")
    for item in report.environment:
        lines.append(f"environment: {item.what}: {_arrow(item.before, item.after)}")
    lines.append(_summary(report))
    return "".join(terminal_line(line) + "\n" for line in lines)


def _arrow(before: str, after: str) -> str:
    return after if not before else f"{before} → {after}"


def markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown: a heading and tables per post; every piece of
    text in it goes through ``escaping.markdown_text``."""
    lines = ["### tinynets diff", "",
             f"{_cell(report.old_name)} (built {_cell(report.old_built)}) → "
             f"{_cell(report.new_name)} (built {_cell(report.new_built)}); a number moves when "
             f"it differs by more than {_cell(_percent(report.tolerance))} of its old value.",
             ""]
    for post in report.posts:
        lines += [f"#### {_cell(post.slug)}: {_cell(post.title)}", ""]
        lines += _table(("post", "before", "after"),
                        [(item.what, item.before, item.after) for item in post.post])
        lines += _table(("net or cell", "change", "detail"),
                        [(run.run, run.change, run.detail) for run in post.runs])
        lines += _table(("net or cell", "number", "before", "after", "change"),
                        [(number.run, number.what, *_number_cells(number))
                         for number in post.numbers])
        lines += _table(("claim", "where", "change", "before", "after"),
                        [(claim.text, claim.where, claim.change, claim.before, claim.after)
                         for claim in post.claims])
    if report.environment:
        lines += ["#### Environment", ""]
        lines += _table(("", "before", "after"),
                        [(item.what, item.before, item.after) for item in report.environment])
    lines += [f"**{_cell(_summary(report))}**", ""]
    return "\n".join(lines)


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    if not rows:
        return []
    lines = ["| " + " | ".join(_cell(name) for name in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(item) for item in row) + " |" for row in rows]
    return lines + [""]


def _cell(item) -> str:
    """The one rule for text in the Markdown report (see ``escaping.markdown_text``)."""
    return markdown_text(item)
