"""Seeded inputs for a problem's `@attention` arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..ir.rounding import round_to

if TYPE_CHECKING:
    from .spec import AttentionProblem


def seeded_inputs(p: AttentionProblem, seed: int = 0) -> dict[str, np.ndarray]:
    """Inputs as float32 (bool for a boolean mask, int64 for a page table, int32 for
    sequence lengths) whose values are exact in their element types."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in p.shapes().items():
        if name == "mask" and p.mask == "boolean":
            keep = rng.random(shape) < 0.8
            keep[:, 0] = True  # every query keeps one key, so no softmax row is empty
            out[name] = keep
        elif name == "page_table":  # each sequence's pages, distinct and shuffled through the pool
            out[name] = rng.permutation(p.pool_pages)[:p.batch * p.pages].reshape(shape).astype(np.int64)
        elif name == "seq_lens":  # each sequence's length in keys
            drawn = rng.integers(1, p.k2 + 1, shape)
            out[name] = (drawn if p.seq_lens == "drawn" else np.array(p.seq_lens.split(","), int)).astype(np.int32)
        elif name == "mask":
            out[name] = round_to(p.result_dtype, rng.uniform(-4.0, 0.0, shape))
        else:
            elem = {"k": p.kv_element, "v": p.v_element}.get(name, p.dtype)
            out[name] = round_to(elem, rng.standard_normal(shape))
    return out
