"""The CSV files a reader downloads (a post's final errors, a net's loss curves) all come out
of one writer, so they share one dialect: comma-separated, ``\\n`` line ends (as every other
text file of the site), fields quoted only when they hold a comma, a quote or a line end.

Callers turn their numbers into text first (each knows how its values read back exactly).

>>> print(csv_text(["net", "seed", "final_error"], [["wide", 0, "0.01"], ["a,b", 1, ""]]), end="")
net,seed,final_error
wide,0,0.01
"a,b",1,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The CSV text of ``header`` and then ``rows`` (each an iterable of fields)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()
