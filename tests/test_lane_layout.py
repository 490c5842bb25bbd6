"""Lane layouts of the MMA intrinsics, as IREE gives them (tilefuse/ir/lane_layout.py, tilefuse/interp/lanes.py): what
the lane stage distributes by and the SIMT interpreter executes by. No compile: attributes built with iree_gpu."""

import iree.compiler.ir as ir
import numpy as np
import pytest
from iree.compiler.dialects import iree_gpu

from tilefuse.ir.lane_layout import ACC, LHS, RHS, DimLayout, intrinsic_layout, matmul_roles, replicated

MFMA = "MFMA_F32_16x16x16_F16"
VMFMA = "VMFMA_F32_16x16x32_F16"
MMA_SYNC = "NV_MMA_SYNC_F32_16x8x16_F16"


@pytest.fixture
def ctx():
    with ir.Context() as context:
        yield context


def mma(name, col_major=False):
    if hasattr(iree_gpu.MMAIntrinsic, name):
        return iree_gpu.MMAAttr.get(getattr(iree_gpu.MMAIntrinsic, name), col_major)
    return iree_gpu.VirtualMMAAttr.get(getattr(iree_gpu.VirtualMMAIntrinsic, name), col_major)


def test_dim_layout_arithmetic():
    d = DimLayout(outer=2, thread=4, tstride=16, element=2)
    assert (d.size, d.fragment, d.distributed) == (16, 4, True)
    assert d.repeated(3) == DimLayout(6, 4, 16, 2) and d.repeated(3).size == 48
    assert str(d) == "2x4(/16)x2"
    assert replicated(8) == DimLayout(8, 1, 1, 1) and not replicated(8).distributed


@pytest.mark.parametrize("name,mnk,lanes", [(MFMA, (16, 16, 16), 64), (VMFMA, (16, 16, 32), 64),
                                            (MMA_SYNC, (16, 8, 16), 32)])
def test_each_operand_covers_its_tile_over_every_lane(ctx, name, mnk, lanes):
    m, n, k = mnk
    for fragment, shape in ((LHS, (m, k)), (RHS, (k, n)), (ACC, (m, n))):
        rows, cols = intrinsic_layout(name, fragment, ctx)
        assert (rows.size, cols.size) == shape, (name, fragment)
        # the two dims' lane coordinates are disjoint bits of the lane id, together every lane of the subgroup
        inner, outer = sorted((rows, cols), key=lambda d: d.tstride)
        assert outer.tstride == inner.tstride * inner.thread and inner.thread * outer.thread == lanes, (name, fragment)


@pytest.mark.parametrize("name", [MFMA, MMA_SYNC])
def test_col_major_swaps_the_operands_roles(ctx, name):
    """col_major computes Cᵀ = Bᵀ·Aᵀ: the problem's LHS is held as the intrinsic's RHS, the accumulator transposed."""
    lhs, rhs, acc = (intrinsic_layout(name, f, ctx) for f in (LHS, RHS, ACC))
    assert matmul_roles(mma(name)) == {"lhs": {"m": lhs[0], "k": lhs[1]}, "rhs": {"k": rhs[0], "n": rhs[1]},
                                       "acc": {"m": acc[0], "n": acc[1]}}
    assert matmul_roles(mma(name, col_major=True)) == {"lhs": {"m": rhs[1], "k": rhs[0]},
                                                       "rhs": {"k": lhs[1], "n": lhs[0]},
                                                       "acc": {"m": acc[1], "n": acc[0]}}


def test_amd_p_stays_in_the_lanes_that_computed_it(ctx):
    """Why the heuristic pairs col_major VMFMA 16x16x32 (QK) with MFMA 16x16x16 (PV) on AMD: QK's accumulator (the
    scores P, rows m, columns k2) is laid out exactly as PV's LHS (rows m, columns k2), so P needs no shuffle."""
    qk, pv = matmul_roles(mma(VMFMA, True)), matmul_roles(mma(MFMA, True))
    assert qk["acc"]["m"] == pv["lhs"]["m"] and qk["acc"]["n"] == pv["lhs"]["k"]


def test_nvidia_p_needs_two_accumulator_tiles_per_pv_step(ctx):
    """mma.sync row-major: a 16-wide PV K step is two 8-wide QK accumulator tiles side by side, lane for lane; in
    col_major the lanes differ (the lane stage refuses that pairing: test_tilefuse_path)."""
    qk = pv = matmul_roles(mma(MMA_SYNC))
    assert qk["acc"]["m"] == pv["lhs"]["m"] and qk["acc"]["n"].repeated(2) == pv["lhs"]["k"]
    qk = pv = matmul_roles(mma(MMA_SYNC, True))
    assert (qk["acc"]["m"], qk["acc"]["n"].repeated(2)) != (pv["lhs"]["m"], pv["lhs"]["k"])


def test_simt_fragments_come_from_iree():
    """The SIMT interpreter's (lane, register) -> element maps: every element of a fragment held exactly once."""
    from tilefuse.interp import lanes

    ctx = ir.Context()
    for name, (m, n, k) in ((MFMA, (16, 16, 16)), (MMA_SYNC, (16, 8, 16))):
        for fragment, (rows, cols) in ((lanes.LHS, (m, k)), (lanes.RHS, (k, n)), (lanes.ACC, (m, n))):
            coords = lanes.fragment_coords(name, fragment, ctx)
            flat = coords[..., 0] * cols + coords[..., 1]
            assert sorted(flat.reshape(-1).tolist()) == list(range(rows * cols)), (name, fragment)
    assert np.array_equal(lanes.fragment_coords(MFMA, lanes.LHS, ctx)[17], [[1, 4], [1, 5], [1, 6], [1, 7]])
