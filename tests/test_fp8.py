"""fp8 attention (issue 29 part 3): problems in fp8 and with an fp8 KV cache, the widen-kv program stage, the
integer fp8 decode and encode (widen-kv, encode-fp8), and verify on the targets whose intrinsics the tilefuse path
pairs (gfx942's FNUZ MFMA/VMFMA; gfx950's and sm_89's OCP fp8, P's keys relabeled; the KV cache through f16 MMA)."""

import json
from dataclasses import replace

import iree.compiler.ir as ir
import numpy as np
import pytest
from iree.compiler.dialects import linalg, tensor

from tilefuse.cli import build_parser
from tilefuse.ir import irutil
from tilefuse.checkers.bound import problem_bound
from tilefuse.errors import TilefuseError, Unsupported
from tilefuse.codegen.heuristics import _pair
from tilefuse.ir.attention import attention_shape
from tilefuse.ir.paged import cache_types
from tilefuse.ir.rounding import round_to
from tilefuse.interp.program import Program
from tilefuse.ir.facts import ATTENTION, NUMPY_STORAGE
from tilefuse.codegen.stage import StageInput
from tilefuse.target.machines import MACHINES
from tilefuse.perf.work import _loaded_bytes
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.codegen.stages.encode_fp8 import encoded
from tilefuse.codegen.stages.widen_kv import _extended, widen_kv

FP8 = AttentionProblem(name="fp8_causal", heads=2, m=64, k2=128, k1=64, dtype="f8E4M3FNUZ", mask="causal",
                       k_scale=0.5, v_scale=2.0)
KV_CACHE = AttentionProblem(name="fp8_kv_decode", heads=4, kv_heads=2, m=1, k2=256, k1=64, dtype="f16",
                            kv_dtype="f8E4M3FNUZ", gqa_layout="repeated", k_scale=0.5, v_scale=2.0)

# The serving decode (an fp8 cache of run-time length, 77 keys: a whole 64-key step, then 13) and a prefill in
# fp8 whose prompt (17 rows) and keys are run-time lengths
RUN_TIME_CACHE = KV_CACHE.with_(name="fp8_kv_run_time", gqa_layout="grouped", k2=77, dynamic="k2")
RUN_TIME_FP8 = AttentionProblem(name="fp8_run_time", heads=2, m=17, k2=77, k1=64, dtype="f8E4M3FN", dynamic="m,k2")
# Mixed fp8 formats: E4M3 Q/K with an E5M2 V (FNUZ: gfx942; OCP: gfx950, sm_89), and a cache of E4M3 K, E5M2 V
MIXED_FP8 = FP8.with_(name="fp8_mixed", dtype="f8E4M3FNUZ", v_dtype="f8E5M2FNUZ")
MIXED_OCP = MIXED_FP8.with_(dtype="f8E4M3FN", v_dtype="f8E5M2")
MIXED_CACHE = KV_CACHE.with_(name="fp8_kv_mixed", v_dtype="f8E5M2FNUZ")
MASKED_PROMPT_CACHE = RUN_TIME_CACHE.with_(name="fp8_kv_masked_prompt", m=17, dynamic="m,k2", mask="boolean")
# fp8 pages of a paged cache under an f16 query (a prefill: not split, so each K2 step reads several pages through
# the table, widen-kv's extension made again over the step's keys by page-step)
PAGED_CACHE = AttentionProblem(name="fp8_paged", batch=2, heads=4, kv_heads=2, m=64, k2=128, k1=64,
                               kv_dtype="f8E4M3FNUZ", mask="additive", paged=16, k_scale=0.5, v_scale=2.0)


def _types(problem):
    module = ir.Module.parse(problem.to_mlir(), ir.Context())
    (op,) = [o for o in irutil.walk(module.operation) if o.name == ATTENTION]
    return module, op, [str(ir.ShapedType(v.type).element_type) if isinstance(v.type, ir.ShapedType) else str(v.type)
                        for v in op.operands]


def test_an_fp8_problem_is_fp8_operands_an_f32_result_and_the_k_scale_folded():
    _, op, types = _types(FP8)
    assert types[:4] == ["f8E4M3FNUZ"] * 3 + ["f32"]
    assert FP8.result_dtype == "f32" and FP8.scale_value == pytest.approx(0.5 / 8)
    # inputs are exact in E4M3FNUZ: 3 mantissa bits
    q = FP8.random_inputs(0)["q"]
    assert np.all(q * 2.0 ** -np.floor(np.log2(np.abs(np.where(q == 0, 1, q)))) * 8 % 1 == 0)


