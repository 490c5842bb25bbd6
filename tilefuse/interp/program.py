"""The host program at flow level: imports, reshapes, splats, dispatches, exports. Each flow.dispatch runs the
dispatch function of a hal.executable snapshot, its operands in binding slots 0.. (interp/bindings.py) and its
untied results after; a result tied to an operand (`-> %x`) is that operand's slot, updated in place."""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from .. import irutil
from .core import Interpreter
from .values import Unsupported, cast_to, constant, element_type, empty, shape_of


def _dispatch_function(executable_module: ir.Module) -> ir.Operation:
    funcs = [f for f in irutil.funcs(executable_module) if f.regions[0].blocks]
    if len(funcs) != 1:
        raise Unsupported(f"executable with {len(funcs)} dispatch functions")
    return funcs[0]


def run_program(host: ir.Module, executables: dict[str, ir.Module], inputs: list[np.ndarray],
                interpreter: Interpreter | None = None) -> list[np.ndarray]:
    """Runs the public host function of a `--compile-to=flow` module on `inputs`; returns its outputs."""
    interpreter = interpreter or Interpreter()
    (func,) = [f for f in irutil.ops_named(host, "util.func") if "iree.abi.stub" in f.attributes]
    block = func.regions[0].blocks[0]
    env = {arg: x for arg, x in zip(block.arguments, inputs)}
    for op in block.operations:
        op = op.operation
        name = op.name
        if name in ("hal.tensor.import", "hal.tensor.export"):
            env[op.results[0]] = env[op.operands[0]]
        elif name == "flow.tensor.reshape":
            env[op.results[0]] = np.asarray(env[op.operands[0]]).reshape(shape_of(op.results[0].type))
        elif name == "arith.constant":
            env[op.results[0]] = constant(op.attributes["value"], op.results[0].type)
        elif name == "flow.tensor.splat":
            t = op.results[0].type
            env[op.results[0]] = np.full(shape_of(t), env[op.operands[0]], dtype=np.asarray(env[op.operands[0]]).dtype)
        elif name == "flow.dispatch":
            callee = str(ir.ArrayAttr(op.attributes["entry_points"])[0])
            exe = callee.split("::")[0].lstrip("@")
            if exe not in executables:
                raise Unsupported(f"no snapshot for executable {exe}")
            if not all(isinstance(v.type, ir.ShapedType) for v in op.operands):
                raise Unsupported("flow.dispatch with scalar or dynamic-size operands")
            bindings = {i: _storage(env[v], v.type) for i, v in enumerate(op.operands)}
            tied = [ir.IntegerAttr(a).value for a in ir.ArrayAttr(op.attributes["tied_operands"])] \
                if "tied_operands" in op.attributes else [-1] * len(op.results)
            outs = []
            for r, operand in zip(op.results, tied):
                if operand >= 0:
                    outs.append(bindings[operand])
                    continue
                outs.append(_storage(empty(shape_of(r.type), element_type(r.type)), r.type))
                bindings[len(bindings)] = outs[-1]
            interpreter.run_function(_dispatch_function(executables[exe]), bindings)
            for r, o in zip(op.results, outs):
                env[r] = cast_to(o, element_type(r.type))
        elif name == "util.return":
            return [env[v] for v in op.operands]
        else:
            raise Unsupported(f"host op {name}")
    raise Unsupported("host function without util.return")


def _storage(values, t) -> np.ndarray:
    """A binding's contents as IREE stores it (i1 as bytes), copied so the dispatch may write it."""
    elem = element_type(t)
    arr = np.array(values, copy=True)
    if elem == "i1":
        return arr.astype(np.int64)
    return arr
