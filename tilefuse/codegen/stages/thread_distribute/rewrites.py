"""One rewrite per op kind, onto lane fragments. `REWRITES[kind](op, rw)` rewrites one op of a lane forall's body
(rw: fragments.LaneRewriter); the walker (walker.py) calls them in program order. An op's kind is its name, except
for the generics the analysis singled out: matmuls ("contraction") and reductions across lanes ("lane-reduction").

Ops without tensor results need no rewrite (scalar ops, generic bodies, yields: their operands are retyped in
place). To handle a new op kind, add a function here with `@rewrites("dialect.op")`.
"""

from __future__ import annotations

import math
from typing import Callable

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, gpu, iree_codegen, iree_gpu, linalg, tensor

from ....ir import irbuild as b
from ....errors import TilefuseError
from ....ir.facts import FP8_FLOATS
from ....ir.irutil import walk
from ....ir.paged import GATHER
from .analysis import OPERANDS, collapsed_whole, is_tensor, padded_whole, read_whole
from .fragments import LaneRewriter, expanded, uses

REWRITES: dict[str, Callable] = {}


def rewrites(kind: str):
    def register(fn):
        REWRITES[kind] = fn
        return fn
    return register


def kind_of(op, rw: LaneRewriter) -> str:
    if op.name == "linalg.generic" and op.results:
        if op.results[0] in rw.found.contractions:
            return "contraction"
        if op.results[0] in rw.found.lane_reductions:
            return "lane-reduction"
    return op.name


@rewrites("tensor.extract_slice")
def _slice(op, rw: LaneRewriter) -> None:
    """The output tile's slice becomes the lane's window of the lane forall's output; any other slice is a
    subgroup tile read from outside (Q, K, V, a mask), of which the lane takes its fragment; a run-time-sized
    one read by a pad stays whole (the pad is the tile)."""
    if padded_whole(op.result) or read_whole(op.result) or collapsed_whole(op.result):
        return
    layout = rw.layouts[op.result]
    shared = rw.shared.get(op.operands[0])
    if shared is not None:
        with ir.InsertionPoint(op):
            frag = rw.fragment_of_window(shared, layout)
        rw.replace(op.result, frag, op)
        return
    recorded = uses(op.result)
    with ir.InsertionPoint.after(op):
        frag = rw.fragment_of_window(expanded(op.result, layout), layout)
    rw.redirect(recorded, op.result, frag)


@rewrites("tensor.pad")
def _pad(op, rw: LaneRewriter) -> None:
    """k2-tail's padded last K2 tile: a subgroup tile like a slice read from outside; the lane takes its fragment.
    A padded page table slice (a step of run-time pages) stays whole: the lanes read page ids from it."""
    if collapsed_whole(op.result):
        return
    with ir.InsertionPoint(op):
        frag = rw.fragment_of_padded(op, rw.layouts[op.result])
    rw.replace(op.result, frag, op)


@rewrites("tensor.expand_shape")
def _unit_expand(op, rw: LaneRewriter) -> None:
    """An expand inserting unit dims into a slice read from outside (a paged K/V's page, read_whole): the
    expanded slice is the subgroup tile the lane takes its fragment of, as of a slice (unless read further
    itself, a page id's, or the page ids of a step's gathers, page-step's, left whole: IREE drops a batch of one
    from the page table of split-k2's dispatch region and gives the step's slice of it the unit dim back)."""
    if read_whole(op.result) or collapsed_whole(op.result) or padded_whole(op.result):
        return  # (padded_whole: a page m-tail pads along K1, the pad reads its fragment straight from the page)
    if not read_whole(op.operands[0]):
        raise TilefuseError("thread-distribute: a tensor.expand_shape other than unit dims inserted into a slice read "
                            "from outside")
    recorded = uses(op.result)
    with ir.InsertionPoint.after(op):
        frag = rw.fragment_of_window(expanded(op.result, rw.layouts[op.result]), rw.layouts[op.result])
    rw.redirect(recorded, op.result, frag)


@rewrites("tensor.collapse_shape")
def _collapsed_tile(op, rw: LaneRewriter) -> None:
    """page-step's K2 step of several pages (its K, V or mask tile a collapse of the pages' gather or of a mask
    slice): the lane reads its fragment through the collapse (and the page table)."""
    with ir.InsertionPoint(op):
        frag = rw.fragment_of_collapsed(op, rw.layouts[op.result])
    rw.replace(op.result, frag, op)


@rewrites(GATHER)
def _gather(op, rw: LaneRewriter) -> None:
    """The pages of a K2 step: read by the lanes through the collapse of them (page-step), left whole and erased;
    or read directly (pages of one key, whose unit page dim IREE drops: the gathered dim is the keys), the lane
    reads its fragment through the page table, a page id per key."""
    if all(u.owner.name == "tensor.collapse_shape" for u in op.result.uses):
        rw.dead.append(op)
        return
    with ir.InsertionPoint(op):
        frag = rw.fragment_through(op.result, [[d] for d in range(len(b.shape(op.result)))], rw.layouts[op.result])
    rw.replace(op.result, frag, op)


