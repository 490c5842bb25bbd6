"""Is an attention causal? A proof from the IR, never from sampled values: the mask (or the score region) is
evaluated symbolically, every index expression as an integer linear form over the iteration dims, every
comparison as `form <= 0`. An attention is causal with offset c when query row i sees key j exactly when

    j <= i + c      (mask[.., i, j] = visible: true, or 0 for an additive mask; hidden: false, or -inf)

for every batch index alike. Anything the evaluator cannot reduce to that (a second condition such as a padding
length, a head-dependent term, the comparison the other way round, an equality) is not causal: the caller keeps
the mask as it is. design/tilefuse-path.md, "Causal attention".

Spellings understood: a linalg.generic that computes the mask from linalg.index (cmpi, select of two constants,
xori with true, extui / index_cast), reached through broadcasting copies and tensor.collapse_shape /
expand_shape (PyTorch's per-head materialized mask); and the score region of the attention op itself with
iree_linalg_ext.index (or linalg.index), yielding select(visible, score, -inf).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import iree.compiler.ir as ir

from .errors import Unsupported
from .heuristics import attention_shape
from .irutil import indexing_maps, projected_dims


@dataclass(frozen=True)
class Causal:
    """Row i of the query dim `row` sees key j exactly when j <= (i mod period) + offset (no mod: period None).
    A period is what a row index means once IREE packs query heads into the rows (GQA): the row within its head."""

    offset: int
    row: int
    period: int | None = None


# A term of a linear form: (dim, period): index_dim, or index_dim mod period (period > 0).
Term = tuple[int, int]


@dataclass(frozen=True)
class Linear:
    """sum(coeffs[t] * term_t) + const over the iteration dims of the op being evaluated."""

    coeffs: tuple[tuple[Term, int], ...]  # sorted (term, coefficient), no zero coefficients
    const: int = 0

    @staticmethod
    def of(coeffs: dict[Term, int], const: int = 0) -> "Linear":
        return Linear(tuple(sorted((d, c) for d, c in coeffs.items() if c)), const)

    def scaled(self, k: int) -> "Linear":
        return Linear.of({d: c * k for d, c in self.coeffs}, self.const * k)

    def plus(self, other: "Linear") -> "Linear":
        coeffs = dict(self.coeffs)
        for d, c in other.coeffs:
            coeffs[d] = coeffs.get(d, 0) + c
        return Linear.of(coeffs, self.const + other.const)

    def renamed(self, dims: dict[int, int]) -> "Linear":
        """The form over other dims: dim d becomes dims[d]."""
        return Linear.of({(dims[d], p): c for (d, p), c in self.coeffs}, self.const)

    @property
    def dims(self) -> list[int]:
        return [d for (d, _), _ in self.coeffs]

    @property
    def nonnegative(self) -> bool:
        """Provably >= 0 (indices are)."""
        return self.const >= 0 and all(c >= 0 for _, c in self.coeffs)


@dataclass(frozen=True)
class Visible:
    """An element is visible exactly when `form <= 0`."""

    form: Linear

    def negated(self) -> "Visible":
        return Visible(self.form.scaled(-1).plus(Linear.of({}, 1)))  # not (L <= 0)  <=>  -L + 1 <= 0


@dataclass(frozen=True)
class _Const:
    value: float | int | bool


@dataclass(frozen=True)
class _Score:
    pass


# arith.cmpi predicates (arith::CmpIPredicate): lhs - rhs <= 0 forms; unsigned ones only where both sides are
# provably non-negative, where they agree with the signed ones.
_SLE, _SLT, _SGE, _SGT = 3, 2, 5, 4
_CMP = {_SLE: (1, 0), _SLT: (1, 1), _SGE: (-1, 0), _SGT: (-1, 1), 7: (1, 0), 6: (1, 1), 9: (-1, 0), 8: (-1, 1)}
_UNSIGNED = {6, 7, 8, 9}
_INDEX_OPS = ("linalg.index", "iree_linalg_ext.index")
_CASTS = ("arith.index_cast", "arith.index_castui", "arith.extui", "arith.extsi")


class _NotCausal(Exception):
    pass


def _block_value(v: ir.Value, env: dict, score: ir.Value | None):
    if isinstance(v.owner, ir.Block):
        if score is not None and v == score:
            return _Score()
        raise _NotCausal  # another block argument (the generic's out, an input): not an index function
    if v in env:
        return env[v]
    if v.owner.name == "arith.constant":  # captured from above the block (canonicalization hoists them)
        return _constant(v.owner)
    raise _NotCausal


def _constant(op) -> "_Const":
    attr = op.attributes["value"]
    return _Const(ir.FloatAttr(attr).value if isinstance(attr.type, ir.FloatType) else ir.IntegerAttr(attr).value)


def _evaluate(block: ir.Block, score: ir.Value | None = None):
    """The symbolic value the block yields: a Linear, a Visible, a constant, or a select result (visible,
    value if visible, value if hidden)."""
    env: dict = {}
    for op in block.operations:
        name = op.name
        args = [_block_value(a, env, score) for a in op.operands]
        if name in _INDEX_OPS:
            value = Linear.of({(ir.IntegerAttr(op.attributes["dim"]).value, 0): 1})
        elif name == "arith.constant":
            value = _constant(op)
        elif name in ("arith.addi", "arith.subi") and all(isinstance(a, (Linear, _Const)) for a in args):
            lhs, rhs = (_linear(a) for a in args)
            value = lhs.plus(rhs.scaled(-1 if name == "arith.subi" else 1))
        elif name == "arith.muli" and any(isinstance(a, _Const) for a in args):
            k, other = (args[0], args[1]) if isinstance(args[0], _Const) else (args[1], args[0])
            value = _linear(other).scaled(int(k.value))
        elif name in ("arith.remui", "arith.remsi") and isinstance(args[1], _Const) and isinstance(args[0], Linear):
            value = _period(args[0], int(args[1].value))
        elif name in _CASTS and len(args) == 1:
            value = args[0]
        elif name == "arith.cmpi" and all(isinstance(a, (Linear, _Const)) for a in args):
            value = _compare(ir.IntegerAttr(op.attributes["predicate"]).value, *(_linear(a) for a in args))
        elif name == "arith.xori" and any(isinstance(a, Visible) for a in args):
            other = args[1] if isinstance(args[0], Visible) else args[0]
            pred = args[0] if isinstance(args[0], Visible) else args[1]
            if not (isinstance(other, _Const) and other.value in (1, -1, True)):
                raise _NotCausal
            value = pred.negated()
        elif name == "arith.select" and isinstance(args[0], Visible):
            value = (args[0], args[1], args[2])
        elif name in ("linalg.yield", "iree_linalg_ext.yield") and len(args) == 1:
            return args[0]
        else:
            raise _NotCausal
        env[op.results[0]] = value
    raise _NotCausal


def _period(index: Linear, period: int) -> Linear:
    """index_d mod period, for a plain index (non-negative, so remsi and remui agree)."""
    if period <= 0 or index.const or len(index.coeffs) != 1 or index.coeffs[0][1] != 1 or index.coeffs[0][0][1]:
        raise _NotCausal
    ((d, _), _), = index.coeffs
    return Linear.of({(d, period): 1})


def _linear(v) -> Linear:
    if isinstance(v, Linear):
        return v
    if isinstance(v, _Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
        return Linear.of({}, v.value)
    raise _NotCausal


def _compare(predicate: int, lhs: Linear, rhs: Linear) -> Visible:
    if predicate not in _CMP or (predicate in _UNSIGNED and not (lhs.nonnegative and rhs.nonnegative)):
        raise _NotCausal  # eq / ne, or an unsigned comparison that could wrap
    sign, strict = _CMP[predicate]
    return Visible(lhs.plus(rhs.scaled(-1)).scaled(sign).plus(Linear.of({}, strict)))


def _visibility(value, boolean: bool) -> Visible:
    """The visible-set of a mask element value: a boolean mask's predicate, or select(pred, visible, hidden)."""
    if isinstance(value, Visible) and boolean:
        return value
    if isinstance(value, tuple):
        pred, a, b = value
        kinds = (_kind(a, boolean), _kind(b, boolean))
        if kinds == ("visible", "hidden"):
            return pred
        if kinds == ("hidden", "visible"):
            return pred.negated()
    raise _NotCausal


