"""A net's loss plot as data a reader can download: its recorded curves as CSV (``loss.csv``, one
more file of a net's media, published beside the plot as ``<net>-loss.csv``).

One row per kept epoch, one column per seed and curve: ``epoch,loss_seed_0,loss_seed_1,…``, then
``test_loss_seed_…``, ``accuracy_seed_…``, ``test_accuracy_seed_…`` for the curves the run
recorded (data with a test set, classification). The epochs kept are those the live figures keep
(``figure_net_data.loss_epochs``): ``SAMPLES`` log-spaced targets, every frame epoch and the last,
so that a reference post's net is tens of KB rather than the 5000 rows of every epoch. Each value
is the recorded float32 written in the fewest digits that read back to the same float32 (a
diverged seed reads ``nan`` or ``inf``). Only the seeds the post shows are written.

The file holds numbers, epochs and seeds only: no author text, so no escaping rule applies.

>>> import numpy as np
>>> arrays = {"seeds": np.array([0, 1]), "frame_epochs": np.array([0, 2, 4]),
...           "losses": np.array([[0.5, 0.4], [0.25, 0.2], [0.125, 0.1], [0.1, 0.05]],
...                              dtype=np.float32)}
>>> print(table(arrays, shown=(0, 1), samples=2), end="")  # epochs 1 and 4, and frames 2, 4
epoch,loss_seed_0,loss_seed_1
1,0.5,0.4
2,0.25,0.2
4,0.1,0.05
"""

from __future__ import annotations

from pathlib import Path

from tinynets.csv_text import csv_text

# Log-spaced epochs kept (besides the frame epochs and the last): a 5000-epoch net of 10 seeds
# comes to about 250 rows, 30 KB.
SAMPLES = 200
# (column prefix, the run's array) for every curve a run may record.
CURVES = (("loss", "losses"), ("test_loss", "test_losses"), ("accuracy", "accuracy"),
          ("test_accuracy", "test_accuracy"))


def table(arrays: dict, shown, samples: int = SAMPLES) -> str:
    """The CSV text of a run's ``arrays`` (as the run store reads them), for seeds ``shown``."""
    import numpy as np

    from tinynets.media.figure_net_data import loss_epochs

    seeds, wanted = [int(seed) for seed in arrays["seeds"]], set(shown)
    columns = [index for index, seed in enumerate(seeds) if seed in wanted]
    curves = [(name, arrays[key]) for name, key in CURVES if arrays.get(key) is not None]
    epochs = loss_epochs(len(arrays["losses"]), arrays["frame_epochs"], samples)
    header = ["epoch"] + [f"{name}_seed_{seeds[column]}" for name, _ in curves
                          for column in columns]
    return csv_text(header, ([int(epoch)] + [str(np.float32(values[epoch - 1, column]))
                                             for _, values in curves for column in columns]
                             for epoch in epochs))


def write(arrays: dict, shown, path: Path) -> None:
    """Write ``table(arrays, shown)`` to ``path`` (a file of a medium's temporary folder)."""
    path.write_text(table(arrays, shown), encoding="utf-8")
