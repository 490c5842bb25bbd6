"""tilefuse.tools.xdsl's interchange on hand-written IR, no compile: the xDSL 0.74 traps stay fixed (each with the proof
that plain xDSL falls into it), and xdsl-opt finds tilefuse's passes and dialects through the `xdsl.universe`
entry point. The interchange on every real snapshot: test_xdsl.py."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects import get_all_dialects
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, UnregisteredOp
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException, ParseError

from tilefuse.tools.xdsl import dialects as D
from tilefuse.tools.xdsl import interchange as X
from tilefuse.tools.xdsl import patches

XDSL_OPT = str(Path(sys.executable).with_name("xdsl-opt"))

# xDSL's own dialects, taken when pytest imports this file, before any test runs: a tilefuse pass built from a textual
# pipeline (any test's xdsl-opt -p spec, --rewrite-after, the GUI) switches them to the interchange's for the whole
# process (interchange.use_interchange_dialects_in_xdsl), and these tests show what xDSL itself does.
XDSL_DIALECTS = {name: get_all_dialects()[name]() for name in ("builtin", "func", "arith", "gpu", "bufferization")}


def xdsl_context(*names: str) -> Context:
    ctx = Context(allow_unregistered=True)
    for name in names:
        ctx.register_dialect(name, lambda dialect=XDSL_DIALECTS[name]: dialect)
    return ctx


HEX = """func.func @f() -> (vector<4xf32>, vector<4xbf16>, vector<2xf16>, f32) {
  %a = arith.constant dense<0xFF800000> : vector<4xf32>
  %b = arith.constant dense<0xFF80> : vector<4xbf16>
  %c = arith.constant dense<[0x7C00, 1.0]> : vector<2xf16>
  %d = arith.constant 0xFF800000 : f32
  return %a, %b, %c, %d : vector<4xf32>, vector<4xbf16>, vector<2xf16>, f32
}"""


def _constants(module):
    return [op.properties["value"] for op in module.walk() if op.name == "arith.constant"]


def test_hex_splat_minus_inf_survives():
    module = X.parse_snapshot(HEX)
    a, b, c, d = _constants(module)
    assert isinstance(a, DenseIntOrFPElementsAttr)
    assert list(a.get_values()) == [float("-inf")] * 4
    assert list(b.get_values()) == [float("-inf")] * 4
    assert list(c.get_values()) == [float("inf"), 1.0]
    assert d.value.data == float("-inf")
    result = X.roundtrip(HEX)
    assert result.ok, result.reason
    assert "dense<0xFF800000> : vector<4xf32>" in X.iree_generic(result.xdsl_text)


def test_hex_splat_is_wrong_without_the_patch():
    """Why patches.py exists: xDSL 0.74 reads the bit pattern as an integer value (4.29e9), silently."""
    element = patches.AttrParser._TensorLiteralElement
    patched = element.to_type
    element.to_type = patched.__wrapped__
    try:
        module = X.parse_generic(X.iree_generic(HEX))
    finally:
        element.to_type = patched
    assert list(_constants(module)[0].get_values()) == [float(0xFF800000)] * 4


GPU = """func.func @f(%x: f32) -> (index, f32) {
  %t = gpu.thread_id y
  %l = gpu.lane_id upper_bound 64
  %r = gpu.subgroup_reduce maximumf %x cluster(size = 4, stride = 16) : (f32) -> f32
  gpu.barrier
  return %t, %r : index, f32
}"""


def test_gpu_round_trips_with_interchange_gpu_not_xdsls():
    """xDSL 0.74's own gpu dialect cannot read what IREE prints (`#gpu.dim<y>`, `maximumf`); the interchange's gpu
    defines the ops tilefuse matches and keeps the attributes verbatim."""
    result = X.roundtrip(GPU)
    assert result.ok, result.reason
    ops = {type(op) for op in result.module.walk()}
    assert {D.ThreadIdOp, D.LaneIdOp, D.SubgroupReduceOp, D.BarrierOp} <= ops
    xdsl_gpu = xdsl_context("builtin", "func", "gpu")
    for line in X.iree_generic(GPU).splitlines():
        if '"gpu.thread_id"' in line or '"gpu.subgroup_reduce"' in line:
            with pytest.raises(ParseError):
                Parser(xdsl_gpu, '"builtin.module"() ({\n%x = "test.x"() : () -> f32\n' + line + "\n}) : () -> ()"
                       ).parse_module()


ALLOC = """func.func @f() -> tensor<4x4xf16, #gpu.address_space<workgroup>> {
  %0 = "bufferization.alloc_tensor"() <{memory_space = #gpu.address_space<workgroup>, operandSegmentSizes = array<i32: 0, 0, 0>}> : () -> tensor<4x4xf16, #gpu.address_space<workgroup>>
  return %0 : tensor<4x4xf16, #gpu.address_space<workgroup>>
}"""


def test_bufferization_alloc_tensor_keeps_its_memory_space():
    """bufferization stays unregistered: xDSL 0.74's alloc_tensor declares no memory_space, so its verifier rejects
    IREE's op and its custom syntax drops the attribute."""
    result = X.roundtrip(ALLOC)
    assert result.ok, result.reason
    (alloc,) = [op for op in result.module.walk() if isinstance(op, UnregisteredOp)
                and op.op_name.data == "bufferization.alloc_tensor"]
    assert "memory_space = #gpu.address_space<workgroup>" in X.iree_generic(result.xdsl_text)
    ctx = xdsl_context("builtin", "func", "bufferization")
    module = Parser(ctx, X.iree_generic(ALLOC)).parse_module()
    with pytest.raises(DiagnosticException, match="memory_space"):
        module.verify()
    custom = io.StringIO()
    Printer(stream=custom).print_op(module)
    assert "bufferization.alloc_tensor" in custom.getvalue() and "memory_space" not in custom.getvalue()


