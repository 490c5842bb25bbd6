"""Lane-mapped scf.foralls (`#iree_gpu.lane_id`) run in lockstep: the body runs once for all lanes, every value
that differs between lanes a `Lanes` array (axis 0 the lane), the way the forall runs once it is resolved onto
lane ids. Cross-lane ops (gpu.subgroup_reduce, lane-distributed iree_codegen.inner_tiled) see all lanes at once
and use the lane math both interpreters share (lanes.py, intrinsic layouts from IREE). Generics,
elementwise, vector-reshaping, broadcast and reduction ops run batched over the lane axis, slices and reads of
per-lane windows as one gather; any other op runs lane by lane.
"""

from __future__ import annotations

from collections import ChainMap

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir.facts import ATTENTION, ONLINE_ATTENTION
from ..ir.irutil import indexing_maps, lane_distributed, walk
from . import structured
from .affine import eval_map
from .core import segments, slice_spec, window
from .lanes import inner_tiled, shuffle, shuffle_mode, subgroup_reduce
from .scalar_ops import eval_scalar_op, is_scalar_op
from .values import cast_to, dynamic_shape, element_type, shape_of
from .vector_ops import in_bounds_of, multi_reduction, static_window, strided_window

LANE = "lanes"  # env key: the lane count inside a lane forall (None: one lane's own view)


class Lanes:
    """A value that differs between the lanes of a lane forall: axis 0 of `a` is the lane."""

    __slots__ = ("a",)

    def __init__(self, a):
        self.a = np.asarray(a)

    def at(self, lane: int):
        return self.a[lane]


def at_lane(value, lane: int):
    return value.at(lane) if isinstance(value, Lanes) else value


def _batch(value, lanes: int) -> np.ndarray:
    return value.a if isinstance(value, Lanes) else np.broadcast_to(np.asarray(value), (lanes,) + np.shape(value))


def _trailing(args, fn):
    """An op on the trailing (per-lane) axes, applied to lane-batched arrays."""
    return [Lanes(fn(args[0].a))] if isinstance(args[0], Lanes) else None


def lanes_in_lockstep(interp, block, env, lane_ids: list[int], shared: list) -> list:
    """Runs a lane forall's body once for all lanes; returns each lane's (shared output, window, value) inserts."""
    if lane_ids != list(range(len(lane_ids))):
        raise NotInterpretable(f"a lane forall over {lane_ids[:3]}... instead of 0..lanes-1")
    return iterations_in_lockstep(interp, block, env, [(lane,) for lane in lane_ids], shared)


def iterations_in_lockstep(interp, block, env, iterations: list[tuple[int, ...]], shared: list) -> list:
    """Runs a forall's body once for all its iterations, each induction variable a Lanes array of its values
    (the lanes of a lane forall; the workgroups of a workgroup forall: they are independent by the forall's
    semantics); returns each iteration's (shared output, window, value) inserts."""
    count, n = len(iterations), len(iterations[0])
    ivs = np.array(iterations, dtype=np.int64).reshape(count, n)
    local = ChainMap({LANE: count, **{block.arguments[k]: Lanes(ivs[:, k]) for k in range(n)}}, env)
    for arg, val in zip(list(block.arguments)[n:], shared):
        local[arg] = val
    interp.run_block(block, local)
    terminator = block.operations[len(block.operations) - 1]
    inserts = [[] for _ in range(count)]
    for ins in terminator.regions[0].blocks[0].operations:
        for i in range(count):
            one = ChainMap({v: at_lane(local[v], i) for v in ins.operands}, local)
            inserts[i] += interp.insert_of(ins.operation, block, n, one, shared)
    return inserts


