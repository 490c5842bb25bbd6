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
from iree.compiler.dialects import iree_gpu

from ..interp.values import Unsupported, cast_to, element_type

LHS, RHS, ACC = 0, 1, 2
_TYPE_NAMES = {"f16": "F16", "bf16": "BF16", "f32": "F32"}


@lru_cache(maxsize=None)
def fragment_coords(intrinsic: str, fragment: int, context: ir.Context) -> np.ndarray:
    """(lanes, registers, 2): the (row, col) of the fragment element each lane holds in each register."""
    with context:
        attr = iree_gpu.MMAIntrinsicAttr.get(getattr(iree_gpu.MMAIntrinsic, intrinsic))
        layout = iree_gpu.get_single_subgroup_layout(attr, fragment)
        outer, thread, tstrides, element = (list(getattr(layout, f)) for f in ("outer", "thread", "tstrides", "element"))
    lanes = int(np.prod(thread))
    coords = []
    for lane in range(lanes):
        t = [(lane // tstrides[d]) % thread[d] for d in range(2)]
        regs = []
        outer_tiles = itertools.product(range(outer[0]), range(outer[1]))
        if intrinsic.startswith("NV_MMA_SYNC"):
            outer_tiles = ((o0, o1) for o1, o0 in itertools.product(range(outer[1]), range(outer[0])))
        for o0, o1 in outer_tiles:
            for e0, e1 in itertools.product(range(element[0]), range(element[1])):
                regs.append(((o0 * thread[0] + t[0]) * element[0] + e0, (o1 * thread[1] + t[1]) * element[1] + e1))
        coords.append(regs)
    return np.array(coords, np.int64)


def intrinsic_name(prefix: str, m: int, n: int, k: int, a_type: ir.Type, c_type: ir.Type) -> str:
    a, c = element_type(a_type), element_type(c_type)
    if a not in _TYPE_NAMES or c not in _TYPE_NAMES:
        raise Unsupported(f"matrix intrinsic on {a} -> {c}")
    name = f"{prefix}_{_TYPE_NAMES[c]}_{m}x{n}x{k}_{_TYPE_NAMES[a]}"
    if not hasattr(iree_gpu.MMAIntrinsic, name):
        raise Unsupported(f"matrix intrinsic {name} is not an IREE MMA intrinsic")
    return name


def mma(intrinsic: str, context: ir.Context, a: np.ndarray, b: np.ndarray, c: np.ndarray,
        threads: int, subgroup_size: int, m: int, n: int, k: int, out_elem: str) -> np.ndarray:
    """D = A B + C per subgroup, with each operand gathered from / scattered to the lanes' registers."""
    lanes = fragment_coords(intrinsic, LHS, context).shape[0]
    if lanes != subgroup_size:
        raise Unsupported(f"{intrinsic} spans {lanes} lanes, the subgroup has {subgroup_size}")
    groups = threads // lanes

    def gather(x, fragment, rows, cols):
        coords = fragment_coords(intrinsic, fragment, context)
        regs = np.asarray(x, np.float32).reshape(groups, lanes, -1)
        mat = np.full((groups, rows, cols), np.nan, np.float32)
        mat[:, coords[..., 0], coords[..., 1]] = regs
        return mat

    a_mat = gather(np.broadcast_to(a, (threads,) + a.shape[1:]), LHS, m, k)
    b_mat = gather(np.broadcast_to(b, (threads,) + b.shape[1:]), RHS, k, n)
    c_mat = gather(np.broadcast_to(c, (threads,) + c.shape[1:]), ACC, m, n)
    d_mat = cast_to(np.matmul(a_mat, b_mat) + c_mat, out_elem)
    coords = fragment_coords(intrinsic, ACC, context)
    regs = d_mat[:, coords[..., 0], coords[..., 1]]
    return regs.reshape((threads,) + c.shape[1:])


def subgroup_groups(x: np.ndarray, threads: int, subgroup_size: int, cluster_size: int, cluster_stride: int):
    """x viewed as (clusters..., cluster_size, cluster_stride, ...): lane l's cluster holds the lanes with
    its l mod cluster_stride within its block of cluster_size * cluster_stride lanes."""
    x = np.broadcast_to(x, (threads,) + x.shape[1:])
    block = cluster_size * cluster_stride
    if block > subgroup_size or subgroup_size % block:
        raise Unsupported(f"subgroup reduce with cluster {cluster_size}x{cluster_stride} in a subgroup of {subgroup_size}")
    return x.reshape((threads // block, cluster_size, cluster_stride) + x.shape[1:])


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
        raise Unsupported(f"gpu.shuffle mode {mode}")
    src = np.where(valid, src, lane)
    return value[tid - lane + src], valid
