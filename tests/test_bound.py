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


# An attention whose heads are merged and projected by a matmul, as a model's o projection (and the attentions of
# tests/fixtures/masks/*gqa*): f32 accumulation, the result rounded to f16.
PROJECTED = """
func.func @main(%q: tensor<1x2x64x64xf16>, %k: tensor<1x2x64x64xf16>, %v: tensor<1x2x64x64xf16>,
                %w: tensor<128x64xf16>) -> tensor<64x64xf16> {
  %scale = arith.constant 0.125 : f16
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x64x64xf16>
  %o = iree_linalg_ext.attention <{indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>,
      affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>,
      affine_map<(d0, d1, d2, d3, d4, d5) -> ()>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>]}>
      ins(%q, %k, %v, %scale : tensor<1x2x64x64xf16>, tensor<1x2x64x64xf16>, tensor<1x2x64x64xf16>, f16)
      outs(%e : tensor<1x2x64x64xf16>) {
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  } -> tensor<1x2x64x64xf16>
  %te = tensor.empty() : tensor<1x64x2x64xf16>
  %t = linalg.transpose ins(%o : tensor<1x2x64x64xf16>) outs(%te : tensor<1x64x2x64xf16>) permutation = [0, 2, 1, 3]
  %merged = tensor.collapse_shape %t [[0, 1], [2, 3]] : tensor<1x64x2x64xf16> into tensor<64x128xf16>
  %ae = tensor.empty() : tensor<64x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%ae : tensor<64x64xf32>) -> tensor<64x64xf32>
  %mm = linalg.matmul ins(%merged, %w : tensor<64x128xf16>, tensor<128x64xf16>) outs(%acc : tensor<64x64xf32>)
      -> tensor<64x64xf32>
  %re = tensor.empty() : tensor<64x64xf16>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
      iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<64x64xf32>) outs(%re : tensor<64x64xf16>) {
  ^bb0(%in: f32, %out: f16):
    %h = arith.truncf %in : f32 to f16
    linalg.yield %h : f16
  } -> tensor<64x64xf16>
  return %r : tensor<64x64xf16>
}
"""


def _projected(attention: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The heads merged and projected as the program does it (f32 sums, the result in f16)."""
    merged = attention.transpose(0, 2, 1, 3).reshape(64, 128).astype(np.float32)
    return round_to("f16", merged @ w.astype(np.float32))


def test_the_bound_is_carried_through_an_o_projection():
    """After the o projection an output is a sum of 128 products, some near 0 by cancellation, where a tolerance
    relative to the output is no bound. The derived one carries the attention's bound through the matmul (|error|
    times |W|, plus the matmul's f32 sum and f16 rounding): a correct implementation passes, and it is the
    attention's own bound carried, no wider: an attention error of 0.75x its bound with the signs that add up in
    one output column passes, 1.25x fails."""
    p = AttentionProblem(heads=2, m=64, k2=64, k1=64)
    inputs = p.random_inputs(0)
    w = round_to("f16", np.random.default_rng(1).standard_normal((128, 64)) / 8)
    program = BoundingProgram(ir.Module.parse(PROJECTED, ir.Context()))
    (want,) = program.call("main", [inputs["q"], inputs["k"], inputs["v"], w])
    (bound,) = program.output_bounds("main", [want], ["f16"])
    assert bound.kind == "derived" and "through linalg.matmul K=128" in bound.note, bound.note
    assert compare(_projected(iree_decomposition(p, inputs), w), want, bound).ok
    attention, attention_bound = p.reference(inputs), problem_bound(p, inputs).atol
    aligned = np.sign(w[:, 0]).reshape(1, 2, 1, 64)  # W's sign in column 0 per merged (head, d)
    assert not compare(_projected(attention + 1.25 * attention_bound * aligned, w), want, bound).ok
    assert compare(_projected(attention + 0.75 * attention_bound * aligned, w), want, bound).ok


def test_a_nan_agrees_only_with_a_nan_of_the_reference_at_the_same_place():
    """A row a mask hides entirely is NaN in the model itself (a sliding window past a short padded sequence):
    a kernel that gives NaN there agrees; a NaN anywhere else, or a number where the reference has NaN, does not."""
    want = np.array([[0.5, 0.25], [np.nan, np.nan]])
    bound = fixed_bound(np.nan_to_num(want), "f16", "")
    assert compare(want.copy(), want, bound).ok
    assert not compare(np.array([[np.nan, 0.25], [np.nan, np.nan]]), want, bound).ok
    assert not compare(np.array([[0.5, 0.25], [0.0, np.nan]]), want, bound).ok
