"""The 2024 hint-attribute design, rebuilt on IREE 3.13 parts (design/hint-path.md).

Information flow, as in IREE PR 18188:
- the MMA schedule lives at function level, in translation_info's configuration (`mma_schedule`);
- decomposition marks the two matmuls with discardable unit attributes `attention_qk_matmul` /
  `attention_pv_matmul` (3.13's decomposition copies `qk_attrs` / `pv_attrs` onto the matmuls, so the
  configure stage makes those dictionaries hold just the markers);
- layout anchoring reads the markers plus the function-level schedule and decides each matmul's intrinsic and
  layout; an unmarked matmul gets what anchoring gives any plain matmul.
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen, iree_gpu

from ..ir import intrinsics, irutil
from .config import MatmulConfig
from ..errors import TilefuseError
from .heuristics import qk_variant
from ..ir.facts import ONLINE_ATTENTION
from .stage import StageInput, StageResult

SCHEDULE = "mma_schedule"
HINT_QK = "attention_qk_matmul"
HINT_PV = "attention_pv_matmul"


def configure_hint(module: ir.Module, stage_input: StageInput) -> StageResult:
    """IREE configures; then its per-matmul schedule moves to function level and the op keeps only markers."""
    stage_input.run_sequence(module, "stock_configure")
    ops = irutil.ops_named(module, ONLINE_ATTENTION)
    if not ops:
        return StageResult(module)
    (op,) = ops
    with module.context:
        decomposition = ir.DictAttr(op.attributes["decomposition_config"])
        pv = iree_gpu.LoweringConfigAttr(ir.DictAttr(decomposition["pv_attrs"])["lowering_config"]).attributes
        if "mma_kind" not in pv:
            # IREE chose its SIMT attention (no MMA: unaligned or decode shapes). The 2024 hints only steered
            # MMA layouts, so there is no schedule to move and IREE's per-op thread config stays.
            return StageResult(module)
        counts = [ir.IntegerAttr(c).value for c in ir.ArrayAttr(ir.ArrayAttr(pv["subgroup_basis"])[0])]
        schedule = ir.DictAttr.get({
            "intrinsic": pv["mma_kind"],
            "subgroup_m_count": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), max(counts)),
            "subgroup_n_count": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), 1),
        })
        unit = ir.UnitAttr.get()
        op.attributes["decomposition_config"] = ir.DictAttr.get({
            "qk_attrs": ir.DictAttr.get({HINT_QK: unit}),
            "pv_attrs": ir.DictAttr.get({HINT_PV: unit}),
        })
        func = irutil.enclosing_func(op)
        ti = irutil.translation_info(func)
        config = ir.DictAttr(ti.configuration) if ti.configuration is not None else ir.DictAttr.get({})
        entries = {config[i].name: config[i].attr for i in range(len(config))}
        entries[SCHEDULE] = schedule
        func.attributes["translation_info"] = iree_codegen.TranslationInfoAttr.get(
            ti.pass_pipeline, None, ti.workgroup_size, ti.subgroup_size, ir.DictAttr.get(entries))
    return StageResult(module)


def _contraction_dims(op: ir.Operation) -> tuple[list[int], list[int]] | None:
    """(M dims, N dims) of a two-input contraction-like linalg.generic, else None."""
    if op.name != "linalg.generic" or len(op.operands) != 3 or "reduction" not in irutil.iterator_types(op):
        return None
    a, b, c = ([ir.AffineDimExpr(e).position for e in ir.AffineMapAttr(m).value.results]
               for m in ir.ArrayAttr(op.attributes["indexing_maps"]))
    m = [d for d in a if d in c and d not in b]
    n = [d for d in b if d in c and d not in a]
    return (m, n) if m and n else None


def anchor_hinted_matmuls(module: ir.Module, stage_input: StageInput) -> StageResult:
    """The hint-reading part of 2024's layout anchoring, then IREE's own anchoring of the resulting configs."""
    with module.context:
        for op in list(irutil.walk(module.operation)):
            dims = _contraction_dims(op)
            if dims is None:
                continue
            ti = irutil.translation_info(irutil.enclosing_func(op))
            config = ir.DictAttr(ti.configuration) if ti.configuration is not None else None
            if config is None or SCHEDULE not in config:
                if "lowering_config" in op.attributes:
                    continue  # a SIMT dispatch (see configure_hint): IREE's own per-op config stands
                raise TilefuseError("hint path: a matmul has no config and the function no mma_schedule")
            op.attributes["lowering_config"] = _anchor(op, dims, ir.DictAttr(config[SCHEDULE]))
    stage_input.run_sequence(module, "stock_anchor_layouts")
    return StageResult(module)


def _anchor(op: ir.Operation, dims: tuple[list[int], list[int]], schedule: ir.DictAttr) -> ir.Attribute:
    name, col_major = intrinsics.name_of(schedule["intrinsic"])
    rank = len(ir.ArrayAttr(op.attributes["iterator_types"]))
    counts = [1] * rank
    counts[dims[0][-1]] = ir.IntegerAttr(schedule["subgroup_m_count"]).value
    counts[dims[1][-1]] = ir.IntegerAttr(schedule["subgroup_n_count"]).value
    if HINT_QK in op.attributes:
        # The 2024 attention anchor for QK: the variant whose accumulator layout is the PV LHS layout.
        name = qk_variant(name, col_major)
        promote = (0, 1)
    elif HINT_PV in op.attributes:
        promote = (1,)  # P arrives in registers in the QK accumulator layout
    else:
        promote = (0, 1)  # a plain matmul: both operands through shared memory
    return MatmulConfig(name, col_major, tuple(counts), tuple(range(rank)), promote).lowering_config()
