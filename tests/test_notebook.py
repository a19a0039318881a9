"""The example notebook (content/notebooks/explore.ipynb), executed headless by a real Jupyter
kernel (nbclient, ipykernel) as a reader would run it: inside a copy of the built fixture
project, its one parameters cell replaced by the fixture's post and nets. Its outputs are
checked against what the API gives in this process from the same cache: the figure's widget
and its HTML fallback, the claim's verdict and values, the rows, the Keras model's predictions.
"""

from __future__ import annotations

import ast
import base64
import re

import nbformat
import numpy as np
import pytest

import tinynets as tn
from figure_watch import browser  # noqa: F401 (a fixture, by name)
from notebook_run import errors, outputs, run_notebook
from support import REPO, copy_built
from tinynets.media import figure_data
from tinynets.posts.load import load_defaults, load_post

NOTEBOOK = REPO / "content" / "notebooks" / "explore.ipynb"
FIXTURE_PARAMETERS = {"ROOT": None, "POST": "tiny", "BASE": "deep", "OTHER": "wide",
                      "DATA": {"function": "sine", "x_range": [-3.0, 3.0], "frequency": 2.0,
                               "points": 40, "noise": 0.1, "seed": 0},
                      "EPOCHS": 150}  # the project's 150 frames need as many epochs
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def parameters_cell(notebook) -> nbformat.NotebookNode:
    cells = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(cells) == 1, "the notebook has one cell tagged 'parameters'"
    return cells[0]


def parameters(notebook) -> dict:
    """The parameters cell's names and values (plain literals, read without running it)."""
    tree = ast.parse(parameters_cell(notebook).source)
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}


@pytest.fixture(scope="module")
def executed(built_project, tmp_path_factory):
    root = copy_built(built_project, tmp_path_factory.mktemp("notebook") / "project")
    folder = root / "content" / "notebooks"
    folder.mkdir(parents=True)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    parameters_cell(notebook).source = "\n".join(
        f"{name} = {value!r}" for name, value in FIXTURE_PARAMETERS.items())
    nbformat.write(notebook, folder / "explore.ipynb")
    return root, run_notebook(folder / "explore.ipynb", folder)


def cell_outputs(notebook, source_start: str, kind: str = "shown") -> list:
    """The outputs of the one code cell whose source starts with ``source_start``: what it
    shows (``"shown"``: its results and displays) or printed (``"stdout"``)."""
    cells = [cell for cell in notebook.cells
             if cell.cell_type == "code" and cell.source.startswith(source_start)]
    assert len(cells) == 1, source_start
    if kind == "stdout":
        return [output.text for output in cells[0].outputs
                if output.output_type == "stream" and output.name == "stdout"]
    return [output for output in cells[0].outputs
            if output.output_type in ("execute_result", "display_data")]


def test_the_repositorys_notebook_is_stripped_and_names_this_projects_post():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [(cell.outputs, cell.execution_count) for cell in code] == [([], None)] * len(code)
    assert "widgets" not in notebook.metadata
    values = parameters(notebook)
    assert set(values) == set(FIXTURE_PARAMETERS)
    content = REPO / "content"
    post = load_post(content / "posts" / f"{values['POST']}.md",
                     load_defaults(content / "defaults.yml"))
    assert {values["BASE"], values["OTHER"]} <= {net.name for net in post.nets}
    assert values["ROOT"] is None and values["DATA"] is None  # the project's own, as the post


