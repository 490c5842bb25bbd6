"""A paged decode's per-sequence lengths from a `seq_lens` operand (issue 29, part 2): `tilefuse problem --paged
PAGE --seq-lens` writes the mask a torch export builds from them (key j of row b seen where j < seq_lens[b]); the
reference, the drawn lengths and the refusals of forms not built (design/tilefuse-path.md, "Paged KV")."""

import json
import math
from dataclasses import replace

import iree.compiler.ir as ir
import numpy as np
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers import verify
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.codegen.stage import StageInput
from tilefuse.codegen.stages.seq_lens import mark_seq_lens
from tilefuse.driver.compile import run_stage
from tilefuse.errors import TilefuseError
from tilefuse.target.targets import get_target
from tilefuse.ir import irutil
from tilefuse.ir.attention import attention_shape
from tilefuse.ir.seq_lens import KEY_LENGTHS, length_mask
from tilefuse.problem import AttentionProblem

# 3 sequences of 4 pages of 32 keys: one key, a length not a multiple of the page, the full length
DECODE = AttentionProblem(name="seq_lens_decode", batch=3, heads=4, kv_heads=2, m=1, k2=128, k1=64, paged=32,
                          seq_lens="1,77,128")
# The same lengths in a cache of 32 pages: 8 splits of a K2 loop of 4 pages each (the plan's), so that the last
# sequence reads every page, the second 3 pages of its first split, the first 1 page (every other split empty)
LONG = DECODE.with_(name="seq_lens_long", heads=8, k2=1024, seq_lens="1,77,1024")
# A prefill of 4 subgroups a workgroup sharing K/V pages through workgroup memory (barriers in the K2 loop): every
# subgroup must count the same live pages (verify's race detector); 4 pages of 64 keys, lengths 70 and 200
# The same in pages of 8 keys (fewer than a 16-key MMA step): 8 pages a K2 step, read through the live page table
# (seq-lens: a page past a sequence's end is read as its first page); 77 keys end inside the second step's 2nd page
LONG8 = LONG.with_(name="seq_lens_long_p8", paged=8)
PREFILL = AttentionProblem(name="seq_lens_prefill", batch=2, heads=2, m=128, k2=256, k1=64, paged=64,
                           seq_lens="70,200")


def test_the_program_builds_its_mask_from_the_seq_lens_operand():
    text = DECODE.to_mlir()
    with ir.Context():
        module = ir.Module.parse(text)
    func = module.body.operations[0]
    assert [str(a.type) for a in func.arguments][-1] == "tensor<3xi32>"
    assert "arith.cmpi slt, %key, %len : i32" in text and "affine_map<(d0, d1, d2) -> (d0)>" in text


def test_the_reference_is_the_additive_mask_of_the_lengths():
    inputs = DECODE.random_inputs(0)
    np.testing.assert_array_equal(inputs["seq_lens"], [1, 77, 128])
    keys = np.arange(DECODE.k2)
    mask = np.where(keys[None, None, :] < inputs["seq_lens"][:, None, None], 0.0, -np.inf)  # (b, m, k2)
    masked = DECODE.with_(seq_lens=None, mask="additive")
    for b in range(DECODE.batch):  # each row against the unmasked problem with its own mask (batch 1)
        one = {n: x[b:b + 1] for n, x in inputs.items() if n in ("q", "page_table")}
        one.update(k=inputs["k"], v=inputs["v"], mask=mask[b])
        want = masked.with_(batch=1).reference(one)
        np.testing.assert_array_equal(DECODE.reference(inputs)[b:b + 1], want)


