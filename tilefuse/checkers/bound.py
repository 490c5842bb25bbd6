"""How far a correct implementation may be from the reference: an error bound per output element, derived from the
computation and the inputs actually drawn (design/numerics.md, "The error bound").

An attention's bound comes from its operands (element types, K1 and K2, the scores' magnitudes, V's rows); the
reference run (`BoundingProgram`) computes it for every `iree_linalg_ext.attention` and carries it to the program's
outputs through ops that move or round values without amplifying errors (reshapes, transposes, slices, casts,
adds of values that do not depend on the attention) and through contractions (an o projection: the errors times
the other operand's magnitudes, plus the contraction's own rounding). An output the bound cannot reach (not
computed by an attention, or computed from one by other ops, e.g. a norm's division) keeps the fixed per-dtype
tolerance, and says so."""

from __future__ import annotations

from dataclasses import dataclass, field

import ml_dtypes
import numpy as np

import iree.compiler.ir as ir

from ..interp.program import HostInterpreter, Program
from ..interp.structured import CONTRACTIONS, attention_parts, contraction_spec
from ..interp.values import element_type
from ..ir.facts import ATTENTION, FP8_FLOATS, HALF_FLOATS, NUMPY_STORAGE
from ..problem import AttentionProblem, tolerance

# Unit roundoff (half an ulp at 1) and half the subnormal spacing (the absolute rounding error near 0).
# fp8's from its format (ml_dtypes' finfo): E4M3 2^-4, E5M2 2^-3; half its smallest subnormal.
UNIT_ROUNDOFF = {"f16": 2.0**-11, "bf16": 2.0**-8, "f32": 2.0**-24, "f64": 2.0**-53,
                 **{t: float(ml_dtypes.finfo(NUMPY_STORAGE[t]).eps) / 2 for t in FP8_FLOATS}}
TINY = {"f16": 2.0**-25, "bf16": 2.0**-134, "f32": 2.0**-150, "f64": 2.0**-1075,
        **{t: float(ml_dtypes.finfo(NUMPY_STORAGE[t]).smallest_subnormal) / 2 for t in FP8_FLOATS}}
ACCUMULATION = "f32"  # what every path accumulates QK^T, the row sums and PV in
# Ops that move values (an error moves with its value) and ops that compute by adding or rounding only: an output's
# error is the propagated errors plus the rounding of the result (`_propagate`).
MOVES = ("tensor.expand_shape", "tensor.collapse_shape", "tensor.cast", "tensor.extract_slice", "tensor.insert_slice",
         "flow.tensor.reshape", "flow.tensor.slice", "flow.tensor.update", "linalg.transpose", "linalg.copy",
         "linalg.broadcast", "hal.tensor.barrier", "hal.tensor.export", "util.optimization_barrier")
ADDITIVE_BODY = ("arith.extf", "arith.truncf", "arith.addf", "arith.subf", "arith.negf", "linalg.yield")
SCALING_BODY = ("arith.extf", "arith.truncf", "arith.mulf", "linalg.yield")
MASK_REGION = ("iree_linalg_ext.index", "iree_linalg_ext.yield", "arith.constant", "arith.cmpi", "arith.select",
               "arith.andi", "arith.ori", "arith.xori", "arith.addi", "arith.subi", "arith.muli", "arith.index_cast")
CHUNK = 1 << 22  # elements of the per-key temporaries at a time


def unit_roundoff(elem: str) -> float:
    return UNIT_ROUNDOFF.get(elem, 0.0)


@dataclass
class Bound:
    """|got - reference| <= atol, element by element."""

    atol: np.ndarray
    kind: str  # "derived" from the computation, or "fixed" (the per-dtype tolerance)
    components: dict[str, float] = field(default_factory=dict)  # each term's largest value over the elements
    note: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "max": float(np.max(self.atol, initial=0.0)), "components": self.components,
                "note": self.note}


def fixed_bound(want: np.ndarray, elem: str, note: str) -> Bound:
    """The per-dtype tolerance, for an output no derived bound reaches (`note` says why)."""
    atol, rtol = tolerance(elem if elem in HALF_FLOATS else "f32")
    return Bound(atol + rtol * np.abs(np.asarray(want, np.float64)), "fixed", {"atol": atol, "rtol": rtol}, note)


