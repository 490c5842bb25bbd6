"""The common frame of the tilefuse paths' program stages: each attention op of the input program that the
stage's `rewrite` takes is rewritten, and what changed is recorded for the report.

Every op a rewrite creates carries the location of the attention op it rewrites, and the op it leaves in its
place keeps that location: the location names the input's attention op through all the program stages (the
driver parses the input from its file, so each op's location is its own line and column). That is how
`--fallback` undoes the stages' rewrites of one attention op and not the others' (tilefuse/driver/fallback.py), and the
ops an attention listed in `StageInput.keep_as_written` are left alone, as an op the rewrite declines is."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import iree.compiler.ir as ir

from ..errors import TilefuseError, Unsupported
from ..ir.attention import AttentionShape, attention_shape
from ..ir.facts import ATTENTION
from ..ir.paged import page_size
from ..ir.seq_lens import KEY_LENGTHS
from ..ir.irutil import enclosing_func, sym_name, walk
from .stage import StageResult
from .plan import AttentionPlan, Variant, plan_program


def rewrite_attention_ops(module: ir.Module, stage_input,
                          rewrite: Callable[[ir.Operation, AttentionShape], dict | None],
                          kinds: tuple[str, ...] = (ATTENTION,)) -> StageResult:
    """`rewrite(op, shape)` returns what it changed, or None where it leaves the op alone (for each op named in
    `kinds`: the attention ops of the input, and the online_attention ones where the stage takes them); an op it
    raises Unsupported for is left alone too (configure names the reason when the path reaches that op). The result
    has the changes and, beside each, (the op's location, its function)."""
    changes, changed_ops = [], []
    with module.context:
        for op in [o for o in walk(module.operation) if o.name in kinds]:
            origin = str(op.location)
            if origin in stage_input.keep_as_written:
                continue
            function = sym_name(enclosing_func(op))
            try:
                with op.location:
                    change = rewrite(op, attention_shape(op))
            except Unsupported:
                continue
            if change is not None:
                changes.append(change)
                changed_ops.append((origin, function))
        module.operation.verify()
    return StageResult(module, tuple(changes), tuple(changed_ops))


def carry_out_plans(module: ir.Module, stage_input, stage: str, variant: Callable[[ir.Operation, AttentionShape], Variant],
                    expects: Callable[[AttentionPlan], tuple[int, ...]],
                    rewrite: Callable[[ir.Operation, AttentionShape, AttentionPlan], dict | None],
                    left_alone: dict) -> StageResult:
    """`rewrite_attention_ops` for a stage that carries out a part of each op's plan (tilefuse/codegen/plan.py): the
    plan an earlier stage made for the op (by its location), else one made here from the op as this stage sees it
    (`variant(op, shape)`: its IR facts), handed on to the later stages (StageResult.plans). The op must have the
    sizes `expects(plan)`: another shape means a stage did not do what the plan said (TilefuseError). An op the
    rewrite leaves alone keeps the plan with `left_alone` (what it did not do)."""
    plans = dict(stage_input.plans)

    def planned(op, shape):
        origin = str(op.location)
        plan = plans.get(origin) or plan_program(shape, stage_input.target, stage_input.config_overrides,
                                                 variant(op, shape), stage_input.m_tail)
        if shape.sizes != expects(plan):
            raise TilefuseError(f"{stage}: the attention at {origin} has sizes {list(shape.sizes)} where its plan "
                                f"expects {list(expects(plan))} (planned for {list(plan.sizes)})")
        plans[origin] = replace(plan, **left_alone)
        change = rewrite(op, shape, plan)
        if change is not None:
            plans[origin] = plan
        return change

    return replace(rewrite_attention_ops(module, stage_input, planned), plans=plans)


def variant_of(op: ir.Operation, shape: AttentionShape, packable: bool = False,
               broadcasts_mask: bool = False) -> Variant:
    """What the plan needs of the attention `op` besides its shape, read from its IR (`packable`,
    `broadcasts_mask`: the caller's reading of its query dims and mask, pack-query-groups')."""
    return Variant(packable=packable, broadcasts_mask=broadcasts_mask, reads_indices=reads_indices(op),
                   page=page_size(op, shape), lengths=KEY_LENGTHS in op.attributes)


def reads_indices(op: ir.Operation) -> bool:
    """The attention's score region reads iteration indices (a causal region): neither packed nor split."""
    return any(o.name == "iree_linalg_ext.index" for o in walk(op))
