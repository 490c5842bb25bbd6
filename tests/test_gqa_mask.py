"""GQA as (b, h_kv, g, m, d) Q/O under a 2-D (m, k2) mask (how a causal GQA prefill is exported; the problem
generator's `--kv-heads` with `--mask`): a general mask keeps the two query dims apart and configure tiles the group
by 1; a causal one leaves the program (causal-mask) with the query dims merged into rows of a 64-row period."""

import json

import iree.compiler.ir as ir
import pytest

from tilefuse.ir import irutil
from tilefuse.ir.causal import region_causal
from tilefuse.codegen.stages.causal_mask import drop_causal_masks
from tilefuse.ir.attention import attention_shape
from tilefuse.codegen.stages.pack_query_groups import pack_query_groups
from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.codegen.stage import StageInput
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target
from compile_targets import FULL_COMPILE_TARGETS
from verify_small import verify_small


def gqa(mask: str) -> AttentionProblem:
    return AttentionProblem(name=f"gqa_{mask}_mask", heads=8, kv_heads=2, m=64, k2=128, k1=64, mask=mask)


def _after_causal_mask(problem: AttentionProblem):
    """(the stage's recorded changes, the attention's query dim sizes and operand count after it)."""
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        result = drop_causal_masks(module, StageInput(get_target("gfx942"), session=None))
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        return list(result.changes), [shape.sizes[d] for d in shape.m], len(att.operands)


def test_a_causal_rows_keys_mask_leaves_with_the_query_dims_merged():
    changes, rows, operands = _after_causal_mask(gqa("causal"))
    # (b, h_kv) and the query dims (group, rows): the two runs IREE would merge
    assert changes == [{"causal_offset": 64, "rows": 64, "mask": "dropped", "merged_dims": [[1, 2], [4, 64]]}]
    assert rows == [256] and operands == 5  # q, k, v, scale, out: no mask


def test_padding_packed_heads_keeps_their_period():
    """An unaligned causal GQA prefill (the fuzzer's seed 1, case 3): the group's heads are packed into 2 x 86 rows
    with period 86; pad-to-tiles then pads the rows to 176 and must keep the period (rows are added after the last
    head), not take the padded extent for one head's rows."""
    problem = AttentionProblem(name="gqa_causal_86", heads=2, kv_heads=1, m=86, k2=86, k1=16, mask="causal")
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        stage_input = StageInput(get_target("gfx942"), session=None)
        drop_causal_masks(module, stage_input)
        pad_attention_to_tiles(module, stage_input)
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        assert [shape.sizes[d] for d in shape.m] == [176] and region_causal(att).period == 86


@pytest.mark.parametrize("mask", ["additive", "boolean"])
def test_a_general_rows_keys_mask_keeps_the_query_dims_apart(mask):
    assert _after_causal_mask(gqa(mask)) == ([], [4, 64], 6)


@pytest.mark.slow
@pytest.mark.parametrize("mask,target", [("causal", "gfx942"), ("boolean", "sm_80"), ("additive", "gfx942")])
def test_gqa_under_a_rows_keys_mask_is_lowered_with_mma_and_verifies(tmp_path, mask, target):
    assert verify_small(gqa(mask), "tilefuse", target, tmp_path) == ["input", *TILEFUSE.stage_names()]
    report = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in report["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["fallback"] is None
    assert d["isa"]["mma_ops"] > 0 and not d["isa"]["vgpr_spills"]
    tiling = d["config"]["tilefuse"]["tiling"]
    if mask == "causal":  # one query dim of the group's rows; each workgroup's K2 loop bounded within its head
        small = gqa(mask).small()
        assert tiling["causal"] == small.k2 - small.m and tiling["causal_period"] == small.m
        assert len(tiling["workgroup"]) == 5
    else:  # the group tiled by 1 beside the rows
        assert tiling["causal"] is None and tiling["workgroup"][-5:-3] == [1, 64]


# A GQA prompt whose 24 rows a group of 2 packs into 48, a multiple of the MMA rows: nothing pads the mask that
# packing broadcasts over the group, and IREE folds that broadcast back into the attention (the dispatch had 2 x 24
# rows: refused in configure as "not padded").
UNPADDED_PACK = AttentionProblem(name="gqa_24_rows", heads=4, kv_heads=2, m=24, k2=77, k1=64, mask="additive",
                                 dynamic="k2")


def _padded_query_dims(problem: AttentionProblem):
    """(the query dim sizes, the mask's type) after pack-query-groups and pad-to-tiles (gfx942)."""
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        stage_input = StageInput(get_target("gfx942"), session=None, m_tail=True)
        plans = pack_query_groups(module, stage_input).plans
        pad_attention_to_tiles(module, StageInput(get_target("gfx942"), session=None, m_tail=True, plans=plans))
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        return [shape.sizes[d] for d in shape.m], str(att.operands[4].type)


@pytest.mark.parametrize("dynamic,keys", [("k2", "?"), (None, "64")])
def test_a_group_broadcast_mask_nothing_pads_is_not_packed(dynamic, keys):
    """The rows are padded per head (24 -> 32) and the mask is not copied over the group; a mask the plan pads
    (26 merged rows -> 32) still packs, the pad keeping the broadcast apart from the attention."""
    problem = UNPADDED_PACK.with_(dynamic=dynamic, k2=int(keys) if keys != "?" else 77)
    assert _padded_query_dims(problem) == ([2, 32], f"tensor<32x{keys}xf16>")
    assert _padded_query_dims(UNPADDED_PACK.with_(m=13)) == ([32], "tensor<32x?xf16>")


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_a_group_broadcast_mask_nothing_pads_is_lowered_with_mma_and_verifies(target, tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(UNPADDED_PACK.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["fallback"] is None and d["isa"]["mma_ops"] > 0
