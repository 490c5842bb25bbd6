"""A paged KV cache of run-time page count (issue 29): `tilefuse problem --paged P --dynamic k2` writes the page
table `tensor<Bx?xi64>` (the form serving code emits for a decode whose cache grows by pages); the plan splits it
as the nominal run-time keys, split-k2 cuts the table into ranges of whole pages, each range's K/V gathered through
its slice of the table inside IREE's split-reduction forall, and each range's K2 loop steps one page at a time up
to its run-time page count (design/tilefuse-path.md, "Paged KV", "Pages of run-time count")."""

import json

import iree.compiler.ir as ir
import numpy as np
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers.simt.machine import _kept_dims
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.page_table import live_pages
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.codegen.plan import Variant, plan_program
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.errors import TilefuseError, Unsupported
from tilefuse.interp.program import Program
from tilefuse.ir import irutil
from tilefuse.ir.attention import attention_shape
from tilefuse.ir.seq_lens import length_mask
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target

# A GQA decode over 5 pages of 16 keys (an odd count: most of the 32 ranges hold no page), and the same batch-2
# decode under seq_lens in pages of 32 (9 pages, lengths ending mid-page and in the first page).
DECODE = AttentionProblem(name="rt_paged_decode", heads=4, kv_heads=2, m=1, k2=80, k1=64, paged=16, dynamic="k2")
SEQ_LENS = AttentionProblem(name="rt_paged_seq_lens", batch=2, heads=4, kv_heads=2, m=1, k2=288, k1=64, paged=32,
                            dynamic="k2", seq_lens="200,17")


def _attention(problem: AttentionProblem, ctx: ir.Context) -> tuple[ir.Module, ir.Operation]:
    module = ir.Module.parse(problem.to_mlir(), ctx)
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    return module, op


def test_the_page_table_is_of_run_time_length_and_the_pools_are_not():
    assert DECODE.ir_shapes() == {"q": [1, 4, 1, 64], "k": [10, 2, 16, 64], "v": [10, 2, 16, 64],
                                  "page_table": [1, None]}
    text = DECODE.to_mlir()
    assert "%page_table: tensor<1x?xi64>" in text and "tensor<1x?x2x16x64xf16>" in text
    # the seq_lens mask's keys: the pages times the page
    assert "arith.muli %pages" in SEQ_LENS.to_mlir()
    # verify --dim reads the keys from the page table's length (pages x page); only the header's count, which
    # sizes the pools, is verified
    assert DECODE.at_shapes(list(map(tuple, DECODE.shapes().values()))) == DECODE
    with pytest.raises(TilefuseError, match="pools are sized by it"):
        DECODE.at_shapes([(1, 4, 1, 64), (10, 2, 16, 64), (10, 2, 16, 64), (1, 7)])
    # the reference is the static problem's (the sizes verify runs it at are the header's)
    inputs = DECODE.random_inputs(3)
    np.testing.assert_array_equal(DECODE.reference(inputs), DECODE.with_(dynamic=None).reference(inputs))


def test_a_run_time_page_count_is_split_as_the_nominal_keys_in_whole_pages():
    """The split of the nominal run-time keys (each range whole pages); pages holding no whole MMA step are read
    several a step (k2-tail masks the last step's missing pages), but under the sequences' lengths refused by name
    (k2-tail does not merge its mask of the pages with a mask of the attention's own)."""
    gfx942 = get_target("gfx942")
    with ir.Context() as ctx:
        _module, op = _attention(DECODE, ctx)
        shape = attention_shape(op)
        _unpaged, unpaged_op = _attention(DECODE.with_(paged=None), ctx)
        nominal = plan_program(attention_shape(unpaged_op), gfx942, None, Variant(packable=True))
        plan = plan_program(shape, gfx942, None, Variant(packable=True, page=16))
        assert plan.k2_splits == nominal.k2_splits > 1
        _module8, op8 = _attention(DECODE.with_(k2=40, paged=8), ctx)
        assert plan_program(attention_shape(op8), gfx942, None, Variant(packable=True, page=8)).k2_splits > 1
        with pytest.raises(Unsupported, match="run-time page count under a mask: pages of 8 keys"):
            plan_program(attention_shape(op8), gfx942, None, Variant(packable=True, page=8, lengths=True))


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", [DECODE, SEQ_LENS], ids=lambda p: p.name)
def test_a_run_time_page_count_is_lowered_with_mma_in_ranges_of_pages_and_every_stage_is_right(problem, target,
                                                                                              tmp_path):
    src = tmp_path / f"{problem.name}.mlir"
    src.write_text(problem.to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "t.vmfb", tmp_path / "t"))
    assert report.ok, report.error
    compiled = json.loads((tmp_path / "t" / "report.json").read_text())
    sources = (tmp_path / "t" / "sources.mlir").read_text()
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    assert len(compiled["dispatches"]) == 2  # the ranges' attention, the combine
    plan = attention["plan"]
    assert plan["k2_splits"] > 1 and plan["pages_per_step"] == 1
    # the gathers sit in the attention's dispatch: no dispatch copies the gathered K/V out
    executables = sources.split("hal.executable private @")[1:]
    with_gathers = [e for e in executables if "iree_linalg_ext.gather" in e]
    assert len(with_gathers) == 1 and with_gathers[0].startswith(attention["name"] + " ")
    verified = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert verified.ok and all(c.status == "ok" for c in verified.checks), verified.checks
    assert [c.stage for c in verified.checks if c.dispatch == attention["name"]] == ["input",
                                                                                   *TILEFUSE.stage_names()]


