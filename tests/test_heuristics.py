"""The tilefuse path's config heuristic (tilefuse/codegen/heuristics.py) on iteration spaces built directly, no compile:
tile sizes, subgroup counts, padding and refusals (design/tilefuse-path.md, "Config heuristic")."""

from dataclasses import replace

import iree.compiler.ir as ir
import pytest

from tilefuse.ir import irutil
from tilefuse.ir.attention import AttentionShape, attention_shape
from tilefuse.codegen.heuristics import Unsupported, aligned_sizes, choose_config, kernel_heads
from tilefuse.tools.suite import get_problem
from tilefuse.target.targets import TARGETS, get_target

LANES = {"gfx942": 64, "sm_80": 32}  # CDNA3 waves of 64, Ampere warps of 32


def mha(m=2048, k2=2048, k1=64, dtype="f16") -> AttentionShape:
    """A 4-D problem in the dim order IREE's attention analysis gives it: batch, heads, M, K1, K2, N."""
    return AttentionShape((2, 16, m, k1, k2, k1), (0, 1), (2,), (3,), (4,), (5,), dtype)


@pytest.fixture(autouse=True)
def context():
    """The intrinsics' shapes are IREE attributes: the heuristic asks them of a live context."""
    with ir.Context() as ctx:
        yield ctx


def config(shape, target="gfx942", **kw):
    return choose_config(shape, get_target(target), **kw)


@pytest.mark.parametrize("target", sorted(LANES))
@pytest.mark.parametrize("dtype", ["f16", "bf16"])
def test_aligned_mha_is_four_subgroups_of_16_rows(target, dtype):
    c = config(mha(dtype=dtype), target)
    assert c.tiling.workgroup == (1, 1, 64, 0, 0, 64)  # one batch entry and head, 4 x 16 rows, N in one tile
    assert c.tiling.reduction == (0, 0, 0, 0, 64, 0)
    assert c.tiling.subgroup == (0, 0, 16, 0, 0, 0)
    assert c.shape.workgroup_size == (LANES[target], 4, 1) and c.shape.subgroup_size == LANES[target]


@pytest.mark.parametrize("m,subgroups", [(2048, 4), (96, 2), (48, 1), (16, 1)])
def test_subgroups_are_the_most_that_divide_the_rows(m, subgroups):
    c = config(mha(m=m))
    assert c.tiling.workgroup[2] == 16 * subgroups and c.shape.workgroup_size[1] == subgroups


@pytest.mark.parametrize("head_dim,k2_tile,n_tile", [(64, 64, 64), (128, 64, 64), (256, 32, 32)])
def test_wide_head_dims_get_narrower_k2_and_n_tiles(head_dim, k2_tile, n_tile):
    c = config(mha(k1=head_dim))
    assert c.tiling.reduction[4] == k2_tile and c.tiling.workgroup[5] == n_tile


@pytest.mark.parametrize("target", sorted(LANES))
@pytest.mark.parametrize("head_dim,n_tile", [(96, 96), (80, 80), (160, 80), (32, 32)])
def test_n_tile_splits_n_into_the_fewest_tiles_the_register_budget_allows(target, head_dim, n_tile):
    """Phi-3's d=96 and Phi-2's d=80 in one workgroup along N (QK^T computed once), d=160 in two."""
    assert config(mha(k1=head_dim), target).tiling.workgroup[5] == n_tile


@pytest.mark.parametrize("k1,qk", [(64, "VMFMA_F32_16x16x32_F16"), (96, "VMFMA_F32_16x16x32_F16"),
                                   (80, "MFMA_F32_16x16x16_F16"), (48, "MFMA_F32_16x16x16_F16")])
def test_qk_takes_the_widest_intrinsic_whose_k_divides_the_head_dim(k1, qk):
    c = config(mha(k1=k1))
    assert c.qk.mma_kind == qk and c.pv.mma_kind == "MFMA_F32_16x16x16_F16"


@pytest.mark.parametrize("target,k1,n,padded", [
    ("gfx942", 24, 24, (32, 32)), ("gfx942", 36, 36, (48, 48)), ("gfx942", 40, 24, (48, 32)),
    ("sm_80", 24, 24, (32, 24)), ("sm_80", 36, 36, (48, 40)), ("gfx942", 80, 80, (80, 80)),
    ("gfx942", 64, 200, (64, 224)),  # N in two 112-wide tiles
])
def test_aligned_sizes_pad_head_dims_to_whole_mma_and_n_tiles(target, k1, n, padded):
    shape = AttentionShape((2, 16, 128, k1, 128, n), (0, 1), (2,), (3,), (4,), (5,), "f16")
    sizes = aligned_sizes(shape, get_target(target))
    assert (sizes[3], sizes[5]) == padded
    aligned = AttentionShape(sizes, shape.batch, shape.m, shape.k1, shape.k2, shape.n, shape.element_type)
    assert aligned_sizes(aligned, get_target(target)) == sizes
    c = config(aligned, target)
    assert sizes[5] % c.tiling.workgroup[5] == 0
    # a path with m-tail leaves them to the kernel, which tiles them at the same sizes (None: whole tiles already)
    in_kernel = aligned_sizes(shape, get_target(target), heads_in_kernel=True)
    assert (in_kernel[3], in_kernel[5]) == (k1, n) and in_kernel[4] == sizes[4]
    assert kernel_heads(shape, get_target(target)) == (None if padded == (k1, n) else padded)


