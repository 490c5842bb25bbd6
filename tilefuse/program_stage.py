"""The common frame of the tilefuse paths' program stages: each attention op of the input program that the
stage's `rewrite` takes is rewritten, and what changed is recorded for the report."""

from __future__ import annotations

from typing import Callable

import iree.compiler.ir as ir

from .errors import Unsupported
from .heuristics import AttentionShape, attention_shape
from .irutil import walk


def rewrite_attention_ops(module: ir.Module, stage_ctx,
                          rewrite: Callable[[ir.Operation, AttentionShape], dict | None]) -> None:
    """`rewrite(op, shape)` returns what it changed, or None where it leaves the op alone; an op it raises
    Unsupported for is left alone too (configure names the reason when the path reaches that op)."""
    changes = []
    with module.context, ir.Location.unknown():
        for op in [o for o in walk(module.operation) if o.name == "iree_linalg_ext.attention"]:
            try:
                change = rewrite(op, attention_shape(op))
            except Unsupported:
                continue
            if change is not None:
                changes.append(change)
        module.operation.verify()
    stage_ctx.program_changes = changes
