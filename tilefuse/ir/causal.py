"""Is an attention causal (or a sliding-window band)? A proof from the IR, never from sampled values: the mask (or
the score region) is evaluated symbolically, element by element, every index expression as an integer linear
form over the attention's iteration dims, every comparison as `form <= 0`. An attention is causal with offset c,
and banded with window w, when query row i sees key j only where

    j <= i + c      (and j > i + c - w)      (mask[.., i, j] visible: true, or 0 for an additive mask;
                                              hidden: false, -inf, or the lowest finite f16 / bf16 / f32)

for every batch index alike. A mask is a conjunction: the conditions the evaluator reduces to those forms, and
any other factor (a runtime padding mask read from a function argument, a condition on another dim, a value it
cannot evaluate), which it keeps as an unknown value. Only the conjuncts it proves bound the tiles; where any
other factor exists the mask stays the attention's operand (`Causal.kept`) and applies as before. A mask with no
causal conjunct (the comparison the other way round, a head-dependent or non-diagonal term, an equality, a finite
bias) is not causal: the caller keeps it as it is. design/tilefuse-path.md, "Causal attention".

Spellings understood, as exporters write them: linalg.generic bodies on linalg.index (cmpi, andi, select, xori
with true, casts, addi / subi / muli by a constant, remui by a constant), tensors of indices built by such
generics (PyTorch's `arange`) and read through the input maps of the generics that compare them, through
tensor.expand_shape / collapse_shape, linalg.broadcast / transpose and broadcasting copies; and the score region
of the attention op itself with iree_linalg_ext.index (or linalg.index), yielding select(visible, score, -inf).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import iree.compiler.ir as ir

from ..errors import Unsupported
from .attention import attention_shape
from .facts import FINITE_MAX, ONLINE_ATTENTION
from .irutil import indexing_maps, projected_dims


@dataclass(frozen=True)
class Causal:
    """Row i of the query dim `row` sees key j only when j <= r + offset, r = i mod period (no mod: period None),
    and, with a window, j > r + offset - window. A period is what a row index means once IREE packs query heads
    into the rows (GQA): the row within its head. `kept`: the mask has other factors too (a runtime padding
    mask, a condition on another dim), so it stays the attention's operand; else it is exactly these bounds."""

    offset: int
    row: int
    period: int | None = None
    window: int | None = None
    kept: bool = False


# A term of a linear form: (dim, period): index_dim, or index_dim mod period (period > 0).
Term = tuple[int, int]


@dataclass(frozen=True)
class Linear:
    """sum(coeffs[t] * term_t) + const over the iteration dims of the attention."""

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

    @property
    def nonnegative(self) -> bool:
        """Provably >= 0 (indices are)."""
        return self.const >= 0 and all(c >= 0 for _, c in self.coeffs)


ZERO = Linear.of({})


@dataclass(frozen=True)
class Pred:
    """A boolean: the conjunction of `form <= 0` over `forms`, and of an unknown factor where `unknown`."""

    forms: frozenset[Linear]
    unknown: bool = False

    def negated(self) -> "Pred | _Unknown":
        """not (L <= 0)  <=>  -L + 1 <= 0; a conjunction of several, or with an unknown factor: unknown."""
        if len(self.forms) != 1 or self.unknown:
            return UNKNOWN
        (form,) = self.forms
        return Pred(frozenset({form.scaled(-1).plus(Linear.of({}, 1))}))

    def conj(self, other: "Pred") -> "Pred":
        return Pred(self.forms | other.forms, self.unknown or other.unknown)


@dataclass(frozen=True)
class _Const:
    value: float | int | bool


@dataclass(frozen=True)
class _Unknown:
    """A value the proof does not know (a runtime tensor's element, the result of an op it does not model). It
    is sound wherever it appears: only the conjunctions and selects below look through it."""


@dataclass(frozen=True)
class _Select:
    cond: Pred
    if_true: object
    if_false: object


@dataclass(frozen=True)
class _Score:
    pass


UNKNOWN = _Unknown()
_TRUE = Pred(frozenset())
_FALSE = Pred(frozenset({Linear.of({}, 1)}))  # 1 <= 0
_UNKNOWN_BOOL = Pred(frozenset(), unknown=True)

