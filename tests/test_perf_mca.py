"""llvm-mca cross-check (tilefuse/perf/mca.py): the K2 loop found in a stored gfx942 kernel, llvm-mca's summary
parsed from stored output, and, where llvm-mca 22+ is installed, run on that loop."""

from pathlib import Path

import pytest

from tilefuse.perf import mca
from tilefuse.perf.estimate import _mca
from tilefuse.target.machines import MACHINES

FIXTURES = Path(__file__).parent / "fixtures" / "perf"
ASM = (FIXTURES / "k2-loop-gfx942.rocmasm").read_text()
KERNEL = "attention_dispatch_0_attention_20x4096x64x4096x64"


def _body() -> str:
    return ASM[ASM.index(f"\n{KERNEL}:"):ASM.index(".Lfunc_end")]


def test_the_inner_loop_is_the_block_branched_back_to_with_the_mma():
    loop = mca.inner_loop(_body())
    assert len(loop) == 190  # .LBB0_1 up to its s_cbranch_scc1, labels and the branch left out
    assert loop[0] == "s_barrier" and loop[-1].startswith("v_add_f32")
    assert sum(op.startswith("v_mfma_f32_32x32x8_f16") for op in loop) == 16  # the tuned kernel's MFMA
    assert not any(op.startswith(("s_cbranch", ".LBB", "buffer_store")) for op in loop)


def test_a_body_without_a_backward_branch_has_no_loop():
    assert mca.inner_loop(f"\n{KERNEL}:\n\tv_mov_b32 v0, 0\n\ts_cbranch_scc1 .LBB0_9\n.LBB0_9:\n\ts_endpgm\n") is None


def test_an_llvm_mca_that_does_not_finish_is_a_note(monkeypatch):
    """llvm-mca ran for minutes on a loop of per-element masked loads: the compile waits MCA_SECONDS, then says so."""
    def hangs(*args, **kwargs):
        raise mca.subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    monkeypatch.setattr(mca, "tool", lambda: "/usr/bin/llvm-mca-22")
    monkeypatch.setattr(mca.subprocess, "run", hangs)
    got = mca.analyse(_body(), "gfx942")
    assert got == {"note": f"llvm-mca did not finish on the loop (190 instructions) in {mca.MCA_SECONDS} s"}


def test_the_summary_of_llvm_mca_is_parsed():
    figures = mca.parse((FIXTURES / "k2-loop-gfx942.mca.txt").read_text())
    assert figures == {"instructions": 190, "cycles_per_iteration": 329.64, "rthroughput": 190.0}


def test_the_compute_time_of_the_loop_and_a_disagreement_beyond_the_error():
    m = MACHINES["MI300X"]
    figures = {"rthroughput": 190.0, "cycles_per_iteration": 329.64}
    waves = 640 * 4 * 128  # workgroups x subgroups x iterations
    check = _mca(m, figures, waves, 1.0, 100e-6, 2.0)
    assert check["compute_s"] == pytest.approx(waves * 190 * 4 / 2.1e9 / m.simds)
    assert check["disagrees"] == (not 0.5 <= check["model_over_mca"] <= 2.0)
    assert _mca(m, figures, waves, 1.0, check["compute_s"] * 3, 2.0)["disagrees"]
    assert not _mca(m, figures, waves, 1.0, check["compute_s"] * 1.5, 2.0)["disagrees"]
    assert _mca(m, {"note": mca.MISSING}, waves, 1.0, 1e-6, 2.0) == {"note": mca.MISSING}


@pytest.mark.skipif(mca.tool() is None, reason=mca.MISSING)
def test_llvm_mca_runs_on_the_stored_loop():
    figures = mca.analyse(_body(), "gfx942")
    assert figures["mcpu"] == "gfx942" and figures["instructions"] == 190
    # 16 MFMA of 8 passes each: the loop cannot issue in fewer passes than its matrix unit is busy
    assert figures["rthroughput"] >= 16 * 8 and figures["cycles_per_iteration"] >= figures["rthroughput"]


def test_without_llvm_mca_the_figures_say_why(monkeypatch):
    monkeypatch.setattr(mca, "tool", lambda: None)
    assert mca.analyse(_body(), "gfx942") == {"note": mca.MISSING}
