"""The fixed tolerance of an output by its dtype: for outputs no derived error bound reaches
(tilefuse/checkers/bound.py) and for bench's checks of GPU results."""

def tolerance(dtype: str) -> tuple[float, float]:
    """(atol, rtol) for outputs of `dtype` against the float64 reference: a few ulps of the storage type
    plus f32-accumulation error over the softmax and the PV sum."""
    return {"f16": (2e-3, 1e-2), "bf16": (1.6e-2, 4e-2), "f32": (1e-5, 1e-5)}[dtype]
