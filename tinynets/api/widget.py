"""The live figure as a Jupyter widget (anywidget): its model carries the figure's kind, its data
files' bytes and its caption; its front end is the site's browser module (``bundle``).

Works where anywidget does: JupyterLab, Notebook 7, VS Code, Colab. anywidget (and ipywidgets)
are imported only when a figure is displayed.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from tinynets.api.bundle import widget_module

# The page's colours for the figures' stylesheet, which reads Material's variables (with
# plain fallbacks): JupyterLab's and VS Code's own, so a dark theme draws light on dark.
CSS = """
.tn-notebook {
  --md-default-fg-color: var(--jp-content-font-color1, var(--vscode-editor-foreground, rgba(0, 0, 0, 0.87)));
  --md-default-fg-color--light: var(--jp-content-font-color2, var(--vscode-descriptionForeground, rgba(0, 0, 0, 0.6)));
  --md-default-fg-color--lighter: var(--jp-content-font-color3, rgba(0, 0, 0, 0.32));
  --md-accent-fg-color: var(--jp-brand-color1, var(--vscode-focusBorder, #526cfe));
  max-width: 960px;
}
.tn-notebook figure.tn-figure { margin: 0.5em 0; }
.tn-notebook figcaption { font-size: 13px; margin-top: 0.4em; }
.tn-notebook .tn-notebook-fallback { font-size: 13px; }
"""


class FigureWidget(anywidget.AnyWidget):
    """One live figure: ``kind`` (a kind of figures/kinds/), ``files`` (its data files, in
    order), ``caption`` (text), ``autoplay`` (play while shown)."""

    _css = CSS
    kind = traitlets.Unicode("figure").tag(sync=True)
    files = traitlets.List(traitlets.Bytes()).tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)
    autoplay = traitlets.Bool(False).tag(sync=True)


def figure_widget(assets: Path, kind: str, files: list[bytes], caption: str,
                  autoplay: bool = False) -> FigureWidget:
    """A widget drawing ``files`` as a figure of ``kind`` with the modules in ``assets`` (the
    project's templates/assets: the site's)."""
    return FigureWidget(_esm=widget_module(assets, (kind,)), kind=kind, files=list(files),
                        caption=caption, autoplay=autoplay)
