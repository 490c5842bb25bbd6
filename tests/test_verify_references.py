"""When verify's references disagree (the interpreted program, a problem file's NumPy reference, IREE's llvm-cpu):
which agree is reported, and the exit follows the README's rule."""

import pytest

from tilefuse.problem import AttentionProblem
from tilefuse.checkers.verify import (
    CPU_DEFECT,
    CPU_DEFECT_VERDICT,
    CPU_DIFFERS,
    CPU_DIFFERS_VERDICT,
    StageCheck,
    VerifyOptions,
    VerifyReport,
    judge_references,
    verdict_line,
    verify_file,
)


def report(numpy="ok", cpu="MISMATCH", stages=("ok", "ok", "ok"), references=None, bound_kind="derived"):
    checks = [StageCheck("program", "numpy-reference", numpy)] if numpy else []
    checks.append(StageCheck("program", "llvm-cpu", cpu, max_abs_err=0.41, error_over_bound=1.003,
                             bound_kind=bound_kind))
    checks += [StageCheck("d", s, status) for s, status in zip(("decompose", "bufferize", "lower"), stages)]
    r = VerifyReport("in.mlir", "gfx942", "tilefuse", checks, references=references or {})
    judge_references(r)
    return r


def cpu_status(r):
    return {c.stage: c for c in r.checks}["llvm-cpu"]


def test_llvm_cpu_alone_against_every_other_witness_is_an_iree_defect_not_a_mismatch():
    r = report(references={"program / numpy-reference": True, "program / llvm-cpu": False,
                           "numpy-reference / llvm-cpu": False})
    assert cpu_status(r).status == CPU_DEFECT and r.ok
    assert "the interpreted program, the NumPy reference and all 3 checked stages agree" in cpu_status(r).reason
    assert verdict_line(r) == f"verify: PASS (4 ok, 1 {CPU_DEFECT}): {CPU_DEFECT_VERDICT}"
    # without a NumPy reference (a torch export) the interpreted program and the final code are the witnesses
    r = report(numpy=None)
    assert cpu_status(r).status == CPU_DEFECT and "(the interpreted program and all 3" in cpu_status(r).reason


def test_llvm_cpu_alone_beyond_a_fixed_tolerance_is_reported_not_judged_a_defect():
    """A whole model's output after a norm has no derived bound (ViT's CLS row through its final LayerNorm: x1.003 of
    the per-dtype tolerance, numerics.md): the fixed tolerance cannot say IREE is wrong there."""
    r = report(numpy=None, bound_kind="fixed")
    assert cpu_status(r).status == CPU_DIFFERS and r.ok
    assert "x1.003 of the per-dtype tolerance" in cpu_status(r).reason
    assert verdict_line(r) == f"verify: PASS (3 ok, 1 {CPU_DIFFERS}): {CPU_DIFFERS_VERDICT}"
    # a stage that disagrees too keeps it a mismatch, whatever the bound
    assert cpu_status(report(numpy=None, bound_kind="fixed", stages=("ok", "ok", "MISMATCH"))).status == "MISMATCH"


def test_llvm_cpu_stays_a_mismatch_unless_every_other_witness_agrees():
    for r in (report(stages=("ok", "ok", "MISMATCH")),  # a stage agrees with llvm-cpu's side
              report(stages=("ok", "unchecked", "unchecked")),  # the final code did not run
              report(references={"numpy-reference / llvm-cpu": True})):  # NumPy sides with llvm-cpu
        assert cpu_status(r).status == "MISMATCH" and not r.ok
        assert verdict_line(r).startswith("verify: FAIL")


def test_the_interpreter_against_the_numpy_reference_fails_naming_who_agrees():
    r = report(numpy="MISMATCH", cpu="ok", references={"program / numpy-reference": False, "program / llvm-cpu": True,
                                                       "numpy-reference / llvm-cpu": False})
    assert not r.ok
    assert verdict_line(r) == ("verify: FAIL (4 ok, 1 MISMATCH): the references disagree: program != numpy-reference, "
                               "program = llvm-cpu, numpy-reference != llvm-cpu")


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])
def test_bf16_d160_iree_cpu_defect_is_reported_not_a_tilefuse_mismatch(tmp_path, target):
    """IREE 3.13's llvm-cpu is wrong for bf16 with d=160 (max abs ~1.1) while the interpreted program, the NumPy
    reference and every tilefuse stage agree: verify passes and names IREE's CPU compile."""
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(heads=1, m=64, k2=64, k1=160, n=160, dtype="bf16").to_mlir())
    r = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / "w"))
    assert r.references == {"program / numpy-reference": True, "program / llvm-cpu": False,
                            "numpy-reference / llvm-cpu": False}
    assert cpu_status(r).status == CPU_DEFECT and cpu_status(r).max_abs_err > 0.3
    assert r.ok and all(c.status == "ok" for c in r.checks if c.dispatch != "program")
    assert verdict_line(r).endswith(CPU_DEFECT_VERDICT)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["stock", "tilefuse"])
def test_scale_one_with_an_additive_bias_passes_where_stock_and_llvm_cpu_agree(tmp_path, path):
    """T5's form (scale 1.0, its position bias as an additive mask): every stage and llvm-cpu within the derived
    bound, which the report gives with its components."""
    src = tmp_path / "p.mlir"
    src.write_text(AttentionProblem(heads=2, m=64, k2=64, k1=64, scale=1.0, mask="additive").to_mlir())
    r = verify_file(src, VerifyOptions("gfx942", path, tmp_path / "w"))
    assert r.ok and cpu_status(r).status == "ok", r.checks
    (bound,) = r.bounds
    assert bound["kind"] == "derived" and set(bound["components"]) == {"scores", "p_rounding", "accumulation",
                                                                      "output_rounding"}
    assert all(0 <= c.error_over_bound <= 1 for c in r.checks if c.status == "ok" and c.max_abs_err is not None)
