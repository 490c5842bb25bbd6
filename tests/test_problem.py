"""Problems render valid IREE input, the NumPy reference is softmax attention, bad problems are refused. The reference
against IREE's own CPU execution: test_problem_cpu.py."""

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.errors import TilefuseError
from tilefuse.problem import AttentionProblem
from tilefuse.ir.rounding import round_to
from tilefuse.tools.suite import SUITE


def test_suite_covers_what_the_issue_asks():
    assert len(SUITE) >= 8
    assert {p.k1 for p in SUITE} >= {64, 128, 256}
    assert {p.dtype for p in SUITE} == {"f16", "bf16"}
    assert any(p.m % 64 or p.k2 % 64 for p in SUITE), "an unaligned sequence length"
    assert any(p.mask != "none" for p in SUITE)
    assert any(p.hkv < p.heads for p in SUITE), "GQA"
    assert any(p.m == 1 for p in SUITE), "decode"
    assert any(p.epilogue != "none" for p in SUITE)
    assert {p.layout for p in SUITE} == {"3d", "4d"}


@pytest.mark.parametrize("problem", SUITE, ids=lambda p: p.name)
def test_renders_parseable_attention(problem):
    with ir.Context() as ctx:
        module = ir.Module.parse(problem.to_mlir(), ctx)
        assert "iree_linalg_ext.attention" in str(module)
        func = module.body.operations[0]
        assert str(func.type).endswith(f"tensor<{'x'.join(map(str, problem.result_shape()))}x{problem.dtype}>")


def test_reference_is_softmax_attention():
    p = AttentionProblem(batch=1, heads=1, m=3, k2=4, k1=2, dtype="f16", scale=0.5)
    x = {"q": np.ones((1, 1, 3, 2), np.float32), "k": np.zeros((1, 1, 4, 2), np.float32),
         "v": np.arange(8, dtype=np.float32).reshape(1, 1, 4, 2)}
    # Equal scores: each output row is the mean of V's rows.
    np.testing.assert_allclose(p.reference(x)[0, 0], np.tile([3.0, 4.0], (3, 1)))


def test_causal_mask_hides_future_keys():
    p = AttentionProblem(batch=1, heads=1, m=2, k2=2, k1=1, mask="causal", scale=1.0)
    x = {"q": np.zeros((1, 1, 2, 1), np.float32), "k": np.zeros((1, 1, 2, 1), np.float32),
         "v": np.array([10.0, 20.0], np.float32).reshape(1, 1, 2, 1)}
    np.testing.assert_allclose(p.reference(x)[0, 0, :, 0], [10.0, 15.0])


def test_bf16_rounding_is_nearest_even():
    x = np.array([1.0 + 2**-8, 1.0 + 3 * 2**-8, 1.0 + 2**-7], np.float32)
    np.testing.assert_array_equal(round_to("bf16", x), [1.0, 1.0 + 2**-6, 1.0 + 2**-7])


@pytest.mark.parametrize("bad", [dict(dtype="f32"), dict(heads=6, kv_heads=4), dict(mask="sliding"),
                                 dict(layout="3d", epilogue="head-merge"), dict(m=0),
                                 dict(mask="causal", m=8, k2=4), dict(dynamic="k1"), dict(dynamic=","),
                                 dict(dynamic="k2", kv_heads=2, gqa_layout="repeated"), dict(dynamic="m", epilogue="cast")])
def test_bad_problems_are_rejected(bad):
    with pytest.raises(TilefuseError):
        AttentionProblem(**bad)


@pytest.mark.parametrize("layout", ["3d", "4d"])
def test_repeated_kv_heads_compute_what_grouped_ones_do(layout):
    """gqa_layout='repeated' (k/v repeated to every query head, as torch's repeat_interleave exports) is the same
    attention as the grouped layout: the interpreted program gives the reference, which does not depend on it."""
    from tilefuse.interp.program import Program
    from tilefuse.checkers.bound import problem_bound
    from tilefuse.checkers.verify import compare
    p = AttentionProblem(heads=4, kv_heads=2, m=5, k2=7, k1=16, layout=layout, gqa_layout="repeated", mask="causal")
    program = Program(ir.Module.parse(p.to_mlir(), ir.Context()))
    inputs = p.random_inputs(0)
    (got,) = program.call(program.entry(None), list(inputs.values()))
    assert compare(got, p.reference(inputs), problem_bound(p, inputs)).ok
    assert np.array_equal(p.reference(inputs), p.with_(gqa_layout="grouped").reference(inputs))
    with pytest.raises(TilefuseError, match="gqa_layout 'repeated' needs fewer kv_heads than heads"):
        p.with_(kv_heads=None)


