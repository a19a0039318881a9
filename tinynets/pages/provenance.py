""""How this page was made": the block at the end of every post that trains nets, and its one
line in the feed.

The block is a collapsed Material admonition (``<details class="info">``, the markup that
``??? info "…"`` makes with pymdownx.details), written as an HTML block so that every piece of
text in it goes through the one HTML rule (``escaping.html``) and no Markdown reads it. It says
when the page was built and from which file, how many claims were checked (and on how many
replication seeds), which seeds the page shows, how long training took (the shown and
replication seeds together: they train in one loop), with which versions, and links the post's
data files and the build's ``results.json``. Everything comes from the post's record entry
(``pages.results``) and the build's ``BuildFacts``.

>>> seeds_text((0, 1, 2, 3)), seeds_text((10, 12)), seconds_text(41.3), seconds_text(754)
('0–3', '10, 12', '41 s', '13 min')
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from tinynets.escaping import html
from tinynets.pages.data_files import FINAL_ERRORS_NAME
from tinynets.record import Environment, PostRecord

RESULTS = "results.json"  # the record, at the site's root
TITLE = "How this page was made"
LOSS_CURVES = " loss curves"  # the end of a loss curve file's name in the record


@dataclass(frozen=True)
class BuildFacts:
    """What a build states about itself on every page it makes."""

    built: str  # UTC, to the second: 2026-11-30T14:05:09Z
    environment: Environment
    source_prefix: str | None  # where a post's file is read online (+ its path); None: as text


def source_prefix(config: dict) -> str | None:
    """The address of the project's files online, from mkdocs.yml: ``repo_url`` followed by
    ``edit_uri`` (the path from the repository to the project's files at a revision, e.g.
    ``blob/main/``; by default ``blob/HEAD/``, the default branch on GitHub and GitLab), or an
    absolute ``edit_uri`` alone. None without ``repo_url`` or with an address that is not
    http(s).

    >>> source_prefix({"repo_url": "https://github.com/me/site"})
    'https://github.com/me/site/blob/HEAD/'
    >>> source_prefix({"repo_url": "https://github.com/me/site/", "edit_uri": "tree/main/"})
    'https://github.com/me/site/tree/main/'
    >>> source_prefix({"repo_url": "javascript:alert(1)"}) is None
    True
    """
    repository = str(config.get("repo_url") or "").strip()
    if not _web_address(repository):
        return None
    edit = config.get("edit_uri")
    edit = "blob/HEAD/" if edit is None else str(edit).strip()
    if _web_address(edit):
        return edit if edit.endswith("/") else edit + "/"
    prefix = repository.rstrip("/") + "/" + edit.strip("/")
    return prefix if prefix.endswith("/") else prefix + "/"


def _web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def block(entry: PostRecord, facts: BuildFacts) -> str:
    """The post's block, as an HTML block of its Markdown page (no blank line inside)."""
    up = "../" * len([part for part in entry.url.split("/") if part])  # the page → the root
    if facts.source_prefix:
        source = (f'<a href="{html(facts.source_prefix + quote(entry.source))}">'
                  f"{html(entry.source)}</a>")
    else:
        source = str(html(entry.source))
    items = [
        f"Built on {html(facts.built[:10])} (UTC) from {source}.",
        html(claims_text(entry)) + ".",
        html(seeds_sentence(entry)),
        html(training_text(entry)),
        "Versions: " + html(versions_text(facts.environment)) + ".",
        "Data: " + data_links(entry, up) + ".",
    ]
    return ('<details class="info tn-provenance">\n'
            f"<summary>{html(TITLE)}</summary>\n<ul>\n"
            + "".join(f"<li>{item}</li>\n" for item in items)
            + "</ul>\n</details>\n")


def feed_line(entry: PostRecord, facts: BuildFacts, site_url: str) -> str:
    """The block in one line of plain text for the post's feed item (no build date or commit,
    so that the feed of an unchanged site stays byte-identical)."""
    environment = facts.environment
    numbers = entry.data_files.get(FINAL_ERRORS_NAME)
    return (f"{TITLE}: {claims_text(entry)}; seeds {seeds_text(entry.seeds.shown)} shown; "
            f"tinynets {environment.tinynets.version}, TensorFlow {environment.tensorflow}, "
            f"Keras {environment.keras}" + (f"; the numbers: {site_url}{numbers}" if numbers
                                              else ""))


def claims_text(entry: PostRecord) -> str:
    """'3 of 3 claims checked against these measurements, each also on 10 replication seeds'."""
    total = len(entry.claims)
    if not total:
        return "No claims to check on this page"
    held = sum(claim.shown.holds for claim in entry.claims)
    text = f"{held} of {total} claim{'s' if total != 1 else ''} checked against these measurements"
    replication = entry.seeds.replication
    if replication:
        again = sum(bool(claim.replication and claim.replication.holds)
                    for claim in entry.claims)
        seeds = f"{len(replication)} replication seed{'s' if len(replication) != 1 else ''}"
        text += (f", each also on {seeds}" if again == total else
                 f"; {again} of {total} also hold on {seeds}")
    return text


def seeds_sentence(entry: PostRecord) -> str:
    shown = entry.seeds.shown
    text = f"Seeds shown: {seeds_text(shown)} ({len(shown)} per net)"
    if entry.seeds.replication:
        text += (f"; the claims are also checked on seeds {seeds_text(entry.seeds.replication)},"
                 " which the page does not show")
    return text + "."


def training_text(entry: PostRecord) -> str:
    nets, cells = len(entry.nets), sum(len(sweep.cells) for sweep in entry.sweeps.values())
    what = ", ".join(part for part in (
        f"{nets} net{'s' if nets != 1 else ''}" if nets else "",
        f"{cells} sweep cell{'s' if cells != 1 else ''}" if cells else "") if part)
    total = sum(net.wall_time for _, net in entry.runs())
    # Replication seeds train in the same loop as the shown ones: the time is of both together.
    both = ", shown and replication seeds together" if entry.seeds.replication else ""
    return (f"Training: {seconds_text(total)} in total for {what}{both}, as measured when each "
            "was trained.")


def versions_text(environment: Environment) -> str:
    version = environment.tinynets
    commit = ""
    if version.commit:
        changes = ", with uncommitted changes" if version.dirty else ""
        commit = f" (commit {version.commit[:12]}{changes})"
    return (f"tinynets {version.version}{commit}, Python {environment.python}, TensorFlow "
            f"{environment.tensorflow}, Keras {environment.keras}, numpy {environment.numpy}; "
            f"CPU {environment.cpu.model}")


def data_links(entry: PostRecord, up: str) -> str:
    """The post's files as links from its page (``up`` leads from the page to the site root)."""
    def link(path: str, text: str) -> str:
        return f'<a href="{html(up + path)}">{html(text)}</a>'

    curves = [link(path, name[:-len(LOSS_CURVES)]) for name, path in entry.data_files.items()
              if name.endswith(LOSS_CURVES)]
    parts = []
    if FINAL_ERRORS_NAME in entry.data_files:
        parts.append(link(entry.data_files[FINAL_ERRORS_NAME], "final errors of every seed")
                     + " (CSV)")
    if curves:
        parts.append("loss curves of " + ", ".join(curves) + " (CSV)")
    parts.append(link(RESULTS, "everything this build measured and checked") + " (JSON)")
    return "; ".join(parts)


def seeds_text(seeds) -> str:
    """'0–9' for a run of seeds, else the list."""
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}–{seeds[-1]}"
    return ", ".join(map(str, seeds))


def seconds_text(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 100:
        return f"{seconds:.0f} s"
    if seconds < 6000:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
