"""k2-tail (tilefuse paths, after reduction-tile): keys of run-time length leave each subgroup's K2 loop a last,
partial tile (K/V slices of `affine.min(T, K2 - k)` keys, `tensor<...x?x...>`). Each tile is padded in the kernel
to the static tile T: K and V with zeros, a mask with -inf (false for a boolean one), so a key past the end
scores -inf and adds nothing, and the later stages see the static tiles they know (the lane stage reads each
lane's fragment of a padded tile straight from the unpadded slice, masked at its end: lanes/fragments.py). An
attention without a mask gets one computed from the tile's index, `select(k < keys in this tile, 0, -inf)`.
A paged attention stepping several pages of a run-time count (keys (pages, page): configure's pages_per_step)
has a last step of fewer pages: its page table slice is padded instead (`_pad_page_tail`), and its pages masked.

IREE's `gpu-apply-padding-level{reduction}` does the same for online_attention (pad with poison, then select
the neutral value past the bound in a generic after each pad; 3.13 refuses an op without a mask: "Padding
OnlineAttention without existing mask is not yet supported", which is why stock's dynamic attention has no
MMA), but it also copies every operand (`linalg.copy`), which the lane stage does not read. No program-level
padding of the run-time dim: the loop still ends at K2."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, iree_codegen, tensor

from ...errors import TilefuseError
from ...ir import irbuild as b
from ...ir.facts import FP8_FLOATS, HALF_FLOATS, ONLINE_ATTENTION
from ...ir.irutil import indexing_maps, iterator_types, ops_named
from ...ir.paged import GATHER, producer
from ..config import AttentionTiling
from ..stage import StageInput, StageResult

# online_attention's operands: Q, K, V, scale, (mask,) acc, max, sum
_K, _V, _MASK = 1, 2, 4
_MINUS_INF = float("-inf")  # what a key past the end scores


def pad_k2_tail(module: ir.Module, stage_input: StageInput) -> StageResult:
    """Every online_attention tile of run-time size padded (a static attention is left as it is)."""
    with module.context, ir.Location.unknown():
        _unpad_loop_bounds(module)
        for op in ops_named(module, ONLINE_ATTENTION):
            if _dynamic(op):
                _pad_tail(op)
    return StageResult(module)


def _unpad_loop_bounds(module: ir.Module) -> None:
    """The run-time sizes reduction-tile read from m-tail's pads (a K padded along a run-time K1: the K2 loop's
    bound is `tensor.dim` of the pad) read from the pad's source along a dim it does not pad, and such a pad, then
    unused, erased: in the kernel only the tiles in the loop are read, and the lane stage lays out no other."""
    for dim in ops_named(module, "tensor.dim"):
        pad = dim.operands[0].owner
        at = dim.operands[1].owner
        if (not isinstance(pad, (ir.Operation, ir.OpView)) or pad.name != "tensor.pad"
                or at.name != "arith.constant"):
            continue
        d = ir.IntegerAttr(at.attributes["value"]).value
        if any(ir.DenseI64ArrayAttr(pad.attributes[e])[d] != 0 for e in ("static_low", "static_high")):
            continue
        dim.operands[0] = pad.operands[0]
        if not list(pad.results[0].uses):
            pad.erase()


def _pad_tail(op: ir.Operation) -> None:
    maps = indexing_maps(op)
    q, k, v, o = maps[0], maps[1], maps[2], maps[-3]
    detail = iree_codegen.get_attention_op_detail(q, k, v, o)
    if len(detail.k2_dims) == 2:
        return _pad_page_tail(op, detail)
    (k2,) = detail.k2_dims
    tile = AttentionTiling.from_lowering_config(op.attributes["lowering_config"]).reduction[k2]
    if not tile:
        raise TilefuseError("k2-tail: a run-time K2 with no reduction tile on it")
    operands = list(op.operands)
    masked = len(operands) == 8
    with ir.InsertionPoint(op):
        size = _run_time_size(_unpadded(operands[_K])[0], _dim_of(k, k2))  # (m-tail pads K1)
        for i, amap in ((_K, k), (_V, v)) + (((_MASK, maps[_MASK]),) if masked else ()):
            source, sizes = _unpadded(operands[i])
            sizes[_dim_of(amap, k2)] = tile
            operands[i] = _padded(source, sizes, i == _MASK)
        if not masked:
            mask_map = ir.AffineMap.get(q.n_dims, 0, [ir.AffineExpr.get_dim(d) for d in detail.m_dims + [k2]])
            rows = [_static(operands[0], _dim_of(q, d)) for d in detail.m_dims]
            operands.insert(_MASK, _tail_mask(rows, [tile], size, _mask_type(b.element_type(operands[0]))))
            maps.insert(_MASK, mask_map)
        new = b.rebuilt_attention(op, operands, maps)
    for old, result in zip(op.results, new.results):
        old.replace_all_uses_with(result)
    before = [o.owner for o in op.operands if isinstance(o.owner, (ir.Operation, ir.OpView))]
    op.erase()
    for owner in before:  # m-tail's pads that one pad of both dims replaced, the extensions _padded replaced
        if owner.name in ("tensor.pad", "linalg.generic") and not list(owner.results[0].uses):
            init = owner.operands[-1].owner if owner.name == "linalg.generic" else None
            owner.erase()
            if init is not None and init.name == "tensor.empty" and not list(init.results[0].uses):
                init.erase()
    if _dynamic(new):
        raise TilefuseError("k2-tail: the attention tile has a run-time size besides K2's")


def _pad_page_tail(op: ir.Operation, detail) -> None:
    """A paged attention's step of P pages of a run-time page count (keys (pages, page)): its last step holds the
    fewer pages left. The step's table slice is padded to P entries with its first entry (a page the step reads
    anyway: the padding meets no NaN or Inf the real keys do not), K and V gathered through it (fp8 pages: widen-kv's
    extension made again over them), and the pages past the slice's masked with -inf (a mask computed from the
    pages dim's index, which page-step merges)."""
    maps = indexing_maps(op)
    operands = list(op.operands)
    if len(operands) == 8:
        raise TilefuseError("k2-tail: a masked paged attention of a run-time page count stepping several pages")
    pages, page = sorted(detail.k2_dims, key=lambda d: _dim_of(maps[_K], d))
    tile = AttentionTiling.from_lowering_config(op.attributes["lowering_config"]).reduction[pages]
    extensions = [_widening(operands[i]) for i in (_K, _V)]  # widen-kv's of fp8 pages, else None
    gathers = [producer(operands[i] if e is None else e.operands[0], GATHER) for i, e in zip((_K, _V), extensions)]
    if any(g is None for g in gathers) or gathers[0].operands[1] != gathers[1].operands[1]:
        raise TilefuseError("k2-tail: a step of run-time pages whose K and V are not gathered through one table")
    table = gathers[0].operands[1]
    (at,) = [d for d, n in enumerate(_shape(table)) if n == ir.ShapedType.get_dynamic_size()]
    with ir.InsertionPoint(op):
        size = tensor.DimOp(table, b.index(at)).result
        first = tensor.ExtractOp(table, [b.index(0)] * len(_shape(table))).result
        padded = b.pad_dims_to(table, {at: tile}, first)
        for i, gather, extension in zip((_K, _V), gathers, extensions):
            dim = _dim_of(maps[i], pages)
            shape = _shape(gather.results[0])
            shape[dim if extension is None else _source_dim(extension, dim)] = tile
            out = b.empty(shape, b.element_type(gather.results[0]))
            operands[i] = ir.Operation.create(GATHER, [out.type], [gather.operands[0], padded, out],
                                              {"dimension_map": gather.attributes["dimension_map"]}).result
            if extension is not None:  # made again over the step's pages
                shape = _shape(extension.results[0])
                shape[dim] = tile
                out = b.empty(shape, b.element_type(extension.results[0]))
                operands[i] = b.rebuilt(extension, [operands[i], out], [out.type]).results[0]
        rows = [_static(operands[0], _dim_of(maps[0], d)) for d in detail.m_dims]
        keys = [tile, _static(operands[_K], _dim_of(maps[_K], page))]
        operands.insert(_MASK, _tail_mask(rows, keys, size, _mask_type(b.element_type(operands[0]))))
        maps.insert(_MASK, ir.AffineMap.get(maps[0].n_dims, 0,
                                            [ir.AffineExpr.get_dim(d) for d in detail.m_dims + [pages, page]]))
        new = b.rebuilt_attention(op, operands, maps)
    for old, result in zip(op.results, new.results):
        old.replace_all_uses_with(result)
    op.erase()
    for old in [e for e in extensions if e is not None] + gathers:
        if not list(old.results[0].uses):
            old.erase()
    if _dynamic(new):
        raise TilefuseError("k2-tail: the attention tile has a run-time size besides its pages'")


