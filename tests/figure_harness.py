"""A page that holds explorable figures as a post will, for the browser tests.

``build_harness(folder)`` writes a small static site: the module files copied from
templates/assets, Material's own stylesheets (from the installed theme) so the page has the
theme's colours and both palettes, data files written by tinynets.media.figure_data from real
recordings (tests/figure_recordings.py), a damaged data file, and figures with today's
fallback (a poster <video> with a GIF <img>) inside. Nothing is committed: it is made at test
time.

Example::

    site = build_harness(tmp_path / "site")
    with SiteServer(site) as server:
        page.goto(server.url("index.html"))
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from figure_recordings import figure_net

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "templates" / "assets"

# The figures of the page: (id, kind, data files, fallback alt text, autoplay)
FIGURES = [
    ("figure-wide-sgd", "figure", ["data/wide-sgd.tnfd"], "1×60 ReLU, SGD learning", True),
    ("loss-wide-sgd", "loss_plot", ["data/wide-sgd.tnfd"], "Training error of 1×60 ReLU, SGD",
     False),
    ("compare-nets", "compare",
     ["data/wide-sgd.tnfd", "data/deep-adam.tnfd", "data/short-adam.tnfd"],
     "Three nets at the same epoch", False),
    ("figure-damaged", "figure", ["data/damaged.tnfd"], "A figure whose data file is damaged",
     True),
    ("figure-missing", "figure", ["data/missing.tnfd"], "A figure whose data file is missing",
     True),
    ("figure-corrupt", "figure", ["data/corrupt.tnfd"], "A figure whose data file has a wrong "
     "byte", True),
]
DATA_NETS = ("wide-sgd", "deep-adam", "short-adam")


def material_stylesheets() -> list[Path]:
    """The installed Material theme's main and palette stylesheets."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    found = [next(folder.glob("main.*.min.css")), next(folder.glob("palette.*.min.css"))]
    return found


def fallback_png(path: Path, text: str) -> None:
    """A plain poster, as the fallback media: grey, with its text."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (800, 350), (236, 236, 236))
    ImageDraw.Draw(picture).text((20, 20), text, fill=(40, 40, 40))
    picture.save(path)


def figure_markup(identifier: str, kind: str, data: list[str], alt: str, autoplay: bool,
                  poster: str | None = None) -> str:
    poster = poster or f"fallback-{identifier}.png"
    attributes = " data-tn-autoplay" if autoplay else ""
    return (
        f'<figure class="tn-figure" id="{identifier}" data-tn-figure="{kind}" '
        f'data-tn-data="{html.escape(" ".join(data))}"{attributes}>\n'
        f'<video class="tn-video" poster="{poster}" width="800" height="350" muted loop '
        f'playsinline controls preload="none" aria-label="{html.escape(alt)}">'
        f'<img src="{poster}" alt="{html.escape(alt)}" width="800" height="350" loading="lazy">'
        f"</video>\n<figcaption><strong>{html.escape(alt)}</strong>: the fallback's caption "
        f"stays.</figcaption>\n</figure>")


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Explorable figures</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="material/{main}">
<link rel="stylesheet" href="material/{palette}">
<link rel="stylesheet" href="assets/tinynets.css">
<style>
  /* the width of a post's column between Material's two sidebars at 1280 px */
  .md-content {{ max-width: 736px; margin: 0 auto; }}
</style>
</head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo"
      data-md-color-accent="indigo">
<div class="md-container">
<main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">
<article class="md-content__inner md-typeset">
<h1>Explorable figures</h1>
<p>Every figure below is drawn from its recorded training.</p>
{figures}
</article></div></div></main></div>
{before_module}<script src="assets/tinynets.js"></script>
<script type="module" src="assets/tinynets-figures.js"></script>
</body>
</html>
"""


