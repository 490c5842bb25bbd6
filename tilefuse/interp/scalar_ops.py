"""arith / math ops, evaluated elementwise on whole NumPy arrays (used at top level and in linalg bodies)."""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from .values import bitcast, cast_to, element_type, width as _width

_FLOAT_BINARY = {
    "arith.addf": np.add, "arith.subf": np.subtract, "arith.mulf": np.multiply, "arith.divf": np.divide,
    "arith.maximumf": np.maximum, "arith.minimumf": np.minimum, "arith.maxnumf": np.fmax,
    "arith.minnumf": np.fmin, "arith.remf": np.fmod, "math.powf": np.power, "math.atan2": np.arctan2,
    "math.copysign": np.copysign,
}
_INT_BINARY = {
    "arith.addi": np.add, "arith.subi": np.subtract, "arith.muli": np.multiply,
    "arith.maxsi": np.maximum, "arith.minsi": np.minimum, "arith.maxui": np.maximum, "arith.minui": np.minimum,
    "arith.andi": np.bitwise_and, "arith.ori": np.bitwise_or, "arith.xori": np.bitwise_xor,
    "arith.floordivsi": np.floor_divide, "arith.shli": np.left_shift, "arith.shrui": np.right_shift,
    "arith.shrsi": np.right_shift, "math.ipowi": np.power,
}
_UNARY = {
    "math.exp": np.exp, "math.exp2": np.exp2, "math.log": np.log, "math.log2": np.log2, "math.sqrt": np.sqrt,
    "math.rsqrt": lambda x: 1.0 / np.sqrt(x), "math.tanh": np.tanh, "math.absf": np.abs,
    "math.floor": np.floor, "math.ceil": np.ceil, "math.erf": lambda x: erf(x), "math.sin": np.sin,
    "math.cos": np.cos, "math.tan": np.tan, "math.atan": np.arctan, "math.sinh": np.sinh, "math.cosh": np.cosh,
    "math.log1p": np.log1p, "math.expm1": np.expm1, "math.log10": np.log10, "math.trunc": np.trunc,
    "math.round": lambda x: np.trunc(x + np.copysign(np.float32(0.5), x)), "math.roundeven": np.rint,
    "arith.negf": np.negative,
}
_CAST = ("arith.extf", "arith.truncf", "arith.extui", "arith.extsi", "arith.trunci", "arith.index_cast",
         "arith.index_castui", "arith.sitofp", "arith.uitofp", "arith.fptosi", "arith.fptoui", "arith.bitcast")
_CMPF = {0: None, 1: np.equal, 2: np.greater, 3: np.greater_equal, 4: np.less, 5: np.less_equal,
         6: np.not_equal, 8: np.equal, 9: np.greater, 10: np.greater_equal, 11: np.less, 12: np.less_equal,
         13: np.not_equal}
_CMPI = {0: np.equal, 1: np.not_equal, 2: np.less, 3: np.less_equal, 4: np.greater, 5: np.greater_equal,
         6: np.less, 7: np.less_equal, 8: np.greater, 9: np.greater_equal}

COMBINERS = {  # a reduction's combining op -> the NumPy ufunc whose .reduce folds an axis with it
    "arith.addf": np.add, "arith.addi": np.add, "arith.mulf": np.multiply, "arith.maximumf": np.maximum,
    "arith.minimumf": np.minimum, "arith.maxnumf": np.fmax, "arith.minnumf": np.fmin,
    "arith.maxsi": np.maximum, "arith.minsi": np.minimum, "arith.ori": np.bitwise_or, "arith.andi": np.bitwise_and,
}


def is_scalar_op(name: str) -> bool:
    return (name in _FLOAT_BINARY or name in _INT_BINARY or name in _UNARY or name in _CAST
            or name in ("arith.select", "arith.cmpf", "arith.cmpi", "arith.divsi", "arith.divui", "arith.remsi",
                        "arith.remui", "arith.ceildivsi", "math.fma", "math.fpowi", "math.absi"))


def eval_scalar_op(op: ir.Operation, args: list):
    """Result of an arith/math op on NumPy arrays (or scalars), rounded to its result element type."""
    name = op.name
    out = element_type(op.results[0].type)
    with np.errstate(all="ignore"):
        if name in _FLOAT_BINARY:
            return cast_to(_FLOAT_BINARY[name](np.asarray(args[0], np.float32), np.asarray(args[1], np.float32)), out)
        if name in _INT_BINARY:
            r = _INT_BINARY[name](np.asarray(args[0], np.int64), np.asarray(args[1], np.int64))
            return cast_to(r, out)
        if name in ("arith.divsi", "arith.divui"):
            a, b = np.asarray(args[0], np.int64), np.asarray(args[1], np.int64)
            return cast_to(np.trunc(a / b) if name == "arith.divsi" else a // b, out)
        if name in ("arith.remsi", "arith.remui"):
            a, b = np.asarray(args[0], np.int64), np.asarray(args[1], np.int64)
            return cast_to(np.fmod(a, b) if name == "arith.remsi" else a % b, out)
        if name == "arith.ceildivsi":
            return cast_to(-(-np.asarray(args[0], np.int64) // np.asarray(args[1], np.int64)), out)
        if name in _UNARY:
            return cast_to(_UNARY[name](np.asarray(args[0], np.float32)), out)
        if name == "math.fpowi":  # a float to an integer power (torch's x ** 2 in RMSNorm)
            return cast_to(np.power(np.asarray(args[0], np.float64), np.asarray(args[1], np.int64)), out)
        if name == "math.absi":
            return cast_to(np.abs(np.asarray(args[0], np.int64)), out)
        if name == "math.fma":
            return cast_to(np.asarray(args[0], np.float32) * args[1] + args[2], out)
        if name in _CAST:
            if name == "arith.bitcast":
                return bitcast(args[0], element_type(op.operands[0].type), out)
            if name in ("arith.fptosi", "arith.fptoui"):
                return cast_to(np.trunc(args[0]), out)
            if name == "arith.extui" and element_type(op.operands[0].type) == "i1":
                return cast_to(np.asarray(args[0]).astype(np.int64), out)
            if name == "arith.extui":  # integers are held signed: the source's bits, zero-extended
                return cast_to(np.asarray(args[0]).astype(np.int64) & ((1 << _width(element_type(op.operands[0].type))) - 1), out)
            return cast_to(args[0], out)
        if name == "arith.select":
            return np.where(np.asarray(args[0], bool), args[1], args[2])
        if name in ("arith.cmpf", "arith.cmpi"):
            pred = ir.IntegerAttr(op.attributes["predicate"]).value
            fn = (_CMPF if name == "arith.cmpf" else _CMPI).get(pred)
            if fn is None:
                raise NotInterpretable(f"{name} predicate {pred}")
            return np.asarray(fn(args[0], args[1]))
    raise NotInterpretable(name)


def erf(x):
    """erf on whole arrays (NumPy has none), in float64: its Taylor series where it converges fast (|x| < 3, 80
    terms: the last is below 1e-60), 1 - erfc beyond, erfc from Numerical Recipes' Chebyshev fit (relative error
    under 1.2e-7 of erfc, itself below 2.3e-5 there)."""
    x = np.asarray(x, np.float64)
    small = np.clip(x, -3.0, 3.0)
    term, total = small.copy(), small.copy()
    for n in range(1, 80):
        term = term * -small * small / n
        total = total + term / (2 * n + 1)
    series = total * 2.0 / np.sqrt(np.pi)
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    tail = np.sign(x) * (1.0 - t * np.exp(poly))
    return np.where(np.abs(x) < 3.0, series, tail)