def run_lane_op(interp, op, env) -> list:
    """One op inside a lane forall: batched where the op allows it, lane by lane otherwise."""
    lanes = env[LANE]
    args = [env[v] for v in op.operands]
    captured = _captured_lanes(op, env) if op.name == "linalg.generic" else []
    rule = _RULES.get(op.name) or (_elementwise if is_scalar_op(op.name) else None)
    if rule is not None and not captured and not _ragged(op, args):
        out = rule(interp, op, args, env, lanes)
        if out is not None:
            return out
    if not any(isinstance(a, Lanes) for a in args) and not captured:
        return interp.dispatch(op, args, env)
    per_lane = []
    for lane in range(lanes):
        mine = [at_lane(a, lane) for a in args]
        one = ChainMap({LANE: None, **dict(zip(op.operands, mine)), **{v: env[v].at(lane) for v in captured}}, env)
        per_lane.append(interp.dispatch(op, mine, one))
    return [Lanes(_stacked([np.asarray(r[i]) for r in per_lane])) for i in range(len(op.results))]


def _stacked(arrays: list) -> np.ndarray:
    """The lanes' results of one op as one array; where they differ in shape (a lane's window of a tile of
    run-time size, m-tail's masked row writes), an array of the lanes' arrays (dtype object), which every op
    then takes lane by lane."""
    if len({a.shape for a in arrays}) == 1:
        return np.stack(arrays)
    ragged = np.empty(len(arrays), dtype=object)
    for i, a in enumerate(arrays):
        ragged[i] = a
    return ragged


def _ragged(op, args) -> bool:
    """Whether the op has a result of run-time shape or a lane-ragged operand: it runs lane by lane."""
    return (any(isinstance(a, Lanes) and a.a.dtype == object for a in args)
            or any(isinstance(r.type, ir.ShapedType) and not ir.ShapedType(r.type).has_static_shape
                   for r in op.results))


def _captured_lanes(op, env) -> list:
    """Values from above that the body of `op` uses and that differ between lanes (a lane's coordinate in an
    index-computed mask): the op then runs lane by lane."""
    captured = []
    for inner in list(walk(op))[1:]:
        for v in inner.operands:
            if v in env and isinstance(env[v], Lanes) and v not in captured:
                captured.append(v)
    return captured


def _elementwise(interp, op, args, env, lanes):
    if not any(isinstance(a, Lanes) for a in args):
        return None
    return [Lanes(eval_scalar_op(op, [a.a if isinstance(a, Lanes) else _align(a) for a in args]))]


def _align(value):
    """A uniform operand of a batched elementwise op: a leading unit lane axis (vectors broadcast right-aligned)."""
    value = np.asarray(value)
    return value if value.ndim == 0 else value[None]


def _generic(interp, op, args, env, lanes):
    batched = [isinstance(a, Lanes) for a in args]
    if not any(batched):
        return None
    n_inputs = len(op.operands) - len(op.results)
    values = [a.a if isinstance(a, Lanes) else a for a in args]
    return [Lanes(r) for r in structured.eval_generic(op, values, n_inputs, interp.body, env, lanes, batched)]


def _affine_apply(interp, op, args, env, lanes):
    if not any(isinstance(a, Lanes) for a in args):
        return None
    amap = ir.AffineMapAttr(op.attributes["map"]).value
    return [Lanes(np.asarray(eval_map(amap, [_batch(a, lanes) for a in args])[0], np.int64))]


def _scf_for(interp, op, args, env, lanes):
    """The loop runs once for all lanes (its bounds are the same for all); carried values may be Lanes."""
    if any(isinstance(a, Lanes) for a in args[:3]):
        raise NotInterpretable("scf.for whose bounds differ between lanes, at tensor level")
    return interp.dispatch(op, args, env)


def _fill(interp, op, args, env, lanes):
    if isinstance(args[0], Lanes):
        return None
    return structured.eval_fill(op, [args[0], np.empty(shape_of(op.results[0].type))])


def _subgroup_reduce(interp, op, args, env, lanes):
    return [Lanes(subgroup_reduce(op, _batch(args[0], lanes), lanes, lanes))]


def _shuffle(interp, op, args, env, lanes):
    value, valid = shuffle(_batch(args[0], lanes), _batch(args[1], lanes), _batch(args[2], lanes), shuffle_mode(op), lanes)
    return [Lanes(value), Lanes(valid)]


