"""The common frame of the tilefuse paths' program stages: each attention op of the input program that the
stage's `rewrite` takes is rewritten, and what changed is recorded for the report.

Every op a rewrite creates carries the location of the attention op it rewrites, and the op it leaves in its
place keeps that location: the location names the input's attention op through all the program stages (the
driver parses the input from its file, so each op's location is its own line and column). That is how
`--fallback` undoes the stages' rewrites of one attention op and not the others' (tilefuse/fallback.py), and the
ops an attention listed in `stage_ctx.keep_as_written` are left alone, as an op the rewrite declines is."""

from __future__ import annotations

from typing import Callable

import iree.compiler.ir as ir

from .errors import Unsupported
from .heuristics import AttentionShape, attention_shape
from .ir_facts import ATTENTION
from .irutil import enclosing_func, sym_name, walk


def rewrite_attention_ops(module: ir.Module, stage_ctx,
                          rewrite: Callable[[ir.Operation, AttentionShape], dict | None],
                          kinds: tuple[str, ...] = (ATTENTION,)) -> None:
    """`rewrite(op, shape)` returns what it changed, or None where it leaves the op alone (for each op named in
    `kinds`: the attention ops of the input, and the online_attention ones where the stage takes them); an op it raises
    Unsupported for is left alone too (configure names the reason when the path reaches that op). Sets
    `stage_ctx.program_changes` and, beside each change, `stage_ctx.changed_ops`: (the op's location, its
    function)."""
    changes, changed_ops = [], []
    with module.context:
        for op in [o for o in walk(module.operation) if o.name in kinds]:
            origin = str(op.location)
            if origin in stage_ctx.keep_as_written:
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
    stage_ctx.program_changes, stage_ctx.changed_ops = changes, changed_ops