@pytest.mark.slow
def test_the_notebook_runs_in_a_real_kernel_and_shows_what_the_api_gives(executed, capsys):
    root, notebook = executed
    assert errors(notebook) == []
    assert [output for output in outputs(notebook, "stream") if output.name == "stderr"
            and "Traceback" in output.text] == []
    # the post's net: the site's live figure as a widget, its GIF as the fallback
    shown = cell_outputs(notebook, "reference = tn.post(POST")
    said = "".join(cell_outputs(notebook, "reference = tn.post(POST", "stdout"))
    assert re.fullmatch(r"(reused  tiny/(wide|deep) \(trained in [0-9.]+s\)\n){2}", said), said
    assert len(shown) == 1 and WIDGET_VIEW in shown[0].data
    assert shown[0].data["text/html"].startswith(
        '<figure class="tn-notebook-fallback"><img src="data:image/gif;base64,')
    assert shown[0].data["text/plain"].startswith("<tinynets figure figure: ")
    saved = notebook.metadata.widgets[WIDGET_STATE]["state"]
    widget = saved[shown[0].data[WIDGET_VIEW]["model_id"]]
    assert widget["state"]["kind"] == "figure"
    assert widget["state"]["_esm"].startswith("/* tinynets figures for a notebook.")
    files = {tuple(buffer["path"]): base64.b64decode(buffer["data"])
             for buffer in widget["buffers"]}
    site = root / "build" / "docs" / "media" / "tiny" / "deep.tnfd"
    assert files == {("files", 0): site.read_bytes()}  # the site's own data file
    comparison = cell_outputs(notebook, "reference.compare(")
    assert saved[comparison[0].data[WIDGET_VIEW]["model_id"]]["state"]["kind"] == "compare"
    # the same experiment in this process: read from the cache the kernel trained into
    results = tn.experiment(data=FIXTURE_PARAMETERS["DATA"], root=root, nets={
        "faster": {"label": "2×4 Adam, lr ×10", "layers": [4, 4], "activation": "relu",
                   "optimizer": "adam", "learning_rate": 0.1, "epochs": 150}}).train()
    assert re.search(r"^reused  notebook/faster \(trained in [0-9.]+s\)$",
                     capsys.readouterr().out, re.M)
    reference = tn.post("tiny", root=root, quiet=True)
    faster = results.nets["faster"]
    verdict = tn.claim("Ten times larger steps take the 2×4 Adam net lower in 150 epochs than "
                       "the post's 30", lambda: faster.median < reference.nets["deep"].median)
    assert cell_outputs(notebook, "verdict = tn.claim(", "stdout") == [f"{verdict}\n"]
    assert str(verdict).startswith(("holds: ", "fails: ")) and "faster" in str(verdict)
    # checked again on both nets' replication seeds (made only where the shown seeds hold)
    assert (verdict.replication is not None) == (verdict.holds or verdict.fragile)
    claimed = cell_outputs(notebook, "verdict = tn.claim(")
    assert [output.data["text/html"] for output in claimed] == [verdict._repr_html_()]
    listed = "".join(cell_outputs(notebook, "for row in results.to_rows()", "stdout")).splitlines()
    assert listed == [f"faster, seed {row['seed']}: final error {row['final_error']:.4f}"
                      for row in faster.to_rows()]
    predicted = cell_outputs(notebook, "import numpy as np")[0].data["text/plain"]
    expected = faster.keras_model().predict(np.array([[-1.0], [0.0], [1.0]]), verbose=0)
    numbers = [float(value) for value in re.findall(r"-?[0-9]+\.[0-9]+(?:e[-+][0-9]+)?",
                                                    predicted)]
    assert numbers == pytest.approx(expected.ravel().tolist(), rel=1e-5, abs=1e-7)


def live_state(page, selector: str) -> dict:
    """Bring the figure at ``selector`` into view, wait until it is live, read what it drew."""
    page.locator(selector).scroll_into_view_if_needed()
    assert page.evaluate(f"() => document.querySelector({selector!r}).tnFigure.ready") == "live"
    return page.evaluate(f"() => document.querySelector({selector!r}).tnFigure.drawn()")


@pytest.mark.slow
@pytest.mark.browser
def test_the_notebooks_widgets_draw_in_chromium_what_the_site_draws(executed, browser,
                                                                     tmp_path):
    from browser_support import SiteServer
    from notebook_harness import notebook_states, write_widget_page
    from figure_watch import Reader

    root, notebook = executed
    states = notebook_states(notebook)  # deep's figure, the new net's, compare(deep, wide)
    assert [state["state"]["kind"] for state in states] == ["figure", "figure", "compare"]
    write_widget_page(tmp_path / "widgets", states)
    with SiteServer(tmp_path / "widgets") as widgets, SiteServer(root / "build" / "site") as site:
        notebook_reader, site_reader = Reader(browser, widgets), Reader(browser, site)
        page = notebook_reader.open("index.html")
        page.evaluate("() => window.widgetsRendered")
        # the post's net as the widget draws it: the site's data file, decoded
        deep = live_state(page, "#widget-0 figure.tn-figure")
        recorded = figure_data.read(root / "build" / "docs" / "media" / "tiny" / "deep.tnfd")
        net = recorded.nets[0]
        seed = list(net.seeds).index(deep["seed"])
        drawn_values = np.array(deep["nets"][0]["prediction"], dtype=float)
        assert (deep["seed"], deep["frame"]) == (net.shown_seed, len(net.frame_epochs) - 1)
        assert np.array_equal(drawn_values, net.predictions[deep["frame"], seed])
        # compare(): the widget and the site's page draw the same values, net by net
        widget = live_state(page, "#widget-2 figure.tn-figure")
        shown = site_reader.open("tiny/index.html")
        published = live_state(shown, '[data-tn-figure="compare"]')
        assert [each["name"] for each in widget["nets"]] == ["deep", "wide"]
        by_name = {each["name"]: each for each in published["nets"]}
        for each in widget["nets"]:
            same = by_name[each["name"]]
            for key in ("seed", "frame", "epoch", "prediction", "seeds"):
                assert each[key] == same[key], (each["name"], key)
        assert widget["epoch"] == published["epoch"]
        assert notebook_reader.problems == [] and site_reader.problems == []
