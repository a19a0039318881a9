"""The trained nets themselves: ``net.keras_model(seed=…, epoch=…)`` predicts what the engine
recorded, on a line and on the plane, and the site's .keras download beside a figure is the
median seed's model, loaded back by Keras, the same bytes every time it is written."""

from __future__ import annotations

import numpy as np
import pytest

import tinynets as tn
from support import copy_built
from tinynets.engine.plane import plane_arrays
from tinynets.engine.store import RunStore

TIGHT = 1e-5  # float32 sums in another order: the recorded values to within this


@pytest.fixture(scope="module")
def root(built_project, tmp_path_factory):
    return copy_built(built_project, tmp_path_factory.mktemp("models") / "project")


def _arrays(root, net):
    return RunStore(root / "build" / "cache" / "runs").load_arrays(net._shown.run.key)


def test_every_seeds_model_predicts_what_was_recorded_at_the_end_and_at_a_frame(root):
    import keras

    tiny = tn.post("tiny", root=root, quiet=True)
    for name in ("wide", "deep"):
        net = tiny.nets[name]
        arrays = _arrays(root, net)
        grid = arrays["grid"][:, None]
        seeds = [int(seed) for seed in arrays["seeds"]]
        # the run's columns hold the replication seeds 2 and 3 too: models are of 0 and 1 only
        assert [int(seed) for seed in net.seeds] == seeds[:2] == [0, 1] and len(seeds) == 4
        for column, seed in enumerate(seeds[:2]):
            model = net.keras_model(seed=seed)
            assert isinstance(model, keras.Sequential)
            assert [layer.units for layer in model.layers] == [*net.spec.layers, 1]
            predicted = model.predict(grid, verbose=0)[:, 0]
            assert np.abs(predicted - arrays["predictions"][-1, column]).max() <= TIGHT
        frame = 5
        epoch = int(arrays["frame_epochs"][frame])
        early = net.keras_model(epoch=epoch)  # the median seed, after ``epoch`` epochs
        column = seeds.index(net.representative_seed)
        assert np.abs(early.predict(grid, verbose=0)[:, 0]
                      - arrays["predictions"][frame, column]).max() <= TIGHT
        untrained = net.keras_model(seed=1, epoch=0)
        assert np.abs(untrained.predict(grid, verbose=0)[:, 0]
                      - arrays["predictions"][0, 1]).max() <= TIGHT
        assert early.optimizer.__class__.__name__.lower() == net.spec.optimizer


def test_a_plane_nets_model_takes_its_features_and_gives_the_recorded_probabilities(root):
    plane = tn.post("plane", root=root, quiet=True)
    for name in plane.nets:
        net = plane.nets[name]
        arrays = _arrays(root, net)
        split = plane_arrays(plane._source.post.data)
        model = net.keras_model()
        column = [int(seed) for seed in arrays["seeds"]].index(net.representative_seed)
        predicted = model.predict(split.grid_inputs, verbose=0)[:, 0]
        assert np.abs(predicted - arrays["predictions"][-1, column]).max() <= TIGHT
        assert model.layers[-1].activation.__name__ == "sigmoid"


def test_the_sites_keras_download_is_the_median_seeds_model(root, tmp_path):
    import keras

    from tinynets.media.model_file import write_model

    tiny = tn.post("tiny", root=root, quiet=True)
    wide = tiny.nets["wide"]
    published = root / "build" / "site" / "media" / "tiny" / "wide.keras"
    page = (root / "build" / "site" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert ('<a class="tn-download" href="../media/tiny/wide.keras" download>the Keras '
            'model</a>') in page
    loaded = keras.saving.load_model(published)
    arrays = _arrays(root, wide)
    column = [int(seed) for seed in arrays["seeds"]].index(wide.representative_seed)
    predicted = loaded.predict(arrays["grid"][:, None], verbose=0)[:, 0]
    assert np.abs(predicted - arrays["predictions"][-1, column]).max() <= TIGHT
    # written again, byte for byte the same (Keras' time stamps are taken out)
    again = tmp_path / "again.keras"
    write_model(wide._shown.run, wide._shown.net, again, root / "build" / "cache")
    assert again.read_bytes() == published.read_bytes()
