"""The stage's driver: for each subgroup (#gpu.warp) forall, analyse the layouts (analysis.py), move the
subgroup's code into a lane forall and rewrite it op by op with the rewrite registered for each op's kind
(rewrites.py), in program order."""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import scf, tensor

from ....ir import irbuild as b
from ....errors import TilefuseError
from ....ir.irutil import DYNAMIC, forall_mapping, walk
from ...stage import StageInput, StageResult
from .analysis import infer_layouts, is_tensor
from .fragments import LaneRewriter, expanded, expanded_rows, groups_of_three
from .layout_change import gather_halves
from .rewrites import REWRITES, kind_of


def distribute_to_lanes(module: ir.Module, stage_input: StageInput) -> StageResult:
    with module.context, ir.Location.unknown():
        warps = [op for op in walk(module.operation) if op.name == "scf.forall" and forall_mapping(op) == "warp"]
        if not warps:
            raise TilefuseError("no subgroup (#gpu.warp) scf.forall to distribute to lanes; run subgroup-distribute first")
        for warp in warps:
            _distribute(warp, stage_input.target.subgroup_size)
    module.operation.verify()
    stage_input.run_sequence(module, "tilefuse_cleanup")
    return StageResult(module)


def _distribute(warp, lanes: int) -> None:
    """One subgroup forall's code moves into `scf.forall (%lane) in (lanes)`, every tensor a lane's fragment.
    Each tile the subgroup writes (one; a split dispatch's partial output and log-sum-exp, two) is a lane forall
    output, so every result needs a layout whose lane windows do not overlap."""
    body = warp.regions[0].blocks[0]
    _undo_one_iteration_folds(warp)
    _untie_shared_empties(warp)
    ops = [op.operation for op in body.operations]
    terminator = ops[-1]
    inserts = [o.operation for o in terminator.regions[0].blocks[0].operations]
    if not inserts or any(i.name != "tensor.parallel_insert_slice" for i in inserts):
        raise TilefuseError("thread-distribute: the subgroup forall must write its tiles with parallel_insert_slice")
    # m-tail's tiles of run-time rows (or fewer static rows than the tile): the subgroup writes the real rows of a
    # static result; its lanes write them masked at the tile's end (LaneRewriter.write_rows_guarded)
    tails = [_row_tail(insert.operands[0]) for insert in inserts]
    ops = [op for op in ops if not any(t is not None and op == t for t in tails)]
    found = infer_layouts([o for top in ops[:-1] for o in walk(top)])
    results = [insert.operands[0] if t is None else t.operands[0] for insert, t in zip(inserts, tails)]
    if any(r not in found.layouts for r in results):
        raise TilefuseError("thread-distribute: a result of the subgroup has no lane layout")
    layouts = [found.layouts[r] for r in results]
    for layout in layouts:
        if math.prod(l.thread for l in layout) != lanes:
            raise TilefuseError(f"thread-distribute: a subgroup result laid out {', '.join(map(str, layout))} is held "
                                "by several lanes at once (a row vector): each would write it")

    # The subgroup's output tiles, expanded to (outer, thread, element) per dim, are the lane forall's shared
    # outputs; each lane inserts its windows, and the subgroup forall inserts the collapsed tiles as before.
    keep_outside = _defining_ops([o for insert in inserts for o in list(insert.operands)[2:]], ops[:-1])
    with ir.InsertionPoint(terminator):
        tiles_x = []
        for insert, layout, tail in zip(inserts, layouts, tails):
            ins = insert.opview
            tile = tensor.ExtractSliceOp(ins.source.type, ins.dest, ins.offsets, ins.sizes, ins.strides,
                                         ins.static_offsets, ins.static_sizes, ins.static_strides).result
            tiles_x.append(expanded(tile, layout) if tail is None else expanded_rows(tile, layout))
        lane_forall = scf.ForallOp([0], [lanes], [1], [t if tail is None else t[0] for t, tail in zip(tiles_x, tails)],
                                   mapping=ir.ArrayAttr.get([ir.Attribute.parse("#iree_gpu.lane_id<0>")]))
        collapsed = [b.collapse_shape(r, groups_of_three(len(layout)), b.shape(result)) if tail is None else
                     tensor.CollapseShapeOp(tail.results[0].type, r, b.reassociation(t[1])).result
                     for r, result, layout, tail, t in zip(lane_forall.results, results, layouts, tails, tiles_x)]
    lane_body = lane_forall.body
    with ir.InsertionPoint(lane_body):
        in_parallel = scf.InParallelOp()
    for op in ops[:-1]:
        if not any(op == k for k in keep_outside):
            op.move_before(in_parallel)

    lane, *shared = lane_body.arguments
    rw = LaneRewriter(found, lanes, lane, lane_body, {i.opview.dest: x for i, x in zip(inserts, shared)})
    _rewrite_all(rw, [o for top in list(lane_body.operations)[:-1] for o in walk(top)])
    for result, layout, out, tail, tile_x in zip(results, layouts, shared, tails, tiles_x):
        if tail is not None:
            with ir.InsertionPoint(in_parallel):
                window, (dyn_offs, dyn_sizes, offs, sizes, strides) = rw.write_rows_guarded(
                    rw.replacement.get(result, result), layout, out, tile_x[1])
            with ir.InsertionPoint(in_parallel.block):
                tensor.ParallelInsertSliceOp(window, out, dyn_offs, dyn_sizes, [], offs, sizes, strides)
            continue
        with ir.InsertionPoint(in_parallel):
            dyn, offs, sizes = rw.window(layout)
            window = b.write(b.shape_cast(b.read(rw.replacement.get(result, result)), sizes),
                             b.extract_slice(out, dyn, offs, sizes))
        with ir.InsertionPoint(in_parallel.block):
            b.parallel_insert_slice(window, out, dyn, offs, sizes)
    for insert, tile in zip(inserts, collapsed):
        insert.operands[0] = tile
    for op in reversed(rw.dead):
        op.erase()
    for tail in tails:
        if tail is not None:
            tail.erase()


