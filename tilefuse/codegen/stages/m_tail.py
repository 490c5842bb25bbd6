"""m-tail (tilefuse paths, after subgroup-distribute): query rows of run-time length leave the last workgroup's
subgroups tiles of `affine.min(T, rows - r)` rows (`tensor<1x?x64xf16>`; the workgroup count already follows the
run-time M: IREE's workgroup count region). The subgroup forall then runs over the workgroup's whole row tile
(every subgroup, those past the last row computing padding: `_every_subgroup`), and each subgroup's tile is made
static in the kernel: its query rows (Q, a mask's rows) padded to the subgroup tile T (zeros; true in a boolean
mask, so a padded row's softmax stays finite; where k2-tail pads the mask's keys too it pads both at once, with
its own value), its accumulators and result computed over T rows, and only the real rows stored: the subgroup
writes `extract_slice(result, rows)`, which the lane stage turns into per-lane writes masked at the tile's end
(thread_distribute/walker.py). No program-level pad of the run-time dim.

Runs before reduction-tile, so the K2 loop it makes carries static (acc, max, sum); a run-time K2 in that loop is
k2-tail's."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, iree_codegen, scf, tensor

from ...errors import TilefuseError
from ...ir import irbuild as b
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import DYNAMIC, forall_mapping, indexing_maps, walk
from ..config import AttentionTiling
from ..stage import StageInput, StageResult

_ROW_FILL = 0.0  # what a padded query row holds (Q, a float mask): a finite softmax, never stored
# the ops of a subgroup's tile whose results take their inits' (now static) types
_DESTINATION_STYLE = ("linalg.fill", "linalg.generic", ONLINE_ATTENTION)


def pad_m_tail(module: ir.Module, stage_input: StageInput) -> StageResult:
    """Every subgroup tile of run-time rows made static (a subgroup forall with static tiles is left as it is)."""
    with module.context, ir.Location.unknown():
        for warp in [op for op in walk(module.operation) if op.name == "scf.forall" and forall_mapping(op) == "warp"]:
            _pad_rows(warp)
    return StageResult(module)


def _pad_rows(warp) -> None:
    body = warp.regions[0].blocks[0]
    ops = [op.operation for op in body.operations]
    inserts = [op.operation for op in ops[-1].regions[0].blocks[0].operations]
    rows = {v for i in inserts for v in _sized_dims(i).values()}
    if not rows:
        return
    if len(rows) != 1 or len(inserts) != 1:
        raise TilefuseError("m-tail: a subgroup tile with run-time sizes other than its query rows")
    (rows,) = rows
    attentions = [op for top in ops for op in walk(top) if op.name == ONLINE_ATTENTION]
    if len(attentions) != 1:
        raise TilefuseError("m-tail: run-time query rows in a subgroup forall without one online_attention")
    workgroup_rows, tile = _row_tiles(attentions[0])
    if not tile:
        raise TilefuseError("m-tail: run-time query rows with no subgroup tile on them")
    warp, rows = _every_subgroup(warp, rows, workgroup_rows)
    body = warp.regions[0].blocks[0]
    ops = [op.operation for op in body.operations]
    own = set(body.arguments)
    for op in ops[:-1]:
        dims = [d for d, v in _sized_dims(op).items() if v == rows] if op.name == "tensor.extract_slice" else []
        if dims:
            _make_static(op, dims, tile, destination=_is_destination(op.operands[0], own))
        elif op.name in _DESTINATION_STYLE:
            for r, init in zip(op.results, list(op.operands)[-len(op.results):]):
                r.set_type(init.type)
        elif op.name != "tensor.extract_slice" and any(
                isinstance(r.type, ir.ShapedType) and not ir.ShapedType(r.type).has_static_shape for r in op.results):
            raise TilefuseError(f"m-tail: {op.name} on a tile of run-time rows")
    (insert,) = inserts
    sizes = list(ir.DenseI64ArrayAttr(insert.attributes["static_sizes"]))
    with ir.InsertionPoint(ops[-1]):
        real = tensor.ExtractSliceOp(ir.RankedTensorType.get(sizes, b.element_type(insert.operands[0])),
                                     insert.operands[0], [], [rows], [], [0] * len(sizes), sizes,
                                     [1] * len(sizes)).result
    insert.operands[0] = real


def _every_subgroup(warp, rows: ir.Value, workgroup_rows: int):
    """The subgroup forall over the workgroup's whole row tile (static: one subgroup per subgroup of the
    workgroup, as with a static M) instead of its run-time rows, each subgroup's rows clamped at 0 (a subgroup
    past the last row computes padding and stores nothing): IREE then maps it onto thread ids without a loop,
    and every thread reaches the barriers K/V sharing puts in the K2 loop. Returns the forall and its rows."""
    bound = ir.DenseI64ArrayAttr(warp.attributes["staticUpperBound"])
    step = list(ir.DenseI64ArrayAttr(warp.attributes["staticStep"]))
    if len(bound) != 1 or bound[0] != DYNAMIC or not workgroup_rows:
        return warp, rows
    shared = list(warp.operands)[1:]
    with ir.InsertionPoint(warp):
        new = scf.ForallOp([0], [workgroup_rows], step, shared, mapping=warp.attributes["mapping"])
    old_body, new_body = warp.regions[0].blocks[0], new.regions[0].blocks[0]
    for a, a_new in zip(old_body.arguments, new_body.arguments):
        a.replace_all_uses_with(a_new)
    for op in list(old_body.operations):
        op.detach_from_parent()
        new_body.append(op)
    for r, r_new in zip(warp.results, new.results):
        r.replace_all_uses_with(r_new)
    warp.erase()
    with ir.InsertionPoint.after(rows.owner):
        clamped = affine.AffineMaxOp(ir.AffineMap.get(1, 0, [ir.AffineExpr.get_constant(0),
                                                            ir.AffineExpr.get_dim(0)]), [rows]).result
    for use in [(u.owner, u.operand_number) for u in rows.uses if u.owner != clamped.owner]:
        use[0].operands[use[1]] = clamped
    return new.operation, clamped


def _row_tiles(attention) -> tuple[int, int]:
    """The workgroup and subgroup tiles of the innermost query dim (0: not tiled)."""
    maps = indexing_maps(attention)
    detail = iree_codegen.get_attention_op_detail(maps[0], maps[1], maps[2], maps[-3])
    tiling = AttentionTiling.from_lowering_config(attention.attributes["lowering_config"])
    return tiling.workgroup[detail.m_dims[-1]], tiling.subgroup[detail.m_dims[-1]]


def _is_destination(source: ir.Value, own: set) -> bool:
    """A slice of a tensor.empty or of the subgroup's own output tile: where results go, nothing read from it."""
    owner = source.owner
    return source in own or (isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == "tensor.empty")


