"""linalg and iree_linalg_ext ops, evaluated on whole arrays over their (broadcast) iteration space."""

from __future__ import annotations

import string
from collections import ChainMap
from dataclasses import dataclass

import numpy as np

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen

from ..errors import NotInterpretable
from ..ir.irutil import indexing_maps, iterator_types, lane_distributed, projected_dims
from .affine import dim_positions, eval_expr, eval_map
from .core import check_assert, gather_elements
from .scalar_ops import COMBINERS, eval_scalar_op, is_scalar_op
from .values import FLOAT_TYPES, cast_to, element_type, shape_of

LOG2E = np.float32(1.4426950408889634)


def _constant_results(amap: ir.AffineMap) -> list[int]:
    return [i for i, e in enumerate(amap.results) if isinstance(e, ir.AffineConstantExpr)]


def _without_constants(amap: ir.AffineMap) -> ir.AffineMap:
    """`(d0, 0, 0, d3)` (a broadcast from size-1 dims, as IREE's torch conversion writes it) as `(d0, d3)`,
    read from the operand indexed at the constants (_read_at_constants)."""
    drop = _constant_results(amap)
    if not drop:
        return amap
    return ir.AffineMap.get(amap.n_dims, amap.n_symbols, [e for i, e in enumerate(amap.results) if i not in drop],
                            context=amap.context)


def _read_at_constants(array, amap: ir.AffineMap, lanes: bool):
    drop = _constant_results(amap)
    if not drop or np.ndim(array) == 0:
        return array
    index = tuple(ir.AffineConstantExpr(e).value if i in drop else slice(None) for i, e in enumerate(amap.results))
    return np.asarray(array)[((slice(None),) if lanes else ()) + index]


def _loop_sizes(maps, operands, args, batched, general, n_loops) -> list[int]:
    """The iteration space's extents, from the operands' shapes (their values' where the type has `?`; a lane
    batch's leading axis is not one of them) read through projected maps (not the `general` ones)."""
    sizes = [None] * n_loops
    for amap, value, arg, lanes, skip in zip(maps, operands, args, batched, general):
        if isinstance(value.type, ir.ShapedType) and not skip:
            shape = shape_of(value.type) if ir.ShapedType(value.type).has_static_shape \
                else np.shape(arg)[1 if lanes else 0:]
            kept = [s for i, s in enumerate(shape) if i not in _constant_results(amap)]
            for d, size in zip(dim_positions(_without_constants(amap)), kept):
                sizes[d] = size
    if any(s is None for s in sizes):
        raise NotInterpretable("a loop dimension no operand sizes")
    return sizes


def _to_loop_space(array, dims: list[int], n_loops: int, lanes: bool = False):
    """View of an operand indexed by loop dims: axes ordered by loop, size-1 axes where it broadcasts. A
    lane-batched operand keeps its lane axis in front (NumPy broadcasting lines it up with the others)."""
    array = np.asarray(array)
    if array.ndim == 0:
        return array
    lead = 1 if lanes else 0
    order = sorted(range(len(dims)), key=lambda i: dims[i])
    moved = np.transpose(array, list(range(lead)) + [lead + i for i in order])
    shape = [1] * n_loops
    for i in order:
        shape[dims[i]] = array.shape[lead + i]
    return moved.reshape(list(array.shape[:lead]) + shape)


def _from_loop_space(value, dims: list[int], sizes: list[int], lead: tuple = ()):
    """An output's array (in its own axis order) from a loop-space value that may broadcast."""
    full = np.broadcast_to(np.asarray(value), list(lead) + [sizes[d] if d in dims else 1 for d in range(len(sizes))])
    full = full.reshape(list(lead) + [sizes[d] for d in sorted(dims)])
    rank_of = {d: i for i, d in enumerate(sorted(dims))}
    return np.transpose(full, list(range(len(lead))) + [len(lead) + rank_of[d] for d in dims])


