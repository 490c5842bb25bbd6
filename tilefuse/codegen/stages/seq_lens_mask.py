"""Program stage `seq-lens-mask` of the tilefuse paths (last): the length mask of an attention marked
`tilefuse.key_lengths` (stage seq-lens) is computed in the attention's own dispatch, so the program has no dispatch
that writes the mask (IREE 3.13 forms one for it: its dispatch creation fuses no producer of an attention's input
but a gather or a cast, so the mask's generic became a dispatch of its own, 5.3 µs of a 4-batch decode's 42.8 on
MI300X in the estimate).

Two rewrites, each exact:
- The mask, which the later program stages reshaped (pack-query-groups drops its unit rows, split-k2 and page-kv
  cut its keys into splits and pages: collapse_shape / expand_shape only, which keep the row-major order of its
  elements), is built anew in the shape the attention reads it by one generic: its element at index i is the
  proven generic's body (ir/seq_lens.length_generic) at the same row-major position, the batch one dim of the new
  shape (read from the lengths by the input's map) and the key the row-major number of the dims that cover it.
  A shape where a dim does not line up so is left as it was.
- That generic, the attention and the attention's one elementwise consumer (split-k2's P/L generic, which IREE
  fuses into the attention's dispatch) are wrapped in a `flow.dispatch.region`: IREE keeps a region it is given,
  clones into it the producers it clones anyway (the paged gathers, fills, constants) and compiles it as one
  dispatch. The attention's other consumers would form their own dispatches out of a given region, so an
  attention with any other linalg consumer (an epilogue of an unsplit one) is left as it was.
In the dispatch the mask generic is fused into the K2 loop with the attention (a step's 16 keys); seq-lens-bound
counts the live steps from the generic's body at each step's first key. design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, flow, linalg

from ...ir import irbuild as b
from ...ir.facts import ATTENTION_OPS
from ...ir.irutil import indexing_maps, iterator_types, projected_dims
from ...ir.seq_lens import KEY_LENGTHS, length_generic
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult

_MASK = 4  # attention / online_attention operands: Q, K, V, scale, mask, then the outputs
_RESHAPES = ("tensor.collapse_shape", "tensor.expand_shape")


def compute_mask_in_dispatch(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _rewrite, ATTENTION_OPS)


def _rewrite(op: ir.Operation, shape) -> dict | None:
    # A unit key dim of pages (one page a split) is one IREE drops from every operand of the dispatch it forms, but
    # not in a region it is given, and configure takes no unit key dim beside the page's: such an attention keeps its
    # mask. (A unit page, pages of one key, is the page's: page-step merges it with the step's pages.)
    outer_keys = sorted(shape.k2, key=projected_dims(indexing_maps(op)[1]).index)[:-1]  # as K lays its keys out
    if KEY_LENGTHS not in op.attributes or len(op.operands) - len(op.results) != 5 \
            or any(shape.sizes[d] == 1 for d in outer_keys):
        return None
    mask = op.operands[_MASK]
    chain, generic = _reshaped_from(mask)
    found = length_generic(generic) if generic is not None else None
    consumer = _fused_consumer(op)
    if found is None or consumer is False or not _static(mask) or not _static(generic.results[0]):
        return None
    lines_up = _line_up(b.shape(generic.results[0]), b.shape(mask), found.batch, found.key)
    if lines_up is None or any(d != found.key for d in _indexed_dims(generic)):
        return None
    with ir.InsertionPoint(op):
        built = _built(generic, found, mask.type, *lines_up)
    op.operands[_MASK] = built.result
    for dead in [*chain, generic]:  # the old mask, from its use outward, where nothing else reads it
        if not any(True for _ in dead.results[0].uses):
            dead.erase()
    if op.parent.name == "flow.dispatch.region":
        # split-k2's region of splits on one workgroup's subgroups (the mask now built in it, before the attention)
        return {"attention": str(op.location), "mask": "computed in the attention's dispatch",
                "region": "split-k2's"}
    _into_region([built, op] + ([consumer] if consumer is not None else []))
    return {"attention": str(op.location), "mask": "computed in the attention's dispatch",
            "region": "mask, attention" + (", its elementwise consumer" if consumer is not None else "")}


def _reshaped_from(value: ir.Value) -> tuple[list[ir.Operation], ir.Operation | None]:
    """The reshapes `value` is made by from a linalg.generic (nearest first), and that generic (else None)."""
    chain = []
    owner = _owner(value)
    while owner is not None and owner.name in _RESHAPES:
        chain.append(owner)
        owner = _owner(owner.operands[0])
    return chain, owner if owner is not None and owner.name == "linalg.generic" else None


def _static(value: ir.Value) -> bool:
    return ir.RankedTensorType(value.type).has_static_shape


def _line_up(source: list[int], target: list[int], batch: int, key: int):
    """(the dim of `target` at the row-major place of `source`'s dim `batch`, the dims of `target` that cover
    `source`'s dim `key` exactly), or None where a reshape split or merged either with another dim."""
    def suffix(shape, d):
        return math.prod(shape[d + 1:])

    batch_at = [d for d in range(len(target)) if target[d] == source[batch]
                and suffix(target, d) == suffix(source, batch)]
    ends = [d for d in range(len(target)) if suffix(target, d) == suffix(source, key)]
    cover = next(([s, *range(s + 1, ends[0] + 1)] for s in range(ends[0], -1, -1)
                  if math.prod(target[s:ends[0] + 1]) == source[key]), None) if ends else None
    return None if not batch_at or cover is None else (batch_at[0], cover)


def _indexed_dims(generic: ir.Operation) -> set[int]:
    return {ir.IntegerAttr(o.attributes["dim"]).value for o in generic.regions[0].blocks[0].operations
            if o.operation.name == "linalg.index"}


def _built(generic: ir.Operation, found, mask_type: ir.Type, batch: int, keys: list[int]) -> ir.Operation:
    """The length mask in `mask_type`'s shape: `generic`'s body with its key index the row-major number of the
    `keys` dims and its length read at dim `batch`."""
    typed = ir.RankedTensorType(mask_type)
    shape, rank = typed.shape, typed.rank
    maps = [ir.AffineMap.get(rank, 0, [ir.AffineExpr.get_dim(batch)]), ir.AffineMap.get_identity(rank)]
    out = b.empty(shape, typed.element_type)
    new = linalg.GenericOp([mask_type], [found.lengths], [out], ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]),
                           [linalg.IteratorType.parallel] * rank)
    src = generic.regions[0].blocks[0]
    block = new.regions[0].blocks.append(*[a.type for a in src.arguments])
    mapping = dict(zip(src.arguments, block.arguments))
    with ir.InsertionPoint(block):
        key = None
        for d in keys:  # row-major: key = ((i0 * n1) + i1) * n2 + i2 ...
            index = b.linalg_index(d)
            key = index if key is None else arith.AddIOp(arith.MulIOp(key, b.index(shape[d])).result, index).result
        linalg.YieldOp(b.inlined_body(src, mapping, lambda d: key))
    return new.operation


