"""Launch facts and estimate inputs of real compiles against hand-computed values (mha_f16_d64 and
decode_f16_d128 on gfx942, stock and tilefuse), and ptxas figures in a CUDA report: no tilefuse kernel spills
(the occupancy heuristics.min_workgroups_per_sm asks for, design/tilefuse-path.md, "Registers on NVIDIA"); the
estimate of a compiled run-time K2 decode at the sizes given (design/performance.md, "Run-time sizes")."""

import pytest

from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.codegen.heuristics import NVIDIA_RESIDENT_WARPS, min_workgroups_per_sm
from tilefuse.perf import ptxas
from tilefuse.problem import AttentionProblem
from tilefuse.tools.suite import get_problem
from tilefuse.target.targets import get_target

pytestmark = pytest.mark.slow


def _compile(tmp_path, problem, target, path):
    src = tmp_path / f"{problem}.mlir"
    src.write_text(get_problem(problem).to_mlir())
    out = tmp_path / f"{problem}-{target}-{path}"
    report = compile_file(src, CompileOptions(target, path, out / "out.vmfb", out, fallback="stock"))
    assert report.ok, report.error
    return report


def _attention(report):
    (d,) = [d for d in report.dispatches if d.has_attention]
    return d


DECODE_SPLITS = 4
# (problem, path): workgroups from the tiles (B·H · M/tile_m · N/tile_n), workgroup size, subgroups, flops issued
HAND = {
    # 32 heads, 2048 rows / 64 (4 subgroups x 16), d=64 in one N tile
    ("mha_f16_d64", "tilefuse"): (32 * 2048 // 64, (64, 4, 1), 4, 4 * 32 * 2048 * 2048 * 64),
    # stock: 64-row workgroups of 4 waves, same grid
    ("mha_f16_d64", "stock"): (32 * 2048 // 64, (256, 1, 1), 4, 4 * 32 * 2048 * 2048 * 64),
    # 128 heads, one 16-row tile (padded from 1), the 4096 keys split 4 ways (split-k2: the fewest splits at which
    # a split's chain of K2 steps on MI300X is no longer than the dispatch's memory time), each workgroup all of N
    ("decode_f16_d128", "tilefuse"): (128 * DECODE_SPLITS, (64, 1, 1), 1, 128 * 2 * 16 * 4096 * (128 + 128)),
    # stock: M=1, N in 32-wide tiles: 128 x 4 workgroups of 8 waves (each recomputes QK^T of its one row)
    ("decode_f16_d128", "stock"): (128 * 4, (512, 1, 1), 8, 128 * 4 * 2 * 1 * 4096 * (128 + 32)),
}
USEFUL = {"mha_f16_d64": 4 * 32 * 2048 * 2048 * 64, "decode_f16_d128": 4 * 128 * 1 * 4096 * 128}
BYTES = {"mha_f16_d64": 4 * 32 * 2048 * 64 * 2,  # Q, K, V, O
         "decode_f16_d128": (2 * 128 * 128 + 2 * 128 * 4096 * 128) * 2}


@pytest.mark.parametrize("problem,path", sorted(HAND))
def test_launch_and_estimate_by_hand_on_gfx942(tmp_path, problem, path):
    report = _compile(tmp_path, problem, "gfx942", path)
    d = _attention(report)
    workgroups, size, subgroups, issued = HAND[problem, path]
    assert (d.launch.workgroups, d.launch.workgroup_size, d.launch.subgroups) == (workgroups, size, subgroups)
    assert d.work.attention.workgroups_from_tiles == workgroups
    e = d.estimate
    assert e["flops_useful"] == USEFUL[problem] and e["flops_issued"] == issued
    if path == "tilefuse" and problem.startswith("decode"):
        # the split dispatch reads K, V and Q padded to 16 rows, and writes no O but the partials P and L (f32,
        # 16 rows x N per head and split)
        kv, q = 2 * 128 * 4096 * 128 * 2, 128 * 16 * 128 * 2
        assert e["global_bytes"] == kv + q + 2 * 128 * DECODE_SPLITS * 16 * 128 * 4
    else:
        assert e["global_bytes"] == BYTES[problem]
    assert e["machine"] == "MI300X" and e["seconds"]["MI300X"] > 0
    for other in report.dispatches:  # every dispatch, IREE's own (the pad copies) included
        assert other.launch.workgroups > 0 and other.estimate["seconds"]["MI300X"] > 0


def test_decode_grid_fill_stock_against_tilefuse(tmp_path):
    """The issue's example: unsplit, tilefuse's 256 one-wave workgroups each walked all 4096 keys alone
    (latency-bound, 3.5x stock's estimate); split-k2's grid makes it memory-bound like stock, within the partials'
    traffic of stock's roofline (stock reads K/V once at full bandwidth: no split can halve that)."""
    stock_report, tilefuse_report = (_compile(tmp_path, "decode_f16_d128", "gfx942", p) for p in ("stock", "tilefuse"))
    stock, tilefuse = _attention(stock_report).estimate, _attention(tilefuse_report).estimate
    assert stock["machine_fill"] == 1.0 and (stock["bound"], tilefuse["bound"]) == ("memory", "memory")
    total = {name: sum(d.estimate["seconds"]["MI300X"] for d in r.dispatches)
             for name, r in (("stock", stock_report), ("tilefuse", tilefuse_report))}
    assert total["tilefuse"] < 1.25 * total["stock"]


def test_cuda_registers_from_ptxas(tmp_path):
    d = _attention(_compile(tmp_path, "mha_f16_d64", "sm_80", "tilefuse"))
    if ptxas.binary() is None:
        assert d.isa.vgpr is None and "cuda-tools" in d.isa.note
        return
    assert d.isa.vgpr == d.isa.ptxas["sm_80"]["registers"] > 0 and d.isa.note is None
    assert set(d.isa.ptxas) == {"sm_80", "sm_90"} and d.isa.vgpr_spills == 0
    assert set(d.estimate["seconds"]) == {"A100", "A30", "H100"}


# Kernels that spilled 4-12 bytes on sm_80 when ptxas chose their registers, per path and K/V route: shared K/V
# at d=128 (plain, GQA) and at d=64 with a mask operand, per-subgroup K/V at d=128 and with a head-merge
# consumer, one-subgroup workgroups of padded problems.
FORMER_SPILLERS = [
    ("mha_bf16_d128", "tilefuse"),
    ("gqa_bf16_d128", "tilefuse"),
    ("additive_mask_f16_d64", "tilefuse"),
    ("causal_f16_d128", "tilefuse-noshare"),
    ("headmerge_f16_d64", "tilefuse-noshare"),
    ("clip_f16_s77", "tilefuse-vd"),
    ("decode_f16_d128", "tilefuse-vd"),
]


def test_min_workgroups_per_sm_from_resident_warps():
    sm80, gfx942 = get_target("sm_80"), get_target("gfx942")
    assert min_workgroups_per_sm(sm80, 4) == NVIDIA_RESIDENT_WARPS // 4 == 2
    assert min_workgroups_per_sm(sm80, 1) == 8 and min_workgroups_per_sm(gfx942, 4) is None


@pytest.mark.parametrize("problem,path", FORMER_SPILLERS)
def test_tilefuse_kernels_do_not_spill_on_nvidia(tmp_path, problem, path):
    d = _attention(_compile(tmp_path, problem, "sm_80", path))
    shape = d.config["tilefuse"]["shape"]
    assert shape["min_workgroups_per_sm"] == min_workgroups_per_sm(get_target("sm_80"), shape["workgroup_size"][1])
    if ptxas.binary() is None:
        pytest.skip(ptxas.unavailable())
    for arch, figures in d.isa.ptxas.items():
        assert figures["spill_store_bytes"] == 0 and figures["spill_load_bytes"] == 0, (arch, figures)


def test_sm_89_reports_its_own_ptxas_figures(tmp_path):
    d = _attention(_compile(tmp_path, "mha_bf16_d128", "sm_89", "tilefuse"))
    if ptxas.binary() is None:
        pytest.skip(ptxas.unavailable())
    assert set(d.isa.ptxas) == {"sm_89", "sm_90"} and d.isa.vgpr == d.isa.ptxas["sm_89"]["registers"]
    assert d.isa.ptxas["sm_89"]["spill_store_bytes"] == 0


# A GQA decode against a KV cache of run-time length (8 query heads over 2 KV heads, d=64)
RUN_TIME_DECODE = AttentionProblem(name="decode_run_time_k2", heads=8, kv_heads=2, m=1, k2=300, k1=64, dynamic="k2")


# Stock's compile of the decode takes minutes: its own K2 only (its loop's step is its partial_reduction)
SIZES = {"tilefuse": [(300, None), (4096, {"*": 4096}), (1, {"0": 1, "arg2.2": 1})], "stock": [(300, None)]}


@pytest.mark.parametrize("path", sorted(SIZES))
def test_a_run_time_k2_is_estimated_at_the_sizes_given(tmp_path, path):
    """The problem's own K2 by default, --dim's when given: the kernel compiled once for every K2, its K2 loop
    ⌈K2 / step⌉ steps (the tail step whole) and K/V bytes of the live keys. tilefuse splits the keys into S ranges
    of run-time length (split-k2): S times the workgroups, each range's loop ⌈its keys / step⌉ steps (the longest:
    ⌈chunk / step⌉, chunk = ⌈K2 / (16 S)⌉ 16; past the end: none) and each range's keys read once."""
    src = tmp_path / "decode.mlir"
    src.write_text(RUN_TIME_DECODE.to_mlir())
    at, beside_kv = {}, {}
    for k2, dims in SIZES[path]:
        out = tmp_path / f"{path}-{k2}"
        report = compile_file(src, CompileOptions("gfx942", path, out / "out.vmfb", out, dims=dims))
        assert report.ok, report.error
        assert report.run_time_sizes == ({"at": "K2=300", "by": "problem"} if dims is None else
                                         {"at": f"0 (arg1.2)={k2}, 1 (arg2.2)={k2}", "by": "--dim"})
        d = _attention(report)
        att = d.work.attention
        assert (att.batch * att.m, att.k2, att.k1, att.n) == (8, k2, 64, 64)
        kv_bytes = 2 * (2 * k2 * 64 * 2)
        splits = (d.plan or {}).get("k2_splits")
        if path == "stock":
            assert splits is None and not att.ranges
            assert d.estimate["iterations"] == -(-k2 // att.k2_step)
            assert d.estimate["global_bytes"] == kv_bytes + 2 * (8 * 64 * 2)  # K, V, Q, O
        else:
            chunk = -(-k2 // (16 * splits)) * 16
            assert splits > 1 and len(att.ranges) == splits and max(att.ranges) == min(chunk, k2)
            assert att.max_iterations == -(-min(chunk, k2) // att.k2_step)
            assert d.estimate["iterations"] == sum(-(-r // att.k2_step) for r in att.ranges) / splits
            assert d.launch.workgroups == att.workgroups_from_tiles and att.workgroups_from_tiles % splits == 0
            assert not any("IREE launches" in n for n in d.estimate["notes"])
        at[k2] = d
        beside_kv[k2] = d.estimate["global_bytes"] - kv_bytes  # Q and O, or Q and the partials
    assert len(set(beside_kv.values())) == 1  # the bytes follow the live keys only
    # one kernel: the same ISA, tiles and grid at every size
    assert len({(str(d.isa), d.launch, d.work.attention.k2_step) for d in at.values()}) == 1
    if len(at) > 1:
        assert at[4096].estimate["seconds"]["MI300X"] > at[300].estimate["seconds"]["MI300X"]


def test_without_sizes_a_run_time_k2_has_no_estimate(tmp_path):
    """A file without a problem header and no --dim: the report names the dims that have no size."""
    bare = tmp_path / "bare.mlir"
    bare.write_text("\n".join(line for line in RUN_TIME_DECODE.to_mlir().splitlines() if not line.startswith("//")))
    report = compile_file(bare, CompileOptions("gfx942", "tilefuse", tmp_path / "out.vmfb", tmp_path))
    assert report.ok and report.run_time_sizes == {"missing": "0 (arg1.2), 1 (arg2.2)", "option": "--dim"}
    assert _attention(report).estimate is None
