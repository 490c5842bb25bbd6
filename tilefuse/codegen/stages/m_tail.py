"""m-tail (tilefuse paths, after subgroup-distribute): query rows of run-time length leave the last workgroup's
subgroups tiles of `affine.min(T, rows - r)` rows (`tensor<1x?x64xf16>`; the workgroup count already follows the
run-time M: IREE's workgroup count region). The subgroup forall then runs over the workgroup's whole row tile
(every subgroup, those past the last row computing padding: `_every_subgroup`), and each subgroup's tile is made
static in the kernel: its query rows (Q, a mask's rows) padded to the subgroup tile T (zeros; true in a boolean
mask, so a padded row's softmax stays finite; where k2-tail pads the mask's keys too it pads both at once, with
its own value), its accumulators and result computed over T rows, and only the real rows stored: the subgroup
writes `extract_slice(result, rows)`, which the lane stage turns into per-lane writes masked at the tile's end
(thread_distribute/walker.py). No program-level pad of the run-time dim.

Run-time head dims (IREE's all-dynamic attention test) are made static in the same tile: N (V's columns, the
output's) tiled by one PV MMA tile per workgroup (the plan's), V's columns padded to it with zeros, the
accumulator and the normalization over the whole tile, and only the real columns stored (the same slice of the
result, masked by the lane stage along its columns as along its rows); K1 (Q's and K's, QK's reduction, whole in
the tile) padded with zeros (exact) to the bound RUN_TIME_HEAD, and a launch whose K1 exceeds it gives NaN
everywhere (`_poison_past_k1_bound`), never a silently wrong value.

Static head dims that are not whole tiles (d=72, 40, 100: the plan's `kernel_heads`, in the config) are padded in
the same tile (`_pad_static_heads`), so the program copies no K/V: Q's and K's K1 padded with zeros (exact) to the
whole QK tile above it (80 at d=72), V's N to the PV tile the workgroup computes, the accumulator and the
normalization over it, only the real columns stored. A padded N is tiled one PV MMA tile a workgroup as a run-time
N is (its last tile, of run-time width, padded by `_pad_rows`): a lane of gfx942's col_major accumulator holds
several blocks of 4 columns of a wider tile, which the lane stage writes masked only within one block.

Runs before reduction-tile, so the K2 loop it makes carries static (acc, max, sum); a run-time K2 in that loop is
k2-tail's."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, iree_codegen, scf, tensor

from ...errors import TilefuseError
from ...ir import irbuild as b
from ...ir.attention import RUN_TIME_HEAD
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import DYNAMIC, forall_mapping, indexing_maps, iterator_types, projected_dims, walk
from ..config import AttentionTiling
from ..stage import StageInput, StageResult

_ROW_FILL = 0.0  # what a padded query row holds (Q, a float mask): a finite softmax, never stored
_ACC, _MAX = -3, -2  # online_attention's operands: Q, K, V, scale, (mask,) acc, max, sum
# the ops of a subgroup's tile whose results take their inits' (now static) types
_DESTINATION_STYLE = ("linalg.fill", "linalg.generic", ONLINE_ATTENTION)


def pad_m_tail(module: ir.Module, stage_input: StageInput) -> StageResult:
    """Every subgroup tile of run-time rows or head dims, or of fewer static rows than the subgroup tile (a
    decode's, which the plan leaves to the kernel: heuristics.rows_in_kernel), made static at the tile (a full
    static tile is left as it is)."""
    with module.context, ir.Location.unknown():
        for warp in [op for op in walk(module.operation) if op.name == "scf.forall" and forall_mapping(op) == "warp"]:
            # run-time sizes first (their destinations then static tiles the others widen), static heads last
            # (the real rows' slice the others write takes the real columns too)
            warp = _pad_rows(warp)
            _pad_short_rows(warp)
            _pad_static_heads(warp)
    return StageResult(module)


def _pad_rows(warp):
    """Returns the subgroup forall (a new one where `_every_subgroup` replaces it)."""
    body = warp.regions[0].blocks[0]
    ops = [op.operation for op in body.operations]
    inserts = [op.operation for op in ops[-1].regions[0].blocks[0].operations]
    sized = {v for i in inserts for v in _sized_dims(i).values()}
    if not sized:
        return warp
    attentions = [op for top in ops for op in walk(top) if op.name == ONLINE_ATTENTION]
    if len(attentions) != 1:
        raise TilefuseError("m-tail: run-time sizes in a subgroup forall without one online_attention")
    tiles, k1 = _head_tiles(attentions[0])
    rows = sized - set(tiles)
    if len(rows) > 1:
        raise TilefuseError("m-tail: a subgroup tile with run-time sizes other than its query rows and head dims")
    if rows:
        (rows,) = rows
        workgroup_rows, tile = _row_tiles(attentions[0])
        if not tile:
            raise TilefuseError("m-tail: run-time query rows with no subgroup tile on them")
        warp, rows = _every_subgroup(warp, rows, workgroup_rows)
        tiles[rows] = tile
    body = warp.regions[0].blocks[0]
    ops = [op.operation for op in body.operations]
    own = set(body.arguments)
    for op in ops[:-1]:
        dims = ({d: tiles[v] for d, v in _sized_dims(op).items() if v in tiles}
                if op.name == "tensor.extract_slice" else {})
        if dims:
            _make_static(op, dims, destination=_is_destination(op.operands[0], own))
        elif op.name == "tensor.empty" and not set(op.operands) & set(tiles):
            continue  # sized by another run-time dim (an fp8 K/V extension's K2: k2-tail makes it static)
        elif op.name in _DESTINATION_STYLE:
            for r, init in zip(op.results, list(op.operands)[-len(op.results):]):
                r.set_type(init.type)
        elif op.name != "tensor.extract_slice" and any(
                isinstance(r.type, ir.ShapedType) and not ir.ShapedType(r.type).has_static_shape for r in op.results):
            raise TilefuseError(f"m-tail: {op.name} on a tile of run-time size")
    for insert in inserts:  # (a split's partial result and its log-sum-exp: two)
        sizes = list(ir.DenseI64ArrayAttr(insert.attributes["static_sizes"]))
        with ir.InsertionPoint(ops[-1]):
            real = tensor.ExtractSliceOp(ir.RankedTensorType.get(sizes, b.element_type(insert.operands[0])),
                                         insert.operands[0], [], list(_sized_dims(insert).values()), [],
                                         [0] * len(sizes), sizes, [1] * len(sizes)).result
        insert.operands[0] = real
    if k1 is not None:
        _poison_past_k1_bound(attentions[0], k1)
    return warp


def _pad_static_heads(warp) -> None:
    """Static head dims that are not whole tiles (the plan's `kernel_heads`: d=72 tiled at 80), padded in the
    subgroup's tile: Q and K along K1 with zeros (exact: zero products), V along N (zero columns), the accumulator
    and its elementwise consumers computed over the padded N, and only the real columns stored (the subgroup's
    write takes them as it takes the real rows: the lane stage masks each lane's columns at N's end). The program
    holds no pad of the head dims, so no copy of the K/V cache, and a paged K/V's gathers stay in this dispatch."""
    body = warp.regions[0].blocks[0]
    attentions = [op.operation for op in body.operations if op.name == ONLINE_ATTENTION]
    if len(attentions) != 1:
        return
    (attention,) = attentions
    tiling = AttentionTiling.from_lowering_config(attention.attributes["lowering_config"])
    heads = tiling.kernel_heads
    if heads is None:
        return
    maps = indexing_maps(attention)
    detail = iree_codegen.get_attention_op_detail(maps[0], maps[1], maps[2], maps[-3])
    if len(detail.k1_dims) != 1 or len(detail.n_dims) != 1:
        raise TilefuseError("m-tail: head dims padded in the kernel with several K1 or N dims")
    (k1,), (n,) = detail.k1_dims, detail.n_dims
    # N tiled whole (one masked window of columns at its end), else one PV MMA tile a workgroup, of which the last
    # is of run-time size (N's end: `_pad_rows` pads it as a run-time N's)
    n_tile = tiling.workgroup[n] or heads[1]
    heads = (heads[0], min(heads[1], n_tile))
    with ir.InsertionPoint(attention):
        for i, dim, tile in ((0, k1, heads[0]), (1, k1, heads[0]), (2, n, heads[1])):
            at = _position(maps[i], dim)
            old = attention.operands[i]
            if b.shape(old)[at] < tile:
                attention.operands[i] = _padded_further(old, at, tile)
                if _is_op(old.owner, "tensor.pad") and not list(old.uses):
                    old.owner.erase()  # (m-tail's pad of the rows, now part of the new pad)
    acc, at = attention.operands[_ACC], _position(maps[_ACC], n)
    real = b.shape(acc)[at]
    if real == heads[1]:
        return  # (sm_80's N of whole 8-column tiles: K1 alone padded)
    fill = acc.owner
    if fill.name != "linalg.fill" or len(list(acc.uses)) != 1:
        raise TilefuseError("m-tail: an accumulator of fewer head columns than the tile that is not a fill of its "
                            "own")
    with ir.InsertionPoint(fill):
        fill.operands[1] = b.empty(_widened(acc, at, heads[1]), b.element_type(acc))
    fill.results[0].set_type(fill.operands[1].type)
    attention.results[0].set_type(fill.operands[1].type)
    _widen_consumers([(attention.results[0], at)], heads[1], real, set(body.arguments),
                     list(body.operations)[-1])


def _padded_further(value: ir.Value, at: int, tile: int) -> ir.Value:
    """VALUE padded at dim AT to TILE (zeros), one pad with the rows m-tail padded it at already."""
    owner = value.owner
    if not _is_op(owner, "tensor.pad"):
        return b.pad_dims_to(value, {at: tile}, _row_fill(value))
    source = owner.operands[0]
    dims = {d: s for d, (s, t) in enumerate(zip(b.shape(value), b.shape(source))) if s != t}
    return b.pad_dims_to(source, {**dims, at: tile}, _row_fill(value))


def _head_tiles(attention) -> tuple[dict[ir.Value, int], ir.Value | None]:
    """The run-time head dims of the subgroup's tiles, each with its static tile: K1 (Q's slice) the bound
    RUN_TIME_HEAD, N (V's slice) the workgroup's N tile (the plan's: one PV MMA tile); and K1's size (None:
    static)."""
    maps = indexing_maps(attention)
    detail = iree_codegen.get_attention_op_detail(maps[0], maps[1], maps[2], maps[-3])
    tiling = AttentionTiling.from_lowering_config(attention.attributes["lowering_config"])
    tiles, k1 = {}, None
    for operand, amap, dims, tile in ((0, maps[0], detail.k1_dims, RUN_TIME_HEAD),
                                      (2, maps[2], detail.n_dims, tiling.workgroup[detail.n_dims[-1]])):
        owner = attention.operands[operand].owner
        if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name != "tensor.extract_slice":
            continue
        sized = _sized_dims(owner)
        for d in dims:
            at = _position(amap, d)
            if at in sized:
                if not tile:
                    raise TilefuseError("m-tail: a run-time N with no workgroup tile on it")
                tiles[sized[at]] = tile
                k1 = sized[at] if operand == 0 else k1
    return tiles, k1


def _poison_past_k1_bound(attention, k1: ir.Value) -> None:
    """Q's and K's K1 padded to the bound RUN_TIME_HEAD: the running max starts at NaN where the launch's K1
    exceeds it (arith.maximumf keeps NaN: every output of such a launch is NaN), so the kernel is exact up to the
    bound and never silently wrong past it. (Not the scale: IREE's decomposition of an f16 attention mistypes a
    scale that is not a constant.)"""
    fill = attention.operands[_MAX].owner
    if fill.name != "linalg.fill":
        raise TilefuseError("m-tail: a run-time K1 with a running max that is not a fill")
    start = fill.operands[0]
    with ir.InsertionPoint(fill):
        fits = arith.CmpIOp(arith.CmpIPredicate.ule, k1, b.index(RUN_TIME_HEAD)).result
        fill.operands[0] = arith.SelectOp(fits, start, b.constant(start.type, float("nan"))).result


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


def _make_static(op, dims: dict[int, int], destination: bool) -> None:
    """A slice of run-time sizes replaced by a static tile at DIMS (dim: tile): an empty one where results go,
    else the slice padded."""
    value = op.results[0]
    with ir.InsertionPoint(op):
        if destination:
            shape = [dims.get(d, s) for d, s in enumerate(b.shape(value))]
            value.replace_all_uses_with(b.empty(shape, b.element_type(value)))
            op.erase()
            return
    users = [(u.owner, u.operand_number) for u in value.uses]
    with ir.InsertionPoint.after(op):
        padded = b.pad_dims_to(value, dims, _row_fill(value))
    for owner, number in users:
        owner.operands[number] = padded


def _sized_dims(slice_op) -> dict[int, ir.Value]:
    """The dims of an (extract / parallel_insert) slice op whose size is an SSA value, with that value."""
    sizes = list(ir.DenseI64ArrayAttr(slice_op.attributes["static_sizes"]))
    segments = list(ir.DenseI32ArrayAttr(slice_op.attributes["operandSegmentSizes"]))
    start = sum(segments[:-2])
    values = iter(list(slice_op.operands)[start:start + segments[-2]])
    return {d: next(values) for d, s in enumerate(sizes) if s == DYNAMIC}


def _pad_short_rows(warp) -> None:
    """A subgroup tile of R static query rows, fewer than the subgroup tile T (the workgroup's only subgroup):
    Q's (and a mask's) R rows padded to T at the attention (a mask the dispatch computes, seq-lens-mask's,
    computed over T rows instead: `_computed_over_tile`), its accumulators and every elementwise consumer on
    the way to the subgroup's writes over T rows (a consumer's other row inputs, a residual, padded too), and each
    write of `extract_slice(result, R rows)` (the lane stage writes a lane's rows masked at R). Found through the
    attention's maps, not by sizes: R can equal another dim's tile (sm_80's 8-wide N tile and a group of 8 query
    heads)."""
    body = warp.regions[0].blocks[0]
    attentions = [op.operation for op in body.operations if op.name == ONLINE_ATTENTION]
    if len(attentions) != 1:
        return
    (attention,) = attentions
    maps = indexing_maps(attention)
    detail = iree_codegen.get_attention_op_detail(maps[0], maps[1], maps[2], maps[-3])
    m = detail.m_dims[-1]
    _, tile = _row_tiles(attention)
    at = [_position(amap, m) for amap in maps]
    rows = b.shape(attention.operands[0])[at[0]]
    if rows == DYNAMIC or not tile or rows >= tile:
        return
    operands = list(attention.operands)
    with ir.InsertionPoint(attention):
        for i in [0, 4] if len(operands) == 8 else [0]:  # Q, a mask (Q, K, V, scale, [mask], acc, max, sum)
            if at[i] is not None and not _computed_over_tile(operands[i], at[i], tile):
                attention.operands[i] = b.pad_dims_to(operands[i], {at[i]: tile}, _row_fill(operands[i]))
    for i, init in enumerate(operands[-3:], start=len(operands) - 3):
        fill = init.owner
        if fill.name != "linalg.fill" or len(list(init.uses)) != 1:
            raise TilefuseError("m-tail: an accumulator of fewer query rows than the tile that is not a fill of "
                                "its own")
        with ir.InsertionPoint(fill):
            fill.operands[1] = b.empty(_widened(init, at[i], tile), b.element_type(init))
        fill.results[0].set_type(fill.operands[1].type)
        attention.results[i - len(operands) + 3].set_type(fill.operands[1].type)
    terminator = list(body.operations)[-1]
    _widen_consumers([(r, at[i]) for i, r in enumerate(attention.results, start=len(operands) - 3)], tile, rows,
                     set(body.arguments), terminator)


def _computed_over_tile(value: ir.Value, at: int, tile: int) -> bool:
    """A mask the dispatch computes (seq-lens-mask's length mask) by an elementwise generic into an empty, reading
    none of its inputs along the rows: that generic computes the T rows of the tile instead of being padded (True):
    its real rows' values are unchanged and its padded rows' never stored, and the lane stage lays out a generic's
    tile but not a pad of one. Any other operand (read from memory, read along the rows) is left to a pad (False)."""
    gen = value.owner
    if not _is_op(gen, "linalg.generic") or len(gen.results) != 1 or len(list(value.uses)) != 1 \
            or set(iterator_types(gen)) != {"parallel"}:
        return False
    gmaps = indexing_maps(gen)
    ins = len(gen.operands) - 1
    out, rows = gen.operands[ins], projected_dims(gmaps[ins])
    inputs = [projected_dims(m) for m in gmaps[:ins]]
    if rows is None or not _is_op(out.owner, "tensor.empty") or list(gen.regions[0].blocks[0].arguments[ins].uses) \
            or any(dims is None or rows[at] in dims for dims in inputs):
        return False
    dynamic = iter(out.owner.operands)  # a run-time page count's size, kept
    sizes = [next(dynamic) if n == DYNAMIC else n for n in b.shape(out)]
    sizes[at] = tile
    with ir.InsertionPoint(gen):
        gen.operands[ins] = tensor.EmptyOp(sizes, b.element_type(out)).result
    gen.results[0].set_type(gen.operands[ins].type)
    if not list(out.uses):
        out.owner.erase()
    return True


def _writes_own_or_new(out: ir.Value, own: set) -> bool:
    """A destination that is the subgroup's own output tile, a slice of it (its split's, where a workgroup's
    subgroups are its K2 splits: heuristics.split_in_workgroup) or an empty."""
    owner = out.owner
    return out in own or _is_op(owner, "tensor.empty") or (_is_op(owner, "tensor.extract_slice")
                                                           and owner.operands[0] in own)


def _is_op(owner, name: str) -> bool:
    return isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == name


def _widen_consumers(widened: list, tile: int, rows: int, own: set, terminator) -> None:
    """The users of each widened (value, row position): an elementwise linalg.generic writing the subgroup's own
    tile (or an empty) computes T rows into an empty of its own; the subgroup's write takes the real rows."""
    while widened:
        value, at = widened.pop()
        for use in list(value.uses):
            user = use.owner
            if _is_tail_slice(user):
                continue  # the real rows the subgroup writes: of the real columns too
            if user.name == "tensor.parallel_insert_slice":
                with ir.InsertionPoint(terminator):
                    sizes = [rows if d == at else s for d, s in enumerate(b.shape(value))]
                    user.operands[0] = b.extract_slice(value, [], [0] * len(sizes), sizes)
                continue
            if user.name != "linalg.generic" or set(iterator_types(user)) != {"parallel"}:
                raise TilefuseError(f"m-tail: {user.name} on a tile of fewer query rows than the tile")
            gmaps = indexing_maps(user)
            dim = gmaps[use.operand_number].results[at]
            ins = len(user.operands) - len(user.results)
            _pad_other_inputs(user, gmaps, ins, ir.AffineDimExpr(dim).position, tile)
            outs = list(user.operands)[ins:]
            block = user.regions[0].blocks[0]
            for k, out in enumerate(outs):
                out_at = _position(gmaps[ins + k], ir.AffineDimExpr(dim).position)
                if list(block.arguments[ins + k].uses) or not _writes_own_or_new(out, own):
                    raise TilefuseError("m-tail: a consumer of a tile of fewer query rows that reads its output")
                if b.shape(out)[out_at] == tile:  # a generic of several widened inputs: widened at the first
                    continue
                with ir.InsertionPoint(user):
                    user.operands[ins + k] = b.empty(_widened(out, out_at, tile), b.element_type(out))
                user.results[k].set_type(user.operands[ins + k].type)
                widened.append((user.results[k], out_at))


def _is_tail_slice(op) -> bool:
    """An extract_slice at offsets 0 whose one use is the subgroup's write (the real part of a padded result)."""
    uses = list(op.results[0].uses) if op.name == "tensor.extract_slice" else []
    return (len(uses) == 1 and uses[0].owner.name == "tensor.parallel_insert_slice"
            and not any(ir.DenseI64ArrayAttr(op.attributes["static_offsets"])))


def _pad_other_inputs(user, gmaps: list[ir.AffineMap], ins: int, dim: int, tile: int) -> None:
    """The inputs of a widened consumer that still hold the R real rows (a residual added to the result) padded to
    T rows in the kernel (zeros): the consumer then computes T rows, of which only the real ones are stored."""
    for j, operand in enumerate(list(user.operands)[:ins]):
        at = _position(gmaps[j], dim)
        if at is not None and b.shape(operand)[at] != tile:
            with ir.InsertionPoint(user):
                user.operands[j] = b.pad_dims_to(operand, {at: tile}, _row_fill(operand))


def _position(amap: ir.AffineMap, dim: int) -> int | None:
    """Where iteration dim DIM is among the results of a projected permutation (None: not indexed)."""
    dims = projected_dims(amap)
    return dims.index(dim) if dim in dims else None


def _widened(value: ir.Value, at: int, tile: int) -> list[int]:
    return [tile if d == at else s for d, s in enumerate(b.shape(value))]


def _row_fill(value: ir.Value) -> ir.Value:
    """What a padded row holds: zeros; true in a boolean mask (a padded row's softmax stays finite)."""
    elem = b.element_type(value)
    return arith.ConstantOp(elem, 1).result if isinstance(elem, ir.IntegerType) else b.constant(elem, _ROW_FILL)