@rewrites("tensor.empty")
def _empty(op, rw: LaneRewriter) -> None:
    if collapsed_whole(op.result):  # a gather's init
        return
    with ir.InsertionPoint(op):
        new = tensor.EmptyOp(rw.frag_shape(op.result), b.element_type(op.result)).result
    rw.replace(op.result, new, op)


@rewrites("linalg.fill")
def _fill(op, rw: LaneRewriter) -> None:
    rw.retype(op.results[0])


@rewrites("scf.for")
def _loop(op, rw: LaneRewriter) -> None:
    """The loop carries fragments: tensor results and iter args retyped, the body rewritten op by op; a scalar it
    carries (seq-lens-bound's count of live K2 steps) is every lane's alike, as it is."""
    body = op.regions[0].blocks[0]
    for i, res in enumerate(op.results):
        if not isinstance(res.type, ir.RankedTensorType):
            continue
        rw.retype(res)
        rw.retype(body.arguments[1 + i])


@rewrites("linalg.generic")
def _elementwise(op, rw: LaneRewriter) -> None:
    """Elementwise ops and broadcasts: the same generic on fragments (a fragment is a product of per-dim index
    sets), retyped, body untouched."""
    indices = [inner for inner in walk(op) if inner.name == "linalg.index"]
    if indices:
        _tile_positions(op, indices, rw)
    for r in op.results:
        rw.retype(r)
    if _is_fp8_decode(op) and _row_is_one_nd_operand(op.results[0], rw):
        _flatten(op, rw)


def _is_fp8_decode(op) -> bool:
    """widen-kv's integer decode of an fp8 fragment, elementwise in place (a generic of one fp8 input, identity
    maps, whose body reads its bits)."""
    identity = ir.AffineMap.get_identity(len(b.shape(op.results[0])))
    return (len(op.operands) == 2 and is_tensor(op.operands[0]) and str(b.element_type(op.operands[0])) in FP8_FLOATS
            and all(ir.AffineMapAttr(m).value == identity for m in op.attributes["indexing_maps"])
            and any(inner.name == "arith.bitcast" for inner in walk(op)))


def _row_is_one_nd_operand(fragment: ir.Value, rw: LaneRewriter) -> bool:
    """Whether an innermost row of `fragment` holds exactly one operand of a matmul it feeds, that operand an n-D
    vector (mma.sync's B: vector<2x2xf16>, 4 values: an fp8 K fragment at head dim 16)."""
    row = b.shape(fragment)[-1]
    for use in fragment.uses:
        owner = use.owner
        c = rw.found.contractions.get(owner.results[0]) if len(owner.results) else None
        if c is None or use.operand_number > 1 or not iree_gpu.MMAAttr.isinstance(c.kind):
            continue
        operand = iree_gpu.MMAAttr(c.kind).abc_vector_types[use.operand_number]
        if operand.rank > 1 and math.prod(operand.shape) == row:
            return True
    return False


def _flatten(op, rw: LaneRewriter) -> None:
    """The generic on its fragment as one 1-D vector. IREE unrolls an n-D elementwise op into its innermost rows;
    where a row is exactly one n-D MMA operand, its canonicalizer folds the extract/insert chain that builds the
    operand from the row into an n-D `vector.shape_cast` after IREE's last shape_cast lowering, which NVVM
    cannot translate. A row of the whole fragment holds several operands, and nothing folds."""
    result = op.results[0]
    frag = b.shape(result)
    flat = [math.prod(frag)]
    recorded = uses(result)
    with ir.InsertionPoint(op):
        op.operands[0] = b.write(b.shape_cast(b.read(op.operands[0]), flat),
                                 b.empty(flat, b.element_type(op.operands[0])))
        op.operands[1] = b.empty(flat, b.element_type(result))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(1))
    op.attributes["indexing_maps"] = ir.ArrayAttr.get([identity, identity])
    op.attributes["iterator_types"] = ir.ArrayAttr.get([ir.Attribute.parse("#linalg.iterator_type<parallel>")])
    result.set_type(ir.RankedTensorType.get(flat, b.element_type(result)))
    with ir.InsertionPoint.after(op):
        back = b.write(b.shape_cast(b.read(result), frag), b.empty(frag, b.element_type(result)))
    rw.redirect(recorded, result, back)


