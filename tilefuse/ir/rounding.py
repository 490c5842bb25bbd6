"""Rounding to the float types IREE computes in: what the interpreters do whenever an op produces f16, bf16 or an
fp8 type, and what makes a problem's inputs and reference exact in its dtype."""

from __future__ import annotations

import numpy as np

from ..errors import TilefuseError
from .facts import FP8_FLOATS, NUMPY_STORAGE


def round_to(dtype: str, x: np.ndarray) -> np.ndarray:
    """Round float values to `dtype` (f16, bf16 or fp8, round-to-nearest-even), returned as float32 (which holds
    every value of each exactly). fp8 rounds through ml_dtypes' types (NUMPY_STORAGE: its overflow rule is
    APFloat's, what arith.truncf folds to)."""
    x = np.asarray(x, dtype=np.float32)
    if dtype == "f16":
        return x.astype(np.float16).astype(np.float32)
    if dtype == "bf16":
        bits = x.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return rounded.astype(np.uint32).view(np.float32)
    if dtype in FP8_FLOATS:
        with np.errstate(over="ignore", invalid="ignore"):
            return x.astype(NUMPY_STORAGE[dtype]).astype(np.float32)
    if dtype == "f32":
        return x
    raise TilefuseError(f"unknown dtype '{dtype}'")
