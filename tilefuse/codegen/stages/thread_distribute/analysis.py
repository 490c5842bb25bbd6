"""The layout analysis of one subgroup forall: which lane layout (tilefuse/ir/lane_layout.py, one DimLayout per dim)
every tensor value of its code has. Pure: it reads the IR and returns a mapping, the rewrites change the IR.

Layouts are seeded by the matmuls (IREE's layouts for each one's mma_kind): first their accumulators and results,
propagated through the softmax ops (generics dimension by dimension through their indexing maps, fills, the K2
loop's carried values) to a fixed point; then the LHS/RHS operands each matmul needs, propagated the same way. An
operand that already has another layout gets a layout change (layout_change.py) where one is built; any other
value needed in two layouts is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from ....errors import TilefuseError
from ....ir.paged import GATHER
from ....ir.irutil import indexing_maps, iterator_types, projected_dims, promoted_operands
from ....ir.lane_layout import INNER_ROLES, DimLayout, Layout, key_order, matmul_roles, replicated
from .layout_change import changed_dim

OPERANDS = ("lhs", "rhs", "acc")


def dims(amap: ir.AffineMap) -> list[int]:
    found = projected_dims(amap)
    if found is None:
        raise TilefuseError(f"thread-distribute: indexing map {amap} is not a projected permutation")
    return found


def is_tensor(v: ir.Value) -> bool:
    return isinstance(v.type, ir.RankedTensorType)


def tensor_shape(v: ir.Value) -> list[int]:
    return list(v.type.shape)


def mma_kind(op) -> ir.Attribute | None:
    if op.name != "linalg.generic" or "lowering_config" not in op.attributes:
        return None
    config = op.attributes["lowering_config"]
    return iree_gpu.LoweringConfigAttr(config).mma_kind if iree_gpu.LoweringConfigAttr.isinstance(config) else None


def loop_sizes(op) -> list[int]:
    sizes: dict[int, int] = {}
    for v, amap in zip(op.operands, indexing_maps(op)):
        for j, d in enumerate(dims(amap)):
            sizes[d] = tensor_shape(v)[j]
    return [sizes[d] for d in range(len(sizes))]


def refuse_two_layouts(what: str, one: str, other: str):
    raise TilefuseError(
        f"thread-distribute: {what} is needed in two lane layouts ({one} vs {other}); a layout change through "
        "workgroup memory is not built (lane shuffles gather one dim split over two lanes only): choose intrinsics "
        "whose QK accumulator layout is the PV operand layout")


class Contraction:
    """A matmul generic's roles (b, m, n, k per loop dim) and the lane layout of each operand."""

    def __init__(self, op, kind: ir.Attribute):
        self.op, self.kind = op, kind
        if promoted_operands(op) not in ([], [1]):
            raise TilefuseError("thread-distribute: promote_operands other than [1] (the RHS: K, V, which the "
                                "share-kv stage stages in workgroup memory): a lane's LHS or accumulator fragment is "
                                "its own; use --path tilefuse-vd")
        lhs, rhs, out = (set(dims(m)) for m in indexing_maps(op))
        self.sizes = loop_sizes(op)
        # A unit dim that not every operand has (a split dispatch's split, which Q lacks) is a batch dim too.
        self.roles = {d: ("b" if d in lhs & rhs & out or self.sizes[d] == 1 else "m" if d in lhs & out else
                          "n" if d in rhs & out else "k" if d in lhs & rhs else None) for d in range(len(self.sizes))}
        if sorted(r for r in self.roles.values() if r != "b") != ["k", "m", "n"]:
            raise TilefuseError(f"thread-distribute: {op.name} with maps {indexing_maps(op)} is not a single m/n/k matmul")
        self.tiles = matmul_roles(kind)
        self.k_layout: DimLayout | None = None  # both operands' K, where read in the LHS's order (read_keys_as)

    def _operand_dims(self, which: str) -> list[int]:
        return dims(indexing_maps(self.op)[OPERANDS.index(which)])

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
            out.append(self.k_layout if role == "k" and self.k_layout else tile.repeated(size // tile.size))
        return tuple(out)

    def read_keys_as(self, lhs: Layout) -> None:
        """Where the LHS already lies in `lhs` (P, QK's accumulator) with its K in other register slots than the
        intrinsic's own but in the same lanes, both operands take K in that order (`lane_layout.key_order`: a
        relabeling of the reduction, so the product is the same; V's keys are read permuted alike)."""
        dims = self._operand_dims("lhs")
        k = next(j for j, d in enumerate(dims) if self.roles[d] == "k")
        tile = self.tiles["lhs"]["k"]
        have, repeats = lhs[k], self.sizes[dims[k]] // tile.size
        if not repeats or have.size != self.sizes[dims[k]]:
            return  # not whole intrinsic tiles: operand_layout says so
        order = key_order(have, tile, self.tiles["rhs"]["k"])
        if order is not None and order != tile.repeated(repeats):
            self.k_layout = order

    def inner_split(self, which: str) -> tuple[list[int], list[int]]:
        """The operand's fragment as (tiles, intrinsic fragment) per tensor dim (tiles only for batch dims), and
        the permutation putting the tiles first, then the intrinsic fragment dims in inner_tiled's role order. (A K
        read in the LHS's order, `k_layout`, has the same thread count as the intrinsic's: each intrinsic step
        takes the next `fragment` slots of a lane's keys.)"""
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


@dataclass
class LaneLayouts:
    """What the rewrites need to know about one subgroup forall's code."""

    layouts: dict[ir.Value, Layout] = field(default_factory=dict)  # every tensor value's lane layout
    contractions: dict[ir.Value, Contraction] = field(default_factory=dict)  # by the matmul's result
    # a generic's result reduced over a lane-distributed dim -> that dim's layout (the lanes to combine)
    lane_reductions: dict[ir.Value, DimLayout] = field(default_factory=dict)
    # (a matmul's result, operand number) -> the layout the matmul needs that operand in, where it differs
    changes: dict[tuple[ir.Value, int], Layout] = field(default_factory=dict)


def infer_layouts(ops: list) -> LaneLayouts:
    """The layouts of the tensors `ops` (every op of a subgroup forall's code, nested ones included) define."""
    found = LaneLayouts()
    solver = _Solver(found.layouts, found.contractions)
    for op in ops:
        kind = mma_kind(op)
        if kind is not None:
            found.contractions[op.results[0]] = Contraction(op, kind)
    for c in found.contractions.values():
        solver.assign(c.op.operands[2], c.operand_layout("acc"), c.op)
        solver.assign(c.op.results[0], c.operand_layout("acc"), c.op)
    solver.fixed_point(ops)
    for c in found.contractions.values():
        if c.op.operands[0] in found.layouts:
            c.read_keys_as(found.layouts[c.op.operands[0]])
        for i, which in enumerate(OPERANDS[:2]):
            needed, value = c.operand_layout(which), c.op.operands[i]
            old = found.layouts.get(value)
            if old is not None and old != needed and changed_dim(old, needed) is not None:
                found.changes[(c.op.results[0], i)] = needed
            else:
                solver.assign(value, needed, c.op)
    solver.fixed_point(ops)
    for op in ops:
        for v in op.results:
            if is_tensor(v) and v not in found.layouts and not padded_whole(v) and not read_whole(v) \
                    and not collapsed_whole(v):
                raise TilefuseError(f"thread-distribute: no lane layout reaches the {v.type} of {op.name}")
        if op.name == "linalg.generic" and op.results[0] not in found.contractions:
            _find_lane_reduction(op, found)
    return found


def read_whole(value: ir.Value) -> bool:
    """A slice read from outside that the lanes take no fragment of, whose uses read it further: slices of it and
    scalar extracts (a paged K/V's pool and page table, of which the K2 loop reads a page id and slices a page), its
    sizes, and pads read by gathers only (k2-tail's pad of a partial step's page table slice: the gathers' table), or
    one expand inserting unit dims (a page given the dispatch's batch and split dims), whose result is the tile
    unless it is read further too (a page id's slice of a run-time page table given the dispatch's batch dim)."""
    users = [u.owner for u in value.uses]
    further = bool(users) and all(u.operands[0] == value and (
        u.name in ("tensor.extract_slice", "tensor.extract", "tensor.dim")
        or u.name == "tensor.pad" and collapsed_whole(u.results[0]))  # k2-tail's pad of a step's page table slice
        for u in users)
    if value.owner.name == "tensor.expand_shape":
        return further and _inserts_unit_dims(value.owner) and read_whole(value.owner.operands[0])
    if value.owner.name != "tensor.extract_slice" or not users:
        return False
    if len(users) == 1 and users[0].name == "tensor.expand_shape":
        return _inserts_unit_dims(users[0])
    return further


def collapsed_whole(value: ir.Value) -> bool:
    """A value the lanes take no fragment of because the tile is a collapse of it (page-step's several pages a
    K2 step: the collapse's source is the pages' gather or a mask's slice, which the lane reads its fragment of
    through: LaneRewriter.fragment_of_collapsed), or a gather's operand (its pool, page table or init)."""
    users = [u.owner for u in value.uses]
    return bool(users) and (all(u.name == "tensor.collapse_shape" for u in users)
                            or all(u.name == GATHER for u in users))


def padded_whole(value: ir.Value) -> bool:
    """A run-time-sized tile read only by tensor.pad (k2-tail's last K2 tile): the pad is the tile the lanes take
    their fragments of, this stays whole."""
    return bool(list(value.uses)) and all(u.owner.name == "tensor.pad" for u in value.uses)


def _find_lane_reduction(op, found: LaneLayouts) -> None:
    loop = {}
    for v, amap in zip(op.operands, indexing_maps(op)):
        loop.update(zip(dims(amap), found.layouts.get(v, ())))
    spread = [d for d, it in enumerate(iterator_types(op))
              if it == "reduction" and loop.get(d, replicated(1)).distributed]
    if not spread:
        return
    if len(spread) != 1 or len(op.results) != 1:
        raise TilefuseError("thread-distribute: a reduction over more than one lane-distributed dim")
    found.lane_reductions[op.results[0]] = loop[spread[0]]


class _Solver:
    """Unification of layouts: a value has one layout; each propagation rule below says which values share
    which dims."""

    def __init__(self, layouts: dict, contractions: dict):
        self.layouts, self.contractions = layouts, contractions
        self.rules = {"linalg.generic": self._through_generic, "linalg.fill": self._through_fill,
                      "scf.for": self._through_loop}

    def assign(self, value: ir.Value, layout: Layout, where) -> bool:
        if not is_tensor(value):
            return False
        if [l.size for l in layout] != tensor_shape(value):
            raise TilefuseError(f"thread-distribute: layout {layout} does not fit {value.type} at {where.name}")
        old = self.layouts.get(value)
        if old is None:
            self.layouts[value] = layout
            return True
        if old != layout:
            refuse_two_layouts(f"{value.type} at {where.name}", ", ".join(map(str, old)), ", ".join(map(str, layout)))
        return False

    def fixed_point(self, ops) -> None:
        changed = True
        while changed:
            changed = False
            for op in ops:
                rule = self.rules.get(op.name)
                if rule is not None:
                    changed |= rule(op)

    def _unify(self, values, op) -> bool:
        known = [self.layouts[v] for v in values if v in self.layouts]
        return bool(known) and any([self.assign(v, known[0], op) for v in values])

    def _through_generic(self, op) -> bool:
        """Elementwise ops, broadcasts and reductions: each loop dim has one layout in every operand."""
        if op.results[0] in self.contractions:
            return False
        maps = indexing_maps(op)
        values = list(op.operands) + list(op.results)
        vmaps = maps + maps[len(op.operands) - len(op.results):]
        loop: dict[int, DimLayout] = {}
        for v, amap in zip(values, vmaps):
            for d, l in zip(dims(amap), self.layouts.get(v, ())):
                if loop.setdefault(d, l) != l:
                    refuse_two_layouts(f"a dim of {op.name}", str(loop[d]), str(l))
        for d, size in enumerate(loop_sizes(op)):
            if d not in loop and size == 1:
                loop[d] = replicated(1)
        changed = False
        for v, amap in zip(values, vmaps):
            if is_tensor(v) and all(d in loop for d in dims(amap)):
                changed |= self.assign(v, tuple(loop[d] for d in dims(amap)), op)
        return changed

    def _through_fill(self, op) -> bool:
        return self._unify([op.operands[1], op.results[0]], op)

    def _through_loop(self, op) -> bool:
        """A carried value: init, iter arg, yielded value and result."""
        body = op.regions[0].blocks[0]
        yielded = list(body.operations)[-1].operands
        return any([self._unify([op.operands[3 + i], body.arguments[1 + i], res, yielded[i]], op)
                    for i, res in enumerate(op.results)])


def _inserts_unit_dims(op) -> bool:
    """A tensor.expand_shape whose groups each hold at most one dim that is not a unit dim."""
    shape = tensor_shape(op.results[0])
    return all(sum(shape[ir.IntegerAttr(d).value] != 1 for d in group) <= 1
               for group in ir.ArrayAttr(op.attributes["reassociation"]))
