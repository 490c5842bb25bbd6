"""What both interpreters are made of: the tensor interpreter (interp/tensor.py, whole arrays) and the SIMT
interpreter (simt/machine.py, one value per thread) are each an `InterpreterCore` that adds only what differs.

The core runs a block op by op under an op budget, dispatches each op by name (constants, an `OPS` table of
`fn(op, args)`, elementwise arith/math, pass-through ops, then `op_<dialect>_<op>(op, args, env)` methods),
holds the dispatch's bindings, and runs what reads the same either way: push constants, affine index
arithmetic, scf.for with bounds every thread agrees on, and the iteration space of an scf.forall. A subclass
says how it holds values: `constant` (an attribute's value), `index` (a value that must be one integer, such as
a loop bound) and `index_value` (an integer as a value). Anything it does not know raises NotInterpretable
naming it, so a stage is never silently passed.
"""

from __future__ import annotations

import itertools

import functools

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir.irutil import DYNAMIC
from .affine import eval_map
from .bindings import binding_slots, offset_only_constant
from .scalar_ops import eval_scalar_op, is_scalar_op
from .values import constant

TERMINATORS = ("scf.yield", "linalg.yield", "iree_linalg_ext.yield", "func.return", "util.return",
               "scf.forall.in_parallel", "tensor.yield", "flow.return")


class OutOfBounds(Exception):
    """A slice or an access reaches outside its tensor or buffer: a miscompile, reported as a mismatch."""


class AssertFailed(Exception):
    """A `cf.assert` that does not hold (a torch export's bounds check of an embedding lookup): the program's own
    check failed, reported with its message."""


def check_assert(op, condition) -> None:
    """`cf.assert`: every element of `condition` (one per point of a linalg body's iteration space) must hold."""
    if not np.all(np.asarray(condition, bool)):
        raise AssertFailed(f'cf.assert failed: "{ir.StringAttr(op.attributes["msg"]).value}"')


def gather_elements(src, indices: list, what: str):
    """`src[i0, i1, ...]` where each index may be an array (a tensor.extract in a linalg body runs once over the
    whole iteration space: a gather); every index is checked against its dim, as NumPy would wrap negatives."""
    src = np.asarray(src)
    for d, (i, n) in enumerate(zip(indices, src.shape)):
        i = np.asarray(i)
        if i.size and (i.min() < 0 or i.max() >= n):
            bad = i.min() if i.min() < 0 else i.max()
            raise OutOfBounds(f"{what}: index {int(bad)} on dim {d} outside extent {n}")
    return src[tuple(np.asarray(i, np.int64) for i in indices)]


def segments(op, items: list | None = None) -> list[list]:
    """An op's operands split by its operandSegmentSizes; `items` (one per operand, e.g. their values) instead
    of the operands themselves."""
    sizes = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    items, out, at = list(op.operands) if items is None else list(items), [], 0
    for n in sizes:
        out.append(items[at:at + n])
        at += n
    return out


def mixed(op, name: str, dynamic: list) -> list:
    """A static_* array attribute with its DYNAMIC entries taken, in order, from `dynamic`."""
    values = iter(dynamic)
    return [next(values) if s == DYNAMIC else s for s in ir.DenseI64ArrayAttr(op.attributes[name])]


def slice_spec(op, args: list, first_dynamic: int) -> tuple[list, list, list]:
    """(offsets, sizes, strides) of a slicing op whose dynamic offsets, sizes and strides are the operand segments
    from `first_dynamic` on; dynamic entries are their values in `args`."""
    if "operandSegmentSizes" not in op.attributes:
        raise NotInterpretable(f"{op.name} without operand segments")
    offs, sizes, strides = segments(op, args)[first_dynamic:first_dynamic + 3]
    return (mixed(op, "static_offsets", offs), mixed(op, "static_sizes", sizes),
            mixed(op, "static_strides", strides))


def window(offsets, sizes, strides, shape, what: str) -> tuple[slice, ...]:
    """The NumPy index of a strided slice; OutOfBounds when it leaves `shape`."""
    for d, (o, s, st, n) in enumerate(zip(offsets, sizes, strides, shape)):
        if o < 0 or s > 0 and o + (s - 1) * st >= n:
            raise OutOfBounds(f"{what}: dim {d} offset {o} size {s} stride {st} outside extent {n}")
    return tuple(slice(o, o + s * st, st) for o, s, st in zip(offsets, sizes, strides))


