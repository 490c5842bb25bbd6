"""A paged KV cache (issue 29, part 2): `tilefuse problem --paged` writes K/V gathered from page pools through a
shuffled page table; the plan splits a paged decode in whole pages, page-kv has the attention read its pages through
its maps (keys (pages, page)), so IREE fuses the gathers into the attention's dispatch, whose K2 loop steps a page at
a time through the table, lowered with MMA (design/tilefuse-path.md, "Paged KV")."""

import json

import iree.compiler.ir as ir
import numpy as np
import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.heuristics import page_keys_multiple, pages_per_step
from tilefuse.codegen.plan import Variant, plan_program
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.driver.compile import CompileOptions, compile_file, run_stage
from tilefuse.errors import TilefuseError, Unsupported
from tilefuse.ir import irutil
from tilefuse.ir.attention import attention_shape
from tilefuse.interp.program import Program
from tilefuse.ir.paged import page_size
from tilefuse.perf.work import global_bytes
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target

# A GQA decode (4 query heads per KV head) over 32 pages of 32 keys (8 splits of 4 pages), and a short prefill over
# 2 pages of 64 keys with an additive (per-sequence length) mask.
DECODE = AttentionProblem(name="paged_decode", heads=8, kv_heads=2, m=1, k2=1024, k1=64, paged=32)
PREFILL = AttentionProblem(name="paged_prefill", batch=2, heads=4, kv_heads=2, m=64, k2=128, k1=64, paged=64,
                           mask="additive")
# The same in pages of 8 keys, fewer than one 16-key MMA step: a K2 step reads 8 of them through the table.
DECODE8 = DECODE.with_(name="paged_decode_p8", paged=8)
PREFILL8 = PREFILL.with_(name="paged_prefill_p8", paged=8)


def _attention(problem: AttentionProblem, ctx: ir.Context) -> tuple[ir.Module, ir.Operation]:
    """The problem's module (kept: its ops live as long as it does) and its attention op."""
    module = ir.Module.parse(problem.to_mlir(), ctx)
    (op,) = irutil.ops_named(module, "iree_linalg_ext.attention")
    return module, op


def test_the_page_table_is_a_shuffle_of_distinct_pool_pages():
    inputs = PREFILL.random_inputs(0)
    table = inputs["page_table"]
    assert table.shape == (2, 2) and table.dtype == np.int64
    assert len(set(table.ravel())) == table.size and table.max() < PREFILL.pool_pages
    assert not np.array_equal(table.ravel(), np.arange(table.size))  # seed 0 shuffles


def test_the_reference_reads_each_sequence_through_its_page_table():
    """The paged reference equals the unpaged one on K/V laid out from the pages the table names, and a
    different table changes it (it does read through the table)."""
    inputs = PREFILL.random_inputs(0)
    flat = {}
    for name in "kv":
        pool, out = inputs[name], np.zeros((PREFILL.batch, PREFILL.hkv, PREFILL.k2, PREFILL.k1), np.float32)
        for b, pages in enumerate(inputs["page_table"]):
            for h in range(PREFILL.hkv):
                out[b, h] = np.concatenate([pool[page, h] for page in pages])  # key j: page j // 64, row j % 64
        flat[name] = out
    unpaged = PREFILL.with_(paged=None)
    expected = unpaged.reference({**inputs, **flat})
    np.testing.assert_array_equal(PREFILL.reference(inputs), expected)
    swapped = {**inputs, "page_table": inputs["page_table"][:, ::-1].copy()}
    assert not np.array_equal(PREFILL.reference(swapped), expected)


@pytest.mark.parametrize("bad", [dict(paged=48), dict(paged=32, layout="3d"), dict(paged=32, mask="causal"),
                                 dict(paged=32, dynamic="m,k2"), dict(paged=32, dynamic="m")])
def test_paged_problems_refuse_what_is_not_built(bad):
    with pytest.raises(TilefuseError, match="paged"):
        AttentionProblem(m=1, k2=128, **bad)


def test_the_page_size_is_read_from_the_gather_transpose_collapse_chain():
    with ir.Context() as ctx:
        _module, op = _attention(DECODE, ctx)
        assert page_size(op, attention_shape(op)) == 32
        _unpaged, op = _attention(DECODE.with_(paged=None), ctx)
        assert page_size(op, attention_shape(op)) is None


