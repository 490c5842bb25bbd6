"""The calibration set (tilefuse/perf/calibration.json) and the fit on stored excerpts of compiled reports."""

import json
import shlex
from pathlib import Path

import pytest

from tilefuse.cli import build_parser
from tilefuse.perf.calibration import TUNED, points
from tilefuse.target.machines import MACHINES

EXCERPTS = Path(__file__).parent / "fixtures" / "perf" / "calibration_excerpts.json"


def test_every_point_has_a_source_a_reference_and_a_problem():
    pts = points()
    assert len(pts) >= 12 and len({p.machine for p in pts}) >= 2
    assert len({p.name for p in pts}) == len(pts)
    for p in pts:
        assert p.machine in MACHINES and p.measured
        for m in p.measured:
            assert m.seconds > 0 and m.source.get("repository") and m.source.get("file") and m.source.get("commit")
        assert p.reference_seconds > 0  # the fit's kernel is one of the point's
        problem = p.problem()
        assert problem.flops() == p.flops  # the same shape and flops convention as the published one


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
    from tilefuse.tools.calibrate import compiled
    p = next(p for p in points() if p.name == "ikb_llm_32x2048_d64")
    compiled(p, "stock", tmp_path, log=lambda _: None)
    report = compiled(p, TUNED, tmp_path, log=lambda _: None)
    out = tmp_path / p.name / p.target / TUNED
    assert report["ok"] and "iree_codegen.tuning_spec_entrypoint" in (out / "spec.mlir").read_text()
    asm = next((out / "executables").glob("*.rocmasm")).read_text()
    assert "v_mfma_f32_32x32x8_f16" in asm and "v_mfma_f32_16x16" not in asm
    ll = next((out / "executables").glob("*.linked.ll")).read_text()
    assert '"amdgpu-waves-per-eu"="2"' in ll


def _fitted():
    from tilefuse.tools.calibrate import calibrate
    data = json.loads(EXCERPTS.read_text())
    return data, calibrate(data)


def test_the_shipped_fits_are_the_fit_on_the_stored_excerpts_and_hold_their_error():
    from tilefuse.target.machines import MACHINES
    _, result = _fitted()
    assert set(result) == {p.machine for p in points()}
    for machine, r in result.items():
        assert MACHINES[machine].fit == r["fit"]  # machines.py publishes what the fit found
        assert r["fit"].error < 3  # the band every estimate on this machine carries
        for p in (p for p in points() if p.machine == machine):
            ratio = r["held_out"][p.name] / p.reference_seconds
            assert 1 / r["fit"].error <= ratio <= r["fit"].error  # every held-out point within the stated error


def test_the_launch_cost_is_cited_not_fitted_since_the_set_cannot_measure_it(monkeypatch):
    from dataclasses import replace
    from tilefuse.tools import calibrate
    from tilefuse.target.machines import MACHINES
    assert "launch_s" not in calibrate.GRID
    for m in MACHINES.values():  # every machine's per-dispatch cost comes from a published measurement
        assert 0 < m.launch_s <= 5e-6 and " @ " in m.launch_source
    # H100's points are milliseconds long: no launch cost from 0 to 16 us moves the best fit's error by 1 %
    data = json.loads(EXCERPTS.read_text())
    h100 = [p for p in points() if p.machine == "H100"]
    best = []
    for launch_s in (0.0, 16e-6):
        monkeypatch.setitem(MACHINES, "H100", replace(MACHINES["H100"], launch_s=launch_s))
        errors = calibrate.log_errors(h100, data)
        best.append(min(sum(errors[p.name] for p in h100)) / len(h100))
    assert abs(best[1] - best[0]) < 0.01


def test_no_path_is_estimated_faster_than_the_fastest_published_kernel_by_more_than_10_percent():
    from tilefuse.tools.calibrate import FASTEST_MARGIN, estimated
    data, result = _fitted()
    assert FASTEST_MARGIN == 0.9
    for p in points():  # every point of the set, every path it was compiled as, on the shipped fit
        est = estimated(p, data, result[p.machine]["fit"])
        assert min(est.values()) >= 0.9 * p.fastest.seconds, p.name


def test_stock_with_irees_configuration_is_within_1_5x_of_irees_published_time():
    data, result = _fitted()
    from tilefuse.tools.calibrate import estimated
    checked = 0
    for p in points():
        iree = next((m for m in p.measured if m.kernel == "IREE"), None)
        if iree is None or iree.outlier:
            continue
        ratio = estimated(p, data, result[p.machine]["fit"])[TUNED] / iree.seconds
        assert 1 / 1.5 <= ratio <= 1.5, (p.name, ratio)
        checked += 1
    assert checked >= 4


def test_an_outlier_says_which_rows_of_its_source_contradict_it_and_is_never_a_reference():
    outliers = [(p, m) for p in points() for m in p.measured if m.outlier]
    assert outliers
    for p, m in outliers:
        assert m.kernel != p.reference and "line" in m.outlier  # cites the contradicting rows of its CSV


def test_a_source_with_a_per_call_overhead_is_compared_without_it():
    p = next(p for p in points() if p.name == "fa2kv_a30_llama7b_decode_s1k")
    # the log's 55.138 us for 1024 keys, less its 24.507 us for the same call on 32 keys
    assert abs(p.reference_seconds - (55.138 - 24.507) * 1e-6) < 1e-12
    assert p.m == 1  # a decode point


def test_a_points_command_line_writes_its_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for p in points()[:3] + tuple(p for p in points() if p.m == 1)[:1]:
        args = build_parser().parse_args(shlex.split(p.problem().command())[1:])
        assert args.fn(args) == 0
        assert (tmp_path / f"{p.name}.mlir").read_text() == p.problem().to_mlir()
