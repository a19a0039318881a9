"""A net's median seed as a Keras model file (``.keras``), the download beside its figure.

The model is the net as a reader writes it for ``model.fit`` (``engine.model
.build_reference_model``) holding the final weights of the seed the figure follows; Keras'
own ``model.save`` writes it. Keras stamps the file with the time it was saved (in
metadata.json, and as the time of one of the archive's members) and numbers the objects its
config shares by their address in memory: the stamps are taken out and the numbers made 1, 2, …
in order, so the same run always gives the same bytes, as every medium does.

Example (``run`` a trained run, ``cache`` the build's cache)::

    write_model(run, net, folder / "model.keras", cache)
    keras.saving.load_model(folder / "model.keras").predict(x)
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path

from tinynets.engine.store import seed_weights
from tinynets.measure.finals import ranking, representative_seed
from tinynets.media.shown import shown_arrays, shown_meta

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip archive can say


def write_model(run, net, path: Path, cache: Path) -> None:
    """``net``'s median seed after training, as ``path`` (a .keras file)."""
    from tinynets.engine.model import build_reference_model  # Keras: only when one is made

    arrays = shown_arrays(run, cache)  # the page's seeds, never the replication ones
    seeds = [int(seed) for seed in arrays["seeds"]]
    column = seeds.index(representative_seed(seeds, ranking(shown_meta(run))))
    model = build_reference_model(net)
    model.set_weights(seed_weights(arrays, column))
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        saved = Path(folder) / "model.keras"
        model.save(saved)
        _without_times(saved, path)


def _numbered(config: str) -> str:
    """Keras' ``shared_object_id``s (addresses in memory) as 1, 2, … in order of appearance.

    >>> _numbered('{"a": {"shared_object_id": 1403}, "b": {"shared_object_id": 1403}}')
    '{"a": {"shared_object_id": 1}, "b": {"shared_object_id": 1}}'
    """
    numbers: dict[str, int] = {}

    def number(match: re.Match) -> str:
        numbers.setdefault(match.group(1), len(numbers) + 1)
        return f'"shared_object_id": {numbers[match.group(1)]}'

    return re.sub(r'"shared_object_id": (\d+)', number, config)


def _without_times(source: Path, target: Path) -> None:
    """The archive ``source`` again as ``target``, its members in the same order, with a fixed
    time and without the saving date Keras writes into metadata.json."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as copy:
        for member in archive.infolist():
            content = archive.read(member)
            if member.filename == "metadata.json":
                metadata = json.loads(content)
                metadata.pop("date_saved", None)
                content = json.dumps(metadata).encode("utf-8")
            elif member.filename == "config.json":
                content = _numbered(content.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(member.filename, FIXED_TIME)
            fixed.compress_type = member.compress_type
            fixed.external_attr = member.external_attr
            copy.writestr(fixed, content)
