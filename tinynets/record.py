"""The record of a build, ``results.json``: what it measured and checked, and where.

A ``Record`` holds, per post, every net and sweep cell's numbers on the shown seeds and on the
replication seeds, every claim with its check and whether it held, links to the post's data
files, and the environment that built it. ``tinynets/results.schema.json`` is its schema (JSON
Schema 2020-12), checked on every write and every read (``record_schema``); README's "Trust and change" summarises
it and states the versioning rule.

This module knows only the record: the stages that measure (``measure``) and render
(``pages``) build a ``Record`` from their own types, and ``tinynets diff`` compares two.

For example::

    record = read("build/site/results.json")
    record.posts["optimizer-or-depth"].nets["wide-sgd"].shown.final_error.median
    # 0.0994
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Iterator, Mapping, Union

from tinynets.errors import RecordError, display_path
from tinynets import atomic
from tinynets.record_schema import digest, moving_parts_valid, remembered, violation

# The format's name and version: see VERSIONING in README ("Trust and change").
SCHEMA = "tinynets-results/1"
SCHEMA_PREFIX = "tinynets-results/"

# A measured value: a finite number, or one of these words (JSON has no infinity).
NEVER = "never"  # a level never reached (``epochs_to``)
DIVERGED = "diverged"  # an infinite or NaN value: a seed whose loss blew up
Value = Union[float, int, str]

# The most a record may weigh when read over the network (the default site's is tens of KB).
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024


def value(number) -> Value:
    """A number as the record stores it: finite as is, infinite or NaN as ``"diverged"``.

    >>> value(0.0994), value(float("inf")), value(7)
    (0.0994, 'diverged', 7)
    """
    if isinstance(number, bool):
        raise TypeError("a measured value is a number, not a truth value")
    if isinstance(number, int):
        return int(number)
    number = float(number)
    return number if math.isfinite(number) else DIVERGED


def cell_id(values: Mapping[str, object]) -> str:
    """A sweep cell's stable id: its varied values in the sweep's order, as compact JSON.

    >>> cell_id({"layers": [16], "learning_rate": 0.01})
    'layers=[16],learning_rate=0.01'
    >>> cell_id({"layers": (10, 10), "optimizer": "adam"})
    'layers=[10,10],optimizer=adam'
    """
    def shown(item) -> str:
        if isinstance(item, str):
            return item
        return json.dumps(list(item) if isinstance(item, tuple) else item, separators=(",", ":"))

    return ",".join(f"{key}={shown(item)}" for key, item in values.items())


# The model. Every key is always written (null when absent), so a reader never guesses.

@dataclass(frozen=True)
class Series:
    """One value per seed, in the order of its seed set's seeds, and their summary (best is
    the lowest error or the highest accuracy)."""

    per_seed: tuple[Value, ...]
    median: Value
    best: Value
    worst: Value

    @classmethod
    def from_json(cls, data: dict) -> Series:
        return cls(tuple(data["per_seed"]), data["median"], data["best"], data["worst"])


@dataclass(frozen=True)
class Counts:
    """Seeds near the noise floor, stuck, diverged (the first two None without a floor)."""

    near_floor: int | None
    stuck: int | None
    diverged: int

    @classmethod
    def from_json(cls, data: dict) -> Counts:
        return cls(data["near_floor"], data["stuck"], data["diverged"])


@dataclass(frozen=True)
class SeedSet:
    """A net's numbers on one set of seeds (shown or replication), as templates see them."""

    seeds: tuple[int, ...]
    final_error: Series
    counts: Counts
    test_error: Series | None = None  # data with a test set
    accuracy: Series | None = None  # classification: on the training points
    test_accuracy: Series | None = None  # classification with a test set
    # The inside measurements the page used, by the name its template wrote.
    inside: Mapping[str, Value | tuple[Value, ...]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> SeedSet:
        def optional(key: str) -> Series | None:
            return None if data[key] is None else Series.from_json(data[key])

        return cls(tuple(data["seeds"]), Series.from_json(data["final_error"]),
                   Counts.from_json(data["counts"]), optional("test_error"),
                   optional("accuracy"), optional("test_accuracy"),
                   {name: tuple(item) if isinstance(item, list) else item
                    for name, item in data["inside"].items()})


@dataclass(frozen=True)
class NetRecord:
    """One net: what it is (label, spec, fingerprint) and what it measured."""

    label: str
    fingerprint: str  # the run's cache key
    spec: Mapping[str, object]  # canonical settings: the keys that change its numbers
    parameters: int
    wall_time: float  # seconds, shown and replication seeds together
    shown: SeedSet
    replication: SeedSet | None  # None when the post has no replication seeds

    @classmethod
    def fields_from_json(cls, data: dict) -> dict:
        return dict(label=data["label"], fingerprint=data["fingerprint"], spec=data["spec"],
                    parameters=data["parameters"], wall_time=data["wall_time"],
                    shown=SeedSet.from_json(data["shown"]),
                    replication=(None if data["replication"] is None
                                 else SeedSet.from_json(data["replication"])))

    @classmethod
    def from_json(cls, data: dict) -> NetRecord:
        return cls(**cls.fields_from_json(data))


@dataclass(frozen=True)
class CellRecord(NetRecord):
    """A sweep cell: a net, plus its varied values ({"layers": [16], "learning_rate": 0.01})."""

    values: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> CellRecord:
        return cls(**cls.fields_from_json(data), values=data["values"])


@dataclass(frozen=True)
class SweepRecord:
    label: str
    keys: tuple[str, ...]  # the varied keys, in the sweep's order
    cells: Mapping[str, CellRecord]  # by ``cell_id``

    @classmethod
    def from_json(cls, data: dict) -> SweepRecord:
        return cls(data["label"], tuple(data["keys"]),
                   {key: CellRecord.from_json(cell) for key, cell in data["cells"].items()})


@dataclass(frozen=True)
class Outcome:
    """A claim's check on one seed set: the comparison as written ("wide-sgd median error <
    deep-sgd median error"), each value it read, and whether it held."""

    check: str
    measured: Mapping[str, Value]
    holds: bool

    @classmethod
    def from_json(cls, data: dict) -> Outcome:
        return cls(data["check"], dict(data["measured"]), data["holds"])


@dataclass(frozen=True)
class ClaimRecord:
    line: int  # in the post's source file
    text: str
    shown: Outcome
    replication: Outcome | None  # None when the post has no replication seeds

    @classmethod
    def from_json(cls, data: dict) -> ClaimRecord:
        return cls(data["line"], data["text"], Outcome.from_json(data["shown"]),
                   None if data["replication"] is None else Outcome.from_json(data["replication"]))


@dataclass(frozen=True)
class SeedSets:
    shown: tuple[int, ...]
    replication: tuple[int, ...]  # empty when replication is off (replicate: 0)

    @classmethod
    def from_json(cls, data: dict) -> SeedSets:
        return cls(tuple(data["shown"]), tuple(data["replication"]))


@dataclass(frozen=True)
class PostRecord:
    title: str
    source: str  # content/posts/<slug>.md
    url: str  # the page, relative to the site root
    data: Mapping[str, object]  # the data set's canonical settings
    seeds: SeedSets
    nets: Mapping[str, NetRecord]
    sweeps: Mapping[str, SweepRecord]
    claims: tuple[ClaimRecord, ...]
    data_files: Mapping[str, str]  # name → URL relative to the site root

    def runs(self) -> Iterator[tuple[str, NetRecord]]:
        """Every net, then every sweep cell as ``sweep[cell id]``, each with its record.

        For example::

            [name for name, _ in post.runs()]
            # ['wide-sgd', 'width-rate[layers=[16],learning_rate=0.01]']
        """
        yield from self.nets.items()
        for sweep_name, sweep in self.sweeps.items():
            for key, cell in sweep.cells.items():
                yield f"{sweep_name}[{key}]", cell

    @classmethod
    def from_json(cls, data: dict) -> PostRecord:
        return cls(data["title"], data["source"], data["url"], data["data"],
                   SeedSets.from_json(data["seeds"]),
                   {name: NetRecord.from_json(net) for name, net in data["nets"].items()},
                   {name: SweepRecord.from_json(sweep) for name, sweep in data["sweeps"].items()},
                   tuple(ClaimRecord.from_json(claim) for claim in data["claims"]),
                   dict(data["data_files"]))


@dataclass(frozen=True)
class TinynetsVersion:
    version: str
    commit: str | None  # None outside a git checkout
    dirty: bool | None  # uncommitted changes in the checkout

    @classmethod
    def from_json(cls, data: dict) -> TinynetsVersion:
        return cls(data["version"], data["commit"], data["dirty"])


@dataclass(frozen=True)
class Cpu:
    model: str
    vector_isa: tuple[str, ...]  # the vector instruction sets that change XLA's code, sorted

    @classmethod
    def from_json(cls, data: dict) -> Cpu:
        return cls(data["model"], tuple(data["vector_isa"]))


@dataclass(frozen=True)
class Environment:
    """What built the record (see ``tinynets.environment.current``)."""

    tinynets: TinynetsVersion
    python: str
    tensorflow: str
    keras: str
    numpy: str
    cpu: Cpu
    platform: str
    lock_sha256: str | None  # requirements.lock's hash
    xla_flags: str | None  # $XLA_FLAGS (--xla_cpu_max_isa=AVX2 changes the numbers)

    @classmethod
    def from_json(cls, data: dict) -> Environment:
        return cls(TinynetsVersion.from_json(data["tinynets"]), data["python"],
                   data["tensorflow"], data["keras"], data["numpy"], Cpu.from_json(data["cpu"]),
                   data["platform"], data["lock_sha256"], data["xla_flags"])


@dataclass(frozen=True)
class Record:
    built: str  # UTC, to the second: 2026-11-30T14:05:09Z
    environment: Environment
    posts: Mapping[str, PostRecord]  # by slug

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(data["built"], Environment.from_json(data["environment"]),
                   {slug: PostRecord.from_json(post) for slug, post in data["posts"].items()})


def to_json(record: Record) -> dict:
    """The record as plain JSON values, ``schema`` first."""
    return {"schema": SCHEMA, **_plain(record)}


def _plain(item):
    if is_dataclass(item):
        return {each.name: _plain(getattr(item, each.name)) for each in fields(item)}
    if isinstance(item, Mapping):
        return {str(key): _plain(entry) for key, entry in item.items()}
    if isinstance(item, (tuple, list)):
        return [_plain(entry) for entry in item]
    return item


# Writing and reading.

def write(path: Path, record: Record) -> None:
    """Check ``record`` against the schema, then write it to ``path`` whole or not at all."""
    atomic.write_text(Path(path), json_text(record, display_path(path)))


def json_text(record: Record, name: str = "results.json", checked: Path | None = None) -> str:
    """``record`` as the file holds it, checked against the schema (else RecordError: a bug of
    the code that built it). ``checked`` keeps the digest of the last valid record: one that
    differs from it only in ``built`` and in its claims' line numbers is not checked again (nor
    is jsonschema imported, which with the check is about 0.15 s of a one-second rebuild); those
    two are checked on their own every time. Why the lines: an author's edit above a claim moves
    them, and that edit is the rebuild an author waits for."""
    data = to_json(record)
    try:
        written = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    except ValueError as error:  # an infinite value that was not stored as "diverged"
        raise RecordError(f"{name}: the record to write holds {error}; store infinite values "
                          "as record.value(x) does. Nothing written.") from None
    steady = digest(data)
    if remembered(checked) != steady or not moving_parts_valid(data):
        problem = violation(data)
        if problem:
            raise RecordError(f"{name}: the record to write {problem}; nothing written.")
        if checked is not None:
            atomic.write_text(checked, steady)
    return written


def read(source: str | Path) -> Record:
    """The record in file ``source`` or at an ``http(s)://`` URL; RecordError if it cannot be
    read, is not JSON, is another version, or does not match the schema."""
    name = str(source) if is_url(source) else display_path(source)
    return parse(_fetch(source) if is_url(source) else _load(Path(source)), name)


def parse(text: str | bytes, name: str) -> Record:
    """The record in ``text`` (read from ``name``, which error messages cite)."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise RecordError(f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: "
                          f"{error.msg}).") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise RecordError(f"{name}: not valid JSON ({error}).") from None
    version = data.get("schema") if isinstance(data, dict) else None
    if (isinstance(version, str) and version.startswith(SCHEMA_PREFIX)
            and version != SCHEMA):
        raise RecordError(f"{name}: a {version} record; this tinynets reads {SCHEMA}. Rebuild "
                          "it with this tinynets (make site), or compare it with the tinynets "
                          "that wrote it.")
    problem = violation(data)
    if problem:
        raise RecordError(f"{name}: not a {SCHEMA} record: {problem}.")
    return Record.from_json(data)


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def _load(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RecordError(f"{display_path(path)}: no such file.") from None
    except IsADirectoryError:
        raise RecordError(f"{display_path(path)}: a folder, not a results.json.") from None
    except OSError as error:
        raise RecordError(f"{display_path(path)}: cannot be read ({error.strerror}).") from None


def _fetch(url: str) -> bytes:
    import urllib.error  # here: a build that writes a record never fetches one
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            content = response.read(MAX_DOWNLOAD_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise RecordError(f"{url}: the server answered {error.code} {error.reason}.") from None
    except urllib.error.URLError as error:
        raise RecordError(f"{url}: cannot be fetched ({error.reason}).") from None
    except (OSError, ValueError) as error:  # a timeout, a malformed address
        raise RecordError(f"{url}: cannot be fetched ({error}).") from None
    if len(content) > MAX_DOWNLOAD_BYTES:
        raise RecordError(f"{url}: larger than {MAX_DOWNLOAD_BYTES // 2**20} MB; not a "
                          "results.json.")
    return content


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value; a record writes 'diverged' for it")