def test_the_kv_cache_form_keeps_the_query_16_bit():
    _, _, types = _types(KV_CACHE)
    assert types[:4] == ["f16", "f8E4M3FNUZ", "f8E4M3FNUZ", "f16"]
    want = KV_CACHE.reference(KV_CACHE.random_inputs(0))
    unscaled = KV_CACHE.with_(v_scale=None).reference(KV_CACHE.random_inputs(0))
    np.testing.assert_allclose(want, 2.0 * unscaled, rtol=1e-3)


@pytest.mark.parametrize("bad", [dict(kv_dtype="f8E4M3FN", dtype="f8E4M3FN"), dict(kv_dtype="f16"),
                                 dict(dtype="f8E4M3FN", epilogue="residual"), dict(k_scale=0.5),
                                 # V's own format: fp8 K, the other format of its family
                                 dict(v_dtype="f8E5M2"), dict(dtype="f8E4M3FN", v_dtype="f8E4M3FN"),
                                 dict(dtype="f8E4M3FNUZ", v_dtype="f8E5M2")])
def test_fp8_problems_that_mean_nothing_are_refused(bad):
    with pytest.raises(TilefuseError):
        AttentionProblem(**bad)


def test_mixed_fp8_formats_pair_p_in_vs_format_with_a_qk_of_q_and_ks():
    """E4M3 Q/K with E5M2 V (or the other way round): V's format is its own in the IR and the inputs; P takes V's
    type (IREE's decomposition truncates it to V's), so PV is V's intrinsic and QK one of Q's type of the same
    shape; where no intrinsic of Q's type matches V's pair's layouts, or Q and K differ, it is refused by name."""
    _, _, types = _types(MIXED_FP8)
    assert types[:3] == ["f8E4M3FNUZ", "f8E4M3FNUZ", "f8E5M2FNUZ"]
    v = MIXED_FP8.random_inputs(0)["v"]  # E5M2 values (2 mantissa bits): not all E4M3 ones, nor the other way
    assert np.array_equal(round_to("f8E5M2FNUZ", v), v) and not np.array_equal(round_to("f8E4M3FNUZ", v), v)
    for problem, target, qk, pv in ((MIXED_FP8, "gfx942", "MFMA_F32_16x16x32_F8E4M3FNUZ",
                                     "MFMA_F32_16x16x32_F8E5M2FNUZ"),
                                    (MIXED_OCP, "sm_89", "NV_MMA_SYNC_F32_16x8x32_F8E4M3FN",
                                     "NV_MMA_SYNC_F32_16x8x32_F8E5M2")):
        module, op, _ = _types(problem)
        shape = attention_shape(op)
        assert shape.v_element_type == problem.v_dtype
        pair = _pair(shape, get_target(target))
        assert (pair.qk, pair.pv) == (qk, pv) and all("E4M3" in q for q in pair.qk_choices)
    module, op, _ = _types(MIXED_FP8)
    mixed_qk = replace(attention_shape(op), kv_element_type="f8E5M2FNUZ", v_element_type=None)
    with pytest.raises(Unsupported, match="QK of f8E4M3FNUZ x f8E5M2FNUZ operands: not built"):
        _pair(mixed_qk, get_target("gfx942"))


def test_widen_kv_extends_an_fp8_cache_to_the_query_type_and_leaves_others_alone():
    module, _, _ = _types(KV_CACHE.with_(gqa_layout="grouped"))
    stage_input = StageInput(get_target("gfx942"), session=None)
    with module.context:
        result = widen_kv(module, stage_input)
        (op,) = [o for o in irutil.walk(module.operation) if o.name == ATTENTION]
        assert [str(ir.ShapedType(v.type).element_type) for v in list(op.operands)[:3]] == ["f16"] * 3
        for v in list(op.operands)[1:3]:
            body = [o.name for o in v.owner.regions[0].blocks[0].operations]
            assert body == ["arith.extf", "linalg.yield"]
            assert _loaded_bytes(v) == 1  # the estimate counts the cache's fp8 bytes, not the f16 it becomes
        # configure plans the cache's types, as the program stages did (the decoded step: heuristics.decoded_step)
        assert cache_types(op, attention_shape(op)) == replace(attention_shape(op), kv_element_type="f8E4M3FNUZ")
    assert list(result.changes) == [{"attention": result.changed_ops[0][0], "kv": "f8E4M3FNUZ/f8E4M3FNUZ -> f16"}]
    for problem in (FP8, KV_CACHE.with_(kv_dtype=None, k_scale=None, v_scale=None)):
        module, _, _ = _types(problem)
        with module.context:
            assert widen_kv(module, stage_input).changes == ()


