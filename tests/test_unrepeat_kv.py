"""unrepeat-kv (tilefuse/codegen/stages/unrepeat_kv.py) reads K/V repeated to every query head (transformers' repeat_kv)
once per KV head, and only where the IR proves the repetition; a masked decode then packs (pack-query-groups broadcasts
a (rows, keys) mask over the group) and splits (split-k2 splits the mask with the keys) like an unmasked one."""

import json
from pathlib import Path

import iree.compiler.ir as ir
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.ir import irutil
from tilefuse.ir.attention import attention_shape
from tilefuse.codegen.stages.pack_query_groups import pack_query_groups
from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
from tilefuse.codegen.stage import StageInput
from tilefuse.problem import AttentionProblem
from tilefuse.codegen.stages.split_k2 import split_k2
from tilefuse.target.targets import get_target
from tilefuse.codegen.stages.unrepeat_kv import repetition, unrepeat_kv
from tilefuse.checkers.verify import VerifyOptions, verify_file

# A Llama decode step as the problem generator writes repeat_kv: 8 query heads reading 2 KV heads, a (rows, keys)
# boolean mask (the same for every head).
DECODE = AttentionProblem(name="repeat_kv_decode", heads=8, kv_heads=2, m=1, k2=256, k1=64, mask="boolean",
                          gqa_layout="repeated")
TORCH = Path(__file__).parent / "fixtures" / "torch"
TORCH_DECODES = {"torch": TORCH / "llama_repeat_kv_decode.mlir",  # repeat_kv: expand + reshape
                 "torch_index_select": TORCH / "llama_index_select_decode.mlir"}  # a gather by arange(8) // 4

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


# K gathered to 8 heads as IREE's input conversion writes torch's `k.index_select(1, heads)`: a generic reading an
# i64 index tensor by the query head and extracting K's element there (tests/fixtures/torch/llama_index_select_decode).
_GATHER = """
func.func @f(%q: tensor<8x1x64xf16>, %k: tensor<1x2x{keys}x64xf16>, %arg: tensor<8xi64>) -> tensor<8x1x64xf16> {{
  %c0 = arith.constant 0 : index
  %cst = arith.constant 4.000000e+00 : f32
  %e8 = tensor.empty() : tensor<8xi64>
  %arange = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}}
      outs(%e8 : tensor<8xi64>) {{
  ^bb0(%out: i64):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i64
    linalg.yield %c : i64
  }} -> tensor<8xi64>
  %heads = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}} ins(%arange : tensor<8xi64>) outs(%e8 : tensor<8xi64>) {{
  ^bb0(%h: i64, %out: i64):
    {index}
  }} -> tensor<8xi64>
  %literal = arith.constant dense<[0, 0, 0, 0, 1, 1, 1, 1]> : tensor<8xi64>
  %e = tensor.empty() : tensor<1x8x256x64xf16>
  %g = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>,
      affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel",
      "parallel"]}} ins({indices} : tensor<8xi64>) outs(%e : tensor<1x8x256x64xf16>) {{
  ^bb0(%in: i64, %out: f16):
    %head = arith.index_cast %in : i64 to index
    %s = linalg.index 2 : index
    {key}
    %d = linalg.index 3 : index
    %x = tensor.extract %k[%c0, %head, %key, %d] : tensor<1x2x{keys}x64xf16>
    linalg.yield %x : f16
  }} -> tensor<1x8x256x64xf16>
  %kk = tensor.collapse_shape %g [[0, 1], [2], [3]] : tensor<1x8x256x64xf16> into tensor<8x256x64xf16>
  %scale = arith.constant 0.125 : f16
  %o = tensor.empty() : tensor<8x1x64xf16>
  %r = iree_linalg_ext.attention <{{indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>,
      affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>,
      affine_map<(d0, d1, d2, d3, d4) -> ()>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>]}}>
      ins(%q, %kk, %kk, %scale : tensor<8x1x64xf16>, tensor<8x256x64xf16>, tensor<8x256x64xf16>, f16)
      outs(%o : tensor<8x1x64xf16>) {{
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  }} -> tensor<8x1x64xf16>
  return %r : tensor<8x1x64xf16>
}}
"""
# The index tensor's body, from the arange's element %h.
FLOOR_F32 = """%f = arith.sitofp %h : i64 to f32
    %q4 = arith.divf %f, %cst : f32
    %fl = math.floor %q4 : f32
    %r = arith.fptosi %fl : f32 to i64
    linalg.yield %r : i64"""  # torch's floor_divide as IREE converts it: the group a constant captured from outside
DIVSI = """%c4 = arith.constant 4 : i64
    %r = arith.divsi %h, %c4 : i64
    linalg.yield %r : i64"""  # torch.div(..., rounding_mode="trunc")
MOD = """%c2 = arith.constant 2 : i64
    %r = arith.remsi %h, %c2 : i64
    linalg.yield %r : i64"""  # h % 2: the tiled order (torch's repeat), not the grouped one
OFF_BY_ONE = """%c1 = arith.constant 1 : i64
    %c4 = arith.constant 4 : i64
    %p = arith.addi %h, %c1 : i64
    %r = arith.divsi %p, %c4 : i64
    linalg.yield %r : i64"""  # (h + 1) // 4: 0 0 0 1 1 1 1 2
PERMUTED = """%c1 = arith.constant 1 : i64
    %c4 = arith.constant 4 : i64
    %q4 = arith.divsi %h, %c4 : i64
    %r = arith.subi %c1, %q4 : i64
    linalg.yield %r : i64"""  # 1 - h // 4: the KV heads swapped
