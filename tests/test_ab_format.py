"""What `tilefuse ab` prints and writes from its records (tilefuse/tools/ab.py, tilefuse/tools/html_report.py), on
records built by hand: the table's columns, the numerics verdict, who lowered the attention, the fault table, the HTML
page."""

import pytest

from tilefuse.tools import html_report
from tilefuse.tools.ab import fault_diff_table, format_table, lowered_via, program_estimate, verdict, verdicts


def _record(case, path, ok=True, vgpr=100, gpu=None, verify=None, **dispatch):
    isa = {"vgpr": vgpr, "sgpr": 20, "vgpr_spills": 0, "sgpr_spills": 0, "lds_bytes": None, "mma_ops": 32,
           "instructions": 400, "barriers": 0}
    rep = {"path": path, "ok": ok, "error": None if ok else "stage 'configure' failed: x", "compile_seconds": 1.0,
           "dispatches": [{"has_attention": True, "lowered_by": "path", "isa": isa if ok else None, **dispatch}]}
    return {"case": case, "report": rep, **({"gpu": gpu} if gpu else {}), **({"verify": verify} if verify else {})}


def _verify(ok=12, mismatch=0, race=0, unchecked=0):
    status = "RACE" if race else ("MISMATCH" if mismatch else "ok")
    return {"status": status, "ok": ok, "MISMATCH": mismatch, "RACE": race, "unchecked": unchecked}


@pytest.mark.parametrize("v,expected", [(None, "-"), (_verify(11, unchecked=1), "ok 11/12"),
                                        (_verify(8, mismatch=4), "MISMATCH 8/12"), (_verify(10, race=2), "RACE 10/12"),
                                        ({"status": "ERROR", "error": "x"}, "ERROR")])
def test_verdict_counts_stages_passed_whatever_the_status(v, expected):
    assert verdict(_record("p", "tilefuse", verify=v)) == expected


def test_via_says_who_lowered_the_attention():
    rec = _record("p", "tilefuse")["report"]
    assert lowered_via(rec) == "path"
    assert lowered_via({**rec, "program_stages": [{"changes": [{"sizes": [77], "padded": [80]}]}]}) == "path+pad"
    causal = {"causal_offset": 0, "rows": 128, "mask": "dropped"}
    assert lowered_via({**rec, "program_stages": [{"changes": [causal]}, {"changes": []}]}) == "path+causal"
    assert lowered_via(_record("p", "tilefuse", rewrites=[{"after": "decompose"}])["report"]) == "path+edit"
    assert lowered_via(_record("p", "tilefuse", fallback={"from": "tilefuse", "to": "stock"})["report"]) == \
        "fallback:stock"
    assert lowered_via(_record("p", "stock", lowered_by="iree")["report"]) == "iree"
    two = {**rec, "program_stages": [{"changes": [causal]}],  # --fallback lowered one of two attentions
           "dispatches": [*rec["dispatches"], {**rec["dispatches"][0], "fallback": {"to": "stock"}}]}
    assert lowered_via(two) == "path+causal,fallback:stock"
    assert lowered_via({"dispatches": [{"has_attention": False}]}) == "-"


def test_table_columns_follow_what_the_records_hold():
    plain = format_table([_record("p1", "stock"), _record("p1", "tilefuse", ok=False)]).splitlines()
    header, rule, stock, failed = plain
    assert header.split() == ["problem", "path", "ok", "via", "compile_s", "vgpr", "vgpr_spills", "lds_bytes",
                              "mma_ops", "instructions", "barriers", "attn", "attn_Mflop", "attn_KB", "attn_us",
                              "est_us", "est_roof%", "est_bound", "est_fill"]
    assert set(rule.replace("  ", "")) == {"-"} and len(rule) == len(header)
    assert stock.split() == ["p1", "stock", "ok", "path", "1.00", "100", "0", "-", "32", "400", "0", "1"] + ["-"] * 7
    assert failed.split()[:3] == ["p1", "tilefuse", "FAIL"] and failed.split()[5:] == ["-"] * 14
    full = format_table([_record("p1", "tilefuse", verify=_verify(12),
                                 gpu={"status": "ok", "median_ms": 0.5, "tflops": 12.04}),
                         _record("p1", "stock")]).splitlines()
    assert full[0].split()[-6:] == ["cpu_numerics", "gpu_numerics", "ms", "ms/est", "TFLOP/s", "sdpa_ms"]
    assert full[2].split()[-7:] == ["ok", "12/12", "ok", "0.500", "-", "12.0", "-"]  # no estimate: no ms/est
    assert full[3].split()[-6:] == ["-"] * 6  # not verified, not run


