"""The tensor-level interpreter: runs a dispatch function (a hal.executable snapshot) on NumPy arrays.

Ops run on whole arrays; mapped scf.forall loops run their iterations one after another; an op the
interpreter does not know raises Unsupported naming it, so a stage is never silently passed.
"""

from __future__ import annotations

import itertools
from functools import partial
from collections import ChainMap

import numpy as np

import iree.compiler.ir as ir

from . import structured
from .affine import eval_map
from .bindings import binding_slots, offset_only_constant, slot_data
from ..irutil import DYNAMIC
from .lockstep import LANE, lanes_in_lockstep, run_lane_op
from .scalar_ops import eval_scalar_op, is_scalar_op
from .vector_ops import VECTOR_OPS
from .values import Unsupported, cast_to, constant, element_type, empty, shape_of

PASS_THROUGH = ("amdgpu.fat_raw_buffer_cast", "memref.assume_alignment", "util.assume.int", "tensor.cast",
                "iree_vector_ext.to_layout",
                "iree_tensor_ext.dispatch.tensor.load_hint", "util.optimization_barrier")


# Ops evaluated from their operand values alone (structured.py): name -> fn(op, args) -> results.
ARRAY_OPS = {
    "linalg.fill": structured.eval_fill,
    "linalg.reduce": structured.eval_reduce,
    "linalg.pack": structured.eval_pack,
    "linalg.unpack": structured.eval_unpack,
    "iree_linalg_ext.attention": partial(structured.eval_attention, online=False),
    "iree_linalg_ext.online_attention": partial(structured.eval_attention, online=True),
    **{name: structured.eval_named for name in ("linalg.copy", "linalg.transpose", "linalg.matmul",
                                                 "linalg.batch_matmul")},
    **VECTOR_OPS,
}


class Buffer:
    """A dispatch binding: the whole array, in the binding's declared shape."""

    def __init__(self, array: np.ndarray):
        self.array = array


def _segments(op) -> list[list[ir.Value]]:
    sizes = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    operands, out, at = list(op.operands), [], 0
    for n in sizes:
        out.append(operands[at:at + n])
        at += n
    return out


def _mixed(op, name: str, dynamic: list, env) -> list[int]:
    values = iter(dynamic)
    return [int(env[next(values)]) if s == DYNAMIC else s for s in ir.DenseI64ArrayAttr(op.attributes[name])]


def _slice_spec(op, env, first_dynamic: int):
    """(offsets, sizes, strides) of a slicing op whose dynamic operands start after `first_dynamic` operands."""
    segs = _segments(op) if "operandSegmentSizes" in op.attributes else None
    if segs is None:
        raise Unsupported(f"{op.name} without operand segments")
    offs, sizes, strides = segs[first_dynamic:first_dynamic + 3]
    return (_mixed(op, "static_offsets", offs, env), _mixed(op, "static_sizes", sizes, env),
            _mixed(op, "static_strides", strides, env))


class OutOfBounds(Exception):
    """A slice reaches outside its tensor or buffer: a miscompile, reported as a mismatch."""


def _index(offsets, sizes, strides, shape, what: str):
    for d, (o, s, st, n) in enumerate(zip(offsets, sizes, strides, shape)):
        if o < 0 or s > 0 and o + (s - 1) * st >= n:
            raise OutOfBounds(f"{what}: dim {d} offset {o} size {s} stride {st} outside extent {n}")
    return tuple(slice(o, o + s * st, st) for o, s, st in zip(offsets, sizes, strides))


