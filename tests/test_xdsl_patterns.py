"""tilefuse's xDSL rewrites (tilefuse/tools/xdsl/rewrites.py) on small hand-written IR, no compile: what each pattern
changes, what it must leave alone, and the result read back by IREE. The same rewrites between real stages, verified:
test_xdsl_rewrites.py."""

import iree.compiler.ir as ir
import pytest
from xdsl.utils.exceptions import PassFailedException

from tilefuse.ir import irutil
from tilefuse.codegen.config import AttentionTiling, MatmulConfig, decomposition_config, matmuls_of
from tilefuse.errors import TilefuseError
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.tools.rewrite import RewriteAfter
from tilefuse.tools.xdsl import interchange as X
from tilefuse.tools.xdsl.rewrites import EditConfigPass, HoistInvariantPass, RowMaxByMaxnumPass


def rewritten(text: str, pass_) -> ir.Module:
    """TEXT through one xDSL pass, parsed back by IREE."""
    ctx = X.make_context()
    module = X.parse_snapshot(text, ctx)
    pass_.apply(ctx, module)
    return ir.Module.parse(X.print_for_iree(module), ir.Context())


def op_names(block) -> list[str]:
    return [op.operation.name for op in block.operations]


LOOP = """func.func @f(%n: index, %x: f32, %init: f32, %t: tensor<4xf32>, %buf: memref<1xf32>) -> (f32, tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init, %tacc = %t) -> (f32, tensor<4xf32>) {
    %sq = arith.mulf %x, %x : f32
    %e = tensor.empty() : tensor<4xf32>
    %scaled = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                              iterator_types = ["parallel"]} ins(%t : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.mulf %in, %sq : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    memref.store %x, %buf[%c0] : memref<1xf32>
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %sum = arith.addf %acc, %fi : f32
    %next = arith.addf %tacc, %scaled : tensor<4xf32>
    scf.yield %sum, %next : f32, tensor<4xf32>
  }
  return %r#0, %r#1 : f32, tensor<4xf32>
}"""


def test_hoist_moves_what_the_loop_does_not_change_out_of_it():
    module = rewritten(LOOP, HoistInvariantPass())
    (func,) = irutil.funcs(module)
    (loop,) = irutil.ops_named(module, "scf.for")
    before = op_names(func.regions[0].blocks[0])
    # the invariant square, the empty tensor and the generic scaling by it (Q's scaling in the real K2 loop)
    assert before[before.index("arith.constant", 1) + 1:before.index("scf.for")] == [
        "arith.mulf", "tensor.empty", "linalg.generic"]
    # a write (side effect, invariant operands) and what reads the induction variable or the loop-carried values
    # stay, in order
    assert op_names(loop.regions[0].blocks[0]) == ["memref.store", "arith.index_cast", "arith.sitofp", "arith.addf", "arith.addf",
                                                   "scf.yield"]


ROW_MAX = """func.func @f(%s: tensor<4x8xf32>, %init: tensor<4xf32>, %a: f32, %b: f32) -> (tensor<4xf32>, tensor<4x8xf32>, f32) {
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                         iterator_types = ["parallel", "reduction"]} ins(%s : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                          iterator_types = ["parallel", "parallel"]} ins(%s : tensor<4x8xf32>) outs(%s : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %c = arith.maximumf %a, %b : f32
  return %max, %relu, %c : tensor<4xf32>, tensor<4x8xf32>, f32
}"""


def test_row_max_by_maxnum_rewrites_reductions_only():
    module = rewritten(ROW_MAX, RowMaxByMaxnumPass())
    reduction, elementwise = irutil.ops_named(module, "linalg.generic")
    assert op_names(reduction.regions[0].blocks[0]) == ["arith.maxnumf", "linalg.yield"]
    assert op_names(elementwise.regions[0].blocks[0]) == ["arith.maximumf", "linalg.yield"]
    assert len(irutil.ops_named(module, "arith.maximumf")) == 2  # the elementwise one and the scalar one


