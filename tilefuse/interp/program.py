"""A whole program on NumPy arrays: the input program after IREE's input conversion (linalg on tensors, the
reference `verify` checks against) and the flow-level host program (`flow.dispatch`es of hal.executable snapshots)
alike. Globals take their initial values, `util.initializer`s run first, then one public function.

ABI ops are what IREE wraps any entry in: buffer views are the arrays themselves, fences and devices are
placeholders (everything here runs in program order), `util.call` calls the callee. Each flow.dispatch runs the
dispatch function of a hal.executable snapshot, its operands in binding slots 0.. (interp/bindings.py) and its
untied results after; a result tied to an operand (`-> %x`) is that operand's slot, updated in place.
"""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from ..ir import irutil
from ..errors import NotInterpretable
from .bindings import feeds_binding_offsets_only
from .core import AssertFailed, OutOfBounds, segments, window
from .tensor import Interpreter
from .values import cast_to, constant, dynamic_shape, element_type, empty, resource_blobs

ENTRY_OPS = ("util.func", "func.func")


def _dispatch_function(executable_module: ir.Module) -> ir.Operation:
    funcs = [f for f in irutil.funcs(executable_module) if f.regions[0].blocks]
    if len(funcs) != 1:
        raise NotInterpretable(f"executable with {len(funcs)} dispatch functions")
    return funcs[0]


def _symbol(op, attr: str) -> str:
    return ir.FlatSymbolRefAttr(op.attributes[attr]).value


def is_public(func: ir.Operation) -> bool:
    return "sym_visibility" not in func.attributes or ir.StringAttr(func.attributes["sym_visibility"]).value == "public"


def called_functions(func: ir.Operation) -> list[str]:
    return [_symbol(op, "callee") for op in irutil.walk(func) if op.name in ("util.call", "func.call")]


class Program:
    """`executables` maps a hal.executable's name to the snapshot its flow.dispatches run; `dispatch_interpreter`
    runs them (the tensor interpreter, or one that picks by IR level)."""

    host_class = None  # the interpreter of its own ops: HostInterpreter, or a subclass that watches them

    def __init__(self, module: ir.Module, executables: dict[str, ir.Module] | None = None,
                 dispatch_interpreter=None):
        self.module = module  # the ops below live as long as their module
        self.executables = executables or {}
        self.dispatcher = dispatch_interpreter or Interpreter()
        self.host = (self.host_class or HostInterpreter)(self, resource_blobs(module))
        top = list(module.body.operations)
        self.functions = {irutil.sym_name(op): op for op in top if op.operation.name in ENTRY_OPS}
        self.globals = {}
        for op in top:
            op = op.operation
            if op.name == "util.global" and "initial_value" in op.attributes:
                t = ir.TypeAttr(op.attributes["type"]).value
                # A device global (`#hal.device.target<...>`) is a placeholder like the devices calls return.
                data = isinstance(t, (ir.ShapedType, ir.FloatType, ir.IntegerType, ir.IndexType))
                self.globals[irutil.sym_name(op)] = self.host.constant(op.attributes["initial_value"], t) \
                    if data else None
        for op in top:
            if op.operation.name == "util.initializer":
                self.host.run_block(op.operation.regions[0].blocks[0], {})

    def entry(self, name: str | None = None) -> str:
        """The function a user calls: `name`, or the one public function no other function calls (a torch
        export's `main`, not the `main$async` it wraps)."""
        if name is not None:
            if name not in self.functions:
                raise NotInterpretable(f"no function @{name} (functions: {', '.join(sorted(self.functions))})")
            return name
        called = {c for f in self.functions.values() for c in called_functions(f)}
        roots = [n for n, f in self.functions.items() if is_public(f) and f.regions[0].blocks and n not in called]
        if len(roots) != 1:
            raise NotInterpretable(f"{len(roots)} public entry functions ({', '.join(roots)}); name one")
        return roots[0]

    def call(self, name: str, args: list) -> list:
        func = self.functions[name]
        block = func.regions[0].blocks[0]
        if len(args) != len(block.arguments):
            raise NotInterpretable(f"@{name} takes {len(block.arguments)} arguments, given {len(args)}")
        return self.host.run_block(block, dict(zip(block.arguments, args)))


