"""A figure of a notebook's results: shown live as the site shows it (a widget running the
site's browser module), with the site's own media as the fallback where widgets do not run,
and saved as the site's files.

``Figure`` is what ``net.figure()``, ``results.compare()``, … return; Jupyter displays it by
``_repr_mimebundle_``: the widget, plus ``text/html`` (the GIF, or the SVG of a loss plot, as an
``<img>`` with its caption) that frontends without widgets (nbconvert's HTML, GitHub, a
terminal's IPython) show instead. The fallback is the medium the site links to, found in (or
rendered into) the project's media cache under the site's key: a figure rendered here is not
rendered again by ``make site``, and the reverse. ``fallback=None`` leaves it out (and renders
nothing); ``"png"`` keeps only the final frame.

Example (``results`` from ``tinynets.post`` or ``experiment(…).train()``)::

    figure = results.nets["wide-sgd"].figure()
    figure                      # in a notebook: the live figure
    figure.save("wide.webm")    # .gif, .webm, .png (the final frame); .svg, .png for loss plots
"""

from __future__ import annotations

import base64
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tinynets.errors import TinynetsError
from tinynets.escaping import html
from tinynets.media.catalog import Medium

FALLBACKS = ("gif", "png", None)
TYPES = {".gif": "image/gif", ".png": "image/png", ".svg": "image/svg+xml", ".webm": "video/webm"}


@dataclass
class Figure:
    """One figure: its kind (a file of figures/kinds/), its data files (made on first use),
    its caption, and the site medium that is its fallback and its saved files (``stem``: which
    files of the medium: 'anim' of a net's animation and loss plot, 'loss' of the same)."""

    kind: str
    data: Callable[[], list[bytes]]
    caption: str
    assets: Path
    medium: Medium | None
    stem: str
    render: Callable[[Medium], dict[str, Path]]
    fallback: str | None = "gif"
    autoplay: bool = False
    _widget: object = field(default=None, repr=False)

    def __post_init__(self):
        if self.fallback not in FALLBACKS:
            raise TinynetsError(f"fallback={self.fallback!r}: expected one of 'gif' (the "
                                "animation, or a plot's SVG), 'png' (a still) or None.")

    def widget(self):
        """The live figure as a Jupyter widget (made once)."""
        if self._widget is None:
            from tinynets.api.widget import figure_widget

            self._widget = figure_widget(self.assets, self.kind, self.data(), self.caption,
                                         self.autoplay)
        return self._widget

    def files(self) -> dict[str, Path]:
        """This figure's files in the media cache by suffix ('.gif': …/anim.gif), rendered
        first if they are not there yet."""
        if self.medium is None:
            raise TinynetsError(f"a {self.kind} figure of these nets has no file on the site: "
                                "save each net's figure(), or the post's comparison().")
        cached = self.render(self.medium)
        return {Path(name).suffix: path for name, path in cached.items()
                if Path(name).stem == self.stem}

    def save(self, path: str | Path) -> Path:
        """Write the figure as the site's media renderer makes it: ``.gif``, ``.webm`` or
        ``.png`` (the final frame) of an animation, ``.svg`` or ``.png`` of a plot."""
        path = Path(path)
        files = self.files()
        if path.suffix.lower() not in files:
            raise TinynetsError(f"{path.name}: a {self.kind} figure is saved as "
                                f"{', '.join(sorted(files))}; give the file one of those "
                                "suffixes.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files[path.suffix.lower()], path)
        return path

    def _repr_html_(self) -> str:
        """The fallback: the site's picture of this figure with its caption."""
        caption = f"<figcaption>{html(self.caption)}</figcaption>" if self.caption else ""
        if self.fallback is None or self.medium is None:
            return f"<figure>{caption}</figure>"
        files = self.files()
        suffix = ".png" if self.fallback == "png" or ".gif" not in files and ".svg" not in files \
            else ".gif" if ".gif" in files else ".svg"
        encoded = base64.b64encode(files[suffix].read_bytes()).decode("ascii")
        return (f'<figure class="tn-notebook-fallback"><img src="data:{TYPES[suffix]};base64,'
                f'{encoded}" alt="{html(self.caption)}" style="max-width: 100%">'
                f"{caption}</figure>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        data, metadata = self.widget()._repr_mimebundle_()
        data["text/plain"] = repr(self)
        data["text/html"] = self._repr_html_()
        return data, metadata

    def __repr__(self) -> str:
        return f"<tinynets {self.kind} figure: {self.caption}>"
