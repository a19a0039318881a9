"""The payload of a figure data file: sections appended one after another, each at a multiple
of ``ALIGN`` bytes, raw or quantised (the layout is drawn in tinynets.media.figure_data).

Example:
    >>> payload = Payload()
    >>> payload.raw(np.array([1.0, 2.0]), "float32")["offset"], payload.add(b"abc")["offset"]
    (0, 8)
    >>> aligned(13)
    16
"""

from __future__ import annotations

import numpy as np

from tinynets.media.quantised import quantise

ALIGN = 8


class Payload:
    """Sections appended one after another, each at a multiple of ``ALIGN``."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0
        self.raw_places: dict[tuple, dict] = {}  # raw sections by content: each written once

    def add(self, content: bytes) -> dict:
        padding = aligned(self.size) - self.size
        if padding:
            self.parts.append(bytes(padding))
            self.size += padding
        place = {"offset": self.size, "bytes": len(content)}
        self.parts.append(content)
        self.size += len(content)
        return place

    def raw(self, values: np.ndarray, dtype: str) -> dict:
        array = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
        content = array.tobytes()
        # Nets of one data set share their grid and points: one section, named by each.
        known = (dtype, content)
        if known not in self.raw_places:
            self.raw_places[known] = self.add(content)
        return {**self.raw_places[known], "encoding": "raw", "dtype": dtype,
                "shape": list(array.shape)}

    def quantised(self, name: str, values: np.ndarray, *, bits: int, differences: int,
                  scale: str = "linear", window: tuple[float, float] | None = None
                  ) -> tuple[dict, dict | None]:
        """Append ``values`` quantised, for records written elsewhere (media/figure_inside.py):
        its descriptor, and its missing indices' (None when every value is finite)."""
        return quantised_section(name, values, self, bits, differences, scale, window)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def aligned(size: int) -> int:
    """``size`` rounded up to a multiple of ``ALIGN``."""
    return -(-size // ALIGN) * ALIGN


def quantised_section(name: str, values: np.ndarray, payload: Payload, bits: int,
                      differences: int, scale: str, window: tuple[float, float] | None = None
                      ) -> tuple[dict, dict | None]:
    """Append ``values`` quantised (see tinynets.media.quantised); return its descriptor and
    the descriptor of its missing indices (None when every value is finite)."""
    packed = quantise(values, bits=bits, differences=differences, scale=scale, window=window)
    descriptor = {**payload.add(packed.stream), "encoding": "quantised", "scale": scale,
                  "shape": list(values.shape), "low": packed.low, "step": packed.step,
                  "differences": differences, "clipped": packed.clipped,
                  **packed.tolerance(scale)}
    if not packed.missing.size:
        return descriptor, None
    descriptor["missing"] = f"{name}_missing"
    return descriptor, payload.raw(packed.missing, "uint32")

