"""The SIMT interpreter: runs a dispatch's last MLIR (after vector distribution, before ROCDL/NVVM) the way
the GPU would, all threads of a workgroup in lock-step.

Each SSA value is a NumPy array whose axis 0 is the thread (size 1 while every thread agrees); control flow
whose condition differs between threads runs under a per-thread `active` mask (masked execution), and
only active threads touch memory. Workgroup memory is checked for races between barriers (memory.py).

The workgroups of the workgroup-mapped forall run as if one after another, but the machine runs a batch of
them at once to pay Python's cost per op once per batch: its threads are then the batch's workgroups' threads
in order, each workgroup with its own copy of workgroup memory, and control flow that differs between
workgroups is masked like any divergence. Where that could differ from the one-by-one run (a workgroup
writes global memory another one touches) or anything goes wrong, the forall is run again one workgroup
after another from the memory it started with, so what it reports is the one-by-one run's.
"""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir
from iree.compiler.dialects import gpu

from ...ir import irutil
from ...ir.irutil import enum_name
from ...errors import NotInterpretable
from ...interp.bindings import slot_data
from ...interp.core import InterpreterCore, segments, slice_spec
from ...interp.values import FLOAT_TYPES, cast_to, constant, dynamic_shape, element_type, shape_of
from ...interp import lanes
from .memory import Buffer, MemRef, Race, WorkgroupTraffic, access, check_race
from .vector import VECTOR_OPS, vshape

def _space(t: ir.Type) -> str:
    """A memref's memory: #gpu.address_space<workgroup | private | global>, or the AMDGPU/NVPTX numbers after
    lowering (3 shared, 5 private)."""
    space = ir.MemRefType(t).memory_space
    if space is None:
        return "global"
    if isinstance(space, ir.IntegerAttr):
        return {3: "workgroup", 5: "private"}.get(ir.IntegerAttr(space).value, "global")
    try:
        return enum_name(space, gpu.AddressSpace, "gpu.GPU_AddressSpaceAttr")
    except ValueError:
        return "global"  # a backend's own spaces (e.g. #amdgpu.address_space<fat_raw_buffer>) are global memory


def _is_zero_flag(attr: ir.Attribute) -> bool:
    """cbsz/abid (integers) and blgp (an enum: none) at their no-broadcast defaults."""
    if isinstance(attr, ir.IntegerAttr):
        return ir.IntegerAttr(attr).value == 0
    # IREE 3.13's bindings register no builder for #rocdl.mfma_perm_b: compared with its parsed default
    return attr == ir.Attribute.parse("#rocdl.mfma_perm_b<none>", attr.context)


# Threads the machine runs at once at most (values are arrays over them; more only costs memory)
BATCH_THREADS = 4096


def _uniform(x: np.ndarray, what: str) -> int:
    values = np.unique(np.asarray(x))
    if values.size != 1:
        raise NotInterpretable(f"{what} differs between threads")
    return int(values[0])


def _per_thread(x) -> int | np.ndarray:
    """A size: one int where every thread has the same, else each thread's (the access bounds each by its own)."""
    values = np.unique(np.asarray(x))
    return int(values[0]) if values.size == 1 else np.asarray(x, np.int64).reshape(-1)


def _kept_dims(sizes: list[int], strides: list[int], result: ir.MemRefType, static: list[int]) -> list[int]:
    """Which dims of a subview survive in its (possibly rank-reduced) result type: matched left to right by
    size and stride; only unit dims are dropped, a dim of static size 1 (`static`, the op's static sizes) where
    its run-time size could match too (a run-time dim of 1 beside it: a range of one page of a page table)."""
    shape = list(result.shape)
    if len(shape) == len(sizes):
        return list(range(len(sizes)))
    result_strides = result.get_strides_and_offset()[0]
    keep, j = [], 0
    for k, (size, stride) in enumerate(zip(sizes, strides)):
        fits = j < len(shape) and (shape[j] == static[k] or (np.isscalar(size) and shape[j] == size)
                                   or (shape[j] == irutil.DYNAMIC and static[k] != 1))
        if fits and result_strides[j] in (stride, irutil.DYNAMIC):
            keep.append(k)
            j += 1
        elif not np.isscalar(size) or size != 1:
            raise NotInterpretable(f"rank-reducing subview to {result}")
    if j != len(shape):
        raise NotInterpretable(f"rank-reducing subview to {result}")
    return keep