def test_the_first_key_alone_is_its_value_row():
    """seq_lens 1: softmax over one key is 1, the output is V's first row of the sequence's first page."""
    inputs = DECODE.random_inputs(0)
    first_page = inputs["page_table"][0, 0]
    out = DECODE.reference(inputs)  # (b, heads, 1, d)
    for head in range(DECODE.heads):
        np.testing.assert_allclose(out[0, head, 0], inputs["v"][first_page, head // DECODE.group, 0], rtol=1e-3)


def test_a_sequence_of_no_keys_is_nan_in_the_reference_only_in_its_rows():
    inputs = AttentionProblem(**{**DECODE.to_dict(), "seq_lens": "0,77,128"}).random_inputs(0)
    out = DECODE.with_(seq_lens="0,77,128").reference(inputs)
    assert np.isnan(out[0]).all() and not np.isnan(out[1:]).any()


def test_drawn_lengths_are_one_to_k2():
    lengths = DECODE.with_(seq_lens="drawn", batch=64).random_inputs(3)["seq_lens"]
    assert lengths.dtype == np.int32 and lengths.min() >= 1 and lengths.max() <= DECODE.k2
    assert len(set(lengths.tolist())) > 8


@pytest.mark.parametrize("bad", [dict(paged=None), dict(mask="additive"), dict(seq_lens="1,2"),
                                 dict(seq_lens="1,2,129"), dict(seq_lens="a,b,c")])
def test_seq_lens_forms_not_built_are_refused(bad):
    with pytest.raises(TilefuseError, match="seq_lens"):
        DECODE.with_(**bad)


def _attention(text: str, ctx: ir.Context):
    module = ir.Module.parse(text, ctx)
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    return module, op


def test_the_mask_is_proven_the_lengths_of_the_batch_rows():
    with ir.Context() as ctx:
        _module, op = _attention(DECODE.to_mlir(), ctx)
        found = length_mask(op, attention_shape(op))
        assert found is not None and found.batch == 0
        assert isinstance(found.lengths, ir.BlockArgument) and found.lengths.arg_number == 4


@pytest.mark.parametrize("edit", [
    ("arith.cmpi slt, %key, %len", "arith.cmpi sle, %key, %len"),  # key == length seen: one key too many
    ("arith.cmpi slt, %key, %len", "arith.cmpi slt, %len, %key"),  # the other way round
    ("arith.cmpi slt, %key, %len", "arith.cmpi ult, %key, %len"),  # unsigned: a negative length sees every key
    ("%j = linalg.index 2", "%j = linalg.index 1"),                 # a query row, not the key
    ("%bias = arith.select %seen, %zero, %hidden", "%bias = arith.select %seen, %hidden, %zero"),
    ("%zero = arith.constant 0.0", "%zero = arith.constant 1.0"),   # a finite bias on the seen keys
])
def test_anything_but_a_length_mask_is_not_proven(edit):
    text = DECODE.to_mlir()
    assert edit[0] in text
    with ir.Context() as ctx:
        _module, op = _attention(text.replace(*edit), ctx)
        assert length_mask(op, attention_shape(op)) is None


def _boolean(problem: AttentionProblem) -> str:
    """The problem's text with its length mask written as i1 (seen: true), the form of a torch boolean mask."""
    text, f16 = problem.to_mlir(), problem.result_dtype
    mask_t = f"tensor<{problem.batch}x{problem.m}x{problem.k2}x"
    for line in (f"    %zero = arith.constant 0.0 : {f16}\n", f"    %hidden = arith.constant 0xFC00 : {f16}\n",
                 f"    %bias = arith.select %seen, %zero, %hidden : {f16}\n"):
        assert line in text
        text = text.replace(line, "")
    return (text.replace(f"{mask_t}{f16}>", f"{mask_t}i1>").replace(f"%out: {f16}):", "%out: i1):")
            .replace(f"linalg.yield %bias : {f16}", "linalg.yield %seen : i1"))


def test_a_length_extended_to_the_keys_width_is_proven_too():
    """torch compares an i64 arange with i32 lengths sign-extended."""
    text = DECODE.to_mlir().replace("%key = arith.index_cast %j : index to i32",
                                    "%key = arith.index_cast %j : index to i64\n    %long = arith.extsi %len : i32 to i64")
    text = text.replace("arith.cmpi slt, %key, %len : i32", "arith.cmpi slt, %key, %long : i64")
    with ir.Context() as ctx:
        _module, op = _attention(text, ctx)
        assert length_mask(op, attention_shape(op)) is not None


def test_a_boolean_length_mask_is_proven_too():
    with ir.Context() as ctx:
        _module, op = _attention(_boolean(DECODE), ctx)
        assert length_mask(op, attention_shape(op)) is not None


def test_an_additive_mask_operand_is_no_length_mask():
    with ir.Context() as ctx:
        _module, op = _attention(DECODE.with_(seq_lens=None, mask="additive").to_mlir(), ctx)
        assert length_mask(op, attention_shape(op)) is None


def test_the_program_stage_marks_a_paged_length_mask_only():
    gfx942 = get_target("gfx942")
    for problem, marked in ((DECODE, True), (DECODE.with_(seq_lens=None, mask="additive"), False)):
        with ir.Context() as ctx:
            module, op = _attention(problem.to_mlir(), ctx)
            result = mark_seq_lens(module, StageInput(gfx942, session=None))
            (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
            assert (KEY_LENGTHS in op.attributes) == marked and bool(result.changes) == marked


def _program(text: str, target: str = "gfx942") -> str:
    """The program `text` after the tilefuse path's program stages, each run as `compile` runs it."""
    for stage in TILEFUSE.program_stages:
        text = run_stage(text, target, "tilefuse", stage.name)
    return text


def test_the_mask_is_computed_in_the_attentions_dispatch_region():
    """seq-lens-mask: the program builds no mask outside the attention's dispatch (IREE gave the mask generic a
    dispatch of its own); in the region, one generic of the attention's (batch, split, page, key) mask shape from
    the lengths, the attention, and the split's P/L generic; the program still computes the reference."""
    from tilefuse.interp.program import Program

    problem = LONG.with_(seq_lens="0,77,1000")  # an empty sequence, a length inside a page, one inside a split
    with ir.Context() as ctx:
        module = ir.Module.parse(_program(problem.to_mlir()), ctx)
        (region,) = irutil.ops_named(module, "flow.dispatch.region")
        inside = [o.operation.name for o in region.regions[0].blocks[0].operations]
        assert inside == ["linalg.generic", "iree_linalg_ext.online_attention", "linalg.generic", "flow.return"]
        mask = region.regions[0].blocks[0].operations[0]
        lengths = mask.operands[0]
        assert isinstance(lengths, ir.BlockArgument) and lengths.arg_number == 4  # seq_lens itself
        assert mask.results[0].type == irutil.ops_named(module, "iree_linalg_ext.online_attention")[0].operands[4].type
        outside = [o for o in irutil.ops_named(module, "linalg.generic") if o.parent.name != "flow.dispatch.region"]
        assert not any(lengths in list(o.operands) for o in outside)  # nothing else reads the lengths
        inputs = problem.random_inputs(0)
        (got,) = Program(module).call("attention", list(inputs.values()))
    want = problem.reference(inputs)
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), atol=2e-3, rtol=2e-3)


def test_a_mask_not_proven_lengths_stays_out_of_the_region():
    """An additive mask operand (no lengths proven, nothing marked) is left as it was: no region."""
    text = _program(DECODE.with_(seq_lens=None, mask="additive").to_mlir())
    assert "flow.dispatch.region" not in text


def test_an_attention_with_an_epilogue_after_a_reshape_keeps_its_mask_dispatch():
    """An elementwise consumer behind a reshape, which IREE fuses into the attention's dispatch, would form a
    dispatch of its own out of a given region: seq-lens-mask leaves such an attention as it was."""
    text = PREFILL.to_mlir()
    ret = "  return %15 : tensor<2x2x128x64xf16>\n"
    assert ret in text
    epilogue = """  %flat = tensor.collapse_shape %15 [[0], [1, 2], [3]] : tensor<2x2x128x64xf16> into tensor<2x256x64xf16>
  %e = tensor.empty() : tensor<2x256x64xf16>
  %twice = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>],
      iterator_types = ["parallel", "parallel", "parallel"]} ins(%flat : tensor<2x256x64xf16>) outs(%e : tensor<2x256x64xf16>) {
  ^bb0(%x: f16, %o: f16):
    %y = arith.addf %x, %x : f16
    linalg.yield %y : f16
  } -> tensor<2x256x64xf16>
  return %twice : tensor<2x256x64xf16>
"""
    text = text.replace(ret, epilogue).replace("-> tensor<2x2x128x64xf16> {", "-> tensor<2x256x64xf16> {", 1)
    staged = _program(text)
    assert KEY_LENGTHS in staged and "flow.dispatch.region" not in staged


def _attention_dispatch(report_dir) -> tuple[dict, dict[str, str]]:
    """The attention dispatch's report and its stage snapshots' text, by stage."""
    compiled = json.loads((report_dir / "report.json").read_text())
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    return attention, {s["name"]: (report_dir / s["snapshot"]).read_text() for s in attention["stages"]}


def _verified_with_mma(problem: AttentionProblem, target: str, tmp_path):
    """verify's report of `problem` on `target` (every check ok), its attention dispatch's report (lowered by the
    path with MMA) and stage snapshots."""
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    attention, snapshots = _attention_dispatch(tmp_path / "w")
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    return report, attention, snapshots


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", [LONG, PREFILL], ids=lambda p: p.name)
def test_each_workgroup_reads_its_live_pages_and_every_stage_is_right(problem, target, tmp_path):
    report, attention, snapshots = _verified_with_mma(problem, target, tmp_path)
    # the live pages counted (a loop of one index), the K2 loop's end then a run-time value, no more the 4 pages
    assert "-> (index)" not in snapshots["k2-tail"] and snapshots["seq-lens-bound"].count("-> (index)") == 1
    assert [c.stage for c in report.checks if c.dispatch == attention["name"]] == ["input", *TILEFUSE.stage_names()]
    if problem is LONG:  # the decode's (b, 1, k2) mask reaches the attention as a view, not broadcast over the group
        compiled = json.loads((tmp_path / "w" / "report.json").read_text())
        (packed,) = [s["changes"] for s in compiled["program_stages"] if s["name"] == "pack-query-groups"]
        assert packed == [{"query_dims": [4, 1], "packed_rows": 4, "mask": "unit query dims dropped"}]
        # the attention (its mask computed in it: seq-lens-mask), the combine: no dispatch writes the mask
        assert [d["has_attention"] for d in compiled["dispatches"]] == [True, False]


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_pages_of_fewer_keys_than_an_mma_step_are_read_several_a_step_through_a_live_table(target, tmp_path):
    """Pages of 8 under seq_lens (refused before): several a K2 step with MMA, the gathers reading the live page
    table the program computes (its own small dispatch before the attention's), every stage right at lengths 1,
    77 (mid-page) and 128 (full)."""
    _report, attention, _snapshots = _verified_with_mma(DECODE.with_(name="seq_lens_decode_p8", paged=8), target,
                                                        tmp_path)
    assert attention["plan"]["pages_per_step"] > 1
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    (seq_lens,) = [s["changes"] for s in compiled["program_stages"] if s["name"] == "seq-lens"]
    assert seq_lens == [{"key_lengths": True, "live_pages": True}]
    assert [d["has_attention"] for d in compiled["dispatches"]] == [False, True, False]  # table, attention, combine


# Fewer query rows than the subgroup tile (m-tail pads them in the kernel) with an odd page count the plan leaves
# unsplit, so the mask seq-lens-mask computes in the dispatch reaches m-tail (crashed in thread-distribute: fuzz
# seeds 707, 562); lengths 1, mid-page and full; the page count static, or known at run time (the mask's init then
# has a run-time size m-tail keeps).
SHORT_ROWS = [AttentionProblem(name=f"seq_lens_m{m}_p{pages}{'_rt' if dynamic else ''}", batch=3, heads=1, m=m,
                               k2=32 * pages, k1=64, paged=32, seq_lens=f"1,45,{32 * pages}", dynamic=dynamic)
              for m, pages, dynamic in ((3, 5, None), (2, 3, None), (3, 5, "k2"))]


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", SHORT_ROWS, ids=lambda p: p.name)
def test_fewer_rows_than_a_tile_compute_their_mask_over_the_tile(problem, target, tmp_path):
    _report, _attention, snapshots = _verified_with_mma(problem, target, tmp_path)
    compiled = json.loads((tmp_path / "w" / "report.json").read_text())
    # no dispatch writes the mask (computed in the attention's); a run-time page count is split: its combine
    assert [d["has_attention"] for d in compiled["dispatches"]] == [True] + [False] * bool(problem.dynamic)
    assert f"tensor<1x{problem.m}x" not in snapshots["m-tail"]  # the mask computed over the tile, not padded


@pytest.mark.slow
def test_a_mask_of_a_run_time_page_count_is_read_whole_by_the_live_page_count(tmp_path):
    """An fp8 cache's seq_lens decode of a run-time page count (fuzz seed 562 case 0): its mask a binding of run-time
    pages (`tensor<2x?x16xbf16>`), which the live-page count reads a scalar of a step; the lane stage's whole slice
    of it takes its run-time size (was built static: an invalid extract_slice)."""
    problem = AttentionProblem(name="seq_lens_fp8_rt", heads=2, kv_heads=1, m=2, k2=112, k1=112, dtype="bf16",
                               kv_dtype="f8E5M2FNUZ", dynamic="k2", paged=16, seq_lens="45")
    _verified_with_mma(problem, "gfx942", tmp_path)


@pytest.mark.slow
def test_a_boolean_length_mask_bounds_the_loop_on_its_i8_storage(tmp_path):
    """IREE stores an i1 mask as i8 in the dispatch: a step's first key is seen where it is not 0."""
    src = tmp_path / "bool.mlir"
    src.write_text(_boolean(LONG))
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    _attention_report, snapshots = _attention_dispatch(tmp_path / "w")
    assert "arith.cmpi ne" in snapshots["seq-lens-bound"] and snapshots["seq-lens-bound"].count("-> (index)") == 1


@pytest.mark.slow
@pytest.mark.parametrize("problem", [LONG, DECODE, LONG8], ids=lambda p: p.name)
def test_pages_past_the_end_are_never_read(problem, tmp_path, monkeypatch):
    """NaN planted in every pool page no sequence reads before its end (the pages past each length, the pages of
    no sequence), checked against the answer on clean pages: the stages that read every page give NaN (the planted
    pages are read: a negative control), every stage from seq-lens-bound on gives the clean answer. DECODE's
    splits are one page each (no K2 loop: seq-lens-bound gives the one step a loop of one trip or none); its
    lengths 1 and 77 end inside a page, whose keys past the end are still masked. LONG8's pages of 8 are read 8 a
    step: its dispatch reads the live page table the program computes (no entry a page past the end), so no stage
    reads a planted page, the dispatch's input included."""
    original = verify.program_reference

    def planted(converted, problem, *args, **kwargs):
        clean = original(converted, problem, *args, **kwargs)
        inputs = dict(zip(problem.shapes(), (x.copy() for x in clean.inputs)))
        live = {int(page) for b, length in enumerate(inputs["seq_lens"])
                for page in inputs["page_table"][b, :math.ceil(length / problem.paged)]}
        dead = [p for p in range(problem.pool_pages) if p not in live]
        inputs["k"][dead] = inputs["v"][dead] = np.nan
        return replace(clean, inputs=list(inputs.values()))

    monkeypatch.setattr(verify, "program_reference", planted)
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False))
    status = {c.stage: c.status for c in report.checks if c.dispatch != "program"}
    stages = TILEFUSE.stage_names()
    checked = ["input", *stages]
    clean = 0 if problem is LONG8 else checked.index("seq-lens-bound")  # the first check reading no planted page
    assert all(status[s] == "MISMATCH" for s in checked[:clean]), status
    assert all(status[s] == "ok" for s in checked[clean:]), status


@pytest.mark.slow
def test_a_sequence_of_no_keys_is_nan_where_the_reference_is_and_nowhere_else(tmp_path):
    """seq_lens 0: every split of its row empty (no page read), the combine's 0 / 0 is its rows' NaN, as the
    reference's softmax of no key; the other sequences' rows are right."""
    problem = LONG.with_(seq_lens="0,77,1024")
    src = tmp_path / "zero.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions("gfx942", "tilefuse", tmp_path / "w", cross_check=False))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    nan_rows = problem.heads * problem.nv  # the first sequence's outputs
    final = [c for c in report.checks if c.stage == "lower"][0]
    assert final.reason == f"{nan_rows} of {problem.batch * nan_rows} output elements never written (or NaN)"
