"""Benchmark of the Python API in a real Jupyter kernel (``make bench``).

Prints, each on its own line:

    notebook_kernel_start_s: <s>  starting a fresh kernel (this Python's ipykernel), for scale
    notebook_cached_net_s: <s>    in that fresh kernel: ``import tinynets``,
                                  ``tn.post("optimizer-or-depth")`` from a warm cache and one
                                  net displayed (the widget, and its GIF fallback); budget 3 s
    notebook_new_net_s: <s>       in the same kernel, warm (an untimed net of the same shape
                                  trained first): a new 1×16 net, 5 seeds, 600 epochs, trained
                                  and displayed (its GIF rendered for the fallback); budget 5 s

The kernel runs in the project's folder, as a notebook of ``content/notebooks/`` would. The
cache is warmed first in another kernel (untimed): the post trained, the figure's GIF rendered.
A "new" net has a learning rate no run used before (from the clock), so neither its run nor its
media are cached; the bench's runs are left in the cache for ``prune`` to take away.

Run: ``python -m tinynets.bench.notebook``; about half a minute on an idle 2-core machine.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POST = "optimizer-or-depth"
KERNEL = "tinynets-python"
CACHED = f"""import tinynets as tn
results = tn.post({POST!r}, quiet=True)
display(results.nets["wide-sgd"])"""
NEW_NET = """results = tn.experiment(nets={{"bench": {{"layers": [16], "learning_rate": {rate!r},
                                              "epochs": 600}}}}, seeds=5, name="bench")
display(results.train(quiet=True).nets["bench"])"""


def kernel_manager(folder: Path):
    """A kernel manager for a kernel of this Python (its spec written into ``folder``), whatever
    kernels the machine has registered; the tests' notebooks run in it too."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = folder / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tinynets (this Python)", "language": "python"}), encoding="utf-8")
    return KernelManager(kernel_name=KERNEL,
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder)]))


def _kernel(folder: Path):
    """A started kernel of this Python in the project's folder, and its client."""
    manager = kernel_manager(folder)
    # This checkout's tinynets, whatever the venv's editable install points at.
    manager.start_kernel(cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    return manager, client


def _run(client, code: str) -> tuple[float, list[str]]:
    """Seconds to run ``code`` in the kernel, and the MIME types it displayed; an error in the
    kernel stops the bench with the kernel's message."""
    shown: list[str] = []

    def output(message):
        kind = message["msg_type"]
        if kind in ("display_data", "execute_result"):
            shown.extend(message["content"]["data"])
        elif kind == "error":
            raise RuntimeError("\n".join(message["content"]["traceback"]))

    started = time.perf_counter()
    reply = client.execute_interactive(code, timeout=600, output_hook=output)
    seconds = time.perf_counter() - started
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the kernel says: {reply['content'].get('evalue')}")
    return seconds, shown


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tinynets-bench-kernel-") as folder:
        # Warms the cache: trains the post if need be, renders the figure's GIF fallback.
        manager, client = _kernel(Path(folder))
        try:
            _run(client, CACHED)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        started = time.perf_counter()
        manager, client = _kernel(Path(folder) / "fresh")
        print(f"notebook_kernel_start_s: {time.perf_counter() - started:.2f}")
        try:
            seconds, shown = _run(client, CACHED)
            assert "application/vnd.jupyter.widget-view+json" in shown, shown
            print(f"notebook_cached_net_s: {seconds:.2f}  (budget 3 s)", flush=True)
            _run(client, NEW_NET.format(rate=0.02 + time.time() % 1 * 1e-6))  # warms the kernel
            seconds, shown = _run(client, NEW_NET.format(rate=0.01 + time.time() % 1 * 1e-6))
            assert "text/html" in shown, shown
            print(f"notebook_new_net_s: {seconds:.2f}  (budget 5 s)", flush=True)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