def test_an_fp8_cache_of_run_time_length_is_a_problem_and_widens_at_its_length():
    """The serving decode: an fp8 cache whose length is a run-time value; widen-kv's extension keeps the run-time
    length (its output's tensor.empty takes the cache's tensor.dim)."""
    module, _, types = _types(RUN_TIME_CACHE)
    assert types[:3] == ["f16", "f8E4M3FNUZ", "f8E4M3FNUZ"]
    with module.context:
        widen_kv(module, StageInput(get_target("gfx942"), session=None))
        (op,) = [o for o in irutil.walk(module.operation) if o.name == ATTENTION]
        for v in list(op.operands)[1:3]:
            assert str(v.type) == "tensor<1x2x?x64xf16>"
            out = v.owner.operands[1].owner
            assert out.name == "tensor.empty" and out.operands[0].owner.name == "tensor.dim"
    assert AttentionProblem(heads=1, dtype="f8E4M3FN", m=17, k2=77, dynamic="m,k2").ir_shapes()["q"] == [1, 1, None, 64]
    # V's scale multiplies a result of run-time rows
    module, op, _ = _types(RUN_TIME_CACHE.with_(m=17, dynamic="m,k2"))
    with module.context:
        (scaled,) = op.results[0].uses
        assert str(scaled.owner.results[0].type) == "tensor<1x4x?x64xf16>"


@pytest.mark.parametrize("problem", [RUN_TIME_CACHE, MIXED_CACHE], ids=lambda p: p.name)
def test_configure_counts_a_widened_cache_in_its_own_type(problem):
    """In the dispatch an fp8 cache reaches the attention through widen-kv's extension (f16 K/V); configure's plan
    takes K's and V's types from under it, as the program stages did when they split the attention on the cache's
    bytes (heuristics.k2_splits), so its check of that split agrees."""
    module, _, types = _types(problem)
    with module.context:
        widen_kv(module, StageInput(get_target("gfx942"), session=None))
        (op,) = [o for o in irutil.walk(module.operation) if o.name == ATTENTION]
        shape = attention_shape(op)
        assert shape.kv_element_type is None  # the widened K/V: the query's type
        v = types[2] if types[2] != types[1] else None
        assert cache_types(op, shape) == replace(shape, kv_element_type=types[1], v_element_type=v)
    for same in (KV_CACHE.with_(kv_dtype=None, k_scale=None, v_scale=None), FP8, MIXED_FP8):  # nothing widened
        module, op, _ = _types(same)
        with module.context:
            assert cache_types(op, attention_shape(op)) == attention_shape(op)


@pytest.mark.slow
@pytest.mark.parametrize("dynamic", [None, "k2"])
def test_a_small_fp8_cache_is_split_on_its_own_bytes(tmp_path, dynamic):
    """One KV head of 4096 keys at d=64: 1 MiB of K/V in f16, half that in fp8, which the decode heuristic splits
    latency-bound (256 one-step splits or ranges: heuristics.k2_splits). configure counted the widened (f16) bytes
    and refused its own program's split ("split-k2 and configure disagree"); now the plan and the dispatch agree."""
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(heads=4, kv_heads=1, m=1, k2=4096, k1=64, kv_dtype="f8E4M3FNUZ",
                                    dynamic=dynamic).to_mlir())
    report = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "o.vmfb", tmp_path / "d"))
    assert report.ok, report.error
    written = json.loads((tmp_path / "d" / "report.json").read_text())
    (split,) = [c for s in written["program_stages"] if s["name"] == "split-k2" for c in s["changes"]]
    (attention,) = [d for d in written["dispatches"] if d["has_attention"]]
    assert split["k2_splits"] == attention["plan"]["k2_splits"] == 256 and attention["isa"]["mma_ops"] > 0


def test_fp8_mma_rates_are_the_datasheets_where_the_code_has_fp8_mma():
    assert MACHINES["MI300X"].mma_flops_fp8 == pytest.approx(2 * MACHINES["MI300X"].mma_flops, rel=1e-4)
    assert MACHINES["MI355X"].mma_flops_fp8 == 2 * MACHINES["MI355X"].mma_flops
    assert MACHINES["H100"].mma_flops_fp8 is None  # sm_80 code: no fp8 mma.sync


