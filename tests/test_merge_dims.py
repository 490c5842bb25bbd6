"""merge_dims.collapsible_runs predicts which runs of an attention's dims IREE's CollapseDimensionsPass merges, and
causal-mask merges them first: IREE 3.13 merges them without renumbering the score region's iree_linalg_ext.index
ops, so a causal region over (b, h, m, k1, k2, n) with b > 1 read the head dim and the value dim inside the
dispatch (the fuzzer's seed 3, cases 1 and 29: configure refused them)."""

import iree.compiler.ir as ir
import pytest

from tilefuse.ir import irutil
from tilefuse.ir.causal import Causal, region_causal
from tilefuse.codegen.stages.causal_mask import drop_causal_masks
from tilefuse.driver.compile import front_end
from tilefuse.ir.attention import attention_shape
from tilefuse.codegen.merge_dims import collapsible_runs
from tilefuse.codegen.stages.pad_to_tiles import pad_attention_to_tiles
from tilefuse.codegen.stage import StageInput
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target


def _maps(*results: str, rank: int) -> list[ir.AffineMap]:
    dims = ", ".join(f"d{i}" for i in range(rank))
    return [ir.AffineMapAttr(ir.Attribute.parse(f"affine_map<({dims}) -> ({r})>")).value for r in results]


@pytest.mark.parametrize("results,rank,reductions,runs", [
    # MHA (b, h, m, k1, k2, n): the batch dims
    (("d0, d1, d2, d3", "d0, d1, d4, d3", "d0, d1, d4, d5", "", "d0, d1, d2, d5"), 6, {3, 4}, [(0, 1)]),
    # GQA (b, h_kv, g, m, k1, k2, n) once its 2-D mask is gone: the batch dims and the query dims
    (("d0, d1, d2, d3, d4", "d0, d1, d5, d4", "d0, d1, d5, d6", "", "d0, d1, d2, d3, d6"), 7, {4, 5}, [(0, 1), (2, 3)]),
    # the same with its (m, k2) mask: the mask indexes the rows without the group
    (("d0, d1, d2, d3, d4", "d0, d1, d5, d4", "d0, d1, d5, d6", "", "d3, d5", "d0, d1, d2, d3, d6"), 7, {4, 5},
     [(0, 1)]),
    # K with its batch dims the other way round: nothing merges
    (("d0, d1, d2, d3", "d1, d0, d4, d3", "d0, d1, d4, d5", "", "d0, d1, d2, d5"), 6, {3, 4}, []),
])
def test_collapsible_runs_are_the_dims_iree_merges(results, rank, reductions, runs):
    with ir.Context():
        assert collapsible_runs(_maps(*results, rank=rank), reductions) == runs


def _dispatch_region(problem: AttentionProblem, tmp_path):
    """(the region_causal of the problem's attention dispatch, its query dims, its batch dims) after causal-mask,
    pad-to-tiles and IREE's front end (dispatch formation, CollapseDimensionsPass included)."""
    target = get_target("gfx942")
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        stage_input = StageInput(target, session=None)
        drop_causal_masks(module, stage_input)
        pad_attention_to_tiles(module, stage_input)
        (tmp_path / "program.mlir").write_text(str(module))
    front_end(tmp_path / "program.mlir", [*target.flags, "--compile-to=executable-sources"], tmp_path / "sources.mlir")
    with ir.Context() as ctx:
        sources = ir.Module.parse((tmp_path / "sources.mlir").read_text(), ctx)
        (op,) = irutil.ops_named(sources, "iree_linalg_ext.attention")
        shape = attention_shape(op)
        return region_causal(op), shape.m, shape.batch


@pytest.mark.parametrize("problem,offset,period", [
    # fuzz seed 3, case 29: 2 x 3 heads (torch's repeated GQA of one KV head), 5 queries, 33 keys, padded to 16 x 48
    (AttentionProblem(name="fuzz_3_29", batch=2, heads=3, kv_heads=1, m=5, k2=33, k1=64, dtype="bf16",
                      mask="causal", gqa_layout="repeated"), 28, 16),
    # grouped GQA with batch 2: (b, h_kv) merged, the group's 4 heads of 16 rows packed into 64
    (AttentionProblem(name="gqa_b2", batch=2, heads=4, kv_heads=1, m=16, k2=16, k1=32, mask="causal"), 0, 16),
    # a GQA decode (one query row per head, packed into rows): `row mod 1` is 0 to IREE, the dispatch's region is
    # j <= c alone, still causal (period 1)
    (AttentionProblem(name="gqa_decode_b2", batch=2, heads=4, kv_heads=2, m=1, k2=3, k1=64, mask="causal"), 2, 1),
])
def test_the_dispatch_region_reads_the_rows_and_the_keys(tmp_path, problem, offset, period):
    causal, (row,), batch = _dispatch_region(problem, tmp_path)
    assert causal == Causal(offset, row, period) and len(batch) == 1
