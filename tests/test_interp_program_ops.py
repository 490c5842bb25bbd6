"""The program interpreter on the ops whole-model exports contain (after IREE's input conversion), each on a tiny
hand-written program checked against NumPy: embedding lookups with their bounds checks, broadcasts, pads, concats,
gathers, keepdim reductions, contractions, math functions, dynamic shapes; and inputs drawn as models get them."""

import math
from pathlib import Path

import numpy as np
import pytest

import iree.compiler.ir as ir

from tilefuse.ir import irutil
from tilefuse.checkers.bound import fixed_bound
from tilefuse.errors import TilefuseError
from tilefuse.interp import Interpreter
from tilefuse.interp import tensor as tensor_interp
from tilefuse.interp.core import AssertFailed, OutOfBounds
from tilefuse.interp.program import Program
from tilefuse.interp.signature import Argument, concrete_shapes, draw_inputs, dynamic_dims, entry_arguments
from tilefuse.interp.vector_ops import transfer_read
from tilefuse.ir.facts import FINITE_MAX
from tilefuse.ir.rounding import round_to
from tilefuse.problem import AttentionProblem
from tilefuse.checkers.verify import compare


def run(text: str, *inputs):
    program = Program(ir.Module.parse(text, ir.Context()))
    return program.call(program.entry(), list(inputs))


EMBEDDING = """
func.func @main(%ids: tensor<2x3xi64>, %table: tensor<5x4xf32>) -> tensor<2x3x4xf32> {
  %c5 = arith.constant 5 : index
  %c0 = arith.constant 0 : i64
  %e = tensor.empty() : tensor<2x3x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                       iterator_types = ["parallel", "parallel", "parallel"]} ins(%ids : tensor<2x3xi64>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%in: i64, %out: f32):
    %i = arith.index_cast %in : i64 to index
    %j = linalg.index 2 : index
    %lt = arith.cmpi slt, %i, %c5 : index
    cf.assert %lt, "index must be smaller than dim size"
    %ge = arith.cmpi sge, %in, %c0 : i64
    cf.assert %ge, "index must be larger or equal to 0"
    %x = tensor.extract %table[%i, %j] : tensor<5x4xf32>
    linalg.yield %x : f32
  } -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}
"""


def test_embedding_lookup_is_one_gather_with_its_bounds_checks():
    table = np.arange(20, dtype=np.float32).reshape(5, 4)
    ids = np.array([[0, 4, 2], [1, 1, 3]])
    (out,) = run(EMBEDDING, ids, table)
    np.testing.assert_array_equal(out, table[ids])
    with pytest.raises(AssertFailed, match='cf.assert failed: "index must be smaller than dim size"'):
        run(EMBEDDING, np.array([[0, 5, 2], [1, 1, 3]]), table)
    with pytest.raises(AssertFailed, match="larger or equal to 0"):
        run(EMBEDDING, np.array([[0, -1, 2], [1, 1, 3]]), table)


def test_an_unchecked_lookup_out_of_bounds_is_reported_not_wrapped():
    """NumPy would read table[-1]; the interpreter reports the access instead."""
    text = """
func.func @main(%t: tensor<5xf32>, %i: index) -> f32 {
  %x = tensor.extract %t[%i] : tensor<5xf32>
  return %x : f32
}"""
    assert run(text, np.arange(5, dtype=np.float32), np.int64(3))[0] == 3
    with pytest.raises(OutOfBounds, match="index -1 on dim 0 outside extent 5"):
        run(text, np.arange(5, dtype=np.float32), np.int64(-1))


def test_broadcast_pad_concat():
    text = """
func.func @main(%x: tensor<2x3xf32>) -> (tensor<2x4x3xf32>, tensor<3x6xf32>, tensor<2x6xf32>) {
  %e = tensor.empty() : tensor<2x4x3xf32>
  %b = linalg.broadcast ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x4x3xf32>) dimensions = [1]
  %c1 = arith.constant 1 : index
  %cst = arith.constant -2.5 : f32
  %p = tensor.pad %x low[0, %c1] high[1, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %cst : f32
  } : tensor<2x3xf32> to tensor<3x6xf32>
  %c = tensor.concat dim(1) %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %b, %p, %c : tensor<2x4x3xf32>, tensor<3x6xf32>, tensor<2x6xf32>
}"""
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    b, p, c = run(text, x)
    np.testing.assert_array_equal(b, np.broadcast_to(x[:, None, :], (2, 4, 3)))
    np.testing.assert_array_equal(p, np.pad(x, [(0, 1), (1, 2)], constant_values=-2.5))
    np.testing.assert_array_equal(c, np.concatenate([x, x], axis=1))


