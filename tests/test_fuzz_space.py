"""`tilefuse fuzz` without compiles: the problems it draws cover issue 18's space and are reproducible, each case
reruns from its command line, refusals group by reason. The fixed-seed run itself: test_fuzz.py."""

import shlex

from tilefuse.cli import build_parser
from tilefuse.tools.fuzz.case import Case
from tilefuse.tools.fuzz.space import HEAD_DIMS, MAX_WORK, draw_problem
from tilefuse.tools.fuzz.summary import failed, record, summarize
from tilefuse.ir.facts import HALF_FLOATS
from tilefuse.problem import EPILOGUES, GQA_LAYOUTS, LAYOUTS, MASKS

DRAWS = [draw_problem(7, i) for i in range(400)]


def _is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


def test_draws_cover_the_space():
    assert {p.dtype for p in DRAWS} == set(HALF_FLOATS)  # fp8: drawn for a target (below)
    assert {p.mask for p in DRAWS} == set(MASKS)
    assert {p.layout for p in DRAWS} == set(LAYOUTS)
    assert {p.epilogue for p in DRAWS} == set(EPILOGUES)
    assert {p.gqa_layout for p in DRAWS if p.hkv < p.heads} == set(GQA_LAYOUTS)
    assert {p.batch for p in DRAWS} == {1, 2} and {p.heads for p in DRAWS} == {1, 2, 3, 4}
    assert any(p.hkv == p.heads > 1 for p in DRAWS) and any(p.hkv < p.heads for p in DRAWS)
    assert {p.k1 for p in DRAWS} == set(HEAD_DIMS) and any(p.k1 != p.nv for p in DRAWS)
    # a KV cache, a prompt and its keys, a prompt of run-time length
    assert {p.dynamic for p in DRAWS} - {None} == {"k2", "m,k2", "m"}
    # run-time lengths under a mask, GQA's included (a GQA prompt's static rows against a masked KV cache too)
    assert {p.dynamic for p in DRAWS if p.mask != "none"} - {None} == {"m,k2", "m", "k2"}
    assert any(p.hkv < p.heads and "m" in p.dynamic_dims and p.mask != "none" for p in DRAWS)
    assert any(p.hkv < p.heads and p.dynamic == "k2" and p.m > 1 and p.mask != "none" for p in DRAWS)
    assert any(p.hkv < p.heads and "m" in p.dynamic_dims and p.mask == "none" for p in DRAWS)
    # a paged KV cache (a few cases in 400: its share of the forms it takes)
    paged = [p for p in DRAWS + [draw_problem(7, i) for i in range(400, 4000)] if p.paged]
    assert {p.paged for p in paged} == {1, 2, 4, 8, 16, 32, 64, 128}
    # ... its page table of run-time length (pages of 8, several a step, without a mask of the attention's own)
    run_time = [p for p in paged if p.dynamic]
    assert {p.dynamic for p in run_time} == {"k2"}
    assert all(p.mask == "none" and p.seq_lens is None for p in run_time if p.paged == 8)
    assert {p.seq_lens for p in DRAWS} == {None, "drawn"}  # its lengths from a seq_lens operand
    for length in ("m", "k2"):
        values = {getattr(p, length) for p in DRAWS}
        assert 1 in values and max(values) > 256 and any(_is_prime(v) and v > 100 for v in values), length
        assert any(v < 16 for v in values) and any(v % 64 == 0 for v in values), length


def test_draws_are_valid_and_small_enough_to_interpret():
    for p in DRAWS:
        assert p.batch * p.heads * p.m * p.k2 * (p.k1 + p.nv) <= MAX_WORK
        assert p.mask != "causal" or p.k2 >= p.m
    assert all(p.to_mlir() for p in DRAWS[:100])  # renders (the spec validated it when it was made)


def test_a_case_is_the_same_problem_whatever_the_run():
    assert draw_problem(7, 3) == DRAWS[3]
    other_seed = [draw_problem(8, i).with_(name=p.name) for i, p in enumerate(DRAWS[:10])]
    assert other_seed != DRAWS[:10]


def test_fp8_forms_are_drawn_per_target_and_leave_the_16_bit_cases_as_they_were():
    for target, fp8 in (("gfx942", {"f8E4M3FNUZ", "f8E5M2FNUZ"}), ("sm_89", {"f8E4M3FN", "f8E5M2"}),
                        ("sm_80", set())):
        draws = [draw_problem(7, i, target) for i in range(200)]
        assert {p.dtype for p in draws} == set(HALF_FLOATS) | fp8  # E4M3 and E5M2, in the target's form
        caches = {p.kv_dtype for p in draws} - {None}
        assert caches == (fp8 or {"f8E4M3FN", "f8E5M2"})
        assert any(p.k_scale and p.v_scale for p in draws)
        mixed = [p for p in draws if p.v_dtype]  # V in the other format of K's family, fp8 Q/K/V where it has MMA
        assert mixed and {p.kv_dtype is None for p in mixed} == ({True, False} if fp8 else {False})
        assert 0.2 < sum(p.dtype in fp8 or p.kv_dtype is not None for p in draws) / len(draws) < 0.4
        assert all(p == d for p, d in zip(draws, DRAWS) if p.dtype in HALF_FLOATS and p.kv_dtype is None)
        # a case of run-time length takes the fp8 forms too, masked or not
        dynamic = [p for p in (draw_problem(7, i, target) for i in range(200, 1000)) if p.dynamic]
        fp8_dynamic = [p for p in dynamic if p.dtype in fp8 or p.kv_dtype is not None]
        assert {p.kv_dtype is None for p in fp8_dynamic} == ({True, False} if fp8 else {False})
        assert {p.mask == "none" for p in fp8_dynamic} == {True, False}
        # a paged cache takes fp8 pages (never fp8 Q/K/V: pages are a cache's)
        paged = [p for p in (draw_problem(7, i, target) for i in range(1000, 3000)) if p.paged]
        assert {p.kv_dtype is None for p in paged} == {True, False} and all(p.dtype in HALF_FLOATS for p in paged)


def test_the_command_line_writes_the_case(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for p in DRAWS[:8]:
        args = build_parser().parse_args(shlex.split(p.command())[1:])
        assert args.fn(args) == 0
        assert (tmp_path / f"{p.name}.mlir").read_text() == p.to_mlir()


def test_summary_groups_refusals_and_fails_on_a_mismatch():
    def rec(i, verdict, reason=None, stage=None, mma=False):
        case = Case(i, DRAWS[i].to_dict(), "gfx942", "tilefuse", 0, "w")
        return record(case, {"verdict": verdict, "stage": stage, "reason": reason, "lowered_by_path_with_mma": mma})

    why = "stage 'configure' failed: attention_dispatch_{}: head dims K1=40, N=40 are not multiples of the MMA tile"
    records = [rec(0, "ok", mma=True), rec(1, "refused", why.format(3), "configure"),
               rec(2, "refused", why.format(4), "configure")]
    s = summarize(records)
    assert s["verdicts"]["ok"] == 1 and s["verdicts"]["refused"] == 2
    assert s["lowered_by_path_with_mma"] == {"count": 1, "share": 1 / 3}
    assert s["refusals"] == [{"stage": "configure", "count": 2,
                              "reason": "head dims K1=40, N=40 are not multiples of the MMA tile"}]
    assert not failed(s) and failed(summarize(records + [rec(3, "mismatch", "x", "lower")]))
    assert records[1]["command"].startswith("tilefuse problem --name fuzz_7_1 ")
