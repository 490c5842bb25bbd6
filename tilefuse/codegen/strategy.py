"""A self-contained transform library that replays a tilefuse path inside stock `iree-compile`:

    iree-compile IN <target flags> --iree-codegen-transform-dialect-library=strategy.mlir@__kernel_config

`__kernel_config` runs per executable variant while IREE materializes user configs. It acts only on the variant
whose online_attention has the operand types of the one the strategy was made for (@tilefuse_match_attention);
every other dispatch keeps IREE's own configuration and code. On that one it puts tilefuse's config (built from
the same dataclasses) on the attention op and its function, then includes the path's stage sequences in order.
The library holds every sequence they include (tilefuse/codegen/transforms/ libraries merged) and the entries that bind
a parametrised stage's parameters for the target (transform.bind_params), so it also serves iree-opt as the one
preloaded library for any of those stages. The function's translation_info says no_pipeline, so IREE then does
only its common lowering and serialization, exactly as after tilefuse's own hand-off.
"""

from __future__ import annotations

from pathlib import Path

import iree.compiler.ir as ir
from iree.compiler.dialects import preprocessing_transform, transform
from iree.compiler.dialects.transform import interpreter

from ..ir import irutil
from .config import TilefuseConfig
from .stages.configure import MIN_WORKGROUPS_ATTR
from ..ir.facts import ONLINE_ATTENTION
from ..target.targets import Target
from .transform import library_path

MATCHER = "tilefuse_match_attention"


def _matcher(attention: ir.Operation) -> transform.NamedSequenceOp:
    """@tilefuse_match_attention: the payload op is an online_attention whose tensor operands (q, k, v, mask,
    output, max, sum) have the types of `attention`'s."""
    any_op = transform.AnyOpType.get()
    matcher = transform.NamedSequenceOp(MATCHER, [any_op], [any_op],
                                        arg_attrs=[{"transform.readonly": ir.UnitAttr.get()}])
    with ir.InsertionPoint(matcher.body):
        op = matcher.bodyTarget
        transform.MatchOperationNameOp(op, [ONLINE_ATTENTION])
        for i, operand in enumerate(attention.operands):
            if isinstance(operand.type, ir.ShapedType):
                value = transform.GetOperandOp(transform.AnyValueType.get(), op, [i])
                preprocessing_transform.MatchCastCompatibleTypesOp(value, operand.type)
        transform.YieldOp([op])
    return matcher


def render_strategy(config: TilefuseConfig, translation_info: ir.Attribute, stages, target: Target,
                    attention: ir.Operation) -> ir.Module:
    """The strategy library for `stages` on dispatches with this attention op (in the current context)."""
    libraries = list(dict.fromkeys(lib for s in stages for lib in s.libraries))
    strategy = ir.Module.parse(library_path(libraries[0]).read_text())
    for lib in libraries[1:]:
        interpreter.copy_symbols_and_merge_into(strategy, ir.Module.parse(library_path(lib).read_text()))
    for binding in filter(None, (s.binding(target) for s in stages)):
        interpreter.copy_symbols_and_merge_into(strategy, binding)
    any_op, any_param = transform.AnyOpType.get(), transform.AnyParamType.get()
    with ir.Location.unknown():
        with ir.InsertionPoint(strategy.body):
            _matcher(attention)
            # readonly: the entry annotates and runs passes through handles it derives, consuming none (IREE
            # accepts either; a "consumed" argument the body does not consume draws a warning on every use).
            entry = transform.NamedSequenceOp("__kernel_config", [any_op], [any_op],
                                              arg_attrs=[{"transform.readonly": ir.UnitAttr.get()}])
        with ir.InsertionPoint(entry.body):
            variant = entry.bodyTarget
            # Empty handles on any other variant: the annotations and the stages touch nothing there.
            matched = transform.CollectMatchingOp([any_op], variant, MATCHER).results[0]
            func = transform.GetParentOp(any_op, matched, op_name="func.func")
            own = transform.GetParentOp(any_op, matched, op_name="hal.executable.variant")
            annotations = [(matched, "lowering_config", config.tiling.lowering_config()),
                           (matched, "decomposition_config", config.decomposition_config()),
                           (func, "translation_info", translation_info)]
            if config.shape.min_workgroups_attr() is not None:  # what configure puts on the function (NVIDIA)
                annotations.append((func, MIN_WORKGROUPS_ATTR, config.shape.min_workgroups_attr()))
            for op, name, value in annotations:
                transform.AnnotateOp(op, name, param=transform.ParamConstantOp(any_param, value))
            each = transform.ForeachOp([], [own])  # the stages' matches need one root: none elsewhere
            with ir.InsertionPoint(each.body):
                for stage in stages:
                    transform.IncludeOp([], stage.entry_for(target), transform.FailurePropagationMode.Propagate,
                                        [each.bodyTargets[0]])
                transform.YieldOp([])
            transform.YieldOp([variant])
    strategy.operation.verify()
    return strategy


def write_strategy(path: Path, config: TilefuseConfig, module: ir.Module, target: Target, stages) -> None:
    (func,) = [f for f in irutil.funcs(module) if irutil.translation_info(f) is not None]
    (attention,) = irutil.ops_named(module, ONLINE_ATTENTION)
    with module.context:
        strategy = render_strategy(config, irutil.translation_info(func), stages, target, attention)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"// Generated by tilefuse: on the dispatch with this attention op only "
                    f"(@{MATCHER}), the config it chose, then the path's stages in order (@__kernel_config).\n"
                    f"{strategy}")
