"""S0 of the tilefuse path: IREE prepares and configures the dispatch, then tilefuse replaces the attention
schedule with its own op-specific config (tilefuse/heuristics.py, optionally overridden by the user)."""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir

from . import irutil
from .causal import mask_causal
from .causal_tiles import mask_from_region
from .config import TilefuseConfig, overridden
from .errors import TilefuseError, Unsupported
from .heuristics import attention_shape, choose_config
from .ir_facts import ONLINE_ATTENTION

MIN_WORKGROUPS_ATTR = "nvvm.minctasm"  # MLIR NVVM dialect's name for PTX .minnctapersm


def configure_attention(module: ir.Module, stage_ctx, share_kv: bool = True, run_time_k2: bool = True) -> None:
    """`share_kv`: the path's later stages can share K/V tiles through workgroup memory (share-kv), so the
    heuristic asks for it with `promote_operands = [1]` on both matmuls. `run_time_k2`: the path pads a run-time
    K2's last tile (k2-tail); without it such an attention is refused."""
    mask_from_region(module)
    # IREE's own configuration first: it converts attention to online_attention and configures every
    # other dispatch, which then goes back to IREE unchanged.
    stage_ctx.session.run(module, "stock_configure")
    ops = irutil.ops_named(module, ONLINE_ATTENTION)
    if not ops:
        return
    if len(ops) > 1:
        raise TilefuseError(f"{len(ops)} attention ops in one dispatch; tilefuse handles one")
    (op,) = ops
    with module.context:
        try:
            shape = attention_shape(op)
            if shape.run_time and not run_time_k2:
                raise Unsupported("a run-time K2 needs the k2-tail stage (paths tilefuse, tilefuse-noshare)")
            # share-kv copies whole K/V tiles into workgroup memory; k2-tail's last tile is a masked read of
            # fewer keys, which it does not copy (yet): a run-time K2 reads its fragments from global memory.
            config = choose_config(shape, stage_ctx.target, share_kv and not shape.run_time)
            config = replace(config, tiling=causal_tiling(config.tiling, mask_causal(op), shape))
        except Unsupported as e:
            raise TilefuseError(str(e)) from None
        if stage_ctx.config_overrides:
            config = config.merged(stage_ctx.config_overrides)
            shape = attention_shape(op)
            config.check_fits(shape.sizes, shape.k2, overridden(stage_ctx.config_overrides))
        apply_config(op, config)
    stage_ctx.chosen_config = config


def causal_tiling(tiling, causal, shape):
    """The tiling with the causal fields of a proven-causal mask, where the tiles can use them: a workgroup's rows
    within one query head (the workgroup tile divides the head's rows). Otherwise the mask alone (every tile)."""
    if causal is None:
        return tiling
    period = causal.period if causal.period != shape.sizes[causal.row] else None
    rows = tiling.workgroup[causal.row] or shape.sizes[causal.row]
    if period is not None and period % rows:
        return tiling
    return replace(tiling, causal=causal.offset, causal_period=period, causal_window=causal.window)


def apply_config(op: ir.Operation, config: TilefuseConfig) -> None:
    """Puts the config on the op and its function (inside the module's context)."""
    op.attributes["lowering_config"] = config.tiling.lowering_config()
    op.attributes["decomposition_config"] = config.decomposition_config()
    func = irutil.enclosing_func(op)
    previous = irutil.translation_info(func)
    func.attributes["translation_info"] = config.shape.translation_info(
        previous.configuration if previous is not None else None)
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