def _padded(tile: ir.Value, sizes: dict[int, int], mask: bool) -> ir.Value:
    """TILE padded to SIZES; an fp8 K/V tile widen-kv extends is padded before its extension (its fp8 slice with
    zeros, which extend to exact zeros), so the lane stage reads the fp8 slice masked and no run-time tile is
    left (the fp8 pad value is a transfer_read's padding constant: bits, which NVIDIA lowers)."""
    extension = _widening(tile)
    if extension is None:
        return b.pad_dims_to(tile, sizes, _hidden(b.element_type(tile), mask))
    source = extension.operands[0]
    padded = b.pad_dims_to(source, {_source_dim(extension, d): n for d, n in sizes.items()},
                           _hidden(b.element_type(source), False))
    shape = [sizes.get(d, n) for d, n in enumerate(_shape(tile))]
    out = b.empty(shape, b.element_type(tile))
    return b.rebuilt(extension, [padded, out], [out.type]).results[0]


def _widening(tile: ir.Value) -> ir.Operation | None:
    """widen-kv's extension of an fp8 K/V that TILE is (read only by the attention), else None: an elementwise
    generic (all parallel, its maps permutations) of arith ops on the fp8 values (widen-kv's `arith.extf` or
    integer decode, which take 0 to 0: a padded V key then adds 0 x 0)."""
    op = tile.owner
    if not isinstance(op, (ir.Operation, ir.OpView)) or op.name != "linalg.generic" or len(op.operands) != 2 \
            or len(list(tile.uses)) != 1 or str(b.element_type(op.operands[0])) not in FP8_FLOATS:
        return None
    body = op.regions[0].blocks[0].operations
    if set(iterator_types(op)) != {"parallel"} or not all(m.is_permutation for m in indexing_maps(op)) \
            or not all(o.name.startswith("arith.") or o.name == "linalg.yield" for o in body):
        return None
    return op


