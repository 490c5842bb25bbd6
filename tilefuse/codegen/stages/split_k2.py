"""Program stage `split-k2` of the tilefuse paths (flash-decoding): a decode-like attention (its query rows one
MMA tile, too few workgroups to fill the machine, heuristics.k2_splits) becomes S attentions over K2/S keys
each and a combine:

    K, V (and a mask)  --expand_shape-->        (..., S, K2/S, d): S a batch dim (K, V and the partials index it)
    online_attention   three results per split:  acc_s (unnormalized, f32), max_s, sum_s
    combine            linalg ops:               M = max_s max_s, w_s = 2^(max_s - M),
                                                 out = sum_s acc_s w_s / sum_s sum_s w_s

The max is in IREE's units, log2: its decomposition folds log2(e) into the scale and exponentiates with exp2,
so the combine does too. Each (head, split) is one workgroup reading K2/S keys; the combine reads the small
partials. A Python stage: no transform op splits an attention's reduction into a batch dim. Why and the
numbers: design/tilefuse-path.md, "Decode".

Keys of run-time length K2 cannot be expanded to (S, K2/S) (K2 need not divide; padding would copy the cache), so
they are cut into S ranges of `chunk` keys, chunk = ceil(K2 / (S granule)) granule computed at run time, in IREE's
own split-reduction form (what its form-split-reduction-dispatches writes for ops that have the interface, which
online_attention lacks in 3.13):

    flow.dispatch.region { scf.forall s in (S) {mapping = split_reduction_mapping}:
        K, V (and a mask) sliced to keys [min(s chunk, K2), + min(chunk, K2 - that)): a view of the cache
        online_attention over the slice's run-time keys, the partials generic into split s's slice }
    combine                                       as above

A range past the end holds no key: its attention runs no K2 step and keeps its fills (sum 0), which the
partials weigh 0. IREE keeps the slices as loads of the cache in the dispatch (no copy) and folds the forall into
the workgroup ids (reconcile-translation-info); each range's K2 loop is a run-time K2's (k2-tail). An fp8 cache
(under a 16-bit query) is sliced as fp8: widen-kv's extension, written after this stage at the range's attention,
reads the range's slice inside the forall, so the dispatch loads the cache's fp8 bytes in place. A paged K/V
(gathered through a page table of run-time length) is cut in ranges of whole pages: the table is sliced to each
range's pages and K/V gathered through the slice inside the range (page-kv then reads them through the maps).
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, flow, linalg, math as math_d, scf, tensor

from ...ir import irbuild as b
from ...errors import TilefuseError, Unsupported
from ...ir.facts import FINITE_MAX, ONLINE_ATTENTION
from ..config import SUBGROUPS
from ...ir.irutil import DYNAMIC, indexing_maps, projected_dims
from ...ir.paged import NotPaged, PagedChain, page_size, paged_chain
from ..program_stage import carry_out_plans, variant_of
from ..split_ranges import SPLIT_MAPPING
from ..stage import StageInput, StageResult

# The running max starts at the lowest finite f32 (not -inf): a split whose scores are all -inf then weighs 0
# in the combine instead of giving NaN (2^(-inf - -inf)).
_LOWEST = -FINITE_MAX["f32"]


def split_k2(module: ir.Module, stage_input: StageInput) -> StageResult:
    def split(op, shape, plan):
        if plan.k2_splits is None:
            return None
        if shape.k2[0] in shape.run_time:
            return _split_ranges(op, shape, plan.k2_splits, plan.k2_granule, page_size(op, shape))
        keys = shape.sizes[shape.k2[0]]
        if keys % (plan.k2_splits * plan.k2_granule):
            raise TilefuseError(f"config: k2_splits={plan.k2_splits} does not split the {keys} keys of the attention "
                                f"into whole {plan.k2_granule}-key MMA tiles")
        return _split(op, shape, plan.k2_splits, plan.k2_split_place == SUBGROUPS)

    return carry_out_plans(module, stage_input, "split-k2", variant_of,
                    lambda plan: plan.staged, split, {"k2_splits": None, "k2_split_place": None})


def _split(op, shape, splits: int, in_workgroup: bool = False) -> dict:
    """`in_workgroup`: the splits are the subgroups of one workgroup (k2_split_place SUBGROUPS): the split, its
    partials and the combine in one dispatch region (`_in_region`), the combine in two passes (`_combine`)."""
    if in_workgroup:
        op = _in_region(op)
    maps = indexing_maps(op)
    q, k, v, scale, *mask, _ = op.operands
    rank = len(shape.sizes)
    (k2,), m0 = shape.k2, shape.m[0]
    s = rank  # the split: a new last iteration dim
    f32 = ir.F32Type.get()
    # The partial results: O's dims with the split before the first query dim; max and sum without N.
    part_dims = _insert(projected_dims(maps[-1]), s, before=m0)
    row_dims = [d for d in part_dims if d not in shape.n]
    sizes = list(shape.sizes) + [splits]
    sizes[k2] //= splits
    with ir.InsertionPoint(op):
        k5, v5 = (_split_keys(t, amap, k2, splits) for t, amap in ((k, maps[1]), (v, maps[2])))
        # The mask goes with the keys: split along K2 where it indexes them (a mask without keys is the same for
        # every split).
        mask_dims = [projected_dims(amap) for amap in maps[4:-1]]
        mask = [_split_keys(t, amap, k2, splits) if k2 in dims else t
                for t, amap, dims in zip(mask, maps[4:-1], mask_dims)]
        acc0 = _filled([sizes[d] for d in part_dims], f32, 0.0)
        max0 = _filled([sizes[d] for d in row_dims], f32, _LOWEST)
        sum0 = _filled([sizes[d] for d in row_dims], f32, 0.0)
        new_maps = [_map(rank + 1, projected_dims(maps[0])),
                    *(_map(rank + 1, _insert(projected_dims(amap), s, before=k2)) for amap in maps[1:3]),
                    _map(rank + 1, []),
                    *(_map(rank + 1, _insert(dims, s, before=k2) if k2 in dims else dims) for dims in mask_dims),
                    _map(rank + 1, part_dims), _map(rank + 1, row_dims), _map(rank + 1, row_dims)]
        partial = b.rebuilt_attention(op, [q, k5, v5, scale, *mask, acc0, max0, sum0], new_maps,
                                      [acc0.type, max0.type, sum0.type], name=ONLINE_ATTENTION)
        n_at = [i for i, d in enumerate(part_dims) if d in shape.n]
        normalized, lse = _partials(*partial.results, n_at)
    _combined(op, normalized, lse, part_dims.index(s), splits, two_pass=in_workgroup)
    return {"k2_splits": splits, "keys_per_split": sizes[k2], **({"k2_split_place": SUBGROUPS} if in_workgroup else {})}


def _in_region(op):
    """`op` (and pad-to-tiles' slice of its rows) moved into a flow.dispatch.region of its own, which the split
    then fills: IREE forms one dispatch of a region as written (the split attention, its partials and the
    combine), where it would otherwise cut the combine's reduction into a second one."""
    sliced = _rows_slice(op)
    result = (op if sliced is None else sliced).result
    with ir.InsertionPoint(op):
        region = flow.DispatchRegionOp([result.type], [], [])
        with ir.InsertionPoint(region.body.blocks.append()):
            returned = flow.ReturnOp([result])
    result.replace_all_uses_with(region.results[0])
    returned.operands[0] = result
    op.move_before(returned)
    if sliced is not None:
        sliced.move_before(returned)
    return op


def _split_ranges(op, shape, splits: int, granule: int, page: int | None) -> dict:
    """The attention over a run-time K2 as `splits` ranges of keys in IREE's split-reduction form (module doc);
    a paged K/V's (`page` keys a page) in ranges of whole pages: the ranges cut the page table, each range's K
    and V gathered through its slice of it inside the range (page-kv then reads them through the maps)."""
    maps = indexing_maps(op)
    q, k, v, scale, *mask, _ = op.operands
    (k2,) = shape.k2
    chains = [_paged_range_chain(t) for t in (k, v)] if page is not None else []
    paged = bool(chains) and all(isinstance(c, PagedChain) for c in chains)
    if not paged and not all(_read_directly(t) for t in (k, v)):
        # K/V computed in the program (a gather, a matmul) would stay outside the split dispatch, written out whole
        # (but for pages gathered through a page table: gathered again inside each range, below). An fp8 cache is
        # read directly: widen-kv, after this stage, extends each range's slice inside the range.
        why = "".join(f": {name} is not paged: {c.why}" for name, c in zip("KV", chains) if isinstance(c, NotPaged))
        raise Unsupported("split-k2 of a run-time K2 reads K and V as the program's arguments (or their pads, or "
                          "gathered from page pools) only" + why)
    f32 = ir.F32Type.get()
    o_dims = projected_dims(maps[-1])
    row_dims = [d for d in o_dims if d not in shape.n]
    # The partials: O's dims with the split merged into the first query dim (split s writes rows [s M0, s M0 +
    # M0), a slice of the rank of its attention's: a unit split dim would be dropped by IREE into a rank-reducing
    # insert behind a reshape of the workgroup forall's result, which bufferization copies through private memory)
    at = o_dims.index(shape.m[0])
    o_shape = [shape.sizes[d] for d in o_dims]
    merged = o_shape[:at] + [splits * o_shape[at]] + o_shape[at + 1:]
    # a paged range is whole pages, counted in pages (the plan's pages each hold whole MMA steps: granule 1)
    granule = 1 if paged else granule
    with ir.InsertionPoint(op):
        keys = tensor.DimOp(chains[0].table, b.index(chains[0].pages_dim)).result if paged else \
            tensor.DimOp(k, b.index(projected_dims(maps[1]).index(k2))).result
        symbols = [ir.AffineSymbolExpr.get(i) for i in range(2)]  # K2, chunk
        chunk = affine.AffineApplyOp(ir.AffineMap.get(0, 1, [ir.AffineExpr.get_mul(
            ir.AffineExpr.get_ceil_div(symbols[0], ir.AffineConstantExpr.get(splits * granule)),
            ir.AffineConstantExpr.get(granule))]), [keys]).result
        region = flow.DispatchRegionOp([ir.RankedTensorType.get(merged, f32)] * 2, [], [])
        with ir.InsertionPoint(region.body.blocks.append()):
            # (inside the region: an empty outside it would be hoisted into a constant the dispatch reads)
            forall = scf.ForallOp([0], [splits], [1], [b.empty(merged, f32) for _ in range(2)],
                                  mapping=ir.ArrayAttr.get([ir.Attribute.parse(SPLIT_MAPPING)]))
            flow.ReturnOp(list(forall.results))
        split, *shared = forall.body.arguments
        with ir.InsertionPoint(forall.body):
            d0 = ir.AffineDimExpr.get(0)
            first = _min([ir.AffineExpr.get_mul(d0, symbols[1]), symbols[0]], split, keys, chunk)
            count = _min([symbols[1], ir.AffineExpr.get_add(symbols[0], ir.AffineExpr.get_mul(
                d0, ir.AffineConstantExpr.get(-1)))], first, keys, chunk)
            if paged:  # K and V gathered through the range's pages; a mask sliced to the range's keys
                k_, v_ = (_page_range(chain, first, count) for chain in chains)
                if mask:
                    first, count = (_times(x, page) for x in (first, count))
            else:
                k_, v_ = (_key_range(t, amap, k2, first, count) for t, amap in ((k, maps[1]), (v, maps[2])))
            mask_ = [_key_range(t, amap, k2, first, count) if k2 in projected_dims(amap) else t
                     for t, amap in zip(mask, maps[4:-1])]
            acc0 = _filled(o_shape, f32, 0.0)
            max0, sum0 = (_filled([shape.sizes[d] for d in row_dims], f32, value) for value in (_LOWEST, 0.0))
            rows = _map(len(shape.sizes), row_dims)
            partial = b.rebuilt_attention(op, [q, k_, v_, scale, *mask_, acc0, max0, sum0], [*maps, rows, rows],
                                          [acc0.type, max0.type, sum0.type], name=ONLINE_ATTENTION)
            row0 = affine.AffineApplyOp(ir.AffineMap.get(1, 0, [ir.AffineExpr.get_mul(
                d0, ir.AffineConstantExpr.get(o_shape[at]))]), [split]).result
            slot = ([DYNAMIC if i == at else 0 for i in range(len(o_shape))], o_shape)
            outs = [b.extract_slice(t, [row0], *slot) for t in shared]
            written = _partials(*partial.results, [i for i, d in enumerate(o_dims) if d in shape.n], outs)
            in_parallel = scf.InParallelOp()
        with ir.InsertionPoint(in_parallel.block):
            for value, dest in zip(written, shared):
                b.parallel_insert_slice(value, dest, [row0], *slot)
        normalized, lse = (b.split_dim(t, at, splits) for t in region.results)
    _combined(op, normalized, lse, at, splits)
    return {"k2_splits": splits, "keys_per_split": "run-time", "k2_granule": granule}


def _read_directly(value: ir.Value) -> bool:
    """`value` is a function argument, through reshapes and pads: the split dispatch reads it from its binding. A
    pad (pad-to-tiles' head dims: d=40 to 48) is a copy IREE 3.13 writes in a dispatch of its own whether the
    attention is split or not (a pad of keys of run-time length is not fused into the unsplit attention's dispatch
    either: d=40 and d=72 decodes); the ranges read that copy in place and add none."""
    while isinstance(value.owner, (ir.Operation, ir.OpView)):
        if value.owner.name not in ("tensor.expand_shape", "tensor.collapse_shape", "tensor.pad"):
            return False
        value = value.owner.operands[0]
    return True


def _paged_range_chain(value: ir.Value) -> PagedChain | NotPaged:
    """ir/paged.py's chain of a K/V read from a page pool (a function argument) through a page table of run-time
    length (rows, pages), which `_page_range` slices; else why not."""
    chain = paged_chain(value)
    if isinstance(chain, NotPaged):
        return chain
    if not _read_directly(chain.pool) or not _read_directly(chain.table):
        return NotPaged("its page pool or page table is computed in the program")
    if b.shape(chain.table)[1:] != [DYNAMIC] or chain.pages_dim != 1:
        return NotPaged(f"its page table {chain.table.type} is not (rows, pages) of a run-time count of pages")
    return chain


def _page_range(chain: PagedChain, first: ir.Value, count: ir.Value) -> ir.Value:
    """K or V (`_paged_range_chain`) gathered through pages [first, first + count) of its page table only: the
    chain cloned at the insertion point on the table's slice, its inits of `count` pages (the types stay: the
    pages are of run-time count before and after)."""
    table = chain.table
    rows = b.shape(table)[0]
    sliced = tensor.ExtractSliceOp(table.type, table, [first], [count], [], [0, DYNAMIC], [rows, DYNAMIC],
                                   [1, 1]).result
    current = sliced
    for op in (chain.gather, chain.transpose, chain.collapse):
        init = None if op is chain.collapse else tensor.EmptyOp(
            [count if n == DYNAMIC else n for n in b.shape(op.results[0])], b.element_type(op.results[0])).result
        new = op.clone(ip=ir.InsertionPoint.current)
        new.operands[1 if op is chain.gather else 0] = current  # the gather's table, the others' source
        if init is not None:
            new.operands[len(op.operands) - 1] = init
        current = new.results[0]
    return current


def _times(value: ir.Value, factor: int) -> ir.Value:
    return affine.AffineApplyOp(ir.AffineMap.get(1, 0, [ir.AffineExpr.get_mul(
        ir.AffineDimExpr.get(0), ir.AffineConstantExpr.get(factor))]), [value]).result


def _min(exprs: list[ir.AffineExpr], dim: ir.Value, *symbols: ir.Value) -> ir.Value:
    return affine.AffineMinOp(ir.AffineMap.get(1, len(symbols), exprs), [dim, *symbols]).result


def _key_range(t: ir.Value, amap: ir.AffineMap, k2: int, first: ir.Value, count: ir.Value) -> ir.Value:
    """K, V or a mask sliced to the keys [first, first + count)."""
    at = projected_dims(amap).index(k2)
    shape_ = b.shape(t)
    offsets, sizes = [0] * len(shape_), list(shape_)
    offsets[at], sizes[at] = DYNAMIC, DYNAMIC
    return tensor.ExtractSliceOp(ir.RankedTensorType.get(sizes, b.element_type(t)), t, [first], [count], [],
                                 offsets, sizes, [1] * len(sizes)).result


def _combined(op, normalized: ir.Value, lse: ir.Value, at: int, splits: int, two_pass: bool = False) -> None:
    """`op`'s result replaced by the combine of its splits' partials (their split dim at `at`; `two_pass`:
    `_combine`'s)."""
    with ir.InsertionPoint(op):
        sliced = _rows_slice(op)
        if sliced is not None:
            # pad-to-tiles' slice of the real rows: the combine reads those rows of the partials only and writes
            # the slice itself, so nothing stands between its reduction and its division (one dispatch).
            sizes_ = list(b.shape(sliced.result))
            sizes_.insert(at, splits)
            normalized, lse = (b.extract_slice(t, [], [0] * len(sizes_), sizes_) for t in (normalized, lse))
        result = _combine(normalized, lse, at, b.element_type(op.operands[-1]), two_pass)
    (op if sliced is None else sliced).result.replace_all_uses_with(result)
    if sliced is not None:
        sliced.erase()
    b.erase_attention(op)


def _rows_slice(op) -> ir.Operation | None:
    """The attention's one user when it is a slice from the origin with unit strides (pad-to-tiles' slice back to
    the real rows, keys and head dims), else None."""
    uses = list(op.result.uses)
    if len(uses) != 1:
        return None
    user = uses[0].owner
    if user.name != "tensor.extract_slice" or len(user.operands) != 1:  # dynamic offsets or sizes: operands
        return None
    static = [list(ir.DenseI64ArrayAttr(user.attributes[f"static_{f}"])) for f in ("offsets", "strides")]
    return user if not any(static[0]) and all(x == 1 for x in static[1]) else None


def _insert(dims: list[int], new: int, before: int) -> list[int]:
    at = dims.index(before)
    return dims[:at] + [new] + dims[at:]


def _map(rank: int, dims: list[int]) -> ir.AffineMap:
    return ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(d) for d in dims])