def test_iree_gather():
    text = """
func.func @main(%src: tensor<4x3x2xf32>, %idx: tensor<5x2xi64>, %rows: tensor<5xi64>) -> (tensor<5x2xf32>, tensor<5x3x2xf32>) {
  %e = tensor.empty() : tensor<5x2xf32>
  %g = iree_linalg_ext.gather dimension_map = [0, 1] ins(%src, %idx : tensor<4x3x2xf32>, tensor<5x2xi64>)
         outs(%e : tensor<5x2xf32>) -> tensor<5x2xf32>
  %e2 = tensor.empty() : tensor<5x3x2xf32>
  %h = iree_linalg_ext.gather dimension_map = [0] ins(%src, %rows : tensor<4x3x2xf32>, tensor<5xi64>)
         outs(%e2 : tensor<5x3x2xf32>) -> tensor<5x3x2xf32>
  return %g, %h : tensor<5x2xf32>, tensor<5x3x2xf32>
}"""
    src = np.arange(24, dtype=np.float32).reshape(4, 3, 2)
    idx = np.array([[0, 0], [3, 2], [1, 1], [2, 0], [3, 1]])
    rows = np.array([3, 0, 0, 2, 1])
    g, h = run(text, src, idx, rows)
    np.testing.assert_array_equal(g, src[idx[:, 0], idx[:, 1]])
    np.testing.assert_array_equal(h, src[rows])
    with pytest.raises(OutOfBounds):
        run(text, src, idx, np.array([3, 0, 4, 2, 1]))


def test_keepdim_reduction_output_map_with_a_constant():
    """torch's mean(-1, keepdim=True): the output map is (d0, d1, 0)."""
    text = """
func.func @main(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>],
                       iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<2x3x4xf32>) outs(%f : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<2x3x1xf32>
  return %r : tensor<2x3x1xf32>
}"""
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    (out,) = run(text, x)
    np.testing.assert_allclose(out, x.sum(-1, keepdims=True), rtol=1e-6)


@pytest.mark.parametrize("op, a, b, c, spec", [
    ("linalg.matmul", (2, 3), (3, 4), (2, 4), "mk,kn->mn"),
    ("linalg.batch_reduce_matmul", (5, 2, 3), (5, 3, 4), (2, 4), "bmk,bkn->mn"),
    ("linalg.matvec", (2, 3), (3,), (2,), "mk,k->m"),
    ("linalg.vecmat", (3,), (3, 4), (4,), "k,kn->n"),
    ("linalg.batch_matvec", (5, 2, 3), (5, 3), (5, 2), "bmk,bk->bm"),
    ("linalg.batch_vecmat", (5, 3), (5, 3, 4), (5, 4), "bk,bkn->bn"),
    ("linalg.dot", (3,), (3,), (), "k,k->"),
])
def test_named_contractions(op, a, b, c, spec):
    ta, tb, tc = (f"tensor<{'x'.join(map(str, s))}xf32>" if s else "tensor<f32>" for s in (a, b, c))
    text = f"""
func.func @main(%a: {ta}, %b: {tb}, %c: {tc}) -> {tc} {{
  %r = {op} ins(%a, %b : {ta}, {tb}) outs(%c : {tc}) -> {tc}
  return %r : {tc}
}}"""
    rng = np.random.default_rng(1)
    x, y, z = (rng.standard_normal(s).astype(np.float32) for s in (a, b, c))
    (out,) = run(text, x, y, z)
    np.testing.assert_allclose(out, z + np.einsum(spec, x, y), rtol=1e-5, atol=1e-6)


def test_matmul_with_transposing_indexing_maps():
    text = """
func.func @main(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
         ins(%a, %b : tensor<2x3xf32>, tensor<4x3xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}"""
    rng = np.random.default_rng(2)
    a, b, c = rng.standard_normal((2, 3)), rng.standard_normal((4, 3)), rng.standard_normal((2, 4))
    (out,) = run(text, *(x.astype(np.float32) for x in (a, b, c)))
    np.testing.assert_allclose(out, c + a @ b.T, rtol=1e-5, atol=1e-6)