def eval_generic(op, args: list, n_inputs: int, run_body, outer_env, lanes: int | None = None,
                 batched: list[bool] | None = None) -> list:
    """linalg.generic: the body runs once over the whole iteration space; reductions go through the op that
    combines the element value with the output block argument (addf, maximumf, ...). With `lanes`, the args
    flagged in `batched` carry a leading lane axis, and so do the results."""
    batched = batched or [False] * len(args)
    lead = (lanes,) if lanes else ()
    maps = indexing_maps(op)
    iterators = iterator_types(op)
    n_loops = len(iterators)
    operands = list(op.operands)
    # An input map that is no projected permutation (`(d1 * 16 + d4, ...)`: a convolution as IREE writes it in a
    # dispatch) is read as one gather over the iteration space (_gathered).
    general = [i < n_inputs and projected_dims(_without_constants(m)) is None for i, m in enumerate(maps)]
    sizes = _loop_sizes(maps, operands, args, batched, general, n_loops)
    inits = args[n_inputs:]
    # An output map may hold constants too (`(d0, d1, 0)`: a reduction that keeps its dim, as torch's keepdim
    # writes it): the body sees the init there, and the result goes back there (_write_at_constants).
    args = [_gathered(a, m, sizes, b) if g else _read_at_constants(a, m, b)
            for a, m, b, g in zip(args, maps, batched, general)]
    dims = [None if g else dim_positions(_without_constants(m)) for m, g in zip(maps, general)]
    block = op.regions[0].blocks[0]
    outs = operands[n_inputs:]
    env = ChainMap({}, outer_env)  # the body may use values defined outside it
    for i, arg in enumerate(block.arguments):
        env[arg] = _to_loop_space(args[i], dims[i], n_loops, batched[i]) if np.ndim(args[i]) and not general[i] \
            else args[i]
    reduced_loops = [d for d in range(n_loops) if iterators[d] == "reduction"]
    reducing = [j for j in range(len(outs)) if any(d not in dims[n_inputs + j] for d in reduced_loops)]
    combiners = _combiners(block, n_inputs, reducing)
    if len(combiners) < len(reducing):
        if len(reducing) < len(outs):
            raise NotInterpretable("linalg.generic with a reduction without a recognised combiner and a parallel output")
        init = [env[a] for a in block.arguments[n_inputs:]]
        yielded = _in_order(block, env, run_body, n_inputs, init, sizes, reduced_loops, len(lead))
    else:
        yielded = run_body(block, env, sizes, combiners=combiners)
    results = []
    for j, out in enumerate(outs):
        value = yielded[j]
        odims = dims[n_inputs + j]
        if isinstance(value, _Reduction):
            axes = tuple(len(lead) + d for d in reduced_loops if d not in odims)
            full = np.broadcast_to(value.operand, list(lead) + list(sizes))
            with np.errstate(all="ignore"):  # a miscompile may feed NaNs; the comparison reports them
                partial = COMBINERS[value.combiner].reduce(full, axis=axes, keepdims=True)
            init = _to_loop_space(args[n_inputs + j], odims, n_loops, batched[n_inputs + j])
            value = eval_scalar_op(value.op, [partial, init] if value.element_first else [init, partial])
        value = _write_at_constants(_from_loop_space(value, odims, sizes, lead), inits[j], maps[n_inputs + j],
                                    batched[n_inputs + j])
        results.append(cast_to(value, element_type(out.type)))
    return results


def body_values(op, env, wanted: list) -> list:
    """What a linalg.generic's body computes for `wanted` (values of its body, e.g. a gather's indices) over
    the whole iteration space at once, without running the ops that use them: each value broadcastable over the
    loops (size-1 axes where it does not vary). `env` holds the values defined outside the body that it reads,
    the inputs among them; static shapes, inputs read through projected maps (constants allowed)."""
    maps, operands = indexing_maps(op), list(op.operands)
    block = op.regions[0].blocks[0]
    n_inputs, n_loops = len(block.arguments) - len(op.results), len(iterator_types(op))
    if any(projected_dims(_without_constants(m)) is None for m in maps[:n_inputs]):
        raise NotInterpretable("a body read through a map that is no projection")
    inputs = [env[v] for v in operands[:n_inputs]]
    sizes = _loop_sizes(maps, operands, inputs + [None] * len(op.results), [False] * len(maps),
                        [False] * len(maps), n_loops)
    local = ChainMap({}, env)
    for arg, value, amap in zip(block.arguments, inputs, maps):
        local[arg] = _to_loop_space(_read_at_constants(value, amap, False),
                                    dim_positions(_without_constants(amap)), n_loops)
    for body_op in block.operations:
        if all(v in local for v in wanted):
            break
        value = body_op_value(body_op.operation, local, sizes, {})
        if body_op.results:  # not a cf.assert (checked by evaluating it)
            local[body_op.results[0]] = value
    return [local[v] for v in wanted]