class HostInterpreter(Interpreter):
    """Host and ABI ops on top of the tensor interpreter's linalg / tensor / arith ops."""

    def __init__(self, program: Program, blobs: dict[str, bytes]):
        super().__init__(max_ops=10**9)  # whole-array ops only: the budget is for per-element dispatch code
        self.program = program
        self.blobs = blobs

    def constant(self, attr: ir.Attribute, t: ir.Type):
        return constant(attr, t, self.blobs)

    # ---- ABI ------------------------------------------------------------------------------------------
    def op_hal_tensor_import(self, op, args, env):
        (array,) = [np.asarray(a) for v, a in zip(op.operands, args) if str(v.type) == "!hal.buffer_view"]
        t = op.results[0].type
        dims = [a for v, a in zip(op.operands, args) if isinstance(v.type, ir.IndexType)]  # the `{%d}` of `?`s
        shape = dynamic_shape(t, dims)
        if array.size != int(np.prod(shape)):
            raise NotInterpretable(f"hal.tensor.import of {array.shape} as {t}")
        return [cast_to(array.reshape(shape), element_type(t))]

    def op_hal_buffer_view_dim(self, op, args, env):
        return [np.int64(np.shape(args[0])[ir.IntegerAttr(op.attributes["index"]).value])]

    def op_hal_tensor_export(self, op, args, env):
        return args[:1]

    def op_hal_tensor_barrier(self, op, args, env):
        return args[: len(op.results)]

    def op_util_null(self, op, args, env):
        return [None]

    op_hal_devices_get = op_hal_fence_create = op_util_null

    def op_hal_fence_await(self, op, args, env):
        return [np.int64(0)]

    def op_util_call(self, op, args, env):
        return self.program.call(_symbol(op, "callee"), args)

    op_func_call = op_util_call

    def op_util_global_load(self, op, args, env):
        name = _symbol(op, "global")
        if name not in self.program.globals:
            raise NotInterpretable(f"util.global @{name} read before any value was stored")
        return [self.program.globals[name]]

    def op_util_global_store(self, op, args, env):
        self.program.globals[_symbol(op, "global")] = args[0]
        return []

    # ---- flow -----------------------------------------------------------------------------------------
    def op_flow_tensor_reshape(self, op, args, env):
        result_dims = segments(op, args)[-1]  # the sizes of the result's `?`s
        return [np.asarray(args[0]).reshape(dynamic_shape(op.results[0].type, result_dims))]

    def op_flow_tensor_empty(self, op, args, env):
        t = op.results[0].type
        return [empty(dynamic_shape(t, args), element_type(t))]  # its operands: the sizes of its `?`s

    def op_flow_tensor_clone(self, op, args, env):
        return [np.array(args[0], copy=True)]

    def op_flow_tensor_splat(self, op, args, env):
        t = op.results[0].type
        value = args[0]
        return [np.full(dynamic_shape(t, args[1:]), value, dtype=np.asarray(value).dtype)]  # then its `?`s' sizes

    def op_flow_tensor_update(self, op, args, env):
        # `flow.tensor.update %update, %target[%i, ...]` (static shapes: no dynamic-dim operands)
        target, _, starts, update, _ = segments(op, args)
        dest = np.array(target[0], copy=True)
        src = np.asarray(update[0])
        dest[window([int(i) for i in starts], list(src.shape), [1] * src.ndim, dest.shape, op.name)] = src
        return [dest]

    def op_flow_tensor_load(self, op, args, env):
        # one element, e.g. a page id a one-page gather reads before the dispatch that slices the page
        source, _, indices = segments(op, args)
        return [np.asarray(source[0])[tuple(int(i) for i in indices)]]

    def op_flow_tensor_slice(self, op, args, env):
        source, _, starts, lengths, _ = segments(op, args)
        src = np.asarray(source[0])
        return [src[window([int(i) for i in starts], [int(n) for n in lengths], [1] * src.ndim, src.shape,
                           op.name)].copy()]

    def op_flow_dispatch_region(self, op, args, env):
        # a dispatch a program stage writes (split-k2's ranges of a run-time K2, seq-lens-mask's mask beside its
        # attention): its body, in place, as IREE forms it into one dispatch
        return self.run_block(op.regions[0].blocks[0], env)

    def op_flow_dispatch(self, op, args, env):
        exe = dispatched_executable(op)
        if exe not in self.program.executables:
            raise NotInterpretable(f"no snapshot for executable {exe}")
        _, arguments, _, result_dims = segments(op, list(zip(op.operands, args)))
        result_sizes = iter(a for _, a in result_dims)  # the sizes of the results' `?`s, in order
        tensors = [(v, a) for v, a in arguments if isinstance(v.type, ir.ShapedType)]
        # a tied result names its operand by its position among all arguments, index operands included
        tensor_at = {i: len([1 for v, _ in arguments[:i] if isinstance(v.type, ir.ShapedType)])
                     for i, (v, _) in enumerate(arguments) if isinstance(v.type, ir.ShapedType)}
        function = _dispatch_function(self.program.executables[exe])
        constants = _push_constants([(v, a) for v, a in arguments if not isinstance(v.type, ir.ShapedType)], function)
        tied = [ir.IntegerAttr(a).value for a in ir.ArrayAttr(op.attributes["tied_operands"])] \
            if "tied_operands" in op.attributes else [-1] * len(op.results)
        arrays = [_storage(a, v.type) for v, a in tensors]  # the operands, then the untied results
        types = [v.type for v, _ in tensors]
        outs = []
        for r, operand in zip(op.results, tied):
            dynamic = [next(result_sizes) for d in ir.ShapedType(r.type).shape if d < 0]
            if operand >= 0:
                outs.append(arrays[tensor_at[operand]])
                continue
            outs.append(_storage(empty(dynamic_shape(r.type, dynamic), element_type(r.type)), r.type))
            arrays.append(outs[-1])
            types.append(r.type)
        # A dispatch declares its statically shaped subspans first, then those whose sizes it reads from push
        # constants (each group in operand order): the slots follow (interp/bindings.py).
        order = sorted(range(len(arrays)), key=lambda i: not ir.ShapedType(types[i]).has_static_shape)
        self.program.dispatcher.run_function(function, {slot: arrays[i] for slot, i in enumerate(order)}, constants)
        return [cast_to(o, element_type(r.type)) for r, o in zip(op.results, outs)]


