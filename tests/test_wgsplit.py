"""Flash-decoding in one dispatch: split-k2's splits on the subgroups of one workgroup, combined in its workgroup
memory (`tiling.k2_split_place = "subgroups"`; design/tilefuse-path.md, "Flash-decoding in one dispatch")."""

import json
from dataclasses import replace

import pytest

from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.codegen.config import SUBGROUPS, check_overrides
from tilefuse.codegen.heuristics import k2_split_place
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.errors import ConfigError, TilefuseError
from tilefuse.perf.work import AttentionWork
from tilefuse.problem import AttentionProblem
from tilefuse.target.targets import get_target

# 8 query / 2 KV heads, 256 keys in pages of 16: 4 splits of 4 pages, one subgroup each
DECODE = AttentionProblem(name="wg_decode", heads=8, kv_heads=2, m=1, k2=256, k1=64, paged=16)
IN_WORKGROUP = {"tiling": {"k2_splits": 4, "k2_split_place": SUBGROUPS}}


def test_the_place_is_the_configs_request_within_one_workgroups_subgroups():
    gfx942, sm_80 = get_target("gfx942"), get_target("sm_80")
    assert k2_split_place(16, gfx942, None) is None  # the default: a workgroup a split, a combine dispatch
    assert k2_split_place(16, gfx942, "workgroups") is None
    assert k2_split_place(None, gfx942, SUBGROUPS) is None  # nothing split
    assert k2_split_place(16, gfx942, SUBGROUPS) == SUBGROUPS
    assert k2_split_place(32, sm_80, SUBGROUPS) == SUBGROUPS  # 32 subgroups of 32 threads
    with pytest.raises(TilefuseError, match="holds at most 16 on gfx942"):
        k2_split_place(32, gfx942, SUBGROUPS)
    with pytest.raises(ConfigError, match="expected one of workgroups, subgroups"):
        check_overrides({"tiling": {"k2_split_place": "threads"}})


def test_the_estimate_counts_each_waves_own_keys_and_the_combine():
    """Splits side by side each load their own keys (no sharing of an iteration's K/V among the waves) and the
    workgroup then combines: per real row and column, the max over S, S weights and sums, the division."""
    work = AttentionWork(batch=16, m=4, k1=64, k2=64, n=64, tile_batch=4, tile_m=16, tile_n=64, k2_step=64,
                         element_bytes=2, workgroups_from_tiles=4)
    assert work.combine_flops == 0
    assert replace(work, split_subgroups=4).combine_flops == 4 * 64 * (6 * 4 + 1)


def _compile(tmp_path, target, problem=DECODE):
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = compile_file(src, CompileOptions(target, "tilefuse", tmp_path / "p.vmfb", tmp_path / "w",
                                              config_overrides=IN_WORKGROUP))
    assert report.ok, report.error
    return json.loads((tmp_path / "w" / "report.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_one_dispatch_its_partials_in_workgroup_memory(tmp_path, target):
    written = _compile(tmp_path, target)
    (dispatch,) = written["dispatches"]  # no combine dispatch
    tiling = dispatch["config"]["tilefuse"]["tiling"]
    assert tiling["k2_split_place"] == SUBGROUPS and tiling["k2_splits"] == 4
    assert dispatch["launch"]["subgroups"] == 4
    # P and L of 4 splits of 4 rows x 64 columns, f32, in workgroup memory
    assert dispatch["isa"]["lds_bytes"] >= 2 * 4 * 4 * 64 * 4
    assert dispatch["isa"]["barriers"] >= 1


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
@pytest.mark.parametrize("seq_lens", [None, "drawn"])
def test_in_workgroup_split_verifies(tmp_path, target, seq_lens):
    """Every stage interpreted, the final code run thread by thread with the race detector (the subgroups' partials
    written to workgroup memory, the barrier, the threads' combine reading them)."""
    src = tmp_path / "p.mlir"
    src.write_text(replace(DECODE, seq_lens=seq_lens).to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w", config_overrides=IN_WORKGROUP))
    assert report.ok, [c for c in report.checks if c.status not in ("ok", "unchecked")]
    (final,) = [c for c in report.checks if c.stage == "lower"]
    assert final.status == "ok", final
