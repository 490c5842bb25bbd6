"""Stock's attention config as data, the in-process stage that applies it, and the IREE tuning spec that says it.

    StockConfig            -> online_attention's lowering_config {workgroup, reduction, promote_operands},
                              its decomposition_config (the two matmuls, MatmulConfig as on the tilefuse path),
                              the function's translation_info (VectorDistribute, workgroup and subgroup size)
    stock_path(config)     stock's stages, configure followed by putting the config on the op and function:
                           what IREE's materialize-user-configs does with the spec's compilation_info
    tuning_spec(...)       a transform library whose @__kernel_config matches the attention op by its operand
                           types and annotates compilation_info and decomposition_config: stock
                           `iree-compile --iree-codegen-tuning-spec-path=spec.mlir` applies it, no tilefuse
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen, iree_gpu, transform

from ...ir import irutil
from ...codegen.config import (
    MatmulConfig,
    int_array,
    lowering_config_attr,
    matmuls_of,
    promoted_operands,
    typed_section,
)
from ...errors import TilefuseError
from ...ir.facts import ONLINE_ATTENTION
from ...codegen.paths import STOCK, Stage
from ...codegen.stage import StageInput, StageResult



@dataclass(frozen=True)
class StockConfig:
    workgroup: tuple[int, ...]
    reduction: tuple[int, ...]
    promote_operands: tuple[int, ...]
    qk: MatmulConfig
    pv: MatmulConfig
    workgroup_size: tuple[int, int, int]
    subgroup_size: int
    configuration: str | None = None  # translation_info's dictionary (LLVM function attributes), as printed
    # The Q, K, V tensor types of the op it was chosen for, as printed: what a tuning spec matches the op by
    operand_types: tuple[str, ...] = ()

    @classmethod
    def of(cls, op: ir.Operation) -> "StockConfig":
        """The config stock's configure put on an online_attention op and its function."""
        config = iree_gpu.LoweringConfigAttr(op.attributes["lowering_config"])
        info = irutil.translation_info(irutil.enclosing_func(op))
        return cls(tuple(config.workgroup_tile_sizes), tuple(config.reduction_tile_sizes), promoted_operands(config),
                   *matmuls_of(op.attributes["decomposition_config"]), tuple(info.workgroup_size),
                   info.subgroup_size, None if info.configuration is None else str(info.configuration),
                   tuple(str(v.type) for v in list(op.operands)[:3]))

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else
                    {f: list(x) if isinstance(x, tuple) else x for f, x in v.items()} if isinstance(v, dict) else v)
                for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> "StockConfig":
        d = dict(d)
        d["qk"], d["pv"] = (typed_section(m, d[m]) for m in ("qk", "pv"))
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})

    # Built in the current context
    def lowering_config(self) -> ir.Attribute:
        return lowering_config_attr({"workgroup": int_array(self.workgroup), "reduction": int_array(self.reduction)},
                                self.promote_operands)

    def decomposition_config(self) -> ir.Attribute:
        from ...codegen.config import decomposition_config
        return decomposition_config(self.qk, self.pv)

    def translation_info(self) -> ir.Attribute:
        pipeline = iree_gpu.PipelineAttr.get(iree_gpu.LoweringPipeline.VectorDistribute)
        configuration = None if self.configuration is None else ir.Attribute.parse(self.configuration)
        return iree_codegen.TranslationInfoAttr.get(pipeline, None, list(self.workgroup_size), self.subgroup_size,
                                                    configuration)

    def compilation_info(self) -> ir.Attribute:
        return iree_codegen.CompilationInfoAttr.get(self.lowering_config(), self.translation_info())


def default_config(module: ir.Module) -> StockConfig | None:
    ops = irutil.ops_named(module, ONLINE_ATTENTION)
    return StockConfig.of(ops[0]) if ops and "lowering_config" in ops[0].attributes else None


