"""The state the rewrites of one lane forall share (the role of xDSL's PatternRewriter): the lane id, each
value's layout, the values already replaced by fragments, the ops to erase once all are rewritten; and the lane's
view of a whole subgroup tile (its coordinates and window)."""

from __future__ import annotations

import itertools
import math

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, tensor, vector

from ....ir import irbuild as b
from ....errors import TilefuseError
from ....ir.irutil import DYNAMIC
from ....ir.lane_layout import DimLayout, Layout
from ....ir.paged import GATHER, producer, reassociation
from .analysis import LaneLayouts


def groups_of_three(rank: int) -> list[list[int]]:
    return [[3 * j, 3 * j + 1, 3 * j + 2] for j in range(rank)]


def expanded(value: ir.Value, layout: Layout) -> ir.Value:
    """A subgroup tile as (outer, thread, element) per dim."""
    return b.expand_shape(value, groups_of_three(len(layout)), [x for l in layout for x in (l.outer, l.thread, l.element)])


def expanded_rows(value: ir.Value, layout: Layout) -> tuple[ir.Value, list[list[int]]]:
    """A subgroup tile with dims of fewer rows than its layout holds (m-tail's query rows: run-time, or a
    decode's static rows; a run-time N's columns) expanded like `expanded` except those dims, which stay one dim
    each; with its reassociation groups (to collapse it back)."""
    groups, shape, dynamic, at = [], [], [], 0
    sizes = b.shape(value)
    for d, (l, size) in enumerate(zip(layout, sizes)):
        # (a dim of several elements before a run-time dim stays one dim too: its expanded group would have
        # run-time strides, which IREE's bufferization cannot collapse back)
        if size != l.outer * l.thread * l.element or (size > 1 and DYNAMIC in sizes[d + 1:]):
            groups.append([at])
            shape.append(size)
            if size == DYNAMIC:
                dynamic.append(tensor.DimOp(value, b.index(d)).result)
            at += 1
        else:
            groups.append([at, at + 1, at + 2])
            shape += [l.outer, l.thread, l.element]
            at += 3
    t = ir.RankedTensorType.get(shape, b.element_type(value))
    return tensor.ExpandShapeOp(t, value, b.reassociation(groups), dynamic, shape).result, groups


def uses(value: ir.Value) -> list:
    return [(u.owner.operation if hasattr(u.owner, "operation") else u.owner, u.operand_number) for u in value.uses]