QK = MatmulConfig("MFMA_F32_16x16x16_F16", True, (1,) * 5, (0, 1, 2, 3))
PV = MatmulConfig("MFMA_F32_16x16x16_F16", True, (1,) * 5, (0, 1, 3, 4))
TILING = AttentionTiling((1, 64, 0, 0, 64), (0, 0, 0, 64, 0), (0, 16, 0, 0, 0))


def attention() -> str:
    """One online_attention (batch 2, 64 queries, 128 keys, head dim 64) configured as the configure stage does."""
    with ir.Context():
        decomposition, lowering = decomposition_config(QK, PV), TILING.lowering_config()
    maps = ", ".join(f"affine_map<(d0, d1, d2, d3, d4) -> ({r})>" for r in (
        "d0, d1, d2", "d0, d3, d2", "d0, d3, d4", "", "d0, d1, d4", "d0, d1", "d0, d1"))
    return f"""func.func @f(%q: tensor<2x64x64xf16>, %k: tensor<2x128x64xf16>, %v: tensor<2x128x64xf16>,
            %o: tensor<2x64x64xf32>, %m: tensor<2x64xf32>, %s: tensor<2x64xf32>) -> tensor<2x64x64xf32> {{
  %scale = arith.constant 1.0 : f16
  %r:3 = iree_linalg_ext.online_attention <indexing_maps = [{maps}], decomposition_config = {decomposition}>
      {{lowering_config = {lowering}}}
      ins(%q, %k, %v, %scale : tensor<2x64x64xf16>, tensor<2x128x64xf16>, tensor<2x128x64xf16>, f16)
      outs(%o, %m, %s : tensor<2x64x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>) {{
  ^bb0(%score: f32):
    iree_linalg_ext.yield %score : f32
  }} -> tensor<2x64x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>
  return %r#0 : tensor<2x64x64xf32>
}}"""


def config_of(module: ir.Module):
    (op,) = irutil.ops_named(module, "iree_linalg_ext.online_attention")
    return (AttentionTiling.from_lowering_config(op.attributes["lowering_config"]),
            *matmuls_of(op.attributes["decomposition_config"]))


@pytest.mark.parametrize("section,field,value,expected", [
    ("tiling", "reduction", "[0,0,0,32,0]", (AttentionTiling((1, 64, 0, 0, 64), (0, 0, 0, 32, 0), (0, 16, 0, 0, 0)),
                                             QK, PV)),
    ("qk", "promote_operands", "[1]", (TILING, MatmulConfig(**{**QK.__dict__, "promote_operands": (1,)}), PV)),
    ("pv", "mma_kind", "MFMA_F32_32x32x8_F16", (TILING, QK, MatmulConfig(**{**PV.__dict__,
                                                                            "mma_kind": "MFMA_F32_32x32x8_F16"}))),
])
def test_edit_config_changes_one_field_and_keeps_the_rest(section, field, value, expected):
    assert config_of(rewritten(attention(), EditConfigPass(section, field, value))) == expected


@pytest.mark.parametrize("section,field,value,message", [
    ("vectorize", "x", "1", "section 'vectorize' is not one of tiling, qk, pv"),
    ("qk", "tile", "1", "qk has no field 'tile'"),
    ("pv", "mma_kind", "MFMA_F32_99x99x99_F16", "unknown MMA intrinsic"),
])
def test_edit_config_errors_name_what_is_wrong(section, field, value, message):
    with pytest.raises(PassFailedException, match=message):
        rewritten(attention(), EditConfigPass(section, field, value))


def test_rewrite_after_names_its_errors():
    with pytest.raises(TilefuseError, match="has no stage 'vector-distribute'"):
        RewriteAfter.parse("vector-distribute=canonicalize", TILEFUSE)
    with pytest.raises(TilefuseError, match="expected STAGE=PIPELINE"):
        RewriteAfter.parse("decompose", TILEFUSE)
    with pytest.raises(TilefuseError, match="no-such-pass"):
        RewriteAfter.parse("decompose=no-such-pass", TILEFUSE)
