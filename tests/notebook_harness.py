"""A page that mounts notebook widgets as a Jupyter frontend does, for the browser tests.

Each widget is given by its saved state (what a notebook keeps under ``metadata.widgets``,
``application/vnd.jupyter.widget-state+json``: the model's traits, its binary buffers in
base64): the page rebuilds the model (``get`` answers the traits, buffers as ``DataView``s, as
ipywidgets deserialises them), imports the widget's ES module (its ``_esm`` trait) from a
``blob:`` URL as anywidget does, and calls its ``render({model, el})`` into
``<div id="widget-N">``. Nothing else is on the page: no Jupyter, no request to another host.

Example::

    write_widget_page(folder, [state_of_widget])      # folder/index.html
    with SiteServer(folder) as server:
        page.goto(server.url("index.html"))
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>tinynets widgets</title><link rel="icon" href="data:,">
<style>body {{ font-family: sans-serif; max-width: 900px; margin: 1em auto; }}</style></head>
<body>
{holders}
<script type="application/json" id="widget-states">{states}</script>
<script type="module">
const states = JSON.parse(document.getElementById("widget-states").textContent);

function dataView(base64) {{
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new DataView(bytes.buffer);
}}

function model(saved) {{
  const values = structuredClone(saved.state);
  for (const buffer of saved.buffers || []) {{
    let place = values;
    for (const key of buffer.path.slice(0, -1)) place = place[key];
    place[buffer.path[buffer.path.length - 1]] = dataView(buffer.data);
  }}
  return {{ get: (name) => values[name], set() {{}}, save_changes() {{}}, on() {{}}, off() {{}},
           send() {{}} }};
}}

window.widgetsRendered = Promise.all(states.map(async (saved, index) => {{
  const widget = model(saved);
  const url = URL.createObjectURL(new Blob([widget.get("_esm")], {{ type: "text/javascript" }}));
  const module = await import(url);
  const style = document.createElement("style");
  style.textContent = widget.get("_css") || "";
  document.head.appendChild(style);
  await module.default.render({{ model: widget, el: document.getElementById("widget-" + index) }});
}}));
</script>
</body>
</html>
"""


def state_of(widget) -> dict:
    """A widget's saved state as a notebook keeps it (traits, and buffers in base64)."""
    from ipywidgets.widgets.widget import _remove_buffers

    state, paths, buffers = _remove_buffers(widget.get_state())
    return {"state": state, "buffers": [
        {"path": path, "encoding": "base64", "data": base64.b64encode(bytes(buffer)).decode()}
        for path, buffer in zip(paths, buffers)]}


def notebook_states(notebook: dict) -> list[dict]:
    """The saved states of a notebook's anywidget models, in the order their views appear in
    its outputs."""
    saved = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    order = [output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for cell in notebook["cells"] for output in cell.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    return [saved[model] for model in order]


def write_widget_page(folder: Path, states: list[dict]) -> Path:
    """folder/index.html mounting every widget of ``states``."""
    folder.mkdir(parents=True, exist_ok=True)
    holders = "\n".join(f'<div class="widget" id="widget-{index}"></div>'
                        for index in range(len(states)))
    text = PAGE.format(holders=holders,
                       states=json.dumps(states).replace("</", "<\\/"))
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder / "index.html"
