"""Build stage: render every animation and plot that is not cached.

A medium's fingerprint covers its runs' fingerprints, the render style, the colours and labels,
and the renderer version: a warm build renders nothing (and does not import matplotlib).
Files land in build/cache/media/<fingerprint>/ through an atomic folder rename.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from tinynets import atomic, workers
from tinynets.media import encode
from tinynets.engine.fingerprint import RENDERER_VERSION, digest
from tinynets.measure.results import ranking, representative_seed

# Every net's own media (and a sweep cell's, when its page shows it): kind → (file in the media
# cache, name in build/docs/media/<post>/, ``{net}`` being the net's name or the cell's stem).
NET_MAIN_MEDIA = {"gif": ("anim.gif", "{net}.gif"), "webm": ("anim.webm", "{net}.webm"),
                  "poster": ("anim.png", "{net}.png"), "loss_svg": ("loss.svg", "{net}-loss.svg"),
                  "loss_png": ("loss.png", "{net}-loss.png")}
NET_FILES = tuple(cached for cached, _ in NET_MAIN_MEDIA.values())
ANIMATION_FILES = ("compare.gif", "compare.webm", "compare.png")
LOSSES_FILES = ("losses.svg", "losses.png")
COMPARISON_FILES = ANIMATION_FILES + LOSSES_FILES

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00")


def net_colors(post) -> dict[str, str]:
    """One colour per net (Okabe–Ito, colour-blind safe) that does not move when nets are added.

    A net's colour follows from its name alone — ``PALETTE[crc32(name) % 8]`` — unless the author
    set ``color``, or a net declared before it in the same post already has that colour: then it
    takes the next free colour of the palette. So adding a net never recolours the others, and
    their media are not rendered again.

    >>> from types import SimpleNamespace as Net
    >>> net_colors(Net(nets=[Net(name="tanh", color=""), Net(name="sigmoid", color="")]))
    {'tanh': '#CC79A7', 'sigmoid': '#E69F00'}
    """
    taken = {net.color.upper() for net in post.nets if getattr(net, "color", "")}
    colors = {}
    for net in post.nets:
        chosen = getattr(net, "color", "")
        if not chosen:
            start = zlib.crc32(net.name.encode("utf-8")) % len(PALETTE)
            ring = [PALETTE[(start + step) % len(PALETTE)] for step in range(len(PALETTE))]
            chosen = next((color for color in ring if color.upper() not in taken), ring[0])
        taken.add(chosen.upper())
        colors[net.name] = chosen
    return colors


STYLE = {"width": 800, "height": 350, "seconds": 8.0, "hold_seconds": 1.5, "dpi": 100}


def renderer_version() -> dict:
    """Everything about the renderer itself that changes the files it writes."""
    return {"renderer": RENDERER_VERSION,
            "encoding": encode.settings()}


def animation_fps(frame_count: int, style: dict = STYLE) -> float:
    """Frame rate of an animation of ``frame_count`` frames (what the page's script needs)."""
    return encode.gif_fps(frame_count, style["seconds"], style["hold_seconds"])


def net_media_key(run, color: str, label: str, style: dict = STYLE) -> str:
    """The cache key of one net's media: its run, the style, its colour and label, the renderer."""
    return digest({"run": run.key.fingerprint, "style": style, "color": color, "label": label,
                   "renderer": renderer_version(), "kind": "net"})


def comparison_media_key(runs, colors: list[str], labels: list[str], part: str,
                         style: dict = STYLE) -> str:
    return digest({"runs": [run.key.fingerprint for run in runs], "style": style,
                   "colors": colors, "labels": labels, "renderer": renderer_version(),
                   "kind": "comparison", "part": part})


MAX_NETWORK_UNITS = 32  # hidden units a network diagram can show legibly in an 800×350 figure
# A net's media beyond its animation and loss plot, each rendered only for the nets of posts
# whose page asks for it: part → (the name ``templating.macro_calls`` gives that use, files).
NET_PARTS = {"units": ("figure_units", ("units.gif", "units.webm", "units.png")),
             "network": ("network_media", ("network.gif", "network.webm", "network.png")),
             "errors": ("loss_plot_errors", ("errors.svg", "errors.png"))}


def net_part_entries(post, post_runs, colors: dict, used: set[str] | None,
                     unknown_means_all: bool = False):
    """(net, run, part, cache key, files) of every extra net medium ``post``'s page uses.

    Only 1-D nets have them; a network diagram only for nets it can show (the ``network``
    macro explains the limit to a post that asks for a larger one). Unlike the comparison media,
    they are rendered only for pages known to ask for them: ``used`` None (no page known) gives
    none, unless ``unknown_means_all`` (what ``prune`` must keep when it does not know).
    """
    if (used is None and not unknown_means_all) or getattr(post.data, "dimensions", 1) != 1:
        return
    for net, run in zip(post.nets, post_runs):
        for part, (use, files) in NET_PARTS.items():
            if used is not None and use not in used and f"{use}:{net.name}" not in used:
                continue
            if part == "network" and sum(net.layers) > MAX_NETWORK_UNITS:
                continue
            key = digest({"run": run.key.fingerprint, "style": STYLE, "color": colors[net.name],
                          "label": net.label, "renderer": renderer_version(), "kind": "net",
                          "part": part})
            yield net, run, part, key, files


# The parts of a post's comparison media, each rendered only when a page uses its macro.
COMPARISON_PARTS = {"animation": ("comparison", ANIMATION_FILES),
                    "losses": ("comparison_losses", LOSSES_FILES)}


def comparison_entries(post, post_runs, colors: dict, used: set[str] | None):
    """(part, cache key, files) of every comparison medium ``post`` needs.

    ``used`` is the set of macros the post's page calls (None: all of them). A post that never
    calls ``comparison()`` gets no comparison animation rendered or shipped.
    """
    names = [net.name for net in post.nets]
    for part, (macro, files) in COMPARISON_PARTS.items():
        if used is None or macro in used:
            key = comparison_media_key(post_runs, [colors[name] for name in names],
                                       [net.label for net in post.nets], part)
            yield part, key, files


def render_missing(posts, runs, cache: Path, force: bool, log, jobs: int = 1,
                   uses: dict[str, set[str]] | None = None) -> dict:
    """Return {(post slug, net name or '*'): {file name: cached path}} for every medium.

    What is cached is reused (and matplotlib is not even imported); the rest renders, in up to
    ``jobs`` worker processes when there is more than one medium to render. ``uses`` maps a post
    to the macros its page calls: comparison media that no page shows are not rendered.
    """
    with Renderer(posts, cache, force, log, jobs, uses) as renderer:
        return renderer.finish(runs)


class Renderer:
    """The media stage alongside training, in one pool of workers that both stages share.

    ``pool`` (a ``workers.OnDemandPool``, started with the first job; none with ``jobs`` 1) is
    the one to give the training stage. ``update(runs)`` (``train_missing``'s ``on_runs``)
    works out the media, as ``render_missing`` does, once every run is known, and sends each
    missing medium to the pool as soon as every run it shows is trained, behind the training
    jobs already queued (of those ready at once, the heaviest first, else in the order of
    ``render_missing``: a fixed order, given the order runs finish in). ``finish(runs)``
    renders what is left, waits for everything and returns what ``render_missing`` returns;
    its log lines are the same (a medium's ``render`` line once it is in the cache).

    A medium depends only on its runs, so it is byte for byte what ``render_missing`` makes,
    whenever it starts. Workers fill temporary folders; only this process moves them into the
    cache, in ``finish``. Leaving the block stops the workers, then removes what is left of the
    temporary folders (all of them after an error).

        with Renderer(posts, cache, force, log, jobs, uses, board.show) as renderer:
            runs = train_missing(..., pool=renderer.pool, on_runs=renderer.update)
            media = renderer.finish(runs)
    """

    def __init__(self, posts, cache: Path, force: bool, log, jobs: int = 1,
                 uses: dict[str, set[str]] | None = None, on_message=None):
        self.posts, self.cache, self.force, self.log = posts, cache, force, log
        self.jobs, self.uses = max(1, jobs), uses
        self.pool = workers.OnDemandPool(self.jobs, on_message) if self.jobs > 1 else None
        self.lines: list[str] = []  # the plan's "reused" lines, logged in ``finish`` as before
        self.tasks: dict[Path, tuple] | None = None
        self.media: dict = {}
        self.swaps: dict[Path, atomic.FolderSwap] = {}
        self.submitted: dict = {}  # future → folder

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if self.pool is not None:
                self.pool.__exit__(kind, error, traceback)
        finally:
            for swap in self.swaps.values():
                swap.discard()

    def update(self, runs) -> None:
        """Plan the media (the first time), then start every missing one whose runs are all
        trained (only in a pool whose workers are already started or have jobs queued)."""
        if self.tasks is None:
            self.tasks, self.media = _plan(self.posts, runs, self.cache, self.force,
                                           self.lines.append, self.uses)
        if self.pool is None or not self.pool.started:
            return  # nothing trains in the pool: ``finish`` decides where to render
        ready = [(folder, function, arguments)
                 for folder, (_, function, arguments) in self.tasks.items()
                 if folder not in self.swaps and _trained(arguments)]
        for folder, function, arguments in sorted(ready, key=_heavier_first):
            self._submit(folder, function, arguments)

    def _temporary(self, folder: Path) -> Path:
        """The temporary folder a medium is rendered into, moved to ``folder`` once whole."""
        self.swaps[folder] = atomic.FolderSwap(folder, replace=folder.exists())
        return self.swaps[folder].temporary

    def _submit(self, folder: Path, function, arguments) -> None:
        future = self.pool.submit(function, *arguments, self._temporary(folder), self.cache)
        self.submitted[future] = folder

    def finish(self, runs) -> dict:
        """Render every medium not started yet, move each into the cache as it is done (a
        failure stops the build with the worker's error); return the media by post and net."""
        self.update(runs)
        for line in self.lines:
            self.log(line)
        waiting = {folder: task for folder, task in self.tasks.items()
                   if folder not in self.swaps}
        if self.pool is None or (not self.pool.started and len(waiting) <= 1):
            for folder, (line, function, arguments) in waiting.items():  # in this process
                function(*arguments, self._temporary(folder), self.cache)
                self.swaps[folder].commit()
                self.log(line)
            return self.media
        for folder, (_, function, arguments) in waiting.items():
            self._submit(folder, function, arguments)
        for future in self.pool.completed(list(self.submitted)):
            future.result()  # a failure stops the build with the worker's error
            folder = self.submitted[future]
            self.swaps[folder].commit()
            self.log(self.tasks[folder][0])
        return self.media


def _heavier_first(task) -> int:
    """Of the media ready at once, a comparison animation (the longest to render) goes first,
    loss plots (the shortest) last, so that the last medium to start is a short one."""
    _, function, arguments = task
    if function is _render_comparison:
        return 0 if arguments[-1] == "animation" else 2
    if function is _render_net_part and arguments[-1] == "errors":
        return 2
    return 1


def _trained(value) -> bool:
    """Whether every run in a task's arguments (lists, tuples and dicts of them) is trained."""
    from tinynets.engine.stage import Run

    if isinstance(value, Run):
        return value.meta is not None
    if isinstance(value, (list, tuple)):
        return all(_trained(item) for item in value)
    if isinstance(value, dict):
        return all(_trained(item) for item in value.values())
    return True


def _plan(posts, runs, cache: Path, force: bool, log, uses) -> tuple[dict, dict]:
    """The media to render, {folder: (log line, function, arguments)}, and every medium, as
    ``render_missing`` returns them; the cached ones are logged as reused."""
    media: dict = {}
    root = cache / "media"
    tasks: dict[Path, tuple] = {}  # folder → (log line, function, arguments); shared keys once
    for post in posts:
        if post.sweeps:  # heatmap, line plot, animated grid: those the page shows
            from tinynets.media import sweep_media

            sweep_media.add_tasks(post, runs, root, force, log,
                                  None if uses is None else uses.get(post.slug, set()), tasks,
                                  media)
        if not post.nets:
            continue
        colors = net_colors(post)
        post_runs = [runs[(post.slug, net.name)] for net in post.nets]
        for net, run in zip(post.nets, post_runs):
            folder = root / net_media_key(run, colors[net.name], net.label)
            if force or not _complete(folder, NET_FILES):
                tasks.setdefault(folder, (
                    f"render  {post.slug}/{net.name}: animation, poster, loss plot",
                    _render_net, (run, net, colors[net.name])))
            else:
                log(f"reused  {post.slug}/{net.name} media")
            media[(post.slug, net.name)] = {name: folder / name for name in NET_FILES}
        media[(post.slug, "*")] = {}
        used = None if uses is None else uses.get(post.slug, set())
        for net, run, part, key, files in net_part_entries(post, post_runs, colors, used):
            folder = root / key
            if force or not _complete(folder, files):
                tasks.setdefault(folder, (f"render  {post.slug}/{net.name}: {part}",
                                          _render_net_part, (run, net, colors[net.name], part)))
            else:
                log(f"reused  {post.slug}/{net.name} {part}")
            media[(post.slug, net.name)].update({name: folder / name for name in files})
        for part, key, files in comparison_entries(post, post_runs, colors, used):
            folder = root / key
            what = "comparison animation" if part == "animation" else "comparison loss plot"
            if force or not _complete(folder, files):
                tasks.setdefault(folder, (f"render  {post.slug}: {what}", _render_comparison,
                                          (post, post_runs, colors, part)))
            else:
                log(f"reused  {post.slug} {what}")
            media[(post.slug, "*")].update({name: folder / name for name in files})
    return tasks, media


def needed_media(posts, runs, uses: dict[str, set[str]] | None = None) -> set[str]:
    """The media cache entries (folder names) that ``posts`` use, as ``render_missing`` names
    them: what ``prune`` must keep. A test checks the two agree."""
    needed = set()
    for post in posts:
        if post.sweeps:
            from tinynets.media import sweep_media

            needed |= sweep_media.needed(post, runs, None if uses is None
                                         else uses.get(post.slug, set()))
        if not post.nets:
            continue
        colors = net_colors(post)
        post_runs = [runs[(post.slug, net.name)] for net in post.nets]
        for net, run in zip(post.nets, post_runs):
            needed.add(net_media_key(run, colors[net.name], net.label))
        used = None if uses is None else uses.get(post.slug, set())
        needed.update(key for _, key, _ in comparison_entries(post, post_runs, colors, used))
        needed.update(entry[3] for entry in net_part_entries(post, post_runs, colors, used,
                                                             unknown_means_all=True))
    return needed


def _complete(folder: Path, names) -> bool:
    return all((folder / name).is_file() and (folder / name).stat().st_size > 0 for name in names)


def _panel(run, net, color: str, cache: Path):
    from tinynets.media.render import Panel
    from tinynets.engine.store import RunStore

    arrays = RunStore(cache / "runs").load_arrays(run.key)
    seeds = [int(seed) for seed in arrays["seeds"]]
    representative = seeds.index(representative_seed(seeds, ranking(run.meta)))
    if run.post.data.dimensions == 2:  # the plane: heatmaps (tinynets.media.plane)
        return _plane_panel(run, net, color, arrays, representative)
    return Panel(name=net.name, label=net.label, color=color, data=run.post.data,
                 frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                 predictions=arrays["predictions"], losses=arrays["losses"],
                 representative=representative)


def _plane_panel(run, net, color: str, arrays: dict, representative: int):
    from tinynets.engine.plane import plane_arrays
    from tinynets.media.plane import PlanePanel

    split = plane_arrays(run.post.data)
    return PlanePanel(name=net.name, label=net.label, color=color,
                      classification=run.post.data.classification,
                      frame_epochs=arrays["frame_epochs"], grid=arrays["grid"],
                      predictions=arrays["predictions"], losses=arrays["losses"],
                      test_losses=arrays.get("test_losses"), accuracy=arrays.get("accuracy"),
                      test_accuracy=arrays.get("test_accuracy"),
                      points_train=split.points_train, y_train=split.y_train,
                      points_test=split.points_test, y_test=split.y_test,
                      representative=representative, data=run.post.data)


def _render_net(run, net, color: str, folder: Path, cache: Path) -> None:
    from tinynets.media import canvas, render

    style = canvas.Style(**STYLE)
    panel = _panel(run, net, color, cache)
    if run.post.data.dimensions == 2:
        from tinynets.media.plane import PlaneAnimation

        canvas.write_animation(PlaneAnimation(panel, style), folder, "anim", style)
        render.write_loss_plot(panel, folder, "loss", style)
        return
    canvas.write_animation(render.NetAnimation(panel, style), folder, "anim", style)
    render.write_loss_plot(panel, folder, "loss", style)


def _render_net_part(run, net, color: str, part: str, folder: Path, cache: Path) -> None:
    """The units figure, the network diagram or the loss plot with errors of one net."""
    from tinynets.engine.store import RunStore
    from tinynets.measure.inside import frame_weights
    from tinynets.media import canvas, inside

    style = canvas.Style(**STYLE)
    panel = _panel(run, net, color, cache)
    weights = frame_weights(RunStore(cache / "runs").load_arrays(run.key))
    if part == "units":
        canvas.write_animation(inside.UnitsAnimation(panel, weights, net.activation, style),
                               folder, "units", style)
    elif part == "network":
        canvas.write_animation(inside.NetworkAnimation(panel, weights, net.activation, style),
                               folder, "network", style)
    else:
        inside.write_errors_plot(panel, weights, net.activation, folder, "errors", style)


def _render_comparison(post, post_runs, colors, part: str, folder: Path, cache: Path) -> None:
    from tinynets.media import canvas, render

    style = canvas.Style(**STYLE)
    panels = [_panel(run, net, colors[net.name], cache) for net, run in zip(post.nets, post_runs)]
    if part == "animation" and post.data.dimensions == 2:
        from tinynets.media.plane import PlaneComparison

        canvas.write_animation(PlaneComparison(panels, style), folder, "compare", style)
    elif part == "animation":
        canvas.write_animation(render.ComparisonAnimation(panels, style), folder, "compare",
                               style)
    else:
        render.write_comparison_loss_plot(panels, folder, "losses", style)



