"""Does the engine train the same problem as ``model.fit``? A check of distributions, not of runs.

``tests/test_train.py`` proves that the engine takes the same steps as ``model.fit`` from the
same initial weights and the same batch order. This check asks the other question: started from
their *own* random weights and shuffles, do the two land on the same distribution of final
errors? It trains each net three ways, on the reference data (100 noisy sine points):

- ``engine``: the compiled loop, ``--engine-seeds`` seeds at once;
- ``fit``: what a reader writes: ``keras.utils.set_random_seed(s)``, the plain Sequential model,
  ``model.fit(x, y, batch_size=32, shuffle=True)``;
- ``fit-reshuffled``: the same, but the points come from a ``tf.data`` pipeline that reshuffles
  every epoch (``Dataset.shuffle(reshuffle_each_iteration=True).batch(32)``: full batches in
  order, the last one short, as ``shuffle=True`` does).

Why the third arm: under ``set_random_seed``, Keras 3 (3.15, TensorFlow backend) shuffles the
arrays given to ``fit`` once and then visits the points in that *same order every epoch*
(``repeated_fit_order`` shows it), whereas the engine — like ``fit`` without a global seed —
draws a new order each epoch. The final error of every arm is measured the same way: the mean
squared error on all training points after the last epoch (not the running loss ``fit``
reports during an epoch).

Prints, per net, each arm's median and 10–90 % range of final errors and the two-sided
Mann–Whitney rank-sum p-value of each ``fit`` arm against the engine, e.g.::

    fit_check wide-sgd 300 epochs: engine median 0.1120 (10-90%: 0.108-0.116, 60 seeds)
    fit_check wide-sgd fit_p: 0.0202   fit_reshuffled_p: 0.7930   fit_vs_reshuffled_p: 0.0513

``make bench`` runs the defaults: 300 epochs, 60 engine seeds, 20 fit seeds per net, the two
nets in two processes (about five minutes on an idle 2-core machine); ``--reshuffled`` adds the
third arm (twice the fit time). README's table: ``--fit-seeds 24 --reshuffled``.

Example:
    $ python -m tinynets.bench.fit_check --epochs 300 --fit-seeds 24 --reshuffled
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np

from tinynets.engine.data import training_points
from tinynets.measure.stats import rank_sum_p
from tinynets.posts.model import DataSpec, NetSpec

DATA = DataSpec("sine", (-3.0, 3.0), points=100, noise=0.1, seed=0, frequency=2.0)
NETS = {
    "wide-sgd": dict(layers=(60,), optimizer="sgd", learning_rate=0.01),
    "deep-adam": dict(layers=(10, 10), optimizer="adam", learning_rate=0.001),
}
BATCH_SIZE = 32


def net_spec(name: str, epochs: int) -> NetSpec:
    return NetSpec(name=name, batch_size=BATCH_SIZE, epochs=epochs, **NETS[name])


def engine_errors(net: NetSpec, seeds: list[int]) -> np.ndarray:
    """Final error on all training points of each seed, trained by the compiled loop."""
    from tinynets.engine import loop

    recording = loop.train_net(DATA, net, tuple(seeds), [0, net.epochs])
    return recording.losses[-1].astype(np.float64)


def fit_error(net: NetSpec, seed: int, reshuffle: bool) -> float:
    """Final error on all training points of one seed trained by ``model.fit``."""
    import keras
    import tensorflow as tf

    from tinynets.engine.model import build_reference_model

    x_values, y_values = training_points(DATA)
    x_column, y_column = x_values[:, None], y_values[:, None]
    keras.utils.set_random_seed(seed)
    model = build_reference_model(net)
    if reshuffle:
        warnings.filterwarnings("ignore", message=".*shuffle=True. was passed")
        points = tf.data.Dataset.from_tensor_slices((x_column, y_column)).shuffle(
            len(x_values), seed=seed, reshuffle_each_iteration=True).batch(net.batch_size)
        model.fit(points, epochs=net.epochs, verbose=0)
    else:
        model.fit(x_column, y_column, batch_size=net.batch_size, epochs=net.epochs,
                  shuffle=True, verbose=0)
    predicted = np.asarray(model(x_column, training=False))[:, 0]
    return float(np.mean((predicted.astype(np.float64) - y_values) ** 2))


def repeated_fit_order(seed: int = 1, points: int = 10, batch_size: int = 4,
                       epochs: int = 3) -> list[list[int]]:
    """The order in which ``model.fit(shuffle=True)`` under ``set_random_seed(seed)`` visits
    the points, one list per epoch (a layer notes the inputs it sees; x is the point's index)."""
    import keras
    import tensorflow as tf

    seen: list[list[int]] = []

    def note(batch):
        seen.append([int(value) for value in batch[:, 0]])
        return batch

    class Spy(keras.layers.Layer):
        def call(self, inputs):
            outputs = tf.numpy_function(note, [inputs], tf.float32)
            outputs.set_shape(inputs.shape)
            return outputs

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((1,)), Spy(), keras.layers.Dense(1)])
    model.compile("sgd", "mse", jit_compile=False)
    indices = np.arange(points, dtype=np.float32)[:, None]
    model.fit(indices, indices, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0)
    per_epoch = -(-points // batch_size)
    return [sum(seen[start:start + per_epoch], []) for start in range(0, len(seen), per_epoch)]


def summary(errors: np.ndarray) -> str:
    low, high = np.percentile(errors, [10, 90])
    return (f"median {np.median(errors):.4f} (10-90%: {low:.3f}-{high:.3f}, "
            f"{len(errors)} seeds)")


def check(name: str, epochs: int, engine_seeds: int, fit_seeds: int, first_fit_seed: int,
          reshuffled: bool = True, log=print) -> dict:
    """Train ``name`` the engine's way and fit's (and reshuffled fit's); log and return the
    errors and p-values."""
    from tinynets.engine.loop import limit_threads

    limit_threads(1)
    net = net_spec(name, epochs)
    started = time.perf_counter()
    engine = engine_errors(net, list(range(engine_seeds)))
    arms = {"engine": engine}
    for arm, reshuffle in (("fit", False), ("fit_reshuffled", True)):
        if reshuffle and not reshuffled:
            continue
        seeds = range(first_fit_seed, first_fit_seed + fit_seeds)
        arms[arm] = np.asarray([fit_error(net, seed, reshuffle) for seed in seeds])
    for arm, errors in arms.items():
        log(f"fit_check {name} {epochs} epochs: {arm} {summary(errors)}")
    result = {arm: errors.tolist() for arm, errors in arms.items()}
    result["fit_p"] = rank_sum_p(arms["fit"], engine)
    line = f"fit_check {name} fit_p: {result['fit_p']:.4f}"
    if reshuffled:
        result["fit_reshuffled_p"] = rank_sum_p(arms["fit_reshuffled"], engine)
        result["fit_vs_reshuffled_p"] = rank_sum_p(arms["fit"], arms["fit_reshuffled"])
        line += (f"   fit_reshuffled_p: {result['fit_reshuffled_p']:.4f}   "
                 f"fit_vs_reshuffled_p: {result['fit_vs_reshuffled_p']:.4f}")
    log(f"{line}   ({time.perf_counter() - started:.0f} s)")
    return result


def _check_in_worker(arguments: tuple) -> dict:
    """``check`` in a worker process (spawned: TensorFlow does not survive a fork)."""
    return check(*arguments, log=lambda line: print(line, flush=True))


def main(arguments: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--engine-seeds", type=int, default=60)
    parser.add_argument("--fit-seeds", type=int, default=20)
    parser.add_argument("--first-fit-seed", type=int, default=1000,
                        help="fit's seeds are other numbers than the engine's")
    parser.add_argument("--nets", nargs="+", default=list(NETS), choices=list(NETS))
    parser.add_argument("--reshuffled", action="store_true",
                        help="also train fit on a tf.data pipeline that reshuffles every epoch")
    parser.add_argument("--jobs", type=int, default=2, help="nets checked at once, in processes")
    parser.add_argument("--json", help="also write every error and p-value to this file")
    options = parser.parse_args(arguments)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    order = repeated_fit_order()
    print(f"fit_check fit_order_repeats_every_epoch: {all(o == order[0] for o in order)}",
          flush=True)
    jobs = [(name, options.epochs, options.engine_seeds, options.fit_seeds,
             options.first_fit_seed, options.reshuffled) for name in options.nets]
    with ProcessPoolExecutor(max(1, min(options.jobs, len(jobs))),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        results = dict(zip(options.nets, pool.map(_check_in_worker, jobs)))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
