"""Program stage `unrepeat-kv` of the tilefuse paths: an attention whose K and V are KV heads repeated to every
query head (transformers' `repeat_kv` under export: expand + reshape; after IREE's input conversion a broadcasting
copy (b, h_kv, s, d) -> (b, h_kv, g, s, d) and `tensor.collapse_shape` to (b, h_kv·g, s, d)) is rewritten as the
grouped attention it is:

    K, V                        the broadcast's source, its dims collapsed as the repeated ones were: (b·h_kv, s, d)
    Q, O (and a per-head mask)  --expand_shape-->  the head dim split into (h_kv, g)
    attention                   K/V maps index h_kv only: every query head of a group reads its KV head
    result                      --collapse_shape--> the original (b·h_kv·g, ...)

so K/V are read once per KV head and pack-query-groups / pad-to-tiles see the group's query rows (a decode's g
heads of one row become the rows of one MMA tile). A mask that does not index the heads (broadcast over them)
stays as it is.

The repetition is proven from the IR, never assumed: the K/V operand must be, through `tensor.collapse_shape`s, a
broadcast (`linalg.broadcast`, or a `linalg.generic` that yields its one input, whose input map reads the output
dims in order) whose broadcast dims all fall in the collapsed group of one attention batch dim, after every dim
of that group it reads: query head h then reads source head h // g, exactly; or a gather (torch's index_select,
advanced indexing) whose indices, evaluated from their constant producers, are h // g on the innermost dim of
that group and each other dim's own index (_gather). K and V must agree on the dim and g. Anything else (heads
permuted or tiled, h mod h_kv; indices not computed from constants; a score region reading indices) is left
alone. A
Python stage: no transform op adds an iteration dim to an attention. Why: design/tilefuse-path.md, "GQA through
repeated K/V".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import iree.compiler.ir as ir
import numpy as np
from iree.compiler.dialects import tensor

from ...ir import irbuild as b
from ...errors import NotInterpretable
from ...interp.core import AssertFailed, OutOfBounds
from ...interp.program import constant_values
from ...interp.structured import body_values
from ...ir.irutil import DYNAMIC, indexing_maps, iterator_types, projected_dims, walk
from ..program_stage import reads_indices, rewrite_attention_ops
from ..stage import StageInput, StageResult


@dataclass(frozen=True)
class Repetition:
    """A K/V operand proven to be `source` repeated `group` times along its dim `head_at`: the operand equals
    `source` with its dims collapsed by `source_groups` and each element of dim `head_at` repeated `group` times
    in a row (operand head h is source head h // group)."""

    source: ir.Value
    source_groups: list[list[int]]
    head_at: int
    group: int


def unrepeat_kv(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _unrepeat)


def repetition(value: ir.Value) -> Repetition | None:
    """`value` as repeated KV heads (see Repetition), or None where the IR does not prove it."""
    groups = [[i] for i in range(len(b.shape(value)))]
    while _producer(value) == "tensor.collapse_shape":
        reassociation = [[ir.IntegerAttr(i).value for i in ir.ArrayAttr(g)]
                         for g in ir.ArrayAttr(value.owner.attributes["reassociation"])]
        groups = [[s for r in g for s in reassociation[r]] for g in groups]
        value = value.owner.operands[0]
    copied = _broadcast(value)
    if copied is not None:
        return _broadcast_repetition(value, groups, *copied)
    gathered = _gather(value)
    if gathered is None:
        return None
    source, at, group = gathered
    (head_at,) = [i for i, g in enumerate(groups) if at in g]
    # Collapsed head H = (outer dims)·n + h reads source head H // g only where h is its group's innermost dim.
    if groups[head_at][-1] != at:
        return None
    return Repetition(source, groups, head_at, group)


def _broadcast_repetition(value: ir.Value, groups: list[list[int]], source: ir.Value,
                          read: list[int]) -> Repetition | None:
    repeated = [[d for d in g if d not in read] for g in groups]
    heads = [i for i, r in enumerate(repeated) if r]
    if len(heads) != 1:
        return None
    (head_at,) = heads
    kept = [d for d in groups[head_at] if d in read]
    # h = source head · g + copy only when the repeated dims come after every read dim of the group.
    if not kept or groups[head_at][:len(kept)] != kept:
        return None
    group = math.prod(b.shape(value)[d] for d in repeated[head_at])
    if group == 1:
        return None
    return Repetition(source, [[read.index(d) for d in g if d in read] for g in groups], head_at, group)


def _producer(value: ir.Value) -> str | None:
    return value.owner.name if isinstance(value, ir.OpResult) else None


def _broadcast(value: ir.Value) -> tuple[ir.Value, list[int]] | None:
    """(source, the output dims it reads, in order) of a broadcasting copy producing `value`, else None."""
    name = _producer(value)
    op = value.owner if name else None
    if name == "linalg.broadcast":
        added = set(ir.DenseI64ArrayAttr(op.attributes["dimensions"]))
        return op.operands[0], [d for d in range(len(b.shape(value))) if d not in added]
    if name != "linalg.generic" or len(op.operands) != 2 or set(iterator_types(op)) != {"parallel"}:
        return None
    in_map, out_map = indexing_maps(op)
    read = projected_dims(in_map)
    body = list(op.regions[0].blocks[0].operations)
    if (read is None or read != sorted(read) or projected_dims(out_map) != list(range(out_map.n_dims))
            or len(body) != 1 or list(body[0].operands) != [op.regions[0].blocks[0].arguments[0]]):
        return None
    return op.operands[0], read


def _gather(value: ir.Value) -> tuple[ir.Value, int, int] | None:
    """(source, dim, g) where `value` is a gather reading source[..., h // g, ...] at [..., h, ...], every other
    index its own (torch's `index_select(1, arange(h) // g)` and `k[:, idx]` after IREE's input conversion): a
    parallel linalg.generic yielding `tensor.extract %source[...]` whose indices, computed from constants (index
    tensors read through its input maps, linalg.index, casts and arithmetic: an f32 floor division included), are
    evaluated at every point by the interpreter and compared exactly. Else None."""
    if _producer(value) != "linalg.generic":
        return None
    op = value.owner
    block = op.regions[0].blocks[0]
    body = [o.operation for o in block.operations]
    out_shape, rank = b.shape(value), len(b.shape(value))
    if (len(op.results) != 1 or set(iterator_types(op)) != {"parallel"}
            or projected_dims(indexing_maps(op)[-1]) != list(range(rank)) or len(body) < 2
            or body[-2].name != "tensor.extract" or list(body[-1].operands) != [body[-2].result]):
        return None
    extract = body[-2]
    source, inside = extract.operands[0], set(walk(op))
    outside = {v for o in body for v in o.operands if not _defined_in(v, inside)}
    # The output's block argument unread and the source read by the extract alone: the element is copied.
    if (_defined_in(source, inside) or any(v == block.arguments[-1] for o in body for v in o.operands)
            or any(v == source for o in body[:-2] for v in o.operands)
            or not ir.ShapedType(source.type).has_static_shape or not ir.ShapedType(value.type).has_static_shape):
        return None
    src_shape = b.shape(source)
    differ = [d for d in range(rank) if len(src_shape) == rank and src_shape[d] != out_shape[d]]
    if len(differ) != 1:
        return None
    (at,) = differ
    group, rest = divmod(out_shape[at], src_shape[at])
    n_inputs = len(block.arguments) - 1
    env = constant_values(list(op.operands)[:n_inputs] + list(outside - {source}))
    if rest or group < 2 or env is None:
        return None
    try:
        indices = body_values(op, env, list(extract.operands)[1:])
    except (NotInterpretable, OutOfBounds, AssertFailed):
        return None
    for d, index in enumerate(indices):
        along = [out_shape[d] if e == d else 1 for e in range(rank)]
        varies = [e for e, n in enumerate(np.shape(index)) if n != 1]
        want = np.arange(out_shape[d]) // (group if d == at else 1)
        if any(e != d for e in varies) or not np.array_equal(np.broadcast_to(index, along), want.reshape(along)):
            return None
    return source, at, group


def _defined_in(value: ir.Value, ops: set) -> bool:
    owner = value.owner.owner if isinstance(value, ir.BlockArgument) else value.owner
    return owner.operation in ops


def _unrepeat(op, shape) -> dict | None:
    maps = indexing_maps(op)
    operands = list(op.operands)
    if any(projected_dims(m) is None for m in maps) or reads_indices(op):
        return None  # a score region reading indices would need its dims renumbered: left alone
    reps = [repetition(operands[i]) for i in (1, 2)]
    if None in reps:
        return None
    heads = {projected_dims(maps[i])[r.head_at] for i, r in zip((1, 2), reps)}
    if len(heads) != 1 or len({r.group for r in reps}) != 1:
        return None
    (h,), group = heads, reps[0].group
    if h not in shape.batch or h not in projected_dims(maps[0]) or h not in projected_dims(maps[-1]):
        return None
    rank = len(shape.sizes) + 1

    def dims(amap: ir.AffineMap, split: bool) -> list[int]:
        """The map's dims in the new space: h (the KV head) then the copy dim h + 1 where `split`."""
        out = []
        for d in projected_dims(amap):
            out += [h, h + 1] if d == h and split else [d if d <= h else d + 1]
        return out

    def new_map(amap, split):
        return ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(d) for d in dims(amap, split)])

    with ir.InsertionPoint(op):
        kv = [_unrepeated(r) for r in reps]
        new_operands, new_maps = [operands[0]], [new_map(maps[0], True)]
        new_operands[0] = _split_heads(operands[0], projected_dims(maps[0]).index(h), group)
        new_operands += [value for value, _ in kv] + [operands[3]]
        new_maps += [ir.AffineMap.get(rank, 0, [new_map(m, False).results[k] for k in order])
                     for m, (_, order) in zip(maps[1:3], kv)]
        new_maps.append(new_map(maps[3], False))
        if len(operands) == 6:  # the mask: split like Q where it is per head, else as it is
            per_head = h in projected_dims(maps[4])
            new_operands.append(_split_heads(operands[4], projected_dims(maps[4]).index(h), group)
                                if per_head else operands[4])
            new_maps.append(new_map(maps[4], per_head))
        out = operands[-1]
        out_at = projected_dims(maps[-1]).index(h)
        out_shape = _split_shape(b.shape(out), out_at, group)
        dynamic = iter(tensor.DimOp(out, b.index(d)).result for d, n in enumerate(b.shape(out)) if n == DYNAMIC)
        new_operands.append(tensor.EmptyOp([next(dynamic) if n == DYNAMIC else n for n in out_shape],
                                           b.element_type(out)).result)
        new_maps.append(new_map(maps[-1], True))
        new = b.rebuilt_attention(op, new_operands, new_maps,
                                  [ir.RankedTensorType.get(out_shape, b.element_type(out))])
    with ir.InsertionPoint.after(new):
        result = b.collapse_shape(new.result, _split_groups(len(b.shape(out)), out_at), b.shape(out))
    op.result.replace_all_uses_with(result)
    b.erase_attention(op)
    return {"query_heads": shape.sizes[h], "kv_heads": shape.sizes[h] // group, "group": group}


def _unrepeated(rep: Repetition) -> tuple[ir.Value, list[int]]:
    """The repeated operand's source, its dims collapsed as the operand's were (the head dim h_kv, not h), and
    the order of its dims (operand dim positions). A source that is a `linalg.transpose` is read through the
    attention's map instead: IREE 3.13 folds a transpose into an attention operand only where it is the operand's
    direct producer, and a collapse between them leaves it a dispatch of its own (the V projection's (s, h_kv, d)
    -> (h_kv, s, d); IREE then also exposes V transposed, another copy)."""
    folded = _through_transpose(rep.source, rep.source_groups)
    if folded is not None:
        return folded
    if all(len(g) == 1 for g in rep.source_groups):
        return rep.source, list(range(len(rep.source_groups)))
    sizes = b.shape(rep.source)
    return (b.collapse_shape(rep.source, rep.source_groups, [math.prod(sizes[d] for d in g)
                                                             for g in rep.source_groups]),
            list(range(len(rep.source_groups))))


def _through_transpose(value: ir.Value, groups: list[list[int]]) -> tuple[ir.Value, list[int]] | None:
    """`value` = linalg.transpose(src) collapsed by `groups`, as src collapsed in its own dim order and the
    positions (in `groups`) of its dims; only where each group holds exactly one dim of size > 1 (the collapse
    drops unit dims, so no group's elements are reordered); None otherwise."""
    if _producer(value) != "linalg.transpose":
        return None
    src = value.owner.operands[0]
    perm = list(ir.DenseI64ArrayAttr(value.owner.attributes["permutation"]))
    sizes = b.shape(value)
    wide = [[d for d in g if sizes[d] != 1] for g in groups]
    if any(len(w) != 1 for w in wide):
        return None
    src_dim = [perm[w[0]] for w in wide]  # the src dim each group reads
    order = sorted(range(len(groups)), key=lambda k: src_dim[k])
    src_groups = b.groups_around(len(b.shape(src)), src_dim)
    src_sizes = b.shape(src)
    if len(src_groups) == len(src_sizes):
        return src, order
    return b.collapse_shape(src, src_groups, [math.prod(src_sizes[d] for d in g) for g in src_groups]), order


def _split_groups(rank: int, at: int) -> list[list[int]]:
    return [[i] for i in range(at)] + [[at, at + 1]] + [[i + 1] for i in range(at + 1, rank)]


def _split_shape(shape_: list[int], at: int, group: int) -> list[int]:
    return shape_[:at] + [shape_[at] // group, group] + shape_[at + 1:]


def _split_heads(value: ir.Value, at: int, group: int) -> ir.Value:
    """`value` with its query-head dim (position `at`) split into (h_kv, g)."""
    shape_ = b.shape(value)
    return b.expand_shape(value, _split_groups(len(shape_), at), _split_shape(shape_, at, group))