class InterpreterCore:
    """`max_ops` bounds the work: a configuration that unrolls into very many tiny steps (IREE's SIMT attention
    steps one key at a time) is reported unchecked instead of running for minutes."""

    OPS: dict = {}  # op name -> fn(op, args) -> results, evaluated from the operand values alone
    copies_running = 1  # how many copies of the code one op runs for (the budget counts each)
    PASS_THROUGH: tuple[str, ...] = ()  # ops whose results are their first operands

    def __init__(self, max_ops: int):
        self.ops_run = 0
        self.max_ops = max_ops

    # ---- how values are held ---------------------------------------------------------------------------
    def constant(self, attr: ir.Attribute, t: ir.Type):
        return constant(attr, t)

    def index(self, value, what: str) -> int:
        """A value that must be one integer (a loop bound, a size)."""
        return int(value)

    def index_value(self, i: int):
        """An integer (an induction variable) as a value."""
        return np.int64(i)

    # ---- running -----------------------------------------------------------------------------------------
    def run_function(self, func: ir.Operation, bindings: dict[int, np.ndarray],
                     constants: dict[int, int] | None = None) -> None:
        """Runs a dispatch function; output bindings are written in place. `constants`: the push constants it
        reads as data (the i32 words of a dynamic program's sizes), by ordinal."""
        self.bindings, self.slots, self.constants = bindings, binding_slots(func), constants or {}
        self.run_block(func.regions[0].blocks[0], {})

    def run_block(self, block, env) -> list:
        """Runs a block's ops, their results into `env`; returns the values its terminator yields."""
        for op in block.operations:
            op = op.operation
            if op.name in TERMINATORS:
                return [env[v] for v in op.operands]
            self.ops_run += self.copies_running
            if self.ops_run > self.max_ops:
                raise NotInterpretable(f"more than {self.max_ops} ops to interpret (budget)")
            for r, v in zip(op.results, self.run_op(op, env)):
                env[r] = v
        return []

    def run_op(self, op, env) -> list:
        return self.dispatch(op, [env[v] for v in op.operands], env)

    def dispatch(self, op, args: list, env) -> list:
        """The results of `op` on operand values `args`."""
        name = op.name
        if name == "arith.constant":
            return [self.constant(op.attributes["value"], op.results[0].type)]
        if name in self.OPS:
            return self.OPS[name](op, args)
        if is_scalar_op(name):
            return [eval_scalar_op(op, args)]
        if name in self.PASS_THROUGH:
            return args[: len(op.results)]
        handler = getattr(self, "op_" + name.replace(".", "_"), None)
        if handler is None:
            raise NotInterpretable(name)
        return handler(op, args, env)

    # ---- ops that read the same in both interpreters ---------------------------------------------------
    def op_hal_interface_constant_load(self, op, args, env):
        ordinal = ir.IntegerAttr(op.attributes["ordinal"]).value
        return [np.int64(self.constants[ordinal])] if ordinal in self.constants else [offset_only_constant(op)]

    def op_affine_apply(self, op, args, env):
        return [np.int64(eval_map(ir.AffineMapAttr(op.attributes["map"]).value, args)[0])]

    # functools.reduce, not np.minimum.reduce: the results may mix a constant and a per-thread array (SIMT)
    def op_affine_min(self, op, args, env):
        return [np.int64(functools.reduce(np.minimum, eval_map(ir.AffineMapAttr(op.attributes["map"]).value, args)))]

    def op_affine_max(self, op, args, env):
        return [np.int64(functools.reduce(np.maximum, eval_map(ir.AffineMapAttr(op.attributes["map"]).value, args)))]

    def op_affine_delinearize_index(self, op, args, env):
        x, basis = args[0], mixed(op, "static_basis", args[1:])
        out = []
        for b in reversed(basis[1:] if len(op.results) == len(basis) else basis):
            out.append(x % b)
            x = x // b
        out.append(x)
        return out[::-1]

    def op_affine_linearize_index(self, op, args, env):
        indices, dynamic = segments(op, args)
        n, basis = len(indices), mixed(op, "static_basis", dynamic)
        basis = basis[-(n - 1):] if n > 1 else []
        out = indices[0]
        for i, b in zip(indices[1:], basis):
            out = out * b + i
        return [np.asarray(out, np.int64)]

    def op_scf_for(self, op, args, env):
        lo, hi, step = (self.index(x, "scf.for bound") for x in args[:3])
        return self.run_loop(op.regions[0].blocks[0], lo, hi, step, list(args[3:]), env)

    def run_loop(self, block, lo: int, hi: int, step: int, carried: list, env) -> list:
        """An scf.for body once per iteration, its carried values threaded through; returns the last ones."""
        block_args = list(block.arguments)
        for iv in range(lo, hi, step):
            env[block_args[0]] = self.index_value(iv)
            env.update(zip(block_args[1:], carried))
            carried = self.run_block(block, env)
        return carried

    def forall_space(self, op, args) -> list[tuple[int, ...]]:
        """The iterations (induction variable tuples) of an scf.forall, in order."""
        lbs, ubs, steps = segments(op, args)[:3]
        lo = mixed(op, "staticLowerBound", [self.index(x, "forall bound") for x in lbs])
        hi = mixed(op, "staticUpperBound", [self.index(x, "forall bound") for x in ubs])
        step = mixed(op, "staticStep", [self.index(x, "forall step") for x in steps])
        return list(itertools.product(*(range(a, b, s) for a, b, s in zip(lo, hi, step))))
