"""Workarounds for xDSL 0.74 bugs that would corrupt IREE IR silently, applied once on import of tilefuse.tools.xdsl.

Hex float splats. MLIR prints a float element that has no exact decimal form (inf, nan, some denormals) as its
bit pattern: `dense<0xFF800000> : vector<4xf32>` is a splat of -inf. xDSL 0.74 lexes `0xFF800000` as an integer
literal and `AttrParser._TensorLiteralElement.to_type` turns it into `float(4286578688)` (it reinterprets the bits
only for scalar `0x... : f32` attributes, not for dense elements; xdsl issues #1971, #3370, #3827), so an
attention's running max starts at 4.29e9 instead of -inf and nothing complains. The patch below makes a hex
integer literal in a float dense literal mean its bit pattern, as MLIR's own parser does
(`tests/test_xdsl.py::test_hex_splat_*`). It is idempotent and only changes literals that were wrong before.

Affine expressions. xDSL 0.74 builds parsed affine expressions with its simplifying operators, and those distribute
a product over a sum, which MLIR never does: `((d0 + 256) * 8) mod 128` becomes `(d0 * 8 + 2048) mod 128`, which
IREE then re-parses as `(d0 * 8) mod 128`. Equal in value, but the IR changed (tilefuse's share-kv snapshots hit
this). `VerbatimAffineParser` builds the tree exactly as MLIR printed it (no simplification; `a - b` as MLIR's
`a + b * -1`), so IREE re-reads the same map. It is not installed globally: the interchange parser
(`interchange.InterchangeParser`) uses it, and `install_verbatim_affine_parsing()` puts it into xDSL's own parser
for an xdsl-opt process that runs `tilefuse-stage` (see stage_pass.py).
"""

from __future__ import annotations

from xdsl.dialects.builtin import AnyFloat
from xdsl.ir.affine import AffineBinaryOpExpr, AffineBinaryOpKind, AffineConstantExpr, AffineExpr
from xdsl.parser.affine_parser import AffineParser
from xdsl.parser.attribute_parser import AttrParser
from xdsl.utils.mlir_lexer import MLIRTokenKind

_APPLIED = False


def _is_hex_literal(element) -> bool:
    span = getattr(element, "span", None)
    if span is None:
        return False
    return span.text.lstrip("-")[:2] in ("0x", "0X")


def apply() -> None:
    """Installs the hex dense-splat fix (once per process)."""
    global _APPLIED
    if _APPLIED:
        return
    element_cls = AttrParser._TensorLiteralElement
    original = element_cls.to_type

    def to_type(self, parser, type):
        if (isinstance(type, AnyFloat) and isinstance(self.value, int) and not isinstance(self.value, bool)
                and not self.is_negative and _is_hex_literal(self)):
            width = type.compile_time_size
            if self.value >= 1 << (8 * width):
                parser.raise_error(f"hexadecimal float literal does not fit in {type}", at_position=self.span)
            return next(iter(type.iter_unpack(self.value.to_bytes(width, "little"))))
        return original(self, parser, type)

    to_type.__wrapped__ = original
    element_cls.to_type = to_type
    _APPLIED = True


_BINOP_KINDS = {
    "+": AffineBinaryOpKind.Add,
    "*": AffineBinaryOpKind.Mul,
    "floordiv": AffineBinaryOpKind.FloorDiv,
    "ceildiv": AffineBinaryOpKind.CeilDiv,
    "mod": AffineBinaryOpKind.Mod,
}


def _negated(expr: AffineExpr) -> AffineExpr:
    """`-expr` as MLIR stores it: a constant negated, `x * c` as `x * -c`, anything else `expr * -1`."""
    if isinstance(expr, AffineConstantExpr):
        return AffineConstantExpr(-expr.value)
    if (isinstance(expr, AffineBinaryOpExpr) and expr.kind == AffineBinaryOpKind.Mul
            and isinstance(expr.rhs, AffineConstantExpr)):
        return AffineBinaryOpExpr(AffineBinaryOpKind.Mul, expr.lhs, AffineConstantExpr(-expr.rhs.value))
    return AffineBinaryOpExpr(AffineBinaryOpKind.Mul, expr, AffineConstantExpr(-1))


_XDSL_CREATE_BINOP_EXPR = AffineParser._create_binop_expr
_XDSL_PARSE_PRIMARY = AffineParser._parse_primary


def _verbatim_create_binop_expr(self, lhs, rhs, binop):
    if binop.text == "-":
        return AffineBinaryOpExpr(AffineBinaryOpKind.Add, lhs, _negated(rhs))
    kind = _BINOP_KINDS.get(binop.text)
    if kind is None:
        return _XDSL_CREATE_BINOP_EXPR(self, lhs, rhs, binop)  # raises xDSL's parse error
    return AffineBinaryOpExpr(kind, lhs, rhs)


def _verbatim_parse_primary(self, parse_optional_bare_id):
    if self._current_token.kind == MLIRTokenKind.MINUS:
        self._consume_token()
        return _negated(self._parse_primary(parse_optional_bare_id))
    return _XDSL_PARSE_PRIMARY(self, parse_optional_bare_id)


class VerbatimAffineParser(AffineParser):
    """xDSL's affine parser, building expressions as written (MLIR prints its expressions already simplified)."""

    _create_binop_expr = _verbatim_create_binop_expr
    _parse_primary = _verbatim_parse_primary


def install_verbatim_affine_parsing() -> None:
    """Makes xDSL's own AffineParser build expressions verbatim, process-wide (for xdsl-opt runs of tilefuse-stage,
    whose input parser is xDSL's, not the interchange's)."""
    AffineParser._create_binop_expr = _verbatim_create_binop_expr
    AffineParser._parse_primary = _verbatim_parse_primary
