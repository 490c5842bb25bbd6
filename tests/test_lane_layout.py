"""Lane layouts of the MMA intrinsics, as IREE gives them (tilefuse/ir/lane_layout.py, tilefuse/interp/lanes.py): what
the lane stage distributes by and the SIMT interpreter executes by. No compile: attributes built with iree_gpu."""

import iree.compiler.ir as ir
import numpy as np
import pytest
from iree.compiler.dialects import iree_gpu

from tilefuse.ir.lane_layout import ACC, LHS, RHS, DimLayout, intrinsic_layout, key_order, matmul_roles, replicated

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


def _slots(layout: DimLayout, lane_coord: int) -> list[int]:
    """The indices a lane with this coordinate holds, in register (fragment) order."""
    return [(o * layout.thread + lane_coord) * layout.element + e
            for o in range(layout.outer) for e in range(layout.element)]


@pytest.mark.parametrize("name,col_major,key_of_slot", [
    # gfx950 MFMA 16x16x128 (col_major): lane group t holds keys 16(j // 4) + 4t + j % 4 of the 128 in slot j,
    # where the intrinsic's operands take key 32t + j there
    ("MFMA_F32_16x16x128_F8E4M3FN", True, lambda t, j: 16 * (j // 4) + 4 * t + j % 4),
    # sm_89 mma.sync 16x8x32 (row-major): four 8-key accumulator tiles, lane t % 4 holds keys 8(j // 2) + 2t + j % 2
    # where the operands take 16(j // 4) + 4t + j % 4
    ("NV_MMA_SYNC_F32_16x8x32_F8E4M3FN", False, lambda t, j: 8 * (j // 2) + 2 * t + j % 2)])
def test_fp8_pv_reads_its_keys_in_the_accumulators_order(ctx, name, col_major, key_of_slot):
    """gfx950's and sm_89's fp8 P (QK's accumulator) holds its query rows in the PV LHS's lanes and as many keys per
    lane, in other slots: key_order relabels PV's K (both operands: V's keys read permuted alike) to the
    accumulator's order, a permutation of the intrinsic's K tile that gives every key to exactly one (lane, slot)."""
    roles = matmul_roles(mma(name, col_major))
    acc, lhs, rhs = roles["acc"], roles["lhs"], roles["rhs"]
    k = lhs["k"].size
    assert acc["m"] == lhs["m"] and acc["n"].repeated(k // acc["n"].size) != lhs["k"]  # no pair as it lies
    order = key_order(acc["n"].repeated(k // acc["n"].size), lhs["k"], rhs["k"])
    assert order is not None and (order.thread, order.tstride) == (lhs["k"].thread, lhs["k"].tstride)
    held = {t: _slots(order, t) for t in range(order.thread)}
    assert all(held[t] == [key_of_slot(t, j) for j in range(order.fragment)] for t in held)
    assert sorted(x for t in held for x in held[t]) == list(range(k))  # a permutation of the K tile
    assert any(held[t] != _slots(lhs["k"], t) for t in held)


def test_f32_pv_takes_one_accumulator_tile_in_four_steps(ctx):
    """CDNA's f32 MFMA 16x16x4 (col_major): QK's accumulator tile holds 16 keys, lane group t keys 4t + e in slot
    e; PV's K is 4, one key per lane group (4j + t in step j). key_order keeps the accumulator's order: step j reads
    slot j of each lane group (key 4t + j), V's rows permuted alike: the 16 keys, each by one (lane, step)."""
    roles = matmul_roles(mma("MFMA_F32_16x16x4_F32", True))
    acc, lhs, rhs = roles["acc"], roles["lhs"], roles["rhs"]
    assert acc["m"] == lhs["m"] and (acc["n"].size, lhs["k"].size, lhs["k"].fragment) == (16, 4, 1)
    assert acc["n"] != lhs["k"].repeated(4)  # no pair as it lies
    order = key_order(acc["n"], lhs["k"], rhs["k"])
    assert order == acc["n"]
    steps = [[_slots(order, t)[j] for t in range(order.thread)] for j in range(order.fragment // lhs["k"].fragment)]
    assert steps == [[4 * t + j for t in range(4)] for j in range(4)]
    assert sorted(x for step in steps for x in step) == list(range(16))


def test_key_order_refuses_keys_in_other_lanes_or_operands_that_differ(ctx):
    """RDNA3 WMMA: the accumulator splits a row's keys over two lanes, the LHS holds them whole (a lane shuffle,
    not a relabeling); operands whose K layouts differ cannot share one relabeling; an f16 pair that agrees as it
    lies is its own order."""
    wmma = matmul_roles(mma("WMMAR3_F32_16x16x16_F16", True))
    assert key_order(wmma["acc"]["n"], wmma["lhs"]["k"], wmma["rhs"]["k"]) is None
    assert key_order(DimLayout(2, 4, 16, 4), DimLayout(1, 4, 16, 8), DimLayout(2, 4, 16, 4)) is None
    assert key_order(DimLayout(2, 4, 16, 4), DimLayout(1, 4, 1, 8), DimLayout(1, 4, 1, 8)) is None  # other lanes
    qk, pv = matmul_roles(mma(VMFMA, True)), matmul_roles(mma(MFMA, True))
    assert key_order(qk["acc"]["n"], pv["lhs"]["k"], pv["rhs"]["k"]) == pv["lhs"]["k"]


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