def attention_bound(op, args: list, result: np.ndarray) -> Bound | str:
    """The bound of an iree_linalg_ext.attention's result (its layout), or why none is derived."""
    if any(o.name not in MASK_REGION for o in op.regions[0].blocks[0].operations):
        return f"{op.name} whose score region computes more than a mask"
    a = attention_parts(op, args, online=False)
    elems = [element_type(v.type) for v in list(op.operands)[:3]]
    if any(e not in UNIT_ROUNDOFF for e in elems):
        return f"{op.name} on {', '.join(elems)}"
    # IREE's decomposition scales 8-bit operands' scores after QK^T, in f32 (σQ is never rounded to fp8, which
    # would lose most of the scores' precision), so only 16-bit operands round σ and σQ.
    u_in = max(unit_roundoff(e) for e in elems[:2] if e not in FP8_FLOATS) if set(elems[:2]) - set(FP8_FLOATS) \
        else 0.0
    u_p, u_out = unit_roundoff(elems[2]), unit_roundoff(element_type(op.results[0].type))
    u_acc = unit_roundoff(ACCUMULATION)
    sub = a.sub
    k2 = "".join(sub["s"][i] for i in a.k2_axes)
    rows = "".join(c for c in sub["s"] if c not in k2)
    vb = "".join(c for c in rows if c in sub["v"])  # rows' batch dims V has (GQA: not the group)
    rm = "".join(c for c in rows if c not in vb)
    n = "".join(c for c in sub["o"] if c not in rows)
    k1 = int(np.prod([np.shape(a.q)[i] for i, c in enumerate(sub["q"]) if c not in rows]))
    q, k, v = (np.asarray(x, np.float64) for x in (a.q, a.k, a.v))
    qk = np.einsum(f"{sub['q']},{sub['k']}->{sub['s']}", q, k) * a.scale
    qk_abs = np.einsum(f"{sub['q']},{sub['k']}->{sub['s']}", np.abs(q), np.abs(k)) * abs(a.scale)
    s = np.asarray(a.scores, np.float64)
    with np.errstate(invalid="ignore"):  # a row masked whole (-inf - -inf): NaN, as its softmax is
        shifted = s - s.max(axis=a.k2_axes, keepdims=True)
    e = np.exp(shifted)
    l_sum = e.sum(axis=a.k2_axes, keepdims=True)
    p = e / l_sum
    kept = p > 0
    # A score's error: the scale (or scale·log2 e) rounded to the operands' type, Q (or K) times it rounded, the
    # f32 dot product over K1, then the f32 max subtraction and exp (both sides: the reference runs in f32 too).
    delta = u_in * (np.abs(qk) + qk_abs) + 2 * u_acc * ((k1 + 2) * qk_abs + np.abs(np.where(kept, shifted, 0)) + 4)
    delta = np.where(kept, delta, 0.0)
    w = p * np.expm1(delta)
    amplify = np.exp((p * delta).sum(axis=a.k2_axes))  # 1 / (the perturbed softmax's normaliser), at most
    sizes = {c: n_ for x, xs in ((p, sub["s"]), (v, sub["v"])) for c, n_ in zip(xs, x.shape)}

    def canonical(x, have: str, *groups: str):
        """`x` (axes `have`) with its axes in the groups' order, each group merged into one axis."""
        return np.einsum(f"{have}->{''.join(groups)}", x).reshape(
            [int(np.prod([sizes[c] for c in g])) for g in groups])

    P, W = canonical(p, sub["s"], vb, rm, k2), canonical(w, sub["s"], vb, rm, k2)
    V = canonical(v, sub["v"], vb, k2, n)
    L = canonical(l_sum.squeeze(axis=a.k2_axes), rows, vb, rm)
    amp = canonical(amplify, rows, vb, rm)
    O = np.einsum("brk,bkn->brn", P, V)
    score, spread = np.empty_like(O), np.empty_like(O)
    step = max(1, CHUNK // max(1, V.shape[1] * V.shape[2]))
    for b in range(O.shape[0]):
        for r in range(0, O.shape[1], step):
            dev = np.abs(V[b][None] - O[b, r:r + step, None, :])  # |v_j - o| per (row, key, column)
            score[b, r:r + step] = np.einsum("rk,rkn->rn", W[b, r:r + step], dev)
            spread[b, r:r + step] = np.einsum("rk,rkn->rn", P[b, r:r + step], dev)
    weight = np.einsum("brk,bkn->brn", P, np.abs(V))  # sum_j p_j |v_j|
    terms = {
        # e^(sum p delta) * sum_j p_j (e^delta_j - 1) |v_j - o| (the softmax is shift-invariant: the errors move o
        # by the weighted deviation of V's rows from o)
        "scores": amp[..., None] * score,
        # P rounded to V's type before the PV product (normalised by exact or by rounded sums), subnormals near 0
        "p_rounding": u_p * np.maximum(weight, spread) + TINY.get(elems[2], 0.0) * np.abs(V).sum(axis=1)[:, None]
        / L[..., None],
        # f32 sums over K2 (PV, the row sum, the rescales of online softmax), both sides
        "accumulation": 2 * (P.shape[2] + 4) * u_acc * weight,
        # the result rounded to its type, on both sides
        "output_rounding": 2 * u_out * np.abs(O) + 2 * TINY.get(element_type(op.results[0].type), 0.0),
    }
    total = sum(terms.values())
    atol = np.einsum(f"{vb + rm + n}->{sub['o']}",
                     total.reshape([np.shape(result)[sub["o"].index(c)] for c in vb + rm + n]))
    return Bound(atol, "derived", {name: float(t.max(initial=0.0)) for name, t in terms.items()},
                 f"attention K1={k1} K2={P.shape[2]}, |score| <= {float(np.abs(np.where(kept, s, 0)).max()):.3g}")


class BoundingHost(HostInterpreter):
    """The reference run, computing alongside each value that depends on an attention the bound of its error
    (`self.bounds`: a Value's bound array, or why none is derived)."""

    def __init__(self, program, blobs):
        super().__init__(program, blobs)
        self.bounds: dict = {}
        self.summaries: dict = {}  # Value -> the Bound of the attention that computed it
        self.contractions: dict[str, None] = {}  # the contractions bounds were carried through (for the note)

    def run_op(self, op, env) -> list:
        results = super().run_op(op, env)
        touched = [v for v in op.operands if v in self.bounds]
        if op.name == ATTENTION:
            bound = attention_bound(op, [env[v] for v in op.operands], results[0])
            self.bounds[op.results[0]] = bound.atol if isinstance(bound, Bound) else bound
            if isinstance(bound, Bound):
                self.summaries[op.results[0]] = bound
        elif touched:
            for r, b in zip(op.results, self._propagate(op, env, results)):
                self.bounds[r] = b
        return results

    def _propagate(self, op, env, results) -> list:
        """The results' bounds: the op run on the operands' bounds, values it does not depend on as zeros."""
        if any(isinstance(self.bounds[v], str) for v in op.operands if v in self.bounds):
            return [next(self.bounds[v] for v in op.operands if isinstance(self.bounds.get(v), str))] * len(
                op.results)
        if op.name in CONTRACTIONS and element_type(op.results[0].type) in UNIT_ROUNDOFF:
            return [self._contraction(op, env, results[0])]
        body = [o.name for o in op.regions[0].blocks[0].operations] if op.name == "linalg.generic" else []
        elementwise = bool(body) and "reduction" not in str(op.attributes["iterator_types"])
        additive = elementwise and set(body) <= set(ADDITIVE_BODY)
        # A multiply of one bounded value by values that carry no error (fp8 V's dequantization scale): linear in
        # it, so the op run on the bound with the other operands as they are is the bound times their magnitude.
        scaling = elementwise and set(body) <= set(SCALING_BODY) and sum(v in self.bounds for v in op.operands) == 1
        # A difference of two values that both carry errors would let their bounds cancel.
        if op.name not in MOVES and not (additive or scaling) or (
                {"arith.subf", "arith.negf"} & set(body) and sum(v in self.bounds for v in op.operands) > 1):
            return [f"{op.name} after an attention"] * len(op.results)
        args = [self.bounds[v] if v in self.bounds else env[v] if scaling else
                np.zeros_like(env[v], np.float64) if isinstance(env[v], np.ndarray) and env[v].dtype.kind == "f"
                else env[v] for v in op.operands]
        out = []
        for r, propagated, value in zip(op.results, self.dispatch(op, args, env), results):
            rounding = unit_roundoff(element_type(r.type)) if additive or scaling else 0.0
            # the bound as the result type holds it (rounded: at most u smaller), and the result's own rounding
            out.append(np.abs(np.asarray(propagated, np.float64)) * (1 + rounding)
                       + 2 * rounding * np.abs(np.asarray(value, np.float64)))
        return out

    def _contraction(self, op, env, result) -> np.ndarray:
        """C = C0 + A·B (e.g. the o projection after an attention): the operands' errors through the products,
        |ΔA||B| + |A||ΔB| + |ΔA||ΔB| + |ΔC0| (a worst case: errors aligned with B's signs), plus what a correct
        contraction rounds: the f32 sum over the reduction on both sides, 2(K + 2)u_a(|A||B| + |C0|), and the
        result's type, 2u_o|C|."""
        spec = contraction_spec(op)
        a, b, c = (np.abs(np.asarray(env[v], np.float64)) for v in op.operands)
        ea, eb, ec = (np.asarray(self.bounds[v], np.float64) if v in self.bounds else np.zeros_like(x)
                      for v, x in zip(op.operands, (a, b, c)))
        ins, out = spec.split("->")
        sizes = dict(zip(ins.replace(",", ""), [*np.shape(a), *np.shape(b)]))
        k = int(np.prod([sizes[d] for d in set(ins.replace(",", "")) - set(out)]))
        self.contractions[f"{op.name} K={k}"] = None
        product = lambda x, y: np.einsum(spec, x, y)  # noqa: E731
        return (product(ea, b) + product(a + ea, eb) + ec
                + 2 * (k + 2) * unit_roundoff(ACCUMULATION) * (product(a, b) + c)
                + 2 * unit_roundoff(element_type(op.results[0].type)) * np.abs(np.asarray(result, np.float64)))

    def op_util_call(self, op, args, env):
        callee = self.program.functions[ir.FlatSymbolRefAttr(op.attributes["callee"]).value]
        block = callee.regions[0].blocks[0]
        for operand, arg in zip(op.operands, block.arguments):
            if operand in self.bounds:
                self.bounds[arg] = self.bounds[operand]
        results = super().op_util_call(op, args, env)
        returned = list(block.operations)[-1].operands
        for r, v in zip(op.results, returned):
            if v in self.bounds:
                self.bounds[r] = self.bounds[v]
        return results

    op_func_call = op_util_call


class BoundingProgram(Program):
    host_class = BoundingHost

    def output_bounds(self, name: str, outputs: list, elems: list[str]) -> list[Bound]:
        """The bound of each output of the last call of function `name` (the fixed tolerance where none is
        derived, with the reason)."""
        block = self.functions[name].regions[0].blocks[0]
        out = []
        for v, want, elem in zip(list(block.operations)[-1].operands, outputs, elems):
            b = self.host.bounds.get(v)
            if isinstance(b, np.ndarray):
                sources = list(self.host.summaries.values())
                through = f"; through {', '.join(self.host.contractions)}" if self.host.contractions else ""
                out.append(Bound(b.reshape(np.shape(want)), "derived", _merged(sources),
                                 "; ".join(dict.fromkeys(s.note for s in sources)) + through))
            else:
                out.append(fixed_bound(want, elem, b or "not computed by an attention"))
        return out


def _merged(bounds: list[Bound]) -> dict[str, float]:
    """Each component's largest value over the program's attentions."""
    return {k: max(b.components[k] for b in bounds) for k in bounds[0].components} if bounds else {}


def problem_bound(problem: AttentionProblem, inputs: dict[str, np.ndarray]) -> Bound:
    """The bound of a problem's output on `inputs` (its program run as verify's reference is)."""
    program = BoundingProgram(ir.Module.parse(problem.to_mlir(), ir.Context()))
    entry = program.entry(None)
    (out,) = program.call(entry, [inputs[n] for n in problem.shapes()])
    (bound,) = program.output_bounds(entry, [out], [problem.dtype])
    return bound