def _in_order(block, env, run_body, n_inputs: int, init: list, sizes: list[int], reduced_loops: list[int],
              lead: int) -> list:
    """A reduction whose body folds each element in with more than one op (an online recurrence: split-k2's
    combine keeps a running max, denominator and numerator): the body runs once per point of the reduced loops,
    in order, over all the parallel ones at once, each output's value carried to the next point."""
    if any(op.operation.name == "linalg.index" for op in block.operations):
        raise NotInterpretable("linalg.generic reduction reading linalg.index without a recognised combiner")
    point_sizes = [1 if d in reduced_loops else size for d, size in enumerate(sizes)]
    inputs = block.arguments[:n_inputs]
    carried = init
    for point in np.ndindex(*[sizes[d] for d in reduced_loops]):
        local = ChainMap({}, env)
        for arg in inputs:
            value = env[arg]
            if np.ndim(value):
                at = [slice(None)] * np.ndim(value)
                for d, i in zip(reduced_loops, point):
                    if value.shape[lead + d] > 1:
                        at[lead + d] = slice(i, i + 1)
                value = value[tuple(at)]
            local[arg] = value
        for arg, value in zip(block.arguments[n_inputs:], carried):
            local[arg] = value
        carried = run_body(block, local, point_sizes, combiners={})
    return carried


def _gathered(array, amap: ir.AffineMap, sizes: list[int], lanes: bool):
    """An operand read through any affine map, as a loop-space view: each result expression evaluated on the
    loop indices at once, the elements gathered (bounds-checked)."""
    if lanes:
        raise NotInterpretable(f"indexing map {amap} on a lane-batched operand")
    grids = [np.arange(n, dtype=np.int64).reshape([n if d == e else 1 for e in range(len(sizes))])
             for d, n in enumerate(sizes)]
    index = [np.broadcast_to(eval_expr(e, grids, []), [1] * len(sizes)) if isinstance(e, ir.AffineConstantExpr)
             else eval_expr(e, grids, []) for e in amap.results]
    return gather_elements(array, index, "linalg.generic input")


def _write_at_constants(value, init, amap: ir.AffineMap, lanes: bool):
    """An output's value (over its non-constant results) written into its init where its map has constants
    (the inverse of _read_at_constants)."""
    drop = _constant_results(amap)
    if not drop:
        return value
    full = np.array(np.broadcast_to(init, np.shape(init)), copy=True)
    index = tuple(ir.AffineConstantExpr(e).value if i in drop else slice(None) for i, e in enumerate(amap.results))
    index = ((slice(None),) if lanes else ()) + index
    full = full.astype(np.result_type(full, value))
    full[index] = value
    return full


class _Reduction:
    """Stands for `combiner(element, out)`: reduced over the loops the output does not index."""

    def __init__(self, op, operand, element_first: bool):
        self.op, self.combiner, self.operand, self.element_first = op, op.name, operand, element_first


def _combiners(block, n_inputs: int, reducing: list[int]) -> dict:
    """For the outputs that reduce: the body op that folds an element into the output block argument, by op,
    with the element's side."""
    found = {}
    yield_op = block.operations[len(block.operations) - 1]
    for j in reducing:
        out_arg = block.arguments[n_inputs + j]
        owner = yield_op.operands[j].owner
        producer = getattr(owner, "operation", owner)
        if isinstance(producer, ir.Operation) and producer.name in COMBINERS:
            ops = list(producer.operands)
            if len(ops) == 2 and out_arg in ops and len(list(out_arg.uses)) == 1:
                found[producer] = ops.index(out_arg) == 1
    return found


def make_reduction(op, args, element_first: bool):
    return _Reduction(op, args[0] if element_first else args[1], element_first)


def eval_linalg_index(op, sizes):
    d = ir.IntegerAttr(op.attributes["dim"]).value
    shape = [1] * len(sizes)
    shape[d] = sizes[d]
    return np.arange(sizes[d], dtype=np.int64).reshape(shape)


