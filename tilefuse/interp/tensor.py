"""The tensor-level interpreter: runs a dispatch function (a hal.executable snapshot) on NumPy arrays.

Ops run on whole arrays; mapped scf.forall loops run their iterations one after another, lane-mapped ones in
lockstep (lockstep.py); what it shares with the SIMT interpreter is in core.py.
"""

from __future__ import annotations

from collections import ChainMap
from functools import partial

import numpy as np

import iree.compiler.ir as ir

from ..ir import irutil
from ..errors import NotInterpretable
from . import structured
from .bindings import slot_data
from .core import InterpreterCore, OutOfBounds, check_assert, gather_elements, mixed, segments, slice_spec, window
from ..ir.facts import ATTENTION, ONLINE_ATTENTION
from .lockstep import LANE, iterations_in_lockstep, lanes_in_lockstep, run_lane_op
from .values import cast_to, constant, dynamic_shape, element_type, empty, resource_blobs, shape_of
from .vector_ops import VECTOR_OPS

# Ops evaluated from their operand values alone (structured.py): name -> fn(op, args) -> results.
ARRAY_OPS = {
    "linalg.fill": structured.eval_fill,
    "linalg.broadcast": structured.eval_broadcast,
    "iree_linalg_ext.gather": structured.eval_gather,
    "linalg.reduce": structured.eval_reduce,
    "linalg.pack": structured.eval_pack,
    "linalg.unpack": structured.eval_unpack,
    ATTENTION: partial(structured.eval_attention, online=False),
    ONLINE_ATTENTION: partial(structured.eval_attention, online=True),
    **{name: structured.eval_named for name in ("linalg.copy", "linalg.transpose", *structured.CONTRACTIONS)},
    **{name: structured.eval_conv for name in structured.CONVOLUTIONS},
    **VECTOR_OPS,
}


class Buffer:
    """A dispatch binding: the whole array, in the binding's declared shape."""

    def __init__(self, array: np.ndarray):
        self.array = array


def _int_slice_spec(op, args, first_dynamic: int) -> tuple[list[int], list[int], list[int]]:
    return tuple([int(x) for x in part] for part in slice_spec(op, args, first_dynamic))


def _batchable(forall) -> bool:
    """A forall whose iterations can run as one batch: no lane forall inside (lockstep does not nest) and no
    write to a binding (a failed batch then leaves nothing behind)."""
    return not any(op.name in ("scf.forall", *STORES) for op in list(irutil.walk(forall))[1:])


STORES = ("iree_codegen.store_to_buffer", "iree_tensor_ext.dispatch.tensor.store")


