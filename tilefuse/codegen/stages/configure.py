"""S0 of the tilefuse path: IREE prepares and configures the dispatch, then tilefuse replaces the attention
schedule with its own op-specific config (tilefuse/codegen/heuristics.py, optionally overridden by the user)."""

from __future__ import annotations

import re

import iree.compiler.ir as ir

from ...ir import irutil
from ...ir.causal import mask_causal
from ..causal_region import mask_from_region
from ..config import SUBGROUPS, TilefuseConfig, int_array, lowering_config_attr
from ...errors import TilefuseError, Unsupported
from ...ir.attention import attention_shape
from ...ir.facts import ATTENTION, ONLINE_ATTENTION
from ..heuristics import combine_thread_tile, keys_relabeled
from ...ir.paged import cache_types, page_size
from ...ir.seq_lens import KEY_LENGTHS
from ..plan import plan_dispatch
from ..in_workgroup_split import combine_ops
from ..split_ranges import range_splits, whole_range_inserts
from ..stage import StageInput, StageResult

MIN_WORKGROUPS_ATTR = "nvvm.minctasm"  # MLIR NVVM dialect's name for PTX .minnctapersm
# The pipeline configuration IREE's KernelConfig gives every attention it configures (setAttentionPipelineAttributes:
# f32 denormals flushed, sign kept), which tilefuse's translation_info carried over from it before configuring first.
IREE_ATTENTION_PIPELINE = '{iree_codegen.denormal_fp_math_f32 = #iree_codegen.denormal_fp_math<"preserve-sign">}'


def configure_attention(module: ir.Module, stage_input: StageInput, share_kv: bool = True,
                        tail_stages: bool = True, relabel_keys: bool = True) -> StageResult:
    """`share_kv`: the path's later stages can share K/V tiles through workgroup memory (share-kv), so the
    heuristic asks for it with `promote_operands = [1]` on both matmuls. `tail_stages`: the path pads a run-time
    K2's last tile and a run-time or short M's rows in the kernel (k2-tail, m-tail); without them the plan refuses
    a run-time size and pads short rows in the program. `relabel_keys`: the path's lane stage
    reads PV's keys in the order QK's accumulator holds P (gfx950's and sm_89's fp8 pairs); without it such a
    config is refused (IREE's vector distribution, tilefuse-vd, moves P through workgroup memory inside a subgroup
    forall, the race of design/numerics.md). The config is the dispatch's plan's
    (tilefuse/codegen/plan.py), which also checks that the program stages padded and split the attention as planned."""
    mask_from_region(module)
    _unblock_run_time_sizes(module)
    # IREE prepares the dispatch (attention becomes online_attention) and configures it after tilefuse: its
    # KernelConfig configures every other dispatch, which then goes back to IREE unchanged, and leaves a function
    # that has a translation_info alone. It must not configure the attention: with run-time head dims its
    # attention heuristics divide by zero (IREE 3.13: the MMA config bails on a dynamic K1 or N, and its
    # fallback, setAttentionReductionConfig, sizes thread splits from ShapedType::kDynamic: SIGFPE).
    stage_input.run_sequence(module, "stock_prepare_dispatch")
    with module.context:
        whole_range_inserts(module)
    ops = irutil.ops_named(module, ONLINE_ATTENTION)
    if not ops:
        stage_input.run_sequence(module, "stock_select_lowering_strategy")
        return StageResult(module)
    if len(ops) > 1:
        raise TilefuseError(f"{len(ops)} attention ops in one dispatch; tilefuse handles one")
    (op,) = ops
    with module.context:
        try:
            shape = cache_types(op, attention_shape(op))
            plan = plan_dispatch(shape, stage_input.target, stage_input.config_overrides,
                                 mask_causal(op), share_kv, tail_stages, page_size(op, shape),
                                 KEY_LENGTHS in op.attributes, range_splits(op),
                                 masked=len(op.operands) == 8)  # Q, K, V, scale, [mask], acc, max, sum
        except Unsupported as e:
            raise TilefuseError(str(e)) from None
        qk, pv = plan.config.qk, plan.config.pv
        if not relabel_keys and keys_relabeled(qk.mma_kind, pv.mma_kind, pv.col_major):
            raise TilefuseError(f"{qk.mma_kind} / {pv.mma_kind}: PV reads P's keys in the QK accumulator's order, "
                                "which only the tilefuse lane stage does (paths tilefuse, tilefuse-noshare)")
        configure_function(irutil.enclosing_func(op), plan.config)
    # (the op's config after IREE's: with a no_pipeline function it would copy the attention's lowering_config
    # onto the fills and the consumers, which the workgroup tiling then tiles as roots)
    stage_input.run_sequence(module, "stock_select_lowering_strategy")
    with module.context:
        op.attributes["lowering_config"] = plan.config.tiling.lowering_config()
        op.attributes["decomposition_config"] = plan.config.decomposition_config()
        if plan.config.tiling.k2_split_place == SUBGROUPS:
            # the in-workgroup combine's thread tiles (split-combine tiles it by them)
            _, division = combine_ops(op)
            rank = len(ir.RankedTensorType(division.results[0].type).shape)
            division.attributes["lowering_config"] = lowering_config_attr(
                {"thread": int_array(combine_thread_tile(rank))}, ())
    return StageResult(module, config=plan.config, plan=plan)


