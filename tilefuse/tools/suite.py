"""The built-in problem suite: full shapes for compilation, `small()` versions for numerics."""

from ..errors import TilefuseError
from ..problem import AttentionProblem as P

SUITE = [
    P("mha_f16_d64", batch=2, heads=16, m=2048, k2=2048, k1=64),
    P("mha_f16_d128_3d", batch=1, heads=16, m=4096, k2=4096, k1=128, layout="3d"),
    P("mha_bf16_d128", batch=2, heads=8, m=1024, k2=1024, k1=128, dtype="bf16"),
    P("mha_f16_d256", batch=1, heads=8, m=1024, k2=1024, k1=256),
    P("unaligned_f16_s257", batch=1, heads=8, m=257, k2=257, k1=64),
    P("clip_f16_s77", batch=2, heads=12, m=77, k2=77, k1=64, layout="3d"),
    P("additive_mask_f16_d64", batch=2, heads=8, m=1024, k2=1024, k1=64, mask="additive"),
    P("causal_f16_d128", batch=1, heads=16, m=2048, k2=2048, k1=128, mask="causal"),
    P("gqa_bf16_d128", batch=1, heads=32, kv_heads=8, m=2048, k2=2048, k1=128, dtype="bf16"),
    P("decode_f16_d128", batch=4, heads=32, m=1, k2=4096, k1=128),
    P("headmerge_f16_d64", batch=2, heads=12, m=1024, k2=1024, k1=64, epilogue="head-merge"),
]

# Shapes users' models hit (issue 18): Phi-2's and Phi-3's head dims (one 80- / 96-wide N tile; QK^T on gfx942's
# 16x16x16 MFMA at d=80) and IREE's own e2e attention test `small` (K2 = 32 in one K2 step; K1 != N).
# They are in the suite (`problem --list`, `ab`), but the slow tests that loop over every problem and path take
# CORE; tests/test_shapes.py compiles and verifies these once per target on the tilefuse path, which keeps the
# added test time to a few compiles.
SHAPES = [
    P("phi2_f16_d80", batch=1, heads=32, m=2048, k2=2048, k1=80, mask="causal"),
    P("phi3_bf16_d96", batch=1, heads=32, m=4096, k2=4096, k1=96, dtype="bf16", mask="causal"),
    P("iree_e2e_small_f16", batch=2, heads=1, m=256, k2=32, k1=64, n=16, scale=1.0, layout="3d"),
]
CORE = SUITE
SUITE = CORE + SHAPES
# One key (K2 = 1): built in (`--suite`, `--problems`) but not in SUITE, which `ab` runs through stock and hint by
# default: IREE 3.13 itself crashes on it (a segfault in setVectorDistributionConfig, plain iree-compile, gfx942
# and sm_80), in process there. The tilefuse paths pad K2 to one 16-key step before IREE configures it.
ONE_KEY = P("single_key_f16_d64", batch=2, heads=8, m=128, k2=1, k1=64)

BY_NAME = {p.name: p for p in [*SUITE, ONE_KEY]}


def get_problem(name: str) -> P:
    try:
        return BY_NAME[name]
    except KeyError:
        raise TilefuseError(f"no built-in problem '{name}' (known: {', '.join(BY_NAME)})") from None