def dispatched_executable(op) -> str:
    """The name of the hal.executable a flow.dispatch calls."""
    return str(ir.ArrayAttr(op.attributes["entry_points"])[0]).split("::")[0].lstrip("@").strip('"')


def run_program(host: ir.Module, executables: dict[str, ir.Module], inputs: list[np.ndarray],
                interpreter: Interpreter | None = None, function: str | None = None) -> list[np.ndarray]:
    """Runs the entry function of a program (see Program.entry) on `inputs`; returns its outputs."""
    program = Program(host, executables, interpreter)
    return program.call(program.entry(function), inputs)


# Ops with no effect but their results: what a value computed from constants alone may be computed by.
_PURE_DIALECTS = ("arith.", "math.", "tensor.", "linalg.")


def constant_values(values: list) -> dict | None:
    """The values of `values` where each is computed from constants alone by arith, math, tensor and linalg ops
    (an index tensor built from arange-like generics, a constant a linalg body captures): the ops they come from,
    run in order by the tensor interpreter. None where any reads anything else (a function argument, a global, a
    host op) or cannot be interpreted: a value is known only where it was computed."""
    ops, seen = [], set()
    if not all(_from_constants(v, ops, seen) for v in values):
        return None
    env = {}
    try:
        Interpreter().run_ops(ops, env)
    except (NotInterpretable, OutOfBounds, AssertFailed):
        return None
    return {v: env[v] for v in values}


def _from_constants(value: ir.Value, ops: list, seen: set) -> bool:
    """Appends the ops computing `value` to `ops`, producers first; False where one is not a pure op or it reads
    a block argument from outside."""
    if not isinstance(value, ir.OpResult):
        return False
    op = value.owner.operation
    if op in seen:
        return True
    if not op.name.startswith(_PURE_DIALECTS):
        return False
    seen.add(op)
    inner = set(irutil.walk(op))
    read = [v for o in inner for v in o.operands
            if (v.owner.owner if isinstance(v, ir.BlockArgument) else v.owner).operation not in inner]
    if not all(_from_constants(v, ops, seen) for v in read):
        return False
    ops.append(op)
    return True


def _push_constants(scalars: list, function: ir.Operation) -> dict[int, int]:
    """A dispatch's scalar operands (a dynamic program's sizes) as the i32 push constants IREE passes, by ordinal:
    the constants read as data, in ordinal order, hold the scalars in order, an index as two words (low, high)
    where there are two per scalar, one where there is one (the others place bindings in a packed buffer)."""
    loads = [op for op in irutil.walk(function) if op.name == "hal.interface.constant.load"]
    data = sorted({ir.IntegerAttr(op.attributes["ordinal"]).value for op in loads
                   if not feeds_binding_offsets_only(op.results[0])})
    if not scalars and not data:
        return {}
    if any(not isinstance(v.type, (ir.IndexType, ir.IntegerType)) for v, _ in scalars) or \
            len(data) not in (len(scalars), 2 * len(scalars)):
        raise NotInterpretable(f"flow.dispatch of {len(scalars)} scalars into {len(data)} push constants read as data")
    words = []
    for _, value in scalars:
        value = int(value)
        words += [value & 0xFFFFFFFF, value >> 32] if len(data) == 2 * len(scalars) else [value]
    return dict(zip(data, words))


def _storage(values, t) -> np.ndarray:
    """A binding's contents as IREE stores it (i1 as bytes), copied so the dispatch may write it."""
    elem = element_type(t)
    arr = np.array(values, copy=True)
    if elem == "i1":
        return arr.astype(np.int64)
    return arr
