"""Cross-lane semantics: matrix intrinsics, subgroup reductions and shuffles.

Which lane holds which element of an intrinsic's operands is asked of IREE (iree_gpu's
get_single_subgroup_layout for the intrinsic), never written down here. A lane's coordinate in dim d is
(lane // tstrides[d]) % thread[d]; its registers hold the outer tiles, then the elements of each, in the
order the op's ISA defines: MFMA row-major over (outer rows, outer cols); NVIDIA's mma.sync column-major
over them (a0..a7 of PTX's m16n8k16 walk the row halves before the k halves; IREE's lowering to nvgpu
transposes its outer dims into that order).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

import iree.compiler.ir as ir
from iree.compiler.dialects import gpu, iree_gpu

from ..errors import NotInterpretable
from .values import cast_to, element_type
from ..ir.intrinsics import name_of
from ..ir.irutil import enum_name
from ..ir.lane_layout import ACC, LHS, RHS, intrinsic_layout
from .vector_ops import combiner

@lru_cache(maxsize=None)
def intrinsic_lanes(intrinsic: str, context: ir.Context) -> int:
    """The lanes one intrinsic spans: the widest of its operands' layouts (RDNA3's WMMA spreads A and B over 16
    lanes, replicated in both halves of its 32, and C over all 32)."""
    return max(d.thread * max(d.tstride, 1) for f in (LHS, RHS, ACC) for d in intrinsic_layout(intrinsic, f, context))


@lru_cache(maxsize=None)
def fragment_grid(intrinsic: str, fragment: int, context: ir.Context) -> np.ndarray:
    """(lanes, outer0 * element0, outer1 * element1, 2): the (row, col) of the fragment element at each
    index of a lane's fragment, the fragment being the lane's values as one 2-D array (outer tile, then
    element, per dim) — the shape distributed iree_codegen.inner_tiled operands have. A dim with one thread
    (tstride 0 in IREE's layouts) is the same on every lane: lanes beyond an operand's span hold replicas."""
    dims = intrinsic_layout(intrinsic, fragment, context)
    lane = np.arange(intrinsic_lanes(intrinsic, context))
    per_dim = []
    for d in dims:
        t = (lane // d.tstride) % d.thread if d.tstride else np.zeros_like(lane)
        o, e = np.meshgrid(np.arange(d.outer), np.arange(d.element), indexing="ij")
        per_dim.append(((o * d.thread)[None] + t[:, None, None]) * d.element + e[None])  # (lanes, outer, element)
    rows = per_dim[0].reshape(len(lane), -1, 1)
    cols = per_dim[1].reshape(len(lane), 1, -1)
    rows, cols = np.broadcast_arrays(rows, cols)
    return np.stack([rows, cols], axis=-1).astype(np.int64)


@lru_cache(maxsize=None)
def fragment_coords(intrinsic: str, fragment: int, context: ir.Context) -> np.ndarray:
    """(lanes, registers, 2): the (row, col) of the fragment element each lane holds in each register, in
    the register order of the intrinsic's ISA op."""
    rows, cols = intrinsic_layout(intrinsic, fragment, context)
    grid = fragment_grid(intrinsic, fragment, context)
    lanes = grid.shape[0]
    grid = grid.reshape(lanes, rows.outer, rows.element, cols.outer, cols.element, 2)
    if intrinsic.startswith("NV_MMA_SYNC"):  # outer tiles column-major
        grid = grid.transpose(0, 3, 1, 2, 4, 5)
    else:  # outer tiles row-major
        grid = grid.transpose(0, 1, 3, 2, 4, 5)
    return grid.reshape(lanes, -1, 2)


def intrinsic_of(family: str, m: int, n: int, k: int, types: tuple[ir.Type, ir.Type, ir.Type]) -> str:
    """The IREE intrinsic an ISA-level op (amdgpu.mfma / amdgpu.wmma / nvgpu.mma_sync) executes: the one of its
    family (name prefix) with its M, N, K and exactly its operand vector types (RDNA3's and RDNA4's WMMA differ
    only there: 16 vs 8 f16 per lane)."""
    context = types[0].context
    with context:
        for i in iree_gpu.MMAIntrinsic:
            if not i.name.startswith(family):
                continue
            kind = iree_gpu.MMAAttr.get(i)
            if tuple(kind.mnk_shape) == (m, n, k) and tuple(kind.abc_vector_types) == tuple(types):
                return i.name
    raise NotInterpretable(f"no IREE {family} intrinsic {m}x{n}x{k} on {', '.join(map(str, types))}")


def _lanes(coords: np.ndarray, intrinsic: str, subgroup_size: int) -> int:
    if coords.shape[0] != subgroup_size:
        raise NotInterpretable(f"{intrinsic} spans {coords.shape[0]} lanes, the subgroup has {subgroup_size}")
    return coords.shape[0]


def _to_matrices(values: np.ndarray, coords: np.ndarray, rows: int, cols: int, outer: int = 0) -> np.ndarray:
    """(subgroups, *outer dims, rows, cols): each subgroup's matrices from its lanes' values; coords is (lanes, ...,
    2), the (row, col) of each value a lane holds, values (threads, *OUTER dims, ...) in the same per-lane order.
    Lanes that hold replicas of one element must agree; where they do not, the element is NaN (the hardware reads
    one of them, so the kernel is wrong and the comparison with the reference says so)."""
    lanes = coords.shape[0]
    vals = np.asarray(values, np.float32)
    batch = vals.shape[1:1 + outer]
    vals = np.moveaxis(vals.reshape((-1, lanes) + batch + coords.shape[1:-1]), 1, 1 + outer)  # lanes after batch
    at_rows, at_cols = coords[..., 0], coords[..., 1]
    mat = np.full(vals.shape[:1] + batch + (rows, cols), np.nan, np.float32)
    mat[..., at_rows, at_cols] = vals
    held = mat[..., at_rows, at_cols]
    disagree = (held != vals) & ~(np.isnan(held) & np.isnan(vals))
    if disagree.any():
        where = np.nonzero(disagree)  # (subgroup, *batch, lane, *register) of each disagreeing value
        fragment = where[1 + outer:]
        mat[where[:1 + outer] + (at_rows[fragment], at_cols[fragment])] = np.nan
    return mat


def _from_matrices(mat: np.ndarray, coords: np.ndarray, shape: tuple[int, ...], outer: int = 0) -> np.ndarray:
    """The inverse of _to_matrices: the lanes' values, as an array of `shape` (threads, *outer dims, ...)."""
    return np.moveaxis(mat[..., coords[..., 0], coords[..., 1]], 1 + outer, 1).reshape(shape)


def mma(intrinsic: str, context: ir.Context, a: np.ndarray, b: np.ndarray, c: np.ndarray,
        threads: int, subgroup_size: int, m: int, n: int, k: int, out_elem: str) -> np.ndarray:
    """D = A B + C per subgroup, with each operand gathered from / scattered to the lanes' registers."""
    coords = [fragment_coords(intrinsic, f, context) for f in (LHS, RHS, ACC)]
    _lanes(coords[0], intrinsic, subgroup_size)
    a_mat, b_mat, c_mat = (_to_matrices(np.broadcast_to(x, (threads,) + x.shape[1:]), xy, rows, cols)
                           for x, xy, rows, cols in zip((a, b, c), coords, (m, k, m), (k, n, n)))
    d_mat = cast_to(np.matmul(a_mat, b_mat) + c_mat, out_elem)
    return _from_matrices(d_mat, coords[ACC], (threads,) + c.shape[1:])


def _over_acc_dims(mat: np.ndarray, held: list[int], fixed: dict[int, int], acc_dims: list[int]) -> np.ndarray:
    """MAT (subgroups, *outer dims HELD, rows, cols) at the reduction point FIXED, its outer dims in ACC_DIMS' order
    (size 1 where it has none of them), so that it broadcasts against the accumulator's tiles."""
    mat = mat[(slice(None),) + tuple(fixed.get(d, slice(None)) for d in held)]
    left = [d for d in held if d not in fixed]
    if any(d not in acc_dims for d in left):
        raise NotInterpretable("inner_tiled with an outer dim of an input that is neither C's nor reduced")
    order = sorted(left, key=acc_dims.index)
    mat = mat.transpose([0, *(1 + left.index(d) for d in order), mat.ndim - 2, mat.ndim - 1])
    return mat.reshape(mat.shape[:1] + tuple(mat.shape[1 + order.index(d)] if d in order else 1 for d in acc_dims)
                       + mat.shape[-2:])


def subgroup_groups(x: np.ndarray, threads: int, subgroup_size: int, cluster_size: int, cluster_stride: int):
    """x viewed as (clusters..., cluster_size, cluster_stride, ...): lane l's cluster holds the lanes with
    its l mod cluster_stride within its block of cluster_size * cluster_stride lanes."""
    x = np.broadcast_to(x, (threads,) + x.shape[1:])
    block = cluster_size * cluster_stride
    if block > subgroup_size or subgroup_size % block:
        raise NotInterpretable(
            f"subgroup reduce with cluster {cluster_size}x{cluster_stride} in a subgroup of {subgroup_size}")
    return x.reshape((threads // block, cluster_size, cluster_stride) + x.shape[1:])


def subgroup_reduce(op, x: np.ndarray, threads: int, subgroup_size: int) -> np.ndarray:
    """gpu.subgroup_reduce of x (threads, ...): every lane gets its cluster's reduction."""
    size = ir.IntegerAttr(op.attributes["cluster_size"]).value if "cluster_size" in op.attributes else subgroup_size
    stride = ir.IntegerAttr(op.attributes["cluster_stride"]).value if "cluster_stride" in op.attributes else 1
    groups = subgroup_groups(x, threads, subgroup_size, size, stride)
    reduced = np.broadcast_to(combiner(op).reduce(groups, axis=1, keepdims=True), groups.shape)
    return cast_to(reduced.reshape((threads,) + x.shape[1:]), element_type(op.results[0].type))


def shuffle_mode(op) -> str:
    """A gpu.shuffle's mode (xor, down, up, idx)."""
    return enum_name(op.attributes["mode"], gpu.ShuffleMode, "gpu.GPU_ShuffleModeAttr")


def shuffle(value: np.ndarray, offset: np.ndarray, width: np.ndarray, mode: str, subgroup_size: int):
    """gpu.shuffle on `value` given for every thread: (value from the source lane, whether the source lane
    was inside the width)."""
    threads = value.shape[0]
    tid = np.arange(threads)
    lane = tid % subgroup_size
    width = np.broadcast_to(width, (threads,)).astype(np.int64)
    offset = np.broadcast_to(offset, (threads,)).astype(np.int64)
    segment = lane - lane % width
    if mode == "xor":
        src = lane ^ offset
        valid = src < segment + width
    elif mode == "down":
        src = lane + offset
        valid = src < segment + width
    elif mode == "up":
        src = lane - offset
        valid = src >= segment
    elif mode == "idx":
        src = segment + offset
        valid = offset < width
    else:
        raise NotInterpretable(f"gpu.shuffle mode {mode}")
    src = np.where(valid, src, lane)
    return value[tid - lane + src], valid


def inner_tiled(kind: ir.Attribute, maps: list[ir.AffineMap], a: np.ndarray,
                b: np.ndarray, c: np.ndarray, threads: int, subgroup_size: int, out_elem: str) -> np.ndarray:
    """Distributed iree_codegen.inner_tiled: every operand is (threads, outer dims of its map, lane fragment).
    For each point of the outer iteration space, C += A B per subgroup, each logical matrix gathered from the
    lanes by the intrinsic's layout. col_major kinds run the intrinsic on the transposed problem (C^T = B^T A^T):
    A sits where the intrinsic's RHS does, transposed; B where its LHS does; C where its accumulator does."""
    if not isinstance(kind, (iree_gpu.MMAAttr, iree_gpu.VirtualMMAAttr)):
        raise NotInterpretable(f"inner_tiled kind {kind}")
    intrinsic, col_major = name_of(kind)
    roles = [RHS, LHS, ACC] if col_major else [LHS, RHS, ACC]
    grids = []
    for role in roles:
        grid = fragment_grid(intrinsic, role, kind.context)
        grids.append(grid.transpose(0, 2, 1, 3)[..., ::-1] if col_major else grid)
    _lanes(grids[0], intrinsic, subgroup_size)
    m = int(grids[0][..., 0].max()) + 1
    k = int(grids[0][..., 1].max()) + 1
    n = int(grids[1][..., 1].max()) + 1
    operands = [np.broadcast_to(x, (threads,) + x.shape[1:]) for x in (a, b, c)]
    dims = [[ir.AffineDimExpr(e).position for e in amap.results] for amap in maps]
    bounds = {d: operand.shape[1 + j] for operand, held in zip(operands, dims) for j, d in enumerate(held)}
    lhs, rhs, acc = (_to_matrices(x, grid, rows, cols, len(held))
                     for x, grid, rows, cols, held in zip(operands, grids, (m, k, m), (k, n, n), dims))
    # Every outer tile of C at once, the reduction's outer points one after another in order: each C tile sees
    # the sequence of updates the unrolled intrinsics make.
    reduction = [d for d in sorted(bounds) if d not in dims[2]]
    for point in itertools.product(*(range(bounds[d]) for d in reduction)):
        fixed = dict(zip(reduction, point))
        acc = np.matmul(_over_acc_dims(lhs, dims[0], fixed, dims[2]),
                        _over_acc_dims(rhs, dims[1], fixed, dims[2])) + acc
    result = _from_matrices(acc, grids[2], operands[2].shape, len(dims[2]))
    return cast_to(result, out_elem)
