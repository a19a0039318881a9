"""Figure data: the recording of one or more nets, compact, for the browser to draw from.

A figure data file holds what the browser module (templates/assets/tinynets-figures.js) needs to
draw a figure of 1-D nets: per net its label and colour, seeds and the followed (median) seed,
the frame epochs, the grid, every seed's predictions on the grid at every frame, every seed's
training error at a log-spaced subsample of the epochs, the training points, the true function
and the noise floor. Nets on the plane (``PlaneFigureData``) and a sweep's cells
(``SweepCellFigureData``) are kept in the same container with records of their own: see
tinynets.media.figure_plane_data and tinynets.media.figure_sweep_data. numpy only: no matplotlib, no TensorFlow.

File layout
-----------
The file is a gzip stream (RFC 1952, written with mtime 0 and no name, so the same input gives
the same bytes); the browser inflates it with the built-in ``DecompressionStream("gzip")``.
Inflated, it is a container::

    offset  size  what
    0       4     magic b"TNFD"
    4       1     format version (1)
    5       3     zero
    8       4     header length H, uint32 little-endian
    12      H     header: a JSON object, UTF-8
    12+H    …     zero padding up to a multiple of 8: the payload starts there
    payload       sections, each starting at a multiple of 8 from the payload's start

The header::

    {"format": "tinynets-figure-data", "version": 1,
     "nets": [{"name", "label", "color", "seeds": [...], "shown_seed", "epochs",
               "noise_floor" (null when none), "arrays": {NAME: DESCRIPTOR, ...}}, ...]}

Labels are author text, held as JSON strings; the browser module writes them as text only.

A descriptor names a section: ``{"offset", "bytes", "shape", "encoding", ...}``, ``offset``
counted from the payload's start. Encodings:

- ``"raw"``, with ``"dtype"`` ``"float32"``, ``"int32"`` or ``"uint32"``: little-endian values.
- ``"quantised"`` (tinynets.media.quantised): integer codes q, the value being ``low + q·step`` (``"scale": "linear"``) or
  ``10 ** (low + q·step)`` (``"scale": "log10"``). Along the last axis each row of codes is
  differenced ``"differences"`` times (1 or 2; before each pass the row starts from a zero),
  every difference is zigzag-mapped (0, −1, 1, −2 … → 0, 1, 2, 3 …) and written as an unsigned
  LEB128 varint, rows in C order. Decoding: read the varints, undo the zigzag, take running sums
  ``differences`` times per row, scale. ``"missing"`` (optional) names a raw uint32 section of
  flat indices whose recorded value was NaN or infinite (a diverged seed): they decode as NaN.
  ``"tolerance"`` (linear) or ``"relative_tolerance"`` (log10) states the largest error of a
  decoded finite value against the recorded one.

Arrays of a net (shapes: F frames, S seeds, G grid points, E sampled epochs, P points):

- ``frame_epochs`` raw int32 (F,): the epoch of each frame (0 = untrained).
- ``grid`` raw float32 (G,); ``points_x``, ``points_y`` raw float32 (P,): the training points.
- ``truth`` raw float32 (G,): the true function on the grid (absent for data from a file).
- ``predictions`` quantised linear (F, S, G), second differences along the grid: a ReLU net's
  prediction is piecewise linear in x, so most second differences of its codes are 0 or ±1.
  ``bits`` (12 by default) sets the step: ``step = (high − low) / (2**bits − 1)`` over the
  recorded range, so ``|decoded − recorded| ≤ step / 2 = range / 8190``. Values beyond two
  data spans above or below the training points (only a diverging seed gets there, far off
  the drawing) are stored clipped to that window; the header counts them in ``"clipped"``.
- ``loss_epochs`` raw int32 (E,): 1-based epochs whose training error is kept: a log-spaced
  sample (``loss_samples`` targets, 1000 by default) plus every frame epoch and the last one.
  ``loss_samples=None`` keeps every epoch.
- ``losses`` quantised log10 (S, E), first differences along the epochs: the training error of
  each seed after those epochs; 12 bits over the decades spanned, so the relative error is
  ``10 ** (step / 2) − 1`` (about 2·10⁻⁴ for the reference net). Values ≤ 0 (which a log axis
  cannot show) are stored as the smallest positive one and counted in ``"clipped"``.

Example:
    >>> net = NetFigureData(name="wide", label="1×60", color="#0072B2", seeds=(0, 1),
    ...     shown_seed=1, frame_epochs=np.array([0, 10]), grid=np.linspace(-1, 1, 5),
    ...     predictions=np.zeros((2, 2, 5)), losses=np.full((10, 2), 0.5),
    ...     points_x=np.array([0.0]), points_y=np.array([0.1]), truth=None, noise_floor=0.01)
    >>> decoded = read(encode([net]))
    >>> decoded.nets[0].label, decoded.nets[0].predictions.shape
    ('1×60', (2, 2, 5))
"""

