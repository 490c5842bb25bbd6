"""Attention problems: the spec (spec.py), its IREE input MLIR (render.py), seeded inputs (inputs.py), the NumPy
reference (reference.py) and the tolerances outputs are held to (tolerance.py)."""

from .spec import DTYPES, EPILOGUES, FP8_DTYPES, GQA_LAYOUTS, LAYOUTS, MASKS, AttentionProblem
from .tolerance import tolerance

__all__ = ["DTYPES", "EPILOGUES", "FP8_DTYPES", "GQA_LAYOUTS", "LAYOUTS", "MASKS", "AttentionProblem", "tolerance"]
