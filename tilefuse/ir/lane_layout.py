"""Which lane holds which elements of a subgroup's tensors: per-dimension lane layouts derived from the MMA
intrinsic each matmul carries (asked of IREE through iree_gpu.get_single_subgroup_layout).

A dimension of size `outer * thread * element` is spread over lanes as index = (o * thread + t) * element + e:
lane coordinate t = (lane // tstride) % thread; each lane holds `outer * element` of its indices, in (o, e)
order. A lane's *fragment* of a tensor is the Cartesian product of its per-dimension index sets, so
elementwise ops and reductions act on fragments unchanged, dimension by dimension.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from .intrinsics import name_of

LHS, RHS, ACC = 0, 1, 2


@dataclass(frozen=True)
class DimLayout:
    outer: int
    thread: int
    tstride: int
    element: int

    @property
    def size(self) -> int:
        return self.outer * self.thread * self.element

    @property
    def fragment(self) -> int:
        return self.outer * self.element

    @property
    def distributed(self) -> bool:
        return self.thread > 1

    def repeated(self, times: int) -> "DimLayout":
        """The layout of `times` intrinsic tiles side by side (the repeats become outer elements)."""
        return DimLayout(self.outer * times, self.thread, self.tstride, self.element)

    def __str__(self) -> str:
        return f"{self.outer}x{self.thread}(/{self.tstride})x{self.element}"


Layout = tuple[DimLayout, ...]  # a tensor's, one per dim


def replicated(size: int) -> DimLayout:
    return DimLayout(size, 1, 1, 1)


@lru_cache(maxsize=None)
def intrinsic_layout(intrinsic: str, fragment: int, context: ir.Context) -> tuple[DimLayout, DimLayout]:
    """(rows, cols) layouts of one intrinsic operand (LHS, RHS or ACC), in the intrinsic's own orientation."""
    with context:
        if hasattr(iree_gpu.MMAIntrinsic, intrinsic):
            attr = iree_gpu.MMAIntrinsicAttr.get(getattr(iree_gpu.MMAIntrinsic, intrinsic))
        else:
            attr = iree_gpu.VirtualMMAIntrinsicAttr.get(getattr(iree_gpu.VirtualMMAIntrinsic, intrinsic))
        layout = iree_gpu.get_single_subgroup_layout(attr, fragment)
        fields = [list(getattr(layout, f)) for f in ("outer", "thread", "tstrides", "element")]
        return tuple(DimLayout(*(f[d] for f in fields)) for d in range(2))


def matmul_roles(kind: ir.Attribute) -> dict[str, dict[str, DimLayout]]:
    """Per matmul operand ("lhs" (m, k), "rhs" (k, n), "acc" (m, n)), the layout of one intrinsic tile along
    each of the matmul's roles. col_major computes Cᵀ = Bᵀ·Aᵀ: the intrinsic's LHS holds the problem's RHS."""
    # By name: get_single_subgroup_layout takes intrinsic attributes only (it gives empty layouts for an
    # MMAAttr), and IREE 3.13's MMAAttr has no getter for its intrinsic (intrinsics.name_of finds it).
    name, col_major = name_of(kind)
    ctx = kind.context
    lhs, rhs, acc = (intrinsic_layout(name, f, ctx) for f in (LHS, RHS, ACC))
    if not col_major:
        return {"lhs": {"m": lhs[0], "k": lhs[1]}, "rhs": {"k": rhs[0], "n": rhs[1]},
                "acc": {"m": acc[0], "n": acc[1]}}
    return {"lhs": {"m": rhs[1], "k": rhs[0]}, "rhs": {"k": lhs[1], "n": lhs[0]},
            "acc": {"m": acc[1], "n": acc[0]}}


# The order of an inner_tiled operand's inner (intrinsic) dims: problem orientation, whatever col_major says.
INNER_ROLES = {"lhs": ("m", "k"), "rhs": ("k", "n"), "acc": ("m", "n")}


def key_order(acc_keys: DimLayout, lhs_k: DimLayout, rhs_k: DimLayout) -> DimLayout | None:
    """The K layout both operands of a matmul can take so that its LHS is another matmul's accumulator as it
    lies (P from QK into PV), or None. `acc_keys`: the accumulator's layout over a whole number of intrinsic Ks;
    `lhs_k` / `rhs_k`: the intrinsic's own K layouts. K is a reduction, so any relabeling of its indices
    applied to both operands gives the same product: where both operands take K in the same lanes and register
    slots, and the accumulator spreads the keys over those lanes, each intrinsic step reads the next `fragment`
    register slots of a lane's keys as its K, and the RHS (V) is read in that same order (what gfx942's fp8
    VMFMA does in hardware). gfx950's and sm_89's fp8 (one intrinsic K holds whole accumulator tiles) and CDNA's
    f32 MFMA (an accumulator tile of 16 keys, 4 per lane, feeds four intrinsic Ks of one key per lane) are such
    pairs. The result is `acc_keys` itself (which is the intrinsic's own layout where the layouts already
    agree)."""
    if lhs_k != rhs_k or acc_keys.size % lhs_k.size or (acc_keys.thread, acc_keys.tstride) != (lhs_k.thread,
                                                                                               lhs_k.tstride):
        return None
    return acc_keys
