"""unrepeat-kv (tilefuse/unrepeat_kv.py) reads K/V repeated to every query head (transformers' repeat_kv) once per
KV head, and only where the IR proves the repetition; a masked decode then packs (pack-query-groups broadcasts a
(rows, keys) mask over the group) and splits (split-k2 splits the mask with the keys) like an unmasked one."""

import json
from pathlib import Path

import iree.compiler.ir as ir
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse import irutil
from tilefuse.heuristics import attention_shape
from tilefuse.pack_groups import pack_query_groups
from tilefuse.pad_program import pad_attention_to_tiles
from tilefuse.stage import StageInput
from tilefuse.problem import AttentionProblem
from tilefuse.split_k2 import split_k2
from tilefuse.targets import get_target
from tilefuse.unrepeat_kv import repetition, unrepeat_kv
from tilefuse.verify import verify_file

# A Llama decode step as the problem generator writes repeat_kv: 8 query heads reading 2 KV heads, a (rows, keys)
# boolean mask (the same for every head).
DECODE = AttentionProblem(name="repeat_kv_decode", heads=8, kv_heads=2, m=1, k2=256, k1=64, mask="boolean",
                          gqa_layout="repeated")
TORCH_DECODE = Path(__file__).parent / "fixtures" / "torch" / "llama_repeat_kv_decode.mlir"

_ATTENTION = """
func.func @f(%q: tensor<8x1x64xf16>, %k: tensor<2x256x64xf16>, %v: tensor<8x256x64xf16>) -> tensor<8x1x64xf16> {{
  %e = tensor.empty() : tensor<{wide}x256x64xf16>
  %w = {broadcast}
  %kk = tensor.collapse_shape %w [[0, 1], [2], [3]] : tensor<{wide}x256x64xf16> into tensor<8x256x64xf16>
  %s = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>,
      affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>,
      affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>]}}>
      ins(%q, %kk, {v}, %s : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16)
      outs(%o : tensor<8x1x64xf16>) {{
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  }} -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}}
"""
# KV head h_kv repeated g = 4 times in a row: (h_kv, g) collapsed, query head h reads h // 4.
INTERLEAVED = ("2x4", "linalg.broadcast ins(%k : tensor<2x256x64xf16>) outs(%e : tensor<2x4x256x64xf16>) "
               "dimensions = [1]")
# The copies first: (g, h_kv) collapsed, query head h reads h mod 2 (torch's k.repeat(1, 4, 1, 1)): heads permuted
# against the grouped layout.
TILED = ("4x2", "linalg.broadcast ins(%k : tensor<2x256x64xf16>) outs(%e : tensor<4x2x256x64xf16>) "
         "dimensions = [0]")


def _module(ctx, broadcast, v="%kk"):
    wide, op = broadcast
    return ir.Module.parse(_ATTENTION.format(wide=wide, broadcast=op, v=v), ctx)


def _run(module, *stages, overrides=None):
    """The attention ops after the program stages, and each stage's recorded changes."""
    changes, plans = [], {}
    for stage in stages:
        result = stage(module, StageInput(get_target("gfx942"), session=None, config_overrides=overrides, plans=plans))
        changes.append(list(result.changes))
        plans = {**plans, **result.plans}
    ops = [o for o in irutil.walk(module.operation) if o.name.startswith("iree_linalg_ext.") and "attention" in o.name]
    return ops, changes


def test_repeat_kv_is_read_once_per_kv_head():
    with ir.Context() as ctx:
        module = ir.Module.parse(DECODE.to_mlir(), ctx)  # kept: the ops live in it
        (att,), (changes,) = _run(module, unrepeat_kv)
        assert changes == [{"query_heads": 8, "kv_heads": 2, "group": 4}]
        shape = attention_shape(att)
        # K and V are the function's arguments themselves: 2 KV heads, no copy
        assert all(isinstance(v, ir.BlockArgument) for v in list(att.operands)[1:3])
        assert [shape.sizes[d] for d in shape.m] == [4, 1] and [shape.sizes[d] for d in shape.batch] == [1, 2]


def test_linalg_broadcast_interleaved_is_a_repetition():
    with ir.Context() as ctx:
        module = _module(ctx, INTERLEAVED)
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        rep = repetition(att.operands[1])
        assert (rep.head_at, rep.group, rep.source_groups) == (0, 4, [[0], [1], [2]])
        (att,), (changes,) = _run(module, unrepeat_kv)
        assert changes == [{"query_heads": 8, "kv_heads": 2, "group": 4}]
        assert list(att.operands[1].type.shape) == [2, 256, 64]


@pytest.mark.parametrize("broadcast,v", [
    (TILED, "%kk"),  # heads permuted: h reads h mod 2, not h // 4
    (INTERLEAVED, "%v"),  # K repeated, V a tensor of 8 heads: nothing proves V's heads are K's
])
def test_what_is_not_a_per_group_repetition_is_left_alone(broadcast, v):
    with ir.Context() as ctx:
        module = _module(ctx, broadcast, v)
        before = str(module)
        (att,), (changes,) = _run(module, unrepeat_kv)
        assert changes == [] and str(module) == before
        if broadcast is TILED:
            assert repetition(att.operands[1]) is None


def test_a_masked_decode_packs_and_splits_like_an_unmasked_one():
    """The (rows, keys) mask is broadcast over the group so the 4 heads become 4 rows of one tile, and split-k2
    splits it with the keys."""
    with ir.Context() as ctx:
        module = ir.Module.parse(DECODE.to_mlir(), ctx)
        (att,), changes = _run(module, unrepeat_kv, pack_query_groups,
                               pad_attention_to_tiles, split_k2, overrides={"tiling": {"k2_splits": 2}})
        assert changes[1] == [{"query_dims": [4, 1], "packed_rows": 4, "mask": "broadcast over the group"}]
        assert changes[3] == [{"k2_splits": 2, "keys_per_split": 128}]
        assert att.name == "iree_linalg_ext.online_attention"
        q, k, v, scale, mask = list(att.operands)[:5]
        # the mask per (packed row padded to 16, split, key of the split): still the same for every KV head
        assert list(mask.type.shape) == [16, 2, 128] and list(k.type.shape)[2:4] == [2, 128]


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("source", ["problem", "torch"])
def test_masked_repeat_kv_decode_verifies(tmp_path, target, source):
    """Grouped, packed and split with its mask (the torch export: repeat_kv and a [1,1,1,256] mask that IREE's
    input conversion materialises per head): every stage interpreted against the input program, the final code
    thread by thread."""
    if source == "torch":
        src = TORCH_DECODE
    else:
        src = tmp_path / "p.mlir"
        src.write_text(DECODE.to_mlir())
    report = verify_file(src, target, "tilefuse", tmp_path / "w", config_overrides={"tiling": {"k2_splits": 2}})
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    stages = {s["name"]: s["changes"] for s in json.loads((tmp_path / "w" / "report.json").read_text())["program_stages"]}
    assert stages["unrepeat-kv"] == [{"query_heads": 8, "kv_heads": 2, "group": 4}]
    assert stages["pack-query-groups"][0]["packed_rows"] == 4
    assert stages["split-k2"] == [{"k2_splits": 2, "keys_per_split": 128}]
