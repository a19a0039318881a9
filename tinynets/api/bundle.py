"""The notebook widget's front end: the site's own browser module (templates/assets/figures/…
with uPlot), carried in one ES module that anywidget loads. No second drawing code: the files
travel as they are, and the page that runs them fetches nothing from any host.

The site loads each file from the server, beside the others. A widget's module has no server
to load from, so it carries the files' text, and its loader (``widget.js``) makes each a
``blob:`` URL in the notebook's page. What points from one file to another is aimed at those
URLs, in the only two forms the modules use:

- import specifiers (``import … from "./data.js"``, ``import("./plot.js")``) become
  ``"tinynets-module:figures/data.js"``, which the loader replaces with that module's URL;
- a file found beside the module (``new URL("./kinds/" + kind + ".js", import.meta.url)``: a
  kind, a stylesheet, uPlot) becomes ``new URL(__tinynetsAsset("figures/core.js", …))``, the
  URL the loader gives that file.

Anything else that reads ``import.meta`` would not survive the move, so it is refused here
(a ``BundleError`` naming the file), as is an import cycle; a test bundles every kind shipped.

>>> text, needs = module_text("figures/kinds/units.js",
...                           'import create from "./figure.js";\\nimport { css } from "../theme.js";')
>>> print(text)
import create from "tinynets-module:figures/kinds/figure.js";
import { css } from "tinynets-module:figures/theme.js";
>>> sorted(needs)
['figures/kinds/figure.js', 'figures/theme.js']
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

# Static imports and exports (``from "./x.js"``, ``import "./x.js"``) and dynamic imports of a
# literal (``import("./x.js")``), relative to the module.
SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?/[^"'\s]+)\2""")
META_URL = "import.meta.url"
PREFIX = "tinynets-module:"  # what the loader replaces with a module's blob: URL
REGISTRY = PREFIX + "registry"  # the loader's own module: ``asset(base, relative)``
ASSET = "__tinynetsAsset"
ENTRY = "figures/core.js"
LOADER = Path(__file__).with_name("widget.js")
UPLOT = ("vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css")
UPLOT_LICENCE = "vendor/uplot/LICENSE"


class BundleError(Exception):
    """A browser module that cannot be carried into the widget (a form of ``import.meta`` or
    of import that the loader does not know, a cycle, a missing file): a bug of ours, caught
    by the tests, not an author's mistake."""


def module_text(path: str, text: str) -> tuple[str, set[str]]:
    """``text`` of the module at ``path`` (relative to the assets folder) with its imports
    and its files found beside it aimed at the loader; and the modules it imports."""
    if PREFIX in text or ASSET in text:
        raise BundleError(f"{path}: already uses {PREFIX!r} or {ASSET}: rename them")
    needs: set[str] = set()

    def specifier(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), match.group(3)))
        needs.add(target)
        return f'{match.group(1)}"{PREFIX}{target}"'

    text = SPECIFIER.sub(specifier, text)
    text, found = _asset_calls(path, text)
    if "import.meta" in text:
        raise BundleError(f"{path}: reads import.meta other than as new URL(…, {META_URL})")
    if found:
        text = f'import {{ asset as {ASSET} }} from "{REGISTRY}";\n' + text
    return text, needs


def _asset_calls(path: str, text: str) -> tuple[str, int]:
    """Every ``new URL(EXPRESSION, import.meta.url)`` → ``new URL(__tinynetsAsset(PATH,
    EXPRESSION))``; the count of them."""
    found = 0
    while True:
        end = text.find(", " + META_URL + ")")
        if end < 0:
            return text, found
        start = text.rfind("new URL(", 0, end)
        expression = text[start + len("new URL("):end] if start >= 0 else ""
        if start < 0 or expression.count("(") != expression.count(")"):
            raise BundleError(f"{path}: {META_URL} used other than as new URL(…, {META_URL})")
        call = f"new URL({ASSET}({json.dumps(path)}, {expression}))"
        text = text[:start] + call + text[end + len(", " + META_URL + ")"):]
        found += 1


def sources(assets: Path, kinds: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """The files a widget of ``kinds`` needs, by path relative to ``assets``, modules rewritten
    (``module_text``); and which of them are modules. The modules are the core's and the
    kinds', with everything they import; the stylesheets are all of figures/ (kinds ask for
    theirs by name at run time) and uPlot's."""
    files: dict[str, str] = {}
    modules: list[str] = []
    waiting = [ENTRY, *(f"figures/kinds/{kind}.js" for kind in kinds)]
    while waiting:
        path = waiting.pop()
        if path in files:
            continue
        source = assets / path
        if not source.is_file():
            raise BundleError(f"{source}: missing (a figure of kind {', '.join(kinds)} needs it)")
        files[path], needs = module_text(path, source.read_text(encoding="utf-8"))
        modules.append(path)
        waiting += sorted(needs - set(files))
    _check_acyclic(files)
    for sheet in sorted((assets / "figures").glob("*.css")):
        files[f"figures/{sheet.name}"] = sheet.read_text(encoding="utf-8")
    for path in UPLOT:
        files[path] = (assets / path).read_text(encoding="utf-8")
    return files, sorted(modules)


def _check_acyclic(files: dict[str, str]) -> None:
    """The loader makes a module's URL after those it imports: a cycle has no first."""
    imports = {path: set(re.findall(re.escape(PREFIX) + r'([^"]+)"', text)) - {"registry"}
               for path, text in files.items()}
    done: set[str] = set()

    def visit(path: str, trail: tuple[str, ...]) -> None:
        if path in trail:
            raise BundleError("import cycle: " + " → ".join((*trail, path)))
        if path in done:
            return
        for target in sorted(imports.get(path, ())):
            visit(target, (*trail, path))
        done.add(path)

    for path in sorted(imports):
        visit(path, ())


_BUNDLES: dict[tuple, str] = {}


def widget_module(assets: Path, kinds: tuple[str, ...]) -> str:
    """The widget's ES module for figures of ``kinds``: the files of ``sources``, uPlot's
    licence, and the loader. Kept per folder, kinds and the files' modification times."""
    stamp = tuple(sorted((str(path), path.stat().st_mtime_ns)
                         for path in assets.rglob("*") if path.is_file()))
    key = (str(assets), tuple(sorted(kinds)), hash(stamp), LOADER.stat().st_mtime_ns)
    if key not in _BUNDLES:
        files, modules = sources(assets, tuple(sorted(kinds)))
        payload = json.dumps({"files": files, "modules": modules}, ensure_ascii=True,
                             sort_keys=True)
        digest = hashlib.sha256(payload.encode("ascii")).hexdigest()[:16]
        licence = (assets / UPLOT_LICENCE).read_text(encoding="utf-8").replace("*/", "* /")
        _BUNDLES[key] = (f"/* tinynets figures for a notebook. Carries uPlot 1.6.32 "
                         f"(https://github.com/leeoniya/uPlot), under its licence:\n{licence}*/\n"
                         f"const BUNDLE = {payload};\nconst DIGEST = {json.dumps(digest)};\n"
                         + LOADER.read_text(encoding="utf-8"))
    return _BUNDLES[key]
