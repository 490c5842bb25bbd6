"""Decode on the tilefuse paths: GQA packing (pack-query-groups, design/tilefuse-path.md "Decode")."""

from pathlib import Path

import iree.compiler.ir as ir
import pytest

from tilefuse import irutil
from tilefuse.heuristics import attention_shape
from tilefuse.pack_groups import pack_query_groups
from tilefuse.paths import StageContext
from tilefuse.problem import AttentionProblem
from tilefuse.suite import get_problem
from tilefuse.targets import get_target
from tilefuse.verify import verify_file

GQA_DECODE = AttentionProblem(name="gqa_decode", heads=8, kv_heads=2, m=1, k2=256, k1=128)
TORCH_DECODE = Path(__file__).parent / "fixtures" / "torch" / "decode_step.mlir"


def _packed(problem: AttentionProblem, target: str = "gfx942"):
    """(the stage's recorded changes, the query dims of the attention it leaves)."""
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        stage_ctx = StageContext(get_target(target), session=None)
        pack_query_groups(module, stage_ctx)
        (att,) = irutil.ops_named(module, "iree_linalg_ext.attention")
        shape = attention_shape(att)
        return stage_ctx.program_changes, [shape.sizes[d] for d in shape.m]


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


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
@pytest.mark.parametrize("source", ["gqa", "torch"])
def test_decode_verifies(tmp_path, target, source):
    """The packed GQA decode and the torch decode export: every stage interpreted, the final code run thread by
    thread with the race detector."""
    if source == "gqa":
        src = tmp_path / "p.mlir"
        src.write_text(GQA_DECODE.small().to_mlir())
    else:
        src = TORCH_DECODE
    report = verify_file(src, target, "tilefuse", tmp_path / "w")
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
