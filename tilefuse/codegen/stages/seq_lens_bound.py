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
from functools import partial

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, scf, tensor

from ...ir import irbuild as b
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import forall_mapping, indexing_maps, iterator_types, ops_named, projected_dims
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
    """(the K2 loop, a factory of the builder of "the mask sees step t's first key" (an i1) from t) where the loop
    steps the mask's keys in order; else None."""
    loop = op.parent
    if len(op.operands) != 8:
        return None
    # One K2 step (a split of one page: reduction-tile's one-trip loop folded away) is a loop of no iv to bound
    single = loop.name != "scf.for"
    iv = None if single else loop.regions[0].blocks[0].arguments[0]
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
    workgroup = _workgroup_level(op if single else loop)
    at_loop = op if single else loop
    generic = _owner(source, "linalg.generic")
    if generic is not None:  # computed in the loop (seq-lens-mask): its element 0 is the step's first key
        return (at_loop, partial(_first_computed, generic, iv)) if _computable(generic, iv, workgroup) else None
    piece = _owner(source, "tensor.extract_slice")
    if piece is None or any(s != 1 for s in ir.DenseI64ArrayAttr(piece.attributes["static_strides"])):
        return None
    offsets = _offsets(piece)
    stepped = [] if single else [d for d, o in enumerate(offsets) if not isinstance(o, int) and o == iv]
    # The mask's query rows read at row 0, a real row (a subgroup's own first row may be padding, which sees every
    # key; a decode's mask may index no row: pack-query-groups drops its unit rows); its other offsets the
    # workgroup's, so every subgroup counts the same steps.
    rows = {mask_dims.index(d) for d in shape.m if d in mask_dims}
    offsets = [0 if d in rows else o for d, o in enumerate(offsets)]
    if len(stepped) != (0 if single else 1) or any(d not in at for d in stepped) \
            or not _invariant(piece.operands[0], workgroup) \
            or not all(isinstance(o, int) or _invariant(o, workgroup) for d, o in enumerate(offsets) if d not in stepped):
        return None
    return at_loop, partial(_first_read, piece.operands[0], offsets, stepped[0] if stepped else None)


def _first_read(mask: ir.Value, offsets: list, stepped: int):
    """The mask sees step t's first key: its element there, read from the workgroup's mask."""
    fixed = {d: b.index(o) for d, o in enumerate(offsets) if isinstance(o, int)}
    seen = _seen_test(ir.RankedTensorType(mask.type).element_type)
    return lambda t: seen(tensor.ExtractOp(mask, [t if d == stepped else fixed.get(d, o)
                                                  for d, o in enumerate(offsets)]).result)


def _computable(generic: ir.Operation, iv: ir.Value, workgroup: ir.Operation) -> bool:
    """The generic that computes a step's mask tile can be evaluated at its index 0 before the loop: all-parallel,
    its inputs the workgroup's tensors read by projected permutations (index 0 reads their element 0), its
    output's old value unread, its body reading nothing else defined in the workgroup's iterations but the loop's
    induction variable."""
    maps = indexing_maps(generic)
    inputs = list(generic.operands)[:len(generic.operands) - len(generic.results)]
    block = generic.regions[0].blocks[0]
    if set(iterator_types(generic)) != {"parallel"} or len(generic.results) != 1 \
            or any(projected_dims(m) is None for m in maps) or not all(_invariant(x, workgroup) for x in inputs) \
            or any(True for _ in block.arguments[len(inputs)].uses):
        return False
    for inner in block.operations:
        for operand in inner.operation.operands:
            owner = operand.owner
            parent = owner.owner if isinstance(owner, ir.Block) else owner.operation.parent
            inside = parent is not None and parent.operation == generic.operation
            if not inside and not (iv is not None and operand == iv) and not _invariant(operand, workgroup):
                return False
    return True


def _first_computed(generic: ir.Operation, iv: ir.Value):
    """The mask sees step t's first key: the generic's body at index 0 with the loop's induction variable t."""
    inputs = list(generic.operands)[:len(generic.operands) - len(generic.results)]
    block = generic.regions[0].blocks[0]
    zero = b.index(0)
    seen = _seen_test(ir.RankedTensorType(generic.results[0].type).element_type)

    def first(t: ir.Value) -> ir.Value:
        mapping = {arg: tensor.ExtractOp(x, [zero] * len(ir.RankedTensorType(x.type).shape)).result
                   for arg, x in zip(block.arguments, inputs)}
        if iv is not None:
            mapping[iv] = t
        (element,) = b.inlined_body(block, mapping, lambda d: zero)
        return seen(element)

    return first


def _seen_test(elem: ir.Type):
    """A mask element of type `elem` shows its key: not false (i1, or the i8 IREE stores an i1 mask as in a
    dispatch), above -inf (additive). The constant it compares with is made here, before the loops."""
    boolean = isinstance(elem, ir.IntegerType)
    hidden = b.constant(elem, 0 if boolean else -math.inf)  # false; -inf
    return lambda first: (arith.CmpIOp(arith.CmpIPredicate.ne, first, hidden) if boolean else
                          arith.CmpFOp(arith.CmpFPredicate.OGT, first, hidden)).result


def _workgroup_level(loop: ir.Operation) -> ir.Operation:
    """The outermost op around `loop` inside the workgroup's iterations: a value defined outside it is the
    workgroup's, the same in each of its subgroups and lanes."""
    outer, op = loop, loop.parent
    while op is not None:
        if op.name == "scf.forall" and forall_mapping(op) not in (None, "workgroup"):
            outer = op
        op = op.parent
    return outer


def _bound(loop: ir.Operation, first_seen) -> None:
    """The loop's upper bound: lb + (its steps whose first key the mask sees) * step; `first_seen()`, called
    before the loops, gives the builder of that test for a step. `loop` the attention itself where it is one
    step: it runs in a loop of that one step's trip, or none (its results then the fills it starts from)."""
    if loop.name != "scf.for":
        return _bound_one_step(loop, first_seen)
    lb, ub, step = loop.operands[0], loop.operands[1], loop.operands[2]
    with ir.InsertionPoint(loop):
        zero, one = b.index(0), b.index(1)
        first_seen = first_seen()
        counter = scf.ForOp(lb, ub, step, [zero])
        with ir.InsertionPoint(counter.body):
            t, live = counter.induction_variable, counter.inner_iter_args[0]
            scf.YieldOp([arith.AddIOp(live, b.select(first_seen(t), one, zero)).result])
        end = arith.AddIOp(lb, arith.MulIOp(counter.results[0], step).result).result
    loop.operands[1] = end


def _bound_one_step(op: ir.Operation, first_seen) -> None:
    """`op`, one K2 step, in an scf.for of one trip where the mask sees the step's first key, else of none: the
    loop form every later stage takes a K2 step in (a page past the sequence's end is then never read)."""
    with ir.InsertionPoint(op):
        zero, one = b.index(0), b.index(1)
        trips = b.select(first_seen()(zero), one, zero)
        loop = scf.ForOp(zero, trips, one, list(op.operands)[5:])
    for r, r_new in zip(op.results, loop.results):
        r.replace_all_uses_with(r_new)
    op.detach_from_parent()
    loop.body.append(op)
    for i, arg in enumerate(loop.inner_iter_args):
        op.operands[5 + i] = arg
    with ir.InsertionPoint(loop.body):
        scf.YieldOp(list(op.results))


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
