"""A diff's report as the terminal shows it (``text``) and as a GitHub job summary (``markdown``).

Author text goes through one rule per output (``tinynets.escaping``): ``terminal_line`` for a
line, ``markdown_text`` for every Markdown cell and heading.
"""

from __future__ import annotations

from tinynets.diff.findings import NumberMoved, Report, count_text, is_number, number_text
from tinynets.escaping import markdown_text, terminal_line
from tinynets.record import Value


def _change(old: Value | None, new: Value | None) -> str:
    """'+2.7 %', '−25 %', '+0.11 %'; '−1' for counts; 'from 0'; '' unless both are numbers.

    >>> _change(0.0994, 0.1021), _change(0.2, 0.15), _change(0.09905, 0.09916), _change(3, 1)
    ('+2.7 %', '−25 %', '+0.11 %', '−2')
    """
    if not (is_number(old) and is_number(new)):
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
    return number_text(item.old, item.new), number_text(item.new, item.old), _change(item.old, item.new)


def _summary(report: Report) -> str:
    runs = sum(len(post.runs) for post in report.posts)
    numbers = sum(len(post.numbers) for post in report.posts)
    claims = sum(1 for post in report.posts for claim in post.claims if claim.counted)
    posts = sum(len(post.post) for post in report.posts)
    parts = [part for count, part in [
        (posts, count_text(posts, "post difference")),
        (runs, count_text(runs, "net or cell change")),
        (numbers, count_text(numbers, f"number moved beyond ±{_percent(report.tolerance)}",
                         f"numbers moved beyond ±{_percent(report.tolerance)}")),
        (claims, count_text(claims, "claim changed", "claims changed"))] if count]
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