def eval_reduce(op, args) -> list:
    """linalg.reduce: one input and init per result, reduced over `dimensions` with the body's combiner."""
    dims = list(ir.DenseI64ArrayAttr(op.attributes["dimensions"]))
    block = op.regions[0].blocks[0]
    n = len(op.results)
    (comb,) = [o for o in block.operations if o.name in COMBINERS] or [None]
    if comb is None or n != 1:
        raise NotInterpretable("linalg.reduce body")
    red = COMBINERS[comb.name].reduce(np.asarray(args[0], np.float32 if args[0].dtype.kind == "f" else np.int64),
                                      axis=tuple(dims))
    return [cast_to(eval_scalar_op(comb, [red, args[1]]), element_type(op.results[0].type))]


@dataclass
class AttentionParts:
    """An attention op's operands and scores over its loop dims, as einsum subscripts (one letter per loop dim)."""

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    scale: float
    n_ins: int  # 4, or 5 with a mask
    maps: list
    sub: dict  # operand role (q, k, v, o, s) -> einsum subscript
    s_dims: list  # S's loop dims, in order
    k2_dims: list
    k2_axes: tuple  # S's axes along K2
    scores: np.ndarray  # scale * Q K^T, the region and the mask applied, over `sub["s"]`


def attention_parts(op, args: list, online: bool, batched: bool = False) -> AttentionParts:
    """`batched`: every operand but the scale carries a leading axis of independent problems (the iterations of a
    forall run in lockstep), read as one more batch dim in front of the op's dims."""
    maps = [_with_leading_dim(m, i != 3) for i, m in enumerate(indexing_maps(op))] if batched else indexing_maps(op)
    n_ins = 5 if len(maps) == (8 if online else 6) else 4
    q, k, v, scale = args[:4]
    mask = args[4] if n_ins == 5 else None
    qm, km, vm = maps[:3]
    om = maps[n_ins]
    detail = iree_codegen.get_attention_op_detail(qm, km, vm, om)
    letters = string.ascii_letters
    sub = lambda m: "".join(letters[d] for d in dim_positions(m))  # noqa: E731
    s_dims = sorted(set(detail.batch_dims) | set(detail.m_dims) | set(detail.k2_dims))
    s_sub = "".join(letters[d] for d in s_dims)
    q, k, v = (np.asarray(x, np.float32) for x in (q, k, v))
    s = np.einsum(f"{sub(qm)},{sub(km)}->{s_sub}", q, k)
    s = s * np.float32(scale)
    s = _score_region(op, s, s_dims, 1 if batched else 0)
    if mask is not None:
        mask_map = maps[4]
        mview = _to_loop_space(mask, dim_positions(mask_map), detail.domain_rank)
        mview = mview.reshape([mview.shape[d] for d in s_dims])
        # Float masks add to the scores; integer masks (i1, or i8 after IREE's type propagation) keep a score
        # where the low bit is set, as IREE's decomposition does (trunci to i1, select score or -inf).
        s = s + mview if mview.dtype.kind == "f" else np.where(np.asarray(mview).astype(np.int64) & 1, s, -np.inf)
    return AttentionParts(q, k, v, float(scale), n_ins, maps,
                          {"q": sub(qm), "k": sub(km), "v": sub(vm), "o": sub(om), "s": s_sub},
                          s_dims, list(detail.k2_dims), tuple(s_dims.index(d) for d in detail.k2_dims), s)


def eval_attention(op, args: list, online: bool, batched: bool = False) -> list:
    """iree_linalg_ext.attention / online_attention, from the op's maps (GQA broadcasts included); `batched`: see
    attention_parts."""
    a = attention_parts(op, args, online, batched)
    maps, n_ins, s, s_dims, k2_axes = a.maps, a.n_ins, a.scores, a.s_dims, a.k2_axes
    # (initial: a split of a run-time K2 past its end holds no key; the online op then keeps its inits)
    row_max = s.max(axis=k2_axes, keepdims=True, initial=-np.inf)
    red_sub = "".join(c for i, c in enumerate(a.sub["s"]) if i not in k2_axes)
    pv = lambda p: np.einsum(f"{a.sub['s']},{a.sub['v']}->{a.sub['o']}", p, a.v)  # noqa: E731
    if not online:
        with np.errstate(invalid="ignore"):  # a row masked whole (-inf - -inf): NaN, as IREE's softmax gives it
            p = np.exp(s - row_max)
        out = pv(p / p.sum(axis=k2_axes, keepdims=True))
        return [cast_to(out, element_type(op.results[0].type))]
    acc, old_max, old_sum = (np.asarray(x, np.float32) for x in args[n_ins:n_ins + 3])
    # The max is in IREE's units, log2(e)·max: its decomposition folds log2(e) into the scale and uses exp2, and
    # a max that leaves the op (a split dispatch's partials; stock's partial reduction) is combined in them.
    max_view = _reshape_like(old_max, maps[n_ins + 1], s_dims) / LOG2E
    new_max = np.maximum(max_view, row_max)
    p = np.exp(s - new_max)
    corr = np.exp(max_view - new_max)
    new_sum = _reshape_like(old_sum, maps[n_ins + 2], s_dims) * corr + p.sum(axis=k2_axes, keepdims=True)
    new_acc = acc * _expand_to(corr.squeeze(axis=k2_axes), red_sub, a.sub["o"]) + pv(p)
    rows = [d for d in s_dims if d not in a.k2_dims]
    outs = [new_acc, _laid_out(new_max.squeeze(axis=k2_axes) * LOG2E, rows, maps[n_ins + 1]),
            _laid_out(new_sum.squeeze(axis=k2_axes), rows, maps[n_ins + 2])]
    return [cast_to(o, element_type(r.type)) for o, r in zip(outs, op.results)]


