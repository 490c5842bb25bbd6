"""Adjacent iteration dims of an attention op merged into one: collapse_shape on the operands that index them,
expand_shape on the result. pack-query-groups merges a GQA decode's query dims (the group's heads become rows of
one MMA tile); causal-mask merges every run of dims IREE's dispatch formation would merge itself
(`collapsible_runs`): IREE 3.13's CollapseDimensionsPass merges such runs of an iree_linalg_ext.attention without
renumbering the iree_linalg_ext.index ops of its score region, so a causal region written over (b, h, m, k1, k2,
n) would read the head dim and the value dim of the collapsed (b*h, m, k1, k2, n) dispatch.
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir

from ..ir import irbuild as b
from ..ir.irutil import indexing_maps, projected_dims


def packable(maps: list[ir.AffineMap], dims: tuple[int, ...]) -> bool:
    """Whether every operand map that indexes one of `dims` indexes all of them, adjacent and in order (a
    collapse_shape merges them)."""
    for amap in maps:
        at = projected_dims(amap)
        if at is None:
            return False
        found = [i for i, d in enumerate(at) if d in dims]
        if found and at[found[0]:found[0] + len(dims)] != list(dims):
            return False
    return True


def collapsible_runs(maps: list[ir.AffineMap], reductions: set[int]) -> list[tuple[int, ...]]:
    """The runs of dims CollapseDimensionsPass (IREE 3.13, getCollapsibleLoops) merges in an op with these operand
    maps: maximal sequences, in the order of each map's results, of dims of one iterator kind (parallel or
    reduction) that every map indexing one of them indexes next to each other in that order."""
    dims_of = [projected_dims(m) for m in maps]
    if any(d is None for d in dims_of):
        return []  # IREE collapses projected permutations only

    def adjacent(pre: int, nxt: int) -> bool:
        for dims in dims_of:
            if pre in dims and dims[dims.index(pre) + 1:dims.index(pre) + 2] != [nxt]:
                return False
            if nxt in dims and dims[max(dims.index(nxt) - 1, 0):dims.index(nxt)] != [pre]:
                return False
        return (pre in reductions) == (nxt in reductions)

    runs: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for dims in dims_of:
        run: list[int] = []
        for d in dims:
            if d in seen or (run and not adjacent(run[-1], d)):
                if len(run) > 1:
                    runs.append(tuple(run))
                run = []
                if d in seen:
                    continue
            run.append(d)
            seen.add(d)
        if len(run) > 1:
            runs.append(tuple(run))
    return runs


def merge_dims(op, run: tuple[int, ...]) -> ir.Operation:
    """The attention `op` (replaced and erased) with the dims of `run` (packable) merged into the innermost one:
    the new op. Its iteration dims are `op`'s without run[:-1], in order."""
    maps = indexing_maps(op)
    keep = [d for d in range(maps[0].n_dims) if d not in run[:-1]]
    renumber = {d: i for i, d in enumerate(keep)}
    merged_maps = [ir.AffineMap.get(len(keep), 0, [ir.AffineDimExpr.get(renumber[d])
                                                    for d in projected_dims(m) if d in renumber]) for m in maps]
    operands = list(op.operands)
    out = operands[-1]
    out_shape = _merged_shape(b.shape(out), _groups(maps[-1], run))
    with ir.InsertionPoint(op):
        merged = [_collapse(v, m, run) for v, m in zip(operands[:-1], maps[:-1])]
        new = b.rebuilt_attention(op, merged + [b.empty(out_shape, b.element_type(out))], merged_maps,
                                  [ir.RankedTensorType.get(out_shape, b.element_type(out))])
    with ir.InsertionPoint.after(new):
        result = b.expand_shape(new.result, _groups(maps[-1], run), b.shape(out))
    op.result.replace_all_uses_with(result)
    op.erase()
    if out.owner.name == "tensor.empty" and not list(out.uses):
        out.owner.erase()
    return new


def _groups(amap: ir.AffineMap, run) -> list[list[int]]:
    """collapse_shape's reassociation for an operand laid out by `amap`: the run's dims one group."""
    groups: list[list[int]] = []
    for i, d in enumerate(projected_dims(amap)):
        if d in run[1:]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _merged_shape(shape: list[int], groups: list[list[int]]) -> list[int]:
    return [math.prod(shape[i] for i in group) for group in groups]


def _collapse(value: ir.Value, amap: ir.AffineMap, run) -> ir.Value:
    """The operand with the run's dims merged (a scalar, or an operand without them, as it is)."""
    if not isinstance(value.type, ir.RankedTensorType) or not set(projected_dims(amap)) & set(run):
        return value
    groups = _groups(amap, run)
    return b.collapse_shape(value, groups, _merged_shape(b.shape(value), groups))
