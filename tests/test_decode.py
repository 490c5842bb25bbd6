"""Decode on the tilefuse paths: GQA packing (pack-query-groups) and flash-decoding (split-k2), design/tilefuse-path.md
"Decode"."""

import json
from dataclasses import replace
from pathlib import Path

import iree.compiler.ir as ir
import numpy as np
import pytest

from tilefuse.ir import irbuild, irutil
from tilefuse.driver.compile import run_stage
from tilefuse.ir.attention import AttentionShape, attention_shape
from tilefuse.codegen.heuristics import choose_config, k2_granule, k2_splits
from tilefuse.codegen.stages.pack_query_groups import pack_query_groups
from tilefuse.codegen.stage import StageInput
from tilefuse.problem import AttentionProblem
from tilefuse.codegen.stages import m_tail
from tilefuse.codegen.stages.split_k2 import split_k2
from tilefuse.tools.suite import get_problem
from tilefuse.target.targets import TARGETS, get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file

GQA_DECODE = AttentionProblem(name="gqa_decode", heads=8, kv_heads=2, m=1, k2=256, k1=128)
SPLIT_IN_TWO = {"tiling": {"k2_splits": 2}}  # the small problems have too few K2 tiles for the heuristic to split
TORCH_DECODE = Path(__file__).parent / "fixtures" / "torch" / "decode_step.mlir"
# Found by the fuzzer's space: one K2 tile (the heuristic had no split to choose from), and a short-M decode whose
# attention result is f32 (split-k2's combine truncated f32 to f32).
ONE_TILE = AttentionProblem(name="one_tile", batch=2, heads=3, m=16, k2=64, k1=16, epilogue="head-merge")
F32_RESULT = AttentionProblem(name="f32_result", m=3, k2=256, k1=128, n=64, dtype="bf16", epilogue="cast")


def _packed(problem: AttentionProblem, target: str = "gfx942"):
    """(the stage's recorded changes, the query dims of the attention it leaves)."""
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        result = pack_query_groups(module, StageInput(get_target(target), session=None))
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        return list(result.changes), [shape.sizes[d] for d in shape.m]


@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_a_gqa_decode_group_becomes_the_rows_of_one_tile(target):
    changes, rows = _packed(GQA_DECODE, target)
    assert changes == [{"query_dims": [4, 1], "packed_rows": 4}] and rows == [4]


@pytest.mark.parametrize("name", ["gqa_bf16_d128", "decode_f16_d128", "mha_f16_d64"])
def test_aligned_groups_and_plain_heads_are_left_alone(name):
    """GQA prefill rows fill the MMA tiles already (IREE collapses the query dims in the dispatch); an MHA
    decode has one query dim."""
    changes, _ = _packed(get_problem(name))
    assert changes == []


def _decode(heads: int, keys: int, rows: int = 16, d: int = 128, batch: int = 1) -> AttentionShape:
    """A padded decode: (batch, heads, rows, d, keys, d)."""
    return AttentionShape((batch, heads, rows, d, keys, d), (0, 1), (2,), (3,), (4,), (5,), "f16")


@pytest.mark.parametrize("target,heads,keys,splits", [
    # decode_f16_d128 (4 x 32 heads, rows padded to 16): on MI300X a split's 64-key step is 3 round trips and
    # 1.5 us of one wave's MMAs and softmax; 2 splits leave the chain (32 steps, 124 us) over the memory time
    # (103 us): latency bound, 4 do not (the estimate: 140.3 / 119.8 / 122.9 us program at 2 / 4 / 8, the fill
    # rule's 16 more). The H100's unsplit chain (64 x 2.3 us) is already under its 161 us of memory: no split
    # (172.6 us, 2 splits 174.8, 4 177.3: only partials added)
    ("gfx942", 128, 4096, 4), ("sm_80", 128, 4096, None),
    ("gfx942", 8, 8192, 64), ("sm_80", 8, 8192, 16),  # the GQA decode, packed: 8 KV heads
    ("gfx942", 4096, 4096, None), ("sm_80", 4096, 4096, None),  # more workgroups than resident: pipes full
    ("gfx942", 16384, 4096, None), ("sm_80", 16384, 4096, None),  # many full rounds already
    ("gfx942", 32, 128, None),  # two K2 tiles, 2 MB of K/V (not latency bound): no split keeps 2 a split
])
def test_split_count_is_the_fewest_that_fills_the_memory_pipes(target, heads, keys, splits):
    assert k2_splits(_decode(heads, keys), get_target(target)) == splits