from __future__ import annotations

import gzip
import json
import math
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from tinynets import atomic
from tinynets.errors import FigureDataError
from tinynets.media.figure_net_data import BITS, LOSS_SAMPLES, NetFigureData
from tinynets.media.figure_payload import Payload, aligned
from tinynets.media.figure_plane_data import PlaneFigureData
from tinynets.media.figure_sweep_data import SweepCellFigureData
from tinynets.media.quantised import dequantise

MAGIC = b"TNFD"
VERSION = 1
FORMAT = "tinynets-figure-data"
SUFFIX = ".tnfd"  # not .gz: a server must not add Content-Encoding and inflate it for us


# The arrays DecodedNet has a field for; any other is decoded into its ``extra``.
DECODED_FIELDS = ("frame_epochs", "grid", "points_x", "points_y", "truth", "predictions",
                  "loss_epochs", "losses")


@dataclass(frozen=True)
class DecodedNet:
    """One net as ``read`` returns it: values decoded to float64 (NaN where missing)."""

    name: str
    label: str
    color: str
    seeds: tuple[int, ...]
    shown_seed: int
    epochs: int
    noise_floor: float | None
    frame_epochs: np.ndarray
    grid: np.ndarray
    points_x: np.ndarray
    points_y: np.ndarray
    truth: np.ndarray | None
    predictions: np.ndarray | None
    loss_epochs: np.ndarray | None
    losses: np.ndarray | None  # (seeds, sampled epochs)
    tolerance: float | None  # of predictions: |decoded − recorded| ≤ tolerance
    loss_relative_tolerance: float | None  # of losses: |decoded / recorded − 1| ≤ this
    # The net's other arrays by name, decoded (a plane net's weights, a sweep cell's finals).
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FigureData:
    header: dict
    nets: tuple[DecodedNet, ...]


# --- Writing -------------------------------------------------------------------------------------

def encode(nets: Sequence[FigureNet], *, bits: int = BITS,
           loss_samples: int | None = LOSS_SAMPLES) -> bytes:
    """The file's bytes for ``nets`` (the same input always gives the same bytes). ``bits`` and
    ``loss_samples`` apply to 1-D nets; plane nets and sweep cells carry their own."""
    if not nets:
        raise ValueError("figure data needs at least one net")
    if not 2 <= bits <= 24:
        raise ValueError(f"bits must be 2 … 24, got {bits}")
    payload = Payload()
    records = [net.record(payload, bits, loss_samples) for net in nets]
    header = json.dumps({"format": FORMAT, "version": VERSION, "nets": records},
                        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                        allow_nan=False).encode("utf-8")
    start = aligned(12 + len(header))
    container = b"".join([MAGIC, bytes([VERSION, 0, 0, 0]), struct.pack("<I", len(header)),
                          header, bytes(start - 12 - len(header)), payload.bytes()])
    return gzip.compress(container, compresslevel=9, mtime=0)


def write(path: Path, nets: Sequence[FigureNet], **options) -> int:
    """Write ``nets`` to ``path`` atomically (whole or not at all); return its size in bytes."""
    content = encode(nets, **options)
    atomic.write_bytes(Path(path), content)
    return len(content)



# What a file holds: nets of any of the three kinds, each writing its own record.
FigureNet = NetFigureData | PlaneFigureData | SweepCellFigureData



# --- Reading -------------------------------------------------------------------------------------

def read(source: bytes | Path | str) -> FigureData:
    """Decode a figure data file (its path, or its bytes): header and every net's arrays.

    Raises FigureDataError, naming the file and what is wrong, for anything but a whole,
    intact file of a version this code reads.
    """
    if isinstance(source, (bytes, bytearray)):
        where, content = "figure data", bytes(source)
    else:
        where = str(source)
        try:
            content = Path(source).read_bytes()
        except OSError as error:
            raise FigureDataError(f"{where}: cannot be read ({error.strerror or error})") from None
    fix = "write it again (the build's media stage does so when its cache entry is removed)"
    if content[:2] != b"\x1f\x8b":
        raise FigureDataError(f"{where}: not a figure data file (it does not start with the gzip "
                              f"signature 1f 8b); {fix}")
    try:
        container = gzip.decompress(content)
    except (EOFError, OSError, zlib.error) as error:
        raise FigureDataError(f"{where}: damaged or truncated ({error}); {fix}") from None
    return _parse(container, where, fix)


