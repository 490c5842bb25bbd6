"""Dispatch stage `seq-lens-bound` of the tilefuse paths (after reduction-tile and k2-tail): the K2 loop of an
attention marked `tilefuse.key_lengths` (program stage seq-lens: along its keys, a mask row sees a prefix, the
same for every row of one batch index) ends after its last step whose first key the mask sees:

    live = count of steps t in [lb, ub) with mask[.., first key of step t] seen      (one scalar read a step)
    scf.for %t = lb to lb + live * step                                               (was: to ub)

A step whose first key is hidden holds no seen key, nor does any later one (a prefix): its K/V page is never read
nor multiplied. The last live step keeps its mask (keys past the length inside it still score -inf). Live steps
are the first ones because the loop's step walks the keys in order: its induction variable is the offset of the
mask slice along one key dim, every other offset the workgroup's (outside its subgroup and lane foralls), and the
key dims are ordered as K lays them out (pages, then the keys of a page: ir/paged.py). The first key is read at
query row 0 (the mask is the same on every row of a batch index, and a subgroup's own first row may be padding,
which pad-to-tiles and m-tail fill with "seen"). A count of 0 (a sequence of no keys, or a split past its end) runs
no step: the accumulators keep their fills (sum 0), which split-k2's partials weigh 0 and an unsplit
normalization divides as 0 / 0, as the reference's softmax of no key is NaN. The count is the workgroup's (its
batch index and split), so subgroups sharing K/V tiles run the same steps between barriers. Any other form is left
reading every step (correct; the mask hides the keys). design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, scf, tensor

from ...ir import irbuild as b
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import forall_mapping, indexing_maps, ops_named, projected_dims
from ...ir.attention import attention_shape
from ...ir.seq_lens import KEY_LENGTHS
from ..stage import StageInput, StageResult

_MASK = 4  # online_attention's operands: Q, K, V, scale, mask, acc, max, sum


def bound_seq_lens_loops(module: ir.Module, stage_input: StageInput) -> StageResult:
    with module.context, ir.Location.unknown():
        for op in ops_named(module, ONLINE_ATTENTION):
            found = _stepped_mask(op) if KEY_LENGTHS in op.attributes else None
            if found is not None:
                _bound(*found)
    return StageResult(module)


def _stepped_mask(op: ir.Operation):
    """(the K2 loop, the mask tensor the loop slices, the offsets of a step's first key in it (ints or values), the
    dim whose offset is the induction variable) where the loop steps the mask's keys in order; else None."""
    loop = op.parent
    if loop.name != "scf.for" or len(op.operands) != 8:
        return None
    iv = loop.regions[0].blocks[0].arguments[0]
    shape = attention_shape(op)
    maps = indexing_maps(op)
    k_dims, mask_dims = projected_dims(maps[1]), projected_dims(maps[_MASK])
    if k_dims is None or mask_dims is None or any(d not in mask_dims for d in shape.k2):
        return None
    keys = sorted(shape.k2, key=k_dims.index)  # key order: as K lays its key dims out
    at = [mask_dims.index(d) for d in keys]
    if at != sorted(at):
        return None
    source = op.operands[_MASK]
    pad = _owner(source, "tensor.pad")
    if pad is not None:  # m-tail / the plan's rows padded in the kernel: the slice's origin is a real row
        if any(ir.DenseI64ArrayAttr(pad.attributes["static_low"])) or len(pad.operands) != 1:
            return None
        source = pad.operands[0]
    piece = _owner(source, "tensor.extract_slice")
    if piece is None or any(s != 1 for s in ir.DenseI64ArrayAttr(piece.attributes["static_strides"])):
        return None
    offsets = _offsets(piece)
    stepped = [d for d, o in enumerate(offsets) if o == iv]
    # The mask's query rows read at row 0, a real row (a subgroup's own first row may be padding, which sees every
    # key; a decode's mask may index no row: pack-query-groups drops its unit rows); its other offsets the
    # workgroup's, so every subgroup counts the same steps.
    rows = {mask_dims.index(d) for d in shape.m if d in mask_dims}
    offsets = [0 if d in rows else o for d, o in enumerate(offsets)]
    workgroup = _workgroup_level(loop)
    if len(stepped) != 1 or stepped[0] not in at or not _invariant(piece.operands[0], workgroup) or not all(
            isinstance(o, int) or _invariant(o, workgroup) for d, o in enumerate(offsets) if d != stepped[0]):
        return None
    return loop, piece.operands[0], offsets, stepped[0]


def _workgroup_level(loop: ir.Operation) -> ir.Operation:
    """The outermost op around `loop` inside the workgroup's iterations: a value defined outside it is the
    workgroup's, the same in each of its subgroups and lanes."""
    outer, op = loop, loop.parent
    while op is not None:
        if op.name == "scf.forall" and forall_mapping(op) not in (None, "workgroup"):
            outer = op
        op = op.parent
    return outer


def _bound(loop: ir.Operation, mask: ir.Value, offsets: list, stepped: int) -> None:
    """The loop's upper bound: lb + (its steps whose first key the mask sees) * step."""
    lb, ub, step = loop.operands[0], loop.operands[1], loop.operands[2]
    elem = ir.RankedTensorType(mask.type).element_type
    boolean = isinstance(elem, ir.IntegerType)  # i1, or the i8 IREE stores an i1 mask as in a dispatch
    with ir.InsertionPoint(loop):
        zero, one = b.index(0), b.index(1)
        fixed = {d: b.index(o) for d, o in enumerate(offsets) if isinstance(o, int)}
        hidden = b.constant(elem, 0 if boolean else -math.inf)  # false; -inf
        counter = scf.ForOp(lb, ub, step, [zero])
        with ir.InsertionPoint(counter.body):
            t, live = counter.induction_variable, counter.inner_iter_args[0]
            at = [t if d == stepped else fixed.get(d, o) for d, o in enumerate(offsets)]
            first = tensor.ExtractOp(mask, at).result
            seen = (arith.CmpIOp(arith.CmpIPredicate.ne, first, hidden) if boolean else
                    arith.CmpFOp(arith.CmpFPredicate.OGT, first, hidden)).result
            scf.YieldOp([arith.AddIOp(live, b.select(seen, one, zero)).result])
        end = arith.AddIOp(lb, arith.MulIOp(counter.results[0], step).result).result
    loop.operands[1] = end


def _offsets(piece: ir.Operation) -> list:
    """The slice's offsets: ints where static, values where not."""
    dynamic = iter(piece.operands[1:1 + sum(1 for o in ir.DenseI64ArrayAttr(piece.attributes["static_offsets"])
                                            if o == ir.ShapedType.get_dynamic_size())])
    return [next(dynamic) if o == ir.ShapedType.get_dynamic_size() else o
            for o in ir.DenseI64ArrayAttr(piece.attributes["static_offsets"])]


def _invariant(value: ir.Value, loop: ir.Operation) -> bool:
    """`value` is defined outside `loop` (a block argument of an enclosing region, or an op before it)."""
    owner = value.owner
    op = owner.owner if isinstance(owner, ir.Block) else owner
    while op is not None:
        if op.operation == loop.operation:
            return False
        op = op.operation.parent
    return True


def _owner(value: ir.Value, name: str) -> ir.Operation | None:
    owner = value.owner
    if isinstance(owner, ir.Block):
        return None
    owner = owner.operation
    return owner if owner.name == name else None