def test_share_kv_promotes_k_and_v_only_when_subgroups_share_them():
    shared = config(mha(), share_kv=True)
    assert shared.qk.promote_operands == shared.pv.promote_operands == (1,)
    alone = config(mha(m=16), share_kv=True)
    assert alone.qk.promote_operands == alone.pv.promote_operands == ()
    assert config(mha()).qk.promote_operands == ()


def test_each_matmul_is_one_subgroups_work_over_its_own_dims():
    c = config(mha())
    assert c.qk.subgroup_counts == c.pv.subgroup_counts == (1,) * 6
    assert c.qk.subgroup_mapping == (0, 1, 2, 3, 4)  # QK^T: every dim but N
    assert c.pv.subgroup_mapping == (0, 1, 2, 4, 5)  # PV: every dim but K1


@pytest.mark.parametrize("target", sorted(LANES))
def test_gqa_under_a_rows_keys_mask_tiles_the_group_by_one(target):
    """(b, h_kv, g, m, ...) with a 2-D (m, k2) mask: IREE cannot merge g and m (the mask indexes m only), so each
    workgroup owns 64 rows of one query head of the group; the lane stage sees the group as a unit batch dim."""
    c = config(AttentionShape((1, 8, 4, 2048, 128, 2048, 128), (0, 1), (2, 3), (4,), (5,), (6,), "bf16"), target)
    assert c.tiling.workgroup == (1, 1, 1, 64, 0, 0, 64)
    assert c.tiling.subgroup == (0, 0, 0, 16, 0, 0, 0) and c.tiling.reduction == (0, 0, 0, 0, 0, 64, 0)
    assert c.qk.subgroup_mapping == (0, 1, 2, 3, 4, 5) and c.pv.subgroup_mapping == (0, 1, 2, 3, 5, 6)


@pytest.mark.parametrize("shape,reason", [
    (mha(m=77), "unaligned M=77"),
    (mha(k2=77), "unaligned K2=77"),
    (mha(k1=40), "head dims K1=40, N=40 are not multiples of the MMA tile"),
    (mha(dtype="f64"), "configures the float operand types"),
    (AttentionShape((8, 64, 64, 64), (0,), (), (1,), (2,), (3,), "f16"), "no query dimension"),
])
def test_what_the_heuristic_refuses_it_says(shape, reason):
    with pytest.raises(Unsupported, match=reason):
        config(shape)