def _kind(v, boolean: bool) -> str:
    """A mask element constant: "visible" (true; additive 0), "hidden" (false; additive -inf) or "other"."""
    if not isinstance(v, _Const):
        return "other"
    if boolean:
        return "visible" if v.value else "hidden"
    return {0.0: "visible", -math.inf: "hidden"}.get(float(v.value), "other")


def _mask_tensor_visibility(value: ir.Value, boolean: bool) -> Visible:
    """The visible-set of a mask tensor, as a form over the tensor's own dims."""
    if isinstance(value.owner, ir.Block):
        raise _NotCausal  # a function argument: values unknown
    op = value.owner
    name = op.name
    if name == "linalg.generic" and len(op.results) == 1:
        maps = indexing_maps(op)
        n_in = len(op.operands) - 1
        out_dims = projected_dims(maps[-1])
        if out_dims != list(range(maps[-1].n_dims)):
            raise _NotCausal
        block = op.regions[0].blocks[0]
        yielded = list(block.operations)[-1].operands[0]
        if n_in == 1 and yielded == block.arguments[0]:  # a broadcasting copy
            in_dims = projected_dims(maps[0])
            if in_dims is None:
                raise _NotCausal
            return Visible(_mask_tensor_visibility(op.operands[0], boolean).form.renamed(dict(enumerate(in_dims))))
        return _visibility(_evaluate(block), boolean)
    if name in ("tensor.collapse_shape", "tensor.expand_shape"):
        groups = [[ir.IntegerAttr(d).value for d in ir.ArrayAttr(g)]
                  for g in ir.ArrayAttr(op.attributes["reassociation"])]
        src = _mask_tensor_visibility(op.operands[0], boolean).form
        wide = ir.ShapedType((op.operands[0] if name == "tensor.collapse_shape" else op.results[0]).type).shape
        # A dim the form uses must stay itself: its group merges (or splits into) it and unit dims only.
        rename = {}
        for narrow, group in enumerate(groups):
            real = [d for d in group if wide[d] != 1] or group[:1]
            if len(real) != 1:
                continue
            if name == "tensor.collapse_shape":
                rename.update({real[0]: narrow})
            else:
                rename[narrow] = real[0]
        if any(d not in rename for d in src.dims):
            raise _NotCausal
        return Visible(src.renamed(rename))
    raise _NotCausal