def _run_time_size(tile: ir.Value, dim: int) -> ir.Value:
    """TILE's run-time size along DIM, read from an fp8 extension's source (the extension is replaced)."""
    extension = _widening(tile)
    if extension is not None:
        tile, dim = extension.operands[0], _source_dim(extension, dim)
    return tensor.DimOp(tile, b.index(dim)).result


def _source_dim(extension: ir.Operation, dim: int) -> int:
    """The dim of an elementwise EXTENSION's input that its result's dim DIM reads."""
    in_map, out_map = indexing_maps(extension)
    return _dim_of(in_map, ir.AffineDimExpr(out_map.results[dim]).position)


def _unpadded(value: ir.Value) -> tuple[ir.Value, dict[int, int]]:
    """A tile m-tail padded (a mask's query rows: a tensor.pad of a slice, which reduction-tile moved into the
    loop) as its slice and the sizes it was padded to: one pad then pads both (the lane stage reads a lane's
    fragment from one pad of a slice); any other tile as it is."""
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name != "tensor.pad":
        return value, {}
    shape = ir.RankedTensorType(value.type).shape
    highs = ir.DenseI64ArrayAttr(owner.attributes["static_high"])
    return owner.operands[0], {d: shape[d] for d, h in enumerate(highs) if h != 0}


def _hidden(elem: ir.Type, mask: bool) -> ir.Value:
    """What a key past the end holds: 0 in K and V, -inf in a float mask, false in a boolean one."""
    if isinstance(elem, ir.IntegerType):
        return arith.ConstantOp(elem, 0).result
    return b.constant(elem, _MINUS_INF if mask else 0.0)


def _mask_type(query: ir.Type) -> ir.Type:
    """The tail mask's type: the query's where it holds -inf (16-bit), else f32 (fp8 E4M3 has no infinity; an fp8
    attention's mask is f32, as `tilefuse problem` writes it)."""
    return query if str(query) in HALF_FLOATS else ir.F32Type.get()


def _tail_mask(rows: list[int], keys: list[int], size: ir.Value, elem: ir.Type) -> ir.Value:
    """An additive mask of the tile's KEYS dims (the keys, or a step's (pages, page)): 0 where the first is below
    SIZE, -inf after."""
    zero, minus_inf = b.constant(elem, 0.0), b.constant(elem, _MINUS_INF)
    key = len(rows)
    return b.elementwise(b.empty(rows + keys, elem),
                         lambda block: b.select(b.cmpi_lt(b.linalg_index(key), size), zero, minus_inf),
                         in_place=False)


def _dim_of(amap: ir.AffineMap, dim: int) -> int:
    """The operand dim that iteration dim DIM indexes."""
    return [ir.AffineDimExpr(e).position for e in amap.results].index(dim)


def _static(value: ir.Value, dim: int) -> int:
    return _shape(value)[dim]


def _shape(value: ir.Value) -> list[int]:
    return list(ir.RankedTensorType(value.type).shape)


def _dynamic(op: ir.Operation) -> bool:
    return any(isinstance(o.type, ir.ShapedType) and not ir.ShapedType(o.type).has_static_shape for o in op.operands)