def test_the_plan_splits_a_paged_attention_in_whole_pages():
    """The decode heuristic's split, cut to the most splits up to it that divide the pages (into whole MMA steps
    of keys: pages of 8 keys two at a time); a prefill is not split; a user's split that cuts a page is refused;
    pages that hold no whole MMA step in any number are padded by pages of the page table."""
    gfx942 = get_target("gfx942")
    with ir.Context() as ctx:
        _decode, op = _attention(DECODE, ctx)
        decode = attention_shape(op)
        _short, op = _attention(DECODE.with_(k2=128), ctx)
        short = attention_shape(op)
        _prefill, op = _attention(PREFILL, ctx)
        prefill = attention_shape(op)
        assert plan_program(decode, gfx942, None, Variant(packable=True, page=32)).k2_splits == 8  # 4 pages each
        # 128 keys: the heuristic's 8 splits of one 16-key MMA step would cut the 32-key pages: 4 of one page
        assert plan_program(short, gfx942, None, Variant(packable=True)).k2_splits == 8
        assert plan_program(short, gfx942, None, Variant(packable=True, page=32)).k2_splits == 4
        assert plan_program(prefill, gfx942, None, Variant(page=64)).k2_splits is None
        assert plan_program(prefill, gfx942, None, Variant(page=8)).k2_splits is None
        # 128 keys in pages of 8: 16 pages; the heuristic's 8 splits of 2 pages (16 keys, one MMA step) each
        assert plan_program(short, gfx942, None, Variant(packable=True, page=8)).k2_splits == 8
        # seq_lens: pages of 8 split as without (several a step: the seq-lens stage made the page table live)
        assert plan_program(short, gfx942, None, Variant(packable=True, page=8, lengths=True)).k2_splits == 8
        # head dims padded in the program (d=72): IREE copies the gathered K/V out, the dispatch reads plain keys:
        # planned (split) as keys, as configure then plans the dispatch
        _d72, op = _attention(DECODE.with_(k1=72), ctx)
        d72 = attention_shape(op)
        assert plan_program(d72, gfx942, None, Variant(packable=True, page=32)).k2_splits \
            == plan_program(d72, gfx942, None, Variant(packable=True)).k2_splits
        _odd, op = _attention(DECODE.with_(k2=200, paged=8), ctx)
        with pytest.raises(Unsupported, match="not padded"):  # an odd count under seq_lens: not padded
            plan_program(attention_shape(op), gfx942, None, Variant(packable=True, page=8, lengths=True))
        # 5 pages of 24 keys hold no whole 16-key MMA step (2 do): padded by a page of the page table to 6 (whole
        # 48-key steps); 25 pages of 8 keys to 32 (whole 64-key steps of 8 pages), split in whole pages
        _odd, op = _attention(PREFILL.with_(k2=120, paged=24), ctx)
        odd = attention_shape(op)
        assert plan_program(odd, gfx942, None, Variant(page=24)).padded[odd.k2[0]] == 144
        _odd, op = _attention(DECODE.with_(k2=200, paged=8), ctx)
        odd = attention_shape(op)
        plan = plan_program(odd, gfx942, None, Variant(packable=True, page=8))
        assert plan.padded[-2] == 256 and 32 // plan.k2_splits % 2 == 0  # (K2 the packed shape's last but one)
        with pytest.raises(TilefuseError, match="into whole pages"):
            plan_program(decode, gfx942, {"tiling": {"k2_splits": 3}}, Variant(packable=True, page=32))


@pytest.mark.parametrize("page, pages, step, expected", [
    (8, 64, 64, 8), (16, 64, 64, 4), (32, 64, 64, 2), (64, 64, 64, 1), (128, 8, 64, 1),  # up to the step's keys
    (8, 6, 64, 6), (8, 2, 64, 2), (24, 4, 64, 2), (8, 3, 64, None), (24, 5, 64, None)])  # whole MMA steps (16)
def test_a_k2_step_reads_whole_pages_of_whole_mma_steps(page, pages, step, expected):
    assert pages_per_step(page, pages, step, 16) == expected


@pytest.mark.parametrize("page, expected", [(16, 1), (32, 1), (64, 1), (8, 8), (24, 2)])
def test_under_seq_lens_a_k2_step_reads_one_page_of_whole_mma_steps(page, expected):
    """A step of several pages would read the pages past a sequence's end in its last live step; pages of fewer
    keys than an MMA step are read several a step through the live page table (codegen/page_table.py)."""
    assert pages_per_step(page, 64, 64, 16, lengths=True) == expected