def test_math_functions_models_use():
    text = """
func.func @main(%x: tensor<64xf32>, %n: i64) -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<64xf32>
  %r:4 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>,
                                          affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                         iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e, %e, %e, %e : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) {
  ^bb0(%in: f32, %o1: f32, %o2: f32, %o3: f32, %o4: f32):
    %a = math.erf %in : f32
    %b = math.fpowi %in, %n : f32, i64
    %c = math.sin %in : f32
    %d = math.cos %in : f32
    linalg.yield %a, %b, %c, %d : f32, f32, f32, f32
  } -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
  return %r#0, %r#1, %r#2, %r#3 : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
}"""
    x = np.linspace(-5, 5, 64).astype(np.float32)
    erf, pow2, sin, cos = run(text, x, np.int64(2))
    np.testing.assert_allclose(erf, [math.erf(v) for v in x.astype(np.float64)], atol=1e-7)
    np.testing.assert_array_equal(pow2, x * x)
    np.testing.assert_allclose(sin, np.sin(x), atol=1e-7)
    np.testing.assert_allclose(cos, np.cos(x), atol=1e-7)


DYNAMIC = """
func.func @main(%x: tensor<?x4xf32>, %ids: tensor<?xi64>) -> (tensor<?x2x2xf32>, tensor<?xf32>, index) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 2, 2] : tensor<?x4xf32> into tensor<?x2x2xf32>
  %c = tensor.collapse_shape %e [[0, 1, 2]] : tensor<?x2x2xf32> into tensor<?xf32>
  %n4 = arith.index_cast %n : index to i64
  %c2 = arith.constant 2 : i64
  %s = tensor.from_elements %n4, %c2, %c2 : tensor<3xi64>
  %r = tensor.reshape %x(%s) : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x2x2xf32>
  %m = tensor.empty(%n) : tensor<?x2x2xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>,
                                          affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                         iterator_types = ["parallel", "parallel", "parallel"]} ins(%e, %r : tensor<?x2x2xf32>, tensor<?x2x2xf32>) outs(%m : tensor<?x2x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %y = arith.addf %a, %b : f32
    linalg.yield %y : f32
  } -> tensor<?x2x2xf32>
  %k = tensor.dim %ids, %c0 : tensor<?xi64>
  return %sum, %c, %k : tensor<?x2x2xf32>, tensor<?xf32>, index
}"""


def test_dynamic_shapes_take_their_sizes_from_the_values():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    total, flat, k = run(DYNAMIC, x, np.zeros(7, np.int64))
    np.testing.assert_array_equal(total, 2 * x.reshape(3, 2, 2))
    np.testing.assert_array_equal(flat, x.reshape(-1))
    assert k == 7


def test_dynamic_dims_are_named_drawn_once_and_fixed_by_dim():
    program = Program(ir.Module.parse(DYNAMIC, ir.Context()))
    arguments = entry_arguments(program, "main")
    assert [a.shape for a in arguments] == [(None, 4), (None,)]
    assert dynamic_dims(arguments) == ["arg0.0", "arg1.0"]
    (n, _), (m,) = concrete_shapes(arguments, {}, seed=5)
    assert n == m and 16 <= n <= 128  # one drawn size for all
    assert concrete_shapes(arguments, {"1": 9, "arg0.0": 3}) == [(3, 4), (9,)]
    assert concrete_shapes(arguments, {"*": 7, "0": 2}) == [(2, 4), (7,)]
    assert [x.shape for x in draw_inputs(arguments, 0, {"0": 2, "1": 6})] == [(2, 4), (6,)]
    with pytest.raises(TilefuseError, match=r"--dim arg2.0: the entry's dynamic dims are 0 \(arg0.0\), 1 \(arg1.0\)"):
        concrete_shapes(arguments, {"arg2.0": 3})


