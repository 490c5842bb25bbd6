"""The calibration set (tilefuse/perf/calibration.json) and the fit on stored excerpts of compiled reports."""

import json
from pathlib import Path

import pytest

from tilefuse.perf.calibration import TARGET, TUNED, points

EXCERPTS = Path(__file__).parent / "fixtures" / "perf" / "calibration_excerpts.json"


def test_every_point_has_a_source_a_reference_and_a_problem():
    pts = points()
    assert len(pts) >= 12 and len({p.machine for p in pts}) >= 2
    assert len({p.name for p in pts}) == len(pts)
    for p in pts:
        assert p.machine in TARGET and p.measured
        for m in p.measured:
            assert m.seconds > 0 and m.source.get("repository") and m.source.get("file") and m.source.get("commit")
        assert p.reference_seconds > 0  # the fit's kernel is one of the point's
        problem = p.problem()
        assert problem.flops() == p.flops  # the same shape and flops convention as the published one
        assert p.problem_command().startswith("tilefuse problem ")


def test_a_figure_point_turns_tflops_into_seconds_with_the_sources_flops():
    p = next(p for p in points() if p.name == "fa3fig_h100_d128_causal_s4k")
    # FlashAttention's benchmark: 4*B*S^2*H*d / 2 under a causal mask, at 319 TFLOP/s (FlashAttention-2)
    assert abs(p.reference_seconds - 4 * 4 * 4096 ** 2 * 16 * 128 / 2 / 319e12) < 1e-12


def test_the_excerpts_cover_every_point_on_both_paths():
    data = json.loads(EXCERPTS.read_text())
    assert set(data) == {p.name for p in points()}
    for p in points():
        assert set(data[p.name]) == set(p.variants)
        for variant in p.variants:
            assert data[p.name][variant]["ok"] and data[p.name][variant]["target"] == p.target


def _attention(excerpt: dict) -> dict:
    return next(d for d in excerpt["dispatches"] if d["has_attention"])


def test_an_iree_point_is_estimated_on_the_configuration_iree_was_benchmarked_with():
    data = json.loads(EXCERPTS.read_text())
    tuned = [p for p in points() if p.tuning]
    assert tuned and all(p.path == TUNED for p in tuned if p.reference == "IREE")
    for p in tuned:
        t, d = p.tuning, _attention(data[p.name][TUNED])
        att = d["work"]["attention"]
        assert (att["tile_m"], att["k2_step"], d["launch"]["subgroups"]) == (t["workgroup_m"], t["k2_tile"],
                                                                             t["subgroups"])
        assert att["tile_n"] == (t["n_tile"] or p.d)  # 0: the whole head dim
        assert d["launch"]["workgroups"] == p.batch * p.heads * p.m // t["workgroup_m"]


@pytest.mark.slow
def test_the_tuned_variant_compiles_the_published_config_and_writes_its_spec(tmp_path):
    from tilefuse.perf.calibrate import compiled
    p = next(p for p in points() if p.name == "ikb_llm_32x2048_d64")
    compiled(p, "stock", tmp_path, log=lambda _: None)
    report = compiled(p, TUNED, tmp_path, log=lambda _: None)
    out = tmp_path / p.name / p.target / TUNED
    assert report["ok"] and "iree_codegen.tuning_spec_entrypoint" in (out / "spec.mlir").read_text()
    asm = next((out / "executables").glob("*.rocmasm")).read_text()
    assert "v_mfma_f32_32x32x8_f16" in asm and "v_mfma_f32_16x16" not in asm
    ll = next((out / "executables").glob("*.linked.ll")).read_text()
    assert '"amdgpu-waves-per-eu"="2"' in ll


def test_the_shipped_fits_are_the_fit_on_the_stored_excerpts_and_hold_their_error():
    from tilefuse.perf.calibrate import calibrate, estimated
    from tilefuse.perf.machines import MACHINES
    data = json.loads(EXCERPTS.read_text())
    result = calibrate(data)
    for machine, r in result.items():
        assert MACHINES[machine].fit == r["fit"]  # machines.py publishes what the fit found
        for p in (p for p in points() if p.machine == machine and not p.excluded):
            ratio = r["held_out"][p.name] / p.reference_seconds
            assert 1 / r["fit"].error <= ratio <= r["fit"].error  # every held-out point within the stated error
            # no path estimated faster than the fastest published kernel by more than 10 %
            assert min(estimated(p, data, r["fit"]).values()) >= 0.9 * p.fastest.seconds