def _reshape_like(array, amap, s_dims):
    """A (batch, m) array laid out by `amap`, as a view over S's axes (k2 axes of size 1)."""
    dims = dim_positions(amap)
    order = sorted(range(len(dims)), key=lambda i: dims[i])
    moved = np.transpose(array, order)
    shape = [moved.shape[order.index(dims.index(d))] if d in dims else 1 for d in s_dims]
    return moved.reshape(shape)


def _laid_out(array, dims: list[int], amap):
    """An array over loop `dims` (in that order) in the layout `amap` gives its operand (the inverse of
    _reshape_like)."""
    return np.transpose(array, [dims.index(d) for d in dim_positions(amap)])


def _expand_to(values, have: str, want: str):
    """Broadcastable view of `values` (axes `have`) against an array with axes `want`."""
    perm = [have.index(c) for c in want if c in have]
    moved = np.transpose(values, perm)
    shape = [values.shape[have.index(c)] if c in have else 1 for c in want]
    return moved.reshape(shape)


def _with_leading_dim(amap: ir.AffineMap, reads_it: bool) -> ir.AffineMap:
    """`amap` over one more dim, d0, in front of its own (renumbered d1...); the result reads d0 first if
    `reads_it`."""
    shifted = [ir.AffineDimExpr.get(ir.AffineDimExpr(e).position + 1, amap.context) for e in amap.results]
    lead = [ir.AffineDimExpr.get(0, amap.context)] if reads_it else []
    return ir.AffineMap.get(amap.n_dims + 1, amap.n_symbols, lead + shifted, context=amap.context)


def _score_region(op, s, s_dims: list[int], dim_shift: int = 0):
    """The region on every score at once; iree_linalg_ext.index d is the score's position along dim d (the op is
    untiled where a region uses it: IREE's tilings do not offset it)."""
    block = op.regions[0].blocks[0]
    ops = list(block.operations)
    if len(ops) == 1 and len(block.arguments) == 1 and ops[0].operands[0] == block.arguments[0]:
        return s
    env = {block.arguments[0]: s}
    for inner in ops[:-1]:
        if inner.name == "iree_linalg_ext.index":
            d = ir.IntegerAttr(inner.attributes["dim"]).value + dim_shift
            if d not in s_dims:
                raise NotInterpretable(f"{op.name}: iree_linalg_ext.index of a dim scores do not have")
            env[inner.result] = _position(s.shape, s_dims.index(d))
        elif is_scalar_op(inner.name):
            env[inner.result] = eval_scalar_op(inner, [_captured(v, env) for v in inner.operands])
        elif inner.name == "arith.constant":
            env[inner.result] = _captured(inner.result, env)
        else:
            raise NotInterpretable(f"{op.name} with {inner.name} in its score region")
    return np.asarray(_captured(ops[-1].operands[0], env), np.float32) * np.ones_like(s)


def _position(shape, axis: int):
    view = [1] * len(shape)
    view[axis] = shape[axis]
    return np.arange(shape[axis], dtype=np.int64).reshape(view)