class Interpreter:
    """`max_ops` bounds the work: a configuration that unrolls into very many tiny steps (IREE's SIMT
    attention steps one key at a time) is reported unchecked instead of running for minutes."""

    def __init__(self, max_ops: int = 400_000):
        self.ops_run = 0
        self.max_ops = max_ops

    # ---- entry -------------------------------------------------------------------------------------
    def run_function(self, func: ir.Operation, bindings: dict[int, np.ndarray]) -> None:
        """Runs a dispatch function; output bindings are written in place."""
        env = {"bindings": bindings, "slots": binding_slots(func)}
        self.run_block(func.regions[0].blocks[0], env)

    def run_block(self, block, env) -> list:
        for op in block.operations:
            op = op.operation
            name = op.name
            if name in ("scf.yield", "linalg.yield", "iree_linalg_ext.yield", "func.return", "util.return",
                        "scf.forall.in_parallel"):
                return [env[v] for v in op.operands]
            self.ops_run += 1
            if self.ops_run > self.max_ops:
                raise Unsupported(f"more than {self.max_ops} ops to interpret (budget)")
            results = self.run_op(op, env)
            for r, v in zip(op.results, results):
                env[r] = v
        return []

    # ---- ops ---------------------------------------------------------------------------------------
    def run_op(self, op, env) -> list:
        if env.get(LANE):
            return run_lane_op(self, op, env)
        return self.run_uniform_op(op, env)

    def run_uniform_op(self, op, env) -> list:
        """An op whose operands are the same for every lane (or that runs outside any lane forall)."""
        name = op.name
        args = lambda: [env[v] for v in op.operands]  # noqa: E731
        if name == "arith.constant":
            return [constant(op.attributes["value"], op.results[0].type)]
        if is_scalar_op(name):
            return [eval_scalar_op(op, args())]
        if name in PASS_THROUGH:
            return args()[: len(op.results)]
        if name in ARRAY_OPS:
            return ARRAY_OPS[name](op, args())
        handler = getattr(self, "op_" + name.replace(".", "_"), None)
        if handler is None:
            raise Unsupported(name)
        return handler(op, env)

    def op_hal_interface_binding_subspan(self, op, env):
        t = op.results[0].type
        text = str(t)
        # !iree_tensor_ext.dispatch.tensor<readonly:tensor<...>> holds its tensor type after the access kind.
        shape = shape_of(ir.Type.parse(text[text.index(":") + 1:-1], t.context)) if "dispatch.tensor" in text \
            else shape_of(t)
        return [Buffer(slot_data(op, env["slots"], env["bindings"], shape).reshape(shape))]

    def op_hal_interface_constant_load(self, op, env):
        return [offset_only_constant(op)]

    def op_iree_codegen_load_from_buffer(self, op, env):
        return [cast_to(env[op.operands[0]].array.copy(), element_type(op.results[0].type))]

    def op_iree_codegen_store_to_buffer(self, op, env):
        buf = env[op.operands[1]]
        buf.array[...] = cast_to(env[op.operands[0]], element_type(op.operands[1].type)).astype(buf.array.dtype)
        return []

    def op_iree_tensor_ext_dispatch_tensor_load(self, op, env):
        buf = env[op.operands[0]]
        offs, sizes, strides = _slice_spec(op, env, 2)
        out = buf.array[_index(offs, sizes, strides, buf.array.shape, op.name)]
        return [cast_to(out.reshape(shape_of(op.results[0].type)).copy(), element_type(op.results[0].type))]

    def op_iree_tensor_ext_dispatch_tensor_store(self, op, env):
        buf = env[op.operands[1]]
        offs, sizes, strides = _slice_spec(op, env, 3)
        value = np.asarray(env[op.operands[0]])
        buf.array[_index(offs, sizes, strides, buf.array.shape, op.name)] = value.reshape(sizes).astype(buf.array.dtype)
        return []

    def op_tensor_empty(self, op, env):
        t = op.results[0].type
        return [empty(shape_of(t), element_type(t))]

    def op_tensor_extract_slice(self, op, env):
        offs, sizes, strides = _slice_spec(op, env, 1)
        src = env[op.operands[0]]
        return [src[_index(offs, sizes, strides, src.shape, op.name)].reshape(shape_of(op.results[0].type)).copy()]

    def op_tensor_insert_slice(self, op, env):
        offs, sizes, strides = _slice_spec(op, env, 2)
        dest = env[op.operands[1]].copy()
        dest[_index(offs, sizes, strides, dest.shape, op.name)] = np.asarray(env[op.operands[0]]).reshape(sizes)
        return [dest]

    def op_tensor_expand_shape(self, op, env):
        return [env[op.operands[0]].reshape(shape_of(op.results[0].type))]

    op_tensor_collapse_shape = op_tensor_expand_shape

    def op_tensor_extract(self, op, env):
        src = env[op.operands[0]]
        return [src[tuple(int(env[v]) for v in list(op.operands)[1:])]]

    def op_affine_apply(self, op, env):
        amap = ir.AffineMapAttr(op.attributes["map"]).value
        return [np.int64(eval_map(amap, [int(env[v]) for v in op.operands])[0])]

    def op_affine_min(self, op, env):
        amap = ir.AffineMapAttr(op.attributes["map"]).value
        return [np.int64(min(eval_map(amap, [int(env[v]) for v in op.operands])))]

    def op_affine_max(self, op, env):
        amap = ir.AffineMapAttr(op.attributes["map"]).value
        return [np.int64(max(eval_map(amap, [int(env[v]) for v in op.operands])))]

    # ---- control flow --------------------------------------------------------------------------------
    def op_scf_for(self, op, env):
        operands = list(op.operands)
        lb, ub, step = (int(env[v]) for v in operands[:3])
        carried = [env[v] for v in operands[3:]]
        block = op.regions[0].blocks[0]
        for iv in range(lb, ub, step):
            env[block.arguments[0]] = np.int64(iv)
            for arg, val in zip(list(block.arguments)[1:], carried):
                env[arg] = val
            carried = self.run_block(block, env)
        return carried

    def op_scf_if(self, op, env):
        region = op.regions[0] if bool(env[op.operands[0]]) else op.regions[1]
        if not region.blocks:
            return []
        return self.run_block(region.blocks[0], env)

    def op_scf_forall(self, op, env):
        lbs_d, ubs_d, steps_d, outs = _segments(op)
        lbs = _mixed(op, "staticLowerBound", lbs_d, env)
        ubs = _mixed(op, "staticUpperBound", ubs_d, env)
        steps = _mixed(op, "staticStep", steps_d, env)
        shared = [np.array(env[v], copy=True) for v in outs]
        block = op.regions[0].blocks[0]
        iterations = list(itertools.product(*(range(l, u, s) for l, u, s in zip(lbs, ubs, steps))))
        if "mapping" in op.attributes and "#iree_gpu.lane_id" in str(op.attributes["mapping"]):
            inserts = lanes_in_lockstep(self, block, env, [ivs[0] for ivs in iterations], shared)
        else:
            inserts = [self._iteration(block, env, ivs, shared) for ivs in iterations]
        written = [np.zeros(s.shape, bool) for s in shared]
        for per_iteration in inserts:
            for target, window, value in per_iteration:
                if written[target][window].any():
                    raise OutOfBounds("two iterations of an scf.forall insert into the same element")
                written[target][window] = True
                shared[target][window] = value
        return shared

    def _iteration(self, block, env, ivs, shared) -> list:
        """Runs one iteration of a forall body; returns its (shared output, window, value) inserts."""
        n = len(ivs)
        for arg, iv in zip(list(block.arguments)[:n], ivs):
            env[arg] = np.int64(iv)
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
            raise Unsupported(f"{ins.name} in scf.forall.in_parallel")
        target = list(block.arguments).index(ins.operands[1]) - n_ivs
        offs, sizes, strides = _slice_spec(ins, env, 2)
        window = _index(offs, sizes, strides, shared[target].shape, ins.name)
        return [(target, window, np.asarray(env[ins.operands[0]]).reshape(sizes))]

    def op_iree_codegen_inner_tiled(self, op, env):
        if "distributed = true" in str(op.attributes["semantics"]):
            raise Unsupported("iree_codegen.inner_tiled on lane-distributed operands outside a lane forall")
        return structured.eval_inner_tiled(op, [env[v] for v in op.operands])

    # ---- structured ops --------------------------------------------------------------------------------
    def body(self, block, env, sizes, combiners):
        local = ChainMap({}, env)
        for op in block.operations:
            op = op.operation
            if op.name in ("linalg.yield", "iree_linalg_ext.yield"):
                return [local[v] for v in op.operands]
            local[op.results[0]] = structured.body_op_value(op, local, sizes, combiners)
        raise Unsupported("linalg body without a yield")

    def op_linalg_generic(self, op, env):
        n_inputs = len(_segments(op)[0])
        return structured.eval_generic(op, [env[v] for v in op.operands], n_inputs, self.body, env)
