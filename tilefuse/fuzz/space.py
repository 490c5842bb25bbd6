"""The problems `tilefuse fuzz` draws: the shapes users' models produce (issue 18), kept small enough that the NumPy
interpreters verify one in seconds. Case `index` of seed `seed` is the same problem whatever N is."""

from __future__ import annotations

import shlex
from dataclasses import fields

import numpy as np

from ..problem import DTYPES, EPILOGUES, GQA_LAYOUTS, LAYOUTS, MASKS, AttentionProblem

BATCHES = (1, 2)
HEADS = (1, 2, 3, 4)
# Head dims of real models (Phi-2 80, Phi-3 96, ...) and odd ones users report (24, 36, 40)
HEAD_DIMS = (16, 24, 32, 36, 40, 48, 64, 80, 96, 112, 128, 160, 192, 256)
# Sequence lengths: decode (1), shorter than one MMA tile, primes, tile-aligned, one past a tile
LENGTHS = (1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 32, 37, 61, 64, 77, 97, 127, 128, 131, 193, 251, 256, 257, 263)
MAX_LENGTH = 320
# batch * heads * M * K2 * (K1 + N): bounds what the SIMT interpreter runs thread by thread (~16 M: seconds)
MAX_WORK = 1 << 24


def draw_problem(seed: int, index: int) -> AttentionProblem:
    rng = np.random.default_rng([seed, index])
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    heads = pick(HEADS)
    divisors = [d for d in range(1, heads) if heads % d == 0]
    kv_heads = pick(divisors) if divisors and rng.random() < 0.5 else None
    k1 = pick(HEAD_DIMS)
    n = pick(HEAD_DIMS) if rng.random() < 0.3 else None
    epilogue, mask = pick(EPILOGUES), pick(MASKS)
    batch = pick(BATCHES)
    while True:  # redraw the lengths until the problem is small enough to interpret
        m, k2 = _length(rng), _length(rng)
        if mask == "causal" and k2 < m:
            m, k2 = k2, m
        if batch * heads * m * k2 * (k1 + (n or k1)) <= MAX_WORK:
            break
    dtype, layout = pick(DTYPES), "4d" if epilogue == "head-merge" else pick(LAYOUTS)
    gqa_layout = pick(GQA_LAYOUTS) if kv_heads else "grouped"
    # Keys of run-time length (a KV cache), in the forms `tilefuse problem --dynamic` writes; drawn last, so the
    # draws before it are what they were
    dynamic = "k2" if (mask, epilogue, gqa_layout) == ("none", "none", "grouped") and rng.random() < 0.5 else None
    return AttentionProblem(
        name=f"fuzz_{seed}_{index}", batch=batch, heads=heads, kv_heads=kv_heads, m=m, k2=k2, k1=k1, n=n,
        dtype=dtype, mask=mask, layout=layout, epilogue=epilogue, gqa_layout=gqa_layout, dynamic=dynamic)


def _length(rng) -> int:
    return LENGTHS[int(rng.integers(len(LENGTHS)))] if rng.random() < 0.5 else int(rng.integers(1, MAX_LENGTH + 1))


def problem_command(p: AttentionProblem) -> str:
    """The `tilefuse problem` command line that writes P (what a user reruns one case from)."""
    args = ["tilefuse", "problem"]
    for f in fields(p):
        if getattr(p, f.name) is not None:
            args += [f"--{f.name.replace('_', '-')}", str(getattr(p, f.name))]
    return shlex.join(args + ["-o", f"{p.name}.mlir"])
