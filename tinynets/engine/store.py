"""The cache of trained runs: build/cache/runs/<fingerprint>/{arrays.npz, meta.json}.

A run's fingerprint covers its canonical spec (data, net, seeds, frames) and what else changes
the numbers: the training code version and the keras / tensorflow / numpy versions. An entry is
written atomically (whole folder renamed into place) and checked on read (meta.json parses,
arrays.npz has the recorded hash); a corrupt entry is reported and retrained, never used.

Hashing every entry's arrays on every build cost a warm build a twentieth of a second, so a
file whose hash was checked is remembered in build/cache/verified.json by its size, times and
inode: any write to it changes its change time, and it is hashed again.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tinynets.errors import CorruptEntry
from tinynets import atomic
from tinynets.engine.data import GRID_POINTS, frame_epochs
from tinynets.engine.fingerprint import TRAINING_CODE_VERSION, canonical_json, digest, library_versions
from tinynets.errors import display_path
from tinynets.posts.model import DataSpec, FramesSpec, NetSpec

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class RunKey:
    """Everything that decides a run's numbers, as plain JSON-able values."""

    spec: dict

    @property
    def fingerprint(self) -> str:
        return digest(self.spec)


def run_key(data: DataSpec, net: NetSpec, seeds: tuple[int, ...], frames: FramesSpec) -> RunKey:
    return RunKey({
        "data": data.canonical(),
        "net": net.canonical(),
        "seeds": list(seeds),
        "frames": frame_epochs(net.epochs, frames.count, frames.spacing),
        "grid": GRID_POINTS,
        "training_code": TRAINING_CODE_VERSION,
        "recorded": RECORDED,
        **library_versions(),
    })


# What an entry records besides losses and predictions. Part of the key, so that an entry
# written before the weights at the frame epochs were kept is a cache miss, retrained with the
# reason "recorded none → weights at frames" (its numbers would be the same: no version bump).
RECORDED = "weights at frames"


# Keys derived from others (the frame epochs follow the epochs): named only when alone.
DERIVED = {"frames"}


def describe_change(old: dict, new: dict) -> str:
    """What differs between two run specs, briefly: 'epochs 5000 → 6000; seeds 10 → 12'.

    Changes are separated by semicolons, since a value may be a list with commas of its own:
    'epochs 5000 → 6000; layers [60] → [10, 10]'.
    """
    differences = list(_diff(old, new, ""))
    if any(name not in DERIVED for name, _, _ in differences):
        differences = [item for item in differences if item[0] not in DERIVED]
    changes = [f"{name} {_short(name, old_value)} → {_short(name, new_value)}"
               if name != "csv_sha256" else  # the author's CSV file was edited
               f"{new['data'].get('file', 'the data file')} changed (content hash "
               f"{old_value} → {new_value})"
               for name, old_value, new_value in differences]
    return "; ".join(changes) or "cache entry missing"


def _diff(old, new, prefix):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from _diff(old.get(key), new.get(key), key)
    elif old != new:
        yield prefix, old, new


def _short(name: str, value) -> str:
    if name == "seeds" and isinstance(value, list) and value == list(range(len(value))):
        return str(len(value))  # seeds: 10 means 0 … 9
    if isinstance(value, list) and len(value) > 4:
        return f"{len(value)} values"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "none" if value is None else str(value)


