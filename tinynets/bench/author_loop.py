"""The author's loop, timed: a clean build, a rebuild after adding a net, and the same under serve.

Every figure is measured on a copy of this project in a temporary folder (the cache hard-linked
where the figure needs it warm), so the project's own build/ is never touched:

    clean_build_s          a clean ``python -m tinynets build`` (nothing cached) of the two posts
                           the target was set on (the reference experiment and the activation
                           post), next to the sum of the nets' own training times;
                           ``clean_build_all_s``: the same for all the default content
    add_net_rebuild_s      warm cache; add a 1×16 ELU net (5 seeds, 600 epochs) and its figure to
                           the activation post; a plain ``build`` (median of several runs)
    serve_new_net_s        the same edit under a running ``python -m tinynets serve``: from saving
                           the post to the served page showing the new net's animation
    serve_new_shape_s      then, under the same serve, a net of a shape no net had (2×7 tanh):
                           its loop is traced and compiled in the served process

Run: ``python -m tinynets.bench.author_loop`` (part of ``make bench``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POST = "kinks-and-curves"
NEW_NET = ('  elu: {layers: [16], activation: elu, optimizer: adam, learning_rate: 0.01, '
           'epochs: 600, label: "1×16 ELU"}\n')


FIRST_POSTS = ("optimizer-or-depth", POST)  # the default content when the target was set


def copy_project(destination: Path, warm: bool, posts: tuple[str, ...] | None = None) -> Path:
    """A copy of content, templates and mkdocs.yml (only ``posts``, if given: links to the
    posts left out become their words); with ``warm``, the cache hard-linked."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, destination / name)
    if posts is not None:
        left_out = [path.stem for path in (destination / "content" / "posts").glob("*.md")
                    if path.stem not in posts]
        for slug in left_out:
            (destination / "content" / "posts" / f"{slug}.md").unlink()
        for path in (destination / "content" / "posts").glob("*.md"):
            # a link to a post left out would fail MkDocs' strict check: keep its words only
            text = path.read_text(encoding="utf-8")
            for slug in left_out:
                text = re.sub(r"\[([^\]]*)\]\(" + re.escape(slug) + r"\.md(#[^)]*)?\)", r"\1", text)
            path.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    if warm:
        shutil.copytree(ROOT / "build" / "cache", destination / "build" / "cache",
                        copy_function=os.link)
    return destination


def add_net(project: Path, name: str = "elu", learning_rate: str = "0.01",
            shape: str = "layers: [16], activation: elu", label: str = "1×16 ELU") -> None:
    """Declare the ELU net in the activation post and show its figure (another learning rate
    makes another run, so that repeated measurements each train a new net; another ``shape``
    a net whose loop is compiled anew)."""
    post = project / "content" / "posts" / f"{POST}.md"
    text = post.read_text(encoding="utf-8")
    declaration = NEW_NET.replace("  elu:", f"  {name}:").replace(
        "learning_rate: 0.01", f"learning_rate: {learning_rate}").replace(
        "layers: [16], activation: elu", shape).replace('"1×16 ELU"', f'"{label}"')
    start = text.index("nets:\n")
    end = text.index("\n", text.index("sigmoid:", start)) + 1  # after the last declared net
    text = text[:end] + declaration + text[end:]
    text = text.rstrip("\n") + f"\n\n{{{{ figure(nets['{name}']) }}}}\n"
    post.write_text(text, encoding="utf-8")


def _build(project: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tinynets", "build", "--quiet", "--root",
                    str(project), *extra], cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - started


def training_seconds(project: Path) -> float:
    """The nets' own training time (compile included), summed over the project's runs."""
    total = 0.0
    for meta in (project / "build" / "cache" / "runs").glob("*/meta.json"):
        total += json.loads(meta.read_text(encoding="utf-8"))["wall_time"]
    return total


def clean_build(runs: int = 3) -> None:
    """Clean builds in fresh copies: the median of ``runs`` for the two first posts (a single
    clean build moves by a second or two with the machine's load), one for all the content."""
    for name, posts, count in (("clean_build", FIRST_POSTS, runs), ("clean_build_all", None, 1)):
        measured = []
        for _ in range(count):
            with tempfile.TemporaryDirectory(prefix="tinynets-bench-clean-") as folder:
                project = copy_project(Path(folder), warm=False, posts=posts)
                measured.append((_build(project), training_seconds(project)))
        seconds, training = sorted(measured)[len(measured) // 2]
        runs_text = f"  (runs: {', '.join(f'{s:.1f}' for s, _ in measured)})" if count > 1 else ""
        print(f"{name}_s: {seconds:.1f}{runs_text}")
        print(f"{name}_training_s: {training:.1f}  (sum of the nets' own training times, "
              "compile included, over both workers)")
        print(f"{name}_overhead_s: {seconds - training:.1f}", flush=True)


def add_net_rebuild(runs: int = 3) -> None:
    _build(ROOT)  # the project's cache is warm before it is linked into the copies
    times = []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="tinynets-bench-add-") as folder:
            project = copy_project(Path(folder), warm=True)
            _build(project)
            add_net(project)
            times.append(_build(project))
    print(f"add_net_rebuild_s: {statistics.median(times):.1f}  "
          f"(runs: {', '.join(f'{t:.1f}' for t in times)})", flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def _wait(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def serve_new_net(runs: int = 3) -> None:
    """Under a warm ``serve``: save the post that adds a net, poll until the page shows it."""
    _build(ROOT)
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-serve-") as folder:
        project = copy_project(Path(folder), warm=True)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tinynets", "serve", "--address", f"127.0.0.1:{port}",
             "--root", str(project)], cwd=ROOT, start_new_session=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        page = f"http://127.0.0.1:{port}/{POST}/"
        try:
            if not _wait(lambda: _get(page) is not None, 180, 0.2):
                raise RuntimeError("serve did not come up within 180 s")
            _wait(lambda: (project / "build" / ".serve-ready").exists(), 120, 0.2)
            times = []
            for run in range(runs + 1):  # the last: a net of a new shape
                name = f"elu{run}" if run else "elu"
                started = time.perf_counter()
                if run < runs:
                    add_net(project, name, f"0.01{run}" if run else "0.01")
                else:
                    name = "tanh27"
                    add_net(project, name, shape="layers: [7, 7], activation: tanh",
                            label="2×7 tanh")

                def shown() -> bool:
                    html = _get(page)
                    if html is None or f"/{name}.webm".encode() not in html:
                        return False
                    return _get(f"http://127.0.0.1:{port}/media/{POST}/{name}.webm") is not None

                if not _wait(shown, 300):
                    raise RuntimeError(f"the page never showed the new net {name}")
                times.append(time.perf_counter() - started)
                time.sleep(1.0)  # let the live reload settle before the next edit
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"serve_new_net_s: {times[0]:.1f}  (the first new net; later nets of the same shape "
          f"with other learning rates: {', '.join(f'{t:.1f}' for t in times[1:-1])})",
          flush=True)
    print(f"serve_new_shape_s: {times[-1]:.1f}  (a net of a new shape, 2×7 tanh: its loop "
          "traced and compiled under serve)", flush=True)


def main() -> None:
    clean_build()
    add_net_rebuild()
    serve_new_net()


if __name__ == "__main__":
    main()
