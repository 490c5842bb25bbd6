"""Facts about the IR tilefuse reads and writes, spelled once: the attention op names and the element types.

Every module that matches an attention op or branches on an element type imports these; it imports nothing of
tilefuse's, so any module may.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

# The attention op of IREE's input, and the op IREE's ConvertAttentionToOnlineAttention turns it into (its
# running max and sum are two more outputs) — the one configure and the strategies tile.
ATTENTION = "iree_linalg_ext.attention"
ONLINE_ATTENTION = "iree_linalg_ext.online_attention"
ATTENTION_OPS = (ATTENTION, ONLINE_ATTENTION)

# The 16-bit float element types tilefuse lowers (MMA operands with f32 accumulation); a problem is in one of them.
HALF_FLOATS = ("f16", "bf16")
HALF_BYTES = 2  # the size of one element of either
# The 8-bit float types of MMA operands (f32 accumulation): AMD CDNA3's FNUZ pair (gfx942), the OCP pair (gfx950,
# NVIDIA sm_89 and later). E4M3 is attention's usual operand format; E5M2 (f16's range, 2 mantissa bits) is for
# gradients and caches that keep outliers.
FP8_E4M3 = ("f8E4M3FNUZ", "f8E4M3FN")
FP8_FLOATS = FP8_E4M3 + ("f8E5M2FNUZ", "f8E5M2")
# The operand types tilefuse lowers an attention in, MMA operands with f32 accumulation (f32 itself where the
# target has an f32 MMA: CDNA's MFMA_F32_16x16x4_F32; IREE 3.13 lists none for NVIDIA).
MMA_FLOATS = HALF_FLOATS + FP8_FLOATS + ("f32",)
ELEMENT_BYTES = {**{t: HALF_BYTES for t in HALF_FLOATS}, **{t: 1 for t in FP8_FLOATS}, "f32": 4}
# The float types the interpreters and the runtime hold as float32 (rounded to the type); f64 is held as float64.
FLOAT_TYPES = MMA_FLOATS
# Each float type's largest finite value (torch.finfo(dtype).max); its negation is what exports write as "hidden".
FINITE_MAX = {"f16": 65504.0, "bf16": 3.3895313892515355e38, "f32": 3.4028234663852886e38,
              "f8E4M3FNUZ": 240.0, "f8E4M3FN": 448.0, "f8E5M2FNUZ": 57344.0, "f8E5M2": 57344.0}
# How NumPy stores an element type's values byte for byte; bf16 has no NumPy type (its bits are a uint16's).
NUMPY_STORAGE = {"f16": np.float16, "f32": np.float32, "f64": np.float64, "i8": np.int8, "i16": np.int16,
                 "i32": np.int32, "i64": np.int64, "i1": np.bool_,
                 # ml_dtypes (a dependency of iree-base-runtime, which passes them to IREE's buffers) rounds to
                 # nearest even as MLIR's APFloat does: E4M3FN / FNUZ and E5M2FNUZ have no infinity, so a value
                 # past the largest finite one by half an ulp or more is NaN; E5M2 goes to infinity.
                 "f8E4M3FNUZ": ml_dtypes.float8_e4m3fnuz, "f8E4M3FN": ml_dtypes.float8_e4m3fn,
                 "f8E5M2FNUZ": ml_dtypes.float8_e5m2fnuz, "f8E5M2": ml_dtypes.float8_e5m2}