SAME_KEY = "%key = arith.addi %s, %c0 : index"
REVERSED_KEY = "%c255 = arith.constant 255 : index\n    %key = arith.subi %c255, %s : index"  # reads key 255 - s


def _gather_module(ctx, index=FLOOR_F32, indices="%heads", key=SAME_KEY):
    return ir.Module.parse(_GATHER.format(index=index, indices=indices, key=key, keys=256), ctx)


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


@pytest.mark.parametrize("index,indices", [(FLOOR_F32, "%heads"), (DIVSI, "%heads"), (FLOOR_F32, "%literal")])
def test_a_gather_of_the_same_head_is_a_repetition(index, indices):
    """The index tensor's values are computed from its constant producers (an f32 floor division, an integer
    one, a literal) and are h // 4 for every h; the extract's other indices are its own dims."""
    with ir.Context() as ctx:
        module = _gather_module(ctx, index, indices)
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        rep = repetition(att.operands[1])
        assert (rep.head_at, rep.group, rep.source_groups) == (0, 4, [[0, 1], [2], [3]])
        assert isinstance(rep.source, ir.BlockArgument) and rep.source.arg_number == 1
        (att,), (changes,) = _run(module, unrepeat_kv)
        assert changes == [{"query_heads": 8, "kv_heads": 2, "group": 4}]
        assert list(att.operands[1].type.shape) == list(att.operands[2].type.shape) == [2, 256, 64]


@pytest.mark.parametrize("index,indices,key", [
    (PERMUTED, "%heads", SAME_KEY),
    (MOD, "%heads", SAME_KEY),
    (OFF_BY_ONE, "%heads", SAME_KEY),
    (FLOOR_F32, "%arg", SAME_KEY),  # the indices a function argument: values unknown
    (FLOOR_F32, "%heads", REVERSED_KEY),  # the key index not the key dim
])
def test_a_gather_not_of_the_same_head_is_left_alone(index, indices, key):
    with ir.Context() as ctx:
        module = _gather_module(ctx, index, indices, key)
        before = str(module)
        (att,), (changes,) = _run(module, unrepeat_kv)
        assert repetition(att.operands[1]) is None
        assert changes == [] and str(module) == before


def test_a_gather_along_another_dim_is_left_alone():
    """Keys repeated (key j reads key j // 2 of 128): a repetition, but of no head: the attention keeps its K."""
    with ir.Context() as ctx:
        text = _GATHER.format(index=FLOOR_F32, indices="%heads", key=SAME_KEY, keys=256)
        # K's heads read as they are, its 128 keys each read twice
        text = (text.replace("tensor<1x2x256x64xf16>", "tensor<1x8x128x64xf16>")
                .replace("%key = arith.addi %s, %c0 : index",
                         "%c2 = arith.constant 2 : index\n    %key = arith.divui %s, %c2 : index")
                .replace("%x = tensor.extract %k[%c0, %head,", "%x = tensor.extract %k[%c0, %hh,")
                .replace("%head = arith.index_cast %in : i64 to index", "%hh = linalg.index 1 : index"))
        module = ir.Module.parse(text, ctx)
        before = str(module)
        (att,), (changes,) = _run(module, unrepeat_kv)
        rep = repetition(att.operands[1])
        assert rep is not None and rep.head_at == 1 and rep.group == 2  # the key dim of the collapsed K
        assert changes == [] and str(module) == before


def test_a_masked_decode_packs_and_splits_like_an_unmasked_one():
    """The (rows, keys) mask of the one query row drops its unit row dim (the same mask for every packed row: no
    copy) so the 4 heads become 4 rows of one tile, and split-k2 splits it with the keys."""
    with ir.Context() as ctx:
        module = ir.Module.parse(DECODE.to_mlir(), ctx)
        (att,), changes = _run(module, unrepeat_kv, pack_query_groups,
                               pad_attention_to_tiles, split_k2, overrides={"tiling": {"k2_splits": 2}})
        assert changes[1] == [{"query_dims": [4, 1], "packed_rows": 4, "mask": "unit query dims dropped"}]
        assert changes[3] == [{"k2_splits": 2, "keys_per_split": 128}]
        assert att.name == "iree_linalg_ext.online_attention"
        q, k, v, scale, mask = list(att.operands)[:5]
        # the mask per (split, key of the split), for every packed row and KV head
        assert list(mask.type.shape) == [2, 128] and list(k.type.shape)[2:4] == [2, 128]


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("source", ["problem", "torch", "torch_index_select"])
def test_masked_repeat_kv_decode_verifies(tmp_path, target, source):
    """Grouped, packed and split with its mask (the torch exports: K/V repeated by repeat_kv or gathered by
    index_select, and a [1,1,1,256] mask that IREE's input conversion materialises per head): every stage
    interpreted against the input program, the final code thread by thread."""
    if source in TORCH_DECODES:
        src = TORCH_DECODES[source]
    else:
        src = tmp_path / "p.mlir"
        src.write_text(DECODE.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w",
                                            config_overrides={"tiling": {"k2_splits": 2}}))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    stages = {s["name"]: s["changes"] for s in json.loads((tmp_path / "w" / "report.json").read_text())["program_stages"]}
    assert stages["unrepeat-kv"] == [{"query_heads": 8, "kv_heads": 2, "group": 4}]
    assert stages["pack-query-groups"][0]["packed_rows"] == 4
    assert stages["split-k2"] == [{"k2_splits": 2, "keys_per_split": 128}]