def _tile_positions(op, indices, rw: LaneRewriter) -> None:
    """linalg.index in a generic on fragments counts fragment positions; the body asked for tile positions
    (an index-computed mask): f -> ((f floordiv element) * thread + lane coordinate) * element + f mod element."""
    out_map = op.attributes["indexing_maps"][len(op.operands) - 1]
    if ir.AffineMapAttr(out_map).value != ir.AffineMap.get_identity(len(b.shape(op.results[0]))):
        raise TilefuseError("thread-distribute: linalg.index in a generic whose output is not its iteration space")
    layout = rw.layouts[op.results[0]]
    f, t = ir.AffineDimExpr.get(0), ir.AffineDimExpr.get(1)
    for index in indices:
        l = layout[ir.IntegerAttr(index.attributes["dim"]).value]
        if not l.distributed:
            continue
        position = ir.AffineMap.get(2, 0, [(ir.AffineExpr.get_floor_div(f, l.element) * l.thread + t) * l.element
                                           + ir.AffineExpr.get_mod(f, l.element)])
        recorded = uses(index.result)
        with ir.InsertionPoint.after(index):
            tile_position = affine.AffineApplyOp(position, [index.result, rw.coord(l)]).result
        for owner, number in recorded:
            owner.operands[number] = tile_position


# combiner in a reduction body -> the gpu.subgroup_reduce kind, the identity it starts from, the combining op
_CROSS_LANE = {
    "arith.maximumf": (gpu.AllReduceOperation.MAXIMUMF, "-inf", arith.MaximumFOp),
    "arith.maxnumf": (gpu.AllReduceOperation.MAXNUMF, "-inf", arith.MaxNumFOp),
    "arith.addf": (gpu.AllReduceOperation.ADD, "0.0", arith.AddFOp),
}


@rewrites("lane-reduction")
def _lane_reduction(op, rw: LaneRewriter) -> None:
    """A reduction over a lane-distributed dim: the lane's partial reduction from the identity, gpu.subgroup_reduce
    across the lanes of the reduced dim, then the combination with the reduction's initial value (so it counts
    once, not once per lane)."""
    _elementwise(op, rw)
    lanes_dim = rw.found.lane_reductions[op.results[0]]
    n_in = len(op.operands) - 1
    block = op.regions[0].blocks[0]
    combiner = list(block.operations)[-1].operands[0].owner.operation
    if combiner.name not in _CROSS_LANE or sorted(_arg_number(o, block) for o in combiner.operands) != [0, n_in]:
        raise TilefuseError(f"thread-distribute: reduction body {combiner.name} has no cross-lane form")
    kind, identity, combine = _CROSS_LANE[combiner.name]
    init, result = op.operands[n_in], op.results[0]
    recorded = uses(result)
    frag, elem = b.shape(result), b.element_type(result)
    with ir.InsertionPoint(op):
        op.operands[n_in] = linalg.fill(b.constant(elem, float(identity)), outs=[tensor.EmptyOp(frag, elem).result])
    with ir.InsertionPoint.after(op):
        partial = b.shape_cast(b.read(result), [math.prod(frag)])
        # one reduction per row element: NVVM lowers subgroup_reduce of scalars only
        rows = [gpu.SubgroupReduceOp(b.extract(partial, i), kind, cluster_size=lanes_dim.thread,
                                     cluster_stride=lanes_dim.tstride).result for i in range(math.prod(frag))]
        reduced = b.shape_cast(b.from_elements(rows, partial.type), frag)
        combined = combine(reduced, b.read(init)).result
        written = b.write(combined, tensor.EmptyOp(frag, elem).result)
    rw.redirect(recorded, result, written)


def _arg_number(value: ir.Value, block) -> int | None:
    return next((i for i, a in enumerate(block.arguments) if a == value), None)


_DISTRIBUTED = "#iree_gpu.mma_semantics<distributed = true, opaque = true>"  # no Python class in IREE 3.13


@rewrites("contraction")
def _contraction(op, rw: LaneRewriter) -> None:
    """A matmul on fragments: each fragment as a vector reshaped to (tiles..., intrinsic fragment), the intrinsic
    called through a distributed iree_codegen.inner_tiled (the op and shapes IREE's
    iree-gpu-distribute-inner-tiled-to-lanes produces), the result written back into the accumulator's fragment
    (so the K2 loop carries it in place)."""
    c = rw.found.contractions[op.results[0]]
    with ir.InsertionPoint(op):
        operands = []
        for i, which in enumerate(OPERANDS):
            split, perm = c.inner_split(which)
            operands.append(b.transpose(b.shape_cast(b.read(op.operands[i]), split), perm))
        inner = iree_codegen.InnerTiledOp(operands[:2], operands[2:], op.attributes["indexing_maps"],
                                          op.attributes["iterator_types"], c.kind, ir.Attribute.parse(_DISTRIBUTED))
        inner.attributes["lowering_config"] = op.attributes["lowering_config"]
        _, perm = c.inner_split("acc")
        back = b.shape_cast(b.transpose(inner.results[0], [perm.index(i) for i in range(len(perm))]),
                            b.shape(op.operands[2]))
        result = b.write(back, op.operands[2])
    rw.replace(op.results[0], result, op)