# The serving decode of issue 29: 32 / 8 heads, d=128, 4096 keys in pages of 16, batch 1
SERVING = AttentionProblem(name="serving_decode", heads=32, kv_heads=8, m=1, k2=4096, k1=128, paged=16)


def test_the_split_count_weighs_the_pages_a_step():
    """The split count weighs a split's chain of K2 steps (heuristics.k2_splits): plain pages of 16 are read 4 a
    step (64 keys: 32 splits on MI300X), under seq_lens one a step (16 keys, each a round trip: 64 splits, 4 pages
    each), as the split dispatch's configure plans them again (else: 'split-k2 and configure disagree')."""
    gfx942 = get_target("gfx942")
    with ir.Context() as ctx:
        _module, op = _attention(SERVING, ctx)
        shape = attention_shape(op)
        assert plan_program(shape, gfx942, None, Variant(packable=True, page=16)).k2_splits == 32
        assert plan_program(shape, gfx942, None, Variant(packable=True, page=16, lengths=True)).k2_splits == 64


@pytest.mark.slow
@pytest.mark.parametrize("target,splits", [("gfx942", 64), ("sm_80", 32)])
def test_configure_plans_a_seq_lens_split_as_split_k2_did(target, splits, tmp_path):
    compiled, _sources = _compile(SERVING.with_(seq_lens="77"), target, tmp_path)
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["plan"]["k2_splits"] == splits and attention["plan"]["pages_per_step"] == 1


def test_a_page_pool_read_by_gathers_counts_the_pages_read():
    """The estimate's bytes: a pool of 8 pages of which a gather reads 2 counts 2 pages, not 8."""
    text = """
    func.func @f(%pool_buffer: memref<8x16x64xf16>, %table_buffer: memref<2xi64>) -> tensor<2x16x64xf16> {
      %pool = iree_codegen.load_from_buffer %pool_buffer : memref<8x16x64xf16> -> tensor<8x16x64xf16>
      %table = iree_codegen.load_from_buffer %table_buffer : memref<2xi64> -> tensor<2xi64>
      %e = tensor.empty() : tensor<2x16x64xf16>
      %g = iree_linalg_ext.gather dimension_map = [0] ins(%pool, %table : tensor<8x16x64xf16>, tensor<2xi64>)
             outs(%e : tensor<2x16x64xf16>) -> tensor<2x16x64xf16>
      return %g : tensor<2x16x64xf16>
    }"""
    with ir.Context() as ctx:
        module = ir.Module.parse(text, ctx)
        assert global_bytes(module) == 2 * 16 * 64 * 2 + 2 * 8


def _compile(problem, target, tmp_path, path="tilefuse"):
    src = tmp_path / f"{problem.name}.mlir"
    src.write_text(problem.to_mlir())
    report = compile_file(src, CompileOptions(target, path, tmp_path / f"{path}.vmfb", tmp_path / path))
    assert report.ok, report.error
    return json.loads((tmp_path / path / "report.json").read_text()), (tmp_path / path / "sources.mlir").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", [DECODE, PREFILL, DECODE8, PREFILL8], ids=lambda p: p.name)
