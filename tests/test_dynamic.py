"""Keys and query rows of run-time length (issue 29, part 1): the tilefuse path lowers a decode and a prefill whose
K2 is a run-time value with MMA, the last K2 tile padded in the kernel (k2-tail), a prefill whose M is (m-tail: the
last row tile padded, only real rows stored), and verify interprets every stage of them on sizes the problem
draws, its push constants included; a planted wrong tail mask fails."""

import json
import re
from dataclasses import replace

import numpy as np
import pytest

import iree.compiler.ir as ir

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.codegen.stage import StageInput
from tilefuse.codegen.stages import configure, k2_tail, m_tail
from tilefuse.codegen.stages.pack_query_groups import pack_query_groups
from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
from tilefuse.codegen.stages.thread_distribute import fragments
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.interp.lockstep import _gather
from tilefuse.ir.attention import RUN_TIME_KEYS, RUN_TIME_ROWS, attention_shape
from tilefuse.ir.facts import ATTENTION
from tilefuse.ir.irutil import ops_named
from tilefuse.interp.program import _push_constants
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file

# A GQA decode against a KV cache of 100 keys (one whole 64-key tile, then 36), a GQA prefill of 100 queries
# (padded to tiles at program level: a static dim) against 100 keys, and a cache shorter than one tile.
FORMS = {
    "decode": AttentionProblem(heads=8, kv_heads=2, m=1, k2=100, k1=128, dynamic="k2"),
    "prefill": AttentionProblem(heads=4, kv_heads=2, m=100, k2=100, k1=64, dynamic="k2"),
    "short": AttentionProblem(heads=2, m=1, k2=5, k1=64, dtype="bf16", dynamic="k2"),
}


def _verify(problem, target, tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    return verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("form", FORMS)
def test_a_run_time_k2_is_lowered_with_mma_and_every_stage_is_right(form, target, tmp_path):
    report = _verify(FORMS[form], target, tmp_path)
    assert report.ok, [c for c in report.checks if c.status != "ok"]
    attention = [c for c in report.checks if c.dispatch != "program"]
    assert [c.stage for c in attention] == ["input", *TILEFUSE.stage_names()]
    assert all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0


@pytest.mark.slow
def test_verify_runs_a_problem_file_at_the_dim_sizes(tmp_path):
    """verify --dim over a problem file: its inputs and NumPy reference at those lengths (M=3, K2=70), not the
    header's (M=17, K2=64); the sizes run recorded."""
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(heads=2, m=17, k2=64, k1=64, dynamic="m,k2", mask="additive").to_mlir())
    dims = {"*": 70, "0": 3, "3": 3}  # Q's rows and the mask's rows are M, the other dims K2
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", dims=dims))
    assert report.ok and report.references["program / numpy-reference"], report.checks
    assert report.run_time_sizes == "0 (arg0.2)=3, 1 (arg1.2)=70, 2 (arg2.2)=70, 3 (arg3.0)=3, 4 (arg3.1)=70"


@pytest.mark.slow
def test_a_tail_mask_that_hides_nothing_fails_verify(tmp_path, monkeypatch):
    """Negative control: keys past the end scored 0 instead of -inf (the padded zeros then count)."""
    monkeypatch.setattr(k2_tail, "_MINUS_INF", 0.0)
    report = _verify(FORMS["decode"], "gfx942", tmp_path)
    status = {c.stage: c.status for c in report.checks if c.dispatch != "program"}
    assert status["reduction-tile"] == "ok" and status["k2-tail"] == status["lower"] == "MISMATCH"


def test_only_the_paths_that_pad_the_tail_take_a_run_time_k2(tmp_path):
    src = tmp_path / "p.mlir"
    src.write_text(FORMS["short"].to_mlir())
    report = compile_file(src, CompileOptions("gfx942", "tilefuse-vd", tmp_path / "o.vmfb", tmp_path / "d"))
    assert not report.ok and report.failed_stage == "configure"
    assert "a run-time K2 needs the k2-tail stage" in report.error


