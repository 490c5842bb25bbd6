"""The problems `tilefuse fuzz` draws: the shapes users' models produce (issue 18), kept small enough that the NumPy
interpreters verify one in seconds. Case `index` of seed `seed` is the same problem whatever N is."""

from __future__ import annotations

import numpy as np

from ...ir.intrinsics import Intrinsic
from ...ir.facts import FP8_E4M3, HALF_FLOATS
from ...problem import EPILOGUES, FP8_DTYPES, GQA_LAYOUTS, LAYOUTS, MASKS, AttentionProblem
from ...target.targets import get_target

BATCHES = (1, 2)
HEADS = (1, 2, 3, 4)
# Head dims of real models (Phi-2 80, Phi-3 96, ...) and odd ones users report (24, 36, 40)
HEAD_DIMS = (16, 24, 32, 36, 40, 48, 64, 80, 96, 112, 128, 160, 192, 256)
# Sequence lengths: decode (1), shorter than one MMA tile, primes, tile-aligned, one past a tile
LENGTHS = (1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 32, 37, 61, 64, 77, 97, 127, 128, 131, 193, 251, 256, 257, 263)
MAX_LENGTH = 320
# batch * heads * M * K2 * (K1 + N): bounds what the SIMT interpreter runs thread by thread (~16 M: seconds)
MAX_WORK = 1 << 24
# On a target, the share of cases drawn in fp8 (issue 29): half with fp8 Q/K/V, in a type the target has MMA
# intrinsics for (FNUZ on gfx942, OCP on gfx950 and sm_89; none elsewhere: those draw the cache form), half with an
# fp8 KV cache under the 16-bit query (OCP where the target has no fp8 type); dequantization scales or none. The
# format is E4M3, or E5M2 for E5M2_SHARE of them, drawn from a stream of its own (the other draws stay as they were).
FP8_SHARE = 0.3
E5M2_SHARE = 0.3
# ... and MIXED_SHARE of them take V in the other format of the family (mixed E4M3 x E5M2, `--v-dtype`; fp8 Q/K/V
# only where the target has MMA for both), drawn from a stream of its own
MIXED_SHARE = 0.2
OCP_FP8 = ("f8E4M3FN", "f8E5M2")
DYNAMIC_FORMS = ("k2", "m,k2", "m")  # `tilefuse problem --dynamic`: keys, a prompt and its keys, a prompt
# A masked case's share in run-time lengths (a mask of the run-time rows or keys, GQA's included: a GQA prompt's
# static rows against a masked KV cache too), drawn from a stream of its own
MASKED_DYNAMIC_SHARE = 0.5
MASKED_DYNAMIC_FORMS = ("m,k2", "m", "k2")
DEQUANT_SCALES = (None, 0.25, 1.5)
# The share of the cases in the paged KV cache's form (`tilefuse problem --paged`) that take it, its page sizes
# (1: SGLang's, each key its own page; 2, 4, 8: fewer keys than one MMA step, several pages a K2 step, a lane's
# block of keys over pages; vLLM's default 16, shark-ai's 32, 64, 128), drawn from a
# stream of their own so every other case stays the problem it was; the keys rounded down to whole pages. With a
# target, FP8_SHARE of them take an fp8 cache (fp8 pages under the 16-bit query).
PAGED_SHARE = 0.3
PAGE_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
# The share of the paged cases whose mask is their sequences' lengths from a `seq_lens` operand (`--seq-lens`,
# lengths drawn with the inputs; it replaces an additive mask), drawn after the page size from the same stream
SEQ_LENS_SHARE = 0.5
# The share of the paged cases whose page table is of run-time length (`--dynamic k2`: a decode's cache growing
# by pages), drawn from a stream of its own; pages of 8 keys (several a step, the last partial) only where the
# attention has no mask of its own (k2-tail masks a partial step of pages only then: refused under one)
RUN_TIME_PAGES_SHARE = 0.4