def _inner_tiled(interp, op, args, env, lanes):
    if not lane_distributed(op):
        return None
    maps = indexing_maps(op)
    a, b, c = (_batch(x, lanes) for x in args)
    return [Lanes(inner_tiled(op.attributes["kind"], maps, a, b, c, lanes, lanes, element_type(op.results[0].type)))]


def _reshape(interp, op, args, env, lanes):
    return _trailing(args, lambda a: a.reshape((lanes,) + shape_of(op.results[0].type)))


def _transpose(interp, op, args, env, lanes):
    perm = list(ir.DenseI64ArrayAttr(op.attributes["permutation"]))
    return _trailing(args, lambda a: np.transpose(a, [0] + [1 + p for p in perm]))


def _extract(interp, op, args, env, lanes):
    if len(args) > 1:
        return None
    position = tuple(int(p) for p in ir.DenseI64ArrayAttr(op.attributes["static_position"]))
    return _trailing(args, lambda a: a[(slice(None),) + position])


def _insert_strided_slice(interp, op, args, env, lanes):
    if not any(isinstance(a, Lanes) for a in args):
        return None
    source, dest = _batch(args[0], lanes), np.array(_batch(args[1], lanes), copy=True)
    dest[strided_window(op, source.shape[1:], lead=1)] = source
    return [Lanes(dest)]


def _from_elements(interp, op, args, env, lanes):
    if not any(isinstance(a, Lanes) for a in args):
        return None
    stacked = np.stack([_batch(a, lanes) for a in args], axis=1)
    return [Lanes(stacked.reshape((lanes,) + shape_of(op.results[0].type)))]


def _whole_write(interp, op, args, env, lanes):
    """A transfer_write of a whole static tensor at index 0 (what the lane stage emits): a reshape per lane."""
    tensor_type = op.operands[1].type
    vector_shape = shape_of(op.operands[0].type)
    rank = len(shape_of(tensor_type))
    indices = args[2:2 + rank]
    identity = ir.AffineMapAttr(op.attributes["permutation_map"]).value == ir.AffineMap.get_identity(rank, op.context)
    if not isinstance(args[0], Lanes) or shape_of(tensor_type) != vector_shape or not identity \
            or any(isinstance(i, Lanes) or int(i) != 0 for i in indices):
        return None
    return [Lanes(args[0].a.reshape((lanes,) + tuple(vector_shape)))]


def _broadcast(interp, op, args, env, lanes):
    """vector.broadcast of each lane's value: its dims right-aligned under the result's."""
    if not isinstance(args[0], Lanes):
        return None
    shape = tuple(shape_of(op.results[0].type))
    a = args[0].a
    a = a.reshape((lanes,) + (1,) * (len(shape) - (a.ndim - 1)) + a.shape[1:])
    return [Lanes(np.broadcast_to(a, (lanes,) + shape).copy())]


def _multi_reduction(interp, op, args, env, lanes):
    if not any(isinstance(a, Lanes) for a in args):
        return None
    return [Lanes(multi_reduction(op, [_batch(a, lanes) for a in args], lead=1)[0])]


def _gather(src: np.ndarray, starts: list[np.ndarray], sizes: list[int], strides: list[int], what: str,
            padding=None, padded: list[bool] | None = None) -> np.ndarray:
    """(lanes, *sizes): each lane's strided window of SRC (lanes, ...) from its STARTS (one (lanes,) array per dim);
    core.window's OutOfBounds, naming the first lane, when a lane's window leaves SRC, except along the `padded`
    dims, where what lies beyond SRC reads as PADDING (a masked vector.transfer_read)."""
    lanes, rank = src.shape[0], len(starts)
    padded = padded or [False] * rank
    if any(p and src.shape[1 + d] == 0 for d, p in enumerate(padded)):  # an empty source (a subgroup past M)
        return np.full((lanes,) + tuple(sizes), padding, dtype=src.dtype)
    index = [np.arange(lanes).reshape((lanes,) + (1,) * rank)]
    outside = np.zeros((lanes,) + tuple(sizes), bool)
    for d, (start, size, stride) in enumerate(zip(starts, sizes, strides)):
        along = start[:, None] + np.arange(size) * stride
        beyond = (along < 0) | (along >= src.shape[1 + d])
        if padded[d]:
            outside |= beyond.reshape((lanes,) + (1,) * d + (size,) + (1,) * (rank - d - 1))
            along = np.clip(along, 0, src.shape[1 + d] - 1)
        elif size and beyond.any():
            lane = int(np.argmax((along < 0).any(axis=1) | (along >= src.shape[1 + d]).any(axis=1)))
            window([int(s[lane]) for s in starts], sizes, strides, src.shape[1:], f"{what} (lane {lane})")
        index.append(along.reshape((lanes,) + (1,) * d + (size,) + (1,) * (rank - d - 1)))
    got = src[tuple(index)]
    return np.where(outside, padding, got) if outside.any() else got