def suite_shape(name: str) -> AttentionShape:
    module = ir.Module.parse(get_problem(name).to_mlir())
    (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    return attention_shape(att)


def test_attention_shape_names_each_dims_role():
    assert suite_shape("mha_f16_d64") == mha()
    assert suite_shape("mha_f16_d128_3d") == AttentionShape((16, 4096, 128, 4096, 128), (0,), (1,), (2,), (3,), (4,),
                                                            "f16")
    # GQA: query heads as (KV head, group), both query dims; IREE collapses them inside the dispatch
    assert suite_shape("gqa_bf16_d128") == AttentionShape((1, 8, 4, 2048, 128, 2048, 128), (0, 1), (2, 3), (4,),
                                                          (5,), (6,), "bf16")


@pytest.mark.parametrize("name,reason", [("clip_f16_s77", "unaligned M=77")])
def test_heuristic_refuses_what_it_cannot_do(name, reason):
    with pytest.raises(Unsupported, match=reason):
        config(suite_shape(name))


@pytest.mark.parametrize("target", sorted(LANES))
def test_fewer_rows_than_one_mma_tile_are_one_subgroups_tile(target):
    """A GQA decode's 4 packed rows: one subgroup of one 16-row tile, which m-tail pads in the kernel
    (plan_dispatch refuses it on a path without m-tail: tests/test_plan.py)."""
    c = config(mha(m=4, k2=256), target)
    assert c.tiling.workgroup[2] == 16 and c.tiling.subgroup[2] == 16 and c.shape.workgroup_size[1] == 1


@pytest.mark.parametrize("name,padded", [("decode_f16_d128", {2: 16}), ("clip_f16_s77", {1: 80, 3: 128}),
                                         ("unaligned_f16_s257", {2: 272, 4: 320}), ("mha_f16_d64", {})])
def test_aligned_sizes_round_up_queries_to_mma_rows_and_keys_to_the_k2_tile(name, padded):
    shape = suite_shape(name)
    sizes = aligned_sizes(shape, get_target("gfx942"))
    assert {d: s for d, (s, old) in enumerate(zip(sizes, shape.sizes)) if s != old} == padded
    aligned = AttentionShape(sizes, shape.batch, shape.m, shape.k1, shape.k2, shape.n, shape.element_type)
    assert aligned_sizes(aligned, get_target("gfx942")) == sizes
    config(aligned)  # tiles the padded sizes
    # no suite problem has 2-15 rows, the ones a path with m-tail leaves to the kernel (one row: IREE drops it)
    assert aligned_sizes(shape, get_target("gfx942"), m_tail=True) == sizes


@pytest.mark.parametrize("rows,m_tail,padded", [(4, True, 4), (4, False, 16), (15, True, 15), (1, True, 16),
                                                (17, True, 32)])
def test_a_path_with_m_tail_leaves_fewer_rows_than_one_tile_unpadded(rows, m_tail, padded):
    assert aligned_sizes(mha(m=rows, k2=256), get_target("gfx942"), m_tail=m_tail)[2] == padded


def test_wide_head_dims_pad_keys_to_their_narrower_k2_tile():
    assert aligned_sizes(mha(m=257, k2=257, k1=256), get_target("gfx942"))[2:5] == (272, 256, 288)


def cache(rows: int, k1: int, kv: str | None = "f8E4M3FN", v: str | None = None, keys=4096) -> AttentionShape:
    """A GQA attention of 8 KV heads over an fp8 cache under an f16 query, its group packed into `rows`."""
    return AttentionShape((8, rows, k1, keys, k1), (0,), (1,), (2,), (3,), (4,), "f16", kv_element_type=kv,
                          v_element_type=v)


@pytest.mark.parametrize("target", ["sm_80", "sm_89"])
@pytest.mark.parametrize("shape,step", [
    (cache(4, 128), 16),  # a decode (N whole: a split keeps it): 32 + 64 + 64 registers, not 32 + 64 + 256
    (cache(4, 64), 64),  # 16 + 32 + 128
    (cache(64, 128), 32),  # a prompt of 16 rows a head, N tiles of 64: 32 + 32 + 96, not 32 + 32 + 192
    (cache(4, 256), 16),  # the fewest keys a step holds (its state over budget still: 64 + 128 + 128)
    (cache(4, 128, "f8E5M2"), 16), (cache(4, 128, "f8E4M3FN", "f8E5M2"), 16),
    (cache(4, 128, None), 64),  # an f16 cache's loads feed the MMAs: not held
])
def test_a_cache_decoded_in_registers_takes_the_k2_step_whose_lane_state_fits(target, shape, step):
    """NVIDIA decodes every fp8 cache with integer ops (widen-kv): the K2 loop steps in the longest divisor of the
    plan's step whose lane state (Q's fragment, the accumulator, the step's decoded K and V) fits
    DECODED_STATE_SHARE of 255 registers. The keys are padded to the plan's step (and split in whole ones) as
    before: 48 keys are one step, looped in 16s where 48 does not fit."""
    assert config(shape, target).tiling.reduction[3] == step
    planned = 32 if shape.sizes[2] >= 256 else 64
    assert aligned_sizes(replace(shape, sizes=(8, *shape.sizes[1:3], 100, shape.sizes[4])),
                         get_target(target))[3] == -(-100 // planned) * planned
    short = config(replace(shape, sizes=(8, *shape.sizes[1:3], 48, shape.sizes[4])), target).tiling.reduction[3]
    assert short == (48 if step == 64 else 16)


@pytest.mark.parametrize("kv", ["f8E4M3FNUZ", "f8E4M3FN"])
def test_amd_leaves_a_decoded_caches_registers_to_llvm(kv):
    """gfx942 converts FNUZ and decodes OCP with integer ops, in its 512 VGPRs and AGPRs per lane: the step stays."""
    assert get_target("gfx942").decodes_fp8(kv) == (kv == "f8E4M3FN")
    assert config(cache(4, 128, kv), "gfx942").tiling.reduction[3] == 64


def test_aligned_sizes_needs_one_dim_per_role():
    with pytest.raises(Unsupported, match="padding needs"):
        aligned_sizes(AttentionShape((8, 64, 64, 64), (0,), (), (1,), (2,), (3,), "f16"), get_target("gfx942"))


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_target_tiles_a_padded_problem_exactly(target):
    """Whatever a target's intrinsics, the config of a padded space divides it at every level, and a workgroup is
    whole subgroups."""
    shape = mha(m=300, k2=1000, k1=128)
    sizes = aligned_sizes(shape, get_target(target))
    c = config(AttentionShape(sizes, *(getattr(shape, f) for f in ("batch", "m", "k1", "k2", "n")), "f16"), target)
    for level in (c.tiling.workgroup, c.tiling.reduction, c.tiling.subgroup):
        assert all(t == 0 or s % t == 0 for s, t in zip(sizes, level)), (level, sizes)
    lanes, subgroups, _ = c.shape.workgroup_size
    assert lanes == c.shape.subgroup_size and c.tiling.workgroup[2] == subgroups * c.tiling.subgroup[2]
