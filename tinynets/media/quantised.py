"""Arrays of floats as few bytes: quantised to integer codes, differenced along the last axis,
written as zigzag LEB128 varints (numpy only). The figure data files use it
(tinynets.media.figure_data), and the browser module decodes it (figures/data.js).

Codes: ``q = round((v − low) / step)`` on a linear scale, or of ``log10(v)`` on a log scale, with
``step = (high − low) / (2**bits − 1)`` over the window [low, high]; decoding gives back
``low + q·step`` (or 10 to that), so ``|decoded − recorded| ≤ step / 2`` for every finite value
inside the window (relative ``10**(step/2) − 1`` on the log scale). Each row along the last
axis is differenced ``differences`` times, each pass starting from a zero: a straight stretch of
a curve has second differences of 0 or ±1, which deflate to almost nothing.

A straight line's codes 0, 5, 10, 15 have second differences 0, 5, 0, 0 (zigzag: 0, 10, 0, 0):

>>> packed = quantise(np.array([[0.0, 0.5, 1.0, 1.5]]), bits=4, differences=2)
>>> varints_of(packed.stream), packed.step
([0, 10, 0, 0], 0.1)
>>> dequantise(packed.stream, (1, 4), low=packed.low, step=packed.step, differences=2).tolist()
[[0.0, 0.5, 1.0, 1.5]]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Quantised:
    """What ``quantise`` makes: the varint stream and what decoding it needs."""

    stream: bytes
    low: float
    step: float
    clipped: int  # finite values outside the window (or ≤ 0 on a log scale), stored at its edge
    missing: np.ndarray  # flat indices of NaN and infinite values (decoded as NaN)

    def tolerance(self, scale: str) -> dict:
        """The stated error bound, as the file header writes it."""
        if scale == "log10":
            return {"relative_tolerance": 10 ** (self.step / 2) - 1}
        return {"tolerance": self.step / 2}


def quantise(values: np.ndarray, *, bits: int, differences: int, scale: str = "linear",
             window: tuple[float, float] | None = None) -> Quantised:
    """``values`` as codes of ``bits`` bits over ``window`` (default: the finite values' range)."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    clipped = 0
    if scale == "log10":
        positive = finite & (values > 0)
        clipped = int((finite & ~positive).sum())
        smallest = float(values[positive].min()) if positive.any() else 1.0
        values = np.log10(np.where(positive, values, smallest), where=finite,
                          out=np.zeros_like(values))
    elif scale != "linear":
        raise ValueError(f"unknown scale {scale!r}: linear or log10")
    if window is None:
        window = ((float(values[finite].min()), float(values[finite].max()))
                  if finite.any() else (0.0, 1.0))
    low, high = window
    step = (high - low) / (2**bits - 1) if high > low else 1.0
    if scale == "linear":
        clipped = int((finite & ((values < low) | (values > high))).sum())
    codes = np.zeros(values.shape, dtype=np.int64)
    codes[finite] = np.rint((np.clip(values[finite], low, high) - low) / step)
    for _ in range(differences):
        codes = np.diff(codes, axis=-1, prepend=0)
    return Quantised(varints(codes.ravel()), float(low), float(step), clipped,
                     np.flatnonzero(~finite))


def dequantise(stream, shape: tuple[int, ...], *, low: float, step: float, differences: int,
               scale: str = "linear") -> np.ndarray:
    """The float64 values of a stream (ValueError when it does not hold ``shape`` of them)."""
    count = math.prod(shape)
    codes = read_varints(np.frombuffer(stream, dtype=np.uint8), count).reshape(shape)
    for _ in range(differences):
        codes = np.cumsum(codes, axis=-1)
    values = float(low) + codes * float(step)
    if scale == "log10":
        return 10.0 ** values
    if scale != "linear":
        raise ValueError(f"unknown scale {scale!r}")
    return values


def varints(values: np.ndarray) -> bytes:
    """Signed integers as zigzag LEB128 varints (0, −1, 1, −2 … → 0, 1, 2, 3 …), vectorised."""
    signed = np.asarray(values, dtype=np.int64)
    unsigned = ((signed << 1) ^ (signed >> 63)).astype(np.uint64)
    lengths = np.ones(unsigned.shape, dtype=np.int64)
    for shift in range(7, 64, 7):
        lengths += unsigned >= (np.uint64(1) << np.uint64(shift))
    width = int(lengths.max()) if lengths.size else 1
    columns = np.arange(width)
    groups = (unsigned[:, None] >> (np.uint64(7) * columns.astype(np.uint64))) & np.uint64(127)
    more = columns[None, :] < (lengths[:, None] - 1)
    groups = groups | (more.astype(np.uint64) << np.uint64(7))
    return groups[columns[None, :] < lengths[:, None]].astype(np.uint8).tobytes()


def read_varints(content: np.ndarray, count: int) -> np.ndarray:
    """``count`` signed integers from zigzag LEB128 bytes; ValueError unless they are exactly
    that many whole values."""
    ends = np.flatnonzero(content < 128)
    if len(ends) != count or (count and ends[-1] != len(content) - 1):
        raise ValueError(f"a quantised section holds {len(ends)} whole values in "
                         f"{len(content)} bytes, expected {count}")
    if not count:
        return np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], ends[:-1] + 1])
    group = np.repeat(np.arange(count), ends - starts + 1)
    shifts = (np.arange(len(content)) - starts[group]) * 7
    if shifts.max() >= 63:
        raise ValueError("a quantised value is longer than 9 bytes")
    parts = (content.astype(np.uint64) & np.uint64(127)) << shifts.astype(np.uint64)
    unsigned = np.add.reduceat(parts, starts)
    return (unsigned >> np.uint64(1)).astype(np.int64) ^ -(unsigned & np.uint64(1)).astype(np.int64)


def varints_of(stream: bytes) -> list[int]:
    """The unsigned varints of a stream, as written (for examples and tests)."""
    values, value, shift = [], 0, 0
    for byte in stream:
        value |= (byte & 127) << shift
        shift += 7
        if byte < 128:
            values.append(value)
            value, shift = 0, 0
    return values
