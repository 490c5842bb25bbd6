"""The sizes a program with run-time sizes launches its dispatches at, for given sizes of its entry's dynamic dims:
what the estimate at run-time sizes reads (perf/work.py, driver/run_time.py).

The flow-level host program runs as verify runs it (interp/program.py) on arrays of those shapes, but its
dispatches are recorded, not run: each flow.dispatch's workload, push constants and bindings (what IREE passes
the kernel). A dispatch function's values are then shaped at one such call by running its function with its
structured ops (linalg, iree_linalg_ext) not computed: their results are shaped like their inits (destination
style), which is all the sizes of the loads, stores and attention operands need. The arrays hold no data anyone
reads (zeros, never touched: calloc'd pages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from .bindings import binding_slots
from .core import segments
from .program import HostInterpreter, Program, dispatched_executable
from .tensor import Interpreter
from .values import cast_to


@dataclass(frozen=True)
class DispatchCall:
    """One flow.dispatch as the host issues it: its workload (what the export's count region takes), the push
    constants its function reads as data (by ordinal) and its bindings (by slot)."""

    workload: tuple[int, ...]
    constants: dict[int, int]
    bindings: dict[int, np.ndarray]


class _Recorder:
    """The dispatch interpreter of a shape-only host run: remembers the call, runs nothing."""

    def __init__(self):
        self.last = None

    def run_function(self, function, bindings, constants):
        self.last = (dict(constants), dict(bindings))


class _RecordingHost(HostInterpreter):
    def op_flow_dispatch(self, op, args, env):
        results = super().op_flow_dispatch(op, args, env)
        constants, bindings = self.program.dispatcher.last
        workload = tuple(int(w) for w in segments(op, args)[0])
        self.program.calls.setdefault(dispatched_executable(op), []).append(DispatchCall(workload, constants,
                                                                                         bindings))
        return results


class _RecordingProgram(Program):
    host_class = _RecordingHost

    def __init__(self, module, executables):
        self.calls: dict[str, list[DispatchCall]] = {}
        super().__init__(module, executables, _Recorder())


def dispatch_calls(host: ir.Module, executables: dict[str, ir.Module], shapes: list[tuple[int, ...]],
                   elems: list[str], function: str | None = None) -> dict[str, list[DispatchCall]]:
    """Every flow.dispatch the entry of `host` issues when called on arguments of `shapes` (element types
    `elems`), by executable name, in call order."""
    program = _RecordingProgram(host, executables)
    program.call(program.entry(function), [cast_to(np.zeros(s, np.float32), e) for s, e in zip(shapes, elems)])
    return program.calls


class ShapeInterpreter(Interpreter):
    """Runs a dispatch function for the shapes of its values: a structured op's results are zeros shaped like its
    inits (its last operands, one per result), never computed."""

    def dispatch(self, op, args, env):
        if op.name.startswith(("linalg.", "iree_linalg_ext.")) and len(op.results):
            inits = args[len(args) - len(op.results):]
            if len(inits) != len(op.results) or not all(isinstance(v.type, ir.ShapedType) for v in op.results):
                raise NotInterpretable(f"{op.name}'s results are not shaped like its inits")
            return [np.zeros(np.shape(a), np.float32) for a in inits]
        return super().dispatch(op, args, env)

    def shapes(self, function: ir.Operation, call: DispatchCall) -> dict[ir.Value, tuple[int, ...]]:
        """The shape of every shaped value of `function`'s body at `call` (its stores write zeros into the call's
        own bindings, which hold no data anyone reads)."""
        # run_function's state (bindings, push constants, where inlined weights are read), with the env kept
        self.bindings, self.slots, self.constants = call.bindings, binding_slots(function), call.constants
        self.function, self.blobs = function, None
        env = {}
        self.run_block(function.regions[0].blocks[0], env)
        return {v: tuple(np.shape(a)) for v, a in env.items() if isinstance(v.type, ir.ShapedType)}