class Interpreter(InterpreterCore):
    """Whole NumPy arrays for tensors, NumPy scalars for indices; a binding is a Buffer."""

    OPS = ARRAY_OPS
    PASS_THROUGH = ("amdgpu.fat_raw_buffer_cast", "memref.assume_alignment", "util.assume.int", "tensor.cast",
                    "iree_vector_ext.to_layout",
                    "iree_tensor_ext.dispatch.tensor.load_hint", "util.optimization_barrier",
                    "iree_tensor_ext.dispatch.workload.ordinal")

    def __init__(self, max_ops: int = 400_000):
        super().__init__(max_ops)
        self.blobs = None  # the running function's module's dense_resource data, read when first needed

    def run_function(self, func: ir.Operation, bindings: dict[int, np.ndarray], constants: dict[int, int] | None = None) -> None:
        self.function, self.blobs = func, None
        super().run_function(func, bindings, constants)

    def run_ops(self, ops: list, env: dict) -> None:
        """Runs ops that are no dispatch function's (a program's constants), in order, their results into `env`."""
        self.function, self.blobs = ops[0], None  # where dense_resource data is looked up
        for op in ops:
            env.update(zip(op.results, self.run_op(op, env)))

    def constant(self, attr: ir.Attribute, t: ir.Type):
        if self.blobs is None and str(attr).startswith("dense_resource<"):  # a weight IREE inlined
            top = self.function
            while top.parent is not None:
                top = top.parent
            self.blobs = resource_blobs(top)
        return constant(attr, t, self.blobs)

    def run_op(self, op, env) -> list:
        if env.get(LANE):
            return run_lane_op(self, op, env)
        return super().run_op(op, env)

    # ---- bindings ----------------------------------------------------------------------------------
    def op_hal_interface_binding_subspan(self, op, args, env):
        t = op.results[0].type
        text = str(t)
        # !iree_tensor_ext.dispatch.tensor<readonly:tensor<...>> holds its tensor type after the access kind.
        inner = ir.Type.parse(text[text.index(":") + 1:-1], t.context) if "dispatch.tensor" in text else t
        shape = dynamic_shape(inner, args[1:])  # after the byte offset, the sizes of its `?`s
        return [Buffer(slot_data(op, self.slots, self.bindings, shape).reshape(shape))]

    def op_memref_expand_shape(self, op, args, env):
        # a binding viewed with its dims split (IREE folds a reshape into the binding: a GQA head dim over a
        # run-time batch); the view writes through to the binding
        return [Buffer(args[0].array.reshape(dynamic_shape(op.results[0].type, args[1:])))]

    def op_memref_subview(self, op, args, env):
        # a window of a binding (split-k2's range of a run-time K2's keys, loaded inside the split forall), its
        # unit dims dropped as the result type drops them; the view writes through to the binding
        offs, sizes, strides = _int_slice_spec(op, args, 1)
        view = args[0].array[window(offs, sizes, strides, args[0].array.shape, op.name)]
        dynamic = iter(n for n, s in zip(sizes, ir.DenseI64ArrayAttr(op.attributes["static_sizes"]))
                       if s == irutil.DYNAMIC)
        shape = [next(dynamic) if s == irutil.DYNAMIC else s for s in ir.MemRefType(op.results[0].type).shape]
        return [Buffer(view.reshape(shape))]

    def op_iree_codegen_load_from_buffer(self, op, args, env):
        return [cast_to(args[0].array.copy(), element_type(op.results[0].type))]

    def op_iree_codegen_store_to_buffer(self, op, args, env):
        buf = args[1]
        buf.array[...] = cast_to(args[0], element_type(op.operands[1].type)).astype(buf.array.dtype)
        return []

    def op_iree_tensor_ext_dispatch_tensor_load(self, op, args, env):
        buf = args[0]
        offs, sizes, strides = _int_slice_spec(op, args, 2)
        out = buf.array[window(offs, sizes, strides, buf.array.shape, op.name)]
        shape = dynamic_shape(op.results[0].type, segments(op, args)[3])  # a `?` of the result is a dynamic size
        return [cast_to(out.reshape(shape).copy(), element_type(op.results[0].type))]

    def op_iree_tensor_ext_dispatch_tensor_store(self, op, args, env):
        buf = args[1]
        offs, sizes, strides = _int_slice_spec(op, args, 3)
        value = np.asarray(args[0])
        buf.array[window(offs, sizes, strides, buf.array.shape, op.name)] = value.reshape(sizes).astype(buf.array.dtype)
        return []

    # ---- tensors -----------------------------------------------------------------------------------
    def op_tensor_empty(self, op, args, env):
        t = op.results[0].type
        return [empty(dynamic_shape(t, args), element_type(t))]

    def op_tensor_extract_slice(self, op, args, env):
        offs, sizes, strides = _int_slice_spec(op, args, 1)
        src = args[0]
        shape = dynamic_shape(op.results[0].type, segments(op, args)[2])  # a `?` of the result is a dynamic size
        return [src[window(offs, sizes, strides, src.shape, op.name)].reshape(shape).copy()]

    def op_tensor_insert_slice(self, op, args, env):
        offs, sizes, strides = _int_slice_spec(op, args, 2)
        dest = args[1].copy()
        dest[window(offs, sizes, strides, dest.shape, op.name)] = np.asarray(args[0]).reshape(sizes)
        return [dest]

    def op_tensor_expand_shape(self, op, args, env):
        return [np.asarray(args[0]).reshape(dynamic_shape(op.results[0].type, args[1:]))]

    def op_tensor_collapse_shape(self, op, args, env):
        src = np.asarray(args[0])
        groups = [[ir.IntegerAttr(d).value for d in ir.ArrayAttr(g)] for g in ir.ArrayAttr(op.attributes["reassociation"])]
        return [src.reshape([int(np.prod([src.shape[d] for d in g], dtype=np.int64)) for g in groups])]

    def op_tensor_reshape(self, op, args, env):
        return [np.asarray(args[0]).reshape([int(n) for n in np.asarray(args[1])])]

    def op_tensor_dim(self, op, args, env):
        return [np.int64(np.shape(args[0])[int(args[1])])]

    def op_tensor_from_elements(self, op, args, env):
        t = op.results[0].type
        return [cast_to(np.array([np.asarray(a) for a in args]).reshape(shape_of(t)), element_type(t))]

    def op_tensor_extract(self, op, args, env):
        return [gather_elements(args[0], args[1:], op.name)]

    def op_tensor_concat(self, op, args, env):
        return [np.concatenate([np.asarray(a) for a in args], axis=ir.IntegerAttr(op.attributes["dim"]).value)]

    def op_tensor_pad(self, op, args, env):
        """A constant padding value (the region yields a value that does not depend on the position)."""
        source, lows, highs = segments(op, args)
        low, high = mixed(op, "static_low", lows), mixed(op, "static_high", highs)
        block = op.regions[0].blocks[0]
        if any(list(a.uses) for a in block.arguments):
            raise NotInterpretable("tensor.pad whose padding value depends on the position")
        if min(low + high) < 0:
            raise NotInterpretable("tensor.pad with a negative padding")
        (value,) = self.run_block(block, env)
        return [np.pad(np.asarray(source[0]), [(int(a), int(b)) for a, b in zip(low, high)], constant_values=value)]

    def op_cf_assert(self, op, args, env):
        check_assert(op, args[0])
        return []

    # ---- control flow --------------------------------------------------------------------------------
    def op_scf_if(self, op, args, env):
        region = op.regions[0] if bool(args[0]) else op.regions[1]
        if not region.blocks:
            return []
        return self.run_block(region.blocks[0], env)

    def op_scf_forall(self, op, args, env):
        iterations = self.forall_space(op, args)
        shared = [np.array(x, copy=True) for x in segments(op, args)[3]]
        block = op.regions[0].blocks[0]
        mapping = irutil.forall_mapping(op)
        inserts = None
        if mapping == "lane":
            inserts = lanes_in_lockstep(self, block, env, [ivs[0] for ivs in iterations], shared)
        elif mapping == "workgroup" and len(iterations) > 1 and _batchable(op) and not env.get(LANE):
            try:  # IREE's SIMT configs make thousands of tiny workgroups (one query row): all at once
                inserts = iterations_in_lockstep(self, block, env, iterations, shared)
            except NotInterpretable:
                pass  # one after another, from the same values (the body wrote nothing outside itself)
        if inserts is None:
            inserts = [self._iteration(block, env, ivs, shared) for ivs in iterations]
        written = [np.zeros(s.shape, bool) for s in shared]
        for per_iteration in inserts:
            for target, where, value in per_iteration:
                if written[target][where].any():
                    raise OutOfBounds("two iterations of an scf.forall insert into the same element")
                written[target][where] = True
                shared[target][where] = value
        return shared

    def _iteration(self, block, env, ivs, shared) -> list:
        """Runs one iteration of a forall body; returns its (shared output, window, value) inserts."""
        n = len(ivs)
        for arg, iv in zip(list(block.arguments)[:n], ivs):
            env[arg] = self.index_value(iv)
        for arg, val in zip(list(block.arguments)[n:], shared):
            env[arg] = val
        self.run_block(block, env)
        terminator = block.operations[len(block.operations) - 1]
        return [x for ins in terminator.regions[0].blocks[0].operations
                for x in self.insert_of(ins.operation, block, n, env, shared)]

    @staticmethod
    def insert_of(ins, block, n_ivs: int, env, shared) -> list:
        """(shared output, window, value) of one op of a forall's terminator."""
        if ins.name != "tensor.parallel_insert_slice":
            raise NotInterpretable(f"{ins.name} in scf.forall.in_parallel")
        target = list(block.arguments).index(ins.operands[1]) - n_ivs
        offs, sizes, strides = _int_slice_spec(ins, [env[v] for v in ins.operands], 2)
        where = window(offs, sizes, strides, shared[target].shape, ins.name)
        return [(target, where, np.asarray(env[ins.operands[0]]).reshape(sizes))]

    def op_iree_codegen_inner_tiled(self, op, args, env):
        if irutil.lane_distributed(op):
            raise NotInterpretable("iree_codegen.inner_tiled on lane-distributed operands outside a lane forall")
        return structured.eval_inner_tiled(op, args)

    # ---- structured ops --------------------------------------------------------------------------------
    def body(self, block, env, sizes, combiners):
        local = ChainMap({}, env)
        for op in block.operations:
            op = op.operation
            if op.name in ("linalg.yield", "iree_linalg_ext.yield"):
                return [local[v] for v in op.operands]
            value = structured.body_op_value(op, local, sizes, combiners)
            if op.results:
                local[op.results[0]] = value
        raise NotInterpretable("linalg body without a yield")

    def op_linalg_generic(self, op, args, env):
        n_inputs = len(segments(op)[0])
        return structured.eval_generic(op, args, n_inputs, self.body, env)