def _filled(shape_: list[int], elem: ir.Type, value: float) -> ir.Value:
    return linalg.fill(b.constant(elem, value), outs=[b.empty(shape_, elem)])


def _split_keys(t: ir.Value, amap: ir.AffineMap, k2: int, splits: int) -> ir.Value:
    """K, V or a mask with its key dim expanded to (splits, keys per split)."""
    return b.split_dim(t, projected_dims(amap).index(k2), splits)


def _partials(acc: ir.Value, max_: ir.Value, sum_: ir.Value, n_at: list[int], outs: list[ir.Value] | None = None
              ) -> tuple[ir.Value, ir.Value]:
    """(acc / sum (0 where sum is 0), max + log2(sum)) of each split, both over acc's dims: the log-sum-exp of a row is repeated
    along N, so it has the accumulator's lane layout in the split dispatch and no two lanes write one element
    (a row vector is held by every lane of the row: thread-distribute writes whole windows). Into `outs` (default:
    new tensors)."""
    f32 = ir.F32Type.get()
    dims = list(range(len(b.shape(acc))))
    rows = [d for d in dims if d not in n_at]
    outs = outs or [b.empty(b.shape(acc), f32) for _ in range(2)]
    op = linalg.GenericOp([o.type for o in outs], [acc, max_, sum_], outs,
                          ir.ArrayAttr.get([ir.AffineMapAttr.get(_map(len(dims), d)) for d in (dims, rows, rows, dims, dims)]),
                          [linalg.IteratorType.parallel] * len(dims))
    block = op.regions[0].blocks.append(*[f32] * 5)
    a, m, total = block.arguments[:3]
    with ir.InsertionPoint(block):
        # A split whose keys the mask hides all has sum 0: P is 0 there (not 0/0), L = -inf weighs it 0.
        seen = arith.CmpFOp(arith.CmpFPredicate.OGT, total, b.constant(f32, 0.0)).result
        p = b.select(seen, arith.DivFOp(a, total).result, b.constant(f32, 0.0))
        linalg.YieldOp([p, arith.AddFOp(m, math_d.Log2Op(total).result).result])
    return op.results[0], op.results[1]