def _captured(value, env):
    """A region value: computed in the region, or a constant from above it."""
    if value in env:
        return env[value]
    if not isinstance(value.owner, ir.Block) and value.owner.name == "arith.constant":
        from .values import constant

        return constant(value.owner.attributes["value"], value.type)
    raise NotInterpretable("a score region that uses a value from above it")


def eval_fill(op, args):
    return [np.full(np.shape(args[1]), cast_to(args[0], element_type(op.results[0].type)))]


# Named contractions as einsum specs (contraction_spec).
CONTRACTIONS = {
    "linalg.matmul": "mk,kn->mn", "linalg.batch_matmul": "bmk,bkn->bmn", "linalg.batch_reduce_matmul": "bmk,bkn->mn",
    "linalg.matvec": "mk,k->m", "linalg.vecmat": "k,kn->n", "linalg.batch_matvec": "bmk,bk->bm",
    "linalg.batch_vecmat": "bk,bkn->bn", "linalg.dot": "k,k->",
}


def contraction_spec(op) -> str:
    """A named contraction as an einsum spec (A, B -> C); its indexing_maps (transposed operands), where given,
    replace the name's."""
    if "indexing_maps" in op.attributes:
        return "{},{}->{}".format(*["".join("abcdefgh"[d] for d in dim_positions(m)) for m in indexing_maps(op)])
    return CONTRACTIONS[op.name]


def eval_named(op, args):
    name = op.name
    out_elem = element_type(op.results[0].type) if op.results else None
    if name == "linalg.fill":
        return eval_fill(op, args)
    if name == "linalg.copy":
        return [cast_to(args[0], out_elem)]
    if name == "linalg.transpose":
        perm = list(ir.DenseI64ArrayAttr(op.attributes["permutation"]))
        return [cast_to(np.transpose(args[0], perm), out_elem)]
    if name in CONTRACTIONS:
        kind = np.float32 if out_elem in FLOAT_TYPES else np.int64
        a, b, c = (np.asarray(x, kind) for x in args)
        return [cast_to(c + np.einsum(contraction_spec(op), a, b), out_elem)]
    raise NotInterpretable(name)


# Convolutions by their operand layouts: n batch, c input channels, f output channels, spatial dims in order.
CONVOLUTIONS = {
    "linalg.conv_1d_ncw_fcw": ("ncw", "fcw", "nfw"), "linalg.conv_1d_nwc_wcf": ("nwc", "wcf", "nwf"),
    "linalg.conv_2d_nchw_fchw": ("nchw", "fchw", "nfhw"), "linalg.conv_2d_nhwc_hwcf": ("nhwc", "hwcf", "nhwf"),
    "linalg.conv_2d_nhwc_fhwc": ("nhwc", "fhwc", "nhwf"),
    "linalg.conv_3d_ncdhw_fcdhw": ("ncdhw", "fcdhw", "nfdhw"), "linalg.conv_3d_ndhwc_dhwcf": ("ndhwc", "dhwcf", "ndhwf"),
}


def eval_conv(op, args):
    """A named convolution: per offset in the kernel window one einsum over the input channels, on the input's
    strided view at that offset (the loop is over the window, e.g. 16x16 for a ViT patch embedding, never over
    the elements). Padding is a tensor.pad before it."""
    in_layout, filter_layout, out_layout = CONVOLUTIONS[op.name]
    spatial = [d for d in in_layout if d not in "nc"]
    x, w, init = (np.asarray(a, np.float32) for a in args)
    x = np.transpose(x, [in_layout.index(d) for d in "nc" + "".join(spatial)])  # n, c, spatial...
    w = np.transpose(w, [filter_layout.index(d) for d in "fc" + "".join(spatial)])  # f, c, window...
    strides, dilations = ([int(v) for v in ir.DenseIntElementsAttr(op.attributes[a])] if a in op.attributes
                          else [1] * len(spatial) for a in ("strides", "dilations"))
    out_sizes = [init.shape[out_layout.index(d)] for d in spatial]
    acc = np.zeros((x.shape[0], w.shape[0], *out_sizes), np.float32)
    for offset in np.ndindex(*w.shape[2:]):
        view = x[(slice(None), slice(None)) + tuple(
            slice(k * dl, k * dl + (n - 1) * st + 1, st) for k, dl, n, st in zip(offset, dilations, out_sizes, strides))]
        acc += np.einsum("nc...,fc->nf...", view, w[(slice(None), slice(None)) + offset])
    acc = np.transpose(acc, ["nf".index(d) if d in "nf" else 2 + spatial.index(d) for d in out_layout])
    return [cast_to(init + acc, element_type(op.results[0].type))]