def test_index_operands_of_a_dispatch_are_its_push_constants_low_word_first():
    """Ordinals 0-3 are read as data (two indices, low word first); 4 only places a binding (a packed buffer)."""
    with ir.Context():
        layout = "#hal.pipeline.layout<constants = 5, bindings = [#hal.pipeline.binding<storage_buffer>]>"
        loads = "\n".join(f"%c{i} = hal.interface.constant.load layout({layout}) ordinal({i}) : i32" for i in range(5))
        module = ir.Module.parse(f"""
          func.func @d(%a: index, %b: index) -> i32 {{
            {loads}
            %c4i = arith.index_castui %c4 : i32 to index
            %0 = hal.interface.binding.subspan layout({layout}) binding(0) offset(%c4i) : memref<4xf32>
            %s0 = arith.addi %c0, %c1 : i32
            %s1 = arith.addi %c2, %c3 : i32
            %s = arith.addi %s0, %s1 : i32
            return %s : i32
          }}""")
        func = module.body.operations[0]
        a, b = func.regions[0].blocks[0].arguments
        assert _push_constants([(a, np.int64(100)), (b, np.int64((7 << 32) + 5))], func) == {0: 100, 1: 0, 2: 5, 3: 7}


def test_a_masked_lane_read_pads_only_along_its_padded_dims():
    src = np.arange(2 * 5, dtype=np.float32).reshape(1, 2, 5)  # one lane, 2 x 5
    got = _gather(src, [np.array([0]), np.array([3])], [2, 4], [1, 1], "read", padding=-1.0, padded=[False, True])
    np.testing.assert_array_equal(got[0], [[3, 4, -1, -1], [8, 9, -1, -1]])
    with pytest.raises(Exception, match="out of bounds|outside"):
        _gather(src, [np.array([1]), np.array([0])], [2, 4], [1, 1], "read", padding=-1.0, padded=[False, True])


# Query rows of run-time length (m-tail): a prefill of run-time M against run-time keys, and against static ones.
ROW_FORMS = {
    "m,k2": AttentionProblem(heads=2, m=100, k2=100, k1=64, dynamic="m,k2"),
    "m": AttentionProblem(heads=2, m=17, k2=128, k1=64, dynamic="m"),
}


# A dispatch's attention of g*m run-time rows as IREE forms it (g = 2: udiv = 2), and a byte offset's alignment
DISPATCH_ROWS = """
#q = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#k = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2)>
#v = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>
#s = affine_map<(d0, d1, d2, d3, d4) -> ()>
func.func @d(%i: index, %j: index, %qb: !iree_tensor_ext.dispatch.tensor<readonly:tensor<2x?x64xf16>>,
             %k: tensor<2x128x64xf16>, %v: tensor<2x128x64xf16>) -> (tensor<2x?x64xf16>, index) {
  %a:2 = util.assume.int %i<umin = 0, umax = 4096, udiv = 2>, %j<umin = 0, umax = 8192, udiv = 64> : index, index
  %m = iree_tensor_ext.dispatch.workload.ordinal %a#0, 0 : index
  %q = iree_tensor_ext.dispatch.tensor.load %qb, offsets = [0, 0, 0], sizes = [2, %m, 64], strides = [1, 1, 1]
     : !iree_tensor_ext.dispatch.tensor<readonly:tensor<2x?x64xf16>>{%m} -> tensor<2x?x64xf16>
  %scale = arith.constant 0.125 : f16
  %e = tensor.empty(%m) : tensor<2x?x64xf16>
  %o = iree_linalg_ext.attention <{indexing_maps = [#q, #k, #v, #s, #q]}> ins(%q, %k, %v, %scale
     : tensor<2x?x64xf16>, tensor<2x128x64xf16>, tensor<2x128x64xf16>, f16) outs(%e : tensor<2x?x64xf16>) {
  ^bb0(%x: f32):
    iree_linalg_ext.yield %x : f32
  } -> tensor<2x?x64xf16>
  return %o, %a#1 : tensor<2x?x64xf16>, index
}
"""


def test_configure_keeps_run_time_rows_one_dim():
    """IREE's udiv of the merged GQA rows is dropped before its configuration (else block-dynamic-dimensions
    splits them as (?, g)); an assumption that sizes no attention operand (a binding's offset) is kept."""
    with ir.Context():
        module = ir.Module.parse(DISPATCH_ROWS)
        configure._unblock_run_time_sizes(module)
        (assume,) = ops_named(module, "util.assume.int")
        rows, offset = (str(a) for a in ir.ArrayAttr(assume.attributes["assumptions"]))
    assert "udiv" not in rows and "umax = 4096" in rows
    assert offset == "[#util.int.assumption<umin = 0, umax = 8192, udiv = 64>]"


