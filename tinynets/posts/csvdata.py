"""Your own data: a CSV file under content/, read and checked cell by cell when the post is read.

``data: {file: data/NAME.csv, x: COLUMN, y: COLUMN}`` trains on one input column, ``x: [COL1,
COL2]`` on two (the plane). The file's hash is part of every run's fingerprint, so editing the
CSV retrains the nets that use it. Each problem names the file and line it is on and how to fix
it; ``read_csv`` raises ``CsvProblem`` with the message, ``posts.load`` adds it to the post's
problems.

Example:
    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "points.csv").write_text("x,y\\n0,1\\n1,3\\n2,5\\n")
    ...     spec = read_csv(Path(folder), "points.csv", ("x",), "y", "regression", seed=0,
    ...                     test_fraction=0.0, features=("x1", "x2"), noise_floor=None)
    >>> spec.points, spec.x_range, spec.from_file, spec.has_true_function
    (3, (0.0, 2.0), True, False)
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from tinynets.errors import CsvProblem, display_path
from tinynets.posts.plane import GRID_SIDE

MAX_ROWS = 100_000


@dataclass(frozen=True)
class CsvSpec:
    """Data read from a CSV file: the rows' inputs and targets, and the file's hash."""

    file: str  # as written in the post, relative to content/
    x_columns: tuple[str, ...]
    y_column: str
    task: str
    seed: int
    sha256: str
    x_values: tuple  # per row: a float (one column) or a (x1, x2) pair
    y_values: tuple[float, ...]
    test_fraction: float = 0.0
    features: tuple[str, ...] = ("x1", "x2")
    given_noise_floor: float | None = None
    # The answers of the DataSet protocol (tinynets.posts.model) that do not depend on settings:
    # no known true function, the targets are what the file says.
    from_file = True
    has_true_function = False

    @property
    def classification(self) -> bool:
        return self.task == "classification"

    @property
    def dimensions(self) -> int:
        return len(self.x_columns)

    @property
    def inputs(self) -> int:
        return len(self.features) if self.dimensions == 2 else 1

    @property
    def points(self) -> int:
        return len(self.y_values)

    @property
    def test_count(self) -> int:
        return int(round(self.points * self.test_fraction)) if self.dimensions == 2 else 0

    @property
    def training_count(self) -> int:
        return self.points - self.test_count

    @property
    def noise_floor(self) -> float | None:
        """Unknown for real data: only what the author states (``data.noise_floor``)."""
        return self.given_noise_floor

    @property
    def x_range(self) -> tuple[float, float]:
        """One input column: its lowest and highest value."""
        return (min(self.x_values), max(self.x_values))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Two input columns: the rows' bounding box with a 10% margin on every side."""
        bounds = []
        for column in range(2):
            values = [row[column] for row in self.x_values]
            low, high = min(values), max(values)
            margin = 0.1 * (high - low) if high > low else 1.0
            bounds += [low - margin, high + margin]
        return tuple(bounds)

    def canonical(self) -> dict:
        """What changes the numbers: the file's content (its hash), the columns and settings."""
        canonical = {"file": self.file, "csv_sha256": self.sha256, "x": list(self.x_columns),
                     "y": self.y_column, "task": self.task, "seed": self.seed}
        if self.dimensions == 2:
            canonical.update(test_fraction=self.test_fraction, features=list(self.features),
                             grid=GRID_SIDE)
        return canonical


def resolve(content: Path, file: str) -> Path:
    """The file a post names, which must lie under content/ (CsvProblem otherwise)."""
    relative = Path(file)
    inside = (content / relative).resolve()
    if relative.is_absolute() or not inside.is_relative_to(content.resolve()):
        raise CsvProblem(f"'{file}' is outside content/: put the file under content/data/ and "
                         "write its path from content/, e.g. data/points.csv.", "file")
    if not inside.is_file():
        folder = inside.parent
        present = sorted(p.name for p in folder.glob("*.csv")) if folder.is_dir() else []
        listed = (f"CSV files in {display_path(folder)}/: {', '.join(present)}" if present
                  else f"{display_path(folder)}/ holds no CSV file")
        raise CsvProblem(f"{display_path(inside)} does not exist ({listed}). Check the path, "
                         "written from content/ (e.g. data/points.csv).", "file")
    return inside


