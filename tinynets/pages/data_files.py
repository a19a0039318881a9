"""A post's open data: the files a reader downloads to check its numbers, under
build/docs/media/<post>/ beside its figures.

- ``final-errors.csv`` — one row per net (and sweep cell) and shown seed: ``net,seed,final_error``
  and ``test_error``, ``accuracy``, ``test_accuracy`` when the post's data records them. Written
  here from the post's record entry (``pages.results``), so it says what the page and
  ``results.json`` say: a float as Python writes it (it reads back to the same number), a seed
  whose loss blew up as ``diverged``. A sweep cell is named as ``tinynets diff`` names it:
  ``width-rate[layers=[16],learning_rate=0.01]``.
- ``<net>-loss.csv`` — the loss curves of each net's loss plot, rendered with its media
  (``media.loss_csv``).

Net names and seeds are the only text in them (names are slugs, validated when the post is
read; a cell's name adds brackets, ``=`` and commas, which the csv module quotes): no author
text lands in a CSV, so it needs no escaping rule.
"""

from __future__ import annotations

from tinynets.csv_text import csv_text
from tinynets.media.catalog import Kind
from tinynets.record import PostRecord, cell_id

FINAL_ERRORS = "final-errors.csv"
FINAL_ERRORS_NAME = "final errors"  # its name in the record's data_files
COLUMNS = ("final_error", "test_error", "accuracy", "test_accuracy")


def final_errors_path(slug: str) -> str:
    """The final-errors file from the site's root (and in build/docs): media/tiny/final-errors.csv.

    >>> final_errors_path("tiny")
    'media/tiny/final-errors.csv'
    """
    return f"media/{slug}/{FINAL_ERRORS}"


def files(post, page_media) -> dict[str, str]:
    """Every data file of ``post``, by the name the record gives it ("final errors", "wide loss
    curves", "width-rate[layers=[16],learning_rate=0.01] loss curves"), as a path from the
    site's root; ``page_media``: its ``media.plan.PageMedia``."""
    names = {cell.name: f"{sweep.name}[{cell_id(sweep.values(cell))}]"
             for sweep in post.sweeps for cell in sweep.cells}
    found = {FINAL_ERRORS_NAME: final_errors_path(post.slug)}
    for medium in page_media.media:
        if medium.kind is Kind.NET:
            found[f"{names.get(medium.shows, medium.shows)} loss curves"] = \
                medium.path("loss_csv")
    return found


def final_errors(entry: PostRecord) -> str:
    """The text of a post's final-errors.csv, from its record entry."""
    runs = list(entry.runs())
    columns = [name for name in COLUMNS
               if any(getattr(net.shown, name) is not None for _, net in runs)]
    return csv_text(["net", "seed", *columns],
                    ([name, seed, *(_cell(getattr(net.shown, column), index)
                                    for column in columns)]
                     for name, net in runs for index, seed in enumerate(net.shown.seeds)))


def _cell(series, index: int) -> str:
    """One seed's value: repr of a float (exact), a word as it is, empty when not measured."""
    if series is None:
        return ""
    item = series.per_seed[index]
    return repr(item) if isinstance(item, float) else str(item)
