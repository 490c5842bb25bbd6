"""A fragment moved from one lane layout to another inside the lane forall, by lane shuffles (no workgroup memory).

The one change built: a dim spread over two lanes `tstride` apart (each holds every other group of `element`
indices) becomes a dim every lane holds whole, the other dims unchanged. RDNA3 WMMA needs it between the
matmuls: the QK accumulator gives lane l 8 of a row's 16 keys (l and l^16 hold the two interleaved halves), the
PV LHS wants all 16 per lane. The lane's missing half is its partner's own (gpu.shuffle xor tstride), put in
order by an interleave. Any other pair of layouts has no change here, and the analysis refuses it.
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, gpu, tensor, vector

from ....ir import irbuild as b
from ....ir.lane_layout import DimLayout, Layout


def changed_dim(src: Layout, dst: Layout) -> int | None:
    """The dim a lane shuffle can gather from two lanes into each (src -> dst), or None."""
    differ = [j for j, (s, d) in enumerate(zip(src, dst)) if s != d]
    if len(differ) != 1:
        return None
    (j,) = differ
    s, d = src[j], dst[j]
    if s.thread != 2 or d.distributed or s.size != d.size or s.tstride & (s.tstride - 1):
        return None
    # The partner lane (lane xor tstride) must agree on every other dim's coordinate.
    if any(_uses_lane_bit(o, s.tstride) for k, o in enumerate(src) if k != j):
        return None
    return j


def _uses_lane_bit(l: DimLayout, bit: int) -> bool:
    return l.distributed and l.tstride <= bit < l.tstride * l.thread


def gather_halves(fragment: ir.Value, src: Layout, dst: Layout, rw) -> ir.Value:
    """`fragment` (layout `src`) as the lane's fragment in layout `dst`, a new tensor."""
    j = changed_dim(src, dst)
    l = src[j]
    frag = [x.fragment for x in src]
    # dim j of the fragment is (outer, element): split it, then put element before outer and both last, so the
    # interleave of the two halves (outer -> 2 outer) gives the dim in index order (outer, half, element).
    split = frag[:j] + [l.outer, l.element] + frag[j + 1:]
    others = [k for k in range(len(split)) if k not in (j, j + 1)]
    to_last = others + [j + 1, j]
    own = b.read(fragment)
    flat = b.shape_cast(own, [math.prod(frag)])
    i32 = ir.IntegerType.get_signless(32)
    partner = gpu.ShuffleOp(flat, arith.ConstantOp(i32, l.tstride).result,
                            arith.ConstantOp(i32, rw.lanes).result, gpu.ShuffleMode.XOR).results[0]
    # the lane's own half is the lower one where its coordinate along dim j is 0; the condition as a vector, an
    # elementwise select, which the lockstep interpreter (tilefuse/interp/lockstep.py) batches over lanes
    lower = arith.CmpIOp(arith.CmpIPredicate.eq, rw.coord(l), b.index(0)).result
    first = vector.BroadcastOp(ir.VectorType.get([math.prod(frag)], lower.type), lower).result
    lo, hi = (b.transpose(b.shape_cast(b.select(first, x, y), split), to_last)
              for x, y in ((flat, partner), (partner, flat)))
    both = vector.InterleaveOp(lo, hi).result
    back = [to_last.index(k) for k in range(len(split))]
    whole = b.shape_cast(b.transpose(both, back), [x.fragment for x in dst])
    return b.write(whole, tensor.EmptyOp([x.fragment for x in dst], b.element_type(fragment)).result)