def test_token_ids_are_drawn_in_the_vocabulary_and_integer_masks_as_prefixes():
    """The ids index the embedding table (256 rows: the vocabulary); the 0/1 attention mask reaches the attention's
    mask only through a value a linalg body looks up from above it (as transformers' mask builders do)."""
    text = """
func.func @main(%ids: tensor<2x8xi64>, %mask: tensor<2x8xi64>, %table: tensor<256x4xf32>, %q: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %c0 = arith.constant 0 : i64
  %e = tensor.empty() : tensor<2x8x4xf32>
  %emb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                         iterator_types = ["parallel", "parallel", "parallel"]} ins(%ids : tensor<2x8xi64>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: i64, %out: f32):
    %i = arith.index_cast %in : i64 to index
    %j = linalg.index 2 : index
    %x = tensor.extract %table[%i, %j] : tensor<256x4xf32>
    linalg.yield %x : f32
  } -> tensor<2x8x4xf32>
  %eb = tensor.empty() : tensor<2x8xi1>
  %keep = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%eb : tensor<2x8xi1>) {
  ^bb0(%out: i1):
    %b = linalg.index 0 : index
    %k = linalg.index 1 : index
    %m = tensor.extract %mask[%b, %k] : tensor<2x8xi64>
    %t = arith.cmpi ne, %m, %c0 : i64
    linalg.yield %t : i1
  } -> tensor<2x8xi1>
  %em = tensor.empty() : tensor<2x8x8xi1>
  %keep3 = linalg.broadcast ins(%keep : tensor<2x8xi1>) outs(%em : tensor<2x8x8xi1>) dimensions = [1]
  %scale = arith.constant 0.5 : f32
  %o = iree_linalg_ext.attention <{indexing_maps = [affine_map<(b, m, n, k1, k2) -> (b, m, k1)>,
                                                   affine_map<(b, m, n, k1, k2) -> (b, k2, k1)>,
                                                   affine_map<(b, m, n, k1, k2) -> (b, k2, n)>,
                                                   affine_map<(b, m, n, k1, k2) -> ()>,
                                                   affine_map<(b, m, n, k1, k2) -> (b, m, k2)>,
                                                   affine_map<(b, m, n, k1, k2) -> (b, m, n)>]}>
        ins(%q, %emb, %emb, %scale, %keep3 : tensor<2x8x4xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>, f32, tensor<2x8x8xi1>)
        outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%s: f32):
    iree_linalg_ext.yield %s : f32
  } -> tensor<2x8x4xf32>
  return %o : tensor<2x8x4xf32>
}"""
    program = Program(ir.Module.parse(text, ir.Context()))
    arguments = entry_arguments(program, "main")
    assert [(a.index_bound, a.is_mask) for a in arguments] == [(256, False), (None, True), (None, False),
                                                                 (None, False)]
    ids, mask, _, _ = draw_inputs(arguments, seed=3)
    assert ids.min() >= 0 and ids.max() < 256 and ids.max() >= 8  # the vocabulary, not [0, 8)
    assert mask.dtype == np.int64 and set(np.unique(mask)) <= {0, 1} and np.all(mask[:, 0] == 1)
    assert np.all(np.diff(mask, axis=1) <= 0)  # a prefix per row


@pytest.mark.parametrize("elem", ["f16", "bf16", "f32"])
def test_drawn_additive_mask_hides_with_the_types_lowest_finite(elem):
    """An additive mask hides a key with its type's lowest finite value, as models build it (finfo.min): f32's
    lowest would round to -inf in bf16, a value no exporter writes."""
    mask, = draw_inputs([Argument((4, 64), elem, is_mask=True)], seed=1)
    stored = round_to(elem, mask)
    assert np.all(np.isfinite(stored)) and set(np.unique(stored)) == {0.0, -FINITE_MAX[elem]}


