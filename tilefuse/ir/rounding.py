"""Rounding to the float types IREE computes in: what the interpreters do whenever an op produces f16 or bf16,
and what makes a problem's inputs and reference exact in its dtype."""

from __future__ import annotations

import numpy as np

from ..errors import TilefuseError


def round_to(dtype: str, x: np.ndarray) -> np.ndarray:
    """Round float values to `dtype` (f16 or bf16, round-to-nearest-even), returned as float32."""
    x = np.asarray(x, dtype=np.float32)
    if dtype == "f16":
        return x.astype(np.float16).astype(np.float32)
    if dtype == "bf16":
        bits = x.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return rounded.astype(np.uint32).view(np.float32)
    if dtype == "f32":
        return x
    raise TilefuseError(f"unknown dtype '{dtype}'")