# arith.cmpi predicates (arith::CmpIPredicate): lhs - rhs <= 0 forms; unsigned ones only where both sides are
# provably non-negative, where they agree with the signed ones.
_SLE, _SLT, _SGE, _SGT = 3, 2, 5, 4
_CMP = {_SLE: (1, 0), _SLT: (1, 1), _SGE: (-1, 0), _SGT: (-1, 1), 7: (1, 0), 6: (1, 1), 9: (-1, 0), 8: (-1, 1)}
_UNSIGNED = {6, 7, 8, 9}
_INDEX_OPS = ("linalg.index", "iree_linalg_ext.index")
_CASTS = ("arith.index_cast", "arith.index_castui", "arith.extsi", "arith.extui")
# The lowest finite values transformers writes as "hidden" (torch.finfo(dtype).min): f16, bf16, f32.
_LOWEST = {-v for v in FINITE_MAX.values()}


class _NotCausal(Exception):
    pass


def _constant(op) -> _Const | _Unknown:
    attr = op.attributes["value"]
    if isinstance(attr, ir.DenseElementsAttr):  # a tensor constant: known where it is a splat
        if not attr.is_splat:
            return UNKNOWN
        attr = attr.get_splat_value()
    if isinstance(attr, ir.FloatAttr):
        return _Const(attr.value)
    if isinstance(attr, ir.BoolAttr):
        return _Const(attr.value)
    if isinstance(attr, ir.IntegerAttr):
        boolean = isinstance(attr.type, ir.IntegerType) and attr.type.width == 1
        return _Const(bool(attr.value) if boolean else attr.value)
    return UNKNOWN


