"""IRDL definitions of the IREE / upstream ops tilefuse's rewrites match by type, as IREE 3.13 prints them.

Each op declares every operand group, property and region that IREE's generic printer emits for it, so a parsed
op verifies in xDSL and prints back unchanged (operand/result types are left open: the interchange must carry
whatever IREE produced, tensors, vectors or memrefs). Discardable attributes (`lowering_config`, ...) are not
declared; xDSL keeps them in `op.attributes` verbatim. Everything not defined here is either one of xDSL's own
dialects (builtin, func, arith, math, scf, tensor, linalg, vector, memref, affine, cf, ub, which round-trip IREE's
IR) or an unregistered op/attribute printed verbatim.

The property lists are read off IREE 3.13's generated Python op classes (`iree/compiler/dialects/_*_ops_gen.py`:
the keyword arguments of each `__init__` and `_ODS_OPERAND_SEGMENTS`) where they exist; iree_linalg_ext has no
Python bindings in the wheel, so its ops follow what IREE's printer emits (`indexing_maps`, optional
`decomposition_config`, an optional mask operand, no operand segments).

Dialects:
  IREE_LINALG_EXT  iree_linalg_ext: attention, online_attention, yield
  IREE_CODEGEN     iree_codegen: inner_tiled
  GPU_INTERCHANGE  a `gpu` dialect holding only the ops below (subgroup_reduce, thread_id, lane_id, subgroup_id,
                   barrier) with their enum attributes (`#gpu.dim<x>`, `#gpu.all_reduce_op<maximumf>`) kept
                   verbatim. It replaces xDSL's own `gpu`, whose 0.74 attribute syntax lags MLIR's: it cannot parse
                   `#gpu.dim<x>` nor `maximumf`.
  SCF_OPS / TENSOR_OPS  scf.forall, scf.forall.in_parallel, tensor.parallel_insert_slice, which xDSL 0.74 lacks;
                   `interchange.make_context` adds them to xDSL's scf and tensor dialects.
"""

from __future__ import annotations

from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    IndexType,
    IntegerAttr,
    UnitAttr,
    i64,
)
from xdsl.ir import Dialect
from xdsl.irdl import (
    AnyAttr,
    AttrSizedOperandSegments,
    IRDLOperation,
    base,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import IsTerminator, NoTerminator

from ...ir.facts import ATTENTION, ONLINE_ATTENTION

# --- iree_linalg_ext ---------------------------------------------------------------------------------------------


@irdl_op_definition
class AttentionOp(IRDLOperation):
    """`iree_linalg_ext.attention ins(Q, K, V, scale[, mask]) outs(O)`; one score-modification region."""

    name = ATTENTION

    query = operand_def()
    key = operand_def()
    value = operand_def()
    scale = operand_def()
    mask = opt_operand_def()
    output = operand_def()
    results_ = var_result_def()  # one tensor, or none on memrefs

    indexing_maps = prop_def(ArrayAttr[AffineMapAttr])
    decomposition_config = opt_prop_def(DictionaryAttr)

    region = region_def("single_block")


@irdl_op_definition
class OnlineAttentionOp(IRDLOperation):
    """`iree_linalg_ext.online_attention ins(Q, K, V, scale[, mask]) outs(O, max, sum)`."""

    name = ONLINE_ATTENTION

    query = operand_def()
    key = operand_def()
    value = operand_def()
    scale = operand_def()
    mask = opt_operand_def()
    output = operand_def()
    max = operand_def()
    sum = operand_def()
    results_ = var_result_def()  # (O, max, sum) on tensors, none on memrefs

    indexing_maps = prop_def(ArrayAttr[AffineMapAttr])
    decomposition_config = opt_prop_def(DictionaryAttr)

    region = region_def("single_block")


@irdl_op_definition
class LinalgExtYieldOp(IRDLOperation):
    name = "iree_linalg_ext.yield"

    values = var_operand_def()

    traits = traits_def(IsTerminator())


IREE_LINALG_EXT = Dialect("iree_linalg_ext", [AttentionOp, OnlineAttentionOp, LinalgExtYieldOp], [])

# --- iree_codegen ------------------------------------------------------------------------------------------------


@irdl_op_definition
class InnerTiledOp(IRDLOperation):
    """`iree_codegen.inner_tiled ins(...) outs(...)`: the MMA intrinsic op (`kind` = #iree_gpu.mma_layout<...>)."""

    name = "iree_codegen.inner_tiled"

    inputs = var_operand_def()
    outputs = var_operand_def()
    results_ = var_result_def()

    indexing_maps = prop_def(ArrayAttr[AffineMapAttr])
    iterator_types = prop_def(ArrayAttr)
    kind = prop_def(AnyAttr())
    semantics = prop_def(AnyAttr())
    permutations = opt_prop_def(ArrayAttr)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)