def test_fault_table_names_what_the_fault_changed():
    clean = [_record("p1", "stock"), _record("p1", "hint", vgpr=100)]
    faulty = [_record("p1", "stock"),
              _record("p1", "hint", vgpr=101, fault={"dropped": {"attention_qk_matmul": 1, "attention_pv_matmul": 1}})]
    header, stock, hint = fault_diff_table(clean, faulty).splitlines()
    assert header.split()[:3] == ["problem", "path", "dropped"]
    assert stock.split() == ["p1", "stock", "-", "none"]
    assert hint.split(None, 3) == ["p1", "hint", "attention_qk_matmulx1,attention_pv_matmulx1", "vgpr 100 -> 101"]
    assert fault_diff_table([clean[0]], [_record("p1", "stock", ok=False)]).splitlines()[1].endswith(
        "clean ok, with fault FAIL")
    with pytest.raises(ValueError, match="not aligned"):
        fault_diff_table(clean, faulty[::-1])


def test_html_page_has_table_and_charts():
    records = [_record("p1", "stock"), _record("p1", "tilefuse", vgpr=80,
                                                gpu={"status": "ok", "median_ms": 0.5, "tflops": 12.0}),
               _record("p2", "stock"), _record("p2", "tilefuse", ok=False)]
    page = html_report.render(records, "sm_80")
    summary, detail = page.split("<h2>Detail</h2>")
    assert detail.count("<tr") == 5  # header + 4 rows
    assert '<tr class="fail"' in detail and "stage &#x27;configure&#x27; failed" in detail
    assert detail.count("<svg") == 4  # vgpr, mma_ops, instructions, tflops; no lds chart: none could be read
    assert "p2: no decision (fewer than two paths with an estimate)" in summary and "no estimate: stock, tilefuse" \
        in summary
    assert "<title>p1 / tilefuse: 80</title>" in page
    assert ">12.0<" in page and "not checked" in page
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")


def _estimated(case, path, us, error=2.0, bound="latency"):
    """A record whose one attention dispatch has an estimate of `us` microseconds on H100, band x`error`."""
    s = us * 1e-6
    on = {"seconds_low": s / error, "seconds_high": s * error, "roofline_seconds": s / 2, "occupancy": 8,
          "occupancy_unit": "warps per SM", "occupancy_limit": "registers"}
    est = {"machine": "H100", "seconds": {"H100": s}, "machines": {"H100": on}, "bound": bound, "machine_fill": 0.5,
           "flops_issued": 1e9, "global_bytes": 1e6}
    rec = _record(case, path)
    rec["report"]["dispatches"][0]["estimate"] = est
    return rec


def test_the_verdict_names_the_faster_path_only_when_the_bands_are_apart():
    records = [_estimated("apart", "stock", 50.0), _estimated("apart", "tilefuse", 10.0),
               _estimated("close", "stock", 10.0), _estimated("close", "tilefuse", 15.0),
               _estimated("alone", "stock", 10.0), _record("alone", "tilefuse", ok=False)]
    assert verdicts(records).splitlines() == [
        # tilefuse's band 5-20 us lies below stock's 25-100 us
        "apart: tilefuse 10.0 us [5.0-20.0], 5.00x faster than stock by the estimate on H100",
        # stock's band 5-20 us reaches tilefuse's 7.5-30 us
        "close: stock 10.0 us [5.0-20.0], 1.50x faster than tilefuse by the estimate on H100; bands overlap: no decision",
        "alone: no decision (fewer than two paths with an estimate)"]


def test_the_html_page_opens_with_the_verdicts_best_path_highlighted():
    records = [_estimated("apart", "stock", 50.0, bound="memory"), _estimated("apart", "tilefuse", 10.0),
               _estimated("close", "stock", 10.0), _estimated("close", "tilefuse", 15.0)]
    page = html_report.render(records, "sm_80")
    summary, _ = page.split("<h2>Detail</h2>")
    apart, close = summary.split('<tbody class="decided">')[1], summary.split('<tbody class="open">')[1]
    assert apart.index("apart: tilefuse 10.0 us") < apart.index('<tr class="best"><td>tilefuse</td>')
    assert "<td>memory, fill 0.50</td>" in apart and "8 warps per SM (registers)" in apart
    assert "25.0 &ndash; 100.0" in apart and "bands apart" in apart  # stock's band, and that it is apart
    assert 'class="best"' not in close.split("</tbody>")[0] and "bands overlap" in close


def _dispatch(name, seconds, attention=False, at_load=False):
    on = {"seconds_low": seconds / 2, "seconds_high": seconds * 2, "roofline_seconds": seconds / 4}
    return {"name": name, "has_attention": attention, "runs_at_load": at_load,
            "estimate": {"machine": "MI300X", "seconds": {"MI300X": seconds}, "machines": {"MI300X": on},
                         "bound": "latency", "machine_fill": 1.0}}


def test_a_programs_estimate_leaves_out_what_runs_once_at_load():
    """A model's initializer dispatches (tables computed from its weights) run when the module loads, not per call."""
    report = {"ok": True, "dispatches": [_dispatch("_initializer_0_dispatch_0", 5e-6, at_load=True),
                                         _dispatch("main$async_dispatch_0", 2e-6),
                                         _dispatch("main$async_dispatch_1", 3e-6, attention=True)]}
    e = program_estimate(report)
    assert e["seconds"] == pytest.approx(5e-6) and e["seconds_low"] == pytest.approx(2.5e-6)
    assert e["roofline_fraction"] == pytest.approx(0.75e-6 / 5e-6)