def _extract_slice(interp, op, args, env, lanes):
    """tensor.extract_slice whose source or offsets differ between lanes, as one gather; sizes and strides must be
    the same for all lanes."""
    offsets, sizes, strides = slice_spec(op, args, 1)
    if not any(isinstance(a, Lanes) for a in [args[0], *offsets]) or \
            any(isinstance(x, Lanes) for x in sizes + strides):
        return None
    got = _gather(_batch(args[0], lanes), [_batch(o, lanes).astype(np.int64) for o in offsets],
                  [int(x) for x in sizes], [int(x) for x in strides], op.name)
    shape = dynamic_shape(op.results[0].type, segments(op, args)[2])  # a `?` of the result is a dynamic size
    return [Lanes(got.reshape((lanes,) + shape))]


def _transfer_read(interp, op, args, env, lanes):
    """An in-bounds minor-identity vector.transfer_read whose source or indices differ between lanes, as one
    gather: the leading indices pick a point, the trailing ones start the vector's window."""
    rank = ir.ShapedType(op.operands[0].type).rank
    indices = args[1:1 + rank]
    if not any(isinstance(a, Lanes) for a in [args[0], *indices]):
        return None
    vshape = tuple(shape_of(op.results[0].type))
    static_window(op, [0] * rank, vshape, padded=True)  # the map and mask checks of the one-lane read
    padded = [False] * (rank - len(vshape)) + [not b for b in in_bounds_of(op)]
    got = _gather(_batch(args[0], lanes), [_batch(i, lanes).astype(np.int64) for i in indices],
                  [1] * (rank - len(vshape)) + list(vshape), [1] * rank, op.name, args[1 + rank], padded)
    return [Lanes(cast_to(got.reshape((lanes,) + vshape), element_type(op.results[0].type)))]


def _attention(interp, op, args, env, lanes):
    """Attention on every lane's operands at once: the lane axis is one more batch dim (a uniform scale)."""
    if not any(isinstance(a, Lanes) for a in args) or isinstance(args[3], Lanes):
        return None
    values = [a if i == 3 else _batch(a, lanes) for i, a in enumerate(args)]
    online = op.name == ONLINE_ATTENTION
    return [Lanes(r) for r in structured.eval_attention(op, values, online, batched=True)]


_RULES = {
    "linalg.generic": _generic, "affine.apply": _affine_apply, "linalg.fill": _fill, "scf.for": _scf_for,
    "gpu.subgroup_reduce": _subgroup_reduce, "gpu.shuffle": _shuffle, "iree_codegen.inner_tiled": _inner_tiled,
    "tensor.expand_shape": _reshape, "tensor.collapse_shape": _reshape, "vector.shape_cast": _reshape,
    "vector.transpose": _transpose, "vector.extract": _extract, "vector.from_elements": _from_elements,
    "vector.insert_strided_slice": _insert_strided_slice,
    "vector.transfer_read": _transfer_read, "vector.transfer_write": _whole_write,
    "vector.broadcast": _broadcast, "vector.multi_reduction": _multi_reduction, "tensor.extract_slice": _extract_slice,
    ATTENTION: _attention, ONLINE_ATTENTION: _attention,
}
