"""A problem's exact answer with NumPy: float64 throughout, rounded where the IR stores to a narrow type."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..ir.rounding import round_to

if TYPE_CHECKING:
    from .spec import AttentionProblem


def exact_output(p: AttentionProblem, inputs: dict[str, np.ndarray]) -> np.ndarray:
    q = np.asarray(inputs["q"], np.float64).reshape(-1, p.group, p.m, p.k1)
    k, v = (_paged(p, inputs, x) if p.paged is not None else np.asarray(inputs[x], np.float64) for x in "kv")
    k, v = k.reshape(-1, p.k2, p.k1), v.reshape(-1, p.k2, p.nv)
    s = np.einsum("hgmd,hkd->hgmk", q, k) * p.scale_value
    if p.seq_lens is not None:  # row b sees its first seq_lens[b] keys (none: NaN, softmax of no score)
        seen = np.arange(p.k2)[None, :] < np.asarray(inputs["seq_lens"])[:, None]  # (batch, k2)
        s = np.where(np.repeat(seen, p.hkv, axis=0)[:, None, None, :], s, -np.inf)
    elif p.mask == "additive":
        s = s + np.asarray(inputs["mask"], np.float64)
    elif p.mask in ("boolean", "causal"):
        s = np.where(_keep(p, inputs), s, -np.inf)
    with np.errstate(invalid="ignore"):  # a row of no key (seq_lens 0): NaN, as its softmax is undefined
        e = np.exp(s - s.max(axis=-1, keepdims=True))
    o = np.einsum("hgmk,hkn->hgmn", e / e.sum(axis=-1, keepdims=True), v)
    o = o.reshape(p.q_batch + [p.m, p.nv])
    if p.v_scale_value is not None:  # the multiply rounds to the attention's result type, as the IR computes it
        result = "f32" if p.epilogue == "cast" else p.result_dtype
        o = round_to(result, round_to(result, o) * p.v_scale_value)
    o = round_to(p.result_dtype, o)
    if p.epilogue == "residual":
        o = round_to(p.dtype, o + inputs["residual"])
    elif p.epilogue == "head-merge":
        o = o.transpose(0, 2, 1, 3).reshape(p.result_shape())
    return o


def _paged(p: AttentionProblem, inputs, name: str) -> np.ndarray:
    """K or V of every sequence, (batch, kv_heads, k2, d), read from its page pool through the page table."""
    pages = np.asarray(inputs[name], np.float64)[np.asarray(inputs["page_table"])]  # (b, pages, hkv, page, d)
    return pages.transpose(0, 2, 1, 3, 4).reshape(p.batch, p.hkv, p.k2, -1)


def _keep(p: AttentionProblem, inputs) -> np.ndarray:
    """Which keys each query sees under a boolean or causal mask."""
    if p.mask == "boolean":
        return np.asarray(inputs["mask"], bool)
    rows = np.arange(p.m)[:, None] + (p.k2 - p.m)
    return np.arange(p.k2)[None, :] <= rows
