"""The configuration reference of README, written from ``schema``.

``python -m tinynets.posts.reference`` prints it; a test checks that README holds exactly this text,
so the documentation cannot drift from the code.
"""

from __future__ import annotations

from tinynets.posts import schema


def _default(key: schema.Key) -> str:
    if key.default is None:
        return "—"
    if isinstance(key.default, dict):
        return "—"
    if isinstance(key.default, list):
        return "`[" + ", ".join(f"{value:g}" if isinstance(value, float) else str(value)
                                for value in key.default) + "]`"
    if isinstance(key.default, str):
        return f"`{key.default}`" if key.default else "—"
    return f"`{str(key.default).lower()}`" if isinstance(key.default, bool) else f"`{key.default}`"


def table(title: str, prefix: str, keys: dict[str, schema.Key], note: str = "") -> str:
    rows = [f"**{title}**", "", *([note, ""] if note else []),
            "| key | default | allowed | meaning |", "|---|---|---|---|"]
    for name, key in keys.items():
        rows.append(f"| `{prefix}{name}` | {_default(key)} | {key.kind.description} | {key.doc} |")
    return "\n".join(rows)


def configuration_reference() -> str:
    """Markdown tables of every front matter key."""
    return "\n\n".join([
        table("Blog keys", "", schema.BLOG),
        table("Experiment", "", schema.EXPERIMENT),
        table("Data (`data:`)", "data.", schema.DATA),
        table("Each net (`nets: {name: …}`)", "nets.<name>.", schema.NET),
        table("Each sweep (`sweeps: {name: …}`)", "sweeps.<name>.", schema.SWEEP,
              schema.SWEEP_DATA),
        table("Frames (`frames:`)", "frames.", schema.FRAMES),
        table("Thresholds (`thresholds:`)", "thresholds.", schema.THRESHOLDS),
    ]) + "\n"


if __name__ == "__main__":
    print(configuration_reference(), end="")