def _configure_with(module: ir.Module, stage_input: StageInput, config: dict) -> StageResult:
    stage_input.run_sequence(module, "stock_configure")
    ops = irutil.ops_named(module, ONLINE_ATTENTION)
    if len(ops) != 1:
        return StageResult(module)  # another dispatch (a mask producer, a copy): stock's own config
    c = StockConfig.from_dict(config)
    with module.context:
        op = ops[0]
        op.attributes["lowering_config"] = c.lowering_config()
        op.attributes["decomposition_config"] = c.decomposition_config()
        irutil.enclosing_func(op).attributes["translation_info"] = c.translation_info()
    return StageResult(module)


def stock_path(config: dict):
    """Stock's stages with `config` on the attention op (what the tuning spec makes iree-compile do)."""
    configure = Stage("configure", python=partial(_configure_with, config=config), uses=("stock",),
                      runs=("stock_configure",), configures=True)
    return STOCK.replacing("stock", {"configure": configure})


def tuning_spec(entries: list[StockConfig]) -> ir.Module:
    """The spec for configs, in the current context: one matcher per config (its op's Q, K, V types),
    `@__kernel_config` applying the first that matches (IREE's format: compiler/plugins/target/ROCM/builtins/
    tuning/iree_default_tuning_spec_gfx942.mlir)."""
    any_op, any_param, any_value = transform.AnyOpType.get(), transform.AnyParamType.get(), transform.AnyValueType.get()
    readonly = {"transform.readonly": ir.UnitAttr.get()}
    with ir.Location.unknown():
        spec = ir.Module.create()
        spec.operation.attributes["sym_name"] = ir.StringAttr.get("tilefuse_tuning_spec")
        spec.operation.attributes["transform.with_named_sequence"] = ir.UnitAttr.get()
        spec.operation.attributes["iree_codegen.tuning_spec_with_default_entrypoint"] = ir.UnitAttr.get()
        with ir.InsertionPoint(spec.body):
            apply = transform.NamedSequenceOp("apply_attention_config", [any_op, any_param, any_param], [],
                                              arg_attrs=[readonly] * 3)
            with ir.InsertionPoint(apply.body):
                op, info, decomposition = apply.body.arguments
                transform.AnnotateOp(op, "compilation_info", param=info)
                transform.AnnotateOp(op, "decomposition_config", param=decomposition)
                transform.YieldOp()
            matchers = []
            for i, config in enumerate(entries):
                matcher = transform.NamedSequenceOp(f"match_attention_{i}", [any_op], [any_op, any_param, any_param],
                                                    arg_attrs=[readonly])
                with ir.InsertionPoint(matcher.body):
                    op = matcher.bodyTarget
                    transform.MatchOperationNameOp(op, [ONLINE_ATTENTION])
                    for operand, type_ in enumerate(map(ir.Type.parse, config.operand_types)):
                        value = transform.GetOperandOp(any_value, op, [operand]).result
                        ir.Operation.create("transform.iree.match.cast_compatible_type", operands=[value],
                                            attributes={"target_type": ir.TypeAttr.get(type_)})
                    info = transform.ParamConstantOp(any_param, config.compilation_info()).result
                    decomposition = transform.ParamConstantOp(any_param, config.decomposition_config()).result
                    transform.YieldOp([op, info, decomposition])
                matchers.append(matcher)
            entry = transform.NamedSequenceOp("__kernel_config", [any_op], [any_op],
                                              arg_attrs=[{"transform.consumed": ir.UnitAttr.get()}])
            entry.operation.attributes["iree_codegen.tuning_spec_entrypoint"] = ir.UnitAttr.get()
            with ir.InsertionPoint(entry.body):
                matched = transform.ForeachMatchOp(any_op, [], entry.bodyTarget, [],
                                                   [m.sym_name.value for m in matchers],
                                                   ["apply_attention_config"] * len(matchers))
                transform.YieldOp([matched.updated])
    spec.operation.verify()
    return spec


def write_spec(path: Path, configs: list[StockConfig]) -> None:
    with ir.Context():
        try:
            spec = tuning_spec(configs)
        except ir.MLIRError as e:
            raise TilefuseError(f"tuning spec: {irutil.error_line(e)}") from None
    path.write_text(f"// Generated by tilefuse tune: stock's attention configs, one matcher per problem.\n"
                    f"// iree-compile ... --iree-codegen-tuning-spec-path={path.name}\n{spec}")