def _unblock_run_time_sizes(module: ir.Module) -> None:
    """Drops the divisibility IREE assumes of the run-time sizes of an attention's Q, K and V (`util.assume.int`'s
    udiv of the value a `dispatch.workload.ordinal` sizes their loads with). IREE merges a GQA prefill's query dims
    (g, m) into one run-time dim of g·m rows (udiv = g), and its block-dynamic-dimensions would split that again
    as (?, udiv): a static innermost query dim under a run-time outer one, which no plan tiles. Without the udiv
    the dim stays whole: the rows of one attention of run-time M (row r is head r div m's query r mod m; K/V do
    not depend on it), which the plan and m-tail take as any run-time M. A weaker assumption only, of these sizes
    only (the bindings' offsets keep theirs): the code stays right for every size."""
    with module.context:
        for op in irutil.ops_named(module, ATTENTION):
            for operand in list(op.operands)[:3]:
                for assume, index in _size_assumptions(operand):
                    entries = list(ir.ArrayAttr(assume.attributes["assumptions"]))
                    kept = [ir.Attribute.parse(_UDIV.sub("", str(e))) if i == index else e
                            for i, e in enumerate(entries)]
                    assume.attributes["assumptions"] = ir.ArrayAttr.get(kept)


_UDIV = re.compile(r",?\s*udiv = \d+")


def _size_assumptions(value: ir.Value) -> list[tuple[ir.Operation, int]]:
    """(util.assume.int, result index) for each run-time size of the load VALUE is read from (through ops of one
    tensor operand: reshapes), where the size is a workload ordinal of an assumed value."""
    op = value.owner
    while isinstance(op, ir.OpView) and op.name != "iree_tensor_ext.dispatch.tensor.load":
        tensors = [o for o in op.operands if isinstance(o.type, ir.ShapedType)]
        if len(tensors) != 1:
            return []
        op = tensors[0].owner
    if not isinstance(op, ir.OpView):
        return []
    found = []
    for size in op.operands[1:]:
        ordinal = size.owner
        if isinstance(ordinal, ir.OpView) and ordinal.name == "iree_tensor_ext.dispatch.workload.ordinal":
            assumed = ordinal.operands[0]
            if isinstance(assumed.owner, ir.OpView) and assumed.owner.name == "util.assume.int":
                found.append((assumed.owner.operation, ir.OpResult(assumed).result_number))
    return found


def configure_function(func: ir.Operation, config: TilefuseConfig) -> None:
    """Puts the config's translation_info (and workgroups hint) on the attention's function (inside the module's
    context)."""
    previous = irutil.translation_info(func)  # a tuning spec's (materialized before configure)
    func.attributes["translation_info"] = config.shape.translation_info(
        previous.configuration if previous is not None else ir.Attribute.parse(IREE_ATTENTION_PIPELINE))
    min_workgroups = config.shape.min_workgroups_attr()
    if min_workgroups is not None:
        # IREE's func-to-LLVM conversion keeps the attribute and MLIR's NVVM translation emits `.minnctapersm`.
        func.attributes[MIN_WORKGROUPS_ATTR] = min_workgroups
    elif MIN_WORKGROUPS_ATTR in func.attributes:
        del func.attributes[MIN_WORKGROUPS_ATTR]


def config_of(module: ir.Module) -> TilefuseConfig | None:
    """The tilefuse config the module's online_attention carries (None without one): what configure chose, or
    what an edit after configure made of it."""
    for op in irutil.ops_named(module, ONLINE_ATTENTION):
        if "lowering_config" in op.attributes and "decomposition_config" in op.attributes:
            with module.context:
                func = irutil.enclosing_func(op)
                return TilefuseConfig.from_attributes(op.attributes["lowering_config"],
                                                      op.attributes["decomposition_config"],
                                                      irutil.translation_info(func),
                                                      func.attributes[MIN_WORKGROUPS_ATTR]
                                                      if MIN_WORKGROUPS_ATTR in func.attributes else None)
    return None

