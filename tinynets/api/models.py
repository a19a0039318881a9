"""The trained nets themselves: a recorded seed's weights in a plain ``keras.Sequential``.

The run cache keeps every seed's final weights and its weights at every frame epoch (each with
a leading seeds axis); a seed's model is the net as a reader writes it for ``model.fit``
(``engine.model.build_reference_model``: Dense layers of the net's widths and activation, a
linear output, or a sigmoid on classification data) with that seed's slice of them. Its
predictions on the recording's grid are the recorded ones (float32; a test holds them to
1e-5). On the plane the model's inputs are the features the net saw (``data.features``, in
that order); ``engine.plane.features(points, names)`` makes them from points.

Importing Keras (and TensorFlow) is the cost of the first model: a few seconds.

Example (``net`` from ``tinynets.post(…).nets[…]``)::

    model = net.keras_model()                 # the median seed, after training
    model.predict(numpy.array([[0.5]]))
    early = net.keras_model(seed=3, epoch=120)    # seed 3 at a recorded frame epoch
"""

from __future__ import annotations

from pathlib import Path

from tinynets.errors import TinynetsError


def _frame(frame_epochs, epoch: int, name: str) -> int:
    """The index of ``epoch`` among the recorded frame epochs; an error naming the nearest."""
    epochs = [int(value) for value in frame_epochs]
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch not in epochs:
        before = [value for value in epochs if isinstance(epoch, int) and value < epoch]
        after = [value for value in epochs if isinstance(epoch, int) and value > epoch]
        near = ", ".join(str(value) for value in (before[-1:] + after[:1])) or str(epochs[-1])
        raise TinynetsError(f"{name}.keras_model(epoch={epoch!r}): weights are recorded at the "
                            f"frame epochs only ({len(epochs)} of them, {epochs[0]} to "
                            f"{epochs[-1]}); the nearest: {near}. None gives the final "
                            "weights.")
    return epochs.index(epoch)


def keras_model(shown, cache: Path, result, seed: int | None, epoch: int | None):
    """``shown``'s model for ``seed`` (default: its median seed) after ``epoch`` (None: the
    end of training); ``result`` is its ``NetResult`` (its seeds: the shown ones, never the
    replication seeds the run trained with them)."""
    from tinynets.engine.store import seed_weights
    from tinynets.media.shown import shown_arrays

    name = f"nets[{result.name!r}]"
    seeds = [int(value) for value in result.seeds]
    seed = result.representative_seed if seed is None else seed
    if hasattr(seed, "__index__") and not isinstance(seed, bool):
        seed = seed.__index__()  # numpy's integers too
    if isinstance(seed, bool) or not isinstance(seed, int) or seed not in seeds:
        replication = shown.run.replication_seeds
        raise TinynetsError(f"{name}.keras_model(seed={seed!r}): the net's shown seeds are "
                            f"{', '.join(map(str, seeds))}" + (
                                f" (its replication seeds, {', '.join(map(str, replication))}, "
                                "only check claims)" if replication else "") + ".")
    arrays = shown_arrays(shown.run, cache)  # columns in the order of result.seeds
    frame = None if epoch is None else _frame(arrays["frame_epochs"], epoch, name)
    from tinynets.engine.model import build_reference_model

    model = build_reference_model(shown.net)
    model.set_weights(seed_weights(arrays, seeds.index(seed), frame))
    return model