def eval_broadcast(op, args):
    """linalg.broadcast: the input with the init's `dimensions` added."""
    dims = list(ir.DenseI64ArrayAttr(op.attributes["dimensions"]))
    out = np.broadcast_to(np.expand_dims(np.asarray(args[0]), dims), np.shape(args[1]))
    return [cast_to(out.copy(), element_type(op.results[0].type))]


def eval_gather(op, args):
    """iree_linalg_ext.gather: out[batch..., slice...] = source[indices[batch..., i] on dimension_map[i], slice...].
    The batch rank is what the output has beyond the source's unindexed dims; indices whose rank is the batch
    rank have an implicit index depth of 1."""
    source, indices, out = (np.asarray(a) for a in args)
    dmap = list(ir.DenseI64ArrayAttr(op.attributes["dimension_map"]))
    batch_rank = out.ndim - (source.ndim - len(dmap))
    if indices.ndim == batch_rank:
        indices = indices[..., None]
    if indices.ndim != batch_rank + 1 or indices.shape[-1] != len(dmap):
        raise NotInterpretable(f"iree_linalg_ext.gather of indices {indices.shape} into {out.shape}")
    rest = [d for d in range(source.ndim) if d not in dmap]
    moved = np.transpose(source, dmap + rest)  # the indexed dims first, in index order
    got = gather_elements(moved, [indices[..., i] for i in range(len(dmap))], op.name)
    return [cast_to(got.reshape(out.shape), element_type(op.results[0].type))]


def body_op_value(op, env, sizes, combiners):
    """One op inside a linalg body."""
    if op.name == "linalg.index":
        return eval_linalg_index(op, sizes)
    args = [env[v] for v in op.operands]
    if op.name == "affine.apply":  # tiles' offsets added to linalg.index (an index-computed mask)
        return eval_map(ir.AffineMapAttr(op.attributes["map"]).value, args)[0]
    if op.operation in combiners:
        return make_reduction(op, args, combiners[op.operation])
    if is_scalar_op(op.name):
        if any(isinstance(a, _Reduction) for a in args):
            raise NotInterpretable("a reduction's partial value used before the reduction completes")
        return eval_scalar_op(op, args)
    if op.name == "arith.constant":
        from .values import constant

        return constant(op.attributes["value"], op.results[0].type)
    if op.name == "tensor.extract":  # a lookup (an embedding's row, a mask's element) at every point at once
        return gather_elements(args[0], args[1:], op.name)
    if op.name == "cf.assert":  # a torch export's bounds check of that lookup
        return check_assert(op, args[0])
    raise NotInterpretable(op.name)