def _reassociation(op) -> list[list[int]]:
    return [[ir.IntegerAttr(i).value for i in ir.ArrayAttr(g)] for g in ir.ArrayAttr(op.attributes["reassociation"])]


def _select(op, args) -> list:
    """arith.select with a condition per thread: it broadcasts from the left (axis 0 is the thread)."""
    cond, a, b = args
    cond = np.asarray(cond).reshape(cond.shape + (1,) * (np.ndim(a) - np.ndim(cond)))
    return [np.where(cond, a, b)]


def _per_workgroup(value, threads: int, workgroups: int):
    """A value from outside the batched forall, for the batch: one that differs between a workgroup's threads
    (axis 0 of `threads`), repeated for every workgroup."""
    if isinstance(value, MemRef) and value.offset.shape[0] == threads > 1:
        return MemRef(value.buffer, np.tile(value.offset, workgroups), value.sizes, value.strides)
    if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == threads > 1:
        return np.tile(value, (workgroups,) + (1,) * (value.ndim - 1))
    return value


class SimtInterpreter(InterpreterCore):
    """`run_function(func, bindings)` runs every workgroup of the dispatch; output bindings are written in
    place. Raises Race (workgroup-memory race, or a barrier not reached by every thread), OutOfBounds, or
    NotInterpretable (an op it does not know: the check is then reported unchecked, never passed)."""

    OPS = {**VECTOR_OPS, "arith.select": _select}
    PASS_THROUGH = ("memref.assume_alignment", "amdgpu.fat_raw_buffer_cast", "util.assume.int", "memref.cast",
                    "iree_tensor_ext.dispatch.workload.ordinal")

    def __init__(self, max_ops: int = 5_000_000):
        super().__init__(max_ops)

    def run_function(self, func: ir.Operation, bindings: dict[int, np.ndarray], constants: dict[int, int] | None = None) -> None:
        ti = irutil.translation_info(func)
        if ti is None or ti.workgroup_size is None or not ti.subgroup_size:
            raise NotInterpretable("a dispatch function without workgroup and subgroup sizes")
        size = [int(s) for s in ti.workgroup_size] + [1] * (3 - len(ti.workgroup_size))
        self.workgroup_threads = int(np.prod(size))
        self.subgroup_size = int(ti.subgroup_size)
        if self.workgroup_threads % self.subgroup_size:
            raise NotInterpretable(
                f"workgroup of {self.workgroup_threads} threads is not whole subgroups of {self.subgroup_size}")
        self.block_dim = dict(zip("xyz", size))
        self.context = func.context
        self.workgroup_buffers: list[Buffer] = []
        self.global_buffers: list[tuple[int, Buffer]] = []  # (binding slot, buffer)
        self.traffic: dict[int, WorkgroupTraffic] = {}  # per binding slot, during a batch
        self.allocations = 0
        self._set_batch(1)
        super().run_function(func, bindings, constants)

    def _set_batch(self, workgroups: int) -> None:
        """Makes the machine's threads those of `workgroups` workgroups, in order, all active."""
        size = list(self.block_dim.values())
        self.workgroups = workgroups
        self.threads = workgroups * self.workgroup_threads
        self.linear = np.arange(self.threads)
        self.local = self.linear % self.workgroup_threads  # the thread's id in its workgroup
        self.ids = {"x": self.local % size[0], "y": self.local // size[0] % size[1],
                    "z": self.local // (size[0] * size[1])}
        self.active = np.ones(self.threads, bool)

    @property
    def active(self) -> np.ndarray:
        return self._active_mask

    @active.setter
    def active(self, mask: np.ndarray) -> None:
        """Which threads run; the op budget counts an op once for every workgroup with a thread running it,
        as many times as the one-by-one run would."""
        self._active_mask = mask
        self.copies_running = 1 if self.workgroups == 1 else \
            int(mask.reshape(self.workgroups, -1).any(axis=1).sum())

    # ---- values: axis 0 the thread -------------------------------------------------------------------
    def constant(self, attr: ir.Attribute, t: ir.Type):
        if isinstance(attr, ir.DenseElementsAttr) and not ir.DenseElementsAttr(attr).is_splat:
            return cast_to(np.array(attr).reshape((1,) + shape_of(t)), element_type(t))
        return np.asarray(constant(attr, t))[None]

    def index(self, value, what: str) -> int:
        return _uniform(value, what)

    def index_value(self, i: int):
        return np.array([i])

    # ---- ids, index arithmetic -----------------------------------------------------------------------
    def op_ub_poison(self, op, args, env):
        t = op.results[0].type
        elem = element_type(t)
        return [np.full((1,) + vshape(t), np.nan if elem in FLOAT_TYPES else 0,
                        np.float32 if elem in FLOAT_TYPES else np.int64)]

    def _dim(self, op) -> str:
        return enum_name(op.attributes["dimension"], gpu.Dimension, "gpu.GPU_DimensionAttr")

    def op_gpu_thread_id(self, op, args, env):
        return [self.ids[self._dim(op)]]

    def op_gpu_block_dim(self, op, args, env):
        return [np.array([self.block_dim[self._dim(op)]])]

    def op_gpu_lane_id(self, op, args, env):
        return [self.local % self.subgroup_size]

    def op_gpu_subgroup_id(self, op, args, env):
        return [self.local // self.subgroup_size]

    def op_gpu_subgroup_size(self, op, args, env):
        return [np.array([self.subgroup_size])]

    # ---- memory ------------------------------------------------------------------------------------
    def op_hal_interface_binding_subspan(self, op, args, env):
        t = op.results[0].type
        # after the byte offset, the sizes of its `?`s
        shape = dynamic_shape(t, [self.index(a, "a binding's dynamic size") for a in args[1:]])
        data = slot_data(op, self.slots, self.bindings, shape)
        buf = Buffer(f"binding{ir.IntegerAttr(op.attributes['binding']).value}", data.reshape(-1), shape,
                     element_type(t), "global")
        self.global_buffers.append((self.slots[op.results[0]], buf))
        if self.workgroups > 1:
            self._watch(*self.global_buffers[-1])
        return [MemRef.whole(buf)]

    def _watch(self, slot: int, buf: Buffer) -> None:
        """Records, during a batch, which workgroups touch the binding (one record per binding slot)."""
        buf.traffic = self.traffic.setdefault(slot, WorkgroupTraffic(buf.data.size))

    def op_memref_alloc(self, op, args, env):
        t = op.results[0].type
        space = _space(t)
        self.allocations += 1
        buf = Buffer.fresh(f"{space}{self.allocations}<{t}>", shape_of(t), element_type(t), space, self.threads,
                           self.workgroups)
        if space == "workgroup":
            self.workgroup_buffers.append(buf)
        return [MemRef.whole(buf)]

    op_memref_alloca = op_memref_alloc

    def op_memref_dealloc(self, op, args, env):
        return []

    def op_memref_subview(self, op, args, env):
        src: MemRef = args[0]
        offsets, sizes, steps = slice_spec(op, args, 1)
        # a size that differs between threads (a lane's masked window of m-tail's run-time rows) stays per thread
        sizes = [_per_thread(s) for s in sizes]
        steps = [_uniform(s, "subview stride") for s in steps]
        offset = src.offset
        for o, stride in zip(offsets, src.strides):
            offset = offset + np.asarray(o, np.int64) * stride
        strides = [s * st for s, st in zip(src.strides, steps)]
        keep = _kept_dims(sizes, strides, ir.MemRefType(op.results[0].type),
                          list(ir.DenseI64ArrayAttr(op.attributes["static_sizes"])))
        return [MemRef(src.buffer, np.atleast_1d(offset), tuple(sizes[k] for k in keep),
                       tuple(strides[k] for k in keep))]

    def op_memref_expand_shape(self, op, args, env):
        src: MemRef = args[0]
        dynamic = iter(_per_thread(s) for s in args[1:])  # per thread: a dim left whole (m-tail's rows)
        sizes = [next(dynamic) if s == irutil.DYNAMIC else s
                 for s in ir.DenseI64ArrayAttr(op.attributes["static_output_shape"])]
        strides = [0] * len(sizes)
        for group, stride in zip(_reassociation(op), src.strides):
            if len(group) > 1 and any(not np.isscalar(sizes[d]) for d in group):
                raise NotInterpretable("memref.expand_shape of a dim whose size differs between threads")
            for d in reversed(group):
                strides[d] = stride
                stride *= sizes[d]
        return [MemRef(src.buffer, src.offset, tuple(sizes), tuple(strides))]

    def op_memref_collapse_shape(self, op, args, env):
        src: MemRef = args[0]
        sizes, strides = [], []
        for group in _reassociation(op):
            for a, b in zip(group, group[1:]):
                if src.sizes[b] > 1 and src.strides[a] != src.strides[b] * src.sizes[b] and src.sizes[a] > 1:
                    raise NotInterpretable("memref.collapse_shape of non-contiguous dims")
            sizes.append(int(np.prod([src.sizes[d] for d in group])))
            strides.append(min((src.strides[d] for d in group if src.sizes[d] > 1), default=1))
        return [MemRef(src.buffer, src.offset, tuple(sizes), tuple(strides))]

    def _active(self, x: np.ndarray) -> np.ndarray:
        return x[self.active] if x.shape[0] > 1 else x

    def _transfer(self, op, memref: MemRef, indices, vector_type, mask, minor_identity: bool):
        shape = vshape(vector_type)
        rank = len(memref.sizes)
        if minor_identity:
            dims = list(range(rank - len(shape), rank))
        else:
            amap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
            dims = [e.position if isinstance(e, ir.AffineDimExpr) else None for e in amap.results]
        in_bounds = [ir.BoolAttr(b).value for b in ir.ArrayAttr(op.attributes["in_bounds"])] \
            if "in_bounds" in op.attributes else [True] * len(shape)
        return access(op.name, memref, indices, shape, dims, self.active, in_bounds, mask)

    def _read(self, op, memref, indices, mask, minor_identity, padding):
        acc = self._transfer(op, memref, indices, op.results[0].type, mask, minor_identity)
        self._record(op, acc, writing=False)
        return [cast_to(acc.read(padding), element_type(op.results[0].type))]

    def _write(self, op, value, memref, indices, mask, minor_identity):
        acc = self._transfer(op, memref, indices, op.operands[0].type, mask, minor_identity)
        self._record(op, acc, writing=True)
        acc.write(value)
        return []

    def _record(self, op, acc, writing: bool) -> None:
        check_race(op.name, acc, writing)
        if acc.memref.buffer.traffic is not None:
            acc.memref.buffer.traffic.record(acc, self.workgroup_of_thread, writing)

    def op_vector_transfer_read(self, op, args, env):
        (memref,), indices, (padding,), mask = segments(op, args)
        padding = np.asarray(padding).reshape((-1,) + (1,) * len(vshape(op.results[0].type)))
        return self._read(op, memref, indices, mask[0] if mask else None, False, padding)

    def op_vector_transfer_write(self, op, args, env):
        (value,), (memref,), indices, mask = segments(op, args)
        return self._write(op, value, memref, indices, mask[0] if mask else None, False)

    def op_vector_load(self, op, args, env):
        return self._read(op, args[0], args[1:], None, True, np.nan)

    op_memref_load = op_vector_load

    def op_vector_store(self, op, args, env):
        return self._write(op, args[0], args[1], args[2:], None, True)

    op_memref_store = op_vector_store

    # ---- synchronisation and lanes -----------------------------------------------------------------
    def _barrier(self, op, args, env):
        """Every workgroup reaches it with all its threads or none (those running other code than this)."""
        per_workgroup = self.active.reshape(self.workgroups, -1)
        reached = per_workgroup.any(axis=1)
        if not (per_workgroup.all(axis=1) == reached).all():
            threads = per_workgroup.sum(axis=1)
            raise Race(f"{op.name} reached by {int(threads[(threads > 0) & ~per_workgroup.all(axis=1)][0])} of "
                       f"{self.workgroup_threads} threads of a workgroup")
        for buf in self.workgroup_buffers:
            buf.new_epoch(reached)
        return []

    op_gpu_barrier = op_amdgpu_lds_barrier = op_nvvm_barrier0 = _barrier

    def op_gpu_subgroup_reduce(self, op, args, env):
        return [lanes.subgroup_reduce(op, np.asarray(args[0]), self.threads, self.subgroup_size)]

    def op_gpu_shuffle(self, op, args, env):
        value, valid = lanes.shuffle(np.broadcast_to(args[0], (self.threads,) + args[0].shape[1:]),
                                     args[1], args[2], lanes.shuffle_mode(op), self.subgroup_size)
        return [value, valid]

    def op_amdgpu_mfma(self, op, args, env):
        attrs = {k: ir.IntegerAttr(op.attributes[k]).value for k in ("m", "n", "k", "blocks")}
        for flag in ("cbsz", "abid", "blgp"):
            if flag in op.attributes and not _is_zero_flag(op.attributes[flag]):
                raise NotInterpretable(f"amdgpu.mfma with {flag} = {op.attributes[flag]}")
        if attrs["blocks"] != 1:
            raise NotInterpretable("amdgpu.mfma with several blocks")
        return [self._mma("MFMA", op, args, attrs["m"], attrs["n"], attrs["k"])]

    def op_amdgpu_wmma(self, op, args, env):
        attrs = {k: ir.IntegerAttr(op.attributes[k]).value for k in ("m", "n", "k")}
        # unsignedA/B and clamp are unit flags (integer operands only); a subword offset picks half registers of
        # an f16 result
        flags = [f for f in ("unsignedA", "unsignedB", "clamp") if f in op.attributes]
        if flags or ("subwordOffset" in op.attributes and ir.IntegerAttr(op.attributes["subwordOffset"]).value):
            raise NotInterpretable(f"amdgpu.wmma with {', '.join(flags) or 'a subword offset'}")
        return [self._mma("WMMA", op, args, attrs["m"], attrs["n"], attrs["k"])]

    def op_nvgpu_mma_sync(self, op, args, env):
        m, n, k = list(ir.ArrayAttr(op.attributes["mmaShape"]))
        return [self._mma("NV_MMA_SYNC", op, args, *(ir.IntegerAttr(x).value for x in (m, n, k)))]

    def op_iree_codegen_inner_tiled(self, op, args, env):
        if not irutil.lane_distributed(op) or "permutations" in op.attributes:
            raise NotInterpretable(f"iree_codegen.inner_tiled that is not lane-distributed ({op.attributes['semantics']})")
        if len(op.operands) != 3:
            raise NotInterpretable("iree_codegen.inner_tiled with other than (lhs, rhs) -> acc")
        kind = op.attributes["kind"]
        maps = irutil.indexing_maps(op)
        a, b, c = self._lanes_that_take_part(args[:3])
        return [lanes.inner_tiled(kind, maps, a, b, c, self.threads, self.subgroup_size,
                                  element_type(op.results[0].type))]

    def _lanes_that_take_part(self, operands):
        """A subgroup-wide op in divergent control flow reads registers of lanes that are not running it: their
        values are undefined (NaN), so a kernel that does this fails the comparison instead of passing."""
        if self.active.all():
            return operands
        return [np.where(self.active.reshape((-1,) + (1,) * (np.ndim(x) - 1)),
                         np.broadcast_to(x, (self.threads,) + np.shape(x)[1:]), np.nan) for x in operands]

    def _mma(self, prefix, op, args, m, n, k):
        # a scalar operand (one element per lane: CDNA's f32 MFMA's A and B) is IREE's vector of one
        vectors = [isinstance(v.type, ir.VectorType) for v in op.operands[:3]]
        with ir.Location.unknown(self.context):
            types = tuple(v.type if vec else ir.VectorType.get([1], v.type) for v, vec in zip(op.operands[:3], vectors))
        name = lanes.intrinsic_of(prefix, m, n, k, types)
        a, b, c = self._lanes_that_take_part([x if vec else np.expand_dims(x, -1) for x, vec in zip(args[:3], vectors)])
        return lanes.mma(name, self.context, a, b, c, self.threads, self.subgroup_size, m, n, k,
                         element_type(op.results[0].type))

    # ---- control flow --------------------------------------------------------------------------------
    def op_scf_if(self, op, args, env):
        cond = np.asarray(args[0], bool)
        results = []
        saved = self.active
        branches = []
        for region, taken in ((op.regions[0], cond), (op.regions[1], ~cond)):
            mask = saved & taken
            if region.blocks and mask.any():
                self.active = mask
                branches.append((taken, self.run_block(region.blocks[0], env)))
        self.active = saved
        if not op.results:
            return []
        if len(branches) == 1:
            return branches[0][1]
        (taken, then_values), (_, else_values) = branches
        for a, b in zip(then_values, else_values):
            results.append(np.where(taken.reshape(taken.shape + (1,) * (np.ndim(a) - 1)), a, b))
        return results

    def op_scf_for(self, op, args, env):
        lb, ub, step, carried = args[0], args[1], args[2], list(args[3:])
        block = op.regions[0].blocks[0]
        if all(np.unique(self._active(x)).size == 1 for x in (lb, ub, step)):
            lo, hi, st = (int(self._active(x)[0]) for x in (lb, ub, step))
            return self.run_loop(block, lo, hi, st, carried, env)
        # the bounds differ between threads: run while any thread is still in its loop
        block_args = list(block.arguments)
        iv = np.broadcast_to(lb, (self.threads,)).astype(np.int64)
        saved = self.active
        while True:
            self.active = saved & (iv < ub)
            if not self.active.any():
                break
            env[block_args[0]] = iv
            env.update(zip(block_args[1:], carried))
            new = self.run_block(block, env)
            carried = [np.where(self.active.reshape((-1,) + (1,) * (np.ndim(n) - 1)), n, c)
                       for n, c in zip(new, carried)]
            iv = iv + step
        self.active = saved
        return carried

    def op_scf_forall(self, op, args, env):
        """A workgroup-mapped forall: each iteration is one workgroup, with fresh workgroup memory. A forall
        mapped to subgroups, threads or lanes (before map-to-ids) is run as IREE's gpu-distribute-forall
        resolves it: iteration i on worker i mod W in round i div W, where the workers are the subgroups (thread
        // subgroup size), the threads, or each subgroup's lanes."""
        try:
            kind = irutil.forall_mapping(op)
        except ValueError as e:
            raise NotInterpretable(str(e)) from None
        if segments(op)[3]:
            raise NotInterpretable("scf.forall with tensor results after bufferization")
        block = op.regions[0].blocks[0]
        if kind in ("warp", "thread", "lane"):
            return self._distributed_forall(op, args, env, kind)
        if kind != "workgroup":
            raise NotInterpretable(f"scf.forall mapped to {kind or 'nothing'} after distribution")
        iterations = self.forall_space(op, args)
        if not self._batched_workgroups(block, iterations, env):
            self._one_workgroup_at_a_time(block, iterations, env)
        return []

    def _one_workgroup_at_a_time(self, block, iterations, env) -> None:
        for ivs in iterations:
            for buf in self.workgroup_buffers:
                buf.data.fill(np.nan if buf.data.dtype.kind == "f" else 0)
                buf.new_epoch()
            env.update((arg, self.index_value(iv)) for arg, iv in zip(block.arguments, ivs))
            self.run_block(block, env)

    def _batched_workgroups(self, block, iterations, env) -> bool:
        """Runs the workgroups a batch at a time; False, with memory and counters as they were, where that
        could differ from running them one by one: private memory from outside the forall (every workgroup's
        threads would share it), a workgroup writing global memory another one touches, or any exception (the
        one-by-one run then raises its own)."""
        if self.workgroups > 1:  # raised into the enclosing batch, which then runs one workgroup at a time
            raise NotInterpretable("a workgroup-mapped forall inside another")
        if len(iterations) < 2 or any(isinstance(v, MemRef) and v.buffer.space == "private" for v in env.values()):
            return False
        bindings = {slot: data.copy() for slot, data in self.bindings.items()}
        ops_run, allocations, outer = self.ops_run, self.allocations, list(self.workgroup_buffers)
        per_batch = max(1, BATCH_THREADS // self.workgroup_threads)
        self.traffic = {}
        try:
            for start in range(0, len(iterations), per_batch):
                self._run_batch(block, iterations[start:start + per_batch], start, env, outer)
            same = not any(t.crossed() for t in self.traffic.values())
        except Exception:  # noqa: BLE001 -- the one-by-one run decides what is raised
            same = False
        finally:
            self._set_batch(1)
            self.workgroup_buffers = outer
            for buf in outer:
                buf.keep_last_copy()
            for _, buf in self.global_buffers:
                buf.traffic = None
        if not same:
            for slot, data in bindings.items():
                np.copyto(self.bindings[slot], data)
            self.ops_run, self.allocations = ops_run, allocations
        return same

    def _run_batch(self, block, iterations, first: int, env, outer: list[Buffer]) -> None:
        """Workgroups first .. first + len(iterations) - 1 at once; values from outside the forall that differ
        between threads repeated for every workgroup."""
        workgroups, per_workgroup = len(iterations), self.workgroup_threads
        self._set_batch(workgroups)
        self.workgroup_of_thread = first + self.linear // per_workgroup
        self.workgroup_buffers = list(outer)
        for buf in outer:
            buf.copy_per_workgroup(workgroups)
        for slot, buf in self.global_buffers:
            self._watch(slot, buf)
        batch_env = {k: _per_workgroup(v, per_workgroup, workgroups) for k, v in env.items()}
        ivs = np.array(iterations, np.int64).reshape(workgroups, -1)
        batch_env.update((arg, np.repeat(ivs[:, d], per_workgroup)) for d, arg in enumerate(block.arguments))
        self.run_block(block, batch_env)

    def _distributed_forall(self, op, args, env, kind):
        iterations = self.forall_space(op, args)
        block_args = list(op.regions[0].blocks[0].arguments)
        if len(block_args) != 1 and not _linear_in_order(op, len(block_args)):
            raise NotInterpretable(f"scf.forall over {len(block_args)} dims mapped to {kind}s other than "
                                   "linear_dim_{n-1} .. linear_dim_0")
        worker, workers = {
            "warp": (self.local // self.subgroup_size, self.workgroup_threads // self.subgroup_size),
            "thread": (self.local, self.workgroup_threads),
            "lane": (self.local % self.subgroup_size, self.subgroup_size)}[kind]
        # (iterations in lexicographic order: the linear order of linear_dim_{n-1} .. linear_dim_0)
        ivs = np.array(iterations, np.int64).reshape(len(iterations), len(block_args))
        saved = self.active
        for start in range(0, len(ivs), workers):
            mine = start + worker
            self.active = saved & (mine < len(ivs))
            if self.active.any():
                env.update((arg, ivs[np.minimum(mine, len(ivs) - 1), d]) for d, arg in enumerate(block_args))
                self.run_block(op.regions[0].blocks[0], env)
        self.active = saved
        return []


def _linear_in_order(op, dims: int) -> bool:
    """The forall's mapping is linear_dim_{dims-1} .. linear_dim_0, its dims in that order (IREE's tiling
    writes a multi-dim subgroup or thread forall so): the linear worker id is its iteration's lexicographic
    index, as gpu-distribute-forall delinearizes it."""
    return [str(m).split("<")[-1].rstrip(">") for m in ir.ArrayAttr(op.attributes["mapping"])] == \
        [f"linear_dim_{d}" for d in reversed(range(dims))]