@pytest.mark.parametrize("dtype,values,want", [
    # round to nearest, ties to even (1.0625 lies halfway between 1 and 1.125), as MLIR's APFloat
    ("f8E4M3FN", [1.0625, 1.1875, 448.0, 464.0, 472.0, 2.0**-10], [1.0, 1.25, 448.0, 448.0, np.nan, 0.0]),
    # FNUZ: the largest finite value is 240, no negative zero, NaN past the top (no infinity)
    ("f8E4M3FNUZ", [1.0625, -0.0, 240.0, 248.0, 2.0**-11], [1.0, 0.0, 240.0, np.nan, 0.0]),
    # E5M2 has infinities: 61440 is halfway from 57344 to the next binade's 65536, its tie rounds up (even)
    ("f8E5M2", [1.125, 61440.0, 1e6], [1.0, np.inf, np.inf]),
])
def test_fp8_rounding_is_nearest_even_with_the_formats_overflow(dtype, values, want):
    np.testing.assert_array_equal(round_to(dtype, np.array(values, np.float32)), want)


@pytest.mark.parametrize("dynamic,layout", [("k2", "4d"), ("m,k2", "4d"), ("m", "3d"), ("k2", "3d")])
def test_dynamic_lengths_render_as_run_time_sizes_and_the_header_check_accepts_them(dynamic, layout):
    """`?` where the problem says the length is known at run time (Q's rows for m, K's and V's for k2), the
    output's rows with Q's; the header's m and k2 are the sizes verify runs it at."""
    from tilefuse.cli_checks import problem_header

    p = AttentionProblem(heads=8, kv_heads=2, m=5, k2=37, k1=16, dynamic=dynamic, layout=layout)
    text = p.to_mlir()
    assert problem_header("x", text) == p
    with ir.Context():
        func = ir.Module.parse(text).body.operations[0]
        args = [list(t.shape) for t in func.type.inputs]
        (result,) = func.type.results
    dyn = ir.ShapedType.get_dynamic_size()
    assert [a[-2] == dyn for a in args] == ["m" in dynamic, "k2" in dynamic, "k2" in dynamic]
    assert (result.shape[-2] == dyn) == ("m" in dynamic)
    assert all(d != dyn for a in args for i, d in enumerate(a) if i != len(a) - 2)


@pytest.mark.parametrize("dynamic,layout,mask", [("k2", "4d", "none"), ("m,k2", "4d", "additive"),
                                                 ("m", "3d", "boolean")])
def test_a_problem_at_the_shapes_of_other_run_time_lengths_is_the_problem_at_those_lengths(dynamic, layout, mask):
    """at_shapes (verify --dim over a problem file) reads each run-time length where the IR types it `?`: the
    shapes of the problem at M=3, K2=90 give back that problem; its static lengths stay; a length given two
    sizes (K's keys 90, V's 91) is refused by name."""
    p = AttentionProblem(heads=4, kv_heads=2, m=5, k2=37, k1=16, dynamic=dynamic, layout=layout, mask=mask)
    at = {d: s for d, s in (("m", 3), ("k2", 90)) if d in p.dynamic_dims}
    want = p.with_(**at)
    assert p.at_shapes([tuple(s) for s in want.shapes().values()]) == want
    if "k2" in p.dynamic_dims:
        shapes = [list(s) for s in want.shapes().values()]
        shapes[2][-2] = 91
        with pytest.raises(TilefuseError, match="^--dim: K2 is 90 in k and 91 in v: one length of the problem"):
            p.at_shapes(shapes)


def test_a_problems_one_line_description_names_every_field_off_its_default():
    paged = AttentionProblem(batch=2, heads=32, kv_heads=8, m=1, k2=4096, k1=128, mask="additive", paged=32)
    assert paged.describe() == "B=2 H=32/KV=8 M=1 K2=4096 K1=128 N=128 f16 mask=additive paged=32"
    fp8_cache = AttentionProblem(kv_dtype="f8E4M3FN", k_scale=0.5)
    assert fp8_cache.describe().endswith(" f16 kv_dtype=f8E4M3FN k_scale=0.5")
    assert AttentionProblem(m=100, dynamic="m,k2").describe().endswith(" f16 dynamic=m,k2")
    assert AttentionProblem(name="plain").describe() == "B=1 H=8 M=1024 K2=1024 K1=64 N=64 f16"


@pytest.mark.parametrize("dynamic", ["m", "k2", "m,k2"])
@pytest.mark.parametrize("mask", ["additive", "causal"])
def test_a_mask_of_run_time_lengths_is_sized_by_them(dynamic, mask):
    """A mask over (m, k2) is `?` along the run-time lengths (an argument, or the causal mask built at Q's and K's
    sizes: its diagonal k2 - m computed from them, no constant of the header's sizes)."""
    from tilefuse.cli_checks import problem_header

    p = AttentionProblem(heads=4, kv_heads=2, m=5, k2=37, k1=16, dynamic=dynamic, mask=mask)
    text = p.to_mlir()
    assert problem_header("x", text) == p
    with ir.Context():
        module = ir.Module.parse(text)
        (att,) = [op for op in module.body.operations[0].regions[0].blocks[0].operations
                  if op.name == "iree_linalg_ext.attention"]
        shape = list(att.operands[4].type.shape)
    dyn = ir.ShapedType.get_dynamic_size()
    assert shape == [dyn if d in p.dynamic_dims else n for d, n in (("m", 5), ("k2", 37))]
    assert "arith.constant 32 : index" not in text  # k2 - m at the header's sizes