def eval_pack(op, args) -> list:
    """linalg.pack: pad to whole tiles, split each tiled dim into (outer, tile), outer dims (permuted) first."""
    src = np.asarray(args[0])
    pad_value = args[2] if len(args) > 2 else None
    inner_pos = list(ir.DenseI64ArrayAttr(op.attributes["inner_dims_pos"]))
    tiles = list(ir.DenseI64ArrayAttr(op.attributes["static_inner_tiles"]))
    if any(t < 0 for t in tiles):
        raise NotInterpretable("linalg.pack with dynamic tiles")
    outer_perm = list(ir.DenseI64ArrayAttr(op.attributes["outer_dims_perm"])) if "outer_dims_perm" in op.attributes \
        else list(range(src.ndim))
    padded_shape = [-(-n // tiles[inner_pos.index(d)]) * tiles[inner_pos.index(d)] if d in inner_pos else n
                    for d, n in enumerate(src.shape)]
    if padded_shape != list(src.shape):
        if pad_value is None:
            raise NotInterpretable("linalg.pack of a partial tile without a padding value")
        padded = np.full(padded_shape, pad_value, src.dtype)
        padded[tuple(slice(0, n) for n in src.shape)] = src
        src = padded
    split, outer_axis, inner_axis = [], {}, {}
    for d, n in enumerate(src.shape):
        outer_axis[d] = len(split)
        if d in inner_pos:
            t = tiles[inner_pos.index(d)]
            split += [n // t, t]
            inner_axis[d] = outer_axis[d] + 1
        else:
            split.append(n)
    perm = [outer_axis[d] for d in outer_perm] + [inner_axis[d] for d in inner_pos]
    return [np.transpose(src.reshape(split), perm).copy()]


def eval_unpack(op, args) -> list:
    """linalg.unpack: the inverse of eval_pack, cut to the destination's shape."""
    src, dest = np.asarray(args[0]), np.asarray(args[1])
    inner_pos = list(ir.DenseI64ArrayAttr(op.attributes["inner_dims_pos"]))
    rank = dest.ndim
    outer_perm = list(ir.DenseI64ArrayAttr(op.attributes["outer_dims_perm"])) if "outer_dims_perm" in op.attributes \
        else list(range(rank))
    # src axes: outer dims in outer_perm order, then one inner tile axis per inner_pos entry.
    order = []
    for d in range(rank):
        order.append(outer_perm.index(d))
        if d in inner_pos:
            order.append(rank + inner_pos.index(d))
    moved = np.transpose(src, order)
    full = moved.reshape(_merged_shape(moved.shape, rank, inner_pos))
    return [full[tuple(slice(0, n) for n in dest.shape)].copy()]


def _merged_shape(shape, rank, inner_pos):
    out, i = [], 0
    for d in range(rank):
        if d in inner_pos:
            out.append(shape[i] * shape[i + 1])
            i += 2
        else:
            out.append(shape[i])
            i += 1
    return out


def eval_inner_tiled(op, args) -> list:
    """iree_codegen.inner_tiled before distribution: per outer iteration point, C[M,N] += A[M,K] @ B[K,N] on the
    intrinsic's logical tiles (the shapes mnk_shape reports), outer dims contracted through the indexing maps."""
    if lane_distributed(op):
        raise NotInterpretable("iree_codegen.inner_tiled on lane-distributed operands")
    if len(args) != 3:
        raise NotInterpretable("iree_codegen.inner_tiled with other than two inputs and one output")
    maps = indexing_maps(op)
    outer_dims = [dim_positions(m) for m in maps]
    if any(np.ndim(x) != len(d) + 2 for x, d in zip(args, outer_dims)):
        raise NotInterpretable("iree_codegen.inner_tiled with other than 2-d inner tiles")
    letters = string.ascii_letters[:40]
    outer = ["".join(letters[d] for d in dims) for dims in outer_dims]
    perms = _inner_tile_permutations(op, outer_dims)
    # Each operand's stored inner tile is the intrinsic's [M,K] / [K,N] / [M,N] tile permuted (S[i] == C[p[i]]):
    # read each in the intrinsic's order, store C back permuted. `col_major` changes only the lane layout of C.
    a, b, c = (_inner_permuted(np.asarray(x, np.float32), np.argsort(p)) for x, p in zip(args, perms))
    spec = f"{outer[0]}XZ,{outer[1]}ZY->{outer[2]}XY"
    return [cast_to(_inner_permuted(c + np.einsum(spec, a, b), perms[2]), element_type(op.results[0].type))]


def _inner_tile_permutations(op, outer_dims) -> list[list[int]]:
    """`permutations` where the op has it. IREE's vectorization of inner_tiled drops it (and opaque = true hides
    that from the verifier), leaving the tiles as GPUPackToIntrinsics' linalg.pack wrote them: each operand's inner
    dims in loop order of the intrinsic's M, N, K dims (the last of each). That order is what the attribute had
    said, so a vector-level op without it is read so."""
    if "permutations" in op.attributes:
        return [list(ir.DenseI64ArrayAttr(p)) for p in ir.ArrayAttr(op.attributes["permutations"])]
    if not isinstance(op.operands[0].type, ir.VectorType):
        return [[0, 1]] * 3
    a, b, c = (set(dims) for dims in outer_dims)
    m, n, k = a & c - b, b & c - a, a & b - c
    if not (m and n and k):
        raise NotInterpretable("iree_codegen.inner_tiled whose maps name no M, N and K dim")
    m, n, k = max(m), max(n), max(k)
    return [[0, 1] if x < y else [1, 0] for x, y in ((m, k), (k, n), (m, n))]


def _inner_permuted(array: np.ndarray, perm) -> np.ndarray:
    """The array with its two innermost (tile) axes permuted by `perm`."""
    lead = array.ndim - 2
    return np.transpose(array, list(range(lead)) + [lead + int(i) for i in perm])
