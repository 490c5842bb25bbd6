"""Decode on the tilefuse paths: GQA packing (pack-query-groups) and flash-decoding (split-k2), design/tilefuse-path.md
"Decode"."""

import json
from pathlib import Path

import iree.compiler.ir as ir
import pytest

from tilefuse import irutil
from tilefuse.heuristics import AttentionShape, attention_shape, k2_splits
from tilefuse.pack_groups import pack_query_groups
from tilefuse.paths import StageContext
from tilefuse.problem import AttentionProblem
from tilefuse.suite import get_problem
from tilefuse.targets import get_target
from tilefuse.verify import verify_file

GQA_DECODE = AttentionProblem(name="gqa_decode", heads=8, kv_heads=2, m=1, k2=256, k1=128)
SPLIT_IN_TWO = {"tiling": {"k2_splits": 2}}  # the small problems have too few K2 tiles for the heuristic to split
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


def _decode(heads: int, keys: int, rows: int = 16) -> AttentionShape:
    """A padded decode: (batch, heads, rows, d=128, keys, d=128)."""
    return AttentionShape((1, heads, rows, 128, keys, 128), (0, 1), (2,), (3,), (4,), (5,), "f16")


@pytest.mark.parametrize("target,heads,keys,splits", [
    # decode_f16_d128 (4 x 32 heads): MI300X holds 2432 split workgroups (2 per SIMD), H100 1056; 16 splits fill
    # one round 0.84 full, 32 two rounds 0.84 full each: the fewer partials win (H100: 8, 0.97)
    ("gfx942", 128, 4096, 16), ("sm_80", 128, 4096, 8),
    ("gfx942", 8, 8192, 64), ("sm_80", 8, 8192, 64),  # the GQA decode, packed: 8 KV heads, the cap of 2 tiles a split
    ("gfx942", 4096, 4096, 4),  # 1.68 rounds unsplit (0.84); 4 splits: 6.7 rounds in 7 (0.96)
    ("sm_80", 4096, 4096, None),  # 3.9 rounds in 4 unsplit (0.97)
    ("gfx942", 16384, 4096, None), ("sm_80", 16384, 4096, None),  # many full rounds already
    ("gfx942", 32, 128, None),  # two K2 tiles: no split keeps 2 a split
])
def test_split_count_is_the_fewest_whose_rounds_are_full(target, heads, keys, splits):
    assert k2_splits(_decode(heads, keys), get_target(target)) == splits


@pytest.mark.parametrize("shape", [_decode(32, 4096, rows=64), _decode(32, 4000)])
def test_prefill_rows_and_unaligned_keys_are_not_split(shape):
    assert k2_splits(shape, get_target("gfx942")) is None


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
    report = verify_file(src, target, "tilefuse", tmp_path / "w", config_overrides=overrides)
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
    if overrides:
        split = json.loads((tmp_path / "w" / "report.json").read_text())["program_stages"][-1]
        assert split["name"] == "split-k2" and split["changes"] == [{"k2_splits": 2, "keys_per_split": 64}]