def _row_tail(value: ir.Value):
    """The extract_slice m-tail writes a static result's real rows with (offsets 0, run-time sizes, or static
    sizes under the source's: a decode's rows), else None."""
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name != "tensor.extract_slice":
        return None
    source = owner.operands[0]
    if not ir.ShapedType(source.type).has_static_shape or b.shape(value) == b.shape(source):
        return None
    if any(ir.DenseI64ArrayAttr(owner.attributes["static_offsets"])):
        return None
    return owner.operation


def _rewrite_all(rw: LaneRewriter, ops: list) -> None:
    """Each op (taken before any rewrite, so the ops the rewrites build are not visited) by its kind's rewrite."""
    for op in ops:
        _change_operand_layouts(op, rw)
        rewrite = REWRITES.get(kind_of(op, rw))
        if rewrite is not None:
            rewrite(op, rw)
        elif any(is_tensor(v) for v in op.results):
            raise TilefuseError(f"thread-distribute: no lane rewrite for {op.name} "
                                f"(tilefuse/codegen/stages/thread_distribute/rewrites.py)")


def _change_operand_layouts(op, rw: LaneRewriter) -> None:
    """The operands the analysis found needed in another layout than their value's get it first."""
    for i, v in enumerate(op.operands):
        needed = rw.found.changes.get((op.results[0], i)) if op.results else None
        if needed is not None:
            with ir.InsertionPoint(op):
                changed = gather_halves(v, rw.layouts[v], needed, rw)
            rw.layouts[changed] = needed
            op.operands[i] = changed


def _undo_one_iteration_folds(warp) -> None:
    """Loops of one iteration reach this stage folded: a tensor.empty hoisted out of the subgroup forall,
    and tiles used whole, without a slice (the subgroup's output tile; a K/V/mask tile when K2 is one
    reduction tile). Both get back the form the rewrites expect: an empty inside (its users become
    fragments, the outside one stays whole) and an explicit whole-tile slice, entered like any other."""
    body = warp.regions[0].blocks[0]
    first = list(body.operations)[0]
    inserts = list(list(body.operations)[-1].regions[0].blocks[0].operations)
    whole: dict[ir.Value, ir.Value] = {}
    own_args = list(body.arguments)
    for op in list(walk(warp))[1:]:
        if any(op == i.operation for i in inserts) or op.name == "tensor.extract_slice":
            continue
        for i, v in enumerate(op.operands):
            if not is_tensor(v) or (_defined_inside(v, warp) and not any(v == a for a in own_args)):
                continue
            owner = v.owner
            if isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == "tensor.empty" and not owner.operands:
                op.operands[i] = owner.operation.clone(ir.InsertionPoint(first)).result
                continue
            if v not in whole:
                with ir.InsertionPoint(first):
                    whole[v] = _whole_slice(v)
            op.operands[i] = whole[v]


def _whole_slice(v: ir.Value) -> ir.Value:
    """A slice of all of V, its run-time sizes read with tensor.dim (a run-time page count's mask, of which the
    live-page count reads a scalar a step)."""
    sizes = b.sizes(v)
    dynamic = [s for s in sizes if isinstance(s, ir.Value)]
    static = [DYNAMIC if isinstance(s, ir.Value) else s for s in sizes]
    return tensor.ExtractSliceOp(v.type, v, [], dynamic, [], [0] * len(sizes), static, [1] * len(sizes)).result


def _untie_shared_empties(warp) -> None:
    """One tensor.empty per user: CSE merges the empties of same-shaped generics (the K and V dequantizations of
    an fp8 KV cache, IREE's dispatch creation clones them into the attention's dispatch), whose results the two
    matmuls need in different lane layouts; an empty only carries a shape, so each user gets its own."""
    for op in list(walk(warp))[1:]:
        if op.name != "tensor.empty" or op.operands:
            continue
        uses = [(u.owner, u.operand_number) for u in op.results[0].uses]
        for owner, number in uses[1:]:
            owner.operands[number] = op.clone(ir.InsertionPoint(owner)).result


def _defined_inside(value: ir.Value, ancestor) -> bool:
    """Whether `value` is a result or block argument of an op nested in `ancestor` (its own block args count)."""
    owner = value.owner
    op = owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else owner.owner
    while op is not None:
        if op == ancestor.operation:
            return True
        op = op.parent
    return False


def _defining_ops(values, ops) -> list:
    """The ops among `ops` the tile offsets depend on: they stay outside the lane forall."""
    keep, todo = [], list(values)
    while todo:
        owner = todo.pop().owner
        if isinstance(owner, (ir.Operation, ir.OpView)):
            owner = owner.operation
            if any(owner == o for o in ops) and not any(owner == k for k in keep):
                keep.append(owner)
                todo.extend(owner.operands)
    return keep