class RunStore:
    """Read and write trained runs under ``root`` (build/cache/runs)."""

    def __init__(self, root: Path):
        self.root = root
        self._verified: dict | None = None  # fingerprint → stamp of the arrays last hashed
        self._verified_changed = False

    @property
    def _verified_path(self) -> Path:
        return self.root.parent / "verified.json"

    def _stamps(self) -> dict:
        if self._verified is None:
            try:
                self._verified = dict(json.loads(self._verified_path.read_text("utf-8")))
            except (OSError, ValueError, TypeError):
                self._verified = {}
        return self._verified

    def _remember_verified(self, key: RunKey, stamp: list) -> None:
        self._stamps()[key.fingerprint] = stamp
        self._verified_changed = True

    def keep_verified(self) -> None:
        """Write what was hashed (or saved) since the last call to verified.json, in one go:
        the training stage calls it once, after loading and saving every run it needs."""
        if not self._verified_changed:
            return
        try:
            atomic.write_text(self._verified_path, canonical_json(self._verified))
            self._verified_changed = False
        except OSError:
            pass  # only costs the next build a hash

    def path(self, key: RunKey) -> Path:
        return self.root / key.fingerprint

    def load_meta(self, key: RunKey) -> dict | None:
        """The entry's metadata if it is complete and intact, None if absent.

        Raises CorruptEntry (and removes the entry) when it is partial or damaged.
        """
        folder = self.path(key)
        if not folder.exists():
            return None
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            stamp = _stamp(folder / "arrays.npz") + [meta["arrays_sha256"]]
            if self._stamps().get(key.fingerprint) != stamp:
                arrays = (folder / "arrays.npz").read_bytes()
                if hashlib.sha256(arrays).hexdigest() != meta["arrays_sha256"]:
                    raise ValueError("arrays.npz does not match the hash recorded in meta.json")
                self._remember_verified(key, stamp)
            if meta["spec"] != key.spec:
                raise ValueError("meta.json records another spec than its fingerprint")
        except (OSError, ValueError, KeyError, TypeError) as error:
            shutil.rmtree(folder, ignore_errors=True)
            raise CorruptEntry(f"{folder}: {error}") from None
        return {**meta, **self._places(key)}  # not stored: where its files are

    def load_arrays(self, key: RunKey) -> dict[str, np.ndarray]:
        return read_arrays(self.path(key) / "arrays.npz")

    def save(self, key: RunKey, net: NetSpec, recording) -> dict:
        """Write a finished recording (a Recording, or its ``plain_recording`` form); return its
        metadata. Only the build process calls this: workers hand their recordings back."""
        import numpy as np

        fields = recording if isinstance(recording, dict) else plain_recording(recording)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            **{name: fields[name] for name in ARRAYS},
            **{name: fields[name] for name in OPTIONAL_ARRAYS if fields.get(name) is not None},
            **{f"weight_{index}": weight for index, weight in enumerate(fields["weights"])},
            **{f"frame_weight_{index}": weight
               for index, weight in enumerate(fields.get("frame_weights") or [])},
        )
        arrays = buffer.getvalue()
        meta = {
            "spec": key.spec,
            "net": net.name,
            "parameters": net.parameters,
            "wall_time": round(fields["wall_time"], 3),
            "seeds": [int(seed) for seed in fields["seeds"]],
            "final_losses": [_finite_or_none(v) for v in fields["losses"][-1]],
            "diverged_at": diverged_at(fields["losses"]),
            # Data with a test set, classification: the final values per seed (None if absent).
            **{f"final_{name}": [_finite_or_none(v) for v in fields[name][-1]]
               for name in OPTIONAL_ARRAYS if fields.get(name) is not None},
            "arrays_sha256": hashlib.sha256(arrays).hexdigest(),
        }
        with atomic.folder(self.path(key), replace=self.path(key).exists()) as folder:
            (folder / "arrays.npz").write_bytes(arrays)
            (folder / "meta.json").write_text(canonical_json(meta), encoding="utf-8")
        # Values derived from an earlier training of the same key go: a forced retrain under
        # other XLA flags or on another CPU may have recorded other numbers.
        Path(self._places(key)["derived_path"]).unlink(missing_ok=True)
        # Its hash is known: the next build need not compute it again. (If another build's copy
        # was kept instead, its stamp and recorded hash differ from these, and it is hashed.)
        self._remember_verified(key, _stamp(self.path(key) / "arrays.npz")
                                + [meta["arrays_sha256"]])
        return {**meta, **self._places(key)}

    def _places(self, key: RunKey) -> dict[str, str]:
        """Where an entry's arrays are, and where values derived from them are kept
        (build/cache/derived, beside runs/: see ``measure.derived.KeptValues``)."""
        return {"arrays_path": str(self.path(key) / "arrays.npz"),
                "derived_path": str(self.root.parent / "derived" / f"{key.fingerprint}.json")}


def _stamp(path: Path) -> list[int]:
    """What changes whenever a file is written: size, modification and change times, inode."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def read_arrays(path) -> dict[str, np.ndarray]:
    """Every array of an entry's arrays.npz (``meta["arrays_path"]`` says where it is)."""
    import numpy as np  # a warm build reads metadata only, and imports numpy only to derive

    with np.load(path) as arrays:
        return {name: arrays[name] for name in arrays.files}


