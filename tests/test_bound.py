"""verify's error bound (tilefuse/checkers/bound.py): derived from the computation and the inputs drawn, it admits what
a correct implementation's rounding does (a sharp scale-1.0 softmax included) and still rejects small bugs."""

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.checkers.bound import BoundingProgram, fixed_bound, problem_bound
from tilefuse.driver.compile import convert_input
from tilefuse.problem import AttentionProblem
from tilefuse.ir.rounding import round_to
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import compare

from torch_export_files import FIXTURES

T5_LIKE = AttentionProblem(heads=2, m=64, k2=64, k1=64, scale=1.0, mask="additive")  # T5's bias as the mask


def iree_decomposition(p: AttentionProblem, inputs, scale_ulps: int = 0) -> np.ndarray:
    """The attention as IREE's decomposition rounds it: scale·log2(e) and Q times it in f16, f32 scores and sums,
    P in f16 for the PV product, the result in f16. `scale_ulps` plants a bug: the folded scale that many f16
    ulps too large."""
    c = np.float16(p.scale_value * np.log2(np.e))
    for _ in range(scale_ulps):
        c = np.nextafter(c, np.float16(np.inf))
    q = round_to("f16", inputs["q"].astype(np.float32) * np.float32(c))
    s = np.einsum("hmd,hkd->hmk", q.reshape(p.heads, p.m, p.k1), inputs["k"].reshape(p.heads, p.k2, p.k1))
    if "mask" in inputs:
        s = s.astype(np.float32) + np.float32(np.log2(np.e)) * inputs["mask"].astype(np.float32)
    e = np.exp2(s - s.max(axis=-1, keepdims=True)).astype(np.float32)
    o = np.einsum("hmk,hkn->hmn", round_to("f16", e), inputs["v"].reshape(p.heads, p.k2, p.nv)).astype(np.float32)
    return round_to("f16", o / e.sum(axis=-1, keepdims=True)).reshape(p.result_shape())


def test_scale_one_rounding_is_within_the_bound_not_the_fixed_tolerance():
    """T5's and Whisper's scale 1.0: on unit inputs the scores reach ~40, so an f16 rounding of Q·scale moves a
    score by ~0.02 and P by 2%: the per-dtype tolerance failed correct code; the derived bound admits it."""
    inputs = T5_LIKE.random_inputs(0)
    want, got = T5_LIKE.reference(inputs), iree_decomposition(T5_LIKE, inputs)
    bound = problem_bound(T5_LIKE, inputs)
    assert bound.kind == "derived" and compare(got, want, bound).ok
    assert not compare(got, want, fixed_bound(want, "f16", "")).ok


@pytest.mark.parametrize("problem", [AttentionProblem(heads=2, m=64, k2=128, k1=64),
                                     AttentionProblem(heads=2, m=64, k2=128, k1=128, mask="additive")])
def test_a_scale_six_ulps_off_is_caught_as_the_fixed_tolerance_caught_it(problem):
    """The smallest bug of this family the per-dtype tolerance caught (the folded scale 6 f16 ulps too large,
    0.4%) is caught by the derived bound too; the unplanted decomposition passes both."""
    inputs = problem.random_inputs(0)
    want, bound = problem.reference(inputs), problem_bound(problem, inputs)
    assert compare(iree_decomposition(problem, inputs), want, bound).ok
    planted = iree_decomposition(problem, inputs, scale_ulps=6)
    assert not compare(planted, want, fixed_bound(want, "f16", "")).ok
    assert not compare(planted, want, bound).ok


def test_the_bound_grows_with_the_scores_and_the_operand_type():
    """From the inputs drawn: sharper scores widen the score term; bf16 (u = 2^-8) widens every rounding term."""
    base = AttentionProblem(heads=2, m=32, k2=64, k1=64)
    components = {name: problem_bound(p, p.random_inputs(0)).components
                  for name, p in (("base", base), ("sharp", base.with_(scale=1.0)), ("bf16", base.with_(dtype="bf16")))}
    assert components["sharp"]["scores"] > 4 * components["base"]["scores"]
    for term in ("scores", "p_rounding", "output_rounding"):
        assert components["bf16"][term] > 4 * components["base"][term], term


@pytest.mark.parametrize("epilogue", ["residual", "head-merge", "cast"])
def test_the_bound_reaches_outputs_through_moves_and_adds(epilogue):
    """A residual add, a head merge (transpose, reshape) and a cast keep the derived bound: the output's error is
    the attention's, moved, plus the rounding of the add or cast."""
    p = AttentionProblem(heads=2, m=32, k2=64, k1=64, epilogue=epilogue)
    inputs = p.random_inputs(0)
    bound = problem_bound(p, inputs)
    assert bound.kind == "derived" and bound.atol.shape == tuple(p.result_shape())
    if epilogue == "residual":  # the add's rounding on top of the attention's bound
        plain = problem_bound(p.with_(epilogue="none"), inputs)
        assert np.all(bound.atol > plain.atol)


def test_an_output_computed_from_an_attention_by_a_matmul_keeps_the_fixed_tolerance_and_says_why(tmp_path):
    """The attention block's o projection is a matmul of the attention's result: no bound is carried through it
    (yet), so that output is judged by the per-dtype tolerance, naming the op."""
    converted = convert_input(FIXTURES / "attention_block.mlir", get_target("gfx942"), tmp_path / "program.mlir")
    program = BoundingProgram(ir.Module.parse(converted.read_text(), ir.Context()))
    entry = program.entry(None)
    (out,) = program.call(entry, [round_to("f16", np.random.default_rng(0).standard_normal((1, 128, 128)))])
    (bound,) = program.output_bounds(entry, [out], ["f16"])
    assert bound.kind == "fixed" and "after an attention" in bound.note, bound.note