def _make_static(op, dims: list[int], tile: int, destination: bool) -> None:
    """A slice of run-time rows replaced by a static tile: an empty one where results go, else the slice padded."""
    value = op.results[0]
    with ir.InsertionPoint(op):
        if destination:
            shape = [tile if d in dims else s for d, s in enumerate(b.shape(value))]
            value.replace_all_uses_with(b.empty(shape, b.element_type(value)))
            op.erase()
            return
    users = [(u.owner, u.operand_number) for u in value.uses]
    with ir.InsertionPoint.after(op):
        elem = b.element_type(value)
        fill = arith.ConstantOp(elem, 1).result if isinstance(elem, ir.IntegerType) else b.constant(elem, _ROW_FILL)
        padded = b.pad_dims_to(value, {d: tile for d in dims}, fill)
    for owner, number in users:
        owner.operands[number] = padded


def _sized_dims(slice_op) -> dict[int, ir.Value]:
    """The dims of an (extract / parallel_insert) slice op whose size is an SSA value, with that value."""
    sizes = list(ir.DenseI64ArrayAttr(slice_op.attributes["static_sizes"]))
    segments = list(ir.DenseI32ArrayAttr(slice_op.attributes["operandSegmentSizes"]))
    start = sum(segments[:-2])
    values = iter(list(slice_op.operands)[start:start + segments[-2]])
    return {d: next(values) for d, s in enumerate(sizes) if s == DYNAMIC}
