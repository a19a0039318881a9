"""The Python API on the fixture project: the results a post's page shows, one run cache with
the site both ways (real builds), claims, rows, and figures drawn from the site's own media and
data."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import tinynets as tn
from support import REPO, copy_built, run_build
from tinynets.api import rows
from tinynets.api.bundle import BundleError, module_text, sources, widget_module
from tinynets.engine.store import RunStore
from tinynets.errors import ClaimFailed, ClaimFragile, TinynetsError
from tinynets.media import figure_data

# The fixture's tiny post, as keyword arguments (other labels: presentation is not a run's).
TINY_DATA = {"function": "sine", "x_range": [-3.0, 3.0], "frequency": 2.0, "points": 40,
             "noise": 0.1, "seed": 0}
TINY_WIDE = {"label": "the same 1×8 net", "layers": [8], "optimizer": "sgd", "epochs": 30}


@pytest.fixture(scope="module")
def root(built_project, tmp_path_factory):
    return copy_built(built_project, tmp_path_factory.mktemp("api") / "project")


@pytest.fixture(scope="module")
def tiny(root):
    return tn.post("tiny", root=root, quiet=True)


def test_a_posts_results_are_what_its_page_shows(tiny, root):
    page = (root / "build" / "site" / "tiny" / "index.html").read_text(encoding="utf-8")
    wide, deep = tiny.nets["wide"], tiny.nets["deep"]
    shown = re.search(r"the wide net ends at ([0-9]+\.[0-9]+)", page).group(1)
    assert f"{float(wide.median):.3g}" == shown
    share = re.search(r"The deep net ends lower in ([0-9]+)% of seed pairs", page).group(1)
    assert round(100 * float(tiny.prob_lower(deep, wide))) == int(share)
    interval = tiny.ratio_interval(deep, wide)
    assert float(interval.low) <= float(interval.high)
    assert (wide.spec.layers, len(wide.seeds), int(wide.parameters)) == ((8,), 2, 25)
    assert float(wide.loss_at(10)) == pytest.approx(float(re.search(
        r"After epoch 10 the wide net.s median error is ([0-9]+\.[0-9]+)", page).group(1)), rel=5e-3)
    assert tiny.post["slug"] == "tiny" and float(tiny.data.noise_floor) == pytest.approx(0.01)
    assert repr(tiny) == (f"Results('tiny': Net('wide', median={float(wide.median):.4g}), "
                          f"Net('deep', median={float(deep.median):.4g}))")


def test_a_claim_is_a_result_with_its_values_and_fails_as_the_build_says(tiny):
    wide, deep = tiny.nets["wide"], tiny.nets["deep"]
    holds = tn.claim("The noise floor is below one.", tiny.data.noise_floor < 1)
    assert holds and holds.holds and holds.failure is None
    assert holds.measured == {"noise floor": pytest.approx(0.01)}
    lower, higher = sorted([wide, deep], key=lambda net: float(net.median))
    fails = tn.claim("the higher net ends lower", higher.median < lower.median)
    assert not fails and fails.measured == {f"{higher.name} median error": float(higher.median),
                                            f"{lower.name} median error": float(lower.median)}
    assert fails.failure == (
        f"claim failed: \"the higher net ends lower\" — the measurements say otherwise: "
        f"claimed: {higher.name} median error < {lower.name} median error; measured: "
        f"{higher.name} median error = {float(higher.median):.4g}, {lower.name} median error = "
        f"{float(lower.median):.4g}. Rewrite the claim to match the data, or change the "
        "experiment.")
    assert "✗ fails" in fails._repr_html_() and "✓ holds" in holds._repr_html_()
    with pytest.raises(ClaimFailed) as caught:
        tn.claim("the higher net ends lower", higher.median < lower.median,
                 raise_on_failure=True)
    assert str(caught.value) == fails.failure


def test_a_claim_given_as_a_function_is_checked_again_on_the_replication_seeds(tiny, root):
    wide = tiny.nets["wide"]  # read outside the check: it answers on the replication seeds there
    finals = RunStore(root / "build" / "cache" / "runs").load_arrays(
        wide._shown.run.key)["losses"][-1]
    shown, replicated = float(np.median(finals[:2])), float(np.median(finals[2:]))
    assert float(wide.median) == pytest.approx(shown) and shown != replicated
    robust = tn.claim("the wide net ends below 10", lambda: wide.median < 10)
    assert robust.holds and robust.measured == {"wide median error": pytest.approx(shown)}
    assert robust.replication.holds and robust.replication.measured == {
        "wide median error": pytest.approx(replicated)}
    assert not robust.fragile and str(robust).endswith(
        f"(replicated: {robust.replication.check})")
    # a bound between the two medians: true on seeds 0, 1, false on the replication seeds 2, 3
    between = (shown + replicated) / 2
    check = (lambda: wide.median < between) if shown < replicated else (
        lambda: wide.median > between)
    fragile = tn.claim("the wide net's median is on this side", check)
    assert not fragile and fragile.fragile and fragile.measured == robust.measured
    assert fragile.failure == (
        f"fragile claim: \"the wide net's median is on this side\" holds on the shown seeds "
        f"({fragile.check}) but fails on the replication seeds ({fragile.replication.check}). "
        "State only what both seed sets support, or show more seeds.")
    with pytest.raises(ClaimFragile) as caught:
        tn.claim("the wide net's median is on this side", check, raise_on_failure=True)
    assert str(caught.value) == fragile.failure
    # helpers read the replication seeds too: the share of (deep, wide) pairs where deep is lower
    deep = RunStore(root / "build" / "cache" / "runs").load_arrays(
        tiny.nets["deep"]._shown.run.key)["losses"][-1]
    share = tn.claim("a share", lambda: tiny.prob_lower(tiny.nets["deep"], wide) >= 0)
    assert [list(report.measured.values()) for report in (share, share.replication)] == [
        [pytest.approx(np.mean([[d < w for w in columns[1]] for d in columns[0]]))]
        for columns in ((deep[:2], finals[:2]), (deep[2:], finals[2:]))]
    assert share.measured != share.replication.measured  # (0.75 and 1: the two sets differ)
    # a check given as a value was made on the shown seeds only, and says so
    once = tn.claim("the wide net ends below 10", wide.median < 10)
    assert once.holds and once.replication is None and once.unreplicated == (
        "a check given as a value; claim(text, lambda: …) makes it again on the replication "
        "seeds")
    alone = tn.experiment(data=TINY_DATA, nets={"wide": TINY_WIDE}, seeds=2, replicate=0,
                          frames={"count": 12}, root=root).train(quiet=True)
    mixed = tn.claim("both below 10", lambda: (alone.nets["wide"].median < 10)
                     & (wide.median < 10))
    assert mixed.holds and mixed.replication is None
    assert mixed.unreplicated == "notebook trained no replication seeds (replicate: 0)"


def test_rows_hold_every_seeds_final_and_every_frames_loss(tiny, root):
    wide = tiny.nets["wide"]
    store = RunStore(root / "build" / "cache" / "runs")
    arrays = store.load_arrays(wide._shown.run.key)
    # the run trained the replication seeds 2 and 3 beside the shown 0 and 1: rows show 0 and 1
    assert [int(seed) for seed in arrays["seeds"]] == [0, 1, 2, 3]
    finals = wide.to_rows()
    assert [(row["net"], row["seed"]) for row in finals] == [("wide", 0), ("wide", 1)]
    assert [row["final_error"] for row in finals] == [float(v) for v in arrays["losses"][-1, :2]]
    assert [row["median_seed"] for row in finals] == [seed == wide.representative_seed
                                                     for seed in (0, 1)]
    assert all(row["diverged_at"] is None for row in finals)
    losses = wide.to_rows("losses")
    frames = [int(epoch) for epoch in arrays["frame_epochs"] if epoch >= 1]
    assert len(losses) == 2 * len(frames)
    for row in losses:
        assert row["training_error"] == float(arrays["losses"][row["epoch"] - 1, row["seed"]])
    assert len(tiny.to_rows()) == 4 and {row["net"] for row in tiny.to_rows()} == {"wide", "deep"}
    if rows.PANDAS:
        assert tiny.to_frame().shape == (4, len(finals[0]))
    else:
        with pytest.raises(TinynetsError) as caught:
            tiny.to_frame()
        assert str(caught.value) == ("to_frame() needs pandas, which is not installed "
                                     "(tinynets does not depend on it): pip install pandas, or "
                                     "use to_rows(), plain dicts.")


def test_a_net_trained_by_the_site_is_reused_by_a_notebook(root, capsys):
    runs = sorted((root / "build" / "cache" / "runs").iterdir())
    results = tn.experiment(data=TINY_DATA, nets={"wide": TINY_WIDE}, seeds=2,
                            frames={"count": 12}, root=root).train()
    said = capsys.readouterr().out
    assert re.search(r"^reused  notebook/wide \(trained in [0-9.]+s\)$", said, re.M), said
    assert "train" not in said.replace("trained in", "")
    assert sorted((root / "build" / "cache" / "runs").iterdir()) == runs
    site = tn.post("tiny", root=root, quiet=True)
    assert results.nets["wide"].final_losses == site.nets["wide"].final_losses
    assert results.nets["wide"].label == "the same 1×8 net"


def test_a_net_trained_in_a_notebook_is_reused_by_the_site(root, capsys):
    extra = {"label": "1×3 SGD", "color": "#D55E00", "layers": [3], "epochs": 30}
    results = tn.experiment(data=TINY_DATA, nets={"extra": extra}, seeds=2,
                            frames={"count": 12}, root=root).train()
    assert "trained notebook/extra: 2 + 2 replication seeds in" in capsys.readouterr().out
    figure = results.nets["extra"].figure()
    assert figure._repr_html_().startswith('<figure class="tn-notebook-fallback"><img src="data:'
                                           "image/gif;base64,")  # rendered into the media cache
    post = root / "content" / "posts" / "tiny.md"
    text = post.read_text(encoding="utf-8")
    text = text.replace("seeds: 2\n", "  extra: {label: \"1×3 SGD\", color: \"#D55E00\", "
                        "layers: [3], epochs: 30}\nseeds: 2\n", 1)
    post.write_text(text + "\n{{ figure(nets['extra']) }}\n", encoding="utf-8")
    build = run_build(root, "--only", "tiny")
    assert build.returncode == 0, build.stdout + build.stderr
    assert re.search(r"^reused  tiny/extra \(trained in [0-9.]+s\)$", build.stdout, re.M)
    assert "reused  tiny/extra media" in build.stdout and "train   tiny/extra" not in build.stdout
    published = root / "build" / "docs" / "media" / "tiny" / "extra.gif"
    assert published.read_bytes() == figure.files()[".gif"].read_bytes()


def test_a_figure_is_the_sites_figure_data_and_media(tiny, root):
    wide = tiny.nets["wide"]
    figure = wide.figure()
    widget = figure.widget()
    assert (widget.kind, widget.autoplay) == ("figure", False)
    decoded = figure_data.read(widget.files[0]).nets[0]
    arrays = RunStore(root / "build" / "cache" / "runs").load_arrays(wide._shown.run.key)
    assert (decoded.name, decoded.label, decoded.shown_seed) == ("wide", "1×8 SGD",
                                                                 wide.representative_seed)
    assert decoded.predictions.shape[1] == 2  # the shown seeds 0 and 1 (not 2, 3: replication)
    assert np.abs(decoded.predictions - arrays["predictions"][:, :2]).max() \
        <= decoded.tolerance + 1e-7
    docs = root / "build" / "docs" / "media" / "tiny"
    assert widget.files[0] == (docs / "wide.tnfd").read_bytes()  # the site's own data file
    data, metadata = figure._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
    assert data["text/plain"] == f"<tinynets figure figure: {figure.caption}>"
    assert f'src="data:image/gif;base64,' in data["text/html"]
    for suffix, published in ((".gif", "wide.gif"), (".webm", "wide.webm"),
                              (".png", "wide.png")):
        assert figure.files()[suffix].read_bytes() == (docs / published).read_bytes()
    saved = figure.save(root / "saved" / "wide.webm")
    assert saved.read_bytes() == (docs / "wide.webm").read_bytes()
    assert wide.loss_plot().save(root / "saved" / "loss.svg").read_bytes() \
        == (docs / "wide-loss.svg").read_bytes()
    with pytest.raises(TinynetsError) as caught:
        figure.save(root / "saved" / "wide.svg")
    assert str(caught.value) == ("wide.svg: a figure figure is saved as .gif, .png, .webm; give "
                                 "the file one of those suffixes.")
    units = wide.figure(units=True).widget()
    assert units.kind == "units" and len(units.files) == 2
    assert tiny.compare(["deep", "wide"]).widget().kind == "compare"
    assert len(tiny.comparison().widget().files) == 2
    assert "<figcaption>1×8 SGD: seed" in wide.figure(fallback=None)._repr_html_()


def test_the_widget_carries_the_sites_browser_module_for_every_kind():
    assets = REPO / "templates" / "assets"
    kinds = sorted(path.stem for path in (assets / "figures" / "kinds").glob("*.js"))
    assert len(kinds) >= 13
    for kind in kinds:
        files, modules = sources(assets, (kind,))
        assert f"figures/kinds/{kind}.js" in modules and "figures/core.js" in modules
        for path in modules:  # the modules' text is the site's but for the pointers
            original = (assets / path).read_text(encoding="utf-8")
            restored = re.sub(r'"tinynets-module:([^"]+)"', lambda match: '"<module>"',
                              files[path])
            assert "import.meta" not in files[path]
            assert len(restored.splitlines()) - len(original.splitlines()) in (0, 1)
        assert files["vendor/uplot/uPlot.iife.min.js"] == (
            assets / "vendor/uplot/uPlot.iife.min.js").read_text(encoding="utf-8")
    module = widget_module(assets, ("figure",))
    assert module.startswith("/* tinynets figures for a notebook. Carries uPlot 1.6.32")
    assert "export default { render };" in module and "fetch(" not in module.split(
        "const BUNDLE")[0]


def test_a_module_the_loader_could_not_carry_is_refused():
    with pytest.raises(BundleError) as caught:
        module_text("figures/x.js", 'const here = join("./y.js", import.meta.url);')
    assert str(caught.value) == ("figures/x.js: import.meta.url used other than as new URL(…, "
                                 "import.meta.url)")
    with pytest.raises(BundleError) as caught:
        module_text("figures/x.js", "const here = import.meta.url;")
    assert str(caught.value) == ("figures/x.js: reads import.meta other than as new URL(…, "
                                 "import.meta.url)")
    with pytest.raises(BundleError) as caught:
        module_text("figures/x.js", "const base = import.meta.resolve('./y.js');")
    assert str(caught.value) == ("figures/x.js: reads import.meta other than as new URL(…, "
                                 "import.meta.url)")
    text, needs = module_text("figures/kinds/a.js",
                              'const url = new URL("../vendor/b.js", import.meta.url).href;')
    assert text == ('import { asset as __tinynetsAsset } from "tinynets-module:registry";\n'
                    'const url = new URL(__tinynetsAsset("figures/kinds/a.js", '
                    '"../vendor/b.js")).href;')
    assert needs == set()


def test_import_tinynets_stays_cheap():
    probe = ("import sys, tinynets; tinynets.experiment; print(sorted(m for m in ('numpy', "
             "'tensorflow', 'keras', 'matplotlib', 'anywidget', 'ipywidgets') if m in "
             "sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