@pytest.mark.parametrize("target,batch,page,splits", [
    # The seq_lens paged GQA decode (32 / 8 heads, 4096 keys, d=128; one page a step), the estimate's best of the
    # splits swept in program us (design/tilefuse-path.md): MI300X batch 16 pages of 16 4 (112.0; 16, the fill
    # rule's, 116.7), batch 4 16 (35.9; 8 48.7), batch 1 64 (16.9; 32 20.7); H100 batch 4 8 (48.4; 32 52.1),
    # batch 16 2 (168.7; 8 172.4), pages of 64 unsplit (163.9; 2 168.7)
    ("gfx942", 16, 16, 4), ("gfx942", 4, 16, 16), ("gfx942", 1, 16, 64),
    ("sm_80", 4, 16, 8), ("sm_80", 16, 16, 2), ("sm_80", 16, 64, None),
])
def test_a_paged_split_counts_its_pages_a_step(target, batch, page, splits):
    assert k2_splits(_decode(8, 4096, rows=4, batch=batch), get_target(target), page) == splits


def test_a_target_without_an_estimate_machine_keeps_the_fill_rule():
    """gfx1100 has no machine in target/machines.py (no bandwidth or latency to weigh): FlashAttention-2's fill
    rule over its own chip's SIMDs (192: 384 resident split workgroups), the fewest splits of the 4 x 32 heads
    whose rounds are within 0.85 of the best's fill (32: 10.7 rounds in 11, 0.97): 8 (2.7 in 3, 0.89; 4: 0.67)."""
    assert k2_splits(_decode(128, 4096), get_target("gfx1100")) == 8


def test_a_target_is_sized_by_its_chip_in_iree():
    assert (get_target("gfx942").simds, get_target("gfx1100").simds, get_target("sm_89").simds) == (1216, 192, 512)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_32_head_decode_splits_on_every_target(target):
    """Targets without an estimate machine (gfx1100, sm_89) are sized by their own chip in IREE's table."""
    assert k2_splits(_decode(32, 4096), get_target(target)) > 1


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_latency_bound_decode_splits_into_one_mma_step_each(target):
    """The Llama decode step, packed (2 KV heads, 256 keys, d=64): 131 KB of K/V, latency bound whatever the
    split, so each split is one step of the fewest keys both MMAs take (16: a 16-key K2 tile)."""
    shape = _decode(2, 256, d=64)
    granule = k2_granule(shape, get_target(target))
    assert granule == 16
    assert k2_splits(shape, get_target(target)) == 256 // granule


def _split_dispatch(kv_heads: int, keys_per_split: int, splits: int, d: int = 64) -> AttentionShape:
    """A split dispatch as configure sees it: (batch, KV heads, split, rows, d, keys of a split, d), the split a
    batch dim Q does not index."""
    return AttentionShape((1, kv_heads, splits, 16, d, keys_per_split, d), (0, 1, 2), (3,), (4,), (5,), (6,),
                          "f16", splits=(2,))


@pytest.mark.parametrize("target,pv_n", [("gfx942", 16), ("sm_80", 8)])
def test_a_one_step_split_tiles_n_by_one_pv_mma(target, pv_n):
    """The Llama decode's split dispatch (2 KV heads x 16 splits of one 16-key step, d=64): latency bound, its
    wave's work after the round trip spread over N tiles of one PV MMA (grid 2 x 16 x 64/pv_n within one round);
    a split whose loop has several steps, or whose N-tiled grid would not fit one round, keeps all of N."""
    def n_tile(shape):
        return choose_config(shape, get_target(target)).tiling.workgroup[6]

    assert n_tile(_split_dispatch(2, 16, 16)) == pv_n
    assert n_tile(_split_dispatch(2, 128, 16)) == 64
    assert n_tile(_split_dispatch(512, 16, 16)) == 64


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("shape", [_decode(3, 64, d=16, batch=2), _decode(3, 16, d=16, batch=2),
                                   _decode(1, 64, d=16), _decode(65536, 64, d=16)])