def read_csv(content: Path, file: str, x_columns: tuple[str, ...], y_column: str, task: str,
             seed: int, test_fraction: float, features: tuple[str, ...],
             noise_floor: float | None) -> CsvSpec:
    """Read and check the CSV ``file`` (relative to ``content``); raise CsvProblem on the first
    problem, naming the file and line.

    The file is read a line at a time and hashed as it is read: a file longer than ``MAX_ROWS``
    rows is refused at the first row past the limit, not after reading all of it. The separator
    is a comma, or a semicolon or tab when the header line has no comma (as spreadsheets write
    CSV where the comma is the decimal mark)."""
    path = resolve(content, file)
    shown = display_path(path)
    with path.open("rb") as binary:
        hashing = _HashingReader(binary)
        text = io.TextIOWrapper(io.BufferedReader(hashing), encoding="utf-8-sig", newline="")
        try:
            values, line = _read_rows(text, shown, x_columns, y_column, task)
        except UnicodeDecodeError:
            raise CsvProblem(f"{shown}:{_first_line_not_utf8(path)}: not UTF-8 text: save the "
                             "file as UTF-8 CSV.") from None
        digest = hashing.digest.hexdigest()[:16]
    count = len(values[y_column])
    if count < 2:
        raise CsvProblem(f"{shown}:{line}: {count} data row{'' if count == 1 else 's'} below the "
                         "header; at least 2 are needed to train on.")
    if len(x_columns) == 1:
        x_values = tuple(values[x_columns[0]])
    else:
        x_values = tuple(zip(values[x_columns[0]], values[x_columns[1]]))
    return CsvSpec(file=file, x_columns=tuple(x_columns), y_column=y_column, task=task,
                   seed=seed, sha256=digest, x_values=x_values,
                   y_values=tuple(values[y_column]), test_fraction=test_fraction,
                   features=tuple(features), given_noise_floor=noise_floor)


class _HashingReader(io.RawIOBase):
    """A binary file that adds every byte read from it to a SHA-256 digest."""

    def __init__(self, binary):
        self.binary, self.digest = binary, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.binary.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        return count


def _separator(header: str) -> str:
    r"""',' unless the header line has none and is split by ';' or a tab.

    >>> _separator("x;y"), _separator("x,y"), _separator("a\tb"), _separator("x")
    (';', ',', '\t', ',')
    """
    if "," in header:
        return ","
    return next((separator for separator in (";", "\t") if separator in header), ",")


def _read_rows(text, shown: str, x_columns, y_column: str, task: str):
    """The used columns' numbers, read row by row, and the line of the last row read (1 when
    there is none)."""
    header_line = text.readline()
    rows = csv.reader(itertools.chain([header_line], text), delimiter=_separator(header_line))
    header = [cell.strip() for cell in next(rows, [])]
    if not any(header):
        raise CsvProblem(f"{shown}:1: the first line must name the columns, e.g. 'x,y'.")
    for key, name in [("x", column) for column in x_columns] + [("y", y_column)]:
        if name not in header:
            raise CsvProblem(f"there is no column '{name}' in {shown}; its columns are: "
                             f"{', '.join(header)}.", key)
    wanted = {name: header.index(name) for name in (*x_columns, y_column)}
    values: dict[str, list[float]] = {name: [] for name in wanted}
    last = 1
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines (a trailing newline, a spacer) are not rows
        line = last = rows.line_num
        if len(values[y_column]) == MAX_ROWS:
            raise CsvProblem(f"{shown}:{line}: more than {MAX_ROWS:,} data rows, the most a post "
                             f"may train on: keep a sample of at most {MAX_ROWS:,} rows (e.g. "
                             "every tenth row).")
        for name, index in wanted.items():
            values[name].append(_number(row[index].strip() if index < len(row) else "", name,
                                        shown, line, task == "classification"
                                        and name == y_column))
    return values, last


def _number(cell: str, name: str, shown: str, line: int, label: bool) -> float:
    """The number in one cell of column ``name`` (a 0/1 label when ``label``)."""
    if not cell:
        raise CsvProblem(f"{shown}:{line}: column '{name}' is empty: every row needs a "
                         "number in every column used (remove the row or fill it in).")
    try:
        number = float(cell)
    except ValueError:
        raise CsvProblem(f"{shown}:{line}: column '{name}' holds {cell!r}, which is not "
                         "a number: write numbers with a dot for decimals (1.5), no "
                         "units or thousands separators.") from None
    if not math.isfinite(number):
        raise CsvProblem(f"{shown}:{line}: column '{name}' holds {cell!r}: every value "
                         "must be a finite number (remove the row or fill it in).")
    if label and number not in (0.0, 1.0):
        raise CsvProblem(f"{shown}:{line}: column '{name}' holds {cell!r}, but "
                         "classification labels must be 0 or 1 (or set task: "
                         "regression).")
    return number


def _first_line_not_utf8(path: Path) -> int:
    """The number of the first line of ``path`` that is not UTF-8."""
    with path.open("rb") as binary:
        for number, raw in enumerate(binary, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1
