"""The work and grid of a dispatch of run-time sizes at a launch's sizes (design/performance.md, "Run-time sizes"),
on checked-in snapshots and IREE output (no compile; tests/test_perf_compile.py compiles a dynamic file)."""

import math
from pathlib import Path

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.errors import NotInterpretable
from tilefuse.interp.shapes import DispatchCall, ShapeInterpreter
from tilefuse.ir import irutil
from tilefuse.perf.launch import read_exports
from tilefuse.ir.attention import RUN_TIME_HEAD
from tilefuse.perf.work import AttentionWork, attention_work, global_bytes
from tilefuse.tools import html_report
from tilefuse.tools.ab import run_time_line

FIXTURES = Path(__file__).parent / "fixtures" / "perf"
# `tilefuse problem --heads 32 --kv-heads 8 --m 1 --k2 4096 --k1 128 [--dynamic k2]`, tilefuse path, gfx942: the
# snapshot after configure. The static one is compiled with no K2 split (--config '{"tiling": {"k2_splits": 1}}'),
# where the heuristic picks the run-time one's tiles: both kernels run the same loop.
RUN_TIME = FIXTURES / "configured-decode-run-time-k2-gfx942.mlir"
STATIC = FIXTURES / "configured-decode-4096-unsplit-gfx942.mlir"
HEADS, GROUP, D, STEP = 8, 4, 128, 64  # KV heads, query rows per KV head, head dim, keys per K2 step


def _function(module):
    (func,) = [f for f in irutil.funcs(module) if f.regions[0].blocks]
    return func


def _at(module, k2: int):
    """The shapes of the decode's values when the host launches it at K2 keys: the K2 of K and V as push constants
    0 and 2 (i64 words: low, high), Q and O bound first (static), then K and V."""
    call = DispatchCall((k2, k2), {0: k2, 1: 0, 2: k2, 3: 0},
                        {0: np.zeros((HEADS, GROUP, D)), 1: np.zeros((HEADS, GROUP, D)),
                         2: np.zeros((HEADS, k2, D)), 3: np.zeros((HEADS, k2, D))})
    return ShapeInterpreter().shapes(_function(module), call)


@pytest.mark.parametrize("k2", [1, 100, 512, 4096, 16384])
def test_the_work_follows_the_launch_sizes(k2):
    with ir.Context():
        module = ir.Module.parse(RUN_TIME.read_text())
        assert attention_work(module) is None and global_bytes(module) is None  # not known before the launch
        shapes = _at(module, k2)
        work = attention_work(module, shapes)
        assert (work.batch, work.m, work.k1, work.k2, work.n) == (HEADS, GROUP, D, k2, D)
        # the config's step; the tail step counted whole (the kernel pads it in registers and masks it)
        assert work.k2_step == STEP and work.iterations == math.ceil(k2 / STEP)
        assert work.workgroups_from_tiles == HEADS * D // work.tile_n  # no split: the grid does not grow with K2
        # K and V of the live keys only (a tail step reads no padding from memory), Q and O
        assert global_bytes(module, shapes) == 2 * (HEADS * k2 * D * 2) + 2 * (HEADS * GROUP * D * 2)


def test_at_4096_the_run_time_decode_is_the_static_decode_of_the_same_loop():
    with ir.Context():
        dynamic, static = (ir.Module.parse(f.read_text()) for f in (RUN_TIME, STATIC))
        shapes = _at(dynamic, 4096)
        assert attention_work(dynamic, shapes) == attention_work(static)
        assert global_bytes(dynamic, shapes) == global_bytes(static)


def test_the_grid_of_a_run_time_m_is_its_count_region_at_the_workload():
    (facts,) = read_exports((FIXTURES / "exports-run-time-m-gfx942.mlir").read_text()).values()
    assert facts.launch.workgroups is None
    # 32 heads x 2 N tiles of 64 per ceil(M / 64) row tiles of 64
    for m, grid in [(1, 64), (100, 128), (512, 512), (513, 576)]:
        launch = facts.at_workload((m, m, m))
        assert (launch.workgroups, launch.grid, launch.workgroup_size) == (grid, (grid, 1, 1), (64, 4, 1))
    with pytest.raises(NotInterpretable, match="count region of 3 workload values, called with 1"):
        facts.at_workload((100,))


def test_the_report_says_which_sizes_are_missing_and_how_to_give_them():
    line = run_time_line({"run_time_sizes": {"missing": "0 (arg1.2), 1 (arg2.2)", "option": "--dim"}})
    assert line == "no estimate: sizes known only at run time, none given for 0 (arg1.2), 1 (arg2.2) (--dim sets them)"
    assert run_time_line({"run_time_sizes": {"at": "K2=4096", "by": "problem"}}) == \
        "estimated at K2=4096, drawn by problem"


def test_the_html_page_says_what_sizes_a_run_time_program_was_estimated_at():
    rep = {"path": "tilefuse", "ok": True, "compile_seconds": 1.0, "dispatches": [],
           "run_time_sizes": {"missing": "0 (arg1.2)", "option": "--dim"}}
    page = html_report.render([{"case": "dec", "report": rep}], "gfx942")
    assert "tilefuse: no estimate: sizes known only at run time, none given for 0 (arg1.2) (--dim sets them)" in page


def test_a_run_time_k1_is_issued_at_its_bound():
    """The m-tail stage pads a run-time K1 to RUN_TIME_HEAD in the kernel: at K1 = 40 the kernel issues QK^T over
    128 (and loads 128 columns of K a step), while the useful work is the launch's 40."""
    kw = dict(batch=100, m=100, k1=40, k2=100, n=40, tile_batch=1, tile_m=64, tile_n=16, k2_step=64, element_bytes=4,
              workgroups_from_tiles=600, mma_element_bytes=4)
    padded, exact = AttentionWork(**kw, k1_tile=RUN_TIME_HEAD), AttentionWork(**kw)
    assert padded.flops == exact.flops == 2 * 100 * 100 * 100 * (40 + 40)
    assert padded.flops_per_workgroup == 2 * 64 * 128 * (RUN_TIME_HEAD + 16)  # two K2 steps of 64, whole
    assert exact.flops_per_workgroup == 2 * 64 * 128 * (40 + 16)
    assert padded.bytes_per_iteration == 64 * (RUN_TIME_HEAD + 16) * 4
