"""IREE's all-dynamic f32 attention (issue 29): f32 attention whose batch, query rows and keys are run-time values is
lowered on CDNA with the f32 MFMA (MFMA_F32_16x16x4_F32, P's keys relabeled into PV: lane_layout.key_order), and
verified at drawn sizes; so are its run-time head dims (K1 bounded at RUN_TIME_HEAD, N in one-MMA-tile workgroup
tiles, both padded in the kernel by m-tail, only real columns stored), in f32 on CDNA and in f16 on both targets.
sm_80 has no f32 MMA and refuses (IREE's own configure divides by a run-time head dim: tests/test_contain.py).
A run-time batch in general: GQA decode and repeated-K/V prefill forms, on both targets."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import iree.compiler.ir as ir

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers.verify import VerifyOptions, program_reference, verify_file
from tilefuse.codegen.stages import m_tail
from tilefuse.codegen.stages.thread_distribute import fragments
from tilefuse.codegen.plan import Variant, plan_dispatch, plan_program
from tilefuse.errors import Unsupported
from tilefuse.ir import causal
from tilefuse.ir.attention import (RUN_TIME_BATCH, RUN_TIME_HEAD, RUN_TIME_KEYS, RUN_TIME_ROWS, AttentionShape,
                                   attention_shape)
from tilefuse.ir.facts import ATTENTION
from tilefuse.ir.irutil import ops_named
from tilefuse.target.targets import get_target

PROGRAMS = Path(__file__).parent / "fixtures" / "programs"
ALL_DYNAMIC = PROGRAMS / "dynamic_attention.mlir"  # f32, batch, M, K2, K1 and N run-time
ALL_DYNAMIC_F16 = PROGRAMS / "dynamic_attention_f16.mlir"  # the same in f16
VALUE_DIM = PROGRAMS / "dynamic_value_dim_f16.mlir"  # f16, batch, M and N run-time
STATIC_ROWS_F16 = PROGRAMS / "dynamic_heads_f16.mlir"  # f16, batch, K2, K1 and N run-time; 48 rows
STATIC_HEADS = PROGRAMS / "dynamic_attention_f32.mlir"  # f32, batch, M, K2 run-time; K1 = N = 64


def _head_dims(batch: int, rows: int, keys: int, head: int) -> dict[str, int]:
    """--dim sizes of the all-dynamic forms: Q (b, m, k1), K (b, k2, k1), V (b, k2, n), with K1 = N (the output's
    head dim is Q's)."""
    return dict(zip(map(str, range(9)), (batch, rows, head, batch, keys, head, batch, keys, head)))


def _shape(path: Path, of=attention_shape):
    with ir.Context():
        module = ir.Module.parse(path.read_text())  # (held: the op lives in it)
        (op,) = ops_named(module, ATTENTION)
        return of(op)


@pytest.mark.parametrize("fixture,target,n_tile", [(ALL_DYNAMIC, "gfx942", 16), (ALL_DYNAMIC_F16, "gfx942", 16),
                                                     (ALL_DYNAMIC_F16, "sm_80", 8)])
def test_run_time_head_dims_are_planned_at_one_mma_tile_of_n_and_a_k1_bound(fixture, target, n_tile):
    """K1 and N planned at RUN_TIME_HEAD; N's workgroup tile is one PV MMA tile (the grid follows the run-time N,
    m-tail pads the last tile and the lanes write its real columns); K1 is bounded at RUN_TIME_HEAD (recorded in
    the plan: m-tail pads Q's and K's K1 to it); no K/V tile is shared (padded in the kernel)."""
    shape = _shape(fixture)
    (k1,), (n,) = shape.k1, shape.n
    assert {k1, n} <= set(shape.run_time) and shape.sizes[k1] == shape.sizes[n] == RUN_TIME_HEAD
    plan = plan_dispatch(shape, get_target(target), None, None, share_kv=True)
    assert plan.config.tiling.workgroup[n] == n_tile == plan.config.pv.mnk()[1]
    assert plan.k1_bound == RUN_TIME_HEAD and plan.run_time_heads
    assert plan.config.pv.promote_operands == plan.config.qk.promote_operands == ()
    with pytest.raises(Unsupported, match="a run-time head dim needs the m-tail stage"):
        plan_dispatch(replace(shape, run_time=(k1, n)), get_target(target), None, None, share_kv=True,
                      tail_stages=False)


def test_static_head_dims_are_planned_as_before():
    plan = plan_dispatch(_shape(STATIC_HEADS), get_target("gfx942"), None, None, share_kv=True)
    assert plan.k1_bound is None and not plan.run_time_heads


def test_f32_with_run_time_batch_rows_and_keys_takes_the_f32_mfma():
    shape = _shape(STATIC_HEADS)
    (b,), (m,), (k2,) = shape.batch, shape.m, shape.k2
    assert sorted(shape.run_time) == sorted([b, m, k2]) and shape.element_type == "f32"
    assert (shape.sizes[b], shape.sizes[m], shape.sizes[k2]) == (RUN_TIME_BATCH, RUN_TIME_ROWS, RUN_TIME_KEYS)
    config = plan_dispatch(shape, get_target("gfx942"), None, None, share_kv=True).config
    assert config.qk.mma_kind == config.pv.mma_kind == "MFMA_F32_16x16x4_F32" and config.pv.col_major
    assert config.tiling.workgroup[b] == 1  # every batch entry its own workgroups, however many there are
    assert config.pv.promote_operands == ()  # a run-time K2 shares no K/V tile (k2-tail's last one is masked)
    with pytest.raises(Unsupported, match="no MMA intrinsic for f32 operands"):
        plan_dispatch(shape, get_target("sm_80"), None, None, share_kv=True)


def test_nothing_is_proven_causal_over_a_run_time_batch(tmp_path):
    """The causal proof bounds index expressions over the sizes: at the nominal batch (RUN_TIME_BATCH) a bound over
    the batch index would not hold at the launch's batch, so a run-time batch, like run-time rows, proves nothing."""
    batch_only = tmp_path / "b.mlir"  # the fixture with M = K2 = 32: only the batch is run-time
    batch_only.write_text(STATIC_HEADS.read_text().replace("?x?x64", "?x32x64").replace(
        "%init = tensor.empty(%batch, %seq_len)", "%init = tensor.empty(%batch)"))
    assert _shape(batch_only).run_time == (0,)
    assert _shape(batch_only, causal._dims) is None


def test_query_groups_are_not_packed_over_a_run_time_batch():
    """merge_dims reshapes static shapes only: a GQA decode (b, h_kv, g = 4, m = 1) of run-time batch keeps its
    query dims (verify PASS on gfx942, 3 entries drawn: the final code checked; 32 MFMA)."""
    static = AttentionShape((2, 2, 4, 1, 64, 256, 64), (0, 1), (2, 3), (4,), (5,), (6,), "f16")
    run_time = replace(static, sizes=(RUN_TIME_BATCH,) + static.sizes[1:], run_time=(0,))
    packable = Variant(packable=True)
    assert plan_program(static, get_target("gfx942"), None, packable).packed == (2, 2, 4, 64, 256, 64)
    assert plan_program(run_time, get_target("gfx942"), None, packable).packed == run_time.sizes


@pytest.mark.slow
def test_f32_with_run_time_batch_rows_and_keys_is_lowered_with_the_f32_mfma(tmp_path):
    """B=2, M=100 (not a multiple of the 16-row subgroup tile nor the 64-row workgroup), K2=77 (not a multiple of
    the 64-key step): every stage interpreted at those sizes, the final code run lane by lane."""
    sizes = {"0": 2, "1": 100, "2": 2, "3": 77, "4": 2, "5": 77}  # Q (b, m), K (b, k2), V (b, k2)
    report = verify_file(STATIC_HEADS, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", dims=sizes))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    isa = "".join(p.read_text() for p in (tmp_path / "w" / "executables").glob("*.rocmasm"))
    assert isa.count("v_mfma_f32_16x16x4_f32") > 0 and "v_mfma" not in isa.replace("v_mfma_f32_16x16x4_f32", "")


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("program", ["gqa_decode_dynamic_batch.mlir", "gqa_repeated_dynamic_batch.mlir"])
def test_gqa_of_run_time_batch_is_lowered_and_every_stage_verified(program, target, tmp_path):
    """3 batch entries drawn; the tensor stages interpreted too (the bindings IREE reshapes: memref.expand_shape)."""
    report = verify_file(PROGRAMS / program, VerifyOptions(target, "tilefuse", tmp_path / "w", dims={"0": 3, "1": 3,
                                                                                                     "2": 3}))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks  # none unchecked


def test_the_interpreted_all_dynamic_attention_is_numpy_s(tmp_path):
    """The reference verify checks every stage against, at head dim 40, is NumPy's attention (float64): IREE's
    llvm-cpu, which disagrees with both (IREE-CPU-DEFECT in `tilefuse verify`), is IREE's defect."""
    with ir.Context() as ctx:
        ref = program_reference(ALL_DYNAMIC, None, 0, None, ctx, _head_dims(2, 33, 65, 40))
    q, k, v = (np.asarray(x, np.float64) for x in ref.inputs)
    s = np.einsum("bmd,bkd->bmk", q, k) * 0.5
    p = np.exp(s - s.max(-1, keepdims=True))
    assert np.abs((p / p.sum(-1, keepdims=True)) @ v - ref.outputs[0]).max() < 1e-5


def _isa(work: Path) -> str:
    return "".join(p.read_text() for p in (work / "executables").glob("*.rocmasm"))


@pytest.mark.slow
@pytest.mark.parametrize("sizes", [(2, 33, 65, 40), (1, 5, 33, 100)])
def test_run_time_head_dims_are_lowered_with_the_f32_mfma(sizes, tmp_path):
    """Head dims 40 and 100 (neither a multiple of the 16-column N tile nor of K1's bound 128), rows and keys
    not multiples of their tiles: every stage interpreted at those sizes, the final code run lane by lane."""
    report = verify_file(ALL_DYNAMIC, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False,
                                                    dims=_head_dims(*sizes)))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    isa = _isa(tmp_path / "w")
    assert isa.count("v_mfma_f32_16x16x4_f32") > 0 and "v_mfma" not in isa.replace("v_mfma_f32_16x16x4_f32", "")


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("fixture,dims", [
    (ALL_DYNAMIC_F16, _head_dims(2, 33, 65, 40)),
    # 48 static rows: Q (b, k1), K (b, k2, k1), V (b, k2, n)
    (STATIC_ROWS_F16, dict(zip(map(str, range(8)), (2, 24, 2, 70, 24, 2, 70, 24))))])
def test_run_time_head_dims_in_f16_are_lowered_with_mma(fixture, dims, target, tmp_path):
    report = verify_file(fixture, VerifyOptions(target, "tilefuse", tmp_path / "w", cross_check=False, dims=dims))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    (d,) = [d for d in json.loads((tmp_path / "w" / "report.json").read_text())["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["isa"]["mma_ops"] > 0 and d["plan"]["k1_bound"] == RUN_TIME_HEAD


@pytest.mark.slow
def test_unmasked_column_writes_fail_verify(tmp_path, monkeypatch):
    """Negative control: the lanes' writes marked in bounds along the columns (the output's last dim) write the
    padded columns of the last N tile: past N, into the next row's."""
    original = fragments.LaneRewriter.window_rows

    def unmasked(self, layout, out, groups):
        *rest, in_bounds = original(self, layout, out, groups)
        return (*rest, in_bounds[:-1] + [True])

    monkeypatch.setattr(fragments.LaneRewriter, "window_rows", unmasked)
    report = verify_file(ALL_DYNAMIC_F16, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False,
                                                        dims=_head_dims(1, 20, 30, 40)))
    status = {c.stage: c.status for c in report.checks if c.dispatch != "program"}
    assert status["m-tail"] == "ok" and status["thread-distribute"] != "ok" and status["lower"] != "ok", status


@pytest.mark.slow
def test_a_k1_past_its_bound_gives_nan_not_a_wrong_value(tmp_path):
    """K1 = 136 > RUN_TIME_HEAD: the final code's every output is NaN (the running max starts at NaN), never a
    value computed from the first 128 of K1."""
    report = verify_file(ALL_DYNAMIC, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False,
                                                    dims=_head_dims(1, 20, 30, RUN_TIME_HEAD + 8)))
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "MISMATCH" and "never written (or NaN)" in final.reason
    assert final.reason.startswith(f"{1 * 20 * (RUN_TIME_HEAD + 8)} of {1 * 20 * (RUN_TIME_HEAD + 8)}")


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_padded_columns_never_reach_memory(target, tmp_path, monkeypatch):
    """A run-time N alone (K1 = 64, 128 static keys): m-tail's padding of Q's rows and V's columns planted as NaN
    (the accumulator's padded columns are NaN then), and still every stage agrees: none is stored."""
    monkeypatch.setattr(m_tail, "_ROW_FILL", float("nan"))
    dims = dict(zip(map(str, range(5)), (2, 33, 2, 2, 40)))  # Q (b, m), K (b), V (b, n)
    report = verify_file(VALUE_DIM, VerifyOptions(target, "tilefuse", tmp_path / "w", cross_check=False, dims=dims))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    assert "0x7E00" in next((tmp_path / "w" / "stages").glob("*/*-m-tail.mlir")).read_text()  # (f16 NaN)
