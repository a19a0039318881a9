"""The run cache: fingerprints, change descriptions, atomic entries, corrupt entries refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from store_support import NET, SMALL, key, recording
from tinynets.engine.data import frame_epochs
from tinynets.engine.fingerprint import library_versions
from tinynets.posts.model import DataSpec, FramesSpec, NetSpec
from tinynets.engine.store import RunIndex, RunKey, RunStore, describe_change, diverged_at
from tinynets.errors import CorruptEntry
from tinynets.engine.recording import Recording


def replaced(net: NetSpec, **changes) -> NetSpec:
    return NetSpec(**{**net.__dict__, **changes})


def test_fingerprint_follows_what_changes_the_numbers():
    base = key()
    assert base.fingerprint == key().fingerprint  # stable
    changed = {
        "epochs": key(replaced(NET, epochs=6000)),
        "learning rate": key(replaced(NET, learning_rate=0.02)),
        "seeds": key(seeds=tuple(range(12))),
        "data": key(data=DataSpec("sine", (-3.0, 3.0), 100, 0.2, 0, frequency=2.0)),
        "frames": key(frames=FramesSpec(count=100)),
        "tensorflow": RunKey({**base.spec, "tensorflow": "0.0.1"}),
        "training code": RunKey({**base.spec, "training_code": -1}),
    }
    fingerprints = {name: k.fingerprint for name, k in changed.items()}
    assert base.fingerprint not in fingerprints.values()
    assert len(set(fingerprints.values())) == len(fingerprints)
    # The label is for readers only: it does not change the numbers.
    assert key(replaced(NET, label="Wide SGD")).fingerprint == base.fingerprint
    assert base.spec["tensorflow"] == library_versions()["tensorflow"] != "missing"


def test_describe_change_names_what_changed():
    base = key().spec
    assert describe_change(base, key(replaced(NET, epochs=6000)).spec) == "epochs 5000 → 6000"
    assert describe_change(base, key(seeds=tuple(range(12))).spec) == "seeds 10 → 12"
    assert (describe_change(base, {**base, "tensorflow": "9.9.9"})
            == f"tensorflow {base['tensorflow']} → 9.9.9")
    assert (describe_change(base, key(replaced(NET, learning_rate=0.02, optimizer="adam")).spec)
            == "learning_rate 0.01 → 0.02; optimizer sgd → adam")
    # Changes are separated by semicolons: a list's own commas cannot run into them.
    assert (describe_change(base, key(replaced(NET, layers=(10, 10), epochs=6000)).spec)
            == "epochs 5000 → 6000; layers [60] → [10, 10]")
    assert describe_change(base, key(frames=FramesSpec(count=100)).spec) == \
        "frames 150 values → 100 values"
    assert describe_change(base, base) == "cache entry missing"


@pytest.fixture
def saved(tmp_path) -> tuple[RunStore, RunKey, Recording]:
    store = RunStore(tmp_path / "runs")
    small_key = key(SMALL, (0, 1), frames=FramesSpec(count=3))
    result = recording()
    store.save(small_key, SMALL, result)
    return store, small_key, result


def test_save_writes_a_whole_entry_and_reads_it_back(saved):
    store, small_key, result = saved
    folder = store.path(small_key)
    assert sorted(p.name for p in folder.parent.iterdir()) == [small_key.fingerprint]
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "meta.json"]
    meta = store.load_meta(small_key)
    assert meta["spec"] == small_key.spec and meta["parameters"] == 13
    assert meta["seeds"] == [0, 1] and meta["diverged_at"] == [None, None]
    assert meta["final_losses"] == pytest.approx(result.losses[-1].tolist())
    arrays = store.load_arrays(small_key)
    np.testing.assert_array_equal(arrays["predictions"], result.predictions)
    np.testing.assert_array_equal(arrays["weight_1"], result.weights[1])


def test_a_retrained_run_forgets_the_values_derived_from_its_last_training(saved):
    # A forced retrain under other XLA flags may record other numbers under the same key: the
    # kept values (measure.kept_values) of the earlier arrays must not be read for the new ones.
    store, small_key, result = saved
    derived = Path(store.load_meta(small_key)["derived_path"])
    derived.parent.mkdir(parents=True, exist_ok=True)
    derived.write_text('{"version": "x", "values": {"\\"noise_free\\"": [[0.5]]}}')
    store.save(small_key, SMALL, result)
    assert not derived.exists()
    assert store.load_meta(small_key)["derived_path"] == str(derived)


def test_nonfinite_losses_are_recorded_as_divergence(tmp_path):
    result = recording(seeds=(0, 1, 2))
    result.losses[3:, 1] = np.nan
    result.losses[4, 2] = np.inf  # a blip: its last epoch is finite again
    assert diverged_at(result.losses) == [None, 4, 5]
    store = RunStore(tmp_path)
    meta = store.save(key(SMALL, (0, 1, 2)), SMALL, result)
    assert meta["diverged_at"] == [None, 4, 5]
    assert meta["final_losses"][1] is None and meta["final_losses"][2] is not None
    json.loads((store.path(key(SMALL, (0, 1, 2))) / "meta.json").read_text())  # valid JSON


def _truncate(folder: Path):
    data = (folder / "arrays.npz").read_bytes()
    (folder / "arrays.npz").write_bytes(data[: len(data) // 2])


def _bad_json(folder: Path):
    (folder / "meta.json").write_text('{"spec": ', encoding="utf-8")


def _missing(folder: Path):
    (folder / "arrays.npz").unlink()


def _flipped_byte(folder: Path):
    data = bytearray((folder / "arrays.npz").read_bytes())
    data[-100] ^= 0xFF
    (folder / "arrays.npz").write_bytes(bytes(data))


def _other_spec(folder: Path):
    meta = json.loads((folder / "meta.json").read_text())
    meta["spec"]["net"]["epochs"] = 7
    (folder / "meta.json").write_text(json.dumps(meta))


@pytest.mark.parametrize("damage, message", [
    (_truncate, "arrays.npz does not match the hash recorded in meta.json"),
    (_bad_json, "Expecting value"),
    (_missing, "No such file or directory"),
    (_flipped_byte, "arrays.npz does not match the hash recorded in meta.json"),
    (_other_spec, "meta.json records another spec than its fingerprint"),
])
def test_corrupt_entry_is_refused_and_removed(saved, damage, message):
    store, small_key, _ = saved
    damage(store.path(small_key))
    with pytest.raises(CorruptEntry, match=message):
        store.load_meta(small_key)
    assert not store.path(small_key).exists()
    assert store.load_meta(small_key) is None  # gone: the next build trains it again


def test_a_partial_temporary_folder_is_never_used(tmp_path):
    store = RunStore(tmp_path / "runs")
    small_key = key(SMALL, (0, 1), frames=FramesSpec(count=3))
    partial = store.root / f".{small_key.fingerprint}.x1y2.tmp"
    partial.mkdir(parents=True)
    (partial / "meta.json").write_text("{}")
    assert store.load_meta(small_key) is None
    store.save(small_key, SMALL, recording())
    assert store.load_meta(small_key)["net"] == "small"


def test_frames_in_the_key_are_the_frame_epochs():
    spec = key(SMALL, (0, 1), frames=FramesSpec(count=3)).spec
    assert spec["frames"] == frame_epochs(6, 3, "geometric")
    assert spec["seeds"] == [0, 1]


def test_a_plain_recording_saves_the_same_entry_and_needs_no_tensorflow(tmp_path):
    """What a worker sends back: plain arrays whose pickle names numpy only, never TensorFlow
    or the training module, and which the build process saves byte for byte as the original."""
    import pickle

    from tinynets.engine.store import plain_recording

    original = recording()
    plain = plain_recording(original)
    sent = pickle.dumps(plain)
    assert b"tensorflow" not in sent and b"tinynets" not in sent and b"keras" not in sent
    direct = RunStore(tmp_path / "a").save(key(), NET, original)
    relayed = RunStore(tmp_path / "b").save(key(), NET, pickle.loads(sent))
    # The same metadata; each read back names where its own arrays are.
    assert direct.pop("arrays_path").startswith(str(tmp_path / "a"))
    assert relayed.pop("arrays_path").startswith(str(tmp_path / "b"))
    assert direct == relayed
    for name in ("arrays.npz", "meta.json"):
        assert (RunStore(tmp_path / "a").path(key()) / name).read_bytes() == \
            (RunStore(tmp_path / "b").path(key()) / name).read_bytes()


@pytest.mark.parametrize("text, what", [("[]", "a list"), ("null", "null"),
                                        ('"runs"', "a string"), ("{not json", "not JSON")])
def test_an_index_that_is_not_a_json_object_is_called_corrupt_and_rebuilt(tmp_path, text, what):
    path = tmp_path / "index.json"
    path.write_text(text, encoding="utf-8")
    said = []
    index = RunIndex(path, said.append)
    assert said == [f"{path}: corrupt cache index ({what}, not a JSON object): rebuilding it "
                    "(the trained runs themselves are kept)"]
    index.record("post", "net", key())
    index.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"post/net": key().spec}
    assert RunIndex(path, said.append).previous("post", "net") == key().spec
    assert len(said) == 1  # the rebuilt index is read silently


def test_a_missing_index_is_silently_empty(tmp_path):
    said = []
    assert RunIndex(tmp_path / "index.json", said.append).entries == {} and said == []


@pytest.mark.parametrize("entry", [[1, 2], "spec", None, 7, {"net": "not a mapping"}])
def test_an_unreadable_index_entry_is_named_as_such_not_printed(tmp_path, entry):
    path = tmp_path / "index.json"
    path.write_text(json.dumps({"post/net": entry}), encoding="utf-8")
    reason = RunIndex(path).reason("post", "net", key())
    assert reason == ("its entry in the cache index was unreadable" if entry is not None
                      else "never trained")
    assert "wide-sgd" not in reason


def test_index_reason_names_the_change_or_a_first_training(tmp_path):
    index = RunIndex(tmp_path / "index.json")
    assert index.reason("post", "net", key()) == "never trained"
    index.record("post", "net", key())
    assert index.reason("post", "net", key(replaced(NET, epochs=6000))) == "epochs 5000 → 6000"