def _linear(v) -> Linear:
    if isinstance(v, Linear):
        return v
    if isinstance(v, _Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
        return Linear.of({}, v.value)
    raise _NotCausal


def _is_index(v) -> bool:
    return isinstance(v, Linear) or (isinstance(v, _Const) and type(v.value) is int)


def _compare(predicate: int, lhs: Linear, rhs: Linear) -> Pred | _Unknown:
    if predicate not in _CMP or (predicate in _UNSIGNED and not (lhs.nonnegative and rhs.nonnegative)):
        return UNKNOWN  # eq / ne, or an unsigned comparison that could wrap
    sign, strict = _CMP[predicate]
    return Pred(frozenset({lhs.plus(rhs.scaled(-1)).scaled(sign).plus(Linear.of({}, strict))}))


def _as_pred(v) -> Pred | None:
    """A boolean as a Pred (constants and unknowns too); None for a non-boolean."""
    if isinstance(v, Pred):
        return v
    if isinstance(v, _Const) and isinstance(v.value, bool):
        return _TRUE if v.value else _FALSE
    if isinstance(v, _Unknown):
        return _UNKNOWN_BOOL
    return None


def _affine(expr: ir.AffineExpr, dims: list):
    """An indexing map's result over the iteration dims' values (Linear; UNKNOWN for what is not linear)."""
    if isinstance(expr, ir.AffineDimExpr):
        return dims[expr.position]
    if isinstance(expr, ir.AffineConstantExpr):
        return Linear.of({}, expr.value)
    if isinstance(expr, (ir.AffineAddExpr, ir.AffineMulExpr)):
        lhs, rhs = _affine(expr.lhs, dims), _affine(expr.rhs, dims)
        if not (isinstance(lhs, Linear) and isinstance(rhs, Linear)):
            return UNKNOWN
        if isinstance(expr, ir.AffineAddExpr):
            return lhs.plus(rhs)
        if not rhs.coeffs:
            return lhs.scaled(rhs.const)
        return rhs.scaled(lhs.const) if not lhs.coeffs else UNKNOWN
    return UNKNOWN


class _Evaluator:
    """Symbolic values of tensor elements and of the scalars in the bodies that compute them. `score`: the
    score block argument of an attention's region (evaluated as itself)."""

    def __init__(self, score: ir.Value | None = None):
        self.score = score

    def element(self, value: ir.Value, index: list):
        """The element of tensor `value` at `index` (a Linear or UNKNOWN per dim)."""
        if isinstance(value.owner, ir.Block):
            return UNKNOWN  # a function argument: a runtime value
        op = value.owner
        name = op.name
        if name == "linalg.generic":
            return self._generic(op, value, index)
        if name in ("tensor.expand_shape", "tensor.collapse_shape"):
            return self.element(op.operands[0], _reshaped(op, index))
        if name == "linalg.transpose":
            perm = list(ir.DenseI64ArrayAttr(op.attributes["permutation"]))
            source = [None] * len(perm)
            for out_dim, in_dim in enumerate(perm):
                source[in_dim] = index[out_dim]
            return self.element(op.operands[0], source)
        if name == "linalg.broadcast":
            added = set(ir.DenseI64ArrayAttr(op.attributes["dimensions"]))
            return self.element(op.operands[0], [i for d, i in enumerate(index) if d not in added])
        if name == "linalg.fill":
            return self.scalar(op.operands[0], None)
        if name == "arith.constant":
            return _constant(op)
        return UNKNOWN

    def _generic(self, op, result: ir.Value, index: list):
        maps = indexing_maps(op)
        n_out = len(op.results)
        n_in = len(op.operands) - n_out
        out = projected_dims(maps[n_in + result.result_number])
        iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
        if out is None or sorted(out) != list(range(len(iterators))):
            return UNKNOWN  # a reduction, or an output map that is not a permutation
        dims = [None] * len(out)
        for position, d in enumerate(out):
            dims[d] = index[position]
        block = op.regions[0].blocks[0]
        frame = _Frame(op, block, dims, maps[:n_in], {})
        return self.scalar(list(block.operations)[-1].operands[result.result_number], frame)

    def scalar(self, v: ir.Value, frame: "_Frame | None"):
        if isinstance(v.owner, ir.Block):
            if self.score is not None and v == self.score:
                return _Score()
            if frame is not None and v.owner == frame.block and v.arg_number < len(frame.input_maps):
                source = frame.op.operands[v.arg_number]
                return self.element(source, [_affine(e, frame.dims) for e in frame.input_maps[v.arg_number].results])
            return UNKNOWN  # the output's initial value, another block's argument
        if frame is not None and v in frame.memo:
            return frame.memo[v]
        op = v.owner
        inside = frame is not None and op.parent == frame.op
        value = self._op(op, frame) if inside or op.name == "arith.constant" else UNKNOWN
        if frame is not None:
            frame.memo[v] = value
        return value

    def _op(self, op, frame: "_Frame"):
        """An op of a body, evaluated lazily (only what the yielded value needs: a gather's bounds assertions and
        index arithmetic are never looked at)."""
        name = op.name
        if name == "arith.constant":
            return _constant(op)
        if name in _INDEX_OPS:
            d = frame.dims[ir.IntegerAttr(op.attributes["dim"]).value]
            return d if d is not None else UNKNOWN
        args = [self.scalar(a, frame) for a in op.operands]
        if name in _CASTS and args and isinstance(args[0], (Linear, Pred)):
            return args[0]
        if name in ("arith.addi", "arith.subi") and all(_is_index(a) for a in args):
            lhs, rhs = (_linear(a) for a in args)
            return lhs.plus(rhs.scaled(-1 if name == "arith.subi" else 1))
        if name == "arith.muli" and all(_is_index(a) for a in args) and any(isinstance(a, _Const) for a in args):
            k, other = (args[0], args[1]) if isinstance(args[0], _Const) else (args[1], args[0])
            return _linear(other).scaled(int(k.value))
        if name in ("arith.remui", "arith.remsi") and isinstance(args[0], Linear) and isinstance(args[1], _Const):
            return _period(args[0], int(args[1].value))
        if name == "arith.cmpi" and all(_is_index(a) for a in args):
            return _compare(ir.IntegerAttr(op.attributes["predicate"]).value, *(_linear(a) for a in args))
        if name == "arith.andi":
            preds = [_as_pred(a) for a in args]
            return preds[0].conj(preds[1]) if None not in preds else UNKNOWN
        if name == "arith.xori":
            preds = [_as_pred(a) for a in args]
            if preds[1] == _TRUE and preds[0] is not None:
                return preds[0].negated()
            if preds[0] == _TRUE and preds[1] is not None:
                return preds[1].negated()
            return UNKNOWN
        if name == "arith.select" and isinstance(args[0], Pred):
            return _select(*args, boolean=op.results[0].type == ir.IntegerType.get_signless(1))
        return UNKNOWN


@dataclass
class _Frame:
    """One evaluation of a generic's body: the values of its iteration dims."""

    op: ir.Operation
    block: ir.Block
    dims: list
    input_maps: list
    memo: dict


def _select(cond: Pred, if_true, if_false, boolean: bool):
    """select(cond, a, b): of booleans, (cond and a) where b is false, not cond where a is false and b true;
    of other values a _Select that the mask's element kind decides (additive masks: 0 / hidden)."""
    if not boolean:
        return _Select(cond, if_true, if_false)
    a, b = _as_pred(if_true), _as_pred(if_false)
    if b == _FALSE:
        return cond.conj(a)
    if a == _FALSE and b == _TRUE:
        return cond.negated()
    return UNKNOWN


def _period(index: Linear, period: int):
    """index_d mod period, for a plain index (non-negative, so remsi and remui agree)."""
    if period <= 0 or index.const or len(index.coeffs) != 1 or index.coeffs[0][1] != 1 or index.coeffs[0][0][1]:
        return UNKNOWN
    ((d, _), _), = index.coeffs
    return Linear.of({(d, period): 1})


def _reshaped(op, index: list) -> list:
    """The index into the source of an expand_shape / collapse_shape from an index into its result."""
    groups = [[ir.IntegerAttr(d).value for d in ir.ArrayAttr(g)] for g in ir.ArrayAttr(op.attributes["reassociation"])]
    expand = op.name == "tensor.expand_shape"
    wide = ir.ShapedType((op.results[0] if expand else op.operands[0]).type).shape
    source = [] if expand else [ZERO] * len(wide)
    for narrow, group in enumerate(groups):
        if expand:  # the source index is the row-major position within the group
            total, stride = ZERO, 1
            for d in reversed([d for d in group if wide[d] != 1]):  # a unit dim's index is 0
                if not isinstance(index[d], Linear):
                    total = UNKNOWN
                    break
                total, stride = total.plus(index[d].scaled(stride)), stride * wide[d]
            source.append(total)
            continue
        real = [d for d in group if wide[d] != 1]
        if len(real) == 1:
            source[real[0]] = index[narrow]
        elif real:  # merged dims: the innermost is the index mod its size, the outer ones are not linear
            for d in real[:-1]:
                source[d] = UNKNOWN
            i = index[narrow]
            source[real[-1]] = _period(i, wide[real[-1]]) if isinstance(i, Linear) else UNKNOWN
    return source


def _hidden(value, boolean: bool) -> str | None:
    """A mask element constant's kind: "visible" (true; additive 0), "hidden" (false; additive -inf),
    "lowest" (the lowest finite value of a float type, which hides a key as -inf does where its row sees some
    key) or None."""
    if not isinstance(value, _Const):
        return None
    if boolean:
        return "visible" if value.value else "hidden"
    v = float(value.value)
    return "visible" if v == 0.0 else "hidden" if v == -math.inf else "lowest" if v in _LOWEST else None


def _visibility(value, boolean: bool) -> tuple[Pred, bool] | None:
    """What a mask element's value says: the Pred a visible element satisfies, and whether its hidden value is
    a finite lowest. None where nothing is known."""
    if boolean:
        pred = _as_pred(value)
        return (pred, False) if pred is not None else None
    if isinstance(value, _Select):
        arms = (value.if_true, value.if_false)
        kinds = [_hidden(a, False) for a in arms]
        for visible, hidden in ((0, 1), (1, 0)):
            if kinds[hidden] in ("hidden", "lowest"):
                cond = value.cond if visible == 0 else value.cond.negated()
                if not isinstance(cond, Pred):
                    return None
                # the visible arm: 0 exactly, or any value (a runtime additive mask stays the operand)
                exact = kinds[visible] == "visible"
                return (cond if exact else cond.conj(_UNKNOWN_BOOL)), kinds[hidden] == "lowest"
    return None


def _bounds(pred: Pred, m_dims: tuple[int, ...], k2: int, sizes, lowest: bool = False,
            rowless: bool = False) -> Causal | None:
    """The band the Pred's forms prove: every form s·(j - r - c) <= 0 (an upper bound, s > 0) or s·(r - j + c)
    <= 0 (a lower bound) for one query row term r (a query dim's index, or that mod a period; no other dim
    involved) is a bound; the tightest of each kind is the band. Any other form, or an unknown factor, keeps the
    mask. `rowless`: a form s·(j - c) <= 0 bounds the innermost query dim with period 1 (r mod 1 = 0: a GQA
    decode's region once IREE folded the mod). None without an upper bound."""
    uppers, lowers, kept, rows = [], [], pred.unknown, set()
    for form in pred.forms:
        if pred.unknown and _largest(form, sizes) <= 0:
            continue  # true for every index (a decode's j <= 255 of 256 keys): skips no tile beside a kept mask
        coeffs = dict(form.coeffs)
        s = coeffs.pop((k2, 0), 0)
        if not coeffs and not s:
            return None  # always false: nothing is visible
        if rowless and not coeffs and s > 0 and m_dims and form.const % s == 0:
            rows.add((m_dims[-1], 1))
            uppers.append(-form.const // s)
            continue
        if len(coeffs) != 1 or not s or form.const % s:
            kept = True
            continue
        ((row, period), r), = coeffs.items()
        if row not in m_dims or r != -s:
            kept = True
            continue
        rows.add((row, period))
        (uppers if s > 0 else lowers).append(-form.const // s)
    if not uppers or len(rows) != 1:
        return None
    (row, period), = rows
    offset = min(uppers)
    window = offset - max(lowers) + 1 if lowers else None
    if window is not None and window < 1:
        return None
    if lowest and not _every_row_sees_a_key(offset, window, sizes[row] if not period else period, sizes[k2], kept):
        return None
    return Causal(offset, row, period or None, window, kept)


def _largest(form: Linear, sizes) -> int:
    """The form's largest value over the iteration space (index d in [0, sizes[d]), mod p in [0, p))."""
    return form.const + sum(max(0, c * ((p or sizes[d]) - 1)) for (d, p), c in form.coeffs)


def _every_row_sees_a_key(offset: int, window: int | None, rows: int, keys: int, kept: bool) -> bool:
    """A finite lowest hides a key as -inf does only in a row that sees some key (else the row's softmax
    spreads over the hidden keys, and skipping tiles would change it): rows 0..rows-1 each see a key of [0,
    keys), and no unknown factor can hide the rest. Row i sees [max(0, i + offset - window + 1), min(keys - 1,
    i + offset)]: not empty when row 0 sees key 0 and the last row's first key exists."""
    last_rows_first = rows - 1 + offset - window + 1 if window else 0
    return not kept and offset >= 0 and last_rows_first <= keys - 1


def _dims(op):
    try:
        shape = attention_shape(op)
    except Unsupported:  # dynamic sizes: nothing is proven about them
        return None
    # run-time query rows or batch dims: the sizes hold a nominal M (RUN_TIME_ROWS) or batch (RUN_TIME_BATCH), and
    # a row period, a row's keys or a bound over the batch index proven at it would not hold at the launch's; the
    # mask stays (m-tail pads its rows)
    if len(shape.k2) != 1 or any(d not in shape.k2 for d in shape.run_time):
        return None
    return shape.m, shape.k2[0], shape.sizes


def _iteration_dims(n: int) -> list[Linear]:
    return [Linear.of({(d, 0): 1}) for d in range(n)]


def mask_causal(op) -> Causal | None:
    """What the mask operand of `op` (an iree_linalg_ext.attention or online_attention) provably bounds, when
    it bounds the keys of each row from above (causal), and maybe from below (a band); else None."""
    maps = indexing_maps(op)
    n_ins = len(op.operands) - (3 if op.name == ONLINE_ATTENTION else 1)
    dims = _dims(op)
    if n_ins != 5 or dims is None:
        return None
    mask = op.operands[4]
    boolean = isinstance(ir.ShapedType(mask.type).element_type, ir.IntegerType)
    try:
        index = [_affine(e, _iteration_dims(maps[4].n_dims)) for e in maps[4].results]
        seen = _visibility(_Evaluator().element(mask, index), boolean)
    except _NotCausal:
        return None
    if seen is None:
        return None
    pred, lowest = seen
    # One query row (a decode): the evaluation reads its index as 0, so a causal mask compares the keys alone.
    one_row = all(dims[2][d] == 1 for d in dims[0])
    return _bounds(pred, *dims, lowest=lowest, rowless=one_row)


def region_causal(op) -> Causal | None:
    """When the score region of `op` yields select(visible, score, -inf), visible a causal bound (and maybe a
    band's lower one) over iteration dims read with iree_linalg_ext.index (i possibly mod a period), else None;
    an identity region is None too. A region whose period is 1 (a GQA decode's packed heads, one row each) reads
    no row once IREE folds `i mod 1` to 0."""
    block = op.regions[0].blocks[0]
    dims = _dims(op)
    if len(block.arguments) != 1 or dims is None:
        return None
    yielded = list(block.operations)[-1].operands[0]
    frame = _Frame(op, block, _iteration_dims(len(dims[2])), [], {})
    try:
        value = _Evaluator(score=block.arguments[0]).scalar(yielded, frame)
    except _NotCausal:
        return None
    if not isinstance(value, _Select):
        return None
    if isinstance(value.if_true, _Score) and _hidden(value.if_false, False) == "hidden":
        pred = value.cond
    elif isinstance(value.if_false, _Score) and _hidden(value.if_true, False) == "hidden":
        pred = value.cond.negated()
    else:
        return None
    causal = _bounds(pred, *dims, rowless=True) if isinstance(pred, Pred) else None
    return causal if causal is not None and not causal.kept else None
