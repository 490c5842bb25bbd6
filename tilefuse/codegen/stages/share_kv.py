"""Stage `share-kv` of the tilefuse path: K and V tiles through workgroup memory, shared by the subgroups.

After `bufferize` every subgroup runs its own K2 loop and each lane reads its K/V fragments from global memory,
so a workgroup of S subgroups reads every K/V tile S times. A matmul whose lowering_config says
`promote_operands = [1]` (its RHS: K for QK, V for PV; the FlashAttention-2 structure) gets instead, in each K2
iteration:

    all threads of the workgroup copy the tile (the same global subview every subgroup reads) into a
    workgroup buffer, 16 bytes per thread and step, linear thread id order        -- coalesced
    gpu.barrier                                                                       -- tile complete
    every lane reads its fragment from the buffer, with the indexing it had on the global tile
    ... the iteration's math ...
    gpu.barrier                                                                       -- before the next copy

One pair of barriers per iteration covers every shared tile of the loop. A Python pass at memref level because
the copy is a cooperation of the subgroup foralls' iterations, which tensors in scf.forall cannot express; it
runs after gpu-distribute-forall, when the workgroup's threads are explicit. design/tilefuse-path.md, "S7".
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir

from ...ir import irbuild as b
from ...errors import TilefuseError
from ...ir.irutil import promoted_operands, translation_info, walk
from ..stage import StageInput, StageResult

COPY_BYTES = 16  # per thread and copy step: one 128-bit load and store
THREAD_IDS = ("gpu.thread_id", "gpu.lane_id", "gpu.subgroup_id")


def share_kv_tiles(module: ir.Module, stage_input: StageInput) -> StageResult:
    with module.context, ir.Location.unknown():
        for func in [op for op in walk(module.operation) if op.name == "func.func"]:
            ti = translation_info(func)
            if ti is None or ti.workgroup_size is None:
                continue
            promoted = [(op, _promoted(op)) for op in walk(func)]
            early = [op.name for op, operands in promoted if operands and op.name != "iree_codegen.inner_tiled"]
            if early:
                raise TilefuseError(f"share-kv: {early[0]} asks for promote_operands; share-kv runs on the lane "
                                    f"code after bufferize")
            reads = [_fragment_read(op, i) for op, operands in promoted for i in operands]
            # Grouped before any sharing rewrites the reads (a peeled causal K2 loop is two loops).
            loops = [(loop, [r for r in reads if _enclosing_loop(r).operation == loop.operation])
                     for loop in _unique([_enclosing_loop(r) for r in reads])]
            buffers: dict = {}  # loops one after the other share the buffers (each ends with a barrier)
            for loop, loop_reads in loops:
                _share(func, loop, loop_reads, [int(s) for s in ti.workgroup_size], buffers)
    module.operation.verify()
    return StageResult(module)


def _promoted(op) -> list[int]:
    operands = promoted_operands(op)
    if operands not in ([], [1]):
        raise TilefuseError(f"share-kv: promote_operands = {operands}; the lane code shares only a matmul's RHS "
                            f"(K, V) through workgroup memory: [1]")
    return operands


_FRAGMENT_OPS = ("vector.shape_cast", "vector.transpose", "vector.broadcast")


def _fragment_read(op, operand: int):
    """The vector.transfer_read an inner_tiled operand comes from: through shape casts, transposes and the
    elementwise ops that extend or decode an fp8 KV cache's elements to the query's type (the tile is shared as
    read, still fp8), the one read the operand is a function of."""
    reads, seen, todo = [], set(), [op.operands[operand]]
    while todo:
        v = todo.pop()
        owner = v.owner
        if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name == "arith.constant" or v in seen:
            continue
        seen.add(v)
        if owner.name == "vector.transfer_read":
            reads.append(owner)
        elif owner.name in _FRAGMENT_OPS or owner.name.startswith("arith."):
            todo += [o for o in owner.operands if isinstance(o.type, ir.VectorType)]
        else:
            raise TilefuseError(f"share-kv: operand {operand} of a matmul is not read from memory ({owner.name})")
    if len({r.operation for r in reads}) != 1:
        raise TilefuseError(f"share-kv: operand {operand} of a matmul is not one read from memory")
    return reads[0]


def _enclosing_loop(op):
    """The K2 loop around a promoted read, or the block's op where canonicalization inlined a loop of one
    iteration (K2 of one step, 1 to 64 keys; a causal diagonal tile, tilefuse/codegen/stages/causal_peel.py): the
    copy and barriers go in that block."""
    parent = op.parent
    if parent.name not in ("scf.for", "scf.forall", "func.func"):
        raise TilefuseError("share-kv: a promoted operand is read outside the K2 loop")
    return parent


def _tile_view(read, body_ops):
    """The global tile a fragment read takes its elements from, and the reshape in between (or None): a subview
    in the loop body, or the memref the loop reads whole, defined above it (one head of one K2 step: up to 64
    keys with one batch entry and head, where IREE folds the identity subview away)."""
    source = read.operands[0]
    expand = None
    if source.owner.name == "memref.expand_shape":
        expand, source = source.owner, source.owner.operands[0]
    if source.owner.name != "memref.subview" and _index_in(body_ops, source.owner) >= 0:
        raise TilefuseError(f"share-kv: a promoted operand is read from {source.owner.name}, not a tile subview")
    return source.owner, expand


def _depends_on_thread(value: ir.Value) -> bool:
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)):
        return False
    return owner.name in THREAD_IDS or any(_depends_on_thread(v) for v in owner.operands)


def _share(func, loop, reads, workgroup_size: list[int], pool: dict) -> None:
    body = loop.regions[0].blocks[0]
    body_ops = [op.operation for op in body.operations]
    tiles = []
    for read in reads:
        view, expand = _tile_view(read, body_ops)
        if any(_depends_on_thread(v) for v in view.operands):
            raise TilefuseError("share-kv: the tile a promoted operand reads differs between threads")
        tiles.append((read, view, expand))
    views = _unique([v for _, v, _ in tiles])
    last_view = max(_index_in(body_ops, v) for v in views)
    first_read = min(_index_in(body_ops, r) for r, _, _ in tiles)
    if last_view > first_read:
        raise TilefuseError("share-kv: a promoted tile is sliced after another one is read")
    entry = func.regions[0].blocks[0]
    threads = math.prod(workgroup_size)
    with ir.InsertionPoint.at_block_begin(entry):
        buffers = []
        for i, v in enumerate(views):
            key = (i, str(v.result.type.shape), str(v.result.type.element_type))
            if key not in pool:
                pool[key] = b.memref_alloc(list(v.result.type.shape), v.result.type.element_type,
                                           "#gpu.address_space<workgroup>")
            buffers.append(pool[key])
        tid = _linear_thread_id(workgroup_size)
    # In a loop, right after the tile views; in a block that runs once (an inlined loop), right before the
    # reads: the views may sit above an earlier loop that uses the same buffers.
    copy_at = last_view + 1 if loop.name == "scf.for" else first_read
    with ir.InsertionPoint(body_ops[copy_at]):
        for view, buffer in zip(views, buffers):
            _cooperative_copy(view.result, buffer, tid, threads)
        b.barrier()
    shared_reads = []
    for read, view, expand in tiles:
        buffer = buffers[_index_in(views, view)]
        with ir.InsertionPoint(read):
            source = buffer if expand is None else b.memref_expand_shape(buffer, expand)
            shared_reads.append(b.transfer_read_like(read, source).owner)
        read.result.replace_all_uses_with(shared_reads[-1].result)
        read.erase()
        if expand is not None and not list(expand.result.uses):
            expand.erase()
    if loop.name == "scf.for":
        with ir.InsertionPoint(body_ops[-1]):
            b.barrier()
    else:
        # A block that runs once may be followed by a K2 loop copying into the same buffers (a causal K2 loop whose
        # first tile was peeled off): every thread's reads of them must be done before that loop's first copy.
        after = [op.operation for op in body.operations]
        with ir.InsertionPoint.after(max(shared_reads, key=lambda r: _index_in(after, r.operation))):
            b.barrier()


def _cooperative_copy(tile: ir.Value, buffer: ir.Value, tid: ir.Value, threads: int) -> None:
    """Every thread copies `width` contiguous elements per step, threads in linear order over the tile (so a
    subgroup's loads are contiguous: coalesced)."""
    shape = list(tile.type.shape)
    elem = tile.type.element_type
    elements = math.prod(shape)
    # The widest copy (up to 16 bytes) that keeps every thread busy on every step.
    width = COPY_BYTES * 8 // ir.FloatType(elem).width if isinstance(elem, ir.FloatType) else 1
    while width > 1 and (shape[-1] % width or elements % (threads * width)):
        width //= 2
    if elements % (threads * width):
        raise TilefuseError(f"share-kv: a {tile.type} tile does not split into {threads} threads x {width} elements")
    for step in range(elements // (threads * width)):
        # element = (tid + step * threads) * width, delinearized over the tile's shape
        first = (ir.AffineDimExpr.get(0) + step * threads) * width
        indices = []
        for d in range(len(shape)):
            inner = math.prod(shape[d + 1:])
            indices.append(b.affine_apply(ir.AffineExpr.get_mod(ir.AffineExpr.get_floor_div(first, inner), shape[d]),
                                          [tid]))
        v = b.memref_read(tile, indices, width)
        b.memref_write(v, buffer, indices)


def _linear_thread_id(workgroup_size: list[int]) -> ir.Value:
    ids = [b.thread_id(d) for d, n in zip("xyz", workgroup_size) if n > 1] or [b.thread_id("x")]
    sizes = [n for n in workgroup_size if n > 1] or [1]
    expr, stride = None, 1
    for i, n in enumerate(sizes):
        term = ir.AffineDimExpr.get(i) * stride
        expr = term if expr is None else expr + term
        stride *= n
    return b.affine_apply(expr, ids)


def _index_in(ops, op) -> int:
    """`op`'s index in `ops`, -1 where it is not one of them (a tile defined above the loop)."""
    # Operation handles are not reliable dict keys, but they compare equal.
    return next((i for i, o in enumerate(ops) if o.operation == op.operation), -1)


def _unique(ops) -> list:
    out = []
    for op in ops:
        if not any(op.operation == o.operation for o in out):
            out.append(op)
    return out
