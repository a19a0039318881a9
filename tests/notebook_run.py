"""Run a notebook headless in a real Jupyter kernel (nbclient), as CI does.

The kernel is this test run's Python: a kernel spec written into a temporary folder names
``sys.executable`` (the venv's; ``tinynets.bench.notebook.kernel_manager``, the bench's too),
so the kernel imports this checkout's tinynets (``PYTHONPATH``) and the locked packages,
whatever kernels the machine has registered. The notebook runs in
``folder`` (its own folder, as Jupyter runs it), widget state kept in its metadata as
JupyterLab saves it.

Example::

    notebook = run_notebook(REPO / "content" / "notebooks" / "explore.ipynb", folder)
    errors(notebook)                   # [] when no cell failed
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from support import REPO
from tinynets.bench.notebook import kernel_manager


def run_notebook(source, folder: Path, timeout: int = 900, allow_errors: bool = False):
    """``source`` (a path, or a notebook node) executed in ``folder``; the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    notebook = source if isinstance(source, nbformat.NotebookNode) else nbformat.read(
        source, as_version=4)
    with tempfile.TemporaryDirectory(prefix="tinynets-kernels-") as kernels:
        client = NotebookClient(notebook, km=kernel_manager(Path(kernels)), timeout=timeout,
                                allow_errors=allow_errors, store_widget_state=True,
                                resources={"metadata": {"path": str(folder)}})
        environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
        client.execute(env=environment)
    return notebook


def outputs(notebook, kind: str | None = None) -> list[dict]:
    """Every output of every code cell (of ``output_type`` ``kind``, if given)."""
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if kind is None or output.output_type == kind]


def errors(notebook) -> list[str]:
    """The error outputs, as one line each."""
    return [f"{output.ename}: {output.evalue}" for output in outputs(notebook, "error")]