def _mask_after(stage, problem):
    """The attention's mask type after the program stage STAGE (on the problem's function, gfx942)."""
    with ir.Context():
        module = ir.Module.parse(problem.to_mlir())
        stage(module, StageInput(get_target("gfx942"), session=None, m_tail=True))
        (op,) = ops_named(module, ATTENTION)
        return str(op.operands[4].type)


def test_a_packed_decode_mask_keeps_its_run_time_keys():
    """pack-query-groups views a GQA decode's (1, keys) mask as its run-time keys alone (no copy over the group;
    a copy was once built at the plan's nominal 4096 keys: an attention whose mask and K disagree), and a prompt's
    (rows, keys) mask is broadcast over the group at its run-time key count, its (g, m) rows merged, where
    pad-to-tiles then pads the mask (else IREE folds the broadcast back: the rows stay apart, m-tail pads them)."""
    decode = AttentionProblem(heads=4, kv_heads=2, m=1, k2=100, dynamic="k2", mask="additive")
    assert _mask_after(pack_query_groups, decode) == "tensor<?xf16>"
    prompt = AttentionProblem(heads=4, kv_heads=2, m=3, k2=100, dynamic="k2", mask="additive")
    assert _mask_after(pack_query_groups, prompt) == "tensor<3x?xf16>"  # 6 merged rows: no pad, not packed
    prompt = prompt.with_(m=19)
    assert _mask_after(pack_query_groups, prompt) == "tensor<38x?xf16>"  # (g, m) rows merged, padded to 48


def test_padded_keys_of_a_mask_of_run_time_rows():
    """pad-to-tiles pads and hides a static K2 (50 -> 64) under a mask whose rows are run-time (the prompt's)."""
    problem = AttentionProblem(heads=2, m=19, k2=50, k1=96, dynamic="m", mask="causal")
    assert _mask_after(pad_attention_to_tiles, problem) == "tensor<?x64xi1>"


def _shape_of(problem):
    with ir.Context():
        module = ir.Module.parse(problem.to_mlir())
        (op,) = ops_named(module, ATTENTION)
        return attention_shape(op)


def test_a_run_time_m_is_planned_as_long_aligned_rows():
    shape = _shape_of(ROW_FORMS["m,k2"])
    (m,), (k2,) = shape.m, shape.k2
    assert sorted(shape.run_time) == sorted([m, k2])
    assert shape.sizes[m] == RUN_TIME_ROWS and shape.sizes[k2] == RUN_TIME_KEYS


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("m", [1, 17, 100])
def test_a_run_time_m_is_lowered_with_mma_and_only_its_real_rows_are_stored(m, target, tmp_path):
    """M not a multiple of the 16-row subgroup tile nor of the 64-row workgroup; every stage interpreted, the
    masked row writes included (a write past M fails as out of bounds)."""
    report = _verify_rows(ROW_FORMS["m,k2"], target, tmp_path, m)
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0