IREE_CODEGEN = Dialect("iree_codegen", [InnerTiledOp], [])

# --- scf / tensor (missing from xDSL 0.74) -----------------------------------------------------------------------


@irdl_op_definition
class ForallOp(IRDLOperation):
    name = "scf.forall"

    dynamicLowerBound = var_operand_def(IndexType)
    dynamicUpperBound = var_operand_def(IndexType)
    dynamicStep = var_operand_def(IndexType)
    outputs = var_operand_def()
    results_ = var_result_def()

    staticLowerBound = prop_def(DenseArrayBase.constr(i64))
    staticUpperBound = prop_def(DenseArrayBase.constr(i64))
    staticStep = prop_def(DenseArrayBase.constr(i64))
    mapping = opt_prop_def(ArrayAttr)

    body = region_def("single_block")

    irdl_options = (AttrSizedOperandSegments(as_property=True),)


@irdl_op_definition
class InParallelOp(IRDLOperation):
    name = "scf.forall.in_parallel"

    body = region_def("single_block")  # tensor.parallel_insert_slice ops, no terminator

    traits = traits_def(IsTerminator(), NoTerminator())


@irdl_op_definition
class ParallelInsertSliceOp(IRDLOperation):
    name = "tensor.parallel_insert_slice"

    source = operand_def()
    dest = operand_def()
    offsets = var_operand_def(IndexType)
    sizes = var_operand_def(IndexType)
    strides = var_operand_def(IndexType)

    static_offsets = prop_def(DenseArrayBase.constr(i64))
    static_sizes = prop_def(DenseArrayBase.constr(i64))
    static_strides = prop_def(DenseArrayBase.constr(i64))

    irdl_options = (AttrSizedOperandSegments(as_property=True),)


SCF_OPS = [ForallOp, InParallelOp]
TENSOR_OPS = [ParallelInsertSliceOp]

# --- gpu (interchange subset; attributes verbatim) ---------------------------------------------------------------


@irdl_op_definition
class SubgroupReduceOp(IRDLOperation):
    """`gpu.subgroup_reduce maximumf %v cluster(size = 4, stride = 16) : (f32) -> f32`."""

    name = "gpu.subgroup_reduce"

    value = operand_def()
    result = result_def()

    op = prop_def(AnyAttr())  # #gpu.all_reduce_op<...>, verbatim
    uniform = opt_prop_def(UnitAttr)
    cluster_size = opt_prop_def(base(IntegerAttr))
    cluster_stride = opt_prop_def(base(IntegerAttr))


@irdl_op_definition
class ThreadIdOp(IRDLOperation):
    name = "gpu.thread_id"

    result = result_def(IndexType)
    dimension = prop_def(AnyAttr())  # #gpu.dim<x>, verbatim
    upper_bound = opt_prop_def(base(IntegerAttr))


@irdl_op_definition
class LaneIdOp(IRDLOperation):
    name = "gpu.lane_id"

    result = result_def(IndexType)
    upper_bound = opt_prop_def(base(IntegerAttr))


@irdl_op_definition
class SubgroupIdOp(IRDLOperation):
    name = "gpu.subgroup_id"

    result = result_def(IndexType)
    upper_bound = opt_prop_def(base(IntegerAttr))


@irdl_op_definition
class BarrierOp(IRDLOperation):
    name = "gpu.barrier"

    named_barrier = opt_operand_def()
    address_spaces = opt_prop_def(ArrayAttr)
    scope = opt_prop_def(AnyAttr())  # #gpu.barrier_scope<workgroup>, verbatim


GPU_OPS = [SubgroupReduceOp, ThreadIdOp, LaneIdOp, SubgroupIdOp, BarrierOp]
GPU_INTERCHANGE = Dialect("gpu", GPU_OPS, [])

ALL_OPS = [*IREE_LINALG_EXT.operations, *IREE_CODEGEN.operations, *SCF_OPS, *TENSOR_OPS, *GPU_OPS]