# Pages of 8 keys of a run-time count (fewer than a 16-key MMA step): 25 pages in 2 ranges of 13 and 12 pages, each
# K2 step 8 pages, each range's last step a partial one of 5 or 4 pages.
P8 = AttentionProblem(name="rt_paged_p8", batch=2, heads=8, kv_heads=2, m=1, k2=200, k1=64, paged=8, dynamic="k2")
SPLIT_IN_TWO = {"tiling": {"k2_splits": 2}}
FP8_CACHE = {"gfx942": "f8E4M3FNUZ", "sm_80": "f8E4M3FN"}  # each target's fp8 format


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("fp8", [False, True], ids=["f16", "fp8"])
def test_a_run_time_count_of_small_pages_steps_several_its_last_step_masked_and_every_stage_is_right(fp8, target,
                                                                                                    tmp_path):
    """fp8 pages: widen-kv's extension made again over the padded step's gathers."""
    problem = P8.with_(name="rt_paged_p8_fp8", kv_dtype=FP8_CACHE[target]) if fp8 else P8
    src = tmp_path / f"{problem.name}.mlir"
    src.write_text(problem.to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "t.vmfb", tmp_path / "t",
                                              config_overrides=SPLIT_IN_TWO))
    assert report.ok, report.error
    compiled = json.loads((tmp_path / "t" / "report.json").read_text())
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    assert attention["plan"]["k2_splits"] == 2 and attention["plan"]["pages_per_step"] == 8
    verified = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w", config_overrides=SPLIT_IN_TWO))
    assert verified.ok and all(c.status == "ok" for c in verified.checks), verified.checks
    assert [c.stage for c in verified.checks if c.dispatch == attention["name"]] == ["input",
                                                                                   *TILEFUSE.stage_names()]


def test_a_run_time_count_of_small_pages_under_a_mask_is_refused_by_name(tmp_path):
    """k2-tail masks a partial step of pages only where the attention has no mask of its own (an additive one)."""
    src = tmp_path / "masked.mlir"
    src.write_text(P8.with_(name="rt_paged_p8_masked", mask="additive").to_mlir())
    report = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "t.vmfb", tmp_path / "t"))
    assert not report.ok and "run-time page count under a mask: pages of 8 keys" in report.error


def test_the_simt_machine_keeps_the_run_time_dim_of_a_page_table_range():
    """A range's slice of a (1, pages) table as IREE writes it: `subview [0, first] [1, count]` to `memref<?xi64>`;
    at one page (count 1, or 0 past the end) the unit batch dim is the dropped one, by the static sizes."""
    with ir.Context():
        result = ir.MemRefType.parse("memref<?xi64, strided<[1], offset: ?>>")
        for count in (0, 1, 5):
            assert _kept_dims([1, count], [1, 1], result, [1, irutil.DYNAMIC]) == [1]


def test_the_tensor_interpreter_delinearizes_a_page_and_its_step():
    """Pages of 128 keys stepped 64 at a time: reduction-tile's loop index split into (page, step) by
    affine.delinearize_index with a run-time page count, which the tensor interpreter (each stage's check) runs as
    the SIMT machine does."""
    text = """
    func.func @main(%i: index, %pages: index) -> (index, index, index) {
      %p:2 = affine.delinearize_index %i into (%pages, 2) : index, index
      %l = affine.linearize_index [%p#0, %p#1] by (%pages, 2) : index
      return %p#0, %p#1, %l : index, index, index
    }"""
    program = Program(ir.Module.parse(text, ir.Context()))
    assert [int(x) for x in program.call(program.entry(), [np.int64(7), np.int64(5)])] == [3, 1, 7]


def test_a_page_table_of_run_time_length_is_not_made_live():
    """seq_lens over pages of 8 keys (several a step) makes the table live (codegen/page_table.py); over a table of
    run-time length that is not built: it is left as it is (configure then refuses the pages by name)."""
    problem = AttentionProblem(name="rt_paged_p8", heads=4, kv_heads=2, m=1, k2=40, k1=64, paged=8, dynamic="k2",
                               seq_lens="30")
    with ir.Context() as ctx:
        module, op = _attention(problem, ctx)
        shape = attention_shape(op)
        lengths = length_mask(op, shape)
        assert lengths is not None and not live_pages(op, lengths)
        gathers = irutil.ops_named(module, "iree_linalg_ext.gather")
        assert len(gathers) == 2 and all(isinstance(g.operands[1], ir.BlockArgument) for g in gathers)