def test_a_paged_attention_is_lowered_with_mma_its_gather_fused_and_every_stage_is_right(problem, target, tmp_path):
    compiled, sources = _compile(problem, target, tmp_path)
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    # The K2 loop steps whole pages: the keys are (pages, page), the pages tiled by the plan's pages a step (the
    # heuristic's 64 keys, or a split's keys where fewer), the page whole
    plan = attention["plan"]
    reduction = plan["config"]["tiling"]["reduction"]
    assert plan["pages_per_step"] * problem.paged == min(64, problem.k2 // (plan["k2_splits"] or 1))
    # (a split of one page: IREE drops the unit pages dim, the page is the loop's one step)
    assert [t for t in reduction if t] in ([plan["pages_per_step"], problem.paged], [problem.paged])
    page_dim = max(d for d, t in enumerate(reduction) if t)  # the page: the keys' inner dim
    assert reduction[page_dim] == plan["sizes"][page_dim] == problem.paged
    # The gathers sit in the attention's dispatch (no dispatch copies the gathered K/V out)
    executables = sources.split("hal.executable private @")[1:]
    with_gathers = [e for e in executables if "iree_linalg_ext.gather" in e]
    assert len(with_gathers) == 1 and with_gathers[0].startswith(attention["name"] + " ")
    report = verify_file(tmp_path / f"{problem.name}.mlir", VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks
    assert [c.stage for c in report.checks if c.dispatch == attention["name"]] == ["input", *TILEFUSE.stage_names()]


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_an_odd_count_of_small_pages_is_padded_in_the_page_table_and_its_gathers_stay_fused(target, tmp_path):
    """5 pages of 8 keys (no whole 16-key MMA steps) under an additive mask: the page table grows to whole steps of
    pages (entries of pages the row reads anyway); no dispatch copies the gathered K/V out (a pad of the keys did:
    two dispatches of the whole K/V), only the table's few ints are a dispatch; every stage verified."""
    problem = DECODE8.with_(name="paged_decode_p8_odd", batch=2, heads=4, kv_heads=1, k2=40, mask="additive")
    compiled, sources = _compile(problem, target, tmp_path)
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    plan = attention["plan"]  # 6 pages (48 keys: whole 16-key steps), in 3 splits of one step of 2 pages
    assert plan["k2_splits"] * plan["pages_per_step"] * problem.paged == 48
    executables = sources.split("hal.executable private @")[1:]
    with_gathers = [e for e in executables if "iree_linalg_ext.gather" in e]
    assert len(with_gathers) == 1 and with_gathers[0].startswith(attention["name"] + " ")
    assert not [e for e in executables if "slow_memcpy" in e]
    report = verify_file(tmp_path / f"{problem.name}.mlir", VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks


@pytest.mark.slow
@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_a_paged_cache_of_padded_head_dims_is_split_as_keys_and_every_stage_is_right(target, tmp_path):
    """d=72 (padded to 80 in the program, IREE copies the gathered K/V out of the attention's dispatch): the
    program stages split it as the plain keys configure then sees (it was split in whole pages, 8, where configure
    planned 16: refused as split-k2 and configure disagreeing)."""
    problem = AttentionProblem(name="paged_d72", batch=2, heads=4, kv_heads=2, m=1, k2=256, k1=72, paged=32)
    compiled, _sources = _compile(problem, target, tmp_path)
    (attention,) = [d for d in compiled["dispatches"] if d["has_attention"]]
    assert attention["lowered_by"] == "path" and attention["isa"]["mma_ops"] > 0
    report = verify_file(tmp_path / f"{problem.name}.mlir", VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert report.ok and all(c.status == "ok" for c in report.checks), report.checks


@pytest.mark.parametrize("k1, table_padded", [(64, True), (72, False)])
def test_pad_to_tiles_pads_the_page_table_only_where_the_gathers_stay_the_attentions(k1, table_padded):
    """5 pages of 24 keys padded to 6: through the page table at d=64; at d=72 the head dims' pad copies the
    gathered K/V anyway (planned as keys): the keys padded with them (to 128: not whole pages of 24)."""
    problem = PREFILL.with_(k2=120, paged=24, k1=k1, mask="none")
    text = problem.to_mlir()
    names = [stage.name for stage in TILEFUSE.program_stages]
    for name in names[:names.index("pad-to-tiles") + 1]:
        text = run_stage(text, "gfx942", "tilefuse", name)
    assert ("tensor<2x6xi64>" in text) == table_padded
    assert ("x144x64xf16" in text) == table_padded and ("x128x80xf16" in text) != table_padded


@pytest.mark.parametrize("page, k2, expected", [(8, 200, 64), (8, 208, 8), (24, 120, 48), (32, 96, 32)])
def test_pages_that_hold_no_whole_mma_step_pad_to_whole_steps_of_pages(page, k2, expected):
    """25 pages of 8 keys: 64-key steps of 8 pages; 26: whole MMA steps already (nothing padded); 5 pages of 24
    keys: 2 pages (3 MMA steps)."""
    with ir.Context() as ctx:
        _module, op = _attention(DECODE.with_(k2=k2, paged=page), ctx)
        assert page_keys_multiple(attention_shape(op), get_target("gfx942"), page) == expected


def test_the_program_interpreter_reads_one_element_with_flow_tensor_load():
    """A one-page sequence: IREE reads its page id on the host (flow.tensor.load) before the dispatch slicing it."""
    text = """
    func.func @main(%table: tensor<1x2xi64>) -> i64 {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %id = flow.tensor.load %table[%c0, %c1] : tensor<1x2xi64>
      return %id : i64
    }"""
    with ir.Context() as ctx:
        module = ir.Module.parse(text, ctx)
        program = Program(module)
        (got,) = program.call(program.entry(), [np.array([[5, 3]], np.int64)])
    assert int(got) == 3