def test_the_fp8_bound_admits_p_in_e4m3():
    """P rounded to E4M3 (3 mantissa bits) for the PV matmul: the bound's P term is E4M3's, 2^7 f16's."""
    inputs = FP8.random_inputs(0)
    fp8, f16 = problem_bound(FP8, inputs), problem_bound(FP8.with_(dtype="f16", k_scale=None, v_scale=None),
                                                         inputs)
    assert fp8.kind == f16.kind == "derived"
    assert fp8.components["p_rounding"] > 50 * f16.components["p_rounding"]


@pytest.mark.parametrize("e5m2", ["f8E5M2", "f8E5M2FNUZ"])
def test_e5m2_is_a_problem_type_and_its_bound_is_its_formats(tmp_path, e5m2):
    """E5M2 (OCP: gfx950, sm_89; FNUZ: gfx942) for Q/K/V and for a cache; 2 mantissa bits: inputs exact in it, and P's
    rounding twice E4M3's in the bound (unit roundoff 2^-3, from the format)."""
    def problem(*flags):
        args = build_parser().parse_args(["problem", *flags, "--m", "64", "--k2", "128", "-o", str(tmp_path / "p.mlir")])
        assert args.fn(args) == 0
        return AttentionProblem.from_mlir_header((tmp_path / "p.mlir").read_text())

    assert problem("--dtype", e5m2).dtype == e5m2
    assert problem("--dtype", "f16", "--kv-dtype", e5m2).kv_dtype == e5m2
    fp8 = FP8.with_(dtype=e5m2)
    q = fp8.random_inputs(0)["q"]
    assert np.all(q * 2.0 ** -np.floor(np.log2(np.abs(np.where(q == 0, 1, q)))) * 4 % 1 == 0)
    e4m3 = FP8.with_(dtype="f8E4M3FN" if e5m2 == "f8E5M2" else "f8E4M3FNUZ")
    inputs = fp8.random_inputs(0)
    assert problem_bound(fp8, inputs).components["p_rounding"] == pytest.approx(
        2 * problem_bound(e4m3, inputs).components["p_rounding"], rel=0.2)


@pytest.mark.slow
@pytest.mark.parametrize("problem,target", [(FP8, "gfx942"), (KV_CACHE, "gfx942"),
                                            # OCP fp8 operands: PV reads its keys in QK's accumulator order; on
                                            # sm_89 P's rounding to fp8 is encoded with integer ops (encode-fp8)
                                            (FP8.with_(dtype="f8E4M3FN"), "gfx950"),
                                            (FP8.with_(dtype="f8E4M3FN"), "sm_89"),
                                            (KV_CACHE.with_(kv_dtype="f8E4M3FN"), "gfx950"),
                                            # NVIDIA: the cache decoded with integer ops (no fp8 cast in IREE there)
                                            (KV_CACHE.with_(kv_dtype="f8E4M3FN"), "sm_89"),
                                            (KV_CACHE.with_(kv_dtype="f8E4M3FN", dtype="bf16"), "sm_80"),
                                            # head dim 16: a decoded K row is one mma.sync B operand (the lane
                                            # stage decodes it flat: thread_distribute/rewrites._flatten)
                                            (KV_CACHE.with_(kv_dtype="f8E4M3FN", k1=16), "sm_89"),
                                            # gfx942 converts FNUZ only (IREE: OCP casts "only supported on gfx950")
                                            (KV_CACHE.with_(kv_dtype="f8E4M3FN"), "gfx942"),
                                            # E5M2: its own intrinsics (P rounded to E5M2), a cache decoded
                                            (FP8.with_(dtype="f8E5M2"), "sm_89"),
                                            (FP8.with_(dtype="f8E5M2FNUZ"), "gfx942"),
                                            (KV_CACHE.with_(kv_dtype="f8E5M2"), "sm_89"),
                                            # a cache of run-time length: k2-tail pads the last step's fp8 slices
                                            # (before their extension) and adds the tail mask
                                            (RUN_TIME_CACHE.with_(kv_dtype="f8E4M3FN"), "sm_89"),
                                            (RUN_TIME_CACHE, "gfx942"),
                                            # ... its head dims padded in the program (d=40), the ranges slicing
                                            # the pad: 256 of them, latency-bound on the fp8 bytes (configure)
                                            (RUN_TIME_CACHE.with_(k1=40, kv_dtype="f8E4M3FN"), "sm_80"),
                                            # fp8 Q/K/V, run-time prompt and keys: the tail mask in f32 (E4M3
                                            # has no -inf)
                                            (RUN_TIME_FP8, "sm_89"), (RUN_TIME_FP8, "gfx950"),
                                            # under a mask: a decode of a run-time cache; a prompt of run-time
                                            # rows against an fp8 cache (m-tail leaves the extension's run-time
                                            # K2 to k2-tail); fp8 Q/K/V (the mask f32 or i1)
                                            (RUN_TIME_CACHE.with_(mask="additive", kv_dtype="f8E4M3FN"), "sm_80"),
                                            (MASKED_PROMPT_CACHE, "gfx942"),
                                            (MASKED_PROMPT_CACHE.with_(mask="additive", kv_dtype="f8E4M3FN"),
                                             "sm_80"),
                                            (RUN_TIME_FP8.with_(mask="additive"), "sm_89"),
                                            (RUN_TIME_FP8.with_(dtype="f8E4M3FNUZ", mask="boolean"), "gfx942"),
                                            # mixed E4M3 x E5M2: P in V's format (PV V's intrinsic, QK Q's)
                                            (MIXED_FP8, "gfx942"), (MIXED_OCP, "sm_89"), (MIXED_OCP, "gfx950"),
                                            # a mixed cache, each widened from its own format
                                            (MIXED_CACHE, "gfx942"),
                                            (MIXED_CACHE.with_(kv_dtype="f8E4M3FN", v_dtype="f8E5M2"), "sm_80"),
                                            # fp8 pages: 4 pages of 16 a step; pages of 8 decoded on NVIDIA, E5M2
                                            # with seq_lens (one page a step); OCP on gfx950
                                            (PAGED_CACHE, "gfx942"),
                                            (PAGED_CACHE.with_(kv_dtype="f8E4M3FN", paged=8), "sm_80"),
                                            (PAGED_CACHE.with_(kv_dtype="f8E5M2", mask="none", seq_lens="100,7"),
                                             "sm_89"),
                                            (PAGED_CACHE.with_(kv_dtype="f8E4M3FN", paged=32), "gfx950")])