def seed_weights(arrays: dict, column: int, frame: int | None = None) -> list[np.ndarray]:
    """One seed's weights from an entry's arrays (kernel, bias, …, the output layer's last), as
    a Keras model's ``set_weights`` takes them: its final weights, or those at frame index
    ``frame``. ``column`` is the seed's place in ``arrays["seeds"]``."""
    if frame is None:
        count = sum(1 for name in arrays if name.startswith("weight_"))
        return [arrays[f"weight_{index}"][column] for index in range(count)]
    count = sum(1 for name in arrays if name.startswith("frame_weight_"))
    return [arrays[f"frame_weight_{index}"][frame, column] for index in range(count)]


ARRAYS = ("seeds", "frame_epochs", "grid", "predictions", "losses", "fit_losses")
# Recorded on data with a test set (the plane, 2-column files); accuracies for classification.
OPTIONAL_ARRAYS = ("test_losses", "accuracy", "test_accuracy")


def plain_recording(recording) -> dict:
    """A recording as plain values (numpy arrays, a list of them, a float).

    This is what a worker sends back: unpickling it needs numpy only, never TensorFlow or the
    training module, so the build process can write the cache without importing either.
    """
    import numpy as np

    fields = {name: np.asarray(getattr(recording, name)) for name in ARRAYS}
    for name in OPTIONAL_ARRAYS:
        value = getattr(recording, name, None)
        fields[name] = None if value is None else np.asarray(value)
    fields["weights"] = [np.asarray(weight) for weight in recording.weights]
    fields["frame_weights"] = [np.asarray(weight)
                               for weight in getattr(recording, "frame_weights", None) or []]
    fields["wall_time"] = float(recording.wall_time)
    return fields


def diverged_at(losses: np.ndarray) -> list[int | None]:
    """Per seed, the first epoch (1-based) whose loss is NaN or infinite, else None."""
    import numpy as np

    result = []
    for column in losses.T:
        bad = np.flatnonzero(~np.isfinite(column))
        result.append(int(bad[0]) + 1 if bad.size else None)
    return result


def _finite_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


class RunIndex:
    """Which run spec each (post, net) used last, to say why a net retrained.

    The index only explains retraining: when it cannot be read (not JSON, or JSON that is not
    an object, e.g. ``[]``), it is reported in one line and started afresh; the runs are kept.
    """

    def __init__(self, path: Path, log=lambda message: None):
        self.path = path
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError):
            entries = _NOT_JSON
        if not isinstance(entries, dict):
            log(f"{display_path(path)}: corrupt cache index ({_json_kind(entries)}, not a JSON object): "
                "rebuilding it (the trained runs themselves are kept)")
            entries = {}
        self.entries: dict = entries

    def previous(self, post_slug: str, net_name: str):
        """What the index holds for (post, net): a spec (a dict) if intact, anything if not."""
        return self.entries.get(f"{post_slug}/{net_name}")

    def reason(self, post_slug: str, net_name: str, key: RunKey) -> str:
        """Why (post, net) trains: 'never trained', what changed, or an unreadable entry."""
        previous = self.previous(post_slug, net_name)
        if previous is None:
            return "never trained"
        if not _readable_spec(previous):
            return "its entry in the cache index was unreadable"
        return describe_change(previous, key.spec)

    def record(self, post_slug: str, net_name: str, key: RunKey) -> None:
        self.entries[f"{post_slug}/{net_name}"] = key.spec

    def save(self) -> None:
        atomic.write_text(self.path, canonical_json(self.entries))


_NOT_JSON = object()


def _json_kind(value) -> str:
    """What a JSON value is, as a person would say it: 'a list', 'null', 'not JSON'."""
    if value is _NOT_JSON:
        return "not JSON"
    if value is None:
        return "null"
    kinds = {list: "a list", str: "a string", bool: "a boolean", int: "a number",
             float: "a number"}
    return kinds.get(type(value), "not an object")


def _readable_spec(entry) -> bool:
    """Whether an index entry has a run spec's shape (a mapping whose parts are what
    ``run_key`` writes), so that ``describe_change`` names fields, not whole dictionaries."""
    return (isinstance(entry, dict) and isinstance(entry.get("data"), dict)
            and isinstance(entry.get("net"), dict))