AFFINE = """func.func @f(%i: index) -> (index, index) {
  %0 = affine.apply affine_map<(d0) -> (((d0 + 256) * 8) mod 128)>(%i)
  %1 = affine.apply affine_map<(d0)[s0] -> (d0 - s0 * 2 - (d0 + 3) floordiv 4)>(%i)[%i]
  return %0, %1 : index, index
}"""


def test_affine_maps_cross_verbatim():
    """xDSL's own affine parser distributes `(d0 + 256) * 8`, which IREE then folds: the map changes."""
    assert X.roundtrip(AFFINE).ok
    ctx = X.make_context()
    plain = Parser(ctx, X.iree_generic(AFFINE)).parse_module()  # xDSL's parser, not the interchange's
    assert X.iree_generic(X.print_for_iree(plain)) != X.iree_generic(AFFINE)


VECTOR_ARITH = """func.func @f(%c: vector<4xi1>, %a: vector<4xi32>, %b: vector<4xi32>) -> vector<4xi8> {
  %0 = arith.select %c, %a, %b : vector<4xi1>, vector<4xi32>
  %1 = arith.trunci %0 overflow<nsw> : vector<4xi32> to vector<4xi8>
  return %1 : vector<4xi8>
}"""


def test_arith_ops_xdsl_types_too_narrowly_stay_verbatim():
    assert X.roundtrip(VECTOR_ARITH).ok
    ctx = xdsl_context("builtin", "func", "arith")
    with pytest.raises(DiagnosticException):
        Parser(ctx, X.iree_generic(VECTOR_ARITH)).parse_module().verify()


def test_xdsl_opt_finds_the_plugin():
    from xdsl.universe import Universe

    multiverse = Universe.get_multiverse()
    assert {"tilefuse-stage", "tilefuse-interchange"} <= set(multiverse.all_passes)
    assert {"iree_linalg_ext", "iree_codegen"} <= set(multiverse.all_dialects)
    proc = subprocess.run([XDSL_OPT, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "tilefuse-stage" in proc.stdout
