"""What moved between two build records: the findings of ``python -m tinynets diff``.

``compare(old, new)`` walks two records (``tinynets.record``) post by post and returns a
``Report``: numbers that moved beyond a relative tolerance, runs added, removed or retrained,
claims that changed, post-level and environment differences. ``diff.report`` writes it as lines
or Markdown.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from tinynets.record import (ClaimRecord, Environment, NetRecord, Outcome, PostRecord, Record,
                             SeedSet, Value)

# A number moves when it differs from its old value by more than this share of it. Same lock,
# same CPU kind: a rebuild is bit-identical, so any positive tolerance shows "no change". 0.1 %
# is one unit in the last digit of the smallest-stepped number a page prints (9.99, three
# significant digits): any move a reader could see on a page is listed.
DEFAULT_TOLERANCE = 0.001


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
    if is_number(old) and is_number(new):
        return abs(new - old) > tolerance * abs(old)
    return old != new


def is_number(item) -> bool:
    return isinstance(item, (int, float)) and not isinstance(item, bool)


def _post_summary(post: PostRecord) -> str:
    runs = sum(1 for _ in post.runs())
    return f"{count_text(runs, 'net or cell', 'nets or cells')}, {count_text(len(post.claims), 'claim')}"


def count_text(number: int, one: str, many: str | None = None) -> str:
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
    return f"{net.label}: median {number_text(net.shown.final_error.median)}"


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
    if is_number(old) and is_number(new):
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
        return number_text(values)
    return "[" + ", ".join(number_text(item) for item in values) + "]"


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
    values = ", ".join(f"{name} = {number_text(value)}" for name, value in outcome.measured.items())
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


def number_text(item: Value | None, other: Value | None = None) -> str:
    """A value with 4 significant digits, or more when ``other`` differs from it only beyond
    them (so a listed move never reads '0.1 → 0.1')."""
    if item is None:
        return "—"
    if not is_number(item) or isinstance(item, int):
        return str(item)
    digits = 4
    while (digits < 17 and is_number(other) and other != item
           and f"{item:.{digits}g}" == f"{other:.{digits}g}"):
        digits += 1
    return f"{item:.{digits}g}"
