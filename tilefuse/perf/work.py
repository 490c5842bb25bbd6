"""What a dispatch computes and moves, read from its IR with the typed APIs: the inputs of the estimate.

Bytes are the dispatch's tensor loads and stores (`iree_tensor_ext.dispatch.tensor.load/store`, each tensor
once: what the dispatch must move at least; re-reads that the caches serve are not counted; of a paged KV cache's
pool, the pages its gathers read). For an attention dispatch, the iteration space by role comes from
IREE's attention-map analysis on the configured `online_attention` op (ir/attention.py) and the tiles
from its `#iree_gpu.lowering_config`: the workgroup tiles (0: the whole dim) and the keys one iteration of the
workgroup's K2 loop covers (`reduction`, or stock's `partial_reduction`, which its subgroups split).

A dispatch with run-time sizes has its work at one launch: `shapes`, every shaped value's shapes at the sizes the
host passes (interp/shapes.py), in place of the types' `?`; without them its work is not known before the launch.
split-k2 of a run-time K2 (codegen/split_ranges.py) runs the attention once per range of keys inside a forall
mapped to workgroups: each range is its own workgroups, its K2 loop as long as its own range (one past the end runs
none), and its slice of the cache is loaded once (the bytes: the live keys).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from ..ir import irutil
from ..codegen.config import CAUSAL_OFFSET, CAUSAL_PERIOD, CAUSAL_WINDOW, K2_SPLIT_PLACE, SUBGROUPS
from ..codegen.split_ranges import range_splits
from ..ir.attention import AttentionShape, attention_shape
from ..errors import NotInterpretable, Unsupported
from ..ir.facts import ONLINE_ATTENTION
from ..ir.paged import GATHER

# The executable as the front end forms it has dispatch tensors; IREE's dump of its configured executable
# (plain iree-compile) already has buffers. Both carry the tensor as result 0 / operand 0.
_LOADS = ("iree_tensor_ext.dispatch.tensor.load", "iree_codegen.load_from_buffer")
_STORES = ("iree_tensor_ext.dispatch.tensor.store", "iree_codegen.store_to_buffer")


@dataclass(frozen=True)
class AttentionWork:
    # Sizes per role (the product over the role's dims) of the dispatch's iteration space, as IREE sees it
    # (after any padding of the program), and the workgroup tile per role.
    batch: int
    m: int
    k1: int
    k2: int
    n: int
    tile_batch: int
    tile_m: int
    tile_n: int
    k2_step: int  # keys per iteration of a workgroup's K2 loop
    element_bytes: int  # of K and V as the loop loads them (an fp8 cache widened in registers: 1)
    workgroups_from_tiles: int  # the grid the tiles give (checked against the launch IREE issues)
    # The config's causal offset (AttentionTiling.causal): a workgroup's K2 loop ends at the tile holding its
    # last row's diagonal key (the causal-bound stage), so workgroups visit different numbers of tiles.
    causal: int | None = None
    causal_period: int | None = None  # heads packed into the rows: a workgroup's first row within its head
    # A band's window (AttentionTiling.causal_window): the loop also starts at the tile holding the first row's
    # first key.
    causal_window: int | None = None
    mma_element_bytes: int = 2  # of the MMA operands (Q's type): 1 runs the machine's fp8 rate, 4 its f32 one
    # K1 as the kernel computes it where that is not the launch's K1: a run-time K1 padded in the kernel to its
    # bound (ir.attention.RUN_TIME_HEAD, the m-tail stage); 0: k1
    k1_tile: int = 0
    # The keys of each range of split-k2's forall over a run-time K2 (their sum is k2), each range its own
    # workgroups (counted in workgroups_from_tiles); (): one K2 loop over all k2 keys
    ranges: tuple[int, ...] = ()
    # Splits one workgroup's subgroups run side by side, each over its own keys, combined in the workgroup
    # (k2_split_place SUBGROUPS: the split dims' workgroup tile); 1: the workgroup's subgroups share its keys
    split_subgroups: int = 1

    @property
    def k1_issued(self) -> int:
        return self.k1_tile or self.k1

    def _whole_steps(self, keys: int) -> int:
        return -(-keys // self.k2_step) * self.k2_step

    def keys_visited(self, row0: int) -> int:
        """Keys the K2 loop of the workgroup whose first query row is `row0` visits (whole tiles); of a split into
        ranges, the longest range's."""
        keys = self._whole_steps(max(self.ranges or (self.k2,)))
        if self.causal is None:
            return keys
        row = row0 % self.causal_period if self.causal_period else row0
        end = max(0, min(keys, -(-(row + self.tile_m + self.causal) // self.k2_step) * self.k2_step))
        if self.causal_window is None:
            return end
        start = max(0, (row + self.causal - self.causal_window + 1) // self.k2_step * self.k2_step)
        return max(0, end - start)

    @property
    def keys_per_workgroup(self) -> float:
        """The mean over the workgroups' query tiles (and ranges) of the keys their loops visit."""
        if self.ranges:  # (no causal bound: split-k2 splits no causal attention's keys)
            return sum(self._whole_steps(r) for r in self.ranges) / len(self.ranges)
        rows = range(0, self.m, self.tile_m)
        return sum(self.keys_visited(r) for r in rows) / len(rows)

    @property
    def iterations(self) -> float:
        """K2 loop iterations of a workgroup (the mean under a causal bound or over ranges)."""
        iterations = self.keys_per_workgroup / self.k2_step
        return int(iterations) if self.causal is None and not self.ranges else iterations

    @property
    def max_iterations(self) -> int:
        """K2 loop iterations of the workgroup with the longest loop (under a causal bound: the last rows'; of
        ranges: the longest range's, ceil(its keys / step))."""
        return max(self.keys_visited(r) for r in range(0, self.m, self.tile_m)) // self.k2_step

    @property
    def flops(self) -> int:
        """The dispatch's iteration space, every (query, key) pair: 2·M·K2·K1 (QK) + 2·M·K2·N (PV) per batch."""
        return 2 * self.batch * self.m * self.k2 * (self.k1 + self.n)

    @property
    def flops_per_workgroup(self) -> int:
        """What one workgroup issues: its tile rounded up to whole tiles, every K2 tile its loop visits (the
        mean under a causal bound or over ranges), QK^T again for every N tile."""
        keys = self.keys_per_workgroup
        return 2 * self.tile_batch * self.tile_m * keys * (self.k1_issued + self.tile_n)

    @property
    def combine_flops(self) -> int:
        """Vector FLOPs of the in-workgroup combine (split_subgroups > 1) of one workgroup: per output element of
        its real rows, the max over the S splits (S), each split's weight and sums (exp2, sub, add, mul, add: 5 S)
        and the division (1); 0 for a workgroup without one."""
        if self.split_subgroups == 1:
            return 0
        return min(self.tile_m, self.m) * self.tile_n * (6 * self.split_subgroups + 1)

    @property
    def bytes_per_iteration(self) -> int:
        """K and V bytes one iteration of a workgroup's loop loads (the loads it waits for)."""
        return self.k2_step * (self.k1_issued + self.tile_n) * self.element_bytes


@dataclass(frozen=True)
class DispatchWork:
    global_bytes: int | None  # None: sizes known only at run time
    attention: AttentionWork | None

    def to_dict(self) -> dict:
        return asdict(self)


# A shaped value's shapes at one launch, one per time it is computed (interp/shapes.py ShapeInterpreter.shapes);
# None: its type's own
Shapes = dict[ir.Value, tuple[tuple[int, ...], ...]] | None


def _shapes(value: ir.Value, shapes: Shapes) -> tuple[tuple[int, ...], ...]:
    return shapes[value] if shapes and value in shapes else (tuple(ir.ShapedType(value.type).shape),)


def _tensor_bytes(value: ir.Value, shapes: Shapes) -> int | None:
    """Every time it is computed (split-k2's ranges load their own slices: each range's keys once)."""
    each = _shapes(value, shapes)
    if any(n < 0 for shape in each for n in shape):
        return None
    return sum(math.prod(shape) for shape in each) * max(8, ir.ShapedType(value.type).element_type.width) // 8


def _loaded_bytes(value: ir.Value) -> int:
    """Bytes of one element of `value` as memory holds it: through an elementwise widening of one input (widen-kv's
    fp8 K/V, read as fp8 and extended or decoded in registers) to what it widens."""
    width = ir.ShapedType(value.type).element_type.width
    owner = value.owner
    if isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == "linalg.generic" and len(owner.operands) == 2 \
            and set(irutil.iterator_types(owner)) == {"parallel"}:
        width = min(width, ir.ShapedType(owner.operands[0].type).element_type.width)
    return width // 8


def global_bytes(root, shapes: Shapes = None) -> int | None:
    """Bytes the dispatch loads and stores (at `shapes`, a launch's); None where a size is known only at run time.
    A tensor read only as the source of gathers (a paged KV cache's page pool) counts what the gathers read (the
    pages), not the pool."""
    tensors = []
    for op in irutil.walk(root.operation if hasattr(root, "operation") else root):
        if op.name in _LOADS:
            tensors.extend(_read_through_gathers(op.results[0]) or [op.results[0]])
        elif op.name in _STORES:
            tensors.append(op.operands[0])
    sizes = [_tensor_bytes(t, shapes) for t in tensors]
    return None if None in sizes else sum(sizes)


def _read_through_gathers(value: ir.Value) -> list[ir.Value] | None:
    """The results of the gathers `value` is the source of, where those are all its uses; else None."""
    users = [use.owner for use in value.uses]
    if not users or any(u.name != GATHER or u.operands[0] != value for u in users):
        return None
    return [u.results[0] for u in users]


def attention_work(configured, shapes: Shapes = None) -> AttentionWork | None:
    """The work of the configured online_attention op in `configured` (None without one, or without an
    iree_gpu lowering config, or with dynamic sizes and no `shapes`: the work is not known before the launch).
    At `shapes` the loop's tiles and step are the config's (the kernel compiled for a nominal size runs them) and
    the sizes the launch's: the K2 loop's trip count is ⌈K2 / step⌉, the last (tail) step counted whole."""
    for op in irutil.ops_named(configured, ONLINE_ATTENTION):
        if "lowering_config" not in op.attributes:
            continue
        try:
            config = iree_gpu.LoweringConfigAttr(op.attributes["lowering_config"])
        except ValueError:
            return None
        try:
            shape, ranges = _launch_shape(op, shapes) if shapes else (attention_shape(op), ())
        except Unsupported:
            return None
        if shape.run_time:  # configured for a nominal K2 (ir.attention.RUN_TIME_KEYS), not the launch's
            return None
        # at a launch, a run-time K1 is still computed at its configured bound (K1 is whole in every tile)
        nominal = attention_shape(op) if shapes else shape
        k1_tile = math.prod(nominal.sizes[d] for d in nominal.k1) if set(nominal.k1) & set(nominal.run_time) else 0
        entries = config.attributes
        workgroup = list(config.workgroup_tile_sizes) or [0] * len(shape.sizes)
        step = _k2_step(entries, shape.k2)

        def size(role):
            return math.prod(shape.sizes[d] for d in getattr(shape, role))

        def tile(role):
            return math.prod(workgroup[d] or shape.sizes[d] for d in getattr(shape, role))

        def tiles(role):
            return math.prod(-(-shape.sizes[d] // (workgroup[d] or shape.sizes[d])) for d in getattr(shape, role))

        elem = _loaded_bytes(op.operands[1])
        causal, period, window = (ir.IntegerAttr(entries[k]).value if k in entries else None
                                  for k in (CAUSAL_OFFSET, CAUSAL_PERIOD, CAUSAL_WINDOW))
        if causal is not None and period is None and len(shape.m) > 1:
            # the causal row is the innermost query dim (causal_loops._workgroup_rows), the outer ones tiled by 1:
            # a flattened row's causal row is it mod the innermost dim's size
            period = shape.sizes[shape.m[-1]]
        if ranges and causal is not None:
            raise NotInterpretable("a causal bound inside split ranges")
        in_workgroup = K2_SPLIT_PLACE in entries and ir.StringAttr(entries[K2_SPLIT_PLACE]).value == SUBGROUPS
        split_subgroups = math.prod(workgroup[d] or shape.sizes[d] for d in shape.splits) if in_workgroup else 1
        return AttentionWork(size("batch"), size("m"), size("k1"), sum(ranges) or size("k2"), size("n"),
                             tile("batch"), tile("m"), tile("n"), step or size("k2"), elem,
                             tiles("batch") * tiles("m") * tiles("n") * max(1, len(ranges)), causal, period, window,
                             ir.ShapedType(op.operands[0].type).element_type.width // 8, k1_tile, ranges,
                             split_subgroups)
    return None


def _launch_shape(op: ir.Operation, shapes: Shapes) -> tuple[AttentionShape, tuple[int, ...]]:
    """The attention's shape at a launch and, where it runs once per range of split-k2's forall, each range's keys
    (else ()). Its shape is the first range's; the ranges differ in K2 only."""
    operands = list(op.operands)[:3]
    if any(v not in shapes for v in operands):
        raise NotInterpretable("the attention's operands have no sizes at this launch")
    runs = max(len(shapes[v]) for v in operands)
    if any(len(shapes[v]) not in (1, runs) for v in operands):
        raise NotInterpretable("the attention's operands were computed different numbers of times")
    # an operand computed once (outside the forall: the query) is the same in every range
    each = [attention_shape(op, [shapes[v][i if len(shapes[v]) > 1 else 0] for v in operands]) for i in range(runs)]
    if runs == 1:
        return each[0], ()
    if range_splits(op) != runs:
        raise NotInterpretable(f"the attention runs {runs} times in its dispatch, not once per split range")
    first = each[0]
    if any(s.sizes[d] != first.sizes[d] for s in each for d in range(len(first.sizes)) if d not in first.k2):
        raise NotInterpretable("split ranges that differ in more than their keys")
    return first, tuple(math.prod(s.sizes[d] for d in s.k2) for s in each)


def _k2_step(entries, k2_dims: tuple[int, ...]) -> int:
    """Keys per loop iteration: the K2 entries of `reduction` (tilefuse, hint) or `partial_reduction` (stock's
    decode: split among the subgroups); 0 when K2 is not tiled."""
    for key in ("reduction", "partial_reduction"):
        if key in entries:
            values = [ir.IntegerAttr(a).value for a in ir.ArrayAttr(entries[key])]
            picked = [values[d] for d in k2_dims if d < len(values) and values[d]]
            if picked:
                return math.prod(picked)
    return 0


def dispatch_work(executable, configured, executable_shapes: Shapes = None,
                  configured_shapes: Shapes = None) -> DispatchWork:
    """`executable`: the dispatch as the front end produced it; `configured`: after its configure stage; each
    with its values' shapes at a launch where its sizes are run-time ones."""
    return DispatchWork(global_bytes(executable, executable_shapes), attention_work(configured, configured_shapes))