def build_harness(folder: Path, figures=FIGURES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    from tinynets.media import figure_data

    shutil.copytree(ASSETS, folder / "assets")
    (folder / "material").mkdir()
    main, palette = material_stylesheets()
    shutil.copy(main, folder / "material" / main.name)
    shutil.copy(palette, folder / "material" / palette.name)
    (folder / "data").mkdir()
    for name in DATA_NETS:
        figure_data.write(folder / "data" / f"{name}.tnfd", [figure_net(name)])
    whole = (folder / "data" / "wide-sgd.tnfd").read_bytes()
    (folder / "data" / "damaged.tnfd").write_bytes(whole[: len(whole) // 2])
    corrupt = bytearray(whole)
    corrupt[len(corrupt) // 2] ^= 0x55
    (folder / "data" / "corrupt.tnfd").write_bytes(bytes(corrupt))
    blocks = []
    for identifier, kind, data, alt, autoplay in figures:
        fallback_png(folder / f"fallback-{identifier}.png", alt)
        blocks.append(figure_markup(identifier, kind, data, alt, autoplay))
        blocks.append("<p>" + "Prose between the figures. " * 30 + "</p>")
    (folder / "index.html").write_text(
        PAGE.format(main=main.name, palette=palette.name, figures="\n".join(blocks),
                    before_module=""), encoding="utf-8")
    # Material's instant navigation, as the module meets it: a document$ that emits the page
    # on subscription and again whenever a new page's content is in place.
    (folder / "instant.html").write_text(
        PAGE.format(main=main.name, palette=palette.name, figures="<p>First page.</p>",
                    before_module=DOCUMENT_SUBJECT), encoding="utf-8")
    return folder


DOCUMENT_SUBJECT = """<script>
window.document$ = {
  listeners: [],
  subscribe(listener) { this.listeners.push(listener); listener(document); return { unsubscribe() {} }; },
  next() { for (const listener of this.listeners) listener(document); },
};
</script>
"""


# --- The other 1-D kinds (units, network, comparison, comparison_losses) -------------------------

# (id, kind, data files, fallback alt text, autoplay); compare-shared-losses also gets
# data-tn-losses="shared" (see build_kinds_harness)
KINDS_FIGURES = [
    ("units-wide-sgd", "units", ["data/wide-sgd.tnfd", "data/wide-sgd-inside.tnfd"],
     "1×60 ReLU, SGD: its units and bends", True),
    ("units-deep-adam", "units", ["data/deep-adam.tnfd", "data/deep-adam-inside.tnfd"],
     "2×10 ReLU, Adam: its bends", False),
    ("units-short-tanh", "units", ["data/short-tanh.tnfd", "data/short-tanh-inside.tnfd"],
     "1×8 tanh: its units", False),
    ("network-deep-adam", "network", ["data/deep-adam-inside.tnfd"],
     "2×10 ReLU, Adam as a network", True),
    ("network-short-tanh", "network", ["data/short-tanh-inside.tnfd"],
     "1×8 tanh as a network", False),
    ("comparison", "comparison", ["data/wide-sgd.tnfd", "data/deep-adam.tnfd",
                                  "data/short-adam.tnfd"], "Every net at the same epoch", True),
    ("comparison-losses", "comparison_losses", ["data/wide-sgd.tnfd", "data/deep-adam.tnfd",
                                                "data/short-adam.tnfd"],
     "Median training error of every net", False),
    ("compare-shared-losses", "compare", ["data/wide-sgd.tnfd", "data/deep-adam.tnfd",
                                          "data/short-adam.tnfd"],
     "Three nets and their errors on one plot", False),
    ("units-no-weights", "units", ["data/wide-sgd.tnfd"], "A units figure without weights",
     False),
    ("network-too-wide", "network", ["data/wide-sgd-inside.tnfd"],
     "A network of more units than the diagram shows", False),
    ("network-damaged", "network", ["data/damaged-inside.tnfd"],
     "A network whose weights do not fit its layers", False),
    ("compare-plain", "compare", ["data/wide-sgd.tnfd", "data/short-adam.tnfd"],
     "Two nets side by side, no shared loss plot", False),
    ("comparison-corrupt", "comparison", ["data/wide-sgd.tnfd", "data/corrupt.tnfd"],
     "A comparison one of whose files has a wrong byte", False),
    ("comparison-losses-without-losses", "comparison_losses",
     ["data/deep-adam.tnfd", "data/wide-sgd-inside.tnfd"],
     "A loss plot given a file without losses", False),
]
INSIDE_NETS = ("wide-sgd", "deep-adam", "short-adam", "short-tanh")


class _MislabelledLayers:
    """The 2×10 net's inside file whose header says 10 and 9 units (its weights are 10 and 10)."""

    def record(self, payload, bits, loss_samples):
        from figure_recordings import inside_net

        record = inside_net("deep-adam").record(payload, bits, loss_samples)
        record["inside"]["layers"] = [10, 9]
        return record


def build_kinds_harness(folder: Path) -> Path:
    """The harness (``build_harness``) with ``KINDS_FIGURES`` on its page, and each of
    ``INSIDE_NETS``' inside file (``data/NAME-inside.tnfd``) and figure file."""
    from figure_recordings import inside_net

    from tinynets.media import figure_data

    build_harness(folder, figures=KINDS_FIGURES)
    figure_data.write(folder / "data" / "short-tanh.tnfd", [figure_net("short-tanh")])
    for name in INSIDE_NETS:
        figure_data.write(folder / "data" / f"{name}-inside.tnfd", [inside_net(name)])
    figure_data.write(folder / "data" / "damaged-inside.tnfd", [_MislabelledLayers()])
    page = folder / "index.html"
    marker = 'id="compare-shared-losses" '
    page.write_text(page.read_text(encoding="utf-8").replace(
        marker, marker + 'data-tn-losses="shared" '), encoding="utf-8")
    return folder


def build_page(folder: Path, figures, data: dict[str, bytes]) -> Path:
    """A harness page of other figures (the 2-D and sweep kinds' tests): the module and
    Material's stylesheets as ``build_harness`` copies them, ``data`` (file name → bytes) under
    data/, one figure per entry of ``figures`` ((id, kind, data files, alt text, autoplay)),
    and the instant-navigation page."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, folder / "assets")
    (folder / "material").mkdir()
    main, palette = material_stylesheets()
    for sheet in (main, palette):
        shutil.copy(sheet, folder / "material" / sheet.name)
    (folder / "data").mkdir()
    for name, content in data.items():
        (folder / "data" / name).write_bytes(content)
    blocks = []
    for identifier, kind, files, alt, autoplay in figures:
        fallback_png(folder / f"fallback-{identifier}.png", alt)
        blocks.append(figure_markup(identifier, kind, files, alt, autoplay))
        blocks.append("<p>" + "Prose between the figures. " * 30 + "</p>")
    for page, content, before in (("index.html", "\n".join(blocks), ""),
                                  ("instant.html", "<p>First page.</p>", DOCUMENT_SUBJECT)):
        (folder / page).write_text(PAGE.format(main=main.name, palette=palette.name,
                                               figures=content, before_module=before),
                                   encoding="utf-8")
    return folder