def _combine(normalized: ir.Value, lse: ir.Value, split_at: int, elem: ir.Type, two_pass: bool = False) -> ir.Value:
    """out = sum_s P_s 2^(L_s - M) / sum_s 2^(L_s - M), M = max_s L_s, with P_s = acc_s / sum_s and L_s = max_s
    + log2(sum_s) in IREE's log2 units: sum_s acc_s 2^max_s / sum_s sum_s 2^max_s. One reduction over the splits
    that keeps the running max, denominator and numerator per output element (online, as the attention itself
    does: L is repeated along N, so every element has its own), then the division in `out`'s type: IREE forms
    one dispatch of the two (an elementwise consumer of a reduction), not one per reduction. In the partials'
    layout without the split, of element type `elem`.

    `two_pass`: M first (a max reduction), then the denominator and numerator against it (add reductions): the
    combine a workgroup's threads compute from workgroup memory (k2_split_place SUBGROUPS), where IREE's
    vectorization takes a reduction whose yields are its combiners (max, add) and leaves the online step's
    rescaling one a scalar linalg.generic on memrefs. M is final before any weight: nothing is rescaled."""
    f32 = ir.F32Type.get()
    dims = list(range(len(b.shape(normalized))))
    kept = [d for d in dims if d != split_at]
    shape_ = [b.shape(normalized)[d] for d in kept]
    inits = [_filled(shape_, f32, value) for value in (_LOWEST, 0.0, 0.0)]

    def step(p, lse_s, top, den, num):
        new_top = arith.MaximumFOp(top, lse_s).result
        old = math_d.Exp2Op(arith.SubFOp(top, new_top).result).result  # rescales what the earlier splits summed
        weight = math_d.Exp2Op(arith.SubFOp(lse_s, new_top).result).result
        return [new_top, arith.AddFOp(arith.MulFOp(den, old).result, weight).result,
                arith.AddFOp(arith.MulFOp(num, old).result, arith.MulFOp(p, weight).result).result]

    def weighed(p, lse_s, top, den, num):
        weight = math_d.Exp2Op(arith.SubFOp(lse_s, top).result).result
        return [arith.AddFOp(den, weight).result, arith.AddFOp(num, arith.MulFOp(p, weight).result).result]

    # The split is the innermost loop of the reduction's domain.
    domain = kept + [split_at]
    if two_pass:
        (top,) = _generic([lse], [dims], domain, split_at, inits[:1],
                          lambda lse_s, top: [arith.MaximumFOp(top, lse_s).result])
        den, num = _generic([normalized, lse, top], [dims, dims, kept], domain, split_at, inits[1:], weighed)
    else:
        _, den, num = _generic([normalized, lse], [dims, dims], domain, split_at, inits, step)

    def normalize(num_, den_, _):
        x = arith.DivFOp(num_, den_).result
        return [x if elem == f32 else arith.TruncFOp(elem, x).result]

    (result,) = _generic([num, den], [kept, kept], kept, None, [b.empty(shape_, elem)], normalize)
    return result


def _generic(ins: list[ir.Value], operand_dims: list[list[int]], domain: list[int], reduced: int | None,
             inits: list[ir.Value], body) -> list[ir.Value]:
    """A linalg.generic over `domain` (dims of the partials' layout) reducing `reduced` (None: none) into
    `inits`, each holding the domain dims without `reduced`; operand_dims[i]: the domain dims input i holds, in
    order; `body(*input elements, *init elements)` returns one value per init."""
    at = {d: i for i, d in enumerate(domain)}
    held = [d for d in domain if d != reduced]
    maps = [_map(len(domain), [at[d] for d in dims_]) for dims_ in operand_dims + [held] * len(inits)]
    iterators = [linalg.IteratorType.reduction if d == reduced else linalg.IteratorType.parallel for d in domain]
    op = linalg.GenericOp([i.type for i in inits], ins, inits,
                          ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]), iterators)
    block = op.regions[0].blocks.append(*[b.element_type(v) for v in ins + inits])
    with ir.InsertionPoint(block):
        linalg.YieldOp(body(*block.arguments))
    return list(op.results)
