"""Every claim checked twice: on the seeds the page shows, and on the post's replication seeds.

A post's nets train, besides the seeds the page shows, as many replication seeds again (front
matter ``replicate``), stacked in the same compiled loop and never shown. After a page renders,
its body is rendered a second time with the same template on the replication seeds' results
(``nets``, ``sweeps``, ``cell``, ``post.seeds`` the replication count, every helper evaluated on
them), and that text is discarded: only its claims are kept. Each claim of the page is paired
with the second rendering's (in order, at the same line, with the same text where it is the
same); one that holds on the shown seeds but fails on the replication seeds, or that the second
rendering never reaches (another ``{% if %}`` branch), is *fragile*, and fails the build
(``ClaimFragile``) with both sets of measured values.

Claims about every seed or no seed made on fewer than ``HONEST_SEEDS`` seeds are not errors, but
each prints one warning line saying how little they show (``count_warnings``).

>>> seeds_text((0, 1, 2, 3)), seeds_text((10,)), seeds_text((0, 3, 7))
('seeds 0–3', 'seed 10', 'seeds 0, 3, 7')
"""

from __future__ import annotations

from dataclasses import replace

from tinynets.errors import ClaimFragile, TemplateProblem, display_path
from tinynets.measure.shares import LEVEL, clopper_pearson
from tinynets.pages import claims, templating
from tinynets.pages.claims import ClaimMark, ClaimOutcome, ClaimResult

HONEST_SEEDS = 10  # a claim about every seed (or none) on fewer seeds than this gets a warning
ADVICE = "State only what both seed sets support, or show more seeds."


def seeds_text(seeds) -> str:
    """Seeds as a message names them: 'seeds 0–9' when consecutive, else listed."""
    seeds = tuple(seeds)
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if seeds == tuple(range(seeds[0], seeds[0] + len(seeds))):
        return f"seeds {seeds[0]}–{seeds[-1]}"
    return "seeds " + ", ".join(map(str, seeds))


def render(env, post, context: dict) -> list[ClaimResult]:
    """The claims of ``post``'s body rendered with ``context`` (its results on the replication
    seeds), held or not, each with its file line; the text is discarded."""
    with claims.collecting(keep_failing=True) as found:
        try:
            templating.render_body(env, post, context)
        except TemplateProblem as problem:
            raise TemplateProblem(
                f"{problem} (This is the second rendering of the post, on its replication "
                f"{seeds_text(post.replication_seeds)}, which checks its claims again: a "
                "template that names a shown seed is asked about the replication seed in its "
                "place; set replicate: 0 to turn replication off.)") from None
    offset = post.body_line - 1
    return [replace(claim, line=claim.line + offset) for claim in found]


def paired(shown: tuple[ClaimResult, ...],
           replicated: list[ClaimResult]) -> list[tuple[ClaimResult, ClaimOutcome | None]]:
    """Each shown claim with the outcome of its twin in the second rendering: the first one not
    yet taken at the same line with the same text, else at the same line (its text may hold a
    number); None when the second rendering has none there."""
    left = list(replicated)
    result = []
    for claim in shown:
        index = next((i for i, twin in enumerate(left)
                      if twin.line == claim.line and twin.text == claim.text), None)
        if index is None:
            index = next((i for i, twin in enumerate(left) if twin.line == claim.line), None)
        result.append((claim, None if index is None else left.pop(index).shown))
    return result


def fragile_message(post, claim: ClaimResult, twin: ClaimOutcome | None) -> str:
    """Why ``claim`` (which holds on the shown seeds) is fragile, with both sets of values."""
    where = f"{display_path(post.path)}:{claim.line}"
    holds = (f"holds on {seeds_text(post.seeds)} (measured: {claim.shown.values})")
    replication = seeds_text(post.replication_seeds)
    if twin is None:
        return (f"{where}: fragile claim: \"{claim.text}\" {holds} but the rendering on "
                f"replication {replication} never reaches it (the template takes another "
                f"branch there, e.g. of an {{% if %}}). {ADVICE}")
    why = [f"measured: {twin.values}"]
    if twin.false and len(twin.false) < len(twin.measured):
        why.append("false: " + ", ".join(f"({part})" for part in twin.false))
    why += list(twin.diverged)
    return (f"{where}: fragile claim: \"{claim.text}\" {holds} but fails on replication "
            f"{replication} ({'; '.join(why)}). {ADVICE}")


def check(post, shown: tuple[ClaimResult, ...],
          replicated: list[ClaimResult]) -> tuple[tuple[ClaimResult, ...], list[str]]:
    """The page's claims with their replication outcomes, and a message per fragile claim."""
    checked, fragile = [], []
    for claim, twin in paired(shown, replicated):
        if twin is None or not twin.holds:
            fragile.append(fragile_message(post, claim, twin))
        checked.append(replace(claim, replication=twin))
    return tuple(checked), fragile


def fail_if_fragile(messages: list[str]) -> None:
    """Raise ``ClaimFragile`` listing every fragile claim of the build, if there is one."""
    if len(messages) == 1:
        raise ClaimFragile(messages[0])
    if messages:
        raise ClaimFragile("\n".join([f"{len(messages)} fragile claims:",
                                      *(f"  - {message}" for message in messages)]))


def claim_mark(post) -> ClaimMark:
    """What every claim of ``post``'s page says of its check: on how many seeds."""
    return ClaimMark(len(post.seeds), len(post.replication_seeds))


def count_warnings(post, found: tuple[ClaimResult, ...]) -> list[str]:
    """One warning line per claim about every seed or no seed made on fewer than
    ``HONEST_SEEDS`` seeds, saying what so few seeds show (the share's 90 % Clopper–Pearson
    interval, as ``share()`` gives it)."""
    lines = []
    for claim in found:
        parts = [part for part in claim.every_or_none if part.total < HONEST_SEEDS]
        if not parts:
            continue
        said = []
        for part in parts:
            low, high = clopper_pearson(part.count, part.total)
            said.append(f"{part.name} = {part.count} of {part.total}, so the share of all seeds "
                        f"lies between {low:.0%} and {high:.0%} ({LEVEL:.0%} Clopper–Pearson "
                        "interval)")
        every = "every seed" if parts[0].every else "no seed"
        lines.append(
            f"{display_path(post.path)}:{claim.line}: warning: \"{claim.text}\" claims {every} "
            f"on only {parts[0].total} seeds: {'; '.join(said)}. Claim a share instead (e.g. "
            f"share(net, 'stuck').low > 0.5), or show {HONEST_SEEDS} or more seeds.")
    return lines
