"""Rewrites a GPU compiler engineer tries by hand on tilefuse IR, as xDSL patterns and passes (xdsl-opt, the GUI,
`--rewrite-after STAGE=PIPELINE`):

    tilefuse-edit-config{section=S field=F value=JSON}   the op-specific config of the undecomposed attention
                                                          (after configure .. reduction-tile): S = tiling | qk | pv,
                                                          F a field of that dataclass (tilefuse/codegen/config.py)
    tilefuse-hoist-invariant                              pure ops whose every input is defined before a scf.for
                                                          move in front of it (after decompose: Q's scaling leaves
                                                          the K2 loop)
    tilefuse-row-max-maxnum                               the row max of the softmax by arith.maxnumf instead of
                                                          arith.maximumf (NaN ignored instead of propagated; no
                                                          NaN checks in the ISA)

The config is read and written as IREE attributes through tilefuse's typed config (the iree_gpu Python API), not
by editing printed text: xDSL holds `#iree_gpu.lowering_config<...>` as an opaque attribute, IREE parses it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace

from xdsl.context import Context
from xdsl.dialects import arith, scf, tensor
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, YieldOp
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import (GreedyRewritePatternApplier, PatternRewriter, PatternRewriteWalker,
                                   RewritePattern, op_type_rewrite_pattern)
from xdsl.printer import Printer
from xdsl.rewriter import InsertPoint
from xdsl.traits import Pure
from xdsl.utils.exceptions import PassFailedException

from .dialects import OnlineAttentionOp
from .interchange import InterchangeParser
from .stage_pass import InterchangePass

CONFIG_SECTIONS = ("tiling", "qk", "pv")


# --- tilefuse-edit-config ------------------------------------------------------------------------------------------


def _text(attr: Attribute) -> str:
    out = io.StringIO()
    Printer(stream=out).print_attribute(attr)
    return out.getvalue()


def _xdsl_attr(ctx: Context, iree_attr) -> Attribute:
    return InterchangeParser(ctx, str(iree_attr)).parse_attribute()


@dataclass
class EditConfig(RewritePattern):
    ctx: Context
    section: str
    field: str
    value: object

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: OnlineAttentionOp, rewriter: PatternRewriter) -> None:
        import iree.compiler.ir as ir

        from ...codegen.config import AttentionTiling, decomposition_config, matmuls_of
        from ...errors import TilefuseError

        if "lowering_config" not in op.attributes or op.decomposition_config is None:
            return
        with ir.Context():
            qk, pv = matmuls_of(ir.Attribute.parse(_text(op.decomposition_config)))
            tiling = AttentionTiling.from_lowering_config(ir.Attribute.parse(_text(op.attributes["lowering_config"])))
            parts = {"tiling": tiling, "qk": qk, "pv": pv}
            current = parts[self.section]
            if not hasattr(current, self.field):
                raise PassFailedException(f"tilefuse-edit-config: {self.section} has no field '{self.field}'")
            value = tuple(self.value) if isinstance(self.value, list) else self.value
            if value == getattr(current, self.field):
                return
            parts[self.section] = replace(current, **{self.field: value})
            try:
                lowering = parts["tiling"].lowering_config()
                new_decomposition = decomposition_config(parts["qk"], parts["pv"])
            except TilefuseError as e:
                raise PassFailedException(f"tilefuse-edit-config: {e}") from None
            op.attributes["lowering_config"] = _xdsl_attr(self.ctx, lowering)
            op.decomposition_config = _xdsl_attr(self.ctx, new_decomposition)
        rewriter.has_done_action = True


@dataclass(frozen=True)
class EditConfigPass(InterchangePass):
    name = "tilefuse-edit-config"

    section: str
    field: str
    value: str  # JSON: [0, 0, 0, 32, 0], "MFMA_F32_16x16x16_F16", []

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.section not in CONFIG_SECTIONS:
            raise PassFailedException(f"tilefuse-edit-config: section '{self.section}' is not one of "
                                      f"{', '.join(CONFIG_SECTIONS)}")
        try:
            value = json.loads(self.value)
        except json.JSONDecodeError:
            value = self.value  # a bare name, e.g. value=MFMA_F32_16x16x16_F16
        PatternRewriteWalker(EditConfig(ctx, self.section, self.field, value), apply_recursively=False).rewrite_module(op)


# --- tilefuse-hoist-invariant --------------------------------------------------------------------------------------


def _defined_inside(value: SSAValue, region_op: Operation) -> bool:
    owner = value.owner
    op = owner if isinstance(owner, Operation) else owner.parent_op()
    while op is not None:
        if op is region_op:
            return True
        op = op.parent_op()
    return False


def _uses_only_values_from_outside(op: Operation, loop: scf.ForOp) -> bool:
    """Every value OP (and any op nested in it) reads is defined outside LOOP, or inside OP itself."""
    for inner in op.walk():
        for v in inner.operands:
            if _defined_inside(v, loop) and not _defined_inside(v, op):
                return False
    return True


def _pure(op: Operation) -> bool:
    """Ops that compute a value from their inputs only: pure ops, and linalg.generic on tensors (destination-style
    on tensors: its `outs` is an input too, nothing is written in place)."""
    if isinstance(op, GenericOp):
        return all(isinstance(o.type, tensor.TensorType) for o in op.operands if hasattr(o.type, "element_type")) \
            and all(inner is op or isinstance(inner, YieldOp) or _pure(inner) for inner in op.walk())
    return op.has_trait(Pure) or isinstance(op, (tensor.EmptyOp, tensor.ExtractSliceOp))


class HoistInvariant(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, loop: scf.ForOp, rewriter: PatternRewriter) -> None:
        for op in list(loop.body.block.ops):
            if op is loop.body.block.last_op or not _pure(op) or not _uses_only_values_from_outside(op, loop):
                continue
            op.detach()
            rewriter.insert(op, InsertPoint.before(loop))


@dataclass(frozen=True)
class HoistInvariantPass(InterchangePass):
    name = "tilefuse-hoist-invariant"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(HoistInvariant()).rewrite_module(op)


# --- tilefuse-row-max-maxnum ---------------------------------------------------------------------------------------


class RowMaxByMaxnum(RewritePattern):
    """arith.maximumf combining a reduction's output (the softmax row max) -> arith.maxnumf."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.MaximumfOp, rewriter: PatternRewriter) -> None:
        generic = op.parent_op()
        if not isinstance(generic, GenericOp) or all(it.data != IteratorType.REDUCTION
                                                     for it in generic.iterator_types):
            return
        rewriter.replace(op, arith.MaxnumfOp(op.lhs, op.rhs, op.fastmath))


@dataclass(frozen=True)
class RowMaxByMaxnumPass(InterchangePass):
    name = "tilefuse-row-max-maxnum"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([RowMaxByMaxnum()])).rewrite_module(op)


PASSES = {p.name: p for p in (EditConfigPass, HoistInvariantPass, RowMaxByMaxnumPass)}