def test_fp8_verifies_with_mma(tmp_path, problem, target):
    src = tmp_path / f"{problem.name}.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    assert [c.status for c in report.checks if c.stage == "lower"] and all(
        c.status == "ok" for c in report.checks if c.stage == "lower")
    dispatches = [d for d in json.loads((tmp_path / "w" / "report.json").read_text())["dispatches"]
                  if d["has_attention"]]
    assert dispatches and all(d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0 for d in dispatches)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["sm_80", "sm_89"])
def test_a_cache_decoded_in_registers_steps_without_spilling(tmp_path, target):
    """32/8 heads d=128 over 4096 keys of an E4M3FN cache, decoded with integer ops on NVIDIA: at the 64-key step
    of an f16 cache ptxas spilled 5572 B on sm_80 (255 registers); the loop's 16-key step (heuristics.decoded_step,
    configure reading the cache's type through widen-kv's extension) holds the lane's state in registers. The keys
    are split as before, in whole 64-key steps (the split-count rule's count for the machine: 32 on sm_80's H100, 8
    on sm_89's L40S), not counted in the loop's 16-key steps."""
    src = tmp_path / "decode.mlir"
    src.write_text(AttentionProblem(name="fp8_cache_d128", heads=32, kv_heads=8, m=1, k2=4096, k1=128,
                                    kv_dtype="f8E4M3FN").to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "o.vmfb", tmp_path / "d"))
    assert report.ok, report.error
    (attention,) = [d for d in report.to_dict()["dispatches"] if d["has_attention"]]
    assert attention["plan"]["config"]["tiling"]["reduction"][3] == 16
    splits = attention["plan"]["k2_splits"]
    assert splits == {"sm_80": 32, "sm_89": 8}[target] and 4096 // splits % 64 == 0
    ptxas = attention["isa"]["ptxas"][target]
    assert ptxas["spill_store_bytes"] == ptxas["spill_load_bytes"] == 0


@pytest.mark.slow
def test_tilefuse_vd_refuses_a_pair_whose_keys_are_relabeled(tmp_path):
    """Only the tilefuse lane stage reads PV's keys in P's order; tilefuse-vd's configure refuses gfx950's fp8 pair
    (IREE's vector distribution moved P through workgroup memory: verify found the race)."""
    src = tmp_path / "fp8.mlir"
    src.write_text(FP8.with_(dtype="f8E4M3FN").to_mlir())
    report = compile_file(src, CompileOptions("gfx950", "tilefuse-vd", tmp_path / "o.vmfb", tmp_path / "d"))
    assert not report.ok and "only the tilefuse lane stage" in report.error