def _fused_consumer(op: ir.Operation):
    """The one all-parallel linalg.generic that reads every result of `op` and nothing else (split-k2's P/L
    generic), None where `op`'s results feed no linalg op (through reshapes too), False where another linalg op
    reads them (an epilogue IREE would fuse into the attention's dispatch, even after a reshape)."""
    users = {u.owner.operation for r in op.results for u in r.uses}
    reshaped = [u for u in users if u.name in _RESHAPES]
    while reshaped:  # IREE moves reshapes out of the way of a consumer it fuses
        later = {u.owner.operation for r in reshaped.pop().results for u in r.uses}
        users |= later
        reshaped += [u for u in later if u.name in _RESHAPES]
    linalg_users = [u for u in users if u.name.startswith(("linalg.", "iree_linalg_ext."))]
    if not linalg_users:
        return None
    (user, *others) = linalg_users
    if others or user.name != "linalg.generic" or set(iterator_types(user)) != {"parallel"}:
        return False
    inputs = list(user.operands)[:len(user.operands) - len(user.results)]
    return user if set(inputs) == set(op.results) and len(inputs) == len(op.results) else False


def _into_region(ops: list[ir.Operation]) -> None:
    """`ops` (in program order, each reading only the ones before it or values defined before the first) moved into
    one flow.dispatch.region in the place of the last, which the region returns."""
    last = ops[-1]
    with ir.InsertionPoint(last), last.location:
        region = flow.DispatchRegionOp([r.type for r in last.results], [], [])
    block = region.regions[0].blocks.append()
    for r, r_new in zip(last.results, region.results):
        r.replace_all_uses_with(r_new)
    for inner in ops:
        inner.detach_from_parent()
        block.append(inner)
    with ir.InsertionPoint(block), last.location:
        flow.ReturnOp(list(last.results))


def _owner(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return None if isinstance(owner, ir.Block) else owner.operation
