"""The build's record (``results.json``, see ``tinynets.record``) from what the pages showed: per
post, the numbers its template saw on every net and sweep cell, the inside measurements it asked
for, and its claims as they were checked.

Every value comes from the objects the page was rendered with (``site.PostPage``), never
recomputed: what a reader downloads is what the page says. A post that trains nothing (prose
only) has no entry.

Example (``rendered``: ``site.render_pages``'s, ``runs``: the training stage's)::

    entry = post_record(post, rendered.posts[post.slug], runs, url="tiny/", data_files={})
    entry.nets["wide"].shown.final_error.median      # 0.0994
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from tinynets.measure.asked import asked
from tinynets.measure.results import NetResult
from tinynets.pages import data_files, provenance
from tinynets.pages.claims import ClaimOutcome, ClaimResult, plain
from tinynets.pages.feed import post_path
from tinynets.record import (CellRecord, ClaimRecord, Counts, NetRecord, Outcome, PostRecord,
                             Record, SeedSet, SeedSets, Series, SweepRecord, cell_id, json_text,
                             value)

# Spreads beside the final error that a net records when its data has them (test set, labels).
SPREADS = ("test_error", "accuracy", "test_accuracy")


def built_at(environment: dict | None = None) -> str:
    """The build's time, UTC, to the second; ``$SOURCE_DATE_EPOCH`` (seconds since 1970, the
    reproducible-builds convention) when set, so that two builds can be byte-identical.

    >>> built_at({"SOURCE_DATE_EPOCH": "1796047509"})
    '2026-11-30T14:05:09Z'
    """
    environment = os.environ if environment is None else environment
    fixed = environment.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (datetime.datetime.fromtimestamp(int(fixed), datetime.timezone.utc)
              if fixed.isdigit() else datetime.datetime.now(datetime.timezone.utc))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Published:
    """What the record adds to a build: the record itself, and the files of build/docs it makes
    or changes (results.json; each post's page with its "How this page was made" block; each
    post's final-errors.csv), and each post's line for its feed item."""

    record: Record
    pages: dict[str, str]  # by path in build/docs
    feed_lines: dict[str, str]  # by post slug (none without the site's address)


def publish(posts, rendered, runs, media, root: Path, facts: provenance.BuildFacts, blog: dict,
            site_url: str | None, kept: dict[str, PostRecord] | None = None,
            checked: Path | None = None) -> Published:
    """The record of ``posts`` and what it adds to build/docs: ``rendered`` is
    ``site.render_pages``'s, ``runs`` the training stage's, ``media`` the media plan, ``blog``
    the blog plugin's settings (for the pages' URLs), ``site_url`` the public address (for the
    feed lines); ``kept``: the entries of posts this build leaves as they were (a preview);
    ``checked``: where the digest of the last record found valid is kept (``record.json_text``).
    """
    entries = dict(kept or {})
    pages, lines = {}, {}
    for post in posts:
        if not trains(post):
            continue
        page = f"posts/{post.slug}.md"
        entry = post_record(post, rendered.posts[post.slug], runs,
                            post_path({**post.meta, "slug": post.slug}, blog),
                            data_files.files(post, media.page(post.slug)), root)
        entries[post.slug] = entry
        pages[page] = rendered.pages[page].rstrip("\n") + "\n\n" + provenance.block(entry, facts)
        pages[data_files.final_errors_path(post.slug)] = data_files.final_errors(entry)
        if site_url:
            lines[post.slug] = provenance.feed_line(entry, facts, site_url)
    record = Record(facts.built, facts.environment, entries)
    pages[provenance.RESULTS] = json_text(record, provenance.RESULTS, checked)
    return Published(record, pages, lines)


def trains(post) -> bool:
    """Whether a post trains anything (has nets or sweeps): only those have a record entry."""
    return bool(post.nets or post.sweeps)


def post_record(post, page, runs, url: str, data_files: dict[str, str],
                root: Path | None = None) -> PostRecord:
    """A post's entry: ``page`` is its ``site.PostPage``, ``runs`` the build's by (post slug,
    net or cell name), ``url`` the page's from the site root, ``data_files`` its files' URLs by
    name; ``source`` is the post's file relative to ``root`` (the project)."""
    nets = {name: net_record(net, runs[(post.slug, name)], page.replication_nets.get(name))
            for name, net in page.nets.items()}
    sweeps = {}
    for name, sweep in page.sweeps.items():
        again = page.replication_sweeps.get(name)
        repeated = {cell.name: cell for cell in again.cells} if again is not None else {}
        cells = {}
        for cell in sweep.cells:
            entry = net_record(cell, runs[(post.slug, cell.name)], repeated.get(cell.name))
            cells[cell_id(cell.values)] = CellRecord(**vars(entry), values=dict(cell.values))
        sweeps[name] = SweepRecord(sweep.label, tuple(sweep.keys), cells)
    return PostRecord(
        title=str(post.meta.get("title") or post.slug),
        source=source_path(post, root), url=url,
        data=post.data.canonical() if post.data is not None else {},
        seeds=SeedSets(tuple(post.seeds), tuple(page.replication_seeds)),
        nets=nets, sweeps=sweeps,
        claims=tuple(claim_record(claim) for claim in page.claims),
        data_files=dict(data_files))


def source_path(post, root: Path | None) -> str:
    """The post's file as the project names it: content/posts/tiny.md."""
    path = Path(post.path)
    if root is not None:
        path = Path(os.path.relpath(path, root))
    return path.as_posix()


def net_record(net: NetResult, run, replication: NetResult | None) -> NetRecord:
    """A net (or a sweep cell) as its page saw it, on the shown and the replication seeds.

    Its wall time is its run's: the shown and replication seeds train stacked in one compiled
    loop, timed once, and each seed set's results carry that same time (adding them would
    count the run twice; halving it would claim a split that was never measured)."""
    return NetRecord(
        label=str(net.label), fingerprint=run.key.fingerprint, spec=net.spec.canonical(),
        parameters=int(net.parameters), wall_time=float(net.wall_time),
        shown=seed_set(net), replication=seed_set(replication) if replication else None)


def seed_set(net: NetResult) -> SeedSet:
    floor = net.noise_floor is not None  # near_floor and stuck need one
    spreads = {name: _spread(getattr(net, name)) if name in net.measured else None
               for name in SPREADS}
    return SeedSet(
        seeds=tuple(int(seed) for seed in net.seeds),
        final_error=Series(tuple(value(loss) for loss in net.final_losses), value(net.median),
                           value(net.best), value(net.worst)),
        counts=Counts(int(net.near_floor) if floor else None,
                      int(net.stuck) if floor else None, len(net.diverged)),
        **spreads, inside={name: _asked_value(result) for name, result in asked(net).items()})


def _spread(values) -> Series:
    """A ``results.SeedValues`` (test error, accuracy) as a series."""
    return Series(tuple(value(item) for item in values.values.values()), value(values.median),
                  value(values.best), value(values.worst))


def _asked_value(result):
    """An inside measurement as the record holds it: a value, or a list of values (bends)."""
    if isinstance(result, (list, tuple)):
        return tuple(plain(item) for item in result)
    return plain(result)


def claim_record(claim: ClaimResult) -> ClaimRecord:
    return ClaimRecord(claim.line, claim.text, outcome(claim.shown),
                       outcome(claim.replication) if claim.replication is not None else None)


def outcome(checked: ClaimOutcome) -> Outcome:
    """A claim's outcome as the record holds it: the comparison as written (its values are
    listed beside it, so that a check reads the same when only its values move)."""
    return Outcome(checked.claimed, dict(checked.measured), checked.holds)