@pytest.mark.parametrize("fp8", ["f8E4M3FN", "f8E5M2", "f8E4M3FNUZ", "f8E5M2FNUZ"])
@pytest.mark.parametrize("to", ["f16", "bf16"])
def test_the_integer_decode_is_every_fp8_value(fp8, to):
    """widen-kv's decode for targets where IREE lowers no fp8 cast (NVIDIA), interpreted on all 256 bit patterns:
    ml_dtypes' value of each (NaNs as NaN, E5M2's infinities, FN's negative zero)."""
    values = np.arange(256, dtype=np.uint8).view(NUMPY_STORAGE[fp8]).astype(np.float32)
    module = ir.Module.parse(f"func.func @f(%x: tensor<256x{fp8}>) -> tensor<256x{to}> {{\n"
                             f"  %e = tensor.empty() : tensor<256x{to}>\n  return %e : tensor<256x{to}>\n}}",
                             ir.Context())
    with module.context, ir.Location.unknown():
        func = module.body.operations[0]
        block = func.regions[0].blocks[0]
        ret = list(block.operations)[-1]
        with ir.InsertionPoint(ret):
            decoded = _extended(block.arguments[0], ir.Type.parse(to), decode=True)
        ret.operands[0] = decoded
        module.operation.verify()
    (got,) = Program(module).call("f", [values])
    want = values  # every fp8 value is an f16 and a bf16 value
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(want)], want[~np.isnan(want)])
    assert np.array_equal(np.signbit(got[~np.isnan(want)]), np.signbit(want[~np.isnan(want)]))


@pytest.mark.parametrize("fp8", ["f8E4M3FN", "f8E5M2", "f8E4M3FNUZ", "f8E5M2FNUZ"])
def test_the_integer_encode_rounds_as_truncf(fp8):
    """encode-fp8's rounding for targets where IREE lowers no fp8 cast (NVIDIA: P for the PV matmul), interpreted on
    every fp8 value, every midpoint between neighbours (ties to even) and one f32 step either side of it, 20000
    random floats over 50 binades (subnormals of the format, overflow), infinities, NaNs and zeros: ml_dtypes' value
    (the one arith.truncf means; NaNs as NaN, signs of zeros and infinities)."""
    storage = NUMPY_STORAGE[fp8]
    every = np.arange(256, dtype=np.uint8).view(storage).astype(np.float32)
    finite = np.unique(every[np.isfinite(every)])
    mids = ((finite[1:].astype(np.float64) + finite[:-1]) / 2).astype(np.float32)
    near = np.concatenate([np.nextafter(mids, np.float32(np.inf)), np.nextafter(mids, np.float32(-np.inf))])
    rng = np.random.default_rng(0)
    spread = (rng.standard_normal(20000) * np.exp2(rng.uniform(-30, 20, 20000))).astype(np.float32)
    x = np.concatenate([every, mids, -mids, near, -near, spread,
                        np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 3e38, 1e-45], np.float32)])
    n = len(x)
    module = ir.Module.parse(f"func.func @f(%x: tensor<{n}xf32>) -> tensor<{n}x{fp8}> {{\n"
                             f"  %e = tensor.empty() : tensor<{n}x{fp8}>\n  return %e : tensor<{n}x{fp8}>\n}}",
                             ir.Context())
    with module.context, ir.Location.unknown():
        block = module.body.operations[0].regions[0].blocks[0]
        ret = list(block.operations)[-1]
        with ir.InsertionPoint(ret):
            out = tensor.EmptyOp([n], ir.Type.parse(fp8)).result
            identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(1))
            generic = linalg.GenericOp([out.type], [block.arguments[0]], [out], ir.ArrayAttr.get([identity] * 2),
                                       [linalg.IteratorType.parallel])
            body = generic.regions[0].blocks.append(ir.F32Type.get(), ir.Type.parse(fp8))
            with ir.InsertionPoint(body):
                linalg.YieldOp([encoded(body.arguments[0], ir.Type.parse(fp8))])
            ret.operands[0] = generic.result
        module.operation.verify()
        assert "arith.truncf" not in str(module)
    (got,) = Program(module).call("f", [x])
    got, want = np.asarray(got, np.float32), x.astype(storage).astype(np.float32)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(want)], want[~np.isnan(want)])
    assert np.array_equal(np.signbit(got[~np.isnan(want)]), np.signbit(want[~np.isnan(want)]))