class LaneRewriter:
    def __init__(self, found: LaneLayouts, lanes: int, lane: ir.Value, lane_body: ir.Block,
                 shared: dict[ir.Value, ir.Value]):
        self.found = found
        self.layouts = dict(found.layouts)  # grows with the fragments built
        self.lanes, self.lane, self.lane_body = lanes, lane, lane_body
        # the subgroup forall's output (block argument) -> the lane forall's: the subgroup's tile, expanded
        self.shared = shared
        self.coords: dict[tuple[int, int], ir.Value] = {}
        self.replacement: dict[ir.Value, ir.Value] = {}
        self.dead: list = []

    # ---- types -----------------------------------------------------------------------------------------
    def frag_shape(self, value: ir.Value) -> list[int]:
        return [l.fragment for l in self.layouts[value]]

    def frag_type(self, value: ir.Value) -> ir.Type:
        return ir.RankedTensorType.get(self.frag_shape(value), b.element_type(value))

    def retype(self, value: ir.Value) -> None:
        value.set_type(self.frag_type(value))

    # ---- replacing values ------------------------------------------------------------------------------
    def replace(self, old: ir.Value, new: ir.Value, op) -> None:
        """Every use of `old` (a result of `op`, erased at the end) becomes `new`."""
        old.replace_all_uses_with(new)
        self.redirect([], old, new)
        self.dead.append(op)

    def redirect(self, recorded_uses, old: ir.Value, new: ir.Value) -> None:
        """Points the recorded uses of `old` (taken before `new` was built from it) at `new`."""
        for owner, number in recorded_uses:
            owner.operands[number] = new
        self.replacement[old] = new
        self.layouts[new] = self.layouts[old]

    # ---- the lane's part of a whole tile ---------------------------------------------------------------
    def coord(self, l: DimLayout) -> ir.Value:
        """The lane's coordinate along a dimension: (lane floordiv tstride) mod thread, one per lane forall."""
        key = (l.thread, l.tstride)
        if key not in self.coords:
            amap = ir.AffineMap.get(1, 0, [ir.AffineExpr.get_mod(
                ir.AffineExpr.get_floor_div(ir.AffineDimExpr.get(0), l.tstride), l.thread)])
            with ir.InsertionPoint.at_block_begin(self.lane_body):
                self.coords[key] = affine.AffineApplyOp(amap, [self.lane]).result
        return self.coords[key]

    def window(self, layout: Layout):
        """The lane's window (outer, 1, element per dim) of a tile expanded to (outer, thread, element)."""
        dyn, offs, sizes = [], [], []
        for l in layout:
            if l.distributed:
                dyn.append(self.coord(l))
            offs += [0, DYNAMIC if l.distributed else 0, 0]
            sizes += [l.outer, 1, l.element]
        return dyn, offs, sizes

    def fragment_of_window(self, expanded_tile: ir.Value, layout: Layout) -> ir.Value:
        """The lane's window as a fragment tensor (outer * element per dim); the elements move as one vector."""
        dyn, offs, sizes = self.window(layout)
        frag = [l.fragment for l in layout]
        v = b.shape_cast(b.read(b.extract_slice(expanded_tile, dyn, offs, sizes)), frag)
        return b.write(v, tensor.EmptyOp(frag, b.element_type(expanded_tile)).result)

    def fragment_of_padded(self, pad, layout: Layout) -> ir.Value:
        """The lane's fragment of a tile padded past a run-time size (k2-tail): its window read straight from the
        pad's source, one vector per outer block, each masked at the source's end (the pad's value beyond it),
        so a lane loads only its own elements, as from a whole tile."""
        source, fill = pad.operands[0], pad.regions[0].blocks[0].operations[0].operands[0]
        elem = b.element_type(source)
        block_type = ir.VectorType.get([l.element for l in layout], elem)
        frag = [l.fragment for l in layout]
        if any(ir.DenseI64ArrayAttr(pad.attributes["static_low"])):
            raise TilefuseError("thread-distribute: a tile padded at its start (k2-tail pads only the end)")
        padded = [h != 0 for h in ir.DenseI64ArrayAttr(pad.attributes["static_high"])]
        zero = ir.IntegerAttr.get(elem, 0) if isinstance(elem, ir.IntegerType) else ir.FloatAttr.get(elem, 0.0)
        whole = ir.VectorType.get(frag, elem)
        v = arith.ConstantOp(whole, ir.DenseElementsAttr.get_splat(whole, zero)).result  # every element replaced
        for outer in itertools.product(*(range(l.outer) for l in layout)):
            offsets = [self._position(l, o) for l, o in zip(layout, outer)]
            read = vector.TransferReadOp(block_type, source, offsets, padding=fill,
                                         permutation_map=ir.AffineMap.get_minor_identity(len(layout), len(layout)),
                                         in_bounds=[not p for p in padded]).result
            v = vector.InsertStridedSliceOp(read, v, [o * l.element for l, o in zip(layout, outer)],
                                            [1] * len(layout)).result
        return b.write(v, tensor.EmptyOp(frag, elem).result)

    def fragment_of_collapsed(self, collapse, layout: Layout) -> ir.Value:
        """The lane's fragment of a tile that collapses its source (page-step: a K2 step's pages merged into its
        keys): read through the collapse (`fragment_through`)."""
        return self.fragment_through(collapse.operands[0], reassociation(collapse), layout)

    def fragment_through(self, source: ir.Value, groups: list[list[int]], layout: Layout) -> ir.Value:
        """The lane's fragment of a tile whose dims are `groups` of SOURCE's dims (row-major, outer first: a
        collapse's reassociation, or one dim each), each block of `element` elements per dim read from the
        source at its position there (the tile's position split over the group's dims), one vector a sub-block;
        where the source is a gather of whole pages (page-kv's paged K/V: several pages a K2 step, or pages of one
        key read directly), from the page's pool through the page table (the sub-block's page id read from it),
        so a lane loads its own keys of each page. A block runs along the innermost dim of its group; it is read
        in sub-blocks that each lie in one page: whole where it fits in that dim, else in runs of that dim's size
        (pages of 2 keys under a lane's 4 keys of V), one element a read along a gathered dim (pages of one key:
        each key its own page)."""
        gather = producer(source, GATHER)
        pool = gather.operands[0] if gather is not None else source
        batch_rank = len(b.shape(source)) - (len(b.shape(pool)) - 1) if gather is not None else 0
        sizes, elem = b.shape(source), b.element_type(source)
        frag = [l.fragment for l in layout]
        runs = [group[-1] for group in groups]  # the source dim each dim's block runs along
        subs = [_sub_block(l.element, sizes[d], d < batch_rank, len(group) > 1, source.type)
                for l, d, group in zip(layout, runs, groups)]
        shift = 1 - batch_rank if gather is not None else 0  # a gathered dim's dim in the pool
        along = {d + shift: sub for sub, d in zip(subs, runs) if sub > 1 and d >= batch_rank}
        rank = len(b.shape(pool))
        first = min(along, default=rank - 1)  # a sub-block read as the pool's minor dims from its first run on
        read_map = ir.AffineMap.get_minor_identity(rank, rank - first)
        read_type = ir.VectorType.get([along.get(d, 1) for d in range(first, rank)], elem)
        zero = ir.FloatAttr.get(elem, 0.0) if not isinstance(elem, ir.IntegerType) else ir.IntegerAttr.get(elem, 0)
        whole = ir.VectorType.get(frag, elem)
        v = arith.ConstantOp(whole, ir.DenseElementsAttr.get_splat(whole, zero)).result
        for outer in itertools.product(*(range(l.outer) for l in layout)):
            for part in itertools.product(*(range(l.element // sub) for l, sub in zip(layout, subs))):
                at = [c for l, o, j, sub, group in zip(layout, outer, part, subs, groups)
                      for c in _delinearized(self._position(l, o, j * sub), [sizes[d] for d in group])]
                if gather is not None:
                    page = tensor.ExtractOp(gather.operands[1], at[:batch_rank]).result
                    at = [arith.IndexCastOp(ir.IndexType.get(), page).result, *at[batch_rank:]]
                read = vector.TransferReadOp(read_type, pool, at, padding=b.constant(elem, 0),
                                             permutation_map=read_map, in_bounds=[True] * (rank - first)).result
                block = b.shape_cast(read, subs)
                v = vector.InsertStridedSliceOp(block, v, [o * l.element + j * sub for l, o, j, sub
                                                           in zip(layout, outer, part, subs)],
                                                [1] * len(layout)).result
        return b.write(v, tensor.EmptyOp(frag, elem).result)

    def window_rows(self, layout: Layout, out: ir.Value, groups: list[list[int]]):
        """The lane's window of OUT, a tile `expanded_rows` expanded (into GROUPS): offsets, sizes and strides as
        operand lists with their static arrays, the vector shape written there, and which dims the write is in
        bounds on. Along a dim of fewer rows than the layout holds (m-tail's query rows, or a run-time N's columns
        in one MMA tile: a group of one dim) the window holds the lane's rows that are real: from its first row,
        either one block (outer 1: `min(element, max(0, rows - start))` contiguous rows) or one row per outer
        block (element 1: rows `thread` apart, `min(outer, max(0, ceil((rows - start) / thread)))` of them, as
        sm_80's accumulator gives a lane rows r and r + 8); the other dims are `window`'s (outer, 1, element)."""
        dyn_offs, offs, dyn_sizes, sizes, strides, vec, in_bounds = [], [], [], [], [], [], []
        at = 0
        d0, d1 = ir.AffineExpr.get_dim(0), ir.AffineExpr.get_dim(1)
        for l, group in zip(layout, groups):
            if len(group) == 3:
                if l.distributed:
                    dyn_offs.append(self.coord(l))
                offs += [0, DYNAMIC if l.distributed else 0, 0]
                sizes += [l.outer, 1, l.element]
                strides += [1, 1, 1]
                vec += [l.outer, 1, l.element]
                in_bounds += [True] * 3
                at += 3
                continue
            if l.outer > 1 and l.element > 1:
                raise TilefuseError(f"thread-distribute: run-time rows laid out {l} (blocks of several rows, several "
                                    "blocks per lane): no masked write for it")
            start = self._position(l, 0)
            step, count = (1, l.element) if l.outer == 1 else (l.thread, l.outer)
            left = affine.AffineMaxOp(ir.AffineMap.get(2, 0, [ir.AffineExpr.get_constant(0),
                                                              ir.AffineExpr.get_ceil_div(d0 - d1, step)]),
                                      [tensor.DimOp(out, b.index(at)).result, start]).result
            dyn_offs.append(start)
            dyn_sizes.append(affine.AffineMinOp(ir.AffineMap.get(1, 0, [ir.AffineExpr.get_constant(count), d0]),
                                                [left]).result)
            offs.append(DYNAMIC)
            sizes.append(DYNAMIC)
            strides.append(step)
            vec.append(count)
            in_bounds.append(False)
            at += 1
        return dyn_offs, offs, dyn_sizes, sizes, strides, vec, in_bounds

    def write_rows_guarded(self, fragment: ir.Value, layout: Layout, out: ir.Value, groups: list[list[int]]):
        """The lane's fragment written into its `window_rows` window of OUT, masked at the run-time rows' end,
        so a lane stores only real rows; returns the written window and where it goes (operands and arrays for
        the lane forall's parallel_insert_slice)."""
        dyn_offs, offs, dyn_sizes, sizes, strides, vec, in_bounds = self.window_rows(layout, out, groups)
        rank = len(sizes)
        slice_type = ir.RankedTensorType.get(sizes, b.element_type(fragment))
        dest = tensor.ExtractSliceOp(slice_type, out, dyn_offs, dyn_sizes, [], offs, sizes, strides).result
        written = vector.TransferWriteOp(slice_type, b.shape_cast(b.read(fragment), vec), dest, [b.index(0)] * rank,
                                         permutation_map=ir.AffineMap.get_minor_identity(rank, rank),
                                         in_bounds=in_bounds).result
        return written, (dyn_offs, dyn_sizes, offs, sizes, strides)

    def _position(self, l: DimLayout, outer: int, within: int = 0) -> ir.Value:
        """The tile index of the lane's element WITHIN of outer block OUTER along a dim: (o * thread + t) * element
        + within."""
        if not l.distributed:
            return b.index(outer * l.element + within)
        amap = ir.AffineMap.get(1, 0, [(ir.AffineExpr.get_constant(outer * l.thread) + ir.AffineDimExpr.get(0))
                                       * l.element + within])
        return affine.AffineApplyOp(amap, [self.coord(l)]).result


def _delinearized(position: ir.Value, sizes: list[int]) -> list[ir.Value]:
    """`position` along a collapsed dim as the position in each of the dims it merged (of `sizes`, outer first)."""
    out = []
    for j, size in enumerate(sizes):
        inner = math.prod(sizes[j + 1:])
        expr = ir.AffineExpr.get_mod(ir.AffineExpr.get_floor_div(ir.AffineDimExpr.get(0), inner), size)
        out.append(affine.AffineApplyOp(ir.AffineMap.get(1, 0, [expr]), [position]).result)
    return out


def _sub_block(element: int, size: int, gathered: bool, grouped: bool, source: ir.Type) -> int:
    """The elements of a lane's block of ELEMENT along a source dim of SIZE read at once: all where they lie in
    the dim, else runs of the whole dim where the block spans several of its (collapsed) outer positions, one
    where the dim is gathered (each position its own page)."""
    if gathered:
        return 1
    if size % element == 0:
        return element
    if grouped and element % size == 0:
        return size
    raise TilefuseError(f"thread-distribute: a lane's block of {element} elements does not lie in whole runs of a "
                        f"dim of {size} of {source}")
