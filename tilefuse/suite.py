"""The built-in problem suite: full shapes for compilation, `small()` versions for numerics."""

from .errors import TilefuseError
from .problem import AttentionProblem as P

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

BY_NAME = {p.name: p for p in SUITE}


def get_problem(name: str) -> P:
    try:
        return BY_NAME[name]
    except KeyError:
        raise TilefuseError(f"no built-in problem '{name}' (known: {', '.join(BY_NAME)})") from None