def draw_problem(seed: int, index: int, target: str | None = None) -> AttentionProblem:
    """Case `index` of `seed`; with a `target`, a share of the cases in fp8 forms (drawn after everything else, so
    the 16-bit cases are the same problems with or without it)."""
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
    problem = AttentionProblem(
        name=f"fuzz_{seed}_{index}", batch=batch, heads=heads, kv_heads=kv_heads, m=m, k2=k2, k1=k1, n=n,
        dtype=pick(HALF_FLOATS), mask=mask, layout="4d" if epilogue == "head-merge" else pick(LAYOUTS),
        epilogue=epilogue, gqa_layout=pick(GQA_LAYOUTS) if kv_heads else "grouped")
    # Keys or query rows of run-time length (a KV cache, a prompt), in the forms `tilefuse problem --dynamic`
    # writes; drawn before the fp8 forms and whatever the target; masked or not, they take the fp8 forms as a
    # static case does
    if (mask, epilogue, problem.gqa_layout) == ("none", "none", "grouped") and rng.random() < 0.5:
        return _with_fp8(problem.with_(dynamic=pick(DYNAMIC_FORMS)), seed, index, target, rng)
    masked = np.random.default_rng([seed, index, 2])
    if mask != "none" and (epilogue, problem.gqa_layout) == ("none", "grouped") \
            and masked.random() < MASKED_DYNAMIC_SHARE:
        dynamic = MASKED_DYNAMIC_FORMS[int(masked.integers(len(MASKED_DYNAMIC_FORMS)))]
        return _with_fp8(problem.with_(dynamic=dynamic), seed, index, target, rng)
    paged = np.random.default_rng([seed, index, 1])
    if (mask in ("none", "additive"), epilogue, problem.layout, problem.gqa_layout) == (True, "none", "4d", "grouped") \
            and paged.random() < PAGED_SHARE:
        page = PAGE_SIZES[int(paged.integers(len(PAGE_SIZES)))]
        lengths = dict(mask="none", seq_lens="drawn") if paged.random() < SEQ_LENS_SHARE else {}
        paged_problem = problem.with_(paged=page, k2=max(1, k2 // page) * page, **lengths)
        unmasked = paged_problem.mask == "none" and paged_problem.seq_lens is None
        if (page >= 16 or unmasked) and np.random.default_rng([seed, index, 4]).random() < RUN_TIME_PAGES_SHARE:
            paged_problem = paged_problem.with_(dynamic="k2")
        return _with_fp8(paged_problem, seed, index, target, rng, cache_only=True)
    return _with_fp8(problem, seed, index, target, rng)


def _with_fp8(problem: AttentionProblem, seed: int, index: int, target: str | None, rng,
              cache_only: bool = False) -> AttentionProblem:
    """PROBLEM, or with a `target` for FP8_SHARE of the cases one of its fp8 forms (fp8 Q/K/V or an fp8 cache;
    `cache_only`: an fp8 cache, a paged one's pages)."""
    if target is None or rng.random() >= FP8_SHARE:
        return problem
    scales = dict(k_scale=DEQUANT_SCALES[int(rng.integers(len(DEQUANT_SCALES)))],
                  v_scale=DEQUANT_SCALES[int(rng.integers(len(DEQUANT_SCALES)))])
    with_mma = fp8_with_mma(target)
    fp8 = _format(with_mma or OCP_FP8, np.random.default_rng([seed, index, 2]))
    other = next(t for t in FP8_DTYPES if t != fp8 and t.endswith("FNUZ") == fp8.endswith("FNUZ"))
    # (a paged cache's pages are one format: mixed formats are drawn for unpaged caches and fp8 Q/K/V)
    mixed = not cache_only and np.random.default_rng([seed, index, 3]).random() < MIXED_SHARE
    if with_mma and not cache_only and rng.random() < 0.5 and problem.epilogue not in ("cast", "residual"):
        return problem.with_(dtype=fp8, v_dtype=other if mixed and other in with_mma else None, **scales)
    return problem.with_(kv_dtype=fp8, v_dtype=other if mixed else None, **scales)


def fp8_with_mma(target: str) -> list[str]:
    """The fp8 types the target has an MMA intrinsic for (both operands in it)."""
    operands = {Intrinsic.named(i.name).element_types[:2] for i in get_target(target).mma_intrinsics}
    return [t for t in FP8_DTYPES if (t, t) in operands]


def _format(types, rng) -> str:
    """The first E4M3 type of `types`, or its E5M2 one for E5M2_SHARE of the draws (or where it has no E4M3)."""
    e4m3, e5m2 = [t for t in types if t in FP8_E4M3], [t for t in types if t not in FP8_E4M3]
    return e5m2[0] if e5m2 and (not e4m3 or rng.random() < E5M2_SHARE) else e4m3[0]


def _length(rng) -> int:
    return LENGTHS[int(rng.integers(len(LENGTHS)))] if rng.random() < 0.5 else int(rng.integers(1, MAX_LENGTH + 1))