def _parse(container: bytes, where: str, fix: str) -> FigureData:
    def damaged(what: str) -> FigureDataError:
        return FigureDataError(f"{where}: damaged: {what}; {fix}")

    if len(container) < 12 or container[:4] != MAGIC:
        raise damaged("the inflated content does not start with TNFD")
    if container[4] != VERSION:
        raise FigureDataError(f"{where}: format version {container[4]}, this code reads version "
                              f"{VERSION}; {fix}")
    (length,) = struct.unpack_from("<I", container, 8)
    if 12 + length > len(container):
        raise damaged(f"the header says it is {length} bytes, the file has "
                      f"{len(container) - 12} after the first 12")
    try:
        header = json.loads(container[12:12 + length].decode("utf-8"))
        nets = header["nets"]
        if header.get("format") != FORMAT or not isinstance(nets, list) or not nets:
            raise ValueError("no nets")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise damaged(f"the JSON header cannot be read ({error})") from None
    payload = memoryview(container)[aligned(12 + length):]
    try:
        decoded = tuple(_decode_net(record, payload) for record in nets)
    except (KeyError, TypeError, ValueError) as error:
        raise damaged(str(error)) from None
    return FigureData(header, decoded)


def _section(payload: memoryview, descriptor: dict) -> memoryview:
    offset, size = int(descriptor["offset"]), int(descriptor["bytes"])
    if offset < 0 or size < 0 or offset + size > len(payload):
        raise ValueError(f"a section ({offset} + {size} bytes) reaches past the payload's end "
                         f"({len(payload)} bytes)")
    return payload[offset:offset + size]


def _decode_net(record: dict, payload: memoryview) -> DecodedNet:
    arrays = record["arrays"]

    def array(name: str) -> np.ndarray | None:
        descriptor = arrays.get(name)
        if descriptor is None:
            return None
        missing = arrays.get(descriptor["missing"]) if "missing" in descriptor else None
        return decode_array(descriptor, payload,
                            None if missing is None else decode_array(missing, payload))

    predictions = array("predictions")
    losses = array("losses")
    missing_names = {descriptor["missing"] for descriptor in arrays.values()
                     if "missing" in descriptor}
    extra = {name: array(name) for name in arrays
             if name not in DECODED_FIELDS and name not in missing_names}
    prediction_descriptor = arrays.get("predictions") or {}
    loss_descriptor = arrays.get("losses") or {}
    return DecodedNet(
        name=str(record["name"]), label=str(record["label"]), color=str(record["color"]),
        seeds=tuple(int(seed) for seed in record["seeds"]), shown_seed=int(record["shown_seed"]),
        epochs=int(record["epochs"]), noise_floor=record.get("noise_floor"),
        frame_epochs=array("frame_epochs"), grid=array("grid"), points_x=array("points_x"),
        points_y=array("points_y"), truth=array("truth"), predictions=predictions,
        loss_epochs=array("loss_epochs"), losses=losses,
        tolerance=prediction_descriptor.get("tolerance"),
        loss_relative_tolerance=loss_descriptor.get("relative_tolerance"), extra=extra)


def decode_array(descriptor: dict, payload: memoryview,
                 missing: np.ndarray | None = None) -> np.ndarray:
    """One section as an array (raw: its dtype; quantised: float64, NaN where missing)."""
    shape = tuple(int(size) for size in descriptor["shape"])
    count = math.prod(shape)
    content = _section(payload, descriptor)
    if descriptor["encoding"] == "raw":
        dtype = np.dtype(descriptor["dtype"]).newbyteorder("<")
        if dtype.name not in ("float32", "int32", "uint32") or len(content) != count * 4:
            raise ValueError(f"a raw section of {len(content)} bytes does not hold "
                             f"{count} values of {descriptor['dtype']}")
        return np.frombuffer(content, dtype=dtype).astype(dtype.newbyteorder("="))\
            .reshape(shape)
    if descriptor["encoding"] != "quantised":
        raise ValueError(f"unknown encoding {descriptor['encoding']!r}")
    values = dequantise(content, shape, low=float(descriptor["low"]),
                        step=float(descriptor["step"]),
                        differences=int(descriptor["differences"]), scale=descriptor["scale"])
    if missing is not None:
        if missing.size and int(missing.max()) >= count:
            raise ValueError("a missing value's index is beyond its array")
        values.reshape(-1)[missing.astype(np.int64)] = np.nan
    return values
