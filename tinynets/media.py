"""Build stage: render every animation and plot that is not cached.

A medium's fingerprint covers its runs' fingerprints, the render style, the colours and labels,
and the renderer version: a warm build renders nothing (and does not import matplotlib).
Files land in build/cache/media/<fingerprint>/ through an atomic folder rename.
"""

from __future__ import annotations


from pathlib import Path

from tinynets import atomic
from tinynets.fingerprint import RENDERER_VERSION, digest
from tinynets.results import representative_seed

NET_FILES = ("anim.gif", "anim.webm", "anim.png", "loss.svg", "loss.png")
COMPARISON_FILES = ("compare.gif", "compare.webm", "compare.png", "losses.svg", "losses.png")

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00")


def net_colors(post) -> dict[str, str]:
    """One colour per net, by its place in the post (Okabe–Ito, colour-blind safe)."""
    return {net.name: PALETTE[index % len(PALETTE)] for index, net in enumerate(post.nets)}



STYLE = {"width": 800, "height": 350, "seconds": 8.0, "hold_seconds": 1.5, "dpi": 100}


def net_media_key(run, color: str, label: str) -> str:
    return digest({"run": run.key.fingerprint, "style": STYLE, "color": color, "label": label,
                   "renderer": RENDERER_VERSION, "kind": "net"})


def comparison_media_key(runs, colors: list[str], labels: list[str]) -> str:
    return digest({"runs": [run.key.fingerprint for run in runs], "style": STYLE,
                   "colors": colors, "labels": labels, "renderer": RENDERER_VERSION,
                   "kind": "comparison"})


def render_missing(posts, runs, cache: Path, force: bool, log) -> dict:
    """Return {(post slug, net name or '*'): {file name: cached path}} for every medium."""
    media: dict = {}
    root = cache / "media"
    for post in posts:
        if not post.nets:
            continue
        colors = net_colors(post)
        post_runs = [runs[(post.slug, net.name)] for net in post.nets]
        for net, run in zip(post.nets, post_runs):
            key = net_media_key(run, colors[net.name], net.label)
            folder = root / key
            if force or not _complete(folder, NET_FILES):
                with atomic.folder(folder) as temporary:
                    _render_net(run, net, colors[net.name], temporary, cache)
                log(f"render  {post.slug}/{net.name}: animation, poster, loss plot")
            else:
                log(f"reused  {post.slug}/{net.name} media")
            media[(post.slug, net.name)] = {name: folder / name for name in NET_FILES}
        key = comparison_media_key(post_runs, [colors[n.name] for n in post.nets],
                                   [n.label for n in post.nets])
        folder = root / key
        if force or not _complete(folder, COMPARISON_FILES):
            with atomic.folder(folder) as temporary:
                _render_comparison(post, post_runs, colors, temporary, cache)
            log(f"render  {post.slug}: comparison animation and loss plot")
        else:
            log(f"reused  {post.slug} comparison media")
        media[(post.slug, "*")] = {name: folder / name for name in COMPARISON_FILES}
    return media


def _complete(folder: Path, names) -> bool:
    return all((folder / name).is_file() and (folder / name).stat().st_size > 0 for name in names)


def _panel(run, net, color: str, cache: Path):
    from tinynets.render import Panel
    from tinynets.store import RunStore

    arrays = RunStore(cache / "runs").load_arrays(run.key)
    seeds = [int(seed) for seed in arrays["seeds"]]
    finals = [float("inf") if v is None else v for v in run.meta["final_losses"]]
    representative = seeds.index(representative_seed(seeds, finals))
    return Panel(name=net.name, label=net.label, color=color, data=run.post.data,
                 frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                 predictions=arrays["predictions"], losses=arrays["losses"],
                 representative=representative)


def _render_net(run, net, color: str, folder: Path, cache: Path) -> None:
    from tinynets import render

    style = render.Style(**STYLE)
    panel = _panel(run, net, color, cache)
    render.write_animation(render.NetAnimation(panel, style), folder, "anim", style)
    render.write_loss_plot(panel, folder, "loss", style)


def _render_comparison(post, post_runs, colors, folder: Path, cache: Path) -> None:
    from tinynets import render

    style = render.Style(**STYLE)
    panels = [_panel(run, net, colors[net.name], cache) for net, run in zip(post.nets, post_runs)]
    render.write_animation(render.ComparisonAnimation(panels, style), folder, "compare", style)
    render.write_comparison_loss_plot(panels, folder, "losses", style)