def _causal(visible: Visible, m_dims: tuple[int, ...], k2: int, rowless: bool = False) -> Causal | None:
    """When `visible` is s * (j - r - c) <= 0 for some s > 0, with j the key dim and r one query dim's index (or
    that index mod a period); the other query dims (e.g. the GQA group) must not matter. `rowless`: s * (j - c)
    <= 0 is one too, the innermost query dim with period 1 (r mod 1 = 0)."""
    coeffs = dict(visible.form.coeffs)
    s = coeffs.get((k2, 0), 0)
    rows = [t for t in coeffs if t != (k2, 0)]
    if rowless and not rows and m_dims and s > 0 and visible.form.const % s == 0:
        return Causal(-visible.form.const // s, m_dims[-1], 1)
    if len(rows) != 1 or rows[0][0] not in m_dims or s <= 0 or coeffs[rows[0]] != -s or visible.form.const % s:
        return None
    (row, period), = rows
    return Causal(-visible.form.const // s, row, period or None)


def _dims(op) -> tuple[tuple[int, ...], int] | None:
    try:
        shape = attention_shape(op)
    except Unsupported:  # dynamic sizes: nothing is proven about them
        return None
    if len(shape.k2) != 1:
        return None
    return shape.m, shape.k2[0]


def mask_causal(op) -> Causal | None:
    """What the mask operand of `op` (an iree_linalg_ext.attention or online_attention) provably is, when it is
    causal; else None."""
    maps = indexing_maps(op)
    n_ins = len(op.operands) - (3 if op.name == "iree_linalg_ext.online_attention" else 1)
    dims = _dims(op)
    if n_ins != 5 or dims is None:
        return None
    mask = op.operands[4]
    mask_dims = projected_dims(maps[4])
    if mask_dims is None:
        return None
    boolean = isinstance(ir.ShapedType(mask.type).element_type, ir.IntegerType)
    try:
        visible = _mask_tensor_visibility(mask, boolean)
    except _NotCausal:
        return None
    return _causal(Visible(visible.form.renamed(dict(enumerate(mask_dims)))), *dims)


def region_causal(op) -> Causal | None:
    """When the score region of `op` yields select(j <= i + c, score, -inf) (iteration dims via
    iree_linalg_ext.index; i possibly mod a period), else None; an identity region is None too. A region whose
    period is 1 (a GQA decode's packed heads, one row each) reads no row once IREE folds `i mod 1` to 0."""
    block = op.regions[0].blocks[0]
    dims = _dims(op)
    if len(block.arguments) != 1 or dims is None:
        return None
    try:
        value = _evaluate(block, score=block.arguments[0])
    except _NotCausal:
        return None
    if not isinstance(value, tuple):
        return None
    pred, a, b = value
    if isinstance(a, _Score) and _kind(b, False) == "hidden":
        return _causal(pred, *dims, rowless=True)
    if isinstance(b, _Score) and _kind(a, False) == "hidden":
        return _causal(pred.negated(), *dims, rowless=True)
    return None