def test_any_grid_gets_a_valid_split(target, shape):
    """Tiny and huge grids (batch 2 x 3 heads of one K2 tile or one MMA step, a single head, 65536 heads): a count
    that splits K2 into whole MMA steps, or None."""
    splits = k2_splits(shape, get_target(target))
    granule = k2_granule(shape, get_target(target))
    assert splits is None or (splits > 1 and shape.sizes[4] % (splits * granule) == 0)


@pytest.mark.parametrize("shape", [_decode(32, 4096, rows=64), _decode(32, 4000)])
def test_prefill_rows_and_unaligned_keys_are_not_split(shape):
    assert k2_splits(shape, get_target("gfx942")) is None


@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_one_k2_tile_has_a_valid_split_count(target):
    """The heuristic once crashed here (max() of no candidates); now any count it gives cuts the keys into whole
    K2 steps (this latency-bound one into 16-key steps)."""
    with ir.Context() as ctx:
        module = ir.Module.parse(ONE_TILE.to_mlir(), ctx)
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        splits = k2_splits(shape, get_target(target))
        assert splits is None or ONE_TILE.k2 % (splits * k2_granule(shape, get_target(target))) == 0


def test_an_f32_result_is_the_combine_itself():
    """The combine sums in f32: for an f32 result there is nothing to convert (no arith.truncf f32 -> f32)."""
    padded = run_stage(F32_RESULT.to_mlir(), "gfx942", "tilefuse", "pad-to-tiles")
    split = run_stage(padded, "gfx942", "tilefuse", "split-k2")
    with ir.Context() as ctx:
        module = ir.Module.parse(split, ctx)
        assert module.operation.verify()
        assert len(irutil.ops_named(module, "iree_linalg_ext.online_attention")) == 1
        assert not [op for op in irutil.ops_named(module, "arith.truncf")
                    if ir.FloatType(op.operands[0].type).width == ir.FloatType(op.result.type).width]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