def _conv_reference(x, w, stride):
    """out[n, f, o...] = sum over c and the window of x[n, c, o*stride + k] * w[f, c, k], by loops."""
    n, c = x.shape[:2]
    f, window = w.shape[0], w.shape[2:]
    outs = [(s - k) // stride + 1 for s, k in zip(x.shape[2:], window)]
    out = np.zeros((n, f, *outs))
    for o in np.ndindex(*outs):
        patch = x[(slice(None), slice(None)) + tuple(slice(i * stride, i * stride + k) for i, k in zip(o, window))]
        axes = list(range(1, w.ndim))
        out[(slice(None), slice(None)) + o] = np.tensordot(patch, w, axes=(axes, axes))
    return out


@pytest.mark.parametrize("op, x_shape, w_shape, stride", [
    ("linalg.conv_1d_ncw_fcw", (1, 3, 11), (4, 3, 3), 2),  # Whisper's audio convolutions
    ("linalg.conv_2d_nchw_fchw", (2, 3, 8, 8), (5, 3, 4, 4), 4),  # ViT's patch embedding
])
def test_convolutions(op, x_shape, w_shape, stride):
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal(x_shape).astype(np.float32), rng.standard_normal(w_shape).astype(np.float32)
    want = _conv_reference(x.astype(np.float64), w.astype(np.float64), stride)
    rank = len(x_shape) - 2
    tx, tw, to = (f"tensor<{'x'.join(map(str, s))}xf32>" for s in (x_shape, w_shape, want.shape))
    text = f"""
func.func @main(%x: {tx}, %w: {tw}, %init: {to}) -> {to} {{
  %r = {op} {{dilations = dense<1> : vector<{rank}xi64>, strides = dense<{stride}> : vector<{rank}xi64>}}
         ins(%x, %w : {tx}, {tw}) outs(%init : {to}) -> {to}
  return %r : {to}
}}"""
    (out,) = run(text, x, w, np.ones(want.shape, np.float32))
    np.testing.assert_allclose(out, want + 1, rtol=1e-5, atol=1e-5)


def test_generic_reads_through_any_affine_map():
    """A convolution as IREE writes it in a dispatch: the input read at (d1 * 2 + d3), a gather over the
    iteration space."""
    text = """
func.func @main(%x: tensor<3x9xf32>, %w: tensor<5x3x3xf32>) -> tensor<5x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5x4xf32>) -> tensor<5x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d2, d1 * 2 + d3)>,
                                        affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>,
                                        affine_map<(d0, d1, d2, d3) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
       ins(%x, %w : tensor<3x9xf32>, tensor<5x3x3xf32>) outs(%f : tensor<5x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %m, %o : f32
    linalg.yield %s : f32
  } -> tensor<5x4xf32>
  return %r : tensor<5x4xf32>
}"""
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((3, 9)).astype(np.float32), rng.standard_normal((5, 3, 3)).astype(np.float32)
    (out,) = run(text, x, w)
    want = _conv_reference(x[None].astype(np.float64), w.astype(np.float64), 2)[0]
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


SIMT_TILES = Path(__file__).parent / "fixtures" / "programs" / "stock_simt_reduction_tile.mlir"


def _run_simt_tiles(monkeypatch, batched: bool):
    """Stock's reduction-tile snapshot of an unaligned problem (M=17, K2=13, d=64): IREE's SIMT config, one
    workgroup per query row and 16 columns (2 x 17 x 4 of them), each stepping through the keys one at a time."""
    if not batched:
        monkeypatch.setattr(tensor_interp, "_batchable", lambda forall: False)
    text = SIMT_TILES.read_text()
    problem = AttentionProblem.from_mlir_header(text)
    inputs = problem.random_inputs(0)
    module = ir.Module.parse(text, ir.Context())
    (func,) = [f for f in irutil.ops_named(module, "func.func") if f.regions[0].blocks]
    q, k, v = (inputs[n].reshape(2, -1, 64) for n in problem.shapes())
    out = np.full((2, 17, 64), np.nan, np.float32)
    interpreter = Interpreter()
    interpreter.run_function(func, {0: q, 1: k, 2: v, 3: out})
    return out, interpreter.ops_run, problem.reference(inputs).reshape(2, 17, 64)


def test_a_simt_configs_workgroups_run_as_one_batch(monkeypatch):
    """The workgroup forall's iterations run in lockstep (its online_attention once for all of them, the row as
    one more batch dim): the same result as one workgroup after another, from a few hundred interpreted ops
    instead of one per workgroup and key."""
    batched, ops, want = _run_simt_tiles(monkeypatch, batched=True)
    one_by_one, ops_one_by_one, _ = _run_simt_tiles(monkeypatch, batched=False)
    np.testing.assert_array_equal(batched, one_by_one)
    assert compare(batched, want, fixed_bound(want, "f16", "a stock snapshot against its NumPy reference")).ok
    assert ops < 500 < 5000 < ops_one_by_one, (ops, ops_one_by_one)



def test_a_masked_transfer_read_reads_its_mask_and_pads_the_rest():
    """k2-tail's pad of a step's page table slice (fewer entries than the step's pages), vectorized: a masked read
    of the slice, the rest its first entry; a masked-in element past the slice's end is out of bounds."""
    text = """
func.func @main(%table: tensor<1x?xi64>, %first: i64, %mask: vector<1x8xi1>) -> vector<1x8xi64> {
  %c0 = arith.constant 0 : index
  %r = vector.transfer_read %table[%c0, %c0], %first, %mask {in_bounds = [true, true]} : tensor<1x?xi64>, vector<1x8xi64>
  return %r : vector<1x8xi64>
}"""
    module = ir.Module.parse(text, ir.Context())
    (read,) = irutil.ops_named(module, "vector.transfer_read")
    table = np.array([[7, 3, 9]], dtype=np.int64)

    def masked(n: int) -> list:
        return [table, 0, 0, np.int64(7), np.arange(8)[None, :] < n]

    np.testing.assert_array_equal(transfer_read(read, masked(3))[0], [[7, 3, 9, 7, 7, 7, 7, 7]])
    with pytest.raises(OutOfBounds, match="past the end"):
        transfer_read(read, masked(4))