def _verify_rows(problem, target, tmp_path, m):
    """Verified at M rows: a problem file's inputs are drawn at its own sizes."""
    return _verify(replace(problem, m=m), target, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_run_time_m_alone_is_lowered_with_mma_and_shares_k_and_v(target, tmp_path):
    """Static keys: every subgroup of the last workgroup runs (those past M store nothing), so K/V go through
    workgroup memory as for a static M, its barriers reached by all (verify checks the races)."""
    report = _verify(ROW_FORMS["m"], target, tmp_path)
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0 and d["isa"]["lds_bytes"] > 0


# A GQA prompt of run-time length (Q as (b, h_kv, g, m, d)): unmasked, IREE merges (g, m) into one run-time dim of
# rows (configure keeps it whole); under a (m, k2) mask the group stays a dim of its own, tiled by 1. The additive
# one against unaligned keys (100: pad-to-tiles pads them under the run-time rows' mask, in a dispatch of its own).
GQA_ROW_FORMS = {
    "none": (AttentionProblem(heads=4, kv_heads=2, m=100, k2=128, k1=64, dynamic="m"), 1),
    "causal": (AttentionProblem(heads=4, kv_heads=2, m=17, k2=128, k1=64, dynamic="m", mask="causal"), 2),
    "additive": (AttentionProblem(heads=4, kv_heads=2, m=1, k2=100, k1=64, dynamic="m", mask="additive"), 2),
}


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("form", GQA_ROW_FORMS)
def test_a_gqa_prompt_of_run_time_length_is_lowered_with_mma(form, target, tmp_path):
    problem, query_dims = GQA_ROW_FORMS[form]
    report = _verify(problem, target, tmp_path)
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0
    plan = d["plan"]
    assert plan["sizes"].count(RUN_TIME_ROWS) == 1 and len(plan["sizes"]) == 4 + query_dims


# iree-turbine's export of `F.scaled_dot_product_attention(q, k, v, enable_gqa=True)`, q (1, 8, seq, 64), k/v
# (1, 2, seq, 64), seq a torch.export.Dim: torch repeats K/V (unrepeat-kv groups them again), and with no mask IREE
# merges the group's rows into one run-time dim (udiv = 4).
SDPA_GQA_DYNAMIC = """
module @module {
  func.func @main(%arg0: !torch.vtensor<[1,8,?,64],f16>, %arg1: !torch.vtensor<[1,2,?,64],f16>, %arg2: !torch.vtensor<[1,2,?,64],f16>) -> !torch.vtensor<[1,8,?,64],f16> attributes {torch.assume_strict_symbolic_shapes} {
    %none = torch.constant.none
    %float0.000000e00 = torch.constant.float 0.000000e+00
    %false = torch.constant.bool false
    %none_0 = torch.constant.none
    %true = torch.constant.bool true
    %0 = torch.aten.scaled_dot_product_attention %arg0, %arg1, %arg2, %none, %float0.000000e00, %false, %none_0, %true : !torch.vtensor<[1,8,?,64],f16>, !torch.vtensor<[1,2,?,64],f16>, !torch.vtensor<[1,2,?,64],f16>, !torch.none, !torch.float, !torch.bool, !torch.none, !torch.bool -> !torch.vtensor<[1,8,?,64],f16>
    return %0 : !torch.vtensor<[1,8,?,64],f16>
  }
}
"""


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_a_torch_gqa_export_of_run_time_length_is_lowered_with_mma(target, tmp_path):
    src = tmp_path / "sdpa.mlir"
    src.write_text(SDPA_GQA_DYNAMIC)
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w", dims={"*": 77}))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0
    assert len(d["plan"]["sizes"]) == 5  # (KV heads, rows, K1, K2, N): the group's rows one dim


@pytest.mark.slow
def test_padded_rows_never_reach_memory(tmp_path, monkeypatch):
    """Q's padded rows planted as NaN: their softmax is NaN, and still every stage agrees (none is stored)."""
    monkeypatch.setattr(m_tail, "_ROW_FILL", float("nan"))
    report = _verify_rows(ROW_FORMS["m,k2"], "gfx942", tmp_path, 17)
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks


@pytest.mark.slow
def test_unmasked_row_writes_fail_verify(tmp_path, monkeypatch):
    """Negative control: the lanes' row writes marked in bounds (unmasked) write past M."""
    original = fragments.LaneRewriter.window_rows

    def unmasked(self, layout, out, groups):
        *rest, in_bounds = original(self, layout, out, groups)
        return (*rest, [True] * len(in_bounds))

    monkeypatch.setattr(fragments.LaneRewriter, "window_rows", unmasked)
    report = _verify_rows(ROW_FORMS["m,k2"], "gfx942", tmp_path, 17)
    status = {c.stage: c.status for c in report.checks if c.dispatch != "program"}
    assert status["m-tail"] == "ok" and status["thread-distribute"] != "ok" and status["lower"] != "ok", status


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_the_dynamic_length_llama_is_lowered_by_the_path_with_mma(target, tmp_path):
    """transformers' Llama with a prompt of run-time length (its GQA K/V grouped, its boolean mask of ?x? padded
    by m-tail and k2-tail in the kernel): no fallback."""
    from model_files import model
    report = compile_file(model("llama_dynamic"), CompileOptions(target, "tilefuse", tmp_path / "m.vmfb", tmp_path / "m"))
    assert report.ok, report.error
    (attention,) = [d for d in report.dispatches if d.has_attention]
    assert attention.lowered_by == "path" and attention.isa.mma_ops > 0


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_stock_stays_plain_iree_compile_on_a_run_time_m(target, tmp_path):
    """The stock path on a prompt of run-time length: the ISA plain iree-compile writes (no MMA: IREE pads no
    online_attention without a mask)."""
    from tilefuse.driver.compile import plain_compile
    src = tmp_path / "p.mlir"
    src.write_text(ROW_FORMS["m,k2"].to_mlir())
    stock = compile_file(src, CompileOptions(target, "stock", tmp_path / "s.vmfb", tmp_path / "s"))
    plain = plain_compile(src, target, tmp_path / "p.vmfb", tmp_path / "p")
    assert stock.ok, stock.error
    assert [d.isa for d in stock.dispatches] == [d.isa for d in plain.dispatches]
    (attention,) = [d for d in stock.dispatches if d.has_attention]
    assert attention.isa.mma_ops == 0


# An fp8 cache under an f16 query (the serving decode): FNUZ on gfx942, OCP on gfx950 and sm_89, decoded with
# integer ops on sm_80 and sm_89 (widen-kv)
FP8_CACHE_SPLITS = [(77, "gfx942", "f8E4M3FNUZ"), (300, "sm_80", "f8E4M3FN"), (13, "gfx950", "f8E4M3FN"),
                    (300, "sm_89", "f8E5M2")]


@pytest.mark.slow
@pytest.mark.parametrize("keys,target,kv_dtype", [(keys, target, None) for keys in (1, 13, 77, 300)
                                                  for target in FULL_COMPILE_TARGETS] + FP8_CACHE_SPLITS)
def test_a_run_time_k2_decode_is_split_into_ranges_read_in_place(keys, target, kv_dtype, tmp_path):
    """split-k2 of a run-time K2 (the plan's 32 splits on gfx942): 1 and 13 keys leave all ranges but one empty, 77
    five (four whole, one short), 300 every range but the last of 16 keys (chunk = ceil(K2 / (S·16))·16). Every
    stage verifies; the program has the split dispatch and the combine only (no copy of the cache: the ranges
    are loads of it; an fp8 cache's, of its fp8 bytes), each range's K2 loop ends at its own length, and the plan
    records the split. The estimate at the problem's K2 sizes every range (design/performance.md, "Run-time
    sizes")."""
    problem = AttentionProblem(heads=8, kv_heads=2, m=1, k2=keys, k1=64, kv_dtype=kv_dtype, dynamic="k2")
    report = _verify(problem, target, tmp_path)
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    work = tmp_path / "w"
    flow = (work / "flow.mlir").read_text()
    assert flow.count("flow.executable.export") == 2 and "memcpy" not in flow
    cache = f"tensor<readonly:tensor<1x1x2x?x64x{kv_dtype or 'f16'}>>"
    assert flow[:flow.index("attention_dispatch_1")].count(cache) >= 2  # K and V bound to the split dispatch
    compiled = json.loads((work / "report.json").read_text())
    (d,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0
    (split,) = [c for s in compiled["program_stages"] if s["name"] == "split-k2" for c in s["changes"]]
    assert d["plan"]["k2_splits"] == split["k2_splits"] > 1
    tiled = (work / "stages" / d["name"] / "06-reduction-tile.mlir").read_text()
    ranges = tiled[tiled.index("scf.forall"):]
    assert "split_reduction_mapping" in ranges
    _, count = re.findall(r"(%\w+) = affine.min", ranges)[:2]  # min(s chunk, K2), min(chunk, K2 - the first)
    assert re.search(rf"scf.for %\w+ = %\w+ to {count} step", ranges)
    assert compiled["run_time_sizes"] == {"at": f"K2={keys}", "by": "problem"}
    chunk = -(-keys // (16 * split["k2_splits"])) * 16
    att = d["work"]["attention"]
    assert len(att["ranges"]) == split["k2_splits"] and sum(att["ranges"]) == keys
    assert att["ranges"] == [min(chunk, max(0, keys - s * chunk)) for s in range(split["k2_splits"])]
    assert d["estimate"]["seconds"] and d["launch"]["workgroups"] == att["workgroups_from_tiles"]
