"""S5 of the tilefuse path, at tensor level: each subgroup's work becomes one lane-mapped scf.forall whose
iterations are the subgroup's lanes, every tensor inside it a lane's fragment (tilefuse/lane_layout.py).

- the two matmuls become iree_codegen.inner_tiled ops on lane fragments (distributed semantics), with the
  fragment shapes IREE's layout for each matmul's mma_kind gives;
- the softmax pieces are the same linalg ops on fragments: a lane's fragment is a per-dimension index set,
  and every tensor between the QK result and the PV operand has the QK accumulator's layout, so no data
  moves (the stage refuses a schedule whose PV operand layout differs from the QK accumulator's);
- a reduction over a dimension spread across lanes is a per-lane partial reduction, then an explicit
  gpu.subgroup_reduce over the lanes that share the rows (cluster size and stride from the layout), then
  the combination with the reduction's initial value.
One lane forall encloses the K2 loop, so the loop-carried (acc, max, sum) are per-lane fragments. A Python pass
because the transform dialect has no op that retypes a region onto lane fragments. design/tilefuse-path.md.
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu, linalg, tensor

from . import irbuild as b
from .errors import TilefuseError
from .irutil import DYNAMIC, indexing_maps, projected_dims, promoted_operands, walk
from .lane_layout import INNER_ROLES, DimLayout, matmul_roles, replicated

REDUCTIONS = {  # combiner in a reduction body -> (gpu.all_reduce_op, identity)
    "arith.maximumf": ("maximumf", "-inf"),
    "arith.maxnumf": ("maxnumf", "-inf"),
    "arith.addf": ("add", "0.0"),
}
Layout = tuple[DimLayout, ...]
# Marks the matmuls found by layout inference (Operation handles are not reliable dict keys).
MATMUL_TAG = "tilefuse.lane_matmul"


def distribute_to_lanes(module: ir.Module, stage_ctx) -> None:
    warps = [op for op in walk(module.operation) if op.name == "scf.forall" and "mapping" in op.attributes
             and "#gpu.warp" in str(op.attributes["mapping"])]
    if not warps:
        raise TilefuseError("no subgroup (#gpu.warp) scf.forall to distribute to lanes; run subgroup-distribute first")
    with module.context, ir.Location.unknown():
        for warp in warps:
            _Subgroup(warp, stage_ctx.target.subgroup_size).distribute()
    module.operation.verify()
    stage_ctx.session.run(module, "tilefuse_cleanup")


def _dims(amap: ir.AffineMap) -> list[int]:
    dims = projected_dims(amap)
    if dims is None:
        raise TilefuseError(f"thread-distribute: indexing map {amap} is not a projected permutation")
    return dims


def _defined_inside(value: ir.Value, ancestor) -> bool:
    """Whether `value` is a result or block argument of an op nested in `ancestor` (its own block args count)."""
    owner = value.owner
    op = owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else owner.owner
    while op is not None:
        if op == ancestor.operation:
            return True
        op = op.parent
    return False


def _is_tensor(v: ir.Value) -> bool:
    return isinstance(v.type, ir.RankedTensorType)


def _mma_kind(op) -> ir.Attribute | None:
    if op.name != "linalg.generic" or "lowering_config" not in op.attributes:
        return None
    config = op.attributes["lowering_config"]
    return iree_gpu.LoweringConfigAttr(config).mma_kind if iree_gpu.LoweringConfigAttr.isinstance(config) else None


def _iterators(op) -> list[str]:
    return [str(a).split("<")[-1].rstrip(">") for a in ir.ArrayAttr(op.attributes["iterator_types"])]


def _loop_sizes(op) -> list[int]:
    sizes: dict[int, int] = {}
    for v, amap in zip(op.operands, indexing_maps(op)):
        for j, d in enumerate(_dims(amap)):
            sizes[d] = b.shape(v)[j]
    return [sizes[d] for d in range(len(sizes))]


def _uses(value: ir.Value) -> list:
    return [(u.owner.operation if hasattr(u.owner, "operation") else u.owner, u.operand_number) for u in value.uses]


def _arg_number(value: ir.Value, block) -> int | None:
    return next((i for i, a in enumerate(block.arguments) if a == value), None)


def _layout_change(what: str, one: str, other: str):
    raise TilefuseError(
        f"thread-distribute: {what} is needed in two lane layouts ({one} vs {other}); a layout change through "
        "workgroup memory is not built: choose intrinsics whose QK accumulator layout is the PV operand layout")


def _groups_of_three(rank: int) -> list[list[int]]:
    return [[3 * j, 3 * j + 1, 3 * j + 2] for j in range(rank)]


class _Contraction:
    """A matmul generic's roles (b, m, n, k per loop dim) and the lane layout of each operand."""

    def __init__(self, op, kind: ir.Attribute):
        self.op, self.kind = op, kind
        if promoted_operands(op) not in ([], [1]):
            raise TilefuseError("thread-distribute: promote_operands other than [1] (the RHS: K, V, which the "
                                "share-kv stage stages in workgroup memory): a lane's LHS or accumulator fragment is "
                                "its own; use --path tilefuse-vd")
        lhs, rhs, out = (set(_dims(m)) for m in indexing_maps(op))
        self.sizes = _loop_sizes(op)
        self.roles = {d: ("b" if d in lhs & rhs & out else "m" if d in lhs & out else
                          "n" if d in rhs & out else "k" if d in lhs & rhs else None) for d in range(len(self.sizes))}
        if sorted(r for r in self.roles.values() if r != "b") != ["k", "m", "n"]:
            raise TilefuseError(f"thread-distribute: {op.name} with maps {indexing_maps(op)} is not a single m/n/k matmul")
        self.tiles = matmul_roles(kind)

    def _operand_dims(self, which: str) -> list[int]:
        return _dims(indexing_maps(self.op)[("lhs", "rhs", "acc").index(which)])

    def operand_layout(self, which: str) -> Layout:
        out = []
        for d in self._operand_dims(which):
            role, size = self.roles[d], self.sizes[d]
            if role == "b":
                out.append(replicated(size))
                continue
            tile = self.tiles[which][role]
            if size % tile.size:
                raise TilefuseError(f"thread-distribute: matmul dim of size {size} is not a multiple of the "
                                    f"{tile.size} of {self.kind}")
            out.append(tile.repeated(size // tile.size))
        return tuple(out)

    def inner_split(self, which: str) -> tuple[list[int], list[int]]:
        """The operand's fragment as (tiles, intrinsic fragment) per tensor dim (tiles only for batch dims), and
        the permutation putting the tiles first, then the intrinsic fragment dims in inner_tiled's role order."""
        split, positions, roles = [], [], []
        for d in self._operand_dims(which):
            role = self.roles[d]
            roles.append(role)
            if role == "b":
                positions.append((len(split), None))
                split.append(self.sizes[d])
            else:
                tile = self.tiles[which][role]
                positions.append((len(split), len(split) + 1))
                split += [self.sizes[d] // tile.size, tile.fragment]
        perm = [p[0] for p in positions] + [positions[roles.index(r)][1] for r in INNER_ROLES[which]]
        return split, perm


class _Subgroup:
    """One subgroup forall: infer every tensor's lane layout, then rewrite its body into a lane forall."""

    def __init__(self, warp, lanes: int):
        self.warp, self.lanes = warp, lanes
        self.layouts: dict[ir.Value, Layout] = {}
        self.contractions: list[_Contraction] = []
        self.coords: dict[tuple[int, int], ir.Value] = {}
        self.dead: list = []

    # ---- layouts -------------------------------------------------------------------------------------
    def _assign(self, value: ir.Value, layout: Layout, where) -> bool:
        if not _is_tensor(value):
            return False
        if [l.size for l in layout] != b.shape(value):
            raise TilefuseError(f"thread-distribute: layout {layout} does not fit {value.type} at {where.name}")
        old = self.layouts.get(value)
        if old is None:
            self.layouts[value] = layout
            return True
        if old != layout:
            _layout_change(f"{value.type} at {where.name}", ", ".join(map(str, old)), ", ".join(map(str, layout)))
        return False

    def _infer_layouts(self, ops) -> None:
        for op in ops:
            kind = _mma_kind(op)
            if kind is not None:
                c = _Contraction(op, kind)
                op.attributes[MATMUL_TAG] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), len(self.contractions))
                self.contractions.append(c)
                for i, which in enumerate(("lhs", "rhs", "acc")):
                    self._assign(op.operands[i], c.operand_layout(which), op)
                self._assign(op.results[0], c.operand_layout("acc"), op)
        changed = True
        while changed:
            changed = False
            for op in ops:
                changed |= self._propagate(op)
        for op in ops:
            for v in op.results:
                if _is_tensor(v) and v not in self.layouts:
                    raise TilefuseError(f"thread-distribute: no lane layout reaches the {v.type} of {op.name}")

    def _propagate(self, op) -> bool:
        if op.name == "linalg.generic" and MATMUL_TAG not in op.attributes:
            maps = indexing_maps(op)
            values = list(op.operands) + list(op.results)
            vmaps = maps + maps[len(op.operands) - len(op.results):]
            loop: dict[int, DimLayout] = {}
            for v, amap in zip(values, vmaps):
                for d, l in zip(_dims(amap), self.layouts.get(v, ())):
                    if loop.setdefault(d, l) != l:
                        _layout_change(f"a dim of {op.name}", str(loop[d]), str(l))
            for d, size in enumerate(_loop_sizes(op)):
                if d not in loop and size == 1:
                    loop[d] = replicated(1)
            changed = False
            for v, amap in zip(values, vmaps):
                if _is_tensor(v) and all(d in loop for d in _dims(amap)):
                    changed |= self._assign(v, tuple(loop[d] for d in _dims(amap)), op)
            return changed
        if op.name == "linalg.fill":
            return self._unify([op.operands[1], op.results[0]], op)
        if op.name == "scf.for":
            body = op.regions[0].blocks[0]
            yielded = list(body.operations)[-1].operands
            return any([self._unify([op.operands[3 + i], body.arguments[1 + i], res, yielded[i]], op)
                        for i, res in enumerate(op.results)])
        return False

    def _unify(self, values, op) -> bool:
        known = [self.layouts[v] for v in values if v in self.layouts]
        return bool(known) and any([self._assign(v, known[0], op) for v in values])

    # ---- lane fragments ---------------------------------------------------------------------------------
    def _frag_shape(self, value: ir.Value) -> list[int]:
        return [l.fragment for l in self.layouts[value]]

    def _coord(self, l: DimLayout) -> ir.Value:
        """The lane's coordinate along a dimension: (lane floordiv tstride) mod thread, one per lane forall."""
        key = (l.thread, l.tstride)
        if key not in self.coords:
            amap = ir.AffineMap.get(1, 0, [ir.AffineExpr.get_mod(
                ir.AffineExpr.get_floor_div(ir.AffineDimExpr.get(0), l.tstride), l.thread)])
            with ir.InsertionPoint.at_block_begin(self.lane_body):
                self.coords[key] = ir.Operation.create("affine.apply", [ir.IndexType.get()], [self.lane],
                                                       {"map": ir.AffineMapAttr.get(amap)}).result
        return self.coords[key]

    def _window(self, expanded: ir.Value, layout: Layout):
        """The lane's window (outer, 1, element per dim) of a tensor expanded to (outer, thread, element)."""
        dyn, offs, sizes = [], [], []
        for l in layout:
            if l.distributed:
                dyn.append(self._coord(l))
            offs += [0, DYNAMIC if l.distributed else 0, 0]
            sizes += [l.outer, 1, l.element]
        return dyn, offs, sizes

    def _fragment_of_window(self, expanded: ir.Value, layout: Layout) -> ir.Value:
        """The lane's window as a fragment tensor (outer * element per dim); the elements move as one vector."""
        dyn, offs, sizes = self._window(expanded, layout)
        frag = [l.fragment for l in layout]
        v = b.shape_cast(b.read(b.extract_slice(expanded, dyn, offs, sizes)), frag)
        return b.write(v, tensor.EmptyOp(frag, b.element_type(expanded)).result)

    @staticmethod
    def _expanded(value: ir.Value, layout: Layout) -> ir.Value:
        return b.expand_shape(value, _groups_of_three(len(layout)),
                              [x for l in layout for x in (l.outer, l.thread, l.element)])

    # ---- the rewrite ----------------------------------------------------------------------------------
    def distribute(self) -> None:
        body = self.warp.regions[0].blocks[0]
        self._undo_one_iteration_folds(body)
        ops = [op.operation for op in body.operations]
        terminator = ops[-1]
        inserts = [o.operation for o in terminator.regions[0].blocks[0].operations]
        if len(inserts) != 1 or inserts[0].name != "tensor.parallel_insert_slice":
            raise TilefuseError("thread-distribute: the subgroup forall must write one tile")
        (insert,) = inserts
        self._infer_layouts([o for top in ops[:-1] for o in walk(top)])
        result = insert.operands[0]
        if result not in self.layouts:
            raise TilefuseError("thread-distribute: the subgroup's result has no lane layout")
        layout = self.layouts[result]

        # The subgroup's output tile, expanded to (outer, thread, element) per dim, is the lane forall's shared
        # output; each lane inserts its window, and the subgroup forall inserts the collapsed tile as before.
        offsets = list(insert.operands)[2:]
        keep_outside = self._defining_ops(offsets, ops[:-1])
        with ir.InsertionPoint(terminator):
            tile = ir.Operation.create(
                "tensor.extract_slice", [result.type], [insert.operands[1]] + offsets,
                {**{k: insert.attributes[k] for k in ("static_offsets", "static_sizes", "static_strides")},
                 "operandSegmentSizes": ir.DenseI32ArrayAttr.get(
                     [1] + list(ir.DenseI32ArrayAttr(insert.attributes["operandSegmentSizes"]))[2:])}).result
            tile_x = self._expanded(tile, layout)
            lane_forall = ir.Operation.create(
                "scf.forall", [tile_x.type], [tile_x],
                {"staticLowerBound": ir.DenseI64ArrayAttr.get([0]),
                 "staticUpperBound": ir.DenseI64ArrayAttr.get([self.lanes]),
                 "staticStep": ir.DenseI64ArrayAttr.get([1]),
                 "operandSegmentSizes": ir.DenseI32ArrayAttr.get([0, 0, 0, 1]),
                 "mapping": ir.ArrayAttr.get([ir.Attribute.parse("#iree_gpu.lane_id<0>")]),
                 "tilefuse.p_operand": ir.StringAttr.get("registers")},
                regions=1)
            collapsed = b.collapse_shape(lane_forall.result, _groups_of_three(len(layout)), b.shape(result))
        self.lane_body = lane_forall.regions[0].blocks.append(ir.IndexType.get(), tile_x.type)
        self.lane, shared = self.lane_body.arguments
        in_parallel = ir.Operation.create("scf.forall.in_parallel", [], [], regions=1)
        self.lane_body.append(in_parallel)
        in_parallel.regions[0].blocks.append()
        for op in ops[:-1]:
            if not any(op == k for k in keep_outside):
                op.move_before(in_parallel)

        self._rewrite(shared)
        with ir.InsertionPoint(in_parallel):
            dyn, offs, sizes = self._window(shared, layout)
            window = b.write(b.shape_cast(b.read(self.replacement.get(result, result)), sizes),
                             b.extract_slice(shared, dyn, offs, sizes))
        with ir.InsertionPoint(in_parallel.regions[0].blocks[0]):
            b.parallel_insert_slice(window, shared, dyn, offs, sizes)
        insert.operands[0] = collapsed
        for op in reversed(self.dead):
            op.erase()

    def _undo_one_iteration_folds(self, body) -> None:
        """Loops of one iteration reach this stage folded: a tensor.empty hoisted out of the subgroup forall,
        and tiles used whole, without a slice (the subgroup's output tile; a K/V/mask tile when K2 is one
        reduction tile). Both get back the form the rewrite expects: an empty inside (its users become
        fragments, the outside one stays whole) and an explicit whole-tile slice, entered like any other."""
        first = list(body.operations)[0]
        insert = list(list(body.operations)[-1].regions[0].blocks[0].operations)[0]
        whole: dict[ir.Value, ir.Value] = {}
        own_args = list(body.arguments)
        for op in list(walk(self.warp))[1:]:
            if op == insert.operation or op.name == "tensor.extract_slice":
                continue
            for i, v in enumerate(op.operands):
                if not _is_tensor(v) or (_defined_inside(v, self.warp) and not any(v == a for a in own_args)):
                    continue
                owner = v.owner
                if isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == "tensor.empty" and not owner.operands:
                    op.operands[i] = owner.operation.clone(ir.InsertionPoint(first)).result
                    continue
                if v not in whole:
                    with ir.InsertionPoint(first):
                        whole[v] = b.extract_slice(v, [], [0] * len(b.shape(v)), b.shape(v))
                op.operands[i] = whole[v]

    @staticmethod
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

    def _rewrite(self, shared: ir.Value) -> None:
        """Retypes every op of the subgroup's code onto lane fragments, in program order."""
        self.replacement: dict[ir.Value, ir.Value] = {}
        shared_outs = list(self.warp.regions[0].blocks[0].arguments)
        for op in [o for top in list(self.lane_body.operations)[:-1] for o in walk(top)]:
            name = op.name
            if name == "tensor.extract_slice" and op.result in self.layouts:
                if any(op.operands[0] == a for a in shared_outs):
                    self._enter_output(op, shared)
                else:
                    self._enter(op)
            elif name == "tensor.empty" and op.result in self.layouts:
                with ir.InsertionPoint(op):
                    new = tensor.EmptyOp(self._frag_shape(op.result), b.element_type(op.result)).result
                self._replace(op.result, new, op)
            elif name == "linalg.fill":
                op.results[0].set_type(self._frag_type(op.results[0]))
            elif name == "linalg.generic" and MATMUL_TAG in op.attributes:
                self._contraction(op)
            elif name == "linalg.generic":
                self._generic(op)
            elif name == "scf.for":
                body = op.regions[0].blocks[0]
                for i, res in enumerate(op.results):
                    res.set_type(self._frag_type(res))
                    body.arguments[1 + i].set_type(self._frag_type(body.arguments[1 + i]))
            elif name != "scf.yield" and any(_is_tensor(v) for v in op.results):
                raise TilefuseError(f"thread-distribute: no lane rule for {name}")

    def _frag_type(self, value: ir.Value) -> ir.Type:
        return ir.RankedTensorType.get(self._frag_shape(value), b.element_type(value))

    def _replace(self, old: ir.Value, new: ir.Value, op) -> None:
        old.replace_all_uses_with(new)
        self._redirect([], old, new)
        self.dead.append(op)

    def _redirect(self, uses, old: ir.Value, new: ir.Value) -> None:
        """Points the recorded uses of `old` (taken before `new` was built from it) at `new`."""
        for owner, number in uses:
            owner.operands[number] = new
        self.replacement[old] = new
        self.layouts[new] = self.layouts[old]

    def _enter(self, op) -> None:
        """A subgroup tile read from outside (Q, K, V, a mask): the lane takes its fragment of it."""
        uses = _uses(op.result)
        layout = self.layouts[op.result]
        with ir.InsertionPoint.after(op):
            frag = self._fragment_of_window(self._expanded(op.result, layout), layout)
        self._redirect(uses, op.result, frag)

    def _enter_output(self, op, shared: ir.Value) -> None:
        """The output tile's slice inside the subgroup: the lane's window of the lane forall's output."""
        with ir.InsertionPoint(op):
            frag = self._fragment_of_window(shared, self.layouts[op.result])
        self._replace(op.result, frag, op)

    def _generic(self, op) -> None:
        if any(inner.name == "linalg.index" for inner in walk(op)):
            raise TilefuseError("thread-distribute: linalg.index in a generic: fragment positions are not "
                                "tile positions (not built)")
        for r in op.results:
            r.set_type(self._frag_type(r))
        loop = {}
        for v, amap in zip(op.operands, indexing_maps(op)):
            loop.update(zip(_dims(amap), self.layouts.get(v, ())))
        spread = [d for d, it in enumerate(_iterators(op))
                  if it == "reduction" and loop.get(d, replicated(1)).distributed]
        if not spread:
            return
        if len(spread) != 1 or len(op.results) != 1:
            raise TilefuseError("thread-distribute: a reduction over more than one lane-distributed dim")
        self._cross_lane(op, len(op.operands) - 1, loop[spread[0]])

    def _cross_lane(self, op, n_in: int, lanes_dim: DimLayout) -> None:
        """Partial reduction per lane from the identity, subgroup_reduce across the lanes of the reduced dim,
        then combination with the reduction's initial value (so it counts once, not once per lane)."""
        block = op.regions[0].blocks[0]
        combiner = list(block.operations)[-1].operands[0].owner.operation
        if combiner.name not in REDUCTIONS or sorted(_arg_number(o, block) for o in combiner.operands) != [0, n_in]:
            raise TilefuseError(f"thread-distribute: reduction body {combiner.name} has no cross-lane form")
        kind, identity = REDUCTIONS[combiner.name]
        init, result = op.operands[n_in], op.results[0]
        uses = _uses(result)
        frag, elem = b.shape(result), b.element_type(result)
        with ir.InsertionPoint(op):
            op.operands[n_in] = linalg.fill(b.constant(elem, float(identity)),
                                            outs=[tensor.EmptyOp(frag, elem).result])
        i32 = ir.IntegerType.get_signless(32)
        attrs = {"op": ir.Attribute.parse(f"#gpu.all_reduce_op<{kind}>"),
                 "cluster_size": ir.IntegerAttr.get(i32, lanes_dim.thread),
                 "cluster_stride": ir.IntegerAttr.get(i32, lanes_dim.tstride)}
        with ir.InsertionPoint.after(op):
            partial = b.shape_cast(b.read(result), [math.prod(frag)])
            # one reduction per row element: NVVM lowers subgroup_reduce of scalars only
            rows = [ir.Operation.create("gpu.subgroup_reduce", [elem], [b.extract(partial, i)], attrs).result
                    for i in range(math.prod(frag))]
            reduced = b.shape_cast(b.from_elements(rows, partial.type), frag)
            combined = ir.Operation.create(combiner.name, [reduced.type], [reduced, b.read(init)]).result
            written = b.write(combined, tensor.EmptyOp(frag, elem).result)
        self._redirect(uses, result, written)

    def _contraction(self, op) -> None:
        """A matmul on fragments: each fragment as a vector reshaped to (tiles..., intrinsic fragment), the
        intrinsic called through a distributed iree_codegen.inner_tiled, the result written back into the
        accumulator's fragment (so the K2 loop carries it in place)."""
        c = self.contractions[ir.IntegerAttr(op.attributes[MATMUL_TAG]).value]
        with ir.InsertionPoint(op):
            operands = []
            for i, which in enumerate(("lhs", "rhs", "acc")):
                split, perm = c.inner_split(which)
                operands.append(b.transpose(b.shape_cast(b.read(op.operands[i]), split), perm))
            inner = ir.Operation.create("iree_codegen.inner_tiled", [operands[2].type], operands, {
                "indexing_maps": op.attributes["indexing_maps"],
                "iterator_types": ir.ArrayAttr.get([ir.Attribute.parse(f"#linalg.iterator_type<{it}>")
                                                    for it in _iterators(op)]),
                "kind": c.kind,
                "semantics": ir.Attribute.parse("#iree_gpu.mma_semantics<distributed = true, opaque = true>"),
                "operandSegmentSizes": ir.DenseI32ArrayAttr.get([2, 1]),
                "lowering_config": op.attributes["lowering_config"]}).result
            _, perm = c.inner_split("acc")
            back = b.shape_cast(b.transpose(inner, [perm.index(i) for i in range(len(perm))]), b.shape(op.operands[2]))
            result = b.write(back, op.operands[2])
        self._replace(op.results[0], result, op)