@pytest.mark.parametrize("problem", [ONE_TILE, F32_RESULT], ids=lambda p: p.name)
def test_small_grids_and_f32_results_verify(tmp_path, target, problem):
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    written = json.loads((tmp_path / "w" / "report.json").read_text())
    assert [d["lowered_by"] for d in written["dispatches"] if d["has_attention"]] == ["path"]
    assert not any(d["fallback"] for d in written["dispatches"])


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
@pytest.mark.parametrize("source", ["gqa", "decode", "torch"])
def test_decode_verifies(tmp_path, target, source):
    """The packed and split GQA decode, the split MHA decode (decode_f16_d128, small) and the torch decode export:
    every stage interpreted, the final code run thread by thread with the race detector."""
    overrides = None
    if source == "torch":
        src = TORCH_DECODE
    else:
        src = tmp_path / "p.mlir"
        src.write_text((GQA_DECODE if source == "gqa" else get_problem("decode_f16_d128")).small().to_mlir())
        overrides = SPLIT_IN_TWO
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w", config_overrides=overrides))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    if overrides:
        (split,) = [s for s in json.loads((tmp_path / "w" / "report.json").read_text())["program_stages"]
                    if s["name"] == "split-k2"]
        assert split["changes"] == [{"k2_splits": 2, "keys_per_split": 64}]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_a_gqa_decodes_rows_are_padded_in_the_kernel(tmp_path, target, monkeypatch):
    """The group's 4 packed rows reach the dispatch unpadded: no copy dispatch pads Q (an argument), the program
    is the split attention and the combine; m-tail pads the rows to the 16-row tile in the kernel. Padded rows
    holding NaN still verify: the partials, and so the combine, hold the real rows only."""
    monkeypatch.setattr(m_tail, "_ROW_FILL", float("nan"))
    src = tmp_path / "p.mlir"
    src.write_text(GQA_DECODE.small().to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w", config_overrides=SPLIT_IN_TWO))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    written = json.loads((tmp_path / "w" / "report.json").read_text())
    assert [s["changes"] for s in written["program_stages"] if s["name"] == "pad-to-tiles"] == [[]]
    assert len(written["dispatches"]) == 2
    (d,) = [d for d in written["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["plan"]["m_tail"] and 4 in d["plan"]["sizes"]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_a_residual_added_to_rows_padded_in_the_kernel_is_padded_with_them(tmp_path, target, monkeypatch):
    """13 query rows (fewer than a tile: m-tail pads them in the kernel) whose fused residual epilogue reads the
    13 real rows of another input (fuzz seed 21 case 5 failed in reduction-tile on the 16 vs 13 rows): the
    residual is padded with the rows; NaN in the padded rows still verifies (never stored)."""
    monkeypatch.setattr(m_tail, "_ROW_FILL", float("nan"))
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(name="residual_rows", batch=2, heads=2, m=13, k2=7, k1=64, dtype="bf16",
                                    mask="boolean", layout="3d", epilogue="residual").to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (d,) = [d for d in json.loads((tmp_path / "w" / "report.json").read_text())["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["plan"]["m_tail"] and d["isa"]["mma_ops"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_latency_bound_decode_verifies(tmp_path, target):
    """The single-SDPA Llama decode export (repeat_kv, a [1,1,1,256] mask), split by the heuristic into 16
    one-step splits of 16 keys and combined in one reduction: every stage interpreted, the final code run thread
    by thread."""
    src = Path(__file__).parent / "fixtures" / "torch" / "llama_repeat_kv_decode.mlir"
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    (split,) = [s for s in json.loads((tmp_path / "w" / "report.json").read_text())["program_stages"]
                if s["name"] == "split-k2"]
    assert split["changes"] == [{"k2_splits": 16, "keys_per_split": 16}]


_PADDED_DECODE = """
func.func @decode(%q: tensor<1x2x16x64xf16>, %k: tensor<1x2x256x64xf16>, %v: tensor<1x2x256x64xf16>,
                  %mask: tensor<1x2x16x256xi1>) -> tensor<1x2x4x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x16x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>,
      affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>,
      affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4)>,
      affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}>
      ins(%q, %k, %v, %scale, %mask : tensor<1x2x16x64xf16>, tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16>, f16,
      tensor<1x2x16x256xi1>) outs(%empty : tensor<1x2x16x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x16x64xf16>
  %rows = tensor.extract_slice %out[0, 0, 0, 0] [1, 2, 4, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf16> to tensor<1x2x4x64xf16>
  return %rows : tensor<1x2x4x64xf16>
}
"""


@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_the_split_program_computes_the_attention(target):
    """The Llama decode step packed and padded (2 KV heads x 4 query rows in 16, 256 keys, d=64, a padding mask):
    split by the heuristic into 16 one-step splits and combined by one reduction over the splits, the program
    interpreted on the CPU gives what the unsplit one does. Row r hides its first 40·(r mod 4) keys: whole splits
    (weight 0) and a split cut in the middle."""
    from tilefuse.interp.program import Program

    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal(shape).astype(np.float16) for shape in ((1, 2, 16, 64), (1, 2, 256, 64),
                                                                           (1, 2, 256, 64)))
    mask = np.arange(256)[None, None, None, :] >= 40 * (np.arange(16) % 4)[None, None, :, None]
    inputs = [q, k, v, np.broadcast_to(mask, (1, 2, 16, 256)).copy()]
    with ir.Context() as ctx:
        (want,) = Program(ir.Module.parse(_PADDED_DECODE, ctx)).call("decode", inputs)
        module = ir.Module.parse(_PADDED_DECODE, ctx)
        result = split_k2(module, StageInput(get_target(target), session=None))
        assert result.changes == ({"k2_splits": 16, "keys_per_split": 16},)
        (got,) = Program(module).call("decode", inputs)
    assert got.shape == (1, 2, 4, 64)
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=2e-3, rtol=2e-3)


def test_an_fp8_cache_counts_its_own_bytes():
    """4 heads x 192 keys at d=128: 1.2 MB of f16 K/V and finest partials, not latency bound (3 K2 tiles: no split
    keeps 2 a split); the same cache in fp8 is 0.98 MB, latency bound, so 12 one-step splits."""
    shape = _decode(4, 192)
    assert k2_splits(shape, get_target("gfx942")) is None
    assert k2_splits(replace(shape, kv_element_type="f8E4M3FNUZ"), get_target("gfx942")) == 12


# A GQA decode against keys of run-time length (2 KV heads x 16 packed rows, d=64).
_RUN_TIME_DECODE = """
func.func @decode(%q: tensor<1x2x16x64xf16>, %k: tensor<1x2x?x64xf16>, %v: tensor<1x2x?x64xf16>) -> tensor<1x2x16x64xf16> {
  %scale = arith.constant 0.125 : f16
  %empty = tensor.empty() : tensor<1x2x16x64xf16>
  %out = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}> ins(%q, %k, %v, %scale : tensor<1x2x16x64xf16>, tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>, f16) outs(%empty : tensor<1x2x16x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x16x64xf16>
  return %out : tensor<1x2x16x64xf16>
}
"""


@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
@pytest.mark.parametrize("keys", [1, 5, 77, 600])
def test_ranges_of_run_time_keys_compute_the_attention(target, keys):
    """split-k2 cuts keys of run-time length into the plan's splits of ceil(K2 / (S granule)) granules each (a
    range past the end holds no key): the program interpreted at 1, 5 and 77 keys (most ranges empty) and 600
    (none, the last one short) gives what the unsplit one does."""
    from tilefuse.interp.program import Program

    rng = np.random.default_rng(keys)
    inputs = [rng.standard_normal(shape).astype(np.float16) for shape in ((1, 2, 16, 64), (1, 2, keys, 64),
                                                                           (1, 2, keys, 64))]
    with ir.Context() as ctx:
        (want,) = Program(ir.Module.parse(_RUN_TIME_DECODE, ctx)).call("decode", inputs)
        module = ir.Module.parse(_RUN_TIME_DECODE, ctx)
        (attention,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        splits = k2_splits(replace(attention_shape(attention), run_time=()), get_target(target))  # at RUN_TIME_KEYS
        result = split_k2(module, StageInput(get_target(target), session=None))
        assert result.changes == ({"k2_splits": splits, "keys_per_split": "run-time", "k2_granule": 16},)
        (forall,) = irutil.ops_named(module, "scf.forall")
        assert str(forall.attributes["mapping"]) == "[#iree_linalg_ext.split_reduction_mapping<0>]"
        assert not irutil.ops_named(module, "tensor.pad")  # the cache is sliced, never padded
        (got,) = Program(module).call("decode", inputs)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=2e-3, rtol=2e-3)


@pytest.mark.parametrize("target,fp8", [("gfx942", "f8E4M3FNUZ"), ("sm_80", "f8E4M3FN")])
def test_ranges_of_an_fp8_cache_widen_their_own_slices(target, fp8):
    """An fp8 cache of run-time length (the serving decode) is split as an f16 one is: the ranges slice the fp8
    arguments, and widen-kv (after split-k2) extends each range's slice inside the split forall (gfx942: arith.extf;
    sm_80: the integer decode), so the split dispatch reads the cache in place and nothing outside the forall reads
    it but its length. Interpreted at 77 keys: what the unsplit, widened program gives."""
    from tilefuse.codegen.stages.widen_kv import widen_kv
    from tilefuse.interp.program import Program
    from tilefuse.ir.facts import NUMPY_STORAGE

    source = _RUN_TIME_DECODE.replace("tensor<1x2x?x64xf16>", f"tensor<1x2x?x64x{fp8}>")
    rng = np.random.default_rng(77)
    inputs = [rng.standard_normal((1, 2, 16, 64)).astype(np.float16),
              *(rng.standard_normal((1, 2, 77, 64)).astype(NUMPY_STORAGE[fp8]) for _ in range(2))]
    stage_input = StageInput(get_target(target), session=None)
    with ir.Context() as ctx:
        unsplit = ir.Module.parse(source, ctx)
        widen_kv(unsplit, stage_input)
        (want,) = Program(unsplit).call("decode", inputs)
        module = ir.Module.parse(source, ctx)
        (changes,) = split_k2(module, stage_input).changes
        assert changes["keys_per_split"] == "run-time" and changes["k2_splits"] > 1
        assert len(widen_kv(module, stage_input).changes) == 1
        (forall,) = irutil.ops_named(module, "scf.forall")
        func = irutil.ops_named(module, "func.func")[0]
        cache = list(func.regions[0].blocks[0].arguments)[1:]
        outside = {use.owner.name for arg in cache for use in arg.uses if not _inside(use.owner, forall)}
        assert outside == {"tensor.dim"}  # the ranges' length: no copy, pad or widening of the whole cache
        widened = [op for op in irutil.ops_named(module, "linalg.generic")
                   if str(irbuild.element_type(op.operands[0])) == fp8]
        assert len(widened) == 2 and all(_inside(op, forall) and op.operands[0].owner.name == "tensor.extract_slice"
                                         for op in widened)
        (got,) = Program(module).call("decode", inputs)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=2e-3, rtol=2e-3)


@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_ranges_of_keys_padded_in_the_program_slice_the_pad(target):
    """Head dims of 40 padded in the program (pad-to-tiles: K1 to 48; N too where the PV intrinsic's N is 16):
    IREE copies such a pad of keys of run-time length out of the attention's dispatch split or not, so split-k2
    splits it too, the ranges slicing the padded K (and V). Interpreted at 77 keys: what the unpadded, unsplit
    program gives."""
    from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
    from tilefuse.interp.program import Program

    source = _RUN_TIME_DECODE.replace("x64xf16", "x40xf16")
    rng = np.random.default_rng(40)
    inputs = [rng.standard_normal(shape).astype(np.float16) for shape in ((1, 2, 16, 40), (1, 2, 77, 40),
                                                                           (1, 2, 77, 40))]
    stage_input = StageInput(get_target(target), session=None)
    with ir.Context() as ctx:
        (want,) = Program(ir.Module.parse(source, ctx)).call("decode", inputs)
        module = ir.Module.parse(source, ctx)
        pad_attention_to_tiles(module, stage_input)
        (changes,) = split_k2(module, stage_input).changes
        assert changes["keys_per_split"] == "run-time" and changes["k2_splits"] > 1
        (forall,) = irutil.ops_named(module, "scf.forall")
        cache = list(irutil.ops_named(module, "func.func")[0].regions[0].blocks[0].arguments)[1:]
        pads = [pad for pad in irutil.ops_named(module, "tensor.pad") if pad.operands[0] in cache]
        assert pads and all({(use.owner.name, _inside(use.owner, forall)) for use in pad.result.uses} <=
                            {("tensor.extract_slice", True), ("tensor.dim", False)} for pad in pads)
        (got,) = Program(module).call("decode", inputs)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=2e-3, rtol=2e-3)


def _inside(op, ancestor) -> bool:
    parent = op.parent
    while parent is not None and parent != ancestor:
        parent = parent.parent
    return parent is not None


_RANGE_INSERT = """
func.func @d(%t: tensor<1x2x16x64xf32>) -> tensor<1x2x64x64xf32> {
  %e = tensor.empty() : tensor<1x2x64x64xf32>
  %r = scf.forall (%s) in (4) shared_outs(%o = %e) -> (tensor<1x2x64x64xf32>) {
    %row = affine.apply affine_map<(d0) -> (d0 * 16)>(%s)
    %c = tensor.collapse_shape %t [[0, 1], [2], [3]] : tensor<1x2x16x64xf32> into tensor<2x16x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %c into %o[0, 0, %row, 0] [1, 2, 16, 64] [1, 1, 1, 1]
        : tensor<2x16x64xf32> into tensor<1x2x64x64xf32>
    }
  } {mapping = [#iree_linalg_ext.split_reduction_mapping<0>]}
  return %r : tensor<1x2x64x64xf32>
}
"""


def test_a_ranges_partials_are_inserted_whole_and_its_forall_counts_the_splits():
    """IREE's front end drops the unit dims of a range's partials (a collapse before a rank-reducing insert), which
    bufferization would copy through a private buffer: configure inserts the uncollapsed tile into the same slice."""
    from tilefuse.codegen.split_ranges import range_splits, whole_range_inserts

    with ir.Context() as ctx, ir.Location.unknown():
        module = ir.Module.parse(_RANGE_INSERT, ctx)
        whole_range_inserts(module)
        module.operation.verify()
        (insert,) = irutil.ops_named(module, "tensor.parallel_insert_slice")
        assert str(insert.operands[0].type) == "tensor<1x2x16x64xf32>"
        assert not irutil.ops_named(module, "tensor.collapse_shape")
        assert range_splits(insert) == 4 and range_splits(irutil.ops_named(module, "tensor.empty")[0]) is None
